"""`torch.Tensor` methods and attributes: `jax.Array` methods where one exists, else `jnp` functions.

In-place methods (`x.add_(y)`) become assignments (`x = jnp.add(x, y)`): their templates start
with `{self} = ` and apply only to expression statements.
"""

from mapping.record import Choice, Difference, Dim, Record, T, Tol
from mapping.records.torch_indexing import ALONG_INDEX

# torch dtype literals with an exact JAX counterpart under JAX's default (32-bit) mode. int64 and
# float64 are left out on purpose: see torch.Tensor.long and torch.Tensor.double.
DTYPES = {
    "torch.float32": "jnp.float32", "torch.float": "jnp.float32",
    "torch.float16": "jnp.float16", "torch.half": "jnp.float16",
    "torch.bfloat16": "jnp.bfloat16",
    "torch.int32": "jnp.int32", "torch.int": "jnp.int32",
    "torch.int16": "jnp.int16", "torch.int8": "jnp.int8", "torch.uint8": "jnp.uint8",
    "torch.bool": "jnp.bool_",
}
X64_NOTE = ("int64 and float64 exist in JAX only with x64 enabled (jax.config.update('jax_enable_x64', True) "
            "at start-up); see torch.Tensor.long and torch.Tensor.double.")
IN_PLACE_NOTE = ("In-place in torch: every other name bound to the same tensor (a view, an alias, a module "
                 "buffer) sees the change. JAX arrays are immutable: only the rebound name changes.")
IN_PLACE_STATEMENT = "The rewrite is an assignment: it applies only when the call is a statement of its own."
INT32_NOTE = "Indices are int64 in torch, int32 in JAX (unless x64 is enabled)."


_SCATTER_EX = f"(lambda input_, index_, dim_: input_.at[{ALONG_INDEX}])(z, i, 1).set(s)"


def _in_place(torch_call: str, jax_rhs: str) -> tuple[str, str]:
    """A torch in-place call on a clone (never on a leaf that requires grad) and its JAX rebinding."""
    return (f"z = x.clone()\nz.{torch_call}\nout = z", f"z = x\nz = {jax_rhs}\nout = z")


def _with_alpha(name: str, fn: str, word: str) -> tuple[Record, Record]:
    """x.add(y) / x.sub(y) and their [alpha] variant: alpha scales other first, as in torch.add."""
    common = dict(torch=f"torch.Tensor.{name}", jax=f"jax.numpy.{fn}", checks=("forward", "jit", "grad", "bf16"),
                  sizes=(0, 4), sig="other, *, alpha=1")
    return (
        Record(**common,
               torch_example=f"out = x.{name}(y)",
               jax_example=f"out = jnp.{fn}(x, y)",
               inputs=(T("x", "N,C", special=True), T("y", "1,C")),
               notes=("With alpha: the [alpha] entry.",),
               template=f"jnp.{fn}({{self}}, {{other}})",
               unsupported_args={"alpha": "see the [alpha] entry"}),
        Record(**common,
               variant="alpha",
               torch_example=f"out = x.{name}(y, alpha=s)",
               jax_example=f"out = jnp.{fn}(x, jnp.multiply(s, y))",
               inputs=(T("x", "N,C", special=True), T("y", "1,C"), Choice("s", (2, -0.5))),
               notes=(f"alpha scales other before the {word}, as in torch.{name}.",),
               template=f"jnp.{fn}({{self}}, jnp.multiply({{alpha}}, {{other}}))"),
    )


