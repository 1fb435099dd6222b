"""Channel dropout (1-D / 2-D / 3-D), alpha dropout, RReLU and the in-place activation functions (`F.relu_`, ...).

Random layers cannot match torch value for value: their examples compare statistics of a large sample (the
fraction of dropped channels, the two output levels), with a tolerance from the standard error, status `caveat`
or `manual`. The in-place functions become a rebinding of the name (`x = jax.nn.relu(x)`).
"""

from mapping.record import Difference, Record, T, Tol
from mapping.records.nn_functional import _subnormal_grad

_INPLACE = ("In-place in torch: every other name bound to the same tensor sees the change. JAX arrays are immutable: "
            "the rewrite rebinds the name (x = f(x)), and applies only when the call is a statement of its own.")
_KEY = "JAX has no global RNG: pass a key (`key` in the rewrite) and split it for every dropout call."
_CHANNELS = "fraction of 200,000 channels dropped: 5 standard errors (5 * sqrt(0.21 / 200000) = 5.2e-3)"


def _mask_shape(nd: int, x: str) -> str:
    """One draw per channel: the axes before the last nd. Dropout2d alone reads a 3-d input as (N, C, L) (torch
    warns and drops per channel of each sample), so its mask keeps the first two axes."""
    return f"{x}.shape[:2] + (1,) * ({x}.ndim - 2)" if nd == 2 else f"{x}.shape[:-{nd}] + (1,) * {nd}"


def _unbatched_stat(nd: int, torch_side: bool, make: str) -> tuple[str, str]:
    """Dropout1d / 3d also take one unbatched (C, *spatial) example: every channel is still all kept or all
    dropped (1.0 exactly; a mask over the wrong axes gives less). Returns (code, extra output)."""
    if nd == 2:
        return "", ""
    axes = tuple(range(1, 1 + nd))
    amax, amin, cast = ("amax(dim", "amin(dim", "float()") if torch_side else ("max(axis", "min(axis",
                                                                                 "astype(jnp.float32)")
    return (f"{make}\nwhole_u = (u.{amax}={axes}) == u.{amin}={axes})).{cast}.mean()\n", ", whole_u")


def _channel_dropout(nd: int) -> Record:
    """F.dropout{nd}d: one Bernoulli draw per (sample, channel), shared over the spatial axes."""
    spatial = ", 2" * nd
    axes = tuple(range(2, 2 + nd))
    corner = ", 0" * nd
    tu, tout = _unbatched_stat(nd, True, f"x1 = torch.ones(400{spatial})\nu = F.dropout{nd}d(x1, p=0.3)")
    ju, jout = _unbatched_stat(nd, False, f"x1 = jnp.ones((400{spatial}))\nu = jnp.where(jax.random.bernoulli(key, "
                                          f"1 - 0.3, {_mask_shape(nd, 'x1')}), x1 / (1 - 0.3), 0)")
    return Record(
        torch=f"torch.nn.functional.dropout{nd}d",
        jax="jax.random.bernoulli",
        status="caveat",
        torch_example=(f"x = torch.ones(400, 500{spatial})\ny = F.dropout{nd}d(x, p=0.3)\n"
                       f"whole = (y.amax(dim={axes}) == y.amin(dim={axes})).float().mean()\n{tu}"
                       f"out = ((y[:, :{corner}] == 0).float().mean(), whole, y.max(){tout})"),
        jax_example=(f"x = jnp.ones((400, 500{spatial}))\n"
                     f"y = jnp.where(jax.random.bernoulli(key, 1 - 0.3, {_mask_shape(nd, 'x')}), "
                     "x / (1 - 0.3), 0)\n"
                     f"whole = (y.max(axis={axes}) == y.min(axis={axes})).astype(jnp.float32).mean()\n{ju}"
                     f"out = ((y[:, :{corner}] == 0).astype(jnp.float32).mean(), whole, y.max(){jout})"),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.0052, _CHANNELS),
        notes=("Whole channels are zeroed: the mask has shape (N, C, 1, ...), broadcast over the spatial axes; kept "
               "values are scaled by 1 / (1 - p). Masks differ (different generators): compared through the fraction "
               "of dropped channels, that every channel is all kept or all dropped, and the scaled value.",
               _KEY, "Batched (N, C, ...) and unbatched (C, ...) input alike: the mask has one draw per channel (for "
                     "dropout2d, as in torch, a 3-d input is (N, C, L)).",
               "training=False is the identity (the conditional expression returns the input)."),
        sig="input, p=0.5, training=True, inplace=False",
        template=f"jnp.where(jax.random.bernoulli(key, 1 - {{p}}, {_mask_shape(nd, '{input}')}), "
                 "{input} / (1 - {p}), 0) if {training} else {input}",
        unsupported_args={"inplace": "JAX arrays are immutable: drop inplace and use the returned value"},
    )


