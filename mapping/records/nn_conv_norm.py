"""Convolutions, normalisations and patch layers beyond nn.py / nn_functional.py: 3-D and 1-D / 3-D transposed
convolutions, conv_tbc, BatchNorm3d, the Lazy* modules, local response norm, Fold / Unfold and EmbeddingBag.

Functions keep torch's layouts through lax's dimension_numbers (no transposes); NNX modules are channels-last, so
their examples move the channel axis around the call, as nn.py does for the 2-D layers.
"""

from mapping.record import Choice, Difference, Record, T, Tol

_CONV = Tol(1e-5, 2e-5, "float32 convolution: oneDNN and XLA sum the window products in a different order")
_CONVT3 = Tol(1e-5, 4e-5, "float32 3-d transposed convolution: each output sums up to C_in * 27 window products "
              "and the error grows with the sum of their |values|, not the result: on PyTorch's OpInfo sample (4 "
              "channels, values up to 9) an entry of -0.0355 out of a sum of |products| of 1375 is 8.3e-6 (torch) and "
              "2.0e-5 (JAX) from float64, 2.8e-5 apart")
_CONVT3_GRAD = Tol(1e-5, 8e-5, "float32 gradient of a 3-d transposed convolution: a 3-d convolution of the "
                   "cotangent with the weight, C_out * 27 products per entry; on PyTorch's OpInfo sample (an "
                   "unbatched 4x5x5x5 input, 8 output channels, values up to 9, sums of |products| up to 922) torch is "
                   "6.4e-5 and JAX 6.8e-5 from float64, 6.9e-5 apart")
_DIMS = {1: ("NCH", "OIH", "IOH"), 2: ("NCHW", "OIHW", "IOHW"), 3: ("NCDHW", "OIDHW", "IODHW")}
_NO_DEVICE = {"device": "JAX places arrays with jax.device_put / shardings",
              "dtype": "pass param_dtype= (and dtype= for the computation) to the NNX module"}
_LAYOUT = ("Layout: nnx modules are channels-last while torch code passes channels-first: transpose at each call, as "
           "the JAX example does. --fix leaves it to you (caveat).")


def _bias(nd: int, b: str) -> str:
    """Per output channel, the axis before the spatial ones: batched and unbatched outputs alike."""
    return f" + {b}.reshape(-1{', 1' * nd})"


def _unbatched(nd: int, x: str, conv: str) -> str:
    """`conv` (with `@` where the input goes) on an input with or without the batch axis: an unbatched one gets
    it for lax.conv_general_dilated and loses it after (the rank is static under jax.jit). A template hole is
    bound once by a lambda, as the codemod writes it for a name."""
    v = x if x.isidentifier() else "input"
    body = conv.replace("@", f"{v}[(None,) * ({nd + 2} - {v}.ndim)]", 1) + f"[(0,) * ({nd + 2} - {v}.ndim)]"
    return body if v == x else f"(lambda input: {body})({x})"


def _conv(nd: int, x: str, w: str, s: str, p: str, d: str, g: str) -> str:
    lhs, rhs, _ = _DIMS[nd]
    return _unbatched(nd, x, f"lax.conv_general_dilated(@, {w}, np.broadcast_to({s}, {nd}), [(n, n) for n in "
                      f"np.broadcast_to({p}, {nd})], rhs_dilation=np.broadcast_to({d}, {nd}), feature_group_count={g}, "
                      f"dimension_numbers=('{lhs}', '{rhs}', '{lhs}'))")


def _convt(nd: int, x: str, w: str, s: str, p: str, op: str, d: str) -> str:
    lhs, _, rhs = _DIMS[nd]
    flip = tuple(range(2, 2 + nd))
    return _unbatched(nd, x, f"lax.conv_general_dilated(@, jnp.flip({w}, {flip}), {(1,) * nd}, [(dl * (k - 1) - pd, "
                      f"dl * (k - 1) - pd + o) for k, pd, o, dl in zip({w}.shape[2:], np.broadcast_to({p}, {nd}), "
                      f"np.broadcast_to({op}, {nd}), np.broadcast_to({d}, {nd}))], lhs_dilation=np.broadcast_to({s}, "
                      f"{nd}), rhs_dilation=np.broadcast_to({d}, {nd}), dimension_numbers=('{lhs}', '{rhs}', '{lhs}'))")


