"""nanogpt_jax/distributed.py and the trainer past one process: two processes on localhost with 4 simulated
CPU devices each train exactly like one process with 8 devices; FSDP (parameters and AdamW state split over
the devices) trains exactly like replication; a checkpoint saved by two processes resumes in one."""

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from jax.sharding import PartitionSpec as P

from nanogpt_jax import distributed, prepare_shakespeare_char
from nanogpt_jax import train as trainer

ROOT = Path(__file__).resolve().parent.parent

RUN = textwrap.dedent("""
    import json, sys
    import jax
    from nanogpt_jax import train
    history = train.train(json.loads(sys.argv[1]))
    kernel = history["params"]["transformer"]["h"][0]["mlp"]["c_fc"]["kernel"].get_value()
    if jax.process_index() == 0:
        print("RESULT" + json.dumps({
            "devices": jax.device_count(), "processes": jax.process_count(), "iters": history["iters"],
            "evals": history["evals"], "kernel": [list(kernel.shape), list(kernel.addressable_shards[0].data.shape)]}))
""")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("data") / "shakespeare_char"
    prepare_shakespeare_char.main(["--input", str(prepare_shakespeare_char.DEFAULT_INPUT), "--out_dir", str(out)])
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tiny(data_dir, out_dir, **overrides) -> dict:
    cfg = dict(trainer.DEFAULTS)
    cfg.update(dataset="shakespeare_char", data_dir=str(data_dir), out_dir=str(out_dir), n_layer=1, n_head=2,
               n_embd=32, block_size=16, batch_size=8, gradient_accumulation_steps=2, max_iters=6,
               eval_interval=4, eval_iters=2, log_interval=1, learning_rate=3e-3, warmup_iters=2,
               lr_decay_iters=20, min_lr=1e-4, device="cpu", compile=False, dropout=0.0, plot=False)
    # dropout 0: the data-parallel step sums gradients over devices and processes in one all-reduce
    cfg.update(overrides)
    return cfg


def launch(cfg: dict, processes: int, devices_each: int) -> list[subprocess.Popen]:
    """Start the trainer in `processes` processes on localhost, each with devices_each CPU devices."""
    env = dict(os.environ, XLA_FLAGS=f"--xla_force_host_platform_device_count={devices_each}", JAX_PLATFORMS="cpu")
    address = f"127.0.0.1:{free_port()}"
    runs = []
    for i in range(processes):
        c = dict(cfg, coordinator_address=address, num_processes=processes, process_id=i) if processes > 1 else cfg
        runs.append(subprocess.Popen([sys.executable, "-c", RUN, json.dumps(c)], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT))
    return runs


def result(runs: list[subprocess.Popen]) -> dict:
    outs = [r.communicate(timeout=600) for r in runs]
    for r, (_, err) in zip(runs, outs):
        assert r.returncode == 0, err[-3000:]
    return json.loads(outs[0][0].split("RESULT")[-1])


@pytest.fixture(scope="module")
def runs(data_dir, tmp_path_factory):
    """One process with 8 devices; two processes with 4 each (dp, and fsdp), all started at once."""
    tmp = tmp_path_factory.mktemp("runs")
    started = {"one": launch(tiny(data_dir, tmp / "one"), 1, 8),
               "two": launch(tiny(data_dir, tmp / "two"), 2, 4),
               "fsdp": launch(tiny(data_dir, tmp / "fsdp", sharding="fsdp"), 2, 4)}
    out = {name: result(r) for name, r in started.items()}
    out["dirs"] = {name: tmp / name for name in started}
    out["data_dir"] = data_dir
    return out


def assert_same_losses(a: dict, b: dict, tol: float = 1e-5):
    assert a["iters"].keys() == b["iters"].keys() and a["evals"].keys() == b["evals"].keys()
    for it, loss in a["iters"].items():
        assert abs(b["iters"][it] - loss) <= tol, (it, loss, b["iters"][it])
    for it, pair in a["evals"].items():
        assert max(abs(x - y) for x, y in zip(pair, b["evals"][it])) <= tol, (it, pair, b["evals"][it])


def test_two_processes_with_4_devices_train_like_one_with_8(runs):
    one, two = runs["one"], runs["two"]
    assert (one["processes"], one["devices"]) == (1, 8) and (two["processes"], two["devices"]) == (2, 8)
    assert len(one["iters"]) == 7 and one["iters"]["6"] < one["iters"]["0"]  # iterations 0..6, learning
    assert_same_losses(one, two)


