"""Tested converters between a torch `state_dict` (torch layout) and Flax NNX modules.

torch stores Linear weights as [out, in] and convolutions as [out, in, *kernel]; Flax NNX stores
kernels as [in, out] and [*kernel, in, out]. Each `load_*` copies one module's weights into an NNX
module and does only the layout change, so it stays differentiable (gradients flow back in torch
layout). Each `to_torch_*` goes the other way and returns a dict of arrays in torch layout.

A missing key, an unexpected bias or a wrong shape raises `ConversionError`, which names every
offending key at once.
"""

from __future__ import annotations

import jax.numpy as jnp
from flax import nnx


class ConversionError(ValueError):
    """The state_dict does not fit the module: the message names each missing or misshapen key."""


def _take(sd: dict, prefix: str, expected: dict, absent: tuple = ()) -> dict:
    """`sd[prefix + name]` for each name, checked against its expected torch-layout shape.

    `absent` names keys the NNX module has no place for (a bias when `use_bias=False`).
    """
    problems, out = [], {}
    for name, shape in expected.items():
        key = prefix + name
        if key not in sd:
            near = sorted(k for k in sd if k.startswith(prefix))
            problems.append(f"missing key {key!r} (keys under {prefix!r}: {near})")
            continue
        value = jnp.asarray(sd[key])
        if value.shape != tuple(shape):
            problems.append(f"{key!r} has shape {tuple(value.shape)}, the module needs {tuple(shape)} (torch layout)")
        out[name] = value
    for name in absent:
        if prefix + name in sd:
            problems.append(f"unexpected key {prefix + name!r}: the NNX module has no {name} (built without it)")
    if problems:
        raise ConversionError("state_dict does not fit the module: " + "; ".join(problems))
    return out


def _with_bias(expected: dict, bias) -> tuple[dict, tuple]:
    """Add `bias` to the expected keys when the module has one; otherwise forbid it."""
    if bias is None:
        return expected, ("bias",)
    return {**expected, "bias": bias.shape}, ()


# Linear -----------------------------------------------------------------------------------------

def load_linear(m: nnx.Linear, sd: dict, prefix: str = "") -> nnx.Linear:
    """torch.nn.Linear weight [out, in] -> nnx.Linear kernel [in, out]."""
    expected, absent = _with_bias({"weight": m.kernel.shape[::-1]}, m.bias)
    w = _take(sd, prefix, expected, absent)
    m.kernel.set_value(w["weight"].T)
    if m.bias is not None:
        m.bias.set_value(w["bias"])
    return m


def to_torch_linear(m: nnx.Linear, prefix: str = "") -> dict:
    out = {prefix + "weight": m.kernel[...].T}
    if m.bias is not None:
        out[prefix + "bias"] = m.bias[...]
    return out


# Convolutions -----------------------------------------------------------------------------------

def _torch_to_kernel(w):
    """[a, b, *k] -> [*k, b, a]: conv [out, in, *k] -> [*k, in, out]."""
    return jnp.transpose(w, (*range(2, w.ndim), 1, 0))


def _kernel_to_torch(k):
    """[*k, b, a] -> [a, b, *k]: the inverse of `_torch_to_kernel`."""
    n = k.ndim
    return jnp.transpose(k, (n - 1, n - 2, *range(n - 2)))


def load_conv(m: nnx.Conv, sd: dict, prefix: str = "") -> nnx.Conv:
    """torch.nn.Conv{1,2,3}d weight [out, in/groups, *kernel] -> nnx.Conv kernel [*kernel, in/groups, out]."""
    shape = m.kernel.shape
    expected, absent = _with_bias({"weight": (shape[-1], shape[-2], *shape[:-2])}, m.bias)
    w = _take(sd, prefix, expected, absent)
    m.kernel.set_value(_torch_to_kernel(w["weight"]))
    if m.bias is not None:
        m.bias.set_value(w["bias"])
    return m


def to_torch_conv(m: nnx.Conv, prefix: str = "") -> dict:
    out = {prefix + "weight": _kernel_to_torch(m.kernel[...])}
    if m.bias is not None:
        out[prefix + "bias"] = m.bias[...]
    return out


