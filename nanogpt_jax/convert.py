"""Weights between nanoGPT (PyTorch) and the Flax NNX port, both ways, through one key table.

``ROWS`` maps each nanoGPT state_dict key to the port's parameter path. Every converter collects all
problems (missing, unexpected, wrong shape, untied lm_head) and raises them together. Also reads
nanoGPT ``ckpt.pt`` files and Hugging Face GPT-2 directories (config.json + model.safetensors or
pytorch_model.bin); torch is imported only for ``.pt``/``.bin`` files and for ``as_torch=True``.
"""

import json
import re
import struct
from pathlib import Path

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
from flax import nnx

from nanogpt_jax.model import GPT, GPTConfig

# (nanoGPT key, port path, layout): "T" = torch Linear [out, in] <-> Flax kernel [in, out]
ROWS = [
    ("transformer.wte.weight", "transformer.wte.embedding", None),
    ("transformer.wpe.weight", "transformer.wpe.embedding", None),
    ("transformer.h.{i}.ln_1.weight", "transformer.h.{i}.ln_1.scale", None),
    ("transformer.h.{i}.ln_1.bias", "transformer.h.{i}.ln_1.bias", None),
    ("transformer.h.{i}.attn.c_attn.weight", "transformer.h.{i}.attn.c_attn.kernel", "T"),
    ("transformer.h.{i}.attn.c_attn.bias", "transformer.h.{i}.attn.c_attn.bias", None),
    ("transformer.h.{i}.attn.c_proj.weight", "transformer.h.{i}.attn.c_proj.kernel", "T"),
    ("transformer.h.{i}.attn.c_proj.bias", "transformer.h.{i}.attn.c_proj.bias", None),
    ("transformer.h.{i}.ln_2.weight", "transformer.h.{i}.ln_2.scale", None),
    ("transformer.h.{i}.ln_2.bias", "transformer.h.{i}.ln_2.bias", None),
    ("transformer.h.{i}.mlp.c_fc.weight", "transformer.h.{i}.mlp.c_fc.kernel", "T"),
    ("transformer.h.{i}.mlp.c_fc.bias", "transformer.h.{i}.mlp.c_fc.bias", None),
    ("transformer.h.{i}.mlp.c_proj.weight", "transformer.h.{i}.mlp.c_proj.kernel", "T"),
    ("transformer.h.{i}.mlp.c_proj.bias", "transformer.h.{i}.mlp.c_proj.bias", None),
    ("transformer.ln_f.weight", "transformer.ln_f.scale", None),
    ("transformer.ln_f.bias", "transformer.ln_f.bias", None),
]
TIED = "lm_head.weight"  # must equal transformer.wte.weight: the port stores it once
# buffers, not parameters: old nanoGPT's causal mask, Hugging Face's mask and masked_bias
IGNORED = re.compile(r"transformer\.h\.\d+\.attn\.(bias|masked_bias)$")
PREFIX = "_orig_mod."  # what torch.compile adds to every key


