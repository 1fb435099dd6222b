"""Elementwise `torch.Tensor` methods and their in-place forms -> jnp functions (tensor.py has the rest).

`x.acos()` -> `jnp.arccos(x)`; `x.acos_()` on a statement of its own -> `x = jnp.arccos(x)`.
"""

from mapping.record import Difference, Record, T, Tol
from mapping.records.torch_reduction import median_of_int, median_tie_grad

IN_PLACE = ("In-place in torch: every other name bound to the same tensor (a view, an alias, a module buffer) "
            "sees the change. JAX arrays are immutable: only the rebound name changes. The rewrite is an "
            "assignment: it applies only when the call is a statement of its own.")
_ULP = Tol(1e-6, 1e-6, "float32 transcendental functions: libm and XLA differ by a few ulp")
_ULP_GRAD = Tol(1e-5, 1e-5, "derivatives of transcendental functions: a few ulp each, chained")

# method, jax function, input range (low, high), nan/inf mixed in, differentiable, bf16 checked, aliases
_UNARY = [
    ("acos", "jnp.arccos", (-0.984375, 0.984375), False, True, True, ("arccos",)),
    ("asin", "jnp.arcsin", (-0.984375, 0.984375), False, True, True, ("arcsin",)),
    ("atan", "jnp.arctan", (-3, 3), True, True, True, ("arctan",)),
    ("acosh", "jnp.arccosh", (1.125, 5), False, True, True, ("arccosh",)),
    ("asinh", "jnp.arcsinh", (-3, 3), True, True, True, ("arcsinh",)),
    ("atanh", "jnp.arctanh", (-0.9375, 0.9375), False, True, True, ("arctanh",)),
    ("cos", "jnp.cos", (-3, 3), True, True, True, ()),
    ("sin", "jnp.sin", (-3, 3), True, True, True, ()),
    ("tan", "jnp.tan", (-1.25, 1.25), False, True, True, ()),
    ("cosh", "jnp.cosh", (-3, 3), True, True, True, ()),
    ("sinh", "jnp.sinh", (-3, 3), True, True, True, ()),
    ("erf", "jax.scipy.special.erf", (-3, 3), True, True, True, ()),
    ("erfc", "jax.scipy.special.erfc", (-3, 3), True, True, False, ()),
    ("erfinv", "jax.scipy.special.erfinv", (-0.984375, 0.984375), False, True, False, ()),
    ("lgamma", "jax.scipy.special.gammaln", (0.125, 5), False, True, False, ()),  # tolerance: _WIDER
    ("digamma", "jax.scipy.special.digamma", (0.125, 5), False, True, False, ()),
    ("i0", "jax.scipy.special.i0", (0.125, 3), False, True, False, ()),  # JAX's gradient at 0 is 1, torch's 0
    ("expm1", "jnp.expm1", (-5, 5), True, True, True, ()),
    ("exp2", "jnp.exp2", (-5, 5), True, True, True, ()),
    ("log10", "jnp.log10", (0.125, 5), False, True, True, ()),
    ("log2", "jnp.log2", (0.125, 5), False, True, True, ()),
    ("log1p", "jnp.log1p", (-0.875, 5), False, True, True, ()),
    ("reciprocal", "jnp.reciprocal", (0.125, 3), False, True, True, ()),
    ("neg", "jnp.negative", (-3, 3), True, True, True, ("negative",)),
    ("square", "jnp.square", (-3, 3), True, True, True, ()),
    ("deg2rad", "jnp.deg2rad", (-360, 360), True, True, True, ()),
    ("rad2deg", "jnp.rad2deg", (-7, 7), True, True, True, ()),
    ("sinc", "jnp.sinc", (0.125, 3), False, True, False, ()),  # away from 0: see _CAVEAT
    ("logit", "jax.scipy.special.logit", (0.0625, 0.9375), False, True, False, ()),
    ("ceil", "jnp.ceil", (-3, 3), True, False, True, ()),
    ("floor", "jnp.floor", (-3, 3), True, False, True, ()),
    ("trunc", "jnp.trunc", (-3, 3), True, False, True, ("fix",)),
    ("round", "jnp.round", (-3, 3), True, False, True, ()),
    ("sign", "jnp.sign", (-3, 3), False, False, True, ("sgn",)),
    ("nan_to_num", "jnp.nan_to_num", (-3, 3), True, True, False, ()),
]

