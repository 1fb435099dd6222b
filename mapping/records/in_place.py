"""In-place `torch.Tensor` methods (`x.exp_()`) whose out-of-place form has a record: an assignment in JAX.

`x.exp_()` on a statement of its own -> `x = jnp.exp(x)`. The torch example runs on a clone (an in-place op on a leaf
that requires grad raises), so gradients flow through the in-place call as they do in user code.
"""

from mapping.record import Choice, Difference, Dim, Record, T, Tol

IN_PLACE = ("In-place in torch: every other name bound to the same tensor (a view, an alias, a module buffer) sees "
            "the change. JAX arrays are immutable: only the rebound name changes. The rewrite is an assignment: it "
            "applies only when the call is a statement of its own.")
KEEPS_DTYPE = ("The result keeps the receiver's dtype, as torch's in-place form does (a float tensor holds 0.0 / 1.0): "
               "the rewrite casts back with .astype.")
ALL = ("forward", "jit", "grad", "bf16")
_MATMUL = Tol(1e-5, 1e-5, "float32 dot products: BLAS (torch) and XLA (JAX) sum in different orders")
PREDICATE = "a comparison or logical op: piecewise constant, torch defines no gradient for it"


def _ip(name: str, jax: str, call_args: str, rhs: str, inputs: tuple, template: str, sig: str = "",
        checks: tuple = ALL, aliases: tuple = (), notes: tuple = (), **kw) -> Record:
    """`z.<name>_(<call_args>)` on a clone of x -> `z = <rhs>`; `template` is the right-hand side with {self}."""
    return Record(torch=f"torch.Tensor.{name}_", jax=jax, aliases=tuple(f"torch.Tensor.{a}_" for a in aliases),
                  torch_example=f"z = x.clone()\nz.{name}_({call_args})\nout = z",
                  jax_example=f"z = x\nz = {rhs}\nout = z", inputs=inputs, checks=checks, sig=sig,
                  template="{self} = " + template, notes=(IN_PLACE, *notes), **kw)


_X = T("x", "*", special=True)


def _unary(name: str, fn: str, x: T = _X, aliases: tuple = (), **kw) -> Record:
    """`z.<name>_()` -> `z = <fn>(z)`."""
    target = fn.replace("jnp.", "jax.numpy.").replace("lax.", "jax.lax.")
    return _ip(name, target, "", f"{fn}(z)", (x,), f"{fn}({{self}})", aliases=aliases, sizes=(0, 4), **kw)


def _compare(name: str, fn: str, aliases: tuple = ()) -> Record:
    """`z.<name>_(y)` -> `z = jnp.<fn>(z, y).astype(z.dtype)`: torch writes 0.0 / 1.0 into the receiver."""
    return _ip(name, f"jax.numpy.{fn}", "y", f"jnp.{fn}(z, y).astype(z.dtype)",
               (T("x", "N,C", special=True, grad=False, normal=True), T("y", "1,C", special=True, grad=False,
                                                                          normal=True)),
               f"jnp.{fn}({{self}}, {{other}}).astype({{self}}.dtype)", sig="other", checks=("forward", "jit"),
               aliases=aliases, sizes=(0, 4), why_not={"grad": PREDICATE}, status="caveat",
               notes=(KEEPS_DTYPE, "nan compares unequal to everything in both.",
                      "A subnormal value (0 < |x| < 1.2e-38) compares as 0 in JAX (XLA on CPU flushes it), so "
                      "comparisons with it can differ (found by the fuzz profile); the draws leave subnormals out."),
               differences=(Difference(note="1e-40 > 0: torch True, JAX False (the subnormal flushed to 0)",
                                       torch="z = torch.tensor([1e-40])\nz.gt_(0.0)\nout = z * 1.0",
                                       jax="z = jnp.array([1e-40])\nz = jnp.greater(z, 0.0).astype(z.dtype)\n"
                                           "out = z * 1.0", min_diff=0.9),))


