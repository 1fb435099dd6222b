"""The docs (docs/, docs/hooks/, mkdocs.yml): pages generated from records, no untested code, no stale claims.

Fast: the hooks' page generators are called directly; the built site is checked by test_docs_browser.py.
"""

import ast
import importlib.util
import re
from pathlib import Path

import pytest

import mapping
from mapping.record import BF16_TOL, FORWARD_TOL, GRAD_TOL

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"{name}_hook", ROOT / "docs" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hook = _load("catalogue")
site = _load("site")


@pytest.fixture(scope="module")
def pages():
    """Page key -> (records, generated markdown)."""
    return {k: (rs, hook.namespace_page(k, rs)) for k, rs in hook.pages_of(mapping.load()).items()}


def entry_of(page: str, r) -> str:
    """The markdown of one record's entry on its page."""
    start = page.index(f"## `{r.id}` {{ #{hook.slug(r.id)} ")
    end = page.find("\n## `", start + 1)
    return page[start:end if end > 0 else None]


def test_every_record_appears_on_one_page_and_in_the_index(pages):
    records = mapping.load()
    placed = [r.id for rs, _ in pages.values() for r in rs]
    assert sorted(placed) == sorted(r.id for r in records)
    index = hook.index_page(records)
    for rs, page in pages.values():
        for r in rs:
            text = entry_of(page, r)
            assert r.torch_example.splitlines()[0] in text and r.jax_example.splitlines()[0] in text
            assert f"#{hook.slug(r.id)}\"" in index, r.id


def test_the_torch_namespace_is_split_by_topic_module(pages):
    torch_pages = [k for k in pages if k.startswith("torch/")]
    assert {"torch/creation", "torch/math", "torch/reduction", "torch/shape", "torch/indexing",
            "torch/random"} <= set(torch_pages)
    assert "torch" not in pages
    on = {r.id: k for k, (rs, _) in pages.items() for r in rs}
    assert on["torch.Tensor.sum"] == "torch.Tensor/reduction" and on["torch.Tensor.reshape"] == "torch.Tensor/shape"
    modules = hook.modules_of()
    for key, (rs, _) in pages.items():
        for r in rs:
            module = modules[r.id]
            if key.startswith("torch/") and module.startswith("torch_"):
                assert key == "torch/" + module.removeprefix("torch_"), r.id
            if r.namespace == "torch":
                assert key.startswith("torch/") or key == hook.sub_namespace(r), r.id
            else:
                assert key.split("/")[0] == r.namespace, r.id


def test_torch_nn_and_functional_are_split_by_topic(pages):
    assert "torch.nn" not in pages and "torch.nn.functional" not in pages
    on = {r.id: k for k, (rs, _) in pages.items() for r in rs}
    assert on["torch.nn.Linear"] == "torch.nn/layers"
    assert on["torch.nn.functional.linear"] == "torch.nn.functional/layers"
    assert on["torch.nn.LeakyReLU"] == "torch.nn/activations" == on["torch.nn.Softmax"]
    assert on["torch.nn.functional.leaky_relu"] == "torch.nn.functional/activations"
    assert on["torch.nn.CrossEntropyLoss"] == "torch.nn/losses" and on["torch.nn.functional.kl_div"].endswith("losses")
    assert on["torch.nn.LayerNorm"] == "torch.nn/normalization" and on["torch.nn.Conv2d"] == "torch.nn/convolution"
    assert on["torch.nn.ModuleList"] == "torch.nn/containers"
    for namespace in hook.NN_NAMESPACES:
        keys = [k for k in pages if k.split("/")[0] == namespace]
        assert keys == [f"{namespace}/{t}" for t in hook.NN_TOPICS if f"{namespace}/{t}" in pages]  # topic order
        assert len(keys) >= 5 and all(len(pages[k][0]) <= 40 for k in keys), keys


def test_entries_are_in_natural_order_and_contents_drop_the_namespace(pages):
    assert sorted(["torch.Generator", "torch.abs", "torch.nn.Conv10d", "torch.nn.Conv2d"], key=hook.natural) == [
        "torch.abs", "torch.Generator", "torch.nn.Conv2d", "torch.nn.Conv10d"]
    for rs, page in pages.values():
        assert [r.id for r in rs] == sorted((r.id for r in rs), key=hook.natural)
        for r in rs:
            label = re.search(r'data-toc-label="([^"]*)"', entry_of(page, r)).group(1)
            assert label.replace("&#95;", "_") == hook.short_name(r) and not label.startswith("torch.")


