"""PyTorch's own OpInfo samples through the catalogue's rewrites (mapping/opinfo.py, mapping/OPINFO.md).

CI runs the first float32 sample of every OpInfo that tests a catalogue API; the slow test runs
all samples in float32, int64 and bool (`python -m mapping.opinfo` prints the same report).
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

from mapping import opinfo  # noqa: E402
from mapping.record import Record, T  # noqa: E402


@pytest.fixture(scope="module")
def ci_sweep() -> opinfo.Sweep:
    return opinfo.sweep(cap=1, dtypes=(torch.float32,))


def test_opinfo_covers_the_catalogue(ci_sweep):
    """Most catalogue APIs with a rewrite have an OpInfo, and their samples run."""
    counts = ci_sweep.counts()
    assert len(ci_sweep.records()) >= 250, len(ci_sweep.records())
    assert counts["ok"] >= 300, counts


def test_no_unresolved_finding(ci_sweep):
    """Every mismatch or JAX error on torch's own samples is fixed or explained by a KNOWN entry."""
    unresolved = ci_sweep.unresolved()
    assert not unresolved, "\n".join(o.line() for o in unresolved)


def test_known_entries_name_records_and_say_how():
    import mapping

    ids = set(mapping.by_id())
    for k in opinfo.KNOWN:
        assert k.record in ids, k
        assert k.resolution.split(":")[0] in ("caveat", "tolerance", "loud"), k  # a wrong rewrite is fixed, not listed
        if k.resolution.startswith("caveat"):
            record = mapping.by_id()[k.record]
            assert record.status == "caveat" and record.differences, k


def test_a_jax_error_is_explained_by_a_loud_entry_first():
    """A 0-d sort raises in JAX (loud); ties among int values are a caveat: each finding gets its own entry."""
    o = opinfo.Outcome("torch.sort", "sort", "int64", 0, "jax_error", record="torch.sort")
    assert opinfo.resolution(o).resolution.startswith("loud"), opinfo.resolution(o)
    o.kind = "mismatch"
    assert opinfo.resolution(o).resolution.startswith("caveat"), opinfo.resolution(o)


def test_literal_writes_sample_arguments_as_code():
    tensors: dict = {}
    text = opinfo.literal([torch.zeros(2), (1, -2.5), float("inf"), None, torch.float32, "mean"], tensors)
    assert text == "[t0, (1, -2.5), float('inf'), None, torch.float32, 'mean']"
    assert list(tensors) == ["t0"]
    with pytest.raises(opinfo.Unwritable):
        opinfo.literal(lambda x: x, {})


def _op(name: str):
    return next(op for op in opinfo.op_db() if op.name == name and not op.variant_test_name)


def test_a_sample_runs_and_agrees():
    sample = SimpleNamespace(input=torch.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True), args=(),
                             kwargs={"dim": 1, "keepdim": True})
    o = opinfo.run_sample("torch.sum", False, _op("sum"), torch.float32, 0, sample)
    assert (o.kind, o.call, o.jax) == ("ok", "torch.sum(t0, dim=1, keepdim=True)",
                                       "out = jnp.sum(t0, axis=1, keepdims=True)"), o


def test_a_wrong_rewrite_is_a_finding(monkeypatch):
    """The sweep can fail: a record whose rewrite is wrong gives a mismatch that nothing explains."""
    wrong = Record(torch="torch.sum", jax="jax.numpy.mean", torch_example="out = torch.sum(x)",
                   jax_example="out = jnp.mean(x)", inputs=(T("x"),), sig="input, dim=None, keepdim=False")
    monkeypatch.setattr(opinfo, "_rewrite", lambda call, names, api: ("out = jnp.mean(t0)", wrong, ""))
    sample = SimpleNamespace(input=torch.tensor([1.0, 2.0, 4.0], requires_grad=True), args=(), kwargs={})
    o = opinfo.run_sample("torch.sum", False, _op("sum"), torch.float32, 0, sample)
    assert o.kind == "mismatch" and o.detail.startswith("forward"), o
    assert opinfo.resolution(o) is None


def test_an_argument_the_record_cannot_map_is_refused():
    """`out=` is unsupported everywhere: the codemod gives no rewrite, and the sample counts as refused."""
    sample = SimpleNamespace(input=torch.tensor([1.0, 2.0]), args=(), kwargs={"out": torch.zeros(())})
    o = opinfo.run_sample("torch.sum", False, _op("sum"), torch.float32, 0, sample)
    assert o.kind in ("refused", "torch_rejects"), o
    sample = SimpleNamespace(input=torch.tensor([1.0, 2.0]), args=(torch.tensor([3.0, 1.0]),),
                             kwargs={"out": torch.zeros(2)})
    o = opinfo.run_sample("torch.add", False, _op("add"), torch.float32, 0, sample)
    assert o.kind == "refused" and "out" in o.detail, o


@pytest.mark.slow
def test_full_sweep_has_no_unresolved_finding():
    """Every sample of every covered OpInfo, float32, int64 and bool (about 15 minutes on 2 cores)."""
    result = opinfo.sweep()
    unresolved = result.unresolved()
    assert not unresolved, f"{len(unresolved)} findings:\n" + "\n".join(o.line() for o in unresolved)


def test_sign_free_view_ignores_signs_and_extra_columns():
    """The svd view (singular values, u_k v_k^T) is the same for factors with a flipped sign pair and another
    extra column of a full U; the raw factors differ."""
    import mapping

    torch_view, jax_view = opinfo.sign_free_views(mapping.by_id()["torch.linalg.svd"])
    assert torch_view.startswith("u, s, vh = out\n") and jax_view.startswith("u, s, vh = out\n")
    u, s, vh = torch.linalg.svd(torch.tensor([[3.0, 1.0], [1.0, 2.0], [0.5, -1.0]]), full_matrices=True)
    flipped = (u * torch.tensor([-1.0, 1.0, -1.0]), s, vh * torch.tensor([[-1.0], [1.0]]))
    views = []
    for factors in ((u, s, vh), flipped):
        scope = {"out": factors}
        exec(torch_view, scope)
        views.append(scope["out"])
    assert not torch.equal(u, flipped[0])
    for a, b in zip(*views):
        torch.testing.assert_close(a, b)


def test_svd_with_full_matrices_compares_the_sign_free_view():
    """A non-square full SVD runs and agrees forward (U's extra columns are left out of the comparison)."""
    sample = SimpleNamespace(input=torch.tensor([[3.0, 1.0], [1.0, 2.0], [0.5, -1.0]]), args=(),
                             kwargs={"full_matrices": True})
    o = opinfo.run_sample("torch.linalg.svd", False, _op("linalg.svd"), torch.float32, 0, sample)
    assert o.kind == "ok" and "u[..., :, None, :k]" in o.jax, o