def _logical(name: str) -> Record:
    """`z.logical_<op>_(y)` on an int tensor -> 0 / 1 in the receiver's dtype."""
    return _ip(f"logical_{name}", f"jax.numpy.logical_{name}", "y", f"jnp.logical_{name}(z, y).astype(z.dtype)",
               (T("x", "N,C", dtype="int64", low=-1, high=2), T("y", "1,C", dtype="int64", low=-1, high=2)),
               f"jnp.logical_{name}({{self}}, {{other}}).astype({{self}}.dtype)", sig="other",
               checks=("forward", "jit"), sizes=(0, 4), notes=(KEEPS_DTYPE, "Nonzero counts as True in both."))


def _bitwise(name: str, fn: str, low: int = -100, high: int = 100, y_low: int = -100, y_high: int = 100) -> Record:
    """`z.<name>_(y)` on integer tensors -> `z = jnp.<fn>(z, y)` (same integer dtype)."""
    return _ip(name, f"jax.numpy.{fn}", "y", f"jnp.{fn}(z, y)",
               (T("x", "N,C", dtype="int64", low=low, high=high), T("y", "1,C", dtype="int64", low=y_low, high=y_high)),
               f"jnp.{fn}({{self}}, {{other}})", sig="other", checks=("forward", "jit"), sizes=(0, 4))


_ABS_DIFF = Difference(note="d/dx of the in-place |x| at x = 0: torch 0, JAX 1",
                       torch="x = torch.zeros(1, requires_grad=True)\nz = x.clone()\nz.abs_()\nz.sum().backward()\n"
                             "out = x.grad",
                       jax="out = jax.grad(lambda x: jnp.abs(x).sum())(jnp.zeros(1))", min_diff=0.5)
_SUBNORMAL = "the draws leave subnormals out (XLA on CPU flushes them to zero; see the out-of-place method)"

