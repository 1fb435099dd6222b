"""mkdocs hook: the pages generated from the records at build time (never hand-copied).

Pages: `catalogue/index.md` (legend, counts, a filterable list of every name), one page per namespace
(`torch.*` split by topic module; `torch.nn` and `torch.nn.functional` by topic), `differences.md`,
`cheatsheet.md` (most-used APIs first), `cli.md` and `migrating.md` (real command output). It also puts a
tested record on the home page, colours the contents entries by status, and tunes the search index so that
API names rank first.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import importlib
import json
import pkgutil
import re
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pygments
from mkdocs.structure.files import File, Files
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

import mapping
import mapping.records
from mapping.record import BF16_TOL, FORWARD_TOL, GRAD_TOL, STATUSES, Choice, Dim, Record, T, Tol
from mapping.versions import VERIFIED_WITH

ROOT = Path(__file__).resolve().parents[2]
MOST_USED = ROOT / "docs" / "data" / "most_used.txt"
MEASURED = ROOT / "docs" / "data" / "differences.json"
ERRORS = ROOT / "docs" / "data" / "errors.json"
MEASURED_NAMES = {"forward": "forward", "jit": "under jit", "grad": "gradient", "bf16": "bfloat16"}
MEANING = {
    "verified": "same numbers as torch within the stated tolerance, on every drawn input; `suggest --fix` applies it",
    "caveat": "equal only under a stated condition, or different in a stated, measured way; "
              "`--unsafe-fixes` applies it",
    "manual": "no mechanical rewrite is right for every program; the entry shows the JAX pattern, and both "
              "examples still run and agree",
    "unsupported": "no JAX equivalent; the entry says why and what to do instead",
}
CHECK_NAMES = {"forward": "forward (eager)", "jit": "forward under `jax.jit`", "grad": "gradient vs autograd",
               "bf16": "bfloat16"}
TORCH_SCOPE = "`torch`, `nn`, `F` (`torch.nn.functional`), `np`"
JAX_SCOPE = "`jax`, `jnp`, `lax`, `np`, `optax`, `nnx`, and a PRNG key `key`"
# Topic pages of the `torch` namespace: records from `mapping/records/torch_<topic>.py`; the rest go to "other".
TOPIC_TITLES = {"creation": "creation", "math": "math", "reduction": "reductions", "shape": "shape",
                "indexing": "indexing", "random": "random", "comparison": "comparison and sorting",
                "other": "runtime, gradients, saving, legacy"}
# Tensor methods that get a page beside their torch function's topic (the rest stay on the torch.Tensor page).
TENSOR_TOPICS = ("comparison", "indexing", "reduction", "shape")
# Topic pages of torch.nn and torch.nn.functional, in this order: topic -> (title in torch.nn, in torch.nn.functional).
# A record's topic comes from its name (nn_topic): the record files mix topics (nn.py holds layers of every kind).
# Titles stay short: the longest sets the width of the catalogue's page filter (400 px screens).
NN_TOPICS = {"layers": ("linear, recurrent, attention", "linear, attention"),
             "convolution": ("convolution, padding", "convolution, padding"),
             "pooling": ("pooling, upsampling", "pooling"),
             "resizing": ("", "resizing, sampling"),  # torch.nn's three upsampling modules stay with pooling
             "dropout": ("dropout, embedding", "dropout, embedding"),
             "normalization": ("normalization", "normalization"),
             "activations": ("activations", "activations"),
             "losses": ("losses", "losses"),
             "containers": ("containers and parameters", "containers and parameters")}
NN_NAMESPACES = ("torch.nn", "torch.nn.functional")
ACTIVATIONS = frozenset("celu elu gelu glu gumbelsoftmax hardshrink hardsigmoid hardswish hardtanh leakyrelu "
                        "logsigmoid logsoftmax mish prelu relu relu6 rrelu selu sigmoid silu softmax softmax2d softmin "
                        "softplus softshrink softsign tanh tanhshrink threshold".split())
LOSSES = frozenset({"crossentropy", "binarycrossentropy", "binarycrossentropywithlogits", "kldiv"})
CONVOLUTION = ("conv", "pad", "fold", "shuffle")
POOLING = ("pool",)
RESIZING = ("upsampl", "interpolate", "gridsample", "affinegrid")
DROPOUT = ("dropout", "embedding", "onehot")
CONTAINERS = ("module", "sequential", "parameter", "parallel", "dataparallel", "identity", "flatten", "unflatten")
CHEAT_SHEET = 200  # rows of the cheat sheet; search ranks by the whole list
MIN_PAGE = 8  # a module of torch (torch.special) with this many records gets a page of its own


# ---------------------------------------------------------------------------------------------- records

def slug(record_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "-", record_id).replace("__", "--").strip("-")  # `__` would be bold


def natural(name: str) -> list:
    """Sort key: case-insensitive, numbers by value (`torch.abs` before `torch.Generator`, Conv2d before Conv10d)."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def modules_of() -> dict[str, str]:
    """Record id -> the module of `mapping.records` that defines it."""
    found = {}
    for info in pkgutil.iter_modules(mapping.records.__path__):
        for r in importlib.import_module(f"mapping.records.{info.name}").RECORDS:
            found[r.id] = info.name
    return found