# method, jax function, domain of the second input (low, high), differentiable, aliases
_BINARY = [
    ("atan2", "jnp.arctan2", (0.125, 3), True, ("arctan2",)),
    ("hypot", "jnp.hypot", (0.125, 3), True, ()),
    ("copysign", "jnp.copysign", (0.125, 3), True, ()),
    ("fmax", "jnp.fmax", (-3, 3), True, ()),
    ("fmin", "jnp.fmin", (-3, 3), True, ()),
    ("maximum", "jnp.maximum", (-3, 3), True, ()),
    ("minimum", "jnp.minimum", (-3, 3), True, ()),
    ("logaddexp", "jnp.logaddexp", (-3, 3), True, ()),
    ("logaddexp2", "jnp.logaddexp2", (-3, 3), True, ()),
    ("xlogy", "jax.scipy.special.xlogy", (0.125, 3), True, ()),
    ("fmod", "jnp.fmod", (0.125, 3), True, ()),
    ("remainder", "jnp.remainder", (0.125, 3), True, ()),
    ("nextafter", "jnp.nextafter", (-3, 3), False, ()),
    ("heaviside", "jnp.heaviside", (-3, 3), False, ()),
    ("subtract", "jnp.subtract", (-3, 3), True, ()),
    ("multiply", "jnp.multiply", (-3, 3), True, ()),
    ("true_divide", "jnp.true_divide", (0.125, 3), True, ("divide",)),
]


# Where the frameworks differ in a stated way (status caveat), with the measurement.
_CAVEAT = {"sinc": "JAX differentiates sin(pi x) / (pi x) directly, which cancels near 0 (exactly 0 is special-cased "
                   "to 0 in both): measured at x = 1e-3, JAX -3.3173e-3 vs torch -3.3351e-3 (0.5%); at 1e-2, 3e-4 "
                   "relative. Checked on [0.125, 3).",
           "digamma": "digamma(0) is -inf in torch and nan in JAX; JAX's gradient (trigamma) is wrong below about -5 "
                      "(x = -8.5: torch 9.7586, the float64 value; JAX 6.795). Checked on [0.125, 5).",
           "i0": "The gradient at exactly 0 is 0 in torch (i1(0)) and 1 in JAX. Checked on [0.125, 3).",
           "erfinv": "JAX's erfinv loses accuracy near |x| = 1: at x = 0.9999 its value is 3.1e-6 and its gradient "
                     "4.7e-5 relative from float64 (torch: 5e-9 and 1.3e-7). Checked on [-0.984, 0.984), where the "
                     "two agree within the tolerance.",
           "heaviside": "On integer tensors torch keeps the integer dtype; jnp.heaviside returns float32, which "
                        "rounds integers above 2**24. Checked on float32.",
           "copysign": "The gradient with respect to x at x == 0 is 0 in torch and +-1 in JAX (jnp.copysign "
                       "differentiates |x|, whose derivative JAX takes as 1 at 0). Checked on |x| >= 2**-20.",
           "fmax": "At a tie (x == y) torch gives the gradient to x, JAX to y. Checked on distinct values.",
           "fmin": "At a tie (x == y) torch gives the gradient to x, JAX to y. Checked on distinct values."}


def _tie(name: str) -> Difference:
    """x.fmax(y) / x.fmin(y) at a tie: torch's gradient goes to x, JAX's to y."""
    return Difference(note=f"gradient of x.{name}(y) at a tie x == y == 0.5: torch 1 to x, JAX 0 (it goes to y)",
                      torch=f"x = torch.tensor([0.5], requires_grad=True)\nx.{name}(torch.tensor([0.5])).sum()"
                            ".backward()\nout = x.grad",
                      jax=f"out = jax.grad(lambda x: jnp.{name}(x, jnp.array([0.5])).sum())(jnp.array([0.5]))",
                      min_diff=0.9)