RECORDS = [
    # -- elementwise ----------------------------------------------------------------------------------------------
    _unary("exp", "jnp.exp"),
    _unary("log", "jnp.log", T("x", "*", low=0, high=3, special=True), notes=("log(0) = -inf in both.",)),
    _unary("sigmoid", "jax.nn.sigmoid"),
    _unary("tanh", "jnp.tanh"),
    _ip("frac", "jax.numpy.trunc", "", "jnp.subtract(z, jnp.trunc(z))", (T("x", "*", special=True),),
        "jnp.subtract({self}, jnp.trunc({self}))", checks=("forward", "jit", "grad"), sizes=(0, 4)),
    _unary("abs", "jnp.abs", T("x", "*", nonzero=True), aliases=("absolute",), status="caveat",
           notes=("Values are equal. The gradient at exactly 0 differs: torch 0, JAX 1 (see torch.Tensor.abs); the "
                  "draws keep x away from 0.",), differences=(_ABS_DIFF,)),
    _unary("sqrt", "jnp.sqrt", T("x", "*", low=0, high=3, special=True, normal=True), status="caveat",
           notes=("The gradient at 0 is inf in both. A subnormal x differs (1e-40: torch 1e-20, JAX 0): " + _SUBNORMAL
                  + ".",),
           differences=(Difference(note="x.sqrt_() at a subnormal x = 1e-40: torch 1e-20, JAX 0",
                                   torch="z = torch.tensor([1e-40])\nz.sqrt_()\nout = z * 1e20",
                                   jax="z = jnp.array([1e-40])\nz = jnp.sqrt(z)\nout = z * 1e20", min_diff=0.5),)),
    _unary("rsqrt", "lax.rsqrt", T("x", "*", low=0, high=3, special=True, normal=True), status="caveat",
           notes=("rsqrt(0) = inf in both. A subnormal x differs (1e-40: torch 1e20, JAX inf): " + _SUBNORMAL + ".",),
           differences=(Difference(note="x.rsqrt_() at a subnormal x = 1e-40: torch 1e20, JAX inf",
                                   torch="z = torch.tensor([1e-40])\nz.rsqrt_()\nout = z.isinf().float()",
                                   jax="z = lax.rsqrt(jnp.array([1e-40]))\nout = jnp.isinf(z).astype(jnp.float32)",
                                   min_diff=1.0),)),
    _unary("relu", "jax.nn.relu", T("x", "*", normal=True), status="caveat",
           notes=("The gradient at 0 is 0 in both. At a subnormal positive x the gradient differs (torch 1, JAX 0): "
                  + _SUBNORMAL + ".",),
           differences=(Difference(note="gradient of the in-place relu at a subnormal x = 1e-40: torch 1, JAX 0",
                                   torch="x = torch.tensor([1e-40], requires_grad=True)\nz = x.clone()\nz.relu_()\n"
                                         "z.sum().backward()\nout = x.grad",
                                   jax="out = jax.grad(lambda x: jax.nn.relu(x).sum())(jnp.array([1e-40]))",
                                   min_diff=0.5),)),
    _ip("detach", "jax.lax.stop_gradient", "", "lax.stop_gradient(z)", (T("x", "*"),), "lax.stop_gradient({self})",
        checks=("forward", "jit", "grad"), sizes=(0, 4),
        zero_grad="detached: the output carries no gradient back to x, in both",
        notes=("Cuts the gradient in both: the later uses of the name see a constant.",)),
    _ip("clamp_min", "jax.numpy.maximum", "v", "jnp.maximum(z, v)",
        (T("x", "*"), Choice("v", (0.2857142857142857, -1.2857142857142858))), "jnp.maximum({self}, {min})",
        sig="min", checks=("forward", "jit", "grad"), status="caveat", sizes=(0, 4),
        notes=("Where x == min exactly, torch passes the gradient to x (1) and jnp.maximum splits it (0.5); the "
               "bounds are off the float grid of the draws. Elsewhere equal.",),
        differences=(Difference(note="gradient of the in-place clamp_min at the bound: torch 1, jnp.maximum 0.5",
                                torch="x = torch.zeros(1, requires_grad=True)\nz = x.clone()\nz.clamp_min_(0.0)\n"
                                      "z.sum().backward()\nout = x.grad",
                                jax="out = jax.grad(lambda x: jnp.maximum(x, 0.0).sum())(jnp.zeros(1))",
                                min_diff=0.4),)),
    _ip("clamp_max", "jax.numpy.minimum", "v", "jnp.minimum(z, v)",
        (T("x", "*"), Choice("v", (0.2857142857142857, -1.2857142857142858))), "jnp.minimum({self}, {max})",
        sig="max", checks=("forward", "jit", "grad"), status="caveat", sizes=(0, 4),
        notes=("Where x == max exactly, torch passes the gradient to x (1) and jnp.minimum splits it (0.5); the "
               "bounds are off the float grid of the draws. Elsewhere equal.",),
        differences=(Difference(note="gradient of the in-place clamp_max at the bound: torch 1, jnp.minimum 0.5",
                                torch="x = torch.zeros(1, requires_grad=True)\nz = x.clone()\nz.clamp_max_(0.0)\n"
                                      "z.sum().backward()\nout = x.grad",
                                jax="out = jax.grad(lambda x: jnp.minimum(x, 0.0).sum())(jnp.zeros(1))",
                                min_diff=0.4),)),
    # -- products and interpolation -------------------------------------------------------------------------------
    _ip("addcmul", "jax.numpy.multiply", "a, b, value=s", "jnp.add(z, jnp.multiply(jnp.multiply(s, a), b))",
        (T("x", "N,C"), T("a", "N,C"), T("b", "1,C"), Choice("s", (1, -0.5))),
        "jnp.add({self}, jnp.multiply(jnp.multiply({value}, {tensor1}), {tensor2}))",
        sig="tensor1, tensor2, *, value=1", checks=("forward", "jit", "grad")),
    _ip("addcdiv", "jax.numpy.divide", "a, b, value=s", "jnp.add(z, jnp.divide(jnp.multiply(s, a), b))",
        (T("x", "N,C"), T("a", "N,C"), T("b", "1,C", low=0.5, high=3), Choice("s", (1, -0.5))),
        "jnp.add({self}, jnp.divide(jnp.multiply({value}, {tensor1}), {tensor2}))",
        sig="tensor1, tensor2, *, value=1", checks=("forward", "jit", "grad")),
    _ip("lerp", "jax.numpy.add", "b, w", "jnp.add(z, jnp.multiply(w, jnp.subtract(b, z)))",
        (T("x", "N,C"), T("b", "N,C"), T("w", "1,C", low=0.0, high=1.0)),
        "jnp.add({self}, jnp.multiply({weight}, jnp.subtract({end}, {self})))", sig="end, weight",
        checks=("forward", "jit", "grad"),
        notes=("jnp has no lerp; torch switches formulas at weight 0.5, the results agree within float32 rounding.",)),
    *[_ip(name, "jax.numpy.matmul", "a, b", f"jnp.add(z, {prod})", inputs, "jnp.add({self}, " + prod_t + ")",
          sig=f"{first}, {second}, *, beta=1, alpha=1", checks=("forward", "jit", "grad"),
          tol=_MATMUL,
          unsupported_args={"beta": "write jnp.add(beta * x, alpha * ...); beta=0 ignores x (nan included) in torch",
                            "alpha": "write jnp.add(beta * x, alpha * ...)"})
      for name, first, second, prod, prod_t, inputs in (
          ("addmm", "mat1", "mat2", "jnp.matmul(a, b)", "jnp.matmul({mat1}, {mat2})",
           (T("x", "N,M"), T("a", "N,K"), T("b", "K,M"))),
          ("addmv", "mat", "vec", "jnp.matmul(a, b)", "jnp.matmul({mat}, {vec})",
           (T("x", "N"), T("a", "N,K"), T("b", "K"))),
          ("addr", "vec1", "vec2", "jnp.outer(a, b)", "jnp.outer({vec1}, {vec2})",
           (T("x", "N,M"), T("a", "N"), T("b", "M"))),
          ("baddbmm", "batch1", "batch2", "jnp.matmul(a, b)", "jnp.matmul({batch1}, {batch2})",
           (T("x", "B,N,M"), T("a", "B,N,K"), T("b", "B,K,M"))),
          ("addbmm", "batch1", "batch2", "jnp.sum(jnp.matmul(a, b), axis=0)",
           "jnp.sum(jnp.matmul({batch1}, {batch2}), axis=0)", (T("x", "N,M"), T("a", "B,N,K"), T("b", "B,K,M"))))],
    # -- cumulative ---------------------------------------------------------------------------------------------------
    _ip("cumsum", "jax.Array.cumsum", "d", "z.cumsum(axis=d)", (T("x", "*"), Dim("d", "x")),
        "{self}.cumsum(axis={dim})", sig="dim, *, dtype=None", sizes=(0, 4),
        unsupported_args={"dtype": "cast first: x.astype(jnp.<dtype>)"}),
    _ip("cumprod", "jax.numpy.cumprod", "d", "jnp.cumprod(z, axis=d)",
        (T("x", "*", low=-2, high=2, normal=True), Dim("d", "x")),
        "jnp.cumprod({self}, axis={dim})", sig="dim, *, dtype=None", checks=("forward", "jit", "grad"), sizes=(0, 4),
        status="caveat",
        notes=("Subnormal inputs change the gradient: XLA on CPU flushes them to zero (the gradient of the second "
               "element of [1.8e-41, 2] is 1.8e-41 in torch, 0 in JAX), and the fuzz profile measured 1.6e-5 apart on "
               "[1.8e-41, 1.8e-41] with a random cotangent; the draws leave subnormals out.",),
        differences=(Difference(note="gradient of the in-place cumprod at x = [1.8e-41, 2]: torch 1.8e-41 for the "
                                     "second element, JAX 0 (the subnormal flushed)",
                                torch="x = torch.tensor([1.8e-41, 2.0], requires_grad=True)\nz = x.clone()\n"
                                      "z.cumprod_(0)\nz.sum().backward()\nout = x.grad[1:] * 1e30 * 1e10",
                                jax="x = jnp.array([1.8e-41, 2.0])\n"
                                    "out = jax.grad(lambda x: jnp.cumprod(x).sum())(x)[1:] * 1e30 * 1e10",
                                min_diff=0.1),),
        unsupported_args={"dtype": "cast first: jnp.cumprod(x.astype(dtype), axis=dim)"}),
    # -- shape --------------------------------------------------------------------------------------------------------
    _ip("unsqueeze", "jax.numpy.expand_dims", "d", "jnp.expand_dims(z, d)", (T("x", "*"), Dim("d", "x")),
        "jnp.expand_dims({self}, {dim})", sig="dim", sizes=(0, 4),
        notes=("A negative dim counts from the end of the output in torch and in jnp.expand_dims alike.",)),
    _ip("squeeze", "jax.Array.squeeze", "", "z.squeeze()", (T("x", "N,1,C"),), "{self}.squeeze()",
        sig="dim: int | tuple = None",
        unsupported_args={"dim": "JAX raises where torch ignores a dim whose size is not 1: see "
                                 "torch.Tensor.squeeze[dim]"}),
    _ip("t", "jax.Array.T", "", "z.T", (T("x", "N,C"),), "{self}.T"),
    _ip("transpose", "jax.Array.swapaxes", "a, b", "z.swapaxes(a, b)", (T("x", "N,C,L"), Dim("a", "x"), Dim("b", "x")),
        "{self}.swapaxes({dim0}, {dim1})", sig="dim0, dim1"),
    _ip("swapaxes", "jax.Array.swapaxes", "a, b", "z.swapaxes(a, b)", (T("x", "N,C,L"), Dim("a", "x"), Dim("b", "x")),
        "{self}.swapaxes({axis0}, {axis1})", sig="axis0, axis1", aliases=("swapdims",)),
    _ip("tril", "jax.numpy.tril", "k", "jnp.tril(z, k)", (T("x", "B,N,M"), Choice("k", (0, 1, -1))),
        "jnp.tril({self}, {diagonal?})", sig="diagonal=0", sizes=(0, 4)),
    _ip("triu", "jax.numpy.triu", "k", "jnp.triu(z, k)", (T("x", "B,N,M"), Choice("k", (0, 1, -1))),
        "jnp.triu({self}, {diagonal?})", sig="diagonal=0", sizes=(0, 4)),
    # -- comparisons and logical ops (the receiver keeps its dtype) ----------------------------------------------------
    _compare("eq", "equal"),
    _compare("ne", "not_equal", ("not_equal",)),
    _compare("lt", "less", ("less",)),
    _compare("le", "less_equal", ("less_equal",)),
    _compare("gt", "greater", ("greater",)),
    _compare("ge", "greater_equal", ("greater_equal",)),
    _logical("and"),
    _logical("or"),
    _logical("xor"),
    _ip("logical_not", "jax.numpy.logical_not", "", "jnp.logical_not(z).astype(z.dtype)",
        (T("x", "*", dtype="int64", low=-1, high=2),), "jnp.logical_not({self}).astype({self}.dtype)",
        checks=("forward", "jit"), sizes=(0, 4), notes=(KEEPS_DTYPE,)),
    # -- integer ops ----------------------------------------------------------------------------------------------
    _bitwise("bitwise_and", "bitwise_and"),
    _bitwise("bitwise_or", "bitwise_or"),
    _bitwise("bitwise_xor", "bitwise_xor"),
    _ip("bitwise_not", "jax.numpy.bitwise_not", "", "jnp.bitwise_not(z)", (T("x", "*", dtype="int64", low=-100,
                                                                               high=100),),
        "jnp.bitwise_not({self})", checks=("forward", "jit"), sizes=(0, 4)),
    _bitwise("gcd", "gcd", 0, 100, -50, 50),
    _bitwise("lcm", "lcm", -30, 30, -30, 30),
    _bitwise("bitwise_right_shift", "right_shift", -1000, 1000, 0, 8),
    _ip("floor_divide", "jax.numpy.floor_divide", "y", "jnp.floor_divide(z, y)",
        (T("x", "N,C", dtype="int64", low=-20, high=20), T("y", "1,C", dtype="int64", low=-5, high=5, nonzero=True)),
        "jnp.floor_divide({self}, {other})", sig="other", checks=("forward", "jit"), sizes=(0, 4),
        notes=("Rounds toward -inf in both. Integer division by zero raises in torch.",)),
]
