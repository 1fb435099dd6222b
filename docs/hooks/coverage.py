"""mkdocs hook: `coverage.md`, the catalogue measured against the installed torch's public API.

The table is the output of `jaxmigrate catalogue --coverage --format markdown`, run when the site is built
(never pasted), so it always describes the records and the torch version of that build.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
PAGE = "coverage.md"
COMMAND = ("catalogue", "--coverage", "--format", "markdown")


def run(*args: str) -> str:
    """The output of a jaxmigrate command, run from the repository root."""
    done = subprocess.run([sys.executable, "-m", "migrate.cli", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"jaxmigrate {' '.join(args)} failed: {done.stderr}")
    return done.stdout.rstrip()


def coverage_page() -> str:
    """The page: how names are counted, the table, and the commands that reproduce it."""
    import torch

    return "\n".join([
        "# Coverage of torch", "",
        f"How much of PyTorch's public API the catalogue covers, counted against torch {torch.__version__} when "
        "this site was built. For each namespace: its public functions and classes (its `__all__`, or its public "
        "names; for `torch.Tensor`, its public methods), how many have a catalogue record of any status (a "
        "record's alias counts), how many are `verified`, and the first missing names: out-of-place names in "
        "alphabetical order, then the in-place `name_` forms.", "",
        "Not every public name should have a record: `torch` also exports storage classes, TorchScript and "
        "quantization internals, and backend-specific kernels (`cudnn_*`, `miopen_*`, `fbgemm_*`) that user code "
        "rarely calls and JAX has no counterpart for. The records cover what training scripts call.", "",
        run(*COMMAND), "",
        "Reproduce it, or list every missing name:", "",
        "```bash",
        "jaxmigrate catalogue --coverage                 # this table as text",
        "jaxmigrate catalogue --coverage --format json   # every missing name, per namespace",
        "jaxmigrate catalogue --coverage --namespace torch.special   # one namespace",
        "```", ""])


def on_files(files: Files, config) -> Files:
    files.append(File.generated(config, PAGE, content=coverage_page()))
    return files


def on_page_context(context, page, config, nav):
    """"Edit this page" opens this hook: the page has no markdown file of its own."""
    if page.file.src_uri == PAGE and config.get("repo_url"):
        branch = ((config.get("edit_uri") or "edit/main/docs/").strip("/").split("/") + ["main"])[1]
        page.edit_url = f"{config['repo_url'].rstrip('/')}/edit/{branch}/docs/hooks/coverage.py"
    return context
