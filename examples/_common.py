"""What every example program shares: where the data lives, the command line, the clock and the run record.

Only the standard library and numpy, because both the PyTorch and the JAX programs import it and
neither may pull in the other framework (the benchmark measures each one's memory on its own).
"""

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def data_file(*parts):
    """The path of a file under the repository's ../shared/data, or an error naming where it was expected."""
    path = DATA_DIR.joinpath(*parts).resolve()
    if not path.is_file():
        raise FileNotFoundError(
            f"data file not found: expected {path} (the repository's ../shared/data, see its README.md); "
            "the examples never download anything"
        )
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
