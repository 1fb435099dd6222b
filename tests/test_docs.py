"""The docs (docs/, docs/hooks/catalogue.py): generated from records, no untested code on the site."""

import importlib.util
import re
from pathlib import Path

import mapping

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("catalogue_hook", ROOT / "docs" / "hooks" / "catalogue.py")
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)


def test_every_record_appears_on_its_namespace_page_and_in_the_index():
    records = mapping.load()
    index = hook.index_page(records)
    for ns in hook.namespaces(records):
        page = hook.namespace_page(ns, [r for r in records if r.namespace == ns])
        for r in records:
            if r.namespace == ns:
                assert f"## `{r.id}` {{ #{hook.slug(r.id)} }}" in page
                assert r.torch_example.splitlines()[0] in page and r.jax_example.splitlines()[0] in page
    for r in records:
        assert f"#{hook.slug(r.id)})" in index, r.id


def test_every_difference_is_listed():
    page = hook.differences_page(mapping.load())
    for r in mapping.load():
        for d in r.differences:
            assert d.note.replace("|", "\\|") in page


def test_slugs_are_unique():
    slugs = [hook.slug(r.id) for r in mapping.load()]
    assert len(slugs) == len(set(slugs))


def test_no_free_standing_python_block_in_hand_written_pages():
    """Python on the site comes from records (tested) or from tested files via pymdownx.snippets."""
    for page in (ROOT / "docs").rglob("*.md"):
        text = page.read_text()
        for block in re.findall(r"```(?:python|py)\n(.*?)```", text, flags=re.S):
            lines = [ln for ln in block.strip().splitlines() if ln.strip()]
            assert lines and all(ln.strip().startswith("--8<--") for ln in lines), (
                f"{page.relative_to(ROOT)}: a python block that no test runs; include a tested file with --8<--")
