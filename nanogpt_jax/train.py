"""Train a GPT like nanoGPT's train.py: same configuration keys, config files, loop and log lines.

    python -m nanogpt_jax.train config/train_shakespeare_char.py --device=cpu --max_iters=2000

Differences, by design: one jitted step per iteration (compile is ignored); data parallel over all
devices of all processes with jax.sharding instead of DDP (backend is ignored; batch_size is the global
batch, whatever the number of processes), parameters and AdamW state replicated or, with
--sharding=fsdp, split over the devices; several processes start with jax.distributed (keys
coordinator_address, num_processes, process_id, or the usual environment variables); batches are drawn from a
counter-based RNG (seed, iteration, micro-step), so a resumed run sees the batches a straight run
would; float16 runs as bfloat16 (no GradScaler needed). Extra keys: data_dir, seed, flops_promised
(the peak for MFU), hf_dir (where init_from=gpt2* finds weights), log_csv, plot. dtype="" (the default)
means bfloat16 on an accelerator and float32 on a CPU, as nanoGPT behaves; an explicit bfloat16 is honoured
on a CPU too (emulated, slow).
"""

import csv
import functools
import math
import os
import pickle
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

from nanogpt_jax import convert, distributed
from nanogpt_jax.checkpoint import Checkpointer
from nanogpt_jax.configurator import ConfigError, configure
from nanogpt_jax.model import GPT, GPTConfig, configure_optimizers, estimate_mfu, get_lr
from nanogpt_jax.step import make_eval_step, make_train_step

DEFAULTS = dict(
    # I/O
    out_dir="out", eval_interval=2000, log_interval=1, eval_iters=200, eval_only=False,
    always_save_checkpoint=True, init_from="scratch",  # 'scratch', 'resume' or 'gpt2*'
    # wandb logging
    wandb_log=False, wandb_project="owt", wandb_run_name="gpt2",
    # data
    dataset="openwebtext", gradient_accumulation_steps=5 * 8, batch_size=12, block_size=1024,
    # model
    n_layer=12, n_head=12, n_embd=768, dropout=0.0, bias=False,
    # AdamW
    learning_rate=6e-4, max_iters=600000, weight_decay=1e-1, beta1=0.9, beta2=0.95, grad_clip=1.0,
    # learning-rate schedule
    decay_lr=True, warmup_iters=2000, lr_decay_iters=600000, min_lr=6e-5,
    # system
    backend="nccl", device="cuda", dtype="", compile=True,  # dtype "": bfloat16 on an accelerator, else float32
    # not in nanoGPT
    data_dir="", seed=1337, flops_promised=312e12, hf_dir="", log_csv=True, plot=True,
    sharding="dp",  # 'dp': parameters and AdamW state replicated; 'fsdp': split over the devices
    coordinator_address="", num_processes=0, process_id=-1,  # several processes; else JAX_* / torchrun env vars
)


class TrainingError(RuntimeError):
    pass


def pick_devices(device: str, dtype: str):
    """JAX devices for nanoGPT's device key, and the compute dtype."""
    kind = device.split(":")[0]
    platform = {"cuda": "gpu", "cpu": "cpu", "mps": "METAL", "tpu": "tpu"}.get(kind, kind)
    try:
        devices = jax.devices(platform)
    except RuntimeError:
        devices = jax.devices()
        print(f"note: device={device!r} but JAX has no {platform} backend; using {devices[0].platform}")
    if not dtype:  # nanoGPT's CPU path runs float32 (no autocast); accelerators get bfloat16
        dtype = "float32" if devices[0].platform == "cpu" else "bfloat16"
    if dtype == "float16":
        print("note: dtype='float16' runs as bfloat16 (same range as float32, so no GradScaler)")
        dtype = "bfloat16"
    if dtype not in ("float32", "bfloat16"):
        raise ConfigError(f"dtype must be float32, bfloat16 or float16, got {dtype!r}")
    if dtype == "bfloat16" and devices[0].platform == "cpu":
        print("note: bfloat16 on CPU is emulated and slow; nanoGPT itself runs float32 on CPU")
    return devices, dtype


