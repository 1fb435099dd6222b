"""Run a record's checks against real PyTorch: forward eager and under jit, gradients (under jit where the
record lists jit), bfloat16.

Used by the test suite and by `jaxmigrate verify`; imports torch and jax, so nothing on the
`suggest` path may import it.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
import optax
import torch
from flax import nnx

from mapping.record import Difference, Record, T, Tol
from mapping.strategies import Case

TORCH_SCOPE = {"torch": torch, "nn": torch.nn, "F": torch.nn.functional, "np": np}
# `key` stands for the PRNG key a user threads through their code (random records use it), as
# torch.manual_seed(0) runs before the torch example.
JAX_SCOPE = {"jax": jax, "jnp": jnp, "np": np, "optax": optax, "nnx": nnx, "lax": jax.lax,
             "key": jax.random.key(0)}


@dataclass
class Result:
    """One check of one record: the largest errors measured and whether they are within tol."""

    check: str
    max_abs: float
    max_rel: float
    tol: Tol | None
    ok: bool
    detail: str = ""
    ref_max: float = 0.0  # largest finite |torch value| compared: 0 means torch gave only zeros


class Mismatch(AssertionError):
    pass


def check_record(record: Record, case: Case) -> list[Result]:
    """Run every check the record lists on one drawn case; raise Mismatch on the first failure."""
    results = []
    torch_out, torch_grads = run_torch(record, case, grad="grad" in record.checks)
    jax_fn, diff, float_idx = jax_function(record, case, torch_out)
    if "grad" not in record.checks and "grad" not in record.why_not and float_idx and _float_inputs(case, torch_out):
        raise Mismatch(f"{record.id}: float inputs and a float output, but no grad check: list 'grad' in checks, "
                       "or give the reason it does not apply in why_not={'grad': ...}")
    if "forward" in record.checks:
        results.append(compare("forward", torch_out.leaves, jax_fn(diff), record.tol))
    # A case with no float output or no differentiable input (an empty unbind) has no gradient to compare:
    # it reports no grad result, and the caller requires one on every rich case.
    grad = "grad" in record.checks and bool(float_idx) and bool(torch_grads)
    cts = [torch_out.cotangents[i] for i in float_idx] if grad else None
    if "jit" in record.checks:
        # One compiled function gives the forward under jit and, where listed, the gradient as a jitted
        # training step computes it: a third of the proof's time went to compiling each op eagerly.
        outs, jax_grads = jax.jit(_forward_and_vjp(jax_fn, float_idx))(diff, cts)
        results.append(compare("jit", torch_out.leaves, outs, record.tol))
    elif grad:
        jax_grads = _forward_and_vjp(jax_fn, float_idx)(diff, cts)[1]
    if grad:
        names = sorted(torch_grads)
        results.append(compare("grad", [torch_grads[n] for n in names], [_get(jax_grads, n) for n in names],
                               record.grad_tol, labels=names))
    if "bf16" in record.checks:
        bf_out, _ = run_torch(record, case, grad=False, dtype=torch.bfloat16)
        bf_fn, bf_diff, _ = jax_function(record, case, bf_out, dtype=jnp.bfloat16)
        results.append(compare("bf16", bf_out.leaves, bf_fn(bf_diff), record.bf16_tol))
    for r in results:
        if not r.ok:
            raise Mismatch(f"{record.id}: {r.check} differs: {r.detail}\n  inputs: {case.repro()}")
    return results


def _forward_and_vjp(jax_fn, float_idx: list):
    """(outputs, gradient of the float outputs against cotangents `cts`; None when `cts` is None)."""

    def run(d: dict, cts: list | None):
        if cts is None:
            return jax_fn(d), None
        def split(d: dict):
            outs = jax_fn(d)
            return [outs[i] for i in float_idx], outs

        floats, vjp, outs = jax.vjp(split, d, has_aux=True)
        # Cast like torch does (`.to(t.dtype)`): a float16/bfloat16 output takes a cotangent of its dtype.
        (grads,) = vjp([jnp.asarray(c, f.dtype) for c, f in zip(cts, floats)])
        return outs, grads

    return run


def prove(record: Record, profile=None) -> list[list[Result]]:
    """A record's whole proof, as CI runs it: its rich cases (every listed check must run on each), then its
    hypothesis draws under `profile` (hypothesis settings; default: the loaded profile). Returns the results
    per case; raises Mismatch on a difference, a listed check that did not run, or a vacuous proof."""
    from mapping import strategies

    proof = []
    for case in strategies.rich_cases(record):  # built to be non-trivial: every listed check runs on each
        results = check_record(record, case)
        if {r.check for r in results} != set(record.checks):
            raise Mismatch(f"{record.id}: a listed check did not run on a rich case (remove it and give the reason "
                           f"in why_not)\n  inputs: {case.repro()}")
        proof.append(results)
    strategies.for_each_draw(record, lambda case: proof.append(check_record(record, case)), profile)
    for results in proof:  # a draw may be empty: then only the gradient has nothing to compare
        missing = set(record.checks) - {"grad"} - {r.check for r in results}
        if missing:
            raise Mismatch(f"{record.id}: {', '.join(sorted(missing))} did not run on a drawn case")
    why = vacuous(record, proof)
    if why:
        raise Mismatch(f"{record.id}: {why}")
    return proof


def vacuous(record: Record, proof: list[list[Result]]) -> str | None:
    """Why the results of all of a record's cases prove nothing, or None: a grad check that only ever
    compared zero gradients (unless the record says why its op's gradient is zero everywhere)."""
    grads = [r for results in proof for r in results if r.check == "grad"]
    if "grad" in record.checks and not record.zero_grad and not any(r.ref_max > 0 for r in grads):
        return (f"torch's gradient is zero on all {len(grads)} cases: the grad check compared only zeros "
                "(draw inputs where it is not, or state zero_grad for a piecewise-constant op)")
    return None


@dataclass
class TorchRun:
    leaves: list  # flattened outputs, numpy or Python scalars
    cotangents: list  # one per leaf (None for non-float leaves)
    state: dict  # the module's state_dict in numpy (empty when the example binds no `m`)
    params: set  # names in `state` that are trainable parameters


def run_torch(record: Record, case: Case, grad: bool, dtype=None) -> tuple[TorchRun, dict]:
    """Execute the torch example; return its outputs and the gradients of a random projection."""
    scope = dict(TORCH_SCOPE)
    wrt: dict[str, torch.Tensor] = {}
    for name, value in case.values.items():
        if not isinstance(value, np.ndarray):
            scope[name] = value
            continue
        spec = _spec(record, name)
        t = _torch_tensor(value, case.noncontiguous and not spec.contiguous)
        if dtype is not None and t.is_floating_point():
            t = t.to(dtype)
        if grad and spec.grad and t.is_floating_point():
            t.requires_grad_(True)
            wrt[name] = t
        scope[name] = t
    torch.manual_seed(0)
    exec(record.torch_example, scope)
    out = scope["out"]
    module = scope.get("m")
    state, params = {}, set()
    if isinstance(module, torch.nn.Module):
        state = {k: v.detach().float().numpy() if v.is_floating_point() else v.numpy()
                 for k, v in module.state_dict().items()}
        for k, p in module.named_parameters():
            params.add(k)
            if grad and p.requires_grad:
                wrt[f"sd.{k}"] = p
    tensors = _flatten(out)
    rng = np.random.default_rng(0)
    cts = [rng.uniform(-1, 1, np.shape(t)).astype(np.float32) if _is_float(t) else None for t in tensors]
    grads = {}
    if grad:
        pairs = [(t, c) for t, c in zip(tensors, cts) if isinstance(t, torch.Tensor) and t.requires_grad]
        keys = list(wrt)
        if pairs:
            got = torch.autograd.grad([t for t, _ in pairs], [wrt[k] for k in keys],
                                      [torch.from_numpy(c).to(t.dtype) for t, c in pairs], allow_unused=True)
        else:
            got = [None] * len(keys)
        grads = {k: (np.zeros(wrt[k].shape, np.float32) if g is None else g.float().numpy()) for k, g in zip(keys, got)}
    leaves = [_to_numpy(t) for t in tensors]
    return TorchRun(leaves, cts, state, params), grads


def jax_function(record: Record, case: Case, torch_run: TorchRun, dtype=None):
    """The JAX example as a function of its differentiable inputs (and of the module weights)."""
    diff, const = {}, {}
    for name, value in case.values.items():
        if not isinstance(value, np.ndarray):
            const[name] = value
            continue
        arr = jnp.asarray(value)
        if dtype is not None and jnp.issubdtype(arr.dtype, jnp.floating):
            arr = arr.astype(dtype)
        spec = _spec(record, name)
        (diff if spec.grad and value.dtype.kind == "f" else const)[name] = arr
    if torch_run.state:
        diff["sd"] = {k: jnp.asarray(v) for k, v in torch_run.state.items() if k in torch_run.params}
        const["sd"] = {k: jnp.asarray(v) for k, v in torch_run.state.items() if k not in torch_run.params}

    def fn(d: dict) -> list:
        scope = dict(JAX_SCOPE)
        scope.update(const)
        scope.update(d)
        if "sd" in const:
            scope["sd"] = {**const["sd"], **d.get("sd", {})}
        exec(record.jax_example, scope)
        return _flatten(scope["out"])

    float_idx = [i for i, c in enumerate(torch_run.cotangents) if c is not None]
    return fn, diff, float_idx


def compare(check: str, expected: list, actual: list, tol: Tol, labels: list | None = None) -> Result:
    """Compare torch leaves with JAX leaves: same count, shape and dtype kind; values within tol."""
    actual = [_to_numpy(a) for a in actual]
    ref_max = _ref_max(expected)
    if len(expected) != len(actual):
        return Result(check, np.inf, np.inf, tol, False, f"{len(expected)} torch outputs vs {len(actual)} JAX outputs")
    worst_abs = worst_rel = 0.0
    for i, (e, a) in enumerate(zip(expected, actual)):
        label = labels[i] if labels else f"output {i}"
        e, a = np.asarray(e), np.asarray(a)
        if e.shape != a.shape:
            return Result(check, np.inf, np.inf, tol, False, f"{label}: shape {e.shape} (torch) vs {a.shape} (JAX)")
        if _kind(e) != _kind(a) or (_kind(e) == "f" and e.dtype != a.dtype and not _python_scalar(e, a)):
            return Result(check, np.inf, np.inf, tol, False, f"{label}: dtype {e.dtype} (torch) vs {a.dtype} (JAX)")
        if _kind(e) != "f":
            if not np.array_equal(e, a):
                return Result(check, np.inf, np.inf, tol, False, f"{label}: values differ: {e!r} vs {a!r}")
            continue
        e64, a64 = e.astype(np.float64), a.astype(np.float64)
        same_special = (np.isnan(e64) & np.isnan(a64)) | (np.isinf(e64) & (e64 == a64))
        with np.errstate(invalid="ignore"):  # inf - inf where both agree: masked just below
            err = np.where(same_special, 0.0, np.abs(e64 - a64))
        err = np.where(np.isnan(err), np.inf, err)
        if err.size:
            worst_abs = max(worst_abs, float(err.max()))
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = np.where(np.abs(e64) > 0, err / np.abs(e64), np.where(err > 0, np.inf, 0.0))
            worst_rel = max(worst_rel, float(rel.max()))
            bad = err > tol.atol + tol.rtol * np.abs(np.where(np.isfinite(e64), e64, 0.0))
            if bad.any():
                j = np.unravel_index(np.argmax(bad), err.shape)
                return Result(check, worst_abs, worst_rel, tol, False,
                              f"{label}[{tuple(int(x) for x in j)}]: torch {e64[j]!r} vs JAX {a64[j]!r} "
                              f"(max abs {float(err.max()):.3g}, tol rtol={tol.rtol} atol={tol.atol})")
    return Result(check, worst_abs, worst_rel, tol, True, ref_max=ref_max)


def _ref_max(leaves: list) -> float:
    """The largest finite |value| among float leaves (0.0 when all are zero, empty or not float)."""
    finite = [np.abs(x[np.isfinite(x)]) for x in (np.asarray(v, np.float64) for v in leaves
                                                   if _kind(np.asarray(v)) == "f")]
    return max((float(f.max()) for f in finite if f.size), default=0.0)


def check_difference(diff: Difference) -> float:
    """Run a silent difference's snippets; return the max abs difference (inf if torch raised)."""
    if diff.torch_raises:
        try:
            exec(diff.torch, dict(TORCH_SCOPE))
        except Exception as e:  # noqa: BLE001 - we compare the exception's type name below
            if type(e).__name__ != diff.torch_raises:
                raise Mismatch(f"torch raised {type(e).__name__}, not {diff.torch_raises}: {e}") from e
        else:
            raise Mismatch(f"torch did not raise {diff.torch_raises}")
        scope = dict(JAX_SCOPE)
        exec(diff.jax, scope)  # must return a value where torch raised
        _flatten(scope["out"])
        return float("inf")
    t_scope, j_scope = dict(TORCH_SCOPE), dict(JAX_SCOPE)
    exec(diff.torch, t_scope)
    exec(diff.jax, j_scope)
    e = [np.asarray(_to_numpy(x), np.float64) for x in _flatten(t_scope["out"])]
    a = [np.asarray(_to_numpy(x), np.float64) for x in _flatten(j_scope["out"])]
    return max(float(np.max(np.abs(x - y))) for x, y in zip(e, a, strict=True))


def _torch_tensor(value: np.ndarray, noncontiguous: bool) -> torch.Tensor:
    """A torch tensor with these values; with `noncontiguous`, a transposed view (same values)."""
    if noncontiguous and value.ndim >= 2 and value.shape[-1] > 1 and value.shape[-2] > 1:
        return torch.from_numpy(np.ascontiguousarray(np.swapaxes(value, -1, -2))).transpose(-1, -2)
    return torch.from_numpy(value.copy())


def _float_inputs(case: Case, torch_run: TorchRun) -> bool:
    """Whether the case has a float tensor input or the example's module has parameters."""
    return bool(torch_run.params) or any(isinstance(v, np.ndarray) and v.dtype.kind == "f"
                                         for v in case.values.values())


def _spec(record: Record, name: str) -> T:
    for s in record.inputs:
        if s.name == name:
            return s
    raise KeyError(name)


def _flatten(out) -> list:
    """Leaves of a tree of tuples, lists and dicts (keys sorted, like JAX); None is dropped."""
    if out is None:
        return []
    if isinstance(out, dict):
        return [x for k in sorted(out) for x in _flatten(out[k])]
    if isinstance(out, (tuple, list)) and not isinstance(out, torch.Size):
        return [x for o in out for x in _flatten(o)]
    return [out]


def _is_float(x) -> bool:
    if isinstance(x, torch.Tensor):
        return x.is_floating_point()
    return False


def _to_numpy(x):
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            return x.float().numpy().astype(jnp.bfloat16)
        return x.resolve_conj().numpy() if x.is_complex() else x.numpy()
    if isinstance(x, torch.Size):
        return np.asarray(tuple(x), dtype=np.int64)
    return np.asarray(x)


def _kind(a: np.ndarray) -> str:
    """f (any float, bfloat16 included), i (any int), b, c."""
    if a.dtype == jnp.bfloat16 or a.dtype.kind == "f":
        return "f"
    return "i" if a.dtype.kind in "iu" else a.dtype.kind


def _python_scalar(e: np.ndarray, a: np.ndarray) -> bool:
    """A 0-d float64 on one side is a Python float (`.item()`), not a dtype mismatch."""
    return any(x.ndim == 0 and x.dtype == np.float64 for x in (e, a))


def _get(tree: dict, name: str):
    if name.startswith("sd."):
        return tree["sd"][name[3:]]
    return tree[name]