def test_verified_with_and_default_tolerance_reasons_once_per_page(pages):
    for _, page in pages.values():
        assert page.count("Verified with") == 1
        for default in (FORWARD_TOL, GRAD_TOL, BF16_TOL):
            assert page.count(default.reason) == 1, default.reason


def test_entries_show_inputs_tolerances_and_arguments_without_a_rewrite(pages):
    for rs, page in pages.values():
        for r in rs:
            text = entry_of(page, r)
            assert f"jm-status--{r.status}" in text
            for arg, why in r.unsupported_args.items():
                assert f"`{arg}` is passed**: {why}" in text
            if not r.checks:
                assert "Tolerance" not in text and "none: no numeric counterpart" in text
                continue
            assert "**Inputs drawn**" in text or not r.inputs
            for spec in r.inputs:
                assert f"`{spec.name}`" in text
            assert f"forward {hook.fmt_tol(r.tol)}" in text
            if "bf16" in r.checks:
                assert f"bfloat16 {hook.fmt_tol(r.bf16_tol)}" in text
            if not hook.same_tol(r.tol, FORWARD_TOL):
                assert r.tol.reason in text


def test_differences_side_by_side_and_listed():
    records = mapping.load()
    page = hook.differences_page(records)
    for r in records:
        for d in r.differences:
            assert d.note.replace("|", "\\|") in page
            html = "\n".join(hook.difference_html(d))
            assert html.count('<div class="highlight">') == 2 and 'class="jm-side"' in html


def test_measured_differences_match_their_difference_and_what_the_test_asserts():
    """docs/data/differences.json (docs/data/measure_differences.py) keys each number by the snippets it came from."""
    current, owners = {}, {}  # one difference shown on two records (an alias) is measured once
    for r in mapping.load():
        for d in r.differences:
            current[hook.difference_key(d)] = d
            owners.setdefault(hook.difference_key(d), set()).add(r.id)
    measured = hook.measured_differences()
    shown = [k for k in measured if k in current]
    assert len(shown) >= len(current) / 2, "most differences changed since they were measured: rerun the script"
    for k in shown:
        d = current[k]
        assert measured[k]["record"] in owners[k]
        if d.torch_raises:
            assert measured[k]["max_abs"] == "torch raises"
        else:
            assert measured[k]["max_abs"] >= d.min_diff, (measured[k]["record"], d.note)
            assert "Measured once" in "\n".join(hook.difference_html(d))


def test_measured_errors_are_shown_only_for_the_record_they_were_measured_on(pages):
    """docs/data/errors.json (docs/data/measure_errors.py): numbers for a record whose examples, inputs or checks
    changed since are not shown; the others are finite, for the record's own checks."""
    by_id = mapping.by_id()
    measured = hook.measured_errors()
    for record_id, found in measured.items():
        r = by_id.get(record_id)
        if r is None or found["key"] != hook.record_key(r):
            continue
        assert set(found) - {"key", "draws", "cases"} <= set(r.checks) and found.get("cases", found.get("draws")) >= 1
        assert all(0 <= found[c] < float("inf") for c in r.checks if c in found)
    for rs, page in pages.values():
        for r in rs:
            current = r.id in measured and measured[r.id]["key"] == hook.record_key(r)
            assert ("**Largest error measured**" in entry_of(page, r)) == current, r.id


def template_artefacts(code: str) -> list[str]:
    """What in a snippet reads like a filled-in template rather than code a person writes: a literal unpacked
    into a call (`f(*(0.9, 0.999))`, `*(n * 2 for n in s)`, `**{'k': v}`), a hole left unfilled (`{name}`,
    `{name?}`), `a if True else b`, a lambda called on the spot that binds nothing twice, or text that does
    not parse."""
    if "?}" in code:
        return ["an optional hole left in: " + code[max(0, code.index("?}") - 20):code.index("?}") + 2]]
    try:
        tree = ast.parse(code)
    except SyntaxError as e:
        return [f"does not parse: {e.msg}"]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Starred) and isinstance(node.value, (ast.Tuple, ast.List, ast.GeneratorExp,
                                                                       ast.ListComp)):
            found.append("a literal unpacked: " + ast.unparse(node))
        elif isinstance(node, ast.keyword) and node.arg is None and isinstance(node.value, ast.Dict):
            found.append("a dict literal unpacked: **" + ast.unparse(node.value))
        elif isinstance(node, ast.Set) and len(node.elts) == 1 and isinstance(node.elts[0], ast.Name):
            found.append("an unfilled hole: " + ast.unparse(node))
        elif isinstance(node, ast.IfExp) and isinstance(node.test, ast.Constant):
            found.append("a condition filled with a constant: " + ast.unparse(node)[:80])
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Lambda) and _nothing_bound_twice(node.func):
            found.append("a lambda called on the spot for nothing: " + ast.unparse(node)[:80])
    return found


