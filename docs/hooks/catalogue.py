"""mkdocs hook: generate the catalogue pages from the records at build time (never hand-copied).

Pages: `catalogue/index.md` (counts and every torch name), one `catalogue/<namespace>.md` per
namespace, and `differences.md` (every silent difference, linked to its record and its test).
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

from mkdocs.structure.files import File, Files

import mapping
from mapping.record import STATUSES, Record
from mapping.versions import VERIFIED_WITH

BADGE = {s: s for s in STATUSES}
CHECK_NAMES = {"forward": "forward (eager)", "jit": "forward under jax.jit", "grad": "gradient vs autograd",
               "bf16": "bfloat16"}


def slug(record_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "-", record_id).replace("__", "--").strip("-")  # `__` would be bold


def page_of(namespace: str) -> str:
    return f"catalogue/{namespace}.md"


def namespaces(records: tuple[Record, ...]) -> list[str]:
    return sorted({r.namespace for r in records})


def on_files(files: Files, config) -> Files:
    records = mapping.load()
    pages = {"catalogue/index.md": index_page(records), "differences.md": differences_page(records)}
    for ns in namespaces(records):
        pages[page_of(ns)] = namespace_page(ns, [r for r in records if r.namespace == ns])
    root = Path(config["config_file_path"]).parent
    pages["cli.md"] = cli_page(root)
    pages["migrating.md"] = migrating_page(root)
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
    lines = [f"## `{r.id}` {{ #{slug(r.id)} }}", "", f"**{BADGE[r.status]}** → `{r.jax}`", ""]
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


def jaxmigrate(root: Path, *args: str) -> str:
    """The real output of a jaxmigrate command, run at build time (never pasted)."""
    done = subprocess.run([sys.executable, "-m", "migrate.cli", *args], cwd=root, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"jaxmigrate {' '.join(args)} failed: {done.stderr}")
    return done.stdout.rstrip()


def cli_page(root: Path) -> str:
    lines = ["# Command line", "", "Generated at build time from `jaxmigrate --help`.", ""]
    for cmd in ([], ["suggest"], ["catalogue"], ["verify"]):
        lines += [f"## `{' '.join(['jaxmigrate', *cmd])}`", "", "```text", jaxmigrate(root, *cmd, "--help"), "```", ""]
    lines += ["## Exit codes", "", "`suggest`: 0 when it ran; 1 with `--check` when findings remain; 2 on bad usage "
              "or a file it could not read or parse (reported as `path:line:col: error: ...` on stderr; the other "
              "files are still processed). `verify`: 1 when a record fails, 2 when no record matches.", ""]
    return "\n".join(lines)


def migrating_page(root: Path) -> str:
    script = "examples/train_torch.py"
    return "\n".join([
        "# Migrating a training script", "",
        f"A walk through `jaxmigrate suggest` on the repository's own PyTorch script, `{script}` (a small "
        "character-level transformer on tiny Shakespeare; `tests/test_examples_train_torch.py` runs it). "
        "Everything below is generated when the site is built.", "",
        '??? example "The PyTorch script"', "", "    ```python", f'    --8<-- "{script}"', "    ```", "",
        "## 1. The report", "",
        "One finding a line: position, rule code, status, the torch API and what it becomes. Then the summary.", "",
        "```text", jaxmigrate(root, "suggest", script), "```", "",
        "## 2. The safe rewrites", "",
        "`--diff` shows what `--fix` would write: only `verified` rewrites on receivers proven to be tensors "
        "(`--unsafe-fixes` adds `caveat` ones). Nothing is written without `--fix`.", "",
        "```diff", jaxmigrate(root, "suggest", script, "--diff") or "(no rewrites)", "```", "",
        "## 3. What needs manual work", "",
        "The `manual` findings are the structure of the program, where JAX asks for a different shape of code:",
        "",
        "- **The model** (`JM30x`, `nn.Module`): becomes an `nnx.Module`; `forward` becomes `__call__`; "
        "submodules take `rngs=`. Weights from a torch checkpoint load with the converters in "
        "`mapping/convert.py`.",
        "- **The training loop** (`zero_grad` / `backward` / `step`): becomes one jitted step that computes "
        "`jax.value_and_grad` of the loss and applies an optax update; gradient clipping is "
        "`optax.clip_by_global_norm` chained before the optimizer.",
        "- **`torch.no_grad()`, `.to(device)`, `model.train()/eval()`**: no gradient tape to stop, arrays "
        "live on the default device, and nnx modules switch modes with `.train()` / `.eval()`.",
        "- **Randomness** (`manual_seed`, `multinomial`): pass explicit `jax.random` keys.",
        "- **Checkpoints** (`torch.save`): save the nnx state with Orbax.", "",
        "Each of these has a catalogue record with an executed example in both frameworks: see the "
        "[catalogue](catalogue/index.md) and the [silent differences](differences.md).", ""])
