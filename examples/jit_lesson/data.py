"""The jit lesson trains the digits MLP: scikit-learn's 8x8 digits through the digits example's loader."""

from dataclasses import dataclass

from examples.digits.data import batches, load

__all__ = ["Config", "batches", "load"]


@dataclass(frozen=True)
class Config:
    hidden: int = 128
    batch_size: int = 64
    lr: float = 1e-3  # Adam
    steps: int = 2_000
    scan_length: int = 100  # steps per compiled call in the lax.scan mode
