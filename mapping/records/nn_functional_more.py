"""The rest of `torch.nn` and `torch.nn.functional`: the functional forms of loss modules, pdist, affine_grid and
grid_sample, the deprecated upsample functions, fractional max pools, multi-head attention's functional core,
grouped matmul, legacy layers, containers of parameters, and the names that are torch internals.
"""

import dataclasses
import re

from mapping.record import Difference, Record, T, Tol
from mapping.records import nn_functional, nn_losses

_LOSS = Tol(1e-5, 1e-5, "float32 reduction over the batch: summation order differs")
_INTERNAL = "an internal helper of torch's own code (not meant for user code); JAX has no counterpart to call"


def _record(records: list, torch_name: str, variant: str = "") -> Record:
    return next(r for r in records if r.torch == torch_name and r.variant == variant)


def _functional_loss(module: str, fn: str, call: str, sig: str, holes: dict) -> Record:
    """F.<fn> from nn.<module>'s record: the module's lambda body, its parameters as holes."""
    m = _record(nn_losses.RECORDS, f"torch.nn.{module}")
    params, body = re.match(r"lambda ([\w, ]+): (.*)", m.template, flags=re.S).groups()
    template = body
    for p in params.split(", "):
        template = re.sub(rf"(?<![\w.{{]){p}\b", "{" + p + "}", template)
    filled = template
    for name, value in holes.items():
        filled = filled.replace("{" + name + "}", value)
    return dataclasses.replace(
        m, torch=f"torch.nn.functional.{fn}", jax="jax.numpy", torch_example=f"out = F.{fn}({call})",
        jax_example=f"out = {filled}", sig=sig, template=template,
        notes=(f"As torch.nn.{module}, written as an expression of the arguments.", *m.notes[1:]))


_MARGIN = _functional_loss("MultiMarginLoss", "multi_margin_loss", "x, y",
                           "input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, "
                           "reduction='mean'", {"input": "x", "target": "y", "margin": "1.0", "reduction": "jnp.mean"})
_MULTILABEL = _functional_loss("MultiLabelMarginLoss", "multilabel_margin_loss", "x, y",
                               "input, target, size_average=None, reduce=None, reduction='mean'",
                               {"input": "x", "target": "y", "reduction": "jnp.mean"})
_TRIPLET = _functional_loss("TripletMarginWithDistanceLoss", "triplet_margin_with_distance_loss", "a, p, n",
                            "anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False, "
                            "reduction='mean'",
                            {"anchor": "a", "positive": "p", "negative": "n", "margin": "1.0",
                             "reduction": "jnp.mean"})

_CTC = _record(nn_losses.RECORDS, "torch.nn.CTCLoss")
_NLL = _record(nn_losses.RECORDS, "torch.nn.NLLLoss")
_SHUFFLE = _record(nn_functional.RECORDS, "torch.nn.functional.channel_shuffle")
_INTERP = _record(nn_functional.RECORDS, "torch.nn.functional.interpolate")
_INTERP_SCALE = _record(nn_functional.RECORDS, "torch.nn.functional.interpolate", "scale_factor")
_INTERP_CORNERS = _record(nn_functional.RECORDS, "torch.nn.functional.interpolate", "align_corners")
_DEPRECATED = "Deprecated in torch (it warns): torch.nn.functional.interpolate is the same call."


def _upsample(base: Record) -> Record:
    return dataclasses.replace(base, torch="torch.nn.functional.upsample",
                               torch_example=base.torch_example.replace("F.interpolate(", "F.upsample("),
                               notes=(_DEPRECATED, *base.notes))


_AFFINE = ("jnp.einsum('hwk,nck->nhwc', jnp.stack([*jnp.meshgrid((2 * jnp.arange({size}[3]) + 1) / {size}[3] - 1, "
           "(2 * jnp.arange({size}[2]) + 1) / {size}[2] - 1), jnp.ones(({size}[2], {size}[3]))], axis=-1), "
           "{theta}).astype({theta}.dtype)")
_GRID_SAMPLE = ("jax.vmap(lambda img, ix, iy: jax.vmap(lambda ch: jax.scipy.ndimage.map_coordinates(ch, [iy, ix], "
                "order=1, mode='constant', cval=0.0))(img))({input}, (({grid}[..., 0] + 1) * {input}.shape[3] - 1) "
                "/ 2, "
                "(({grid}[..., 1] + 1) * {input}.shape[2] - 1) / 2)")
