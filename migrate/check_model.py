"""`jaxmigrate check`: is a converted model the torch model? Three stages, each independent of convert.

1. interface: both files import, the model builds in both, the torch state_dict keys and shapes
   equal those of the converted model (`migrate.weights.state_dict`);
2. numeric: with the torch weights loaded, eval-mode outputs agree, and so do the gradients of a fixed
   random projection of the outputs w.r.t. every parameter; on a mismatch, the first submodule (in
   torch's order of completion) whose output differs is named;
3. behavioral: K optimizer steps on that same scalar give the same losses and parameters.

Tolerances (float32): each array is compared relative to its largest magnitude, because every layer
rounds in its own order and the errors grow with the values they ride on.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import sys
import traceback
from dataclasses import asdict, dataclass, field

OUT_TOL = 1e-4  # outputs: float32 through a whole model, relative to max |torch output|
GRAD_TOL = 1e-4  # gradients: one backward pass more of float32 rounding, relative to max |torch grad|
STEP_TOL = 1e-4  # losses and weights after K steps, relative to the largest value


@dataclass
class Stage:
    name: str
    passed: bool | None  # None: not run
    detail: str = ""
    errors: dict = field(default_factory=dict)


@dataclass
class CheckReport:
    stages: list[Stage]

    @property
    def passed(self) -> bool:
        return all(s.passed for s in self.stages)

    def as_json(self) -> dict:
        return {"passed": self.passed, "stages": [asdict(s) for s in self.stages]}

    def as_text(self) -> str:
        lines = []
        for s in self.stages:
            mark = "skip" if s.passed is None else ("PASS" if s.passed else "FAIL")
            lines.append(f"{mark}  {s.name}: {s.detail}")
        lines.append("all stages pass" if self.passed else "not equivalent")
        return "\n".join(lines)


def load_file(path: str, name: str):
    """Import a Python file as a module of the given name (its folder on sys.path for sibling imports)."""
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def with_rngs(build: str) -> str:
    """`GPT(GPTConfig())` -> `GPT(GPTConfig(), rngs=nnx.Rngs(0))`: the outer call builds the NNX model."""
    tree = ast.parse(build, mode="eval")
    if not isinstance(tree.body, ast.Call):
        raise ValueError(f"--build must be a call, got {build!r}")
    if not any(k.arg == "rngs" for k in tree.body.keywords):
        tree.body.keywords.append(ast.keyword("rngs", ast.parse("nnx.Rngs(0)", mode="eval").body))
    return ast.unparse(tree)


def build_nnx(module, build: str):
    """Build the converted model. Its random initial weights are about to be replaced by torch's, and
    XLA compiles each initializer shape separately (seconds each on CPU): when every variable is a
    parameter, a saved buffer, a batch statistic or RNG state, build it abstractly (nnx.eval_shape) and
    fill it with zeros; otherwise (a non-saved buffer computed in __init__) build it for real."""
    import jax
    import jax.numpy as jnp
    from flax import nnx

    make = lambda: eval(with_rngs(build), {**vars(module), "nnx": nnx})  # noqa: E731, S307 - the user's build
    try:
        abstract = nnx.eval_shape(make)
    except Exception:  # noqa: BLE001 - e.g. a torch tensor left in the model: build it for real, and let it fail there
        return make()
    graphdef, state = nnx.split(abstract)
    fillable = (nnx.Param, nnx.BatchStat, nnx.RngKey, nnx.RngCount)
    for _, var in nnx.to_flat_state(state):
        if not (isinstance(var, fillable) or type(var).__name__ == "Buffer"):
            return make()

    def zeros(leaf):
        if jax.dtypes.issubdtype(leaf.dtype, jax.dtypes.prng_key):
            return jax.random.split(jax.random.key(0), leaf.shape) if leaf.shape else jax.random.key(0)
        return jnp.zeros(leaf.shape, leaf.dtype)

    return nnx.merge(graphdef, jax.tree.map(zeros, state))


def jax_optimizer(spec: str) -> str:
    """`AdamW(lr=1e-3)` -> the optax expression the catalogue gives for torch.optim.AdamW(params, lr=1e-3)."""
    from migrate.convert_model import _examine
    from migrate.findings import Options

    call = ast.parse(spec, mode="eval").body
    args = ", ".join(["model.parameters()", *[ast.unparse(a) for a in call.args],
                      *[f"{k.arg}={ast.unparse(k.value)}" for k in call.keywords]])
    src = f"import torch\nmodel = torch.nn.Linear(1, 1)\nopt = torch.optim.{ast.unparse(call.func)}({args})\n"
    fixed = _examine("<optimizer>", src, Options(unsafe=True, render=True)).fixed or src
    value = ast.parse(fixed).body[-1].value
    text = ast.unparse(value)
    if "torch" in text:
        raise ValueError(f"the catalogue has no rewrite for torch.optim.{spec}")
    return text


def _flat(out) -> list:
    if out is None or isinstance(out, (int, float, str, bool)):
        return []
    if isinstance(out, (tuple, list)):
        return [a for o in out for a in _flat(o)]
    if isinstance(out, dict):
        return [a for k in sorted(out) for a in _flat(out[k])]
    return [out]


def _np(x):
    import numpy as np

    if hasattr(x, "detach"):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _rel(a, b) -> float:
    import numpy as np

    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / max(1.0, float(np.max(np.abs(b)))))


def _projections(outs: list) -> list:
    """Fixed random weights, one per float output: the scalar is sum(out * w), never trivially constant."""
    import numpy as np

    rng = np.random.default_rng(0)
    return [rng.standard_normal(o.shape).astype(np.float32) if o.dtype.kind == "f" else None for o in outs]


def check(torch_path: str, jax_path: str, build: str, inputs: str, steps: int = 3,
          optimizer: str = "AdamW(lr=1e-3)") -> CheckReport:
    """Run the three stages; a stage that cannot run fails with the reason, later ones are skipped."""
    stages = [Stage("interface", None), Stage("numeric", None), Stage("behavioral", None)]
    try:
        ctx = _interface(torch_path, jax_path, build, inputs, stages[0])
    except Exception as e:  # noqa: BLE001 - any failure of user code is a failed stage
        stages[0].passed, stages[0].detail = False, _why(e)
        return CheckReport(stages)
    if not stages[0].passed:
        return CheckReport(stages)
    try:
        _numeric(ctx, stages[1])
    except Exception as e:  # noqa: BLE001
        stages[1].passed, stages[1].detail = False, _why(e) + _localise(ctx)
    if stages[1].passed and steps > 0:
        try:
            _behavioral(ctx, stages[2], steps, optimizer)
        except Exception as e:  # noqa: BLE001
            stages[2].passed, stages[2].detail = False, _why(e)
    elif steps <= 0:
        stages[2].passed, stages[2].detail = True, "not asked (--steps 0)"
    return CheckReport(stages)


def _why(e: BaseException) -> str:
    tb = traceback.extract_tb(e.__traceback__)
    where = f" at {os.path.basename(tb[-1].filename)}:{tb[-1].lineno}" if tb else ""
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}{where}"


def _interface(torch_path, jax_path, build, inputs, stage: Stage) -> dict:
    import jax.numpy as jnp
    import numpy as np
    import torch

    from migrate.weights import state_dict

    tmod = load_file(torch_path, "_jm_torch_model")
    jmod = load_file(jax_path, "_jm_jax_model")
    torch.manual_seed(0)
    tm = eval(build, vars(tmod))  # noqa: S307 - the user's own build expression
    jm = build_nnx(jmod, build)
    x = eval(inputs, {**vars(tmod), "torch": torch})  # noqa: S307
    xs = x if isinstance(x, tuple) else (x,)
    jx = tuple(jnp.asarray(_np(a)) if hasattr(a, "detach") else a for a in xs)
    tsd = {k: v for k, v in tm.state_dict().items() if not k.endswith("num_batches_tracked")}
    jsd = state_dict(jm)
    missing, extra = sorted(set(tsd) - set(jsd)), sorted(set(jsd) - set(tsd))
    shapes = sorted(k for k in set(tsd) & set(jsd) if tuple(tsd[k].shape) != tuple(np.shape(jsd[k])))
    stage.passed = not (missing or extra or shapes)
    stage.detail = (f"{len(tsd)} torch keys, all present with torch's shapes" if stage.passed else
                    f"missing in JAX: {missing[:5]}; only in JAX: {extra[:5]}; shapes differ: {shapes[:5]}")
    return {"tm": tm, "jm": jm, "xs": xs, "jx": jx, "tsd": tm.state_dict()}


def _numeric(ctx: dict, stage: Stage) -> None:
    import jax.numpy as jnp
    import torch
    from flax import nnx

    from migrate.weights import load_state_dict, state_dict

    tm, jm, xs, jx = ctx["tm"], ctx["jm"], ctx["xs"], ctx["jx"]
    load_state_dict(jm, ctx["tsd"])
    tm.eval()
    jm.eval()
    tm.zero_grad()
    touts = [_np(o) for o in _flat(tm(*xs))]
    jouts = [_np(o) for o in _flat(_jitted(lambda m: m(*jx), jm))]
    if len(touts) != len(jouts):
        stage.passed, stage.detail = False, f"torch returns {len(touts)} arrays, JAX {len(jouts)}"
        stage.detail += _localise(ctx)
        return
    errors = {f"output[{i}]": _rel(j, t) for i, (t, j) in enumerate(zip(touts, jouts))}
    weights = _projections(touts)
    ctx["weights"] = weights

    named = dict(tm.named_parameters(remove_duplicate=False))
    if not named:
        stage.errors = errors
        bad = {k: e for k, e in errors.items() if e > OUT_TOL}
        stage.passed = not bad
        worst = max(errors.values(), default=0.0)
        stage.detail = (f"{len(touts)} outputs (max rel err {worst:.2e} <= {OUT_TOL:g}); no parameters, so no "
                        "gradients to compare")
        if bad:
            stage.detail = f"differs: max rel err {worst:.2e}" + _localise(ctx)
        return
    tout = _flat(tm(*xs))
    loss = sum((o * torch.from_numpy(w)).sum() for o, w in zip(tout, weights) if w is not None)
    if not isinstance(loss, torch.Tensor):
        raise ValueError("the model returns no float output to differentiate")
    loss.backward()
    tgrads = {k: _np(p.grad) if p.grad is not None else _np(torch.zeros_like(p)) for k, p in named.items()}

    def scalar(model):
        outs = _flat(model(*jx))
        return sum(jnp.sum(o * w) for o, w in zip(outs, weights) if w is not None)

    grads = _jitted(nnx.grad(scalar), jm)
    jgrads = state_dict(jm, grads)
    for k, g in tgrads.items():
        errors[f"grad {k}"] = _rel(jgrads[k], g) if k in jgrads else float("inf")
    stage.errors = errors
    bad = {k: e for k, e in errors.items() if e > (OUT_TOL if k.startswith("output") else GRAD_TOL)}
    out_err = max((e for k, e in errors.items() if k.startswith("output")), default=0.0)
    grad_err = max((e for k, e in errors.items() if k.startswith("grad")), default=0.0)
    stage.passed = not bad
    stage.detail = (f"{len(touts)} outputs (max rel err {out_err:.2e} <= {OUT_TOL:g}), {len(tgrads)} gradients "
                    f"(max rel err {grad_err:.2e} <= {GRAD_TOL:g})")
    if bad:
        worst = sorted(bad.items(), key=lambda kv: -kv[1])[:3]
        stage.detail = f"differs: {', '.join(f'{k} {e:.2e}' for k, e in worst)}" + _localise(ctx)


def _jitted(fn, model):
    """fn(model) compiled once with nnx.jit (many small eager ops cost far more on CPU); eagerly when the
    model's Python code needs concrete values (a branch on an array)."""
    import jax
    from flax import nnx

    try:
        return nnx.jit(fn)(model)
    except (jax.errors.ConcretizationTypeError, jax.errors.TracerBoolConversionError,
            jax.errors.TracerIntegerConversionError, jax.errors.TracerArrayConversionError):
        return fn(model)


