"""`jaxmigrate catalogue`: the records and their counts by namespace and status."""

from __future__ import annotations

import json
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
