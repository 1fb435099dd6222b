"""The port and the PyTorch reference (torch.compile, bfloat16 autocast) on one GPU: ms/iter, tokens/s, MFU.

    bash nanogpt_jax/gpu_bench.sh                          # everything, then one summary table
    python -m nanogpt_jax.gpu_bench jax shakespeare        # one run: prints a RESULT {json} line
    python -m nanogpt_jax.gpu_bench torch gpt2 --max_iters=100
    python -m nanogpt_jax.gpu_bench summary OUT/*.log      # the table from the runs' output

Workloads: ``shakespeare`` is nanoGPT's config/train_shakespeare_char.py (6 layers, 6 heads, 384 wide,
context 256, batch 64, 5000 iterations, dropout 0.2), trained to its best val loss (nanoGPT: 1.4697 on
an A100); ``gpt2`` is the GPT-2 124M shape (12 x 12 x 768, context 1024, vocab 50304, batch 12) for a
few hundred steps on synthetic tokens, for throughput. Both frameworks read the same configuration,
the same data files and the same nanoGPT loop; ms/iter is the median over log intervals (compilation
and evaluations excluded by the median), MFU is nanoGPT's estimate_mfu at that speed against
flops_promised (detected for A100 / H100 / H200, else the value given). ``--tiny`` shrinks everything
to a few steps of a tiny model on the CPU, to test the script without a GPU.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import numpy as np

from nanogpt_jax.configurator import configure

# bfloat16 dense peak per GPU (the vendor's figure without sparsity), by device-name fragment
PEAK_FLOPS = {"H200": 989e12, "H100": 989e12, "A100": 312e12, "L4": 121e12, "A10": 125e12}

WORKLOADS = {
    "shakespeare": ["train_shakespeare_char.py"],
    "gpt2": ["--dataset=synthetic", "--n_layer=12", "--n_head=12", "--n_embd=768", "--block_size=1024",
             "--batch_size=12", "--gradient_accumulation_steps=1", "--dropout=0.0", "--learning_rate=6e-4",
             "--max_iters=300", "--lr_decay_iters=300", "--warmup_iters=30", "--min_lr=6e-5", "--beta2=0.95",
             "--eval_interval=100000", "--eval_iters=2", "--log_interval=10"],
}
GPU = ["--device=cuda", "--dtype=bfloat16", "--compile=True"]
TINY = ["--device=cpu", "--dtype=float32", "--compile=False", "--n_layer=1", "--n_head=2", "--n_embd=32",
        "--block_size=32", "--batch_size=4", "--max_iters=6", "--lr_decay_iters=6", "--warmup_iters=2",
        "--eval_interval=3", "--eval_iters=2", "--log_interval=2"]


def config(workload: str, argv: list[str], tiny: bool) -> dict:
    from nanogpt_jax import train

    cfg = configure(train.DEFAULTS, WORKLOADS[workload] + (TINY if tiny else GPU) + argv)
    return dict(cfg, plot=False, always_save_checkpoint=False)


def synthetic_data(directory: Path, vocab: int = 50257, n: int = 2_000_000, seed: int = 0) -> Path:
    """Random GPT-2 token ids as train.bin / val.bin (no meta.pkl: vocab 50304, as nanoGPT pads it)."""
    directory.mkdir(parents=True, exist_ok=True)
    g = np.random.default_rng(seed)
    for split, size in (("train", n), ("val", n // 10)):
        g.integers(0, vocab, size, dtype=np.uint16).tofile(directory / f"{split}.bin")
    return directory


def flops_promised(name: str, given: float) -> float:
    return next((v for k, v in PEAK_FLOPS.items() if k in name), given)


def summarise(framework, workload, cfg, dts, best_val, device, n_params, flops_per_iter) -> dict:
    dt = statistics.median(dts)
    peak = flops_promised(device, cfg["flops_promised"])
    tokens = cfg["batch_size"] * cfg["gradient_accumulation_steps"] * cfg["block_size"]
    return dict(framework=framework, workload=workload, device=device, ms_per_iter=1000 * dt,
                tokens_per_s=tokens / dt, mfu=flops_per_iter / dt / peak, flops_promised=peak,
                best_val=best_val, iters=cfg["max_iters"], params=n_params)


def flops_per_iter(cfg: dict, n_params: int) -> float:
    """nanoGPT's estimate_mfu numerator: 6N + 12 L H Q T flops per token, times tokens per iteration."""
    L, H, Q, T = cfg["n_layer"], cfg["n_head"], cfg["n_embd"] // cfg["n_head"], cfg["block_size"]
    return (6 * n_params + 12 * L * H * Q * T) * T * cfg["batch_size"] * cfg["gradient_accumulation_steps"]


def run_jax(workload: str, cfg: dict) -> dict:
    import csv

    import jax

    from nanogpt_jax import train

    (Path(cfg["out_dir"]) / "log.csv").unlink(missing_ok=True)  # the trainer appends: start afresh
    history = train.train(cfg)
    with open(Path(cfg["out_dir"]) / "log.csv") as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] == "iter"]
    dts = [float(r["ms_per_iter"]) / 1000 for r in rows[1:]]  # the first interval holds the compilation
    vals = [v for _, v in history["evals"].values()]
    n_params = sum(x.size for x in jax.tree.leaves(history["params"])) - cfg["block_size"] * cfg["n_embd"]
    device = jax.devices()[0].device_kind
    return summarise("jax", workload, cfg, dts, min(vals), device, n_params, flops_per_iter(cfg, n_params))


