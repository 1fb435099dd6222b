"""Measure every silent difference once and store the numbers the docs show next to both snippets.

Run from the repository root after adding or changing a `Difference` (about a minute on 2 cores):
    .venv/bin/python docs/data/measure_differences.py
An entry whose snippets changed since it was measured is not shown (its key no longer matches); the
docs then show only the bound that `tests/test_catalogue.py` asserts.
"""

from __future__ import annotations

import importlib.util
import json
import warnings
from pathlib import Path

import mapping

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("differences.json")


def hook():
    """The catalogue hook (docs/hooks/catalogue.py), whose `difference_key` the pages look numbers up by."""
    spec = importlib.util.spec_from_file_location("catalogue_hook", ROOT / "docs" / "hooks" / "catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    from mapping import check

    warnings.simplefilter("ignore")
    key = hook().difference_key
    measured = {}
    for r in mapping.load():
        for d in r.differences:
            try:
                value = check.check_difference(d)
            except Exception as e:  # noqa: BLE001 - reported; the docs then show only the asserted bound
                print(f"{r.id}: not measured: {type(e).__name__}: {e}")
                continue
            # inf is also a measured value: torch inf where JAX is finite (json writes it as Infinity)
            measured[key(d)] = {"record": r.id, "max_abs": "torch raises" if d.torch_raises else value}
    OUT.write_text(json.dumps(measured, indent=1, sort_keys=True) + "\n")
    print(f"{len(measured)} differences measured -> {OUT}")


if __name__ == "__main__":
    main()