class ConversionError(ValueError):
    """Every problem found in one conversion, one a line."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) converting weights:\n  " + "\n  ".join(problems))


def _pattern(template):
    return re.compile(re.escape(template).replace(re.escape("{i}"), r"(?P<i>\d+)") + "$")


_TORCH = [(_pattern(t), j, layout) for t, j, layout in ROWS]
_PORT = [(_pattern(j), t, layout) for t, j, layout in ROWS]


def _path(path):
    return ".".join(str(p) for p in path)


def to_numpy(value):
    """A private copy: JAX on CPU may alias a numpy buffer, and torch updates its tensors in place."""
    if hasattr(value, "detach"):  # a torch tensor, without importing torch
        value = value.detach().cpu()
        if str(value.dtype) == "torch.bfloat16":
            return value.float().numpy().astype(ml_dtypes.bfloat16)
        return value.numpy().copy()
    return np.array(value, copy=True)


def load_state_dict(model: GPT, state_dict, *, conv1d=False):
    """Copy a nanoGPT (or, conv1d=True, Hugging Face GPT-2) state_dict into model, in place.

    conv1d: the Linear weights are already [in, out] (GPT-2's Conv1D), so no transpose.
    """
    sd = {k.removeprefix(PREFIX): v for k, v in state_dict.items()}
    params = dict(nnx.to_flat_state(nnx.state(model, nnx.Param)))
    targets = {_path(p): p for p in params}
    problems, found, seen = [], {}, set()
    for key, value in sd.items():
        if key == TIED or IGNORED.match(key):
            continue
        row = next(((m, j, layout) for rx, j, layout in _TORCH if (m := rx.match(key))), None)
        if row is None:
            problems.append(f"unexpected key {key!r} (no row in convert.ROWS)")
            continue
        m, template, layout = row
        dest = template.format(**m.groupdict())
        seen.add(dest)
        if dest not in targets:
            problems.append(f"key {key!r} -> {dest!r}: the model has no such parameter")
            continue
        array = to_numpy(value)
        if layout == "T" and not conv1d:
            array = array.T
        expected = params[targets[dest]].get_value().shape
        if array.shape != expected:
            problems.append(f"key {key!r}: shape {tuple(array.shape)} after layout, model expects {expected}")
            continue
        found[dest] = array
    for dest in targets:
        if dest not in seen:
            problems.append(f"missing key for model parameter {dest!r}")
    if TIED in sd and "transformer.wte.weight" in sd:
        if not np.array_equal(to_numpy(sd[TIED]), to_numpy(sd["transformer.wte.weight"])):
            problems.append("lm_head.weight differs from transformer.wte.weight: the port ties them")
    if problems:
        raise ConversionError(problems)
    for dest, array in found.items():
        variable = params[targets[dest]]
        variable.set_value(jnp.asarray(array, dtype=variable.get_value().dtype))
    return model


def state_dict(model: GPT, *, as_torch=True):
    """The model as a nanoGPT state_dict (torch tensors unless as_torch=False), lm_head.weight included."""
    out = {}
    problems = []
    for path, variable in nnx.to_flat_state(nnx.state(model, nnx.Param)):
        name = _path(path)
        row = next(((m, t, layout) for rx, t, layout in _PORT if (m := rx.match(name))), None)
        if row is None:
            problems.append(f"model parameter {name!r} has no row in convert.ROWS")
            continue
        m, template, layout = row
        array = np.asarray(variable.get_value())
        out[template.format(**m.groupdict())] = array.T if layout == "T" else array
    if problems:
        raise ConversionError(problems)
    out[TIED] = out["transformer.wte.weight"]
    order = sorted(out, key=_torch_order)
    if as_torch:
        import torch

        tensors = {k: torch.from_numpy(np.array(out[k])) for k in order if k != TIED}
        tensors[TIED] = tensors["transformer.wte.weight"]  # tied, as in nanoGPT
        return {k: tensors[k] for k in order}
    return {k: out[k] for k in order}


def _torch_order(key):
    """nanoGPT's module order: wte, wpe, each block in turn, ln_f, lm_head."""
    m = re.match(r"transformer\.h\.(\d+)\.", key)
    templates = [t for t, _, _ in ROWS] + [TIED]
    template = key.replace(m.group(0), "transformer.h.{i}.") if m else key
    return (int(m.group(1)) if m else (-1 if "wte" in key or "wpe" in key else 10**6), templates.index(template))


def flatten_params(params) -> dict:
    """{"transformer.h.0.attn.c_attn.kernel": array} for an nnx.State."""
    return {_path(path): v.get_value() for path, v in nnx.to_flat_state(params)}


def unflatten_into(params, flat: dict):
    """params (an nnx.State) with its values set from a flat dict, in place; every missing key reported."""
    leaves = list(nnx.to_flat_state(params))
    missing = [_path(p) for p, _ in leaves if _path(p) not in flat]
    if missing:
        raise ConversionError([f"missing value for {m!r}" for m in missing])
    for path, variable in leaves:
        variable.set_value(jnp.asarray(flat[_path(path)], dtype=variable.get_value().dtype))
    return params


def optimizer_state_from_torch(torch_optimizer: dict, params, opt_state):
    """nanoGPT's AdamW state_dict -> the port's optax state (configure_optimizers): moments and step.

    torch numbers parameters by group, decayed (>=2-D) first, each in named_parameters order.
    """
    names = sorted((t.format(**m.groupdict()), _path(p), layout)
                   for p, _ in nnx.to_flat_state(params)
                   for rx, t, layout in _PORT if (m := rx.match(_path(p))))
    names.sort(key=lambda row: _torch_order(row[0]))
    ndim = {_path(p): v.get_value().ndim for p, v in nnx.to_flat_state(params)}
    ordered = [r for r in names if ndim[r[1]] >= 2] + [r for r in names if ndim[r[1]] < 2]
    ids = [i for group in torch_optimizer["param_groups"] for i in group["params"]]
    if len(ids) != len(ordered):
        raise ConversionError([f"torch optimizer has {len(ids)} parameters, the model {len(ordered)}"])
    adam = opt_state[0]
    mu, nu, steps = {}, {}, set()
    for i, (_, dest, layout) in zip(ids, ordered):
        s = torch_optimizer["state"][i]
        mu[dest], nu[dest] = (to_numpy(s[k]).T if layout == "T" else to_numpy(s[k]) for k in ("exp_avg", "exp_avg_sq"))
        steps.add(int(to_numpy(s["step"])))
    if len(steps) != 1:
        raise ConversionError([f"parameters at different steps {sorted(steps)}"])
    fresh = lambda tree: jax.tree.map(jnp.zeros_like, tree)  # noqa: E731
    adam = adam._replace(count=jnp.asarray(steps.pop(), adam.count.dtype),
                         mu=unflatten_into(fresh(adam.mu), mu), nu=unflatten_into(fresh(adam.nu), nu))
    return (adam, *opt_state[1:])


# ---- nanoGPT checkpoints -------------------------------------------------------------------------

MODEL_ARGS = ("n_layer", "n_head", "n_embd", "block_size", "bias", "vocab_size", "dropout")


def config_from_model_args(model_args, **overrides):
    args = {k: model_args[k] for k in MODEL_ARGS if k in model_args}
    return GPTConfig(**{**args, **overrides})


def read_torch_checkpoint(path):
    """A nanoGPT ckpt.pt as a dict (model, optimizer, model_args, iter_num, best_val_loss, config)."""
    import torch

    return torch.load(path, map_location="cpu", weights_only=True)


def from_torch_checkpoint(path, *, rngs=None, **overrides):
    """(model, checkpoint dict) from a nanoGPT ckpt.pt."""
    ckpt = read_torch_checkpoint(path)
    model = GPT(config_from_model_args(ckpt["model_args"], **overrides), rngs=rngs or nnx.Rngs(0))
    return load_state_dict(model, ckpt["model"]), ckpt


def write_torch_checkpoint(model: GPT, path, *, iter_num=0, best_val_loss=1e9, config=None, optimizer=None):
    """A ckpt.pt that nanoGPT's train.py (init_from='resume') and sample.py load."""
    import torch

    c = model.config
    model_args = dict(n_layer=c.n_layer, n_head=c.n_head, n_embd=c.n_embd, block_size=c.block_size,
                      bias=c.bias, vocab_size=c.vocab_size, dropout=c.dropout)
    ckpt = dict(model=state_dict(model), model_args=model_args, iter_num=iter_num,
                best_val_loss=best_val_loss, config=config or {})
    if optimizer is not None:
        ckpt["optimizer"] = optimizer
    torch.save(ckpt, path)


# ---- Hugging Face GPT-2 --------------------------------------------------------------------------

_SAFETENSORS_DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "BF16": ml_dtypes.bfloat16,
                       "I64": np.int64, "I32": np.int32, "I16": np.int16, "I8": np.int8, "U8": np.uint8,
                       "BOOL": np.bool_}


