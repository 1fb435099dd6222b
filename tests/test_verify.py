"""`jaxmigrate verify` runs the proof CI runs: the rich cases first, then the seeded draws."""

import dataclasses

__import__("conftest").require_torch()  # skips without torch, except under CI, where that fails

import mapping  # noqa: E402
from mapping.record import Record, T  # noqa: E402
from migrate import verify  # noqa: E402

# Wrong on negative inputs only: hypothesis's first draw (zeros) cannot see it, a rich case must.
WRONG = Record(torch="torch.nn.functional.relu", jax="jax.numpy.abs", torch_example="out = F.relu(x)",
               jax_example="out = jnp.abs(x)", inputs=(T("x", "*"),), checks=("forward", "jit"),
               why_not={"grad": "test record"})


def _verify(monkeypatch, capsys, records, examples=None):
    monkeypatch.setattr(mapping, "select", lambda ids: records)
    code = verify.run(["x"], examples)
    return code, capsys.readouterr().out


def test_rich_cases_run_before_the_draws(monkeypatch, capsys):
    code, out = _verify(monkeypatch, capsys, [WRONG], examples=1)
    assert code == 1 and "FAIL" in out and "forward differs" in out, out


def test_a_vacuous_gradient_check_fails(monkeypatch, capsys):
    floor = Record(torch="torch.floor", jax="jax.numpy.floor", torch_example="out = torch.floor(x)",
                   jax_example="out = jnp.floor(x)", inputs=(T("x", "*"),))
    code, out = _verify(monkeypatch, capsys, [floor])
    assert code == 1 and "gradient is zero" in out, out
    stated = dataclasses.replace(floor, zero_grad="piecewise constant")
    code, out = _verify(monkeypatch, capsys, [stated])
    assert code == 0 and "1 passed, 0 failed" in out, out


def test_verify_runs_as_many_cases_as_ci(monkeypatch, capsys):
    from hypothesis import settings

    from mapping import check, strategies

    record = next(r for r in mapping.load() if r.id == "torch.cat")
    ci = check.prove(record, settings.get_profile("ci"))
    counted = []
    real = check.prove
    monkeypatch.setattr(check, "prove", lambda r, p=None: counted.append(real(r, p)) or counted[-1])
    code, out = _verify(monkeypatch, capsys, [record])
    assert code == 0, out
    assert len(counted[0]) == len(ci) == len(strategies.rich_cases(record)) + settings.get_profile("ci").max_examples
