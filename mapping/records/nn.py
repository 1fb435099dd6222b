"""`torch.nn` modules -> `flax.nnx` modules (or plain functions), verified with transferred weights.

Each torch example builds `m` and calls it; the JAX example builds the NNX module, loads the torch
`state_dict` (`sd`, torch layout) with a converter from `mapping.convert`, and calls it the same way.
Layers that flax.nnx writes channels-last (Conv, ConvTranspose, GroupNorm, pools) get NCHW -> NHWC
transposes around the call in the JAX example: in a ported model, keep the data NHWC throughout.
Parameter-free modules map to functions (`jax.nn.relu`, a lambda).
"""

from mapping.record import Choice, Difference, Dim, Record, T, Tol

NO_DEVICE = {"device": "JAX places arrays with jax.device_put / shardings",
             "dtype": "pass param_dtype= (and dtype= for the computation) to the NNX module"}

# Inputs of the batch-statistics norms are drawn distinct; this is why.
CONSTANT_GROUP = ("On a constant group (zero variance) the output is (x - mean) / sqrt(eps): torch's mean of equal "
                  "values is off by an ulp and the 1/sqrt(eps) = 316 factor turns that into up to 2.7e-5 "
                  "(measured for 2.9 repeated), where JAX returns exactly 0.")
# Found by torch's module_db inputs (mapping/OPINFO_MODULES.md).
BN_EMPTY_NOTE = ("An empty batch (N = 0) in training mode: torch leaves running_mean / running_var as they were, "
                 "nnx.BatchNorm sets them to nan (the mean of no values).")
BN_EMPTY = Difference(
    note="an empty batch: torch keeps the running statistics, nnx.BatchNorm makes them nan (1 = nan below)",
    torch="m = nn.BatchNorm1d(2)\nm(torch.zeros(0, 2))\nout = torch.isnan(m.running_mean).float()",
    jax="m = nnx.BatchNorm(2, momentum=0.9, rngs=nnx.Rngs(0))\nm(jnp.zeros((0, 2)))\n"
        "out = jnp.isnan(m.mean[...]).astype(jnp.float32)",
    min_diff=1.0,
)

_PAD_PAIRS = ("An int pads every side; torch's tuple (left, right, top, bottom) lists the last axis first: "
              "np.broadcast_to(padding, (4,)).reshape(2, 2)[::-1] gives jnp.pad's (before, after) pairs in axis "
              "order, for either.")