_DIFFERENCES = {
    "copysign": (
        Difference(note="gradient of x.copysign(y) at x = 0: torch 0, JAX 1",
                   torch="x = torch.zeros(1, requires_grad=True)\nx.copysign(torch.tensor([2.0])).sum().backward()\n"
                         "out = x.grad",
                   jax="out = jax.grad(lambda x: jnp.copysign(x, jnp.array([2.0])).sum())(jnp.zeros(1))",
                   min_diff=0.9),
        Difference(note="gradient of x.copysign(y) at a subnormal x = -1e-40, y = 2: torch -1, JAX 1 (XLA:CPU "
                        "flushes x to -0, where JAX takes the derivative of |x| as 1)",
                   torch="x = torch.tensor([-1e-40], requires_grad=True)\nx.copysign(torch.tensor([2.0])).sum()"
                         ".backward()\nout = x.grad",
                   jax="out = jax.grad(lambda x: jnp.copysign(x, jnp.array([2.0])).sum())(jnp.array([-1e-40]))",
                   min_diff=1.9),
    ),
    "fmax": (_tie("fmax"),),
    "fmin": (_tie("fmin"),),
    "digamma": (
        Difference(note="x.digamma() at 0: torch -inf, JAX nan",
                   torch="out = torch.tensor([0.0]).digamma().clamp(min=-7.0)",
                   jax="out = jnp.nan_to_num(jax.scipy.special.digamma(jnp.array([0.0])), nan=0.0)", min_diff=7.0),
        Difference(note="gradient of x.digamma() at x = -8.5: torch 9.7586, JAX 6.795",
                   torch="x = torch.tensor([-8.5], requires_grad=True)\nx.digamma().sum().backward()\nout = x.grad",
                   jax="out = jax.grad(lambda x: jax.scipy.special.digamma(x).sum())(jnp.array([-8.5]))",
                   min_diff=2.0),
    ),
    "i0": (Difference(note="gradient of x.i0() at 0: torch 0 (i1(0)), jax.scipy.special.i0 gives 1",
                      torch="x = torch.zeros(1, requires_grad=True)\nx.i0().sum().backward()\nout = x.grad",
                      jax="out = jax.grad(lambda x: jax.scipy.special.i0(x).sum())(jnp.zeros(1))", min_diff=0.5),),
    "erfinv": (
        Difference(note="x.erfinv() at 0.9999: torch 2.7510355 (float64 2.7510355), JAX 2.7510269",
                   torch="out = torch.tensor([0.9999]).erfinv()",
                   jax="out = jax.scipy.special.erfinv(jnp.array([0.9999]))", min_diff=5e-6),
        Difference(note="gradient of x.erfinv() at 0.9999: torch 1715.4207, JAX 1715.3396 (float64 1715.4209)",
                   torch="x = torch.tensor([0.9999], requires_grad=True)\nx.erfinv().sum().backward()\nout = x.grad",
                   jax="out = jax.grad(lambda x: jax.scipy.special.erfinv(x).sum())(jnp.array([0.9999]))",
                   min_diff=0.05),
    ),
    "heaviside": (Difference(note="an int tensor: torch keeps int64 (16777217), jnp.heaviside gives float32 (16777216)",
                             torch="out = torch.tensor([0]).heaviside(torch.tensor([16777217]))",
                             jax="out = jnp.heaviside(jnp.array([0]), jnp.array([16777217]))", min_diff=1.0),),
}
# torch's float32 gradient is the less accurate near |x| = 1 (measured on PyTorch's OpInfo input, |x| up to 0.99967).
_GRAD_TOL = {"asin": Tol(5e-5, 1e-5, "torch's float32 gradient 1/sqrt(1 - x^2) is the less accurate near |x| = 1: "
                                     "1.4e-5 relative from float64 at |x| = 0.99967, JAX 1.4e-7"),
             "atanh": Tol(5e-5, 1e-5, "torch's float32 gradient 1/(1 - x^2) is the less accurate near |x| = 1: "
                                      "2.9e-5 relative from float64 at |x| = 0.99967, JAX 1.7e-7")}