_PDIST = ("jnp.linalg.norm({input}[jnp.triu_indices({input}.shape[0], 1)[0]] - "
          "{input}[jnp.triu_indices({input}.shape[0], 1)[1]], ord={p}, axis=-1)")

# Fractional max pooling: torch's window starts for output i of an axis (input n, kernel k, output o, sample u):
# floor((i + u) * alpha) - floor(u * alpha) with alpha = (n - k) / (o - 1), the last one n - k.
_FRACTIONAL = (
    "def starts(u, n, k, o):\n"
    "    alpha = (n - k) / (o - 1)\n"
    "    i = jnp.arange(o)\n"
    "    s = jnp.floor((i + u[..., None]) * alpha) - jnp.floor(u[..., None] * alpha)\n"
    "    return jnp.where(i == o - 1, n - k, s).astype(int)\n"
    "def fractional_max_pool(x, k, o, u):\n"
    "    # x (N, C, *spatial); u (N, C, nd) in [0, 1), one sample per spatial axis in order\n"
    "    nd = u.shape[-1]\n"
    "    for a in range(nd):\n"
    "        axis = x.ndim - nd + a\n"
    "        s = starts(u[..., a], x.shape[axis], k, o)\n"
    "        idx = (s[..., :, None] + jnp.arange(k)).reshape(*s.shape[:-1], -1)\n"
    "        idx = idx.reshape(idx.shape[:-1] + (1,) * a + idx.shape[-1:] + (1,) * (nd - a - 1))\n"
    "        x = jnp.take_along_axis(x, idx, axis=axis)\n"
    "        x = x.reshape(*x.shape[:axis], o, k, *x.shape[axis + 1:]).max(axis=axis + 1)\n"
    "    return x\n"
)


def _fractional(nd: int, with_indices: bool) -> Record:
    name = f"fractional_max_pool{nd}d" + ("_with_indices" if with_indices else "")
    shape = "1,2," + ",".join("L" * nd)
    o = 3 if nd == 2 else 2  # torch needs output_size + kernel_size - 1 < input size
    return Record(
        torch=f"torch.nn.functional.{name}",
        jax="jax.numpy.take_along_axis + max",
        status="manual",
        torch_example=(f"out = F.{name}(x, 2, output_size={o}, _random_samples=u)"
                       + ("[0]" if with_indices else "")),
        jax_example=_FRACTIONAL + f"out = fractional_max_pool(x, 2, {o}, u{'[..., ::-1]' if nd == 2 else ''})",
        inputs=(T("x", shape, unique=True, normal=True), T("u", f"1,2,{nd}", low=0, high=1, grad=False)),
        sizes=(5, 6) if nd == 2 else (4, 5),
        checks=("forward", "jit", "grad"),
        notes=("Each output cell takes the max of a kernel_size window; the window starts follow torch's "
               "pseudo-random sequence from one uniform sample per (n, c, axis): "
               "floor((i + u) alpha) - floor(u alpha), "
               "alpha = (n - k) / (o - 1), the last window ending at the input's edge. Given the same samples "
               "(_random_samples) the two agree; draw u with jax.random.uniform(key, (N, C, nd)).",
               "torch computes the starts in float64, the example in float32: a start can differ by one when "
               "(i + u) alpha lies within an ulp of an integer (not met by the draws).",
               "Windows are separable: the max over a box is the max over each axis in turn.",
               "torch's samples are ordered (W, H) in 2-D and (D, H, W) in 3-D: the 2-D example reverses them.",
               *(("The indices: see the *_with_indices pattern of max_pool (an argmax per window); the example "
                  "compares the values.",) if with_indices else ())),
        reason="random window positions need an explicit key; torch draws them from its global generator, so "
               "write the windows out (example) with u = jax.random.uniform(key, (N, C, nd))",
    )


def _fractional_module(nd: int) -> Record:
    base = _fractional(nd, False)
    return dataclasses.replace(
        base, torch=f"torch.nn.FractionalMaxPool{nd}d",
        torch_example=f"m = nn.FractionalMaxPool{nd}d(2, output_size={3 if nd == 2 else 2}, _random_samples=u)\n"
                      "out = m(x)")