class Batches:
    """nanoGPT's get_batch over a uint16 memmap; the batch for (split, iteration, micro-step) is fixed by
    the seed, and the next iteration's batch is prepared on a worker thread while the device computes.
    Each process reads only the rows its devices hold; together they form the one global batch."""

    def __init__(self, data_dir: Path, batch_size, block_size, gas, seed, mesh):
        self.data_dir, self.b, self.t, self.gas, self.seed = data_dir, batch_size, block_size, gas, seed
        self.train_sharding = NamedSharding(mesh, P(None, "data"))  # (gas, B, T): B split over devices
        self.eval_sharding = NamedSharding(mesh, P("data"))
        self.train_rows = distributed.local_rows(self.train_sharding, (gas, batch_size, block_size), axis=1)
        self.eval_rows = distributed.local_rows(self.eval_sharding, (batch_size, block_size), axis=0)
        self.pool = ThreadPoolExecutor(1)
        self.pending = {}

    def _draw(self, split, it, micro, n, rows=slice(None)):
        data = np.memmap(self.data_dir / f"{split}.bin", dtype=np.uint16, mode="r")  # fresh: avoids a leak
        rng = np.random.default_rng([self.seed, 0 if split == "train" else 1, it, micro])
        ix = rng.integers(0, len(data) - self.t, n)[rows]  # every process draws all n offsets, reads its rows
        x = np.stack([data[i:i + self.t] for i in ix]).astype(np.int32)
        y = np.stack([data[i + 1:i + 1 + self.t] for i in ix]).astype(np.int32)
        return x, y

    def _train(self, it):
        xs, ys = zip(*(self._draw("train", it, m, self.b, self.train_rows) for m in range(self.gas)))
        shape = (self.gas, self.b, self.t)
        return tuple(jax.make_array_from_process_local_data(self.train_sharding, np.stack(a), shape) for a in (xs, ys))

    def train(self, it):
        future = self.pending.pop(it, None)
        batch = future.result() if future else self._train(it)
        self.pending[it + 1] = self.pool.submit(self._train, it + 1)
        return batch

    def eval(self, split, it, k):
        x, y = self._draw(split, it, 10_000 + k, self.b, self.eval_rows)  # micro ids >= 10000: never training
        return tuple(jax.make_array_from_process_local_data(self.eval_sharding, a, (self.b, self.t)) for a in (x, y))


def lr_at(cfg: dict, it: int) -> float:
    """The learning rate at iteration it: nanoGPT's warmup + cosine schedule, or constant without decay_lr."""
    if not cfg["decay_lr"]:
        return cfg["learning_rate"]
    return get_lr(it, cfg["learning_rate"], cfg["warmup_iters"], cfg["lr_decay_iters"], cfg["min_lr"])


def data_dir_of(cfg) -> Path:
    path = Path(cfg["data_dir"] or Path("data") / cfg["dataset"])
    if not (path / "train.bin").exists():
        hint = " (run python -m nanogpt_jax.prepare_shakespeare_char)" if cfg["dataset"] == "shakespeare_char" else ""
        raise TrainingError(f"{path / 'train.bin'} not found{hint}; set dataset or data_dir")
    return path


def find_gpt2(cfg) -> Path:
    name = cfg["init_from"]
    candidates = [Path(cfg["hf_dir"])] if cfg["hf_dir"] else []
    candidates += [Path(name), Path.home() / ".cache" / "nanogpt_jax" / name]
    hub = Path.home() / ".cache" / "huggingface" / "hub"
    candidates += sorted(hub.glob(f"models--*{name}/snapshots/*")) + sorted(hub.glob(f"models--{name}/snapshots/*"))
    for path in candidates:
        if (path / "config.json").exists():
            return path
    raise TrainingError(
        f"init_from={name!r}: no local Hugging Face directory with config.json and model.safetensors found "
        f"(looked in {', '.join(map(str, candidates))}). Nothing is downloaded at run time: fetch it once, e.g. "
        f"`huggingface-cli download openai-community/{name} config.json model.safetensors --local-dir {name}`, "
        f"then pass --hf_dir={name}")