def _std_var(name: str) -> Record:
    std = name == "std"
    differences = [
        Difference(
            note=f"x.{name}() divides by N-1 in torch and by N in JAX",
            torch=f"out = torch.tensor([1.0, 2.0, 3.0, 4.0]).{name}()",
            jax=f"out = jnp.array([1.0, 2.0, 3.0, 4.0]).{name}()",
            min_diff=0.1,
        ),
    ]
    notes = [f"torch's {name} is unbiased by default (correction=1); jax.Array.{name} defaults to ddof=0: "
             "the rewrite always passes ddof.",
             "The legacy form `unbiased=True/False` is the [unbiased] entry."]
    if std:
        notes.append("Values are equal. Where all values of a slice are equal (std 0) the gradient is 0 in "
                     "torch and nan in JAX (sqrt at 0), also where the squared deviations underflow to 0 "
                     "(a slice [8.6e-38, 0.0]): the test draws distinct values with |x| >= 2**-20. Add an "
                     "epsilon under the square root if constant slices can occur.")
        differences.append(Difference(
            note="gradient of std over a constant slice: torch 0, JAX nan",
            torch="x = torch.ones(3, requires_grad=True)\nx.std().backward()\nout = x.grad.isnan().float()",
            jax="out = jnp.isnan(jax.grad(lambda x: x.std(ddof=1))(jnp.ones(3))).astype(jnp.float32)",
            min_diff=1.0,
        ))
    return Record(
        torch=f"torch.Tensor.{name}",
        jax=f"jax.Array.{name}",
        status="caveat" if std else "verified",
        torch_example=f"out = (x.{name}(), x.{name}(dim=d, keepdim=k))",
        jax_example=f"out = (x.{name}(ddof=1), x.{name}(axis=d, ddof=1, keepdims=k))",
        inputs=(T("x", "N,C", unique=std, nonzero=std), Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(2, 4),
        notes=tuple(notes),
        differences=tuple(differences),
        sig="dim=None, *, correction=1, keepdim=False",
        template=f"{{self}}.{name}(axis={{dim?}}, ddof={{correction}}, keepdims={{keepdim?}})",
        # torch reads correction=None as its default, 1 (JAX: ddof=None raises); 0, 1 and 2 pass as
        # written; another value, or a variable (maybe None), is left to the user
        values={"correction": {"None": "1", "0": "0", "1": "1", "2": "2"}},
    )


def std_var_unbiased(name: str) -> Record:
    """torch's legacy overload x.var(dim, unbiased, keepdim): unbiased=True is ddof=1, False is ddof=0."""
    std = name == "std"
    notes = [f"The legacy keyword of x.{name}: unbiased=True divides by N-1 (ddof=1), unbiased=False by N "
             "(ddof=0). Only a written-out True / False is rewritten; a variable is left to the user."]
    if std:
        notes.append("Where all values of a slice are equal (std 0) the gradient is 0 in torch and nan in JAX "
                     "(sqrt at 0), and so where the variance underflows to 0 in float32 (a slice [8.9e-24, 0]: "
                     "torch -0.40, JAX nan, found by the fuzz profile): the test draws distinct values of "
                     "magnitude >= 2**-20.")
    return Record(
        torch=f"torch.Tensor.{name}",
        variant="unbiased",
        jax=f"jax.Array.{name}",
        status="caveat" if std else "verified",
        torch_example=f"out = (x.{name}(unbiased=False), x.{name}(d, unbiased=True), "
                      f"x.{name}(dim=d, keepdim=k, unbiased=False))",
        jax_example=f"out = (x.{name}(ddof=0), x.{name}(axis=d, ddof=1), x.{name}(axis=d, ddof=0, keepdims=k))",
        # std: distinct values of magnitude >= 2**-20, so no slice's variance underflows to 0 (see notes)
        inputs=(T("x", "N,C", unique=std, nonzero=std), Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(2, 4),
        notes=tuple(notes),
        sig="dim=None, unbiased=True, keepdim=False",
        template=f"{{self}}.{name}(axis={{dim?}}, ddof={{unbiased}}, keepdims={{keepdim?}})",
        values={"unbiased": {"True": "1", "False": "0"}},
    )


def _reduction(name: str, jax_name: str = "", sizes=(0, 4), notes=(), dtype_arg=True, dim: str = "dim",
               needs: dict | None = None) -> Record:
    """`dim`: how the sig writes it (`dim: int`: torch rejects None and tuples there, as in x.prod);
    `needs`: {"keepdim": "dim"} where torch rejects keepdim without dim (`x.sum(keepdim=True)`)."""
    jax_name = jax_name or name
    return Record(
        torch=f"torch.Tensor.{name}",
        jax=f"jax.Array.{jax_name}",
        torch_example=f"out = (x.{name}(), x.{name}(dim=d, keepdim=k))",
        jax_example=f"out = (x.{jax_name}(), x.{jax_name}(axis=d, keepdims=k))",
        inputs=(T("x", "*", unique=True), Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=sizes,
        notes=notes,
        sig=f"{dim}=None, keepdim=False, *, dtype=None" if dtype_arg else f"{dim}=None, keepdim=False",
        template=f"{{self}}.{jax_name}(axis={{dim?}}, keepdims={{keepdim?}})",
        unsupported_args={"dtype": "cast first: x.astype(jnp.<dtype>)"} if dtype_arg else {},
        needs=needs or {},
    )


def _max_min(name: str) -> list[Record]:
    arg = "argmax" if name == "max" else "argmin"
    return [
        Record(
            torch=f"torch.Tensor.{name}",
            jax=f"jax.Array.{name}",
            torch_example=f"out = x.{name}()",
            jax_example=f"out = x.{name}()",
            inputs=(T("x", "*", unique=True),),
            checks=("forward", "jit", "grad", "bf16"),
            notes=("Both propagate nan, but with a nan in the input the gradient is nan everywhere in JAX "
                   "while torch sends it to the nan's position: the test draws finite inputs.",
                   "Empty tensors: torch raises, JAX raises too."),
            sig="dim: int = None, keepdim=False",  # torch: x.max(dim=None) raises
            needs={"keepdim": "dim"},
            unsupported_args={"dim": f"x.{name}(dim) returns (values, indices): see torch.Tensor.{name}[dim]",
                              "keepdim": f"see torch.Tensor.{name}[dim]"},
        ),
        Record(
            torch=f"torch.Tensor.{name}",
            variant="dim",
            jax=f"jax.Array.{name} and jax.Array.{arg}",
            torch_example=f"out = x.{name}(dim=d, keepdim=k)",
            jax_example=f"out = (x.{name}(axis=d, keepdims=k), x.{arg}(axis=d, keepdims=k))",
            inputs=(T("x", "*", min_rank=1, unique=True), Dim("d", "x"), Choice("k", (False, True))),
            checks=("forward", "jit", "grad", "bf16"),
            notes=(f"x.{name}(dim) returns a (values, indices) named tuple: the rewrite is a plain tuple, so "
                   "`[0]`/`[1]` and unpacking work but `.values`/`.indices` do not.",
                   "A nan in a row is both the value and the index in both; the gradient of such a row is "
                   "nan in JAX, not in torch: the test draws finite inputs.",
                   INT32_NOTE,
                   f"x.{name}(other_tensor) (elementwise) is jnp.{'maximum' if name == 'max' else 'minimum'}: "
                   "not this record."),
            sig="dim: int, keepdim: bool = False",
            template=(f"({{self}}.{name}(axis={{dim}}, keepdims={{keepdim?}}), "
                      f"{{self}}.{arg}(axis={{dim}}, keepdims={{keepdim?}}))"),
        ),
    ]


def _arg_reduction(name: str) -> Record:
    return Record(
        torch=f"torch.Tensor.{name}",
        jax=f"jax.Array.{name}",
        torch_example=f"out = (x.{name}(), x.{name}(dim=d, keepdim=k))",
        jax_example=f"out = (x.{name}(), x.{name}(axis=d, keepdims=k))",
        inputs=(T("x", "*", min_rank=1, low=-2, high=2, special=True, grad=False), Dim("d", "x"),
                Choice("k", (False, True))),
        checks=("forward", "jit", "bf16"),
        notes=("Ties: both return the first index; nan counts as the extreme value in both.", INT32_NOTE),
        sig="dim=None, keepdim=False",
        template=f"{{self}}.{name}(axis={{dim?}}, keepdims={{keepdim?}})",
    )


def _all_any(name: str, empty: str) -> Record:
    return Record(
        torch=f"torch.Tensor.{name}",
        jax=f"jax.Array.{name}",
        torch_example=f"out = (x.{name}(), x.{name}(dim=d, keepdim=k), f.{name}())",
        jax_example=f"out = (x.{name}(), x.{name}(axis=d, keepdims=k), f.{name}())",
        inputs=(T("x", "*", dtype="bool", min_rank=1), Dim("d", "x"), Choice("k", (False, True)),
                T("f", "*", special=True, grad=False)),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=(f"On numbers, nonzero (nan included) counts as True in both. {name}() of an empty tensor is "
               f"{empty} in both.",),
        sig="dim=None, keepdim=False",
        template=f"{{self}}.{name}(axis={{dim?}}, keepdims={{keepdim?}})",
    )


def _unary(name: str, target: str, low=-3.0, high=3.0, special=True, notes=(), normal=False, status="verified",
           differences=()) -> Record:
    short = target.replace("jax.numpy.", "jnp.").replace("jax.lax.", "lax.")
    return Record(
        torch=f"torch.Tensor.{name}",
        jax=target,
        torch_example=f"out = x.{name}()",
        jax_example=f"out = {short}(x)",
        inputs=(T("x", "*", low=low, high=high, special=special, normal=normal),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=notes,
        status=status,
        differences=differences,
        sig="",
        template=f"{short}({{self}})",
    )


def _cast(name: str, dtype: str, inputs: tuple, checks: tuple, notes=()) -> Record:
    return Record(
        torch=f"torch.Tensor.{name}",
        jax="jax.Array.astype",
        torch_example=f"out = x.{name}()",
        jax_example=f"out = x.astype(jnp.{dtype})",
        inputs=inputs,
        checks=checks,
        sizes=(0, 4),
        notes=notes,
        sig="memory_format=torch.preserve_format",
        template=f"{{self}}.astype(jnp.{dtype})",
    )


def _compare(name: str, fn: str, aliases: tuple, dtype: str) -> Record:
    ints = dtype == "int64"
    return Record(
        torch=f"torch.Tensor.{name}",
        jax=f"jax.numpy.{fn}",
        aliases=aliases,
        torch_example=f"out = (x.{name}(y), x.{name}(s))",
        jax_example=f"out = (jnp.{fn}(x, y), jnp.{fn}(x, s))",
        inputs=(T("x", "N,C", dtype=dtype, low=0 if ints else -3, high=3, special=not ints, grad=False),
                T("y", "1,C", dtype=dtype, low=0 if ints else -3, high=3, special=not ints, grad=False),
                Choice("s", (0, 1.5))),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("Returns bool in both (no gradient). nan compares unequal to everything, itself included, "
               "in both.",),
        sig="other",
        template=f"jnp.{fn}({{self}}, {{other}})",
    )


def _new(name: str, fn: str, extra_sig: str, torch_args: str, jax_args: str) -> Record:
    return Record(
        torch=f"torch.Tensor.{name}",
        jax=f"jax.numpy.{fn}",
        torch_example=f"out = x.{name}({torch_args})",
        jax_example=f"out = jnp.{fn}({jax_args}, dtype=x.dtype)",
        inputs=(T("x", "N,C"),),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("The new array takes x's dtype, as in torch; no gradient flows to x.",),
        zero_grad="constant in x: the output does not depend on x's values, so its gradient is 0 in both",
        sig=f"{extra_sig}{'' if extra_sig.startswith('*') else ', *'}, dtype=None, device=None, requires_grad=False, "
            "layout=torch.strided, pin_memory=False",
        template=f"jnp.{fn}({{{extra_sig.split(', ')[0].lstrip('*')}}}"
                 + "".join(f", {{{a}}}" for a in extra_sig.split(", ")[1:]) + ", dtype={self}.dtype)",
        unsupported_args={"dtype": f"pass dtype=jnp.<dtype> to jnp.{fn}",
                          "device": "placement is jax.device_put / sharding, not an array-creation argument",
                          "requires_grad": "JAX differentiates w.r.t. function arguments (jax.grad)",
                          "pin_memory": "no pinned host memory in JAX"},
    )


RECORDS = [
    # -- shape and layout ------------------------------------------------------------------------
    Record(
        torch="torch.Tensor.view",
        jax="jax.Array.reshape",
        torch_example="out = x.view(x.shape[0], -1)",
        jax_example="out = x.reshape(x.shape[0], -1)",
        inputs=(T("x", "B,T,C", contiguous=True),),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("view never copies in torch; reshape in JAX is a value (XLA decides about copies).",
               "x.view(dtype) reinterprets bits: use jax.lax.bitcast_convert_type instead "
               "(jax.Array.view(dtype) is numpy's bit view, and this rewrite would turn x.view(torch.int32) "
               "into a broken reshape)."),
        sig="*shape",
    ),
    Record(
        torch="torch.Tensor.reshape",
        jax="jax.Array.reshape",
        torch_example="out = (x.reshape(-1), x.reshape(x.shape[0], -1))",
        jax_example="out = (x.reshape(-1), x.reshape(x.shape[0], -1))",
        inputs=(T("x", "B,T,C"),),
        checks=("forward", "jit", "grad", "bf16"),
        sig="*shape",
    ),
    Record(
        torch="torch.Tensor.view_as",
        jax="jax.Array.reshape",
        aliases=("torch.Tensor.reshape_as",),
        torch_example="out = x.view_as(y)",
        jax_example="out = x.reshape(y.shape)",
        inputs=(T("x", "B,T,C", contiguous=True), T("y", "T,B,C", grad=False)),
        checks=("forward", "jit", "grad", "bf16"),
        sig="other",
        template="{self}.reshape({other}.shape)",
    ),
    Record(
        torch="torch.Tensor.transpose",
        jax="jax.Array.swapaxes",
        torch_example="out = x.transpose(a, b)",
        jax_example="out = x.swapaxes(a, b)",
        inputs=(T("x", "*", min_rank=1), Dim("a", "x"), Dim("b", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("torch's transpose swaps two axes; jax.Array.transpose (numpy's) permutes all axes: "
               "x.transpose(0, 1) silently means something else on a 2-D array and raises on others.",),
        differences=(
            Difference(
                note="x.transpose(0, 1) on a 2-D array: torch swaps the axes, JAX (numpy) keeps the order",
                torch="out = torch.tensor([[0.0, 1.0], [2.0, 3.0]]).transpose(0, 1)",
                jax="out = jnp.array([[0.0, 1.0], [2.0, 3.0]]).transpose(0, 1)",
                min_diff=1.0,
            ),
        ),
        sig="dim0, dim1",
        template="{self}.swapaxes({dim0}, {dim1})",
    ),
    Record(
        torch="torch.Tensor.permute",
        jax="jax.Array.transpose",
        torch_example="out = (x.permute(2, 0, 1), x.permute((-1, 1, 0)))",
        jax_example="out = (x.transpose(2, 0, 1), x.transpose((-1, 1, 0)))",
        inputs=(T("x", "A,B,C"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="*dims",
    ),
    Record(
        torch="torch.Tensor.contiguous",
        jax="(no-op)",
        torch_example="out = x.contiguous()",
        jax_example="out = x",
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("JAX arrays have no strides or memory format: the call disappears.",),
        sig="memory_format=torch.contiguous_format",
        template="{self}",
    ),
    Record(
        torch="torch.Tensor.t",
        jax="jax.Array.T",
        torch_example="out = (x.t(), v.t())",
        jax_example="out = (x.T, v.T)",
        inputs=(T("x", "N,C"), T("v", "C")),
        checks=("forward", "jit", "grad"),
        sizes=(0, 4),
        notes=("torch's t() accepts at most 2-D (0-D and 1-D come back unchanged, as with .T in JAX).",),
        sig="",
        template="{self}.T",
    ),
    Record(
        torch="torch.Tensor.T",
        jax="jax.Array.T",
        torch_example="out = x.T",
        jax_example="out = x.T",
        inputs=(T("x", "N,C"),),
        checks=("forward", "jit", "grad"),
        sizes=(0, 4),
        notes=("An attribute: on 2-D arrays both transpose. On more dimensions both reverse all axes "
               "(torch deprecates that use; for batched matrices use .mT).",),
    ),
    Record(
        torch="torch.Tensor.mT",
        jax="jax.Array.mT",
        torch_example="out = x.mT",
        jax_example="out = x.mT",
        inputs=(T("x", "B,N,C"),),
        checks=("forward", "jit", "grad"),
        sizes=(0, 4),
        notes=("An attribute: swaps the last two axes in both.",),
    ),
    Record(
        torch="torch.Tensor.expand",
        jax="jax.numpy.broadcast_to",
        status="caveat",
        torch_example="out = x.expand(3, 4, x.shape[1])",
        jax_example="out = jnp.broadcast_to(x, (3, 4, x.shape[1]))",
        inputs=(T("x", "1,C"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Equal when every size is given explicitly. torch's -1 ('keep this size', as in "
               "x.expand(B, -1, -1)) is not understood by jnp.broadcast_to, which raises: the codemod writes "
               "each literal -1 as x.shape[i] (sizes align from the right); a -1 held in a variable it cannot "
               "see, so jnp.broadcast_to raises on it.",
               "torch returns a stride-0 view; JAX materialises the result (XLA may fuse it away)."),
        sig="*size",
        template="jnp.broadcast_to({self}, {size})",
    ),
    Record(
        torch="torch.Tensor.expand_as",
        jax="jax.numpy.broadcast_to",
        torch_example="out = x.expand_as(y)",
        jax_example="out = jnp.broadcast_to(x, y.shape)",
        inputs=(T("y", "A,B,C", grad=False), T("x", bcast="y")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="other",
        template="jnp.broadcast_to({self}, {other}.shape)",
    ),
    Record(
        torch="torch.Tensor.repeat",
        jax="jax.numpy.tile",
        torch_example="out = (x.repeat(2, 3), x.repeat(2, 1, 3))",
        jax_example="out = (jnp.tile(x, (2, 3)), jnp.tile(x, (2, 1, 3)))",
        inputs=(T("x", "A,B"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 3),
        notes=("torch's repeat tiles (numpy's tile); jax.Array.repeat is numpy's repeat, which repeats "
               "each element (torch's repeat_interleave). Never keep the method name.",
               "torch needs at least x.ndim repeats; jnp.tile also accepts fewer (it prepends 1s)."),
        differences=(
            Difference(
                note="x.repeat(2): torch tiles [1, 2, 1, 2], jax.Array.repeat gives [1, 1, 2, 2]",
                torch="out = torch.tensor([1.0, 2.0]).repeat(2)",
                jax="out = jnp.array([1.0, 2.0]).repeat(2)",
                min_diff=1.0,
            ),
        ),
        sig="*repeats",
        template="jnp.tile({self}, {repeats})",
    ),
    Record(
        torch="torch.Tensor.unsqueeze",
        jax="jax.numpy.expand_dims",
        torch_example="out = x.unsqueeze(d)",
        jax_example="out = jnp.expand_dims(x, d)",
        inputs=(T("x", "*", min_rank=1), Dim("d", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("x[:, None] style indexing works the same in both.",),
        sig="dim",
        template="jnp.expand_dims({self}, {dim})",
    ),
    Record(
        torch="torch.Tensor.squeeze",
        jax="jax.Array.squeeze",
        torch_example="out = x.squeeze()",
        jax_example="out = x.squeeze()",
        inputs=(T("x", "N,1,C"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(1, 3),
        sig="dim: int | tuple = None",  # torch: x.squeeze(dim=None) raises
        unsupported_args={"dim": "see torch.Tensor.squeeze[dim]: JAX raises where torch ignores a size != 1"},
    ),
    Record(
        torch="torch.Tensor.squeeze",
        variant="dim",
        jax="jax.Array.squeeze",
        status="caveat",
        torch_example="out = x.squeeze(d)",
        jax_example="out = x.squeeze(d)",
        inputs=(T("x", "N,1,C"), Choice("d", (1, -2))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("Equal when the squeezed axis has size 1. torch returns x unchanged when it does not; "
               "JAX raises ValueError (so an axis that is 1 only for some batch sizes breaks loudly).",),
        sig="dim: int | tuple",
    ),
    Record(
        torch="torch.Tensor.flatten",
        jax="jax.lax.collapse",
        torch_example="out = (x.flatten(), x.flatten(1), x.flatten(0, 1), x.flatten(-2))",
        jax_example="out = (lax.collapse(x, 0), lax.collapse(x, 1), lax.collapse(x, 0, 2), lax.collapse(x, -2))",
        inputs=(T("x", "A,B,C"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("jax.Array.flatten is numpy's (no dims; its argument is the memory order): do not keep the "
               "method. lax.collapse's stop is exclusive, torch's end_dim inclusive: the rewrite maps "
               "literal end_dim values; a computed end_dim is left to you.",
               "A 0-d tensor flattens to shape (1,) in both."),
        sig="start_dim=0, end_dim=-1",
        template="lax.collapse({self}, {start_dim}, {end_dim?})",
        values={"end_dim": {"-1": "None", "-2": "-1", "-3": "-2", "0": "1", "1": "2", "2": "3", "3": "4"}},
    ),
    Record(
        torch="torch.Tensor.unflatten",
        jax="jax.Array.reshape",
        torch_example="out = x.unflatten(d, (2, -1))",
        jax_example="out = x.reshape(x.shape[:d] + tuple((2, -1)) + x.shape[d:][1:])",
        inputs=(T("x", "N,6,C"), Choice("d", (1, -2))),
        checks=("forward", "jit", "grad", "bf16"),
        sig="dim, sizes",
        template="{self}.reshape({self}.shape[:{dim}] + tuple({sizes}) + {self}.shape[{dim}:][1:])",
    ),
    Record(
        torch="torch.Tensor.chunk",
        jax="jax.numpy.split",
        status="caveat",
        torch_example="out = x.chunk(n, dim=d)",
        jax_example="out = jnp.split(x, n, axis=d)",
        inputs=(T("x", "N,6,C"), Choice("n", (1, 2, 3, 6)), Choice("d", (1, -2))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("Equal when the size along dim is divisible by chunks (qkv.chunk(3, dim=-1)). Otherwise "
               "jnp.split raises, and jnp.array_split is no substitute: torch makes chunks of "
               "ceil(n / chunks) (the last smaller, maybe fewer chunks), array_split spreads the remainder.",
               "Returns a list in JAX, a tuple in torch."),
        differences=(
            Difference(
                note="7 elements in 3 chunks: torch [3, 3, 1], jnp.array_split [3, 2, 2]",
                torch="out = torch.tensor([len(c) for c in torch.arange(7.0).chunk(3)])",
                jax="out = jnp.array([len(c) for c in jnp.array_split(jnp.arange(7.0), 3)])",
                min_diff=1.0,
            ),
        ),
        sig="chunks, dim=0",
        template="jnp.split({self}, {chunks}, axis={dim?})",
    ),
    Record(
        torch="torch.Tensor.split",
        jax="jax.numpy.split",
        torch_example="out = x.split(s, dim=d)",
        jax_example="out = jnp.split(x, list(range(s, x.shape[d], s)), axis=d)",
        inputs=(T("x", "*", min_rank=1), Choice("s", (1, 2, 3)), Dim("d", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("An int split_size is a chunk size in torch (last chunk smaller); jnp.split's int is a number "
               "of equal sections, so the rewrite passes the split points instead.",
               "A list of sizes is torch.Tensor.split[sizes]."),
        sig="split_size, dim=0",
        template="jnp.split({self}, list(range({split_size}, {self}.shape[{dim}], {split_size})), axis={dim?})",
    ),
    Record(
        torch="torch.Tensor.split",
        variant="sizes",
        jax="jax.numpy.split",
        torch_example="out = x.split([1, 3, 2], dim=d)",
        jax_example="out = jnp.split(x, np.cumsum([1, 3, 2])[:-1], axis=d)",
        inputs=(T("x", "N,6,C"), Choice("d", (1, -2))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("torch takes the sizes of the pieces, jnp.split the indices where to cut: the cumulative "
               "sums without the last. Needs `import numpy as np`.",),
        sig="split_size, dim=0",
        template="jnp.split({self}, np.cumsum({split_size})[:-1], axis={dim?})",
    ),
    Record(
        torch="torch.Tensor.unbind",
        jax="jax.numpy.moveaxis",
        torch_example="out = x.unbind(d)",
        jax_example="out = tuple(jnp.moveaxis(x, d, 0))",
        inputs=(T("x", "*", min_rank=1), Dim("d", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="dim=0",
        template="tuple(jnp.moveaxis({self}, {dim}, 0))",
    ),
    # -- shape queries ---------------------------------------------------------------------------
    Record(
        torch="torch.Tensor.size",
        jax="jax.Array.shape",
        torch_example="out = tuple(x.size())",
        jax_example="out = tuple(x.shape)",
        inputs=(T("x", "*", grad=False),),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("torch.Size is a tuple subclass; x.shape is a plain tuple of ints in JAX.",
               "jax.Array.size is the number of elements (torch's numel), not the shape: "
               "a leftover x.size() raises TypeError ('int' is not callable)."),
        sig="dim=None",
        template="{self}.shape",
        unsupported_args={"dim": "x.size(dim) is x.shape[dim]: see torch.Tensor.size[dim]"},
    ),
    Record(
        torch="torch.Tensor.size",
        variant="dim",
        jax="jax.Array.shape",
        torch_example="out = x.size(d)",
        jax_example="out = x.shape[d]",
        inputs=(T("x", "*", min_rank=1, grad=False), Dim("d", "x")),
        checks=("forward", "jit"),
        sizes=(0, 4),
        sig="dim",
        template="{self}.shape[{dim}]",
    ),
    Record(
        torch="torch.Tensor.shape",
        jax="jax.Array.shape",
        torch_example="out = tuple(x.shape)",
        jax_example="out = tuple(x.shape)",
        inputs=(T("x", "*", grad=False),),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("An attribute in both: torch.Size there, a tuple of ints here; static under jax.jit.",),
    ),
    Record(
        torch="torch.Tensor.dim",
        jax="jax.Array.ndim",
        aliases=("torch.Tensor.ndimension",),
        torch_example="out = x.dim()",
        jax_example="out = x.ndim",
        inputs=(T("x", "*", grad=False),),
        checks=("forward", "jit"),
        sig="",
        template="{self}.ndim",
    ),
    Record(
        torch="torch.Tensor.ndim",
        jax="jax.Array.ndim",
        torch_example="out = x.ndim",
        jax_example="out = x.ndim",
        inputs=(T("x", "*", grad=False),),
        checks=("forward", "jit"),
        notes=("An attribute in both.",),
    ),
    Record(
        torch="torch.Tensor.numel",
        jax="jax.Array.size",
        aliases=("torch.Tensor.nelement",),
        torch_example="out = x.numel()",
        jax_example="out = x.size",
        inputs=(T("x", "*", grad=False),),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("An attribute in JAX, not a method.",),
        sig="",
        template="{self}.size",
    ),
    Record(
        torch="torch.Tensor.is_floating_point",
        jax="jax.numpy.issubdtype",
        torch_example="out = (x.is_floating_point(), i.is_floating_point())",
        jax_example="out = (jnp.issubdtype(x.dtype, jnp.floating), jnp.issubdtype(i.dtype, jnp.floating))",
        inputs=(T("x", "*", grad=False), T("i", "*", dtype="int64")),
        checks=("forward", "jit"),
        notes=("bfloat16 counts as floating in both.",),
        sig="",
        template="jnp.issubdtype({self}.dtype, jnp.floating)",
    ),
    # -- leaving the array world -----------------------------------------------------------------
    Record(
        torch="torch.Tensor.item",
        jax="jax.Array.item",
        status="manual",
        torch_example="out = x.item()",
        jax_example="out = x",
        inputs=(T("x", "", grad=False),),
        checks=("forward", "jit"),
        notes=("Outside jax.jit, x.item() and float(x) work as in torch.",),
        reason="x.item() needs a concrete value: inside jax.jit (a traced training step) it raises "
               "ConcretizationTypeError. Keep the 0-d array inside the jitted function (return the loss "
               "as an array) and call .item() / float() on the result outside it, e.g. only when logging, "
               "since each call waits for the device.",
    ),
    Record(
        torch="torch.Tensor.tolist",
        jax="jax.Array.tolist",
        status="caveat",
        torch_example="out = x.tolist()",
        jax_example="out = x.tolist()",
        inputs=(T("x", "*", special=True, grad=False),),
        checks=("forward",),
        sizes=(0, 4),
        notes=("Equal outside jax.jit (nested lists of Python floats in both); inside a traced function it "
               "raises (the values are not concrete): return the array and convert outside.",),
        sig="",
    ),
    Record(
        torch="torch.Tensor.numpy",
        jax="numpy.asarray",
        status="caveat",
        torch_example="out = x.numpy()",
        jax_example="out = np.asarray(x)",
        inputs=(T("x", "*", special=True, grad=False),),
        checks=("forward",),
        sizes=(0, 4),
        notes=("Equal outside jax.jit; inside a traced function np.asarray raises "
               "(TracerArrayConversionError): return the array and convert outside.",
               "torch's numpy() shares memory and is writable; np.asarray of a jax.Array is a read-only "
               "copy (or view) of the device buffer: writing to it raises.",
               "torch needs x.detach().numpy() for tensors that require grad; JAX has no such flag."),
        sig="*, force=False",
        template="np.asarray({self})",
    ),
    # -- dtype conversions -----------------------------------------------------------------------
    Record(
        torch="torch.Tensor.to",
        variant="dtype",
        jax="jax.Array.astype",
        torch_example="out = (x.to(torch.float16), x.to(torch.bfloat16), x.to(dtype=torch.int32))",
        jax_example="out = (x.astype(jnp.float16), x.astype(jnp.bfloat16), x.astype(jnp.int32))",
        inputs=(T("x", "*", low=-300, high=300),),
        checks=("forward", "jit", "grad"),
        sizes=(0, 4),
        notes=("Only the dtype form: x.to(device) and x.to(other) are other records. The rewrite maps "
               "literal torch dtypes; a dtype held in a variable is left to you (jnp.dtype names differ).",
               "float -> int truncates toward zero in both.",
               X64_NOTE),
        sig="dtype, non_blocking=False, copy=False, memory_format=torch.preserve_format",
        template="{self}.astype({dtype})",
        values={"dtype": DTYPES},
        unsupported_args={"non_blocking": "transfers are asynchronous in JAX already",
                          "copy": "JAX arrays are immutable: there is no aliasing to avoid"},
    ),
    Record(
        torch="torch.Tensor.type",
        jax="jax.Array.astype",
        torch_example="out = (x.type(torch.float16), x.type(torch.int32))",
        jax_example="out = (x.astype(jnp.float16), x.astype(jnp.int32))",
        inputs=(T("x", "*", low=-300, high=300),),
        checks=("forward", "jit", "grad"),
        sizes=(0, 4),
        notes=("x.type() with no argument returns a type string ('torch.FloatTensor'): not rewritten; "
               "x.dtype is the JAX way to ask.",
               X64_NOTE),
        sig="dtype=None, non_blocking=False, **kwargs",
        template="{self}.astype({dtype})",
        values={"dtype": {**DTYPES, "'torch.FloatTensor'": "jnp.float32", "'torch.HalfTensor'": "jnp.float16",
                          "'torch.IntTensor'": "jnp.int32", "'torch.BoolTensor'": "jnp.bool_"}},
        unsupported_args={"non_blocking": "transfers are asynchronous in JAX already"},
    ),
    _cast("float", "float32", (T("x", "*", dtype="bool"),), ("forward", "jit"),
          notes=("Often (pred == y).float().mean(): the bool -> float cast is exact in both.",)),
    _cast("half", "float16", (T("x", "*", low=-1e5, high=1e5, special=True),), ("forward", "jit", "grad"),
          notes=("Out-of-range values round to inf in both (float16 max 65504).",)),
    _cast("bfloat16", "bfloat16", (T("x", "*", low=-1e5, high=1e5, special=True),), ("forward", "jit", "grad"),
          notes=("Round-to-nearest-even in both.",)),
    _cast("int", "int32", (T("x", "*", low=-1e5, high=1e5, grad=False),), ("forward", "jit"),
          notes=("Truncates toward zero in both; nan/inf -> int is undefined in both (not compared).",)),
    _cast("bool", "bool_", (T("x", "*", special=True, grad=False),), ("forward", "jit"),
          notes=("Nonzero (nan included) is True in both.",)),
    Record(
        torch="torch.Tensor.long",
        jax="jax.Array.astype",
        status="caveat",
        torch_example="out = x.long()",
        jax_example="out = x.astype(jnp.int64)",
        inputs=(T("x", "*", low=-1e5, high=1e5, grad=False),),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("Equal within the int32 range. Without x64 JAX silently gives int32 (with a UserWarning), so "
               "values and sums beyond 2**31 - 1 wrap around where torch's int64 does not. Enable x64 "
               "(jax.config.update('jax_enable_x64', True)) if you need int64; for indices and labels "
               "int32 is the idiomatic JAX choice (write jnp.int32 to silence the warning).",),
        differences=(
            Difference(
                note="int64 arithmetic past 2**31 - 1 wraps around in JAX without x64",
                torch="out = torch.tensor([2**31 - 1], dtype=torch.int32).long() + 1",
                jax="out = jnp.array([2**31 - 1], dtype=jnp.int32).astype(jnp.int64) + 1",
                min_diff=2.0**32,
            ),
        ),
        sig="memory_format=torch.preserve_format",
        template="{self}.astype(jnp.int64)",
    ),
    Record(
        torch="torch.Tensor.double",
        jax="jax.Array.astype",
        status="manual",
        torch_example="out = x.double()",
        jax_example="with jax.enable_x64(True):\n    out = x.astype(jnp.float64)",
        inputs=(T("x", "*", special=True, grad=False),),
        checks=("forward",),
        why_not={"grad": "the float64 output exists only inside jax.enable_x64: a VJP cannot cross it"},
        sizes=(0, 4),
        notes=("The JAX example enables x64 only around the cast so the test leaves the global setting "
               "alone; a real program sets it once at start-up.",),
        differences=(
            Difference(
                note="without x64, astype(jnp.float64) silently stays float32 and loses the precision",
                torch="out = torch.tensor([1.0]).double() + 1e-10 - 1.0",
                jax="out = jnp.array([1.0]).astype(jnp.float64) + 1e-10 - 1.0",
                min_diff=5e-11,
            ),
        ),
        reason="float64 exists in JAX only with x64 enabled: call jax.config.update('jax_enable_x64', True) "
               "at start-up (or scope it with `with jax.enable_x64(True):`), then x.astype(jnp.float64). "
               "Without it astype(jnp.float64) silently returns float32 (with a UserWarning). On GPU/TPU "
               "float64 is slow: check you need it.",
    ),
    Record(
        torch="torch.Tensor.type_as",
        jax="jax.Array.astype",
        torch_example="out = (x.type_as(f), x.type_as(i))",
        jax_example="out = (x.astype(f.dtype), x.astype(i.dtype))",
        inputs=(T("x", "*", low=-300, high=300), T("f", "2", grad=False), T("i", "2", dtype="int64")),
        checks=("forward", "jit", "grad"),
        sizes=(0, 4),
        notes=("An int64 `other` gives int32 in JAX without x64.",),
        sig="other",
        template="{self}.astype({other}.dtype)",
    ),
    # -- autograd --------------------------------------------------------------------------------
    Record(
        torch="torch.Tensor.detach",
        jax="jax.lax.stop_gradient",
        torch_example="out = x * x.detach()",
        jax_example="out = x * lax.stop_gradient(x)",
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Both block the gradient: d/dx of x * detach(x) is detach(x), not 2x.",
               "torch's detach shares storage with x; JAX arrays are values, nothing is shared."),
        sig="",
        template="lax.stop_gradient({self})",
    ),
    Record(
        torch="torch.Tensor.clone",
        jax="(the array itself)",
        torch_example="y = x.clone()\nout = y * 2",
        jax_example="y = x\nout = y * 2",
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("JAX arrays are immutable, so a copy is never needed to protect data from in-place "
               "updates; jnp.copy(x) exists if you want a distinct buffer.",
               "Gradients flow through clone in torch, as through the plain name in JAX."),
        sig="*, memory_format=torch.preserve_format",
        template="{self}",
    ),
    Record(
        torch="torch.Tensor.requires_grad_",
        jax="jax.grad",
        status="manual",
        torch_example=("w = x.detach().clone().requires_grad_()\n"
                       "loss = (w ** 3).sum()\n"
                       "loss.backward()\n"
                       "out = w.grad"),
        jax_example="out = jax.grad(lambda w: (w ** 3).sum())(x)",
        inputs=(T("x", "*", grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "the example computes a gradient itself: its output is that gradient"},
        sizes=(0, 4),
        reason="JAX arrays carry no requires_grad flag and no .grad: write the loss as a function of the "
               "arrays to differentiate and call jax.grad / jax.value_and_grad on it (argnums picks the "
               "arguments; for NNX modules nnx.grad with nnx.Param).",
        sig="requires_grad=True",
    ),
    # -- elementwise math --------------------------------------------------------------------------
    _unary("exp", "jax.numpy.exp"),
    _unary("log", "jax.numpy.log", low=0, high=3,
           notes=("log(0) = -inf and log(x < 0) = nan in both.",)),
    _unary("sqrt", "jax.numpy.sqrt", low=0, high=3, normal=True, status="caveat",
           notes=("A subnormal x (0 < x < 1.2e-38) is flushed to zero by XLA on CPU: x.sqrt() at 1e-40 is 1e-20 in "
                  "torch, 0 in JAX, and the gradient 5e19 vs inf; the draws leave subnormals out.",
                  "The gradient at 0 is inf in both."),
           differences=(Difference(note="the gradient at a subnormal x = 1e-40: torch 5e19, JAX inf (x flushed to 0)",
                                   torch="x = torch.tensor([1e-40], requires_grad=True)\nx.sqrt().sum().backward()\n"
                                         "out = x.grad",
                                   jax="out = jax.grad(lambda x: jnp.sqrt(x).sum())(jnp.array([1e-40]))",
                                   min_diff=1e19),)),
    _unary("rsqrt", "jax.lax.rsqrt", low=0, high=3, normal=True, status="caveat",
           notes=("1 / sqrt(x): rsqrt(0) = inf in both.",
                  "A subnormal x (0 < x < 1.2e-38) is flushed to zero by XLA on CPU: x.rsqrt() at 1e-40 is 1e20 in "
                  "torch, inf in JAX; the draws leave subnormals out."),
           differences=(Difference(note="a subnormal x = 1e-40: torch rsqrt 1e20, JAX inf (x flushed to 0)",
                                   torch="out = torch.tensor([1e-40]).rsqrt()",
                                   jax="out = lax.rsqrt(jnp.array([1e-40]))", min_diff=1e19),)),
    Record(
        torch="torch.Tensor.abs",
        jax="jax.numpy.abs",
        status="caveat",
        torch_example="out = (p.abs(), n.abs())",
        jax_example="out = (jnp.abs(p), jnp.abs(n))",
        inputs=(T("p", "*", low=0.125, high=3), T("n", "*", low=-3, high=-0.125)),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("The gradient at exactly 0 differs: torch uses sign(0) = 0, JAX passes 1 (measured; at nan: "
               "torch 0, JAX -1); values are equal (nan and inf included). The test draws nonzero "
               "inputs; the difference is demonstrated below. It matters for L1 penalties on exact zeros.",),
        differences=(
            Difference(
                note="d/dx |x| at x = 0: torch 0, JAX 1",
                torch="x = torch.zeros(3, requires_grad=True)\nx.abs().sum().backward()\nout = x.grad",
                jax="out = jax.grad(lambda x: jnp.abs(x).sum())(jnp.zeros(3))",
                min_diff=1.0,
            ),
        ),
        sig="",
        template="jnp.abs({self})",
    ),
    _unary("tanh", "jax.numpy.tanh"),
    _unary("sigmoid", "jax.nn.sigmoid"),
    _unary("relu", "jax.nn.relu", special=False, normal=True, status="caveat",
           notes=("The gradient at 0 is 0 in both. At a nan input (nan output) torch passes the gradient, "
                  "JAX gives 0: the test draws finite inputs.",
                  "At a subnormal positive input (0 < x < 1.2e-38) the gradient differs: XLA on CPU flushes x to "
                  "0, so JAX gives 0 where torch gives 1 (the draws leave subnormals out)."),
           differences=(Difference(
               note="gradient at a subnormal x = 1e-40: torch 1 (x > 0), JAX 0 (XLA:CPU flushes x to 0)",
               torch="x = torch.tensor([1e-40], requires_grad=True)\nx.relu().sum().backward()\nout = x.grad",
               jax="out = jax.grad(lambda x: jax.nn.relu(x).sum())(jnp.array([1e-40]))",
               min_diff=1.0),)),
    Record(
        torch="torch.Tensor.pow",
        jax="jax.numpy.power",
        torch_example="out = (x.pow(e), x.pow(y))",
        jax_example="out = (jnp.power(x, e), jnp.power(x, y))",
        inputs=(T("x", "N,C", low=0.125, high=3), T("y", "N,C", low=-2, high=2), Choice("e", (2, 3, 0.5, -1.0))),
        checks=("forward", "jit", "grad", "bf16"),
        grad_tol=Tol(1e-4, 1e-5, "the gradient for a broadcast base sums y * x ** (y - 1) over the broadcast "
                     "axis: on PyTorch's OpInfo (10, 1, 5) ** (1, 10, 5) sample (values up to 9) terms up to 2.5e4 "
                     "cancel to 9.26, where torch is 2.2e-4 and JAX 1.7e-4 relative from float64, 4.6e-4 apart"),
        status="caveat",
        notes=("At 0 ** 0 the derivative with respect to the base is 0 in torch and NaN in JAX.",
               "An integer exponent is exact repeated multiplication in both. Negative bases with "
               "fractional exponents give nan in both.",
               "The function form rather than `**` keeps the rewrite right whatever expression the "
               "exponent is."),
        differences=(
            Difference(
                note="d/dx of x.pow(y) at x = 0, y = 0: torch 0, JAX NaN",
                torch="x = torch.zeros(1, requires_grad=True)\nx.pow(torch.zeros(1)).sum().backward()\nout = x.grad",
                jax="out = jnp.nan_to_num(jax.grad(lambda x: jnp.power(x, jnp.zeros(1)).sum())(jnp.zeros(1)), nan=7.0)",
                min_diff=7.0,
            ),
        ),
        sig="exponent",
        template="jnp.power({self}, {exponent})",
    ),
    Record(
        torch="torch.Tensor.clamp",
        jax="jax.numpy.clip",
        aliases=("torch.Tensor.clip",),
        status="caveat",
        torch_example="out = (x.clamp(lo, hi), x.clamp(min=lo), x.clamp(max=hi))",
        jax_example="out = (jnp.clip(x, min=lo, max=hi), jnp.clip(x, min=lo), jnp.clip(x, max=hi))",
        inputs=(T("x", "*", special=True), Choice("lo", (-1.2345,)), Choice("hi", (0.8765, 2.3456))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Gradients differ only where x equals a bound exactly: torch passes the full gradient (1), "
               "jnp.clip splits it (0.5, from max/min ties); values are equal. The test draws bounds "
               "that the inputs never hit; the difference is demonstrated below.",
               "nan stays nan in both."),
        differences=(
            Difference(
                note="d/dx clamp(x, 0, 1) at x = 0 and x = 1: torch 1, jnp.clip 0.5",
                torch=("x = torch.tensor([0.0, 1.0, 0.5], requires_grad=True)\n"
                       "x.clamp(0.0, 1.0).sum().backward()\n"
                       "out = x.grad"),
                jax="out = jax.grad(lambda x: jnp.clip(x, 0.0, 1.0).sum())(jnp.array([0.0, 1.0, 0.5]))",
                min_diff=0.5,
            ),
        ),
        sig="min=None, max=None",
        template="jnp.clip({self}, min={min?}, max={max?})",
    ),
    # -- reductions --------------------------------------------------------------------------------
    _reduction("sum", notes=("Sums of bool/int tensors are int64 in torch, int32 in JAX without x64.",),
               needs={"keepdim": "dim"}),
    _reduction("mean", notes=("The mean of an empty slice is nan in both.",), needs={"keepdim": "dim"}),
    _reduction("prod", sizes=(0, 3), notes=("The gradient with zeros in the slice is exact in both.",), dim="dim: int",
               needs={"keepdim": "dim"}),
    _reduction("amax", "max", sizes=(1, 4), dtype_arg=False,
               notes=("Ties share the gradient equally in both; the test draws distinct values.",)),
    _reduction("amin", "min", sizes=(1, 4), dtype_arg=False,
               notes=("Ties share the gradient equally in both; the test draws distinct values.",)),
    *_max_min("max"),
    *_max_min("min"),
    _arg_reduction("argmax"),
    _arg_reduction("argmin"),
    _std_var("std"),
    _std_var("var"),
    std_var_unbiased("std"),
    std_var_unbiased("var"),
    Record(
        torch="torch.Tensor.logsumexp",
        jax="jax.nn.logsumexp",
        torch_example="out = x.logsumexp(d, keepdim=k)",
        jax_example="out = jax.nn.logsumexp(x, axis=d, keepdims=k)",
        inputs=(T("x", "*", min_rank=1, low=-50, high=50), Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit", "grad", "bf16"),
        sig="dim, keepdim=False",
        template="jax.nn.logsumexp({self}, axis={dim}, keepdims={keepdim?})",
    ),
    _all_any("all", "True"),
    _all_any("any", "False"),
    Record(
        torch="torch.Tensor.norm",
        jax="jax.numpy.linalg.norm",
        status="caveat",
        torch_example="out = (x.norm(), x.norm(dim=d, keepdim=k), x.norm(2, dim=d))",
        jax_example=("out = (jnp.linalg.norm(x), jnp.linalg.norm(x, axis=d, keepdims=k), "
                     "jnp.linalg.norm(x, ord=None, axis=d))"),
        inputs=(T("x", "*", min_rank=1, low=0.5, high=3), Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("The 2-norm (torch's default 'fro' over all dims or the given dims). The rewrite maps "
               "p in {'fro', 2} to ord=None: jnp.linalg.norm(x, ord=2) on a matrix is the spectral norm, "
               "not torch's entrywise 2-norm. Other p are left to you.",
               "Values are equal; the gradient at an all-zero vector is 0 in torch and nan in JAX "
               "(sqrt at 0). The test draws positive inputs; guard with jnp.where or add an epsilon."),
        differences=(
            Difference(
                note="gradient of the norm at the zero vector: torch 0, JAX nan",
                torch=("x = torch.zeros(3, requires_grad=True)\n"
                       "x.norm().backward()\n"
                       "out = x.grad.isnan().float()"),
                jax="out = jnp.isnan(jax.grad(lambda x: jnp.linalg.norm(x))(jnp.zeros(3))).astype(jnp.float32)",
                min_diff=1.0,
            ),
        ),
        sig="p='fro', dim=None, keepdim=False, dtype=None",
        template="jnp.linalg.norm({self}, ord={p?}, axis={dim?}, keepdims={keepdim?})",
        values={"p": {"'fro'": "None", "2": "None", "2.0": "None"}},
        unsupported_args={"dtype": "cast first: x.astype(jnp.<dtype>)"},
    ),
    Record(
        torch="torch.Tensor.cumsum",
        jax="jax.Array.cumsum",
        torch_example="out = x.cumsum(d)",
        jax_example="out = x.cumsum(axis=d)",
        inputs=(T("x", "*", min_rank=1), Dim("d", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("torch requires dim; jax.Array.cumsum without axis flattens first.",),
        sig="dim, *, dtype=None",
        template="{self}.cumsum(axis={dim})",
        unsupported_args={"dtype": "cast first: x.astype(jnp.<dtype>)"},
    ),
    # -- softmax -----------------------------------------------------------------------------------
    Record(
        torch="torch.Tensor.softmax",
        jax="jax.nn.softmax",
        torch_example="out = x.softmax(d)",
        jax_example="out = jax.nn.softmax(x, axis=d)",
        inputs=(T("x", "*", min_rank=1, low=-10, high=10), Dim("d", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="dim, dtype=None",
        template="jax.nn.softmax({self}, axis={dim})",
        unsupported_args={"dtype": "cast first: x.astype(jnp.<dtype>)"},
    ),
    Record(
        torch="torch.Tensor.log_softmax",
        jax="jax.nn.log_softmax",
        torch_example="out = x.log_softmax(d)",
        jax_example="out = jax.nn.log_softmax(x, axis=d)",
        inputs=(T("x", "*", min_rank=1, low=-10, high=10), Dim("d", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="dim, dtype=None",
        template="jax.nn.log_softmax({self}, axis={dim})",
        unsupported_args={"dtype": "cast first: x.astype(jnp.<dtype>)"},
    ),
    # -- matmul ------------------------------------------------------------------------------------
    Record(
        torch="torch.Tensor.matmul",
        jax="jax.numpy.matmul",
        torch_example="out = (x.matmul(w), x.matmul(v))",
        jax_example="out = (jnp.matmul(x, w), jnp.matmul(x, v))",
        inputs=(T("x", "B,N,K"), T("w", "K,M"), T("v", "K")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-5, 1e-5, "float32 dot products: BLAS (torch) and XLA (JAX) sum in different orders (as "
                            "torch.matmul); on PyTorch's OpInfo inputs up to 3.05e-5 on an entry of 2.7"),
        sizes=(0, 4),
        notes=("The function form rather than `@` keeps the rewrite right whatever expression the "
               "argument is.", "On GPU, JAX may use TF32 for float32 matmuls by default (precision=)."),
        sig="other",
        template="jnp.matmul({self}, {other})",
    ),
    Record(
        torch="torch.Tensor.mm",
        jax="jax.numpy.matmul",
        torch_example="out = x.mm(w)",
        jax_example="out = jnp.matmul(x, w)",
        inputs=(T("x", "N,K"), T("w", "K,M")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("torch's mm accepts only 2-D tensors; jnp.matmul also broadcasts batches.",),
        sig="mat2",
        template="jnp.matmul({self}, {mat2})",
    ),
    Record(
        torch="torch.Tensor.bmm",
        jax="jax.numpy.matmul",
        torch_example="out = x.bmm(w)",
        jax_example="out = jnp.matmul(x, w)",
        inputs=(T("x", "B,N,K"), T("w", "B,K,M")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-5, 1e-4, "float32 dot products summed in different orders (BLAS vs XLA): the error grows with "
                            "K * eps * sum |x w|, not with the result; on PyTorch's OpInfo inputs (values up to 9, "
                            "K = 5) an entry cancelling to -0.18 differed by 3.05e-5"),
        sizes=(0, 4),
        notes=("torch's bmm accepts only 3-D tensors with equal batch sizes; jnp.matmul also broadcasts.",),
        sig="mat2",
        template="jnp.matmul({self}, {mat2})",
    ),
    # -- creation from an existing tensor ------------------------------------------------------------
    _new("new_zeros", "zeros", "*size", "2, x.shape[0]", "(2, x.shape[0])"),  # torch takes the sizes or one tuple
    _new("new_ones", "ones", "*size", "(x.shape[1], 3)", "(x.shape[1], 3)"),
    _new("new_full", "full", "size, fill_value", "(3, x.shape[0]), -1.5", "(3, x.shape[0]), -1.5"),
    _new("new_tensor", "asarray", "data", "[[1.0, 2.5], [-3.0, 0.25]]", "[[1.0, 2.5], [-3.0, 0.25]]"),
    # -- indexing ----------------------------------------------------------------------------------
    Record(
        torch="torch.Tensor.masked_fill",
        jax="jax.numpy.where",
        torch_example="out = x.masked_fill(m, v)",
        jax_example="out = jnp.where(m, v, x).astype(x.dtype)",
        inputs=(T("x", "B,T,T"), T("m", "1,T,T", dtype="bool"), Choice("v", (0.0, -1e9, float("-inf")))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("The filled positions get no gradient in both.",
               "A mask of lower rank broadcasts in both, but fails under "
               "jax_numpy_rank_promotion='raise': give it the full rank (mask[None, None]).",
               "The result keeps x's dtype, as in torch: jnp.where alone promotes (a bool x filled with 0 gives "
               "int32, an int x filled with 0.5 gives float32; PyTorch's OpInfo inputs found it)."),
        sig="mask, value",
        template="jnp.where({mask}, {value}, {self}).astype({self}.dtype)",
    ),
    Record(
        torch="torch.Tensor.where",
        jax="jax.numpy.where",
        torch_example="out = x.where(c, y)",
        jax_example="out = jnp.where(c, x, y)",
        inputs=(T("x", "N,C"), T("c", "N,C", dtype="bool"), T("y", "1,C")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("x.where(c, y) keeps x where c holds: the receiver is the *second* argument of jnp.where.",),
        sig="condition, other",
        template="jnp.where({condition}, {self}, {other})",
    ),
    Record(
        torch="torch.Tensor.index_select",
        jax="jax.numpy.take",
        torch_example="out = x.index_select(d, i)",
        jax_example="out = jnp.take(x, i, axis=d)",
        inputs=(T("x", "N,5,C"), Choice("d", (1, -2)), T("i", "K", dtype="int64", low=0, high=5)),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Repeated indices accumulate their gradients in both.",
               "Out-of-range indices raise in torch; jnp.take returns NaN for them (mode='fill') "
               "without an error."),
        differences=(
            Difference(
                note="an index past the end: torch raises IndexError, jnp.take fills with NaN",
                torch="out = torch.arange(3.0).index_select(0, torch.tensor([5]))",
                jax="out = jnp.take(jnp.arange(3.0), jnp.array([5]), axis=0)",
                torch_raises="IndexError",
            ),
        ),
        sig="dim, index",
        template="jnp.take({self}, {index}, axis={dim})",
    ),
    Record(
        torch="torch.Tensor.gather",
        jax="jax.numpy.take_along_axis",
        torch_example="out = x.gather(d, i)",
        jax_example="out = x[{}]".format(ALONG_INDEX.replace("index_", "i").replace("dim_", "d")),
        inputs=(T("x", "N,5"), Choice("d", (1, -1)), T("i", "N,K", dtype="int64", low=0, high=5)),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("torch also allows an index smaller than x in the other dims (it reads their leading block): "
               "the rewrite indexes x with index along dim and index's own positions along the other axes, as "
               "torch does (jnp.take_along_axis would broadcast a size-1 index axis, or raise).",
               "Out-of-range indices raise in torch; JAX indexing clamps them."),
        sig="dim, index, *, sparse_grad=False",
        template=f"(lambda input_, index_, dim_: input_[{ALONG_INDEX}])({{self}}, {{index}}, {{dim}})",
    ),
    Record(
        torch="torch.Tensor.scatter",
        jax="jax.numpy.put_along_axis",
        torch_example="out = x.scatter(1, i, s)",
        jax_example=(
            "out = x.at[tuple(i if axis_ == 1 % i.ndim else grid_ for axis_, "
            "grid_ in enumerate(jnp.indices(i.shape, sparse=True)))].set(s)"
        ),
        inputs=(T("x", "N,5"), T("i", "N,1", dtype="int64", low=0, high=5), T("s", "N,1")),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("Equal when no position is written twice (one index per row, as in one-hot building). "
               "With duplicates torch and JAX each keep one of the values, unspecified which.",
               "An index smaller than x in the other dims writes their leading block in torch and in the "
               "rewrite (jnp.put_along_axis would broadcast it over every row). src must have index's shape "
               "(torch also accepts a larger src); a scalar value works in both.",
               "Out-of-range indices raise in torch; JAX drops those writes silently.",
               "reduce= is not rewritten (use .at[].add/.multiply)."),
        sig="dim, index, src, *, reduce: str = None",  # torch: reduce=None raises
        template=f"(lambda input_, index_, dim_: input_.at[{ALONG_INDEX}])({{self}}, {{index}}, {{dim}}).set({{src}})",
        unsupported_args={"reduce": "use x.at[...].add / .multiply with explicit indices"},
    ),
    Record(
        torch="torch.Tensor.masked_select",
        jax="jax.numpy.where",
        status="manual",
        torch_example="out = x.masked_select(m)",
        jax_example="out = x[m]",
        inputs=(T("x", "N,C"), T("m", "N,C", dtype="bool")),
        checks=("forward", "grad"),
        sizes=(0, 4),
        reason="The result's length depends on the mask's values: x[m] works outside jax.jit only. Inside "
               "jit keep the shape static: jnp.where(m, x, 0) and reduce (e.g. sums / m.sum() for a "
               "masked mean), or jnp.nonzero(m, size=K, fill_value=...) with a static bound K.",
        sig="mask",
    ),
    Record(
        torch="torch.Tensor.nonzero",
        jax="jax.numpy.argwhere",
        status="manual",
        torch_example="out = x.nonzero()",
        jax_example="out = jnp.argwhere(x)",
        inputs=(T("x", "*", low=-1, high=2, dtype="int64"),),
        checks=("forward",),
        sizes=(0, 4),
        notes=(INT32_NOTE,),
        reason="The number of rows depends on the values: jnp.argwhere(x) works outside jax.jit only. Inside "
               "jit pass a static bound: jnp.argwhere(x, size=K, fill_value=-1), or avoid the indices "
               "altogether with jnp.where(x != 0, ..., ...).",
        sig="*, as_tuple=False",
    ),
    # -- reordering --------------------------------------------------------------------------------
    Record(
        torch="torch.Tensor.flip",
        jax="jax.numpy.flip",
        torch_example="out = (x.flip(d), x.flip((0, -1)))",
        jax_example="out = (jnp.flip(x, d), jnp.flip(x, (0, -1)))",
        inputs=(T("x", "*", min_rank=2), Dim("d", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="*dims",  # x.flip(0), x.flip(0, 1), x.flip((0, 1)), x.flip(dims=(0,)); torch rejects x.flip(dims=0)
        template="jnp.flip({self}, {dims})",
    ),
    Record(
        torch="torch.Tensor.roll",
        jax="jax.numpy.roll",
        torch_example="out = (x.roll(s, d), x.roll(s))",
        jax_example="out = (jnp.roll(x, s, axis=d), jnp.roll(x, s))",
        inputs=(T("x", "*", min_rank=1), Choice("s", (1, -2, 5)), Dim("d", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Without dims both flatten, roll and restore the shape.",),
        sig="shifts, dims=None",
        template="jnp.roll({self}, {shifts}, axis={dims?})",
    ),
    Record(
        torch="torch.Tensor.sort",
        jax="jax.numpy.sort and jax.numpy.argsort",
        torch_example="out = x.sort(dim=d, descending=r)",
        jax_example="out = (jnp.sort(x, axis=d, descending=r), jnp.argsort(x, axis=d, descending=r))",
        inputs=(T("x", "*", min_rank=1, unique=True), Dim("d", "x"), Choice("r", (False, True))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Returns (values, indices) in torch: the rewrite builds the tuple (so .values/.indices "
               "become [0]/[1]).",
               "With ties torch's default sort is not stable, JAX's is: indices of equal values may differ "
               "(values do not). The test draws distinct values.", INT32_NOTE),
        status="caveat",
        differences=(Difference(note="indices of equal values: torch's order differs from JAX's stable one",
                               torch="x = torch.zeros(17)\nx[::3] = 1.0\nout = x.sort().indices",
                               jax="out = jnp.argsort(jnp.zeros(17).at[::3].set(1.0))", min_diff=1.0),),
        sig="dim=-1, descending=False, *, stable=False",
        template="(jnp.sort({self}, axis={dim?}, descending={descending?}), "
                 "jnp.argsort({self}, axis={dim?}, descending={descending?}, stable={stable?}))",
    ),
    Record(
        torch="torch.Tensor.argsort",
        jax="jax.numpy.argsort",
        torch_example="out = x.argsort(dim=d, descending=r)",
        jax_example="out = jnp.argsort(x, axis=d, descending=r)",
        inputs=(T("x", "*", min_rank=1, unique=True, grad=False), Dim("d", "x"), Choice("r", (False, True))),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("With ties torch's default is not stable, JAX's is: the test draws distinct values.", INT32_NOTE),
        status="caveat",
        differences=(Difference(note="indices of equal values: torch's order differs from JAX's stable one",
                               torch="x = torch.zeros(17)\nx[::3] = 1.0\nout = x.argsort()",
                               jax="out = jnp.argsort(jnp.zeros(17).at[::3].set(1.0))", min_diff=1.0),),
        sig="dim=-1, descending=False, *, stable=False",
        template="jnp.argsort({self}, axis={dim?}, descending={descending?}, stable={stable?})",
    ),
    Record(
        torch="torch.Tensor.argsort",
        variant="stable",
        jax="jax.numpy.argsort",
        torch_example="out = x.argsort(dim=d, descending=r, stable=True)",
        jax_example="out = jnp.argsort(x, axis=d, descending=r, stable=True)",
        # few distinct values: many ties, whose order stable=True fixes
        inputs=(T("x", "*", dtype="int64", low=0, high=3, min_rank=1), Dim("d", "x"), Choice("r", (False, True))),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("With stable=True ties keep their input order in both, descending included.", INT32_NOTE),
        sig="dim=-1, descending=False, *, stable=False",
        template="jnp.argsort({self}, axis={dim?}, descending={descending?}, stable={stable?})",
    ),
    Record(
        torch="torch.Tensor.topk",
        jax="jax.lax.top_k",
        torch_example="out = (x.topk(k), x.topk(k, dim=d))",
        jax_example="out = (lax.top_k(x, k), lax.top_k(x, k, axis=d))",
        inputs=(T("x", "N,C", unique=True), Choice("k", (1, 2)), Choice("d", (0, 1, -2))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(2, 4),
        notes=("Returns (values, indices), largest first, in both.", INT32_NOTE,
               "With equal values torch orders their indices its own way, lax.top_k puts the lower index first: "
               "the indices of ties differ (the values do not). The test draws distinct values."),
        status="caveat",
        differences=(Difference(note="indices of equal values: torch's order differs from JAX's stable one",
                               torch="out = torch.tensor([1.0, 0.0, 0.0, 1.0]).topk(3).indices",
                               jax="out = lax.top_k(jnp.array([1.0, 0.0, 0.0, 1.0]), 3)[1]", min_diff=1.0),),
        sig="k, dim=-1, largest=True, sorted=True",
        template="lax.top_k({self}, {k}, axis={dim?})",
        unsupported_args={"largest": "for the smallest use lax.top_k(-x, k) and negate the values",
                          "sorted": "lax.top_k always returns sorted values"},
    ),
    # -- comparisons -------------------------------------------------------------------------------
    _compare("eq", "equal", (), "int64"),
    _compare("ne", "not_equal", ("torch.Tensor.not_equal",), "int64"),
    _compare("lt", "less", ("torch.Tensor.less",), "float32"),
    _compare("gt", "greater", ("torch.Tensor.greater",), "float32"),
    _compare("le", "less_equal", ("torch.Tensor.less_equal",), "float32"),
    _compare("ge", "greater_equal", ("torch.Tensor.greater_equal",), "float32"),
    # -- in-place ----------------------------------------------------------------------------------
    Record(
        torch="torch.Tensor.masked_fill_",
        jax="jax.numpy.where",
        torch_example=_in_place("masked_fill_(m, v)", "jnp.where(m, v, z).astype(z.dtype)")[0],
        jax_example=_in_place("masked_fill_(m, v)", "jnp.where(m, v, z).astype(z.dtype)")[1],
        inputs=(T("x", "B,T,T"), T("m", "1,T,T", dtype="bool"), Choice("v", (0.0, -1e9, float("-inf")))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(IN_PLACE_NOTE, IN_PLACE_STATEMENT, "The result keeps x's dtype, as torch's in-place fill does: "
               "jnp.where alone promotes (an int x filled with 0.5 gives float32)."),
        sig="mask, value",
        template="{self} = jnp.where({mask}, {value}, {self}).astype({self}.dtype)",
    ),
    *_with_alpha("add", "add", "sum"),
    *_with_alpha("sub", "subtract", "difference"),
    Record(
        torch="torch.Tensor.mul",
        jax="jax.numpy.multiply",
        torch_example="out = x.mul(y)",
        jax_example="out = jnp.multiply(x, y)",
        inputs=(T("x", "N,C", special=True), T("y", "1,C")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="other",
        template="jnp.multiply({self}, {other})",
    ),
    Record(
        torch="torch.Tensor.div",
        jax="jax.numpy.divide",
        torch_example="out = x.div(y)",
        jax_example="out = jnp.divide(x, y)",
        inputs=(T("x", "N,C", special=True), T("y", "1,C", nonzero=True)),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("True division in both; for rounding_mode see torch.div[floor] and torch.div[trunc].",),
        sig="other, *, rounding_mode=None",
        template="jnp.divide({self}, {other})",
        unsupported_args={"rounding_mode": "'floor' -> jnp.floor_divide; 'trunc' -> jnp.trunc(jnp.divide(x, y))"},
    ),
    Record(
        torch="torch.Tensor.backward",
        jax="jax.grad",
        status="manual",
        torch_example="w = x.detach().requires_grad_()\n(w ** 3).sum().backward()\nout = w.grad",
        jax_example="out = jax.grad(lambda w: (w ** 3).sum())(x)",
        inputs=(T("x", "*"),),
        checks=("forward", "jit"),
        why_not={"grad": "the example computes a gradient itself: its output is that gradient"},
        notes=("backward() accumulates into .grad (a second call adds to it); jax.grad returns a fresh value "
               "each call, so there is nothing to zero.",),
        reason="gradients are not stored on arrays: write the loss as a function of the parameters and call "
               "jax.grad / jax.value_and_grad (nnx.value_and_grad for a module) on it; see the training-loop "
               "pattern (torch.optim.Optimizer.zero_grad[training_loop])",
    ),
    Record(
        torch="torch.Tensor.add_",
        jax="jax.numpy.add",
        torch_example=_in_place("add_(y)", "jnp.add(z, y)")[0],
        jax_example=_in_place("add_(y)", "jnp.add(z, y)")[1],
        inputs=(T("x", "N,C"), T("y", "1,C")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(IN_PLACE_NOTE, IN_PLACE_STATEMENT,
               "torch keeps the receiver's dtype; jnp.add promotes (same dtypes: same result)."),
        sig="other, *, alpha=1",
        template="{self} = jnp.add({self}, {other})",
        unsupported_args={"alpha": "write x = x + alpha * other"},
    ),
    Record(
        torch="torch.Tensor.sub_",
        jax="jax.numpy.subtract",
        torch_example=_in_place("sub_(y)", "jnp.subtract(z, y)")[0],
        jax_example=_in_place("sub_(y)", "jnp.subtract(z, y)")[1],
        inputs=(T("x", "N,C"), T("y", "1,C")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(IN_PLACE_NOTE, IN_PLACE_STATEMENT),
        sig="other, *, alpha=1",
        template="{self} = jnp.subtract({self}, {other})",
        unsupported_args={"alpha": "write x = x - alpha * other"},
    ),
    Record(
        torch="torch.Tensor.mul_",
        jax="jax.numpy.multiply",
        torch_example=_in_place("mul_(y)", "jnp.multiply(z, y)")[0],
        jax_example=_in_place("mul_(y)", "jnp.multiply(z, y)")[1],
        inputs=(T("x", "N,C"), T("y", "1,C")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(IN_PLACE_NOTE, IN_PLACE_STATEMENT),
        sig="other",
        template="{self} = jnp.multiply({self}, {other})",
    ),
    Record(
        torch="torch.Tensor.div_",
        jax="jax.numpy.divide",
        torch_example=_in_place("div_(y)", "jnp.divide(z, y)")[0],
        jax_example=_in_place("div_(y)", "jnp.divide(z, y)")[1],
        inputs=(T("x", "N,C"), T("y", "1,C", low=0.5, high=3)),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(IN_PLACE_NOTE, IN_PLACE_STATEMENT),
        sig="other, *, rounding_mode=None",
        template="{self} = jnp.divide({self}, {other})",
        unsupported_args={"rounding_mode": "use jnp.floor_divide ('floor') or jnp.trunc(x / y) ('trunc')"},
    ),
    Record(
        torch="torch.Tensor.clamp_",
        jax="jax.numpy.clip",
        aliases=("torch.Tensor.clip_",),
        status="caveat",
        torch_example=_in_place("clamp_(lo, hi)", "jnp.clip(z, min=lo, max=hi)")[0],
        jax_example=_in_place("clamp_(lo, hi)", "jnp.clip(z, min=lo, max=hi)")[1],
        inputs=(T("x", "*"), Choice("lo", (-1.2345,)), Choice("hi", (0.8765, 2.3456))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("The gradient where x equals a bound exactly is 1 in torch, 0.5 with jnp.clip "
               "(see torch.Tensor.clamp); elsewhere equal.", IN_PLACE_NOTE, IN_PLACE_STATEMENT),
        sig="min=None, max=None",
        template="{self} = jnp.clip({self}, min={min?}, max={max?})",
    ),
    Record(
        torch="torch.Tensor.zero_",
        jax="jax.numpy.zeros_like",
        torch_example=_in_place("zero_()", "jnp.zeros_like(z)")[0],
        jax_example=_in_place("zero_()", "jnp.zeros_like(z)")[1],
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad", "bf16"),
        zero_grad="constant in x: the output does not depend on x's values, so its gradient is 0 in both",
        sizes=(0, 4),
        notes=(IN_PLACE_NOTE, IN_PLACE_STATEMENT),
        sig="",
        template="{self} = jnp.zeros_like({self})",
    ),
    Record(
        torch="torch.Tensor.fill_",
        jax="jax.numpy.full_like",
        torch_example=_in_place("fill_(v)", "jnp.full_like(z, v)")[0],
        jax_example=_in_place("fill_(v)", "jnp.full_like(z, v)")[1],
        inputs=(T("x", "*"), Choice("v", (0.5, -2.0))),
        checks=("forward", "jit", "grad", "bf16"),
        zero_grad="constant in x: the output does not depend on x's values, so its gradient is 0 in both",
        sizes=(0, 4),
        notes=(IN_PLACE_NOTE, IN_PLACE_STATEMENT),
        sig="value",
        template="{self} = jnp.full_like({self}, {value})",
    ),
    Record(
        torch="torch.Tensor.copy_",
        jax="jax.numpy.broadcast_to",
        torch_example=_in_place("copy_(y)", "jnp.broadcast_to(y, z.shape).astype(z.dtype)")[0],
        jax_example=_in_place("copy_(y)", "jnp.broadcast_to(y, z.shape).astype(z.dtype)")[1],
        inputs=(T("x", "A,B,C"), T("y", bcast="x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("copy_ broadcasts src to the receiver's shape and casts to its dtype; so does the rewrite.",
               IN_PLACE_NOTE, IN_PLACE_STATEMENT),
        sig="other, non_blocking=False",  # torch's name: x.copy_(src=y) raises
        template="{self} = jnp.broadcast_to({other}, {self}.shape).astype({self}.dtype)",
    ),
    Record(
        torch="torch.Tensor.scatter_",
        jax="jax.numpy.put_along_axis",
        torch_example=_in_place("scatter_(1, i, s)", _SCATTER_EX)[0],
        jax_example=(
            "z = x\n"
            "z = z.at[tuple(i if axis_ == 1 % i.ndim else grid_ for axis_, "
            "grid_ in enumerate(jnp.indices(i.shape, sparse=True)))].set(s)\n"
            "out = z"
        ),
        inputs=(T("x", "N,5"), T("i", "N,1", dtype="int64", low=0, high=5), T("s", "N,1")),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("Equal when no position is written twice (see torch.Tensor.scatter).",
               IN_PLACE_NOTE, IN_PLACE_STATEMENT),
        sig="dim, index, src, *, reduce: str = None",  # torch: reduce=None raises
        template=f"{{self}} = (lambda input_, index_, dim_: input_.at[{ALONG_INDEX}])({{self}}, {{index}}, "
                 "{dim}).set({src})",
        unsupported_args={"reduce": "use x.at[...].add / .multiply with explicit indices"},
    ),
    Record(
        torch="torch.Tensor.index_fill_",
        jax="jax.Array.at",
        torch_example=_in_place("index_fill_(d, i, v)",
                                "jnp.swapaxes(jnp.swapaxes(z, 0, d).at[i].set(v), 0, d)")[0],
        jax_example=_in_place("index_fill_(d, i, v)",
                              "jnp.swapaxes(jnp.swapaxes(z, 0, d).at[i].set(v), 0, d)")[1],
        inputs=(T("x", "N,5,C"), Choice("d", (1, -2)), T("i", "K", dtype="int64", low=0, high=5),
                Choice("v", (0.0, -1.5))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("The axis is moved to the front, filled with .at[index].set, and moved back.",
               "Out-of-range indices raise in torch; .at[].set drops them silently.",
               IN_PLACE_NOTE, IN_PLACE_STATEMENT),
        sig="dim, index, value",
        template="{self} = jnp.swapaxes(jnp.swapaxes({self}, 0, {dim}).at[{index}].set({value}), 0, {dim})",
    ),
    # -- triangles ---------------------------------------------------------------------------------
    Record(
        torch="torch.Tensor.tril",
        jax="jax.numpy.tril",
        torch_example="out = x.tril(k)",
        jax_example="out = jnp.tril(x, k)",
        inputs=(T("x", "B,N,M"), Choice("k", (0, 1, -1))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="diagonal=0",
        template="jnp.tril({self}, {diagonal?})",
    ),
    Record(
        torch="torch.Tensor.triu",
        jax="jax.numpy.triu",
        torch_example="out = x.triu(k)",
        jax_example="out = jnp.triu(x, k)",
        inputs=(T("x", "B,N,M"), Choice("k", (0, 1, -1))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="diagonal=0",
        template="jnp.triu({self}, {diagonal?})",
    ),
]


def _method(name: str, jax: str, args: str, call: str, template: str, inputs: tuple, sig: str = "",
            checks: tuple = ("forward", "jit", "grad"), **kw) -> Record:
    """`out = x.<name>(<args>)` -> `out = <call>`: the method form of a torch function with the same mapping."""
    return Record(torch=f"torch.Tensor.{name}", jax=jax, torch_example=f"out = x.{name}({args})",
                  jax_example=f"out = {call}", inputs=inputs, checks=checks, sizes=kw.pop("sizes", (0, 4)), sig=sig,
                  template=template, **kw)


_MATMUL = Tol(1e-5, 1e-5, "float32 dot products: BLAS (torch) and XLA (JAX) sum in different orders")
_LU = Tol(1e-5, 1e-5, "float32 LU factorisations: LAPACK (torch) and XLA pivot and sum differently")
_SQUARE = T("x", "B,N,N", low=-1, high=1, diag=5)  # diagonally dominant: invertible, positive determinant
_BOOL = "Boolean result: no gradient."
_EMPTY_DET = "A 0 x 0 matrix has determinant 1 in torch; jnp.linalg.det raises IndexError on it (loud, not silent)."
_INTS = dict(dtype="int64", low=-16, high=16)

# The method forms of torch functions recorded in torch_*.py: same mapping, the receiver is the first argument.
RECORDS += [
    _method("kron", "jax.numpy.kron", "y", "jnp.kron(x, y)", "jnp.kron({self}, {other})",
            (T("x", "N,M", contiguous=True), T("y", "2,K", contiguous=True)), sig="other", sizes=(0, 3),
            notes=("torch.kron raises RuntimeError (view size is not compatible with input tensor's size and "
                   "stride) when one operand is a transposed view and the other is not (torch 2.13, found by "
                   "the fuzz profile); jnp.kron has no memory layouts and returns the product. Compared on "
                   "contiguous tensors.",),
            differences=(Difference(note="a transposed operand beside a contiguous one: torch raises RuntimeError, "
                                         "jnp.kron returns the product",
                                    torch="out = torch.ones(2, 2).kron(torch.arange(4.0).reshape(2, 2).t())",
                                    jax="out = jnp.kron(jnp.ones((2, 2)), jnp.arange(4.0).reshape(2, 2).T)",
                                    torch_raises="RuntimeError"),)),
    _method("inner", "jax.numpy.inner", "y", "jnp.inner(x, y)", "jnp.inner({self}, {other})",
            (T("x", "N,K"), T("y", "M,K")), sig="other", tol=_MATMUL),
    _method("outer", "jax.numpy.outer", "y", "jnp.outer(x, y)", "jnp.outer({self}, {vec2})",
            (T("x", "N"), T("y", "M")), sig="vec2", aliases=("torch.Tensor.ger",)),
    _method("dot", "jax.numpy.dot", "y", "jnp.dot(x, y)", "jnp.dot({self}, {tensor})",
            (T("x", "N"), T("y", "N")), sig="tensor", tol=_MATMUL),
    _method("vdot", "jax.numpy.vdot", "y", "jnp.vdot(x, y)", "jnp.vdot({self}, {other})",
            (T("x", "N"), T("y", "N")), sig="other", tol=_MATMUL),
    _method("mv", "jax.numpy.matmul", "v", "jnp.matmul(x, v)", "jnp.matmul({self}, {vec})",
            (T("x", "N,K"), T("v", "K")), sig="vec", tol=_MATMUL),
    _method("trace", "jax.numpy.trace", "", "jnp.trace(x)", "jnp.trace({self})", (T("x", "N,M"),),
            notes=("2-D only in torch; jnp.trace sums the diagonal of the first two axes of any array.",)),
    _method("diff", "jax.numpy.diff", "n=k, dim=d", "jnp.diff(x, n=k, axis=d)",
            "jnp.diff({self}, n={n?}, axis={dim?})", (T("x", "*", min_rank=1), Choice("k", (1, 2)), Dim("d", "x")),
            sig="n=1, dim=-1, prepend=None, append=None",
            unsupported_args={"prepend": "jnp.diff(x, prepend=...) takes it too: pass it by hand",
                              "append": "jnp.diff(x, append=...) takes it too: pass it by hand"}),
    _method("addcmul", "jax.numpy.add", "a, b, value=s", "jnp.add(x, jnp.multiply(jnp.multiply(s, a), b))",
            "jnp.add({self}, jnp.multiply(jnp.multiply({value}, {tensor1}), {tensor2}))",
            (T("x", "N,C"), T("a", "N,C"), T("b", bcast="a"), Choice("s", (1, -0.5))),
            sig="tensor1, tensor2, *, value=1"),
    _method("addcdiv", "jax.numpy.add", "a, b, value=s", "jnp.add(x, jnp.divide(jnp.multiply(s, a), b))",
            "jnp.add({self}, jnp.divide(jnp.multiply({value}, {tensor1}), {tensor2}))",
            (T("x", "N,C"), T("a", "N,C"), T("b", bcast="a", low=0.5, high=3.0), Choice("s", (1, -0.5))),
            sig="tensor1, tensor2, *, value=1"),
    _method("lerp", "jax.numpy.add", "b, w", "jnp.add(x, jnp.multiply(w, jnp.subtract(b, x)))",
            "jnp.add({self}, jnp.multiply({weight}, jnp.subtract({end}, {self})))",
            (T("x", "N,C"), T("b", "N,C"), T("w", bcast="x", low=0.0, high=1.0)), sig="end, weight",
            notes=("jnp has no lerp. torch switches to end - (end - start) * (1 - weight) for weight >= 0.5; "
                   "the results agree within float32 rounding.",)),
    _method("movedim", "jax.numpy.moveaxis", "s, d", "jnp.moveaxis(x, s, d)",
            "jnp.moveaxis({self}, {source}, {destination})",
            (T("x", "N,C,L"), Choice("s", (0, -1)), Choice("d", (2, 1))), sig="source, destination",
            aliases=("torch.Tensor.moveaxis",)),
    _method("swapaxes", "jax.Array.swapaxes", "a, b", "x.swapaxes(a, b)", "{self}.swapaxes({axis0}, {axis1})",
            (T("x", "N,C,L"), Choice("a", (0, -1)), Choice("b", (1, 2))), sig="axis0, axis1",
            aliases=("torch.Tensor.swapdims",)),
    _method("broadcast_to", "jax.numpy.broadcast_to", "(3, *x.shape)", "jnp.broadcast_to(x, (3, *x.shape))",
            "jnp.broadcast_to({self}, {size})", (T("x", "*"),), sig="size"),
    _method("tile", "jax.numpy.tile", "r", "jnp.tile(x, r)", "jnp.tile({self}, {dims})",
            (T("x", "N,C"), Choice("r", ((2, 1), (1, 3, 2)))), sig="dims",
            notes=("Repetitions shorter than the rank are padded with 1s in front, in both.",)),
    _method("fliplr", "jax.numpy.fliplr", "", "jnp.fliplr(x)", "jnp.fliplr({self})", (T("x", "N,M,C"),)),
    _method("flipud", "jax.numpy.flipud", "", "jnp.flipud(x)", "jnp.flipud({self})", (T("x", "N,M"),)),
    _method("ravel", "jax.numpy.ravel", "", "jnp.ravel(x)", "jnp.ravel({self})", (T("x", "*"),),
            notes=("torch returns a view when it can; JAX arrays have no views.",)),
    _method("diagonal", "jax.numpy.diagonal", "o", "jnp.diagonal(x, o, 0, 1)",
            "jnp.diagonal({self}, {offset}, {dim1}, {dim2})", (T("x", "N,M,C"), Choice("o", (0, 1, -1))),
            sig="offset=0, dim1=0, dim2=1",
            notes=("The diagonal becomes the last axis, in both.",)),
    _method("rot90", "jax.numpy.rot90", "k, (0, 1)", "jnp.rot90(x, k, axes=(0, 1))",
            "jnp.rot90({self}, {k}, axes={dims})", (T("x", "N,M,C"), Choice("k", (1, 2, -1))),
            sig="k=1, dims=(0, 1)", notes=("Counter-clockwise from the first axis towards the second, in both.",)),
    _method("cumprod", "jax.numpy.cumprod", "d", "jnp.cumprod(x, axis=d)", "jnp.cumprod({self}, axis={dim})",
            (T("x", "*", low=-2.0, high=2.0), Dim("d", "x")), sig="dim, *, dtype=None",
            unsupported_args={"dtype": "cast first: jnp.cumprod(x.astype(dtype), axis=dim)"}),
    _method("take_along_dim", "jax.numpy.take_along_axis", "idx, dim=d", "jnp.take_along_axis(x, idx, axis=d)",
            "jnp.take_along_axis({self}, {indices}, axis={dim})",
            (T("x", "N,4,C"), T("idx", "1,K,C", dtype="int64", low=0, high=4), Choice("d", (1, -2))),
            sig="indices, dim=None", sizes=(0, 3),
            notes=("With dim=None torch flattens both first: jnp.take_along_axis(x.ravel(), idx.ravel(), axis=0).",
                   "Out-of-range indices raise in torch; JAX clamps or fills (see torch.take_along_dim).")),
    _method("count_nonzero", "jax.numpy.count_nonzero", "d", "jnp.count_nonzero(x, axis=d)",
            "jnp.count_nonzero({self}, axis={dim})", (T("x", "*", special=True, grad=False), Dim("d", "x")),
            sig="dim=None", checks=("forward", "jit", "bf16"), notes=("Integer result: no gradient.",)),
    _method("det", "jax.numpy.linalg.det", "", "jnp.linalg.det(x)", "jnp.linalg.det({self})", (_SQUARE,),
            tol=_LU, sizes=(1, 4), notes=(_EMPTY_DET,),
            grad_tol=Tol(1e-4, 1e-5, "the gradient is det * inv(x).T: LU solves, a few ulp each")),
    _method("inverse", "jax.numpy.linalg.inv", "", "jnp.linalg.inv(x)", "jnp.linalg.inv({self})", (_SQUARE,),
            tol=_LU, grad_tol=Tol(1e-4, 1e-5, "the gradient is -inv.T @ g @ inv.T: three products of LU results")),
    _method("logdet", "jax.numpy.linalg.det + log", "", "jnp.log(jnp.linalg.det(x))",
            "jnp.log(jnp.linalg.det({self}))", (_SQUARE,), tol=_LU, sizes=(1, 4),
            grad_tol=Tol(1e-4, 1e-5, "the gradient is inv(x).T: two LU solves, each a few ulp per element"),
            notes=("nan for a negative determinant and -inf for a singular matrix, in both.", _EMPTY_DET)),
    _method("matrix_exp", "jax.scipy.linalg.expm", "", "jax.scipy.linalg.expm(x)", "jax.scipy.linalg.expm({self})",
            (T("x", "B,N,N", low=-1, high=1),), sizes=(1, 4),
            tol=Tol(5e-5, 1e-5, "Pade approximants with scaling and squaring: torch and JAX pick different orders; "
                        "on PyTorch's OpInfo 5x5 input with entries up to 9 (results to 5.3e7) JAX is 3.0e-5 "
                        "elementwise relative from float64, torch 7.4e-6"),
            grad_tol=Tol(1e-4, 1e-5, "the gradient is itself a matrix exponential of a block matrix: a few ulp")),
    # Bounds written as fractions: off hypothesis's float grid and out of this module's literals, so no drawn
    # element equals one (the fuzz profile drew x == 0.3 against a bound of 0.3: torch 0.27, JAX 0.14).
    _method("clamp_min", "jax.numpy.maximum", "v", "jnp.maximum(x, v)", "jnp.maximum({self}, {min})",
            (T("x", "*"), Choice("v", (2 / 7, -9 / 7))), sig="min", status="caveat",
            notes=("Where x == min exactly, torch passes the gradient to x (1) and jnp.maximum splits it (0.5). "
                   "Elsewhere equal.",),
            differences=(Difference(
                note="gradient of clamp_min at the bound: torch 1, jnp.maximum 0.5",
                torch="x = torch.tensor([1.0], requires_grad=True)\nx.clamp_min(1.0).sum().backward()\nout = x.grad",
                jax="out = jax.grad(lambda x: jnp.maximum(x, 1.0).sum())(jnp.array([1.0]))",
                min_diff=0.5),)),
    _method("clamp_max", "jax.numpy.minimum", "v", "jnp.minimum(x, v)", "jnp.minimum({self}, {max})",
            (T("x", "*"), Choice("v", (2 / 7, -9 / 7))), sig="max", status="caveat",
            notes=("Where x == max exactly, torch passes the gradient to x (1) and jnp.minimum splits it (0.5). "
                   "Elsewhere equal.",),
            differences=(Difference(
                note="gradient of clamp_max at the bound: torch 1, jnp.minimum 0.5",
                torch="x = torch.tensor([1.0], requires_grad=True)\nx.clamp_max(1.0).sum().backward()\nout = x.grad",
                jax="out = jax.grad(lambda x: jnp.minimum(x, 1.0).sum())(jnp.array([1.0]))",
                min_diff=0.5),)),
    *[_method(name, f"jax.numpy.{name}", "", f"jnp.{name}(x)", f"jnp.{name}({{self}})",
              (T("x", "*", special=True, grad=False),), checks=("forward", "jit", "bf16"), notes=(_BOOL,))
      for name in ("isnan", "isinf", "isfinite", "isposinf", "isneginf")],
    _method("signbit", "jax.numpy.signbit", "", "jnp.signbit(x)", "jnp.signbit({self})", (T("x", "*", grad=False),),
            checks=("forward", "jit", "bf16"),
            notes=(_BOOL, "True for -0.0 in both. The sign bit of a nan depends on how the nan was made, and casts "
                          "(to bfloat16) may not keep it: the draws hold no nan.")),
    _method("logical_not", "jax.numpy.logical_not", "", "jnp.logical_not(x)", "jnp.logical_not({self})",
            (T("x", "*", dtype="int64", low=-1, high=2),), checks=("forward", "jit"),
            notes=("Any dtype: zero is false, in both; the result is bool.",)),
    *[_method(name, f"jax.numpy.{name}", "y", f"jnp.{name}(x, y)", f"jnp.{name}({{self}}, {{other}})",
              (T("x", "*", dtype="bool"), T("y", bcast="x", dtype="bool")), sig="other", checks=("forward", "jit"),
              notes=("Any dtype: non-zero is true, in both; the result is bool.",))
      for name in ("logical_and", "logical_or", "logical_xor")],
    *[_method(name, f"jax.numpy.{name}", "y", f"jnp.{name}(x, y)", f"jnp.{name}({{self}}, {{other}})",
              (T("x", "*", **_INTS), T("y", bcast="x", **_INTS)), sig="other", checks=("forward", "jit"),
              notes=("Two's complement on negative integers in both.",))
      for name in ("bitwise_and", "bitwise_or", "bitwise_xor", "gcd", "lcm")],
    _method("bitwise_not", "jax.numpy.bitwise_not", "", "jnp.bitwise_not(x)", "jnp.bitwise_not({self})",
            (T("x", "*", **_INTS),), checks=("forward", "jit"),
            notes=("~x = -x - 1 on integers (two's complement), logical not on bool tensors, in both.",)),
    _method("positive", "jax.numpy.positive", "", "jnp.positive(x)", "jnp.positive({self})",
            (T("x", "*", special=True),)),
    _method("frac", "jax.numpy.trunc", "", "jnp.subtract(x, jnp.trunc(x))", "jnp.subtract({self}, jnp.trunc({self}))",
            (T("x", "*", special=True),), notes=("x - trunc(x): keeps the sign of x, in both; jnp has no frac.",)),
    _method("absolute", "jax.numpy.abs", "", "jnp.abs(x)", "jnp.abs({self})", (T("x", "*", nonzero=True),),
            notes=("torch.Tensor.abs under another name: at 0 the gradients differ (see torch.Tensor.abs).",)),
]

# index_add / index_copy, out of place and in place (as torch.index_add / torch.index_copy in torch_indexing.py).
_INDEX_ADD_IN = (T("x", "N,4,C"), Choice("d", (1, -2)), T("idx", "K", dtype="int64", low=0, high=4),
                 T("src", "N,K,C"), Choice("a", (1, -0.5)))
_INDEX_COPY_IN = (T("x", "N,4,C"), Choice("d", (1, -2)), T("idx", "K", dtype="int64", low=0, high=4, unique=True),
                  T("src", "N,K,C"))
_ADD_AT = "{self}.at[(slice(None),) * ({dim} % {self}.ndim) + ({index},)].add({alpha} * {source})"
_COPY_AT = "{self}.at[(slice(None),) * ({dim} % {self}.ndim) + ({index},)].set({source})"
_DUPLICATES = "With duplicate indices the written value is undefined in both; tested with distinct indices."
_OUT_OF_RANGE = "Out-of-range indices raise in torch; JAX drops those updates."
RECORDS += [
    Record(
        torch="torch.Tensor.index_add",
        jax="jax.Array.at[...].add",
        torch_example="out = x.index_add(d, idx, src, alpha=a)",
        jax_example="out = x.at[(slice(None),) * (d % x.ndim) + (idx,)].add(a * src)",
        inputs=_INDEX_ADD_IN,
        checks=("forward", "jit", "grad"),
        sizes=(0, 3),
        notes=("Duplicate indices accumulate in both.", _OUT_OF_RANGE),
        sig="dim, index, source, *, alpha=1",
        template=_ADD_AT,
    ),
    Record(
        torch="torch.Tensor.index_add_",
        jax="jax.Array.at[...].add",
        torch_example=_in_place("index_add_(d, idx, src, alpha=a)", "")[0],
        jax_example=_in_place("", "z.at[(slice(None),) * (d % z.ndim) + (idx,)].add(a * src)")[1],
        inputs=_INDEX_ADD_IN,
        checks=("forward", "jit", "grad"),
        sizes=(0, 3),
        notes=("Duplicate indices accumulate in both.", _OUT_OF_RANGE, IN_PLACE_NOTE, IN_PLACE_STATEMENT),
        sig="dim, index, source, *, alpha=1",
        template="{self} = " + _ADD_AT,
    ),
    Record(
        torch="torch.Tensor.index_copy",
        jax="jax.Array.at[...].set",
        torch_example="out = x.index_copy(d, idx, src)",
        jax_example="out = x.at[(slice(None),) * (d % x.ndim) + (idx,)].set(src)",
        inputs=_INDEX_COPY_IN,
        checks=("forward", "jit", "grad"),
        sizes=(0, 3),
        notes=(_DUPLICATES, _OUT_OF_RANGE),
        sig="dim, index, source",
        template=_COPY_AT,
    ),
    Record(
        torch="torch.Tensor.index_copy_",
        jax="jax.Array.at[...].set",
        torch_example=_in_place("index_copy_(d, idx, src)", "")[0],
        jax_example=_in_place("", "z.at[(slice(None),) * (d % z.ndim) + (idx,)].set(src)")[1],
        inputs=_INDEX_COPY_IN,
        checks=("forward", "jit", "grad"),
        sizes=(0, 3),
        notes=(_DUPLICATES, _OUT_OF_RANGE, IN_PLACE_NOTE, IN_PLACE_STATEMENT),
        sig="dim, index, source",
        template="{self} = " + _COPY_AT,
    ),
]

# The matrix-product methods with an added input (as torch.addmm / addmv / addr / addbmm / baddbmm in torch_math.py).
_BETA_ALPHA = {"beta": "write jnp.add(beta * x, alpha * ...); beta=0 ignores x (nan included) in torch",
               "alpha": "write jnp.add(beta * x, alpha * ...)"}
RECORDS += [
    _method(name, f"jax.numpy.{jfn}", "a, b", call.format(s="x", a="a", b="b"),
            call.format(s="{self}", a="{" + n1 + "}", b="{" + n2 + "}"), inputs, sig=f"{n1}, {n2}, *, beta=1, alpha=1",
            tol=_MATMUL, unsupported_args=_BETA_ALPHA)
    for name, jfn, call, inputs, n1, n2 in (
        ("addmm", "matmul", "jnp.add({s}, jnp.matmul({a}, {b}))", (T("x", "N,M"), T("a", "N,K"), T("b", "K,M")),
         "mat1", "mat2"),
        ("addmv", "matmul", "jnp.add({s}, jnp.matmul({a}, {b}))", (T("x", "N"), T("a", "N,K"), T("b", "K")),
         "mat", "vec"),
        ("addr", "outer", "jnp.add({s}, jnp.outer({a}, {b}))", (T("x", "N,M"), T("a", "N"), T("b", "M")),
         "vec1", "vec2"),
        ("baddbmm", "matmul", "jnp.add({s}, jnp.matmul({a}, {b}))",
         (T("x", "B,N,M"), T("a", "B,N,K"), T("b", "B,K,M")), "batch1", "batch2"),
        ("addbmm", "matmul", "jnp.add({s}, jnp.sum(jnp.matmul({a}, {b}), axis=0))",
         (T("x", "N,M"), T("a", "B,N,K"), T("b", "B,K,M")), "batch1", "batch2"),
    )
]

# In-place sampling from torch's global generator: compared through statistics of 200,000 draws.
_GLOBAL_RNG = ("torch fills the tensor in place from the global generator (torch.manual_seed); JAX draws a new array "
               "from an explicit key, which the code must split and pass along: the sample differs, its distribution "
               "does not.")
RECORDS += [
    Record(
        torch="torch.Tensor.uniform_",
        jax="jax.random.uniform",
        status="manual",
        torch_example="w = torch.empty(400, 500)\nw.uniform_(-0.5, 1.5)\nout = (w.mean(), w.std(), w.min(), w.max())",
        jax_example=("w = jnp.empty((400, 500))\nw = jax.random.uniform(key, w.shape, minval=-0.5, maxval=1.5)\n"
                     "out = (w.mean(), w.std(ddof=1), w.min(), w.max())"),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.0065, "200k draws of U(-0.5, 1.5): 5 standard errors of the mean (1.3e-3); std, min and "
                             "max are tighter"),
        notes=(_GLOBAL_RNG, "Both draw from [from, to): the default is [0, 1) in both."),
        reason="a draw needs an explicit key in JAX: x = jax.random.uniform(key, x.shape, minval=from, maxval=to), "
               "with the key split from the one the program threads",
    ),
    Record(
        torch="torch.Tensor.normal_",
        jax="jax.random.normal",
        status="manual",
        torch_example="w = torch.empty(400, 500)\nw.normal_(0.5, 2.0)\nout = (w.mean(), w.std())",
        jax_example=("w = jnp.empty((400, 500))\nw = 0.5 + 2.0 * jax.random.normal(key, w.shape)\n"
                     "out = (w.mean(), w.std(ddof=1))"),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.023, "200k draws of N(0.5, 2^2): 5 standard errors of the mean (4.5e-3); the std's is "
                            "3.2e-3"),
        notes=(_GLOBAL_RNG, "jax.random.normal draws N(0, 1): scale and shift it (mean + std * z)."),
        reason="a draw needs an explicit key in JAX: x = mean + std * jax.random.normal(key, x.shape), with the "
               "key split from the one the program threads",
    ),
]