def test_fsdp_splits_the_state_and_trains_like_replication(runs):
    one, fsdp = runs["one"], runs["fsdp"]
    assert one["kernel"] == [[32, 128], [32, 128]]  # replicated: every device holds the whole kernel
    assert fsdp["kernel"] == [[32, 128], [32, 16]]  # split 8 ways along its largest dimension
    assert_same_losses(one, fsdp)


def test_checkpoint_from_two_fsdp_processes_resumes_in_one(runs):
    """The two-process FSDP run saved at iteration 4; this process (one device, replicated) resumes it and
    takes iterations 4..6 exactly as the uninterrupted 8-device run did."""
    resumed = trainer.train(tiny(runs["data_dir"], runs["dirs"]["fsdp"], init_from="resume"))
    assert sorted(resumed["iters"]) == [4, 5, 6]
    for it in (4, 5, 6):
        assert abs(resumed["iters"][it] - runs["one"]["iters"][str(it)]) <= 1e-5, it


def test_fsdp_spec_splits_the_largest_divisible_dimension():
    assert distributed.fsdp_spec((65, 32), 8) == P(None, "data")
    assert distributed.fsdp_spec((32, 128), 8) == P(None, "data")
    assert distributed.fsdp_spec((128,), 8) == P("data")
    assert distributed.fsdp_spec((3,), 8) == P()  # too small: replicated
    assert distributed.fsdp_spec((), 8) == P()
    assert distributed.fsdp_spec((32, 128), 1) == P()


def test_initialize_reads_the_usual_environment_variables(monkeypatch):
    calls = []
    monkeypatch.setattr(distributed.jax.distributed, "initialize", lambda *a: calls.append(a))
    monkeypatch.setattr(distributed.jax.distributed, "is_initialized", lambda: False)
    for name in ("JAX_COORDINATOR_ADDRESS", "JAX_NUM_PROCESSES", "JAX_PROCESS_ID", "MASTER_ADDR", "MASTER_PORT",
                 "WORLD_SIZE", "RANK", "SLURM_NTASKS", "OMPI_COMM_WORLD_SIZE"):
        monkeypatch.delenv(name, raising=False)
    assert distributed.initialize() is False and calls == []  # one process: nothing to start
    monkeypatch.setenv("MASTER_ADDR", "10.0.0.1")
    monkeypatch.setenv("WORLD_SIZE", "4")
    monkeypatch.setenv("RANK", "2")
    assert distributed.initialize() is True and calls[-1] == ("10.0.0.1:29500", 4, 2)  # torchrun's
    monkeypatch.setenv("JAX_COORDINATOR_ADDRESS", "host0:1234")
    monkeypatch.setenv("JAX_PROCESS_ID", "3")
    distributed.initialize()
    assert calls[-1] == ("host0:1234", 4, 3)  # JAX's own take precedence
    distributed.initialize("h:1", 2, 1)
    assert calls[-1] == ("h:1", 2, 1)  # the command line over both
    monkeypatch.setenv("WORLD_SIZE", "1")
    monkeypatch.delenv("JAX_NUM_PROCESSES", raising=False)
    calls.clear()
    assert distributed.initialize() is False and calls == []  # a world of one


def test_split_host_cpu_respects_a_users_count(monkeypatch):
    monkeypatch.setenv("XLA_FLAGS", "--xla_force_host_platform_device_count=3")
    distributed.split_host_cpu(2)
    assert os.environ["XLA_FLAGS"] == "--xla_force_host_platform_device_count=3"
    monkeypatch.setenv("XLA_FLAGS", "--xla_cpu_enable_fast_math=false")
    monkeypatch.setattr(distributed.os, "cpu_count", lambda: 2)
    distributed.split_host_cpu(2)
    assert os.environ["XLA_FLAGS"] == "--xla_cpu_enable_fast_math=false --xla_force_host_platform_device_count=2"


def test_split_host_cpu_sizes_the_pool_only_when_it_splits(monkeypatch):
    monkeypatch.setattr(distributed.os, "cpu_count", lambda: 2)
    monkeypatch.delenv("PJRT_NPROC", raising=False)
    monkeypatch.setenv("XLA_FLAGS", "--xla_force_host_platform_device_count=3")
    distributed.split_host_cpu(2, pool_threads=4)
    assert "PJRT_NPROC" not in os.environ  # the user's own device count: their pool too
    monkeypatch.setenv("XLA_FLAGS", "")
    distributed.split_host_cpu(2, pool_threads=4)
    assert os.environ["PJRT_NPROC"] == "4"
    monkeypatch.setenv("XLA_FLAGS", "")
    monkeypatch.setenv("PJRT_NPROC", "2")
    distributed.split_host_cpu(2, pool_threads=4)
    assert os.environ["PJRT_NPROC"] == "2"  # a size the user set wins