def load_conv_transpose(m: nnx.ConvTranspose, sd: dict, prefix: str = "") -> nnx.ConvTranspose:
    """torch.nn.ConvTranspose{1,2,3}d weight [in, out, *kernel] -> nnx.ConvTranspose kernel.

    With `transpose_kernel=True` the NNX kernel is [*kernel, out, in] and NNX flips it itself; with
    the default `transpose_kernel=False` it is [*kernel, in, out] and is stored already flipped.
    """
    shape = m.kernel.shape
    spatial = tuple(range(len(shape) - 2))
    if m.transpose_kernel:
        torch_shape = (shape[-1], shape[-2], *shape[:-2])
    else:
        torch_shape = (shape[-2], shape[-1], *shape[:-2])
    expected, absent = _with_bias({"weight": torch_shape}, m.bias)
    w = _take(sd, prefix, expected, absent)
    kernel = _torch_to_kernel(w["weight"])  # [*kernel, out, in]
    if not m.transpose_kernel:
        kernel = jnp.flip(jnp.swapaxes(kernel, -1, -2), spatial)
    m.kernel.set_value(kernel)
    if m.bias is not None:
        m.bias.set_value(w["bias"])
    return m


def to_torch_conv_transpose(m: nnx.ConvTranspose, prefix: str = "") -> dict:
    kernel = m.kernel[...]
    if not m.transpose_kernel:
        kernel = jnp.swapaxes(jnp.flip(kernel, tuple(range(kernel.ndim - 2))), -1, -2)
    out = {prefix + "weight": _kernel_to_torch(kernel)}
    if m.bias is not None:
        out[prefix + "bias"] = m.bias[...]
    return out


def conv_transpose_padding(kernel_size, padding=0, output_padding=0, dilation=1) -> list[tuple[int, int]]:
    """torch ConvTranspose's `padding`/`output_padding` as nnx.ConvTranspose's explicit (low, high) pairs.

    torch pads the stride-dilated input with `dilation * (kernel - 1) - padding` zeros on each side
    (plus `output_padding` at the end); nnx.ConvTranspose takes that padding literally.
    """
    n = len(kernel_size)
    pad, out_pad, dil = (_per_dim(v, n) for v in (padding, output_padding, dilation))
    return [(d * (k - 1) - p, d * (k - 1) - p + o) for k, p, o, d in zip(kernel_size, pad, out_pad, dil, strict=True)]


def _per_dim(v, n: int) -> tuple:
    return (v,) * n if isinstance(v, int) else tuple(v)


# Embedding --------------------------------------------------------------------------------------

def load_embedding(m: nnx.Embed, sd: dict, prefix: str = "") -> nnx.Embed:
    """torch.nn.Embedding weight [num, dim] -> nnx.Embed embedding (same layout)."""
    m.embedding.set_value(_take(sd, prefix, {"weight": m.embedding.shape})["weight"])
    return m


def to_torch_embedding(m: nnx.Embed, prefix: str = "") -> dict:
    return {prefix + "weight": m.embedding[...]}


# Normalisation ----------------------------------------------------------------------------------

def load_norm(m, sd: dict, prefix: str = ""):
    """weight -> scale, bias -> bias for nnx.LayerNorm, RMSNorm, GroupNorm and InstanceNorm.

    A module built without scale / bias (torch `elementwise_affine=False` / `affine=False`) takes
    no keys for them.
    """
    scale, bias = m.scale, getattr(m, "bias", None)
    expected, absent = {}, []
    for name, var in (("weight", scale), ("bias", bias)):
        if var is None:
            absent.append(name)
        else:
            expected[name] = var.shape
    w = _take(sd, prefix, expected, tuple(absent))
    if scale is not None:
        scale.set_value(w["weight"])
    if bias is not None:
        bias.set_value(w["bias"])
    return m


def to_torch_norm(m, prefix: str = "") -> dict:
    out = {}
    if m.scale is not None:
        out[prefix + "weight"] = m.scale[...]
    if getattr(m, "bias", None) is not None:
        out[prefix + "bias"] = m.bias[...]
    return out


def load_batch_norm(m: nnx.BatchNorm, sd: dict, prefix: str = "") -> nnx.BatchNorm:
    """torch.nn.BatchNorm weight, bias, running_mean, running_var -> nnx.BatchNorm scale, bias, mean, var.

    `num_batches_tracked` has no NNX counterpart and is ignored (it only matters for momentum=None).
    """
    stats = {"running_mean": m.mean.shape, "running_var": m.var.shape}
    w = _take(sd, prefix, stats)
    load_norm(m, sd, prefix)
    m.mean.set_value(w["running_mean"])
    m.var.set_value(w["running_var"])
    return m