def _localise(ctx: dict) -> str:
    """The first submodule, in torch's order of completion, whose output differs (or that JAX never finished)."""
    try:
        return _first_difference(ctx)
    except Exception as e:  # noqa: BLE001
        return f"; could not localise ({_why(e)})"


def _first_difference(ctx: dict) -> str:
    tm, jm, xs, jx = ctx["tm"], ctx["jm"], ctx["xs"], ctx["jx"]
    order, touts = [], {}
    handles = []
    for name, mod in tm.named_modules():
        if name:
            def hook(_m, _i, out, name=name):
                if name not in touts:
                    order.append(name)
                    touts[name] = [_np(o) for o in _flat(out)]
            handles.append(mod.register_forward_hook(hook))
    try:
        tm(*xs)
    finally:
        for h in handles:
            h.remove()
    jouts, restore = {}, []
    for name in order:
        obj = _jax_module(jm, name)
        if obj is None:
            continue
        restore.append(_intercept(obj, name, jouts))
    try:
        jm(*jx)
        crashed = ""
    except Exception as e:  # noqa: BLE001
        crashed = _why(e)
    finally:
        for undo in restore:
            undo()
    if crashed and not jouts:
        return f"; JAX raised in the model's own forward before any submodule returned: {crashed}"
    for name in order:
        if name not in jouts:
            if _jax_module(jm, name) is None:
                continue
            parent = name.rpartition(".")[0]
            if parent and parent not in jouts and _jax_module(jm, parent) is not None and \
                    any(n in jouts for n in order if n.startswith(parent + ".")):
                name = parent  # its children ran, it did not return: its own code
            why = f": {crashed}" if crashed else ""
            return f"; first differing submodule: {name} (JAX never returned from it{why})"
        t, j = touts[name], jouts[name]
        if len(t) != len(j) or any(_rel(b, a) > OUT_TOL for a, b in zip(t, j)):
            err = max((_rel(b, a) for a, b in zip(t, j)), default=float("inf"))
            return f"; first differing submodule: {name} ({type(tm.get_submodule(name)).__name__}, rel err {err:.2e})"
    return "; every submodule output agrees" + (f" (JAX raised: {crashed})" if crashed else "")


