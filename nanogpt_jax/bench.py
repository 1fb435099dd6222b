"""Train the PyTorch reference and the JAX port on the same config in one run; print ms/iter and the ratio.

    python -m nanogpt_jax.bench [--iters 60] [--block 10] [--n_layer 4 --n_head 4 --n_embd 128 ...]

Defaults are nanoGPT's CPU recipe (4 layers, 4 heads, 128 wide, context 64, batch 12, dropout 0, vocab 65).
The two frameworks run alternately in blocks of --block iterations on the same batches, so load from other
processes hits both alike; each block's wall-clock and process CPU time per iteration are recorded and the
medians compared. On a shared machine CPU time is the steadier measure of work; to compare one core
against one core, run with --threads 1 and
XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1".
"""

import argparse
import statistics
import time
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import torch
from flax import nnx

from nanogpt_jax import convert, torch_ref
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
    return Pair(tm, topt, jm, graphdef, params, opt.init(params), make_train_step(graphdef, opt, grad_clip))


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
    a = p.parse_args(argv)
    if a.threads:
        torch.set_num_threads(a.threads)
    cfg = dict(n_layer=a.n_layer, n_head=a.n_head, n_embd=a.n_embd, block_size=a.block_size,
               vocab_size=a.vocab_size, bias=False, dropout=0.0)
    tm, topt, jm, graphdef, params, opt_state, step = reference_and_port(cfg, seed=0)

    g = np.random.default_rng(0)
    n_batches = 8
    shape = (n_batches, a.gas, a.batch_size, a.block_size)
    xs = g.integers(0, a.vocab_size, shape)
    ys = np.roll(xs, -1, axis=-1)
    txs, tys = torch.from_numpy(xs), torch.from_numpy(ys)
    jxs = [jnp.asarray(a, jnp.int32) for a in xs]  # on the device before timing, like the prefetching trainer
    jys = [jnp.asarray(a, jnp.int32) for a in ys]
    key = jax.random.key(0)
    lr = jnp.float32(1e-3)

    def torch_block(n, start):
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(start, start + n):
            losses = torch_ref.train_step(tm, topt, txs[i % n_batches], tys[i % n_batches], 1e-3)
        float(losses[-1])
        return (time.perf_counter() - t0) / n, (time.process_time() - c0) / n

    state = {"params": params, "opt_state": opt_state}

    def jax_block(n, start):
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(start, start + n):
            state["params"], state["opt_state"], m = step(state["params"], state["opt_state"],
                                                          jxs[i % n_batches], jys[i % n_batches], lr, key)
        float(m["loss"][-1])  # one sync per block
        return (time.perf_counter() - t0) / n, (time.process_time() - c0) / n

    t0 = time.perf_counter()
    jax_block(1, 0)
    print(f"jax compile + first step: {time.perf_counter() - t0:.2f}s")
    torch_block(2, 0)
    jax_block(2, 0)  # warm
    tt, jt = [], []
    for b in range(max(1, a.iters // a.block)):
        tt.append(torch_block(a.block, b * a.block))
        jt.append(jax_block(a.block, b * a.block))
    t_ms, j_ms = (1000 * statistics.median(w for w, _ in r) for r in (tt, jt))
    t_cpu, j_cpu = (1000 * statistics.median(c for _, c in r) for r in (tt, jt))
    num = jm.get_num_params()
    gflop = jmodel.estimate_mfu(jm.config, num, a.batch_size * a.gas, 1.0, flops_promised=1e9)
    print(f"config: {cfg}, batch {a.batch_size} x gas {a.gas}; {gflop:.2f} GFLOP/iter; "
          f"torch threads {torch.get_num_threads()}; jax devices {jax.devices()}")
    for name, ms, cpu, r in (("torch eager", t_ms, t_cpu, tt), ("jax jit", j_ms, j_cpu, jt)):
        print(f"{name:12s} {ms:7.1f} ms/iter wall, {cpu:7.1f} ms/iter CPU time "
              f"(wall per block: {', '.join(f'{1000 * w:.0f}' for w, _ in r)})")
    print(f"ratio jax/torch: wall {j_ms / t_ms:.2f}, CPU time {j_cpu / t_cpu:.2f}  (< 1: JAX faster)")
    return t_ms, j_ms


if __name__ == "__main__":
    main()
