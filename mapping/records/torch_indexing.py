"""`torch.*` indexing: gather / scatter, index_select / index_add, take, masked selection, sorted search.

Scatter-style updates become `x.at[index].set/add/...`; out-of-bounds indices never raise in JAX
(reads clamp or fill, writes are dropped), so several records carry a Difference for that.
"""

from mapping.record import Choice, Difference, Record, T

_OUT = {"out": "JAX arrays are immutable: assign the result instead"}

# Full index tuple for a scatter along `dim`: `index` on that axis, a broadcast iota on the others
# (what torch.scatter_* does elementwise; jnp.put_along_axis builds the same tuple for .set).
# torch's index along one axis, with every other axis read from index's own position (the leading block of input
# when index is smaller there). The holes are the lambda's arguments: a name in them never meets the loop's names.
ALONG_INDEX = ("tuple(index_ if axis_ == dim_ % index_.ndim else grid_ "
               "for axis_, grid_ in enumerate(jnp.indices(index_.shape, sparse=True)))")
_ALONG = f"(lambda input_, index_, dim_: input_.at[{ALONG_INDEX}])({{input}}, {{index}}, {{dim}})"
# the rewrite of an example (names as arguments: the immediately-called lambda is inlined)
_ALONG_EX_INDEX = ALONG_INDEX.replace("index_", "idx").replace("dim_", "d")
_ALONG_EX = f"x.at[{_ALONG_EX_INDEX}]"

_SCATTER_NOTES = (
    "Duplicate indices: torch documents the winner of scatter (set) as undefined, and so does "
    "JAX for .at[].set; on CPU both were measured to keep the last update. Add-style reductions "
    "accumulate every duplicate in both.",
    "torch reads only the leading index.shape block of src; JAX needs src of index's shape: slice "
    "src first when it is larger.",
)
_SCATTER_OOB = Difference(
    note="an out-of-range index: torch raises, a JAX scatter silently drops the update",
    torch="out = torch.scatter(torch.zeros(3), 0, torch.tensor([5]), torch.ones(1))",
    jax="out = jnp.zeros(3).at[jnp.array([5])].set(jnp.ones(1))",
    torch_raises="RuntimeError",
)
_PUT_ALONG = Difference(
    note="an index with fewer rows than input: torch writes row 0 only, jnp.put_along_axis broadcasts it to every row",
    torch="out = torch.scatter(torch.zeros(2, 3), 1, torch.tensor([[0]]), torch.ones(1, 1))",
    jax="out = jnp.put_along_axis(jnp.zeros((2, 3)), jnp.array([[0]]), jnp.ones((1, 1)), axis=1, inplace=False)",
    min_diff=1.0,
)


def _searchsorted(seq: str, values: str, side: str) -> str:
    """jnp.searchsorted for a 1-D sorted sequence, row by row (jnp.vectorize) for torch's batched one."""
    return (f"(jnp.searchsorted({seq}, {values}, side={side}) if jnp.ndim({seq}) == 1 else jnp.vectorize(lambda s_, "
            f"v_: jnp.searchsorted(s_, v_, side={side}), signature='(n),(m)->(m)')({seq}, {values}))")


_SEARCHSORTED = _searchsorted("{sorted_sequence}", "{input}", "{right}")


