"""`python -m migrate.census FOLDER`: which torch APIs a folder of scripts uses, and how many have a record.

Counts every call whose callee resolves (through imports and aliases, as `jaxmigrate suggest` resolves
it) to a `torch.*` name, and every class that subclasses one (`nn.Module`, `Dataset`), then the share of
the distinct APIs and of the call sites that the catalogue has a record for (any status; aliases count).
Method calls on values proven to be tensors are counted apart (`torch.Tensor.<name>`): which methods a
script calls on an unknown receiver cannot be told statically.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import libcst as cst

import mapping
from migrate import analyze


def uses(text: str) -> tuple[Counter, Counter]:
    """(torch API -> call sites and subclassings, `torch.Tensor.<method>` -> calls on proven tensors) of one file."""
    reader = analyze.read(cst.parse_module(text))
    apis, methods = Counter(), Counter()
    for call, scope in reader.calls:
        qual, _ = reader.qualify(call.func, scope)
        if analyze.is_torch(qual):
            apis[qual] += 1
        elif qual is None and isinstance(call.func, cst.Attribute):
            if reader.kind(call.func.value, scope) == analyze.TENSOR:
                methods["torch.Tensor." + call.func.attr.value] += 1
    for info in reader.classes:
        for base in info.node.bases:
            qual, _ = reader.qualify(base.value, info.scope)
            if analyze.is_torch(qual):
                apis[qual] += 1
    return apis, methods


def census(folder: str) -> tuple[Counter, Counter, list[str]]:
    """Counts over every `*.py` under folder that mentions torch; and the files that did not parse."""
    apis, methods, errors = Counter(), Counter(), []
    for path in sorted(Path(folder).rglob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "torch" not in text:
            continue
        try:
            a, m = uses(text)
        except cst.ParserSyntaxError as e:
            errors.append(f"{path}: {str(e).splitlines()[0]}")
            continue
        apis.update(a)
        methods.update(m)
    return apis, methods, errors


def share(counts: Counter, recorded: set) -> dict:
    """Distinct names and sites, those with a record, and the missing names by number of sites."""
    have = [n for n in counts if n in recorded]
    missing = sorted((n for n in counts if n not in recorded), key=lambda n: (-counts[n], n))
    return {"distinct": len(counts), "distinct_recorded": len(have), "sites": sum(counts.values()),
            "sites_recorded": sum(counts[n] for n in have), "missing": {n: counts[n] for n in missing}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m migrate.census", description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--missing", type=int, default=20, help="missing APIs to list (text), most used first")
    args = parser.parse_args(argv)
    recorded = {n for r in mapping.load() for n in (r.torch, *r.aliases)}
    apis, methods, errors = census(args.folder)
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    result = {"apis": share(apis, recorded), "tensor_methods": share(methods, recorded)}
    if args.format == "json":
        print(json.dumps(result, indent=1))
        return 2 if errors else 0
    pct = lambda n, d: f"{100 * n / d:.1f}%" if d else "-"  # noqa: E731
    for label, s in (("torch APIs", result["apis"]), ("tensor methods (proven receivers)", result["tensor_methods"])):
        print(f"{label}: {s['distinct_recorded']} of {s['distinct']} distinct have a record "
              f"({pct(s['distinct_recorded'], s['distinct'])}); {s['sites_recorded']} of {s['sites']} sites "
              f"({pct(s['sites_recorded'], s['sites'])})")
        for name, n in list(s["missing"].items())[:args.missing]:
            print(f"  missing {n:>4}  {name}")
    return 2 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
