"""`torch.Tensor` methods whose `torch.*` function already has a record, and other methods with a JAX counterpart.

A method is its function with the receiver as first argument: `x.nansum(1)` -> `jnp.nansum(x, axis=1)`. Each record
repeats the function's proof on the method call, so the rewrite of the method is proven too.
"""

from mapping.record import Choice, Difference, Dim, Record, T, Tol
from mapping.records.torch_reduction import median_of_int, median_tie_grad

TUPLE_NOTE = ("torch returns a namedtuple; the rewrite gives a plain tuple: unpack it or index [0] / [1] instead of "
              "the named fields.")
INT32_NOTE = "Indices are int64 in torch, int32 in JAX (unless x64 is enabled)."
_MATMUL = Tol(1e-5, 1e-5, "float32 matrix factorizations: LAPACK (torch) and XLA (JAX) round in a different order")
_SPECIAL = Tol(1e-5, 1e-6, "special functions: torch and XLA use different series and recurrences")
_MVLGAMMA = Tol(1e-5, 5e-6, "XLA's lgamma (a Lanczos series) is less accurate than torch's near x = 2, where "
                "lgamma crosses 0 and relative error means nothing: against float64 on 400k points of [2, 6), "
                "JAX is off by up to 3.9e-6 abs (p=1; 8.5e-6 for p=3, within rtol there), torch by 2.4e-7 "
                "(1.6e-6); the fuzz profile drew x = 2.00001: torch 4.2336e-6 (float64 4.2336e-6), JAX 5.72e-6")


def _method(name: str, jax: str, torch_call: str, jax_call: str, inputs: tuple, sig: str = "", template: str = "",
            checks: tuple = ("forward", "jit", "grad"), **kw) -> Record:
    """`out = x.<torch_call>` -> `out = <jax_call>`: the method form of a function."""
    return Record(torch=f"torch.Tensor.{name}", jax=jax, torch_example=f"out = {torch_call}",
                  jax_example=f"out = {jax_call}", inputs=inputs, checks=checks, sig=sig, template=template, **kw)


_X = T("x", "*")
_XD = (T("x", "*", special=True), Dim("d", "x"), Choice("k", (False, True)))

