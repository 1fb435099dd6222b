"""mkdocs hook: generate the catalogue pages from the records at build time (never hand-copied).

Pages: `catalogue/index.md` (counts and every torch name), one `catalogue/<namespace>.md` per
namespace, and `differences.md` (every silent difference, linked to its record and its test).
"""

from __future__ import annotations

import re
import textwrap

from mkdocs.structure.files import File, Files

import mapping
from mapping.record import STATUSES, Record
from mapping.versions import VERIFIED_WITH

BADGE = {s: s for s in STATUSES}
CHECK_NAMES = {"forward": "forward (eager)", "jit": "forward under jax.jit", "grad": "gradient vs autograd",
               "bf16": "bfloat16"}


def slug(record_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", record_id).strip("-").lower()


def page_of(namespace: str) -> str:
    return f"catalogue/{namespace}.md"


def namespaces(records: tuple[Record, ...]) -> list[str]:
    return sorted({r.namespace for r in records})


def on_files(files: Files, config) -> Files:
    records = mapping.load()
    pages = {"catalogue/index.md": index_page(records), "differences.md": differences_page(records)}
    for ns in namespaces(records):
        pages[page_of(ns)] = namespace_page(ns, [r for r in records if r.namespace == ns])
    for uri, content in pages.items():
        files.append(File.generated(config, uri, content=content))
    return files


def on_config(config):
    """Put the generated namespace pages into the nav, after the catalogue index."""
    records = mapping.load()
    for item in config["nav"]:
        if isinstance(item, dict) and "Catalogue" in item:
            item["Catalogue"] = ["catalogue/index.md"] + [{ns: page_of(ns)} for ns in namespaces(records)]
    return config


def versions_line() -> str:
    return "Verified with " + ", ".join(f"{k} {v}" for k, v in VERIFIED_WITH.items()) + "."


def index_page(records: tuple[Record, ...]) -> str:
    lines = ["# Catalogue", "", f"{len(records)} records. {versions_line()}", "",
             "Every entry is executed against real PyTorch by `tests/test_catalogue.py`; "
             "`jaxmigrate verify ID` re-runs one and prints the measured errors.", "",
             "| namespace | " + " | ".join(STATUSES) + " | total |", "|---" * (len(STATUSES) + 2) + "|"]
    for ns in namespaces(records):
        group = [r for r in records if r.namespace == ns]
        counts = [sum(r.status == s for r in group) for s in STATUSES]
        lines.append(f"| [`{ns}`]({ns}.md) | " + " | ".join(map(str, counts)) + f" | {len(group)} |")
    lines += ["", "## All torch names", "", "| torch | JAX | status |", "|---|---|---|"]
    for r in sorted(records, key=lambda r: r.id):
        names = ", ".join(f"`{n}`" for n in (r.id, *r.aliases))
        lines.append(f"| [{names}]({r.namespace}.md#{slug(r.id)}) | `{r.jax}` | {BADGE[r.status]} |")
    return "\n".join(lines) + "\n"


def namespace_page(ns: str, records: list[Record]) -> str:
    lines = [f"# `{ns}`", "", f"{len(records)} records. {versions_line()}", "",
             "Examples run with `import torch, torch.nn as nn, torch.nn.functional as F, numpy as np` and "
             "`import jax, jax.numpy as jnp, optax; from flax import nnx`; inputs are drawn by hypothesis.", ""]
    for r in sorted(records, key=lambda r: r.id):
        lines += entry(r)
    return "\n".join(lines) + "\n"


def tabs(torch_code: str, jax_code: str) -> list[str]:
    return ['=== "PyTorch"', "", "    ```python", textwrap.indent(torch_code, "    "), "    ```", "",
            '=== "JAX"', "", "    ```python", textwrap.indent(jax_code, "    "), "    ```", ""]


def entry(r: Record) -> list[str]:
    lines = [f"## {r.id} {{ #{slug(r.id)} }}", "", f"**{BADGE[r.status]}** → `{r.jax}`", ""]
    if r.aliases:
        lines += ["Aliases: " + ", ".join(f"`{a}`" for a in r.aliases), ""]
    lines += tabs(r.torch_example, r.jax_example)
    checks = ", ".join(CHECK_NAMES[c] for c in r.checks) or "none (no numeric equivalent)"
    lines += [f"- **Checks**: {checks}."]
    if r.checks:
        lines += [f"- **Tolerance**: rtol {r.tol.rtol:g}, atol {r.tol.atol:g} — {r.tol.reason}."]
        if "grad" in r.checks:
            lines += [f"- **Gradient tolerance**: rtol {r.grad_tol.rtol:g}, atol {r.grad_tol.atol:g} — "
                      f"{r.grad_tol.reason}."]
    if r.reason:
        lines += [f"- **Why {r.status}**: {r.reason}"]
    lines += [f"- **Note**: {n}" for n in r.notes]
    lines += [f"- **Verified with**: {', '.join(f'{k} {v}' for k, v in VERIFIED_WITH.items())}.", ""]
    for d in r.differences:
        lines += [f'??? warning "Silent difference: {d.note}"', ""]
        lines += [textwrap.indent(x, "    ") if x else "" for x in tabs(d.torch, d.jax)]
    return lines


def differences_page(records: tuple[Record, ...]) -> str:
    lines = ["# Silent differences", "",
             "Defaults and behaviours that differ between PyTorch and JAX without an error. Each one is "
             "demonstrated by `tests/test_catalogue.py::test_silent_difference_is_real`, which runs both "
             "snippets and fails if they stop differing, so this page cannot go stale.", "",
             "| difference | record | shown by |", "|---|---|---|"]
    for r in sorted(records, key=lambda r: r.id):
        for d in r.differences:
            shown = f"torch raises `{d.torch_raises}`" if d.torch_raises else f"max abs difference ≥ {d.min_diff:g}"
            note = d.note.replace("|", "\\|")
            lines.append(f"| {note} | [`{r.id}`](catalogue/{r.namespace}.md#{slug(r.id)}) | {shown} |")
    return "\n".join(lines) + "\n"
