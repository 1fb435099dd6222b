"""The docs' coverage page (docs/hooks/coverage.py): generated from `jaxmigrate catalogue --coverage` at build time."""

import importlib.util
from pathlib import Path

__import__("conftest").require_torch()  # the table counts the installed torch's public names

from migrate import catalogue  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_the_page_is_the_command_output_with_every_namespace():
    spec = importlib.util.spec_from_file_location("coverage_hook", ROOT / "docs" / "hooks" / "coverage.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    page = hook.coverage_page()
    table = [line for line in page.splitlines() if line.startswith("|")]
    assert table[0].startswith("| namespace | public names | with a record | verified |")
    rows = [line.split(" | ")[0].strip("| `") for line in table[2:]]
    assert rows == [*catalogue.COVERAGE_NAMESPACES, "all"]
    assert "jaxmigrate catalogue --coverage --format json" in page
    assert "coverage.md" in (ROOT / "mkdocs.yml").read_text()
