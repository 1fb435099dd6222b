"""examples/train_torch.py (the script the docs walk through) runs end to end on a few steps."""

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("torch")
ROOT = Path(__file__).resolve().parents[1]


def test_train_torch_runs(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("train_torch", ROOT / "examples" / "train_torch.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.max_iters, script.eval_interval, script.eval_iters = 3, 3, 2
    script.CKPT = str(tmp_path / "ckpt.pt")
    script.main()
    out = capsys.readouterr().out
    assert "step 3: train" in out and (tmp_path / "ckpt.pt").exists()