RECORDS = [
    Record(
        torch="torch.gather",
        jax="jax.numpy.take_along_axis",
        torch_example="out = torch.gather(x, d, idx)",
        jax_example=f"out = x[{_ALONG_EX_INDEX}]",
        inputs=(T("x", "N,5,C"), T("idx", "N,K,C", dtype="int64", low=0, high=5), Choice("d", (1, -2))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 3),
        notes=("torch allows index to be smaller than input along the other axes (it reads a leading "
               "block); jnp.take_along_axis broadcasts a size-1 index axis against input instead (a "
               "different output shape) and rejects other sizes. The rewrite indexes input with index along "
               "dim and index's own positions along the other axes, as torch does.",
               "Out-of-range indices raise in torch; JAX indexing clamps them."),
        differences=(
            Difference(
                note="an out-of-range index: torch raises, JAX indexing clamps it (reads the last element)",
                torch="out = torch.gather(torch.arange(3.0), 0, torch.tensor([5]))",
                jax=f"out = (lambda input_, index_, dim_: input_[{ALONG_INDEX}])(jnp.arange(3.0), jnp.array([5]), 0)",
                torch_raises="RuntimeError",
            ),
        ),
        sig="input, dim, index, *, sparse_grad=False, out=None",
        template=f"(lambda input_, index_, dim_: input_[{ALONG_INDEX}])({{input}}, {{index}}, {{dim}})",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.take_along_dim",
        jax="jax.numpy.take_along_axis",
        torch_example="out = torch.take_along_dim(x, idx, dim=d)",
        jax_example="out = jnp.take_along_axis(x, idx, axis=d)",
        inputs=(T("x", "N,4,C"), T("idx", "1,K,C", dtype="int64", low=0, high=4), Choice("d", (1, -2))),
        checks=("forward", "jit", "grad"),
        sizes=(0, 3),
        notes=("Without dim, torch.take_along_dim indexes the flattened input; jnp.take_along_axis "
               "defaults to axis=-1: the rewrite always passes axis (None when dim is omitted).",
               "Both broadcast index and input along the other axes."),
        differences=(
            Difference(
                note="dim omitted: torch reads flat element 1 (2.0), jnp.take_along_axis column 1 of each row",
                torch="out = torch.take_along_dim(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([[1]])).sum()",
                jax="out = jnp.take_along_axis(jnp.array([[1.0, 2.0], [3.0, 4.0]]), jnp.array([[1]])).sum()",
                min_diff=4.0,
            ),
        ),
        sig="input, indices, dim=None, *, out=None",
        template="jnp.take_along_axis({input}, {indices}, axis={dim})",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.index_select",
        jax="jax.numpy.take",
        torch_example="out = torch.index_select(x, d, idx)",
        jax_example="out = jnp.take(x, idx, axis=d)",
        inputs=(T("x", "N,4,C"), Choice("d", (1, -2)), T("idx", "K", dtype="int64", low=0, high=4)),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 3),
        notes=("Out-of-range indices raise IndexError in torch. In JAX they never raise: jnp.take "
               "fills (NaN for floats) by default and x[idx] clamps to the last element. Validate "
               "indices yourself (or use jax.experimental.checkify) where they can be wrong.",),
        differences=(
            Difference(
                note="an out-of-range index: torch raises IndexError, jnp.take returns NaN",
                torch="out = torch.index_select(torch.arange(3.0), 0, torch.tensor([5]))",
                jax="out = jnp.take(jnp.arange(3.0), jnp.array([5]), axis=0)",
                torch_raises="IndexError",
            ),
            Difference(
                note="an out-of-range index: torch x[idx] raises IndexError, JAX x[idx] clamps",
                torch="out = torch.arange(3.0)[torch.tensor([5])]",
                jax="out = jnp.arange(3.0)[jnp.array([5])]",
                torch_raises="IndexError",
            ),
        ),
        sig="input, dim, index, *, out=None",
        template="jnp.take({input}, {index}, axis={dim})",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.take",
        jax="jax.numpy.take",
        torch_example="out = torch.take(x, idx)",
        jax_example="out = jnp.take(x, indices=idx)",
        inputs=(T("x", "3,N"), T("idx", "K,M", dtype="int64", low=-3, high=3)),
        checks=("forward", "jit", "grad"),
        sizes=(1, 3),
        notes=("Both index the flattened input and wrap negative indices. Out of range: torch raises "
               "IndexError, jnp.take fills with NaN (mode='fill').",),
        differences=(
            Difference(
                note="an out-of-range index: torch raises IndexError, jnp.take returns NaN",
                torch="out = torch.take(torch.arange(3.0), torch.tensor([5]))",
                jax="out = jnp.take(jnp.arange(3.0), jnp.array([5]))",
                torch_raises="IndexError",
            ),
        ),
        sig="input, index",
        rename={"index": "indices"},
    ),
    Record(
        torch="torch.scatter",
        jax="jax.Array.at[...].set",
        torch_example="out = torch.scatter(x, d, idx, src)",
        jax_example=f"out = {_ALONG_EX}.set(src)",
        inputs=(T("x", "N,9"), Choice("d", (1, -1)), T("idx", "N,K", dtype="int64", low=0, high=9, unique=True),
                T("src", "N,K")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 3),
        notes=_SCATTER_NOTES + (
            "Tested with distinct indices (the defined case).",
            "jnp.put_along_axis(x, idx, src, axis=d, inplace=False) reads better and is equal when index "
            "has input's sizes on the other axes; but it broadcasts a smaller index over them, where "
            "torch writes only the leading block. The rewrite builds the index tuple like torch."),
        differences=(_SCATTER_OOB, _PUT_ALONG),
        sig="input, dim, index, src, *, reduce: str = None, out=None",
        template=_ALONG + ".set({src})",
        unsupported_args={**_OUT, "reduce": "see the torch.scatter[reduce] record: .at[...].add / .multiply"},
    ),
    Record(
        torch="torch.scatter",
        variant="value",
        jax="jax.Array.at[...].set",
        torch_example="out = torch.scatter(x, d, idx, v)",
        jax_example=f"out = {_ALONG_EX}.set(v)",
        inputs=(T("x", "N,5"), Choice("d", (1, -1)), T("idx", "N,K", dtype="int64", low=0, high=5),
                Choice("v", (-1.5, 0.0, 2.0))),
        checks=("forward", "jit", "grad"),
        sizes=(0, 3),
        notes=("A scalar value: duplicate indices write the same value, so the result is defined.",),
        sig="input, dim, index, value, *, reduce: str = None, out=None",
        template=_ALONG + ".set({value})",
        unsupported_args={**_OUT, "reduce": "see the torch.scatter[reduce] record: .at[...].add / .multiply"},
    ),
    Record(
        torch="torch.scatter",
        variant="reduce",
        jax="jax.Array.at[...].add",
        torch_example="out = torch.scatter(x, d, idx, src, reduce='add')",
        jax_example=f"out = {_ALONG_EX}.add(src)",
        inputs=(T("x", "N,5", grad=False), Choice("d", (1, -1)), T("idx", "N,K", dtype="int64", low=0, high=5),
                T("src", "N,K", grad=False)),
        checks=("forward", "jit"),
        why_not={"grad": "torch defines no derivative for scatter with reduce= (RuntimeError: not implemented)"},
        sizes=(0, 3),
        notes=("torch.scatter(..., reduce=) is deprecated in favour of scatter_reduce and has no "
               "derivative in torch (so gradients are not compared); .at[].add / .multiply are "
               "differentiable.",
               "The index tuple puts `index` on axis `dim` and a broadcast iota on the other axes."),
        sig="input, dim, index, src, *, reduce: str = None, out=None",
        template=_ALONG + ".{reduce}({src})",
        values={"reduce": {"'add'": "add", "'multiply'": "multiply"}},
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.scatter_add",
        jax="jax.Array.at[...].add",
        torch_example="out = torch.scatter_add(x, d, idx, src)",
        jax_example=f"out = {_ALONG_EX}.add(src)",
        inputs=(T("x", "N,5"), Choice("d", (1, -1)), T("idx", "N,K", dtype="int64", low=0, high=5), T("src", "N,K")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 3),
        notes=_SCATTER_NOTES[1:] + (
            "Duplicate indices accumulate in both; the order of the float additions may differ.",
            "The index tuple puts `index` on axis `dim` and a broadcast iota on the other axes."),
        sig="input, dim, index, src",
        template=_ALONG + ".add({src})",
    ),
    Record(
        torch="torch.scatter_reduce",
        jax="jax.Array.at[...].max",
        torch_example="out = torch.scatter_reduce(x, d, idx, src, 'amax')",
        jax_example=f"out = {_ALONG_EX}.max(src)",
        inputs=(T("x", "N,5"), Choice("d", (1, -1)), T("idx", "N,K", dtype="int64", low=0, high=5), T("src", "N,K")),
        checks=("forward", "jit", "grad"),
        sizes=(0, 3),
        notes=("reduce 'sum', 'prod', 'amax', 'amin' map to .add, .multiply, .max, .min with "
               "include_self=True (the default). Ties share the gradient equally in both (measured).",
               "'mean' and include_self=False have no .at method: compute sums and counts with .add "
               "(and start from an identity-filled array) by hand."),
        sig="input, dim, index, src, reduce, *, include_self=True, out=None",
        template=_ALONG + ".{reduce}({src})",
        values={"reduce": {"'sum'": "add", "'prod'": "multiply", "'amax'": "max", "'amin'": "min"}},
        unsupported_args={**_OUT, "include_self": "no .at equivalent: scatter into an identity-filled array"},
    ),
    Record(
        torch="torch.index_add",
        jax="jax.Array.at[...].add",
        torch_example="out = torch.index_add(x, d, idx, src, alpha=a)",
        jax_example="out = x.at[(slice(None),) * (d % x.ndim) + (idx,)].add(a * src)",
        inputs=(T("x", "N,4,C"), Choice("d", (1, -2)), T("idx", "K", dtype="int64", low=0, high=4),
                T("src", "N,K,C"), Choice("a", (1, -0.5, 2.0))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 3),
        notes=("Duplicate indices accumulate in both.",
               "Out-of-range indices raise in torch; JAX drops those updates."),
        sig="input, dim, index, source, *, alpha=1, out=None",
        template="{input}.at[(slice(None),) * ({dim} % {input}.ndim) + ({index},)].add({alpha} * {source})",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.index_copy",
        jax="jax.Array.at[...].set",
        torch_example="out = torch.index_copy(x, d, idx, src)",
        jax_example="out = x.at[(slice(None),) * (d % x.ndim) + (idx,)].set(src)",
        inputs=(T("x", "N,4,C"), Choice("d", (1, -2)), T("idx", "K", dtype="int64", low=0, high=4, unique=True),
                T("src", "N,K,C")),
        checks=("forward", "jit", "grad"),
        sizes=(0, 3),
        notes=("With duplicate indices the written value is undefined in both; tested with distinct "
               "indices.",),
        sig="input, dim, index, source, *, out=None",
        template="{input}.at[(slice(None),) * ({dim} % {input}.ndim) + ({index},)].set({source})",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.index_fill",
        jax="jax.Array.at[...].set",
        torch_example="out = torch.index_fill(x, d, idx, v)",
        jax_example="out = x.at[(slice(None),) * (d % x.ndim) + (idx,)].set(v)",
        inputs=(T("x", "N,4,C"), Choice("d", (1, -2)), T("idx", "K", dtype="int64", low=0, high=4),
                Choice("v", (-1.0, 0.0, 3.5))),
        checks=("forward", "jit", "grad"),
        sizes=(0, 3),
        sig="input, dim, index, value",
        template="{input}.at[(slice(None),) * ({dim} % {input}.ndim) + ({index},)].set({value})",
    ),
    Record(
        torch="torch.masked_select",
        jax="jax.numpy.where",
        status="manual",
        torch_example="sel = torch.masked_select(x, m)\nout = (sel.sum(), sel.mean())",
        jax_example="out = (jnp.where(m, x, 0).sum(), jnp.where(m, x, 0).sum() / m.sum())",
        inputs=(T("x", "N,C"), T("m", "N,C", dtype="bool")),
        checks=("forward", "jit", "grad"),
        sizes=(0, 4),
        reason="the output length is the number of True entries, unknown until run time, so it cannot "
               "be traced by jax.jit. Keep the shape and mask instead: jnp.where(m, x, 0) followed by the "
               "reduction (sum, mean as sum / m.sum()), or jnp.extract(m, x, size=K, fill_value=0) with a "
               "static bound K. Outside jit, x[m] works as in torch.",
    ),
    Record(
        torch="torch.nonzero",
        jax="jax.numpy.argwhere",
        status="manual",
        torch_example="out = torch.nonzero(x)",
        jax_example="out = jnp.argwhere(x)",
        inputs=(T("x", "N,C", dtype="bool"),),
        checks=("forward",),
        sizes=(0, 4),
        notes=("torch returns int64 indices, JAX int32 (without jax_enable_x64).",
               "as_tuple=True is jnp.nonzero(x), one index array per axis."),
        reason="the number of rows depends on the data, so jnp.argwhere(x) runs only outside jax.jit. "
               "Inside jit pass a static bound: jnp.argwhere(x, size=K, fill_value=-1), or keep masks "
               "(jnp.where) instead of index lists.",
    ),
    Record(
        torch="torch.where",
        variant="condition",
        jax="jax.numpy.nonzero",
        status="manual",
        torch_example="out = torch.where(x)",
        jax_example="out = jnp.nonzero(x)",
        inputs=(T("x", "N,C,H", dtype="bool"),),
        checks=("forward",),
        sizes=(0, 3),
        notes=("One-argument where is nonzero(as_tuple=True): a tuple of index arrays, int64 in torch, "
               "int32 in JAX.",),
        reason="the output length depends on the data, so jnp.nonzero(x) runs only outside jax.jit. "
               "Inside jit pass a static bound (jnp.nonzero(x, size=K, fill_value=-1)) or use the "
               "three-argument jnp.where(cond, a, b), which keeps the shape.",
        sig="condition",
    ),
    Record(
        torch="torch.searchsorted",
        jax="jax.numpy.searchsorted",
        torch_example="out = (torch.searchsorted(s, v), torch.searchsorted(t, w))",
        jax_example="out = (" + ", ".join(_searchsorted(a, b, "'left'") for a, b in (("s", "v"), ("t", "w"))) + ")",
        inputs=(T("s", "N", sort=True, grad=False), T("v", "*", grad=False), T("t", "B,N", sort=True, grad=False),
                T("w", "B,M", grad=False)),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("right=False / True is side='left' / 'right'.",
               "jnp.searchsorted takes a 1-D sorted sequence only: torch's batched form (a sorted row per "
               "leading index of the input, PyTorch3D / NeRF sampling) goes through jnp.vectorize, decided by the "
               "sequence's rank (static under jit).",
               "Indices are int64 in torch, int32 in JAX (without jax_enable_x64)."),
        sig="sorted_sequence, input, *, out_int32=False, right=False, side=None, out=None, sorter=None",
        template=_SEARCHSORTED,
        values={"right": {"False": "'left'", "True": "'right'"}},
        unsupported_args={**_OUT, "side": "pass it through: jnp.searchsorted(..., side=side)",
                          "sorter": "index the sequence first: jnp.searchsorted(s[sorter], v)"},
    ),
    Record(
        torch="torch.searchsorted",
        variant="right",
        jax="jax.numpy.searchsorted",
        torch_example="out = torch.searchsorted(s, v, right=True)",
        jax_example="out = " + _searchsorted("s", "v", "'right'"),
        inputs=(T("s", "N", dtype="int64", sort=True), T("v", "N,C", dtype="int64")),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("Integer inputs, so queries often tie with the sequence: right=True returns the index "
               "after the last equal element in both.",),
        sig="sorted_sequence, input, *, out_int32=False, right=False, side=None, out=None, sorter=None",
        template=_SEARCHSORTED,
        values={"right": {"False": "'left'", "True": "'right'"}},
        unsupported_args={**_OUT, "side": "pass it through: jnp.searchsorted(..., side=side)",
                          "sorter": "index the sequence first: jnp.searchsorted(s[sorter], v)"},
    ),
    Record(
        torch="torch.bucketize",
        jax="jax.numpy.searchsorted",
        torch_example="out = torch.bucketize(x, b)",
        jax_example="out = jnp.searchsorted(b, x, side='left')",
        inputs=(T("x", "N,C", dtype="int64"), T("b", "K", dtype="int64", sort=True)),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("torch.bucketize(x, b, right=False) returns i with b[i-1] < x <= b[i]: that is "
               "jnp.searchsorted(b, x, side='left') (note the swapped arguments).",
               "jnp.digitize uses the opposite convention: its right=False is torch's right=True.",
               "Indices are int64 in torch, int32 in JAX (without jax_enable_x64)."),
        differences=(
            Difference(
                note="jnp.digitize(x, b) puts a value equal to a boundary in the next bucket",
                torch="out = torch.bucketize(torch.tensor([1.0, 2.0, 2.5]), torch.tensor([1.0, 2.0, 3.0]))",
                jax="out = jnp.digitize(jnp.array([1.0, 2.0, 2.5]), jnp.array([1.0, 2.0, 3.0]))",
                min_diff=1,
            ),
        ),
        sig="input, boundaries, *, out_int32=False, right=False, out=None",
        template="jnp.searchsorted({boundaries}, {input}, side={right})",
        values={"right": {"False": "'left'", "True": "'right'"}},
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.masked_fill",
        jax="jax.numpy.where",
        torch_example="out = torch.masked_fill(x, m, v)",
        jax_example="out = jnp.where(m, v, x).astype(x.dtype)",
        inputs=(T("x", "B,T,T"), T("m", "1,T,T", dtype="bool"), Choice("v", (0.0, -1e9, float("-inf")))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="input, mask, value",
        template="jnp.where({mask}, {value}, {input}).astype({input}.dtype)",
        notes=("The filled positions get no gradient in both. The result keeps input's dtype, as in torch: jnp.where "
               "alone promotes (an int input filled with 0.5 gives float32).",),
    ),
    Record(
        torch="torch.select",
        jax="jax.numpy.take",
        torch_example="out = torch.select(x, d, i)",
        jax_example="out = jnp.take(x, i, axis=d)",
        inputs=(T("x", "N,4,C"), Choice("d", (1, -2)), Choice("i", (0, 3, -1, -4))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(1, 3),
        sig="input, dim, index",
        template="jnp.take({input}, {index}, axis={dim})",
        notes=("Removes axis dim, as x[:, i] does; negative indices count from the end in both.",),
        differences=(Difference(note="an out-of-range index: torch raises IndexError, jnp.take returns NaN",
                                torch="out = torch.select(torch.zeros(2, 3), 1, 5)",
                                jax="out = jnp.take(jnp.zeros((2, 3)), 5, axis=1)", torch_raises="IndexError"),),
    ),
    Record(
        torch="torch.select_scatter",
        jax="jax.Array.at",
        torch_example="out = torch.select_scatter(x, src, d, i)",
        jax_example="out = x.at[(slice(None),) * (d % x.ndim) + (i,)].set(src)",
        inputs=(T("x", "N,4,C"), T("src", "N,C"), Choice("d", (1, -2)), Choice("i", (0, 3, -1))),
        checks=("forward", "jit", "grad"),
        sizes=(1, 3),
        sig="input, src, dim, index",
        template="{input}.at[(slice(None),) * ({dim} % {input}.ndim) + ({index},)].set({src})",
        notes=("A copy of input with the slice at index i of axis dim replaced by src.",),
    ),
    Record(
        torch="torch.slice_scatter",
        jax="jax.Array.at",
        torch_example="out = torch.slice_scatter(x, src, dim=d, start=a, end=a + 2)",
        jax_example="out = x.at[(slice(None),) * (d % x.ndim) + (slice(a, a + 2, 1),)].set(src)",
        inputs=(T("x", "N,6,C"), T("src", "N,2,C"), Choice("d", (1, -2)), Choice("a", (0, 2, 4, -4))),
        checks=("forward", "jit", "grad"),
        sizes=(1, 3),
        sig="input, src, dim=0, start=None, end=None, step=1",
        template="{input}.at[(slice(None),) * ({dim} % {input}.ndim) + (slice({start}, {end}, {step}),)].set({src})",
        notes=("src has the shape of the slice in both; negative start and end count from the end in both.",),
    ),
    *[Record(
        torch=f"torch.{name}_indices",
        jax=f"jax.numpy.{name}_indices",
        torch_example=f"out = torch.{name}_indices(r, c, k)",
        jax_example=f"out = jnp.stack(jnp.{name}_indices(r, k, c))",
        inputs=(Choice("r", (3, 1, 4)), Choice("c", (4, 2, 3)), Choice("k", (0, 1, -1, 5))),
        checks=("forward", "jit"),
        sig="row, col, offset=0, *, dtype=None, device=None, layout=None",
        template=f"jnp.stack(jnp.{name}_indices({{row}}, {{offset}}, {{col}}))",
        unsupported_args={"dtype": "the indices are int32 in JAX (int64 with x64): cast with .astype",
                          "device": "see torch.device: jax.device_put", "layout": "JAX arrays are dense"},
        notes=("A 2 x K array of (row, column) indices, row by row, in both; jnp returns a tuple of two arrays "
               "(stacked here). Indices are int64 in torch, int32 in JAX (unless x64 is enabled).",),
    ) for name in ("tril", "triu")],
    Record(
        torch="torch.argwhere",
        jax="jax.numpy.argwhere",
        status="manual",
        torch_example="out = torch.argwhere(x)",
        jax_example="out = jnp.argwhere(x)",
        inputs=(T("x", "N,C", dtype="int64", low=-1, high=2),),
        checks=("forward",),
        sig="input",
        notes=("Indices are int64 in torch, int32 in JAX (unless x64 is enabled).",),
        reason="the number of rows depends on the data, so jnp.argwhere(x) runs only outside jax.jit. Inside jit pass "
               "a static bound: jnp.argwhere(x, size=K, fill_value=-1), or keep masks (jnp.where) instead of indices",
    ),
]
