"""`torch.*` elementwise math (arithmetic, exp/log, trigonometry, rounding, special functions),
matrix products, cumulative ops and `where`."""

from mapping.record import Choice, Difference, Dim, Record, T, Tol

PIECEWISE = "piecewise constant: the derivative is 0 wherever it exists, in both"
OUT = {"out": "JAX arrays are immutable: assign the result instead"}
UNARY_SIG = "input, *, out=None"
BINARY_SIG = "input, other, *, out=None"
ALL = ("forward", "jit", "grad", "bf16")


def unary(torch, jax, *, low=-3.0, high=3.0, special=False, nonzero=False, normal=False, checks=ALL,
          **kw) -> Record:
    """`out = torch.f(x)` -> `out = jax_f(x)` on any shape (empty dims too)."""
    short = jax.replace("jax.numpy.", "jnp.").replace("jax.lax.", "lax.")
    return Record(
        torch=torch,
        jax=jax,
        torch_example=f"out = {torch}(x)",
        jax_example=f"out = {short}(x)",
        inputs=(T("x", "*", low=low, high=high, special=special, nonzero=nonzero, normal=normal),),
        checks=checks,
        sizes=(0, 4),
        sig=kw.pop("sig", UNARY_SIG),
        unsupported_args=OUT,
        **kw,
    )


def binary(torch, jax, *, a=None, b=None, checks=ALL, sig=BINARY_SIG, **kw) -> Record:
    """`out = torch.f(a, b)` -> `out = jax_f(a, b)`, `b` broadcast against `a`."""
    short = jax.replace("jax.numpy.", "jnp.")
    return Record(
        torch=torch,
        jax=jax,
        torch_example=f"out = {torch}(a, b)",
        jax_example=f"out = {short}(a, b)",
        inputs=(a or T("a", "*"), b or T("b", bcast="a")),
        checks=checks,
        sizes=(0, 4),
        sig=sig,
        template=short + "({input}, {other})",
        unsupported_args={**OUT, **kw.pop("unsupported_args", {})},
        **kw,
    )


MATMUL_TOL = Tol(1e-5, 1e-5, "float32 dot products: BLAS (torch) and XLA (JAX) sum in different orders")