def _conv_records(nd: int) -> list[Record]:
    """F.conv{nd}d with and without bias."""
    sp = ",".join("L" * nd)
    sig = "input, weight, bias=None, stride=1, padding: int | tuple = 0, dilation=1, groups=1"
    common = dict(jax="jax.lax.conv_general_dilated", checks=("forward", "jit", "grad", "bf16"), tol=_CONV,
                  grad_tol=_CONV, sizes=(3, 5), sig=sig)
    tpl = _conv(nd, "{input}", "{weight}", "{stride}", "{padding}", "{dilation}", "{groups}")
    return [
        Record(torch=f"torch.nn.functional.conv{nd}d",
               torch_example=f"out = tuple(F.conv{nd}d(a, w, stride=s, padding=p, dilation=d, groups=2) "
                             "for a in (x, u))",
               jax_example=f"out = tuple({_conv(nd, 'a', 'w', 's', 'p', 'd', '2')} for a in (x, u))",
               inputs=(T("x", f"1,4,{sp}"), T("u", f"4,{sp}"), T("w", f"2,2,{','.join('2' * nd)}"), Choice("s", (1, 2)),
                       Choice("p", (0, 1)), Choice("d", (1, 2))),
               notes=(f"dimension_numbers {_DIMS[nd][0]!r} / {_DIMS[nd][1]!r} keep torch's layouts: no transposes. "
                      "np.broadcast_to turns torch's int-or-tuple arguments into one value per spatial axis; "
                      "padding='same' / 'valid' are lax's 'SAME' / 'VALID' (the codemod leaves them to you).",
                      "An unbatched input (no batch axis, which torch accepts) gets the batch axis for the "
                      "convolution and loses it after.",
                      "With a bias: the [bias] entry."),
               template=tpl, unsupported_args={"bias": "see the [bias] entry"}, **common),
        Record(torch=f"torch.nn.functional.conv{nd}d", variant="bias",
               torch_example=f"out = tuple(F.conv{nd}d(a, w, b, padding=1) for a in (x, u))",
               jax_example=f"out = tuple(({_conv(nd, 'a', 'w', '1', '1', '1', '1')}{_bias(nd, 'b')}) for a in (x, u))",
               inputs=(T("x", f"1,2,{sp}"), T("u", f"2,{sp}"), T("w", f"3,2,{','.join('2' * nd)}"), T("b", "3")),
               notes=("The bias is per output channel (the axis before the spatial ones).",),
               template=tpl + _bias(nd, "{bias}"), **common),
    ]


def _convt_records(nd: int) -> list[Record]:
    """F.conv_transpose{nd}d with and without bias."""
    sp = ",".join("L" * nd)
    sig = "input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1"
    groups = ("grouped transposed convolution needs the kernel regrouped per group: split the input and weight by "
              "group and concatenate the outputs")
    common = dict(jax="jax.lax.conv_general_dilated", checks=("forward", "jit", "grad", "bf16"),
                  tol=_CONVT3 if nd == 3 else _CONV, grad_tol=_CONVT3_GRAD if nd == 3 else _CONV, sizes=(3, 4),
                  sig=sig)
    tpl = _convt(nd, "{input}", "{weight}", "{stride}", "{padding}", "{output_padding}", "{dilation}")
    note = ("The transposed convolution is a convolution of the input dilated by stride, with the kernel flipped and "
            f"its in/out axes swapped (torch's weight is [in, out, *k]: {_DIMS[nd][2]!r}), padded by "
            "dilation * (k - 1) - padding on each side plus output_padding at the end (see conv_transpose2d).")
    return [
        Record(torch=f"torch.nn.functional.conv_transpose{nd}d",
               torch_example=f"out = tuple(F.conv_transpose{nd}d(a, w, stride=2, padding=p, output_padding=q, "
                             "dilation=d) for a in (x, u))",
               jax_example=f"out = tuple({_convt(nd, 'a', 'w', '2', 'p', 'q', 'd')} for a in (x, u))",
               inputs=(T("x", f"1,2,{sp}"), T("u", f"2,{sp}"), T("w", f"2,3,{','.join('3' * nd)}"), Choice("p", (0, 1)),
                       Choice("q", (0, 1)), Choice("d", (1, 2))),
               notes=(note, "With a bias: the [bias] entry."),
               template=tpl, unsupported_args={"bias": "see the [bias] entry", "groups": groups}, **common),
        Record(torch=f"torch.nn.functional.conv_transpose{nd}d", variant="bias",
               torch_example=f"out = tuple(F.conv_transpose{nd}d(a, w, b, stride=2, padding=1, output_padding=1) "
                             "for a in (x, u))",
               jax_example=f"out = tuple(({_convt(nd, 'a', 'w', '2', '1', '1', '1')}{_bias(nd, 'b')}) for a in (x, u))",
               inputs=(T("x", f"1,2,{sp}"), T("u", f"2,{sp}"), T("w", f"2,3,{','.join('3' * nd)}"), T("b", "3")),
               notes=(note,), template=tpl + _bias(nd, "{bias}"), unsupported_args={"groups": groups}, **common),
    ]