# torch cannot differentiate the in-place form of these.
_NO_IN_PLACE_GRAD = frozenset(("acosh", "asinh", "atanh"))
_PIECEWISE = "piecewise constant: the derivative is 0 wherever it exists, in both"
# A subnormal input (0 < |x| < 1.2e-38) that XLA on CPU flushes to zero changes these results (found by a subnormal
# probe of the catalogue): the draws leave subnormals out and the difference is shown. method -> (note, torch, jax).
_SUBNORMAL = {
    "sign": ("a subnormal x = 1e-40: torch.sign gives 1, jnp.sign 0 (XLA:CPU flushes x to 0)",
             "out = torch.tensor([1e-40]).sign()", "out = jnp.sign(jnp.array([1e-40]))"),
    "heaviside": ("a subnormal x = -1e-40: torch gives 0 (x < 0), jnp.heaviside gives `values` (x flushed to 0)",
                  "out = torch.tensor([-1e-40]).heaviside(torch.tensor([1.0]))",
                  "out = jnp.heaviside(jnp.array([-1e-40]), jnp.array([1.0]))"),
    "remainder": ("a subnormal x = -1e-40 with divisor 1: torch gives 1.0 (Python semantics), jnp.remainder "
                  "-1e-40 (its sign test sees the flushed 0)",
                  "out = torch.tensor([-1e-40]).remainder(torch.tensor([1.0]))",
                  "out = jnp.remainder(jnp.array([-1e-40]), jnp.array([1.0]))"),
    # Two subnormals flushed to zero tie in JAX; a tie splits (maximum, minimum) or moves (fmax, fmin) the gradient.
    "maximum": ("subnormal x = 1e-40, y = 2e-40: torch's gradient goes to y (x's is 0), JAX splits it 0.5 / 0.5 (both "
                "flushed to 0: a tie)",
                "x = torch.tensor([1e-40], requires_grad=True)\nx.maximum(torch.tensor([2e-40])).sum().backward()\n"
                "out = x.grad",
                "out = jax.grad(lambda x: jnp.maximum(x, jnp.array([2e-40])).sum())(jnp.array([1e-40]))", 0.4),
    "minimum": ("subnormal x = 2e-40, y = 1e-40: torch's gradient goes to y (x's is 0), JAX splits it 0.5 / 0.5 (both "
                "flushed to 0: a tie)",
                "x = torch.tensor([2e-40], requires_grad=True)\nx.minimum(torch.tensor([1e-40])).sum().backward()\n"
                "out = x.grad",
                "out = jax.grad(lambda x: jnp.minimum(x, jnp.array([1e-40])).sum())(jnp.array([2e-40]))", 0.4),
    "fmax": ("subnormal x = 1e-40, y = 0: torch's gradient goes to x (x > y), JAX's to y (x flushed to 0: a tie)",
             "x = torch.tensor([1e-40], requires_grad=True)\nx.fmax(torch.tensor([0.0])).sum().backward()\n"
             "out = x.grad",
             "out = jax.grad(lambda x: jnp.fmax(x, jnp.array([0.0])).sum())(jnp.array([1e-40]))"),
    "fmin": ("subnormal x = -1e-40, y = 0: torch's gradient goes to x (x < y), JAX's to y (x flushed to 0: a tie)",
             "x = torch.tensor([-1e-40], requires_grad=True)\nx.fmin(torch.tensor([0.0])).sum().backward()\n"
             "out = x.grad",
             "out = jax.grad(lambda x: jnp.fmin(x, jnp.array([0.0])).sum())(jnp.array([-1e-40]))"),
}


def _subnormal(name: str) -> dict:
    """The caveat, note, Difference and normal draws of a method in _SUBNORMAL (empty for the others)."""
    if name not in _SUBNORMAL:
        return {}
    note, torch, jax, *least = _SUBNORMAL[name]
    return dict(status="caveat", notes=(f"Differs at {note}; the draws leave subnormals out.",),
                differences=(Difference(note=note, torch=torch, jax=jax, min_diff=least[0] if least else 0.9),))