RECORDS = [
    # --- arithmetic ---------------------------------------------------------------------------
    binary("torch.add", "jax.numpy.add", a=T("a", "*", special=True), sig="input, other, *, alpha=1, out=None",
           unsupported_args={"alpha": "jnp.add has no alpha: jnp.add(input, jnp.multiply(alpha, other)) "
                                      "(entry torch.add[alpha])"}),
    Record(
        torch="torch.add",
        variant="alpha",
        jax="jax.numpy.add",
        torch_example="out = torch.add(a, b, alpha=s)",
        jax_example="out = jnp.add(a, jnp.multiply(s, b))",
        inputs=(T("a", "*"), T("b", bcast="a"), Choice("s", (2, -0.5))),
        checks=ALL,
        sizes=(0, 4),
        sig="input, other, *, alpha=1, out=None",
        template="jnp.add({input}, jnp.multiply({alpha}, {other}))",
        unsupported_args=OUT,
    ),
    binary("torch.sub", "jax.numpy.subtract", a=T("a", "*", special=True), aliases=("torch.subtract",),
           sig="input, other, *, alpha=1, out=None",
           unsupported_args={"alpha": "jnp.subtract has no alpha: jnp.subtract(input, jnp.multiply(alpha, other))"}),
    binary("torch.mul", "jax.numpy.multiply", a=T("a", "*", special=True), aliases=("torch.multiply",)),
    binary("torch.div", "jax.numpy.divide", a=T("a", "*", special=True), b=T("b", bcast="a", nonzero=True),
           aliases=("torch.divide",), sig="input, other, *, rounding_mode=None, out=None",
           notes=("Integer inputs give float32 in both (true division).",),
           unsupported_args={"rounding_mode": "'floor' -> jnp.floor_divide (entry torch.div[floor]); 'trunc' -> "
                                              "jnp.trunc(jnp.divide(a, b)) for floats, lax.div(a, b) for ints "
                                              "(entry torch.div[trunc])"}),
    Record(
        torch="torch.div",
        variant="floor",
        jax="jax.numpy.floor_divide",
        torch_example="out = torch.div(a, b, rounding_mode='floor')",
        jax_example="out = jnp.floor_divide(a, b)",
        inputs=(T("a", "*"), T("b", bcast="a", nonzero=True)),
        checks=("forward", "jit", "grad"),
        sizes=(0, 4),
        notes=("Rounds toward -inf (Python //) in both; the gradient is zero in both.",),
        zero_grad=PIECEWISE,
        sig="input, other, *, rounding_mode=None, out=None",
        template="jnp.floor_divide({input}, {other})",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.div",
        variant="trunc",
        jax="jax.numpy.trunc",
        torch_example="out = torch.div(a, b, rounding_mode='trunc')",
        jax_example="out = jnp.trunc(jnp.divide(a, b))",
        inputs=(T("a", "*"), T("b", bcast="a", nonzero=True)),
        status="caveat",
        checks=("forward", "jit", "grad"),
        zero_grad=PIECEWISE,
        sizes=(0, 4),
        notes=("Floats only: on integer tensors torch keeps the integer dtype, jnp.trunc(jnp.divide(a, b)) "
               "returns float32; use lax.div(a, b) (C division, rounds toward zero) for integers.",
               "Rounds toward zero: differs from jnp.floor_divide / Python // on negative quotients.",),
        differences=(
            Difference(
                note="rounding_mode='trunc' rounds toward zero; jnp.floor_divide (//) rounds toward -inf",
                torch="out = torch.div(torch.tensor([-7, 7]), torch.tensor([2, -2]), rounding_mode='trunc')",
                jax="out = jnp.floor_divide(jnp.array([-7, 7]), jnp.array([2, -2]))",
                min_diff=1,
            ),
        ),
        sig="input, other, *, rounding_mode=None, out=None",
        template="jnp.trunc(jnp.divide({input}, {other}))",
        unsupported_args=OUT,
    ),
    binary("torch.true_divide", "jax.numpy.true_divide", b=T("b", bcast="a", nonzero=True)),
    binary("torch.floor_divide", "jax.numpy.floor_divide",
           a=T("a", "*", dtype="int64", low=-20, high=20), b=T("b", bcast="a", dtype="int64", low=-5, high=5,
                                                              nonzero=True),
           checks=("forward", "jit"),
           notes=("Rounds toward -inf (like Python //) in both since torch 1.13 (it truncated before).",
                  "Integer division by zero raises in torch; JAX returns a meaningless value (-2 for 7 // 0, "
                  "measured on CPU)."),
           differences=(
               Difference(
                   note="integer floor division by zero: torch raises, JAX returns a value",
                   torch="out = torch.floor_divide(torch.tensor([7]), torch.tensor([0]))",
                   jax="out = jnp.floor_divide(jnp.array([7]), jnp.array([0]))",
                   torch_raises="RuntimeError",
               ),
           )),
    binary("torch.remainder", "jax.numpy.remainder", b=T("b", bcast="a", nonzero=True),
           notes=("Python semantics in both: the result has the sign of the divisor. torch.fmod / jnp.fmod "
                  "(C semantics) take the sign of the dividend.",),
           differences=(
               Difference(
                   note="torch.remainder takes the divisor's sign; jnp.fmod (C fmod) the dividend's",
                   torch="out = torch.remainder(torch.tensor([-7.0, 7.0]), torch.tensor([2.0, -2.0]))",
                   jax="out = jnp.fmod(jnp.array([-7.0, 7.0]), jnp.array([2.0, -2.0]))",
                   min_diff=2.0,
               ),
           )),
    binary("torch.fmod", "jax.numpy.fmod", b=T("b", bcast="a", nonzero=True),
           notes=("C semantics in both: the result has the sign of the dividend. Python's % and "
                  "jnp.remainder take the sign of the divisor.",),
           differences=(
               Difference(
                   note="torch.fmod takes the dividend's sign; jnp.remainder and % take the divisor's",
                   torch="out = torch.fmod(torch.tensor([-7.0, 7.0]), torch.tensor([2.0, -2.0]))",
                   jax="out = jnp.remainder(jnp.array([-7.0, 7.0]), jnp.array([2.0, -2.0]))",
                   min_diff=2.0,
               ),
           )),
    Record(
        torch="torch.pow",
        jax="jax.numpy.power",
        torch_example="out = torch.pow(a, b)",
        jax_example="out = jnp.power(a, b)",
        inputs=(T("a", "*", low=0.125, high=3.0), T("b", bcast="a", low=-2.0, high=3.0)),
        status="caveat",
        checks=ALL,
        sizes=(0, 4),
        notes=("Positive bases here; a negative base with a non-integer exponent gives nan in both.",
               "At 0 ** 0 the derivative with respect to the base is 0 in torch and NaN in JAX."),
        differences=(
            Difference(
                note="d/da of a ** b at a = 0, b = 0: torch 0, JAX NaN",
                torch="a = torch.zeros(1, requires_grad=True)\ntorch.pow(a, torch.zeros(1)).sum().backward()\n"
                      "out = a.grad",
                jax="out = jnp.nan_to_num(jax.grad(lambda a: jnp.power(a, jnp.zeros(1)).sum())(jnp.zeros(1)), nan=7.0)",
                min_diff=7.0,
            ),
        ),
        sig="input, exponent, *, out=None",
        template="jnp.power({input}, {exponent})",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.pow",
        variant="scalar",
        jax="jax.numpy.power",
        torch_example="out = torch.pow(x, p)",
        jax_example="out = jnp.power(x, p)",
        inputs=(T("x", "*"), Choice("p", (0, 1, 2, 3))),
        checks=ALL,
        sizes=(0, 4),
        notes=("A Python int exponent works on negative bases in both (JAX lowers it to repeated "
               "multiplication, lax.integer_pow).",),
        sig="input, exponent, *, out=None",
        template="jnp.power({input}, {exponent})",
        unsupported_args=OUT,
    ),
    unary("torch.neg", "jax.numpy.negative", special=True, aliases=("torch.negative",)),
    unary("torch.abs", "jax.numpy.abs", nonzero=True, aliases=("torch.absolute",), status="caveat",
          notes=("The gradient at exactly 0 differs: torch gives 0 (sign(0)), JAX 1. Inputs here avoid 0.",),
          differences=(
              Difference(
                  note="gradient of abs at 0: torch 0, JAX 1",
                  torch="x = torch.zeros(3, requires_grad=True)\ntorch.abs(x).sum().backward()\nout = x.grad",
                  jax="out = jax.grad(lambda x: jnp.abs(x).sum())(jnp.zeros(3))",
                  min_diff=1.0,
              ),
          )),
    unary("torch.sign", "jax.numpy.sign", status="caveat", zero_grad=PIECEWISE,
          notes=("torch.sign(nan) is 0, jnp.sign(nan) is nan; equal elsewhere (gradient zero in both).",),
          differences=(
              Difference(
                  note="torch.sign(nan) is 0; jnp.sign(nan) is nan",
                  torch="out = torch.sign(torch.tensor([float('nan')]))",
                  jax="out = jnp.nan_to_num(jnp.sign(jnp.array([jnp.nan])), nan=7.0)",
                  min_diff=7.0,
              ),
          )),
    unary("torch.reciprocal", "jax.numpy.reciprocal", nonzero=True),
    unary("torch.square", "jax.numpy.square", special=True),
    unary("torch.sqrt", "jax.numpy.sqrt", low=0.0, high=10.0, special=True, normal=True, status="caveat",
          notes=("Subnormal inputs (0 < x < 1.2e-38): XLA on CPU flushes them to zero, so JAX gives sqrt 0 and "
                 "an infinite gradient where torch gives 1e-20 and a finite one. The draws leave them out.",),
          differences=(
              Difference(
                  note="a subnormal input: torch.sqrt(1e-40) is 1e-20, XLA:CPU flushes 1e-40 to 0 (gradient "
                       "5e19 vs inf)",
                  torch="x = torch.tensor([1e-40], requires_grad=True)\ntorch.sqrt(x).sum().backward()\n"
                        "out = torch.nan_to_num(x.grad, posinf=7.0)",
                  jax="out = jnp.nan_to_num(jax.grad(lambda x: jnp.sqrt(x).sum())(jnp.array([1e-40])), posinf=7.0)",
                  min_diff=1e19,
              ),
          )),
    unary("torch.rsqrt", "jax.lax.rsqrt", low=0.125, high=10.0,
          notes=("jnp has no rsqrt; lax.rsqrt(x) is 1 / jnp.sqrt(x) in one op.",)),
    # --- exponentials and logarithms -----------------------------------------------------------
    unary("torch.exp", "jax.numpy.exp", low=-10.0, high=10.0, special=True),
    unary("torch.exp2", "jax.numpy.exp2", low=-10.0, high=10.0, special=True, aliases=("torch.special.exp2",),
          status="caveat",
          bf16_tol=Tol(4e-2, 2e-2, "JAX lowers bfloat16 exp2 to exp(x * ln2) with ln2 and the product rounded "
                                   "to bfloat16: measured up to 3.4% off at |x| = 10 (torch 0.4%)"),
          notes=("In bfloat16, JAX computes exp2(x) as exp(bf16(ln2) * x) rounded to bfloat16: relative error "
                 "grows with |x| (3.4% at |x| = 10, measured; torch stays within 0.4%). float32 agrees.",),
          differences=(
              Difference(
                  note="bfloat16 exp2(9.5): torch 724, JAX 708 (ln2 * x rounded to bfloat16)",
                  torch="out = torch.exp2(torch.tensor([9.5], dtype=torch.bfloat16)).float()",
                  jax="out = jnp.exp2(jnp.array([9.5], dtype=jnp.bfloat16)).astype(jnp.float32)",
                  min_diff=10.0,
              ),
          )),
    unary("torch.expm1", "jax.numpy.expm1", low=-10.0, high=10.0, special=True, aliases=("torch.special.expm1",)),
    unary("torch.log", "jax.numpy.log", low=0.125, high=10.0, special=True),
    unary("torch.log2", "jax.numpy.log2", low=0.125, high=10.0, special=True),
    unary("torch.log10", "jax.numpy.log10", low=0.125, high=10.0, special=True),
    unary("torch.log1p", "jax.numpy.log1p", low=-0.875, high=10.0, special=True, aliases=("torch.special.log1p",)),
    binary("torch.logaddexp", "jax.numpy.logaddexp", a=T("a", "*", low=-10.0, high=10.0),
           b=T("b", bcast="a", low=-10.0, high=10.0)),
    # --- trigonometric and hyperbolic ----------------------------------------------------------
    unary("torch.sin", "jax.numpy.sin", low=-10.0, high=10.0, special=True),
    unary("torch.cos", "jax.numpy.cos", low=-10.0, high=10.0, special=True),
    unary("torch.tan", "jax.numpy.tan", low=-1.375, high=1.375, special=True),
    unary("torch.tanh", "jax.numpy.tanh", low=-10.0, high=10.0, special=True),
    unary("torch.sigmoid", "jax.nn.sigmoid", low=-20.0, high=20.0, special=True,
          aliases=("torch.special.expit",)),
    unary("torch.asin", "jax.numpy.arcsin", low=-0.984375, high=0.984375, aliases=("torch.arcsin",),
          grad_tol=Tol(5e-5, 1e-5, "torch's float32 gradient 1/sqrt(1 - x^2) is the less accurate near |x| = 1: "
                                   "on PyTorch's OpInfo input (|x| up to 0.99967) 1.4e-5 relative from float64, "
                                   "JAX 1.4e-7")),
    unary("torch.acos", "jax.numpy.arccos", low=-0.984375, high=0.984375, aliases=("torch.arccos",)),
    unary("torch.atan", "jax.numpy.arctan", special=True, aliases=("torch.arctan",)),
    unary("torch.sinh", "jax.numpy.sinh", low=-10.0, high=10.0),
    unary("torch.cosh", "jax.numpy.cosh", low=-10.0, high=10.0),
    binary("torch.atan2", "jax.numpy.arctan2", b=T("b", bcast="a", nonzero=True), aliases=("torch.arctan2",),
           status="caveat",
           notes=("The gradient at (0, 0) differs: torch 0, JAX nan. Inputs here keep other != 0.",),
           differences=(
               Difference(
                   note="gradient of atan2 at (0, 0): torch 0, JAX nan",
                   torch="y = torch.zeros(1, requires_grad=True)\ntorch.atan2(y, torch.zeros(1)).sum().backward()\n"
                         "out = y.grad",
                   jax="out = jnp.nan_to_num(jax.grad(lambda y: jnp.arctan2(y, 0.0).sum())(jnp.zeros(1)), nan=7.0)",
                   min_diff=7.0,
               ),
           )),
    binary("torch.hypot", "jax.numpy.hypot", a=T("a", "*", nonzero=True), status="caveat",
           notes=("The gradient at (0, 0) differs: torch nan, JAX 0.5 for each input. Inputs here keep "
                  "input != 0.",),
           differences=(
               Difference(
                   note="gradient of hypot at (0, 0): torch nan, JAX 0.5",
                   torch="a = torch.zeros(1, requires_grad=True)\ntorch.hypot(a, torch.zeros(1)).sum().backward()\n"
                         "out = torch.nan_to_num(a.grad, nan=7.0)",
                   jax="out = jax.grad(lambda a: jnp.hypot(a, 0.0).sum())(jnp.zeros(1))",
                   min_diff=6.0,
               ),
           )),
    # --- rounding -------------------------------------------------------------------------------
    unary("torch.floor", "jax.numpy.floor", special=True, zero_grad=PIECEWISE),
    unary("torch.ceil", "jax.numpy.ceil", special=True, zero_grad=PIECEWISE),
    unary("torch.trunc", "jax.numpy.trunc", special=True, aliases=("torch.fix",), zero_grad=PIECEWISE),
    Record(
        torch="torch.round",
        jax="jax.numpy.round",
        torch_example="out = torch.round(x)",
        jax_example="out = jnp.round(x)",
        inputs=(T("x", "*", special=True),),
        checks=ALL,
        zero_grad=PIECEWISE,
        sizes=(0, 4),
        notes=("Both round half to even (0.5 -> 0, 1.5 -> 2, 2.5 -> 2). decimals=: torch.round[decimals].",),
        sig="input, *, decimals=0, out=None",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.round",
        variant="decimals",
        jax="jax.numpy.round",
        torch_example="out = torch.round(x, decimals=n)",
        jax_example="out = jnp.round(x, decimals=n)",
        inputs=(T("x", "*", special=True), Choice("n", (1, 2, -1))),
        status="caveat",
        checks=("forward", "jit", "grad"),
        zero_grad=PIECEWISE,
        sizes=(0, 4),
        notes=("float32: both scale by 10**decimals, round half to even and scale back; results agree within "
               "1 ulp (measured on 600k values in [-3, 3)).",
               "bfloat16: JAX scales in bfloat16 (x * 10 rounds to 8 bits before rounding), torch in float32: "
               "measured up to 0.11 apart for decimals=1 (4% of values differ). Round in float32 and cast."),
        differences=(
            Difference(
                note="bfloat16 round(2.34375, decimals=1): torch 2.3, JAX 2.4 (x * 10 rounded to bfloat16 first)",
                torch="out = torch.round(torch.tensor([2.34375], dtype=torch.bfloat16), decimals=1).float()",
                jax="out = jnp.round(jnp.array([2.34375], dtype=jnp.bfloat16), 1).astype(jnp.float32)",
                min_diff=0.1,
            ),
        ),
        sig="input, *, decimals=0, out=None",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.frac",
        jax="jax.numpy.trunc",
        torch_example="out = torch.frac(x)",
        jax_example="out = jnp.subtract(x, jnp.trunc(x))",
        inputs=(T("x", "*", special=True),),
        checks=ALL,
        sizes=(0, 4),
        notes=("jnp has no frac. x - trunc(x) keeps the sign of x and gives nan at +-inf, like torch "
               "(jnp.modf(x)[0] gives 0 at +-inf).",),
        sig=UNARY_SIG,
        template="jnp.subtract({input}, jnp.trunc({input}))",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.clamp",
        jax="jax.numpy.clip",
        aliases=("torch.clip",),
        torch_example="lo, hi = bounds\nout = torch.clamp(x, min=lo, max=hi)",
        jax_example="lo, hi = bounds\nout = jnp.clip(x, min=lo, max=hi)",
        # Bounds written as fractions: off hypothesis's float grid and out of this module's
        # literals, so no drawn element equals one (see the note on ties).
        inputs=(T("x", "*", special=True), Choice("bounds", ((-3 / 7, 8 / 7), (-3 / 7, None), (None, 8 / 7)))),
        status="caveat",
        checks=ALL,
        sizes=(0, 4),
        notes=("The gradient at an element exactly equal to a bound differs: torch passes it (1), "
               "jnp.clip (built from maximum/minimum) splits it (0.5). Elsewhere equal.",
               "min > max gives max in both."),
        differences=(
            Difference(
                note="gradient of clamp at a bound: torch 1, jnp.clip 0.5",
                torch="x = torch.tensor([-1.0, 1.0], requires_grad=True)\ntorch.clamp(x, -1.0, 1.0).sum().backward()\n"
                      "out = x.grad",
                jax="out = jax.grad(lambda x: jnp.clip(x, -1.0, 1.0).sum())(jnp.array([-1.0, 1.0]))",
                min_diff=0.5,
            ),
        ),
        sig="input, min=None, max=None, *, out=None",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.clamp",
        variant="tensor",
        jax="jax.numpy.clip",
        torch_example="x, lo, hi = v\nout = torch.clamp(x, min=lo, max=hi)",
        jax_example="x, lo, hi = v\nout = jnp.clip(x, min=lo, max=hi)",
        # One array with distinct values split into x and the bounds: no ties (see the note).
        inputs=(T("v", "3,N,C", unique=True),),
        status="caveat",
        checks=ALL,
        notes=("Tensor bounds: gradients flow to x and to the bounds in both. At ties (x equal to a "
               "bound) torch gives the gradient to x, JAX splits it 0.5 / 0.5. Inputs here have no ties.",),
        sig="input, min=None, max=None, *, out=None",
        unsupported_args=OUT,
    ),
    # --- binary elementwise ---------------------------------------------------------------------
    binary("torch.maximum", "jax.numpy.maximum",
           notes=("Ties split the gradient 0.5 / 0.5 in both (measured).",)),
    binary("torch.minimum", "jax.numpy.minimum",
           notes=("Ties split the gradient 0.5 / 0.5 in both (measured).",)),
    Record(
        torch="torch.lerp",
        jax="jax.numpy.add",
        torch_example="out = torch.lerp(a, b, w)",
        jax_example="out = jnp.add(a, jnp.multiply(w, jnp.subtract(b, a)))",
        inputs=(T("a", "N,C"), T("b", "N,C"), T("w", bcast="a", low=0.0, high=1.0)),
        checks=ALL,
        sizes=(0, 4),
        notes=("jnp has no lerp. torch switches to end - (end - start) * (1 - weight) for weight >= 0.5; "
               "the results agree within float32 rounding.",),
        sig="input, end, weight, *, out=None",
        template="jnp.add({input}, jnp.multiply({weight}, jnp.subtract({end}, {input})))",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.addcmul",
        jax="jax.numpy.add",
        torch_example="out = torch.addcmul(x, a, b, value=s)",
        jax_example="out = jnp.add(x, jnp.multiply(jnp.multiply(s, a), b))",
        inputs=(T("x", "N,C"), T("a", "N,C"), T("b", bcast="a"), Choice("s", (1, -0.5))),
        checks=ALL,
        sizes=(0, 4),
        sig="input, tensor1, tensor2, *, value=1, out=None",
        template="jnp.add({input}, jnp.multiply(jnp.multiply({value}, {tensor1}), {tensor2}))",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.addcdiv",
        jax="jax.numpy.add",
        torch_example="out = torch.addcdiv(x, a, b, value=s)",
        jax_example="out = jnp.add(x, jnp.divide(jnp.multiply(s, a), b))",
        inputs=(T("x", "N,C"), T("a", "N,C"), T("b", bcast="a", low=0.5, high=3.0), Choice("s", (1, -0.5))),
        checks=ALL,
        sizes=(0, 4),
        notes=("Divisors kept in [0.5, 3) here: (value * t1) / t2 is computed in the same order as torch.",),
        sig="input, tensor1, tensor2, *, value=1, out=None",
        template="jnp.add({input}, jnp.divide(jnp.multiply({value}, {tensor1}), {tensor2}))",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.nan_to_num",
        jax="jax.numpy.nan_to_num",
        torch_example="out = torch.nan_to_num(x, nan=v, posinf=p)",
        jax_example="out = jnp.nan_to_num(x, nan=v, posinf=p)",
        inputs=(T("x", "*", special=True), Choice("v", (0.0, -1.0)), Choice("p", (None, 1e4))),
        checks=ALL,
        sizes=(0, 4),
        notes=("Same defaults: nan -> 0, +-inf -> the dtype's largest finite values.",),
        sig="input, nan=0.0, posinf=None, neginf=None, *, out=None",
        unsupported_args=OUT,
    ),
    # --- special functions ----------------------------------------------------------------------
    unary("torch.erf", "jax.scipy.special.erf", special=True, aliases=("torch.special.erf",)),
    unary("torch.erfinv", "jax.scipy.special.erfinv", low=-0.984375, high=0.984375, checks=("forward", "jit", "grad"),
          aliases=("torch.special.erfinv",), tol=Tol(1e-5, 1e-6, "different erfinv polynomial approximations "
                                                                  "(Giles in XLA); both within a few ulp")),
    unary("torch.lgamma", "jax.scipy.special.gammaln", low=0.125, high=6.0, checks=("forward", "jit", "grad"),
          aliases=("torch.special.gammaln",),
          tol=Tol(1e-6, 5e-6, "different algorithms: libm lgammaf (torch) vs XLA's Lanczos series; measured "
                              "up to 4.3e-6 abs on [0.125, 6]")),
    unary("torch.digamma", "jax.scipy.special.digamma", low=0.125, high=6.0, checks=("forward", "jit", "grad"),
          aliases=("torch.special.digamma", "torch.special.psi"), status="caveat",
          tol=Tol(1e-6, 5e-6, "different digamma algorithms (torch: series + recurrence, XLA: Lanczos "
                              "derivative); measured up to 3.4e-6 abs on [0.125, 6]"),
          notes=("digamma(0) is -inf in torch and nan in JAX; negative integers give nan in both.",
                 "The gradient (trigamma) is wrong in JAX below about -5: at x = -8.5 torch gives 9.7586 (the "
                 "float64 value), JAX 6.795. Inputs here are positive.",),
          differences=(
              Difference(
                  note="digamma(0): torch -inf, JAX nan",
                  torch="out = torch.digamma(torch.tensor([0.0])).clamp(min=-7.0)",
                  jax="out = jnp.nan_to_num(jax.scipy.special.digamma(jnp.array([0.0])), nan=0.0)",
                  min_diff=7.0,
              ),
              Difference(
                  note="gradient of digamma at x = -8.5 (PyTorch's OpInfo inputs found it): torch 9.7586, JAX 6.795",
                  torch="x = torch.tensor([-8.5], requires_grad=True)\n"
                        "out = torch.autograd.grad(torch.digamma(x).sum(), x)[0]",
                  jax="out = jax.grad(lambda x: jax.scipy.special.digamma(x).sum())(jnp.array([-8.5]))",
                  min_diff=2.0,
              ),
          )),
    # --- products of matrices -------------------------------------------------------------------
    Record(
        torch="torch.matmul",
        jax="jax.numpy.matmul",
        torch_example="out = torch.matmul(a, b)",
        jax_example="out = jnp.matmul(a, b)",
        inputs=(T("a", "B,N,K"), T("b", "B,K,M")),
        checks=ALL,
        tol=MATMUL_TOL,
        sizes=(0, 4),
        notes=("On A100/H100 GPUs JAX's default float32 matmul precision uses TensorFloat-32 (jax.lax.Precision "
               "docs; pass precision='highest' or set jax_default_matmul_precision='float32'), while torch "
               "keeps torch.backends.cuda.matmul.allow_tf32=False. Not measured here: CPU only.",),
        sig="input, other, *, out=None",
        template="jnp.matmul({input}, {other})",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.matmul",
        variant="broadcast",
        jax="jax.numpy.matmul",
        torch_example="out = torch.matmul(a, b)",
        jax_example="out = jnp.matmul(a, b)",
        inputs=(T("a", "B,N,K"), T("b", "K")),
        checks=ALL,
        tol=MATMUL_TOL,
        sizes=(0, 4),
        notes=("Matrix @ vector and batched shapes follow the same numpy rules in both.",),
        sig="input, other, *, out=None",
        template="jnp.matmul({input}, {other})",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.mm",
        jax="jax.numpy.matmul",
        torch_example="out = torch.mm(a, b)",
        jax_example="out = jnp.matmul(a, b)",
        inputs=(T("a", "N,K"), T("b", "K,M")),
        checks=ALL,
        tol=MATMUL_TOL,
        sizes=(0, 4),
        sig="input, mat2, *, out=None",
        template="jnp.matmul({input}, {mat2})",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.bmm",
        jax="jax.numpy.matmul",
        torch_example="out = torch.bmm(a, b)",
        jax_example="out = jnp.matmul(a, b)",
        inputs=(T("a", "B,N,K"), T("b", "B,K,M")),
        checks=ALL,
        tol=MATMUL_TOL,
        sizes=(0, 4),
        sig="input, mat2, *, out=None",
        template="jnp.matmul({input}, {mat2})",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.einsum",
        jax="jax.numpy.einsum",
        torch_example="out = torch.einsum(eq, a, b)",
        jax_example="out = jnp.einsum(eq, a, b)",
        inputs=(T("a", "B,N,K"), T("b", "B,K,M"), Choice("eq", ("bnk,bkm->bnm", "bnk,bkm->bm", "bnk,bkm->"))),
        checks=ALL,
        tol=MATMUL_TOL,
        sizes=(0, 4),
        status="caveat",
        notes=("torch also accepts the operands as one list (torch.einsum(eq, [a, b])); jnp wants them "
               "as separate arguments.",
               "bfloat16: an index summed out of a single operand (e.g. 'ij->') is summed in bfloat16 by JAX, "
               "in float32 by torch: 'ij->' over 1000 ones gives 872 in JAX, 1000 in torch (measured). "
               "Contracted indices (matmul-like) agree. Inputs here have axes of at most 4."),
        differences=(
            Difference(
                note="bfloat16 einsum('ij->') of 1000 ones: torch 1000, JAX 872 (summed in bfloat16)",
                torch="out = torch.einsum('ij->', torch.ones(10, 100, dtype=torch.bfloat16)).float()",
                jax="out = jnp.einsum('ij->', jnp.ones((10, 100), jnp.bfloat16)).astype(jnp.float32)",
                min_diff=100.0,
            ),
        ),
        sig="equation, *operands",
    ),
    Record(
        torch="torch.outer",
        jax="jax.numpy.outer",
        aliases=("torch.ger",),
        torch_example="out = torch.outer(a, b)",
        jax_example="out = jnp.outer(a, b)",
        inputs=(T("a", "N"), T("b", "M")),
        checks=ALL,
        sizes=(0, 4),
        sig="input, vec2, *, out=None",
        template="jnp.outer({input}, {vec2})",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.dot",
        jax="jax.numpy.dot",
        torch_example="out = torch.dot(a, b)",
        jax_example="out = jnp.dot(a, b)",
        inputs=(T("a", "N"), T("b", "N")),
        checks=ALL,
        tol=MATMUL_TOL,
        sizes=(0, 4),
        notes=("torch.dot takes 1-D tensors only; jnp.dot also multiplies matrices.",),
        sig="input, tensor, *, out=None",
        template="jnp.dot({input}, {tensor})",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.addmm",
        jax="jax.numpy.matmul",
        torch_example="out = torch.addmm(c, a, b)",
        jax_example="out = jnp.add(c, jnp.matmul(a, b))",
        inputs=(T("c", "N,M"), T("a", "N,K"), T("b", "K,M")),
        checks=ALL,
        tol=MATMUL_TOL,
        sizes=(0, 4),
        sig="input, mat1, mat2, *, beta=1, alpha=1, out=None",
        template="jnp.add({input}, jnp.matmul({mat1}, {mat2}))",
        unsupported_args={**OUT,
                          "beta": "write jnp.add(beta * input, alpha * (mat1 @ mat2)); beta=0 ignores input "
                                  "(nan included) in torch",
                          "alpha": "write jnp.add(beta * input, alpha * (mat1 @ mat2))"},
    ),
    Record(
        torch="torch.baddbmm",
        jax="jax.numpy.matmul",
        torch_example="out = torch.baddbmm(c, a, b)",
        jax_example="out = jnp.add(c, jnp.matmul(a, b))",
        inputs=(T("c", "B,N,M"), T("a", "B,N,K"), T("b", "B,K,M")),
        checks=ALL,
        tol=MATMUL_TOL,
        sizes=(0, 4),
        sig="input, batch1, batch2, *, beta=1, alpha=1, out=None",
        template="jnp.add({input}, jnp.matmul({batch1}, {batch2}))",
        unsupported_args={**OUT,
                          "beta": "write jnp.add(beta * input, alpha * (batch1 @ batch2)); beta=0 ignores "
                                  "input (nan included) in torch",
                          "alpha": "write jnp.add(beta * input, alpha * (batch1 @ batch2))"},
    ),
    # --- cumulative -----------------------------------------------------------------------------
    Record(
        torch="torch.cumsum",
        jax="jax.numpy.cumsum",
        torch_example="out = torch.cumsum(x, dim=d)",
        jax_example="out = jnp.cumsum(x, axis=d)",
        inputs=(T("x", "*"), Dim("d", "x")),
        checks=ALL,
        tol=Tol(1e-6, 1e-5, "float32 running sums: different association order"),
        sizes=(0, 4),
        status="caveat",
        notes=("bfloat16: JAX accumulates in bfloat16 (a reduce_window), torch in float32, so JAX's error "
               "grows with the axis length: within the bf16 tolerance up to ~16 elements, 3-4x torch's error "
               "beyond (measured on values in [-3, 3)). Pass dtype=jnp.float32 and cast back for long axes.",),
        differences=(
            Difference(
                note="bfloat16 cumsum of 1000 x 0.1: torch 100, JAX 101 (accumulated in bfloat16)",
                torch="out = torch.cumsum(torch.full((1000,), 0.1, dtype=torch.bfloat16), 0)[-1].float()",
                jax="out = jnp.cumsum(jnp.full((1000,), 0.1, jnp.bfloat16))[-1].astype(jnp.float32)",
                min_diff=0.5,
            ),
        ),
        sig="input, dim, *, dtype=None, out=None",
        rename={"dim": "axis"},
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.cumprod",
        jax="jax.numpy.cumprod",
        torch_example="out = torch.cumprod(x, dim=d)",
        jax_example="out = jnp.cumprod(x, axis=d)",
        inputs=(T("x", "*", low=-2.0, high=2.0), Dim("d", "x")),
        checks=ALL,
        sizes=(0, 4),
        status="caveat",
        notes=("Gradients agree with zeros in the input too (measured).",
               "bfloat16: JAX accumulates in bfloat16, torch in float32: JAX's error grows with the axis length "
               "(15% vs 0.3% after 1000 factors in [0.9, 1.1], measured). Pass dtype=jnp.float32 for long axes."),
        differences=(
            Difference(
                note="bfloat16 cumprod of 300 x 1.0078125: torch 10.3, JAX 9.0 (accumulated in bfloat16)",
                torch="out = torch.cumprod(torch.full((300,), 1.0078125, dtype=torch.bfloat16), 0)[-1].float()",
                jax="out = jnp.cumprod(jnp.full((300,), 1.0078125, jnp.bfloat16))[-1].astype(jnp.float32)",
                min_diff=1.0,
            ),
        ),
        sig="input, dim, *, dtype=None, out=None",
        rename={"dim": "axis"},
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.logcumsumexp",
        jax="jax.lax.cumlogsumexp",
        torch_example="out = torch.logcumsumexp(x, dim=d)",
        jax_example="out = lax.cumlogsumexp(x, axis=d % jnp.ndim(x))",
        inputs=(T("x", "*", low=-10.0, high=10.0), Dim("d", "x")),
        checks=ALL,
        sizes=(0, 4),
        notes=("lax.cumlogsumexp rejects negative axes (XLA): the rewrite normalises dim.",),
        grad_tol=Tol(1e-5, 2e-3, "torch's float32 backward is the less accurate: on PyTorch's OpInfo input (5x5x5, "
                                 "values in [-9, 9]) it is 1.4e-3 from the float64 gradient, JAX 1.2e-7"),
        sig="input, dim, *, out=None",
        template="lax.cumlogsumexp({input}, axis={dim} % jnp.ndim({input}))",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.where",
        jax="jax.numpy.where",
        torch_example="out = torch.where(c, a, b)",
        jax_example="out = jnp.where(c, a, b)",
        inputs=(T("a", "*", special=True), T("c", bcast="a", dtype="bool"), T("b", bcast="a")),
        checks=ALL,
        sizes=(0, 4),
        notes=("Three-argument form only. torch.where(cond) (indices of true elements) has a "
               "data-dependent shape: jnp.nonzero(cond, size=n) under jit.",
               "The gradient of the unselected branch is zero in both, but a nan or inf produced inside it "
               "(e.g. where(x > 0, log(x), 0)) poisons the gradient in both: mask the input first."),
        sig="condition, input, other, *, out=None",
        template="jnp.where({condition}, {input}, {other})",
        unsupported_args=OUT,
    ),
]