def sub_namespace(r: Record) -> str:
    """`torch.special` for torch.special.erf: a module of `torch` that the record schema does not name."""
    parts = r.torch.split(".")
    return ".".join(parts[:2]) if r.namespace == "torch" and len(parts) >= 3 else ""


def nn_topic(r: Record) -> str:
    """The NN_TOPICS page of a torch.nn or torch.nn.functional record, from its name (`LeakyReLU` and
    `leaky_relu` alike: lower case, no underscores)."""
    name = short_name(r).split("[")[0].lower().replace("_", "")
    if "loss" in name or name in LOSSES:
        return "losses"
    if name in ACTIVATIONS:
        return "activations"
    if "norm" in name:
        return "normalization"
    if any(part in name for part in POOLING):
        return "pooling"
    if any(part in name for part in RESIZING):
        return "resizing" if r.namespace == "torch.nn.functional" else "pooling"
    if any(part in name for part in CONVOLUTION):
        return "convolution"
    if any(part in name for part in DROPOUT):
        return "dropout"
    if name.startswith(CONTAINERS):
        return "containers"
    return "layers"


def page_key(r: Record, modules: dict[str, str], big: set[str]) -> str:
    """The page a record belongs on: its namespace; for `torch.*`, a module of torch with at least
    MIN_PAGE records (`torch.special`), else `torch/<topic>` from its record module (`torch_<topic>.py`);
    `torch.Tensor/<topic>` for the methods of `tensor_<topic>.py`, and for a method whose function `torch.<name>`
    is on a page of TENSOR_TOPICS (`Tensor.sum` beside `torch.sum`: reductions)."""
    module = modules.get(r.id, "")
    if r.namespace == "torch.Tensor" and module.startswith("tensor_"):  # tensor_math.py -> torch.Tensor: math
        return "torch.Tensor/" + module.removeprefix("tensor_")
    function = modules.get("torch." + r.torch.rsplit(".", 1)[-1].rstrip("_"), "").removeprefix("torch_")
    if r.namespace == "torch.Tensor" and function in TENSOR_TOPICS:
        return "torch.Tensor/" + function
    if r.namespace in NN_NAMESPACES:
        return f"{r.namespace}/{nn_topic(r)}"
    if r.namespace != "torch":
        return r.namespace
    if sub_namespace(r) in big:
        return sub_namespace(r)
    topic = module.removeprefix("torch_") if module.startswith("torch_") else "other"
    return f"torch/{topic}"


def page_file(key: str) -> str:
    return f"catalogue/{key.replace('/', '-')}.md"


def page_title(key: str) -> str:
    """`torch: math` for torch/math, `torch.Tensor: math` for torch.Tensor/math, else the namespace."""
    if "/" in key:
        namespace, topic = key.split("/", 1)
        if namespace in NN_NAMESPACES:
            return f"{namespace}: {NN_TOPICS[topic][NN_NAMESPACES.index(namespace)]}"
        return f"{namespace}: {TOPIC_TITLES.get(topic, topic)}"
    return key


def pages_of(records) -> dict[str, list[Record]]:
    """Page key -> its records in natural order; pages in page_order."""
    modules = modules_of()
    sizes = Counter(sub_namespace(r) for r in records)
    big = {ns for ns, n in sizes.items() if ns and n >= MIN_PAGE}
    pages: dict[str, list[Record]] = {}
    for r in records:
        pages.setdefault(page_key(r, modules, big), []).append(r)
    order = sorted(pages, key=page_order)
    return {k: sorted(pages[k], key=lambda r: natural(r.id)) for k in order}


