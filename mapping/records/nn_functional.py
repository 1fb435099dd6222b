"""`torch.nn.functional`: activations, linear maps, dropout, embeddings, padding, resizing,
normalisation, convolution and pooling, attention, and the losses (with their reduction,
ignore_index, label_smoothing and weight arguments).

Optional tensors (bias, affine weights) get two records: the plain one for calls without them
(it refuses calls that pass them) and a variant named after the argument. Broadcasting against a
1-D bias or weight is written out (`lax.broadcast_to_rank`, `reshape`), so the rewrites also run
with `jax_numpy_rank_promotion='raise'`.
"""

from mapping.record import Choice, Difference, Dim, Record, T, Tol
from mapping.records.nn_conv_norm import _bias, _conv

_INPLACE = "JAX arrays are immutable: drop inplace and use the returned value (x = f(x))"
_LEGACY = "deprecated in torch: use reduction='mean' | 'sum' | 'none'"
# `{reduction}(<elementwise loss>)`.
_REDUCE = {"'mean'": "jnp.mean", "'sum'": "jnp.sum", "'none'": "jnp.asarray"}
# `{reduction}(<loss>, where=<target kept>)`: torch's mean divides by the number of kept targets
# and reduction='none' gives 0 at ignored targets.
_MASKED = {"'mean'": "jnp.mean", "'sum'": "jnp.sum", "'none'": "(lambda l, where: jnp.where(where, l, 0.0))"}
# `{reduction}(<loss>, weights=<weight of each target>)`: torch's mean divides by the sum of weights.
# (jnp.average has the same value, but a nan gradient when every target is ignored; torch's is 0.)
_WEIGHTED = {"'mean'": "(lambda l, weights: jnp.sum(l * weights, where=weights != 0) / jnp.sum(weights))",
             "'sum'": "(lambda l, weights: jnp.sum(l * weights))", "'none'": "(lambda l, weights: l * weights)"}
# F.cross_entropy's target holds class indices (an integer tensor) or class probabilities (a float tensor of the
# input's shape); where the code does not show which, the rewrite picks by the dtype, which is static under jit.
_CE_ANY = ("(lambda axis, soft_: {reduction}(optax.softmax_cross_entropy({input}, {target}, axis=axis) if soft_ else "
           "optax.softmax_cross_entropy_with_integer_labels({input}, jnp.where({target} == {ignore_index}, 0, "
           "{target}), axis=axis), where=soft_ or {target} != {ignore_index}))"
           "(1 if {input}.ndim > 1 else 0, jnp.issubdtype({target}.dtype, jnp.floating))")
_CE_INDICES = ("(lambda axis: {reduction}(optax.softmax_cross_entropy_with_integer_labels({input}, "
               "jnp.where({target} == {ignore_index}, 0, {target}), axis=axis), where={target} != {ignore_index}))"
               "(1 if {input}.ndim > 1 else 0)")
_NAN_GRAD = ("At NaN inputs the gradient differs (torch passes the cotangent through, JAX gives 0 or NaN); "
             "forward values agree on nan/inf.")


_SUBNORMAL = ("A subnormal positive input (0 < x < 1.2e-38) is flushed to zero by XLA on CPU: JAX takes the "
              "x <= 0 branch of the gradient, torch the x > 0 one (1). Found by the fuzz profile; the draws "
              "leave subnormals out.")


def _subnormal_grad(torch_expr: str, jax_expr: str, jax_value: str) -> Difference:
    """The gradient at a subnormal x = 1e-40: torch 1 (x > 0), JAX `jax_value` (XLA:CPU flushes x to 0).
    `torch_expr` and `jax_expr` are the activation of `x` (`F.relu(x)`)."""
    return Difference(
        note=f"gradient at a subnormal x = 1e-40: torch 1 (x > 0), JAX {jax_value} (XLA:CPU flushes x to 0)",
        torch=f"x = torch.tensor([1e-40], requires_grad=True)\n{torch_expr}.sum().backward()\nout = x.grad",
        jax=f"out = jax.grad(lambda x: {jax_expr}.sum())(jnp.array([1e-40]))",
        min_diff=0.4,
    )


def _nan_grad(torch_call: str, jax_call: str, jax_value: str) -> Difference:
    """The gradient at a NaN input: torch takes the x > 0 branch (a finite slope), JAX gives `jax_value`."""
    return Difference(
        note=f"gradient at a NaN input: torch takes the x > 0 branch (a finite slope), JAX gives {jax_value}",
        torch=f"x = torch.tensor([float('nan')], requires_grad=True)\n{torch_call}(x).sum().backward()\n"
              "out = x.grad",
        jax=f"out = jnp.nan_to_num(jax.grad(lambda x: {jax_call}(x).sum())(jnp.array([jnp.nan])), nan=7.0)",
        min_diff=1.0,
    )
_MATMUL = Tol(1e-5, 1e-5, "float32 matmul: MKL and XLA sum the products in a different order")
_CONV = Tol(1e-5, 2e-5, "float32 convolution: oneDNN and XLA sum the window products in a different order; the "
                       "error grows with the sum of |products|, not the result: on PyTorch's OpInfo grouped conv2d "
                       "(values up to 9) an entry cancelling to -0.13 differed by 1.53e-5")
# Norm records draw inputs in [-1, 1): a group of equal values has variance 0, and the rounding of its mean
# (up to an ulp of x) is multiplied by 1/sqrt(eps) = 316 (measured up to 3.8e-5 forward). Their inputs are
# distinct: a nearly constant group is ill-conditioned in float32 (torch's Welford and XLA's two-pass
# statistics then differ by ~1e-4 relative in the gradient), whatever the framework.
_NORM = Tol(1e-5, 1e-4, "float32, inputs in [-1, 1): for a constant group the rounding of its mean (1 ulp) "
                        "is scaled by 1/sqrt(eps) = 316; measured up to 3.8e-5")
# torch's float32 CPU backward writes dx = a * dy + b * x + c with x not centred: it cancels when a group's
# |mean| >> its std, by about eps32 * |mean| / std^2. Against a float64 reference, over 3000 adversarial groups of
# 1-16 distinct values in [-1, 1): torch's gradient off by up to 1.6e-3 (on x = [-0.7695, -0.7734, -0.7773]),
# JAX's two-pass backward by up to 6.2e-4; the two then differ by up to 1.6e-3 beyond rtol 1e-4.
_NORM_GRAD = Tol(1e-4, 2.5e-3, "float32, inputs in [-1, 1): torch's backward does not centre x and cancels when "
                               "|mean| >> std of a group; measured up to 1.6e-3 from a float64 reference (JAX 6.2e-4)")
_NORM_WGRAD = Tol(1e-4, 2.5e-3, "float32, inputs in [-1, 1): as the plain gradient (measured up to 1.6e-3 from a "
                                "float64 reference, torch's backward not centring x), then a weight in [-1, 1)")
# No mean is subtracted in rms_norm: its errors stay relative.
_RMS = Tol(1e-5, 1e-6, "float32: the mean of squares is summed in a different order, then rsqrt: a few ulp")
_RMS_GRAD = Tol(1e-4, 1e-5, "float32 backward through rsqrt of a mean of squares: a few ulp, relative")
_LOSS = Tol(1e-5, 1e-5, "float32 reduction over the batch: summation order differs")
# F.scaled_dot_product_attention written out: softmax(q k^T * scale + mask) v with matmuls, so any rank, broadcasting
# batch / head axes and a value width of its own go through. The softmax's `where` leaves out what takes part in no
# attention: a query row where nothing does gives 0, as torch does. Enable_gqa repeats each key / value head. Scores
# and weights are float32 at least, the result is rounded to the values' type once, as torch computes on CPU.
_SDPA_TOL = Tol(1e-5, 3e-5, "float32 attention: each output is a softmax-weighted sum of values, rounded with the size "
                "of the values, not of the result: on PyTorch's OpInfo sample (values up to 9, outputs up to 8.95) "
                "torch is 9.1e-6 and JAX 9.8e-6 from float64 at an output of -0.326, 1.9e-5 apart")
_SDPA_KEY = "(jnp.repeat(key_, query_.shape[-3] // key_.shape[-3], axis=-3) if {enable_gqa} else key_)"
_SDPA_VALUE = "(jnp.repeat(value_, query_.shape[-3] // value_.shape[-3], axis=-3) if {enable_gqa} else value_)"
_SDPA_SOFTMAX = ("(lambda scores_: (jax.nn.softmax(scores_, where=(scores_ != -jnp.inf) & jnp.tril(jnp.ones(("
                 "query_.shape[-2], key_.shape[-2]), bool)) if {is_causal} else scores_ != -jnp.inf) @ "
                 f"{_SDPA_VALUE}).astype(value_.dtype))")
# A boolean mask keeps what is True, a float mask is added; which one is a dtype, static under jax.jit.
_SDPA_MASK = "(0.0 if mask_ is None else jnp.where(mask_, 0.0, -jnp.inf) if mask_.dtype == jnp.bool_ else mask_)"


_SDPA_SIG = "query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False"
_SDPA_NO_DROPOUT = {"dropout_p": "the written-out attention has no dropout: apply it to the attention weights "
                                  "with a key"}


def _sdpa(mask: bool = False, scale: bool = False) -> str:
    """The attention template: without attn_mask and scale, with attn_mask, or with both (each a value or None)."""
    factor = "(lambda scale_: query_.shape[-1] ** -0.5 if scale_ is None else scale_)({scale})" if scale else \
        "query_.shape[-1] ** -0.5"
    scores = f"jnp.matmul(query_, {_SDPA_KEY}.mT, preferred_element_type=jnp.promote_types(query_.dtype, " \
        f"jnp.float32)) * {factor}" + (f" + {_SDPA_MASK}" if mask else "")
    return (f"(lambda query_, key_, value_{', mask_' if mask else ''}: {_SDPA_SOFTMAX}({scores}))"
            f"({{query}}, {{key}}, {{value}}{', {attn_mask}' if mask else ''})")


def _cosine_near_zero(torch_call: str) -> Difference:
    """The gradient on nearly parallel vectors of small norm: float32 cancellation near 1/(|a||b|)."""
    return Difference(
        note="gradient for b on nearly parallel vectors, a = [1, 2, 3], b = 1e-5 * [1, 2, 3.0001]: float32 "
             "cancellation near 1/(|a||b|) = 7143: torch -5.2485, JAX -5.2495 (float64 -5.2492)",
        torch="a = torch.tensor([[1.0, 2.0, 3.0]])\nb = torch.tensor([[1e-5, 2e-5, 3.0001e-5]], requires_grad=True)\n"
              f"{torch_call}.backward()\nout = b.grad",
        jax="a = jnp.array([[1.0, 2.0, 3.0]])\nout = jax.grad(lambda b: jnp.mean(1 - jnp.sum(a * b, -1) / jnp.sqrt("
            "(jnp.sum(jnp.square(a), -1) + 1e-12) * (jnp.sum(jnp.square(b), -1) + 1e-12))))"
            "(jnp.array([[1e-5, 2e-5, 3.0001e-5]]))",
        min_diff=1e-3)


