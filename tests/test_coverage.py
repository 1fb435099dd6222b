"""`jaxmigrate catalogue --coverage` (migrate/catalogue.py) and the census of a folder (migrate/census.py)."""

import json

import pytest

pytest.importorskip("torch")

import mapping  # noqa: E402
from mapping.record import Record  # noqa: E402
from migrate import catalogue, census  # noqa: E402
from migrate.cli import main  # noqa: E402


def _record(name: str, status: str = "verified", aliases: tuple = ()) -> Record:
    return Record(torch=name, jax="x", torch_example="out = 0", jax_example="out = 0", status=status, aliases=aliases)


def test_public_api_keeps_torch_callables_of_the_namespace():
    nn, functional, top = (set(catalogue.public_api(ns)) for ns in ("torch.nn", "torch.nn.functional", "torch"))
    tensor = set(catalogue.public_api("torch.Tensor"))
    assert {"torch.nn.Linear", "torch.nn.BCELoss"} <= nn and "torch.nn.functional" not in nn
    assert "torch.nn.functional.gelu" in functional
    assert not {"torch.nn.functional.Optional", "torch.nn.functional.Tensor", "torch.nn.functional.math"} & functional
    assert {"torch.cat", "torch.Size", "torch.finfo", "torch.LongTensor", "torch.no_grad"} <= top
    assert not {"torch.AliasDb", "torch.Graph", "torch.float32", "torch.pi", "torch.nn"} & top  # TorchScript, constants
    assert {"torch.Tensor.view", "torch.Tensor.add_"} <= tensor and "torch.Tensor.shape" not in tensor  # a property


def test_coverage_counts_names_aliases_and_verified_records():
    records = [_record("torch.cat", aliases=("torch.concat",)), _record("torch.nn.Linear", status="manual"),
               _record("torch.Tensor.add"), _record("pattern.loop")]
    rows = {row["namespace"]: row for row in catalogue.coverage(records)}
    assert set(rows) == set(catalogue.COVERAGE_NAMESPACES)
    assert (rows["torch"]["recorded"], rows["torch"]["verified"]) == (2, 2)
    assert (rows["torch.nn"]["recorded"], rows["torch.nn"]["verified"]) == (1, 0)
    assert "torch.cat" not in rows["torch"]["missing"] and "torch.stack" in rows["torch"]["missing"]
    missing = rows["torch.Tensor"]["missing"]
    assert "torch.Tensor.add" not in missing and missing.index("torch.Tensor.sub") < missing.index("torch.Tensor.add_")
    for row in rows.values():
        assert row["recorded"] + len(row["missing"]) == row["names"]


def test_coverage_command_prints_every_namespace(capsys):
    assert main(["catalogue", "--coverage", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["namespace"] for r in data["namespaces"]] == list(catalogue.COVERAGE_NAMESPACES)
    names = {n for r in mapping.load() for n in (r.torch, *r.aliases)}
    for row in data["namespaces"]:
        assert not names & set(row["missing"]), row["namespace"]
    assert data["total"]["recorded"] == sum(r["recorded"] for r in data["namespaces"]) > 500
    assert main(["catalogue", "--coverage", "--format", "markdown", "--namespace", "torch.fft"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("| namespace |") and lines[2].startswith("| `torch.fft` |") and len(lines) == 4


SCRIPT = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader as DL
import numpy as np

class Net(nn.Module):
    def forward(self, x):
        return torch.relu(x)

x = torch.randn(3)
y = x.view(3)
z = x.frobnicate()
loader = DL([1, 2])
a = np.zeros(3).view()
torch.relu(y)
'''


def test_census_resolves_imports_and_counts_sites(tmp_path):
    (tmp_path / "a.py").write_text(SCRIPT)
    (tmp_path / "skip.py").write_text("import numpy\n")
    apis, methods, errors = census.census(str(tmp_path))
    assert errors == []
    assert apis == {"torch.nn.Module": 1, "torch.relu": 2, "torch.randn": 1, "torch.utils.data.DataLoader": 1}
    assert methods == {"torch.Tensor.view": 1, "torch.Tensor.frobnicate": 1}
    s = census.share(apis, {"torch.relu", "torch.randn"})
    assert (s["distinct"], s["distinct_recorded"], s["sites"], s["sites_recorded"]) == (4, 2, 5, 3)
    assert list(s["missing"]) == ["torch.nn.Module", "torch.utils.data.DataLoader"]


def test_census_reports_files_that_do_not_parse(tmp_path, capsys):
    (tmp_path / "bad.py").write_text("import torch\ndef f(:\n")
    assert census.main([str(tmp_path)]) == 2
    assert "bad.py" in capsys.readouterr().err
