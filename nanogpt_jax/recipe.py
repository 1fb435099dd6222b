"""nanoGPT's CPU recipe, several seeds, in both frameworks: the val loss the port reaches, with its control.

    python -m nanogpt_jax.prepare_shakespeare_char
    python -m nanogpt_jax.recipe --seeds 1337 0 1 2 3 [--data_dir data/shakespeare_char]
    python -m nanogpt_jax.recipe --nanogpt-stream    # one run on nanoGPT's own random stream

For each seed the JAX trainer runs the recipe (config/train_shakespeare_char.py +
config/train_shakespeare_char_cpu.py), then the PyTorch reference trains from the same initial weights on
the same batches with the same schedule. Both final models are scored on the same 200 val batches (the
recipe's own 20-batch estimate moves by about 0.02 between evaluations). Prints a markdown table.
"""

import argparse
import statistics
from pathlib import Path

import jax
import numpy as np
import torch
from flax import nnx

from nanogpt_jax import convert, torch_ref, train
from nanogpt_jax import model as jmodel
from nanogpt_jax.bench import reference_and_port
from nanogpt_jax.configurator import configure
from nanogpt_jax.step import make_eval_step

RECIPE = ["train_shakespeare_char.py", "train_shakespeare_char_cpu.py"]
EVAL_BATCHES = 200
VOCAB = 65  # shakespeare_char's meta.pkl


def recipe_config(*overrides: str) -> dict:
    """The recipe's settings (its two config files), then --key=value overrides."""
    return configure(train.DEFAULTS, RECIPE + list(overrides))


def arch(cfg: dict) -> dict:
    """The model the recipe trains."""
    keys = ("n_layer", "n_head", "n_embd", "block_size", "bias", "dropout")
    return {**{k: cfg[k] for k in keys}, "vocab_size": VOCAB}


def batches_of(cfg: dict, data_dir: Path) -> train.Batches:
    """The JAX trainer's batches for cfg's seed (one device)."""
    mesh = jax.sharding.Mesh(np.array(jax.devices()[:1]), ("data",))
    return train.Batches(data_dir, cfg["batch_size"], cfg["block_size"], cfg["gradient_accumulation_steps"],
                         cfg["seed"], mesh)


def score(loss_of, batches: train.Batches, it: int) -> float:
    """Mean val loss over EVAL_BATCHES batches (the same ones for any model and framework)."""
    return float(np.mean([loss_of(*batches.eval("val", it, k)) for k in range(EVAL_BATCHES)]))


def run_jax(seed: int, data_dir: Path, out_dir: Path, max_iters: int = 2000) -> dict:
    """Train the port on the recipe: its final model's val loss and the recipe's best 20-batch val."""
    cfg = recipe_config(f"--seed={seed}", f"--data_dir={data_dir}", f"--out_dir={out_dir}", "--log_interval=250",
                        "--plot=False", "--log_csv=False", f"--max_iters={max_iters}")
    hist = train.train(cfg)
    graphdef = nnx.split(jmodel.GPT(jmodel.GPTConfig(**arch(cfg)), rngs=nnx.Rngs(0)))[0]
    eval_step = make_eval_step(graphdef)
    batches = batches_of(cfg, data_dir)
    final = score(lambda x, y: float(eval_step(hist["params"], x, y)), batches, cfg["max_iters"])
    batches.pool.shutdown()
    return dict(final=final, best20=min(v for _, v in hist["evals"].values()))


def run_torch(seed: int, data_dir: Path, max_iters: int = 2000) -> dict:
    """The PyTorch reference on the JAX run's initial weights, batches and schedule: its final val loss."""
    cfg = recipe_config(f"--seed={seed}", f"--max_iters={max_iters}")
    jm = jmodel.GPT(jmodel.GPTConfig(**arch(cfg)), rngs=nnx.Rngs(seed))  # what train.py initialises for this seed
    tm = torch_ref.GPT(torch_ref.GPTConfig(**arch(cfg)))
    tm.load_state_dict(convert.state_dict(jm))
    opt = tm.configure_optimizers(cfg["weight_decay"], cfg["learning_rate"], (cfg["beta1"], cfg["beta2"]), "cpu")
    batches = batches_of(cfg, data_dir)
    for it in range(max_iters + 1):  # nanoGPT steps at iterations 0..max_iters
        xs, ys = (torch.from_numpy(np.array(a)).long() for a in batches.train(it))
        torch_ref.train_step(tm, opt, xs, ys, train.lr_at(cfg, it), cfg["grad_clip"])
    tm.eval()
    with torch.no_grad():
        final = score(lambda x, y: float(tm(*(torch.from_numpy(np.array(a)).long() for a in (x, y)))[1]),
                      batches, max_iters)
    batches.pool.shutdown()
    return dict(final=final)