def to_torch_batch_norm(m: nnx.BatchNorm, prefix: str = "") -> dict:
    return {**to_torch_norm(m, prefix), prefix + "running_mean": m.mean[...], prefix + "running_var": m.var[...]}


# Attention --------------------------------------------------------------------------------------

def load_multihead_attention(m: nnx.MultiHeadAttention, sd: dict, prefix: str = "") -> nnx.MultiHeadAttention:
    """torch.nn.MultiheadAttention (packed in_proj [3E, E] or separate q/k/v_proj_weight) -> nnx.MultiHeadAttention.

    Each of q, k, v: weight [E, in] -> kernel [in, heads, head_dim]; bias [E] -> [heads, head_dim].
    out_proj.weight [E_out, E] -> out kernel [heads, head_dim, E_out].
    """
    heads, dim = m.num_heads, m.head_dim
    e = heads * dim
    packed = prefix + "in_proj_weight" in sd or prefix + "q_proj_weight" not in sd
    expected = ({"in_proj_weight": (3 * e, m.in_features)} if packed else
                {"q_proj_weight": (e, m.in_features), "k_proj_weight": (e, m.in_kv_features),
                 "v_proj_weight": (e, m.in_kv_features)})
    expected["out_proj.weight"] = (m.out_features, e)
    absent = ("in_proj_bias", "out_proj.bias")
    if m.use_bias:
        expected.update({"in_proj_bias": (3 * e,), "out_proj.bias": (m.out_features,)})
        absent = ()
    w = _take(sd, prefix, expected, absent)
    if packed:
        qkv = jnp.split(w["in_proj_weight"], 3)
    else:
        qkv = [w["q_proj_weight"], w["k_proj_weight"], w["v_proj_weight"]]
    biases = jnp.split(w["in_proj_bias"], 3) if m.use_bias else [None] * 3
    for proj, weight, bias in zip((m.query, m.key, m.value), qkv, biases, strict=True):
        proj.kernel.set_value(weight.T.reshape(weight.shape[1], heads, dim))
        if bias is not None:
            proj.bias.set_value(bias.reshape(heads, dim))
    m.out.kernel.set_value(w["out_proj.weight"].T.reshape(heads, dim, m.out_features))
    if m.use_bias:
        m.out.bias.set_value(w["out_proj.bias"])
    return m


def to_torch_multihead_attention(m: nnx.MultiHeadAttention, prefix: str = "") -> dict:
    """The packed torch layout (in_proj_weight); needs equal query and key/value widths."""
    e = m.num_heads * m.head_dim
    weights = [p.kernel[...].reshape(p.kernel.shape[0], e).T for p in (m.query, m.key, m.value)]
    out = {prefix + "in_proj_weight": jnp.concatenate(weights),
           prefix + "out_proj.weight": m.out.kernel[...].reshape(e, m.out_features).T}
    if m.use_bias:
        out[prefix + "in_proj_bias"] = jnp.concatenate([p.bias[...].reshape(e) for p in (m.query, m.key, m.value)])
        out[prefix + "out_proj.bias"] = m.out.bias[...]
    return out


# Recurrent cells --------------------------------------------------------------------------------
# torch keys: weight_ih [gates*H, in], weight_hh [gates*H, H], bias_ih, bias_hh [gates*H]; the
# multi-step modules (nn.RNN/LSTM/GRU) add a layer suffix: weight_ih_l0. Pass suffix="_l0".

def _cell_weights(sd: dict, prefix: str, suffix: str, gates: int, n_in: int, hidden: int) -> dict:
    names = {"weight_ih": (gates * hidden, n_in), "weight_hh": (gates * hidden, hidden),
             "bias_ih": (gates * hidden,), "bias_hh": (gates * hidden,)}
    w = _take(sd, prefix, {name + suffix: shape for name, shape in names.items()})
    return {name: w[name + suffix] for name in names}


def _cell_keys(prefix: str, suffix: str, w_ih, w_hh, b_ih, b_hh) -> dict:
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    return {prefix + n + suffix: v for n, v in zip(names, (w_ih, w_hh, b_ih, b_hh), strict=True)}