RECORDS = [
    # --- activations -------------------------------------------------------------------------
    Record(
        torch="torch.nn.functional.relu",
        jax="jax.nn.relu",
        torch_example="out = F.relu(x)",
        jax_example="out = jax.nn.relu(x)",
        inputs=(T("x", "*", normal=True),),
        status="caveat",
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(_NAN_GRAD, _SUBNORMAL),
        differences=(
            Difference(
                note="gradient of relu at NaN: torch passes the cotangent (1), jax.nn.relu gives 0",
                torch="x = torch.tensor([float('nan')], requires_grad=True)\nF.relu(x).sum().backward()\nout = x.grad",
                jax="out = jax.grad(lambda x: jax.nn.relu(x).sum())(jnp.array([jnp.nan]))",
                min_diff=1.0,
            ),
            _subnormal_grad("F.relu(x)", "jax.nn.relu(x)", "0"),
        ),
        sig="input, inplace=False",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.relu6",
        jax="jax.nn.relu6",
        torch_example="out = F.relu6(x)",
        jax_example="out = jax.nn.relu6(x)",
        inputs=(T("x", "*", low=-8, high=8, normal=True),),
        status="caveat",
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(_NAN_GRAD, "Both give gradient 0 at exactly 0 and 6.", _SUBNORMAL,
               "On integer tensors torch keeps the dtype (int64); jax.nn.relu6 returns float32 (same values, "
               "another dtype: PyTorch's OpInfo int inputs found it)."),
        differences=(_nan_grad("F.relu6", "jax.nn.relu6", "0"), _subnormal_grad("F.relu6(x)", "jax.nn.relu6(x)", "0"),
                     Difference(note="an int tensor: torch keeps int64, jax.nn.relu6 returns float32",
                                torch="out = F.relu6(torch.tensor([-3, 2, 9])).is_floating_point()",
                                jax="out = jnp.issubdtype(jax.nn.relu6(jnp.array([-3, 2, 9])).dtype, jnp.floating)",
                                min_diff=1.0)),
        sig="input, inplace=False",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.leaky_relu",
        jax="jax.numpy.where",
        torch_example="out = F.leaky_relu(x, negative_slope=s)",
        jax_example="out = jnp.where(x > 0, x, x * s)",
        inputs=(T("x", "*", special=True, normal=True), Choice("s", (0.01, 0.2))),
        status="caveat",
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("jax.nn.leaky_relu(x, negative_slope) gives the same values, but its gradient at exactly 0 is 1 "
               "where torch's is negative_slope; the jnp.where form matches torch everywhere else.",
               _SUBNORMAL.replace("(1)", "(1; JAX: negative_slope)")),
        differences=(
            Difference(
                note="gradient at 0: torch uses negative_slope, jax.nn.leaky_relu uses 1",
                torch="x = torch.zeros(3, requires_grad=True)\nF.leaky_relu(x, 0.2).sum().backward()\nout = x.grad",
                jax="out = jax.grad(lambda x: jax.nn.leaky_relu(x, 0.2).sum())(jnp.zeros(3))",
                min_diff=0.7,
            ),
            _subnormal_grad("F.leaky_relu(x, 0.2)", "jnp.where(x > 0, x, x * 0.2)", "0.2"),
        ),
        sig="input, negative_slope=0.01, inplace=False",
        template="jnp.where({input} > 0, {input}, {input} * {negative_slope})",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.elu",
        jax="jax.nn.elu",
        torch_example="out = F.elu(x, alpha=a)",
        jax_example="out = jax.nn.elu(x, alpha=a)",
        inputs=(T("x", "*", low=-6, high=6, normal=True), Choice("a", (1.0, 0.5))),
        status="caveat",
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(_NAN_GRAD, _SUBNORMAL.replace("(1)", "(1; JAX: alpha)")),
        differences=(_nan_grad("F.elu", "jax.nn.elu", "NaN"),
                     _subnormal_grad("F.elu(x, alpha=0.5)", "jax.nn.elu(x, alpha=0.5)", "0.5"),),
        sig="input, alpha=1.0, inplace=False",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.selu",
        jax="jax.nn.selu",
        torch_example="out = F.selu(x)",
        jax_example="out = jax.nn.selu(x)",
        inputs=(T("x", "*", low=-6, high=6, normal=True),),
        status="caveat",
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(_NAN_GRAD, "A subnormal positive input (0 < x < 1.2e-38) is flushed to zero by XLA on CPU: JAX takes "
               "the x <= 0 branch of the gradient (1.7581), torch the x > 0 one (1.0507). Found by the fuzz "
               "profile at x = 2e-44; the draws leave subnormals out."),
        differences=(_nan_grad("F.selu", "jax.nn.selu", "NaN"),
                     Difference(
                         note="gradient at a subnormal x = 1e-40: torch 1.0507 (x > 0), JAX 1.7581 (flushed to 0)",
                         torch="x = torch.tensor([1e-40], requires_grad=True)\nF.selu(x).sum().backward()\n"
                               "out = x.grad",
                         jax="out = jax.grad(lambda x: jax.nn.selu(x).sum())(jnp.array([1e-40]))",
                         min_diff=0.7,
                     )),
        sig="input, inplace=False",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.celu",
        jax="jax.nn.celu",
        torch_example="out = F.celu(x, alpha=a)",
        jax_example="out = jax.nn.celu(x, alpha=a)",
        inputs=(T("x", "*", low=-6, high=6), Choice("a", (1.0, 0.5))),
        status="caveat",
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(_NAN_GRAD,),
        differences=(_nan_grad("F.celu", "jax.nn.celu", "NaN"),),
        sig="input, alpha=1.0, inplace=False",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.gelu",
        jax="jax.nn.gelu",
        torch_example="out = F.gelu(x)",
        jax_example="out = jax.nn.gelu(x, approximate=False)",
        inputs=(T("x", "*", low=-6, high=6),),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-6, 1e-6, "erf-based in both; libm vs XLA erf differ by a few ulp"),
        notes=("jax.nn.gelu defaults to the tanh approximation; torch's default is exact (erf). "
               "Pass approximate=False.",),
        differences=(
            Difference(
                note="jax.nn.gelu defaults to approximate=True (tanh), torch to the exact erf form",
                torch="out = F.gelu(torch.linspace(-6, 6, 1201))",
                jax="out = jax.nn.gelu(jnp.linspace(-6, 6, 1201))",
                min_diff=4e-4,
            ),
        ),
        sig="input, approximate='none'",
        template="jax.nn.gelu({input}, approximate={approximate})",
        values={"approximate": {"'none'": "False", "'tanh'": "True"}},
    ),
    Record(
        torch="torch.nn.functional.gelu",
        jax="jax.nn.gelu",
        variant="tanh",
        torch_example="out = F.gelu(x, approximate='tanh')",
        jax_example="out = jax.nn.gelu(x, approximate=True)",
        inputs=(T("x", "*", low=-6, high=6, special=True),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("The tanh approximation (GPT-2 style) is jax.nn.gelu's default.",),
        sig="input, approximate='none'",
        template="jax.nn.gelu({input}, approximate={approximate})",
        values={"approximate": {"'none'": "False", "'tanh'": "True"}},
    ),
    Record(
        torch="torch.nn.functional.silu",
        jax="jax.nn.silu",
        torch_example="out = F.silu(x)",
        jax_example="out = jax.nn.silu(x)",
        inputs=(T("x", "*", low=-8, high=8, special=True),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("jax.nn.swish is the same function.",),
        sig="input, inplace=False",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.mish",
        jax="jax.nn.mish",
        torch_example="out = F.mish(x)",
        jax_example="out = jax.nn.mish(x)",
        inputs=(T("x", "*", low=-8, high=8, special=True),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="input, inplace=False",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.softplus",
        jax="jax.nn.softplus",
        torch_example="out = F.softplus(x, beta=b, threshold=t)",
        jax_example="out = jnp.where(x * b > t, x, jax.nn.softplus(b * x) / b)",
        inputs=(T("x", "*", low=-30, high=30, special=True), Choice("b", (1.0, 2.0)), Choice("t", (20.0, 1.0))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("jax.nn.softplus has no beta or threshold: torch computes log(1 + exp(beta*x)) / beta and "
               "switches to the identity where beta*x > threshold. With the defaults (1, 20) plain "
               "jax.nn.softplus(x) agrees in float32.",),
        sig="input, beta=1, threshold=20",
        template="jnp.where({input} * {beta} > {threshold}, {input}, jax.nn.softplus({beta} * {input}) / {beta})",
    ),
    Record(
        torch="torch.nn.functional.softsign",
        jax="jax.nn.soft_sign",
        torch_example="out = F.softsign(x)",
        jax_example="out = jax.nn.soft_sign(x)",
        inputs=(T("x", "*", special=True),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="input",
    ),
    Record(
        torch="torch.nn.functional.hardtanh",
        jax="jax.numpy.where",
        torch_example="out = F.hardtanh(x, min_val=lo, max_val=hi)",
        jax_example="out = jnp.where(x <= lo, lo, jnp.where(x >= hi, hi, x))",
        inputs=(T("x", "*"), Choice("lo", (-1.0, -2.0)), Choice("hi", (1.0, 0.5))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("torch's gradient is 1 strictly inside (min_val, max_val) and 0 at and beyond the bounds. "
               "jax.nn.hard_tanh (fixed bounds -1, 1) gives 1 at the bounds; jnp.clip gives 0.5 at "
               "max_val. The nested jnp.where matches torch at and between the bounds.",
               "At NaN inputs the values agree (NaN) but torch's own gradient depends on the tensor's length "
               "(0 from its vectorised loop, 1 from the scalar tail); JAX's is 1.",
               "On integer tensors torch keeps the dtype (int64); the float bounds make the rewrite float32 (same "
               "values, another dtype: PyTorch's OpInfo int inputs found it)."),
        status="caveat",
        differences=(Difference(note="an int tensor: torch keeps int64, the rewrite returns float32",
                                torch="out = F.hardtanh(torch.tensor([-3, 0, 2])).is_floating_point()",
                                jax="x = jnp.array([-3, 0, 2])\n"
                                    "y = jnp.where(x <= -1.0, -1.0, jnp.where(x >= 1.0, 1.0, x))\n"
                                    "out = jnp.issubdtype(y.dtype, jnp.floating)",
                                min_diff=1.0),),
        sig="input, min_val=-1.0, max_val=1.0, inplace=False",
        template="jnp.where({input} <= {min_val}, {min_val}, jnp.where({input} >= {max_val}, {max_val}, {input}))",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.hardswish",
        jax="jax.nn.hard_swish",
        torch_example="out = F.hardswish(x)",
        jax_example="out = jax.nn.hard_swish(x)",
        inputs=(T("x", "*", low=-5, high=5),),
        status="caveat",
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(_NAN_GRAD,),
        differences=(_nan_grad("F.hardswish", "jax.nn.hard_swish", "NaN"),),
        sig="input, inplace=False",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.hardsigmoid",
        jax="jax.nn.hard_sigmoid",
        torch_example="out = F.hardsigmoid(x)",
        jax_example="out = jax.nn.hard_sigmoid(x)",
        inputs=(T("x", "*", low=-5, high=5, special=True),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="input, inplace=False",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.sigmoid",
        jax="jax.nn.sigmoid",
        torch_example="out = F.sigmoid(x)",
        jax_example="out = jax.nn.sigmoid(x)",
        inputs=(T("x", "*", low=-10, high=10, special=True),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="input",
    ),
    Record(
        torch="torch.nn.functional.tanh",
        jax="jax.numpy.tanh",
        torch_example="out = F.tanh(x)",
        jax_example="out = jnp.tanh(x)",
        inputs=(T("x", "*", low=-6, high=6, special=True),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="input",
    ),
    Record(
        torch="torch.nn.functional.logsigmoid",
        jax="jax.nn.log_sigmoid",
        torch_example="out = F.logsigmoid(x)",
        jax_example="out = jax.nn.log_sigmoid(x)",
        inputs=(T("x", "*", low=-20, high=20, special=True),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        sig="input",
    ),
    Record(
        torch="torch.nn.functional.glu",
        jax="jax.nn.glu",
        torch_example="out = F.glu(x, dim=d)",
        jax_example="out = jax.nn.glu(x, axis=d)",
        inputs=(T("x", "2,N,4"), Choice("d", (0, 2, -1, -3))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("The size along dim must be even: the first half is gated by the sigmoid of the second.",),
        sig="input, dim=-1",
        rename={"dim": "axis"},
    ),
    Record(
        torch="torch.nn.functional.softmax",
        jax="jax.nn.softmax",
        torch_example="out = F.softmax(x, dim=d)",
        jax_example="out = jax.nn.softmax(x, axis=d)",
        inputs=(T("x", "*", low=-10, high=10, special=True), Dim("d", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Always pass dim. Without it torch picks dim 0 for 0-, 1- and 3-D inputs and dim 1 otherwise "
               "(deprecated, with a warning); jax.nn.softmax defaults to axis=-1.",),
        differences=(
            Difference(
                note="without dim, torch normalises a 3-D input over dim 0; jax.nn.softmax over the last axis",
                torch="out = F.softmax(torch.arange(24.0).reshape(2, 3, 4) / 10)",
                jax="out = jax.nn.softmax(jnp.arange(24.0).reshape(2, 3, 4) / 10)",
                min_diff=0.1,
            ),
        ),
        sig="input, dim, _stacklevel=3, dtype=None",  # no default: torch's implicit dim is not JAX's axis=-1
        rename={"dim": "axis"},
        unsupported_args={"dtype": "cast first: jax.nn.softmax(x.astype(dtype), axis=dim)",
                          "_stacklevel": "torch-internal warning argument"},
    ),
    Record(
        torch="torch.nn.functional.log_softmax",
        jax="jax.nn.log_softmax",
        torch_example="out = F.log_softmax(x, dim=d)",
        jax_example="out = jax.nn.log_softmax(x, axis=d)",
        inputs=(T("x", "*", low=-10, high=10, special=True), Dim("d", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Always pass dim: without it torch picks dim 0 for 0-, 1- and 3-D inputs and dim 1 otherwise; "
               "jax.nn.log_softmax defaults to axis=-1.",),
        sig="input, dim, _stacklevel=3, dtype=None",  # no default: torch's implicit dim is not JAX's axis=-1
        rename={"dim": "axis"},
        unsupported_args={"dtype": "cast first: jax.nn.log_softmax(x.astype(dtype), axis=dim)",
                          "_stacklevel": "torch-internal warning argument"},
    ),
    # --- linear maps, dropout, embeddings -------------------------------------------------------
    Record(
        torch="torch.nn.functional.normalize",
        jax="optax.safe_norm",
        torch_example="out = (F.normalize(x, p=p, dim=d), F.normalize(x * 0, p=p, dim=d))",
        jax_example="out = (x / optax.safe_norm(x, 1e-12, ord=p, axis=d, keepdims=True), "
                    "(x * 0) / optax.safe_norm(x * 0, 1e-12, ord=p, axis=d, keepdims=True))",
        inputs=(T("x", "*", low=0.125, high=3), Choice("p", (2.0, 3.0)), Dim("d", "x")),
        status="caveat",
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("x / max(||x||_p, eps) along dim. optax.safe_norm clamps the norm at eps with a finite "
               "gradient for all-zero vectors, as torch does; jnp.linalg.norm would give NaN gradients there.",
               "p=1: the gradient differs at zero entries (JAX's derivative of |x| at 0 is 1, torch's 0; see "
               "l1_loss); p=1 is not drawn here.",
               "Checked on entries in [0.125, 3) and on zero vectors (x * 0): the gradient of x / |x| has terms "
               "of size 1 / |x| that cancel, so for tiny vectors both frameworks return rounding noise "
               "(measured +-0.002 on x = [1e-5]).",),
        sig="input, p=2.0, dim=1, eps=1e-12, out=None",
        differences=(
            Difference(
                note="p=1, gradient at a zero entry: torch's d|x|/dx is 0 there, JAX's 1",
                torch="x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)\n"
                      "(F.normalize(x, p=1.0, dim=0) * torch.tensor([1.0, 2.0, 3.0])).sum().backward()\nout = x.grad",
                jax="out = jax.grad(lambda x: (x / optax.safe_norm(x, 1e-12, ord=1.0, axis=0, keepdims=True) "
                    "* jnp.array([1.0, 2.0, 3.0])).sum())(jnp.array([0.0, 1.0, 2.0]))",
                min_diff=0.8,
            ),
        ),
        template="{input} / optax.safe_norm({input}, {eps}, ord={p}, axis={dim}, keepdims=True)",
        unsupported_args={"out": "JAX arrays are immutable: assign the result instead"},
    ),
    Record(
        torch="torch.nn.functional.linear",
        jax="jax.numpy.matmul",
        torch_example="out = F.linear(x, w)",
        jax_example="out = x @ w.T",
        inputs=(T("x", "B,T,I"), T("w", "O,I")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_MATMUL,
        grad_tol=_MATMUL,
        sizes=(0, 4),
        notes=("torch's weight is [out, in]: x @ w.T. A flax kernel is [in, out]: x @ kernel.",),
        sig="input, weight, bias=None",
        template="{input} @ {weight}.T",
        unsupported_args={"bias": "see the [bias] entry"},
    ),
    Record(
        torch="torch.nn.functional.linear",
        jax="jax.numpy.matmul",
        variant="bias",
        torch_example="out = F.linear(x, w, b)",
        jax_example="out = x @ w.T + lax.broadcast_to_rank(b, x.ndim)",
        inputs=(T("x", "B,T,I"), T("w", "O,I"), T("b", "O")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_MATMUL,
        grad_tol=_MATMUL,
        sizes=(0, 4),
        notes=("torch's weight is [out, in]: x @ w.T. A flax kernel is [in, out]: x @ kernel.",
               "`x @ w.T + b` is the same where implicit rank promotion is allowed (JAX's default).",
               "A bias that is None at run time makes the rewrite fail loudly: use the plain entry."),
        sig="input, weight, bias=None",
        template="{input} @ {weight}.T + lax.broadcast_to_rank({bias}, {input}.ndim)",
    ),
    Record(
        torch="torch.nn.functional.bilinear",
        jax="jax.numpy.einsum",
        torch_example="out = F.bilinear(x1, x2, w)",
        jax_example="out = jnp.einsum('...i,oij,...j->...o', x1, w, x2)",
        inputs=(T("x1", "N,I"), T("x2", "N,J"), T("w", "O,I,J")),
        checks=("forward", "jit", "grad"),
        tol=_MATMUL,
        grad_tol=_MATMUL,
        notes=("out[..., o] = x1 @ w[o] @ x2.",
               "No bfloat16 check: both contract in two steps and round the intermediate to bfloat16 along "
               "different paths; measured 0.03 apart on inputs within 3."),
        sig="input1, input2, weight, bias=None",
        template="jnp.einsum('...i,oij,...j->...o', {input1}, {weight}, {input2})",
        unsupported_args={"bias": "see the [bias] entry"},
    ),
    Record(
        torch="torch.nn.functional.bilinear",
        jax="jax.numpy.einsum",
        variant="bias",
        torch_example="out = F.bilinear(x1, x2, w, b)",
        jax_example="out = jnp.einsum('...i,oij,...j->...o', x1, w, x2) + lax.broadcast_to_rank(b, x1.ndim)",
        inputs=(T("x1", "N,I"), T("x2", "N,J"), T("w", "O,I,J"), T("b", "O")),
        checks=("forward", "jit", "grad"),
        tol=_MATMUL,
        grad_tol=_MATMUL,
        notes=("out[..., o] = x1 @ w[o] @ x2 + b[o].",
               "No bfloat16 check: both contract in two steps and round the intermediate to bfloat16 along "
               "different paths; measured 0.03 apart on inputs within 3."),
        sig="input1, input2, weight, bias=None",
        template="jnp.einsum('...i,oij,...j->...o', {input1}, {weight}, {input2}) + lax.broadcast_to_rank({bias}, "
                 "{input1}.ndim)",
    ),
    Record(
        torch="torch.nn.functional.dropout",
        jax="jax.random.bernoulli",
        status="caveat",
        torch_example=(
            "x = torch.ones(200_000)\n"
            "y = F.dropout(x, p=0.3)\n"
            "out = ((y == 0).float().mean(), y.mean(), y.max())"
        ),
        jax_example=(
            "x = jnp.ones(200_000)\n"
            "y = jnp.where(jax.random.bernoulli(key, 1 - 0.3, x.shape), x / (1 - 0.3), 0)\n"
            "out = ((y == 0).astype(jnp.float32).mean(), y.mean(), y.max())"
        ),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.0074, "statistics of 200k draws: 5 standard errors of the zero fraction (1.0e-3) "
                             "and of the mean (1.5e-3); the max 1/(1-p) is exact"),
        notes=("Random streams differ: only the distribution matches (0 with probability p, else x/(1-p)).",
               "JAX has no global RNG: pass a key (`key` in the rewrite) and split it for every dropout call.",
               "F.dropout defaults to training=True whatever the module's mode: pass training=self.training "
               "(or use nnx.Dropout, which follows deterministic=).",
               "training=False is checked value for value in the [eval] entry."),
        sig="input, p=0.5, training=True, inplace=False",
        template="jnp.where(jax.random.bernoulli(key, 1 - {p}, {input}.shape), {input} / (1 - {p}), 0) "
                 "if {training} else {input}",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.dropout",
        jax="jax.random.bernoulli",
        variant="eval",
        torch_example="out = F.dropout(x, p=0.5, training=False)",
        jax_example="out = x",
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("With training=False dropout is the identity: the rewrite writes the input itself and draws no "
               "random bits.",),
        sig="input, p=0.5, training=True, inplace=False",
        template="jnp.where(jax.random.bernoulli(key, 1 - {p}, {input}.shape), {input} / (1 - {p}), 0) "
                 "if {training} else {input}",
        unsupported_args={"inplace": _INPLACE},
    ),
    Record(
        torch="torch.nn.functional.embedding",
        jax="jax.Array.__getitem__",
        torch_example="out = F.embedding(i, w)",
        jax_example="out = w[i]",
        inputs=(T("i", "N,L", "int64", 0, 6), T("w", "6,D")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Out-of-range indices raise in torch; JAX clamps them silently (and wraps negative ones).",),
        differences=(
            Difference(
                note="index 5 of a 5-row table: torch raises IndexError, JAX returns the last row",
                torch="out = F.embedding(torch.tensor([5]), torch.ones(5, 2))",
                jax="out = jnp.ones((5, 2))[jnp.array([5])]",
                torch_raises="IndexError",
            ),
        ),
        sig="input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False",
        template="{weight}[{input}]",
        unsupported_args={
            "padding_idx": "padding_idx only zeroes that row's gradient: see the [padding_idx] entry",
            "max_norm": "renormalises rows of the weight in place: compute the norms and rescale explicitly",
            "scale_grad_by_freq": "no JAX equivalent: scale the gradient by inverse index counts yourself",
            "sparse": "JAX gradients are dense",
        },
    ),
    Record(
        torch="torch.nn.functional.embedding",
        jax="jax.lax.stop_gradient",
        variant="padding_idx",
        torch_example="out = F.embedding(i, w, padding_idx=0)",
        jax_example="out = jnp.where((i == 0)[..., None], lax.stop_gradient(w[i]), w[i])",
        inputs=(T("i", "N,L", "int64", 0, 6), T("w", "6,D")),
        checks=("forward", "jit", "grad"),
        notes=("In F.embedding, padding_idx does not change the output: it only keeps that row's gradient "
               "at zero (nn.Embedding also initialises the row to zeros). A negative padding_idx counts "
               "from the end in torch: write the non-negative index.",),
        sig="input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False",
        template="jnp.where(({input} == {padding_idx})[..., None], lax.stop_gradient({weight}[{input}]), "
                 "{weight}[{input}])",
        unsupported_args={
            "max_norm": "renormalises rows of the weight in place: compute the norms and rescale explicitly",
            "scale_grad_by_freq": "no JAX equivalent: scale the gradient by inverse index counts yourself",
            "sparse": "JAX gradients are dense",
        },
    ),
    Record(
        torch="torch.nn.functional.one_hot",
        jax="jax.nn.one_hot",
        torch_example="out = F.one_hot(y, 5)",
        jax_example="out = jax.nn.one_hot(y, 5, dtype=jnp.int32)",
        inputs=(T("y", "*", "int64", 0, 5),),
        checks=("forward", "jit"),
        why_not={"grad": "integer input and output: nothing to differentiate"},
        sizes=(0, 4),
        notes=("torch returns int64; jax.nn.one_hot returns float32 unless dtype is given (int64 needs "
               "jax_enable_x64, so the rewrite asks for int32).",
               "num_classes=-1 (the default: infer from the data) has a data-dependent shape, and "
               "jax.nn.one_hot(x, -1) raises: a call without num_classes is manual (the [inferred] entry).",
               "A class outside [0, num_classes) raises in torch; JAX returns an all-zero row."),
        differences=(
            Difference(
                note="class 3 with num_classes=3: torch raises, jax.nn.one_hot returns zeros",
                torch="out = F.one_hot(torch.tensor([3]), 3)",
                jax="out = jax.nn.one_hot(jnp.array([3]), 3)",
                torch_raises="RuntimeError",
            ),
        ),
        # torch's names: one_hot(tensor=...) raises; num_classes=None too. No default: torch infers it from the data.
        sig="input, num_classes: int",
        template="jax.nn.one_hot({input}, {num_classes}, dtype=jnp.int32)",
    ),
    Record(
        torch="torch.nn.functional.one_hot",
        jax="jax.nn.one_hot",
        variant="inferred",
        status="manual",
        torch_example="out = F.one_hot(y)",
        jax_example="out = jax.nn.one_hot(y, int(y.max()) + 1, dtype=jnp.int32)",
        inputs=(T("y", "N", "int64", 0, 5),),
        checks=("forward",),
        notes=("Runs eagerly only: int(y.max()) needs a concrete value.",),
        reason="num_classes=-1 makes the output shape depend on the data (max(y) + 1), which jax.jit cannot "
               "trace: pass the number of classes as a constant, jax.nn.one_hot(y, num_classes)",
        sig="input, num_classes: int = -1",
    ),
    # --- padding and resizing ------------------------------------------------------------------
    Record(
        torch="torch.nn.functional.pad",
        jax="jax.lax.pad",
        torch_example="out = F.pad(x, (1, 2, 0, 3))",
        jax_example="out = lax.pad(x, jnp.zeros((), x.dtype), [(0, 0, 0)] * (x.ndim - len((1, 2, 0, 3)) // 2) + "
                    "list(zip((1, 2, 0, 3)[-2::-2], (1, 2, 0, 3)[::-2], (0,) * (len((1, 2, 0, 3)) // 2))))",
        inputs=(T("x", "N,C,W"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("torch's pad lists (before, after) pairs starting from the LAST dimension; jnp.pad takes one "
               "pair per dimension starting from the first. The rewrite reverses the pairs and pads the "
               "leading dimensions with (0, 0).",
               "Negative pads crop in torch; jnp.pad rejects them, lax.pad crops as torch does: the rewrite uses "
               "lax.pad, so a pad known only at run time (F.pad(x, (j - i, 0))) is right for either sign.",
               "A fill value: the [value] entry; other modes: the [mode] entry."),
        sig="input, pad, mode='constant', value=None",
        template="lax.pad({input}, jnp.zeros((), {input}.dtype), [(0, 0, 0)] * ({input}.ndim - len({pad}) // 2) + "
                 "list(zip({pad}[-2::-2], {pad}[::-2], (0,) * (len({pad}) // 2))))",
        unsupported_args={"mode": "see the [mode] entry", "value": "see the [value] entry"},
    ),
    Record(
        torch="torch.nn.functional.pad",
        jax="jax.lax.pad",
        variant="value",
        torch_example="out = F.pad(x, (2, 1), value=v)",
        jax_example="out = lax.pad(x, jnp.asarray(v, x.dtype), [(0, 0, 0)] * (x.ndim - len((2, 1)) // 2) + "
                    "list(zip((2, 1)[-2::-2], (2, 1)[::-2], (0,) * (len((2, 1)) // 2))))",
        inputs=(T("x", "N,C,W"), Choice("v", (0.0, -1.5, float("-inf")))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Constant padding with a fill value; see the plain entry for the order of the pairs and for "
               "negative pads (lax.pad crops as torch does).",),
        sig="input, pad, mode='constant', value=None",
        template="lax.pad({input}, jnp.asarray({value}, {input}.dtype), [(0, 0, 0)] * ({input}.ndim - len({pad}) // "
                 "2) + list(zip({pad}[-2::-2], {pad}[::-2], (0,) * (len({pad}) // 2))))",
        unsupported_args={"mode": "a fill value with mode= : write the call without mode (constant is the default)"},
    ),
    Record(
        torch="torch.nn.functional.pad",
        jax="jax.numpy.pad",
        variant="mode",
        torch_example=(
            "out = (F.pad(x, (1, 2, 2, 1), mode='reflect'), F.pad(x, (2, 1, 0, 1), mode='replicate'), "
            "F.pad(x, (1, 0, 2, 2), mode='circular'))"
        ),
        jax_example=(
            "out = (jnp.pad(x, [(0, 0)] * (x.ndim - len((1, 2, 2, 1)) // 2) + list(zip((1, 2, 2, 1)[-2::-2], "
            "(1, 2, 2, 1)[::-2])), mode='reflect'), "
            "jnp.pad(x, [(0, 0)] * (x.ndim - len((2, 1, 0, 1)) // 2) + list(zip((2, 1, 0, 1)[-2::-2], "
            "(2, 1, 0, 1)[::-2])), mode='edge'), "
            "jnp.pad(x, [(0, 0)] * (x.ndim - len((1, 0, 2, 2)) // 2) + list(zip((1, 0, 2, 2)[-2::-2], "
            "(1, 0, 2, 2)[::-2])), mode='wrap'))"
        ),
        inputs=(T("x", "N,C,H,W"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(3, 5),
        notes=("Mode names: reflect -> 'reflect', replicate -> 'edge', circular -> 'wrap', constant -> "
               "'constant' (fills with 0).",
               "torch pads only the spatial dimensions in these modes (2 * (ndim - 2) numbers, or one pair "
               "fewer for unbatched input); jnp.pad accepts any.",),
        sig="input, pad, mode='constant', value=None",
        template="jnp.pad({input}, [(0, 0)] * ({input}.ndim - len({pad}) // 2) + list(zip({pad}[-2::-2], "
                 "{pad}[::-2])), "
                 "mode={mode})",
        values={"mode": {"'constant'": "'constant'", "'reflect'": "'reflect'", "'replicate'": "'edge'",
                         "'circular'": "'wrap'"}},
        unsupported_args={"value": "a fill value applies to constant mode only: see the [value] entry"},
    ),
    Record(
        torch="torch.nn.functional.interpolate",
        jax="jax.image.resize",
        status="caveat",
        torch_example=(
            "out = (F.interpolate(x, size=(5, 3), mode='bilinear'), "
            "F.interpolate(x, size=(2 * x.shape[2], 3 * x.shape[3])))"
        ),
        jax_example=(
            "out = (jax.image.resize(x, x.shape[:2] + tuple(np.broadcast_to((5, 3), x.ndim - 2)), method='linear', "
            "antialias=False), "
            "jax.image.resize(x, x.shape[:2] + tuple(np.broadcast_to((2 * x.shape[2], 3 * x.shape[3]), x.ndim - 2)), "
            "method='nearest', antialias=False))"
        ),
        inputs=(T("x", "N,C,H,W"),),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-6, 1e-5, "float32 interpolation weights: a few ulp"),
        notes=("Checked: bilinear (align_corners=False) up- and downsampling, and nearest with integer "
               "upsampling factors; antialias=True in the [antialias] entry.",
               "mode='nearest' differs otherwise: torch picks floor(i * in / out) (asymmetric), jax.image.resize "
               "picks the nearest pixel centre, which is torch's 'nearest-exact'. Measured on 4 -> 2: "
               "different pixels (see the difference below).",
               "bicubic and area have no rewrite: torch's cubic kernel uses a=-0.75, jax.image.resize's "
               "a=-0.5; area is adaptive_avg_pool.",
               "align_corners=True: the [align_corners] entry; scale_factor: the [scale_factor] entry."),
        differences=(
            Difference(
                note="nearest downsampling 4 -> 2: torch keeps pixels 0 and 2, jax.image.resize 1 and 3",
                torch="out = F.interpolate(torch.arange(4.0).reshape(1, 1, 1, 4), size=(1, 2))",
                jax="out = jax.image.resize(jnp.arange(4.0).reshape(1, 1, 1, 4), (1, 1, 1, 2), method='nearest')",
                min_diff=1.0,
            ),
        ),
        sig="input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, "
            "antialias=False",
        template="jax.image.resize({input}, {input}.shape[:2] + tuple(np.broadcast_to({size}, {input}.ndim - 2)), "
                 "method={mode}, antialias={antialias})",
        values={"mode": {"'nearest'": "'nearest'", "'nearest-exact'": "'nearest'", "'bilinear'": "'linear'",
                         "'linear'": "'linear'", "'trilinear'": "'linear'"}},
        unsupported_args={
            "scale_factor": "see the [scale_factor] entry",
            "align_corners": "align_corners=False is jax.image.resize's behaviour (drop the argument); "
                             "True: see the [align_corners] entry",
            "recompute_scale_factor": "jax.image.resize always derives the scale from the sizes",
        },
    ),
    Record(
        torch="torch.nn.functional.interpolate",
        jax="jax.image.resize",
        variant="antialias",
        torch_example="out = F.interpolate(x, size=(2, 3), mode='bilinear', antialias=True)",
        jax_example="out = jax.image.resize(x, x.shape[:2] + tuple(np.broadcast_to((2, 3), x.ndim - 2)), "
                    "method='linear', antialias=True)",
        inputs=(T("x", "N,C,H,W"),),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-6, 1e-5, "float32 interpolation weights: a few ulp"),
        sizes=(1, 7),
        notes=("Antialiased bilinear downsampling (a triangle filter widened by the scale) is the same in both; "
               "upsampling ignores antialias in both.",
               "No bfloat16 check: torch has no bfloat16 kernel for antialiased interpolation on CPU."),
        sig="input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, "
            "antialias=False",
        template="jax.image.resize({input}, {input}.shape[:2] + tuple(np.broadcast_to({size}, {input}.ndim - 2)), "
                 "method={mode}, antialias={antialias})",
        values={"mode": {"'nearest'": "'nearest'", "'nearest-exact'": "'nearest'", "'bilinear'": "'linear'",
                         "'linear'": "'linear'", "'trilinear'": "'linear'"}},
        unsupported_args={
            "scale_factor": "see the [scale_factor] entry",
            "align_corners": "align_corners=False is jax.image.resize's behaviour (drop the argument); "
                             "True: see the [align_corners] entry",
            "recompute_scale_factor": "jax.image.resize always derives the scale from the sizes",
        },
    ),
    Record(
        torch="torch.nn.functional.interpolate",
        jax="jax.image.resize",
        variant="scale_factor",
        status="caveat",
        torch_example="out = (F.interpolate(x, scale_factor=2), F.interpolate(x, scale_factor=(1, 3), "
                      "mode='bilinear'))",
        jax_example=(
            "out = (jax.image.resize(x, x.shape[:2] + tuple(int(s * f) for s, f in zip(x.shape[2:], "
            "np.broadcast_to(2, x.ndim - 2))), method='nearest', antialias=False), "
            "jax.image.resize(x, x.shape[:2] + tuple(int(s * f) for s, f in zip(x.shape[2:], "
            "np.broadcast_to((1, 3), x.ndim - 2))), method='linear', antialias=False))"
        ),
        inputs=(T("x", "N,C,H,W"),),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-6, 1e-5, "float32 interpolation weights: a few ulp"),
        notes=("Exact for integer scale factors (checked: 2 and (1, 3)).",
               "For other factors torch maps coordinates with the given factor while jax.image.resize uses "
               "the ratio of the (floored) sizes, so results differ unless recompute_scale_factor=True; "
               "mode='nearest' also differs when downsampling (see the plain entry).",
               "The output size is floor(size * scale_factor), as in torch."),
        sig="input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, "
            "antialias=False",
        template="jax.image.resize({input}, {input}.shape[:2] + tuple(int(s * f) for s, f in zip({input}.shape[2:], "
                 "np.broadcast_to({scale_factor}, {input}.ndim - 2))), method={mode}, antialias={antialias})",
        values={"mode": {"'nearest'": "'nearest'", "'nearest-exact'": "'nearest'", "'bilinear'": "'linear'",
                         "'linear'": "'linear'", "'trilinear'": "'linear'"}},
        unsupported_args={
            "size": "see the plain entry",
            "align_corners": "align_corners=False is jax.image.resize's behaviour (drop the argument); "
                             "True: see the [align_corners] entry",
            "recompute_scale_factor": "jax.image.resize always derives the scale from the sizes",
        },
    ),
    Record(
        torch="torch.nn.functional.interpolate",
        jax="jax.image.scale_and_translate",
        variant="align_corners",
        status="manual",
        torch_example="out = F.interpolate(x, size=(5, 7), mode='bilinear', align_corners=True)",
        jax_example=(
            "scale = (jnp.array([5, 7]) - 1) / (jnp.array(x.shape[2:]) - 1)\n"
            "out = jax.image.scale_and_translate(x, x.shape[:2] + (5, 7), (2, 3), scale, 0.5 * (1 - scale), "
            "method='linear', antialias=False)"
        ),
        inputs=(T("x", "N,C,H,W"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(2, 4),
        tol=Tol(1e-5, 1e-5, "float32 interpolation weights computed from a float scale and translation"),
        notes=("align_corners=True maps output pixel i to input coordinate i * (in - 1) / (out - 1): "
               "scale (out - 1) / (in - 1) and translation (1 - scale) / 2 in scale_and_translate's "
               "pixel-centre convention. Needs in > 1 and out > 1.",),
        reason="jax.image.resize has no align_corners: use jax.image.scale_and_translate with the scale and "
               "translation that map the corner pixels onto each other (example)",
        sig="input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, "
            "antialias=False",
    ),
    # --- normalisation -------------------------------------------------------------------------
    Record(
        torch="torch.nn.functional.layer_norm",
        jax="jax.nn.standardize",
        torch_example="out = F.layer_norm(x, x.shape[-2:])",
        jax_example="out = jax.nn.standardize(x.astype(jnp.promote_types(x.dtype, jnp.float32)), "
                    "axis=tuple(range(-len(x.shape[-2:]), 0)), "
                    "epsilon=1e-5, algorithm='stable').astype(x.dtype)",
        inputs=(T("x", "N,T,C", low=-1, high=1, unique=True),),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_NORM,
        grad_tol=_NORM_GRAD,
        notes=("jax.nn.standardize defaults to algorithm='fast' (E[x^2] - E[x]^2), which cancels "
               "catastrophically when the mean is large against the spread; torch's layer_norm is stable. "
               "Pass algorithm='stable'.",
               "Its epsilon default (1e-5) matches torch; flax's nnx.LayerNorm uses 1e-6.",
               "Nearly constant groups are ill-conditioned in float32: torch (Welford) and XLA (two-pass) then "
               "differ by ~1e-4 relative in the gradient (measured 2e-4 on an instance_norm plane); the checks "
               "draw distinct values.",
               "The statistics are computed in float32, as torch does for bfloat16 / float16 inputs: in "
               "bfloat16 the mean of a nearly constant group is rounded and 1/sqrt(eps) magnifies the error "
               "(measured 0.06 apart on a group_norm input).",
               "Both lose float32 precision when the mean is large against the spread: on 1000 + U[-1, 1) "
               "inputs torch is 1.3e-4 and JAX 1.9e-4 from a float64 reference (2.2e-4 apart); the checks draw "
               "inputs in [-1, 1), where the gradients differ by up to 1.6e-3 (see the tolerance).",
               "With weight and bias: the [weight] entry."),
        differences=(
            Difference(
                note="jax.nn.standardize's default 'fast' variance loses the signal when |mean| >> std",
                torch="out = F.layer_norm(torch.linspace(0, 1, 64) + 1000, (64,))",
                jax="out = jax.nn.standardize(jnp.linspace(0, 1, 64) + 1000)",
                min_diff=0.1,
            ),
        ),
        sig="input, normalized_shape, weight=None, bias=None, eps=1e-5",
        template="jax.nn.standardize({input}.astype(jnp.promote_types({input}.dtype, jnp.float32)), "
                 "axis=tuple(range(-len({normalized_shape}), 0)), "
                 "epsilon={eps}, algorithm='stable').astype({input}.dtype)",
        unsupported_args={"weight": "see the [weight] entry", "bias": "see the [weight] entry"},
    ),
    Record(
        torch="torch.nn.functional.layer_norm",
        jax="jax.nn.standardize",
        variant="weight",
        torch_example="out = F.layer_norm(x, w.shape, w, b, 1e-5)",
        jax_example="out = (jax.nn.standardize(x.astype(jnp.promote_types(x.dtype, jnp.float32)), "
                    "axis=tuple(range(-len(w.shape), 0)), "
                    "epsilon=1e-5, algorithm='stable') * lax.broadcast_to_rank(w, x.ndim) + "
                    "lax.broadcast_to_rank(b, x.ndim)).astype(x.dtype)",
        inputs=(T("x", "N,T,C", low=-1, high=1, unique=True), T("w", "C", low=-1, high=1), T("b", "C")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_NORM,
        grad_tol=_NORM_WGRAD,
        notes=("nanoGPT's LayerNorm call. algorithm='stable' and the float32 statistics: see the plain entry.",
               "A weight or bias that is None at run time makes the rewrite fail loudly: use the plain entry "
               "(and multiply / add what is there)."),
        sig="input, normalized_shape, weight=None, bias=None, eps=1e-5",
        template="(jax.nn.standardize({input}.astype(jnp.promote_types({input}.dtype, jnp.float32)), "
                 "axis=tuple(range(-len({normalized_shape}), 0)), "
                 "epsilon={eps}, algorithm='stable') * lax.broadcast_to_rank({weight}, {input}.ndim) + "
                 "lax.broadcast_to_rank({bias}, {input}.ndim)).astype({input}.dtype)",
    ),
    Record(
        torch="torch.nn.functional.group_norm",
        jax="jax.nn.standardize",
        torch_example="out = F.group_norm(x, g)",
        jax_example="out = jax.nn.standardize(x.astype(jnp.promote_types(x.dtype, jnp.float32)).reshape(x.shape[0], "
                    "g, -1), "
                    "epsilon=1e-5, algorithm='stable').reshape(x.shape).astype(x.dtype)",
        inputs=(T("x", "N,6,L", low=-1, high=1, unique=True), Choice("g", (1, 2, 3, 6))),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_NORM,
        grad_tol=_NORM_GRAD,
        sizes=(2, 4),
        notes=("Each sample's channels are split into num_groups groups; each group is standardised over its "
               "channels and all positions.",
               "Statistics in float32, as torch computes them for bfloat16 / float16 inputs (see layer_norm).",),
        sig="input, num_groups, weight=None, bias=None, eps=1e-5",
        template="jax.nn.standardize({input}.astype(jnp.promote_types({input}.dtype, "
                 "jnp.float32)).reshape({input}.shape[0], {num_groups}, -1), "
                 "epsilon={eps}, algorithm='stable').reshape({input}.shape).astype({input}.dtype)",
        unsupported_args={"weight": "see the [weight] entry", "bias": "see the [weight] entry"},
    ),
    Record(
        torch="torch.nn.functional.group_norm",
        jax="jax.nn.standardize",
        variant="weight",
        torch_example="out = F.group_norm(x, 3, w, b)",
        jax_example="out = (jax.nn.standardize(x.astype(jnp.promote_types(x.dtype, jnp.float32)).reshape(x.shape[0], "
                    "3, -1), "
                    "epsilon=1e-5, algorithm='stable').reshape(x.shape) * w.reshape((1, -1) + (1,) * (x.ndim - 2)) + "
                    "b.reshape((1, -1) + (1,) * (x.ndim - 2))).astype(x.dtype)",
        inputs=(T("x", "N,6,L", low=-1, high=1, unique=True), T("w", "6", low=-1, high=1), T("b", "6")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_NORM,
        grad_tol=_NORM_WGRAD,
        notes=("weight and bias are per channel (axis 1).",),
        sig="input, num_groups, weight=None, bias=None, eps=1e-5",
        template="(jax.nn.standardize({input}.astype(jnp.promote_types({input}.dtype, "
                 "jnp.float32)).reshape({input}.shape[0], {num_groups}, -1), "
                 "epsilon={eps}, algorithm='stable').reshape({input}.shape) * "
                 "{weight}.reshape((1, -1) + (1,) * ({input}.ndim - 2)) + "
                 "{bias}.reshape((1, -1) + (1,) * ({input}.ndim - 2))).astype({input}.dtype)",
    ),
    Record(
        torch="torch.nn.functional.batch_norm",
        jax="jax.numpy.sqrt",
        torch_example="out = F.batch_norm(x, rm, rv)",
        jax_example="out = ((x - rm.reshape((1, -1) + (1,) * (x.ndim - 2))) / "
                    "jnp.sqrt(rv.reshape((1, -1) + (1,) * (x.ndim - 2)) + 1e-5)).reshape(x.shape)",
        inputs=(T("x", "N,C,L"), T("rm", "C", grad=False), T("rv", "C", low=0.125, high=3, grad=False)),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-5, 1e-6, "float32: torch multiplies by 1/sqrt(var + eps), the rewrite divides"),
        sizes=(0, 4),
        notes=("Evaluation mode (training=False, the functional default): normalise with the running "
               "statistics, per channel (axis 1). No gradient flows to the running statistics in torch.",
               "The final reshape keeps the input's shape where the channel reshape would add an axis (torch "
               "accepts a 1-d input when it is empty, with empty statistics: shape (0,), not (1, 0)).",
               "Training mode (batch statistics, running statistics updated in place): the [training] entry.",
               "With weight and bias: the [weight] entry."),
        sig="input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5",
        template="(({input} - {running_mean}.reshape((1, -1) + (1,) * ({input}.ndim - 2))) / "
                 "jnp.sqrt({running_var}.reshape((1, -1) + (1,) * ({input}.ndim - 2)) + {eps}))"
                 ".reshape({input}.shape)",
        unsupported_args={"weight": "see the [weight] entry", "bias": "see the [weight] entry",
                          "training": "training mode updates running_mean / running_var in place: see the "
                                      "[training] entry (evaluation: drop the argument)"},
    ),
    Record(
        torch="torch.nn.functional.batch_norm",
        jax="jax.numpy.sqrt",
        variant="weight",
        torch_example="out = F.batch_norm(x, rm, rv, w, b, eps=1e-3)",
        jax_example="out = ((x - rm.reshape((1, -1) + (1,) * (x.ndim - 2))) / "
                    "jnp.sqrt(rv.reshape((1, -1) + (1,) * (x.ndim - 2)) + 1e-3) * "
                    "w.reshape((1, -1) + (1,) * (x.ndim - 2)) + b.reshape((1, -1) + (1,) * (x.ndim - 2)))"
                    ".reshape(x.shape)",
        inputs=(T("x", "N,3,H,W"), T("rm", "3", grad=False), T("rv", "3", low=0.125, high=3, grad=False),
                T("w", "3"), T("b", "3")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-5, 1e-6, "float32: torch multiplies by 1/sqrt(var + eps), the rewrite divides"),
        sizes=(0, 4),
        notes=("Evaluation mode with the affine weight and bias (nn.BatchNorm2d in eval()). The final reshape "
               "keeps an empty 1-d input 1-d, as torch.",),
        sig="input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5",
        template="(({input} - {running_mean}.reshape((1, -1) + (1,) * ({input}.ndim - 2))) / "
                 "jnp.sqrt({running_var}.reshape((1, -1) + (1,) * ({input}.ndim - 2)) + {eps}) * "
                 "{weight}.reshape((1, -1) + (1,) * ({input}.ndim - 2)) + "
                 "{bias}.reshape((1, -1) + (1,) * ({input}.ndim - 2))).reshape({input}.shape)",
        unsupported_args={"training": "training mode updates running_mean / running_var in place: see the "
                                      "[training] entry (evaluation: drop the argument)"},
    ),
    Record(
        torch="torch.nn.functional.batch_norm",
        jax="jax.numpy.var",
        variant="training",
        status="manual",
        torch_example=(
            "rm, rv = torch.zeros(x.shape[1]), torch.ones(x.shape[1])\n"
            "y = F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.1)\n"
            "out = (y, rm, rv)"
        ),
        jax_example=(
            "axes = (0,) + tuple(range(2, x.ndim))\n"
            "shape = (1, -1) + (1,) * (x.ndim - 2)\n"
            "mean, var = x.mean(axes), x.var(axes)\n"
            "y = (x - mean.reshape(shape)) / jnp.sqrt(var.reshape(shape) + 1e-5) * w.reshape(shape) + "
            "b.reshape(shape)\n"
            "n = x.size // x.shape[1]\n"
            "rm = 0.9 * jnp.zeros(x.shape[1]) + 0.1 * lax.stop_gradient(mean)\n"
            "rv = 0.9 * jnp.ones(x.shape[1]) + 0.1 * lax.stop_gradient(var) * n / (n - 1)\n"
            "out = (y, rm, rv)"
        ),
        inputs=(T("x", "N,C,L", low=-1, high=1, unique=True), T("w", "C", low=-1, high=1), T("b", "C")),
        checks=("forward", "jit", "grad"),
        tol=_NORM,
        grad_tol=_NORM_WGRAD,
        sizes=(2, 4),
        notes=("The output uses the batch mean and the biased batch variance; the running variance is "
               "updated with the unbiased one (n / (n - 1)). momentum=0.1 weights the new batch "
               "(flax's BatchNorm momentum=0.99 weights the old average: 1 - torch's).",),
        reason="training mode mutates running_mean and running_var in place: compute the batch statistics, "
               "return the new running statistics as values (or use nnx.BatchNorm, which keeps them in "
               "nnx.BatchStat variables) and stop their gradient",
        sig="input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5",
    ),
    Record(
        torch="torch.nn.functional.instance_norm",
        jax="jax.nn.standardize",
        torch_example="out = F.instance_norm(x)",
        jax_example="out = jax.nn.standardize(x.astype(jnp.promote_types(x.dtype, jnp.float32)), axis=tuple(range(2, "
                    "x.ndim)), "
                    "epsilon=1e-5, algorithm='stable').astype(x.dtype)",
        inputs=(T("x", "N,C,H,W", low=-1, high=1, unique=True),),
        checks=("forward", "jit", "grad"),
        tol=_NORM,
        grad_tol=_NORM_GRAD,
        sizes=(2, 4),
        notes=("Each (sample, channel) plane is standardised over its positions.",
               "Statistics in float32, as torch's layer_norm and group_norm compute them for bfloat16 / "
               "float16 inputs.",
               "No bfloat16 check: torch's bfloat16 instance_norm (it runs the batch-norm kernel) loses "
               "accuracy on nearly constant planes: measured 2.578 where the exact value is 2.2567 and this "
               "rewrite (float32 statistics) gives 2.25."),
        sig="input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, "
            "momentum=0.1, eps=1e-5",
        template="jax.nn.standardize({input}.astype(jnp.promote_types({input}.dtype, jnp.float32)), "
                 "axis=tuple(range(2, {input}.ndim)), "
                 "epsilon={eps}, algorithm='stable').astype({input}.dtype)",
        unsupported_args={"weight": "see the [weight] entry", "bias": "see the [weight] entry",
                          "running_mean": "running statistics are updated in place: keep them as values",
                          "running_var": "running statistics are updated in place: keep them as values",
                          "use_input_stats": "normalising with running statistics: see batch_norm's entry"},
    ),
    Record(
        torch="torch.nn.functional.instance_norm",
        jax="jax.nn.standardize",
        variant="weight",
        torch_example="out = F.instance_norm(x, weight=w, bias=b)",
        jax_example="out = (jax.nn.standardize(x.astype(jnp.promote_types(x.dtype, jnp.float32)), "
                    "axis=tuple(range(2, x.ndim)), "
                    "epsilon=1e-5, algorithm='stable') * w.reshape((1, -1) + (1,) * (x.ndim - 2)) + "
                    "b.reshape((1, -1) + (1,) * (x.ndim - 2))).astype(x.dtype)",
        inputs=(T("x", "N,C,L", low=-1, high=1, unique=True), T("w", "C", low=-1, high=1), T("b", "C")),
        checks=("forward", "jit", "grad"),
        tol=_NORM,
        grad_tol=_NORM_WGRAD,
        sizes=(2, 4),
        notes=("weight and bias are per channel (axis 1).",
               "No bfloat16 check: torch's bfloat16 instance_norm (it runs the batch-norm kernel) loses "
               "accuracy on nearly constant planes: measured 2.578 where the exact value is 2.2567 and this "
               "rewrite (float32 statistics) gives 2.25."),
        sig="input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, "
            "momentum=0.1, eps=1e-5",
        template="(jax.nn.standardize({input}.astype(jnp.promote_types({input}.dtype, jnp.float32)), "
                 "axis=tuple(range(2, {input}.ndim)), "
                 "epsilon={eps}, algorithm='stable') * {weight}.reshape((1, -1) + (1,) * ({input}.ndim - 2)) + "
                 "{bias}.reshape((1, -1) + (1,) * ({input}.ndim - 2))).astype({input}.dtype)",
        unsupported_args={"running_mean": "running statistics are updated in place: keep them as values",
                          "running_var": "running statistics are updated in place: keep them as values",
                          "use_input_stats": "normalising with running statistics: see batch_norm's entry"},
    ),
    Record(
        torch="torch.nn.functional.rms_norm",
        jax="jax.lax.rsqrt",
        torch_example="out = F.rms_norm(x, x.shape[-1:])",
        jax_example="out = x * lax.rsqrt(jnp.mean(jnp.square(x), axis=tuple(range(-len(x.shape[-1:]), 0)), "
                    "keepdims=True) + (lambda eps, dtype: float(jnp.finfo(jnp.promote_types(dtype, "
                    "jnp.float32)).eps) if eps is None else eps)"
                    "(None, x.dtype))",
        inputs=(T("x", "N,T,C", low=-1, high=1),),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_RMS,
        grad_tol=_RMS_GRAD,
        notes=("eps=None (the default, also nn.RMSNorm's) means the machine epsilon of the dtype torch computes "
               "in: float32 (1.19e-7) for float32, bfloat16 and float16 inputs. The rewrite keeps that rule for "
               "any eps expression.",
               "With a weight: the [weight] entry."),
        sig="input, normalized_shape, weight=None, eps=None",
        template="{input} * lax.rsqrt(jnp.mean(jnp.square({input}), axis=tuple(range(-len({normalized_shape}), 0)), "
                 "keepdims=True) + (lambda eps, dtype: float(jnp.finfo(jnp.promote_types(dtype, jnp.float32)).eps) "
                 "if eps is None else eps)"
                 "({eps}, {input}.dtype))",
        unsupported_args={"weight": "see the [weight] entry"},
    ),
    Record(
        torch="torch.nn.functional.rms_norm",
        jax="jax.lax.rsqrt",
        variant="weight",
        torch_example="out = F.rms_norm(x, w.shape, w, eps=1e-6)",
        jax_example="out = x * lax.rsqrt(jnp.mean(jnp.square(x), axis=tuple(range(-len(w.shape), 0)), "
                    "keepdims=True) + (lambda eps, dtype: float(jnp.finfo(jnp.promote_types(dtype, "
                    "jnp.float32)).eps) if eps is None else eps)"
                    "(1e-6, x.dtype)) * lax.broadcast_to_rank(w, x.ndim)",
        inputs=(T("x", "N,T,C", low=-1, high=1), T("w", "C", low=-1, high=1)),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_RMS,
        grad_tol=_RMS_GRAD,
        notes=("x / rms(x) * weight over the trailing normalized_shape dimensions.",),
        sig="input, normalized_shape, weight=None, eps=None",
        template="{input} * lax.rsqrt(jnp.mean(jnp.square({input}), axis=tuple(range(-len({normalized_shape}), 0)), "
                 "keepdims=True) + (lambda eps, dtype: float(jnp.finfo(jnp.promote_types(dtype, jnp.float32)).eps) "
                 "if eps is None else eps)"
                 "({eps}, {input}.dtype)) * lax.broadcast_to_rank({weight}, {input}.ndim)",
    ),
    # --- convolution and pooling (torch layouts kept: NCHW inputs, OIHW weights) ---------------
    Record(
        torch="torch.nn.functional.conv1d",
        jax="jax.lax.conv_general_dilated",
        torch_example="out = (F.conv1d(x, w, stride=s, padding=p, dilation=d), "
                      "F.conv1d(u, w, stride=s, padding=p, dilation=d))",
        jax_example="out = (" + ", ".join(_conv(1, a, "w", "s", "p", "d", "1") for a in ("x", "u")) + ")",
        inputs=(T("x", "2,4,L"), T("u", "4,L"), T("w", "6,4,3"), Choice("s", (1, 2)), Choice("p", (0, 1, 2)),
                Choice("d", (1, 2))),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_CONV,
        grad_tol=_CONV,
        sizes=(5, 7),
        notes=("dimension_numbers ('NCH', 'OIH', 'NCH') keeps torch's layouts: no transposes. Flax's nnx.Conv "
               "works channel-last (NWC inputs, WIO kernels).",
               "np.broadcast_to turns torch's int-or-tuple arguments into one value per spatial dimension. "
               "padding='same' / 'valid': write lax's padding='SAME' / 'VALID' (same split, extra on the high "
               "side).",
               "An unbatched (C, L) input gets the batch axis for the convolution and loses it after: "
               "`x[(None,) * (3 - x.ndim)]` and `[(0,) * (3 - x.ndim)]` (the rank is static under jax.jit).",
               "With a bias: the [bias] entry."),
        sig="input, weight, bias=None, stride=1, padding: int | tuple = 0, dilation=1, groups=1",
        template=_conv(1, "{input}", "{weight}", "{stride}", "{padding}", "{dilation}", "{groups}"),
        unsupported_args={"bias": "see the [bias] entry"},
    ),
    Record(
        torch="torch.nn.functional.conv1d",
        jax="jax.lax.conv_general_dilated",
        variant="bias",
        torch_example="out = (F.conv1d(x, w, b, padding=1, groups=2), F.conv1d(u, w, b, padding=1, groups=2))",
        jax_example="out = (" + ", ".join(_conv(1, a, "w", "1", "1", "1", "2") + _bias(1, "b") for a in ("x", "u"))
                    + ")",
        inputs=(T("x", "2,4,L"), T("u", "4,L"), T("w", "6,2,3"), T("b", "6")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_CONV,
        grad_tol=_CONV,
        sizes=(1, 6),
        notes=("groups maps to feature_group_count; the weight keeps torch's [out, in / groups, k] shape.",
               "The bias is per channel (axis -2), so it adds to (N, C, L) and unbatched (C, L) outputs alike.",),
        sig="input, weight, bias=None, stride=1, padding: int | tuple = 0, dilation=1, groups=1",
        template=_conv(1, "{input}", "{weight}", "{stride}", "{padding}", "{dilation}", "{groups}")
        + _bias(1, "{bias}"),
    ),
    Record(
        torch="torch.nn.functional.conv2d",
        jax="jax.lax.conv_general_dilated",
        torch_example="out = (F.conv2d(x, w, stride=s, padding=p, dilation=d, groups=2), "
                      "F.conv2d(u, w, stride=s, padding=p, dilation=d, groups=2))",
        jax_example="out = (" + ", ".join(_conv(2, a, "w", "s", "p", "d", "2") for a in ("x", "u")) + ")",
        inputs=(T("x", "2,4,H,W"), T("u", "4,H,W"), T("w", "6,2,3,3"), Choice("s", (1, 2, (2, 1))),
                Choice("p", (0, 1, (2, 1))), Choice("d", (1, 2))),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_CONV,
        grad_tol=_CONV,
        sizes=(5, 7),
        notes=("dimension_numbers ('NCHW', 'OIHW', 'NCHW') keeps torch's layouts: no transposes. Flax's nnx.Conv "
               "works channel-last (NHWC inputs, HWIO kernels): transpose a torch weight with (2, 3, 1, 0).",
               "np.broadcast_to turns torch's int-or-tuple arguments into one value per spatial dimension. "
               "padding='same' / 'valid': write lax's padding='SAME' / 'VALID' (same split, extra on the high "
               "side).",
               "An unbatched (C, H, W) input gets the batch axis for the convolution and loses it after: "
               "`x[(None,) * (4 - x.ndim)]` and `[(0,) * (4 - x.ndim)]` (the rank is static under jax.jit).",
               "With a bias: the [bias] entry."),
        sig="input, weight, bias=None, stride=1, padding: int | tuple = 0, dilation=1, groups=1",
        template=_conv(2, "{input}", "{weight}", "{stride}", "{padding}", "{dilation}", "{groups}"),
        unsupported_args={"bias": "see the [bias] entry"},
    ),
    Record(
        torch="torch.nn.functional.conv2d",
        jax="jax.lax.conv_general_dilated",
        variant="bias",
        torch_example="out = (F.conv2d(x, w, b, 1, 1), F.conv2d(u, w, b, 1, 1))",
        jax_example="out = (" + ", ".join(_conv(2, a, "w", "1", "1", "1", "1") + _bias(2, "b") for a in ("x", "u"))
                    + ")",
        inputs=(T("x", "N,3,H,W"), T("u", "3,H,W"), T("w", "5,3,3,3"), T("b", "5")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_CONV,
        grad_tol=_CONV,
        notes=("The bias is per output channel (axis -3), so it adds to (N, C, H, W) and unbatched (C, H, W) "
               "outputs alike.",),
        sig="input, weight, bias=None, stride=1, padding: int | tuple = 0, dilation=1, groups=1",
        template=_conv(2, "{input}", "{weight}", "{stride}", "{padding}", "{dilation}", "{groups}")
        + _bias(2, "{bias}"),
    ),
    Record(
        torch="torch.nn.functional.conv_transpose2d",
        jax="jax.lax.conv_general_dilated",
        torch_example="out = (F.conv_transpose2d(x, w, stride=2, padding=p, output_padding=q, dilation=d), "
                      "F.conv_transpose2d(u, w, stride=2, padding=p, output_padding=q, dilation=d))",
        jax_example="out = (" + ", ".join(
            f"lax.conv_general_dilated({a}[(None,) * (4 - {a}.ndim)], jnp.flip(w, (2, 3)), (1, 1), "
            f"[(dl * (k - 1) - pd, dl * (k - 1) - pd + op) for k, pd, op, dl in zip(w.shape[2:], "
            f"np.broadcast_to(p, 2), np.broadcast_to(q, 2), np.broadcast_to(d, 2))], "
            f"lhs_dilation=np.broadcast_to(2, 2), rhs_dilation=np.broadcast_to(d, 2), "
            f"dimension_numbers=('NCHW', 'IOHW', 'NCHW'))[(0,) * (4 - {a}.ndim)]" for a in ("x", "u")) + ")",
        inputs=(T("x", "2,4,H,W"), T("u", "4,H,W"), T("w", "4,3,3,2"), Choice("p", (0, 1)), Choice("q", (0, 1)),
                Choice("d", (1, 2))),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_CONV,
        grad_tol=_CONV,
        sizes=(3, 5),
        notes=("The transposed convolution is a convolution of the input dilated by stride, with the kernel "
               "flipped and its in/out axes swapped (torch's weight is [in, out, kh, kw]: 'IOHW'), padded by "
               "dilation * (k - 1) - padding on each side plus output_padding at the end.",
               "lax.conv_transpose(..., transpose_kernel=True) is the same operation with lax's own padding "
               "convention.",
               "jaxlib 0.10.2 on CPU aborts the whole process (a fatal CHECK in XLA's algebraic simplifier, not "
               "an exception) for some small inputs, e.g. a 1x3 input with a 3x2 kernel, stride 2, padding 1, "
               "in any layout and with lax.conv_transpose too; seen for inputs of height 1-2, so the check "
               "draws inputs of at least 3x3.",
               "An unbatched (C, H, W) input gets the batch axis for the convolution and loses it after: "
               "`x[(None,) * (4 - x.ndim)]` and `[(0,) * (4 - x.ndim)]` (the rank is static under jax.jit).",
               "With a bias: the [bias] entry."),
        sig="input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1",
        template="(lambda input: lax.conv_general_dilated(input[(None,) * (4 - input.ndim)], "
                 "jnp.flip({weight}, (2, 3)), (1, 1), "
                 "[(dl * (k - 1) - pd, dl * (k - 1) - pd + op) for k, pd, op, dl in zip({weight}.shape[2:], "
                 "np.broadcast_to({padding}, 2), np.broadcast_to({output_padding}, 2), np.broadcast_to({dilation}, "
                 "2))], "
                 "lhs_dilation=np.broadcast_to({stride}, 2), rhs_dilation=np.broadcast_to({dilation}, 2), "
                 "dimension_numbers=('NCHW', 'IOHW', 'NCHW'))[(0,) * (4 - input.ndim)])({input})",
        unsupported_args={"bias": "see the [bias] entry",
                          "groups": "grouped transposed convolution needs the kernel regrouped per group: "
                                    "split the input and weight by group and concatenate the outputs"},
    ),
    Record(
        torch="torch.nn.functional.conv_transpose2d",
        jax="jax.lax.conv_general_dilated",
        variant="bias",
        torch_example="out = (F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1), "
                      "F.conv_transpose2d(u, w, b, stride=2, padding=1, output_padding=1))",
        jax_example="out = (" + ", ".join(
            f"lax.conv_general_dilated({a}[(None,) * (4 - {a}.ndim)], jnp.flip(w, (2, 3)), (1, 1), "
            f"[(dl * (k - 1) - pd, dl * (k - 1) - pd + op) for k, pd, op, dl in zip(w.shape[2:], "
            f"np.broadcast_to(1, 2), np.broadcast_to(1, 2), np.broadcast_to(1, 2))], "
            f"lhs_dilation=np.broadcast_to(2, 2), rhs_dilation=np.broadcast_to(1, 2), "
            f"dimension_numbers=('NCHW', 'IOHW', 'NCHW'))[(0,) * (4 - {a}.ndim)] + b.reshape(-1, 1, 1)"
            for a in ("x", "u")) + ")",
        inputs=(T("x", "N,4,H,W"), T("u", "4,H,W"), T("w", "4,3,3,3"), T("b", "3")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_CONV,
        grad_tol=_CONV,
        notes=("The usual 2x upsampling layer (kernel 3, stride 2, padding 1, output_padding 1).",),
        sig="input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1",
        template="(lambda input: lax.conv_general_dilated(input[(None,) * (4 - input.ndim)], "
                 "jnp.flip({weight}, (2, 3)), (1, 1), "
                 "[(dl * (k - 1) - pd, dl * (k - 1) - pd + op) for k, pd, op, dl in zip({weight}.shape[2:], "
                 "np.broadcast_to({padding}, 2), np.broadcast_to({output_padding}, 2), np.broadcast_to({dilation}, "
                 "2))], "
                 "lhs_dilation=np.broadcast_to({stride}, 2), rhs_dilation=np.broadcast_to({dilation}, 2), "
                 "dimension_numbers=('NCHW', 'IOHW', 'NCHW'))[(0,) * (4 - input.ndim)])({input}) + "
                 "{bias}.reshape(-1, 1, 1)",
        unsupported_args={"groups": "grouped transposed convolution needs the kernel regrouped per group: "
                                    "split the input and weight by group and concatenate the outputs"},
    ),
    Record(
        torch="torch.nn.functional.max_pool2d",
        jax="jax.lax.reduce_window",
        torch_example="out = (F.max_pool2d(x, k, stride=s, padding=p), F.max_pool2d(u, k, stride=s, padding=p))",
        jax_example="out = (" + ", ".join(
            f"lax.reduce_window({a}, -jnp.inf, lax.max, (1,) * ({a}.ndim - 2) + tuple(np.broadcast_to(k, 2)), "
            f"(1,) * ({a}.ndim - 2) + tuple(np.broadcast_to(s or k, 2)), "
            f"[(0, 0)] * ({a}.ndim - 2) + [(n, n) for n in np.broadcast_to(p, 2)], "
            f"window_dilation=(1,) * ({a}.ndim - 2) + tuple(np.broadcast_to(1, 2)))" for a in ("x", "u")) + ")",
        inputs=(T("x", "2,3,H,W", unique=True), T("u", "3,H,W", unique=True), Choice("k", (2, 3, (2, 3))),
                Choice("s", (None, 1, 2)), Choice("p", (0, 1))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(5, 7),
        notes=("stride defaults to kernel_size (`stride or kernel_size`). Padding is filled with -inf, as in "
               "torch. flax's nnx.max_pool works channel-last.",
               "Inputs are distinct: with tied maxima the two frameworks may route the gradient to different "
               "elements.",
               "dilation > 1: the [dilation] entry (JAX cannot differentiate it)."),
        sig="input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False",
        template="(lambda input: lax.reduce_window(input, -jnp.inf, lax.max, "
                 "(1,) * (input.ndim - 2) + tuple(np.broadcast_to({kernel_size}, 2)), "
                 "(1,) * (input.ndim - 2) + tuple(np.broadcast_to({stride} or {kernel_size}, 2)), "
                 "[(0, 0)] * (input.ndim - 2) + [(n, n) for n in np.broadcast_to({padding}, 2)], "
                 "window_dilation=(1,) * (input.ndim - 2) + tuple(np.broadcast_to({dilation}, 2))))({input})",
        unsupported_args={"ceil_mode": "lax.reduce_window has no ceil mode: add the extra high padding yourself",
                          "return_indices": "no argmax indices from lax.reduce_window"},
    ),
    Record(
        torch="torch.nn.functional.max_pool2d",
        jax="jax.lax.reduce_window",
        variant="dilation",
        status="caveat",
        torch_example="out = (F.max_pool2d(x, 2, padding=p, dilation=2), F.max_pool2d(u, 2, padding=p, dilation=2))",
        jax_example="out = (" + ", ".join(
            f"lax.reduce_window({a}, -jnp.inf, lax.max, (1,) * ({a}.ndim - 2) + tuple(np.broadcast_to(2, 2)), "
            f"(1,) * ({a}.ndim - 2) + tuple(np.broadcast_to(None or 2, 2)), "
            f"[(0, 0)] * ({a}.ndim - 2) + [(n, n) for n in np.broadcast_to(p, 2)], "
            f"window_dilation=(1,) * ({a}.ndim - 2) + tuple(np.broadcast_to(2, 2)))" for a in ("x", "u")) + ")",
        inputs=(T("x", "2,3,H,W", unique=True), T("u", "3,H,W", unique=True), Choice("p", (0, 1))),
        checks=("forward", "jit", "bf16"),
        why_not={"grad": "JAX has no VJP for a max window with window_dilation > 1 (NotImplementedError)"},
        sizes=(4, 7),
        notes=("Forward only: JAX has no gradient for a max window with window_dilation > 1 (jax.grad raises "
               "NotImplementedError: VJP not implemented for select_and_gather with window dilation). For "
               "training, gather the dilated window with strided slices (or lax.conv_general_dilated_patches "
               "with rhs_dilation) and take the max over it.",),
        sig="input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False",
        template="(lambda input: lax.reduce_window(input, -jnp.inf, lax.max, "
                 "(1,) * (input.ndim - 2) + tuple(np.broadcast_to({kernel_size}, 2)), "
                 "(1,) * (input.ndim - 2) + tuple(np.broadcast_to({stride} or {kernel_size}, 2)), "
                 "[(0, 0)] * (input.ndim - 2) + [(n, n) for n in np.broadcast_to({padding}, 2)], "
                 "window_dilation=(1,) * (input.ndim - 2) + tuple(np.broadcast_to({dilation}, 2))))({input})",
        unsupported_args={"ceil_mode": "lax.reduce_window has no ceil mode: add the extra high padding yourself",
                          "return_indices": "no argmax indices from lax.reduce_window"},
    ),
    Record(
        torch="torch.nn.functional.avg_pool2d",
        jax="jax.lax.reduce_window",
        torch_example="out = (F.avg_pool2d(x, k, stride=s, padding=p), F.avg_pool2d(u, k, stride=s, padding=p))",
        jax_example="out = (" + ", ".join(
            f"lax.reduce_window({a}, 0.0, lax.add, (1,) * ({a}.ndim - 2) + tuple(np.broadcast_to(k, 2)), "
            f"(1,) * ({a}.ndim - 2) + tuple(np.broadcast_to(s or k, 2)), "
            f"[(0, 0)] * ({a}.ndim - 2) + [(n, n) for n in np.broadcast_to(p, 2)]) / "
            f"np.prod(np.broadcast_to(k, 2))" for a in ("x", "u")) + ")",
        inputs=(T("x", "2,3,H,W"), T("u", "3,H,W"), Choice("k", (2, 3, (2, 3))), Choice("s", (None, 1, 2)),
                Choice("p", (0, 1))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(4, 6),
        status="caveat",
        notes=("count_include_pad=True (torch's default): padded zeros count in the average, so every window "
               "divides by kernel_h * kernel_w. count_include_pad=False: the [count_include_pad] entry.",
               "On integer tensors torch keeps the dtype and rounds each average down; the rewrite returns the "
               "float32 average (PyTorch's OpInfo int inputs found it). Checked on float32."),
        differences=(Difference(note="an int tensor: torch 2 (int64), the rewrite 2.75 (float32)",
                                torch="out = F.avg_pool2d(torch.tensor([[[[1, 2], [3, 5]]]]), 2)",
                                jax="x = jnp.array([[[[1, 2], [3, 5]]]])\n"
                                    "out = lax.reduce_window(x, 0.0, lax.add, (1, 1, 2, 2), (1, 1, 2, 2), "
                                    "[(0, 0)] * 4) / 4",
                                min_diff=0.5),),
        sig="input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, "
            "divisor_override=None",
        template="(lambda input: lax.reduce_window(input, 0.0, lax.add, "
                 "(1,) * (input.ndim - 2) + tuple(np.broadcast_to({kernel_size}, 2)), "
                 "(1,) * (input.ndim - 2) + tuple(np.broadcast_to({stride} or {kernel_size}, 2)), "
                 "[(0, 0)] * (input.ndim - 2) + [(n, n) for n in np.broadcast_to({padding}, 2)]))({input}) / "
                 "np.prod(np.broadcast_to({kernel_size}, 2))",
        unsupported_args={"ceil_mode": "lax.reduce_window has no ceil mode: add the extra high padding yourself",
                          "count_include_pad": "see the [count_include_pad] entry",
                          "divisor_override": "divide the window sums by the divisor instead"},
    ),
    Record(
        torch="torch.nn.functional.avg_pool2d",
        jax="jax.lax.reduce_window",
        variant="count_include_pad",
        status="manual",
        torch_example="out = F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False)",
        jax_example=(
            "window, strides, pads = (1, 1, 3, 3), (1, 1, 2, 2), [(0, 0), (0, 0), (1, 1), (1, 1)]\n"
            "out = lax.reduce_window(x, 0.0, lax.add, window, strides, pads) / "
            "lax.reduce_window(jnp.ones_like(x), 0.0, lax.add, window, strides, pads)"
        ),
        inputs=(T("x", "2,3,H,W"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(3, 6),
        notes=("Dividing by the window sum of ones over the same padding counts only the real elements.",),
        reason="count_include_pad=False divides each window by its number of unpadded elements: the same "
               "lax.reduce_window over jnp.ones_like(x) gives those counts (example); the rewrite table cannot "
               "choose the divisor from the argument's value",
        sig="input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, "
            "divisor_override=None",
    ),
    Record(
        torch="torch.nn.functional.adaptive_avg_pool2d",
        jax="jax.numpy.mean",
        torch_example="out = F.adaptive_avg_pool2d(x, 1)",
        jax_example="out = jnp.mean(x, axis=(-2, -1), keepdims=True).reshape(*x.shape[:-2], *np.broadcast_to(1, 2))",
        inputs=(T("x", "N,C,H,W"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        tol=Tol(1e-6, 1e-6, "float32 mean over a few values"),
        notes=("Output 1x1 (global average pooling) is the mean over the spatial axes; the codemod rewrites "
               "output_size 1 or (1, 1) written out, and leaves any other size (or a name) to you.",
               "Other sizes: when they divide the input, reshape to (..., oh, H // oh, ow, W // ow) and average "
               "axes (-3, -1); otherwise torch's windows overlap and vary in size."),
        sig="input, output_size",
        template="jnp.mean({input}, axis=(-2, -1), keepdims=True).reshape(*{input}.shape[:-2], "
                 "*np.broadcast_to({output_size}, 2))",
        values={"output_size": {"1": "1", "(1, 1)": "(1, 1)", "[1, 1]": "[1, 1]"}},
    ),
    Record(
        torch="torch.nn.functional.unfold",
        jax="jax.lax.conv_general_dilated_patches",
        torch_example="out = F.unfold(x, (2, 3), padding=p, stride=s)",
        jax_example=(
            "out = lax.collapse(lax.conv_general_dilated_patches(x, np.broadcast_to((2, 3), 2), np.broadcast_to(s, 2), "
            "[(n, n) for n in np.broadcast_to(p, 2)], rhs_dilation=np.broadcast_to(1, 2), "
            "dimension_numbers=('NCHW', 'OIHW', 'NCHW')), 2)"
        ),
        inputs=(T("x", "2,3,H,W"), Choice("p", (0, 1)), Choice("s", (1, 2, (1, 2)))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(3, 5),
        notes=("Both order the patch features channel-major, then kernel row, then kernel column; the "
               "positions are flattened row-major into the last axis (lax.collapse).",
               "The patches come from a convolution with one-hot filters: exact in float32 on CPU; on GPU/TPU "
               "pass precision=lax.Precision.HIGHEST to keep it exact."),
        sig="input, kernel_size, dilation=1, padding=0, stride=1",
        template="lax.collapse(lax.conv_general_dilated_patches({input}, np.broadcast_to({kernel_size}, 2), "
                 "np.broadcast_to({stride}, 2), [(n, n) for n in np.broadcast_to({padding}, 2)], "
                 "rhs_dilation=np.broadcast_to({dilation}, 2), dimension_numbers=('NCHW', 'OIHW', 'NCHW')), 2)",
    ),
    # --- distances and attention ---------------------------------------------------------------
    Record(
        torch="torch.nn.functional.cosine_similarity",
        jax="optax.cosine_similarity",
        status="caveat",
        torch_example="out = F.cosine_similarity(x1, x2, dim=d)",
        jax_example="out = optax.cosine_similarity(*jnp.broadcast_arrays(x1, x2), epsilon=1e-8 ** 2, axis=d)",
        # x2 broadcasts along the reduced axis when d = -2: torch broadcasts before the norms, optax would not
        inputs=(T("x1", "N,C", low=0.125, high=3), T("x2", "1,C", low=0.125, high=3), Choice("d", (1, -2))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(1, 4),
        notes=("torch divides each vector by max(||x||, eps); optax clips the squared norm at epsilon, so "
               "pass epsilon=eps ** 2. Values agree everywhere, zero vectors included.",
               "Gradients differ for a vector whose norm lies strictly between 0 and eps (1e-8): torch clamps the "
               "norm in place without autograd seeing it, so its gradient still follows the unclamped norm; "
               "optax's clip stops that path (measured 4.1e7 vs 8.9e7, see the difference below). Checked on "
               "vectors with entries in [0.125, 3).",
               "torch broadcasts x1 and x2 before it takes the norms; optax.cosine_similarity would take each "
               "norm over its own (unbroadcast) axis, a wrong value where they broadcast along dim (PyTorch's "
               "OpInfo inputs found it: 0.1663 for 0.1176), so the rewrite broadcasts them first."),
        differences=(
            Difference(
                note="gradient for a vector of norm below eps: torch's follows the unclamped norm, optax's does not",
                torch="a = torch.tensor([[5e-9, 1e-9]], requires_grad=True)\n"
                      "F.cosine_similarity(a, torch.tensor([[2.0, 1.0]])).sum().backward()\nout = a.grad / 1e7",
                jax="out = jax.grad(lambda a: optax.cosine_similarity(a, jnp.array([[2.0, 1.0]]), epsilon=1e-16, "
                    "axis=1).sum())(jnp.array([[5e-9, 1e-9]])) / 1e7",
                min_diff=1.0,
            ),
        ),
        sig="x1, x2, dim=1, eps=1e-8",
        template="optax.cosine_similarity(*jnp.broadcast_arrays({x1}, {x2}), epsilon={eps} ** 2, axis={dim})",
    ),
    Record(
        torch="torch.nn.functional.pairwise_distance",
        jax="jax.numpy.linalg.norm",
        torch_example="out = F.pairwise_distance(x1, x2, p=p, keepdim=k)",
        jax_example="out = jnp.linalg.norm(x1 - x2 + 1e-6, ord=p, axis=-1, keepdims=k)",
        inputs=(T("x1", "N,C"), T("x2", "N,C"), Choice("p", (2.0, 1.0)), Choice("k", (False, True))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("torch adds eps to the difference before the norm: ||x1 - x2 + eps||_p over the last axis.",),
        sig="x1, x2, p=2.0, eps=1e-6, keepdim=False",
        template="jnp.linalg.norm({x1} - {x2} + {eps}, ord={p}, axis=-1, keepdims={keepdim})",
    ),
    Record(
        torch="torch.nn.functional.scaled_dot_product_attention",
        jax="jax.nn.softmax",
        torch_example="out = F.scaled_dot_product_attention(q, a, b)",
        jax_example=(
            "out = (lambda scores_: (jax.nn.softmax(scores_, where=scores_ != -jnp.inf) @ "
            "b).astype(b.dtype))(jnp.matmul(q, a.mT, preferred_element_type=jnp.promote_types(q.dtype, "
            "jnp.float32)) * q.shape[-1] ** -0.5)"
        ),
        inputs=(T("q", "2,3,5,4"), T("a", "1,3,7,4"), T("b", "2,1,7,6")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_SDPA_TOL,
        grad_tol=_MATMUL,
        notes=("Written out in torch's layout ([..., heads, time, head_dim]): softmax(q k^T / sqrt(head_dim)) v, "
               "with matmuls, so every input torch takes goes through: any rank ((L, E), (N, L, E), or more leading "
               "axes), batch and head axes that broadcast (keys (1, 3, 7, 4) and values (2, 1, 7, 6) against "
               "queries (2, 3, 5, 4) here), and a value width of its own (multi-head latent attention). "
               "jax.nn.dot_product_attention raises (ValueError) on ranks other than 3 and 4, on broadcasting "
               "batch or head axes and on a value width of its own. Rank 3 inputs are proven in the [attn_mask] "
               "and [scale] entries, rank 5 in [causal].",
               "The softmax's where= leaves out scores of -inf, so a query row that attends to nothing gives 0, as "
               "torch 2.13 does (also for a row of -inf scores from infinite inputs).",
               "bfloat16 and float16: the scores and the softmax are float32 and the result is rounded once, as "
               "torch computes on CPU (and jax.nn.dot_product_attention its scores): within one bfloat16 ulp of "
               "torch (0.0078 over 300 draws of the [attn_mask] inputs). Computed in bfloat16 throughout, the same "
               "formula was up to 0.09 off.",
               "On GPU, jax.nn.dot_product_attention(q.swapaxes(-2, -3), k.swapaxes(-2, -3), v.swapaxes(-2, -3), "
               "mask=..., bias=..., is_causal=...).swapaxes(-2, -3) can run a fused kernel "
               "(implementation='cudnn'); it takes 3-d and 4-d inputs with equal query and value widths and no "
               "broadcasting, and gives the mean of the values for a fully masked row: write it by hand where "
               "those hold.",
               "Masks: the [attn_mask] entry; causal: [causal]; grouped-query attention: [gqa]; scale: [scale]. "
               "No dropout_p in JAX: apply dropout to the attention weights by hand (with a key)."),
        sig=_SDPA_SIG,
        template=_sdpa(),
        unsupported_args={"dropout_p": "the written-out attention has no dropout: apply it to the attention weights "
                                       "(softmax(q k^T * scale)) with a key, or use nnx.MultiHeadAttention"
                                       "(dropout_rate=...)"},
    ),
    Record(
        torch="torch.nn.functional.scaled_dot_product_attention",
        jax="jax.nn.softmax",
        variant="causal",
        torch_example="out = (F.scaled_dot_product_attention(q, k, w, is_causal=True), "
                      "F.scaled_dot_product_attention(u, c, d, is_causal=True))",
        jax_example=(
            "out = ((lambda scores_: (jax.nn.softmax(scores_, where=(scores_ != -jnp.inf) & "
            "jnp.tril(jnp.ones((q.shape[-2], k.shape[-2]), bool))) @ w).astype(w.dtype))(jnp.matmul(q, k.mT, "
            "preferred_element_type=jnp.promote_types(q.dtype, jnp.float32)) * q.shape[-1] ** -0.5), (lambda "
            "scores_: (jax.nn.softmax(scores_, where=(scores_ != -jnp.inf) & jnp.tril(jnp.ones((u.shape[-2], "
            "c.shape[-2]), bool))) @ d).astype(d.dtype))(jnp.matmul(u, c.mT, "
            "preferred_element_type=jnp.promote_types(u.dtype, jnp.float32)) * u.shape[-1] ** -0.5))"
        ),
        inputs=(T("q", "2,3,5,4"), T("k", "2,3,7,4"), T("w", "2,3,7,6"), T("u", "2,1,2,6,4"), T("c", "2,1,2,3,4"),
                T("d", "2,1,2,3,4")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_SDPA_TOL,
        grad_tol=_MATMUL,
        notes=("The causal mask is the lower triangle aligned to the top-left corner, as in torch: query i sees keys "
               "0..i, also when the key sequence is longer (5 queries, 7 keys) or shorter (6 queries, 3 keys).",
               "is_causal held in a name works too: the rewrite keeps the condition."),
        sig=_SDPA_SIG,
        template=_sdpa(),
        unsupported_args=_SDPA_NO_DROPOUT,
    ),
    Record(
        torch="torch.nn.functional.scaled_dot_product_attention",
        jax="jax.nn.softmax",
        variant="gqa",
        torch_example="out = F.scaled_dot_product_attention(g, k, b, is_causal=True, enable_gqa=True)",
        jax_example=(
            "out = (lambda scores_: (jax.nn.softmax(scores_, where=(scores_ != -jnp.inf) & "
            "jnp.tril(jnp.ones((g.shape[-2], k.shape[-2]), bool))) @ jnp.repeat(b, g.shape[-3] // b.shape[-3], "
            "axis=-3)).astype(b.dtype))(jnp.matmul(g, jnp.repeat(k, g.shape[-3] // k.shape[-3], axis=-3).mT, "
            "preferred_element_type=jnp.promote_types(g.dtype, jnp.float32)) * g.shape[-1] ** -0.5)"
        ),
        inputs=(T("g", "2,6,5,4"), T("k", "2,3,7,4"), T("b", "2,1,7,6")),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_SDPA_TOL,
        grad_tol=_MATMUL,
        notes=("enable_gqa=True: fewer key / value heads than query heads; torch repeats each one "
               "(repeat_interleave) along the heads axis (-3), and so does jnp.repeat. Keys and values may have "
               "different head counts (3 and 1 for 6 query heads here).",),
        sig=_SDPA_SIG,
        template=_sdpa(),
        unsupported_args=_SDPA_NO_DROPOUT,
    ),
    Record(
        torch="torch.nn.functional.scaled_dot_product_attention",
        jax="jax.nn.softmax",
        variant="scale",
        torch_example="out = (F.scaled_dot_product_attention(q, k, w, attn_mask=m, scale=s), "
                      "F.scaled_dot_product_attention(x, y, z, scale=0.3, is_causal=True, enable_gqa=True))",
        jax_example=(
            "out = ((lambda scores_: (jax.nn.softmax(scores_, "
            "where=scores_ != -jnp.inf) @ w).astype(w.dtype))(jnp.matmul(q, k.mT, "
            "preferred_element_type=jnp.promote_types(q.dtype, "
            "jnp.float32)) * (q.shape[-1] ** -0.5 if s is None else s) + (0.0 if m is None else jnp.where(m, "
            "0.0, -jnp.inf) if m.dtype == jnp.bool_ else m)), (lambda scores_: (jax.nn.softmax(scores_, "
            "where=(scores_ != -jnp.inf) & jnp.tril(jnp.ones((x.shape[-2], y.shape[-2]), bool))) @ jnp.repeat(z, "
            "x.shape[-3] // z.shape[-3], axis=-3)).astype(z.dtype))(jnp.matmul(x, jnp.repeat(y, "
            "x.shape[-3] // y.shape[-3], axis=-3).mT, preferred_element_type=jnp.promote_types(x.dtype, "
            "jnp.float32)) * 0.3 + 0.0))"
        ),
        inputs=(T("q", "2,3,5,4"), T("k", "2,3,7,4"), T("w", "2,3,7,6"), T("m", "5,7", "bool"), T("x", "4,6,4"),
                T("y", "2,3,4"), T("z", "2,3,4"), Choice("s", (None, 0.3))),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_SDPA_TOL,
        grad_tol=_MATMUL,
        notes=("scale multiplies the scores; None, also when a name holds it at run time, is 1 / sqrt(head_dim), "
               "torch's default. scale=0 gives uniform attention in both.",
               "With attn_mask: see the [attn_mask] entry."),
        sig=_SDPA_SIG,
        template=_sdpa(mask=True, scale=True),
        unsupported_args=_SDPA_NO_DROPOUT,
    ),
    Record(
        torch="torch.nn.functional.scaled_dot_product_attention",
        jax="jax.nn.softmax",
        variant="attn_mask",
        torch_example=(
            "m = m & (torch.arange(5) != 1)[:, None]\n"
            "f = f.masked_fill((torch.arange(5) == 3)[:, None], float('-inf'))\n"
            "out = (F.scaled_dot_product_attention(q, k, w, attn_mask=m), "
            "F.scaled_dot_product_attention(q, k, w, attn_mask=f), "
            "F.scaled_dot_product_attention(x, y, z, attn_mask=n, is_causal=True, enable_gqa=True))"
        ),
        jax_example=(
            "m = m & (jnp.arange(5) != 1)[:, None]\n"
            "f = jnp.where((jnp.arange(5) == 3)[:, None], float('-inf'), f).astype(f.dtype)\n"
            "out = ((lambda scores_: (jax.nn.softmax(scores_, where=scores_ != -jnp.inf) @ "
            "w).astype(w.dtype))(jnp.matmul(q, k.mT, preferred_element_type=jnp.promote_types(q.dtype, "
            "jnp.float32)) * q.shape[-1] ** -0.5 + (0.0 if m is None else jnp.where(m, 0.0, -jnp.inf) if "
            "m.dtype == jnp.bool_ else m)), (lambda scores_: (jax.nn.softmax(scores_, where=scores_ != "
            "-jnp.inf) @ w).astype(w.dtype))(jnp.matmul(q, k.mT, "
            "preferred_element_type=jnp.promote_types(q.dtype, jnp.float32)) * q.shape[-1] ** -0.5 + (0.0 if f "
            "is None else jnp.where(f, 0.0, -jnp.inf) if f.dtype == jnp.bool_ else f)), (lambda scores_: "
            "(jax.nn.softmax(scores_, where=(scores_ != -jnp.inf) & jnp.tril(jnp.ones((x.shape[-2], "
            "y.shape[-2]), bool))) @ jnp.repeat(z, x.shape[-3] // z.shape[-3], "
            "axis=-3)).astype(z.dtype))(jnp.matmul(x, jnp.repeat(y, x.shape[-3] // y.shape[-3], axis=-3).mT, "
            "preferred_element_type=jnp.promote_types(x.dtype, jnp.float32)) * x.shape[-1] ** -0.5 + (0.0 if n "
            "is None else jnp.where(n, 0.0, -jnp.inf) if n.dtype == jnp.bool_ else n)))"
        ),
        inputs=(T("q", "2,3,5,4"), T("k", "2,3,7,4"), T("w", "2,3,7,6"), T("m", "5,7", "bool"), T("f", "2,1,5,7"),
                T("x", "4,6,4"), T("y", "2,3,4"), T("z", "2,3,4"), Choice("n", (None,))),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_SDPA_TOL,
        grad_tol=_MATMUL,
        notes=("A boolean attn_mask keeps what is True; a float one is added to the scores. The source does not "
               "say which one a name holds, so the rewrite asks its dtype (static under jax.jit); None held in a "
               "name at run time means no mask.",
               "A query row that attends to nothing (a boolean row all False, a float row all -inf) gives 0, as "
               "torch 2.13 does; jax.nn.dot_product_attention gives the mean of the values there (see below). The "
               "example masks row 1 of m and row 3 of f whole.",
               "A float32 mask with bfloat16 queries, which torch takes, is added to the float32 scores; the "
               "result is bfloat16, as torch's.",
               "Together with is_causal=True: the [mask_causal] entry."),
        differences=(
            Difference(
                note="a fully masked query row: torch returns zeros, jax.nn.dot_product_attention the mean of v",
                torch="v = torch.arange(8.0).reshape(1, 1, 2, 4)\n"
                      "out = F.scaled_dot_product_attention(v, v, v, attn_mask=torch.tensor([[True, True], [False, "
                      "False]]))",
                jax="v = jnp.arange(8.0).reshape(1, 2, 1, 4)\n"
                    "out = jax.nn.dot_product_attention(v, v, v, mask=jnp.array([[True, True], [False, False]]))"
                    ".swapaxes(1, 2)",
                min_diff=2.0,
            ),
        ),
        sig=_SDPA_SIG,
        template=_sdpa(mask=True),
        unsupported_args=_SDPA_NO_DROPOUT,
    ),
    Record(
        torch="torch.nn.functional.scaled_dot_product_attention",
        jax="jax.nn.softmax",
        variant="mask_causal",
        torch_example="out = (F.scaled_dot_product_attention(q, k, v, attn_mask=m, is_causal=True), "
                      "F.scaled_dot_product_attention(q, k, v, attn_mask=f, is_causal=True))",
        jax_example=(
            "out = ((lambda scores_: (jax.nn.softmax(scores_, where=(scores_ != -jnp.inf) & "
            "jnp.tril(jnp.ones((q.shape[-2], k.shape[-2]), bool))) @ v).astype(v.dtype))(jnp.matmul(q, k.mT, "
            "preferred_element_type=jnp.promote_types(q.dtype, jnp.float32)) * q.shape[-1] ** -0.5 + (0.0 if m "
            "is None else jnp.where(m, 0.0, -jnp.inf) if m.dtype == jnp.bool_ else m)), (lambda scores_: "
            "(jax.nn.softmax(scores_, where=(scores_ != -jnp.inf) & jnp.tril(jnp.ones((q.shape[-2], "
            "k.shape[-2]), bool))) @ v).astype(v.dtype))(jnp.matmul(q, k.mT, "
            "preferred_element_type=jnp.promote_types(q.dtype, jnp.float32)) * q.shape[-1] ** -0.5 + (0.0 if f "
            "is None else jnp.where(f, 0.0, -jnp.inf) if f.dtype == jnp.bool_ else f)))"
        ),
        inputs=(T("q", "2,3,5,4", contiguous=True), T("k", "2,3,7,4", contiguous=True),
                T("v", "2,3,7,4", contiguous=True), T("m", "5,7", "bool"), T("f", "2,1,5,7")),
        checks=("forward", "jit", "bf16"),
        tol=_SDPA_TOL,
        why_not={"grad": "torch raises for attn_mask with is_causal=True where a gradient is needed, unless the mask "
                         "is boolean and its fused kernel runs; the gradient is that of the [attn_mask] and "
                         "[causal] entries"},
        notes=("attn_mask with is_causal=True: torch's documentation says it raises, and torch 2.13 on CPU does, "
               "except in its fused kernel (contiguous 4-d inputs with equal query and value widths): there both "
               "apply, the mask and the causal triangle, and so they do in the rewrite.",),
        sig=_SDPA_SIG,
        template=_sdpa(mask=True),
        unsupported_args=_SDPA_NO_DROPOUT,
    ),
    # --- losses --------------------------------------------------------------------------------
    Record(
        torch="torch.nn.functional.cross_entropy",
        jax="optax.softmax_cross_entropy_with_integer_labels",
        torch_example="out = (F.cross_entropy(x, y), F.cross_entropy(x, y, reduction='sum'), "
                      "F.cross_entropy(x, y, reduction='none'), F.cross_entropy(x[0], y[0]), F.cross_entropy(x, p), "
                      "F.cross_entropy(x[0], p[0], reduction='none'))",
        jax_example=(
            "out = ((lambda axis, soft_: jnp.mean(optax.softmax_cross_entropy(x, y, "
            "axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x, jnp.where(y == -100, 0, "
            "y), axis=axis), where=soft_ or y != -100))(1 if x.ndim > 1 else 0, jnp.issubdtype(y.dtype, "
            "jnp.floating)), (lambda axis, soft_: jnp.sum(optax.softmax_cross_entropy(x, y, "
            "axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x, jnp.where(y == -100, 0, "
            "y), axis=axis), where=soft_ or y != -100))(1 if x.ndim > 1 else 0, jnp.issubdtype(y.dtype, "
            "jnp.floating)), (lambda axis, soft_: jnp.where(soft_ or y != -100, optax.softmax_cross_entropy(x, "
            "y, axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x, jnp.where(y == -100, "
            "0, y), axis=axis), 0.0))(1 if x.ndim > 1 else 0, jnp.issubdtype(y.dtype, jnp.floating)), "
            "(lambda axis, soft_: jnp.mean(optax.softmax_cross_entropy(x[0], y[0], "
            "axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x[0], "
            "jnp.where(y[0] == -100, 0, y[0]), axis=axis), "
            "where=soft_ or y[0] != -100))(1 if x[0].ndim > 1 else 0, jnp.issubdtype(y[0].dtype, jnp.floating)), "
            "(lambda axis, soft_: jnp.mean(optax.softmax_cross_entropy(x, p, "
            "axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x, jnp.where(p == -100, 0, "
            "p), axis=axis), where=soft_ or p != -100))(1 if x.ndim > 1 else 0, jnp.issubdtype(p.dtype, "
            "jnp.floating)), (lambda axis, soft_: jnp.where(soft_ or p[0] != -100, "
            "optax.softmax_cross_entropy(x[0], p[0], "
            "axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x[0], "
            "jnp.where(p[0] == -100, 0, p[0]), axis=axis), 0.0))(1 if x[0].ndim > 1 else 0, "
            "jnp.issubdtype(p[0].dtype, jnp.floating)))"
        ),
        inputs=(T("x", "N,5", low=-5, high=5), T("y", "N", "int64", 0, 5), T("p", "N,5", low=0, high=1)),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("The target holds class indices (an integer tensor) or class probabilities (a float tensor of the "
               "input's shape); torch tells them apart by the dtype, and so does the rewrite (`soft_`), which is "
               "static under jit. Where the code shows which (a `.long()` cast, an argmax, a softmax output), the "
               "[indices] or [probabilities] entry's shorter form is used.",
               "Classes on axis 1 (torch's layout, also for [N, C, d1, ...] inputs; axis 0 for "
               "one unbatched (C,) input with a 0-d target).",
               "optax has no ignore_index. torch ignores targets equal to ignore_index (default -100, the value "
               "Hugging Face pads labels with): the rewrite replaces them by class 0, then drops them from the "
               "reduction; the mean divides by the number of kept targets.",
               "Probabilities as targets: the [probabilities] entry; label_smoothing and class weights: their "
               "entries."),
        sig="input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', "
            "label_smoothing=0.0",
        template=_CE_ANY,
        values={"reduction": _MASKED},
        unsupported_args={"weight": "see the [weight] entry", "label_smoothing": "see the [label_smoothing] entry",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.cross_entropy",
        jax="optax.softmax_cross_entropy_with_integer_labels",
        variant="indices",
        torch_example="t = y.long()\nout = (F.cross_entropy(x, t, ignore_index=-1), F.cross_entropy(x, t, "
                      "ignore_index=-1, reduction='none'), "
                      "F.cross_entropy(x[0], t[0], ignore_index=-1, reduction='sum'))",
        jax_example=(
            "t = y.astype(jnp.int64)\n"
            "out = (jnp.mean(optax.softmax_cross_entropy_with_integer_labels(x, jnp.where(t == -1, 0, t), "
            "axis=1 if x.ndim > 1 else 0), where=t != -1), jnp.where(t != -1, "
            "optax.softmax_cross_entropy_with_integer_labels(x, jnp.where(t == -1, 0, t), "
            "axis=1 if x.ndim > 1 else 0), 0.0), jnp.sum(optax.softmax_cross_entropy_with_integer_labels(x[0], "
            "jnp.where(t[0] == -1, 0, t[0]), axis=1 if x[0].ndim > 1 else 0), where=t[0] != -1))"
        ),
        inputs=(T("x", "N,5", low=-5, high=5), T("y", "N", "int64", -1, 5)),
        tol=_LOSS,
        grad_tol=_LOSS,
        sizes=(2, 6),
        notes=("Used where the code shows the target holds class indices (a `.long()` cast, an argmax, a "
               "randint draw, an integer dtype=): the plain entry without its dtype test.",),
        sig="input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', "
            "label_smoothing=0.0",
        template=_CE_INDICES,
        values={"reduction": _MASKED},
        unsupported_args={"weight": "see the [weight] entry", "label_smoothing": "see the [label_smoothing] entry",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.cross_entropy",
        jax="optax.softmax_cross_entropy_with_integer_labels",
        variant="ignore_index",
        torch_example="out = (F.cross_entropy(x, y, ignore_index=-1), "
                      "F.cross_entropy(x, y, ignore_index=-1, reduction='none'), "
                      "F.cross_entropy(x[-1], y[-1], ignore_index=-1, reduction='none'), "
                      "F.cross_entropy(x, p, ignore_index=-1))",
        jax_example=(
            "out = ((lambda axis, soft_: jnp.mean(optax.softmax_cross_entropy(x, y, "
            "axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x, jnp.where(y == -1, 0, "
            "y), axis=axis), where=soft_ or y != -1))(1 if x.ndim > 1 else 0, jnp.issubdtype(y.dtype, "
            "jnp.floating)), (lambda axis, soft_: jnp.where(soft_ or y != -1, optax.softmax_cross_entropy(x, y, "
            "axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x, jnp.where(y == -1, 0, "
            "y), axis=axis), 0.0))(1 if x.ndim > 1 else 0, jnp.issubdtype(y.dtype, jnp.floating)), (lambda axis, "
            "soft_: jnp.where(soft_ or y[-1] != -1, optax.softmax_cross_entropy(x[-1], y[-1], "
            "axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x[-1], "
            "jnp.where(y[-1] == -1, 0, y[-1]), axis=axis), 0.0))(1 if x[-1].ndim > 1 else 0, "
            "jnp.issubdtype(y[-1].dtype, jnp.floating)), (lambda axis, "
            "soft_: jnp.mean(optax.softmax_cross_entropy(x, p, "
            "axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x, jnp.where(p == -1, 0, "
            "p), axis=axis), where=soft_ or p != -1))(1 if x.ndim > 1 else 0, jnp.issubdtype(p.dtype, "
            "jnp.floating)))"
        ),
        inputs=(T("x", "N,5", low=-5, high=5), T("y", "N", "int64", -1, 5), T("p", "N,5", low=0, high=1)),
        tol=_LOSS,
        grad_tol=_LOSS,
        sizes=(2, 6),
        notes=("nanoGPT pads targets with -1 and passes ignore_index=-1. torch applies ignore_index to class "
               "indices only: a probability target is used whole.",
               "Without the mask, optax reads -1 as the last class (JAX wraps negative indices): no error, "
               "a wrong loss.",
               "When every target is ignored, the mean is 0/0 = nan in both."),
        differences=(
            Difference(
                note="optax has no ignore_index: the label -1 is read as the last class instead of being ignored",
                torch="out = F.cross_entropy(torch.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, 5.0]]), torch.tensor([0, -1]), "
                      "ignore_index=-1)",
                jax="out = optax.softmax_cross_entropy_with_integer_labels(jnp.array([[1.0, 2.0, 3.0], [0.0, 1.0, "
                    "5.0]]), "
                    "jnp.array([0, -1])).mean()",
                min_diff=0.5,
            ),
        ),
        sig="input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', "
            "label_smoothing=0.0",
        template=_CE_ANY,
        values={"reduction": _MASKED},
        unsupported_args={"weight": "see the [weight] entry", "label_smoothing": "see the [label_smoothing] entry",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.cross_entropy",
        jax="optax.softmax_cross_entropy_with_integer_labels",
        variant="spatial",
        torch_example="out = (F.cross_entropy(x, y), F.cross_entropy(x, p, reduction='none'))",
        jax_example=(
            "out = ((lambda axis, soft_: jnp.mean(optax.softmax_cross_entropy(x, y, "
            "axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x, jnp.where(y == -100, 0, "
            "y), axis=axis), where=soft_ or y != -100))(1 if x.ndim > 1 else 0, jnp.issubdtype(y.dtype, "
            "jnp.floating)), (lambda axis, soft_: jnp.where(soft_ or p != -100, optax.softmax_cross_entropy(x, "
            "p, axis=axis) if soft_ else optax.softmax_cross_entropy_with_integer_labels(x, jnp.where(p == -100, "
            "0, p), axis=axis), 0.0))(1 if x.ndim > 1 else 0, jnp.issubdtype(p.dtype, jnp.floating)))"
        ),
        inputs=(T("x", "N,5,H,W", low=-5, high=5), T("y", "N,H,W", "int64", 0, 5), T("p", "N,5,H,W", low=0, high=1)),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("Per-pixel classification: logits [N, C, H, W], targets [N, H, W]; axis=1 picks torch's "
               "class axis (optax's default axis=-1 would read W as the classes).",),
        sig="input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', "
            "label_smoothing=0.0",
        template=_CE_ANY,
        values={"reduction": _MASKED},
        unsupported_args={"weight": "see the [weight] entry", "label_smoothing": "see the [label_smoothing] entry",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.cross_entropy",
        jax="optax.smooth_labels",
        variant="label_smoothing",
        torch_example="out = (F.cross_entropy(x, y, ignore_index=-1, label_smoothing=0.1), "
                      "F.cross_entropy(x, y, ignore_index=-1, reduction='none', label_smoothing=0.2), "
                      "F.cross_entropy(x[0], y[0], ignore_index=-1, reduction='none', label_smoothing=0.1), "
                      "F.cross_entropy(x, p, label_smoothing=0.1))",
        jax_example=(
            "out = ((lambda axis, soft_: jnp.mean(optax.softmax_cross_entropy(x, "
            "optax.smooth_labels(y if soft_ else jax.nn.one_hot(y, x.shape[axis], axis=axis), 0.1, axis=axis), "
            "axis=axis), where=soft_ or y != -1))(1 if x.ndim > 1 else 0, jnp.issubdtype(y.dtype, "
            "jnp.floating)), (lambda axis, soft_: jnp.where(soft_ or y != -1, optax.softmax_cross_entropy(x, "
            "optax.smooth_labels(y if soft_ else jax.nn.one_hot(y, x.shape[axis], axis=axis), 0.2, axis=axis), "
            "axis=axis), 0.0))(1 if x.ndim > 1 else 0, jnp.issubdtype(y.dtype, jnp.floating)), (lambda axis, "
            "soft_: jnp.where(soft_ or y[0] != -1, optax.softmax_cross_entropy(x[0], "
            "optax.smooth_labels(y[0] if soft_ else jax.nn.one_hot(y[0], x[0].shape[axis], axis=axis), 0.1, "
            "axis=axis), axis=axis), 0.0))(1 if x[0].ndim > 1 else 0, jnp.issubdtype(y[0].dtype, jnp.floating)), "
            "(lambda axis, soft_: jnp.mean(optax.softmax_cross_entropy(x, "
            "optax.smooth_labels(p if soft_ else jax.nn.one_hot(p, x.shape[axis], axis=axis), 0.1, axis=axis), "
            "axis=axis), where=soft_ or p != -100))(1 if x.ndim > 1 else 0, jnp.issubdtype(p.dtype, "
            "jnp.floating)))"
        ),
        inputs=(T("x", "N,5", low=-5, high=5), T("y", "N", "int64", -1, 5), T("p", "N,5", low=0, high=1)),
        tol=_LOSS,
        grad_tol=_LOSS,
        sizes=(2, 6),
        notes=("torch mixes the one-hot target with the uniform distribution: (1 - s) * onehot + s / C, which "
               "is optax.smooth_labels. Ignored targets get a zero one-hot row and are dropped from the "
               "reduction.",
               "A probability target (a float tensor) is smoothed the same way, used whole; the rewrite tells "
               "the two apart by the dtype (`soft_`), as torch does."),
        sig="input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', "
            "label_smoothing=0.0",
        template="(lambda axis, soft_: {reduction}(optax.softmax_cross_entropy({input}, optax.smooth_labels("
                 "{target} if soft_ else jax.nn.one_hot({target}, {input}.shape[axis], axis=axis), {label_smoothing}, "
                 "axis=axis), axis=axis), where=soft_ or {target} != {ignore_index}))"
                 "(1 if {input}.ndim > 1 else 0, jnp.issubdtype({target}.dtype, jnp.floating))",
        values={"reduction": _MASKED},
        unsupported_args={"weight": "class weights with label smoothing: write torch's formula out "
                                    "(weighted smoothing term divided by the weight sum)",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.cross_entropy",
        jax="optax.softmax_cross_entropy",
        variant="probabilities",
        torch_example="p = t.softmax(dim=1)\nout = (F.cross_entropy(x, p), F.cross_entropy(x, p, reduction='none'), "
                      "F.cross_entropy(x[0], p[0]))",
        jax_example=(
            "p = jax.nn.softmax(t, axis=1)\n"
            "out = (jnp.mean(optax.softmax_cross_entropy(x, p, axis=1 if x.ndim > 1 else 0)), "
            "jnp.asarray(optax.softmax_cross_entropy(x, p, axis=1 if x.ndim > 1 else 0)), "
            "jnp.mean(optax.softmax_cross_entropy(x[0], p[0], axis=1 if x[0].ndim > 1 else 0)))"
        ),
        inputs=(T("x", "N,5", low=-5, high=5), T("t", "N,5")),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("A float target of the logits' shape holds class probabilities (soft labels, mixup); "
               "ignore_index does not apply. The plain entry's rewrite picks by the target's dtype; the codemod uses "
               "this shorter form where the code shows a float target (a softmax output, a cast, arithmetic with a "
               "float).",),
        sig="input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', "
            "label_smoothing=0.0",
        template="(lambda axis: {reduction}(optax.softmax_cross_entropy({input}, {target}, axis=axis)))"
                 "(1 if {input}.ndim > 1 else 0)",
        values={"reduction": _REDUCE},
        unsupported_args={"weight": "multiply the per-class terms by the weights before summing",
                          "label_smoothing": "smooth the target first: optax.smooth_labels(target, s, axis=1)",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.cross_entropy",
        jax="jax.numpy.sum",
        variant="weight",
        torch_example="t = y.long()\nout = (F.cross_entropy(x, t, weight=w, ignore_index=-1), "
                      "F.cross_entropy(x, t, w, ignore_index=-1, reduction='sum'), "
                      "F.cross_entropy(x[0], t[0], w, ignore_index=-1, reduction='sum'))",
        jax_example=(
            "t = y.astype(jnp.int64)\n"
            "out = ((lambda l, weights: jnp.sum(l * weights, "
            "where=weights != 0) / jnp.sum(weights))(optax.softmax_cross_entropy_with_integer_labels(x, "
            "jnp.where(t == -1, 0, t), axis=1 if x.ndim > 1 else 0), weights=jnp.where(t == -1, 0.0, "
            "w[jnp.where(t == -1, 0, t)])), jnp.sum(optax.softmax_cross_entropy_with_integer_labels(x, "
            "jnp.where(t == -1, 0, t), axis=1 if x.ndim > 1 else 0) * jnp.where(t == -1, 0.0, "
            "w[jnp.where(t == -1, 0, t)])), jnp.sum(optax.softmax_cross_entropy_with_integer_labels(x[0], "
            "jnp.where(t[0] == -1, 0, t[0]), axis=1 if x[0].ndim > 1 else 0) * jnp.where(t[0] == -1, 0.0, "
            "w[jnp.where(t[0] == -1, 0, t[0])])))"
        ),
        inputs=(T("x", "N,5", low=-5, high=5), T("y", "N", "int64", -1, 5), T("w", "5", low=0.125, high=2, grad=False)),
        tol=_LOSS,
        grad_tol=_LOSS,
        sizes=(2, 6),
        notes=("Class indices only: where the code does not show the target is an integer tensor (torch also takes "
               "probabilities with weights), the call is left to rewrite by hand.",
               "Each target's loss is multiplied by weight[target]; the mean divides by the sum of those "
               "weights (not by the count). jnp.average(l, weights=...) has the same value, but when every "
               "target is ignored its gradient is nan where torch's is 0 (the loss is nan in both).",
               "torch does not differentiate with respect to the class weights."),
        sig="input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', "
            "label_smoothing=0.0",
        template="(lambda axis: {reduction}(optax.softmax_cross_entropy_with_integer_labels({input}, "
                 "jnp.where({target} == {ignore_index}, 0, {target}), axis=axis), "
                 "weights=jnp.where({target} == {ignore_index}, 0.0, {weight}[jnp.where({target} == {ignore_index}, 0, "
                 "{target})])))(1 if {input}.ndim > 1 else 0)",
        values={"reduction": _WEIGHTED},
        unsupported_args={"label_smoothing": "class weights with label smoothing: write torch's formula out "
                                             "(weighted smoothing term divided by the weight sum)",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.nll_loss",
        jax="jax.numpy.take_along_axis",
        torch_example="out = (F.nll_loss(x, y, ignore_index=-1), F.nll_loss(x, y, ignore_index=-1, reduction='none'), "
                      "F.nll_loss(v, z, ignore_index=-1))",
        jax_example=(
            "out = ((lambda axis: jnp.mean(-jnp.take_along_axis(x, jnp.expand_dims(jnp.where(y == -1, 0, y), axis), "
            "axis=axis).squeeze(axis), where=y != -1))(1 if x.ndim > 1 else 0), "
            "(lambda axis: jnp.where(y != -1, -jnp.take_along_axis(x, jnp.expand_dims(jnp.where(y == -1, 0, y), axis), "
            "axis=axis).squeeze(axis), 0.0))(1 if x.ndim > 1 else 0), "
            "(lambda axis: jnp.mean(-jnp.take_along_axis(v, jnp.expand_dims(jnp.where(z == -1, 0, z), axis), "
            "axis=axis).squeeze(axis), where=z != -1))(1 if v.ndim > 1 else 0))"
        ),
        inputs=(T("x", "N,5"), T("y", "N", "int64", -1, 5), T("v", "5"), T("z", "", "int64", 0, 5)),
        tol=_LOSS,
        grad_tol=_LOSS,
        sizes=(2, 6),
        notes=("The input holds log-probabilities (F.log_softmax output), classes on axis 1 (axis 0 for one "
               "unbatched (C,) input with a 0-d target); ignored targets are masked as in cross_entropy.",),
        sig="input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'",
        template="(lambda axis: {reduction}(-jnp.take_along_axis({input}, jnp.expand_dims(jnp.where({target} == "
                 "{ignore_index}, 0, {target}), axis), axis=axis).squeeze(axis), where={target} != {ignore_index}))"
                 "(1 if {input}.ndim > 1 else 0)",
        values={"reduction": _MASKED},
        unsupported_args={"weight": "multiply by weight[target] and, for the mean, divide by the sum of those "
                                    "weights (see cross_entropy's [weight] entry)",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.binary_cross_entropy",
        jax="jax.numpy.log",
        status="caveat",
        torch_example="out = (F.binary_cross_entropy(p, t), F.binary_cross_entropy(p, t, reduction='none'))",
        jax_example=(
            "out = (jnp.mean(-(t * jnp.maximum(jnp.log(p), -100) + (1 - t) * jnp.maximum(jnp.log1p(-p), -100))), "
            "jnp.asarray(-(t * jnp.maximum(jnp.log(p), -100) + (1 - t) * jnp.maximum(jnp.log1p(-p), -100))))"
        ),
        inputs=(T("p", "N,M", low=2 ** -10, high=1 - 2 ** -10), T("t", "N,M", low=0, high=1)),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("torch clamps each log at -100, so p = 0 or 1 gives a finite loss; the rewrite does the same.",
               "Gradients differ where p is exactly 0 or 1 (a saturated float32 sigmoid gives 1.0 for x > 17): "
               "torch divides by max(p (1 - p), 1e-12) and stays finite, JAX gives 0, inf or nan there. "
               "Checked on p in [2^-10, 1 - 2^-10]. Prefer binary_cross_entropy_with_logits."),
        differences=(
            Difference(
                note="gradient at p = 1 exactly: torch's is finite (about 5e11), JAX's is nan (1 = nan below)",
                torch="p = torch.tensor([1.0], requires_grad=True)\n"
                      "F.binary_cross_entropy(p, torch.tensor([0.5])).backward()\nout = torch.isnan(p.grad).float()",
                jax="g = jax.grad(lambda p: jnp.mean(-(0.5 * jnp.maximum(jnp.log(p), -100) + "
                    "0.5 * jnp.maximum(jnp.log1p(-p), -100))))(jnp.array([1.0]))\nout = "
                    "jnp.isnan(g).astype(jnp.float32)",
                min_diff=1.0,
            ),
        ),
        sig="input, target, weight=None, size_average=None, reduce=None, reduction='mean'",
        template="{reduction}(-({target} * jnp.maximum(jnp.log({input}), -100) + (1 - {target}) * "
                 "jnp.maximum(jnp.log1p(-{input}), -100)))",
        values={"reduction": _REDUCE},
        unsupported_args={"weight": "multiply the elementwise loss by the weight before reducing",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.binary_cross_entropy_with_logits",
        jax="optax.sigmoid_binary_cross_entropy",
        torch_example="out = (F.binary_cross_entropy_with_logits(x, t), "
                      "F.binary_cross_entropy_with_logits(x, t, reduction='sum'))",
        jax_example="out = (jnp.mean(optax.sigmoid_binary_cross_entropy(x, t)), "
                    "jnp.sum(optax.sigmoid_binary_cross_entropy(x, t)))",
        inputs=(T("x", "N,M", low=-20, high=20), T("t", "N,M", low=0, high=1)),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("optax's loss is elementwise: reduce it yourself (torch's default is the mean).",
               "pos_weight: the [pos_weight] entry."),
        sig="input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None",
        template="{reduction}(optax.sigmoid_binary_cross_entropy({input}, {target}))",
        values={"reduction": _REDUCE},
        unsupported_args={"weight": "multiply the elementwise loss by the weight before reducing",
                          "pos_weight": "see the [pos_weight] entry",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.binary_cross_entropy_with_logits",
        jax="jax.nn.log_sigmoid",
        variant="pos_weight",
        torch_example="out = F.binary_cross_entropy_with_logits(x, t, pos_weight=pw)",
        jax_example="out = jnp.mean(-(lax.broadcast_to_rank(pw, x.ndim) * t * jax.nn.log_sigmoid(x) + "
                    "(1 - t) * jax.nn.log_sigmoid(-x)))",
        inputs=(T("x", "N,M", low=-20, high=20), T("t", "N,M", low=0, high=1),
                T("pw", "M", low=0.5, high=3, grad=False)),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("pos_weight multiplies the positive term only (per class, broadcast over the batch); optax's "
               "sigmoid_binary_cross_entropy has no such argument. torch does not differentiate with respect "
               "to pos_weight.",),
        sig="input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None",
        template="{reduction}(-(lax.broadcast_to_rank({pos_weight}, {input}.ndim) * {target} * "
                 "jax.nn.log_sigmoid({input}) + (1 - {target}) * jax.nn.log_sigmoid(-{input})))",
        values={"reduction": _REDUCE},
        unsupported_args={"weight": "multiply the elementwise loss by the weight before reducing",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.mse_loss",
        jax="jax.numpy.square",
        torch_example="out = (F.mse_loss(a, b), F.mse_loss(a, b, reduction='sum'), F.mse_loss(a, b, reduction='none'))",
        jax_example="out = (jnp.mean(jnp.square(a - b)), jnp.sum(jnp.square(a - b)), jnp.asarray(jnp.square(a - b)))",
        inputs=(T("a", "N,M"), T("b", bcast="a")),
        tol=_LOSS,
        grad_tol=_LOSS,
        sizes=(0, 4),
        notes=("optax.l2_loss is HALF the squared error: use optax.squared_error.",
               "torch broadcasts input and target (with a warning when their shapes differ: a DQN's (1,) target "
               "against a squeezed 0-d value, or (N, 1) against (N,), which gives N * N terms); "
               "optax.squared_error raises on shapes that differ, so the rewrite writes jnp.square(input - target), "
               "which broadcasts as torch does."),
        differences=(
            Difference(
                note="optax.l2_loss is 0.5 * (a - b) ** 2: its mean is half of F.mse_loss",
                torch="out = F.mse_loss(torch.tensor([1.0, 2.0, 3.0]), torch.zeros(3))",
                jax="out = optax.l2_loss(jnp.array([1.0, 2.0, 3.0]), jnp.zeros(3)).mean()",
                min_diff=2.0,
            ),
        ),
        sig="input, target, size_average=None, reduce=None, reduction='mean', weight=None",
        template="{reduction}(jnp.square({input} - {target}))",
        values={"reduction": _REDUCE},
        unsupported_args={"weight": "multiply the elementwise loss by the weight before reducing",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.l1_loss",
        jax="jax.numpy.sign",
        torch_example="out = (F.l1_loss(a, b), F.l1_loss(a, b, reduction='none'))",
        jax_example="out = (jnp.mean(jnp.sign(a - b) * (a - b)), jnp.asarray(jnp.sign(a - b) * (a - b)))",
        inputs=(T("a", "N,M"), T("b", "N,M")),
        tol=_LOSS,
        grad_tol=_LOSS,
        sizes=(0, 4),
        notes=("sign(a - b) * (a - b) is |a - b| with torch's gradient: 0 where a == b. jnp.abs(a - b) has the "
               "same values but gradient 1 there (JAX's derivative of |x| at 0).",),
        differences=(
            Difference(
                note="where input == target, torch's l1_loss gradient is 0; jnp.abs's derivative at 0 is 1",
                torch="a = torch.zeros(3, requires_grad=True)\nF.l1_loss(a, torch.zeros(3)).backward()\nout = a.grad",
                jax="out = jax.grad(lambda a: jnp.mean(jnp.abs(a - jnp.zeros(3))))(jnp.zeros(3))",
                min_diff=0.3,
            ),
        ),
        sig="input, target, size_average=None, reduce=None, reduction='mean', weight=None",
        template="{reduction}(jnp.sign({input} - {target}) * ({input} - {target}))",
        values={"reduction": _REDUCE},
        unsupported_args={"weight": "multiply the elementwise loss by the weight before reducing",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.smooth_l1_loss",
        jax="optax.huber_loss",
        torch_example="out = (F.smooth_l1_loss(a, b, beta=s), F.smooth_l1_loss(a, b, reduction='sum'))",
        jax_example="out = (jnp.mean(optax.huber_loss(a, b, delta=s) / s if s > 0 else jnp.sign(a - b) * (a - b)), "
                    "jnp.sum(optax.huber_loss(a, b, delta=1.0) / 1.0 if 1.0 > 0 else jnp.sign(a - b) * (a - b)))",
        inputs=(T("a", "N,M", normal=True), T("b", "N,M", normal=True), Choice("s", (1.0, 0.5, 0.0))),
        status="caveat",
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("smooth_l1 with beta is huber with delta=beta, divided by beta; beta=0 is the L1 loss in torch, "
               "so the rewrite takes sign(d) * d there (as l1_loss: gradient 0 at d = 0, as in torch; a Python "
               "test: beta must not be a traced array).",
               "With beta=0, a subnormal difference d (|d| < 1.2e-38) is flushed to zero by XLA on CPU: the "
               "gradient is 0 in JAX, sign(d) in torch. Found by the fuzz profile; the draws leave subnormals out."),
        differences=(
            Difference(
                note="beta=0, input - target = 1e-40 (subnormal): torch's gradient 1, JAX 0 (XLA:CPU flushes it)",
                torch="a = torch.tensor([1e-40], requires_grad=True)\n"
                      "F.smooth_l1_loss(a, torch.zeros(1), beta=0.0).backward()\nout = a.grad",
                jax="out = jax.grad(lambda a: jnp.mean(jnp.sign(a - jnp.zeros(1)) * (a - jnp.zeros(1))))"
                    "(jnp.array([1e-40]))",
                min_diff=0.5,
            ),
        ),
        sig="input, target, size_average=None, reduce=None, reduction='mean', beta=1.0",
        template="{reduction}(optax.huber_loss({input}, {target}, delta={beta}) / {beta} if {beta} > 0 "
                 "else jnp.sign({input} - {target}) * ({input} - {target}))",
        values={"reduction": _REDUCE},
        unsupported_args={"size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.huber_loss",
        jax="optax.huber_loss",
        torch_example="out = (F.huber_loss(a, b, delta=d), F.huber_loss(a, b, reduction='none'))",
        jax_example="out = (jnp.mean(optax.huber_loss(a, b, delta=d)), jnp.asarray(optax.huber_loss(a, b, delta=1.0)))",
        inputs=(T("a", "N,M"), T("b", "N,M"), Choice("d", (1.0, 2.0))),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("optax.huber_loss is elementwise with the same formula: 0.5 x^2 inside delta, "
               "delta (|x| - delta / 2) outside.",),
        sig="input, target, reduction='mean', delta=1.0, weight=None",
        template="{reduction}(optax.huber_loss({input}, {target}, delta={delta}))",
        values={"reduction": _REDUCE},
        unsupported_args={"weight": "multiply the elementwise loss by the weight before reducing"},
    ),
    Record(
        torch="torch.nn.functional.kl_div",
        jax="jax.scipy.special.xlogy",
        torch_example="out = (F.kl_div(x, t, reduction='batchmean'), F.kl_div(x, t, reduction='none'))",
        jax_example=(
            "out = (jnp.sum(jnp.mean(jax.scipy.special.xlogy(t, t) - t * x, axis=0)), "
            "jnp.asarray(jax.scipy.special.xlogy(t, t) - t * x))"
        ),
        inputs=(T("x", "N,5", low=-5, high=0), T("t", "N,5", low=2 ** -7, high=1)),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("input is log q, target is p (probabilities unless log_target=True): elementwise "
               "p (log p - log q), with 0 where p = 0 (xlogy).",
               "reduction='batchmean' (sum / batch size) is the KL divergence; torch's default 'mean' averages "
               "over every element and is not.",
               "optax.kl_divergence(log_q, p) sums over the last axis only: jnp.mean of it is 'batchmean' for "
               "2-D inputs."),
        sig="input, target, size_average=None, reduce=None, reduction='mean', log_target=False",
        template="{reduction}(jnp.exp({target}) * ({target} - {input}) if {log_target} else "
                 "jax.scipy.special.xlogy({target}, {target}) - {target} * {input})",
        values={"reduction": {**_REDUCE, "'batchmean'": "(lambda l: jnp.sum(jnp.mean(l, axis=0)))"}},
        unsupported_args={"size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.kl_div",
        jax="jax.numpy.exp",
        variant="log_target",
        torch_example="out = F.kl_div(x, t, reduction='sum', log_target=True)",
        jax_example="out = jnp.sum(jnp.exp(t) * (t - x))",
        inputs=(T("x", "N,5", low=-5, high=0), T("t", "N,5", low=-5, high=0)),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("With log_target=True both arguments are log-probabilities: exp(t) * (t - x).",),
        sig="input, target, size_average=None, reduce=None, reduction='mean', log_target=False",
        template="{reduction}(jnp.exp({target}) * ({target} - {input}) if {log_target} else "
                 "jax.scipy.special.xlogy({target}, {target}) - {target} * {input})",
        values={"reduction": {**_REDUCE, "'batchmean'": "(lambda l: jnp.sum(jnp.mean(l, axis=0)))"}},
        unsupported_args={"size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.cosine_embedding_loss",
        jax="jax.numpy.where",
        torch_example="out = F.cosine_embedding_loss(a, b, y, margin=m)",
        jax_example="out = jnp.mean((lambda c, y, m: jnp.where(y == 1, 1 - c, jnp.where((y == -1) & (c >= m), c - m, "
                    "0.0)))"
                    "(jnp.sum(a * b, -1) / jnp.sqrt((jnp.sum(jnp.square(a), -1) + 1e-12) * "
                    "(jnp.sum(jnp.square(b), -1) + 1e-12)), y, m))",
        inputs=(T("a", "N,C", low=0.25, high=3), T("b", "N,C", low=0.25, high=3), T("y", "N", "int64", -1, 2),
                Choice("m", (0.0, 0.5))),
        status="caveat",
        tol=_LOSS,
        grad_tol=_LOSS,
        differences=(_cosine_near_zero("F.cosine_embedding_loss(a, b, torch.tensor([1]))"),),
        notes=("y = 1: 1 - cos(a, b); y = -1: max(0, cos(a, b) - margin); other targets give 0.",
               "Nearly parallel vectors of small norm: the gradient is a float32 cancellation of two terms of size "
               "1/(|a||b|), and torch and JAX round it differently (a = [1, 2, 3], b = 1e-5 * [1, 2, 3.0001]: "
               "1/(|a||b|) = 7143; gradient for b torch -5.2485, JAX -5.2495, float64 -5.2492: both off by about "
               "1e-4 relative, 2e-3 apart). The gap grows as 1/(|a||b|); the draws keep every value in [0.25, 3), "
               "so both norms stay above 0.25.",
               "torch clamps with clamp_min, whose gradient at cos == margin is 1; jnp.maximum's is 0.5 there, "
               "hence the jnp.where.",
               "The cosine is torch's own formula, a.b / sqrt((|a|^2 + 1e-12)(|b|^2 + 1e-12)): "
               "optax.cosine_similarity clips the squared norms instead of adding 1e-12, which changes the "
               "gradient for vectors of norm near 1e-6.",),
        sig="input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'",
        template="{reduction}((lambda c, y, m: jnp.where(y == 1, 1 - c, jnp.where((y == -1) & (c >= m), c - m, 0.0)))"
                 "(jnp.sum({input1} * {input2}, -1) / jnp.sqrt((jnp.sum(jnp.square({input1}), -1) + 1e-12) * "
                 "(jnp.sum(jnp.square({input2}), -1) + 1e-12)), {target}, {margin}))",
        values={"reduction": _REDUCE},
        unsupported_args={"size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.margin_ranking_loss",
        jax="jax.numpy.where",
        torch_example="out = (F.margin_ranking_loss(a, b, y, margin=m), F.margin_ranking_loss(a, b, y, "
                      "reduction='none'))",
        jax_example="out = (jnp.mean((lambda z: jnp.where(z >= 0, z, 0.0))(-y * (a - b) + m)), "
                    "jnp.asarray((lambda z: jnp.where(z >= 0, z, 0.0))(-y * (a - b) + 0)))",
        inputs=(T("a", "N"), T("b", "N"), T("y", "N", low=-1, high=1), Choice("m", (0.0, 0.5))),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("max(0, -y * (a - b) + margin), elementwise; y is +1 when a should rank higher.",
               "torch clamps with clamp_min, whose gradient at the kink is 1; jnp.maximum's is 0.5 and "
               "jax.nn.relu's 0, hence the jnp.where.",),
        sig="input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'",
        template="{reduction}((lambda z: jnp.where(z >= 0, z, 0.0))(-{target} * ({input1} - {input2}) + {margin}))",
        values={"reduction": _REDUCE},
        unsupported_args={"size_average": _LEGACY, "reduce": _LEGACY},
    ),
    # Functional forms of layers recorded in nn.py ----------------------------------------------------
    Record(
        torch="torch.nn.functional.prelu",
        jax="jax.numpy.where",
        aliases=("torch.prelu",),
        torch_example="out = F.prelu(x, w)",
        jax_example="out = jnp.where(x > 0, x, w.reshape(-1, *[1] * (x.ndim - 2)) * x).reshape(x.shape)",
        inputs=(T("x", "N,C,L", normal=True), T("w", "C")),
        status="caveat",
        checks=("forward", "jit", "grad", "bf16"),
        notes=("One slope per channel (axis 1), or a single slope (w of shape (1,)): the reshape broadcasts it "
               "over the axes after the channels. At x == 0 the slope's branch is taken, as in torch. The final "
               "reshape keeps a 0-d input 0-d (the slope alone has shape (1,)).",
               _SUBNORMAL.replace("(1)", "(1; JAX: the slope)")),
        differences=(_subnormal_grad("F.prelu(x, torch.tensor([0.25]))",
                                     "jnp.where(x > 0, x, jnp.array([0.25]).reshape(-1, *[1] * (x.ndim - 2)) * x)",
                                     "0.25"),),
        sig="input, weight",
        template="jnp.where({input} > 0, {input}, {weight}.reshape(-1, *[1] * ({input}.ndim - 2)) * {input})"
                 ".reshape({input}.shape)",
    ),
    Record(
        torch="torch.nn.functional.pixel_shuffle",
        jax="jax.Array.reshape + moveaxis",
        aliases=("torch.pixel_shuffle",),
        torch_example="u, v = x[0], x[None]\n"
                      "out = (F.pixel_shuffle(x, 2), F.pixel_shuffle(u, 2), F.pixel_shuffle(v, 2))",
        jax_example="u, v = x[0], x[None]\nout = (" + ", ".join(
            f"jnp.moveaxis({y}.reshape(*{y}.shape[:-3], -1, 2, 2, *{y}.shape[-2:]), (-4, -3), (-3, -1))"
            f".reshape(*{y}.shape[:-3], -1, {y}.shape[-2] * 2, {y}.shape[-1] * 2)" for y in "xuv") + ")",
        inputs=(T("x", "N,8,H,W"),),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("(*, C*r*r, H, W) -> (*, C, H*r, W*r), as torch.nn.PixelShuffle, for any number of leading "
               "(batch) axes, none included: the channel axis is the third from the end.",),
        sig="input, upscale_factor",
        template="jnp.moveaxis({input}.reshape(*{input}.shape[:-3], -1, {upscale_factor}, {upscale_factor}, "
                 "*{input}.shape[-2:]), (-4, -3), (-3, -1)).reshape(*{input}.shape[:-3], -1, "
                 "{input}.shape[-2] * {upscale_factor}, {input}.shape[-1] * {upscale_factor})",
    ),
    Record(
        torch="torch.nn.functional.pixel_unshuffle",
        jax="jax.Array.reshape + moveaxis",
        aliases=("torch.pixel_unshuffle",),
        torch_example="u, v = x[0], x[None]\n"
                      "out = (F.pixel_unshuffle(x, 2), F.pixel_unshuffle(u, 2), F.pixel_unshuffle(v, 2))",
        jax_example="u, v = x[0], x[None]\nout = (" + ", ".join(
            f"jnp.moveaxis({y}.reshape(*{y}.shape[:-2], {y}.shape[-2] // 2, 2, {y}.shape[-1] // 2, 2), (-3, -1), "
            f"(-4, -3)).reshape(*{y}.shape[:-3], -1, {y}.shape[-2] // 2, {y}.shape[-1] // 2)" for y in "xuv") + ")",
        inputs=(T("x", "N,C,4,6"),),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("(*, C, H*r, W*r) -> (*, C*r*r, H, W), as torch.nn.PixelUnshuffle, for any number of leading "
               "(batch) axes, none included.",),
        sig="input, downscale_factor",
        template="jnp.moveaxis({input}.reshape(*{input}.shape[:-2], {input}.shape[-2] // {downscale_factor}, "
                 "{downscale_factor}, {input}.shape[-1] // {downscale_factor}, {downscale_factor}), (-3, -1), "
                 "(-4, -3)).reshape(*{input}.shape[:-3], -1, {input}.shape[-2] // {downscale_factor}, "
                 "{input}.shape[-1] // {downscale_factor})",
    ),
    Record(
        torch="torch.nn.functional.channel_shuffle",
        jax="jax.Array.reshape + swapaxes",
        aliases=("torch.channel_shuffle",),
        torch_example="out = F.channel_shuffle(x, g)",
        jax_example="out = x.reshape(x.shape[0], g, -1, *x.shape[2:]).swapaxes(1, 2).reshape(x.shape)",
        inputs=(T("x", "N,6,L"), Choice("g", (2, 3))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("Channels (N, g * k, ...) are viewed as (g, k), transposed to (k, g) and flattened back.",),
        sig="input, groups",
        template="{input}.reshape({input}.shape[0], {groups}, -1, *{input}.shape[2:]).swapaxes(1, 2)"
                 ".reshape({input}.shape)",
    ),
    Record(
        torch="torch.nn.functional.adaptive_avg_pool1d",
        jax="jax.Array.reshape + mean",
        aliases=("torch.adaptive_avg_pool1d",),
        status="caveat",
        torch_example="out = F.adaptive_avg_pool1d(x, o)",
        jax_example="out = x.reshape(*x.shape[:-1], o, x.shape[-1] // o).mean(axis=-1)",
        inputs=(T("x", "N,C,6"), Choice("o", (1, 2, 3))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("Exact when output_size divides the length; otherwise torch averages overlapping windows of "
               "varying size and the rewrite fails loudly in reshape.",),
        sig="input, output_size",
        template="{input}.reshape(*{input}.shape[:-1], {output_size}, {input}.shape[-1] // {output_size})"
                 ".mean(axis=-1)",
    ),
    Record(
        torch="torch.nn.functional.triplet_margin_loss",
        jax="jax.numpy.linalg.norm",
        aliases=("torch.triplet_margin_loss",),
        torch_example="out = F.triplet_margin_loss(a, p, n, margin=m)",
        jax_example="out = jnp.mean(jnp.maximum(jnp.linalg.norm(a - p + 1e-06, axis=-1) - "
                    "jnp.linalg.norm(a - n + 1e-06, axis=-1) + m, 0.0))",
        inputs=(T("a", "N,D"), T("p", "N,D"), T("n", "N,D"), Choice("m", (1.0, 0.5))),
        checks=("forward", "jit", "grad"),
        tol=_LOSS,
        grad_tol=_LOSS,
        sizes=(2, 5),
        notes=("Distances are torch's pairwise_distance: the norm of a - b + eps (see torch.nn.TripletMarginLoss).",),
        sig="anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False, size_average=None, reduce=None, "
            "reduction='mean'",
        template="{reduction}(jnp.maximum(jnp.linalg.norm({anchor} - {positive} + {eps}, axis=-1) - "
                 "jnp.linalg.norm({anchor} - {negative} + {eps}, axis=-1) + {margin}, 0.0))",
        values={"reduction": _REDUCE},
        unsupported_args={"p": "other norms: jnp.linalg.norm(..., ord=p, axis=-1)",
                          "swap": "swap=True also uses the positive-negative distance (the smaller of the two)",
                          "size_average": _LEGACY, "reduce": _LEGACY},
    ),
    Record(
        torch="torch.nn.functional.gaussian_nll_loss",
        jax="jax.numpy.log",
        torch_example="out = F.gaussian_nll_loss(x, y, v)",
        jax_example="out = jnp.mean(0.5 * (jnp.log(jnp.maximum(jnp.expand_dims(v, -1) if jnp.ndim(v) < "
                    "jnp.ndim(x) else v, 1e-06)) + (x - y) ** 2 / jnp.maximum(jnp.expand_dims(v, -1) if "
                    "jnp.ndim(v) < jnp.ndim(x) else v, 1e-06)))",
        inputs=(T("x", "N,M"), T("y", "N,M"), T("v", "N", low=0.125, high=3)),
        checks=("forward", "jit", "grad"),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("var is clamped at eps in both (torch clamps without gradient through the clamp; the values here "
               "stay above it), see torch.nn.GaussianNLLLoss.",
               "A var with one dimension fewer than input (one variance per sample) gets a trailing axis, as in "
               "torch; right-aligned broadcasting would pair it with the last axis instead (PyTorch's OpInfo "
               "samples found that: 8.32 for 45.9)."),
        sig="input, target, var, full=False, eps=1e-06, reduction='mean'",
        template="{reduction}(0.5 * (jnp.log(jnp.maximum(jnp.expand_dims({var}, -1) if jnp.ndim({var}) < "
                 "jnp.ndim({input}) else {var}, {eps})) + ({input} - {target}) ** 2 / "
                 "jnp.maximum(jnp.expand_dims({var}, -1) if jnp.ndim({var}) < jnp.ndim({input}) else {var}, {eps})))",
        values={"reduction": _REDUCE},
        unsupported_args={"full": "full=True adds 0.5 * log(2 pi) to every element"},
    ),
    Record(
        torch="torch.nn.functional.max_pool1d",
        jax="jax.lax.reduce_window",
        aliases=("torch.max_pool1d",),
        torch_example="out = (F.max_pool1d(x, k, stride=s, padding=p), F.max_pool1d(u, k, stride=s, padding=p))",
        jax_example="out = (" + ", ".join(
            f"lax.reduce_window({a}, -jnp.inf, lax.max, (1,) * ({a}.ndim - 1) + (k,), (1,) * ({a}.ndim - 1) + "
            f"(s or k,), [(0, 0)] * ({a}.ndim - 1) + [(p, p)])" for a in ("x", "u")) + ")",
        inputs=(T("x", "2,3,L", unique=True), T("u", "3,L", unique=True), Choice("k", (2, 3)),
                Choice("s", (None, 1, 2)), Choice("p", (0, 1))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(5, 7),
        notes=("stride defaults to kernel_size (`stride or kernel_size`). Padding is filled with -inf, as in torch. "
               "The window covers the last axis: (N, C, L) and unbatched (C, L) input alike. The rewrite assumes "
               "int sizes.",
               "Inputs are distinct: with tied maxima the two frameworks may route the gradient to different "
               "elements."),
        sig="input, kernel_size: int, stride: int | None = None, padding: int = 0, dilation=1, ceil_mode=False, "
            "return_indices=False",
        template="(lambda input: lax.reduce_window(input, -jnp.inf, lax.max, (1,) * (input.ndim - 1) + "
                 "({kernel_size},), (1,) * (input.ndim - 1) + ({stride} or {kernel_size},), "
                 "[(0, 0)] * (input.ndim - 1) + [({padding}, {padding})]))({input})",
        unsupported_args={"dilation": "pass window_dilation=(1, 1, dilation) to lax.reduce_window",
                          "ceil_mode": "lax.reduce_window has no ceil mode: add the extra high padding yourself",
                          "return_indices": "no argmax indices from lax.reduce_window"},
    ),
    Record(
        torch="torch.nn.functional.avg_pool1d",
        jax="jax.lax.reduce_window",
        aliases=("torch.avg_pool1d",),
        torch_example="out = (F.avg_pool1d(x, k, stride=s, padding=p), F.avg_pool1d(u, k, stride=s, padding=p))",
        jax_example="out = (" + ", ".join(
            f"lax.reduce_window({a}, 0.0, lax.add, (1,) * ({a}.ndim - 1) + (k,), (1,) * ({a}.ndim - 1) + "
            f"(s or k,), [(0, 0)] * ({a}.ndim - 1) + [(p, p)]) / k" for a in ("x", "u")) + ")",
        inputs=(T("x", "2,3,L"), T("u", "3,L"), Choice("k", (2, 3)), Choice("s", (None, 1, 2)), Choice("p", (0, 1))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(5, 7),
        notes=("A window sum divided by kernel_size: torch's default count_include_pad=True counts the zero "
               "padding. stride defaults to kernel_size. The window covers the last axis: (N, C, L) and "
               "unbatched (C, L) input alike. The rewrite assumes int sizes.",),
        sig="input, kernel_size: int, stride: int | None = None, padding: int = 0, ceil_mode=False, "
            "count_include_pad=True",
        template="(lambda input: lax.reduce_window(input, 0.0, lax.add, (1,) * (input.ndim - 1) + ({kernel_size},), "
                 "(1,) * (input.ndim - 1) + ({stride} or {kernel_size},), "
                 "[(0, 0)] * (input.ndim - 1) + [({padding}, {padding})]))({input}) / {kernel_size}",
        unsupported_args={"ceil_mode": "lax.reduce_window has no ceil mode: add the extra high padding yourself",
                          "count_include_pad": "False divides by the number of real elements in each window: "
                                               "the same window sum over jnp.ones_like(x)"},
    ),
    Record(
        torch="torch.nn.functional.max_pool3d",
        jax="jax.lax.reduce_window",
        aliases=("torch.max_pool3d",),
        torch_example="out = (F.max_pool3d(x, 2, stride=s), F.max_pool3d(u, 2, stride=s))",
        jax_example="out = (" + ", ".join(
            f"lax.reduce_window({a}, -jnp.inf, lax.max, (1,) * ({a}.ndim - 3) + (2,) * 3, "
            f"(1,) * ({a}.ndim - 3) + (s or 2,) * 3, 'VALID')" for a in ("x", "u")) + ")",
        inputs=(T("x", "1,2,D,H,W", unique=True), T("u", "2,D,H,W", unique=True), Choice("s", (None, 1))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(2, 4),
        notes=("stride defaults to kernel_size. The rewrite covers an int kernel_size and stride without padding on "
               "(N, C, D, H, W) and unbatched (C, D, H, W) input.",
               "Inputs are distinct: with tied maxima the two frameworks may route the gradient to different "
               "elements."),
        sig="input, kernel_size: int, stride: int | None = None, padding=0, dilation=1, ceil_mode=False, "
            "return_indices=False",
        template="(lambda input: lax.reduce_window(input, -jnp.inf, lax.max, (1,) * (input.ndim - 3) + "
                 "({kernel_size},) * 3, (1,) * (input.ndim - 3) + ({stride} or {kernel_size},) * 3, 'VALID'))({input})",
        unsupported_args={"padding": "pass [(0, 0), (0, 0)] + [(p, p)] * 3 instead of 'VALID'",
                          "dilation": "pass window_dilation=(1, 1, d, d, d) to lax.reduce_window",
                          "ceil_mode": "lax.reduce_window has no ceil mode: add the extra high padding yourself",
                          "return_indices": "no argmax indices from lax.reduce_window"},
    ),
]
