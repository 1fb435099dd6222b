"""More `torch.Tensor` methods: the method and in-place forms of functions with a record, reductions and scatters
that JAX writes with `.at[]`, casts, and the methods of torch's runtime (storage, pointers, devices, hooks, resizing)
that have no JAX counterpart, each with the JAX way.

A method built from its function's record keeps that record's inputs, checks and tolerances; an in-place form
`z.<name>_(...)` is its method's proof on a clone, rewritten to an assignment.
"""

import dataclasses
import re

from mapping.record import Choice, Difference, Dim, Record, T, Tol
from mapping.records import methods, tensor, torch_comparison, torch_indexing, torch_math, torch_reduction

IN_PLACE = ("In-place in torch: every other name bound to the same tensor (a view, an alias, a module buffer) "
            "sees the change. JAX arrays are immutable: only the rebound name changes. The rewrite is an "
            "assignment: it applies only when the call is a statement of its own.")
_DYNAMIC = "the output's shape depends on the values: outside jit only, or give JAX a static size"
_X64 = ("float64 exists in JAX only with x64 enabled (jax.config.update('jax_enable_x64', True) at start-up, or "
        "`with jax.enable_x64(True):` around the code); without it the result is float32")


def _all_records() -> list[Record]:
    return [*methods.RECORDS, *tensor.RECORDS, *torch_comparison.RECORDS, *torch_indexing.RECORDS,
            *torch_math.RECORDS, *torch_reduction.RECORDS]


def _record(name: str, variant: str = "") -> Record:
    return next(r for r in _all_records() if r.torch == name and r.variant == variant)


def _in_place(name: str, base: Record | None = None) -> Record:
    """`z.<name>_(...)` from the record of `x.<name>(...)`: its proof on a clone, the rewrite an assignment."""
    base = base or _record(f"torch.Tensor.{name}")
    receiver, call = re.fullmatch(rf"out = (\w+)\.{name}\((.*)\)", base.torch_example, flags=re.S).groups()
    rhs = re.sub(rf"(?<![\w.]){receiver}\b", "z", base.jax_example.removeprefix("out = "))
    return dataclasses.replace(
        base, torch=f"torch.Tensor.{name}_", aliases=(),
        torch_example=f"z = {receiver}.clone()\nz.{name}_({call})\nout = z",
        jax_example=f"z = {receiver}\nz = {rhs}\nout = z",
        template="{self} = " + base.template, notes=(IN_PLACE, *base.notes))


def _method(function: str, name: str, receiver: str, sig: str, **changes) -> Record:
    """`torch.Tensor.<name>` from the record of `torch.<function>`: `torch.<function>(x, ...)` -> `x.<name>(...)`."""
    base = _record(f"torch.{function}")
    example = (base.torch_example.replace(f"torch.{function}({receiver}, ", f"{receiver}.{name}(")
               .replace(f"torch.{function}({receiver})", f"{receiver}.{name}()"))
    template = base.template.replace("{input}", "{self}")
    return dataclasses.replace(base, torch=f"torch.Tensor.{name}", aliases=(), torch_example=example, sig=sig,
                               template=template, **changes)


def _unsupported(name: str, torch_example: str, jax_example: str, reason: str, inputs: tuple = (T("x", "N,C"),),
                 status: str = "unsupported") -> Record:
    """A method with no JAX counterpart: both examples still run; the JAX one shows what to write instead."""
    return Record(torch=f"torch.Tensor.{name}", jax="(none)", status=status, checks=(), torch_example=torch_example,
                  jax_example=jax_example, inputs=inputs, reason=reason)