def run_torch(workload: str, cfg: dict) -> dict:
    """nanoGPT's train.py loop on the reference model: torch.compile, bfloat16 autocast, fused AdamW."""
    import torch

    from nanogpt_jax import torch_ref, train

    torch.manual_seed(cfg["seed"])
    device = "cuda" if cfg["device"].startswith("cuda") and torch.cuda.is_available() else "cpu"
    torch.backends.cuda.matmul.allow_tf32 = True  # as nanoGPT's train.py
    torch.backends.cudnn.allow_tf32 = True
    data_dir = train.data_dir_of(cfg)
    vocab = 65 if (data_dir / "meta.pkl").exists() else 50304
    arch = {k: cfg[k] for k in ("n_layer", "n_head", "n_embd", "block_size", "bias", "dropout")}
    model = torch_ref.GPT(torch_ref.GPTConfig(**arch, vocab_size=vocab)).to(device)
    optimizer = model.configure_optimizers(cfg["weight_decay"], cfg["learning_rate"], (cfg["beta1"], cfg["beta2"]),
                                           device)
    step_model = torch.compile(model) if cfg["compile"] else model
    bf16 = cfg["dtype"] in ("bfloat16", "") and device == "cuda"
    autocast = torch.autocast(device, dtype=torch.bfloat16) if bf16 else nullcontext()
    data = {s: np.memmap(data_dir / f"{s}.bin", dtype=np.uint16, mode="r") for s in ("train", "val")}
    T, B, gas = cfg["block_size"], cfg["batch_size"], cfg["gradient_accumulation_steps"]

    def get_batch(split):
        ix = torch.randint(len(data[split]) - T, (B,))
        x = torch.stack([torch.from_numpy(data[split][i:i + T].astype(np.int64)) for i in ix])
        y = torch.stack([torch.from_numpy(data[split][i + 1:i + 1 + T].astype(np.int64)) for i in ix])
        if device == "cuda":
            return x.pin_memory().to(device, non_blocking=True), y.pin_memory().to(device, non_blocking=True)
        return x, y

    @torch.no_grad()
    def estimate_val():
        model.eval()
        losses = []
        for _ in range(cfg["eval_iters"]):
            with autocast:
                losses.append(step_model(*get_batch("val"))[1].item())
        model.train()
        return float(np.mean(losses))

    vals, dts = [], []
    x, y = get_batch("train")
    t_last = time.perf_counter()
    for it in range(cfg["max_iters"] + 1):
        if it % cfg["eval_interval"] == 0:
            vals.append(estimate_val())
            print(f"step {it}: val loss {vals[-1]:.4f}", flush=True)
        for group in optimizer.param_groups:
            group["lr"] = train.lr_at(cfg, it)
        for _ in range(gas):
            with autocast:
                _, loss = step_model(x, y)
            x, y = get_batch("train")  # prefetch while the GPU works, as nanoGPT
            (loss / gas).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg["grad_clip"])
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if it % cfg["log_interval"] == 0 and it > 0:
            lossf = loss.item()  # the host sync, once per log interval
            now = time.perf_counter()
            dts.append((now - t_last) / cfg["log_interval"])
            t_last = now
            print(f"iter {it}: loss {lossf:.4f}, time {1000 * dts[-1]:.2f}ms", flush=True)
    n_params = model.get_num_params()
    name = torch.cuda.get_device_name() if device == "cuda" else "cpu"
    return summarise("torch", workload, cfg, dts[1:] or dts, min(vals), name, n_params, flops_per_iter(cfg, n_params))


def table(results: list[dict]) -> str:
    """The summary as a Markdown table, with the shakespeare target checked on a GPU run."""
    lines = ["| framework | workload | device | ms/iter | tokens/s | MFU | best val | iters |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in sorted(results, key=lambda r: (r["workload"], r["framework"])):
        lines.append(f"| {r['framework']} | {r['workload']} | {r['device']} | {r['ms_per_iter']:.2f} | "
                     f"{r['tokens_per_s']:,.0f} | {100 * r['mfu']:.1f}% | {r['best_val']:.4f} | {r['iters']} |")
    for r in results:
        if r["workload"] == "shakespeare" and r["iters"] >= 5000:
            verdict = "meets" if r["best_val"] <= 1.47 else "MISSES"
            lines.append(f"\n{r['framework']}: best val {r['best_val']:.4f} {verdict} the target 1.47 (nanoGPT 1.4697)")
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["summary"]:
        results = [json.loads(line.split("RESULT", 1)[1]) for path in argv[1:]
                   for line in Path(path).read_text().splitlines() if line.startswith("RESULT")]
        print(table(results))
        return 0
    framework, workload, *rest = argv
    tiny = "--tiny" in rest
    rest = [a for a in rest if a != "--tiny"]
    cfg = config(workload, rest, tiny)
    if cfg["out_dir"] == "out":
        cfg["out_dir"] = tempfile.mkdtemp(prefix=f"gpu-bench-{framework}-{workload}-")
    if workload == "gpt2" and cfg["dataset"] == "synthetic" and not cfg["data_dir"]:
        cfg["data_dir"] = str(synthetic_data(Path(cfg["out_dir"]) / "data", n=200_000 if tiny else 2_000_000))
    result = (run_jax if framework == "jax" else run_torch)(workload, cfg)
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.exit(main())