def page_order(key: str) -> tuple:
    """torch topics first, then torch.Tensor's; then by namespace, torch.nn's topics in NN_TOPICS order."""
    namespace, _, topic = key.partition("/")
    rank = list(NN_TOPICS).index(topic) if namespace in NN_NAMESPACES else 0
    return (not key.startswith("torch/"), not key.startswith("torch.Tensor"), natural(namespace), rank,
            natural(page_title(key)))


def short_name(r: Record) -> str:
    """The name without its namespace: `gelu` for torch.nn.functional.gelu, `view` for torch.Tensor.view."""
    prefix = r.namespace + "."
    return r.id[len(prefix):] if r.id.startswith(prefix) else r.id


def badge(status: str) -> str:
    return f'<span class="jm-status jm-status--{status}">{status}</span>'


def legend() -> list[str]:
    items = [f"- {badge(s)} {MEANING[s]}" for s in STATUSES]
    return ['<div class="jm-legend" markdown>', "", *items, "", "</div>", ""]


# ------------------------------------------------------------------------------------- reference links

def torch_doc(name: str) -> str:
    base = "https://docs.pytorch.org/docs/stable/"
    name = name.split("[")[0]
    for prefix, page in (("torch.nn.init.", "nn.init.html"), ("torch.utils.data.", "data.html"),
                         ("torch.distributed.", "distributed.html"), ("torch.amp.", "amp.html"),
                         ("torch.special.", "special.html"), ("torch.distributions.", "distributions.html"),
                         ("torch.backends.", "backends.html"), ("torch.hub.", "hub.html"),
                         ("torch.profiler.", "profiler.html"), ("torch.Tensor.__", "tensors.html"),
                         ("torch.nn.Module.", "generated/torch.nn.Module.html")):
        if name.startswith(prefix):
            return f"{base}{page}#{name}"
    return f"{base}generated/{name}.html"


JAX_NAME = re.compile(r"\b(?:jax|flax|optax|orbax|numpy)(?:\.[A-Za-z_]\w*)+")


def jax_doc(name: str) -> str:
    if name.startswith("jax."):
        if name in ("jax.sharding", "jax.distributed", "jax.flatten_util", "jax.image", "jax.scipy"):
            return f"https://docs.jax.dev/en/latest/{name}.html"
        return f"https://docs.jax.dev/en/latest/_autosummary/{name}.html"
    if name.startswith("numpy."):
        return f"https://numpy.org/doc/stable/reference/generated/{name}.html"
    site = {"optax": "optax", "flax": "flax", "orbax": "orbax"}[name.split(".")[0]]
    return f"https://{site}.readthedocs.io/en/latest/search.html?q={name}"


def reference_links(r: Record) -> str:
    links = [f"[{n.split('[')[0]}]({torch_doc(n)})" for n in dict.fromkeys((r.torch, *r.aliases))]
    links += [f"[{n}]({jax_doc(n)})" for n in dict.fromkeys(JAX_NAME.findall(r.jax))]
    return "Reference: " + " · ".join(links)


# ------------------------------------------------------------------------------------------ entries

def num(x: float) -> str:
    """1e-06 -> 1e-6, 0.02 -> 0.02."""
    return re.sub(r"e([+-])0*(\d)", lambda m: "e" + m.group(1).replace("+", "") + m.group(2), f"{x:g}")


def fmt_tol(t: Tol) -> str:
    return f"rtol {num(t.rtol)}, atol {num(t.atol)}"


def same_tol(a: Tol, b: Tol) -> bool:
    return (a.rtol, a.atol, a.reason) == (b.rtol, b.atol, b.reason)