def _to_last(nd: int, v: str) -> str:
    return f"jnp.moveaxis({v}, 1, -1)"


def _conv_transpose_module(nd: int) -> Record:
    sp = ",".join("L" * nd)
    tkernel = "({kernel_size},)" + ("" if nd == 1 else f" * {nd}")
    kernel = tkernel.replace("{kernel_size}", "3")
    return Record(
        torch=f"torch.nn.ConvTranspose{nd}d",
        jax="flax.nnx.ConvTranspose",
        status="caveat",
        torch_example=f"m = nn.ConvTranspose{nd}d(2, 3, 3, stride=s, padding=p, output_padding=op)\nout = m(x)",
        jax_example=(
            "from mapping.convert import conv_transpose_padding, load_conv_transpose\n"
            "rngs = nnx.Rngs(0)\n"
            f"m = nnx.ConvTranspose(2, 3, {kernel}, strides=s, padding=conv_transpose_padding({kernel}, p, op, 1), "
            "kernel_dilation=1, transpose_kernel=True, use_bias=True, rngs=rngs)\n"
            "load_conv_transpose(m, sd)\n"
            f"out = jnp.moveaxis(m({_to_last(nd, 'x')}), -1, 1)  # channels-first in and out"
        ),
        inputs=(T("x", f"1,2,{sp}"), Choice("s", (2, 3)), Choice("p", (0, 1)), Choice("op", (0, 1))),
        sizes=(2, 4),
        checks=("forward", "jit", "grad"),
        tol=_CONV,
        grad_tol=_CONV,
        notes=(_LAYOUT, "torch's padding crops the full transposed convolution; conv_transpose_padding turns "
               "padding / output_padding / dilation into nnx's explicit pairs (see torch.nn.ConvTranspose2d).",
               "nnx.ConvTranspose has no feature_group_count: groups > 1 has no NNX equivalent."),
        sig="in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, "
            "dilation=1, padding_mode='zeros', device=None, dtype=None",
        template=f"nnx.ConvTranspose({{in_channels}}, {{out_channels}}, {tkernel}, strides={{stride}}, "
                 f"padding=conv_transpose_padding({tkernel}, {{padding}}, {{output_padding}}, {{dilation}}), "
                 "kernel_dilation={dilation}, transpose_kernel=True, use_bias={bias}, rngs=rngs)",
        unsupported_args={"groups": "nnx.ConvTranspose has no feature_group_count",
                          "padding_mode": "torch only allows 'zeros' here", **_NO_DEVICE},
    )


def _lrn(x: str, size: str, alpha: str, beta: str, k: str) -> str:
    return (f"{x} / ({k} + {alpha} * lax.reduce_window({x} ** 2, 0.0, lax.add, (1, {size}) + (1,) * ({x}.ndim - 2), "
            f"(1,) * {x}.ndim, [(0, 0), ({size} // 2, ({size} - 1) // 2)] + [(0, 0)] * ({x}.ndim - 2)) / {size}) "
            f"** {beta}")


_LRN_NOTE = ("Each value is divided by (k + alpha / size * sum of squares over `size` neighbouring channels) ** beta; "
             "the channel window is [c - size // 2, c + (size - 1) // 2], zero outside, as torch's.")