def _cast(name: str, dtype: str, low: int, high: int) -> Record:
    """An integer cast: values out of the target's range wrap around (two's complement) in both."""
    return Record(
        torch=f"torch.Tensor.{name}",
        jax="jax.Array.astype",
        torch_example=f"out = (x.{name}(), f.{name}())",
        jax_example=f"out = (x.astype(jnp.{dtype}), f.astype(jnp.{dtype}))",
        inputs=(T("x", "*", dtype="int64", low=low, high=high), T("f", "*", low=0.0, high=100.0, grad=False)),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=(f"Integers out of {dtype}'s range wrap around in both; floats are truncated toward zero. A float out "
               "of the range (or NaN) is undefined behaviour in both: clip first.",),
        sig="memory_format=torch.preserve_format",
        template=f"{{self}}.astype(jnp.{dtype})",
    )


_RENORM = ("(lambda n: {self} * jnp.where(n > {maxnorm}, {maxnorm} / (n + 1e-7), 1.0))(jnp.linalg.vector_norm("
           "{self}, ord={p}, axis=tuple(i for i in range({self}.ndim) if i != {dim} % {self}.ndim), keepdims=True))")
_RENORM_JAX = _RENORM.replace("{self}", "x").replace("{maxnorm}", "m").replace("{p}", "p").replace("{dim}", "d")
_AT_DIM = "(slice(None),) * ({dim} % {self}.ndim) + ({index},)"

_RENORM_RECORD = Record(
    torch="torch.Tensor.renorm",
    jax="jax.numpy.linalg.vector_norm",
    torch_example="out = x.renorm(p, d, m)",
    jax_example="out = " + _RENORM_JAX,
    inputs=(T("x", "*", min_rank=2, nonzero=True), Choice("p", (2, 1)), Dim("d", "x"), Choice("m", (1.0, 5.0))),
    checks=("forward", "jit", "grad"),
    tol=Tol(1e-5, 1e-6, "float32 norms: summation order differs"),
    notes=("Each slice along dim whose p-norm exceeds maxnorm is scaled to maxnorm (by maxnorm / (norm + "
           "1e-7), as torch); the others are kept. JAX has no renorm: the rewrite writes it out.",
           "torch requires at least 2 dimensions."),
    sig="p, dim, maxnorm",
    template=_RENORM,
)

_INDEX_REDUCE = dataclasses.replace(
    _record("torch.Tensor.index_add"), torch="torch.Tensor.index_reduce", jax="jax.Array.at",
    torch_example="out = (x.index_reduce(d, idx, src, 'amax'), x.index_reduce(d, idx, src, 'amin'))",
    jax_example="out = (x.at[(slice(None),) * (d % x.ndim) + (idx,)].max(src), "
                "x.at[(slice(None),) * (d % x.ndim) + (idx,)].min(src))",
    inputs=_record("torch.Tensor.index_add").inputs[:4],
    notes=("reduce 'amax', 'amin' with include_self=True (the default) map to .max, .min on the slices of dim "
           "that index names; duplicate indices combine in both.",
           "'prod' is .multiply in JAX, whose gradient raises NotImplementedError with repeated indices (JAX "
           "differentiates scatter-multiply only with unique_indices=True): not rewritten. 'mean' and "
           "include_self=False have no .at method: sum and count by hand.",
           "Out-of-range indices raise in torch; JAX drops those updates.",
           "A 0-d tensor: the rewrite's dim % ndim raises ZeroDivisionError (loud); index a 1-element reshape "
           "instead."),
    sig="dim, index, source, reduce, *, include_self=True",
    template=f"{{self}}.at[{_AT_DIM}].{{reduce}}({{source}})",
    values={"reduce": {"'amax'": "max", "'amin'": "min"}},
    unsupported_args={"include_self": "no .at equivalent: scatter into an identity-filled array"})

