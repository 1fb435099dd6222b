"""`torch.Tensor` methods whose `torch.*` function already has a record, and other methods with a JAX counterpart.

A method is its function with the receiver as first argument: `x.nansum(1)` -> `jnp.nansum(x, axis=1)`. Each record
repeats the function's proof on the method call, so the rewrite of the method is proven too.
"""

from mapping.record import Choice, Difference, Dim, Record, T, Tol

TUPLE_NOTE = ("torch returns a namedtuple; the rewrite gives a plain tuple: unpack it or index [0] / [1] instead of "
              "the named fields.")
INT32_NOTE = "Indices are int64 in torch, int32 in JAX (unless x64 is enabled)."
_MATMUL = Tol(1e-5, 1e-5, "float32 matrix factorizations: LAPACK (torch) and XLA (JAX) round in a different order")
_SPECIAL = Tol(1e-5, 1e-6, "special functions: torch and XLA use different series and recurrences")


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
    _method("isreal", "jax.numpy.isreal", "x.isreal()", "jnp.isreal(x)", (T("x", "*", special=True),),
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
            (T("x", "*", unique=True, special=True, finite_slices=True),),
            sig="dim=None, keepdim=False", template="jnp.nanquantile({self}, 0.5, method='lower')",
            unsupported_args={"dim": "x.nanmedian(dim) returns (values, indices): values are "
                                     "jnp.nanquantile(x, 0.5, axis=dim, method='lower'); indices have no JAX call",
                              "keepdim": "see dim"},
            sizes=(1, 4),
            notes=("The lower of the two middle values of the non-nan elements, as torch; jnp.nanmedian averages "
                   "them. An all-nan tensor gives nan in both.",)),
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
                   "do not. The proofs draw distinct values.", INT32_NOTE)),
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
            (T("a", "*"), T("b", "*", dtype="int64", low=0, high=5, bcast="a")), sig="other",
            template="jnp.ldexp({self}, {other})", checks=("forward", "jit", "grad", "bf16"), sizes=(0, 4),
            status="caveat",
            notes=("a * 2**b. jnp.ldexp requires an integer exponent; torch also takes a float one: use "
                   "a * jnp.exp2(b) then.", "torch's gradient with respect to the receiver is 0 wherever the "
                   "exponent is negative (see torch.ldexp); values agree; gradients are compared on exponents >= 0."),
            differences=(Difference(note="gradient of a.ldexp(b) for b = -3: torch 0, JAX 0.125",
                                    torch="a = torch.ones(1, requires_grad=True)\n"
                                          "a.ldexp(torch.tensor([-3])).sum().backward()\nout = a.grad",
                                    jax="out = jax.grad(lambda a: jnp.ldexp(a, jnp.array([-3])).sum())(jnp.ones(1))",
                                    min_diff=0.1),)),
    _method("frexp", "jax.numpy.frexp", "x.frexp()", "jnp.frexp(x)", (T("x", "*", low=-1000, high=1000, normal=True),),
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
            template="jax.scipy.special.multigammaln({self}, {p})", tol=_SPECIAL,
            grad_tol=Tol(1e-5, 1e-6, "derivatives of " + _SPECIAL.reason), sizes=(0, 4),
            notes=("Every element must exceed (p - 1) / 2 (torch raises otherwise; JAX returns nan).",)),
    _method("polygamma", "jax.scipy.special.polygamma", "x.polygamma(n)", "jax.scipy.special.polygamma(n, x)",
            (T("x", "N", low=0.5, high=5), Choice("n", (0, 1, 2))), sig="n",
            template="jax.scipy.special.polygamma({n}, {self})", tol=Tol(1e-5, 1e-5, _SPECIAL.reason),
            grad_tol=Tol(1e-4, 1e-5, "derivatives of " + _SPECIAL.reason)),
    _method("hardshrink", "jax.numpy.where", "x.hardshrink(0.75)", "jnp.where(jnp.abs(x) > 0.75, x, 0.0)",
            (T("x", "*", unique=True),), sig="lambd=0.5",
            template="jnp.where(jnp.abs({self}) > {lambd}, {self}, 0.0)", checks=("forward", "jit", "grad", "bf16"),
            sizes=(0, 4)),
    _method("prelu", "jax.numpy.where", "x.prelu(w)", "jnp.where(x > 0, x, w.reshape(-1, *[1] * (x.ndim - 2)) * x)",
            (T("x", "N,C,L"), T("w", "C")), sig="weight",
            template="jnp.where({self} > 0, {self}, {weight}.reshape(-1, *[1] * ({self}.ndim - 2)) * {self})",
            checks=("forward", "jit", "grad", "bf16"),
            notes=("One slope per channel (axis 1), or a single slope: the reshape broadcasts it over the axes after "
                   "the channels. At x == 0 the slope's branch is taken, as in torch.",)),
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
]
