"""What every example program shares: where the data lives, the command line, the clock and the run record.

Only the standard library and numpy, because both the PyTorch and the JAX programs import it and
neither may pull in the other framework (the benchmark measures each one's memory on its own).
"""

import argparse
import hashlib
import json
import resource
import time
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
# The files the examples read, with the sha256 that data/README.md gives for each.
SHA256 = {
    "names/names.txt": "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d",
    "shakespeare_char/input.txt": "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
}


def data_file(*parts):
    """The path of a file the repository carries under data/, checked against its sha256.

    A missing or altered file is an error that names the path: the examples never download anything.
    """
    path = DATA_DIR.joinpath(*parts).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"data file not found: expected {path} (see data/README.md)")
    expected = SHA256.get("/".join(parts))
    if expected and hashlib.sha256(path.read_bytes()).hexdigest() != expected:
        raise ValueError(f"{path} does not match its sha256 in data/README.md: restore it with git checkout")
    return path


def parser(description, steps):
    """The flags every program takes; a program adds its own."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--steps", type=int, default=steps, help=f"training steps (default {steps})")
    p.add_argument("--seed", type=int, default=0, help="seed for the initial weights, the batches and sampling")
    p.add_argument("--json", metavar="PATH", help="write the run record (timings, losses, peak RSS) for examples.bench")
    return p


class Clock:
    """Times the first training step (JAX: tracing and compilation) apart from the steady state after it.

    `sync` waits for the framework's pending work (jax.block_until_ready; nothing for PyTorch on a CPU,
    which runs eagerly). It is called twice per run only, so it adds no host syncs to the loop.
    """

    def __init__(self, sync=lambda x: x):
        self.sync = sync
        self.start = time.perf_counter()
        self.first = self.end = None
        self.first_steps = 1

    def step(self, i, out, n=1):
        """Call after step i; `n` is how many steps that call ran (more than one under lax.scan)."""
        if i == 0:
            self.sync(out)
            self.first = time.perf_counter()
            self.first_steps = n

    def stop(self, out):
        self.sync(out)
        self.end = time.perf_counter()

    def record(self, steps):
        steady = self.end - self.first
        return {
            "first_step_s": self.first - self.start,
            "steady_s": steady,
            "steps_per_s": (steps - self.first_steps) / steady if steps > self.first_steps and steady else float("nan"),
        }


def finish(args, framework, clock, losses, **results):
    """Print the results and, with --json, write the run record that examples.bench reads."""
    losses = np.asarray(losses, dtype=np.float64)
    timing = clock.record(len(losses))
    tail = losses[-max(1, len(losses) // 100) :]
    record = {
        "framework": framework,
        "steps": len(losses),
        **timing,
        "final_train_loss": float(tail.mean()),
        **results,
        # ru_maxrss is in KiB on Linux: the peak of this process alone.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "losses": losses.tolist(),
    }
    shown = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in record.items() if k != "losses"}
    print(" ".join(f"{k}={v}" for k, v in shown.items()))
    if args.json:
        Path(args.json).write_text(json.dumps(record))
    return record
