"""`jaxmigrate catalogue`: the records and their counts by namespace and status."""

from __future__ import annotations

import json
import re
from collections import Counter

import mapping
from mapping.record import STATUSES, Record
from mapping.versions import VERIFIED_WITH


def as_json(r: Record) -> dict:
    """The public fields of a record."""
    return {"id": r.id, "torch": r.torch, "aliases": list(r.aliases), "jax": r.jax, "namespace": r.namespace,
            "status": r.status, "checks": list(r.checks), "tolerance": {"rtol": r.tol.rtol, "atol": r.tol.atol,
            "reason": r.tol.reason}, "notes": list(r.notes), "reason": r.reason}


def counts(records: list[Record]) -> dict[str, Counter]:
    """Status counts per namespace."""
    table: dict[str, Counter] = {}
    for r in records:
        table.setdefault(r.namespace, Counter())[r.status] += 1
    return table


def run(fmt: str, namespace: str) -> int:
    records = [r for r in mapping.load() if r.torch.startswith(namespace)]
    table = counts(records)
    if fmt == "json":
        summary = {ns: dict(c) for ns, c in sorted(table.items())}
        print(json.dumps({"verified_with": VERIFIED_WITH, "summary": summary,
                          "records": [as_json(r) for r in records]}, indent=1))
        return 0
    if fmt == "markdown":
        print("| namespace | " + " | ".join(STATUSES) + " | total |")
        print("| --- " * (len(STATUSES) + 2) + "|")
        for ns, c in sorted(table.items()):
            print(f"| `{ns}` | " + " | ".join(str(c[s]) for s in STATUSES) + f" | {sum(c.values())} |")
        return 0
    width = max((len(ns) for ns in table), default=10)
    print(f"{'namespace':<{width}}  " + "  ".join(f"{s:>11}" for s in STATUSES) + "  total")
    for ns, c in sorted(table.items()):
        print(f"{ns:<{width}}  " + "  ".join(f"{c[s]:>11}" for s in STATUSES) + f"  {sum(c.values()):>5}")
    total = Counter()
    for c in table.values():
        total.update(c)
    print(f"{'all':<{width}}  " + "  ".join(f"{total[s]:>11}" for s in STATUSES) + f"  {sum(total.values()):>5}")
    print("verified with " + ", ".join(f"{k} {v}" for k, v in VERIFIED_WITH.items()))
    return 0


# -- coverage: the catalogue against the installed torch's public API --------------------------------

COVERAGE_NAMESPACES = ("torch", "torch.Tensor", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.linalg",
                       "torch.fft", "torch.special", "torch.optim", "torch.optim.lr_scheduler", "torch.distributions",
                       "torch.utils.data", "torch.amp", "torch.distributed", "torch.autograd", "torch.func")


def public_api(namespace: str) -> list[str]:
    """The public callables of one torch namespace, qualified: its `__all__` (or public names when it has none),
    less submodules, constants, dtypes and names imported from other libraries (typing, math)."""
    import importlib
    import inspect
    import warnings

    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated names warn when touched
        if namespace == "torch.Tensor":
            names = [n for n in dir(torch.Tensor) if not n.startswith("_") and callable(getattr(torch.Tensor, n, None))]
        else:
            module = importlib.import_module(namespace)
            names = [n for n in getattr(module, "__all__", None) or dir(module) if not n.startswith("_")]
            names = [n for n in names if _public_callable(namespace, n, getattr(module, n, None), torch, inspect)]
    return sorted({f"{namespace}.{n}" for n in names})


# torch's __all__ re-exports TorchScript's C++ classes (Graph, AliasDb, FutureType, ...): these are
# the user-facing ones among them.
TORCH_VALUE_CLASSES = frozenset("Size device dtype finfo iinfo Generator Stream Event layout memory_format".split())


