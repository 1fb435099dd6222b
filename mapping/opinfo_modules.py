"""PyTorch's own `torch.nn` module test inputs (`module_db`) run through the catalogue's module rewrites.

For every module in torch's `module_db` (114 in torch 2.13), each ModuleInput (float32) gives a constructor
call with literal arguments (`torch.nn.Linear(10, 8, bias=False)`), rewritten exactly as `jaxmigrate suggest
--fix --unsafe-fixes` would. The chosen record's own examples are then run with their constructor line
replaced, on each side, by that call and its rewrite, and the record's input names bound to the ModuleInput's
forward arguments: torch's weights reach the JAX module through the record's own loader (`sd`, as in
`mapping.check`), and `mapping.check.check_record` compares forward, `jax.jit` and gradients (inputs and
parameters) at the record's tolerances, in the mode its example uses (train unless it calls `m.eval()`).

    python -m mapping.opinfo_modules [-v] [MODULE ...]

Imports torch and jax: never on the `suggest` path.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import re
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from functools import cache

import numpy as np
import torch

import mapping
from mapping import check, opinfo
from mapping.record import Record, T
from mapping.strategies import Case
from migrate import rewrite

CTOR_RE = re.compile(r"^m = nn\.\w+\(.*\)$", re.M)  # the torch example's constructor line
JAX_CTOR_RE = re.compile(r"^m = .*$", re.M)  # the JAX example's: the rewrite's text


@dataclass
class Outcome(opinfo.Outcome):
    """One ModuleInput through one record: `ok`, `refused`, `torch_rejects`, `unwritable`, `random`,
    `other_call` (a forward call the record's example does not show), `unfit` (the record's torch example,
    written for other shapes, fails on the input torch's module accepts), or a finding (`mismatch`, `jax_error`).
    `opinfo` holds the module_db name, `forward` the forward arguments, `mode` the mode compared."""

    forward: str = ""
    mode: str = ""

    def line(self) -> str:
        return (f"{self.kind}: {self.record or self.api} <- module_db {self.opinfo} #{self.index} ({self.mode})\n"
                f"    torch: m = {self.call}; m({self.forward})\n    jax:   {self.jax}\n    {self.detail}")


@dataclass(frozen=True)
class Known:
    """A finding that is understood: the record, the module_db entry, a regex `when` searched in
    `<constructor> <- m(<forward arguments>)` ('' for any input), and the resolution, which starts with its kind
    (`caveat`, `tolerance` or `loud`, as in `mapping.opinfo`). A `loud` entry explains JAX errors only."""

    record: str
    module: str
    when: str
    resolution: str

    def matches(self, o: Outcome) -> bool:
        loud = self.resolution.startswith("loud")
        return (o.record == self.record and o.opinfo == self.module and (o.kind == "jax_error" or not loud)
                and re.search(self.when, f"{o.call} <- m({o.forward})") is not None)


SCALAR_DIM = ("loud: a 0-d input with dim=0: torch treats it as 1-d, JAX raises (axis out of bounds); reshape it to "
              "(1,) first")

# Every finding of the last full sweep that is not fixed, with its resolution (OPINFO_MODULES.md lists them).
KNOWN: tuple[Known, ...] = (
    Known("torch.nn.AdaptiveAvgPool1d", "nn.AdaptiveAvgPool1d", r"AdaptiveAvgPool1d\(\d", "loud: output_size "
          "that does not divide the length: the rewrite's reshape raises (the record's note says so)"),
    Known("torch.nn.AdaptiveAvgPool2d", "nn.AdaptiveAvgPool2d", r"AdaptiveAvgPool2d\(\d", "loud: output_size "
          "that does not divide the size: the rewrite's reshape raises (the record's note says so)"),
    Known("torch.nn.AdaptiveAvgPool2d", "nn.AdaptiveAvgPool2d", r"AdaptiveAvgPool2d\(\(", "loud: output_size as "
          "a tuple: the rewrite takes one int (its reshape raises TypeError)"),
    *(Known(f"torch.nn.Adaptive{k}Pool{n}d", f"nn.Adaptive{k}Pool{n}d", r"None", "loud: None in output_size "
            "(keep that axis): the rewrite's range(None) raises")
      for k, n in (("Avg", 3), ("Max", 2), ("Max", 3))),
    *(Known(f"torch.nn.BatchNorm{n}d", f"nn.BatchNorm{n}d", rf"BatchNorm{n}d\(\d+, [\d.e-]+, None",
            "loud: momentum=None (torch's cumulative moving average) has no nnx.BatchNorm form: the rewrite's "
            "1 - None raises TypeError at construction") for n in (1, 2, 3)),
    *(Known(f"torch.nn.BatchNorm{n}d", f"nn.BatchNorm{n}d", r"<- m\(float32\(0, ", "caveat: an empty batch: "
            "torch keeps the running statistics, nnx.BatchNorm makes them nan (Difference on the record)")
      for n in (1, 2, 3)),
    Known("torch.nn.LayerNorm", "nn.LayerNorm", r"LayerNorm\(\[", "loud: normalized_shape as a list: "
          "nnx.LayerNorm takes the feature count as an int and raises TypeError at construction"),
    *(Known(f"torch.nn.{name}", f"nn.{name}", r"<- m\(float32\(\)\)$", SCALAR_DIM)
      for name in ("Softmax", "LogSoftmax", "Softmin")),
    Known("torch.nn.KLDivLoss", "nn.KLDivLoss", r"batchmean.*<- m\(float32\(\), ", "loud: reduction='batchmean' "
          "on 0-d tensors: the rewrite divides by l.shape[0], which a 0-d array lacks (IndexError)"),
    Known("torch.nn.CrossEntropyLoss", "nn.CrossEntropyLoss", r"<- m\(float32\(.*\), float32\(", "loud: "
          "class-probability (float) targets: the rewrite is for class indices and optax raises on float labels"),
    *(Known(f"torch.nn.LPPool{n}d", f"nn.LPPool{n}d", r"LPPool\dd\(1\.5", "caveat: a window with a negative entry "
            "and a fractional norm_type: nan in both, torch's gradient nan over the whole window, JAX's only at the "
            "negative entry (Difference on the record)") for n in (1, 2, 3)),
)


def resolution(o: Outcome) -> Known | None:
    """The KNOWN entry that explains this finding, if any (for a JAX error, a `loud` entry first)."""
    found = [k for k in KNOWN if k.matches(o)]
    return next((k for k in found if k.resolution.startswith("loud")), found[0]) if found else None


class Sweep(opinfo.Sweep):
    """All outcomes of one module sweep."""

    def unresolved(self) -> list[Outcome]:
        return [o for o in self.findings() if resolution(o) is None]


# -- which module_db entries test which catalogue APIs ----------------------------------------------


@cache
def module_db() -> tuple:
    """torch's ModuleInfo database (needs the `expecttest` package)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from torch.testing._internal.common_modules import module_db as modules
    return tuple(modules)


def covered(only: list[str] | None = None) -> list[tuple[str, object]]:
    """(torch.nn.X, ModuleInfo) for every module_db entry the catalogue has a record for."""
    found = []
    for info in module_db():
        api = f"torch.nn.{info.module_cls.__name__}"
        if api in opinfo._catalogue().by_name and (not only or api in only or info.name in only):
            found.append((api, info))
    return found


def module_inputs(info, training: bool) -> list:
    """The ModuleInputs for float32 in this mode, the same ones on every run (seeded)."""
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(info.module_inputs_func(info, device="cpu", dtype=torch.float32, requires_grad=True,
                                            training=training))


def mode(record: Record) -> str:
    """The mode a record's example compares in: eval where it calls `m.eval()`, train otherwise."""
    return "eval" if "m.eval()" in record.torch_example else "train"


def patterns(chosen: Record) -> list[Record]:
    """The chosen record and its variants with the same rewrite (a train and an eval example), each run."""
    same = [r for r in mapping.load() if r.torch == chosen.torch and r.template == chosen.template
            and rewrite.has_rewrite(r) and r is not chosen]
    return [chosen, *same]


# -- binding a ModuleInput to a record's example ----------------------------------------------------


def _call_pattern(record: Record) -> ast.Call | None:
    """The first `m(...)` call of the record's torch example."""
    for node in ast.walk(ast.parse(record.torch_example)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "m":
            return node
    return None


def bind(record: Record, args: tuple, kwargs: dict) -> dict | None:
    """The record's input names bound to the forward arguments, following its example's `m(...)` call
    (`m(x, (h0, c0))` unpacks a pair); None when the call's form differs (count, keywords, a repeated name
    given different tensors, an example input the call does not give). A keyword left at None is omitted."""
    call = _call_pattern(record)
    names = {s.name for s in record.inputs if isinstance(s, T)}  # a Choice or Dim feeds the constructor only
    if call is None:
        return None
    bound: dict = {}

    def put(pattern: ast.expr, value) -> bool:
        if isinstance(pattern, ast.Name) and pattern.id in names:
            if pattern.id in bound and bound[pattern.id] is not value:
                return False
            bound[pattern.id] = value
            return True
        if isinstance(pattern, ast.Tuple) and isinstance(value, (tuple, list)) and len(value) == len(pattern.elts):
            return all(put(p, v) for p, v in zip(pattern.elts, value))
        # An expression of one input (`torch.where(target == 4, -100, target)`): bind that input; both sides
        # then compute the same expression of it.
        used = {n.id for n in ast.walk(pattern) if isinstance(n, ast.Name) and n.id in names}
        return len(used) == 1 and put(ast.Name(used.pop()), value)

    if len(call.args) != len(args) or not all(put(p, v) for p, v in zip(call.args, args)):
        return None
    keywords = {k.arg: k.value for k in call.keywords}
    for key, value in kwargs.items():
        if key in keywords:
            if not put(keywords[key], value):
                return None
        elif value is not None:
            return None
    return bound if set(bound) == names else None


def _spec(name: str, value) -> T | None:
    """An input spec for a bound tensor: differentiated where module_db asks for its gradient."""
    if not isinstance(value, torch.Tensor):
        return None
    return T(name, grad=bool(value.requires_grad and value.is_floating_point()))


def _value(value):
    return value.detach().numpy() if isinstance(value, torch.Tensor) else value


def program(record: Record, torch_ctor: str, jax_ctor: str, bound: dict, ctor_tensors: dict) -> tuple[Record, Case]:
    """The record with its constructor lines replaced (torch: the ModuleInput's call; JAX: its rewrite) and
    the case that binds its inputs; bfloat16 is left out (float32 only)."""
    if len(CTOR_RE.findall(record.torch_example)) != 1 or not JAX_CTOR_RE.search(record.jax_example):
        raise ValueError(f"{record.id}: no single constructor line `m = nn.X(...)` in its examples")
    torch_ctor = torch_ctor.replace("torch.nn.", "nn.", 1)
    values = {**bound, **ctor_tensors}
    inputs = tuple(s for s in (_spec(n, v) for n, v in values.items()) if s is not None)
    changed = dataclasses.replace(
        record,
        torch_example=CTOR_RE.sub(lambda _: f"m = {torch_ctor}", record.torch_example, count=1),
        jax_example=JAX_CTOR_RE.sub(lambda _: f"m = {jax_ctor}", record.jax_example, count=1),
        inputs=inputs,
        checks=tuple(c for c in record.checks if c != "bf16"),
    )
    return changed, Case({n: _value(v) for n, v in values.items()}, noncontiguous=False)


def _describe(args: tuple, kwargs: dict) -> str:
    def one(v) -> str:
        if isinstance(v, torch.Tensor):
            return f"{str(v.dtype).removeprefix('torch.')}{tuple(v.shape)}"
        if isinstance(v, (tuple, list)):
            return "(" + ", ".join(one(x) for x in v) + ")"
        return repr(v)
    return ", ".join([one(a) for a in args] + [f"{k}={one(v)}" for k, v in kwargs.items()])


# -- running one ModuleInput ------------------------------------------------------------------------


def constructor_source(api: str, ctor, tensors: dict) -> str:
    """`torch.nn.X(10, 8, bias=False)` for a constructor FunctionInput (tensors become t0, t1, ... in `tensors`)."""
    args = [opinfo.literal(a, tensors) for a in ctor.args]
    args += [f"{k}={opinfo.literal(v, tensors)}" for k, v in ctor.kwargs.items()]
    return f"{api}({', '.join(args)})"


def run_input(api: str, info, index: int, module_input, training: bool) -> list[Outcome]:
    """Rewrite one ModuleInput's constructor; run it through the chosen record (and its same-rewrite variants)."""
    ctor, fwd = module_input.constructor_input, module_input.forward_input
    base = Outcome(api, info.name, "float32", index, "ok", forward=_describe(fwd.args, fwd.kwargs),
                   mode="train inputs" if training else "eval inputs")
    tensors: dict = {}
    try:
        base.call = constructor_source(api, ctor, tensors)
    except opinfo.Unwritable as e:
        base.kind, base.detail = "unwritable", str(e)
        return [base]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info.module_cls(*ctor.args, **ctor.kwargs)
    except Exception as e:  # noqa: BLE001 - torch refuses this constructor
        base.kind, base.detail = "torch_rejects", f"{type(e).__name__}: {str(e)[:120]}"
        return [base]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.manual_seed(0)
            info.module_cls(*ctor.args, **ctor.kwargs).to(torch.float32)(*fwd.args, **fwd.kwargs)  # as module_db
    except Exception as e:  # noqa: BLE001 - torch rejects this forward input
        base.kind, base.detail = "torch_rejects", f"forward: {type(e).__name__}: {str(e)[:120]}"
        return [base]
    jax_line, chosen, why = opinfo._rewrite(base.call, tuple(tensors), api)
    base.record = chosen.id if chosen else ""
    if jax_line is None:
        base.kind, base.detail = "refused", why
        return [base]
    jax_ctor = jax_line.removeprefix("out = ")
    return [_run(dataclasses.replace(base, record=r.id, jax=jax_ctor, mode=mode(r)), r, fwd, tensors)
            for r in patterns(chosen)]


def _run(o: Outcome, record: Record, fwd, ctor_tensors: dict) -> Outcome:
    """Execute the record's examples on this input and compare (forward, jit, gradients)."""
    if not record.inputs:
        o.kind, o.detail = "random", "the record proves statistics of its own sample (no input to bind)"
        return o
    bound = bind(record, fwd.args, fwd.kwargs)
    if bound is None:
        o.kind, o.detail = "other_call", f"the record's example calls m differently: {_call_text(record)}"
        return o
    changed, case = program(record, o.call, o.jax, bound, ctor_tensors)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check.run_torch(changed, case, grad=False)
    except Exception as e:  # noqa: BLE001 - torch runs the input, but not through this example
        o.kind, o.detail = "unfit", f"the record's torch example fails here: {type(e).__name__}: {str(e)[:120]}"
        return o
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check.check_record(changed, case)
    except check.Mismatch as e:
        o.kind, o.detail = "mismatch", str(e).split("\n")[0]
    except Exception as e:  # noqa: BLE001 - a JAX error where torch gave a value is a finding
        o.kind, o.detail = "jax_error", f"{type(e).__name__}: {str(e)[:200]}"
    return o


def _call_text(record: Record) -> str:
    call = _call_pattern(record)
    return ast.unparse(call) if call is not None else "(no call)"


def sweep(only: list[str] | None = None, cap: int | None = None, progress=None) -> Sweep:
    """Every ModuleInput (the first `cap` per module and mode when given) of every covered module."""
    began = time.perf_counter()
    result = Sweep()
    for api, info in covered(only):
        done = len(result.outcomes)
        for training in ((True, False) if info.train_and_eval_differ else (True,)):
            for i, module_input in enumerate(module_inputs(info, training)[:cap]):
                result.outcomes.extend(run_input(api, info, i, module_input, training))
        if progress is not None:
            progress(info.name, result.outcomes[done:])
    result.seconds = time.perf_counter() - began
    return result


KINDS = ("ok", "mismatch", "jax_error", "refused", "other_call", "unfit", "random", "torch_rejects", "unwritable")


def report(result: Sweep) -> str:
    """The text `python -m mapping.opinfo_modules` prints."""
    counts = result.counts()
    modules = {o.opinfo for o in result.outcomes}
    lines = [f"module_db sweep (torch {torch.__version__}): {len(modules)} modules, {len(result.records())} records "
             f"compared, {len(result.outcomes)} outcomes in {result.seconds:.0f} s"]
    lines += [f"  {k}: {counts[k]}" for k in KINDS]
    modes = Counter((o.record, o.mode) for o in result.outcomes if o.kind in ("ok", "mismatch", "jax_error"))
    lines.append("compared, by record and mode: " + ", ".join(f"{r} ({m}) {n}" for (r, m), n in sorted(modes.items())))
    refused = Counter(o.record or o.api for o in result.outcomes if o.kind == "refused")
    if refused:
        lines.append("refused by the codemod, by record: " + ", ".join(f"{k} {v}" for k, v in refused.most_common()))
    for kind, text in (("other_call", "forward calls the record's example does not show"),
                       ("unfit", "inputs the record's torch example fails on")):
        other = Counter(o.record for o in result.outcomes if o.kind == kind)
        if other:
            lines.append(f"{text}: " + ", ".join(f"{k} {v}" for k, v in other.most_common()))
    findings, unresolved = result.findings(), result.unresolved()
    lines.append(f"findings: {len(findings)} ({len(findings) - len(unresolved)} resolved, {len(unresolved)} not)")
    by_entry = Counter(resolution(o) for o in findings if resolution(o))
    lines += [f"  {n} x {k.record} <- module_db {k.module} /{k.when}/: {k.resolution}" for k, n in by_entry.items()]
    lines += ["UNRESOLVED " + o.line() for o in unresolved]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mapping.opinfo_modules", description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="torch.nn.X or nn.X names to sweep; all by default")
    parser.add_argument("--cap", type=int, default=None, help="ModuleInputs per module and mode (all by default)")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per module on stderr as it runs")
    args = parser.parse_args(argv)

    def progress(name: str, outcomes: list) -> None:
        print(f"{name}: {dict(Counter(o.kind for o in outcomes))}", file=sys.stderr, flush=True)

    result = sweep(args.modules or None, args.cap, progress if args.verbose else None)
    print(report(result))
    return 1 if result.unresolved() else 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
