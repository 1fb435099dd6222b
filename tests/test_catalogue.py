"""Every record, executed against real PyTorch (mirrors mapping/records/*.py)."""

import pytest

pytest.importorskip("torch")

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import mapping  # noqa: E402
from mapping import check  # noqa: E402
from mapping.strategies import cases  # noqa: E402

# JAX's default rank promotion stays on here: users' code broadcasts like torch, and so do the inputs.

RECORDS = mapping.load()


_ran = [0]


@pytest.fixture(autouse=True)
def _free_compiled_code():
    """Each example jits a fresh function: drop compiled code every 40 tests to bound memory
    (not after every test: the eager primitives' compiled code is worth keeping)."""
    yield
    _ran[0] += 1
    if _ran[0] % 40 == 0:
        import jax

        jax.clear_caches()
RUNNABLE = [r for r in RECORDS if r.checks]
DIFFERENCES = [(r, d) for r in RECORDS for d in r.differences]


@pytest.mark.parametrize("record", RUNNABLE, ids=lambda r: r.id)
@given(data=st.data())
def test_record_matches_torch(record, data):
    case = data.draw(cases(record), label="case")
    results = check.check_record(record, case)
    assert {r.check for r in results} >= set(record.checks) - {"grad"}


@pytest.mark.parametrize("record,difference", DIFFERENCES, ids=lambda x: getattr(x, "id", "") or x.note[:40])
def test_silent_difference_is_real(record, difference):
    """Each documented difference is demonstrated: the naive JAX call really differs from torch."""
    measured = check.check_difference(difference)
    assert measured >= difference.min_diff, f"{record.id}: {difference.note}: only {measured:.3g} apart"


@pytest.mark.parametrize("record", [r for r in RECORDS if not r.checks], ids=lambda r: r.id)
def test_unchecked_records_still_run(record):
    """Records with nothing to compare (unsupported) still publish only code that runs."""
    from hypothesis import find

    case = find(cases(record), lambda c: True)
    torch_run, _ = check.run_torch(record, case, grad=False)
    fn, diff, _ = check.jax_function(record, case, torch_run)
    fn(diff)