def _channel_dropout_module(nd: int) -> Record:
    spatial = ", 2" * nd
    axes = tuple(range(2, 2 + nd))
    shared = axes if nd == 2 else tuple(range(-nd, 0))  # the spatial axes, counted from the end but for Dropout2d
    corner = ", 0" * nd
    tu, tout = _unbatched_stat(nd, True, f"u = m(torch.ones(400{spatial}))")
    ju, jout = _unbatched_stat(nd, False, f"u = m(jnp.ones((400{spatial})))")
    return Record(
        torch=f"torch.nn.Dropout{nd}d",
        jax="flax.nnx.Dropout",
        status="caveat",
        torch_example=(f"m = nn.Dropout{nd}d(p=0.3)\ny = m(torch.ones(400, 500{spatial}))\n"
                       f"whole = (y.amax(dim={axes}) == y.amin(dim={axes})).float().mean()\n{tu}"
                       f"out = ((y[:, :{corner}] == 0).float().mean(), whole, y.max(){tout})"),
        jax_example=(f"rngs = nnx.Rngs(0)\nm = nnx.Dropout(0.3, broadcast_dims={shared}, rngs=rngs)\n"
                     f"y = m(jnp.ones((400, 500{spatial})))\n"
                     f"whole = (y.max(axis={axes}) == y.min(axis={axes})).astype(jnp.float32).mean()\n{ju}"
                     f"out = ((y[:, :{corner}] == 0).astype(jnp.float32).mean(), whole, y.max(){jout})"),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.0052, _CHANNELS),
        notes=(f"Dropout{nd}d drops whole channels of channels-first input: nnx.Dropout with broadcast_dims={shared} "
               "shares one mask value across the spatial axes (channels-last: the axes before the last). Masks "
               "differ (different generators).",
               "Dropout2d reads a 3-d input as (N, C, L), as torch does (with a warning)." if nd == 2 else
               "Counted from the end, the spatial axes are the same for batched and unbatched (C, ...) input."),
        sig="p=0.5, inplace=False",
        template=f"nnx.Dropout({{p}}, broadcast_dims={shared}, rngs=rngs)",
    )


_ALPHA = 1.7580993408473766  # -SELU's negative saturation value: scale * alpha


def _alpha_jax(shape: str, mask_shape: str) -> str:
    return (f"x = jnp.ones({shape})\n"
            f"p, alpha = 0.2, {_ALPHA}\n"
            "a = ((1 - p) * (1 + p * alpha ** 2)) ** -0.5\n"
            f"keep = jax.random.bernoulli(key, 1 - p, {mask_shape})\n"
            "y = a * jnp.where(keep, x, -alpha) + a * alpha * p\n"
            "out = ((y < y.max()).astype(jnp.float32).mean(), y.min(), y.max())")


def _alpha(torch_name: str, call: str, shape: str, mask_shape: str, feature: bool) -> Record:
    what = "whole channels (mask (N, C, 1, ...))" if feature else "single elements"
    return Record(
        torch=torch_name,
        jax="jax.random.bernoulli",
        status="manual",
        torch_example=f"x = torch.ones{shape}\ny = {call}\nout = ((y < y.max()).float().mean(), y.min(), y.max())",
        jax_example=_alpha_jax(shape, mask_shape),
        checks=("forward", "jit"),
        tol=Tol(1e-6, 0.0045, "fraction dropped among 200,000 draws: 5 standard errors (5 * sqrt(0.16 / 200000) = "
                              "4.5e-3); the two output levels are exact formulas"),
        notes=(f"Alpha dropout drops {what} to SELU's saturation value -alpha = -1.7581 and applies the affine map "
               "a x + b that keeps zero mean and unit variance: a = ((1 - p)(1 + p alpha^2))^-1/2, b = a alpha p. "
               "Compared through the fraction dropped and the two output levels (different generators).",
               _KEY),
        reason="no flax layer or jax.nn function: draw the mask with jax.random.bernoulli and apply the affine map "
               "(example); in eval mode (training=False) it is the identity",
    )


