"""Train the PyTorch reference and the JAX port on the same config in one run; print ms/iter and the ratio.

    python -m nanogpt_jax.bench [--iters 40] [--block 10] [--n_layer 4 --n_head 4 --n_embd 128 ...]

Defaults are nanoGPT's CPU recipe (4 layers, 4 heads, 128 wide, context 64, batch 12, dropout 0, vocab 65)
and each framework's default settings: torch's threads, and for JAX what the trainer does on a CPU, the
batch split over two CPU devices (data parallel; XLA_FLAGS=--xla_force_host_platform_device_count=N
chooses another count). The port is also timed on one device in the same run (and, with --partitioned, its
multi-device step as jax.jit partitions it, an all-reduce per parameter). The frameworks run
alternately in blocks of --block iterations on the same batches, so load from other processes hits
them alike; the medians over blocks of wall-clock time, process CPU time and the busiest thread's CPU
time per iteration are compared, with the machine's load average. On a shared machine the busiest
thread's CPU time estimates the idle wall time (the critical path) better than the wall clock does.
"""

import argparse
import os
import statistics
import time
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import torch
from flax import nnx

from nanogpt_jax import convert, distributed, torch_ref
from nanogpt_jax import model as jmodel
from nanogpt_jax.step import make_train_step


class Pair(NamedTuple):
    """The PyTorch reference with its AdamW, and the port holding the same weights, ready to step."""

    tm: torch.nn.Module
    topt: torch.optim.Optimizer
    jm: jmodel.GPT
    graphdef: object
    params: object
    opt_state: object
    step: object
    optimizer: object


def reference_and_port(arch: dict, seed: int, weight_decay: float = 0.1, betas=(0.9, 0.99),
                       grad_clip: float = 1.0) -> Pair:
    """nanoGPT's set-up in both frameworks: the reference built after torch.manual_seed(seed) (so, in
    nanoGPT's module order, nanoGPT's initial weights), its decay groups; the port split once, with the
    same weights and groups and a jitted train step. The learning rate is given per step."""
    torch.manual_seed(seed)
    tm = torch_ref.GPT(torch_ref.GPTConfig(**arch))
    topt = tm.configure_optimizers(weight_decay, 1e-3, betas, "cpu")
    jm = convert.load_state_dict(jmodel.GPT(jmodel.GPTConfig(**arch), rngs=nnx.Rngs(0)), tm.state_dict())
    graphdef, params = nnx.split(jm)
    opt = jmodel.configure_optimizers(params, weight_decay, betas, verbose=False)
    return Pair(tm, topt, jm, graphdef, params, opt.init(params), make_train_step(graphdef, opt, grad_clip), opt)


