"""Whole-file fixtures for `jaxmigrate suggest --fix` (tests/fixtures/suggest/).

Each `NAME.in.py` is fixed (verified rewrites only) and must give `NAME.out.py` exactly; when a
`NAME.findings` file exists, the findings (`line:col kind api`) must match it.
Fixing the output again changes nothing. To add a case, write `NAME.in.py`, run
`python -m tests.test_suggest_fixtures NAME` to write the expected files, and review them.
"""

import glob
import os
import sys

import pytest

import mapping
from migrate.findings import Catalogue, Options, examine
from migrate.suggest import validate

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "suggest")
INPUTS = sorted(glob.glob(os.path.join(HERE, "*.in.py")))
CATALOGUE = Catalogue(mapping.load())


def run(source: str):
    return examine("fixture.py", source, CATALOGUE, Options(render=True))


def lines(report) -> str:
    """Position, kind and API of each finding. Statuses (and so JM1xx/JM2xx codes) come from the
    catalogue, which grows; they are tested with the records, so here calls are `call`, methods
    `method (confidence)`, and structural findings keep their code."""
    def kind(f) -> str:
        if f.rule.startswith("JM1"):
            return "call"
        return f"method ({f.confidence})" if f.rule.startswith("JM2") else f.rule
    return "".join(f"{f.line}:{f.column} {kind(f)} {f.api}\n" for f in report.findings)


def test_there_are_at_least_40_fixtures():
    assert len(INPUTS) >= 40


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: os.path.basename(p)[:-6])
def test_fixture(path):
    source = open(path, encoding="utf-8").read()
    report = run(source)
    expected = open(path.replace(".in.py", ".out.py"), encoding="utf-8").read()
    assert report.fixed == expected
    assert validate(path, report.fixed) == ""
    findings = path.replace(".in.py", ".findings")
    if os.path.exists(findings):
        assert lines(report) == open(findings, encoding="utf-8").read()
    assert run(report.fixed).fixed == report.fixed, "a second --fix changed the file"


if __name__ == "__main__":  # write the expected files for the named fixtures
    for name in sys.argv[1:]:
        path = os.path.join(HERE, name + ".in.py")
        report = run(open(path, encoding="utf-8").read())
        open(path.replace(".in.py", ".out.py"), "w", encoding="utf-8").write(report.fixed)
        open(path.replace(".in.py", ".findings"), "w", encoding="utf-8").write(lines(report))