def _inplace(name: str, call: str, jax_rhs: str, template: str, sig: str, x: T, status: str = "verified",
             notes: tuple = (), differences: tuple = ()) -> Record:
    return Record(
        torch=f"torch.nn.functional.{name}",
        jax=jax_rhs.split("(")[0].replace("jnp.", "jax.numpy."),
        status=status,
        torch_example=f"z = x.clone()\nF.{call}\nout = z",
        jax_example=f"z = x\nz = {jax_rhs}\nout = z",
        inputs=(x,),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(_INPLACE, *notes),
        differences=differences,
        sig=sig,
        template="{input} = " + template,
    )


_SUB = ("A subnormal positive input (0 < x < 1.2e-38) is flushed to zero by XLA on CPU: JAX takes the x <= 0 branch "
        "of the gradient (see the out-of-place function's Difference); the draws leave subnormals out.")
_RRELU_EVAL = "In eval (training=False, the function's default) RReLU is leaky_relu with slope (lower + upper) / 2."

RECORDS = [
    *(_channel_dropout(nd) for nd in (1, 2, 3)),
    _channel_dropout_module(1),
    _channel_dropout_module(3),
    _alpha("torch.nn.functional.alpha_dropout", "F.alpha_dropout(x, p=0.2, training=True)", "(200_000)",
           "x.shape", False),
    _alpha("torch.nn.AlphaDropout", "nn.AlphaDropout(p=0.2)(x)", "(200_000)", "x.shape", False),
    _alpha("torch.nn.functional.feature_alpha_dropout", "F.feature_alpha_dropout(x, p=0.2, training=True)",
           "(1000, 200, 2)", "x.shape[:2] + (1,)", True),
    _alpha("torch.nn.FeatureAlphaDropout", "nn.FeatureAlphaDropout(p=0.2)(x)", "(1000, 200, 2)",
           "x.shape[:2] + (1,)", True),
    Record(
        torch="torch.nn.functional.rrelu",
        jax="jax.numpy.where",
        aliases=("torch.rrelu",),
        status="caveat",
        torch_example="out = F.rrelu(x, 0.1, 0.3)",
        jax_example="out = jnp.where(x > 0, x, x * ((0.1 + 0.3) / 2))",
        inputs=(T("x", "*", normal=True),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=(_RRELU_EVAL, "training=True draws a slope per element: jnp.where(x >= 0, x, x * "
               "jax.random.uniform(key, x.shape, minval=lower, maxval=upper)) (see torch.nn.RReLU); the rewrite "
               "covers training=False only.", _SUB),
        differences=(_subnormal_grad("F.rrelu(x, 0.1, 0.3)", "jnp.where(x > 0, x, x * 0.2)", "0.2"),),
        sig="input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False",
        template="jnp.where({input} > 0, {input}, {input} * (({lower} + {upper}) / 2))",
    ),
    Record(
        torch="torch.nn.RReLU",
        jax="jax.random.uniform + jax.numpy.where",
        status="manual",
        torch_example=("x = -torch.ones(200_000)\nm = nn.RReLU(0.1, 0.3)\ny = m(x)\n"
                       "out = (-y.mean(), -y.max(), -y.min())"),
        jax_example=("x = -jnp.ones(200_000)\n"
                     "y = jnp.where(x >= 0, x, x * jax.random.uniform(key, x.shape, minval=0.1, maxval=0.3))\n"
                     "out = (-y.mean(), -y.max(), -y.min())"),
        checks=("forward", "jit"),
        tol=Tol(0.0, 1e-3, "mean of 200,000 uniform slopes: 5 standard errors (5 * 0.0577 / sqrt(200000) = 6.5e-4); "
                           "the extremes lie within 1e-5 of the bounds"),
        notes=("In training mode (a module's default) each negative element gets its own slope drawn from "
               "U(lower, upper); compared through the slopes' mean and range (different generators).",
               _RRELU_EVAL + " (torch.nn.functional.rrelu, checked value for value)", _KEY),
        reason="the slopes are random in training mode: draw them with an explicit key (example); in eval mode "
               "write jnp.where(x > 0, x, x * (lower + upper) / 2)",
    ),
    _inplace("relu_", "relu_(z)", "jax.nn.relu(z)", "jax.nn.relu({input})", "input",
             T("x", "*", normal=True), "caveat", (_SUB,),
             (_subnormal_grad("F.relu(x)", "jax.nn.relu(x)", "0"),)),
    _inplace("elu_", "elu_(z, alpha=0.5)", "jax.nn.elu(z, alpha=0.5)", "jax.nn.elu({input}, alpha={alpha})",
             "input, alpha=1.0", T("x", "*", low=-6, high=6, normal=True), "caveat", (_SUB,),
             (_subnormal_grad("F.elu(x, alpha=0.5)", "jax.nn.elu(x, alpha=0.5)", "0.5"),)),
    _inplace("celu_", "celu_(z, alpha=0.5)", "jax.nn.celu(z, alpha=0.5)", "jax.nn.celu({input}, alpha={alpha})",
             "input, alpha=1.0", T("x", "*", low=-6, high=6)),
    _inplace("selu_", "selu_(z)", "jax.nn.selu(z)", "jax.nn.selu({input})", "input",
             T("x", "*", low=-6, high=6, normal=True), "caveat", (_SUB,),
             (Difference(note="gradient at a subnormal x = 1e-40: torch 1.0507 (x > 0), JAX 1.7581 (flushed to 0)",
                         torch="x = torch.tensor([1e-40], requires_grad=True)\nF.selu(x).sum().backward()\n"
                               "out = x.grad",
                         jax="out = jax.grad(lambda x: jax.nn.selu(x).sum())(jnp.array([1e-40]))",
                         min_diff=0.7),)),
    _inplace("leaky_relu_", "leaky_relu_(z, 0.2)", "jnp.where(z > 0, z, z * 0.2)",
             "jnp.where({input} > 0, {input}, {input} * {negative_slope})", "input, negative_slope=0.01",
             T("x", "*", normal=True), "caveat", (_SUB,),
             (_subnormal_grad("F.leaky_relu(x, 0.2)", "jnp.where(x > 0, x, x * 0.2)", "0.2"),)),
    _inplace("hardtanh_", "hardtanh_(z, -2.0, 0.5)", "jnp.where(z <= -2.0, -2.0, jnp.where(z >= 0.5, 0.5, z))",
             "jnp.where({input} <= {min_val}, {min_val}, jnp.where({input} >= {max_val}, {max_val}, {input}))",
             "input, min_val=-1.0, max_val=1.0", T("x", "*"),
             notes=("torch's gradient is 0 at and beyond the bounds; the nested jnp.where matches it (see "
                    "torch.nn.functional.hardtanh).",)),
    _inplace("threshold_", "threshold_(z, 0.5, -1.0)", "jnp.where(z > 0.5, z, -1.0)",
             "jnp.where({input} > {threshold}, {input}, {value})", "input, threshold, value", T("x", "*", unique=True)),
    _inplace("rrelu_", "rrelu_(z, 0.1, 0.3)", "jnp.where(z > 0, z, z * ((0.1 + 0.3) / 2))",
             "jnp.where({input} > 0, {input}, {input} * (({lower} + {upper}) / 2))",
             "input, lower=1.0 / 8, upper=1.0 / 3, training=False", T("x", "*", normal=True), "caveat",
             (_RRELU_EVAL, _SUB), (_subnormal_grad("F.rrelu(x, 0.1, 0.3)", "jnp.where(x > 0, x, x * 0.2)", "0.2"),)),
]
