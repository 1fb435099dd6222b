"""`torch.nn.init` -> `jax.nn.initializers` (and `jax.random`) called with an explicit key and shape.

torch fills a tensor in place; JAX returns a new array, so the rewrites read `w = init(...)`.
Random initialisers are checked by statistics of 500k draws (streams differ), the constant ones
value for value. Weights keep torch's layout, [out, in, *kernel]: fan-based initialisers get
`in_axis=1, out_axis=0` (flax kernels are [*kernel, in, out], JAX's default axes).
"""

from mapping.record import Choice, Difference, Record, T, Tol

_GENERATOR = "JAX has no generator objects: pass (and split) a key instead"
# Square of torch.nn.init.calculate_gain(nonlinearity); leaky_relu's is divided by 1 + a**2 in the template.
_GAIN2 = {"'leaky_relu'": "2.0", "'relu'": "2.0", "'linear'": "1.0", "'sigmoid'": "1.0", "'conv1d'": "1.0",
          "'conv2d'": "1.0", "'conv3d'": "1.0", "'conv_transpose1d'": "1.0", "'conv_transpose2d'": "1.0",
          "'conv_transpose3d'": "1.0", "'tanh'": "25 / 9", "'selu'": "9 / 16"}
_IN_PLACE = "torch fills the tensor in place and returns it; JAX returns a new array: assign it."
_STREAMS = "Random streams differ: only the distribution is the same."
_TOL_U = Tol(0.0, 0.0041, "500k draws: 5 standard errors of the mean of U(-1, 1) in units of the bound "
                          "(8.2e-4); std and max are tighter")
_TOL_N = Tol(0.0, 0.0071, "500k draws: 5 standard errors of the mean in units of the std (1.4e-3); "
                          "std and tail fraction are tighter")