RECORDS = [
    Record(
        torch="torch.nn.Parameter",
        jax="flax.nnx.Param",
        status="manual",
        torch_example="p = torch.nn.Parameter(x.detach().clone())\nout = (p * 2, p.requires_grad)",
        jax_example="p = nnx.Param(x)\nout = (p[...] * 2, True)",
        inputs=(T("x", "*"),),
        checks=("forward", "jit"),
        why_not={"grad": "builds a new leaf tensor: torch's gradient never flows back to x"},
        notes=("Read the array with p[...] (p.value is deprecated in Flax 0.12).",
               "requires_grad has no JAX counterpart: nnx.grad differentiates every nnx.Param of a module "
               "(choose others with an nnx filter, e.g. nnx.DiffState(0, nnx.Param)); freeze a parameter by "
               "making it an nnx.Variable of another type or by jax.lax.stop_gradient where it is used."),
        reason="a Parameter only means something as a module attribute: assign `self.w = nnx.Param(value)` "
               "in an nnx.Module's __init__ (see torch.nn.Module in the patterns), and gradients come from "
               "nnx.grad / nnx.value_and_grad instead of .grad",
    ),
    # Linear layers ------------------------------------------------------------------------------
    Record(
        torch="torch.nn.Linear",
        jax="flax.nnx.Linear",
        torch_example="m = nn.Linear(4, 5)\nout = m(x)",
        jax_example=(
            "from mapping.convert import load_linear\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Linear(4, 5, use_bias=True, rngs=rngs)\n"
            "load_linear(m, sd)\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,4"),),
        notes=("nnx.Linear stores its kernel as [in, out]; torch's weight is [out, in].",
               "Initialisation differs: torch uses kaiming-uniform(a=sqrt(5)); nnx uses lecun-normal."),
        sig="in_features, out_features, bias=True, device=None, dtype=None",
        template="nnx.Linear({in_features}, {out_features}, use_bias={bias}, rngs=rngs)",
        unsupported_args=NO_DEVICE,
    ),
    Record(
        torch="torch.nn.Bilinear",
        jax="jax.numpy.einsum",
        status="manual",
        torch_example="m = nn.Bilinear(3, 4, 5)\nout = m(x1, x2)",
        jax_example='out = jnp.einsum("ni,oij,nj->no", x1, sd["weight"], x2) + sd["bias"][None, :]',
        inputs=(T("x1", "N,3"), T("x2", "N,4")),
        sig="in1_features, in2_features, out_features, bias=True, device=None, dtype=None",
        reason="flax.nnx has no Bilinear layer: keep torch's weight [out, in1, in2] as an nnx.Param in "
               "your module and compute jnp.einsum('ni,oij,nj->no', x1, w, x2) + b",
    ),
    # Convolutions -------------------------------------------------------------------------------
    Record(
        torch="torch.nn.Conv1d",
        jax="flax.nnx.Conv",
        torch_example="m = nn.Conv1d(4, 6, 4, padding=p)\nout = m(x)",
        status="caveat",
        jax_example=(
            "from mapping.convert import load_conv\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Conv(4, 6, 4, strides=1, padding=p, kernel_dilation=1, feature_group_count=1, "
            "use_bias=True, rngs=rngs)\n"
            "load_conv(m, sd)\n"
            "y = m(jnp.transpose(x, (0, 2, 1)))  # NCL -> NLC: nnx.Conv is channels-last\n"
            "out = jnp.transpose(y, (0, 2, 1))"
        ),
        inputs=(T("x", "N,4,L"), Choice("p", (0, 1, "same", "valid"))),
        sizes=(4, 7),
        notes=("Layout: the rewrite builds a channels-last module, while torch code passes NCHW; called on NCHW "
               "data it raises or, when the sizes line up, gives wrong values (nnx.Conv(3, 8, (3, 3)) on a "
               "(2, 3, 3, 3) batch returns shape (2, 1, 1, 8) instead of (2, 8, 1, 1)): transpose at each "
               "call, as the JAX example does. --fix leaves it to you (caveat).",
               "nnx.Conv is channels-last (NLC); torch is NCL. The kernel is [k, in, out] vs torch's [out, in, k].",
               "nnx.Conv defaults to padding='SAME'; torch to padding=0 ('VALID'): always pass padding.",
               "padding='same' / 'valid' pass through as is (lax reads them case-insensitively); for an even "
               "kernel both put the odd extra pad at the end."),
        differences=(
            Difference(
                note="nnx.Conv pads 'SAME' by default; torch.nn.Conv1d pads 0: the output is longer",
                torch="out = np.array(nn.Conv1d(4, 6, 3)(torch.zeros(1, 4, 8)).shape[2:])",
                jax="out = np.array(nnx.Conv(4, 6, 3, rngs=nnx.Rngs(0))(jnp.zeros((1, 8, 4))).shape[1:2])",
                min_diff=2,
            ),
        ),
        sig="in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, "
            "padding_mode='zeros', device=None, dtype=None",
        template="nnx.Conv({in_channels}, {out_channels}, {kernel_size}, strides={stride}, padding={padding}, "
                 "kernel_dilation={dilation}, feature_group_count={groups}, use_bias={bias}, rngs=rngs)",
        unsupported_args={"padding_mode": "nnx.Conv pads with zeros: pad with jnp.pad(mode='reflect'|'wrap'|'edge') "
                                          "first and pass padding=0", **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.Conv2d",
        jax="flax.nnx.Conv",
        torch_example="m = nn.Conv2d(4, 6, 3, stride=s, padding=p, dilation=d, groups=g)\nout = m(x)",
        status="caveat",
        jax_example=(
            "from mapping.convert import load_conv\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Conv(4, 6, (3, 3), strides=s, padding=p, kernel_dilation=d, feature_group_count=g, "
            "use_bias=True, rngs=rngs)\n"
            "load_conv(m, sd)\n"
            "y = m(jnp.transpose(x, (0, 2, 3, 1)))  # NCHW -> NHWC: nnx.Conv is channels-last\n"
            "out = jnp.transpose(y, (0, 3, 1, 2))"
        ),
        inputs=(T("x", "N,4,H,W"), Choice("s", (1, 2)), Choice("p", (0, 1, 2)), Choice("d", (1, 2)),
                Choice("g", (1, 2))),
        sizes=(5, 7),
        notes=("Layout: the rewrite builds a channels-last module, while torch code passes NCHW; called on NCHW "
               "data it raises or, when the sizes line up, gives wrong values (nnx.Conv(3, 8, (3, 3)) on a "
               "(2, 3, 3, 3) batch returns shape (2, 1, 1, 8) instead of (2, 8, 1, 1)): transpose at each "
               "call, as the JAX example does. --fix leaves it to you (caveat).",
               "nnx.Conv is channels-last (NHWC); torch is NCHW. The kernel is [kh, kw, in/groups, out] vs "
               "torch's [out, in/groups, kh, kw] (load_conv transposes it).",
               "nnx.Conv defaults to padding='SAME'; torch to padding=0 ('VALID'): always pass padding.",
               "The rewrite assumes an int kernel_size; a tuple (kh, kw) is passed as is.",
               "padding='same' / 'valid' pass through as is (see torch.nn.Conv1d, which tests them)."),
        differences=(
            Difference(
                note="nnx.Conv pads 'SAME' by default; torch.nn.Conv2d pads 0: the output is larger",
                torch="out = np.array(nn.Conv2d(4, 6, 3)(torch.zeros(1, 4, 5, 5)).shape[2:])",
                jax="out = np.array(nnx.Conv(4, 6, (3, 3), rngs=nnx.Rngs(0))(jnp.zeros((1, 5, 5, 4))).shape[1:3])",
                min_diff=2,
            ),
        ),
        sig="in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, "
            "padding_mode='zeros', device=None, dtype=None",
        template="nnx.Conv({in_channels}, {out_channels}, ({kernel_size}, {kernel_size}), strides={stride}, "
                 "padding={padding}, kernel_dilation={dilation}, feature_group_count={groups}, use_bias={bias}, "
                 "rngs=rngs)",
        unsupported_args={"padding_mode": "nnx.Conv pads with zeros: pad with jnp.pad(mode='reflect'|'wrap'|'edge') "
                                          "first and pass padding=0", **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.ConvTranspose2d",
        jax="flax.nnx.ConvTranspose",
        torch_example=(
            "m = nn.ConvTranspose2d(4, 6, 3, stride=s, padding=p, output_padding=op, dilation=d)\n"
            "out = m(x)"
        ),
        status="caveat",
        jax_example=(
            "from mapping.convert import conv_transpose_padding, load_conv_transpose\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.ConvTranspose(4, 6, (3, 3), strides=s, "
            "padding=conv_transpose_padding((3, 3), p, op, d), kernel_dilation=d, transpose_kernel=True, "
            "use_bias=True, rngs=rngs)\n"
            "load_conv_transpose(m, sd)\n"
            "y = m(jnp.transpose(x, (0, 2, 3, 1)))  # NCHW -> NHWC: nnx.ConvTranspose is channels-last\n"
            "out = jnp.transpose(y, (0, 3, 1, 2))"
        ),
        inputs=(T("x", "N,4,H,W"), Choice("s", (2, 3)), Choice("p", (0, 1, 2)), Choice("op", (0, 1)),
                Choice("d", (1, 2))),
        sizes=(2, 5),
        notes=("Layout: the rewrite builds a channels-last module, while torch code passes NCHW; called on NCHW "
               "data it raises or, when the sizes line up, gives wrong values (nnx.Conv(3, 8, (3, 3)) on a "
               "(2, 3, 3, 3) batch returns shape (2, 1, 1, 8) instead of (2, 8, 1, 1)): transpose at each "
               "call, as the JAX example does. --fix leaves it to you (caveat).",
               "padding means different things: torch's `padding` removes `padding` rows from each side of the "
               "full transposed convolution; nnx.ConvTranspose pads the stride-dilated input by exactly what it "
               "is given. conv_transpose_padding turns torch's padding / output_padding / dilation into nnx's "
               "explicit pairs: (d*(k-1) - p, d*(k-1) - p + output_padding). 'SAME'/'VALID' do not match torch.",
               "With transpose_kernel=True the NNX kernel is torch's weight [in, out, kh, kw] moved to "
               "[kh, kw, out, in] and NNX flips it; load_conv_transpose also handles transpose_kernel=False "
               "(it stores the flipped kernel [kh, kw, in, out]).",
               "nnx.ConvTranspose has no feature_group_count: groups > 1 has no NNX equivalent "
               "(split the channels and concatenate, or use lax.conv_transpose per group)."),
        sig="in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, "
            "dilation=1, padding_mode='zeros', device=None, dtype=None",
        template="nnx.ConvTranspose({in_channels}, {out_channels}, ({kernel_size}, {kernel_size}), strides={stride}, "
                 "padding=conv_transpose_padding(({kernel_size}, {kernel_size}), {padding}, {output_padding}, "
                 "{dilation}), kernel_dilation={dilation}, transpose_kernel=True, use_bias={bias}, rngs=rngs)",
        unsupported_args={"groups": "nnx.ConvTranspose has no feature_group_count",
                          "padding_mode": "torch only allows 'zeros' here", **NO_DEVICE},
    ),
    # Embedding ----------------------------------------------------------------------------------
    Record(
        torch="torch.nn.Embedding",
        jax="flax.nnx.Embed",
        torch_example="m = nn.Embedding(10, 3)\nout = m(idx)",
        jax_example=(
            "from mapping.convert import load_embedding\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Embed(10, 3, rngs=rngs)\n"
            "load_embedding(m, sd)\n"
            "out = m(idx)"
        ),
        inputs=(T("idx", "N,L", dtype="int64", low=0, high=10),),
        sizes=(0, 4),
        notes=("Same layout [num_embeddings, dim]. Initialisation differs: torch N(0, 1), nnx variance-scaling "
               "normal with std 1/sqrt(dim).",
               "An index out of range raises in torch; nnx.Embed (jnp.take) returns NaN rows silently.",
               "padding_idx has no NNX counterpart: see the torch.nn.Embedding[padding_idx] entry."),
        differences=(
            Difference(
                note="an out-of-range index raises in torch; nnx.Embed returns a row of NaN",
                torch="out = nn.Embedding(10, 3)(torch.tensor([10]))",
                jax="out = nnx.Embed(10, 3, rngs=nnx.Rngs(0))(jnp.array([10]))",
                torch_raises="IndexError",
            ),
        ),
        sig="num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, "
            "scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None",
        template="nnx.Embed({num_embeddings}, {embedding_dim}, rngs=rngs)",
        unsupported_args={
            "padding_idx": "nnx.Embed has no padding_idx: see the torch.nn.Embedding[padding_idx] entry",
            "max_norm": "torch renormalises the looked-up rows in place; do it explicitly on the output",
            "scale_grad_by_freq": "no NNX option: scale the gradient rows by 1/count yourself",
            "sparse": "JAX gradients are dense",
            "_weight": "load the weight with mapping.convert.load_embedding",
            "_freeze": "freeze by excluding the parameter from the optimizer (optax.masked / nnx filters)",
            **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.Embedding",
        jax="flax.nnx.Embed + stop_gradient on padding positions",
        variant="padding_idx",
        status="manual",
        torch_example="m = nn.Embedding(10, 3, padding_idx=0)\nout = m(idx)",
        jax_example=(
            "from mapping.convert import load_embedding\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Embed(10, 3, rngs=rngs)\n"
            "load_embedding(m, sd)\n"
            "y = m(idx)\n"
            "out = jnp.where((idx == 0)[..., None], lax.stop_gradient(y), y)  # no gradient into the padding row"
        ),
        inputs=(T("idx", "N,L", dtype="int64", low=0, high=4),),
        notes=("torch initialises the padding row to zeros (the loaded weight carries them) and never gives it a "
               "gradient. Wrapping the outputs at padding positions in stop_gradient does the same, so the row "
               "stays zero under any optimizer without weight decay.",),
        sig="num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, "
            "scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None",
        reason="nnx.Embed has no padding_idx: initialise that row to zero and stop its gradient where the input "
               "is the padding index (jnp.where(idx == pad, lax.stop_gradient(y), y)); a call-site rewrite "
               "cannot reach the forward pass",
    ),
    # Normalisation ------------------------------------------------------------------------------
    Record(
        torch="torch.nn.LayerNorm",
        jax="flax.nnx.LayerNorm",
        torch_example="m = nn.LayerNorm(8)\nout = m(x)",
        jax_example=(
            "from mapping.convert import load_norm\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.LayerNorm(8, epsilon=1e-5, use_scale=True, use_bias=True, use_fast_variance=False, "
            "rngs=rngs)\n"
            "load_norm(m, sd)\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,L,8", unique=True),),
        notes=("nnx.LayerNorm's epsilon defaults to 1e-6, torch's eps to 1e-5: pass epsilon=1e-5.",
               "nnx computes the variance as E[x^2] - E[x]^2 by default (use_fast_variance=True), which loses "
               "precision when |mean| >> std (0.36 off for 1000 + linspace(-1, 1)); torch subtracts the mean "
               "first: pass use_fast_variance=False.",
               "A tuple normalized_shape (several trailing axes) needs reduction_axes/feature_axes and a "
               "reshaped weight; the rewrite covers an int.",
               CONSTANT_GROUP),
        differences=(
            Difference(
                note="nnx.LayerNorm defaults to epsilon=1e-6 (torch 1e-5): visible on low-variance rows",
                torch="out = nn.LayerNorm(8)(torch.linspace(0, 0.01, 8))",
                jax="out = nnx.LayerNorm(8, rngs=nnx.Rngs(0))(jnp.linspace(0, 0.01, 8))",
                min_diff=0.3,
            ),
            Difference(
                note="nnx.LayerNorm's default fast variance (E[x^2] - E[x]^2) cancels catastrophically when "
                     "|mean| >> std",
                torch="out = nn.LayerNorm(16)(1000 + torch.linspace(-1, 1, 16))",
                jax="out = nnx.LayerNorm(16, epsilon=1e-5, rngs=nnx.Rngs(0))(1000 + jnp.linspace(-1, 1, 16))",
                min_diff=0.1,
            ),
        ),
        sig="normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, device=None, dtype=None",
        template="nnx.LayerNorm({normalized_shape}, epsilon={eps}, use_scale={elementwise_affine}, use_bias={bias}, "
                 "use_fast_variance=False, rngs=rngs)",
        unsupported_args={"elementwise_affine": "elementwise_affine=False: torch then has neither weight nor bias "
                                                "(whatever bias= says); pass use_scale=False, use_bias=False",
                          **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.RMSNorm",
        jax="flax.nnx.RMSNorm",
        torch_example="m = nn.RMSNorm(8)\nout = m(x)",
        jax_example=(
            "from mapping.convert import load_norm\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.RMSNorm(8, epsilon=jnp.finfo(jnp.float32).eps, use_scale=True, rngs=rngs)\n"
            "load_norm(m, sd)\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,L,8"),),
        notes=("torch's eps=None means torch.finfo(input.dtype).eps (1.19e-7 in float32, 7.8e-3 in bfloat16); "
               "nnx.RMSNorm's epsilon defaults to 1e-6.",),
        differences=(
            Difference(
                note="nnx.RMSNorm defaults to epsilon=1e-6; torch's eps=None is finfo(float32).eps = 1.19e-7",
                torch="out = nn.RMSNorm(8)(1e-3 * torch.linspace(-1, 1, 8))",
                jax="out = nnx.RMSNorm(8, rngs=nnx.Rngs(0))(1e-3 * jnp.linspace(-1, 1, 8))",
                min_diff=0.3,
            ),
        ),
        sig="normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None",
        template="nnx.RMSNorm({normalized_shape}, epsilon={eps}, use_scale={elementwise_affine}, rngs=rngs)",
        values={"eps": {"None": "jnp.finfo(jnp.float32).eps"}},
        unsupported_args=NO_DEVICE,
    ),
    Record(
        torch="torch.nn.BatchNorm2d",
        jax="flax.nnx.BatchNorm",
        status="caveat",
        torch_example=(
            "m = nn.BatchNorm2d(3)\n"
            "y = m(x)\n"
            "out = (y, m.running_mean, m.running_var)"
        ),
        jax_example=(
            "from mapping.convert import load_norm\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.BatchNorm(3, axis=1, momentum=1 - 0.1, epsilon=1e-5, use_scale=True, use_bias=True, "
            "use_fast_variance=False, rngs=rngs)\n"
            "load_norm(m, sd)  # weight and bias; the running stats start at (0, 1) as in a fresh torch module\n"
            "y = m(x)\n"
            "# nnx updates var with the biased batch variance, torch with the unbiased one: add the gap\n"
            "n = x.size // x.shape[1]\n"
            "gap = (1 - m.momentum) * jnp.var(x, axis=(0, *range(2, x.ndim))) / (n - 1)\n"
            "m.var.set_value(lax.stop_gradient(m.var[...] + gap))\n"
            "out = (y, m.mean[...], m.var[...])"
        ),
        inputs=(T("x", "N,3,H,W", unique=True),),
        sizes=(2, 4),
        tol=Tol(1e-6, 2e-6, "batch statistics: float32 sums over N*H*W values in different orders"),
        notes=("Training mode. Momentum conventions are inverted: torch's momentum=0.1 weighs the new batch, "
               "nnx's momentum weighs the old running value, so torch 0.1 == nnx 0.9 (nnx defaults to 0.99).",
               "Both normalise with the biased batch variance, but torch updates running_var with the unbiased "
               "one (n/(n-1)) and nnx with the biased one: after one step the running variances differ by "
               "(1 - momentum) * var_batch / (n - 1) (0.018 measured for n = 32 values of variance 5.7), and the "
               "stationary running_var is smaller by the factor (n-1)/n. The JAX example adds the gap by hand; "
               "without it the forward outputs and running_mean match exactly and running_var does not.",
               "nnx.BatchNorm takes axis=1 for channels-first input, so NCHW needs no transpose.",
               "Train/eval: nnx m.train() / m.eval() set use_running_average like torch's m.train() / m.eval().",
               CONSTANT_GROUP, BN_EMPTY_NOTE),
        differences=(
            BN_EMPTY,
            Difference(
                note="torch momentum=0.1 is nnx momentum=0.9: passing 0.1 to nnx.BatchNorm keeps 90% of the batch "
                     "mean instead of 10%",
                torch="m = nn.BatchNorm1d(2)\nm(torch.tensor([[1., 2.], [3., 6.]]))\nout = m.running_mean",
                jax="m = nnx.BatchNorm(2, momentum=0.1, rngs=nnx.Rngs(0))\nm(jnp.array([[1., 2.], [3., 6.]]))\n"
                    "out = m.mean[...]",
                min_diff=3.0,
            ),
            Difference(
                note="nnx.BatchNorm updates the running variance with the biased batch variance; torch with the "
                     "unbiased one",
                torch="m = nn.BatchNorm1d(2)\nm(torch.tensor([[1., 2.], [3., 6.]]))\nout = m.running_var",
                jax="m = nnx.BatchNorm(2, momentum=0.9, rngs=nnx.Rngs(0))\nm(jnp.array([[1., 2.], [3., 6.]]))\n"
                    "out = m.var[...]",
                min_diff=0.39,
            ),
        ),
        sig="num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, "
            "dtype=None, bias=True",
        template="nnx.BatchNorm({num_features}, axis=1, momentum=1 - {momentum}, epsilon={eps}, use_scale={affine}, "
                 "use_bias={affine}, use_fast_variance=False, rngs=rngs)",
        unsupported_args={
            "track_running_stats": "without running statistics torch always normalises with batch statistics: "
                                   "call the nnx module with use_running_average=False in eval too",
            "bias": "bias=False: pass use_bias=False",
            **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.BatchNorm2d",
        jax="flax.nnx.BatchNorm",
        variant="eval",
        torch_example=(
            "m = nn.BatchNorm2d(3)\n"
            "with torch.no_grad():\n"
            "    m.running_mean.copy_(rm)\n"
            "    m.running_var.copy_(rv)\n"
            "m.eval()\n"
            "out = m(x)"
        ),
        jax_example=(
            "from mapping.convert import load_batch_norm\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.BatchNorm(3, axis=1, momentum=1 - 0.1, epsilon=1e-5, use_scale=True, "
            "use_bias=True, use_fast_variance=False, rngs=rngs)\n"
            "load_batch_norm(m, sd)\n"
            "m.eval()\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,3,H,W"), T("rm", "3", grad=False), T("rv", "3", low=0.5, high=2.0, grad=False)),
        sizes=(1, 4),
        notes=("Eval mode normalises with the loaded running statistics: m.eval() in both.",),
        sig="num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, "
            "dtype=None, bias=True",
        template="nnx.BatchNorm({num_features}, axis=1, momentum=1 - {momentum}, epsilon={eps}, use_scale={affine}, "
                 "use_bias={affine}, use_fast_variance=False, rngs=rngs)",
        unsupported_args={
            "track_running_stats": "without running statistics torch always normalises with batch statistics: "
                                   "call the nnx module with use_running_average=False in eval too",
            "bias": "bias=False: pass use_bias=False",
            **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.BatchNorm1d",
        jax="flax.nnx.BatchNorm",
        status="caveat",
        torch_example=(
            "m = nn.BatchNorm1d(4)\n"
            "y = m(x)\n"
            "out = (y, m.running_mean, m.running_var)"
        ),
        jax_example=(
            "from mapping.convert import load_norm\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.BatchNorm(4, axis=1, momentum=1 - 0.1, epsilon=1e-5, use_scale=True, use_bias=True, "
            "use_fast_variance=False, rngs=rngs)\n"
            "load_norm(m, sd)  # weight and bias; the running stats start at (0, 1) as in a fresh torch module\n"
            "y = m(x)\n"
            "# nnx updates var with the biased batch variance, torch with the unbiased one: add the gap\n"
            "n = x.size // x.shape[1]\n"
            "gap = (1 - m.momentum) * jnp.var(x, axis=(0, *range(2, x.ndim))) / (n - 1)\n"
            "m.var.set_value(lax.stop_gradient(m.var[...] + gap))\n"
            "out = (y, m.mean[...], m.var[...])"
        ),
        inputs=(T("x", "N,4", unique=True),),
        sizes=(2, 6),
        notes=("Training mode on (N, C) input; (N, C, L) works the same with axis=1.",
               "Momentum is inverted (torch 0.1 == nnx 0.9) and nnx updates running_var with the biased batch "
               "variance where torch uses the unbiased one: the gap after one step is "
               "(1 - momentum) * var_batch / (n - 1), large for small batches (n = 2: the whole batch term "
               "halves). The JAX example adds it by hand; see torch.nn.BatchNorm2d for both differences.",
               CONSTANT_GROUP, BN_EMPTY_NOTE),
        differences=(BN_EMPTY,),
        sig="num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, "
            "dtype=None, bias=True",
        template="nnx.BatchNorm({num_features}, axis=1, momentum=1 - {momentum}, epsilon={eps}, use_scale={affine}, "
                 "use_bias={affine}, use_fast_variance=False, rngs=rngs)",
        unsupported_args={
            "track_running_stats": "without running statistics torch always normalises with batch statistics: "
                                   "call the nnx module with use_running_average=False in eval too",
            "bias": "bias=False: pass use_bias=False",
            **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.GroupNorm",
        jax="flax.nnx.GroupNorm",
        torch_example="m = nn.GroupNorm(3, 6)\nout = m(x)",
        status="caveat",
        jax_example=(
            "from mapping.convert import load_norm\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.GroupNorm(6, num_groups=3, epsilon=1e-5, use_scale=True, use_bias=True, "
            "use_fast_variance=False, rngs=rngs)\n"
            "load_norm(m, sd)\n"
            "y = m(jnp.transpose(x, (0, 2, 3, 1)))  # NCHW -> NHWC: nnx.GroupNorm groups the last axis\n"
            "out = jnp.transpose(y, (0, 3, 1, 2))"
        ),
        inputs=(T("x", "N,6,H,W", unique=True),),
        # H, W >= 2: a group of 2 values 0.125 apart (H = W = 1) has std 0.06, and the backward's 1/std
        # turned float32 rounding into 1.5e-5 (over the default 1e-5), found by the fuzz profile
        sizes=(2, 4),
        tol=Tol(1e-5, 1e-5, "float32: each group is divided by its std (down to ~0.1 for a tight group), "
                "which scales the 1-ulp rounding of its mean and variance; measured 1.4e-6"),
        grad_tol=Tol(5e-5, 5e-5, "float32: the backward divides by the std once more; measured 1.5e-5 on "
                     "a group with std 0.06"),
        notes=("Layout: nnx.GroupNorm groups the last axis, torch the channel axis 1: on NCHW data it raises or, "
               "when the sizes line up, normalises the wrong groups; transpose at each call, as the JAX example "
               "does. --fix leaves it to you (caveat).",
               "Argument order differs: torch GroupNorm(num_groups, num_channels); nnx GroupNorm(num_features, "
               "num_groups=32). nnx's epsilon defaults to 1e-6 (torch 1e-5).",
               "nnx.GroupNorm takes channels on the last axis; channels are grouped consecutively in both.",
               CONSTANT_GROUP),
        sig="num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None, bias=True",
        template="nnx.GroupNorm({num_channels}, num_groups={num_groups}, epsilon={eps}, use_scale={affine}, "
                 "use_bias={affine}, use_fast_variance=False, rngs=rngs)",
        unsupported_args={"bias": "bias=False: pass use_bias=False", **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.InstanceNorm2d",
        jax="flax.nnx.InstanceNorm",
        torch_example="m = nn.InstanceNorm2d(3, affine=True)\nout = m(x)",
        jax_example=(
            "from mapping.convert import load_norm\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.InstanceNorm(3, feature_axes=1, epsilon=1e-5, use_scale=True, use_bias=True, "
            "use_fast_variance=False, rngs=rngs)\n"
            "load_norm(m, sd)\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,3,H,W", unique=True),),
        sizes=(2, 4),
        notes=("feature_axes=1 normalises NCHW input over H, W directly.",
               "torch's affine defaults to False, nnx's use_scale/use_bias to True; nnx's epsilon to 1e-6 "
               "(torch 1e-5).",
               CONSTANT_GROUP),
        sig="num_features, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False, device=None, "
            "dtype=None, bias=True",
        template="nnx.InstanceNorm({num_features}, feature_axes=1, epsilon={eps}, use_scale={affine}, "
                 "use_bias={affine}, use_fast_variance=False, rngs=rngs)",
        unsupported_args={"track_running_stats": "nnx.InstanceNorm keeps no running statistics",
                          "bias": "bias=False: pass use_bias=False", **NO_DEVICE},
    ),
    *[Record(
        torch=f"torch.nn.InstanceNorm{n}d",
        jax="flax.nnx.InstanceNorm",
        torch_example=f"m = nn.InstanceNorm{n}d(3, affine=True)\nout = m(x)",
        jax_example=(
            "from mapping.convert import load_norm\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.InstanceNorm(3, feature_axes=1, epsilon=1e-5, use_scale=True, use_bias=True, "
            "use_fast_variance=False, rngs=rngs)\n"
            "load_norm(m, sd)\n"
            "out = m(x)"
        ),
        inputs=(T("x", shape, unique=True),),
        sizes=(2, 4) if n == 1 else (2, 3),
        notes=(f"feature_axes=1 normalises {layout} input over the axes after the channels directly, as for "
               "InstanceNorm2d.",
               "torch's affine defaults to False, nnx's use_scale/use_bias to True; nnx's epsilon to 1e-6 "
               "(torch 1e-5).",
               CONSTANT_GROUP),
        sig="num_features, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False, device=None, "
            "dtype=None, bias=True",
        template="nnx.InstanceNorm({num_features}, feature_axes=1, epsilon={eps}, use_scale={affine}, "
                 "use_bias={affine}, use_fast_variance=False, rngs=rngs)",
        unsupported_args={"track_running_stats": "nnx.InstanceNorm keeps no running statistics",
                          "bias": "bias=False: pass use_bias=False", **NO_DEVICE},
    ) for n, shape, layout in ((1, "N,3,L", "NCL"), (3, "N,3,D,H,W", "NCDHW"))],
    # Dropout ------------------------------------------------------------------------------------
    Record(
        torch="torch.nn.Dropout",
        jax="flax.nnx.Dropout",
        status="caveat",
        torch_example=(
            "m = nn.Dropout(p=0.3)\n"
            "y = m(torch.ones(200_000))\n"
            "out = ((y == 0).float().mean(), y.max(), y.mean())"
        ),
        jax_example=(
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Dropout(0.3, rngs=rngs)\n"
            "y = m(jnp.ones(200_000))\n"
            "out = ((y == 0).astype(jnp.float32).mean(), y.max(), y.mean())"
        ),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.0075, "fraction dropped and mean of 200k draws: 5 standard errors (mean: 5 * 0.0015)"),
        notes=("Training mode: both drop with probability p and scale the kept values by 1/(1-p). The masks "
               "differ (different RNGs): only the statistics match.",
               "nnx.Dropout draws from rngs.dropout (pass rngs= at construction or call); m.eval() / m.train() "
               "switch it like torch."),
        sig="p=0.5, inplace=False",
        template="nnx.Dropout({p}, rngs=rngs)",
    ),
    Record(
        torch="torch.nn.Dropout",
        jax="flax.nnx.Dropout",
        variant="eval",
        torch_example="m = nn.Dropout(p=0.5)\nm.eval()\nout = m(x)",
        jax_example="rngs = nnx.Rngs(0)\nm = nnx.Dropout(0.5, rngs=rngs)\nm.eval()\nout = m(x)",
        inputs=(T("x", "*", special=True),),
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("In eval mode both are the identity.",),
        sig="p=0.5, inplace=False",
        template="nnx.Dropout({p}, rngs=rngs)",
    ),
    Record(
        torch="torch.nn.Dropout2d",
        jax="flax.nnx.Dropout",
        status="caveat",
        torch_example=(
            "m = nn.Dropout2d(p=0.3)\n"
            "y = m(torch.ones(400, 500, 2, 2))\n"
            "whole = (y.amax(dim=(2, 3)) == y.amin(dim=(2, 3))).float().mean()\n"
            "out = ((y[:, :, 0, 0] == 0).float().mean(), whole, y.max())"
        ),
        jax_example=(
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Dropout(0.3, broadcast_dims=(2, 3), rngs=rngs)\n"
            "y = m(jnp.ones((400, 500, 2, 2)))\n"
            "whole = (y.max(axis=(2, 3)) == y.min(axis=(2, 3))).astype(jnp.float32).mean()\n"
            "out = ((y[:, :, 0, 0] == 0).astype(jnp.float32).mean(), whole, y.max())"
        ),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.0052, "fraction of 200k channels dropped: 5 standard errors"),
        notes=("Dropout2d drops whole channels of NCHW input: nnx.Dropout with broadcast_dims=(2, 3) shares one "
               "mask value across H and W. For NHWC use broadcast_dims=(1, 2). Masks differ (different RNGs).",),
        sig="p=0.5, inplace=False",
        template="nnx.Dropout({p}, broadcast_dims=(2, 3), rngs=rngs)",
    ),
    # Attention ----------------------------------------------------------------------------------
    Record(
        torch="torch.nn.MultiheadAttention",
        jax="flax.nnx.MultiHeadAttention",
        torch_example=(
            "m = nn.MultiheadAttention(8, 2, batch_first=True)\n"
            "y, w = m(x, x, x)\n"
            "out = (y, w)"
        ),
        jax_example=(
            "from mapping.convert import load_multihead_attention\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.MultiHeadAttention(2, 8, dropout_rate=0.0, use_bias=True, "
            "decode=False, rngs=rngs)\n"
            "load_multihead_attention(m, sd)\n"
            "y, inter = nnx.capture(m, nnx.Intermediate)(x, x, x, sow_weights=True)\n"
            "w = inter['attention_weights'][0].mean(axis=1)  # need_weights: torch averages over heads\n"
            "out = (y, w)"
        ),
        inputs=(T("x", "N,L,8"),),
        notes=("Argument order differs: torch (embed_dim, num_heads); nnx (num_heads, in_features). nnx needs "
               "decode=False (or decode= at call time).",
               "torch packs q, k, v into in_proj_weight [3E, E]; load_multihead_attention splits it into the "
               "query/key/value kernels [E, heads, head_dim] and out_proj into [heads, head_dim, E].",
               "torch returns (output, weights averaged over heads) by default (need_weights=True); nnx returns "
               "the output only: call it through nnx.capture(m, nnx.Intermediate) with sow_weights=True and read "
               "'attention_weights' (per head) from the captured state.",
               "batch_first=False (torch's default) means (L, N, E) input: nnx expects batch first, transpose.",
               "kdim/vdim: nnx takes a single in_kv_features for both keys and values."),
        sig="embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False, kdim=None, "
            "vdim=None, batch_first=False, device=None, dtype=None",
        template="nnx.MultiHeadAttention({num_heads}, {embed_dim}, dropout_rate={dropout}, use_bias={bias}, "
                 "decode=False, rngs=rngs)",
        unsupported_args={"add_bias_kv": "no NNX option: append learned k/v rows yourself",
                          "add_zero_attn": "no NNX option: append a zero k/v row yourself",
                          "kdim": "pass in_kv_features= (nnx uses one width for keys and values)",
                          "vdim": "pass in_kv_features= (nnx uses one width for keys and values)", **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.MultiheadAttention",
        jax="flax.nnx.MultiHeadAttention",
        variant="attn_mask",
        torch_example=(
            "m = nn.MultiheadAttention(8, 2, batch_first=True)\n"
            "mask = torch.triu(torch.ones(x.shape[1], x.shape[1], dtype=torch.bool), 1)  # True = blocked\n"
            "y, w = m(x, x, x, attn_mask=mask)\n"
            "out = (y, w)"
        ),
        jax_example=(
            "from mapping.convert import load_multihead_attention\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.MultiHeadAttention(2, 8, dropout_rate=0.0, use_bias=True, "
            "decode=False, rngs=rngs)\n"
            "load_multihead_attention(m, sd)\n"
            "mask = jnp.triu(jnp.ones((x.shape[1], x.shape[1]), bool), 1)\n"
            "y, inter = nnx.capture(m, nnx.Intermediate)(x, x, x, mask=~mask, sow_weights=True)  # True = attend\n"
            "w = inter['attention_weights'][0].mean(axis=1)\n"
            "out = (y, w)"
        ),
        inputs=(T("x", "N,L,8"),),
        notes=("Boolean masks are inverted: in torch.nn.MultiheadAttention True means 'do not attend'; in "
               "nnx.MultiHeadAttention (and jax.nn.dot_product_attention) True means 'attend'. Pass ~mask.",
               "key_padding_mask [N, S] (True = pad) becomes mask=~key_padding_mask[:, None, None, :].",
               "A float attn_mask is added to the scores in torch: pass it to jax.nn.dot_product_attention's "
               "bias (nnx.MultiHeadAttention takes only a boolean mask).",
               "A query row with every key masked gives NaN in torch and a uniform average in nnx (finite "
               "big-negative fill)."),
        differences=(
            Difference(
                note="the same boolean mask means the opposite: torch blocks True entries, nnx attends to them",
                torch=("m = nn.MultiheadAttention(2, 1, bias=False, batch_first=True)\n"
                       "with torch.no_grad():\n"
                       "    m.in_proj_weight.copy_(torch.eye(2).repeat(3, 1))\n"
                       "    m.out_proj.weight.copy_(torch.eye(2))\n"
                       "x = torch.arange(6.).reshape(1, 3, 2)\n"
                       "mask = torch.triu(torch.ones(3, 3, dtype=torch.bool), 1)\n"
                       "out = m(x, x, x, attn_mask=mask)[0]"),
                jax=("eye = lambda key, shape, dtype: jnp.eye(2, dtype=dtype).reshape(shape)\n"
                     "m = nnx.MultiHeadAttention(1, 2, use_bias=False, kernel_init=eye, decode=False, "
                     "rngs=nnx.Rngs(0))\n"
                     "x = jnp.arange(6.).reshape(1, 3, 2)\n"
                     "mask = jnp.triu(jnp.ones((3, 3), bool), 1)\n"
                     "out = m(x, x, x, mask=mask)"),
                min_diff=1.0,
            ),
        ),
        sig="embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False, kdim=None, "
            "vdim=None, batch_first=False, device=None, dtype=None",
        template="nnx.MultiHeadAttention({num_heads}, {embed_dim}, dropout_rate={dropout}, use_bias={bias}, "
                 "decode=False, rngs=rngs)",
        unsupported_args={"add_bias_kv": "no NNX option: append learned k/v rows yourself",
                          "add_zero_attn": "no NNX option: append a zero k/v row yourself",
                          "kdim": "pass in_kv_features= (nnx uses one width for keys and values)",
                          "vdim": "pass in_kv_features= (nnx uses one width for keys and values)", **NO_DEVICE},
    ),
    # Recurrent layers ---------------------------------------------------------------------------
    Record(
        torch="torch.nn.RNN",
        jax="flax.nnx.RNN + flax.nnx.SimpleCell",
        torch_example=(
            "m = nn.RNN(4, 5, nonlinearity='relu', batch_first=True)\n"
            "y, h = m(x)\n"
            "out = (y, h)"
        ),
        jax_example=(
            "from mapping.convert import load_rnn_cell\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.RNN(nnx.SimpleCell(4, 5, activation_fn=nnx.relu, rngs=rngs), time_major=False, "
            "return_carry=True)\n"
            "load_rnn_cell(m.cell, sd, suffix='_l0')\n"
            "h, y = m(x)\n"
            "out = (y, h[None])  # torch adds a leading (num_layers * directions) axis"
        ),
        inputs=(T("x", "N,L,4"),),
        notes=("nnx.SimpleCell has one bias (in dense_i): load_rnn_cell stores torch's bias_ih + bias_hh there.",
               "torch's batch_first=False (default) is nnx's time_major=True.",
               "nnx.RNN returns (carry, outputs) with return_carry=True; torch returns (outputs, h_n) with a "
               "leading layers axis. An initial state h0 [1, N, H] becomes initial_carry=h0[0].",
               "Several layers / bidirectional: stack nnx.RNN modules / use nnx.Bidirectional and load each "
               "layer with suffix='_l{k}' (reverse direction: '_l{k}_reverse')."),
        sig="input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False, "
            "dropout=0.0, bidirectional=False, device=None, dtype=None",
        template="nnx.RNN(nnx.SimpleCell({input_size}, {hidden_size}, activation_fn={nonlinearity}, rngs=rngs), "
                 "time_major={batch_first}, return_carry=True)",
        values={"nonlinearity": {"'tanh'": "nnx.tanh", "'relu'": "nnx.relu"},
                "batch_first": {"True": "False", "False": "True"}},
        unsupported_args={"num_layers": "stack one nnx.RNN per layer", "bidirectional": "use nnx.Bidirectional",
                          "dropout": "apply nnx.Dropout between the stacked layers",
                          "bias": "nnx.SimpleCell always has a bias: load zeros", **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.LSTM",
        jax="flax.nnx.RNN + flax.nnx.LSTMCell",
        torch_example=(
            "m = nn.LSTM(4, 5, batch_first=True)\n"
            "y, (h, c) = m(x)\n"
            "out = (y, h, c)"
        ),
        jax_example=(
            "from mapping.convert import load_lstm_cell\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.RNN(nnx.LSTMCell(4, 5, rngs=rngs), time_major=False, return_carry=True)\n"
            "load_lstm_cell(m.cell, sd, suffix='_l0')\n"
            "(c, h), y = m(x)  # the nnx carry is (c, h); torch returns (h, c)\n"
            "out = (y, h[None], c[None])"
        ),
        inputs=(T("x", "N,L,4"),),
        notes=("Gate order i, f, g, o in both. torch packs the gates into weight_ih [4H, in] / weight_hh [4H, H] "
               "with two biases; nnx.LSTMCell has one Linear per gate (ii, if_, ig, io without bias; hi, hf, hg, "
               "ho with bias): load_lstm_cell splits the weights and sums bias_ih + bias_hh.",
               "The carry order is swapped: nnx (c, h), torch (h, c). Initial state (h0, c0) [1, N, H] becomes "
               "initial_carry=(c0[0], h0[0]).",
               "torch's batch_first=False (default) is nnx's time_major=True.",
               "Several layers / bidirectional: stack nnx.RNN modules / use nnx.Bidirectional, loading each with "
               "suffix='_l{k}' (reverse direction: '_l{k}_reverse'). proj_size has no NNX cell."),
        sig="input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False, "
            "proj_size=0, device=None, dtype=None",
        template="nnx.RNN(nnx.LSTMCell({input_size}, {hidden_size}, rngs=rngs), time_major={batch_first}, "
                 "return_carry=True)",
        values={"batch_first": {"True": "False", "False": "True"}},
        unsupported_args={"num_layers": "stack one nnx.RNN per layer", "bidirectional": "use nnx.Bidirectional",
                          "dropout": "apply nnx.Dropout between the stacked layers",
                          "proj_size": "nnx.LSTMCell has no projection", "bias": "nnx.LSTMCell always has a bias: "
                          "load zeros", **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.GRU",
        jax="flax.nnx.RNN + flax.nnx.GRUCell",
        torch_example=(
            "m = nn.GRU(4, 5, batch_first=True)\n"
            "y, h = m(x)\n"
            "out = (y, h)"
        ),
        jax_example=(
            "from mapping.convert import load_gru_cell\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.RNN(nnx.GRUCell(4, 5, rngs=rngs), time_major=False, return_carry=True)\n"
            "load_gru_cell(m.cell, sd, suffix='_l0')\n"
            "h, y = m(x)\n"
            "out = (y, h[None])"
        ),
        inputs=(T("x", "N,L,4"),),
        notes=("Gate order r, z, n in both, and the same update h' = (1 - z) * n + z * h.",
               "torch computes n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); nnx.GRUCell's hidden Linear has no "
               "bias, so b_hn (inside the product with r) has no place. load_gru_cell gives the cell's dense_h a "
               "bias and loads bias_hh into it: the cell then computes torch's GRU exactly. Without that, "
               "nnx.GRUCell matches torch only when bias_hh's n-part is zero.",
               "torch's batch_first=False (default) is nnx's time_major=True."),
        sig="input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False, "
            "device=None, dtype=None",
        template="nnx.RNN(nnx.GRUCell({input_size}, {hidden_size}, rngs=rngs), time_major={batch_first}, "
                 "return_carry=True)",
        values={"batch_first": {"True": "False", "False": "True"}},
        unsupported_args={"num_layers": "stack one nnx.RNN per layer", "bidirectional": "use nnx.Bidirectional",
                          "dropout": "apply nnx.Dropout between the stacked layers",
                          "bias": "nnx.GRUCell always has an input bias: load zeros", **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.RNNCell",
        jax="flax.nnx.SimpleCell",
        torch_example="m = nn.RNNCell(4, 5)\nout = m(x, h0)",
        jax_example=(
            "from mapping.convert import load_rnn_cell\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.SimpleCell(4, 5, activation_fn=nnx.tanh, rngs=rngs)\n"
            "load_rnn_cell(m, sd)\n"
            "out, _ = m(h0, x)  # nnx cells take (carry, input) and return (carry, output)"
        ),
        inputs=(T("x", "N,4"), T("h0", "N,5")),
        notes=("Argument order is swapped: torch cell(input, h); nnx cell(carry, input) -> (new carry, output).",
               "nnx.SimpleCell has one bias: load_rnn_cell sums torch's bias_ih + bias_hh into it."),
        sig="input_size, hidden_size, bias=True, nonlinearity='tanh', device=None, dtype=None",
        template="nnx.SimpleCell({input_size}, {hidden_size}, activation_fn={nonlinearity}, rngs=rngs)",
        values={"nonlinearity": {"'tanh'": "nnx.tanh", "'relu'": "nnx.relu"}},
        unsupported_args={"bias": "nnx.SimpleCell always has a bias: load zeros", **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.LSTMCell",
        jax="flax.nnx.LSTMCell",
        torch_example="m = nn.LSTMCell(4, 5)\nh, c = m(x, (h0, c0))\nout = (h, c)",
        jax_example=(
            "from mapping.convert import load_lstm_cell\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.LSTMCell(4, 5, rngs=rngs)\n"
            "load_lstm_cell(m, sd)\n"
            "(c, h), _ = m((c0, h0), x)  # nnx: cell((c, h), input); torch: cell(input, (h, c))\n"
            "out = (h, c)"
        ),
        inputs=(T("x", "N,4"), T("h0", "N,5"), T("c0", "N,5")),
        notes=("Argument and carry order differ: torch cell(input, (h, c)) -> (h, c); nnx cell((c, h), input) "
               "-> ((c, h), h).",
               "load_lstm_cell splits torch's packed gates (i, f, g, o) and sums the two biases."),
        sig="input_size, hidden_size, bias=True, device=None, dtype=None",
        template="nnx.LSTMCell({input_size}, {hidden_size}, rngs=rngs)",
        unsupported_args={"bias": "nnx.LSTMCell always has a bias: load zeros", **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.GRUCell",
        jax="flax.nnx.GRUCell",
        torch_example="m = nn.GRUCell(4, 5)\nout = m(x, h0)",
        jax_example=(
            "from mapping.convert import load_gru_cell\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.GRUCell(4, 5, rngs=rngs)\n"
            "load_gru_cell(m, sd)\n"
            "out, _ = m(h0, x)  # nnx cells take (carry, input)"
        ),
        inputs=(T("x", "N,4"), T("h0", "N,5")),
        notes=("torch's b_hn sits inside r * (W_hn h + b_hn) and nnx.GRUCell has no hidden bias: load_gru_cell "
               "adds one to dense_h so the cell is exact (see torch.nn.GRU).",
               "Argument order is swapped: torch cell(input, h); nnx cell(carry, input) -> (new carry, output)."),
        sig="input_size, hidden_size, bias=True, device=None, dtype=None",
        template="nnx.GRUCell({input_size}, {hidden_size}, rngs=rngs)",
        unsupported_args={"bias": "nnx.GRUCell always has an input bias: load zeros", **NO_DEVICE},
    ),
    # Containers ---------------------------------------------------------------------------------
    Record(
        torch="torch.nn.Sequential",
        jax="flax.nnx.Sequential",
        torch_example="m = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))\nout = m(x)",
        jax_example=(
            "from mapping.convert import load_linear\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Sequential(nnx.Linear(4, 8, use_bias=True, rngs=rngs), jax.nn.relu, "
            "nnx.Linear(8, 3, use_bias=True, rngs=rngs))\n"
            "load_linear(m.layers[0], sd, '0.')\n"
            "load_linear(m.layers[2], sd, '2.')\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,4"),),
        notes=("nnx.Sequential stores its layers in m.layers (an nnx.List); torch's state_dict keys are "
               "'<index>.<name>', so load each layer with prefix '<index>.'.",
               "Plain functions (jax.nn.relu) are fine layers in nnx.Sequential.",
               "nn.Sequential(OrderedDict(...)): use an nnx.Module with named attributes (keys '<name>.weight')."),
        sig="*args",
        template="nnx.Sequential(*{args})",
    ),
    Record(
        torch="torch.nn.ModuleList",
        jax="flax.nnx.List",
        torch_example=(
            "m = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])\n"
            "for layer in m:\n"
            "    x = torch.tanh(layer(x))\n"
            "out = x"
        ),
        jax_example=(
            "from mapping.convert import load_linear\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.List([nnx.Linear(4, 4, use_bias=True, rngs=rngs) for _ in range(3)])\n"
            "for i, layer in enumerate(m):\n"
            "    load_linear(layer, sd, f'{i}.')\n"
            "for layer in m:\n"
            "    x = jnp.tanh(layer(x))\n"
            "out = x"
        ),
        inputs=(T("x", "N,4"),),
        notes=("In flax 0.12 a plain Python list of modules stored on an nnx.Module raises (attributes holding "
               "arrays or modules must be nnx.List / nnx.Dict / nnx.data); use nnx.List.",
               "Keys are '<index>.<name>' in both, so each layer loads with prefix '<index>.'."),
        sig="modules=None",
        template="nnx.List({modules?})",
    ),
    Record(
        torch="torch.nn.ModuleDict",
        jax="flax.nnx.Dict",
        torch_example=(
            "m = nn.ModuleDict({'enc': nn.Linear(4, 6), 'dec': nn.Linear(6, 4)})\n"
            "out = m['dec'](torch.relu(m['enc'](x)))"
        ),
        jax_example=(
            "from mapping.convert import load_linear\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Dict({'enc': nnx.Linear(4, 6, use_bias=True, rngs=rngs), "
            "'dec': nnx.Linear(6, 4, use_bias=True, rngs=rngs)})\n"
            "for name in m:\n"
            "    load_linear(m[name], sd, f'{name}.')\n"
            "out = m['dec'](jax.nn.relu(m['enc'](x)))"
        ),
        inputs=(T("x", "N,4"),),
        notes=("nnx.Dict is the NNX mapping of submodules (a plain dict attribute raises in flax 0.12). Keys "
               "are '<name>.<param>' in both.",),
        sig="modules=None",
        template="nnx.Dict({modules?})",
    ),
    Record(
        torch="torch.nn.Identity",
        jax="jax.nn.identity",
        torch_example="m = nn.Identity()\nout = m(x)",
        jax_example="m = jax.nn.identity\nout = m(x)",
        inputs=(T("x", "*", special=True),),
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        sig="*args, **kwargs",
        template="jax.nn.identity",
    ),
    # Activations as modules ---------------------------------------------------------------------
    Record(
        torch="torch.nn.ReLU",
        jax="jax.nn.relu",
        torch_example="m = nn.ReLU()\nout = m(x)",
        jax_example="m = jax.nn.relu\nout = m(x)",
        inputs=(T("x", "*", unique=True, normal=True),),  # subnormals: see torch.nn.functional.relu
        status="caveat",
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("inplace=True has no meaning in JAX (arrays are immutable): the result is returned.",
               "Forward values agree on nan/inf, but at a NaN input torch passes the gradient through and "
               "jax.nn.relu gives 0."),
        differences=(
            Difference(
                note="gradient of ReLU at NaN: torch passes the cotangent (1), jax.nn.relu gives 0",
                torch="x = torch.tensor([float('nan')], requires_grad=True)\nnn.ReLU()(x).sum().backward()\n"
                      "out = x.grad",
                jax="out = jax.grad(lambda x: jax.nn.relu(x).sum())(jnp.array([jnp.nan]))",
                min_diff=1.0,
            ),
        ),
        sig="inplace=False",
        template="jax.nn.relu",
    ),
    Record(
        torch="torch.nn.GELU",
        jax="jax.nn.gelu",
        torch_example="m = nn.GELU()\nout = m(x)",
        jax_example="m = lambda x: jax.nn.gelu(x, approximate=False)\nout = m(x)",
        inputs=(T("x", "*", low=-6, high=6),),
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("jax.nn.gelu defaults to the tanh approximation; nn.GELU() is exact (erf): pass approximate=False.",),
        differences=(
            Difference(
                note="jax.nn.gelu defaults to approximate=True (tanh); nn.GELU() is the exact erf form",
                torch="out = nn.GELU()(torch.linspace(-6, 6, 1201))",
                jax="out = jax.nn.gelu(jnp.linspace(-6, 6, 1201))",
                min_diff=4e-4,
            ),
        ),
        sig="approximate='none'",
        template="lambda x: jax.nn.gelu(x, approximate={approximate})",
        values={"approximate": {"'none'": "False", "'tanh'": "True"}},
    ),
    Record(
        torch="torch.nn.SiLU",
        jax="jax.nn.silu",
        torch_example="m = nn.SiLU()\nout = m(x)",
        jax_example="m = jax.nn.silu\nout = m(x)",
        inputs=(T("x", "*", low=-10, high=10),),
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        sig="inplace=False",
        template="jax.nn.silu",
    ),
    Record(
        torch="torch.nn.Tanh",
        jax="jax.numpy.tanh",
        torch_example="m = nn.Tanh()\nout = m(x)",
        jax_example="m = jnp.tanh\nout = m(x)",
        inputs=(T("x", "*", special=True),),
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        sig="*args, **kwargs",
        template="jnp.tanh",
    ),
    Record(
        torch="torch.nn.Sigmoid",
        jax="jax.nn.sigmoid",
        torch_example="m = nn.Sigmoid()\nout = m(x)",
        jax_example="m = jax.nn.sigmoid\nout = m(x)",
        inputs=(T("x", "*", low=-10, high=10),),
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        sig="*args, **kwargs",
        template="jax.nn.sigmoid",
    ),
    Record(
        torch="torch.nn.Softmax",
        jax="jax.nn.softmax",
        torch_example="m = nn.Softmax(dim=d)\nout = m(x)",
        jax_example="m = lambda x: jax.nn.softmax(x, axis=d)\nout = m(x)",
        inputs=(T("x", "*", min_rank=1), Dim("d", "x")),
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("nn.Softmax() without dim picks an axis implicitly (deprecated in torch); always pass dim. The "
               "signature here has no default for dim, so a call without it is left to you.",),
        sig="dim",
        template="lambda x: jax.nn.softmax(x, axis={dim})",
    ),
    Record(
        torch="torch.nn.LeakyReLU",
        jax="jax.numpy.where",
        torch_example="m = nn.LeakyReLU(negative_slope=0.2)\nout = m(x)",
        jax_example="m = lambda x: jnp.where(x > 0, x, x * 0.2)\nout = m(x)",
        inputs=(T("x", "*", special=True, normal=True),),
        status="caveat",  # the gradient at a subnormal input: see torch.nn.functional.leaky_relu
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("jax.nn.leaky_relu gives the same values (same default slope 0.01), but its gradient at exactly 0 "
               "is 1 where torch's is negative_slope; the jnp.where form matches torch everywhere.",),
        differences=(
            Difference(
                note="gradient at 0: nn.LeakyReLU uses negative_slope, jax.nn.leaky_relu uses 1",
                torch="x = torch.zeros(3, requires_grad=True)\nnn.LeakyReLU(0.2)(x).sum().backward()\nout = x.grad",
                jax="out = jax.grad(lambda x: jax.nn.leaky_relu(x, 0.2).sum())(jnp.zeros(3))",
                min_diff=0.7,
            ),
        ),
        sig="negative_slope=0.01, inplace=False",
        template="lambda x: jnp.where(x > 0, x, x * {negative_slope})",
    ),
    Record(
        torch="torch.nn.ELU",
        jax="jax.nn.elu",
        torch_example="m = nn.ELU(alpha=0.5)\nout = m(x)",
        jax_example="m = lambda x: jax.nn.elu(x, alpha=0.5)\nout = m(x)",
        inputs=(T("x", "*", normal=True),),  # subnormals: see torch.nn.functional.elu
        status="caveat",
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("At a NaN input torch's gradient takes the x > 0 branch (1); jax.nn.elu's is NaN.",),
        differences=(
            Difference(
                note="gradient of ELU at NaN: torch 1, jax.nn.elu NaN",
                torch="x = torch.tensor([float('nan')], requires_grad=True)\nnn.ELU(alpha=0.5)(x).sum().backward()\n"
                      "out = x.grad",
                jax="out = jnp.nan_to_num(jax.grad(lambda x: jax.nn.elu(x, alpha=0.5).sum())(jnp.array([jnp.nan])), "
                    "nan=7.0)",
                min_diff=6.0,
            ),
        ),
        sig="alpha=1.0, inplace=False",
        template="lambda x: jax.nn.elu(x, alpha={alpha})",
    ),
    Record(
        torch="torch.nn.Softplus",
        jax="jax.nn.softplus",
        torch_example="m = nn.Softplus(beta=2.0)\nout = m(x)",
        jax_example="m = lambda x: jax.nn.softplus(2.0 * x) / 2.0\nout = m(x)",
        inputs=(T("x", "*", low=-15, high=15),),
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("torch returns x unchanged where beta * x > threshold (20); jax.nn.softplus is log(1 + exp(x)) "
               "everywhere. Above the threshold the two differ by log1p(exp(-20)) ~ 2e-9, below float32 "
               "resolution there.",),
        sig="beta=1.0, threshold=20.0",
        template="lambda x: jax.nn.softplus({beta} * x) / {beta}",
    ),
    Record(
        torch="torch.nn.Mish",
        jax="jax.nn.mish",
        torch_example="m = nn.Mish()\nout = m(x)",
        jax_example="m = jax.nn.mish\nout = m(x)",
        inputs=(T("x", "*", low=-10, high=10),),
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        sig="inplace=False",
        template="jax.nn.mish",
    ),
    # Pooling, padding, reshaping ----------------------------------------------------------------
    Record(
        torch="torch.nn.MaxPool2d",
        jax="flax.nnx.max_pool",
        torch_example="m = nn.MaxPool2d(3, stride=s, padding=p)\nout = m(x)",
        jax_example=(
            "m = lambda x: jnp.moveaxis(nnx.max_pool(jnp.moveaxis(x, -3, -1), (3,) * 2, strides=(s or 3,) * 2, "
            "padding=((p, p),) * 2), -1, -3)\n"
            "out = m(x)  # NCHW in and out: the lambda moves the channels around the channels-last flax pool"
        ),
        inputs=(T("x", "N,2,H,W", unique=True), Choice("s", (None, 1, 2)), Choice("p", (0, 1))),
        sizes=(3, 6),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("torch's stride defaults to kernel_size; flax's strides default to 1: the rewrite passes "
               "`stride or kernel_size`.",
               "flax pools are channels-last (NHWC): the rewrite moves the channel axis (-3) last and back, so "
               "it takes torch's NCHW (or CHW) and returns it. flax pads max_pool with -inf, like torch.",
               "The rewrite assumes int kernel_size / stride / padding."),
        differences=(
            Difference(
                note="flax max_pool's strides default to 1; torch's stride defaults to kernel_size",
                torch="out = np.array(nn.MaxPool2d(2)(torch.zeros(1, 1, 4, 4)).shape[2:])",
                jax="out = np.array(nnx.max_pool(jnp.zeros((1, 4, 4, 1)), (2, 2)).shape[1:3])",
                min_diff=1,
            ),
        ),
        sig="kernel_size: int, stride: int | None = None, padding: int = 0, "
            "dilation=1, return_indices=False, ceil_mode=False",
        template="lambda x: jnp.moveaxis(nnx.max_pool(jnp.moveaxis(x, -3, -1), ({kernel_size},) * 2, "
                 "strides=({stride} or {kernel_size},) * 2, padding=(({padding}, {padding}),) * 2), -1, -3)",
        unsupported_args={"dilation": "use lax.reduce_window(x, -jnp.inf, lax.max, ..., window_dilation=...)",
                          "return_indices": "no flax option: compute argmax over the windows yourself",
                          "ceil_mode": "pad the high side by the extra window with -inf yourself"},
    ),
    Record(
        torch="torch.nn.AvgPool2d",
        jax="flax.nnx.avg_pool",
        torch_example="m = nn.AvgPool2d(3, stride=s, padding=p, count_include_pad=c)\nout = m(x)",
        jax_example=(
            "m = lambda x: jnp.moveaxis(nnx.avg_pool(jnp.moveaxis(x, -3, -1), (3,) * 2, strides=(s or 3,) * 2, "
            "padding=((p, p),) * 2, count_include_pad=c), -1, -3).astype(x.dtype)\n"
            "out = m(x)  # NCHW in and out: the lambda moves the channels around the channels-last flax pool"
        ),
        inputs=(T("x", "N,2,H,W"), Choice("s", (None, 1, 2)), Choice("p", (0, 1)), Choice("c", (True, False))),
        sizes=(3, 6),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("torch's stride defaults to kernel_size; flax's strides default to 1.",
               "count_include_pad defaults to True in both. With count_include_pad=False flax divides by a "
               "float32 count, so bfloat16 input comes back float32: the rewrite casts back (.astype(x.dtype))."),
        differences=(
            Difference(
                note="flax avg_pool with count_include_pad=False returns float32 for bfloat16 input (itemsize "
                     "4 vs 2)",
                torch="out = float(nn.AvgPool2d(2, padding=1, count_include_pad=False)("
                      "torch.zeros(1, 1, 2, 2, dtype=torch.bfloat16)).dtype.itemsize)",
                jax="out = float(nnx.avg_pool(jnp.zeros((1, 2, 2, 1), jnp.bfloat16), (2, 2), strides=(2, 2), "
                    "padding=((1, 1), (1, 1)), count_include_pad=False).dtype.itemsize)",
                min_diff=2,
            ),
        ),
        sig="kernel_size: int, stride: int | None = None, padding: int = 0, "
            "ceil_mode=False, count_include_pad=True, divisor_override=None",
        template="lambda x: jnp.moveaxis(nnx.avg_pool(jnp.moveaxis(x, -3, -1), ({kernel_size},) * 2, "
                 "strides=({stride} or {kernel_size},) * 2, padding=(({padding}, {padding}),) * 2, "
                 "count_include_pad={count_include_pad}), -1, -3).astype(x.dtype)",
        unsupported_args={"ceil_mode": "pad the high side by the extra window yourself",
                          "divisor_override": "sum-pool with lax.reduce_window and divide yourself"},
    ),
    Record(
        torch="torch.nn.AdaptiveAvgPool2d",
        jax="jax.Array.reshape + mean",
        status="caveat",
        torch_example="m = nn.AdaptiveAvgPool2d(o)\nout = m(x)",
        jax_example=(
            "m = lambda x: x.reshape(*x.shape[:-2], o, x.shape[-2] // o, o, x.shape[-1] // o).mean(axis=(-3, -1))\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,C,4,6"), Choice("o", (1, 2))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("Exact when output_size divides the input's height and width (always for output_size=1, global "
               "average pooling: jnp.mean(x, axis=(-2, -1), keepdims=True)). Otherwise torch averages "
               "overlapping windows of varying size; the rewrite then fails loudly in reshape.",
               "The rewrite assumes an int output_size; works on NCHW directly."),
        sig="output_size",
        template="lambda x: x.reshape(*x.shape[:-2], {output_size}, x.shape[-2] // {output_size}, {output_size}, "
                 "x.shape[-1] // {output_size}).mean(axis=(-3, -1))",
    ),
    Record(
        torch="torch.nn.ZeroPad2d",
        jax="jax.numpy.pad",
        torch_example="m = nn.ZeroPad2d(p)\nout = m(x)",
        jax_example="m = lambda x: jnp.pad(x, [(0, 0)] * (x.ndim - 2) + np.broadcast_to(p, (4,)).reshape(2, 2)[::-1]"
                    ".tolist())\nout = m(x)",
        inputs=(T("x", "N,C,H,W"), Choice("p", (0, 1, 2, (1, 0, 2, 1)))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=(_PAD_PAIRS,),
        sig="padding",
        template="lambda x: jnp.pad(x, [(0, 0)] * (x.ndim - 2) + np.broadcast_to({padding}, (4,)).reshape(2, 2)[::-1]"
                 ".tolist())",
    ),
    Record(
        torch="torch.nn.ConstantPad2d",
        jax="jax.numpy.pad",
        torch_example="m = nn.ConstantPad2d(p, 1.5)\nout = m(x)",
        jax_example=(
            "m = lambda x: jnp.pad(x, [(0, 0)] * (x.ndim - 2) + np.broadcast_to(p, (4,)).reshape(2, 2)[::-1].tolist(), "
            "constant_values=1.5)\nout = m(x)"
        ),
        inputs=(T("x", "N,C,H,W"), Choice("p", (0, 1, 2, (1, 0, 2, 1)))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=(_PAD_PAIRS,),
        sig="padding, value",
        template="lambda x: jnp.pad(x, [(0, 0)] * (x.ndim - 2) + np.broadcast_to({padding}, (4,)).reshape(2, 2)[::-1]"
                 ".tolist(), constant_values={value})",
    ),
    Record(
        torch="torch.nn.ReflectionPad2d",
        jax="jax.numpy.pad",
        torch_example="m = nn.ReflectionPad2d(p)\nout = m(x)",
        jax_example="m = lambda x: jnp.pad(x, [(0, 0)] * (x.ndim - 2) + np.broadcast_to(p, (4,)).reshape(2, 2)[::-1]"
                    ".tolist(), mode='reflect')\nout = m(x)",
        inputs=(T("x", "N,C,H,W"), Choice("p", (1, 2, (1, 0, 2, 1)))),
        sizes=(3, 5),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("torch 'reflection' is numpy's mode='reflect' (the edge is not repeated; 'symmetric' repeats it). "
               "ReplicationPad2d is mode='edge', CircularPad2d mode='wrap'.", _PAD_PAIRS),
        sig="padding",
        template="lambda x: jnp.pad(x, [(0, 0)] * (x.ndim - 2) + np.broadcast_to({padding}, (4,)).reshape(2, 2)[::-1]"
                 ".tolist(), mode='reflect')",
    ),
    Record(
        torch="torch.nn.Flatten",
        jax="jax.Array.reshape",
        torch_example="m = nn.Flatten()\nout = m(x)",
        jax_example="m = lambda x: x.reshape(*x.shape[:1], -1)\nout = m(x)",
        inputs=(T("x", "N,C,H,W"),),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("The rewrite flattens from start_dim to the end (end_dim=-1).",),
        sig="start_dim=1, end_dim=-1",
        template="lambda x: x.reshape(*x.shape[:{start_dim}], -1)",
        unsupported_args={"end_dim": "reshape to x.shape[:start] + (-1,) + x.shape[end + 1:] yourself"},
    ),
    Record(
        torch="torch.nn.Unflatten",
        jax="jax.Array.reshape",
        torch_example="m = nn.Unflatten(d, (2, 3))\nout = m(x)",
        jax_example="m = lambda x: x.reshape(*x.shape[:d], 2, 3, *x.shape[d:][1:])\nout = m(x)",
        inputs=(T("x", "N,6,L"), Choice("d", (1, -2))),
        checks=("forward", "jit", "grad", "bf16"),
        sig="dim, unflattened_size",
        template="lambda x: x.reshape(*x.shape[:{dim}], *{unflattened_size}, *x.shape[{dim}:][1:])",
    ),
    Record(
        torch="torch.nn.PixelShuffle",
        jax="jax.Array.reshape + moveaxis",
        torch_example="m = nn.PixelShuffle(2)\nout = (m(x), m(x[0]), m(x[None]))",
        jax_example=(
            "m = lambda x: jnp.moveaxis(x.reshape(*x.shape[:-3], -1, 2, 2, *x.shape[-2:]), (-4, -3), (-3, -1))"
            ".reshape(*x.shape[:-3], -1, x.shape[-2] * 2, x.shape[-1] * 2)\n"
            "out = (m(x), m(x[0]), m(x[None]))"
        ),
        inputs=(T("x", "N,8,H,W"),),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("(*, C*r*r, H, W) -> (*, C, H*r, W*r): channel c*r*r + i*r + j goes to pixel (h*r + i, w*r + j), "
               "for any number of leading (batch) axes, none included. In an NHWC model the channel axis is last: "
               "reshape(N, H, W, C, r, r).transpose(0, 1, 4, 2, 5, 3).reshape(N, H*r, W*r, C).",),
        sig="upscale_factor",
        template="lambda x: jnp.moveaxis(x.reshape(*x.shape[:-3], -1, {upscale_factor}, {upscale_factor}, "
                 "*x.shape[-2:]), (-4, -3), (-3, -1)).reshape(*x.shape[:-3], -1, x.shape[-2] * {upscale_factor}, "
                 "x.shape[-1] * {upscale_factor})",
    ),
    Record(
        torch="torch.nn.Upsample",
        jax="jax.image.resize",
        torch_example="m = nn.Upsample(scale_factor=2, mode=mode)\nout = m(x)",
        jax_example=(
            "m = lambda x: jax.image.resize(x, x.shape[:2] + tuple(n * 2 for n in x.shape[2:]), method=mode)\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,C,H,W"), Choice("mode", ("nearest", "bilinear"))),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-6, 2e-6, "bilinear: two float32 interpolation weights, computed in different orders"),
        notes=("jax.image.resize takes the full output shape and works on any layout (resize only the spatial "
               "axes). It uses half-pixel centres, like torch's align_corners=False.",
               "Exact for integer scale factors when upsampling. 'nearest' differs for non-integer scales "
               "(torch's legacy 'nearest' floors; 'nearest-exact' matches JAX). 'bicubic' differs: torch uses "
               "a = -0.75, JAX's cubic a = -0.5. When downsampling, jax.image.resize antialiases by default "
               "(antialias=True) and torch does not."),
        sig="size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None",
        template="lambda x: jax.image.resize(x, x.shape[:2] + tuple(n * {scale_factor} for n in x.shape[2:]), "
                 "method={mode})",
        unsupported_args={"size": "pass (*x.shape[:2], *size) as the shape to jax.image.resize",
                          "align_corners": "jax.image.resize has only half-pixel centres (align_corners=False); "
                                           "for True use jax.image.scale_and_translate",
                          "recompute_scale_factor": "jax.image.resize takes the output shape"},
    ),
    # Losses as modules --------------------------------------------------------------------------
    Record(
        torch="torch.nn.CrossEntropyLoss",
        jax="optax.softmax_cross_entropy_with_integer_labels",
        torch_example="m = nn.CrossEntropyLoss()\nout = m(logits, torch.where(target == 4, -100, target))",
        jax_example=(
            "m = lambda input, target: jnp.mean(optax.softmax_cross_entropy_with_integer_labels(input, "
            "jnp.where(target == -100, 0, target), axis=1 if input.ndim > 1 else 0), where=target != -100)\n"
            "out = m(logits, jnp.where(target == 4, -100, target))"
        ),
        inputs=(T("logits", "N,5,L", low=-5, high=5), T("target", "N,L", dtype="int64", low=0, high=5)),
        checks=("forward", "jit", "grad"),
        notes=("Loss modules become functions. reduction='mean' / 'sum' / 'none' -> jnp.mean / jnp.sum / 0 at "
               "ignored targets, as F.cross_entropy's rewrite.",
               "No ignore_index in optax: alone, a label -100 (torch's default ignore_index) yields NaN and -1 "
               "silently picks the last class. The rewrite replaces ignored targets by class 0 and leaves them "
               "out of the reduction (the mean divides by the targets kept; all ignored: nan in both).",
               "Probability targets (float, same shape as logits) map to optax.softmax_cross_entropy.",
               "The class axis is 1 in torch ((N, C) or (N, C, d1, ...)) and last in optax: the rewrite passes "
               "axis=1 (0 for one unbatched (C,) input). Without that, logits (2, 3, 3) with targets (2, 3) give "
               "1.686 for torch's 1.338 (found by torch's module_db inputs)."),
        differences=(
            Difference(
                note="optax reads the last axis as the classes; torch reads axis 1 (K-dimensional loss)",
                torch="x = torch.arange(18.).reshape(2, 3, 3).sin()\nt = torch.tensor([[0, 2, 1], [1, 1, 0]])\n"
                      "out = nn.CrossEntropyLoss()(x, t)",
                jax="x = jnp.sin(jnp.arange(18.).reshape(2, 3, 3))\nt = jnp.array([[0, 2, 1], [1, 1, 0]])\n"
                    "out = optax.softmax_cross_entropy_with_integer_labels(x, t).mean()",
                min_diff=0.3,
            ),
            Difference(
                note="optax has no ignore_index: label -1 is read as the last class instead of being ignored",
                torch="out = nn.CrossEntropyLoss(ignore_index=-1)(torch.tensor([[1., 2., 3.], [0., 1., 5.]]), "
                      "torch.tensor([0, -1]))",
                jax="out = optax.softmax_cross_entropy_with_integer_labels(jnp.array([[1., 2., 3.], [0., 1., 5.]]), "
                    "jnp.array([0, -1])).mean()",
                min_diff=0.5,
            ),
        ),
        sig="weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0",
        template="lambda input, target: {reduction}(optax.softmax_cross_entropy_with_integer_labels(input, "
                 "jnp.where(target == {ignore_index}, 0, target), axis=1 if input.ndim > 1 else 0), "
                 "where=target != {ignore_index})",
        values={"reduction": {"'mean'": "jnp.mean", "'sum'": "jnp.sum",
                              "'none'": "(lambda l, where: jnp.where(where, l, 0.0))"}},
        unsupported_args={"weight": "multiply each loss by weight[target] and divide by their sum",
                          "label_smoothing": "use optax.softmax_cross_entropy with "
                                             "optax.smooth_labels(jax.nn.one_hot(target, C), alpha)",
                          "size_average": "deprecated in torch: use reduction",
                          "reduce": "deprecated in torch: use reduction"},
    ),
    Record(
        torch="torch.nn.MSELoss",
        jax="jax.numpy.mean",
        torch_example="m = nn.MSELoss()\nout = m(x, y)",
        jax_example="m = lambda input, target: jnp.mean((input - target) ** 2)\nout = m(x, y)",
        inputs=(T("x", "N,M"), T("y", "N,M")),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("optax.l2_loss is half the squared error (0.5 * (x - y)**2): not MSELoss.",),
        differences=(
            Difference(
                note="optax.l2_loss(x, y).mean() is half of nn.MSELoss()(x, y)",
                torch="out = nn.MSELoss()(torch.tensor([1., 2., 3.]), torch.tensor([0., 0., 0.]))",
                jax="out = optax.l2_loss(jnp.array([1., 2., 3.]), jnp.array([0., 0., 0.])).mean()",
                min_diff=2.0,
            ),
        ),
        sig="size_average=None, reduce=None, reduction='mean'",
        template="lambda input, target: {reduction}((input - target) ** 2)",
        values={"reduction": {"'mean'": "jnp.mean", "'sum'": "jnp.sum", "'none'": ""}},
        unsupported_args={"size_average": "deprecated in torch: use reduction",
                          "reduce": "deprecated in torch: use reduction"},
    ),
    # More parameter-free layers and PReLU -----------------------------------------------------------
    Record(
        torch="torch.nn.PReLU",
        jax="flax.nnx.PReLU",
        status="caveat",
        torch_example="m = nn.PReLU(init=0.25)\nout = m(x)",
        jax_example=(
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.PReLU(negative_slope_init=0.25)\n"
            "m.negative_slope[...] = sd['weight'][0]\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,C,L", nonzero=True),),
        checks=("forward", "jit", "grad"),
        why_not={"bf16": "torch's prelu rejects a bfloat16 input with the module's float32 weight (RuntimeError)"},
        notes=("nnx.PReLU has one learned slope (torch's default num_parameters=1), a scalar parameter "
               "`negative_slope`; torch's weight has shape (1,). For one slope per channel "
               "(num_parameters=C) write jnp.where(x > 0, x, w[:, None] * x) with w an nnx.Param.",
               "At x == 0 exactly the gradient with respect to x differs: torch takes the negative branch "
               "(slope), nnx.PReLU the positive one (1). Checked on non-zero inputs."),
        differences=(
            Difference(
                note="at x == 0 torch's PReLU gradient is the slope, nnx.PReLU's is 1",
                torch="x = torch.zeros(1, requires_grad=True)\nnn.PReLU(init=0.25)(x).sum().backward()\nout = x.grad",
                jax="out = jax.grad(lambda x: nnx.PReLU(negative_slope_init=0.25)(x).sum())(jnp.zeros(1))",
                min_diff=0.75,
            ),
        ),
        sig="num_parameters=1, init=0.25, device=None, dtype=None",
        template="nnx.PReLU(negative_slope_init={init})",
        unsupported_args={"num_parameters": "one slope per channel: jnp.where(x > 0, x, w[:, None] * x) with w an "
                                            "nnx.Param of shape (C,)", **NO_DEVICE},
    ),
    Record(
        torch="torch.nn.PixelUnshuffle",
        jax="jax.Array.reshape + moveaxis",
        torch_example="m = nn.PixelUnshuffle(2)\nout = (m(x), m(x[0]), m(x[None]))",
        jax_example=(
            "m = lambda x: jnp.moveaxis(x.reshape(*x.shape[:-2], x.shape[-2] // 2, 2, x.shape[-1] // 2, 2), "
            "(-3, -1), (-4, -3)).reshape(*x.shape[:-3], -1, x.shape[-2] // 2, x.shape[-1] // 2)\n"
            "out = (m(x), m(x[0]), m(x[None]))"
        ),
        inputs=(T("x", "N,C,4,6"),),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("The inverse of PixelShuffle: (*, C, H*r, W*r) -> (*, C*r*r, H, W), for any number of leading "
               "(batch) axes, none included.",),
        sig="downscale_factor",
        template="lambda x: jnp.moveaxis(x.reshape(*x.shape[:-2], x.shape[-2] // {downscale_factor}, "
                 "{downscale_factor}, x.shape[-1] // {downscale_factor}, {downscale_factor}), (-3, -1), (-4, -3))"
                 ".reshape(*x.shape[:-3], -1, x.shape[-2] // {downscale_factor}, x.shape[-1] // {downscale_factor})",
    ),
    Record(
        torch="torch.nn.ChannelShuffle",
        jax="jax.Array.reshape + swapaxes",
        torch_example="m = nn.ChannelShuffle(g)\nout = m(x)",
        jax_example=("m = lambda x: x.reshape(x.shape[0], g, -1, *x.shape[2:]).swapaxes(1, 2).reshape(x.shape)\n"
                     "out = m(x)"),
        inputs=(T("x", "N,6,L"), Choice("g", (2, 3))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("Channels (N, g * k, ...) are viewed as (g, k), transposed to (k, g) and flattened back.",),
        sig="groups",
        template="lambda x: x.reshape(x.shape[0], {groups}, -1, *x.shape[2:]).swapaxes(1, 2).reshape(x.shape)",
    ),
    Record(
        torch="torch.nn.CosineSimilarity",
        jax="optax.cosine_similarity",
        status="caveat",
        torch_example="m = nn.CosineSimilarity(dim=d)\nout = m(x1, x2)",
        jax_example="m = lambda x1, x2: optax.cosine_similarity(x1, x2, epsilon=1e-08 ** 2, axis=d)\nout = m(x1, x2)",
        inputs=(T("x1", "N,C", low=0.125, high=3), T("x2", "N,C", low=0.125, high=3), Choice("d", (1, -2))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("The module form of torch.nn.functional.cosine_similarity: pass epsilon=eps ** 2 to optax. "
               "Gradients differ for a vector whose norm lies strictly between 0 and eps (see "
               "torch.nn.functional.cosine_similarity); checked on vectors away from 0.",),
        sig="dim=1, eps=1e-08",
        template="lambda x1, x2: optax.cosine_similarity(x1, x2, epsilon={eps} ** 2, axis={dim})",
    ),
    Record(
        torch="torch.nn.PairwiseDistance",
        jax="jax.numpy.linalg.norm",
        torch_example="m = nn.PairwiseDistance(p=p, keepdim=k)\nout = m(x1, x2)",
        jax_example="m = lambda x1, x2: jnp.linalg.norm(x1 - x2 + 1e-06, ord=p, axis=-1, keepdims=k)\nout = m(x1, x2)",
        inputs=(T("x1", "N,C"), T("x2", "N,C"), Choice("p", (2.0, 1.0)), Choice("k", (False, True))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("torch adds eps to the difference before the norm: ||x1 - x2 + eps||_p over the last axis.",),
        sig="p=2.0, eps=1e-06, keepdim=False",
        template="lambda x1, x2: jnp.linalg.norm(x1 - x2 + {eps}, ord={p}, axis=-1, keepdims={keepdim})",
    ),
    Record(
        torch="torch.nn.ZeroPad3d",
        jax="jax.numpy.pad",
        torch_example="m = nn.ZeroPad3d(p)\nout = m(x)",
        jax_example="m = lambda x: jnp.pad(x, [(0, 0)] * (x.ndim - 3) + np.broadcast_to(p, (6,)).reshape(3, 2)[::-1]"
                    ".tolist())\nout = m(x)",
        inputs=(T("x", "N,C,D,H,W"), Choice("p", (1, 0, (1, 0, 2, 1, 0, 2)))),
        sizes=(1, 3),
        checks=("forward", "jit", "grad"),
        notes=("torch's 6-tuple (left, right, top, bottom, front, back) pads W, H, D: "
               "[(front, back), (top, bottom), (left, right)] last in jnp.pad. " + _PAD_PAIRS,),
        sig="padding",
        template="lambda x: jnp.pad(x, [(0, 0)] * (x.ndim - 3) + np.broadcast_to({padding}, (6,)).reshape(3, 2)[::-1]"
                 ".tolist())",
    ),
    *[Record(
        torch=f"torch.nn.{name}Pad3d",
        jax="jax.numpy.pad",
        torch_example=f"m = nn.{name}Pad3d(p)\nout = m(x)",
        jax_example=f"m = lambda x: jnp.pad(x, [(0, 0)] * (x.ndim - 3) + np.broadcast_to(p, (6,)).reshape(3, 2)[::-1]"
                    f".tolist(), mode='{mode}')\nout = m(x)",
        inputs=(T("x", "N,C,D,H,W"), Choice("p", (1, 2, (1, 0, 2, 1, 0, 2)))),
        sizes=(3, 4),
        checks=("forward", "jit", "grad"),
        notes=(f"torch's {name.lower()} padding is numpy's mode='{mode}'.", _PAD_PAIRS),
        sig="padding",
        template=f"lambda x: jnp.pad(x, [(0, 0)] * (x.ndim - 3) + np.broadcast_to({{padding}}, (6,)).reshape(3, 2)"
                 f"[::-1].tolist(), mode='{mode}')",
    ) for name, mode in (("Reflection", "reflect"), ("Replication", "edge"), ("Circular", "wrap"))],
    Record(
        torch="torch.nn.AdaptiveAvgPool1d",
        jax="jax.Array.reshape + mean",
        status="caveat",
        torch_example="m = nn.AdaptiveAvgPool1d(o)\nout = m(x)",
        jax_example="m = lambda x: x.reshape(*x.shape[:-1], o, x.shape[-1] // o).mean(axis=-1)\nout = m(x)",
        inputs=(T("x", "N,C,6"), Choice("o", (1, 2, 3))),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("Exact when output_size divides the length (always for output_size=1: jnp.mean(x, axis=-1, "
               "keepdims=True)). Otherwise torch averages overlapping windows of varying size; the rewrite then "
               "fails loudly in reshape.",),
        sig="output_size",
        template="lambda x: x.reshape(*x.shape[:-1], {output_size}, x.shape[-1] // {output_size}).mean(axis=-1)",
    ),
    Record(
        torch="torch.nn.UpsamplingNearest2d",
        jax="jax.image.resize",
        torch_example="m = nn.UpsamplingNearest2d(scale_factor=2)\nout = m(x)",
        jax_example=(
            "m = lambda x: jax.image.resize(x, x.shape[:2] + tuple(n * 2 for n in x.shape[2:]), method='nearest')\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,C,H,W"),),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("Exact for an integer scale factor; for other scales torch's legacy 'nearest' floors where JAX "
               "rounds to the nearest centre (see torch.nn.Upsample).",),
        sig="size=None, scale_factor=None",
        template="lambda x: jax.image.resize(x, x.shape[:2] + tuple(n * {scale_factor} for n in x.shape[2:]), "
                 "method='nearest')",
        unsupported_args={"size": "pass (*x.shape[:2], *size) as the shape to jax.image.resize"},
    ),
]
