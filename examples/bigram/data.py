"""Tiny Shakespeare as character ids, the batches both bigram programs train on, and their settings.

The GPT example reads the same text through this loader.
"""

from dataclasses import dataclass

import numpy as np

from examples._common import data_file


@dataclass(frozen=True)
class Config:
    block_size: int = 8  # characters per training sequence
    batch_size: int = 32
    lr: float = 1e-2  # AdamW, weight decay 0.01 (PyTorch's default, set explicitly on the JAX side)
    weight_decay: float = 0.01
    steps: int = 5_000
    eval_batches: int = 50


def load():
    """Character vocabulary and the text as int64 ids, split 90/10 into train and val (as nanoGPT does)."""
    text = data_file("shakespeare_char", "input.txt").read_text()
    itos = sorted(set(text))
    lookup = np.zeros(max(map(ord, itos)) + 1, np.int64)
    lookup[[ord(c) for c in itos]] = np.arange(len(itos))
    ids = lookup[np.frombuffer(text.encode("utf-32-le"), np.uint32)]
    n = int(0.9 * len(ids))
    return itos, {"train": ids[:n], "val": ids[n:]}


def batches(ids, block_size, batch_size, seed):
    """Endless (x, y) batches of random windows, y being x shifted by one character: numpy, on the host."""
    rng = np.random.default_rng(seed)
    offsets = np.arange(block_size)
    while True:
        ix = rng.integers(0, len(ids) - block_size, batch_size)[:, None] + offsets
        yield ids[ix], ids[ix + 1]


def decode(tokens, itos):
    return "".join(itos[t] for t in tokens)
