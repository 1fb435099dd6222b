"""`torch.*` reductions: sum, mean, max, var, median, norms, logical reductions, cumulative max."""

import dataclasses

from mapping.record import Choice, Difference, Dim, Record, T, Tol
from mapping.records.tensor import std_var_unbiased
from mapping.records.torch_math import CUM_DTYPES

OUT = {"out": "JAX arrays are immutable: assign the result instead"}
ALL = ("forward", "jit", "grad", "bf16")
SUM_TOL = Tol(1e-6, 1e-5, "float32 summation order differs (pairwise vs vectorised)")
# torch reads correction=None as its default, 1; jnp.var(ddof=None) raises, jnp.std(correction=None) is ddof 0.
# 0, 1 and 2 pass as written; another value, or a variable (maybe None), is left to the user.
CORRECTION = {"None": "1", "0": "0", "1": "1", "2": "2"}
REDUCE_SIG = "input, dim=None, keepdim=False, *, dtype=None, out=None"
NAMEDTUPLE = ("torch returns a namedtuple (values, indices); the rewrite gives a plain tuple: unpack it "
              "or index [0] / [1] instead of .values / .indices.")

def _nan_slice_under_jit(name: str, fn: str) -> Difference:
    """torch.amax / amin: the gradient of a slice holding a nan, taken under jax.jit."""
    return Difference(
        note="gradient of a slice holding a nan, under jax.jit: torch nan, JAX 0",
        torch=f"x = torch.tensor([[float('nan'), 1.0]], requires_grad=True)\n"
              f"torch.{name}(x, dim=-1).sum().backward()\nout = torch.isnan(x.grad).float()",
        jax=f"g = jax.jit(jax.grad(lambda x: jnp.{fn}(x, axis=-1).sum()))(jnp.array([[jnp.nan, 1.0]]))\n"
            "out = jnp.isnan(g).astype(jnp.float32)",
        min_diff=1.0,
    )


def _unbiased(name: str) -> Record:
    """torch's legacy overload torch.var / torch.std(input, dim, unbiased, keepdim): unbiased=True is ddof=1. The
    proof and notes of x.var / x.std(unbiased=...), with the tensor as first argument."""
    method = std_var_unbiased(name)
    return dataclasses.replace(
        method,
        torch=f"torch.{name}",
        aliases=(),
        jax=f"jax.numpy.{name}",
        torch_example=f"out = (torch.{name}(x, unbiased=False), torch.{name}(x, d, True), "
                      f"torch.{name}(x, dim=d, keepdim=k, unbiased=False))",
        jax_example=f"out = (jnp.{name}(x, ddof=0), jnp.{name}(x, axis=d, ddof=1), "
                    f"jnp.{name}(x, axis=d, ddof=0, keepdims=k))",
        tol=Tol(1e-5, 1e-5, "float32: two-pass variance, different summation order"),
        notes=tuple(n.replace(f"x.{name}", f"torch.{name}") for n in method.notes),
        sig="input, dim=None, unbiased=True, keepdim=False",
        template=f"jnp.{name}({{input}}, axis={{dim?}}, ddof={{unbiased}}, keepdims={{keepdim?}})",
    )


def median_tie_grad(call: str, fn: str) -> Difference:
    """median / nanmedian at a tie: torch splits the gradient, jnp.<fn>(x, 0.5, method='lower') gives it to one
    element. `call` is the torch call on x (`torch.median(x)`, `x.median()`)."""
    return Difference(note="gradient at a tie: torch splits it evenly among the elements equal to the median "
                           "([0, 0.5, 0.5, 0]), JAX gives it to one ([0, 0, 1, 0])",
                      torch=f"x = torch.tensor([3.0, 1.0, 1.0, 5.0], requires_grad=True)\n{call}.backward()\n"
                            "out = x.grad",
                      jax=f"out = jax.grad(lambda x: jnp.{fn}(x, 0.5, method='lower'))"
                          "(jnp.array([3.0, 1.0, 1.0, 5.0]))",
                      min_diff=0.4)


def median_of_int(call: str, fn: str) -> Difference:
    """median / nanmedian of int64 values above 2**24: torch keeps the dtype, jnp.<fn> rounds in float32.
    `call` is the torch call with `{}` for the tensor (`torch.median({})`, `{}.median()`)."""
    return Difference(note=f"an int tensor: torch keeps int64 (16777217), jnp.{fn} gives float32 (16777216)",
                      torch="out = " + call.format("torch.tensor([16777217, 16777217, 3])"),
                      jax=f"out = jnp.{fn}(jnp.array([16777217, 16777217, 3]), 0.5, method='lower')", min_diff=1.0)