RECORDS = [
    Record(
        torch="torch.nn.init.uniform_",
        jax="jax.random.uniform",
        status="caveat",
        torch_example=(
            "w = torch.empty(1000, 500)\n"
            "w = nn.init.uniform_(w, a=-0.5, b=1.5)\n"
            "out = (w.mean(), w.std(), w.min(), w.max())"
        ),
        jax_example=(
            "w = jnp.empty((1000, 500))\n"
            "w = jax.random.uniform(key, w.shape, minval=-0.5, maxval=1.5)\n"
            "out = (w.mean(), w.std(ddof=1), w.min(), w.max())"
        ),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.0041, "500k draws of U(-0.5, 1.5): 5 standard errors of the mean (8.2e-4); std, min "
                             "and max are tighter"),
        notes=(_STREAMS, _IN_PLACE,
               "jax.nn.initializers.uniform(scale) draws from [0, scale) (default 0.01), not [a, b): use "
               "jax.random.uniform with minval / maxval."),
        differences=(
            Difference(
                note="jax.nn.initializers.uniform() draws from [0, 0.01); nn.init.uniform_ from [0, 1)",
                torch="out = nn.init.uniform_(torch.empty(100_000)).mean()",
                jax="out = jax.nn.initializers.uniform()(jax.random.key(0), (100_000,)).mean()",
                min_diff=0.4,
            ),
        ),
        sig="tensor, a=0.0, b=1.0, generator=None",
        template="jax.random.uniform(key, {tensor}.shape, minval={a}, maxval={b})",
        unsupported_args={"generator": _GENERATOR},
    ),
    Record(
        torch="torch.nn.init.normal_",
        jax="jax.nn.initializers.normal",
        status="caveat",
        torch_example=(
            "w = torch.empty(1000, 500)\n"
            "w = nn.init.normal_(w, mean=0.5, std=0.5)\n"
            "out = (w.mean(), w.std(), ((w - 0.5).abs() < 0.5).float().mean())"
        ),
        jax_example=(
            "w = jnp.empty((1000, 500))\n"
            "w = 0.5 + jax.nn.initializers.normal(0.5)(key, w.shape)\n"
            "out = (w.mean(), w.std(ddof=1), (jnp.abs(w - 0.5) < 0.5).astype(jnp.float32).mean())"
        ),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.0036, "500k draws of N(0.5, 0.5): 5 standard errors of the mean (7.1e-4); std and "
                             "P(|w - mean| < std) are tighter"),
        notes=(_STREAMS, _IN_PLACE,
               "jax.nn.initializers.normal(stddev) has mean 0 and stddev 0.01 by default; torch's normal_ has "
               "std 1."),
        differences=(
            Difference(
                note="jax.nn.initializers.normal() has stddev 0.01; nn.init.normal_ has std 1",
                torch="out = nn.init.normal_(torch.empty(100_000)).std()",
                jax="out = jax.nn.initializers.normal()(jax.random.key(0), (100_000,)).std()",
                min_diff=0.9,
            ),
        ),
        sig="tensor, mean=0.0, std=1.0, generator=None",
        template="{mean} + jax.nn.initializers.normal({std})(key, {tensor}.shape)",
        unsupported_args={"generator": _GENERATOR},
    ),
    Record(
        torch="torch.nn.init.constant_",
        jax="jax.nn.initializers.constant",
        torch_example="out = nn.init.constant_(w, v)",
        jax_example="out = jax.nn.initializers.constant(v)(key, w.shape)",
        inputs=(T("w", "N,M", grad=False), Choice("v", (0.5, -2.0, 0.0))),
        checks=("forward", "jit"),
        why_not={"grad": "an initializer: it overwrites w under no_grad; the output does not depend on w's values"},
        sizes=(0, 4),
        notes=(_IN_PLACE, "As a flax initializer: nnx.Linear(..., bias_init=jax.nn.initializers.constant(v))."),
        sig="tensor, val",
        template="jax.nn.initializers.constant({val})(key, {tensor}.shape)",
    ),
    Record(
        torch="torch.nn.init.zeros_",
        jax="jax.nn.initializers.zeros",
        torch_example="out = nn.init.zeros_(w)",
        jax_example="out = jax.nn.initializers.zeros(key, w.shape, w.dtype)",
        inputs=(T("w", "*", grad=False),),
        checks=("forward", "jit", "bf16"),
        why_not={"grad": "an initializer: it overwrites w under no_grad; the output does not depend on w's values"},
        sizes=(0, 4),
        notes=(_IN_PLACE, "jnp.zeros_like(w) is the same array; jax.nn.initializers.zeros is the form "
               "flax's *_init arguments take."),
        sig="tensor",
        template="jax.nn.initializers.zeros(key, {tensor}.shape, {tensor}.dtype)",
    ),
    Record(
        torch="torch.nn.init.ones_",
        jax="jax.nn.initializers.ones",
        torch_example="out = nn.init.ones_(w)",
        jax_example="out = jax.nn.initializers.ones(key, w.shape, w.dtype)",
        inputs=(T("w", "*", grad=False),),
        checks=("forward", "jit", "bf16"),
        why_not={"grad": "an initializer: it overwrites w under no_grad; the output does not depend on w's values"},
        sizes=(0, 4),
        notes=(_IN_PLACE, "jnp.ones_like(w) is the same array; jax.nn.initializers.ones is the form "
               "flax's *_init arguments take."),
        sig="tensor",
        template="jax.nn.initializers.ones(key, {tensor}.shape, {tensor}.dtype)",
    ),
    Record(
        torch="torch.nn.init.eye_",
        jax="jax.numpy.eye",
        torch_example="out = nn.init.eye_(w)",
        jax_example="out = jnp.eye(*w.shape)",
        inputs=(T("w", "N,M", grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "an initializer: it overwrites w under no_grad; the output does not depend on w's values"},
        sizes=(0, 4),
        notes=(_IN_PLACE, "2-D only, as in torch. JAX has no eye initializer: jnp.eye builds it."),
        sig="tensor",
        template="jnp.eye(*{tensor}.shape)",
    ),
    Record(
        torch="torch.nn.init.xavier_uniform_",
        jax="jax.nn.initializers.variance_scaling",
        status="caveat",
        torch_example=(
            "w = torch.empty(1000, 500)\n"
            "w = nn.init.xavier_uniform_(w, gain=1.5)\n"
            "b = 1.5 * (6 / (1000 + 500)) ** 0.5\n"
            "out = (w.mean() / b, w.std() / b, w.abs().max() / b)"
        ),
        jax_example=(
            "w = jnp.empty((1000, 500))\n"
            "w = jax.nn.initializers.variance_scaling(1.5 ** 2, 'fan_avg', 'uniform', in_axis=1, out_axis=0)(key, "
            "w.shape)\n"
            "b = 1.5 * (6 / (1000 + 500)) ** 0.5\n"
            "out = (w.mean() / b, w.std(ddof=1) / b, jnp.abs(w).max() / b)"
        ),
        checks=("forward", "jit"),
        tol=_TOL_U,
        notes=(_STREAMS, _IN_PLACE,
               "U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)): variance_scaling(gain ** 2, 'fan_avg', "
               "'uniform'). With gain 1 it is jax.nn.initializers.glorot_uniform (xavier_uniform).",
               "in_axis=1, out_axis=0 read torch's [out, in, *kernel] layout; the kernel dimensions count in "
               "both fans, as in torch."),
        sig="tensor, gain=1.0, generator=None",
        template="jax.nn.initializers.variance_scaling({gain} ** 2, 'fan_avg', 'uniform', in_axis=1, out_axis=0)"
                 "(key, {tensor}.shape)",
        unsupported_args={"generator": _GENERATOR},
    ),
    Record(
        torch="torch.nn.init.xavier_normal_",
        jax="jax.nn.initializers.variance_scaling",
        status="caveat",
        torch_example=(
            "w = torch.empty(1000, 500)\n"
            "w = nn.init.xavier_normal_(w, gain=1.5)\n"
            "s = 1.5 * (2 / (1000 + 500)) ** 0.5\n"
            "out = (w.mean() / s, w.std() / s, (w.abs() > 2 * s).float().mean())"
        ),
        jax_example=(
            "w = jnp.empty((1000, 500))\n"
            "w = jax.nn.initializers.variance_scaling(1.5 ** 2, 'fan_avg', 'normal', in_axis=1, out_axis=0)(key, "
            "w.shape)\n"
            "s = 1.5 * (2 / (1000 + 500)) ** 0.5\n"
            "out = (w.mean() / s, w.std(ddof=1) / s, (jnp.abs(w) > 2 * s).astype(jnp.float32).mean())"
        ),
        checks=("forward", "jit"),
        tol=_TOL_N,
        notes=(_STREAMS, _IN_PLACE,
               "N(0, s) with s = gain * sqrt(2 / (fan_in + fan_out)): variance_scaling(gain ** 2, 'fan_avg', "
               "'normal'). jax.nn.initializers.glorot_normal draws from a TRUNCATED normal (same variance, no "
               "values beyond about 2.3 s): not torch's distribution.",),
        differences=(
            Difference(
                note="glorot_normal truncates at ~2.3 std: no weights beyond 2.5 std, where torch has 1.2%",
                torch="w = nn.init.xavier_normal_(torch.empty(1000, 500))\n"
                      "out = (w.abs() > 2.5 * (2 / 1500) ** 0.5).float().mean()",
                jax="w = jax.nn.initializers.glorot_normal(in_axis=1, out_axis=0)(jax.random.key(0), (1000, 500))\n"
                    "out = (jnp.abs(w) > 2.5 * (2 / 1500) ** 0.5).astype(jnp.float32).mean()",
                min_diff=0.01,
            ),
        ),
        sig="tensor, gain=1.0, generator=None",
        template="jax.nn.initializers.variance_scaling({gain} ** 2, 'fan_avg', 'normal', in_axis=1, out_axis=0)"
                 "(key, {tensor}.shape)",
        unsupported_args={"generator": _GENERATOR},
    ),
    Record(
        torch="torch.nn.init.kaiming_uniform_",
        jax="jax.nn.initializers.variance_scaling",
        status="caveat",
        torch_example=(
            "w = torch.empty(1000, 500)\n"
            "w = nn.init.kaiming_uniform_(w, a=0.2)\n"
            "b = (2 / (1 + 0.2 ** 2)) ** 0.5 * (3 / 500) ** 0.5\n"
            "out = (w.mean() / b, w.std() / b, w.abs().max() / b)"
        ),
        jax_example=(
            "w = jnp.empty((1000, 500))\n"
            "w = jax.nn.initializers.variance_scaling(2.0 / (1 + 0.2 ** 2), 'fan_in', 'uniform', in_axis=1, "
            "out_axis=0)(key, w.shape)\n"
            "b = (2 / (1 + 0.2 ** 2)) ** 0.5 * (3 / 500) ** 0.5\n"
            "out = (w.mean() / b, w.std(ddof=1) / b, jnp.abs(w).max() / b)"
        ),
        checks=("forward", "jit"),
        tol=_TOL_U,
        notes=(_STREAMS, _IN_PLACE,
               "U(-b, b) with b = gain * sqrt(3 / fan): variance_scaling(gain ** 2, mode, 'uniform'). "
               "jax.nn.initializers.he_uniform (kaiming_uniform) is the relu / a=0 case.",
               "The rewrite maps nonlinearity to gain ** 2 and divides by 1 + a ** 2; torch reads a only for "
               "leaky_relu (its default), so pass a only with leaky_relu.",
               "For torch-layout weights keep in_axis=1, out_axis=0 (see the difference under "
               "kaiming_normal_)."),
        sig="tensor, a=0, mode='fan_in', nonlinearity='leaky_relu', generator=None",
        template="jax.nn.initializers.variance_scaling({nonlinearity} / (1 + {a} ** 2), {mode}, 'uniform', in_axis=1, "
                 "out_axis=0)(key, {tensor}.shape)",
        values={"nonlinearity": _GAIN2},
        unsupported_args={"generator": _GENERATOR},
    ),
    Record(
        torch="torch.nn.init.kaiming_uniform_",
        jax="jax.nn.initializers.variance_scaling",
        variant="linear_default",
        status="caveat",
        torch_example=(
            "w = torch.empty(1000, 500)\n"
            "w = nn.init.kaiming_uniform_(w, a=5 ** 0.5)\n"
            "b = 1 / 500 ** 0.5\n"
            "out = (w.mean() / b, w.std() / b, w.abs().max() / b)"
        ),
        jax_example=(
            "w = jnp.empty((1000, 500))\n"
            "w = jax.nn.initializers.variance_scaling(2.0 / (1 + (5 ** 0.5) ** 2), 'fan_in', 'uniform', in_axis=1, "
            "out_axis=0)(key, w.shape)\n"
            "b = 1 / 500 ** 0.5\n"
            "out = (w.mean() / b, w.std(ddof=1) / b, jnp.abs(w).max() / b)"
        ),
        checks=("forward", "jit"),
        tol=_TOL_U,
        notes=(_STREAMS,
               "nn.Linear and nn.Conv* initialise their weight with kaiming_uniform_(a=sqrt(5)), i.e. "
               "U(-1/sqrt(fan_in), 1/sqrt(fan_in)) = variance_scaling(1/3, 'fan_in', 'uniform'), and their "
               "bias with the same bound. nnx.Linear / nnx.Conv default to lecun_normal (a truncated normal "
               "with std 1/sqrt(fan_in)) and zero bias: pass kernel_init / bias_init to reproduce torch."),
        differences=(
            Difference(
                note="nn.Linear weights stay within 1/sqrt(fan_in); nnx.Linear's lecun_normal reaches about 2.3x that",
                torch="m = torch.nn.Linear(500, 1000)\nout = m.weight.abs().max() * 500 ** 0.5",
                jax="m = nnx.Linear(500, 1000, rngs=nnx.Rngs(0))\nout = jnp.abs(m.kernel[...]).max() * 500 ** 0.5",
                min_diff=0.9,
            ),
            Difference(
                note="nn.Linear's bias is U(-1/sqrt(fan_in), 1/sqrt(fan_in)); nnx.Linear's bias starts at zero",
                torch="m = torch.nn.Linear(500, 1000)\nout = m.bias.abs().max() * 500 ** 0.5",
                jax="m = nnx.Linear(500, 1000, rngs=nnx.Rngs(0))\nout = jnp.abs(m.bias[...]).max() * 500 ** 0.5",
                min_diff=0.9,
            ),
        ),
        sig="tensor, a=0, mode='fan_in', nonlinearity='leaky_relu', generator=None",
        template="jax.nn.initializers.variance_scaling({nonlinearity} / (1 + {a} ** 2), {mode}, 'uniform', in_axis=1, "
                 "out_axis=0)(key, {tensor}.shape)",
        values={"nonlinearity": _GAIN2},
        unsupported_args={"generator": _GENERATOR},
    ),
    Record(
        torch="torch.nn.init.kaiming_normal_",
        jax="jax.nn.initializers.variance_scaling",
        status="caveat",
        torch_example=(
            "w = torch.empty(256, 128, 4, 4)\n"
            "w = nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu')\n"
            "s = (2 / (256 * 4 * 4)) ** 0.5\n"
            "out = (w.mean() / s, w.std() / s, (w.abs() > 2 * s).float().mean())"
        ),
        jax_example=(
            "w = jnp.empty((256, 128, 4, 4))\n"
            "w = jax.nn.initializers.variance_scaling(2.0 / (1 + 0 ** 2), 'fan_out', 'normal', in_axis=1, "
            "out_axis=0)(key, w.shape)\n"
            "s = (2 / (256 * 4 * 4)) ** 0.5\n"
            "out = (w.mean() / s, w.std(ddof=1) / s, (jnp.abs(w) > 2 * s).astype(jnp.float32).mean())"
        ),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.0070, "524k draws: 5 standard errors of the mean in units of the std (1.4e-3); std and "
                             "tail fraction are tighter"),
        notes=(_STREAMS, _IN_PLACE,
               "N(0, gain / sqrt(fan)): variance_scaling(gain ** 2, mode, 'normal'). "
               "jax.nn.initializers.he_normal (kaiming_normal) draws from a TRUNCATED normal: not torch's "
               "distribution.",
               "Conv weights: torch's [out, in, kh, kw] has fan_in = in * kh * kw and fan_out = out * kh * kw; "
               "JAX's default axes (in_axis=-2, out_axis=-1) assume flax's [kh, kw, in, out] and get the fans "
               "wrong on a torch-layout array: pass in_axis=1, out_axis=0."),
        differences=(
            Difference(
                note="he_normal with its default axes on a torch-layout conv weight computes the wrong fan: std "
                     "0.0039 instead of 0.031",
                torch="out = nn.init.kaiming_normal_(torch.empty(256, 128, 4, 4), nonlinearity='relu').std()",
                jax="out = jax.nn.initializers.he_normal()(jax.random.key(0), (256, 128, 4, 4)).std()",
                min_diff=0.02,
            ),
        ),
        sig="tensor, a=0, mode='fan_in', nonlinearity='leaky_relu', generator=None",
        template="jax.nn.initializers.variance_scaling({nonlinearity} / (1 + {a} ** 2), {mode}, 'normal', in_axis=1, "
                 "out_axis=0)(key, {tensor}.shape)",
        values={"nonlinearity": _GAIN2},
        unsupported_args={"generator": _GENERATOR},
    ),
    Record(
        torch="torch.nn.init.trunc_normal_",
        jax="jax.nn.initializers.truncated_normal",
        status="caveat",
        torch_example=(
            "w = torch.empty(1000, 500)\n"
            "w = nn.init.trunc_normal_(w, mean=0.1, std=1.0, a=-1.0, b=2.0)\n"
            "out = (w.mean(), w.std(), w.min(), w.max())"
        ),
        jax_example=(
            "w = jnp.empty((1000, 500))\n"
            "w = 0.1 + jax.nn.initializers.truncated_normal(1.0, lower=(-1.0 - 0.1) / 1.0, upper=(2.0 - 0.1) / 1.0)"
            "(key, w.shape)\n"
            "out = (w.mean(), w.std(ddof=1), w.min(), w.max())"
        ),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.0052, "500k draws of N(0.1, 1) cut to [-1, 2] (std 0.73): 5 standard errors of the "
                             "mean (1.0e-3); std, min and max are tighter"),
        notes=(_STREAMS, _IN_PLACE,
               "torch's a and b are ABSOLUTE bounds; jax.nn.initializers.truncated_normal's lower and upper are "
               "in units of stddev around 0 (default -2, 2). The rewrite converts: (a - mean) / std.",
               "Neither rescales the standard deviation after cutting."),
        differences=(
            Difference(
                note="trunc_normal_(std=0.02) keeps the bounds +-2 (100 std: no cut); truncated_normal(0.02) "
                     "cuts at +-2 std = +-0.04",
                torch="out = nn.init.trunc_normal_(torch.empty(100_000), std=0.02).abs().max()",
                jax="out = jnp.abs(jax.nn.initializers.truncated_normal(0.02)(jax.random.key(0), (100_000,))).max()",
                min_diff=0.03,
            ),
        ),
        sig="tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None",
        template="{mean} + jax.nn.initializers.truncated_normal({std}, lower=({a} - {mean}) / {std}, "
                 "upper=({b} - {mean}) / {std})(key, {tensor}.shape)",
        unsupported_args={"generator": _GENERATOR},
    ),
    Record(
        torch="torch.nn.init.orthogonal_",
        jax="jax.nn.initializers.orthogonal",
        status="caveat",
        torch_example=(
            "w = nn.init.orthogonal_(w, gain=g)\n"
            "out = w @ w.T if w.shape[0] <= w.shape[1] else w.T @ w"
        ),
        jax_example=(
            "w = jax.nn.initializers.orthogonal(g, column_axis=0)(key, w.shape)\n"
            "out = w @ w.T if w.shape[0] <= w.shape[1] else w.T @ w"
        ),
        inputs=(T("w", "R,C", grad=False), Choice("g", (1.0, 2.0))),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=Tol(0.0, 2e-5, "Q of a float32 QR: W W^T equals gain^2 I to a few ulp (different matrices, "
                           "same property)"),
        sizes=(1, 6),
        notes=(_STREAMS, _IN_PLACE,
               "Checked: the rows (if fewer than the columns) or the columns are orthonormal, times gain. "
               "torch flattens [out, in, *kernel] to out x rest; column_axis=0 makes JAX treat the out axis the "
               "same way (its default, -1, suits flax's [*, in, out] kernels)."),
        sig="tensor, gain=1, generator=None",
        template="jax.nn.initializers.orthogonal({gain}, column_axis=0)(key, {tensor}.shape)",
        unsupported_args={"generator": _GENERATOR},
    ),
]