def describe_input(spec, sizes: tuple[int, int]) -> str:
    """One drawn input in words: `x`: float32, shape (N, C), values in [-3, 3)."""
    if isinstance(spec, Dim):
        return f"`{spec.name}`: any axis of `{spec.of}`, negative included"
    if isinstance(spec, Choice):
        return f"`{spec.name}` ∈ {{{', '.join(repr(v) for v in spec.values)}}}"
    if not isinstance(spec, T):
        return f"`{getattr(spec, 'name', spec)}`"
    lo, hi = sizes
    if spec.shape == "*":
        shape = f"any shape of rank {spec.min_rank}–3, sizes {lo}–{hi}"
    elif spec.shape == "":
        shape = "0-d"
    else:
        symbols = [s.strip() for s in spec.shape.split(",") if not s.strip().isdigit()]
        shape = f"shape ({spec.shape.replace(',', ', ')})" + (f", sizes {lo}–{hi}" if symbols else "")
    if spec.bcast:
        shape = f"a shape that broadcasts against `{spec.bcast}`"
    parts = [spec.dtype, shape]
    if spec.dtype == "float32":
        parts.append(f"values in [{spec.low:g}, {spec.high:g})")
    elif spec.dtype == "int64":
        parts.append(f"integers in [{spec.low:g}, {spec.high:g})")
    flags = {"special": "with nan / inf", "unique": "distinct values", "sort": "sorted along the last axis",
             "nonzero": "|values| ≥ 2⁻²⁰", "contiguous": "contiguous on the torch side"}
    parts += [words for flag, words in flags.items() if getattr(spec, flag, False)]
    if getattr(spec, "diag", 0):
        parts.append(f"diagonal raised by {spec.diag:g}·(1…n)")
    if spec.dtype == "float32" and not spec.grad:
        parts.append("no gradient taken")
    return f"`{spec.name}`: " + ", ".join(parts)


def proof_lines(r: Record) -> list[str]:
    """What the test checks for this record: checks, inputs, tolerances (only where a number applies)."""
    if not r.checks:
        return ["- **Proof**: none: no numeric counterpart exists."]
    checks = ", ".join(CHECK_NAMES[c] for c in r.checks)
    lines = [f"- **Checks**: {checks}."]
    if r.inputs:
        lines.append("- **Inputs drawn**: " + "; ".join(describe_input(s, r.sizes) for s in r.inputs) + ".")
    tols = [("forward", r.tol, FORWARD_TOL)]
    if "grad" in r.checks:
        tols.append(("gradient", r.grad_tol, GRAD_TOL))
    if "bf16" in r.checks:
        tols.append(("bfloat16", r.bf16_tol, BF16_TOL))
    parts = [f"{what} {fmt_tol(t)}" + ("" if same_tol(t, default) else f" ({t.reason})")
             for what, t, default in tols]
    lines.append("- **Tolerance**: " + "; ".join(parts) + ".")
    found = measured_errors().get(r.id)
    if found and found["key"] == record_key(r):
        worst = "; ".join(f"{MEASURED_NAMES[c]} {num(float(f'{found[c]:.2g}'))}" for c in r.checks if c in found)
        over = (f"{found['cases']} inputs: the rich cases and 3 seeded draws" if "cases" in found
                else f"{found['draws']} drawn inputs")
        lines.append(f"- **Largest error measured** (max abs over {over}, once): {worst}.")
    if getattr(r, "zero_grad", ""):
        lines.append(f"- **Gradient zero on every input** (JAX's is checked to be zero too): {r.zero_grad}")
    for check, why in getattr(r, "why_not", {}).items():
        lines.append(f"- **No {CHECK_NAMES.get(check, check)} check**: {why}")
    return lines


def tabs(torch_code: str, jax_code: str) -> list[str]:
    return ['=== "PyTorch"', "", "    ```python", textwrap.indent(torch_code, "    "), "    ```", "",
            '=== "JAX"', "", "    ```python", textwrap.indent(jax_code, "    "), "    ```", ""]


LEXER, FORMATTER = PythonLexer(), HtmlFormatter(nowrap=True)


def code_html(code: str) -> str:
    """A highlighted python block as raw HTML (the same markup and classes pymdownx.highlight emits)."""
    body = pygments.highlight(code, LEXER, FORMATTER)
    return f'<div class="highlight"><pre><span></span><code>{body}</code></pre></div>'