def _public_callable(namespace: str, name: str, obj, torch, inspect) -> bool:
    """A function or class of torch (not typing, math, a submodule or a constant) that belongs to this namespace:
    classes defined under it (not `torch.nn.functional.Tensor`); in `torch`, no TorchScript internals."""
    module = getattr(obj, "__module__", None) or ""
    if obj is None or not callable(obj) or inspect.ismodule(obj) or not module.startswith("torch"):
        return False
    if not inspect.isclass(obj):
        return True
    if namespace == "torch":
        internal = getattr(torch._C, name, None) is obj or module.startswith("torch.jit")
        return not internal or name in TORCH_VALUE_CLASSES
    return module == namespace or module.startswith(namespace + ".")


# Names user code rarely calls: storage and typed-tensor classes, symbolic-shape helpers, backend kernels,
# quantization internals and `*_copy` variants. Listed after the others among the missing.
INTERNAL = re.compile(r"^(cudnn_|miopen_|mkldnn_|fbgemm_|quantize|quantized_|q_|sym_|Sym|fake_quantize|native_)"
                      r"|(_copy|Storage|Tensor|Options)$")


def missing_order(name: str) -> tuple:
    """Out-of-place names first, then internals, then in-place `name_` forms; by name within each group."""
    short = name.rsplit(".", 1)[1]
    return (short.endswith("_"), bool(INTERNAL.search(short)), short.lower())


def coverage(records: list[Record]) -> list[dict]:
    """Per namespace: its public names, those with a record (any status; aliases count), those verified, and the
    missing ones (out-of-place names first, internals after them, then in-place `name_` variants)."""
    recorded = {n for r in records for n in (r.torch, *r.aliases)}
    verified = {n for r in records if r.status == "verified" for n in (r.torch, *r.aliases)}
    rows = []
    for ns in COVERAGE_NAMESPACES:
        names = public_api(ns)
        missing = sorted((n for n in names if n not in recorded), key=missing_order)
        rows.append({"namespace": ns, "names": len(names), "recorded": len(names) - len(missing),
                     "verified": sum(n in verified for n in names), "missing": missing})
    return rows


def run_coverage(fmt: str, namespace: str, shown: int = 8) -> int:
    """Print the coverage table; `shown` missing names per namespace in text and markdown (all in json)."""
    import torch

    rows = [row for row in coverage(list(mapping.load())) if row["namespace"].startswith(namespace)]
    total = {k: sum(row[k] for row in rows) for k in ("names", "recorded", "verified")}
    if fmt == "json":
        print(json.dumps({"torch": torch.__version__, "total": total, "namespaces": rows}, indent=1))
        return 0
    short = lambda row: row["missing"][:shown]  # noqa: E731
    more = lambda row: f" (+{len(row['missing']) - shown} more)" if len(row["missing"]) > shown else ""  # noqa: E731
    pct = lambda n, d: f"{100 * n / d:.0f}%" if d else "-"  # noqa: E731
    if fmt == "markdown":
        print("| namespace | public names | with a record | verified | share | largest missing |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for row in rows:
            missing = ", ".join(f"`{n.rsplit('.', 1)[1]}`" for n in short(row)) + more(row)
            print(f"| `{row['namespace']}` | {row['names']} | {row['recorded']} | {row['verified']} | "
                  f"{pct(row['recorded'], row['names'])} | {missing} |")
        print(f"| all | {total['names']} | {total['recorded']} | {total['verified']} | "
              f"{pct(total['recorded'], total['names'])} | |")
        return 0
    width = max(len(row["namespace"]) for row in rows) if rows else 10
    print(f"{'namespace':<{width}}  {'names':>6}  {'record':>6}  {'verified':>8}  {'share':>5}  missing")
    for row in rows:
        missing = ", ".join(n.rsplit(".", 1)[1] for n in short(row)) + more(row)
        print(f"{row['namespace']:<{width}}  {row['names']:>6}  {row['recorded']:>6}  {row['verified']:>8}  "
              f"{pct(row['recorded'], row['names']):>5}  {missing}")
    print(f"{'all':<{width}}  {total['names']:>6}  {total['recorded']:>6}  {total['verified']:>8}  "
          f"{pct(total['recorded'], total['names']):>5}")
    print(f"against torch {torch.__version__}: a name counts when a record's torch name or alias equals it")
    return 0