def _unsupported(name: str, torch_example: str, jax_example: str, reason: str, inputs: tuple = ()) -> Record:
    return Record(torch=name, jax="(none)", status="unsupported", checks=(), torch_example=torch_example,
                  jax_example=jax_example, inputs=inputs, reason=reason)


_MHA_JAX = (
    "h, (L, N, E) = 2, q.shape\n"
    "d = E // h\n"
    "wq, wk, wv = jnp.split(w, 3)\n"
    "bq, bk, bv = jnp.split(b, 3)\n"
    "heads = lambda t: t.reshape(t.shape[0], N, h, d).transpose(1, 2, 0, 3)  # (N, heads, L, d)\n"
    "att = jax.nn.softmax(heads(q @ wq.T + bq) @ heads(k @ wk.T + bk).swapaxes(-1, -2) / jnp.sqrt(d), axis=-1)\n"
    "y = (att @ heads(v @ wv.T + bv)).transpose(2, 0, 1, 3).reshape(L, N, E) @ ow.T + ob\n"
    "out = (y, att.mean(axis=1))"
)

RECORDS = [
    dataclasses.replace(
        _MARGIN,  # caveat, with nn.MultiMarginLoss's notes (subnormal inputs)
        differences=(Difference(
            note="gradient with a subnormal input (x = [[1, 1e-40]], target 0): torch [-0.5, 0.5], JAX [0, 0] "
                 "(XLA:CPU flushes 1e-40 to 0)",
            torch="x = torch.tensor([[1.0, 1e-40]], requires_grad=True)\n"
                  "F.multi_margin_loss(x, torch.tensor([0])).backward()\nout = x.grad",
            jax="out = jax.grad(lambda x: jnp.mean((jax.nn.relu(1.0 - jnp.take_along_axis(x, jnp.array([[0]]), "
                "axis=1) + x).sum(1) - jnp.maximum(0.0, 1.0)) / x.shape[1]))(jnp.array([[1.0, 1e-40]]))",
            min_diff=0.4),)),
    _MULTILABEL,
    _TRIPLET,
    dataclasses.replace(
        _CTC, torch="torch.nn.functional.ctc_loss",
        torch_example="out = F.ctc_loss(x.log_softmax(2), y, torch.full((2,), 6), torch.tensor([3, 2]))",
        notes=("As torch.nn.CTCLoss.", *_CTC.notes)),
    dataclasses.replace(
        _NLL, torch="torch.nn.NLLLoss2d", torch_example=_NLL.torch_example.replace("nn.NLLLoss(", "nn.NLLLoss2d("),
        inputs=(T("x", "N,5,H,W", contiguous=True), T("y", "N,H,W", "int64", -1, 5, contiguous=True),
                *_NLL.inputs[2:]),
        sizes=(2, 4),
        notes=("Deprecated in torch: nn.NLLLoss takes the same (N, C, H, W) input and (N, H, W) target; the "
               "log-probabilities are gathered along axis 1.", *_NLL.notes[1:],
               "torch's 2-D backward needs a contiguous input (a transposed view raises); JAX has no such need.")),
    dataclasses.replace(
        _SHUFFLE, torch="torch.nn.functional.native_channel_shuffle", aliases=("torch.native_channel_shuffle",),
        torch_example="out = F.native_channel_shuffle(x, g)",
        checks=("forward", "jit", "bf16"),
        why_not={"grad": "torch has no derivative for native_channel_shuffle (RuntimeError); the same rewrite's "
                         "gradient is checked on torch.nn.functional.channel_shuffle"},
        notes=("The same operation as torch.nn.functional.channel_shuffle.", *_SHUFFLE.notes)),
    _upsample(_INTERP),
    _upsample(_INTERP_SCALE),
    _upsample(_INTERP_CORNERS),
    dataclasses.replace(
        _INTERP, torch="torch.nn.functional.upsample_nearest",
        torch_example="out = F.upsample_nearest(x, size=(2 * x.shape[2], 3 * x.shape[3]))",
        jax_example="out = jax.image.resize(x, x.shape[:2] + tuple(np.broadcast_to((2 * x.shape[2], 3 * x.shape[3]), "
                    "x.ndim - 2)), method='nearest', antialias=False)",
        sig="input, size=None, scale_factor=None",
        template=_INTERP.template.replace("{mode}", "'nearest'").replace("{antialias}", "False"),
        values={}, unsupported_args={"scale_factor": "see torch.nn.functional.interpolate[scale_factor]"},
        notes=("Deprecated in torch: F.interpolate(x, size, mode='nearest').", *_INTERP.notes)),
    dataclasses.replace(
        _INTERP_CORNERS, torch="torch.nn.functional.upsample_bilinear",
        torch_example="out = F.upsample_bilinear(x, size=(5, 7))",
        sig="input, size=None, scale_factor=None",
        notes=("Deprecated in torch: F.interpolate(x, size, mode='bilinear', align_corners=True).",
               *_INTERP_CORNERS.notes)),
    dataclasses.replace(
        _INTERP_CORNERS, torch="torch.nn.UpsamplingBilinear2d",
        torch_example="m = nn.UpsamplingBilinear2d(size=(5, 7))\nout = m(x)",
        sig="size=None, scale_factor=None",
        notes=("Bilinear upsampling with align_corners=True (as F.interpolate(..., mode='bilinear', "
               "align_corners=True)).", *_INTERP_CORNERS.notes)),
    Record(
        torch="torch.nn.functional.pdist",
        jax="jax.numpy.linalg.norm",
        aliases=("torch.pdist",),
        status="caveat",
        torch_example="out = F.pdist(x)",
        jax_example="out = " + _PDIST.replace("{input}", "x").replace("{p}", "2"),
        inputs=(T("x", "N,3", unique=True),),
        checks=("forward", "jit", "grad"),
        why_not={"bf16": "torch has no bfloat16 pdist on CPU (NotImplementedError)"},
        tol=Tol(1e-5, 1e-6, "float32: torch sums the squared differences in another order"),
        grad_tol=Tol(1e-5, 1e-5, "float32 backward through a norm: a few ulp"),
        sizes=(2, 5),
        notes=("The distances between every pair of rows i < j, in row-major order of the upper triangle "
               "(jnp.triu_indices); the pairs are gathered, so no zero distance of a row to itself enters the "
               "gradient.",
               "Two equal rows: torch's gradient at distance 0 is 0, JAX's norm gives nan. The draws are distinct."),
        differences=(Difference(
            note="gradient at two equal rows: torch 0, jnp.linalg.norm nan",
            torch="x = torch.tensor([[1.0, 2.0], [1.0, 2.0]], requires_grad=True)\nF.pdist(x).sum().backward()\n"
                  "out = x.grad",
            jax="out = jnp.nan_to_num(jax.grad(lambda x: jnp.linalg.norm(x[0] - x[1]))(jnp.array([[1.0, 2.0], "
                "[1.0, 2.0]])), nan=7.0)",
            min_diff=1.0),),
        sig="input, p=2",
        template=_PDIST,
    ),
    Record(
        torch="torch.nn.functional.affine_grid",
        jax="jax.numpy.meshgrid + einsum",
        torch_example="out = F.affine_grid(t, (2, 3, 4, 5), align_corners=False)",
        jax_example="out = " + _AFFINE.replace("{size}", "(2, 3, 4, 5)").replace("{theta}", "t"),
        inputs=(T("t", "2,2,3"),),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-6, 2e-6, "float32: torch's base grid comes from linspace, the rewrite's from (2 i + 1) / n - 1"),
        notes=("The sampling grid (N, H, W, 2) of a 2-D affine map: pixel centres in [-1, 1] (align_corners=False: "
               "(2 i + 1) / n - 1), then (x, y, 1) @ theta^T per sample.",
               "align_corners=True (corner pixels at -1 and 1: jnp.linspace(-1, 1, n)) and 3-D sizes (N, C, D, H, "
               "W) have no rewrite."),
        sig="theta, size, align_corners=None",
        template=_AFFINE,
    ),
    Record(
        torch="torch.nn.functional.grid_sample",
        jax="jax.scipy.ndimage.map_coordinates",
        torch_example="out = F.grid_sample(x, g, align_corners=False)",
        jax_example="out = " + _GRID_SAMPLE.replace("{input}", "x").replace("{grid}", "g"),
        inputs=(T("x", "N,2,4,5"), T("g", "N,3,2,2", low=-1.25, high=1.25)),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-5, 1e-6, "float32 bilinear weights from the unnormalised coordinates: a few ulp"),
        grad_tol=Tol(1e-5, 1e-5, "float32 bilinear weights from the unnormalised coordinates: a few ulp"),
        sizes=(1, 3),
        notes=("Bilinear sampling of NCHW input at grid points (N, H_out, W_out, 2) holding (x, y) in [-1, 1]: "
               "unnormalised to pixel coordinates ((g + 1) * size - 1) / 2 (align_corners=False) and interpolated "
               "with map_coordinates(order=1), which reads taps outside the image as 0 (padding_mode='zeros').",
               "mode='nearest' / 'bicubic', padding_mode='border' / 'reflection' and align_corners=True have no "
               "rewrite (map_coordinates offers order=0 and mode='nearest' / 'mirror' for some of them).",
               "A 5-D input (N, C, D, H, W: volumetric sampling) is not covered: the rewrite raises on it "
               "(map_coordinates gets 2 coordinates for each 3-D channel)."),
        sig="input, grid, mode='bilinear', padding_mode='zeros', align_corners=None",
        template=_GRID_SAMPLE,
    ),
    *(_fractional(nd, w) for nd in (2, 3) for w in (False, True)),
    _fractional_module(2),
    _fractional_module(3),
    Record(
        torch="torch.nn.functional.multi_head_attention_forward",
        jax="jax.nn.softmax (the attention written out)",
        status="manual",
        torch_example="out = F.multi_head_attention_forward(q, k, v, 4, 2, w, b, None, None, False, 0.0, ow, ob, "
                      "training=False)",
        jax_example=_MHA_JAX,
        inputs=(T("q", "L,N,4", low=-1, high=1), T("k", "S,N,4", low=-1, high=1), T("v", "S,N,4"),
                T("w", "12,4", low=-1, high=1), T("b", "12", low=-1, high=1), T("ow", "4,4"), T("ob", "4")),
        sizes=(1, 3),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-5, 1e-5, "float32 matmuls in another order"),
        grad_tol=Tol(1e-5, 1e-5, "float32 matmuls in another order"),
        notes=("Sequence-first (L, N, E) inputs; in_proj_weight stacks the q, k and v projections; the returned "
               "weights are averaged over heads. Masks add -inf (or a float mask) to the scores before the softmax; "
               "dropout_p > 0 drops attention weights with a key.",),
        reason="the functional core of nn.MultiheadAttention: write the projections and the attention out (example) "
               "or use nnx.MultiHeadAttention with the weights loaded (see torch.nn.MultiheadAttention)",
    ),
    Record(
        torch="torch.nn.functional.linear_cross_entropy",
        jax="optax.softmax_cross_entropy_with_integer_labels",
        status="manual",
        torch_example="out = F.linear_cross_entropy(x, w, y)",
        jax_example="out = jnp.mean(optax.softmax_cross_entropy_with_integer_labels(x @ w.T, y))",
        inputs=(T("x", "N,4"), T("w", "5,4"), T("y", "N", "int64", 0, 5)),
        sizes=(1, 5),
        checks=("forward", "jit", "grad"),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("Cross entropy of the logits input @ linear_weight^T (+ linear_bias); torch may chunk the computation "
               "to save memory (options=), the value is the same.",
               "weight, ignore_index and label_smoothing are those of torch.nn.functional.cross_entropy."),
        reason="one fused call in torch; in JAX the logits are a matmul and the loss is optax's (or compute it in "
               "chunks under jax.checkpoint to save memory)",
    ),
    Record(
        torch="torch.nn.functional.grouped_mm",
        jax="jax.lax.ragged_dot",
        status="manual",
        torch_example="out = F.grouped_mm(a, b, offs=torch.tensor([3, 8], dtype=torch.int32))",
        jax_example="out = lax.ragged_dot(a, b, jnp.diff(jnp.array([3, 8]), prepend=0))",
        inputs=(T("a", "8,8"), T("b", "2,8,8")),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-5, 1e-5, "float32 matmul: the products are summed in another order"),
        grad_tol=Tol(1e-5, 1e-5, "float32 matmul: the products are summed in another order"),
        notes=("Rows [offs[g - 1], offs[g]) of mat_a are multiplied by mat_b[g]: lax.ragged_dot takes the group "
               "sizes (the differences of offs) instead of their cumulative ends.",
               "Other shapes (2-D mat_b with offs over K, 3-D by 3-D) map to lax.ragged_dot_general."),
        reason="offs (cumulative ends) becomes group sizes, and the other operand layouts need "
               "lax.ragged_dot_general's dimension numbers: check the shapes at each call",
    ),
    Record(
        torch="torch.nn.CrossMapLRN2d",
        jax="jax.numpy.cumsum (the legacy window)",
        status="manual",
        torch_example="m = nn.CrossMapLRN2d(3, alpha=1e-2, beta=0.75, k=2.0)\nout = m(x)",
        jax_example=(
            "n, alpha, beta, k = 3, 1e-2, 0.75, 2.0\n"
            "C, pre = x.shape[1], (n - 1) // 2 + 1\n"
            "S = jnp.cumsum(x ** 2, axis=1)\n"
            "c = np.arange(C)\n"
            "high = S[:, np.minimum(c + pre - 1, C - 1)]\n"
            "low = jnp.where((c - pre >= 1)[:, None, None], S[:, np.maximum(c - pre, 0)] - S[:, :1], 0.0)\n"
            "out = x * (k + alpha / n * (high - low)) ** -beta"
        ),
        inputs=(T("x", "N,6,3,3"),),
        sizes=(1, 3),
        checks=("forward", "jit"),
        why_not={"grad": "torch's legacy backward is not the derivative of its own forward (it assumes the symmetric "
                         "window): 4.7e-3 from central differences of torch's forward, measured at size 3 on a "
                         "(1, 6, 2, 2) input; jax.grad differentiates the forward as written"},
        tol=Tol(1e-5, 1e-6, "float32: torch's running sum adds and subtracts squares one channel at a time"),
        notes=("A legacy layer: its channel window is not LocalResponseNorm's. Channel c sums the squares of "
               "channels up to c + pre - 1 (pre = (size - 1) // 2 + 1) from a running sum that, past channel pre, "
               "removes channels 1, 2, ... but never channel 0 (measured: 3.4e-3 from F.local_response_norm at "
               "size 3). The example reproduces torch's window with a cumulative sum.",),
        reason="no JAX layer has this legacy window: write it out (example), or use local response norm "
               "(torch.nn.LocalResponseNorm) if the exact legacy numbers are not needed",
    ),
    Record(
        torch="torch.nn.Buffer",
        jax="flax.nnx.Variable",
        status="manual",
        torch_example="b = nn.Buffer(x)\nout = b * 2",
        jax_example="b = nnx.Variable(x)\nout = b[...] * 2",
        inputs=(T("x", "N,3"),),
        checks=("forward", "jit"),
        why_not={"grad": "builds a new tensor that does not require grad: torch's gradient never flows back to x"},
        notes=("A buffer is module state that is not trained: in nnx an nnx.Variable (or a subclass such as "
               "nnx.BatchStat) attribute, which nnx.grad(..., wrt=nnx.Param) leaves alone and nnx.state / "
               "nnx.split keep with the module. persistent=False (not in the state_dict) has no nnx "
               "counterpart: keep such values outside the saved state.",),
        reason="assign `self.name = nnx.Variable(value)` in the nnx.Module's __init__ (a buffer only means "
               "something as a module attribute)",
    ),
    Record(
        torch="torch.nn.ParameterList",
        jax="flax.nnx.List of nnx.Param",
        status="manual",
        torch_example="p = nn.ParameterList([nn.Parameter(x), nn.Parameter(2 * x)])\nout = p[0] + p[1]",
        jax_example="p = nnx.List([nnx.Param(x), nnx.Param(2 * x)])\nout = p[0][...] + p[1][...]",
        inputs=(T("x", "N,3"),),
        checks=("forward", "jit"),
        why_not={"grad": "builds new leaf parameters: torch's gradient never flows back to x"},
        notes=("In an nnx.Module, a list of parameters is an nnx.List attribute (nnx tracks the Params inside "
               "it).",),
        reason="assign `self.params = nnx.List([nnx.Param(...), ...])` in the nnx.Module's __init__",
    ),
    Record(
        torch="torch.nn.ParameterDict",
        jax="flax.nnx.Dict of nnx.Param",
        status="manual",
        torch_example="p = nn.ParameterDict({'a': nn.Parameter(x), 'b': nn.Parameter(2 * x)})\nout = p['a'] * p['b']",
        jax_example="p = nnx.Dict({'a': nnx.Param(x), 'b': nnx.Param(2 * x)})\nout = p['a'][...] * p['b'][...]",
        inputs=(T("x", "N,3"),),
        checks=("forward", "jit"),
        why_not={"grad": "builds new leaf parameters: torch's gradient never flows back to x"},
        notes=("In an nnx.Module, a dict of parameters is an nnx.Dict attribute (nnx tracks the Params inside "
               "it).",),
        reason="assign `self.params = nnx.Dict({...: nnx.Param(...)})` in the nnx.Module's __init__",
    ),
    _unsupported("torch.nn.RNNBase", "out = issubclass(nn.LSTM, nn.RNNBase)",
                 "out = issubclass(nnx.OptimizedLSTMCell, nnx.RNNCellBase)  # cells, scanned by nnx.RNN",
                 "the shared base class of torch's RNN / LSTM / GRU (not used directly): see those records; in nnx "
                 "a recurrent layer is nnx.RNN(cell) over an nnx.RNNCellBase subclass"),
    _unsupported("torch.nn.RNNCellBase", "out = issubclass(nn.GRUCell, nn.RNNCellBase)",
                 "out = issubclass(nnx.GRUCell, nnx.RNNCellBase)",
                 "the base class of torch's RNN cells: see torch.nn.RNNCell / LSTMCell / GRUCell; custom cells in "
                 "nnx subclass nnx.RNNCellBase"),
    _unsupported("torch.nn.Container", "out = issubclass(nn.Container, nn.Module)", "out = True",
                 "deprecated in torch (use nn.Module): write an nnx.Module (see torch.nn.Module)"),
    _unsupported("torch.nn.UninitializedParameter", "out = isinstance(nn.LazyLinear(3).weight, "
                 "nn.UninitializedParameter)", "out = True  # nnx modules know their shapes when built",
                 "the placeholder of a Lazy* module before its first call; nnx modules are built with their input "
                 "size (see the Lazy* records)"),
    _unsupported("torch.nn.UninitializedBuffer", "out = isinstance(nn.LazyBatchNorm1d().running_mean, "
                 "nn.UninitializedBuffer)", "out = True  # nnx modules know their shapes when built",
                 "the placeholder of a Lazy* module's buffers before its first call; nnx modules are built with "
                 "their input size"),
    _unsupported("torch.nn.factory_kwargs", "out = nn.factory_kwargs({'device': None, 'dtype': None})",
                 "out = {}  # nnx modules take param_dtype= / dtype=; placement is jax.device_put",
                 _INTERNAL + " (it packs device= and dtype= for module constructors)"),
    _unsupported("torch.nn.LinearCrossEntropyOptions", "out = nn.LinearCrossEntropyOptions().chunking_method",
                 "out = None  # no options: compute the logits, or chunk them under jax.checkpoint",
                 "memory options of torch's fused linear cross entropy (chunking, accumulation dtype); the JAX "
                 "pattern (torch.nn.functional.linear_cross_entropy) materialises or chunks the logits itself"),
    _unsupported("torch.nn.functional.scaled_mm", "out = callable(F.scaled_mm)",
                 "out = True  # float8 matmuls: jax.lax.dot_general on float8 arrays, or jax.nn.scaled_matmul",
                 "float8 matmuls with scales on CUDA devices (no CPU kernel to compare against); JAX multiplies "
                 "jnp.float8_e4m3fn arrays with lax.dot_general(preferred_element_type=...) or jax.nn.scaled_matmul"),
    _unsupported("torch.nn.functional.scaled_grouped_mm", "out = callable(F.scaled_grouped_mm)",
                 "out = True  # grouped: jax.lax.ragged_dot on float8 arrays",
                 "float8 grouped matmuls with scales on CUDA devices (no CPU kernel to compare against); see "
                 "torch.nn.functional.grouped_mm (lax.ragged_dot)"),
    _unsupported("torch.nn.functional.ScalingType", "out = F.ScalingType.__name__", "out = 'ScalingType'",
                 "an enum of float8 scaling layouts for scaled_mm (CUDA only)"),
    _unsupported("torch.nn.functional.SwizzleType", "out = F.SwizzleType.__name__", "out = 'SwizzleType'",
                 "an enum of float8 scale swizzles for scaled_mm (CUDA only)"),
    *(_unsupported(f"torch.nn.functional.{name}", f"out = callable(F.{name})", "out = True", _INTERNAL)
      for name in ("assert_int_or_pair", "boolean_dispatch", "handle_torch_function", "has_torch_function",
                   "has_torch_function_unary", "has_torch_function_variadic")),
]
