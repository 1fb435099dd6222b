"""Character-level tiny Shakespeare, as nanoGPT's data/shakespeare_char/prepare.py writes it, without a download.

    python -m nanogpt_jax.prepare_shakespeare_char [--input PATH] [--out_dir data/shakespeare_char]

Reads the repository's data/shakespeare_char/input.txt (checked against its sha256) unless --input says
otherwise, and writes
train.bin / val.bin (uint16 token ids: first 90% / last 10% of the characters) and meta.pkl
({vocab_size, itos, stoi}). Expected: vocab 65, 1,003,854 train and 111,540 val tokens.
"""

import argparse
import hashlib
import pickle
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = REPO / "data" / "shakespeare_char" / "input.txt"
INPUT_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"  # as in data/README.md


def read_input(path: Path = DEFAULT_INPUT) -> str:
    """The text of tiny Shakespeare; the bundled copy must match its sha256 (another --input is read as is)."""
    if not path.is_file():
        sys.exit(f"error: {path} not found: pass --input PATH to tiny Shakespeare's input.txt "
                 "(see data/README.md; nothing is downloaded)")
    data = path.read_bytes()
    if path.resolve() == DEFAULT_INPUT.resolve() and hashlib.sha256(data).hexdigest() != INPUT_SHA256:
        sys.exit(f"error: {path} does not match its sha256 in data/README.md: restore it with git checkout")
    return data.decode("utf-8")


def prepare(text: str, out_dir: Path) -> dict:
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    itos = {i: ch for i, ch in enumerate(chars)}
    n = len(text)
    split = int(n * 0.9)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, part in (("train", text[:split]), ("val", text[split:])):
        np.array([stoi[c] for c in part], dtype=np.uint16).tofile(out_dir / f"{name}.bin")
    with open(out_dir / "meta.pkl", "wb") as f:
        pickle.dump({"vocab_size": len(chars), "itos": itos, "stoi": stoi}, f)
    return {"vocab_size": len(chars), "train_tokens": split, "val_tokens": n - split}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="tiny Shakespeare input.txt")
    parser.add_argument("--out_dir", type=Path, default=Path("data/shakespeare_char"))
    args = parser.parse_args(argv)
    info = prepare(read_input(args.input), args.out_dir)
    print(f"length of dataset in characters: {info['train_tokens'] + info['val_tokens']:,}")
    print(f"vocab size: {info['vocab_size']:,}")
    print(f"train has {info['train_tokens']:,} tokens")
    print(f"val has {info['val_tokens']:,} tokens")
    print(f"wrote {args.out_dir}/train.bin, val.bin, meta.pkl")


if __name__ == "__main__":
    main()
