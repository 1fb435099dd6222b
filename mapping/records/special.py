"""torch.special -> jax.scipy.special (and jnp), with the top-level torch spellings as aliases.

Functions JAX lacks (Airy, Bessel Y, modified Bessel K) are `unsupported`; the orthogonal polynomials
are `manual`: their three-term recurrence is a few lines of JAX.
"""

from mapping.record import Choice, Difference, Dim, Record, T, Tol

_SERIES = Tol(1e-5, 1e-6, "series / rational approximations: torch (Cephes) and XLA use different ones")
_MVLGAMMA = Tol(1e-5, 5e-6, "XLA's lgamma (a Lanczos series) is less accurate than torch's near x = 2, where "
                "lgamma crosses 0 and relative error means nothing: against float64 on 400k points of [2, 6), "
                "JAX is off by up to 3.9e-6 abs (p=1; 8.5e-6 for p=3, within rtol there), torch by 2.4e-7 "
                "(1.6e-6); the fuzz profile drew x = 2.00001: torch 4.2336e-6 (float64 4.2336e-6), JAX 5.72e-6")

_NO_TORCH_GRAD = "torch defines no derivative for it (its output does not require grad)"


def _fn(name: str, jax: str, inputs: tuple = (), aliases: tuple = (), tol=None, grad: bool = True, notes=(),
        status: str = "verified", args: str = "", jargs: str = "", sig: str = "input, *, out=None",
        rename: dict | None = None, template: str = "", bf16: bool = False, unsupported: dict | None = None,
        grad_tol=None, sizes=(0, 4), jax_example: str = "", differences: tuple = (), why_not: dict | None = None,
        zero_grad: str = "") -> Record:
    """torch.special.<name>(x, ...) -> <jax>(x, ...)."""
    short = jax.replace("jax.numpy.", "jnp.")
    inputs = inputs or (T("x", "*"),)
    names = ", ".join(s.name for s in inputs if isinstance(s, T))
    checks = ("forward", "jit") + (("grad",) if grad else ()) + (("bf16",) if bf16 else ())
    kw = dict(tol=tol) if tol else {}
    if grad_tol:
        kw["grad_tol"] = grad_tol
    return Record(
        torch=f"torch.special.{name}",
        jax=jax,
        status=status,
        aliases=aliases,
        torch_example=f"out = torch.special.{name}({names}{args})",
        jax_example=jax_example or f"out = {short}({names}{jargs})",
        inputs=inputs,
        checks=checks,
        sizes=sizes,
        notes=notes,
        sig=sig,
        rename=rename or {},
        template=template or (f"{short}({{input}}, {{other}})" if sig.startswith("input, other") else ""),
        unsupported_args={"out": "JAX returns a new array", **(unsupported or {})},
        differences=differences,
        why_not=why_not or {},
        zero_grad=zero_grad,
        **kw,
    )


def _poly(name: str, p0: str, p1: str, step: str, low: float, high: float, shifted: bool = False) -> Record:
    """An orthogonal polynomial family by its three-term recurrence (n a Python int)."""
    x = "(2 * x - 1)" if shifted else "x"
    return Record(
        torch=f"torch.special.{name}",
        jax="a jax.numpy recurrence",
        status="manual",
        torch_example=f"out = torch.special.{name}(x, n)",
        jax_example=(
            f"t = {x}\n"
            f"prev, cur = jnp.ones_like(t), {p1.replace('x', 't')}\n"
            "for k in range(1, n):\n"
            f"    prev, cur = cur, {step.replace('x', 't')}\n"
            "out = prev if n == 0 else cur"
        ),
        inputs=(T("x", "*", low=low, high=high, grad=False), Choice("n", (0, 1, 2, 3, 5))),
        checks=("forward", "jit"),
        why_not={"grad": _NO_TORCH_GRAD},
        tol=Tol(1e-5, 1e-5, "the same recurrence, rounded at each step"),
        sizes=(0, 4),
        notes=(f"P_0 = {p0}, P_1 = {p1}, P_(k+1) = {step} (with prev = P_(k-1), cur = P_k"
               + (", at 2x - 1" if shifted else "") + ").",
               "torch switches to a trigonometric formula for large n inside [-1, 1] (n > 6 for the Chebyshev "
               "T family), which rounds differently; torch has no gradient for these functions."),
        reason="jax.scipy.special has no orthogonal polynomials: unroll the three-term recurrence for a "
               "Python int n (jax.lax.fori_loop for a traced n)",
    )


