"""torch's own module_db inputs through the catalogue's module rewrites (mapping/opinfo_modules.py,
mapping/OPINFO_MODULES.md).

CI runs the first 3 ModuleInputs per mode of a few modules (seconds); the slow test runs the whole module_db
(`python -m mapping.opinfo_modules` prints the same report).
"""

import os
from types import SimpleNamespace

import pytest

if os.environ.get("CI"):
    import expecttest  # noqa: F401 - under CI a missing torch or expecttest fails, never skips
    import torch
else:
    torch = pytest.importorskip("torch")
    pytest.importorskip("expecttest")

import mapping  # noqa: E402
from mapping import opinfo, opinfo_modules  # noqa: E402

FEW = ["nn.Linear", "nn.ELU", "nn.BatchNorm1d", "nn.MSELoss"]


@pytest.fixture(scope="module")
def few() -> opinfo_modules.Sweep:
    return opinfo_modules.sweep(FEW, cap=3)


def test_few_modules_run_and_agree(few):
    """Each of these modules has inputs that are rewritten, loaded with torch's weights and compared."""
    ok = {o.opinfo for o in few.outcomes if o.kind == "ok"}
    assert ok == set(FEW), few.counts()
    assert few.counts()["ok"] >= 9, few.counts()


def test_no_unresolved_finding(few):
    unresolved = few.unresolved()
    assert not unresolved, "\n".join(o.line() for o in unresolved)


def test_known_entries_name_records_and_say_how():
    ids = {info.name for _, info in opinfo_modules.covered()}
    for k in opinfo_modules.KNOWN:
        assert k.record in mapping.by_id() and k.module in ids, k
        assert k.resolution.split(":")[0] in ("caveat", "tolerance", "loud"), k  # a wrong rewrite is fixed
        if k.resolution.startswith("caveat"):
            record = mapping.by_id()[k.record]
            assert record.status == "caveat" and record.differences, k


def _info(name: str):
    return next((api, info) for api, info in opinfo_modules.covered([name]))


def _input(ctor_args: tuple, ctor_kwargs: dict, *forward) -> SimpleNamespace:
    return SimpleNamespace(constructor_input=SimpleNamespace(args=ctor_args, kwargs=ctor_kwargs),
                           forward_input=SimpleNamespace(args=forward, kwargs={}))


def test_an_input_runs_with_torch_weights():
    """nn.Linear(3, 2): the weights come from torch (load_linear), so the values agree, gradients included."""
    api, info = _info("nn.Linear")
    x = torch.tensor([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]], requires_grad=True)
    (o,) = opinfo_modules.run_input(api, info, 0, _input((3, 2), {}, x), True)
    assert (o.kind, o.call, o.jax, o.mode) == ("ok", "torch.nn.Linear(3, 2)",
                                               "nnx.Linear(3, 2, use_bias=True, rngs=rngs)", "train"), o


def test_a_wrong_rewrite_is_a_finding(monkeypatch):
    """The sweep can fail: a rewrite that drops ELU's alpha gives a mismatch that nothing explains."""
    api, info = _info("nn.ELU")
    real = opinfo._rewrite
    monkeypatch.setattr(opinfo, "_rewrite", lambda call, names, api: (
        "out = lambda x: jax.nn.elu(x, alpha=1.0)", *real(call, names, api)[1:]))
    x = torch.tensor([-2.0, -0.5, 1.0], requires_grad=True)
    (o,) = opinfo_modules.run_input(api, info, 0, _input((), {"alpha": 0.5}, x), True)
    assert o.kind == "mismatch" and "forward" in o.detail, o
    assert opinfo_modules.resolution(o) is None


def test_an_argument_the_record_cannot_map_is_refused():
    api, info = _info("nn.BatchNorm1d")
    x = torch.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
    (o,) = opinfo_modules.run_input(api, info, 0, _input((2,), {"track_running_stats": False}, x), True)
    assert o.kind == "refused" and "track_running_stats" in o.detail, o


def test_a_forward_call_the_example_does_not_show_is_counted_apart():
    """A loss given one argument where the record's example passes two is not bound to a guess."""
    record = mapping.by_id()["torch.nn.MSELoss"]
    x = torch.zeros(2)
    assert opinfo_modules.bind(record, (x,), {}) is None
    assert opinfo_modules.bind(record, (x, x), {"reduction": None}) == {"x": x, "y": x}


@pytest.mark.slow
def test_full_module_sweep_has_no_unresolved_finding():
    """Every ModuleInput of every module_db entry (float32, train and eval inputs)."""
    result = opinfo_modules.sweep()
    unresolved = result.unresolved()
    assert not unresolved, f"{len(unresolved)} findings:\n" + "\n".join(o.line() for o in unresolved)