def build(cfg, dtype, meta_vocab_size):
    """(model, opt_state or None, iter_num, best_val_loss, model_args) for init_from."""
    model_keys = ("n_layer", "n_head", "n_embd", "block_size", "bias", "vocab_size", "dropout")
    args = {k: cfg[k] for k in model_keys if k in cfg}
    init = cfg["init_from"]
    rngs = nnx.Rngs(cfg["seed"])
    if init == "scratch":
        print("Initializing a new model from scratch")
        if meta_vocab_size is None:
            print("defaulting to vocab_size of GPT-2 to 50304 (50257 rounded up for efficiency)")
        args["vocab_size"] = meta_vocab_size if meta_vocab_size is not None else 50304
        return GPT(GPTConfig(**args, dtype=dtype), rngs=rngs), None, 0, 1e9, args
    if init == "resume":
        out_dir = Path(cfg["out_dir"])
        print(f"Resuming training from {out_dir}")
        ckpt = Checkpointer(out_dir)
        if ckpt.exists():
            meta = ckpt.meta()
            for k in ("n_layer", "n_head", "n_embd", "block_size", "bias", "vocab_size"):
                args[k] = meta["model_args"][k]  # the architecture comes from the checkpoint
            model = GPT(GPTConfig(**args, dtype=dtype), rngs=rngs)
            return model, ckpt, meta["iter_num"], meta["best_val_loss"], args
        if (out_dir / "ckpt.pt").exists():
            print(f"reading PyTorch nanoGPT checkpoint {out_dir / 'ckpt.pt'}")
            torch_ckpt = convert.read_torch_checkpoint(out_dir / "ckpt.pt")
            for k in ("n_layer", "n_head", "n_embd", "block_size", "bias", "vocab_size"):
                args[k] = torch_ckpt["model_args"][k]
            model = GPT(GPTConfig(**args, dtype=dtype), rngs=rngs)
            convert.load_state_dict(model, torch_ckpt["model"])
            return model, torch_ckpt, torch_ckpt["iter_num"], float(torch_ckpt["best_val_loss"]), args
        raise TrainingError(f"init_from='resume' but {out_dir} has no orbax/ checkpoint and no ckpt.pt")
    if init.startswith("gpt2"):
        path = find_gpt2(cfg)
        print(f"Initializing from OpenAI GPT-2 weights in {path}")
        model = convert.from_hf_gpt2(path, dtype=dtype, dropout=cfg["dropout"], rngs=rngs)
        c = model.config
        args.update(n_layer=c.n_layer, n_head=c.n_head, n_embd=c.n_embd, block_size=c.block_size,
                    bias=c.bias, vocab_size=c.vocab_size)
        return model, None, 0, 1e9, args
    raise ConfigError(f"init_from must be 'scratch', 'resume' or 'gpt2*', got {init!r}")


@functools.lru_cache(maxsize=8)
def compiled(graphdef, weight_decay, beta1, beta2, grad_clip, mesh=None, sharding="dp"):
    """(optimizer, train_step, eval_step), reused by later runs in the same process (no recompiling).
    Under fsdp the step keeps the parameters and optimizer state split over mesh."""
    optimizer = configure_optimizers(None, weight_decay, (beta1, beta2), verbose=False)
    place = distributed.state_sharding(mesh, sharding) if sharding == "fsdp" else None
    step = make_train_step(graphdef, optimizer, grad_clip, sharding=place, mesh=mesh)
    return optimizer, step, make_eval_step(graphdef)