_LRN_INT = Difference(
    note="an int tensor: torch averages the squares in integer arithmetic (rounding down): 1.0 where the float "
         "formula gives 0.738",
    torch="out = F.local_response_norm(torch.tensor([[[1], [2]]]), 2, alpha=1.0)",
    jax="x = jnp.array([[[1], [2]]])\n"
        "out = x / (1.0 + 1.0 * lax.reduce_window(x ** 2, 0.0, lax.add, (1, 2, 1), (1, 1, 1), "
        "[(0, 0), (1, 0), (0, 0)]) / 2) ** 0.75",
    min_diff=0.2,
)
_LRN_INT_NOTE = ("On integer tensors torch averages the squares in integer arithmetic, rounding each average down; the "
                 "rewrite averages in float32 (PyTorch's OpInfo int inputs found it). Checked on float32.")
_LRN_TOL = Tol(1e-5, 1e-6, "torch averages the squares and multiplies by alpha; the rewrite sums and divides: "
                           "a few ulp")


def _fold(x: str, o: str, k: str, d: str, p: str, s: str) -> str:
    """fold is the transpose (VJP) of unfold: the patches summed back into place."""
    return (f"jax.vjp(lambda t: lax.collapse(lax.conv_general_dilated_patches(t, np.broadcast_to({k}, 2), "
            f"np.broadcast_to({s}, 2), [(n, n) for n in np.broadcast_to({p}, 2)], "
            f"rhs_dilation=np.broadcast_to({d}, 2), "
            f"dimension_numbers=('NCHW', 'OIHW', 'NCHW')), 2), jnp.zeros(({x}.shape[0], {x}.shape[1] // "
            f"int(np.prod(np.broadcast_to({k}, 2))), *np.broadcast_to({o}, 2)), {x}.dtype))[1]({x})[0]")


def _unfold(x: str, k: str, d: str, p: str, s: str) -> str:
    return (f"lax.collapse(lax.conv_general_dilated_patches({x}, np.broadcast_to({k}, 2), np.broadcast_to({s}, 2), "
            f"[(n, n) for n in np.broadcast_to({p}, 2)], rhs_dilation=np.broadcast_to({d}, 2), "
            "dimension_numbers=('NCHW', 'OIHW', 'NCHW')), 2)")


_FOLD_NOTE = ("fold sums each column of patch values back into its window (overlaps add up): it is the transpose of "
              "unfold, so the rewrite takes unfold's VJP at a zero image of the output size. The rewrite assumes "
              "batched input (N, C * prod(kernel_size), L).")
_BAG = {"'mean'": "jnp.mean", "'sum'": "jnp.sum", "'max'": "jnp.max"}
_BAG_UNSUPPORTED = {
    "offsets": "bags of varying length (1-D input with offsets): jax.ops.segment_sum(weight[input], segment_ids, "
               "num_segments) with segment_ids = jnp.cumsum(jnp.zeros(len(input), int).at[offsets[1:]].add(1)) "
               "(divide by the bag sizes for 'mean', segment_max for 'max')",
    "max_norm": "renormalise the looked-up rows yourself (torch also rewrites weight in place)",
    "norm_type": "only used with max_norm",
    "scale_grad_by_freq": "scale the gradient rows by 1 / count of each index yourself",
    "sparse": "JAX gradients are dense arrays: there is no sparse gradient to ask for",
    "per_sample_weights": "multiply jnp.take(weight, input, axis=0) by per_sample_weights[..., None] before the sum",
    "include_last_offset": "only used with offsets",
    "padding_idx": "mask the rows of padding_idx out of the reduction (jnp.where) and count only the others",
}


def _lazy(name: str, torch_args: str, x: str, build: str, load: str, call: str, tol: Tol = _CONV) -> Record:
    return Record(
        torch=f"torch.nn.{name}",
        jax="flax.nnx (in_features from the input's shape)",
        status="manual",
        torch_example=f"m = nn.{name}({torch_args})\nout = m(x)",
        jax_example=f"from mapping.convert import {load}\nrngs = nnx.Rngs(0)\nm = {build}\n{load}(m, sd)\nout = {call}",
        inputs=(T("x", x, unique=True),),
        sizes=(2, 4),
        checks=("forward", "jit", "grad"),
        tol=tol,
        grad_tol=tol,
        notes=("The lazy module infers its input size at the first call; an nnx module is built with it: take it "
               "from a sample batch's shape (x.shape[1], channels-first) where the model is constructed.",),
        reason="nnx modules create their parameters in __init__, so the input size must be known there: pass "
               "x.shape[1] (or the known feature count) to the non-lazy nnx module (example)",
    )


_NORM = Tol(1e-6, 1e-5, "float32 batch statistics: sums over the batch in a different order")

