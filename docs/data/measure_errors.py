"""Measure each record's largest error against torch once and store it for the catalogue pages.

Run from the repository root after adding or changing records (records measured on the same code
are skipped; those whose examples, inputs or checks changed are shown without numbers until then):
    .venv/bin/python docs/data/measure_errors.py [RECORD_ID_PREFIX ...]
Each record runs the proof CI runs (`mapping.check.prove`, as `jaxmigrate verify` does): its rich cases, then
DRAWS seeded hypothesis draws, through every listed check; the largest error per check is stored with the
number of inputs it was taken over.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import warnings
from pathlib import Path

import mapping

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("errors.json")
DRAWS = 3


def hook():
    """The catalogue hook (docs/hooks/catalogue.py), whose `record_key` the pages look numbers up by."""
    spec = importlib.util.spec_from_file_location("catalogue_hook", ROOT / "docs" / "hooks" / "catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(prefixes: list[str]) -> None:
    from hypothesis import settings

    from mapping import check, strategies

    warnings.simplefilter("ignore")
    strategies.register_profiles()
    profile = settings(settings.get_profile("ci"), max_examples=DRAWS)
    key = hook().record_key
    stored = json.loads(OUT.read_text()) if OUT.is_file() else {}
    if not prefixes:  # records renamed or removed since: their numbers would never be shown
        ids = {r.id for r in mapping.load()}
        stored = {k: v for k, v in stored.items() if k in ids}
    failed = []
    for r in mapping.select(prefixes):
        if not r.checks or stored.get(r.id, {}).get("key") == key(r):
            continue  # nothing to measure, or measured on this very code already
        worst: dict = {}
        try:
            proof = check.prove(r, profile)
        except Exception as e:  # noqa: BLE001 - reported; the page then shows no measured numbers
            failed.append(f"{r.id}: not measured: {type(e).__name__}: {(str(e).splitlines() or [''])[0]}")
            print(failed[-1], flush=True)
            stored.pop(r.id, None)
            continue
        for res in (res for results in proof for res in results):
            if res.check not in worst or res.max_abs > worst[res.check]:
                worst[res.check] = res.max_abs
        stored[r.id] = {"key": key(r), "cases": len(proof), **worst}
        OUT.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")  # progress survives an interrupt
    OUT.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
    with_checks = sum(bool(r.checks) for r in mapping.load())
    print(f"{len(stored)} of {with_checks} records with a numeric proof measured -> {OUT}")
    print("\n".join(failed) or "every record attempted was measured")


if __name__ == "__main__":
    main(sys.argv[1:])