RECORDS = [
    Record(
        torch="torch.sum",
        jax="jax.numpy.sum",
        torch_example="out = torch.sum(x, dim=d, keepdim=k)",
        jax_example="out = jnp.sum(x, axis=d, keepdims=k)",
        inputs=(T("x", "*"), Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-6, 1e-5, "float32 summation order differs (pairwise vs vectorised)"),
        sizes=(0, 4),
        sig="input, dim=None, keepdim=False, *, dtype=None",
        rename={"dim": "axis", "keepdim": "keepdims"},
        needs={"keepdim": "dim"},  # torch: sum(x, keepdim=True) raises
    ),
    Record(
        torch="torch.var",
        jax="jax.numpy.var",
        torch_example="out = torch.var(x, dim=d)",
        jax_example="out = jnp.var(x, axis=d, ddof=1)",
        inputs=(T("x", "N,C"), Dim("d", "x")),
        sizes=(2, 4),
        tol=Tol(1e-5, 1e-5, "float32: two-pass variance, different summation order"),
        notes=("torch.var is unbiased by default (correction=1); jnp.var defaults to ddof=0: pass ddof=1.",),
        differences=(
            Difference(
                note="torch.var divides by N-1 by default, jnp.var by N",
                torch="out = torch.var(torch.tensor([1.0, 2.0, 3.0, 4.0]))",
                jax="out = jnp.var(jnp.array([1.0, 2.0, 3.0, 4.0]))",
                min_diff=0.4,
            ),
        ),
        sig="input, dim=None, *, correction=1, keepdim=False",
        template="jnp.var({input}, axis={dim?}, ddof={correction}, keepdims={keepdim?})",
        values={"correction": CORRECTION},
    ),
    Record(
        torch="torch.std",
        jax="jax.numpy.std",
        torch_example="out = torch.std(x, dim=d)",
        jax_example="out = jnp.std(x, axis=d, correction=1)",
        # distinct values: a constant slice has std 0, where the gradients differ (see notes)
        inputs=(T("x", "N,C", unique=True, nonzero=True), Dim("d", "x")),
        status="caveat",
        checks=ALL,
        sizes=(2, 4),
        tol=Tol(1e-5, 1e-5, "float32: two-pass variance, different summation order"),
        notes=("torch.std is unbiased by default (correction=1); jnp.std defaults to ddof=0: pass "
               "correction=1 (or ddof=1).",
               "Where the std is 0 (a constant slice) torch's gradient is 0 and JAX's is nan; also where the "
               "squared deviations underflow to 0 (a slice [8.6e-38, 0.0], found by the fuzz profile): the "
               "draws keep |x| >= 2**-20."),
        differences=(
            Difference(
                note="torch.std divides by N-1 by default, jnp.std by N",
                torch="out = torch.std(torch.tensor([1.0, 2.0, 3.0, 4.0]))",
                jax="out = jnp.std(jnp.array([1.0, 2.0, 3.0, 4.0]))",
                min_diff=0.17,
            ),
            Difference(
                note="gradient of std where std is 0: torch 0, JAX nan",
                torch="x = torch.ones(3, requires_grad=True)\ntorch.std(x).backward()\nout = x.grad",
                jax="out = jnp.nan_to_num(jax.grad(lambda x: jnp.std(x, correction=1))(jnp.ones(3)), nan=7.0)",
                min_diff=7.0,
            ),
        ),
        sig="input, dim=None, *, correction=1, keepdim=False",
        template="jnp.std({input}, axis={dim?}, correction={correction}, keepdims={keepdim?})",
        values={"correction": CORRECTION},
    ),
    _unbiased("var"),
    _unbiased("std"),
    Record(
        torch="torch.mean",
        jax="jax.numpy.mean",
        torch_example="out = torch.mean(x, dim=d, keepdim=k)",
        jax_example="out = jnp.mean(x, axis=d, keepdims=k)",
        inputs=(T("x", "*"), Dim("d", "x"), Choice("k", (False, True))),
        checks=ALL,
        tol=SUM_TOL,
        sizes=(0, 4),
        notes=("The mean of an empty axis is nan in both.",),
        sig=REDUCE_SIG,
        rename={"dim": "axis", "keepdim": "keepdims"},
        unsupported_args=OUT,
        needs={"keepdim": "dim"},  # torch: mean(x, keepdim=True) raises
    ),
    Record(
        torch="torch.prod",
        jax="jax.numpy.prod",
        torch_example="out = torch.prod(x, dim=d, keepdim=k)",
        jax_example="out = jnp.prod(x, axis=d, keepdims=k)",
        inputs=(T("x", "*", low=-2.0, high=2.0), Dim("d", "x"), Choice("k", (False, True))),
        checks=ALL,
        sizes=(0, 4),
        status="caveat",
        notes=("Gradients agree with zeros in the input (measured).",
               "bfloat16: torch accumulates the product in bfloat16, JAX in float32, so torch drifts with the "
               "axis length (24% vs 0.3% after 1000 factors in [0.9, 1.1], measured); short axes agree."),
        differences=(
            Difference(
                note="bfloat16 prod of 300 x 1.0078125: torch 9.25 (accumulated in bfloat16), JAX 10.3",
                torch="out = torch.prod(torch.full((300,), 1.0078125, dtype=torch.bfloat16)).float()",
                jax="out = jnp.prod(jnp.full((300,), 1.0078125, jnp.bfloat16)).astype(jnp.float32)",
                min_diff=0.5,
            ),
        ),
        sig="input, dim: int = None, keepdim=False, *, dtype=None",  # torch: prod(x, dim=None) raises
        rename={"dim": "axis", "keepdim": "keepdims"},
        values={"dtype": CUM_DTYPES},  # a torch dtype reached jnp.prod as written (OpInfo: NameError)
        needs={"keepdim": "dim"},  # and prod(x, keepdim=True)
    ),
    Record(
        torch="torch.max",
        jax="jax.numpy.max",
        torch_example="out = torch.max(x)",
        jax_example="out = jnp.max(x)",
        inputs=(T("x", "*"),),
        status="caveat",
        checks=ALL,
        notes=("Full reduction. Ties split the gradient evenly in both (measured).",
               "nan propagates in both, but the gradients then differ: torch sends it to the nan "
               "element(s), JAX gives nan everywhere eagerly and 0 everywhere under jax.jit. Inputs here have no nan.",
               "torch.max(x, dim) is torch.max[dim]; torch.max(a, b) is torch.maximum."),
        differences=(
            Difference(
                note="gradient of max over a slice holding nan: torch routes it to the nan, JAX gives nan",
                torch="x = torch.tensor([1.0, float('nan')], requires_grad=True)\ntorch.max(x).backward()\n"
                      "out = x.grad",
                jax="out = jnp.nan_to_num(jax.grad(jnp.max)(jnp.array([1.0, jnp.nan])), nan=7.0)",
                min_diff=6.0,
            ),
        ),
        sig="input",
    ),
    Record(
        torch="torch.max",
        variant="dim",
        jax="jax.numpy.max",
        torch_example="out = torch.max(x, dim=d, keepdim=k)",
        jax_example="out = (jnp.max(x, axis=d, keepdims=k), jnp.argmax(x, axis=d, keepdims=k))",
        # distinct values: with ties torch sends the gradient to one index, JAX splits it
        inputs=(T("x", "*", unique=True), Dim("d", "x"), Choice("k", (False, True))),
        status="caveat",
        checks=ALL,
        notes=(NAMEDTUPLE,
               "At ties torch's gradient goes to the returned index only; jnp.max splits it evenly among "
               "the tied elements. Inputs here are distinct.",
               "A nan in the slice: torch sends the gradient to it, JAX gives nan to the whole slice eagerly "
               "and 0 under jax.jit.",),
        sig="input, dim, keepdim=False, *, out=None",
        template="(jnp.max({input}, axis={dim}, keepdims={keepdim}), jnp.argmax({input}, axis={dim}, "
                 "keepdims={keepdim}))",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.min",
        jax="jax.numpy.min",
        torch_example="out = torch.min(x)",
        jax_example="out = jnp.min(x)",
        inputs=(T("x", "*"),),
        status="caveat",
        checks=ALL,
        notes=("Full reduction. Ties split the gradient evenly in both (measured).",
               "nan propagates in both, but the gradients then differ: torch sends it to the nan "
               "element(s), JAX gives nan everywhere eagerly and 0 everywhere under jax.jit. Inputs here have no nan.",
               "torch.min(x, dim) is torch.min[dim]; torch.min(a, b) is torch.minimum."),
        sig="input",
    ),
    Record(
        torch="torch.min",
        variant="dim",
        jax="jax.numpy.min",
        torch_example="out = torch.min(x, dim=d, keepdim=k)",
        jax_example="out = (jnp.min(x, axis=d, keepdims=k), jnp.argmin(x, axis=d, keepdims=k))",
        inputs=(T("x", "*", unique=True), Dim("d", "x"), Choice("k", (False, True))),
        status="caveat",
        checks=ALL,
        notes=(NAMEDTUPLE,
               "At ties torch's gradient goes to the returned index only; jnp.min splits it evenly among "
               "the tied elements. Inputs here are distinct.",
               "A nan in the slice: torch sends the gradient to it, JAX gives nan to the whole slice eagerly "
               "and 0 under jax.jit.",),
        sig="input, dim, keepdim=False, *, out=None",
        template="(jnp.min({input}, axis={dim}, keepdims={keepdim}), jnp.argmin({input}, axis={dim}, "
                 "keepdims={keepdim}))",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.amax",
        jax="jax.numpy.max",
        torch_example="out = torch.amax(x, dim=d, keepdim=k)",
        jax_example="out = jnp.max(x, axis=d, keepdims=k)",
        inputs=(T("x", "*"), Dim("d", "x"), Choice("k", (False, True))),
        status="caveat",
        checks=ALL,
        notes=("Ties split the gradient evenly in both (measured). torch.amax's default dim=() means "
               "every axis: the rewrite then omits axis.",
               "nan and inf propagate in the forward as in torch. A slice holding a nan: torch's gradient is nan "
               "over the slice, JAX's too when taken eagerly, but 0 under jax.jit (XLA turns the product with "
               "the tie mask into a select). Inputs here have no nan."),
        differences=(_nan_slice_under_jit("amax", "max"),),
        sig="input, dim=(), keepdim=False, *, out=None",
        template="jnp.max({input}, axis={dim?}, keepdims={keepdim?})",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.amin",
        jax="jax.numpy.min",
        torch_example="out = torch.amin(x, dim=d, keepdim=k)",
        jax_example="out = jnp.min(x, axis=d, keepdims=k)",
        inputs=(T("x", "*"), Dim("d", "x"), Choice("k", (False, True))),
        status="caveat",
        checks=ALL,
        notes=("Ties split the gradient evenly in both (measured). torch.amin's default dim=() means "
               "every axis: the rewrite then omits axis.",
               "nan and inf propagate in the forward as in torch. A slice holding a nan: torch's gradient is nan "
               "over the slice, JAX's too when taken eagerly, but 0 under jax.jit (XLA turns the product with "
               "the tie mask into a select). Inputs here have no nan."),
        differences=(_nan_slice_under_jit("amin", "min"),),
        sig="input, dim=(), keepdim=False, *, out=None",
        template="jnp.min({input}, axis={dim?}, keepdims={keepdim?})",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.argmax",
        jax="jax.numpy.argmax",
        torch_example="out = torch.argmax(x, dim=d, keepdim=k)",
        jax_example="out = jnp.argmax(x, axis=d, keepdims=k)",
        inputs=(T("x", "*", special=True, grad=False), Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit", "bf16"),
        notes=("Ties give the first index in both; nan counts as the maximum in both. int64 in torch, "
               "int32 in JAX (no gradient).",),
        sig="input, dim=None, keepdim=False",
        rename={"dim": "axis", "keepdim": "keepdims"},
    ),
    Record(
        torch="torch.argmin",
        jax="jax.numpy.argmin",
        torch_example="out = torch.argmin(x, dim=d, keepdim=k)",
        jax_example="out = jnp.argmin(x, axis=d, keepdims=k)",
        inputs=(T("x", "*", special=True, grad=False), Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit", "bf16"),
        notes=("Ties give the first index in both; nan counts as the minimum in both. int64 in torch, "
               "int32 in JAX (no gradient).",),
        sig="input, dim=None, keepdim=False",
        rename={"dim": "axis", "keepdim": "keepdims"},
    ),
    Record(
        torch="torch.median",
        jax="jax.numpy.quantile",
        torch_example="out = torch.median(x)",
        jax_example="out = jnp.quantile(x, 0.5, method='lower')",
        # distinct values: the gradient goes to the one median element
        inputs=(T("x", "*", unique=True),),
        status="caveat",
        checks=("forward", "jit", "grad"),
        notes=("torch.median returns the lower of the two middle values for an even count; jnp.median "
               "averages them. jnp.quantile(x, 0.5, method='lower') matches torch.",
               "torch.median(x, dim) returns (values, indices): see torch.median[dim].",
               "On integer tensors torch keeps the dtype; jnp.quantile computes in float32, which rounds "
               "integers above 2**24 (PyTorch's OpInfo int inputs found the dtype change).",
               "At a tie (several elements equal to the median) torch splits the gradient evenly among them, the "
               "rewrite gives it to one (found by the fuzz profile on Tensor.nanmedian): the draws use "
               "distinct values."),
        differences=(
            median_tie_grad("torch.median(x)", "quantile"),
            Difference(
                note="torch.median takes the lower middle value of an even count, jnp.median the average",
                torch="out = torch.median(torch.tensor([1.0, 2.0, 3.0, 4.0]))",
                jax="out = jnp.median(jnp.array([1.0, 2.0, 3.0, 4.0]))",
                min_diff=0.5,
            ),
            median_of_int("torch.median({})", "quantile"),
        ),
        sig="input",
        template="jnp.quantile({input}, 0.5, method='lower')",
    ),
    Record(
        torch="torch.median",
        variant="dim",
        jax="jax.numpy.quantile",
        torch_example="out = torch.median(x, dim=d)",
        jax_example=(
            "i = jnp.take(jnp.argsort(x, axis=d), (x.shape[d] - 1) // 2, axis=d)\n"
            "out = (jnp.quantile(x, 0.5, axis=d, method='lower'), i)"
        ),
        inputs=(T("x", "*", unique=True, min_rank=1), Dim("d", "x")),
        status="manual",
        checks=("forward", "jit", "grad"),
        notes=(NAMEDTUPLE,
               "Lower middle value for even counts, like torch.median (jnp.median averages).",
               "With nan in the slice torch returns nan and its index; this pattern returns nan and the "
               "index of the lower middle of the non-nan values."),
        reason=("torch.median(x, dim) returns values and indices; no single JAX call gives both. Values: "
                "jnp.quantile(x, 0.5, axis=d, method='lower'); indices: the ((n - 1) // 2)-th entry of "
                "jnp.argsort(x, axis=d)."),
        sig="input, dim=-1, keepdim=False, *, out=None",
    ),
    Record(
        torch="torch.quantile",
        jax="jax.numpy.quantile",
        torch_example="out = torch.quantile(x, q, dim=d, keepdim=k)",
        jax_example="out = jnp.quantile(x, q=q, axis=d, keepdims=k)",
        # distinct values: interpolation between tied neighbours makes the gradient ambiguous
        inputs=(T("x", "*", unique=True, min_rank=1), Choice("q", (0.0, 0.25, 0.5, 0.9, 1.0)), Dim("d", "x"),
                Choice("k", (False, True))),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-6, 2e-6, "float32 linear interpolation: a + (b - a) * t rounded differently"),
        notes=("Same default interpolation ('linear'); torch's interpolation= is jnp's method=.",),
        sig="input, q, dim=None, keepdim=False, *, interpolation='linear', out=None",
        rename={"dim": "axis", "keepdim": "keepdims", "interpolation": "method"},
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.logsumexp",
        jax="jax.nn.logsumexp",
        aliases=("torch.special.logsumexp",),
        torch_example="out = torch.logsumexp(x, dim=d, keepdim=k)",
        jax_example="out = jax.nn.logsumexp(x, axis=d, keepdims=k)",
        inputs=(T("x", "*", low=-10.0, high=10.0, special=True), Dim("d", "x"), Choice("k", (False, True))),
        checks=ALL,
        sizes=(0, 4),
        notes=("+-inf handled alike: all -inf gives -inf, an empty axis gives -inf.",),
        sig="input, dim, keepdim=False, *, out=None",
        rename={"dim": "axis", "keepdim": "keepdims"},
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.norm",
        jax="jax.numpy.linalg.vector_norm",
        torch_example="out = torch.norm(x, dim=d, keepdim=k)",
        jax_example="out = jnp.linalg.vector_norm(x, axis=d, keepdims=k)",
        # no zeros: at an all-zero slice the gradients differ (see notes)
        inputs=(T("x", "*", nonzero=True), Dim("d", "x"), Choice("k", (False, True))),
        status="caveat",
        checks=ALL,
        tol=SUM_TOL,
        notes=("torch.norm with p='fro' (default) or a number is a vector norm over dim (all elements when "
               "dim is None): jnp.linalg.vector_norm, whose default ord=2 is the same. jnp.linalg.norm(x, ord=2) "
               "on a matrix would be the spectral norm.",
               "At an all-zero slice torch's gradient is 0, JAX's is nan (2-norm).",
               "Elements below ~1e-19 in magnitude underflow when squared in JAX: at such tiny inputs the "
               "gradient is inf/nan in JAX (finite in torch). Inputs here keep |x| >= 2**-20.",
               "p='nuc' is a matrix norm: jnp.linalg.matrix_norm(x, ord='nuc')."),
        differences=(
            Difference(
                note="gradient of the 2-norm at zero: torch 0, JAX nan",
                torch="x = torch.zeros(3, requires_grad=True)\ntorch.norm(x).backward()\nout = x.grad",
                jax="out = jnp.nan_to_num(jax.grad(lambda x: jnp.linalg.vector_norm(x))(jnp.zeros(3)), nan=7.0)",
                min_diff=7.0,
            ),
        ),
        sig="input, p='fro', dim=None, keepdim=False, out=None, dtype=None",
        template="jnp.linalg.vector_norm({input}, ord={p?}, axis={dim?}, keepdims={keepdim?})",
        # p='fro' written out is the 2-norm here; vector_norm rejects ord='fro' (ValueError)
        values={"p": {"'fro'": "2", "2": "2"}},
        unsupported_args={**OUT, "dtype": "jnp.linalg.vector_norm has no dtype: cast the input first"},
    ),
    Record(
        torch="torch.norm",
        variant="p",
        jax="jax.numpy.linalg.vector_norm",
        torch_example="out = torch.norm(x, p=p, dim=d, keepdim=k)",
        jax_example="out = jnp.linalg.vector_norm(x, ord=p, axis=d, keepdims=k)",
        inputs=(T("x", "*", nonzero=True, unique=True), Choice("p", (1, 2, 3, float("inf"))), Dim("d", "x"),
                Choice("k", (False, True))),
        status="caveat",
        checks=ALL,
        tol=Tol(1e-5, 1e-5, "float32: p-th power sums and roots, different summation order"),
        notes=("Vector p-norms agree for p = 1, 2, 3, inf. At zero the gradients differ (torch 0; "
               "JAX 1 for p=1 (sign), nan otherwise): inputs here are nonzero.",),
        sig="input, p: int | float = 'fro', dim=None, keepdim=False, out=None, dtype=None",
        template="jnp.linalg.vector_norm({input}, ord={p?}, axis={dim?}, keepdims={keepdim?})",
        unsupported_args={**OUT, "dtype": "jnp.linalg.vector_norm has no dtype: cast the input first"},
    ),
    Record(
        torch="torch.all",
        jax="jax.numpy.all",
        torch_example="out = torch.all(x, dim=d, keepdim=k)",
        jax_example="out = jnp.all(x, axis=d, keepdims=k)",
        inputs=(T("x", "*", dtype="bool"), Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit"),
        sizes=(0, 4),
        sig="input, dim=None, keepdim=False, *, out=None",
        rename={"dim": "axis", "keepdim": "keepdims"},
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.any",
        jax="jax.numpy.any",
        torch_example="out = torch.any(x, dim=d, keepdim=k)",
        jax_example="out = jnp.any(x, axis=d, keepdims=k)",
        inputs=(T("x", "*", dtype="bool"), Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit"),
        sizes=(0, 4),
        sig="input, dim=None, keepdim=False, *, out=None",
        rename={"dim": "axis", "keepdim": "keepdims"},
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.count_nonzero",
        jax="jax.numpy.count_nonzero",
        torch_example="out = torch.count_nonzero(x, dim=d)",
        jax_example="out = jnp.count_nonzero(x, axis=d)",
        inputs=(T("x", "*", special=True, grad=False), Dim("d", "x")),
        checks=("forward", "jit", "bf16"),
        sizes=(0, 4),
        notes=("int64 in torch, int32 in JAX (no gradient); nan counts as nonzero in both.",),
        sig="input, dim=None",
        rename={"dim": "axis"},
    ),
    Record(
        torch="torch.nansum",
        jax="jax.numpy.nansum",
        torch_example="out = torch.nansum(x, dim=d, keepdim=k)",
        jax_example="out = jnp.nansum(x, axis=d, keepdims=k)",
        inputs=(T("x", "*", special=True), Dim("d", "x"), Choice("k", (False, True))),
        checks=ALL,
        tol=SUM_TOL,
        sizes=(0, 4),
        notes=("nan elements get a zero gradient in both.",),
        sig="input, dim=None, keepdim=False, *, dtype=None",
        rename={"dim": "axis", "keepdim": "keepdims"},
    ),
    Record(
        torch="torch.nanmean",
        jax="jax.numpy.nanmean",
        torch_example="out = torch.nanmean(x, dim=d, keepdim=k)",
        jax_example="out = jnp.nanmean(x, axis=d, keepdims=k)",
        inputs=(T("x", "*", special=True, finite_slices=True), Dim("d", "x"), Choice("k", (False, True))),
        status="caveat",
        checks=ALL,
        tol=SUM_TOL,
        sizes=(0, 4),
        notes=("An all-nan slice gives nan in both, but its gradient is nan in torch and 0 in JAX (see the "
               "difference below); the check draws slices that keep a finite value.",),
        differences=(
            Difference(
                note="gradient of an all-nan slice: torch nan, JAX 0",
                torch="x = torch.tensor([float('nan')], requires_grad=True)\ntorch.nanmean(x).backward()\n"
                      "out = torch.nan_to_num(x.grad, nan=7.0)",
                jax="out = jax.grad(jnp.nanmean)(jnp.array([jnp.nan]))",
                min_diff=7.0,
            ),
        ),
        sig=REDUCE_SIG,
        rename={"dim": "axis", "keepdim": "keepdims"},
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.cummax",
        jax="jax.lax.cummax",
        torch_example="out = torch.cummax(x, dim=d)",
        jax_example=(
            "a = d % x.ndim\n"
            "values = lax.cummax(x, axis=a)\n"
            "pos = lax.broadcasted_iota(jnp.int32, x.shape, a)\n"
            "out = (values, lax.cummax(jnp.where(x == values, pos, 0), axis=a))"
        ),
        # distinct values: at ties torch sends the gradient to one index
        inputs=(T("x", "*", unique=True, min_rank=1), Dim("d", "x")),
        status="manual",
        checks=("forward", "jit", "grad"),
        sizes=(1, 4),
        notes=(NAMEDTUPLE,
               "At ties torch returns the latest index of the running maximum; so does this pattern.",
               "lax.cummax rejects negative axes: normalise dim first."),
        reason=("torch.cummax returns values and indices; JAX has lax.cummax for the values only. The "
                "indices are the running maximum of the positions where x equals the running maximum."),
        sig="input, dim, *, out=None",
    ),
    Record(
        torch="torch.cummin",
        jax="jax.lax.cummin",
        torch_example="out = torch.cummin(x, dim=d)",
        jax_example=(
            "a = d % x.ndim\n"
            "values = lax.cummin(x, axis=a)\n"
            "pos = lax.broadcasted_iota(jnp.int32, x.shape, a)\n"
            "out = (values, lax.cummax(jnp.where(x == values, pos, 0), axis=a))"
        ),
        inputs=(T("x", "*", unique=True, min_rank=1), Dim("d", "x")),
        status="manual",
        checks=("forward", "jit", "grad"),
        sizes=(1, 4),
        notes=(NAMEDTUPLE,
               "At ties torch returns the latest index of the running minimum; so does this pattern.",
               "lax.cummin rejects negative axes: normalise dim first."),
        reason=("torch.cummin returns values and indices; JAX has lax.cummin for the values only. The "
                "indices are the running maximum of the positions where x equals the running minimum."),
        sig="input, dim, *, out=None",
    ),
    Record(
        torch="torch.var_mean",
        jax="jax.numpy.var + mean",
        torch_example="out = torch.var_mean(x, dim=d)",
        jax_example="out = (jnp.var(x, axis=d, correction=1), jnp.mean(x, axis=d))",
        inputs=(T("x", "N,C"), Dim("d", "x")),
        checks=ALL,
        sizes=(2, 4),
        tol=Tol(1e-5, 1e-5, "float32: two-pass variance, different summation order"),
        notes=("Unbiased by default (correction=1), as torch.var; jnp.var defaults to ddof=0.",),
        sig="input, dim=None, *, correction=1, keepdim=False",
        template="(jnp.var({input}, axis={dim}, correction={correction}), jnp.mean({input}, axis={dim}))",
        values={"correction": CORRECTION},  # correction=None is torch's 1 (OpInfo: 24.34 for 24.53 as ddof 0)
        unsupported_args={"keepdim": "pass keepdims=True to both jnp.var and jnp.mean"},
    ),
    Record(
        torch="torch.std_mean",
        jax="jax.numpy.std + mean",
        status="caveat",
        torch_example="out = torch.std_mean(x, dim=d)",
        jax_example="out = (jnp.std(x, axis=d, correction=1), jnp.mean(x, axis=d))",
        inputs=(T("x", "N,C", unique=True, nonzero=True), Dim("d", "x")),
        checks=ALL,
        sizes=(2, 4),
        tol=Tol(1e-5, 1e-5, "float32: two-pass variance, different summation order"),
        notes=("Unbiased by default (correction=1), as torch.std; jnp.std defaults to ddof=0.",
               "Where the std is 0 (a constant slice) torch's gradient is 0 and JAX's is nan (see torch.std): the "
               "draws are distinct."),
        differences=(
            Difference(
                note="the gradient of torch.std_mean's std at a constant input is 0; jnp.std's is nan",
                torch="x = torch.ones(3, requires_grad=True)\ntorch.std_mean(x)[0].backward()\nout = x.grad",
                jax="out = jnp.nan_to_num(jax.grad(lambda x: jnp.std(x, correction=1))(jnp.ones(3)), nan=7.0)",
                min_diff=7.0,
            ),
        ),
        sig="input, dim=None, *, correction=1, keepdim=False",
        template="(jnp.std({input}, axis={dim}, correction={correction}), jnp.mean({input}, axis={dim}))",
        values={"correction": CORRECTION},  # correction=None is torch's 1 (OpInfo: 24.34 for 24.53 as ddof 0)
        unsupported_args={"keepdim": "pass keepdims=True to both jnp.std and jnp.mean"},
    ),
    Record(
        torch="torch.aminmax",
        jax="jax.numpy.min, jax.numpy.max",
        torch_example="out = torch.aminmax(x, dim=d, keepdim=k)",
        jax_example="out = (jnp.min(x, axis=d, keepdims=k), jnp.max(x, axis=d, keepdims=k))",
        inputs=(T("x", "*", unique=True, min_rank=1), Dim("d", "x"), Choice("k", (False, True))),
        checks=ALL,
        sizes=(1, 4),
        sig="input, *, dim=None, keepdim=False, out=None",
        template="(jnp.min({input}, axis={dim?}, keepdims={keepdim?}), jnp.max({input}, axis={dim?}, "
                 "keepdims={keepdim?}))",
        unsupported_args=OUT,
        notes=("torch returns a namedtuple (min, max); the rewrite gives a plain tuple: unpack it or index [0] / [1] "
               "instead of .min / .max.",),
    ),
    Record(
        torch="torch.nanmedian",
        jax="jax.numpy.nanquantile",
        status="caveat",
        torch_example="out = torch.nanmedian(x)",
        jax_example="out = jnp.nanquantile(x, 0.5, method='lower')",
        inputs=(T("x", "*", unique=True, special=True, finite_slices=True, min_rank=1),),
        checks=("forward", "jit", "grad"),
        sizes=(1, 4),
        sig="input, dim=None, keepdim=False, *, out=None",
        template="jnp.nanquantile({input}, 0.5, method='lower')",
        unsupported_args={**OUT, "dim": "torch.nanmedian(x, dim) returns (values, indices): values are "
                                        "jnp.nanquantile(x, 0.5, axis=dim, method='lower'); indices have no JAX call",
                          "keepdim": "see dim"},
        notes=("The lower of the two middle values of the non-nan elements, as torch; jnp.nanmedian averages them. "
               "An all-nan tensor gives nan in both, but its gradient differs (torch 1 on one element, JAX 0): the "
               "draws keep a finite value.",
               "On integer tensors torch keeps the dtype; jnp.nanquantile computes in float32, which rounds integers "
               "above 2**24 (PyTorch's OpInfo int inputs found it).",
               "At a tie (several elements equal to the median) torch splits the gradient evenly among them, the "
               "rewrite gives it to one (found by the fuzz profile on Tensor.nanmedian): the draws use "
               "distinct values."),
        differences=(median_tie_grad("torch.nanmedian(x)", "nanquantile"),
                     median_of_int("torch.nanmedian({})", "nanquantile"),
                     Difference(note="gradient of torch.nanmedian on an all-nan tensor: torch passes it to an "
                                     "element, JAX gives 0",
                                torch="x = torch.tensor([float('nan')], requires_grad=True)\n"
                                      "torch.nanmedian(x).backward()\nout = x.grad",
                                jax="out = jax.grad(lambda x: jnp.nanquantile(x, 0.5, method='lower'))"
                                    "(jnp.array([jnp.nan]))", min_diff=0.5),),
    ),
    Record(
        torch="torch.nanquantile",
        jax="jax.numpy.nanquantile",
        status="caveat",
        torch_example="out = torch.nanquantile(torch.where(m, float('nan'), x), q, dim=d, keepdim=k)",
        jax_example="out = jnp.nanquantile(jnp.where(m, float('nan'), x), q, axis=d, keepdims=k)",
        inputs=(T("x", "N,C", unique=True), T("m", "N,C", dtype="bool"), Choice("q", (0.0, 0.25, 0.5, 0.9, 1.0)),
                Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-6, 2e-6, "linear interpolation between two sorted values, rounded in a different order"),
        sizes=(1, 4),
        sig="input, q, dim=None, keepdim=False, *, interpolation='linear', out=None",
        template="jnp.nanquantile({input}, {q}, axis={dim?}, keepdims={keepdim?}, method={interpolation?})",
        unsupported_args=OUT,
        notes=("Same default interpolation ('linear'); torch's interpolation= is jnp's method=. nan values are "
               "ignored in both; an all-nan slice gives nan. The proof puts nan where the drawn mask is set.",
               "Differs where the interpolation meets an infinity: between -inf and a finite value torch gives nan, "
               "jnp.nanquantile -inf; the draws keep the values finite."),
        differences=(Difference(note="quantile 0.25 of [-inf, 0]: torch nan, jnp.nanquantile -inf",
                                torch="out = torch.nanquantile(torch.tensor([float('-inf'), 0.0]), 0.25)"
                                      ".isnan().float()",
                                jax="out = jnp.isnan(jnp.nanquantile(jnp.array([-jnp.inf, 0.0]), 0.25))"
                                    ".astype(jnp.float32)", min_diff=1.0),),
    ),
    Record(
        torch="torch.histc",
        jax="jax.numpy.histogram",
        torch_example="out = torch.histc(x, bins=b, min=lo, max=hi)",
        jax_example="out = jnp.histogram(x, bins=b, range=None if (lo, hi) == (0, 0) else (lo, hi))[0].astype(x.dtype)",
        inputs=(T("x", "*", grad=False, normal=True), Choice("b", (1, 4, 7)), Choice("lo", (-2, 0)),
                Choice("hi", (2, 0))),
        status="caveat",
        checks=("forward", "jit"),
        why_not={"grad": "torch defines no derivative for histc (RuntimeError: not implemented)"},
        sizes=(1, 4),
        sig="input, bins=100, min=0, max=0, *, out=None",
        template="jnp.histogram({input}, bins={bins}, range=None if ({min}, {max}) == (0, 0) else ({min}, {max}))[0]"
                 ".astype({input}.dtype)",
        unsupported_args=OUT,
        notes=("Equal-width bins over [min, max]; values outside are ignored and max falls in the last bin, in both. "
               "min = max = 0 (torch's default) means the data's range, as range=None does in jnp.histogram (the "
               "rewrite picks it when both are 0).",
               "A subnormal value (|x| < 1.2e-38) is flushed to zero by XLA on CPU and can change bins: x = 3e-41 "
               "with range [-2, 0] is outside in torch (count 0) and at the edge 0 in JAX (count 1; found by the "
               "fuzz profile). The draws leave subnormals out.",
               "An empty input with min = max = 0: torch returns zeros, jnp.histogram raises ValueError (no range "
               "to take from no data; loud). The draws have at least one element."),
        differences=(Difference(note="a subnormal x = 3e-41 with range [-2, 0]: torch counts 0 (x > max), JAX 1 "
                                     "(x flushed to 0)",
                                torch="out = torch.histc(torch.tensor([3e-41]), bins=1, min=-2, max=0)",
                                jax="out = jnp.histogram(jnp.array([3e-41]), bins=1, range=(-2, 0))[0]"
                                    ".astype(jnp.float32)",
                                min_diff=1.0),),
    ),
]