def inline_html(text: str) -> str:
    """Escaped text with `code` spans, for raw HTML blocks (markdown is not parsed inside them)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


def spec_text(spec) -> str:
    """An input spec as text, its fields at their defaults left out (a new schema field changes nothing)."""
    given = ", ".join(f"{f.name}={getattr(spec, f.name)!r}" for f in dataclasses.fields(spec)
                      if getattr(spec, f.name) != f.default)
    return f"{type(spec).__name__}({given})"


def record_key(r: Record) -> str:
    """Identifies what a record's measured errors depend on: its examples, inputs, sizes and checks."""
    parts = (r.torch_example, r.jax_example, *map(spec_text, r.inputs), repr(r.checks), repr(r.sizes))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def difference_key(d) -> str:
    """Identifies a difference by its note and both snippets: any edit asks for a new measurement."""
    return hashlib.sha256("\0".join((d.note, d.torch, d.jax)).encode()).hexdigest()[:16]


@functools.cache
def measured_errors() -> dict:
    """Record id -> {"key", "cases" (or "draws": older entries), check: max abs error}, written by
    docs/data/measure_errors.py."""
    return json.loads(ERRORS.read_text()) if ERRORS.is_file() else {}


@functools.cache
def measured_differences() -> dict:
    """Key -> {"record", "max_abs"}, written by docs/data/measure_differences.py."""
    return json.loads(MEASURED.read_text()) if MEASURED.is_file() else {}


def measured_value(d) -> str:
    """The stored max |torch - JAX| of a difference, to two significant digits ("" if none or torch raises)."""
    found = measured_differences().get(difference_key(d))
    if d.torch_raises or not found:
        return ""
    return num(float(f"{found['max_abs']:.2g}"))  # two digits: a few snippets draw random numbers


def difference_html(d) -> list[str]:
    """A silent difference, collapsed: both snippets side by side, the measured difference, what the test asserts."""
    asserted = (f"torch raises <code>{d.torch_raises}</code> and JAX returns a value without an error"
                if d.torch_raises else f"max |torch − JAX| ≥ {num(d.min_diff)}")
    measured = f"Measured once: max |torch − JAX| = {measured_value(d)}. " if measured_value(d) else ""
    return ['<details class="warning">', f"<summary>Silent difference: {inline_html(d.note)}</summary>",
            '<div class="jm-side">', f"<div><p>PyTorch</p>{code_html(d.torch)}</div>",
            f"<div><p>JAX, the naive call</p>{code_html(d.jax)}</div>", "</div>",
            f"<p>{measured}<code>tests/test_catalogue.py::test_silent_difference_is_real</code> runs both on every "
            f"run and asserts {asserted}.</p>", "</details>", ""]


def entry(r: Record) -> list[str]:
    label = html.escape(short_name(r), quote=True).replace("_", "&#95;")  # `__x__` would turn bold
    lines = [f'## `{r.id}` {{ #{slug(r.id)} data-toc-label="{label}" }}', "",
             f"{badge(r.status)} → `{r.jax}`", "", reference_links(r), ""]
    if r.aliases:
        lines += ["Also written: " + ", ".join(f"`{a}`" for a in r.aliases), ""]
    lines += tabs(r.torch_example, r.jax_example)
    if r.reason:
        lines += [f"- **Why {r.status}**: {r.reason}"]
    lines += proof_lines(r)
    for arg, why in r.unsupported_args.items():
        lines += [f"- **No rewrite when `{arg}` is passed**: {why}"]
    lines += [f"- **Note**: {n}" for n in r.notes]
    lines.append("")
    for d in r.differences:
        lines += difference_html(d)
    return lines


def versions_line() -> str:
    return "Verified with " + ", ".join(f"{k} {v}" for k, v in VERIFIED_WITH.items()) + "."


def page_intro(records: list[Record]) -> list[str]:
    counts = " · ".join(f"{sum(r.status == s for r in records)} {s}" for s in STATUSES)
    return [f"{len(records)} records: {counts}. {versions_line()}", "", *legend(),
            '??? info "How each entry is proven"', "",
            textwrap.indent(
                "`tests/test_catalogue.py` runs the PyTorch and the JAX example of every entry on inputs drawn by "
                "hypothesis and compares the outputs leaf by leaf (`|jax − torch| ≤ atol + rtol·|torch|`); "
                "`jaxmigrate verify NAME` re-runs one and prints the largest errors it measured. The torch example "
                f"runs with {TORCH_SCOPE} in scope, the JAX example with {JAX_SCOPE}. A tolerance shown without "
                "a reason is the default for that check:\n\n"
                f"- forward: {fmt_tol(FORWARD_TOL)} ({FORWARD_TOL.reason});\n"
                f"- gradient: {fmt_tol(GRAD_TOL)} ({GRAD_TOL.reason});\n"
                f"- bfloat16: {fmt_tol(BF16_TOL)} ({BF16_TOL.reason}).", "    "), ""]


