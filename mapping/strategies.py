"""Hypothesis strategies and deterministic rich cases that turn a record's input specs into examples.

Every record is proven on its *rich cases* first (`rich_cases`: built by construction to be able to
fail: two or more distinct values, negatives where the range allows them, a transposed view, a shape
that really broadcasts, every `Choice` value), then on hypothesis draws (`cases`) from its own seed
(`record_seed`), whose first draw is the simplest input (empty or constant).
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mapping.record import Choice, Dim, Record, T

SPECIALS = (float("nan"), float("inf"), float("-inf"))
NONZERO = 2.0**-20  # T(nonzero=True) keeps |v| above this: squares and reciprocals stay normal floats
# The fuzz profile sets this: float draws then include subnormals (XLA:CPU flushes them to zero).
DRAW_SUBNORMALS = False


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


def record_seed(record: Record) -> int:
    """A stable seed per record: each record (each parametrisation of the test) draws its own stream."""
    return zlib.crc32(record.id.encode())


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
    tiny = float(np.finfo(np.float32).tiny)  # subnormals exist only in a range that reaches below it
    subnormal = DRAW_SUBNORMALS and not spec.normal and spec.low < tiny and spec.high > -tiny
    elements = st.floats(spec.low, spec.high, width=32, allow_subnormal=subnormal, exclude_max=True)
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
    """Give every 1-D slice that holds no finite value a finite value at its start, axis by axis: 1.0 less a
    different multiple of 2**-8 at each position, so a record that asks for distinct values keeps them."""
    a = a.copy()
    for axis in range(a.ndim):
        empty = ~np.isfinite(a).any(axis=axis, keepdims=True)
        first = np.moveaxis(a, axis, 0)[:1]
        fill = 1.0 - (axis * first.size + np.arange(first.size).reshape(first.shape)) * 2.0**-8
        np.copyto(first, fill.astype(a.dtype), where=np.moveaxis(empty, axis, 0))
    return a


def _finish(spec: T, a: np.ndarray) -> np.ndarray:
    """The spec's post-processing of drawn values: finite slices, sorting, a ramped diagonal."""
    if spec.finite_slices:
        a = _finite_slices(a)
    if spec.sort:
        a = np.sort(a, axis=-1)
    if spec.diag:
        m, n = a.shape[-2:]
        ramp = np.eye(m, n, dtype=np.float32) * np.arange(1, n + 1, dtype=np.float32)
        a = a + np.float32(spec.diag) * ramp
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
                shape = tuple(_size(lambda lo, hi: draw(st.integers(lo, hi)), s.strip(), sizes, low, high)
                              for s in spec.shape.split(","))
            values[spec.name] = _finish(spec, draw(arrays(spec, shape)))
        elif isinstance(spec, Dim):
            rank = values[spec.of].ndim
            values[spec.name] = draw(st.integers(-rank, rank - 1))
        elif isinstance(spec, Choice):
            values[spec.name] = draw(st.sampled_from(spec.values))
        else:
            raise TypeError(f"{record.id}: unknown input spec {spec!r}")
    return Case(values, draw(st.booleans()))


def _size(pick, symbol: str, sizes: dict, low: int, high: int) -> int:
    if symbol.isdigit():
        return int(symbol)
    if symbol not in sizes:
        sizes[symbol] = pick(low, high)
    return sizes[symbol]


