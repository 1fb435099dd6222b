"""Hypothesis strategies that turn a record's input specs into concrete examples."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mapping.record import Choice, Dim, Record, T

SPECIALS = (float("nan"), float("inf"), float("-inf"))
NONZERO = 2.0**-20  # T(nonzero=True) keeps |v| above this: squares and reciprocals stay normal floats


@dataclass
class Case:
    """One drawn example: input values by name, and whether torch gets non-contiguous tensors."""

    values: dict
    noncontiguous: bool

    def repro(self) -> str:
        """A copy-pasteable line that rebuilds the inputs."""
        parts = [f"{k}=np.array({v.tolist()!r}, dtype='{v.dtype}')" if isinstance(v, np.ndarray) else f"{k}={v!r}"
                 for k, v in self.values.items()]
        return "dict(" + ", ".join(parts) + f")  # noncontiguous={self.noncontiguous}"


def shapes(min_rank: int = 0, max_rank: int = 3, low: int = 1, high: int = 4) -> st.SearchStrategy[tuple]:
    """Any shape of rank min_rank..max_rank with sizes low..high."""
    return hnp.array_shapes(min_dims=min_rank, max_dims=max_rank, min_side=low, max_side=high)


@st.composite
def broadcastable(draw, shape: tuple) -> tuple:
    """A shape that broadcasts against `shape`: a suffix of it, some sizes set to 1."""
    keep = draw(st.integers(0, len(shape)))
    suffix = shape[len(shape) - keep:]
    return tuple(1 if draw(st.booleans()) else n for n in suffix)


def arrays(spec: T, shape: tuple) -> st.SearchStrategy[np.ndarray]:
    """Values for one tensor input, within the spec's range (ints: [low, high))."""
    if spec.dtype == "bool":
        return hnp.arrays(np.bool_, shape)
    if spec.dtype in ("int64", "int32"):
        elements = st.integers(int(spec.low), int(spec.high) - 1)
        if spec.nonzero:
            elements = elements.filter(lambda v: abs(v) >= NONZERO)
        return hnp.arrays(np.int64, shape, elements=elements, unique=spec.unique)
    elements = st.floats(spec.low, spec.high, width=32, allow_subnormal=False, exclude_max=True)
    if spec.nonzero:
        elements = elements.filter(lambda v: abs(v) >= NONZERO)
    if spec.unique:
        # values exact in bfloat16, so they stay distinct in the bf16 check too
        elements = elements.map(_bf16_exact)
    if spec.special:
        elements = st.one_of(elements, st.sampled_from(SPECIALS))
    return hnp.arrays(np.float32, shape, elements=elements, unique=spec.unique)


def _bf16_exact(v: float) -> float:
    """v with its float32 mantissa cut to bfloat16's 8 bits (toward zero)."""
    return float((np.array(v, np.float32).view(np.uint32) & np.uint32(0xFFFF0000)).view(np.float32))


def _finite_slices(a: np.ndarray) -> np.ndarray:
    """Give every 1-D slice that holds no finite value a 1.0 at its start, axis by axis."""
    a = a.copy()
    for axis in range(a.ndim):
        empty = ~np.isfinite(a).any(axis=axis, keepdims=True)
        first = np.moveaxis(a, axis, 0)[:1]
        np.copyto(first, 1.0, where=np.moveaxis(empty, axis, 0))
    return a


@st.composite
def cases(draw, record: Record) -> Case:
    """Draw every input of a record; symbolic dims are shared across its inputs."""
    low, high = record.sizes
    needs_rank = {s.of for s in record.inputs if isinstance(s, Dim)}
    sizes: dict[str, int] = {}
    values: dict = {}
    for spec in record.inputs:
        if isinstance(spec, T):
            if spec.bcast:
                shape = draw(broadcastable(values[spec.bcast].shape))
            elif spec.shape == "*":
                min_rank = max(spec.min_rank, 1 if spec.name in needs_rank else 0)
                shape = draw(shapes(min_rank, 3, low, high))
            elif spec.shape == "":
                shape = ()
            else:
                shape = tuple(_size(draw, s.strip(), sizes, low, high) for s in spec.shape.split(","))
            values[spec.name] = draw(arrays(spec, shape))
            if spec.finite_slices:
                values[spec.name] = _finite_slices(values[spec.name])
            if spec.sort:
                values[spec.name] = np.sort(values[spec.name], axis=-1)
            if spec.diag:
                m, n = shape[-2:]
                ramp = np.eye(m, n, dtype=np.float32) * np.arange(1, n + 1, dtype=np.float32)
                values[spec.name] = values[spec.name] + np.float32(spec.diag) * ramp
        elif isinstance(spec, Dim):
            rank = values[spec.of].ndim
            values[spec.name] = draw(st.integers(-rank, rank - 1))
        elif isinstance(spec, Choice):
            values[spec.name] = draw(st.sampled_from(spec.values))
        else:
            raise TypeError(f"{record.id}: unknown input spec {spec!r}")
    return Case(values, draw(st.booleans()))


def _size(draw, symbol: str, sizes: dict, low: int, high: int) -> int:
    if symbol.isdigit():
        return int(symbol)
    if symbol not in sizes:
        sizes[symbol] = draw(st.integers(low, high))
    return sizes[symbol]
