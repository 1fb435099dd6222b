"""THE LINK: the codemod applied to each record's torch example gives its JAX example, and runs.

For every record whose call gets a rewrite, the torch example (with the standard imports, and its
tensor inputs declared `torch.Tensor` so method calls on them are proven tensors, and the names its
template needs from the caller (`rngs`, `key`, `base_lr`) declared, as the JAX example binds them) goes through
`jaxmigrate suggest --fix --unsafe-fixes`; the result must equal the record's `jax_example`
modulo imports, and, executed with drawn inputs through `mapping.check`, must agree with torch.
"""

import dataclasses
import re

import pytest

pytest.importorskip("torch")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import mapping  # noqa: E402
from mapping.record import T  # noqa: E402
from migrate import rewrite  # noqa: E402
from migrate.findings import Catalogue, Options, examine  # noqa: E402

IMPORTS = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport numpy as np\n"
CATALOGUE = Catalogue(mapping.load())
# The names templates need from the caller (rngs, key, base_lr, ...), declared as the JAX examples bind them.
FREE_DECLARED = "".join(f"{name}: object\n" for name in sorted(
    set().union(*(rewrite.free_names(r.template) for r in mapping.load() if r.template))))


def _is_import(line: str) -> bool:
    return line.startswith(("import ", "from ")) and " = " not in line


def rewrite_example(record) -> tuple[str, list]:
    """(the example after `--fix --unsafe-fixes`, without imports and declarations; every finding in it)."""
    declared = "".join(f"{s.name}: torch.Tensor\n" for s in record.inputs if isinstance(s, T))
    declared += FREE_DECLARED
    source = IMPORTS + declared + record.torch_example + "\n"
    report = examine("example.py", source, CATALOGUE, Options(unsafe=True, render=True))
    lines = [ln for ln in report.fixed.splitlines() if not _is_import(ln) and ln + "\n" not in declared]
    return "\n".join(lines).strip(), report.findings


def strip_imports(code: str) -> str:
    return "\n".join(ln for ln in code.splitlines() if not _is_import(ln)).strip()


_RESULTS = {r.id: rewrite_example(r) for r in mapping.load()}
OWN = {r.id: [f for f in _RESULTS[r.id][1] if f.entry == r.id] for r in mapping.load()}
# The rewritten example, or None when the record's own call got no rewrite.
REWRITTEN = {k: text if any(f.replacement and f.fixable for f in OWN[k]) else None for k, (text, _) in _RESULTS.items()}
WITH_REWRITE = [r for r in mapping.load() if REWRITTEN[r.id] is not None and r.checks]


def changed_lines(record) -> list[str]:
    """Lines of the rewritten example that carry this record's own rewrite."""
    own = [f.replacement for f in OWN[record.id] if f.replacement]
    return [ln.strip() for ln in REWRITTEN[record.id].splitlines() if any(o in ln for o in own)]


def uses_torch(code: str) -> list[str]:
    return sorted(set(re.findall(r"(?<![\w.])(torch|nn|F)\.", code)))


# Whole-example rewrites that differ from jax_example: these must run on their own against torch.
STANDALONE = [r for r in WITH_REWRITE if REWRITTEN[r.id] != strip_imports(r.jax_example)]
# A module's rewrite builds the nnx module (`rngs=`, channels-last); the weights loaded from torch and the
# NCHW -> NHWC transposes are the lines around it in jax_example, so only its lines are checked.
MODULES = {r.id for r in STANDALONE if re.search(r"^m = ", r.torch_example, flags=re.M)}


def test_some_records_rewrite_their_own_example():
    assert len(WITH_REWRITE) >= 10, [r.id for r in WITH_REWRITE]


def test_rewritten_lines_appear_in_jax_example():
    """Docs, rewrite and proof are the same text.

    Either the rewrite of torch_example is jax_example itself (which tests/test_catalogue.py runs
    against torch), or, for examples with setup the codemod cannot write (loops over optimizer steps,
    weight loading), every line the codemod produced appears verbatim in the proven jax_example.
    """
    differ = []
    for r in STANDALONE:
        jax_lines = {ln.strip() for ln in r.jax_example.splitlines()}
        missing = [ln for ln in changed_lines(r) if ln not in jax_lines]
        if missing:
            differ.append(f"{r.id}:\n    rewritten lines not in jax_example: {missing!r}\n"
                          f"    jax_example: {strip_imports(r.jax_example)!r}")
    assert not differ, f"{len(differ)} of {len(WITH_REWRITE)} records: the codemod's rewrite of torch_example " \
                       "is not the text of jax_example:\n" + "\n".join(differ)


@pytest.mark.parametrize("record", [r for r in STANDALONE if not uses_torch(REWRITTEN[r.id]) and r.id not in MODULES],
                         ids=lambda r: r.id)
@settings(max_examples=2)
@given(data=st.data())
def test_standalone_rewrite_runs_like_torch(record, data):
    """A whole rewritten example that is not jax_example verbatim is executed against torch itself."""
    from mapping import check
    from mapping.strategies import cases

    case = data.draw(cases(record), label="case")
    check.check_record(dataclasses.replace(record, jax_example=REWRITTEN[record.id]), case)


def test_no_example_loses_its_rewrite_to_an_unbound_name():
    """With the free names declared (FREE_DECLARED), no record's own rewrite is held back for them."""
    lost = [r.id for r in mapping.load()
            if any("not applied: the JAX code needs" in f.message for f in OWN[r.id])]
    assert not lost


def _rewritten_by_another_variant(record) -> str | None:
    """The example rewritten, when its call went to another record of the same API (a variant the
    codemod cannot tell apart from source text, e.g. `torch.split(x, s)` with `s` a list)."""
    text, findings = _RESULTS[record.id]
    others = [f for f in findings if f.entry and f.entry != record.id and f.fixable
              and f.entry.split("[")[0] == record.torch]
    return text if REWRITTEN[record.id] is None and others else None


# Module examples are left out: their rewrite builds the module but cannot load torch's weights (MODULES).
OTHER_VARIANT = {r.id: text for r in mapping.load() if r.checks and r.status in ("verified", "caveat")
                 and not re.search(r"^m = ", r.torch_example, flags=re.M)
                 and (text := _rewritten_by_another_variant(r)) is not None and not uses_torch(text)}


@pytest.mark.parametrize("record", [r for r in mapping.load() if r.id in OTHER_VARIANT], ids=lambda r: r.id)
@settings(max_examples=2)
@given(data=st.data())
def test_a_variant_rewritten_by_its_sibling_is_right_or_raises(record, data):
    """When the codemod picks a sibling record (it sees no literal that selects this variant), the
    rewrite must still agree with torch on this variant's inputs, or fail loudly: never a wrong value."""
    from mapping import check
    from mapping.strategies import cases

    case = data.draw(cases(record), label="case")
    try:
        check.check_record(dataclasses.replace(record, jax_example=OTHER_VARIANT[record.id]), case)
    except (TypeError, ValueError):  # JAX refuses the other kind of argument: loud, which is allowed
        pass
