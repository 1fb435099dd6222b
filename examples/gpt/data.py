"""Tiny Shakespeare for the three GPT programs (the bigram example's loader) and the model's settings."""

from dataclasses import dataclass

from examples.bigram.data import batches, decode, load

__all__ = ["Config", "batches", "decode", "load"]


@dataclass(frozen=True)
class Config:
    block_size: int = 32  # context length
    n_layer: int = 2
    n_head: int = 4
    n_embd: int = 64
    batch_size: int = 16
    lr: float = 1e-3  # AdamW on every parameter, weight decay 0.01 (PyTorch's default)
    weight_decay: float = 0.01
    steps: int = 1_000
    eval_batches: int = 20