RECORDS = [
    *(r for nd in (3,) for r in _conv_records(nd)),
    *(r for nd in (1, 3) for r in _convt_records(nd)),
    _conv_transpose_module(1),
    _conv_transpose_module(3),
    Record(
        torch="torch.nn.functional.conv_tbc",
        jax="jax.lax.conv_general_dilated",
        aliases=("torch.conv_tbc",),
        torch_example="out = F.conv_tbc(x, w, b, p)",
        jax_example="out = lax.conv_general_dilated(x, w, (1,), [(p, p)], dimension_numbers=('WNC', 'WIO', 'WNC')) + b",
        inputs=(T("x", "L,2,3", contiguous=True), T("w", "2,3,4", contiguous=True), T("b", "4"), Choice("p", (0, 1))),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_CONV,
        grad_tol=_CONV,
        sizes=(3, 6),
        notes=("Time-batch-channel layout: input (T, N, C_in), weight (k, C_in, C_out), bias (C_out); "
               "dimension_numbers ('WNC', 'WIO', 'WNC') read them as they are.",
               "torch's backward needs contiguous input and weight (a transposed view raises in its view())."),
        sig="input, weight, bias, pad=0",
        template="lax.conv_general_dilated({input}, {weight}, (1,), [({pad}, {pad})], "
                 "dimension_numbers=('WNC', 'WIO', 'WNC')) + {bias}",
    ),
    Record(
        torch="torch.nn.BatchNorm3d",
        jax="flax.nnx.BatchNorm",
        status="caveat",
        torch_example="m = nn.BatchNorm3d(2)\ny = m(x)\nout = (y, m.running_mean, m.running_var)",
        jax_example=(
            "from mapping.convert import load_norm\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.BatchNorm(2, axis=1, momentum=1 - 0.1, epsilon=1e-5, use_scale=True, use_bias=True, "
            "use_fast_variance=False, rngs=rngs)\n"
            "load_norm(m, sd)  # weight and bias; the running stats start at (0, 1) as in a fresh torch module\n"
            "y = m(x)\n"
            "# nnx updates var with the biased batch variance, torch with the unbiased one: add the gap\n"
            "n = x.size // x.shape[1]\n"
            "gap = (1 - m.momentum) * jnp.var(x, axis=(0, *range(2, x.ndim))) / (n - 1)\n"
            "m.var.set_value(lax.stop_gradient(m.var[...] + gap))\n"
            "out = (y, m.mean[...], m.var[...])"
        ),
        inputs=(T("x", "N,2,L,L,L", unique=True),),
        sizes=(2, 3),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-6, 2e-6, "batch statistics: float32 sums over N*D*H*W values in different orders"),
        notes=("Training mode on NCDHW input: nnx.BatchNorm with axis=1 needs no transpose.",
               "Momentum is inverted (torch 0.1 == nnx 0.9) and nnx updates running_var with the biased batch "
               "variance where torch uses the unbiased one: see torch.nn.BatchNorm2d, which shows both; the JAX "
               "example adds the gap by hand.",
               "Eval mode: m.eval() in both, after loading running_mean / running_var with load_batch_norm.",
               "An empty batch (N = 0) in training mode: torch leaves the running statistics as they were, "
               "nnx.BatchNorm sets them to nan (found by torch's module_db inputs)."),
        differences=(
            Difference(
                note="an empty batch: torch keeps the running statistics, nnx.BatchNorm makes them nan (1 = nan)",
                torch="m = nn.BatchNorm3d(2)\nm(torch.zeros(0, 2, 1, 1, 1))\nout = torch.isnan(m.running_mean).float()",
                jax="m = nnx.BatchNorm(2, axis=1, momentum=0.9, rngs=nnx.Rngs(0))\nm(jnp.zeros((0, 2, 1, 1, 1)))\n"
                    "out = jnp.isnan(m.mean[...]).astype(jnp.float32)",
                min_diff=1.0,
            ),
        ),
        sig="num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, "
            "dtype=None, bias=True",
        template="nnx.BatchNorm({num_features}, axis=1, momentum=1 - {momentum}, epsilon={eps}, use_scale={affine}, "
                 "use_bias={affine}, use_fast_variance=False, rngs=rngs)",
        unsupported_args={
            "track_running_stats": "without running statistics torch always normalises with batch statistics: "
                                   "call the nnx module with use_running_average=False in eval too",
            "bias": "bias=False: pass use_bias=False", **_NO_DEVICE},
    ),
    Record(
        torch="torch.nn.functional.local_response_norm",
        jax="jax.lax.reduce_window",
        status="caveat",
        differences=(_LRN_INT,),
        torch_example="out = F.local_response_norm(x, n, alpha=1e-2, beta=0.75, k=2.0)",
        jax_example=f"out = {_lrn('x', 'n', '1e-2', '0.75', '2.0')}",
        inputs=(T("x", "N,5,L,L"), Choice("n", (3, 2, 5))),
        checks=("forward", "jit", "grad"),
        why_not={"bf16": "on 4-D input torch pools with avg_pool3d, which has no bfloat16 kernel on CPU "
                         "(torch.nn.LocalResponseNorm checks bfloat16 on 3-D input)"},
        tol=_LRN_TOL,
        grad_tol=_LRN_TOL,
        sizes=(1, 3),
        notes=(_LRN_NOTE, _LRN_INT_NOTE),
        sig="input, size, alpha=1e-4, beta=0.75, k=1.0",
        template=_lrn("{input}", "{size}", "{alpha}", "{beta}", "{k}"),
    ),
    Record(
        torch="torch.nn.LocalResponseNorm",
        jax="jax.lax.reduce_window",
        status="caveat",
        differences=(_LRN_INT,),
        torch_example="m = nn.LocalResponseNorm(n, alpha=1e-2, k=2.0)\nout = m(x)",
        jax_example=f"m = lambda x: {_lrn('x', 'n', '1e-2', '0.75', '2.0')}\nout = m(x)",
        inputs=(T("x", "N,5,L"), Choice("n", (3, 4))),
        checks=("forward", "jit", "grad", "bf16"),
        tol=_LRN_TOL,
        grad_tol=_LRN_TOL,
        sizes=(1, 4),
        notes=(_LRN_NOTE, _LRN_INT_NOTE),
        sig="size, alpha=1e-4, beta=0.75, k=1.0",
        template="lambda x: " + _lrn("x", "{size}", "{alpha}", "{beta}", "{k}"),
    ),
    Record(
        torch="torch.nn.functional.fold",
        jax="jax.vjp of jax.lax.conv_general_dilated_patches",
        torch_example="out = F.fold(x, (4, 5), (2, 3), padding=1, stride=2)",
        jax_example=f"out = {_fold('x', '(4, 5)', '(2, 3)', '1', '1', '2')}",
        inputs=(T("x", "N,12,9"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(1, 3),
        notes=(_FOLD_NOTE, "Here the windows overlap along the width (kernel 3, stride 2): the overlaps add up."),
        sig="input, output_size, kernel_size, dilation=1, padding=0, stride=1",
        template=_fold("{input}", "{output_size}", "{kernel_size}", "{dilation}", "{padding}", "{stride}"),
    ),
    Record(
        torch="torch.nn.Fold",
        jax="jax.vjp of jax.lax.conv_general_dilated_patches",
        torch_example="m = nn.Fold((3, 4), 2)\nout = m(x)",
        jax_example=f"m = lambda x: {_fold('x', '(3, 4)', '2', '1', '0', '1')}\nout = m(x)",
        inputs=(T("x", "N,8,6"),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(1, 3),
        notes=(_FOLD_NOTE,),
        sig="output_size, kernel_size, dilation=1, padding=0, stride=1",
        template="lambda x: " + _fold("x", "{output_size}", "{kernel_size}", "{dilation}", "{padding}", "{stride}"),
    ),
    Record(
        torch="torch.nn.Unfold",
        jax="jax.lax.conv_general_dilated_patches",
        torch_example="m = nn.Unfold((2, 3), padding=p, stride=s)\nout = m(x)",
        jax_example=f"m = lambda x: {_unfold('x', '(2, 3)', '1', 'p', 's')}\nout = m(x)",
        inputs=(T("x", "2,3,H,W"), Choice("p", (0, 1)), Choice("s", (1, 2))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(3, 5),
        notes=("Patch features are ordered channel-major, then kernel row, then kernel column, positions "
               "flattened row-major (see torch.nn.functional.unfold).",),
        sig="kernel_size, dilation=1, padding=0, stride=1",
        template="lambda x: " + _unfold("x", "{kernel_size}", "{dilation}", "{padding}", "{stride}"),
    ),
    Record(
        torch="torch.nn.functional.embedding_bag",
        jax="jax.numpy.take + a reduction",
        torch_example="out = (F.embedding_bag(i, w), F.embedding_bag(i, w, mode='sum'), "
                      "F.embedding_bag(i, w, mode='max'))",
        jax_example="out = (jnp.mean(jnp.take(w, i, axis=0), axis=1), jnp.sum(jnp.take(w, i, axis=0), axis=1), "
                    "jnp.max(jnp.take(w, i, axis=0), axis=1))",
        inputs=(T("i", "N,B", "int64", 0, 6), T("w", "6,3", unique=True)),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(1, 4),
        notes=("A 2-D input is a batch of bags of equal length B: look the rows up and reduce over axis 1 "
               "(mode 'mean', 'sum' or 'max').",
               "A 1-D input with offsets (bags of varying length) has no rewrite: see the reason under offsets "
               "(jax.ops.segment_sum).",
               "Out-of-range indices raise in torch; jnp.take clamps them (see torch.nn.functional.embedding)."),
        sig="input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode='mean', "
            "sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None",
        template="{mode}(jnp.take({weight}, {input}, axis=0), axis=1)",
        values={"mode": _BAG},
        unsupported_args=_BAG_UNSUPPORTED,
    ),
    Record(
        torch="torch.nn.EmbeddingBag",
        jax="flax.nnx.Embed + a reduction",
        status="manual",
        torch_example="m = nn.EmbeddingBag(6, 3, mode='sum')\nout = m(i)",
        jax_example=(
            "from mapping.convert import load_embedding\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Embed(6, 3, rngs=rngs)\n"
            "load_embedding(m, sd)\n"
            "out = jnp.sum(m(i), axis=1)"
        ),
        inputs=(T("i", "N,B", "int64", 0, 6),),
        checks=("forward", "jit", "grad"),
        sizes=(1, 4),
        notes=("Bags of equal length (2-D input): the embedding lookup, then jnp.mean / jnp.sum / jnp.max over axis 1 "
               "for mode 'mean' / 'sum' / 'max'. Bags of varying length: jax.ops.segment_sum over the looked-up rows "
               "(see torch.nn.functional.embedding_bag).",),
        reason="the reduction moves from the module to each call site (nnx.Embed, then the mode's reduction over "
               "the bag axis): the constructor alone cannot be rewritten",
        sig="num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, mode='mean', "
            "sparse=False, _weight=None, include_last_offset=False, padding_idx=None, device=None, dtype=None",
    ),
    _lazy("LazyLinear", "5", "N,3", "nnx.Linear(x.shape[-1], 5, use_bias=True, rngs=rngs)", "load_linear", "m(x)"),
    *(_lazy(f"LazyConv{nd}d", "4, 2", f"1,3,{','.join('L' * nd)}",
            f"nnx.Conv(x.shape[1], 4, {(2,) * nd}, strides=1, padding=0, use_bias=True, rngs=rngs)", "load_conv",
            f"jnp.moveaxis(m({_to_last(nd, 'x')}), -1, 1)") for nd in (1, 2, 3)),
    *(_lazy(f"LazyConvTranspose{nd}d", "4, 2", f"1,3,{','.join('L' * nd)}",
            f"nnx.ConvTranspose(x.shape[1], 4, {(2,) * nd}, strides=1, padding=[(1, 1)] * {nd}, transpose_kernel=True, "
            "use_bias=True, rngs=rngs)", "load_conv_transpose", f"jnp.moveaxis(m({_to_last(nd, 'x')}), -1, 1)")
      for nd in (1, 2, 3)),
    *(_lazy(f"LazyBatchNorm{nd}d", "", f"N,3{',L' * nd}",
            "nnx.BatchNorm(x.shape[1], axis=1, momentum=1 - 0.1, epsilon=1e-5, use_fast_variance=False, rngs=rngs)",
            "load_norm", "m(x)", _NORM) for nd in (1, 2, 3)),
    *(_lazy(f"LazyInstanceNorm{nd}d", "affine=True", f"N,3{',L' * nd}",
            "nnx.InstanceNorm(x.shape[1], feature_axes=1, epsilon=1e-5, use_fast_variance=False, rngs=rngs)",
            "load_norm", "m(x)", _NORM) for nd in (1, 2, 3)),
]