def namespace_page(key: str, records: list[Record]) -> str:
    lines = [f"# {page_title(key)}", "", *page_intro(records)]
    for r in records:
        lines += entry(r)
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------- index pages

def record_url(r: Record, pages: dict[str, list[Record]], from_dir: str = "") -> str:
    """Link to a record's entry, relative to a page in `from_dir` ("" = docs root, "catalogue/")."""
    key = next(k for k, rs in pages.items() if r in rs)
    target = page_file(key)
    if from_dir and target.startswith(from_dir):
        target = target[len(from_dir):]
    return f"{target}#{slug(r.id)}"


def index_page(records) -> str:
    pages = pages_of(records)
    lines = ["# Catalogue", "", f"{len(records)} records, one per torch API (or variant). {versions_line()}", "",
             *legend(), "| page | " + " | ".join(STATUSES) + " | total |", "|---" * (len(STATUSES) + 2) + "|"]
    for key, group in pages.items():
        counts = [str(sum(r.status == s for r in group)) for s in STATUSES]
        lines.append(f"| [{page_title(key)}]({page_file(key)[len('catalogue/'):]}) | " + " | ".join(counts)
                     + f" | {len(group)} |")
    lines += ["", "## Every torch name", "",
              "Filter by status, by page, or by name; each row links to its entry.", "", filter_table(records, pages)]
    return "\n".join(lines) + "\n"