def load_rnn_cell(m: nnx.SimpleCell, sd: dict, prefix: str = "", suffix: str = "") -> nnx.SimpleCell:
    """torch.nn.RNNCell / one layer of nn.RNN -> nnx.SimpleCell (biases summed into dense_i)."""
    w = _cell_weights(sd, prefix, suffix, 1, m.in_features, m.hidden_features)
    m.dense_i.kernel.set_value(w["weight_ih"].T)
    m.dense_i.bias.set_value(w["bias_ih"] + w["bias_hh"])
    m.dense_h.kernel.set_value(w["weight_hh"].T)
    return m


def to_torch_rnn_cell(m: nnx.SimpleCell, prefix: str = "", suffix: str = "") -> dict:
    """The summed bias goes to bias_ih; bias_hh is zero (torch adds the two)."""
    b = m.dense_i.bias[...]
    return _cell_keys(prefix, suffix, m.dense_i.kernel[...].T, m.dense_h.kernel[...].T, b, jnp.zeros_like(b))


_LSTM_GATES = ("i", "f", "g", "o")  # torch's row order in weight_ih / weight_hh


def load_lstm_cell(m: nnx.LSTMCell, sd: dict, prefix: str = "", suffix: str = "") -> nnx.LSTMCell:
    """torch.nn.LSTMCell / one layer of nn.LSTM -> nnx.LSTMCell (one Linear per gate; biases summed into h*)."""
    w = _cell_weights(sd, prefix, suffix, 4, m.in_features, m.hidden_features)
    w_ih, w_hh = jnp.split(w["weight_ih"], 4), jnp.split(w["weight_hh"], 4)
    bias = jnp.split(w["bias_ih"] + w["bias_hh"], 4)
    for j, gate in enumerate(_LSTM_GATES):
        name = "if_" if gate == "f" else "i" + gate
        getattr(m, name).kernel.set_value(w_ih[j].T)
        h = getattr(m, "h" + gate)
        h.kernel.set_value(w_hh[j].T)
        h.bias.set_value(bias[j])
    return m


def to_torch_lstm_cell(m: nnx.LSTMCell, prefix: str = "", suffix: str = "") -> dict:
    """The summed bias goes to bias_hh; bias_ih is zero (torch adds the two)."""
    ins = [getattr(m, "if_" if g == "f" else "i" + g).kernel[...].T for g in _LSTM_GATES]
    hs = [getattr(m, "h" + g) for g in _LSTM_GATES]
    b = jnp.concatenate([h.bias[...] for h in hs])
    w_hh = jnp.concatenate([h.kernel[...].T for h in hs])
    return _cell_keys(prefix, suffix, jnp.concatenate(ins), w_hh, jnp.zeros_like(b), b)


def load_gru_cell(m: nnx.GRUCell, sd: dict, prefix: str = "", suffix: str = "") -> nnx.GRUCell:
    """torch.nn.GRUCell / one layer of nn.GRU -> nnx.GRUCell, exactly.

    Gate order r, z, n in both. torch computes n = tanh(W_in x + b_in + r * (W_hn h + b_hn)): b_hn
    sits inside the product with r, but nnx.GRUCell's hidden Linear (dense_h) has no bias. So this
    gives dense_h a bias (torch's bias_hh) when it has none: the NNX cell then computes torch's GRU.
    """
    hidden = m.hidden_features
    w = _cell_weights(sd, prefix, suffix, 3, m.in_features, hidden)
    if m.dense_h.bias is None:
        m.dense_h = nnx.Linear(hidden, 3 * hidden, use_bias=True, dtype=m.dtype, param_dtype=m.param_dtype,
                               promote_dtype=m.promote_dtype, rngs=nnx.Rngs(0))
    m.dense_i.kernel.set_value(w["weight_ih"].T)
    m.dense_i.bias.set_value(w["bias_ih"])
    m.dense_h.kernel.set_value(w["weight_hh"].T)
    m.dense_h.bias.set_value(w["bias_hh"])
    return m


def to_torch_gru_cell(m: nnx.GRUCell, prefix: str = "", suffix: str = "") -> dict:
    h_bias = m.dense_h.bias[...] if m.dense_h.bias is not None else jnp.zeros_like(m.dense_i.bias[...])
    return _cell_keys(prefix, suffix, m.dense_i.kernel[...].T, m.dense_h.kernel[...].T, m.dense_i.bias[...], h_bias)
