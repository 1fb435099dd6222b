"""Every record, executed against real PyTorch (mirrors mapping/records/*.py).

Each record runs on its rich cases (built to be able to fail) and then on its own hypothesis draws
(`mapping.strategies`); its proof must not be vacuous (`check.vacuous`).
"""

import pytest

__import__("conftest").require_torch()  # skips without torch, except under CI, where that fails

import mapping  # noqa: E402
from mapping import check, strategies  # noqa: E402

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
def test_record_matches_torch(record):
    check.prove(record)  # the proof `jaxmigrate verify` runs: rich cases, then the profile's draws


def test_float_record_without_grad_check_must_say_why():
    """Float inputs and a float output: the proof compares gradients, or the record says why it cannot."""
    import dataclasses

    from mapping.record import Record, T

    bare = Record(torch="torch.exp", jax="jax.numpy.exp", torch_example="out = torch.exp(x)",
                  jax_example="out = jnp.exp(x)", inputs=(T("x", "*"),), checks=("forward", "jit"))
    case = strategies.rich_cases(bare)[0]
    with pytest.raises(check.Mismatch, match="no grad check"):
        check.check_record(bare, case)
    explained = dataclasses.replace(bare, why_not={"grad": "stated reason"})
    assert {r.check for r in check.check_record(explained, case)} == {"forward", "jit"}


@pytest.mark.parametrize("record,difference", DIFFERENCES, ids=lambda x: getattr(x, "id", "") or x.note[:40])
def test_silent_difference_is_real(record, difference):
    """Each documented difference is demonstrated: the naive JAX call really differs from torch."""
    measured = check.check_difference(difference)
    assert measured >= difference.min_diff, f"{record.id}: {difference.note}: only {measured:.3g} apart"


@pytest.mark.parametrize("record", [r for r in RECORDS if not r.checks], ids=lambda r: r.id)
def test_unchecked_records_still_run(record):
    """Records with nothing to compare (unsupported) still publish only code that runs."""
    case = strategies.rich_cases(record)[0]
    torch_run, _ = check.run_torch(record, case, grad=False)
    fn, diff, _ = check.jax_function(record, case, torch_run)
    fn(diff)