def _jax_module(jm, name: str):
    from flax import nnx

    obj = jm
    for part in name.split("."):
        if type(obj).__name__ in ("ChannelsFirst", "TorchRNN"):
            obj = obj.layer if hasattr(obj, "layer") else obj.rnn
        if isinstance(obj, nnx.Sequential):
            obj = obj.layers
        try:
            obj = obj[int(part)] if part.isdigit() else (obj[part] if isinstance(obj, (nnx.Dict, dict))
                                                         else getattr(obj, part))
        except (AttributeError, IndexError, KeyError, TypeError):
            return None
    return obj if isinstance(obj, nnx.Module) else None


def _intercept(obj, name: str, record: dict):
    """Record the first output of one NNX module: swap its class for a subclass whose __call__ records."""
    original = type(obj)

    def call(self, *args, **kwargs):
        out = original.__call__(self, *args, **kwargs)
        if name not in record:
            record[name] = [_np(o) for o in _flat(out)]
        return out

    sub = type(original.__name__, (original,), {"__call__": call})
    object.__setattr__(obj, "__class__", sub)
    return lambda: object.__setattr__(obj, "__class__", original)


def _behavioral(ctx: dict, stage: Stage, steps: int, optimizer: str) -> None:
    import jax.numpy as jnp
    import optax  # noqa: F401 - the optimizer expression names it
    import torch
    from flax import nnx

    from migrate.weights import state_dict

    if not list(ctx["tm"].parameters()):
        stage.passed, stage.detail = True, "no parameters: nothing to train (the numeric stage compared the outputs)"
        return
    tm, jm, xs, jx, weights = ctx["tm"], ctx["jm"], ctx["xs"], ctx["jx"], ctx["weights"]
    tm.train()
    jm.train()
    call = ast.parse(optimizer, mode="eval").body
    topt = eval(f"torch.optim.{ast.unparse(call.func)}", {"torch": torch})(  # noqa: S307
        tm.parameters(), *[ast.literal_eval(a) for a in call.args],
        **{k.arg: ast.literal_eval(k.value) for k in call.keywords})
    tx_src = jax_optimizer(optimizer)
    tx = eval(tx_src, {"optax": optax, "jnp": jnp, "params": None})  # noqa: S307
    jopt = nnx.Optimizer(jm, tx, wrt=nnx.Param)

    def scalar(model):
        outs = _flat(model(*jx))
        return sum(jnp.sum(o * w) for o, w in zip(outs, weights) if w is not None)

    losses = []
    for _ in range(steps):
        topt.zero_grad()
        tl = sum((o * torch.from_numpy(w)).sum() for o, w in zip(_flat(tm(*xs)), weights) if w is not None)
        tl.backward()
        topt.step()
        jl, grads = nnx.value_and_grad(scalar)(jm)
        jopt.update(jm, grads)
        losses.append((float(tl), float(jl)))
    loss_err = max(abs(t - j) / max(1.0, abs(t)) for t, j in losses)
    tsd = {k: _np(v) for k, v in tm.state_dict().items() if not k.endswith("num_batches_tracked")}
    jsd = state_dict(jm)
    errors = {k: _rel(jsd[k], v) for k, v in tsd.items()}
    worst = max(errors.items(), key=lambda kv: kv[1], default=("", 0.0))
    stage.errors = {"loss": loss_err, **errors}
    stage.passed = loss_err <= STEP_TOL and worst[1] <= STEP_TOL
    stage.detail = (f"{steps} steps of {optimizer} ({tx_src}) in train mode: loss rel err {loss_err:.2e}, "
                    f"worst weight {worst[0]} {worst[1]:.2e} (tolerance {STEP_TOL:g})")


def run(torch_path: str, jax_path: str, build: str, inputs: str, steps: int, optimizer: str, fmt: str) -> int:
    """`jaxmigrate check`: print the report; exit 0 only when every stage passes."""
    report = check(torch_path, jax_path, build, inputs, steps, optimizer)
    print(json.dumps(report.as_json(), indent=2) if fmt == "json" else report.as_text())
    return 0 if report.passed else 1