def filter_table(records, pages) -> str:
    """A plain HTML table with data attributes that docs/javascripts/catalogue.js filters."""
    options = lambda values: "".join(f'<option value="{v}">{v}</option>' for v in values)  # noqa: E731
    controls = ('<div class="jm-filter">'
                f'<label>Status <select id="jm-filter-status"><option value="">all</option>{options(STATUSES)}'
                '</select></label> '
                f'<label>Page <select id="jm-filter-page"><option value="">all</option>'
                f'{options(page_title(k) for k in pages)}</select></label> '
                '<label>Name <input id="jm-filter-name" type="search" placeholder="e.g. softmax"></label> '
                '<span id="jm-filter-count"></span></div>')
    rows = []
    for key, group in pages.items():
        for r in group:
            names = ", ".join(f"<code>{html.escape(n)}</code>" for n in (r.id, *r.aliases))
            href = html.escape(record_url(r, pages, "catalogue/").replace(".md#", "/#"))
            rows.append(f'<tr data-status="{r.status}" data-page="{html.escape(page_title(key))}" '
                        f'data-name="{html.escape(" ".join((r.id, *r.aliases)).lower())}">'
                        f'<td><a href="{href}">{names}</a></td><td><code>{html.escape(r.jax)}</code></td>'
                        f"<td>{badge(r.status)}</td></tr>")
    return (controls + '\n\n<table class="jm-filterable"><thead><tr><th>torch</th><th>JAX</th><th>status</th>'
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def differences_page(records) -> str:
    pages = pages_of(records)
    lines = ["# Silent differences", "",
             "Defaults and behaviours that differ between PyTorch and JAX without an error. Each one is "
             "demonstrated by `tests/test_catalogue.py::test_silent_difference_is_real`, which runs both "
             "snippets and fails if they stop differing, so this page cannot go stale. The entry shows both "
             "snippets side by side.", "",
             "| difference | entry | measured once | the test asserts |", "|---|---|---|---|"]
    for r in sorted(records, key=lambda r: natural(r.id)):
        for d in r.differences:
            shown = f"torch raises `{d.torch_raises}`" if d.torch_raises else f"max abs difference ≥ {num(d.min_diff)}"
            value = measured_value(d)
            note = d.note.replace("|", "\\|")
            lines.append(f"| {note} | [`{r.id}`]({record_url(r, pages)}) | {value} | {shown} |")
    return "\n".join(lines) + "\n"


def most_used() -> list[str]:
    return [ln.strip() for ln in MOST_USED.read_text().splitlines() if ln.strip() and not ln.startswith("#")]


def cheatsheet_page(records) -> str:
    pages = pages_of(records)
    by_name: dict[str, list[Record]] = {}
    for r in records:
        by_name.setdefault(r.torch, []).append(r)
    names = [n for n in most_used() if n in by_name][:CHEAT_SHEET]  # a renamed record: tests/test_docs.py says so
    lines = ["# Cheat sheet", "",
             f"The {len(names)} torch APIs that real code calls most, most used first: the order comes from a "
             "count of torch calls in public training scripts and models. Each row links to its catalogue entry, "
             "where the proof, tolerances and silent differences are. Print it: the navigation is left out.", "",
             *legend(), "| # | torch | JAX | status |", "|---:|---|---|---|"]
    for i, name in enumerate(names, 1):
        group = by_name[name]
        main = next((r for r in group if not r.variant), group[0])
        statuses = " ".join(badge(s) for s in dict.fromkeys(r.status for r in group))
        short = name.removeprefix("torch.")
        lines.append(f"| {i} | [`{short}`]({record_url(main, pages)}) | `{main.jax}` | {statuses} |")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------- command output

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
    lines += ["## Exit codes", "",
              "| command | exit | when |", "|---|---|---|",
              "| `suggest` | 0 | it ran, findings or not; files that never mention `torch` are skipped unread "
              "(so one that would not parse still exits 0) |",
              "| `suggest` | 1 | with `--check`, when findings remain |",
              "| `suggest` | 2 | a path that does not exist, or a file mentioning `torch` that cannot be read, "
              "decoded or parsed: reported as `path:line:col: error: ...` on stderr, the other files still processed |",
              "| any | 2 | bad usage (unknown option or command) |",
              "| `verify` | 1 | a record's check failed |",
              "| `verify` | 2 | no record matches the names given, or the `[torch]` extra is missing |",
              "| any | 141 | the reader of the output went away (`jaxmigrate suggest . \\| head`) |", ""]
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
        "## 2. The call-by-call rewrites", "",
        "`--diff` shows what `--fix` would write: the `verified` rewrites on receivers proven to be tensors "
        "(`--unsafe-fixes` adds `caveat` ones). Nothing is written without `--fix`.", "",
        "Each rewrite replaces one call with the JAX expression its catalogue entry proves equal, and nothing "
        "more: the file is not yet a JAX program. Read the diff before applying it. A rewrite may spell an "
        "argument twice (the expression is then evaluated twice: bind it to a name first when it is costly); a "
        "container such as `nnx.Sequential` still holds torch layers until the model itself is ported (step 3).",
        "",
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


# ------------------------------------------------------------------------------------------ home page

def home_example(r: Record) -> str:
    """A record as the home page shows it: torch (before) and JAX (after) side by side, then the proof line."""
    inputs = "; ".join(describe_input(s, r.sizes) for s in r.inputs)
    checks = ", ".join(CHECK_NAMES[c] for c in r.checks)
    url = record_url(r, pages_of(mapping.load()))
    lines = ['<div class="jm-side">', f"<div><p>Before: PyTorch</p>{code_html(r.torch_example)}</div>",
             f"<div><p>After: JAX</p>{code_html(r.jax_example)}</div>", "</div>", "",
             f"**Proof** (`tests/test_catalogue.py`, every CI run): {checks}, on {inputs}; agree within "
             f"{fmt_tol(r.tol)}. `jaxmigrate suggest --fix` writes exactly this JAX line for the torch one "
             f"(`tests/test_suggest_link.py`). {badge(r.status)} [Full entry]({url}).", ""]
    for d in r.differences:
        value = measured_value(d)
        measured = f"measured {value}; " if value else ""
        lines += [f"**Silent difference**: {d.note}. The naive call `{d.jax.splitlines()[-1].removeprefix('out = ')}` "
                  f"differs from torch ({measured}the test asserts at least {num(d.min_diff)}).", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------- mkdocs events

GENERATED: set[str] = set()  # the uris on_files generated (their source is this hook, or the records)
EXAMPLE = re.compile(r"^<!-- example: (\S+) -->$", re.M)  # on a line of its own
IF_PAGE = re.compile(r"^<!-- if-page (\S+) -->(.*\n)", re.M)  # the line stays only if that page exists


def on_config(config):
    """Put the generated pages into the nav: one per namespace (torch by topic) after the catalogue index."""
    pages = pages_of(mapping.load())
    for item in config["nav"]:
        if isinstance(item, dict) and "Catalogue" in item:
            item["Catalogue"] = ["catalogue/index.md"] + [{page_title(k): page_file(k)} for k in pages]
    return config


def on_files(files: Files, config) -> Files:
    records = mapping.load()
    generated = {"catalogue/index.md": index_page(records), "differences.md": differences_page(records),
                 "cheatsheet.md": cheatsheet_page(records), "cli.md": cli_page(ROOT),
                 "migrating.md": migrating_page(ROOT)}
    for key, group in pages_of(records).items():
        generated[page_file(key)] = namespace_page(key, group)
    GENERATED.update(generated)
    for uri, content in generated.items():
        files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Markers of hand-written pages: a tested record (`example: ID`), the status legend, optional lines."""
    by_id = mapping.by_id()
    markdown = EXAMPLE.sub(lambda m: home_example(by_id[m.group(1)]), markdown)
    markdown = markdown.replace("<!-- statuses -->", "\n".join(legend()))
    return IF_PAGE.sub(lambda m: m.group(2) if files.get_file_from_path(m.group(1)) else "", markdown)


def repository_urls(config) -> tuple[str, str]:
    """(edit, tree) URL prefixes of repository files, from repo_url and edit_uri (`edit/<branch>/docs/`)."""
    repo = (config.get("repo_url") or "").rstrip("/")
    parts = (config.get("edit_uri") or "edit/main/docs/").strip("/").split("/")
    branch = parts[1] if len(parts) >= 2 else "main"
    return (f"{repo}/edit/{branch}", f"{repo}/tree/{branch}") if repo else ("", "")


def on_page_context(context, page, config, nav):
    """Status dots in the contents of catalogue pages; "edit this page" opens the file a page comes from."""
    edit, tree = repository_urls(config)
    uri = page.file.src_uri
    if uri in GENERATED:
        page.edit_url = f"{edit}/docs/hooks/catalogue.py" if edit else None
    if not uri.startswith("catalogue/") or uri == "catalogue/index.md":
        return context
    by_slug = {slug(r.id): r for r in mapping.load()}
    modules = modules_of()
    sources = set()
    for item in (child for top in page.toc for child in top.children):
        r = by_slug.get(item.id)
        if r is None:
            continue
        sources.add(modules.get(r.id, ""))
        item.typeset = {"title": f'{html.escape(short_name(r))} <span class="jm-dot jm-dot--{r.status}" '
                                 f'role="img" aria-label="{r.status}" title="{r.status}"></span>'}
    if edit:
        page.edit_url = (f"{edit}/mapping/records/{sources.pop()}.py" if len(sources) == 1
                         else f"{tree}/mapping/records")
    return context


def on_post_build(config) -> None:
    """Search: each record's entry gets its API names as a field that outranks titles and text, a boost by
    how often real code calls it, and a plain-text summary instead of the tab labels and code."""
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    index = json.loads(path.read_text())
    records = mapping.load()
    pages = pages_of(records)
    rank = {name: i for i, name in enumerate(most_used())}
    at = {record_url(r, pages).replace(".md#", "/#"): r for r in records}
    for doc in index["docs"]:
        r = at.get(doc["location"])
        if r is None:
            doc["text"] = doc["text"].replace("PyTorchJAX", "")
            continue
        names = [n.split("[")[0].rsplit(".", 1)[-1] for n in (r.torch, *r.aliases)]
        if r.namespace == "torch.nn.functional":
            names.append("F")  # as written in code: F.gelu
        doc["api"] = " ".join(dict.fromkeys(t for n in names for t in re.split(r"_+", n) if t))  # each part once
        popularity = 1 + (len(rank) - rank[r.torch]) / len(rank) if r.torch in rank else 1.0
        tokens = len(re.split(r"_+", names[0].strip("_")))
        doc["boost"] = round(popularity / (1 + 0.1 * (tokens - 1)) * (0.9 if r.variant else 1.0), 3)
        doc["text"] = " ".join([r.status, "→", r.jax + ".", r.reason, *r.notes,
                                *(f"Silent difference: {d.note}." for d in r.differences)]).strip()
    path.write_text(json.dumps(index, separators=(",", ":")))
