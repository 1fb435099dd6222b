"""The record data itself: ids unique, statuses honest, every field meaningful (mapping/record.py)."""

import subprocess
import sys

import mapping
from mapping.record import CHECKS, STATUSES, T

RECORDS = mapping.load()


def test_ids_are_unique():
    ids = [r.id for r in RECORDS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_statuses_and_checks_are_known():
    for r in RECORDS:
        assert r.status in STATUSES, r.id
        assert set(r.checks) <= set(CHECKS), r.id


def test_non_verified_records_say_why():
    for r in RECORDS:
        if r.status in ("manual", "unsupported"):
            assert r.reason, f"{r.id}: a {r.status} record must give its reason"
        if r.status == "caveat":
            assert r.notes, f"{r.id}: a caveat record must state its condition in notes"


def test_verified_records_run_forward_checks():
    for r in RECORDS:
        if r.status == "verified":
            assert "forward" in r.checks and "jit" in r.checks, r.id


def test_differentiable_inputs_get_gradient_checks():
    """A verified record with a float input that asks for gradients must run the grad check, or say in
    why_not why it cannot (torch has no derivative for the op)."""
    for r in RECORDS:
        wants = any(isinstance(s, T) and s.dtype.startswith("float") and s.grad for s in r.inputs)
        if r.status == "verified" and wants:
            assert "grad" in r.checks or r.why_not.get("grad"), (
                f"{r.id}: differentiable input but no grad check (set grad=False with a note, or why_not['grad'])")


def test_loading_imports_neither_torch_nor_jax():
    code = "import sys, mapping; mapping.load(); assert 'torch' not in sys.modules and 'jax' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_only_unsupported_records_skip_the_numeric_checks():
    for r in RECORDS:
        assert bool(r.checks) or r.status == "unsupported", f"{r.id}: {r.status} records must run checks"


def test_records_say_why_a_check_does_not_apply():
    for r in RECORDS:
        assert set(r.why_not) <= set(CHECKS) - set(r.checks), f"{r.id}: why_not names a check it runs"
        assert all(r.why_not.values()), f"{r.id}: why_not needs a reason per check"
        assert not r.zero_grad or "grad" in r.checks, f"{r.id}: zero_grad without a grad check"


def test_rich_cases_can_fail():
    """Each record's rich cases, built without torch, hold what a proof needs: two distinct values,
    negatives where the range has them, transposed views, real broadcasting, every Choice value but
    the first (hypothesis's first draw takes it)."""
    from mapping.proof_stats import measure
    from mapping.record import Choice
    from mapping.strategies import rich_cases

    for r in RECORDS:
        stats = measure(r, rich_cases(r), grads=False)
        firsts = {c.name: [c.values[0]] for c in r.inputs if isinstance(c, Choice) and len(c.values) > 1}
        stats.choices = {n: [v for v in missing if v not in firsts.get(n, [])] for n, missing in stats.choices.items()}
        assert not stats.vacuous(), f"{r.id}: {stats.vacuous()}"