# Why a binary method's gradient is not compared.
_NO_GRAD = {"nextafter": "JAX defines no derivative for nextafter (jax.grad raises NotImplementedError)",
            "heaviside": "torch defines no derivative for heaviside (RuntimeError: not implemented)"}
_WIDER = {"lgamma": Tol(1e-6, 5e-6, "different algorithms (libm lgammaf vs XLA's Lanczos series): up to 1.5e-6 "
                                     "absolute near the roots at 1 and 2, where relative error is meaningless")}


def _unary(name: str, fn: str, rng: tuple, special: bool, grad: bool, bf16: bool, aliases: tuple) -> list[Record]:
    target = fn.replace("jnp.", "jax.numpy.")
    # Not differentiable here means piecewise constant: the grad check proves both gradients are zero.
    x = T("x", "*", low=rng[0], high=rng[1], special=special, unique=not grad and name == "sign",
          normal=name in _SUBNORMAL)
    checks = ("forward", "jit", "grad") + (("bf16",) if bf16 else ())
    kw = dict(tol=_WIDER.get(name, _ULP), grad_tol=_GRAD_TOL.get(name, _ULP_GRAD), zero_grad="" if grad else _PIECEWISE,
              differences=_DIFFERENCES.get(name, ()))
    notes = () if grad else ("Piecewise constant: the gradient is zero almost everywhere in both.",)
    notes += (_CAVEAT[name],) if name in _CAVEAT else ()
    sub = _subnormal(name)
    notes += sub.get("notes", ())
    status = "caveat" if name in _CAVEAT or sub else "verified"
    kw["differences"] += sub.get("differences", ())
    x_in_place, checks_in_place = x, checks
    if name in _NO_IN_PLACE_GRAD:
        x_in_place = T("x", "*", low=rng[0], high=rng[1], special=special, grad=False)
        checks_in_place = tuple(c for c in checks if c != "grad")
        notes_in_place = ("torch has no derivative for the in-place form (NotImplementedError): only values are "
                          "compared.",)
        why_in_place = {"grad": "torch has no derivative for the in-place form (NotImplementedError)"}
    else:
        notes_in_place, why_in_place = (), {}
    return [
        Record(torch=f"torch.Tensor.{name}", jax=target, aliases=tuple(f"torch.Tensor.{a}" for a in aliases),
               torch_example=f"out = x.{name}()", jax_example=f"out = {fn}(x)", inputs=(x,), checks=checks,
               sizes=(0, 4), notes=notes, sig="", template=f"{fn}({{self}})", status=status, **kw),
        Record(torch=f"torch.Tensor.{name}_", jax=target, aliases=tuple(f"torch.Tensor.{a}_" for a in aliases),
               torch_example=f"z = x.clone()\nz.{name}_()\nout = z", jax_example=f"z = x\nz = {fn}(z)\nout = z",
               inputs=(x_in_place,), checks=checks_in_place, sizes=(0, 4), notes=(IN_PLACE, *notes, *notes_in_place),
               sig="", template=f"{{self}} = {fn}({{self}})", status=status, why_not=why_in_place, **kw),
    ]


# torch's name for the second argument, where it is not `other`.
_ARG = {"fmod": "divisor", "remainder": "divisor", "heaviside": "values", "multiply": "value", "true_divide": "value"}
# torch has no in-place form of these.
_NO_IN_PLACE = frozenset(("fmax", "fmin", "maximum", "minimum", "logaddexp", "logaddexp2"))
# Their gradients differ at ties (x == y): the draws split one array of distinct values into x and y.
_TIES = frozenset(("fmax", "fmin"))