def thread_cpu() -> dict:
    """CPU seconds used so far by each thread of this process (Linux /proc; empty elsewhere)."""
    tick, out = os.sysconf("SC_CLK_TCK"), {}
    tasks = "/proc/self/task"
    for tid in os.listdir(tasks) if os.path.isdir(tasks) else ():
        try:
            with open(f"{tasks}/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended
            continue
        out[tid] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return out


class Timer:
    """Blocks of iterations of one framework: wall, process CPU and busiest-thread CPU seconds per iteration."""

    def __init__(self, name: str, run):
        self.name, self.run, self.blocks, self.threads, self.iters = name, run, [], {}, 0

    def block(self, n: int, start: int, record: bool = True):
        t0, c0, th0 = time.perf_counter(), time.process_time(), thread_cpu()
        self.run(n, start)
        wall, cpu, th1 = time.perf_counter() - t0, time.process_time() - c0, thread_cpu()
        if record:
            self.blocks.append((wall / n, cpu / n))
            self.iters += n
            for tid, t in th1.items():
                self.threads[tid] = self.threads.get(tid, 0.0) + t - th0.get(tid, 0.0)

    def summary(self) -> tuple:
        """(wall ms, CPU ms, busiest-thread CPU ms) per iteration: medians over blocks; threads over all."""
        wall, cpu = (1000 * statistics.median(b[i] for b in self.blocks) for i in (0, 1))
        busiest = 1000 * max(self.threads.values(), default=float("nan")) / max(self.iters, 1)
        return wall, cpu, busiest


def ratio(a: float, b: float) -> float:
    """a / b, or nan where b reads 0 (a tiny run can read no thread CPU time at clock-tick resolution)."""
    return a / b if b else float("nan")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--iters", type=int, default=60, help="timed iterations per framework")
    p.add_argument("--block", type=int, default=10, help="iterations per alternating block")
    p.add_argument("--n_layer", type=int, default=4)
    p.add_argument("--n_head", type=int, default=4)
    p.add_argument("--n_embd", type=int, default=128)
    p.add_argument("--block_size", type=int, default=64)
    p.add_argument("--batch_size", type=int, default=12)
    p.add_argument("--vocab_size", type=int, default=65)
    p.add_argument("--gas", type=int, default=1, help="gradient_accumulation_steps")
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: leave torch's default)")
    p.add_argument("--partitioned", action="store_true",
                   help="also time the multi-device step as jax.jit partitions it (one all-reduce per parameter)")
    a = p.parse_args(argv)
    if a.threads:
        torch.set_num_threads(a.threads)
    load0 = os.getloadavg()
    cfg = dict(n_layer=a.n_layer, n_head=a.n_head, n_embd=a.n_embd, block_size=a.block_size,
               vocab_size=a.vocab_size, bias=False, dropout=0.0)
    tm, topt, jm, graphdef, params, opt_state, _, optimizer = reference_and_port(cfg, seed=0)

    g = np.random.default_rng(0)
    n_batches = 8
    shape = (n_batches, a.gas, a.batch_size, a.block_size)
    xs = g.integers(0, a.vocab_size, shape)
    ys = np.roll(xs, -1, axis=-1)
    txs, tys = torch.from_numpy(xs), torch.from_numpy(ys)
    key = jax.random.key(0)
    lr = jnp.float32(1e-3)

    def torch_run(n, start):
        for i in range(start, start + n):
            losses = torch_ref.train_step(tm, topt, txs[i % n_batches], tys[i % n_batches], 1e-3)
        float(losses[-1])

    def jax_run_on(devices, one_all_reduce=True):
        """Steps of the port with the batch split over devices (parameters replicated), as the trainer does;
        one_all_reduce=False times the step jax.jit partitions itself (an all-reduce per parameter)."""
        mesh = distributed.data_mesh(devices)
        step = make_train_step(graphdef, optimizer, 1.0, mesh=mesh if one_all_reduce else None)
        batch = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec(None, "data"))
        put = [jax.device_put((x.astype(np.int32), y.astype(np.int32)), batch) for x, y in zip(xs, ys)]
        state = list(jax.device_put((jax.tree.map(jnp.copy, params), jax.tree.map(jnp.copy, opt_state)),
                                    jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec())))

        def run(n, start):
            for i in range(start, start + n):
                state[0], state[1], m = step(state[0], state[1], *put[i % n_batches], lr, key)
            float(m["loss"][-1])  # one sync per block

        return run

    devices = distributed.usable_devices(jax.devices(), a.batch_size) if len(jax.devices()) > 1 else jax.devices()
    timers = [Timer("torch eager", torch_run)]
    if len(devices) > 1:
        timers.append(Timer("jax 1 device", jax_run_on(devices[:1])))
    if len(devices) > 1 and a.partitioned:
        timers.append(Timer(f"jax {len(devices)} dev jit", jax_run_on(devices, one_all_reduce=False)))
    timers.append(Timer(f"jax {len(devices)} dev" if len(devices) > 1 else "jax jit", jax_run_on(devices)))
    for t in timers[1:]:
        t0 = time.perf_counter()
        t.block(1, 0, record=False)
        print(f"{t.name}: compile + first step {time.perf_counter() - t0:.2f}s")
    for t in timers:
        t.block(2, 0, record=False)  # warm
    for b in range(max(1, a.iters // a.block)):
        for t in timers:
            t.block(a.block, b * a.block)
    load1 = os.getloadavg()
    num = jm.get_num_params()
    gflop = jmodel.estimate_mfu(jm.config, num, a.batch_size * a.gas, 1.0, flops_promised=1e9)
    print(f"config: {cfg}, batch {a.batch_size} x gas {a.gas}; {gflop:.2f} GFLOP/iter; "
          f"torch threads {torch.get_num_threads()}; jax devices {jax.devices()}; "
          f"XLA_FLAGS={os.environ.get('XLA_FLAGS', '')!r}")
    print(f"load average (1 min) before {load0[0]:.2f}, after {load1[0]:.2f} on {os.cpu_count()} CPUs"
          + ("  (busy machine: compare CPU times and the ratio, not wall times)" if load1[0] > 1.5 else ""))
    rows = {t.name: t.summary() for t in timers}
    print(f"{'':14s} {'wall ms/iter':>12s} {'CPU ms/iter':>12s} {'busiest thread':>15s}   wall per block")
    for t in timers:
        wall, cpu, busiest = rows[t.name]
        print(f"{t.name:14s} {wall:12.1f} {cpu:12.1f} {busiest:15.1f}   "
              f"{', '.join(f'{1000 * w:.0f}' for w, _ in t.blocks)}")
    (t_ms, t_cpu, t_busy), (j_ms, j_cpu, j_busy) = rows[timers[0].name], rows[timers[-1].name]
    print(f"speed-up of {timers[-1].name} over torch eager: wall {ratio(t_ms, j_ms):.2f}x, CPU time "
          f"{ratio(t_cpu, j_cpu):.2f}x, busiest thread {ratio(t_busy, j_busy):.2f}x  (> 1: JAX faster)")
    return t_ms, j_ms


if __name__ == "__main__":
    distributed.split_host_cpu()  # what the trainer does on a CPU: the batch over two devices
    main()
