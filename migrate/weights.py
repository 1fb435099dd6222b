"""Weights between a torch `state_dict` and a model that `jaxmigrate convert` wrote.

One walk over the NNX module gives, for every torch key prefix, the NNX layer that holds it; each
layer kind is loaded and saved by the tested converters in `mapping.convert` (Linear, Conv, Embed,
norms, BatchNorm, attention, recurrent cells). Parameters and buffers set directly on a module keep
torch's name and layout. Every missing, unknown or mis-shaped key is reported at once.
"""

from __future__ import annotations

import numpy as np
from flax import nnx

from mapping import convert as mc


def _layers(model) -> dict:
    """`(layer kind, torch key prefix) -> object` for everything in the model that holds weights."""
    found: dict = {}
    _walk(model, "", found, set())
    return found


def _walk(obj, prefix: str, found: dict, seen: set) -> None:
    kind = _kind(obj)
    if kind is not None:
        found[(kind, prefix)] = obj
        return
    name = type(obj).__name__
    if name == "ChannelsFirst":
        _walk(obj.layer, prefix, found, seen)
    elif name == "TorchRNN":
        _walk(obj.rnn, prefix, found, seen)
    elif isinstance(obj, nnx.Sequential):
        for i, layer in enumerate(obj.layers):
            _walk(layer, f"{prefix}{i}.", found, seen)
    elif isinstance(obj, (nnx.List, list, tuple)):
        for i, item in enumerate(obj):
            _walk(item, f"{prefix}{i}.", found, seen)
    elif isinstance(obj, (nnx.Dict, dict)):
        for key in obj:
            _walk(obj[key], f"{prefix}{key}.", found, seen)
    elif isinstance(obj, nnx.Module):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        for attr, value in vars(obj).items():
            if attr.startswith("_"):
                continue
            if isinstance(value, nnx.Variable):
                vname = type(value).__name__
                if isinstance(value, nnx.Param) or vname == "Buffer":
                    found[("variable", prefix + attr)] = value
            elif isinstance(value, (nnx.Module, nnx.List, nnx.Dict, list, tuple, dict)):
                _walk(value, f"{prefix}{attr}.", found, seen)


def _kind(obj) -> str | None:
    if type(obj).__name__ == "TiedLinear":
        return "tied"
    if isinstance(obj, nnx.RNN):
        return "rnn"
    for cls, kind in _KINDS:
        if isinstance(obj, cls):
            return kind
    return None


_KINDS = ((nnx.Linear, "linear"), (nnx.Conv, "conv"), (nnx.ConvTranspose, "conv_transpose"),
          (nnx.Embed, "embedding"), (nnx.BatchNorm, "batch_norm"), (nnx.LayerNorm, "norm"),
          (nnx.RMSNorm, "norm"), (nnx.GroupNorm, "norm"), (nnx.MultiHeadAttention, "attention"),
          (nnx.LSTMCell, "lstm_cell"), (nnx.GRUCell, "gru_cell"), (nnx.SimpleCell, "rnn_cell"))
_CELL = {nnx.LSTMCell: (mc.load_lstm_cell, mc.to_torch_lstm_cell),
         nnx.GRUCell: (mc.load_gru_cell, mc.to_torch_gru_cell),
         nnx.SimpleCell: (mc.load_rnn_cell, mc.to_torch_rnn_cell)}
_LOAD = {"linear": mc.load_linear, "conv": mc.load_conv, "conv_transpose": mc.load_conv_transpose,
         "embedding": mc.load_embedding, "batch_norm": mc.load_batch_norm, "norm": mc.load_norm,
         "attention": mc.load_multihead_attention, "lstm_cell": mc.load_lstm_cell, "gru_cell": mc.load_gru_cell,
         "rnn_cell": mc.load_rnn_cell}
_SAVE = {"linear": mc.to_torch_linear, "conv": mc.to_torch_conv, "conv_transpose": mc.to_torch_conv_transpose,
         "embedding": mc.to_torch_embedding, "batch_norm": mc.to_torch_batch_norm, "norm": mc.to_torch_norm,
         "attention": mc.to_torch_multihead_attention, "lstm_cell": mc.to_torch_lstm_cell,
         "gru_cell": mc.to_torch_gru_cell, "rnn_cell": mc.to_torch_rnn_cell}


