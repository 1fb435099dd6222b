"""Handwritten digits for both classifier programs: scikit-learn's bundled 8x8 set, or MNIST IDX files.

`load()` gives images as float32 in [0, 1] with shape (N, H, W) and int64 labels, split into train
and test. Each framework adds the channel axis where its convolutions want it (torch NCHW, JAX NHWC).
"""

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Config:
    hidden: int = 128  # MLP hidden units
    channels: tuple = (16, 32)  # CNN: two 3x3 conv + 2x2 max-pool stages
    batch_size: int = 64
    lr: float = 1e-3  # Adam
    steps: int = 2_000


IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path):
    """An IDX file (MNIST's format, optionally gzipped): two zero bytes, a dtype code, the number of
    dimensions, each dimension as a big-endian int32, then the values in C order."""
    path = Path(path)
    raw = (gzip.open if path.suffix == ".gz" else open)(path, "rb").read()
    if len(raw) < 4 or raw[:2] != b"\0\0" or raw[2] not in IDX_DTYPES:
        raise ValueError(f"{path}: not an IDX file (magic bytes {raw[:4].hex()})")
    ndim = raw[3]
    shape = tuple(int(d) for d in np.frombuffer(raw, ">i4", count=ndim, offset=4))
    dtype = np.dtype(IDX_DTYPES[raw[2]])
    count = int(np.prod(shape))
    if len(raw) != 4 + 4 * ndim + count * dtype.itemsize:
        raise ValueError(f"{path}: {len(raw)} bytes, but the header promises shape {shape} of {dtype}")
    return np.frombuffer(raw, dtype, count=count, offset=4 + 4 * ndim).reshape(shape).astype(dtype.newbyteorder("="))


def _idx_file(directory, stem):
    for name in (stem, stem + ".gz"):
        if (Path(directory) / name).is_file():
            return Path(directory) / name
    raise FileNotFoundError(f"expected {Path(directory) / stem} (or .gz) in the MNIST directory")


def load(mnist_dir=None, seed=0):
    """{"train": (images, labels), "test": (images, labels)}.

    Without `mnist_dir`: sklearn.datasets.load_digits (1,797 real 8x8 digits that ship inside
    scikit-learn), shuffled once with `seed` and split 80/20. With it: the four MNIST IDX files there.
    """
    if mnist_dir is not None:
        part = lambda kind, stem: read_idx(_idx_file(mnist_dir, f"{kind}-{stem}"))
        return {
            split: (part(kind, "images-idx3-ubyte").astype(np.float32) / 255,
                    part(kind, "labels-idx1-ubyte").astype(np.int64))
            for split, kind in [("train", "train"), ("test", "t10k")]
        }
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = (digits.images / 16).astype(np.float32)  # pixel values are 0..16
    labels = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(labels))
    n = int(0.8 * len(labels))
    return {"train": (images[order[:n]], labels[order[:n]]), "test": (images[order[n:]], labels[order[n:]])}


def batches(n, batch_size, seed):
    """Endless random minibatch indices into n examples: the same sequence for both frameworks."""
    rng = np.random.default_rng(seed)
    while True:
        yield rng.integers(0, n, batch_size)
