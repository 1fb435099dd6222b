"""The catalogue: one declarative record per torch API, loadable without torch or jax."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from mapping.record import NAMESPACES, STATUSES, Choice, Difference, Dim, Record, T, Tol

__all__ = ["Choice", "Difference", "Dim", "NAMESPACES", "Record", "STATUSES", "T", "Tol", "load"]


@cache
def load() -> tuple[Record, ...]:
    """Every record of every module in `mapping.records` (each module defines `RECORDS`)."""
    import mapping.records as package

    records: list[Record] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"mapping.records.{info.name}")
        records.extend(module.RECORDS)
    return tuple(records)


def by_id() -> dict[str, Record]:
    """Records keyed by id (`torch.cat`, `torch.nn.functional.cross_entropy[ignore_index]`)."""
    return {r.id: r for r in load()}


def select(patterns: list[str]) -> list[Record]:
    """Records whose id equals, or starts with `pattern.`, one of the patterns (all if none)."""
    records = load()
    if not patterns:
        return list(records)
    return [r for r in records if any(r.id == p or r.id.startswith((p + ".", p + "[")) for p in patterns)]