def register_profiles(fuzz_examples: int = 200) -> None:
    """The hypothesis profiles: `ci` (1 draw per record: hypothesis's simplest input, empty or constant, the
    same on every run, so CI never fails by chance and a failure replays locally), `dev` (8 fresh draws) and
    `fuzz` (200 fresh draws, subnormals included). Every profile runs the record's rich cases first."""
    common = dict(deadline=None, print_blob=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("ci", max_examples=1, derandomize=True, database=None, **common)
    settings.register_profile("dev", max_examples=8, **common)
    settings.register_profile("fuzz", max_examples=fuzz_examples, **common)


def for_each_draw(record: Record, fn, profile: settings | None = None) -> None:
    """Call fn(case) on each hypothesis draw of the record under `profile` (default: the loaded one), from
    the record's own seed (derandomized profiles), so each record gets its own stream; failures shrink as usual."""
    def draw(case: Case) -> None:
        fn(case)

    run = given(case=cases(record))(draw)
    if profile is not None:
        run = profile(run)
    if (profile or settings.default).derandomize:
        run = seed(record_seed(record))(run)
    run()


# ---- rich cases: built, not searched for, so that every record's proof can fail ----

def rich_cases(record: Record) -> list[Case]:
    """Deterministic non-trivial cases for a record, one per Choice value beyond the first.

    Hypothesis's first draw takes each Choice's first value; these take the others, so that the two
    together try every value (and the first too where a nonzero input rules out that simplest draw).
    Each case has sizes >= 2 (where the record's sizes allow), two or more distinct values per tensor,
    negatives where the range has them, nan/inf where `special`, a transposed view on the torch side
    and, for `bcast` inputs, a shape that really broadcasts.
    """
    width = max([len(s.values) for s in record.inputs if isinstance(s, Choice)] or [1])
    rng = np.random.default_rng(record_seed(record))
    # nonzero inputs cannot be hypothesis's simplest (all-zero) draw, so that draw may not take the first values
    first = 0 if width > 1 and any(isinstance(s, T) and s.nonzero for s in record.inputs) else 1
    return [_rich_case(record, rng, k) for k in range(first, width)] or [_rich_case(record, rng, 1)]


def _rich_case(record: Record, rng: np.random.Generator, k: int) -> Case:
    low, high = record.sizes
    low = min(max(low, 2), high)  # >= 2 elements along every symbolic axis where the record allows it
    needs_rank = {s.of for s in record.inputs if isinstance(s, Dim)}
    partners = {s.bcast for s in record.inputs if isinstance(s, T) and s.bcast}
    sizes: dict[str, int] = {}
    values: dict = {}
    for spec in record.inputs:
        if isinstance(spec, T):
            if spec.bcast:
                shape = _broadcasting_shape(values[spec.bcast].shape, rng)
            elif spec.shape == "*" and spec.name in partners:  # rank 3: the partner can be a transposed view
                shape = tuple(int(rng.integers(low, high + 1)) for _ in range(3))
            elif spec.shape == "*":
                rank = int(rng.integers(max(spec.min_rank, 2, 1 if spec.name in needs_rank else 0), 4))
                shape = tuple(int(rng.integers(low, high + 1)) for _ in range(rank))
            elif spec.shape == "":
                shape = ()
            else:
                shape = tuple(_size(lambda lo, hi: int(rng.integers(lo, hi + 1)), s.strip(), sizes, low, high)
                              for s in spec.shape.split(","))
            values[spec.name] = _finish(spec, rich_array(spec, shape, rng))
        elif isinstance(spec, Dim):
            rank = values[spec.of].ndim
            values[spec.name] = int(rng.integers(-rank, rank)) if rank else 0
        elif isinstance(spec, Choice):
            values[spec.name] = spec.values[k % len(spec.values)]
        else:
            raise TypeError(f"{record.id}: unknown input spec {spec!r}")
    return Case(values, True)


def _broadcasting_shape(shape: tuple, rng: np.random.Generator) -> tuple:
    """A shape that broadcasts against `shape` without equalling it, with >= 2 elements when possible."""
    options = [s for keep in range(len(shape) + 1)
               for s in itertools.product(*[(1, n) for n in shape[len(shape) - keep:]])
               if s != tuple(shape)]
    if not options:
        return tuple(shape)
    transposable = [s for s in options if len(s) >= 2 and s[-1] > 1 and s[-2] > 1]
    rich = [s for s in options if np.prod(s) >= 2]
    pool = transposable or rich or options
    return tuple(int(n) for n in pool[int(rng.integers(len(pool)))])


def rich_array(spec: T, shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """Random values for `spec` that satisfy `nontrivial`, tried until they do."""
    for _ in range(1000):
        a = _rich_values(spec, shape, rng)
        if nontrivial(spec, a):
            return a
    raise ValueError(f"input {spec.name!r}: no values of shape {shape} satisfy its spec "
                     f"(range [{spec.low}, {spec.high}), unique={spec.unique}, nonzero={spec.nonzero})")


def _rich_values(spec: T, shape: tuple, rng: np.random.Generator) -> np.ndarray:
    size = int(np.prod(shape))
    if spec.dtype == "bool":
        return rng.random(shape) < 0.5
    if spec.dtype in ("int64", "int32"):
        lo, hi = int(spec.low), int(spec.high)
        if spec.unique and hi - lo >= size:
            return (rng.choice(hi - lo, size, replace=False) + lo).reshape(shape).astype(np.int64)
        return rng.integers(lo, hi, shape).astype(np.int64)
    a = _uniform(spec, rng, size)
    if spec.unique:  # distinct bfloat16-exact values, in random order
        pool = _uniform(spec, rng, 8 * size + 8)
        pool = (pool.view(np.uint32) & np.uint32(0xFFFF0000)).view(np.float32)
        _, first = np.unique(pool, return_index=True)
        a = pool[np.sort(first)][:size]
    a = a.reshape(shape)
    if spec.special and size:
        count = min(3, max(1, size // 4))
        where = rng.choice(size, count, replace=False)
        a.reshape(-1)[where] = rng.permutation(SPECIALS)[:count]
    return a


def _uniform(spec: T, rng: np.random.Generator, size: int) -> np.ndarray:
    a = rng.uniform(spec.low, spec.high, size).astype(np.float32)
    return np.where(a >= np.float32(spec.high), np.float32(spec.low), a)  # float32 rounding up to high


def nontrivial(spec: T, a: np.ndarray) -> bool:
    """Values that can tell two implementations apart, within what the spec allows: two or more
    distinct values, a negative where the range has one, a nan/inf where `special`; and the spec's
    own constraints (unique, nonzero)."""
    flat = a.reshape(-1)
    if flat.size == 0:
        return True
    if spec.unique and len(np.unique(flat)) < flat.size:
        return False
    if spec.nonzero and np.any(np.abs(flat[np.isfinite(flat)]) < NONZERO):
        return False
    if spec.dtype == "bool":
        return flat.size < 2 or bool(flat.any() and not flat.all())
    finite = flat[np.isfinite(flat)] if flat.dtype.kind == "f" else flat
    if flat.size >= 2 and len(np.unique(finite)) < min(2, finite.size):
        return False
    top = spec.high - 1 if spec.dtype in ("int64", "int32") else spec.high
    if spec.low < 0 and flat.size >= 2 and not np.any(finite < 0):
        return False
    if spec.low < 0 < top and flat.size >= 3 and not np.any(finite > 0):
        return False
    return not (spec.special and flat.size >= 2 and np.all(np.isfinite(flat)))
