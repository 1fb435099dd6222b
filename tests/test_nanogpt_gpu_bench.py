"""nanogpt_jax/gpu_bench.sh and gpu_bench.py, run on the CPU with --tiny: every framework and workload runs,
and the summary's numbers follow from the measured times (the GPU numbers come from the same code)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nanogpt_jax import gpu_bench, prepare_shakespeare_char

ROOT = Path(__file__).resolve().parent.parent


def test_flops_promised_knows_the_usual_gpus():
    assert gpu_bench.flops_promised("NVIDIA H100 80GB HBM3", 1.0) == 989e12
    assert gpu_bench.flops_promised("NVIDIA A100-SXM4-40GB", 1.0) == 312e12
    assert gpu_bench.flops_promised("cpu", 7.0) == 7.0


def test_flops_per_iter_is_nanogpts_estimate_for_gpt2():
    cfg = dict(n_layer=12, n_head=12, n_embd=768, block_size=1024, batch_size=12, gradient_accumulation_steps=1)
    # nanoGPT: 6N + 12LHQT per token for N = 85M non-embedding + wte (124M model without wpe)
    n = 123_653_376
    assert gpu_bench.flops_per_iter(cfg, n) == (6 * n + 12 * 12 * 12 * 64 * 1024) * 1024 * 12


def test_the_script_runs_both_frameworks_and_both_workloads_on_cpu(tmp_path):
    pytest.importorskip("torch")
    data = tmp_path / "shakespeare_char"
    prepare_shakespeare_char.main(["--input", str(prepare_shakespeare_char.DEFAULT_INPUT), "--out_dir", str(data)])
    env = dict(os.environ, OUT=str(tmp_path / "out"), DATA_DIR=str(data), PYTHON=sys.executable, JAX_PLATFORMS="cpu")
    done = subprocess.run(["bash", "nanogpt_jax/gpu_bench.sh", "--tiny"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = [json.loads(line.split("RESULT", 1)[1]) for log in sorted((tmp_path / "out").glob("*.log"))
               for line in log.read_text().splitlines() if line.startswith("RESULT")]
    assert sorted((r["framework"], r["workload"]) for r in results) == [
        ("jax", "gpt2"), ("jax", "shakespeare"), ("torch", "gpt2"), ("torch", "shakespeare")]
    for r in results:
        tokens = 4 * 32  # --tiny: batch 4, context 32
        assert r["ms_per_iter"] > 0
        assert abs(r["tokens_per_s"] - tokens / (r["ms_per_iter"] / 1000)) <= 1e-6 * r["tokens_per_s"]
        cfg = dict(n_layer=1, n_head=2, n_embd=32, block_size=32, batch_size=4, gradient_accumulation_steps=1)
        expected = gpu_bench.flops_per_iter(cfg, r["params"]) / (r["ms_per_iter"] / 1000) / r["flops_promised"]
        assert abs(r["mfu"] - expected) <= 1e-9 * expected
        vocab = 65 if r["workload"] == "shakespeare" else 50304
        assert r["params"] == vocab * 32 + 12 * 32 * 32 + 2 * 32 + 32  # wte + one block + 3 LayerNorm gains
        assert 3.0 < r["best_val"] < (4.3 if vocab == 65 else 11.0)  # about ln(vocab), after a few steps
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert summary.count("\n| jax |") == 2 and summary.count("\n| torch |") == 2


def test_the_command_line_comparison_script_is_valid_bash():
    """bench_cli.sh takes minutes per round (a benchmark, not a test): here only that bash accepts it."""
    done = subprocess.run(["bash", "-n", "nanogpt_jax/bench_cli.sh"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