RECORDS = [
    _RENORM_RECORD,
    _in_place("renorm", _RENORM_RECORD),
    # -- float64 power ---------------------------------------------------------------------------------
    Record(
        torch="torch.Tensor.float_power",
        jax="jax.numpy.float_power",
        status="manual",
        torch_example="out = x.float_power(e)",
        jax_example="with jax.enable_x64(True):\n    out = jnp.float_power(x.astype(jnp.float64), e)",
        inputs=(T("x", "*", low=0.25, high=3.0, grad=False), Choice("e", (2, 0.5, -1.5))),
        checks=("forward",),
        sizes=(0, 4),
        notes=("torch computes in float64 and returns float64, whatever the input's dtype; in JAX that takes x64 "
               "and a float64 input (a float32 array stays float32 under x64). The JAX example enables x64 around "
               "the call so that the test leaves the global setting alone.",),
        differences=(Difference(
            note="without x64, jnp.float_power computes in float32: 2**24 + 1 rounds to 2**24",
            torch="out = torch.tensor([16777217]).float_power(1)",
            jax="out = jnp.float_power(jnp.array([16777217]), 1)",
            min_diff=1.0),),
        why_not={"grad": "the float64 output exists only inside jax.enable_x64: a VJP cannot cross it",
                 "jit": "the example scopes x64 around the call; under x64 jit works as usual"},
        sig="exponent",
        reason=_X64 + ": enable x64, then jnp.float_power(x, exponent)",
    ),
    Record(
        torch="torch.Tensor.float_power_",
        jax="jax.numpy.float_power",
        status="manual",
        torch_example="z = x.double()\nz.float_power_(e)\nout = z",
        jax_example="with jax.enable_x64(True):\n    z = x.astype(jnp.float64)\n    z = jnp.float_power(z, e)\n"
                    "    out = z",
        inputs=(T("x", "*", low=0.25, high=3.0, grad=False), Choice("e", (2, 0.5, -1.5))),
        checks=("forward",),
        sizes=(0, 4),
        notes=(IN_PLACE, "torch accepts only a float64 (or complex128) tensor here: x.float_power_() on float32 "
               "raises, since the result is float64."),
        why_not={"grad": "the float64 output exists only inside jax.enable_x64: a VJP cannot cross it",
                 "jit": "the example scopes x64 around the call; under x64 jit works as usual"},
        sig="exponent",
        reason=_X64 + ": enable x64, then x = jnp.float_power(x, exponent)",
    ),
    # -- the mode, sum_to_size -------------------------------------------------------------------------------
    Record(
        torch="torch.Tensor.mode",
        jax="jax.scipy.stats.mode",
        status="manual",
        torch_example="out = x.mode(d)",
        jax_example="v = jax.scipy.stats.mode(x, axis=d, keepdims=True).mode\n"
                    "i = x.shape[d] - 1 - jnp.argmax(jnp.flip(x == v, d), axis=d)\nout = (v.squeeze(d), i)",
        inputs=(T("x", "*", dtype="int64", low=0, high=3, min_rank=1), Dim("d", "x")),
        checks=("forward", "jit"),
        notes=("The most frequent value along dim, the smallest of them at a tie, in both; torch also returns "
               "an index where it occurs, on CPU the last one: the pattern finds it from the end.",),
        sig="dim=-1, keepdim=False",
        reason="jax.scipy.stats.mode returns the value and its count, not an index: find the index with "
               "x == value (the last occurrence, as torch on CPU; CUDA may return another)",
    ),
    Record(
        torch="torch.Tensor.sum_to_size",
        jax="jax.numpy.sum",
        status="manual",
        torch_example="out = (x.sum_to_size(1, x.shape[-1]), x.sum_to_size(x.shape[1], 1))",
        jax_example="out = (x.sum(axis=0).sum(axis=0, keepdims=True), x.sum(axis=0).sum(axis=1, keepdims=True))",
        inputs=(T("x", "B,N,C"),),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-6, 1e-5, "float32 summation order differs"),
        notes=("Sums x down to a shape it broadcasts from (the gradient of a broadcast): the leading axes that "
               "size lacks go, the axes where size has 1 are kept with length 1.",),
        sig="*size",
        reason="JAX has no sum_to_size: sum the leading axes, then those where the size is 1 with keepdims=True",
    ),
    # -- new empty tensors ---------------------------------------------------------------------------------
    dataclasses.replace(
        _record("torch.Tensor.new_zeros"), torch="torch.Tensor.new_empty", jax="jax.numpy.empty", status="caveat",
        torch_example="e = x.new_empty((2, x.shape[0]))\nout = (e[:0], list(e.shape))",
        jax_example="e = jnp.empty((2, x.shape[0]), dtype=x.dtype)\nout = (e[:0], list(e.shape))",
        inputs=(T("x", "N,C", grad=False),), checks=("forward", "jit"), zero_grad="",
        why_not={"grad": "the output is built from a shape: no value of x flows into it"},
        notes=("torch leaves the memory uninitialised; jnp.empty returns zeros (XLA has no uninitialised "
               "arrays). Only the shape and the dtype (x's, in both) are compared.",),
        template="jnp.empty({size}, dtype={self}.dtype)",
        unsupported_args={k: v.replace("jnp.zeros", "jnp.empty")
                          for k, v in _record("torch.Tensor.new_zeros").unsupported_args.items()}),
    Record(
        torch="torch.Tensor.new_empty_strided",
        jax="jax.numpy.empty",
        status="manual",
        torch_example="e = x.new_empty_strided((2, 3), (1, 2))\nout = (e[:0], list(e.shape))",
        jax_example="e = jnp.empty((2, 3), dtype=x.dtype)\nout = (e[:0], list(e.shape))",
        inputs=(T("x", "N,C", grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "the output is built from a shape: no value of x flows into it"},
        notes=("Only the shape and the dtype are compared: torch's memory is uninitialised, jnp.empty's zeros.",),
        sig="size, stride, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False",
        reason="XLA owns the memory layout of a jax.Array: there are no strides to give; "
               "jnp.empty(size, dtype=x.dtype) makes the array",
    ),
    # -- fill_diagonal_, diagonal_scatter, angle -------------------------------------------------------------
    Record(
        torch="torch.Tensor.fill_diagonal_",
        jax="jax.numpy.fill_diagonal",
        torch_example="z = x.clone()\nz.fill_diagonal_(v)\nout = z",
        jax_example="z = x\nz = jnp.fill_diagonal(z, v, wrap=False, inplace=False)\nout = z",
        inputs=(T("x", "N,C"), Choice("v", (-1.5, 2.0))),
        checks=("forward", "jit", "grad"),
        notes=(IN_PLACE, "jnp.fill_diagonal needs inplace=False (JAX arrays are immutable). The diagonal of a "
               "non-square matrix stops at the shorter side in both.",
               "wrap=True (restart the diagonal of a tall matrix) raises NotImplementedError in JAX: not "
               "rewritten; set the rows explicitly with .at[rows, cols].set(value)."),
        values={"wrap": {"False": "False"}},
        sig="fill_value, wrap=False",
        template="{self} = jnp.fill_diagonal({self}, {fill_value}, wrap={wrap}, inplace=False)",
    ),
    Record(
        torch="torch.Tensor.diagonal_scatter",
        jax="jax.Array.at",
        torch_example="out = x.diagonal_scatter(s)",
        jax_example="out = x.at[jnp.arange(s.shape[-1]), jnp.arange(s.shape[-1])].set(jnp.moveaxis(s, -1, 0))",
        inputs=(T("x", "N,N,C"), T("s", "C,N")),
        checks=("forward", "jit", "grad"),
        notes=("x with its main diagonal over dims 0 and 1 replaced by src (the diagonal as src's last axis, as "
               "x.diagonal() returns it). Other offsets and dims are not rewritten: move the two dims to the front "
               "and index with arange(k) and arange(k) + offset.",),
        sig="src, offset=0, dim1=0, dim2=1",
        template="{self}.at[jnp.arange({src}.shape[-1]), jnp.arange({src}.shape[-1])].set(jnp.moveaxis({src}, -1, 0))",
        values={"offset": {"0": "0"}, "dim1": {"0": "0"}, "dim2": {"1": "1"}},
    ),
    Record(
        torch="torch.Tensor.angle",
        jax="jax.numpy.angle",
        status="caveat",
        torch_example="out = x.angle()",
        jax_example="out = jnp.angle(x)",
        inputs=(T("x", "*", nonzero=True),),
        checks=("forward", "jit", "grad"),
        sizes=(0, 4),
        zero_grad="piecewise constant on real inputs (0 or pi): the gradient is zero in both",
        notes=("On real tensors: pi where x < 0, 0 where x > 0, NaN at NaN, in both. At -0.0 torch gives 0, "
               "jnp.angle pi (the sign bit of zero). The gradient at 0 and at NaN is 0 in torch, NaN in JAX "
               "(the derivative of arctan2(0, x)). The draws leave zeros and NaN out.",),
        differences=(Difference(note="x = -0.0: torch 0, jnp.angle pi", torch="out = torch.tensor([-0.0]).angle()",
                                jax="out = jnp.angle(jnp.array([-0.0]))", min_diff=3.0),
                     Difference(note="the gradient at x = 0: torch 0, JAX NaN (isnan shown as 1.0)",
                                torch="x = torch.tensor([0.0], requires_grad=True)\nx.angle().sum().backward()\n"
                                      "out = torch.isnan(x.grad) * 1.0",
                                jax="out = jnp.isnan(jax.grad(lambda x: jnp.angle(x).sum())(jnp.array([0.0]))) * 1.0",
                                min_diff=1.0)),
        sig="",
        template="jnp.angle({self})",
    ),
    # -- histogram, bincount, nonzero_static ----------------------------------------------------------------
    Record(
        torch="torch.Tensor.histogram",
        jax="jax.numpy.histogram",
        status="caveat",
        torch_example="out = x.histogram(b, density=k)",
        jax_example="out = jnp.histogram(x, b, range=None, weights=None, density=k)",
        inputs=(T("x", "N,C", grad=False, normal=True), Choice("b", (4, 1, 7)), Choice("k", (False, True))),
        checks=("forward", "jit"),
        tol=Tol(1e-5, 1e-6, "bin edges from min + i * width: float32 rounding of the width differs"),
        notes=("Both return (counts, bin edges) over equal-width bins of [min, max] (the data's range when range "
               "is None), max in the last bin; density divides by count * width.",
               "A subnormal value (|x| < 1.2e-38) is flushed to zero by XLA on CPU and can change its bin (as for "
               "histc); the draws leave subnormals out.",
               "An empty input without a range: torch returns zeros, jnp.histogram raises (loud)."),
        differences=_record("torch.histc").differences,
        why_not={"grad": "counts are piecewise constant; torch defines no derivative for histogram"},
        sig="bins, *, range=None, weight=None, density=False",
        template="jnp.histogram({self}, {bins}, range={range}, weights={weight}, density={density})",
    ),
    Record(
        torch="torch.Tensor.bincount",
        jax="jax.numpy.bincount",
        status="manual",
        torch_example="out = x.bincount(minlength=m)",
        jax_example="out = jnp.bincount(x, minlength=m)",
        inputs=(T("x", "N", dtype="int64", low=0, high=6), Choice("m", (0, 8))),
        checks=("forward",),
        why_not={"jit": "the output's length is max(x) + 1 (or minlength): pass jnp.bincount a static length= "
                        "under jit"},
        notes=("The counts of 0, 1, ..., max(x) (at least minlength of them) in both, outside jit. With "
               "weights, torch returns float64 for float weights (x64 in JAX).",),
        sig="weights=None, minlength=0",
        reason=_DYNAMIC + ": jnp.bincount(x, weights, minlength=m, length=L) with L known in advance",
    ),
    Record(
        torch="torch.Tensor.nonzero_static",
        jax="jax.numpy.argwhere",
        torch_example="out = x.nonzero_static(size=s, fill_value=f)",
        jax_example="out = jnp.argwhere(x, size=s, fill_value=f)",
        status="caveat",
        inputs=(T("x", "*", dtype="int64", low=-1, high=2, min_rank=1), Choice("s", (0, 2, 7)),
                Choice("f", (-1, 5))),
        checks=("forward", "jit"),
        sizes=(1, 4),
        notes=("The indices of the non-zero elements, one row each, cut or padded with fill_value to size rows: "
               "a static shape in both (jit-friendly).", methods.INT32_NOTE,
               "An input with no elements (a zero-size dimension): torch pads every row with fill_value, "
               "jnp.argwhere returns rows of 0 (found by the fuzz profile and PyTorch's own test inputs). The draws "
               "have no zero-size dimension.",
               "A 0-d input: torch gives shape (size, 0), jnp.argwhere treats it as 1-d (shape (size, 1)); "
               "the draws are at least 1-d."),
        sig="*, size, fill_value=-1",
        template="jnp.argwhere({self}, size={size}, fill_value={fill_value})",
        differences=(Difference(
            note="an empty input: torch fills the rows with fill_value (-1), jnp.argwhere with 0",
            torch="out = torch.zeros(0, 2).nonzero_static(size=2)",
            jax="out = jnp.argwhere(jnp.zeros((0, 2)), size=2, fill_value=-1)",
            min_diff=1.0),),
    ),
    # -- methods of manual functions --------------------------------------------------------------------------
    _method("argwhere", "argwhere", "x", ""),
    _method("cummax", "cummax", "x", "dim"),
    _method("cummin", "cummin", "x", "dim"),
    _method("unique", "unique", "x", "sorted=True, return_inverse=False, return_counts=False, dim=None"),
    Record(
        torch="torch.Tensor.unique_consecutive",
        jax="jax.numpy.concatenate",
        status="manual",
        torch_example="out = x.unique_consecutive(return_counts=True)",
        jax_example="keep = jnp.concatenate([jnp.ones(1, bool), x[1:] != x[:-1]])\n"
                    "starts = jnp.flatnonzero(keep)\nout = (x[keep], jnp.diff(jnp.append(starts, x.size)))",
        inputs=(T("x", "N", dtype="int64", low=0, high=2),),
        checks=("forward",),
        why_not={"jit": _DYNAMIC},
        notes=("The first element of each run of equal values (and the run lengths), in both.",),
        sig="return_inverse=False, return_counts=False, dim=None",
        reason=_DYNAMIC + ": mark where x[i] != x[i - 1] and take those elements (x[keep], eagerly)",
    ),
    # -- index_reduce: .at[] along a dim -----------------------------------------------------------------------
    _INDEX_REDUCE,
    dataclasses.replace(
        _INDEX_REDUCE, torch="torch.Tensor.index_reduce_",
        torch_example="z = x.clone()\nz.index_reduce_(d, idx, src, 'amin')\nout = z",
        jax_example="z = x\nz = z.at[(slice(None),) * (d % z.ndim) + (idx,)].min(src)\nout = z",
        template="{self} = " + _INDEX_REDUCE.template, notes=(IN_PLACE, *_INDEX_REDUCE.notes)),
    # -- the same as another method ---------------------------------------------------------------------------
    dataclasses.replace(_record("torch.Tensor.narrow"), torch="torch.Tensor.narrow_copy",
                        torch_example=_record("torch.Tensor.narrow").torch_example.replace(".narrow(", ".narrow_copy("),
                        inputs=(*_record("torch.Tensor.narrow").inputs[:3], Choice("n", (1, 2))),
                        notes=("As x.narrow: a JAX slice is always a copy.",
                               "A length of 0: torch's gradient of narrow_copy raises (RuntimeError, size mismatch); "
                               "the forward is empty in both. The draws take lengths 1 and 2.")),
    dataclasses.replace(_record("torch.Tensor.chunk"), torch="torch.Tensor.unsafe_chunk",
                        torch_example=_record("torch.Tensor.chunk").torch_example.replace(".chunk(", ".unsafe_chunk("),
                        notes=("As x.chunk; 'unsafe' means torch skips the view checks, which JAX has no use for.",
                               *_record("torch.Tensor.chunk").notes)),
    dataclasses.replace(_record("torch.Tensor.split"), torch="torch.Tensor.unsafe_split",
                        torch_example=_record("torch.Tensor.split").torch_example.replace(".split(", ".unsafe_split("),
                        notes=("As x.split; 'unsafe' means torch skips the view checks, which JAX has no use for.",),
                        sig="split_size, dim=0"),
    dataclasses.replace(_record("torch.Tensor.split_with_sizes"), torch="torch.Tensor.unsafe_split_with_sizes",
                        torch_example=_record("torch.Tensor.split_with_sizes").torch_example.replace(
                            ".split_with_sizes(", ".unsafe_split_with_sizes("),
                        notes=("As x.split_with_sizes; 'unsafe' means torch skips the view checks.",)),
    # -- casts --------------------------------------------------------------------------------------------------
    _cast("byte", "uint8", -300, 300),
    _cast("char", "int8", -300, 300),
    _cast("short", "int16", -70_000, 70_000),
    Record(
        torch="torch.Tensor.cfloat",
        jax="jax.Array.astype",
        torch_example="out = x.cfloat()",
        jax_example="out = x.astype(jnp.complex64)",
        inputs=(T("x", "*", grad=False),),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("The real values with a zero imaginary part, complex64 in both.",),
        sig="memory_format=torch.preserve_format",
        template="{self}.astype(jnp.complex64)",
    ),
    Record(
        torch="torch.Tensor.cdouble",
        jax="jax.Array.astype",
        status="manual",
        torch_example="out = x.cdouble()",
        jax_example="with jax.enable_x64(True):\n    out = x.astype(jnp.complex128)",
        inputs=(T("x", "*", grad=False),),
        checks=("forward",),
        sizes=(0, 4),
        why_not={"jit": "the example scopes x64 around the cast; under x64 jit works as usual"},
        notes=("complex128 exists in JAX only with x64 enabled; without it astype(jnp.complex128) gives "
               "complex64.",),
        sig="memory_format=torch.preserve_format",
        reason=_X64.replace("float64", "complex128").replace("float32", "complex64"),
    ),
    _unsupported("chalf", "out = x.chalf().real.float()", "out = x  # no complex32 in JAX: complex64 is the smallest",
                 "JAX has no complex32 (half-precision complex) dtype: use complex64 (x.astype(jnp.complex64))"),
    Record(
        torch="torch.Tensor.element_size",
        jax="jax.Array.itemsize",
        torch_example="out = (x.element_size(), b.element_size())",
        jax_example="out = (x.itemsize, b.itemsize)",
        inputs=(T("x", "N", grad=False), T("b", "N", dtype="bool")),
        checks=("forward", "jit"),
        status="caveat",
        notes=("Bytes per element: x.itemsize (or x.dtype.itemsize). An int64 tensor has 8 in torch; the same "
               "data in JAX is int32 (4) without x64.",),
        differences=(Difference(note="int64 data: 8 bytes in torch, 4 in JAX without x64 (int32)",
                                torch="out = torch.tensor([1]).element_size()", jax="out = jnp.array([1]).itemsize",
                                min_diff=4.0),),
        template="{self}.itemsize",
    ),
    # -- in-place forms of methods with a record ------------------------------------------------------------
    *[_in_place(n) for n in ("bitwise_left_shift", "conj_physical", "igamma", "igammac", "ldexp", "mvlgamma",
                             "polygamma", "index_put", "masked_scatter", "put", "scatter_add", "scatter_reduce")],
]