def _nothing_bound_twice(fn: ast.Lambda) -> bool:
    """Every parameter of the lambda is read at most once: calling it on the spot binds nothing worth a name."""
    reads = [n.id for n in ast.walk(fn.body) if isinstance(n, ast.Name)]
    return all(reads.count(a.arg) <= 1 for a in fn.args.args)


def test_template_artefact_check_finds_them():
    assert template_artefacts("opt = optax.adamw(1e-2, *(0.9, 0.999), eps=1e-08)")
    assert template_artefacts("s = (*x.shape[:2], *(n * 2 for n in x.shape[2:]))")
    assert template_artefacts("out = jnp.meshgrid(*[a, b], **{'indexing': 'ij'})")
    assert template_artefacts("out = jnp.sum({input}, axis={dim?})")
    assert template_artefacts("out = jnp.sum({input})")
    assert not template_artefacts("opt = optax.adamw(1e-2, 0.9, 0.95, weight_decay=0.01)\nout = f'{i}.' + d['k']")
    assert not template_artefacts("out = x.reshape(*x.shape[:d], 2, 3, *x.shape[d:][1:])")
    assert template_artefacts("y = jnp.where(m, x / 0.7, 0) if True else x")
    assert template_artefacts("out = (lambda l, where: jnp.where(where, l, 0.0))(loss, where=y != -1)")
    assert not template_artefacts("out = (lambda z: jnp.where(z >= 0, z, 0.0))(a - b)")  # binds a - b once


def test_rewrite_simplifies_filled_templates_keeping_precedence():
    from migrate.rewrite import simplify

    assert simplify("out = (lambda l, where: jnp.where(where, l, 0.0))(f(x), where=y != -1)") == \
        "out = jnp.where(y != -1, f(x), 0.0)"
    assert simplify("2 * (lambda l: l + 1)(x)") == "2 * (x + 1)"
    assert simplify("out = (lambda l, w: jnp.sum(l * w))(a + b, w=c)") == "out = jnp.sum((a + b) * c)"
    assert simplify("y = (a if False else b + c) * 2") == "y = (b + c) * 2"
    assert simplify("(lambda z: z.shape)(q)") == "q.shape"
    for kept in ("(lambda z: jnp.where(z >= 0, z, 0.0))(a - b)",  # a - b read twice: the lambda binds it once
                 "(lambda a: a if c else 0)(f())",  # f() would run only when c holds
                 "(lambda a: [a for a in s])(t)"):  # a nested scope rebinds the name
        assert simplify(kept) == kept


def test_no_snippet_on_the_site_reads_like_template_output():
    """Every example and difference snippet the catalogue shows (each one the code a test runs) reads as
    hand-written code: the rewrite spreads tuples, leaves out defaults that JAX shares, and simplifies what a
    filled template leaves (migrate/rewrite.py, `simplify`)."""
    found = []
    for r in mapping.load():
        snippets = {"torch example": r.torch_example, "JAX example": r.jax_example}
        for i, d in enumerate(r.differences):
            snippets |= {f"difference {i} torch": d.torch, f"difference {i} JAX": d.jax}
        found += [f"{r.id} ({where}): {a}" for where, code in snippets.items() for a in template_artefacts(code)]
    assert not found, "\n".join(found)


def test_slugs_are_unique():
    slugs = [hook.slug(r.id) for r in mapping.load()]
    assert len(slugs) == len(set(slugs))


def test_cheat_sheet_lists_the_census_order_and_every_name_is_a_record():
    names = hook.most_used()
    torch_names = {r.torch for r in mapping.load()}
    assert len(names) >= 150 and len(names) == len(set(names))
    assert not set(names) - torch_names, "a name in docs/data/most_used.txt has no record"
    sheet = hook.cheatsheet_page(mapping.load())
    rows = re.findall(r"^\| (\d+) \| \[`([^`]+)`\]", sheet, flags=re.M)
    assert [name for _, name in rows] == [n.removeprefix("torch.") for n in names[:hook.CHEAT_SHEET]]