def _save_one(kind: str, obj, prefix: str) -> dict:
    if kind == "variable":
        return {prefix: obj[...]}
    if kind == "tied":
        out = {prefix + "weight": obj.embed.embedding[...]}
        if obj.bias is not None:
            out[prefix + "bias"] = obj.bias[...]
        return out
    if kind == "rnn":
        return _CELL[type(obj.cell)][1](obj.cell, prefix, "_l0")
    return _SAVE[kind](obj, prefix)


def _load_one(kind: str, obj, sd: dict, prefix: str) -> None:
    if kind == "variable":
        obj.set_value(np.asarray(sd[prefix]).astype(obj[...].dtype))
    elif kind == "tied":
        obj.embed.embedding.set_value(np.asarray(sd[prefix + "weight"]))
        if obj.bias is not None:
            obj.bias.set_value(np.asarray(sd[prefix + "bias"]))
    elif kind == "rnn":
        _CELL[type(obj.cell)][0](obj.cell, sd, prefix, "_l0")
    else:
        _LOAD[kind](obj, sd, prefix)


def _numpy(value) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor, without importing torch
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def state_dict(model, grads: nnx.State | None = None) -> dict[str, np.ndarray]:
    """The model's weights under torch's keys and layouts, as numpy arrays (the inverse of
    load_state_dict). With `grads` (an nnx.State of gradients of the model's parameters, as from
    nnx.grad): those gradients instead, under the keys of torch's parameters (buffers left out)."""
    if grads is not None:
        model = nnx.clone(model)
        nnx.update(model, grads)
    out: dict = {}
    for (kind, prefix), obj in _layers(model).items():
        if grads is not None and kind == "variable" and not isinstance(obj, nnx.Param):
            continue
        part = _save_one(kind, obj, prefix)
        if grads is not None:
            _split_summed_bias(part, kind, obj)
        if grads is not None and kind == "batch_norm":
            part = {k: v for k, v in part.items() if not k.endswith(("running_mean", "running_var"))}
        out.update(part)
    return {k: np.asarray(v) for k, v in out.items()}


def _split_summed_bias(part: dict, kind: str, obj) -> None:
    """NNX's LSTM and simple RNN cells hold torch's bias_ih + bias_hh as one bias, so the gradient of
    each torch bias is the gradient of that sum: give both keys the same gradient."""
    cell = obj.cell if kind == "rnn" else obj
    if not isinstance(cell, (nnx.LSTMCell, nnx.SimpleCell)):
        return
    for key in [k for k in part if ".bias_ih" in "." + k.rsplit(".", 1)[-1] or k.rsplit(".", 1)[-1].startswith(
            "bias_ih")]:
        other = key.replace("bias_ih", "bias_hh")
        summed = part[key] + part[other]  # one of the two is the zero placeholder
        part[key], part[other] = summed, summed


def load_state_dict(model, sd: dict, ignore: tuple[str, ...] = ("num_batches_tracked",)) -> None:
    """Copy a torch state_dict (torch tensors or numpy arrays) into a converted model, in place.

    Keys ending in one of `ignore` (torch-only counters) are skipped; any other unknown, missing or
    mis-shaped key raises `mapping.convert.ConversionError` naming it.
    """
    sd = {k: _numpy(v) for k, v in sd.items() if not k.endswith(ignore)}
    expected = state_dict(model)
    problems = [f"missing key {k!r}" for k in expected if k not in sd]
    problems += [f"unknown key {k!r}" for k in sd if k not in expected]
    problems += [f"{k!r} has shape {sd[k].shape}, the model needs {expected[k].shape} (torch layout)"
                 for k in sd if k in expected and sd[k].shape != expected[k].shape]
    if problems:
        raise mc.ConversionError("state_dict does not fit the model: " + "; ".join(problems))
    for (kind, prefix), obj in _layers(model).items():
        _load_one(kind, obj, sd, prefix)
