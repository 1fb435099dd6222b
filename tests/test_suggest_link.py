"""THE LINK: the codemod applied to each record's torch example gives its JAX example, and runs.

For every record whose call gets a rewrite, the torch example (with the standard imports, and its
tensor inputs declared `torch.Tensor` so method calls on them are proven tensors, and the names its
template needs from the caller (`rngs`, `key`, `base_lr`) declared, as the JAX example binds them) goes through
`jaxmigrate suggest --fix --unsafe-fixes`; the result must equal the record's `jax_example`
modulo imports, and, executed with drawn inputs through `mapping.check`, must agree with torch.
"""

import ast
import dataclasses
import re
from collections import Counter

import pytest

__import__("conftest").require_torch()  # skips without torch, except under CI, where that fails

import libcst as cst  # noqa: E402
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
    try:
        report = examine("example.py", source, CATALOGUE, Options(unsafe=True, render=True))
    except cst.ParserSyntaxError:
        UNPARSED.append(record.id)  # reported by test_every_torch_example_parses
        return "", []
    lines = [ln for ln in report.fixed.splitlines() if not _is_import(ln) and ln + "\n" not in declared]
    return "\n".join(lines).strip(), report.findings


def strip_imports(code: str) -> str:
    return "\n".join(ln for ln in code.splitlines() if not _is_import(ln)).strip()


UNPARSED: list = []
_RESULTS = {r.id: rewrite_example(r) for r in mapping.load()}


def test_every_torch_example_parses():
    assert not UNPARSED
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


STANDALONE_RUN = {r.id for r in STANDALONE if not uses_torch(REWRITTEN[r.id]) and r.id not in MODULES}


@pytest.mark.parametrize("record", [r for r in STANDALONE if r.id in STANDALONE_RUN], ids=lambda r: r.id)
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


# -- call forms: every rewrite executed on the call written other ways ------------------------------------
#
# A record's example proves the rewrite of one call form. Users write the same call with keywords where the
# example has positions, positions where it has keywords, defaults written out or left out. Each such form of
# each record's own calls is rewritten and, where `--fix` applies the rewrite, executed against torch on the
# record's inputs (forward): the rewrite is right for every form, or the finding is manual. A TypeError (JAX
# refusing an argument the rewrite passed) is a failure.


def _code(node) -> str:
    return cst.Module([]).code_for_node(node)


def _kw(name: str, value) -> "cst.Arg":
    return cst.Arg(value=value, keyword=cst.Name(name), equal=cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))


def _literal_default(p) -> bool:
    try:
        ast.literal_eval(p.default)
        return True
    except (ValueError, SyntaxError, TypeError):
        return False


def call_forms(record, call) -> dict:
    """Form name -> the call's source written that way (only forms that differ from the example's)."""
    try:
        binding = rewrite.bind(record, call)
    except rewrite.Manual:
        return {}
    if any(a.star for args in binding.args.values() for a in args):
        return {}
    params, given = binding.params, binding.args
    var_pos = any(p.kind == "var_pos" and given.get(p.name) for p in params)
    forms = {}
    # every named argument by keyword (positions kept before a used *args, and for positional-only)
    args = []
    for p in params:
        a = given.get(p.name)
        if not a:
            continue
        before_var = var_pos and p.kind == "pos"
        args += a if (p.kind in ("var_pos", "var_kw") or p.positional_only or before_var) else [_kw(p.name, a[0].value)]
    forms["keywords"] = call.with_changes(args=args)
    # every positional parameter up to the last one given, by position (defaults filled in)
    pos = [p for p in params if p.kind == "pos"]
    last = max((i for i, p in enumerate(pos) if given.get(p.name)), default=-1)
    if all(given.get(p.name) or p.default is not None for p in pos[:last + 1]):
        args = [cst.Arg(value=given[p.name][0].value if given.get(p.name) else cst.parse_expression(p.default))
                for p in pos[:last + 1]]
        args += [a for p in params if p.kind == "var_pos" for a in given.get(p.name, [])]
        args += [_kw(p.name, given[p.name][0].value) for p in params if p.kind == "kw" and given.get(p.name)]
        args += [a for p in params if p.kind == "var_kw" for a in given.get(p.name, [])]
        forms["positions"] = call.with_changes(args=args)
    # the literal defaults written out, by keyword
    extra = [_kw(p.name, cst.parse_expression(p.default)) for p in params
             if p.kind in ("pos", "kw") and not given.get(p.name) and p.default is not None and _literal_default(p)
             and not (var_pos and p.kind == "pos")]
    if extra:
        forms["defaults written"] = call.with_changes(args=[*call.args, *extra])
    # arguments equal to their default left out
    kept = [a for a in call.args if not (a.keyword is not None and any(
        p.name == a.keyword.value and p.default is not None and _literal_default(p)
        and rewrite._same_literal(_code(a.value), p.default) for p in params))]
    if len(kept) < len(call.args):
        forms["defaults left out"] = call.with_changes(args=kept)
    # a tensor argument the template writes more than once, given as an expression the codemod must evaluate once
    holes = Counter(rewrite.HOLE_RE.findall(record.template or ""))
    tensors = {s.name for s in record.inputs if isinstance(s, T)}
    twice = {id(a) for p in params if holes[p.name] > 1 and p.kind in ("pos", "kw") for a in given.get(p.name, [])
             if isinstance(a.value, cst.Name) and a.value.value in tensors}
    if twice:
        forms["computed arguments"] = call.with_changes(args=[
            a.with_changes(value=cst.parse_expression(f"next(iter([{_code(a.value)}]))")) if id(a) in twice else a
            for a in call.args])
    original = _code(call)
    return {name: _code(c) for name, c in forms.items() if _code(c) != original}