RECORDS = [
    # -- comparisons and predicates -----------------------------------------------------------------
    _method("allclose", "jax.numpy.allclose", "a.allclose(b)", "jnp.allclose(a, b)",
            (T("a", "*", low=1.0, high=1.0001220703125, grad=False),
             T("b", "*", low=1.0, high=1.0001220703125, grad=False, bcast="a")),
            sig="other, rtol=1e-05, atol=1e-08, equal_nan=False",
            template="jnp.allclose({self}, {other}, rtol={rtol?}, atol={atol?}, equal_nan={equal_nan?})",
            checks=("forward", "jit"), sizes=(0, 4),
            notes=("Same rule and defaults as torch.allclose. torch returns a Python bool; jnp.allclose a 0-d bool "
                   "array (a tracer under jit: no Python `if` on it inside jitted code).",)),
    _method("isclose", "jax.numpy.isclose", "a.isclose(b, rtol=r, atol=t, equal_nan=e)",
            "jnp.isclose(a, b, rtol=r, atol=t, equal_nan=e)",
            (T("a", "*", low=1.0, high=1.0009765625, grad=False, special=True),
             T("b", "*", low=1.0, high=1.0009765625, grad=False, special=True, bcast="a"),
             Choice("r", (1e-05, 0.0001, 0.0)), Choice("t", (1e-08, 0.0001)), Choice("e", (False, True))),
            sig="other, rtol=1e-05, atol=1e-08, equal_nan=False",
            template="jnp.isclose({self}, {other}, rtol={rtol?}, atol={atol?}, equal_nan={equal_nan?})",
            checks=("forward", "jit"), sizes=(0, 4),
            notes=("Same rule and defaults: |a - b| <= atol + rtol * |b|; inf equals inf of the same sign.",)),
    _method("equal", "jax.numpy.array_equal", "a.equal(b)", "jnp.array_equal(a, b)",
            (T("a", "N", dtype="int64", low=0, high=2), T("b", "*", dtype="int64", low=0, high=2, bcast="a")),
            sig="other", template="jnp.array_equal({self}, {other})", checks=("forward", "jit"), sizes=(1, 3),
            notes=("Different shapes give False in both. torch returns a Python bool; jnp.array_equal a 0-d bool "
                   "array (a tracer under jit).",)),
    _method("isreal", "jax.numpy.isreal", "x.isreal()", "jnp.isreal(x)", (T("x", "*", special=True, grad=False),),
            template="jnp.isreal({self})", checks=("forward", "jit"), sizes=(0, 4),
            notes=("True for every element of a real tensor in both; for complex ones, where the imaginary part "
                   "is 0.",)),
    _method("is_complex", "jax.numpy.iscomplexobj", "(x.is_complex(), i.is_complex())",
            "(jnp.iscomplexobj(x), jnp.iscomplexobj(i))",
            (T("x", "*", grad=False), T("i", "*", dtype="int64")), template="jnp.iscomplexobj({self})",
            checks=("forward", "jit")),
    _method("is_signed", "jax.numpy.issubdtype", "(x.is_signed(), i.is_signed(), b.is_signed())",
            "((jnp.issubdtype(x.dtype, jnp.signedinteger) or jnp.issubdtype(x.dtype, jnp.inexact)), "
            "(jnp.issubdtype(i.dtype, jnp.signedinteger) or jnp.issubdtype(i.dtype, jnp.inexact)), "
            "(jnp.issubdtype(b.dtype, jnp.signedinteger) or jnp.issubdtype(b.dtype, jnp.inexact)))",
            (T("x", "*", grad=False), T("i", "*", dtype="int64"), T("b", "*", dtype="bool")),
            template="(jnp.issubdtype({self}.dtype, jnp.signedinteger) or jnp.issubdtype({self}.dtype, jnp.inexact))",
            checks=("forward", "jit"),
            notes=("Signed means a signed integer or a floating (or complex) dtype in torch; bool and uint8 are "
                   "unsigned in both.",)),
    _method("is_same_size", "jax.Array.shape", "a.is_same_size(b)", "a.shape == b.shape",
            (T("a", "N,C", grad=False), T("b", "N,C", grad=False)), sig="other",
            template="{self}.shape == {other}.shape", checks=("forward", "jit")),
    _method("is_conj", "False (no lazy conjugation in JAX)", "x.is_conj()", "False", (T("x", "*", grad=False),),
            template="False", checks=("forward", "jit"),
            notes=("torch can mark a tensor as lazily conjugated (x.conj() on a complex tensor); JAX arrays carry no "
                   "such bit: conj computes the values, so the answer is always False.",)),
    _method("is_neg", "False (no lazy negation in JAX)", "x.is_neg()", "False", (T("x", "*", grad=False),),
            template="False", checks=("forward", "jit"),
            notes=("torch can mark a tensor as lazily negated; JAX arrays carry no such bit.",)),
    _method("is_inference", "False (no inference tensors in JAX)", "x.is_inference()", "False",
            (T("x", "*", grad=False),), template="False", checks=("forward", "jit"),
            notes=("torch.inference_mode creates inference tensors; JAX has no such mode (every array can be "
                   "differentiated through a function), so the answer is always False.",)),
    # -- conjugation (identity on real tensors) -----------------------------------------------------
    _method("conj", "jax.Array.conj", "x.conj()", "x.conj()", (_X,), checks=("forward", "jit", "grad", "bf16"),
            sizes=(0, 4), notes=("The identity on real tensors. On complex ones torch sets a lazy-conjugation bit, "
                                 "JAX computes the values: the same numbers.",)),
    _method("conj_physical", "jax.numpy.conj", "x.conj_physical()", "jnp.conj(x)", (_X,),
            template="jnp.conj({self})", checks=("forward", "jit", "grad", "bf16"), sizes=(0, 4)),
    _method("resolve_conj", "the array itself", "x.resolve_conj()", "x", (_X,), template="{self}",
            checks=("forward", "jit", "grad"), sizes=(0, 4),
            notes=("Materialises a lazy conjugation in torch; JAX has none to resolve: the values are the same.",)),
    _method("resolve_neg", "the array itself", "x.resolve_neg()", "x", (_X,), template="{self}",
            checks=("forward", "jit", "grad"), sizes=(0, 4),
            notes=("Materialises a lazy negation in torch; JAX has none to resolve: the values are the same.",)),
    _method("adjoint", "jax.Array.mT", "x.adjoint()", "x.mT.conj()", (T("x", "B,N,M"),), template="{self}.mT.conj()",
            checks=("forward", "jit", "grad", "bf16"), sizes=(0, 4),
            notes=("The conjugate transpose of the last two axes (a view in torch, a copy in JAX).",)),
    # -- reductions ---------------------------------------------------------------------------------
    _method("nansum", "jax.numpy.nansum", "x.nansum(d, keepdim=k)", "jnp.nansum(x, axis=d, keepdims=k)", _XD,
            sig="dim=None, keepdim=False, *, dtype=None", rename={"dim": "axis", "keepdim": "keepdims"},
            template="jnp.nansum({self}, axis={dim?}, keepdims={keepdim?})",
            unsupported_args={"dtype": "cast first: jnp.nansum(x.astype(dtype), ...)"},
            checks=("forward", "jit", "grad", "bf16"), tol=Tol(1e-6, 1e-5, "float32 summation order differs"),
            sizes=(0, 4), notes=("nan elements get a zero gradient in both.",)),
    _method("nanmean", "jax.numpy.nanmean", "x.nanmean(d, keepdim=k)", "jnp.nanmean(x, axis=d, keepdims=k)",
            (T("x", "*", special=True, finite_slices=True), Dim("d", "x"), Choice("k", (False, True))),
            sig="dim=None, keepdim=False, *, dtype=None",
            template="jnp.nanmean({self}, axis={dim?}, keepdims={keepdim?})",
            unsupported_args={"dtype": "cast first: jnp.nanmean(x.astype(dtype), ...)"},
            checks=("forward", "jit", "grad", "bf16"), tol=Tol(1e-6, 1e-5, "float32 summation order differs"),
            sizes=(0, 4), status="caveat",
            notes=("An all-nan slice gives nan in both, but its gradient is nan in torch and 0 in JAX; the check "
                   "draws slices that keep a finite value.",),
            differences=(Difference(note="gradient of x.nanmean() over an all-nan slice: torch nan, JAX 0",
                                    torch="x = torch.tensor([float('nan')] * 2, requires_grad=True)\n"
                                          "x.nanmean().backward()\nout = torch.nan_to_num(x.grad, nan=7.0)",
                                    jax="out = jax.grad(lambda x: jnp.nanmean(x))(jnp.full(2, jnp.nan))",
                                    min_diff=7.0),)),
    _method("nanquantile", "jax.numpy.nanquantile", "x.masked_fill(m, float('nan')).nanquantile(q, dim=d, keepdim=k)",
            "jnp.nanquantile(jnp.where(m, float('nan'), x).astype(x.dtype), q, axis=d, keepdims=k)",
            (T("x", "N,C", unique=True), T("m", "N,C", dtype="bool"), Choice("q", (0.0, 0.25, 0.5, 0.9, 1.0)),
             Dim("d", "x"), Choice("k", (False, True))),
            sig="q, dim=None, keepdim=False, *, interpolation='linear'",
            template="jnp.nanquantile({self}, {q}, axis={dim?}, keepdims={keepdim?}, method={interpolation?})",
            tol=Tol(1e-6, 2e-6, "linear interpolation between two sorted values, rounded in a different order"),
            sizes=(1, 4), status="caveat",
            notes=("Same default interpolation ('linear'); torch's interpolation= is jnp's method=. nan values are "
                   "ignored in both; an all-nan slice gives nan. The proof puts nan where the drawn mask is set.",
                   "Differs where the interpolation meets an infinity: between -inf and a finite value torch gives "
                   "nan (-inf + t * inf), jnp.nanquantile -inf; the draws keep the values finite."),
            differences=(Difference(note="quantile 0.25 of [-inf, 0]: torch nan, jnp.nanquantile -inf",
                                    torch="out = torch.tensor([float('-inf'), 0.0]).nanquantile(0.25).isnan().float()",
                                    jax="out = jnp.isnan(jnp.nanquantile(jnp.array([-jnp.inf, 0.0]), 0.25))"
                                        ".astype(jnp.float32)", min_diff=1.0),)),
    _method("quantile", "jax.numpy.quantile", "x.quantile(q, dim=d, keepdim=k)",
            "jnp.quantile(x, q, axis=d, keepdims=k)",
            (T("x", "*", unique=True, min_rank=1), Choice("q", (0.0, 0.25, 0.5, 0.9, 1.0)), Dim("d", "x"),
             Choice("k", (False, True))),
            sig="q, dim=None, keepdim=False, *, interpolation='linear'",
            template="jnp.quantile({self}, {q}, axis={dim?}, keepdims={keepdim?}, method={interpolation?})",
            tol=Tol(1e-6, 2e-6, "linear interpolation between two sorted values, rounded in a different order"),
            sizes=(1, 4), notes=("Same default interpolation ('linear'); torch's interpolation= is jnp's method=.",)),
    _method("nanmedian", "jax.numpy.nanquantile", "x.nanmedian()", "jnp.nanquantile(x, 0.5, method='lower')",
            (T("x", "*", unique=True, special=True, finite_slices=True, min_rank=1),), status="caveat",
            differences=(median_of_int("{}.nanmedian()", "nanquantile"),
                         Difference(note="gradient of x.nanmedian() on an all-nan tensor: torch passes it to an "
                                         "element, JAX gives 0",
                                    torch="x = torch.tensor([float('nan')], requires_grad=True)\n"
                                          "x.nanmedian().backward()\nout = x.grad",
                                    jax="out = jax.grad(lambda x: jnp.nanquantile(x, 0.5, method='lower'))"
                                        "(jnp.array([jnp.nan]))", min_diff=0.5),
                         median_tie_grad("x.nanmedian()", "nanquantile")),
            sig="dim=None, keepdim=False", template="jnp.nanquantile({self}, 0.5, method='lower')",
            unsupported_args={"dim": "x.nanmedian(dim) returns (values, indices): values are "
                                     "jnp.nanquantile(x, 0.5, axis=dim, method='lower'); indices have no JAX call",
                              "keepdim": "see dim"},
            sizes=(1, 4),
            notes=("The lower of the two middle values of the non-nan elements, as torch; jnp.nanmedian averages "
                   "them. An all-nan tensor gives nan in both, but its gradient differs (torch 1 on one element, "
                   "JAX 0): the draws keep a finite value.",
                   "On integer tensors torch keeps the dtype; jnp.nanquantile computes in float32, which rounds "
                   "integers above 2**24.",
                   "At a tie (several elements equal to the median) torch splits the gradient evenly among them, the "
                   "rewrite gives it to one (found by the fuzz profile on x.nanmedian()): the draws use "
                   "distinct values.")),
    _method("aminmax", "jax.numpy.min, jax.numpy.max", "x.aminmax(dim=d, keepdim=k)",
            "(jnp.min(x, axis=d, keepdims=k), jnp.max(x, axis=d, keepdims=k))",
            (T("x", "*", unique=True, min_rank=1), Dim("d", "x"), Choice("k", (False, True))),
            sig="*, dim=None, keepdim=False",
            template="(jnp.min({self}, axis={dim?}, keepdims={keepdim?}), jnp.max({self}, axis={dim?}, "
                     "keepdims={keepdim?}))",
            checks=("forward", "jit", "grad", "bf16"), sizes=(1, 4), notes=(TUPLE_NOTE + " (min, max)",)),
    _method("logcumsumexp", "jax.lax.cumlogsumexp", "x.logcumsumexp(d)", "lax.cumlogsumexp(x, axis=d % jnp.ndim(x))",
            (T("x", "*", low=-10, high=10), Dim("d", "x")), sig="dim",
            template="lax.cumlogsumexp({self}, axis={dim} % jnp.ndim({self}))",
            checks=("forward", "jit", "grad", "bf16"), sizes=(0, 4),
            grad_tol=Tol(1e-5, 2e-3, "the gradient of a running log-sum-exp is a softmax over the prefix: entries "
                                     "near e^-20 are computed from differences of large sums in both"),
            notes=("lax.cumlogsumexp rejects negative axes (XLA): the rewrite normalises dim.",)),
    _method("msort", "jax.numpy.sort", "x.msort()", "jnp.sort(x, axis=0)", (T("x", "*", unique=True, min_rank=1),),
            template="jnp.sort({self}, axis=0)", checks=("forward", "jit", "grad", "bf16"), sizes=(0, 4),
            notes=("Sorts along the first axis.",)),
    _method("kthvalue", "jax.numpy.sort", "x.kthvalue(k, d)",
            "(jnp.take(jnp.sort(x, axis=d), k - 1, axis=d), jnp.take(jnp.argsort(x, axis=d), k - 1, axis=d))",
            (T("x", "*", unique=True, min_rank=1), Choice("k", (1, 2)), Dim("d", "x")),
            sig="k, dim=-1, keepdim=False",
            template="(jnp.take(jnp.sort({self}, axis={dim}), {k} - 1, axis={dim}), "
                     "jnp.take(jnp.argsort({self}, axis={dim}), {k} - 1, axis={dim}))",
            unsupported_args={"keepdim": "wrap each result in jnp.expand_dims(..., dim)"}, sizes=(2, 4),
            status="caveat",
            notes=(TUPLE_NOTE + " (values, indices)", "k is 1-based in torch (k=1 is the smallest), hence k - 1.",
                   "Equal values: the indices of ties may differ (JAX's sort is stable, torch's is not); the values "
                   "do not. The proofs draw distinct values.", INT32_NOTE),
            differences=(Difference(note="indices of equal values: torch's order differs from JAX's stable one",
                                    torch="out = torch.tensor([1.0, 0.0, 0.0, 1.0]).kthvalue(2).indices",
                                    jax="out = jnp.take(jnp.argsort(jnp.array([1.0, 0.0, 0.0, 1.0]), axis=-1), 2 - 1, "
                                        "axis=-1)", min_diff=1.0),)),
    # -- elementwise and special functions ----------------------------------------------------------
    _method("floor_divide", "jax.numpy.floor_divide", "a.floor_divide(b)", "jnp.floor_divide(a, b)",
            (T("a", "*", dtype="int64", low=-20, high=20), T("b", "*", dtype="int64", low=-5, high=5, bcast="a",
                                                             nonzero=True)),
            sig="other", template="jnp.floor_divide({self}, {other})", checks=("forward", "jit"), sizes=(0, 4),
            notes=("Rounds toward -inf (like Python //) in both.",),
            differences=(Difference(note="integer floor division by zero: torch raises, JAX returns a value",
                                    torch="out = torch.tensor([7]).floor_divide(torch.tensor([0]))",
                                    jax="out = jnp.floor_divide(jnp.array([7]), jnp.array([0]))",
                                    torch_raises="RuntimeError"),)),
    _method("ldexp", "jax.numpy.ldexp", "a.ldexp(b)", "jnp.ldexp(a, b)",
            (T("a", "*", nonzero=True), T("b", "*", dtype="int64", low=0, high=5, bcast="a")), sig="other",
            template="jnp.ldexp({self}, {other})", checks=("forward", "jit", "grad", "bf16"), sizes=(0, 4),
            status="caveat",
            notes=("a * 2**b. jnp.ldexp requires an integer exponent; torch also takes a float one: use "
                   "a * jnp.exp2(b) then.", "torch's gradient with respect to the receiver is 0 wherever the "
                   "exponent is negative (see torch.ldexp); values agree; gradients are compared on exponents >= 0.",
                   "At a == 0 JAX's gradient is 1 (torch 2**b) and at a subnormal a nan (see torch.ldexp; found by the "
                   "fuzz profile): compared on |a| >= 2**-20."),
            differences=(Difference(note="gradient of a.ldexp(b) for b = -3: torch 0, JAX 0.125",
                                    torch="a = torch.ones(1, requires_grad=True)\n"
                                          "a.ldexp(torch.tensor([-3])).sum().backward()\nout = a.grad",
                                    jax="out = jax.grad(lambda a: jnp.ldexp(a, jnp.array([-3])).sum())(jnp.ones(1))",
                                    min_diff=0.1),
                         Difference(note="gradient of a.ldexp(3) at a = 0: torch 8 (2**3), JAX 1",
                                    torch="a = torch.zeros(1, requires_grad=True)\n"
                                          "a.ldexp(torch.tensor([3])).sum().backward()\nout = a.grad",
                                    jax="out = jax.grad(lambda a: jnp.ldexp(a, jnp.array([3])).sum())(jnp.zeros(1))",
                                    min_diff=6.0),
                         Difference(note="gradient of a.ldexp(3) at a subnormal a = 1e-40: torch 8, JAX nan "
                                         "(shown as -1)",
                                    torch="a = torch.tensor([1e-40], requires_grad=True)\n"
                                          "a.ldexp(torch.tensor([3])).sum().backward()\nout = a.grad",
                                    jax="out = jnp.nan_to_num(jax.grad(lambda a: jnp.ldexp(a, jnp.array([3])).sum())"
                                        "(jnp.array([1e-40])), nan=-1.0)",
                                    min_diff=8.0))),
    _method("frexp", "jax.numpy.frexp", "x.frexp()", "jnp.frexp(x)",
            (T("x", "*", low=-1000, high=1000, normal=True, grad=False),),
            template="jnp.frexp({self})", checks=("forward", "jit"), sizes=(0, 4),
            why_not={"grad": "torch defines no derivative for frexp (RuntimeError: not implemented)"},
            notes=("(mantissa, exponent) with |mantissa| in [0.5, 1) and an int32 exponent in both.",)),
    _method("igamma", "jax.scipy.special.gammainc", "a.igamma(x)", "jax.scipy.special.gammainc(a, x)",
            (T("a", "N", low=0.5, high=5, grad=False), T("x", "N", low=0.0625, high=6)), sig="other",
            template="jax.scipy.special.gammainc({self}, {other})", tol=_SPECIAL,
            grad_tol=Tol(1e-4, 1e-5, "derivatives of " + _SPECIAL.reason), sizes=(0, 4),
            notes=("Regularized lower incomplete gamma P(a, x) (torch.special.gammainc). torch differentiates only "
                   "with respect to x.",)),
    _method("igammac", "jax.scipy.special.gammaincc", "a.igammac(x)", "jax.scipy.special.gammaincc(a, x)",
            (T("a", "N", low=0.5, high=5, grad=False), T("x", "N", low=0.0625, high=6)), sig="other",
            template="jax.scipy.special.gammaincc({self}, {other})", tol=_SPECIAL,
            grad_tol=Tol(1e-4, 1e-5, "derivatives of " + _SPECIAL.reason), sizes=(0, 4),
            notes=("Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x) (torch.special.gammaincc).",)),
    _method("mvlgamma", "jax.scipy.special.multigammaln", "x.mvlgamma(p)", "jax.scipy.special.multigammaln(x, p)",
            (T("x", "N", low=2.0, high=6), Choice("p", (1, 3))), sig="p",
            template="jax.scipy.special.multigammaln({self}, {p})", tol=_MVLGAMMA,
            grad_tol=Tol(1e-5, 1e-6, "derivatives of " + _SPECIAL.reason), sizes=(0, 4),
            notes=("Every element must exceed (p - 1) / 2 (torch raises otherwise; JAX returns nan).",)),
    _method("polygamma", "jax.scipy.special.polygamma", "x.polygamma(n)", "jax.scipy.special.polygamma(n, x)",
            (T("x", "N", low=0.5, high=5), Choice("n", (0, 1, 2))), sig="n",
            template="jax.scipy.special.polygamma({n}, {self})", tol=Tol(1e-5, 1e-5, _SPECIAL.reason),
            grad_tol=Tol(1e-4, 1e-5, "derivatives of " + _SPECIAL.reason), status="caveat",
            notes=("Checked on x in [0.5, 5). JAX's polygamma can be wrong at negative x: polygamma(1, -8.598) is "
                   "10.76 in torch (and mpmath), -5.60 in JAX (PyTorch's OpInfo samples found it); at the poles "
                   "x = 0, -1, ... torch gives inf, JAX nan.",),
            differences=(Difference(note="polygamma(1, -8.598136): torch 10.76 (mpmath 10.76), JAX -5.60",
                                    torch="out = torch.tensor([-8.598136]).polygamma(1)",
                                    jax="out = jax.scipy.special.polygamma(1, jnp.array([-8.598136]))",
                                    min_diff=10.0),)),
    _method("hardshrink", "jax.numpy.where", "x.hardshrink(0.75)", "jnp.where(jnp.abs(x) > 0.75, x, 0.0)",
            (T("x", "*", unique=True),), sig="lambd=0.5",
            template="jnp.where(jnp.abs({self}) > {lambd}, {self}, 0.0)", checks=("forward", "jit", "grad", "bf16"),
            sizes=(0, 4)),
    _method("prelu", "jax.numpy.where", "x.prelu(w)",
            "jnp.where(x > 0, x, w.reshape(-1, *[1] * (x.ndim - 2)) * x).reshape(x.shape)",
            (T("x", "N,C,L", normal=True), T("w", "C")), sig="weight",
            template="jnp.where({self} > 0, {self}, {weight}.reshape(-1, *[1] * ({self}.ndim - 2)) * {self})"
                     ".reshape({self}.shape)",
            checks=("forward", "jit", "grad", "bf16"), status="caveat",
            notes=("One slope per channel (axis 1), or a single slope: the reshape broadcasts it over the axes after "
                   "the channels. At x == 0 the slope's branch is taken, as in torch. The final reshape keeps a 0-d "
                   "input 0-d (the slope alone has shape (1,)).",
                   "A subnormal positive input (0 < x < 1.2e-38) is flushed to zero by XLA on CPU: JAX takes the "
                   "x <= 0 branch of the gradient (the slope), torch the x > 0 one (1); the fuzz profile found it "
                   "(x = 2.5e-39, slope 0: gradient 0.274 vs 0 on a projected cotangent). The draws leave subnormals "
                   "out."),
            differences=(Difference(
                note="gradient at a subnormal x = 1e-40: torch 1 (x > 0), JAX 0.25, the slope (XLA:CPU flushes x to 0)",
                torch="x = torch.tensor([1e-40], requires_grad=True)\nx.prelu(torch.tensor([0.25])).sum().backward()\n"
                      "out = x.grad",
                jax="out = jax.grad(lambda x: jnp.where(x > 0, x, jnp.array([0.25]).reshape(-1, *[1] * (x.ndim - 2)) "
                    "* x).sum())(jnp.array([1e-40]))",
                min_diff=0.4),)),
    _method("bitwise_left_shift", "jax.numpy.left_shift", "a.bitwise_left_shift(b)", "jnp.left_shift(a, b)",
            (T("a", "*", dtype="int64", low=-1000, high=1000), T("b", "*", dtype="int64", low=0, high=8, bcast="a")),
            sig="other", template="jnp.left_shift({self}, {other})", checks=("forward", "jit"), sizes=(0, 4),
            status="caveat",
            notes=("Equal while the result fits in int32: JAX's default integers are int32 (torch: int64), so "
                   "bits shifted past bit 31 are lost unless x64 is enabled.",),
            differences=(Difference(note="1 << 40: torch int64 gives 2**40, JAX int32 gives 0",
                                    torch="out = torch.tensor([1]).bitwise_left_shift(torch.tensor([40])).float()",
                                    jax="out = jnp.left_shift(jnp.array([1]), jnp.array([40])).astype(jnp.float32)",
                                    min_diff=1e12),)),
    _method("bitwise_right_shift", "jax.numpy.right_shift", "a.bitwise_right_shift(b)", "jnp.right_shift(a, b)",
            (T("a", "*", dtype="int64", low=-1000, high=1000), T("b", "*", dtype="int64", low=0, high=8, bcast="a")),
            sig="other", template="jnp.right_shift({self}, {other})", checks=("forward", "jit"), sizes=(0, 4),
            notes=("Arithmetic shift on signed integers in both (negative values stay negative).",)),
    # -- linear algebra -----------------------------------------------------------------------------
    _method("matrix_power", "jax.numpy.linalg.matrix_power", "a.matrix_power(k)", "jnp.linalg.matrix_power(a, k)",
            (T("a", "B,N,N", low=-0.0625, high=0.0625, diag=0.4), Choice("k", (-2, -1, 0, 1, 2, 3, 5))), sig="n",
            template="jnp.linalg.matrix_power({self}, {n})",
            notes=("Negative powers invert first in both; both use repeated squaring.",)),
    Record(torch="torch.Tensor.slogdet", jax="jax.numpy.linalg.slogdet", torch_example="n = -a\nout = n.slogdet()",
           jax_example="n = -a\nout = jnp.linalg.slogdet(n)", inputs=(T("a", "B,N,N", low=-0.25, high=0.25, diag=4.0),),
           template="jnp.linalg.slogdet({self})",
           notes=("Both return (sign, logabsdet); the negated input makes the sign (-1)^n.",)),
    _method("pinverse", "jax.numpy.linalg.pinv", "a.pinverse()", "jnp.linalg.pinv(a, rtol=1e-15)",
            (T("a", "B,N,M", low=-0.25, high=0.25, diag=4.0),), sig="rcond=1e-15",
            template="jnp.linalg.pinv({self}, rtol={rcond})", tol=_MATMUL,
            grad_tol=Tol(1e-4, 1e-4, "gradients of " + _MATMUL.reason), sizes=(1, 4),
            notes=("Singular values below rcond times the largest are treated as zero in both; jnp.linalg.pinv's "
                   "default cut-off differs (a multiple of the float32 epsilon), so the rewrite passes torch's.",)),
    # -- indexing and scattering --------------------------------------------------------------------
    _method("take", "jax.numpy.take", "x.take(idx)", "jnp.take(x, idx)",
            (T("x", "3,N"), T("idx", "K,M", dtype="int64", low=-3, high=3)), sig="index",
            template="jnp.take({self}, {index})", sizes=(1, 3),
            notes=("Both index the flattened tensor and wrap negative indices.",),
            differences=(Difference(note="an out-of-range index: torch raises IndexError, jnp.take returns NaN",
                                    torch="out = torch.zeros(3).take(torch.tensor([5]))",
                                    jax="out = jnp.take(jnp.zeros(3), jnp.array([5]))",
                                    torch_raises="IndexError"),)),
    _method("narrow", "jax.lax.dynamic_slice_in_dim", "x.narrow(d, s, n)", "lax.dynamic_slice_in_dim(x, s, n, axis=d)",
            (T("x", "N,4,C"), Choice("d", (1, -2)), Choice("s", (0, 1, -2, -4)), Choice("n", (0, 1, 2))),
            sig="dim, start, length", template="lax.dynamic_slice_in_dim({self}, {start}, {length}, axis={dim})",
            sizes=(0, 3),
            notes=("Negative start counts from the end in both. torch raises when start + length runs past the end; "
                   "lax.dynamic_slice_in_dim clamps the start so the window fits (see torch.narrow).",)),
    _method("select", "jax.numpy.take", "x.select(d, i)", "jnp.take(x, i, axis=d)",
            (T("x", "N,4,C"), Choice("d", (1, -2)), Choice("i", (0, 3, -1, -4))), sig="dim, index",
            template="jnp.take({self}, {index}, axis={dim})", checks=("forward", "jit", "grad", "bf16"), sizes=(1, 3),
            notes=("Removes axis dim, as x[:, i] does; negative indices count from the end in both.",),
            differences=(Difference(note="an out-of-range index: torch raises IndexError, jnp.take returns NaN",
                                    torch="out = torch.zeros(2, 3).select(1, 5)",
                                    jax="out = jnp.take(jnp.zeros((2, 3)), 5, axis=1)",
                                    torch_raises="IndexError"),)),
    _method("select_scatter", "jax.Array.at", "x.select_scatter(src, d, i)",
            "x.at[(slice(None),) * (d % x.ndim) + (i,)].set(src)",
            (T("x", "N,4,C"), T("src", "N,C"), Choice("d", (1, -2)), Choice("i", (0, 3, -1))), sig="src, dim, index",
            template="{self}.at[(slice(None),) * ({dim} % {self}.ndim) + ({index},)].set({src})", sizes=(1, 3),
            notes=("A copy of x with the slice at index i of axis dim replaced by src (src has x's shape without "
                   "that axis).",)),
    _method("slice_scatter", "jax.Array.at", "x.slice_scatter(src, dim=d, start=a, end=a + 2)",
            "x.at[(slice(None),) * (d % x.ndim) + (slice(a, a + 2, 1),)].set(src)",
            (T("x", "N,6,C"), T("src", "N,2,C"), Choice("d", (1, -2)), Choice("a", (0, 2, 4, -4))),
            sig="src, dim=0, start=None, end=None, step=1",
            template="{self}.at[(slice(None),) * ({dim} % {self}.ndim) + (slice({start}, {end}, {step}),)].set({src})",
            sizes=(1, 3), notes=("src has the shape of the slice in both; negative start and end count from the end "
                                 "in both.",)),
    _method("index_fill", "jax.Array.at", "x.index_fill(d, idx, v)",
            "x.at[(slice(None),) * (d % x.ndim) + (idx,)].set(v)",
            (T("x", "N,4,C"), Choice("d", (1, -2)), T("idx", "K", dtype="int64", low=0, high=4),
             Choice("v", (-1.0, 0.0, 3.5))), sig="dim, index, value",
            template="{self}.at[(slice(None),) * ({dim} % {self}.ndim) + ({index},)].set({value})", sizes=(0, 3)),
    _method("scatter_add", "jax.Array.at", "x.scatter_add(d, idx, src)",
            "x.at[tuple(idx if i == d % idx.ndim else j for i, j in enumerate(jnp.indices(idx.shape, sparse=True)))]"
            ".add(src)",
            (T("x", "N,5"), Choice("d", (1, -1)), T("idx", "N,K", dtype="int64", low=0, high=5), T("src", "N,K")),
            sig="dim, index, src",
            template="{self}.at[tuple({index} if i == {dim} % {index}.ndim else j for i, j in "
                     "enumerate(jnp.indices({index}.shape, sparse=True)))].add({src})",
            checks=("forward", "jit", "grad", "bf16"), sizes=(0, 3),
            notes=("The index tuple puts `index` on axis `dim` and a broadcast iota on the other axes. Duplicate "
                   "indices accumulate in both; the order of the float additions may differ.",
                   "torch reads only the leading index.shape block of src; JAX needs src of index's shape.")),
    _method("scatter_reduce", "jax.Array.at", "x.scatter_reduce(d, idx, src, 'amax')",
            "x.at[tuple(idx if i == d % idx.ndim else j for i, j in enumerate(jnp.indices(idx.shape, sparse=True)))]"
            ".max(src)",
            (T("x", "N,5"), Choice("d", (1, -1)), T("idx", "N,K", dtype="int64", low=0, high=5), T("src", "N,K")),
            sig="dim, index, src, reduce, *, include_self=True",
            template="{self}.at[tuple({index} if i == {dim} % {index}.ndim else j for i, j in "
                     "enumerate(jnp.indices({index}.shape, sparse=True)))].{reduce}({src})",
            values={"reduce": {"'sum'": "add", "'prod'": "multiply", "'amax'": "max", "'amin'": "min"}},
            unsupported_args={"include_self": "no .at equivalent: scatter into an identity-filled array"},
            sizes=(0, 3),
            notes=("reduce 'sum', 'prod', 'amax', 'amin' map to .add, .multiply, .max, .min with include_self=True. "
                   "Ties share the gradient equally in both.", "'mean' has no .at method: sums and counts by hand.")),
    _method("masked_scatter", "jax.numpy.where", "x.masked_scatter(m, src)",
            "jnp.where(m, src.ravel()[jnp.cumsum(jnp.broadcast_to(m, x.shape).ravel()) - 1].reshape(x.shape), x)",
            (T("x", "N,C"), T("m", "1,C", dtype="bool"), T("src", "N,C")), sig="mask, source",
            template="jnp.where({mask}, {source}.ravel()[jnp.cumsum(jnp.broadcast_to({mask}, {self}.shape).ravel()) "
                     "- 1].reshape({self}.shape), {self})",
            sizes=(1, 4),
            notes=("The k-th True position of the mask (in row-major order) takes the k-th element of source; a "
                   "running count of the mask gives k with a static shape, so it works under jax.jit.",
                   "source needs at least as many elements as x here (torch needs only as many as the mask has "
                   "True values).")),
    _method("put", "jax.Array.at", "x.put(idx, src, accumulate=True)",
            "x.ravel().at[idx].add(src).reshape(x.shape)",
            (T("x", "N,C"), T("idx", "K", dtype="int64", low=-2, high=2), T("src", "K")),
            sig="index, source, accumulate=False",
            template="{self}.ravel().at[{index}].{accumulate}({source}).reshape({self}.shape)",
            values={"accumulate": {"True": "add"}}, sizes=(2, 4),
            notes=("Indexes the flattened tensor; negative indices wrap in both. accumulate=True adds duplicates in "
                   "both. With accumulate=False torch leaves the winner among duplicate indices undefined, so the "
                   "rewrite is left to the user: x.ravel().at[index].set(source).reshape(x.shape) where the indices "
                   "are distinct.",)),
    _method("index_put", "jax.Array.at", "x.index_put((i,), v, accumulate=True)", "x.at[(i,)].add(v)",
            (T("x", "N,C"), T("i", "K", dtype="int64", low=-2, high=2), T("v", "C")),
            sig="indices, values, accumulate=False", template="{self}.at[{indices}].{accumulate}({values})",
            values={"accumulate": {"True": "add"}}, sizes=(2, 4),
            notes=("indices is a tuple of index tensors, one per leading axis, as in x[indices]. accumulate=True adds "
                   "duplicates in both; with accumulate=False torch leaves the winner among duplicates undefined: "
                   "write x.at[indices].set(values) where the indices are distinct.",)),
    _method("unfold", "jax.numpy.take", "x.unfold(d, n, s)",
            "jnp.moveaxis(jnp.take(x, jnp.arange(0, x.shape[d] - n + 1, s)[:, None] + jnp.arange(n), axis=d), "
            "d % x.ndim + 1, -1)",
            (T("x", "N,6,C"), Choice("d", (1, -2)), Choice("n", (1, 2, 3)), Choice("s", (1, 2))),
            sig="dimension, size, step",
            template="jnp.moveaxis(jnp.take({self}, jnp.arange(0, {self}.shape[{dimension}] - {size} + 1, {step})"
                     "[:, None] + jnp.arange({size}), axis={dimension}), {dimension} % {self}.ndim + 1, -1)",
            checks=("forward", "jit", "grad", "bf16"), sizes=(1, 3),
            notes=("Sliding windows of `size` elements every `step` along dim: the window index takes dim's place and "
                   "the window's elements become a new last axis, in both. A copy in JAX (a view in torch).",)),
    # -- shape ----------------------------------------------------------------------------------------
    _method("diag", "jax.numpy.diag", "x.diag(k)", "jnp.diag(x, k)", (T("x", "N"), Choice("k", (-1, 0, 2))),
            sig="diagonal=0", template="jnp.diag({self}, {diagonal?})", checks=("forward", "jit", "grad", "bf16"),
            notes=("A vector gives a square matrix with it on diagonal k; a matrix gives its diagonal k, in both.",)),
    _method("diagflat", "jax.numpy.diagflat", "x.diagflat(k)", "jnp.diagflat(x, k)",
            (T("x", "N,C"), Choice("k", (-1, 0, 2))), sig="offset=0", template="jnp.diagflat({self}, {offset?})",
            checks=("forward", "jit", "grad", "bf16")),
    _method("diag_embed", "jax.numpy.where", "x.diag_embed()",
            "jnp.where(jnp.eye(x.shape[-1], dtype=bool), x[..., None], 0).astype(x.dtype)",
            (T("x", "N,C", special=True),), sig="offset=0, dim1=-2, dim2=-1",
            template="jnp.where(jnp.eye({self}.shape[-1], dtype=bool), {self}[..., None], 0).astype({self}.dtype)",
            unsupported_args={"offset": "build it with jnp.vectorize(lambda v: jnp.diag(v, offset), "
                                        "signature='(n)->(m,m)')", "dim1": "move the axes with jnp.moveaxis",
                              "dim2": "move the axes with jnp.moveaxis"},
            checks=("forward", "jit", "grad", "bf16"),
            notes=("The last axis becomes the diagonal of a new pair of trailing axes, zeros elsewhere (also where x "
                   "holds inf or nan: jnp.where, not a product with the identity, which would give nan). The cast "
                   "keeps bool and int dtypes (jnp.where promotes them with the 0).",)),
    _method("hsplit", "jax.numpy.hsplit", "x.hsplit(s)", "jnp.hsplit(x, s)",
            (T("x", "N,6,C"), Choice("s", (1, 2, 3, (1, 4)))), sig="indices_or_sections",
            template="jnp.hsplit({self}, {indices_or_sections})", sizes=(1, 3),
            notes=("Splits axis 1 (axis 0 of a 1-D tensor), as numpy: an int is a number of equal sections, a list "
                   "the cut indices. torch returns a tuple, jnp a list.",)),
    _method("vsplit", "jax.numpy.vsplit", "x.vsplit(s)", "jnp.vsplit(x, s)",
            (T("x", "6,N,C"), Choice("s", (1, 2, 3, (1, 4)))), sig="indices_or_sections",
            template="jnp.vsplit({self}, {indices_or_sections})", sizes=(1, 3),
            notes=("Splits axis 0, as numpy. torch returns a tuple, jnp a list.",)),
    _method("dsplit", "jax.numpy.dsplit", "x.dsplit(s)", "jnp.dsplit(x, s)",
            (T("x", "N,C,6"), Choice("s", (1, 2, 3, (1, 4)))), sig="indices_or_sections",
            template="jnp.dsplit({self}, {indices_or_sections})", sizes=(1, 3),
            notes=("Splits axis 2, as numpy. torch returns a tuple, jnp a list.",)),
    _method("split_with_sizes", "jax.numpy.split", "x.split_with_sizes([1, 3, 2], dim=d)",
            "jnp.split(x, np.cumsum([1, 3, 2])[:-1], axis=d)", (T("x", "N,6,C"), Choice("d", (1, -2))),
            sig="split_sizes, dim=0", template="jnp.split({self}, np.cumsum({split_sizes})[:-1], axis={dim?})",
            checks=("forward", "jit", "grad", "bf16"),
            notes=("torch takes the sizes of the pieces, jnp.split the indices where to cut: the cumulative sums "
                   "without the last. Needs `import numpy as np`.",)),
    _method("tensor_split", "jax.numpy.array_split", "x.tensor_split(s, dim=d)",
            "jnp.array_split(x, s, axis=d)",
            (T("x", "N,4,C"), Choice("s", (1, 2, 3, 5, (1,), (1, 3), (0, 2, 2), (4,))), Choice("d", (1, -2))),
            sig="indices_or_sections, dim=0", template="jnp.array_split({self}, {indices_or_sections}, axis={dim?})",
            sizes=(0, 3), status="caveat",
            notes=("Both follow numpy.array_split: an int gives that many pieces (the first ones one longer), a "
                   "sequence gives cut indices. Equal when every cut index is at most the dimension size: torch "
                   "returns empty pieces for indices past the end, jnp.array_split raises ValueError.",)),
    _method("repeat_interleave", "jax.numpy.repeat", "x.repeat_interleave(r, dim=d)", "jnp.repeat(x, r, axis=d)",
            (T("x", "*"), Choice("r", (0, 1, 2, 3)), Dim("d", "x")), sig="repeats, dim=None, *, output_size=None",
            template="jnp.repeat({self}, {repeats}, axis={dim?}, total_repeat_length={output_size?})", sizes=(0, 3),
            notes=("With a tensor of repeats the output size depends on the data: inside jax.jit pass "
                   "total_repeat_length (torch's output_size). Without dim both repeat the flattened array.",)),
    # -- statistics -----------------------------------------------------------------------------------
    _method("cov", "jax.numpy.cov", "x.cov(correction=c)", "jnp.cov(x, ddof=c)",
            (T("x", "N,M"), Choice("c", (1, 0))), sig="*, correction=1, fweights=None, aweights=None",
            template="jnp.cov({self}, ddof={correction}, fweights={fweights?}, aweights={aweights?})",
            checks=("forward", "jit", "grad", "bf16"), tol=Tol(1e-5, 1e-5, "float32 summation order differs"),
            sizes=(2, 5), status="caveat",
            notes=("Rows are variables and columns observations in both.", "Negative degrees of freedom "
                   "(correction above the number of observations, or with weights sum(w) - correction * "
                   "sum(w * aweights) / sum(w) < 0): torch clamps them to 0 and returns inf, jnp.cov divides by the "
                   "negative count (see torch.cov)."),
            differences=(Difference(note="x.cov(correction=4) of 3 observations: torch inf, JAX -4.67",
                                    torch="out = torch.tensor([[1.0, 2.0, 4.0]]).cov(correction=4)",
                                    jax="out = jnp.cov(jnp.array([[1.0, 2.0, 4.0]]), ddof=4)", min_diff=1.0),)),
    _method("corrcoef", "jax.numpy.corrcoef", "x.corrcoef()", "jnp.corrcoef(x)", (T("x", "N,M", unique=True),),
            template="jnp.corrcoef({self})", checks=("forward", "jit", "grad", "bf16"),
            tol=Tol(1e-5, 1e-5, "float32 summation order differs"),
            grad_tol=Tol(1e-4, 1e-4, "gradients through a normalisation by standard deviations"), sizes=(2, 5),
            notes=("Rows are variables and columns observations in both; a constant row gives nan in both.",)),
    _method("dist", "jax.numpy.linalg.norm", "a.dist(b, p=q)", "jnp.linalg.norm((a - b).ravel(), ord=q)",
            (T("a", "*"), T("b", "*", low=3, high=6, bcast="a"), Choice("q", (2, 1))), sig="other, p=2",
            template="jnp.linalg.norm(({self} - {other}).ravel(), ord={p})",
            checks=("forward", "jit", "grad", "bf16"), tol=Tol(1e-5, 1e-5, "float32 summation order differs"),
            status="caveat",
            notes=("The p-norm of the flattened difference. Where a == b everywhere torch's gradient is 0 and JAX's "
                   "nan (see torch.dist): the draws keep a and b apart.",)),
    _method("cross", "jax.numpy.linalg.cross", "x.cross(y, dim=d)", "jnp.linalg.cross(x, y, axis=d)",
            (T("x", "N,3,C"), T("y", "N,3,C"), Choice("d", (1, -2))), sig="other, dim=None",
            template="jnp.linalg.cross({self}, {other}, axis={dim})",
            values={"dim": {str(d): str(d) for d in range(-4, 4)}}, checks=("forward", "jit", "grad", "bf16"),
            sizes=(0, 3),
            notes=("Without dim torch uses the first axis of size 3 (jnp: the last): only a written-out dim is "
                   "rewritten.",)),
    _method("histc", "jax.numpy.histogram", "x.histc(bins=b, min=lo, max=hi)",
            "jnp.histogram(x, bins=b, range=None if (lo, hi) == (0, 0) else (lo, hi))[0].astype(x.dtype)",
            (T("x", "*", low=-3, high=3, grad=False, normal=True), Choice("b", (1, 4, 7)), Choice("lo", (-2, 0)),
             Choice("hi", (2, 0))),
            sig="bins=100, min=0, max=0",
            template="jnp.histogram({self}, bins={bins}, range=None if ({min}, {max}) == (0, 0) else ({min}, {max}))"
                     "[0].astype({self}.dtype)",
            checks=("forward", "jit"), status="caveat",
            why_not={"grad": "torch defines no derivative for histc (RuntimeError: not implemented)"}, sizes=(1, 4),
            notes=("Equal-width bins over [min, max]; values outside are ignored and max falls in the last bin, in "
                   "both. min = max = 0 (torch's default) means the data's range, as range=None does in "
                   "jnp.histogram (the rewrite picks it when both are 0).",
                   "A subnormal value (|x| < 1.2e-38), flushed to zero by XLA on CPU, can change bins (see "
                   "torch.histc; found by the fuzz profile): the draws leave subnormals out. An empty input with "
                   "min = max = 0: torch returns zeros, jnp.histogram raises ValueError (loud); the draws have at "
                   "least one element."),
            differences=(Difference(note="a subnormal x = 3e-41 with range [-2, 0]: torch counts 0 (x > max), JAX 1 "
                                         "(x flushed to 0)",
                                    torch="out = torch.tensor([3e-41]).histc(bins=1, min=-2, max=0)",
                                    jax="out = jnp.histogram(jnp.array([3e-41]), bins=1, range=(-2, 0))[0]"
                                        ".astype(jnp.float32)",
                                    min_diff=1.0),)),
]