def _missing(name: str, instead: str, example: str = "out = x") -> Record:
    return Record(
        torch=f"torch.special.{name}",
        jax="(none)",
        status="unsupported",
        checks=(),
        torch_example=f"out = torch.special.{name}(x)",
        jax_example=example,
        inputs=(T("x", "N", low=0.5, high=3),),
        reason=f"jax.scipy.special has no {name}: {instead}",
    )


_UNIT = dict(low=2 ** -10, high=1 - 2 ** -10)

RECORDS = [
    _fn("erfc", "jax.scipy.special.erfc", (T("x", "*", special=True),), aliases=("torch.erfc",), bf16=True),
    _fn("erfcx", "jax.scipy.special.erfcx", (T("x", "*", low=-3, high=10),), tol=_SERIES, grad_tol=_SERIES),
    _fn("entr", "jax.scipy.special.entr", (T("x", "*", **_UNIT),), tol=_SERIES,
        notes=("-x log x for x > 0, 0 at 0, -inf below 0 in both.",)),
    _fn("i0", "jax.scipy.special.i0", (T("x", "*", low=-5, high=5, nonzero=True),), aliases=("torch.i0",),
        tol=_SERIES, grad_tol=_SERIES, status="caveat",
        notes=("Values agree everywhere; the gradient at exactly 0 is 0 in torch (i1(0)) and 1 in JAX, which "
               "differentiates |x| inside its i0e(|x|) exp(|x|) formulation: checked away from 0.",),
        differences=(Difference(
            note="gradient of i0 at 0: torch 0 (i1(0)), jax.scipy.special.i0 gives 1",
            torch="x = torch.zeros(1, requires_grad=True)\ntorch.special.i0(x).sum().backward()\nout = x.grad",
            jax="out = jax.grad(lambda x: jax.scipy.special.i0(x).sum())(jnp.zeros(1))", min_diff=0.5),)),
    _fn("i0e", "jax.scipy.special.i0e", (T("x", "*", low=-5, high=5, nonzero=True),), tol=_SERIES,
        grad_tol=_SERIES, notes=("The derivative of e^-|x| is undefined at 0: checked away from 0.",)),
    _fn("i1", "jax.scipy.special.i1", (T("x", "*", low=-5, high=5, nonzero=True),), tol=_SERIES, grad_tol=_SERIES),
    _fn("i1e", "jax.scipy.special.i1e", (T("x", "*", low=-5, high=5, nonzero=True),), tol=_SERIES,
        grad_tol=_SERIES, notes=("The derivative of e^-|x| is undefined at 0: checked away from 0.",)),
    _fn("modified_bessel_i0", "jax.scipy.special.i0", (T("x", "*", low=-5, high=5, grad=False),), tol=_SERIES,
        grad=False, notes=("torch has no gradient for modified_bessel_i0 (torch.special.i0 has one).",),
        why_not={"grad": _NO_TORCH_GRAD}),
    _fn("modified_bessel_i1", "jax.scipy.special.i1", (T("x", "*", low=-5, high=5, grad=False),), tol=_SERIES,
        grad=False, notes=("torch has no gradient for modified_bessel_i1 (torch.special.i1 has one).",),
        why_not={"grad": _NO_TORCH_GRAD}),
    _fn("ndtr", "jax.scipy.special.ndtr", (T("x", "*", low=-6, high=6),), tol=_SERIES),
    _fn("log_ndtr", "jax.scipy.special.log_ndtr", (T("x", "*", low=-10, high=6),), tol=_SERIES, grad_tol=_SERIES),
    _fn("ndtri", "jax.scipy.special.ndtri", (T("x", "*", **_UNIT),), tol=Tol(1e-5, 1e-5, _SERIES.reason),
        grad_tol=Tol(1e-4, 1e-5, _SERIES.reason + "; the derivative grows like 1/pdf near 0 and 1")),
    _fn("logit", "jax.scipy.special.logit", (T("x", "*", **_UNIT),), aliases=("torch.logit",),
        sig="input, eps=None, *, out=None", tol=Tol(1e-6, 1e-5, "log(x / (1 - x)) vs log(x) - log1p(-x)"),
        unsupported={"eps": "clamp first: jax.scipy.special.logit(jnp.clip(x, eps, 1 - eps))"}),
    _fn("sinc", "jax.numpy.sinc", (T("x", "*", low=0.125, high=4),), aliases=("torch.sinc",), status="caveat",
        notes=("JAX differentiates sin(pi x) / (pi x) directly, which cancels near 0 (exactly 0 is special-cased "
               "to 0 in both): measured at x = 1e-3, JAX -3.3173e-3 vs torch -3.3351e-3 (0.5%). Checked on "
               "[0.125, 4).",),
        tol=Tol(1e-6, 1e-6, "sin(pi x) / (pi x): the product pi x rounds the same way, sin may differ by an ulp"),
        grad_tol=Tol(1e-5, 1e-4, "the derivative (cos(pi x) pi x - sin(pi x)) / (pi x^2) cancels near 0"),
        bf16=True),
    _fn("xlogy", "jax.scipy.special.xlogy", (T("x", "N,C"), T("y", "N,C", low=0.0625, high=4)),
        aliases=("torch.xlogy",), sig="input, other, *, out=None",
        notes=("0 * log(y) is 0 in both, even for y = 0.",)),
    _fn("xlog1py", "jax.scipy.special.xlog1py", (T("x", "N,C"), T("y", "N,C", low=-0.875, high=4)),
        sig="input, other, *, out=None"),
    _fn("gammainc", "jax.scipy.special.gammainc", (T("a", "N", low=0.5, high=5, grad=False),
                                                   T("x", "N", low=0.0625, high=6)),
        aliases=("torch.igamma",), sig="input, other, *, out=None", tol=_SERIES,
        grad_tol=Tol(1e-4, 1e-5, _SERIES.reason),
        notes=("Regularized lower incomplete gamma P(a, x). torch differentiates only with respect to x.",)),
    _fn("gammaincc", "jax.scipy.special.gammaincc", (T("a", "N", low=0.5, high=5, grad=False),
                                                     T("x", "N", low=0.0625, high=6)),
        aliases=("torch.igammac",), sig="input, other, *, out=None", tol=_SERIES,
        grad_tol=Tol(1e-4, 1e-5, _SERIES.reason),
        notes=("Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x). torch differentiates only with "
               "respect to x.",)),
    _fn("multigammaln", "jax.scipy.special.multigammaln", (T("x", "N", low=2.0, high=6), Choice("p", (1, 3))),
        args=", p",
        jargs=", d=p", aliases=("torch.mvlgamma",), sig="input, p, *, out=None",
        rename={"p": "d"}, tol=_MVLGAMMA, grad_tol=_SERIES,
        notes=("Every element must exceed (p - 1) / 2 (torch raises otherwise; JAX returns nan).",)),
    Record(
        torch="torch.special.polygamma",
        jax="jax.scipy.special.polygamma",
        aliases=("torch.polygamma",),
        torch_example="out = torch.special.polygamma(n, x)",
        jax_example="out = jax.scipy.special.polygamma(n, x)",
        inputs=(Choice("n", (0, 1, 2)), T("x", "N", low=0.5, high=5)),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-5, 1e-5, _SERIES.reason),
        grad_tol=Tol(1e-4, 1e-5, _SERIES.reason),
        sig="n, input, *, out=None",
        template="jax.scipy.special.polygamma({n}, {input})",
        unsupported_args={"out": "JAX returns a new array"},
    ),
    _fn("zeta", "jax.scipy.special.zeta", (T("x", "N", low=1.5, high=6, grad=False),
                                           T("q", "N", low=0.5, high=4)),
        sig="input, other, *, out=None", tol=_SERIES, status="caveat",
        notes=("The Hurwitz zeta function; torch has no gradient with respect to x (NotImplementedError), "
               "only with respect to q, where the two agree.",
               "Outside x > 1, q > 0 (x <= 1, or a pole at q = 0, -1, ...) both return a non-finite value but not "
               "always the same one: zeta(3, -2) is inf in torch and nan in JAX, zeta(-2, 0) nan in torch and inf "
               "in JAX (PyTorch's OpInfo integer inputs found it). Checked on x in [1.5, 6), q in [0.5, 4)."),
        differences=(Difference(
            note="outside the domain: zeta(3, -2) is inf in torch, nan in JAX; zeta(-2, 0) nan in torch, inf in JAX",
            torch="out = torch.special.zeta(torch.tensor([3.0, -2.0]), torch.tensor([-2.0, 0.0])).isnan().float()",
            jax="out = jnp.isnan(jax.scipy.special.zeta(jnp.array([3.0, -2.0]), jnp.array([-2.0, 0.0]))).astype(float)",
            min_diff=1.0),)),
    _fn("round", "jax.numpy.round", (T("x", "*", special=True),), bf16=True,
        zero_grad="piecewise constant: the derivative is 0 wherever it exists, in both",
        sig="input, *, decimals=0, out=None", rename={"decimals": "decimals"},
        notes=("Halves round to even in both.",)),
    _fn("softmax", "jax.nn.softmax", (T("x", "*", low=-10, high=10), Dim("d", "x")), args=", dim=d",
        jargs=", axis=d", aliases=("torch.softmax",), sig="input, dim, *, dtype=None", rename={"dim": "axis"},
        bf16=True, unsupported={"dtype": "cast first: jax.nn.softmax(x.astype(dtype), axis=dim)"},
        notes=("torch.softmax and torch.special.softmax take dim as a required argument (F.softmax guesses "
               "it when missing).",)),
    _fn("log_softmax", "jax.nn.log_softmax", (T("x", "*", low=-10, high=10), Dim("d", "x")), args=", dim=d",
        jargs=", axis=d", aliases=("torch.log_softmax",), sig="input, dim, *, dtype=None", rename={"dim": "axis"},
        bf16=True, unsupported={"dtype": "cast first: jax.nn.log_softmax(x.astype(dtype), axis=dim)"}),
    _fn("spherical_bessel_j0", "jax.numpy.sinc", (T("x", "*", low=-8, high=8, grad=False),), grad=False,
        sig="x, *, out=None", template="jnp.sinc({x} / jnp.pi)", jax_example="out = jnp.sinc(x / jnp.pi)",
        tol=Tol(1e-5, 2e-6, "sin(x) / x written as sinc(x / pi): the division by pi rounds first"),
        notes=("j0(x) = sin(x) / x = jnp.sinc(x / pi); torch has no gradient for spherical_bessel_j0.",),
        why_not={"grad": _NO_TORCH_GRAD}),
    _poly("chebyshev_polynomial_t", "1", "x", "2 * x * cur - prev", -1, 1),
    _poly("chebyshev_polynomial_u", "1", "2 * x", "2 * x * cur - prev", -1, 1),
    _poly("chebyshev_polynomial_v", "1", "2 * x - 1", "2 * x * cur - prev", -1, 1),
    _poly("chebyshev_polynomial_w", "1", "2 * x + 1", "2 * x * cur - prev", -1, 1),
    _poly("shifted_chebyshev_polynomial_t", "1", "x", "2 * x * cur - prev", 0, 1, shifted=True),
    _poly("shifted_chebyshev_polynomial_u", "1", "2 * x", "2 * x * cur - prev", 0, 1, shifted=True),
    _poly("shifted_chebyshev_polynomial_v", "1", "2 * x - 1", "2 * x * cur - prev", 0, 1, shifted=True),
    _poly("shifted_chebyshev_polynomial_w", "1", "2 * x + 1", "2 * x * cur - prev", 0, 1, shifted=True),
    _poly("hermite_polynomial_h", "1", "2 * x", "2 * x * cur - 2 * k * prev", -2, 2),
    _poly("hermite_polynomial_he", "1", "x", "x * cur - k * prev", -2, 2),
    _poly("laguerre_polynomial_l", "1", "1 - x", "((2 * k + 1 - x) * cur - k * prev) / (k + 1)", 0, 4),
    _poly("legendre_polynomial_p", "1", "x", "((2 * k + 1) * x * cur - k * prev) / (k + 1)", -1, 1),
    _missing("airy_ai", "evaluate it through scipy.special.airy on the host (jax.pure_callback)",
             "import scipy.special\nout = scipy.special.airy(np.asarray(x))[0]  # on the host, outside jit"),
    _missing("bessel_y0", "scipy.special.y0 on the host (jax.pure_callback)",
             "import scipy.special\nout = scipy.special.y0(np.asarray(x))"),
    _missing("bessel_y1", "scipy.special.y1 on the host (jax.pure_callback)",
             "import scipy.special\nout = scipy.special.y1(np.asarray(x))"),
    _missing("modified_bessel_k0", "scipy.special.k0 on the host (jax.pure_callback)",
             "import scipy.special\nout = scipy.special.k0(np.asarray(x))"),
    _missing("modified_bessel_k1", "scipy.special.k1 on the host (jax.pure_callback)",
             "import scipy.special\nout = scipy.special.k1(np.asarray(x))"),
    _missing("scaled_modified_bessel_k0", "scipy.special.k0e on the host (jax.pure_callback)",
             "import scipy.special\nout = scipy.special.k0e(np.asarray(x))"),
    _missing("scaled_modified_bessel_k1", "scipy.special.k1e on the host (jax.pure_callback)",
             "import scipy.special\nout = scipy.special.k1e(np.asarray(x))"),
    *[Record(
        torch=f"torch.special.bessel_j{n}",
        jax="jax.numpy (Bessel's integral)",
        status="manual",
        torch_example=f"out = torch.special.bessel_j{n}(x)",
        jax_example=(
            "theta = jnp.linspace(0.0, jnp.pi, 65)\n"
            "w = jnp.full(65, 1 / 64).at[0].set(1 / 128).at[-1].set(1 / 128)  # trapezoid on [0, pi], over pi\n"
            f"out = jnp.sum(w * jnp.cos({phase}x[..., None] * jnp.sin(theta)), axis=-1)"
        ),
        inputs=(T("x", "*", low=-20, high=20, grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": _NO_TORCH_GRAD, "bf16": "the 65-term sum is the pattern; its bfloat16 error is not torch's"},
        sizes=(0, 4),
        notes=(f"J{n}(x) = (1/pi) * integral over [0, pi] of cos({n} t - x sin t) dt. The trapezoid rule on this "
               "periodic integrand converges geometrically: 64 intervals agree with torch to 4.5e-7 on "
               "[-20, 20] (measured on 2,001 points); its aliasing error stays negligible while |x| is well "
               "below 100.",
               "jax.scipy.special.bessel_jn(x, v=n) gives nan in float32 for small |x| (its recurrence underflows) "
               "and wrong values for some n_iter: measured nan at 0.5, and an error of 0.06 to 1.4 over [-20, 20] "
               "for n_iter from 8 to 30."),
        differences=(
            Difference(
                note=f"jax.scipy.special.bessel_jn(0.5, v={n}) is nan in float32",
                torch=f"out = torch.special.bessel_j{n}(torch.tensor([0.5]))",
                jax=f"out = jnp.nan_to_num(jax.scipy.special.bessel_jn(jnp.array([0.5]), v={n})[{n}], nan=7.0)",
                min_diff=6.0,
            ),
        ),
        sig="input, *, out=None",
        reason="JAX has no accurate float32 Bessel J0 / J1 (jax.scipy.special.bessel_jn is nan or off in float32): "
               "evaluate Bessel's integral with a 65-point trapezoid rule, which is differentiable and jit-able",
    ) for n, phase in ((0, ""), (1, "theta - "))],
]