def _binary(name: str, fn: str, rng: tuple, grad: bool, aliases: tuple) -> list[Record]:
    target = fn.replace("jnp.", "jax.numpy.")
    arg = _ARG.get(name, "other")
    sig = "other, *, alpha=1" if name == "subtract" else arg
    alpha = {"alpha": "write x - alpha * other"} if name == "subtract" else {}
    x = T("x", "N,C", grad=grad, unique=not grad, normal=name in _SUBNORMAL, nonzero=name == "copysign")
    y = T("y", "1,C", low=rng[0], high=rng[1], grad=grad, unique=not grad, normal=name in _SUBNORMAL)
    inputs, split = (x, y), ""
    if name in _TIES:  # one array of distinct values split into x and y: no ties (see the note)
        inputs, split = (T("v", "N,C", unique=True, normal=True),), "x, y = v[:-1], v[-1:]\n"
    checks = ("forward", "jit") + (("grad",) if grad else ())
    kw = dict(tol=_ULP, grad_tol=_ULP_GRAD, why_not={"grad": _NO_GRAD[name]} if name in _NO_GRAD else {},
              differences=_DIFFERENCES.get(name, ()), status="caveat" if name in _CAVEAT else "verified")
    notes = () if grad else (f"Compared on values only: {_NO_GRAD[name]}.",)
    sub = _subnormal(name)
    notes += sub.get("notes", ())
    kw["differences"] += sub.get("differences", ())
    kw["status"] = sub.get("status", kw["status"])
    notes += (_CAVEAT[name],) if name in _CAVEAT else ()
    return [
        Record(torch=f"torch.Tensor.{name}", jax=target, aliases=tuple(f"torch.Tensor.{a}" for a in aliases),
               torch_example=f"{split}out = x.{name}(y)", jax_example=f"{split}out = {fn}(x, y)", inputs=inputs,
               checks=checks,
               sizes=(0, 4), notes=notes, sig=sig, template=f"{fn}({{self}}, {{{arg}}})", unsupported_args=alpha,
               **kw),
        Record(torch=f"torch.Tensor.{name}_", jax=target, aliases=tuple(f"torch.Tensor.{a}_" for a in aliases),
               torch_example=f"z = x.clone()\nz.{name}_(y)\nout = z", jax_example=f"z = x\nz = {fn}(z, y)\nout = z",
               inputs=(x, y), checks=checks, sizes=(0, 4), notes=(IN_PLACE, *notes), sig=sig,
               template=f"{{self}} = {fn}({{self}}, {{{arg}}})", unsupported_args=alpha, **kw),
    ][:1 if name in _NO_IN_PLACE else 2]


RECORDS = [r for spec in _UNARY for r in _unary(*spec)] + [r for spec in _BINARY for r in _binary(*spec)] + [
    Record(
        torch="torch.Tensor.median",
        jax="jax.numpy.quantile",
        torch_example="out = x.median()",
        jax_example="out = jnp.quantile(x, 0.5, method='lower')",
        inputs=(T("x", "*", unique=True),),
        status="caveat",
        checks=("forward", "jit", "grad"),
        notes=("x.median() is the lower of the two middle values for an even count; jnp.median (and "
               "jax.Array has no median method) averages them: jnp.quantile(x, 0.5, method='lower') matches.",
               "x.median(dim) returns (values, indices): see torch.median[dim].",
               "On integer tensors torch keeps the dtype; jnp.quantile computes in float32, which rounds "
               "integers above 2**24 (PyTorch's OpInfo int inputs found the dtype change).",
               "At a tie (several elements equal to the median) torch splits the gradient evenly among them, the "
               "rewrite gives it to one (found by the fuzz profile on Tensor.nanmedian): the draws use "
               "distinct values."),
        differences=(median_tie_grad("x.median()", "quantile"), median_of_int("{}.median()", "quantile")),
        sig="dim=None, keepdim=False",
        template="jnp.quantile({self}, 0.5, method='lower')",
        unsupported_args={"dim": "see torch.median[dim]: values and indices", "keepdim": "see torch.median[dim]"},
        needs={"keepdim": "dim"},
    ),
    Record(
        torch="torch.Tensor.pow_",
        jax="jax.numpy.power",
        torch_example="z = x.clone()\nz.pow_(y)\nout = z",
        jax_example="z = x\nz = jnp.power(z, y)\nout = z",
        inputs=(T("x", "N,C", low=0.125, high=3), T("y", "1,C")),
        checks=("forward", "jit", "grad"),
        tol=_ULP,
        grad_tol=_ULP_GRAD,
        sizes=(0, 4),
        notes=(IN_PLACE,),
        sig="exponent",
        template="{self} = jnp.power({self}, {exponent})",
    ),
]