def _program(record, torch_example: str) -> str | None:
    """The JAX program for a torch example written another way: its rewrite where the record's own rewrite is
    its jax_example, otherwise jax_example with the record's rewritten lines replaced line for line."""
    declared = "".join(f"{s.name}: torch.Tensor\n" for s in record.inputs if isinstance(s, T)) + FREE_DECLARED
    report = examine("example.py", IMPORTS + declared + torch_example + "\n", CATALOGUE,
                     Options(unsafe=True, render=True))
    own = [f for f in report.findings if f.entry and f.entry.split("[")[0] == record.torch]
    if not own or not all(f.fixable for f in own):
        return None  # manual here: allowed, never a wrong value
    text = "\n".join(ln for ln in report.fixed.splitlines()
                     if not _is_import(ln) and ln + "\n" not in declared).strip()
    if REWRITTEN[record.id] == strip_imports(record.jax_example):
        return text
    before, after = REWRITTEN[record.id].splitlines(), text.splitlines()
    if len(before) != len(after):
        return None
    program = record.jax_example
    for old, new in zip(before, after):
        if old != new:
            if old.strip() not in {ln.strip() for ln in program.splitlines()}:
                return None  # the record's own rewrite is not in its jax_example: test_rewritten_lines_... fails
            program = "\n".join(ln.replace(old.strip(), new.strip()) if ln.strip() == old.strip() else ln
                                for ln in program.splitlines())
    return program


def variants(record) -> list:
    """(form, torch example, JAX program or None when the codemod leaves that form manual)."""
    try:
        module = cst.parse_module(record.torch_example)
    except cst.ParserSyntaxError:
        return []
    calls = rewrite._example_calls(record, module)
    found = {}
    for call in calls:
        for name, source in call_forms(record, call).items():
            found.setdefault(name, []).append((_code(call), source))
    out = []
    if record.id not in STANDALONE_RUN and REWRITTEN[record.id] != strip_imports(record.jax_example):
        # its rewrite is lines inside jax_example (modules, optimizers, schedules): executed here, spliced in
        out.append(("own example", record.torch_example, _program(record, record.torch_example)))
    seen = {REWRITTEN[record.id], strip_imports(record.jax_example), *(p for _, _, p in out)}
    for name, edits in found.items():
        example = record.torch_example
        for old, new in edits:
            example = example.replace(old, new, 1)
        program = _program(record, example)
        # a form whose rewrite is a program already run (the same JAX text) needs no second run
        out.append((name, example, None if program in seen else program, program is None))
        seen.add(program)
    return [(name, example, program) for name, example, program, *_ in out]


VARIANTS = {r.id: variants(r) for r in WITH_REWRITE if r.status == "verified"}


def test_every_verified_rewrite_is_executed():
    """Each verified record's rewrite runs against torch: where the rewrite of torch_example is jax_example itself,
    in tests/test_catalogue.py; a whole other program, in test_standalone_rewrite_runs_like_torch; lines inside
    jax_example (modules, optimizers, schedules), here, spliced into it; and other call forms, here."""
    not_run = [k for k, v in VARIANTS.items() if k not in STANDALONE_RUN and REWRITTEN[k] != strip_imports(
        next(r for r in WITH_REWRITE if r.id == k).jax_example) and not any(p for f, _, p in v if f == "own example")]
    assert not not_run
    with_forms = [k for k, v in VARIANTS.items() if any(form != "own example" for form, _, _ in v)]
    assert len(with_forms) >= 0.8 * len(VARIANTS), sorted(set(VARIANTS) - set(with_forms))


@pytest.mark.parametrize("record", [r for r in WITH_REWRITE if any(p for _, _, p in VARIANTS.get(r.id, ()))],
                         ids=lambda r: r.id)
@settings(max_examples=1, deadline=None)
@given(data=st.data())
def test_every_call_form_runs_like_torch(record, data):
    """Each call form of a verified record, rewritten by --fix, agrees with torch (forward) or is left manual."""
    from mapping import check
    from mapping.strategies import cases

    case = data.draw(cases(record), label="case")
    for form, torch_example, program in VARIANTS[record.id]:
        if program is None:
            continue
        variant = dataclasses.replace(record, torch_example=torch_example, jax_example=program, checks=("forward",),
                                      why_not={**record.why_not, "grad": "the record's own proof runs it"})
        try:
            check.run_torch(variant, case, grad=False)
        except (TypeError, RuntimeError):
            continue  # not a call torch accepts (the record's sig is looser than torch's): no form to prove
        try:
            check.check_record(variant, case)
        except Exception as e:
            raise AssertionError(f"{record.id}, {form}:\n  torch: {torch_example}\n  jax:   {program}\n  {e}") from e