def train(cfg: dict) -> dict:
    """Run nanoGPT's loop; returns {'iters': {it: loss}, 'evals': {it: (train, val)}, 'best_val_loss': ...}."""
    if cfg["compile"]:
        print("note: compile is ignored: the JAX step is always compiled with jax.jit")
    if cfg["sharding"] not in ("dp", "fsdp"):
        raise ConfigError(f"sharding must be 'dp' or 'fsdp', got {cfg['sharding']!r}")
    distributed.initialize(cfg["coordinator_address"], cfg["num_processes"], cfg["process_id"])
    primary = jax.process_index() == 0  # writes the log and plot; every process saves its checkpoint shards
    devices, dtype = pick_devices(cfg["device"], cfg["dtype"])
    devices = distributed.usable_devices(devices, cfg["batch_size"])
    print(f"{len(devices)} devices in {jax.process_count()} process(es), sharding={cfg['sharding']}")
    gas = cfg["gradient_accumulation_steps"]
    print(f"tokens per iteration will be: {gas * cfg['batch_size'] * cfg['block_size']:,}")
    out_dir = Path(cfg["out_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)

    data_dir = data_dir_of(cfg)
    meta_vocab_size = None
    if (data_dir / "meta.pkl").exists():
        with open(data_dir / "meta.pkl", "rb") as f:
            meta_vocab_size = pickle.load(f)["vocab_size"]
        print(f"found vocab_size = {meta_vocab_size} (inside {data_dir / 'meta.pkl'})")

    model, source, iter_num, best_val_loss, model_args = build(cfg, dtype, meta_vocab_size)
    if cfg["block_size"] < model.config.block_size:
        model.crop_block_size(cfg["block_size"])
        model_args["block_size"] = cfg["block_size"]
    graphdef, params = nnx.split(model)
    configure_optimizers(params, cfg["weight_decay"], (cfg["beta1"], cfg["beta2"]))  # prints the groups
    mesh = distributed.data_mesh(devices)
    optimizer, step, eval_step = compiled(graphdef, cfg["weight_decay"], cfg["beta1"], cfg["beta2"], cfg["grad_clip"],
                                          mesh, cfg["sharding"])
    opt_state = optimizer.init(params)
    checkpointer = Checkpointer(out_dir)
    if isinstance(source, dict) and "optimizer" in source:
        opt_state = convert.optimizer_state_from_torch(source["optimizer"], params, opt_state)
    place = distributed.state_sharding(mesh, cfg["sharding"])
    params, opt_state = jax.device_put((params, opt_state), jax.tree.map(place, (params, opt_state)))
    if isinstance(source, Checkpointer):  # read into the placement above, whatever the saving run's layout
        params, opt_state, _ = source.restore(params, opt_state)
    batches = Batches(data_dir, cfg["batch_size"], model.config.block_size, gas, cfg["seed"], mesh)
    num_params = model.get_num_params()
    print(f"number of parameters: {num_params / 1e6:.2f}M")

    wandb = None
    if cfg["wandb_log"] and primary:
        try:
            import wandb  # only when asked for
        except ImportError as e:
            raise TrainingError("wandb_log=True but wandb is not installed (pip install wandb)") from e
        wandb.init(project=cfg["wandb_project"], name=cfg["wandb_run_name"], config=cfg)

    log_path = out_dir / "log.csv"
    log_file = open(log_path, "a", newline="") if cfg["log_csv"] and primary else None
    log = csv.writer(log_file) if log_file else None
    if log_file and log_file.tell() == 0:
        log.writerow(["kind", "iter", "loss", "train_loss", "val_loss", "lr", "ms_per_iter", "mfu"])

    def estimate_loss(it):
        out = {}
        for split in ("train", "val"):
            # read each loss back before the next call: many independent multi-device calls in flight can
            # deadlock XLA:CPU's collectives (a rendezvous waits for a device whose work is queued behind it)
            losses = [jax.device_get(eval_step(params, *batches.eval(split, it, k))) for k in range(cfg["eval_iters"])]
            out[split] = float(np.mean(losses))
        return out

    history = {"iters": {}, "evals": {}}
    base_key = jax.random.key(cfg["seed"])
    local_iter_num, running_mfu = 0, -1.0
    t_last, it_last = time.perf_counter(), iter_num
    pending = []  # (iter, lr, metrics) not yet read back: no host sync per step
    try:
        while True:
            lr = lr_at(cfg, iter_num)
            if iter_num % cfg["eval_interval"] == 0:
                losses = estimate_loss(iter_num)
                print(f"step {iter_num}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
                history["evals"][iter_num] = (losses["train"], losses["val"])
                if log:
                    log.writerow(["eval", iter_num, "", losses["train"], losses["val"], lr, "", ""])
                if wandb:
                    wandb.log({"iter": iter_num, "train/loss": losses["train"], "val/loss": losses["val"],
                               "lr": lr, "mfu": running_mfu * 100})
                if not all(math.isfinite(v) for v in losses.values()):
                    raise TrainingError(f"non-finite eval loss at iter {iter_num}: {losses}; stopping, "
                                        f"the last good checkpoint in {checkpointer.directory} is kept")
                if losses["val"] < best_val_loss or cfg["always_save_checkpoint"]:
                    best_val_loss = losses["val"]
                    if iter_num > 0:
                        meta = dict(model_args=model_args, iter_num=iter_num, best_val_loss=best_val_loss,
                                    config={k: v for k, v in cfg.items()})
                        print(f"saving checkpoint to {checkpointer.save(params, opt_state, meta)}")
            if iter_num == 0 and cfg["eval_only"]:
                break

            xs, ys = batches.train(iter_num)
            key = jax.random.fold_in(base_key, iter_num)
            params, opt_state, metrics = step(params, opt_state, xs, ys, jnp.float32(lr), key)
            pending.append((iter_num, lr, metrics))

            if iter_num % cfg["log_interval"] == 0 or iter_num + 1 > cfg["max_iters"]:
                done = jax.device_get([m for _, _, m in pending])  # the one sync per log interval
                now = time.perf_counter()
                dt = (now - t_last) / max(iter_num + 1 - it_last, 1)
                t_last, it_last = now, iter_num + 1
                for (it, _, _), m in zip(pending, done):
                    if not m["finite"]:
                        raise TrainingError(
                            f"loss is {m['loss'].tolist()} (grad norm {m['grad_norm']}) at iter {it}: stopping. "
                            f"That update was not applied; the last good checkpoint in {checkpointer.directory} "
                            f"is kept")
                    history["iters"][it] = float(m["loss"][-1])
                lossf = float(done[-1]["loss"][-1])  # nanoGPT logs the last micro-step's loss
                if local_iter_num >= 5:
                    mfu = estimate_mfu(model.config, num_params, cfg["batch_size"] * gas, dt, cfg["flops_promised"])
                    running_mfu = mfu if running_mfu == -1.0 else 0.9 * running_mfu + 0.1 * mfu
                print(f"iter {iter_num}: loss {lossf:.4f}, time {dt * 1000:.2f}ms, mfu {running_mfu * 100:.2f}%")
                if log:
                    log.writerow(["iter", iter_num, lossf, "", "", lr, dt * 1000, running_mfu])
                    log_file.flush()
                pending = []
            iter_num += 1
            local_iter_num += 1
            if iter_num > cfg["max_iters"]:
                break
    finally:
        if log_file:
            log_file.close()
        batches.pool.shutdown(cancel_futures=True)
    if log and cfg["plot"] and primary:
        plot_losses(log_path, out_dir / "loss.png")
    history["best_val_loss"] = best_val_loss
    history["params"] = params
    return history


def plot_losses(csv_path: Path, png_path: Path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"note: matplotlib is not installed; skipping {png_path} (the losses are in {csv_path})")
        return
    iters, evals = [], []
    with open(csv_path) as f:
        for row in csv.DictReader(f):
            if row["kind"] == "iter":
                iters.append((int(row["iter"]), float(row["loss"])))
            else:
                evals.append((int(row["iter"]), float(row["train_loss"]), float(row["val_loss"])))
    fig, ax = plt.subplots(figsize=(7, 4))
    if iters:
        ax.plot(*zip(*iters), lw=0.8, alpha=0.6, label="train (logged micro-batch)")
    if evals:
        its, tr, va = zip(*evals)
        ax.plot(its, tr, "o-", label="train (eval)")
        ax.plot(its, va, "o-", label="val (eval)")
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    ax.legend()
    fig.tight_layout()
    fig.savefig(png_path, dpi=120)
    print(f"wrote {png_path}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        cfg = configure(DEFAULTS, argv)
        train(cfg)
    except (ConfigError, TrainingError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2 if isinstance(e, ConfigError) else 1
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    distributed.split_host_cpu()  # the batch split over two CPU devices: see BENCHMARKS.md
    sys.exit(main())