def read_safetensors(path):
    """A .safetensors file as {name: numpy array}: 8-byte header length, JSON header, raw little-endian data."""
    data = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = np.dtype(_SAFETENSORS_DTYPES[info["dtype"]]).newbyteorder("<")
        out[name] = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=dtype).reshape(info["shape"])
    return out


def hf_gpt2_config(hf_config: dict, **overrides):
    """GPTConfig for a Hugging Face GPT-2 config.json, refusing options the port does not implement."""
    problems = []
    checks = {"layer_norm_epsilon": 1e-5, "scale_attn_weights": True, "scale_attn_by_inverse_layer_idx": False,
              "reorder_and_upcast_attn": False, "add_cross_attention": False, "n_inner": None}
    for k, want in checks.items():
        if k in hf_config and hf_config[k] != want:
            problems.append(f"config.json {k}={hf_config[k]!r}: the port implements only {want!r}")
    act = hf_config.get("activation_function", "gelu_new")
    gelu = {"gelu_new": "tanh", "gelu_pytorch_tanh": "tanh", "gelu": "none"}.get(act)
    if gelu is None:
        problems.append(f"config.json activation_function={act!r}: the port implements gelu_new and gelu")
    if problems:
        raise ConversionError(problems)
    cfg = dict(n_layer=hf_config["n_layer"], n_head=hf_config["n_head"], n_embd=hf_config["n_embd"],
               block_size=hf_config["n_positions"], vocab_size=hf_config["vocab_size"], bias=True,
               gelu_approximate=gelu)
    return GPTConfig(**{**cfg, **overrides})


def from_hf_gpt2(directory, *, rngs=None, **overrides):
    """GPT from a local Hugging Face GPT-2 directory (config.json + model.safetensors or pytorch_model.bin)."""
    directory = Path(directory)
    config = hf_gpt2_config(json.loads((directory / "config.json").read_text()), **overrides)
    if (directory / "model.safetensors").exists():
        sd = read_safetensors(directory / "model.safetensors")
    elif (directory / "pytorch_model.bin").exists():
        import torch

        sd = torch.load(directory / "pytorch_model.bin", map_location="cpu", weights_only=True)
    else:
        raise FileNotFoundError(f"{directory} has neither model.safetensors nor pytorch_model.bin")
    # the Hub's GPT2Model files have no "transformer." prefix; GPT2LMHeadModel's do
    sd = {k if k.startswith(("transformer.", "lm_head.")) else "transformer." + k: v for k, v in sd.items()}
    model = GPT(config, rngs=rngs or nnx.Rngs(0))
    return load_state_dict(model, sd, conv1d=True)