def run_nanogpt_stream(data_dir: Path, max_iters: int = 2000, eval_iters: int = 20, eval_interval: int = 250) -> dict:
    """nanoGPT's own random stream, for both frameworks: torch.manual_seed(1337), the reference built in
    nanoGPT's module order (so its initial weights are nanoGPT's), batches drawn with torch.randint in the
    order nanoGPT's train.py draws them, evaluations included. The JAX port starts from the same weights
    and steps on the same batches. Returns each framework's evaluations {iter: (train, val)}."""
    cfg = recipe_config(f"--max_iters={max_iters}", f"--eval_iters={eval_iters}", f"--eval_interval={eval_interval}")
    tm, topt, _, graphdef, params, opt_state, step, _ = reference_and_port(
        arch(cfg), cfg["seed"], cfg["weight_decay"], (cfg["beta1"], cfg["beta2"]), cfg["grad_clip"])
    eval_step = make_eval_step(graphdef)
    data = {split: np.memmap(data_dir / f"{split}.bin", dtype=np.uint16, mode="r") for split in ("train", "val")}
    t = cfg["block_size"]

    def get_batch(split):
        ix = torch.randint(len(data[split]) - t, (cfg["batch_size"],))
        x = torch.stack([torch.from_numpy(data[split][i:i + t].astype(np.int64)) for i in ix])
        y = torch.stack([torch.from_numpy(data[split][i + 1:i + 1 + t].astype(np.int64)) for i in ix])
        return x, y

    evals = {"torch": {}, "jax": {}}
    key = jax.random.key(0)  # dropout is 0: unused
    x_next, y_next = get_batch("train")
    for it in range(max_iters + 1):
        lr = train.lr_at(cfg, it)
        if it % eval_interval == 0:
            tm.eval()
            losses = {"torch": {}, "jax": {}}
            with torch.no_grad():
                for split in ("train", "val"):
                    batches = [get_batch(split) for _ in range(eval_iters)]
                    losses["torch"][split] = float(np.mean([float(tm(x, y)[1]) for x, y in batches]))
                    losses["jax"][split] = float(np.mean([float(eval_step(params, x.numpy().astype(np.int32),
                                                                          y.numpy().astype(np.int32)))
                                                          for x, y in batches]))
            tm.train()
            for name in evals:
                evals[name][it] = (losses[name]["train"], losses[name]["val"])
            print(f"step {it}: val torch {losses['torch']['val']:.4f}, jax {losses['jax']['val']:.4f}", flush=True)
        x, y = x_next, y_next
        x_next, y_next = get_batch("train")  # nanoGPT prefetches right after the forward pass
        torch_ref.train_step(tm, topt, x[None], y[None], lr, cfg["grad_clip"])
        params, opt_state, _ = step(params, opt_state, x[None].numpy().astype(np.int32),
                                    y[None].numpy().astype(np.int32), np.float32(lr), key)
    return evals


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=[1337, 0, 1, 2, 3])
    p.add_argument("--data_dir", type=Path, default=Path("data/shakespeare_char"))
    p.add_argument("--out_dir", type=Path, default=Path("out-recipe"))
    p.add_argument("--max_iters", type=int, default=2000, help="the recipe's 2000; fewer for a smoke run")
    p.add_argument("--threads", type=int, default=1, help="torch threads (1: steady on a shared machine)")
    p.add_argument("--nanogpt-stream", action="store_true",
                   help="instead: one run on nanoGPT's own random stream (seed 1337), both frameworks")
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    if a.nanogpt_stream:
        evals = run_nanogpt_stream(a.data_dir, a.max_iters)
        last = max(evals["jax"])
        for name, e in evals.items():
            print(f"{name}: step {last}: train loss {e[last][0]:.4f}, val loss {e[last][1]:.4f} (20 batches, as "
                  f"nanoGPT's recipe); best val {min(v for _, v in e.values()):.4f}")
        return
    rows = []
    for seed in a.seeds:
        j = run_jax(seed, a.data_dir, a.out_dir / f"seed{seed}", a.max_iters)
        t = run_torch(seed, a.data_dir, a.max_iters)
        rows.append((seed, j, t))
        print(f"seed {seed}: JAX val {j['final']:.4f} (best 20-batch {j['best20']:.4f}), "
              f"PyTorch val {t['final']:.4f}", flush=True)
    print(f"\n| seed | JAX val ({EVAL_BATCHES} batches) | PyTorch val ({EVAL_BATCHES} batches) | JAX best val "
          f"during training (20 batches) |\n| ---: | ---: | ---: | ---: |")
    for seed, j, t in rows:
        print(f"| {seed} | {j['final']:.4f} | {t['final']:.4f} | {j['best20']:.4f} |")
    for name, vals in (("JAX", [j["final"] for _, j, _ in rows]), ("PyTorch", [t["final"] for _, _, t in rows])):
        sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
        print(f"{name}: mean val {statistics.mean(vals):.4f} +- {sd:.4f} (sd over {len(vals)} seeds), "
              f"best {min(vals):.4f}")


if __name__ == "__main__":
    main()