def test_home_page_example_is_a_verified_record_with_its_proof():
    text = (ROOT / "docs" / "index.md").read_text()
    (record_id,) = hook.EXAMPLE.findall(text)
    r = mapping.by_id()[record_id]
    assert r.status == "verified" and r.differences
    shown = hook.home_example(r)
    assert hook.code_html(r.torch_example) in shown and hook.code_html(r.jax_example) in shown
    assert "**Proof**" in shown and "jm-side" in shown
    assert "pip install torch==2.13.0 && pip install -e '.[dev]'" in text and "make run" in text
    assert re.search(r"^run:", (ROOT / "Makefile").read_text(), flags=re.M)
    for status in mapping.STATUSES:
        assert f"jm-status--{status}" in "\n".join(hook.legend())


def test_cli_page_exit_codes_match_the_command(tmp_path, capsys):
    from migrate.suggest import run

    page = hook.cli_page(ROOT)
    (tmp_path / "plain.py").write_text("def f(:\n")
    (tmp_path / "model.py").write_text("import torch\ndef f(:\n")
    assert run([str(tmp_path / "plain.py")]) == 0  # never mentions torch: skipped unread
    assert "never mention `torch` are skipped unread" in page
    assert run([str(tmp_path / "model.py")]) == 2
    assert run([str(tmp_path / "missing.py")]) == 2
    assert "| `suggest` | 2 | a path that does not exist, or a file mentioning `torch` that cannot" in page
    capsys.readouterr()


def test_included_files_become_sections():
    text = "# Title\n\nIntro.\n\n## A\n\n```bash\n# not a heading\n```\n\n### B\n"
    assert site.as_sections(text) == "Intro.\n\n### A\n\n```bash\n# not a heading\n```\n\n#### B\n"
    for page in (ROOT / "docs").rglob("*.md"):
        for path in site.INCLUDE.findall(page.read_text()):
            assert (ROOT / path).is_file(), f"{page}: includes a missing {path}"
            assert not re.search(r"```(?:python|py)\n", (ROOT / path).read_text()), f"{path}: an untested python block"


def test_repository_paths_link_to_the_repository():
    html = '<p><code>tests/test_docs.py</code> <code>x.view</code> <a href="#"><code>mapping/</code></a></p>'
    linked = site.on_page_content(html, None, {"repo_url": "https://example.org/r"}, None)
    assert '<a href="https://example.org/r/blob/main/tests/test_docs.py"' in linked
    assert linked.count("<a ") == 2  # x.view is not a path; the code already in a link stays as it was


def test_site_and_repository_addresses_come_from_the_environment(monkeypatch):
    """mkdocs.yml names the intended home; SITE_URL, REPO_URL and EDIT_URI build the site for another one, and
    "edit this page" and the links to repository files follow edit_uri's branch."""
    from mkdocs.config import load_config

    for name in ("SITE_URL", "REPO_URL", "EDIT_URI"):
        monkeypatch.delenv(name, raising=False)
    default = load_config(str(ROOT / "mkdocs.yml"))
    assert (default["site_url"], default["repo_url"], default["edit_uri"]) == (
        "https://jaxmigrate.github.io/jaxmigrate/", "https://github.com/jaxmigrate/jaxmigrate", "edit/main/docs/")
    monkeypatch.setenv("SITE_URL", "https://example.org/docs/")
    monkeypatch.setenv("REPO_URL", "https://example.org/me/fork")
    monkeypatch.setenv("EDIT_URI", "edit/trunk/docs/")
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert (config["site_url"], config["repo_url"], config["edit_uri"]) == (
        "https://example.org/docs/", "https://example.org/me/fork", "edit/trunk/docs/")
    assert hook.repository_urls(config) == ("https://example.org/me/fork/edit/trunk",
                                            "https://example.org/me/fork/tree/trunk")
    linked = site.on_page_content("<p><code>tests/test_docs.py</code></p>", None, config, None)
    assert 'href="https://example.org/me/fork/blob/trunk/tests/test_docs.py"' in linked


def test_no_free_standing_python_block_in_hand_written_pages():
    """Python on the site comes from records (tested) or from tested files via pymdownx.snippets."""
    for page in (ROOT / "docs").rglob("*.md"):
        text = page.read_text()
        for block in re.findall(r"```(?:python|py)\n(.*?)```", text, flags=re.S):
            lines = [ln for ln in block.strip().splitlines() if ln.strip()]
            assert lines and all(ln.strip().startswith("--8<--") for ln in lines), (
                f"{page.relative_to(ROOT)}: a python block that no test runs; include a tested file with --8<--")
