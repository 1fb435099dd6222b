"""Sample from a trained model like nanoGPT's sample.py: same keys, config files and overrides.

    python -m nanogpt_jax.sample --out_dir=out-shakespeare-char --start="ROMEO:" --num_samples=3

init_from='resume' reads out_dir's Orbax checkpoint, or a PyTorch nanoGPT ckpt.pt there; 'gpt2*' reads a
local Hugging Face directory. --start is text, or FILE:path to read the prompt from a file. Characters
are encoded with data/<dataset>/meta.pkl from the checkpoint's config; GPT-2 models need tiktoken.
"""

import pickle
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
from flax import nnx

from nanogpt_jax import convert
from nanogpt_jax.checkpoint import Checkpointer
from nanogpt_jax.configurator import ConfigError, configure
from nanogpt_jax.model import GPT, GPTConfig, generate
from nanogpt_jax.train import TrainingError, find_gpt2, pick_devices

DEFAULTS = dict(
    init_from="resume",  # 'resume' (from out_dir) or a GPT-2 variant, e.g. 'gpt2-xl'
    out_dir="out",
    start="\n",  # or "<|endoftext|>" or similar; or "FILE:prompt.txt"
    num_samples=10,
    max_new_tokens=500,
    temperature=0.8,  # 1.0 = no change, < 1.0 = less random, > 1.0 = more random
    top_k=200,  # keep only the top_k most likely tokens
    seed=1337,
    device="cuda",
    dtype="",  # "": bfloat16 on an accelerator, float32 on a CPU
    compile=False,
    data_dir="",  # not in nanoGPT: where meta.pkl is (default data/<dataset>)
    hf_dir="",  # not in nanoGPT: local Hugging Face directory for init_from=gpt2*
)


def load_model(cfg, dtype):
    """(model, training config or {}) for init_from."""
    if cfg["init_from"] == "resume":
        out_dir = Path(cfg["out_dir"])
        ckpt = Checkpointer(out_dir)
        if ckpt.exists():
            meta = ckpt.meta()
            model = GPT(GPTConfig(**{**meta["model_args"], "dtype": dtype}), rngs=nnx.Rngs(0))
            graphdef, params = nnx.split(model)
            params, _ = ckpt.restore_params(params)
            return nnx.merge(graphdef, params), meta.get("config", {})
        if (out_dir / "ckpt.pt").exists():
            model, torch_ckpt = convert.from_torch_checkpoint(out_dir / "ckpt.pt", dtype=dtype)
            return model, torch_ckpt.get("config", {})
        raise TrainingError(f"no checkpoint in {out_dir} (neither orbax/ nor ckpt.pt)")
    if cfg["init_from"].startswith("gpt2"):
        return convert.from_hf_gpt2(find_gpt2(cfg), dtype=dtype), {}
    raise ConfigError(f"init_from must be 'resume' or 'gpt2*', got {cfg['init_from']!r}")


def codec(cfg, train_config):
    data_dir = Path(cfg["data_dir"] or train_config.get("data_dir") or
                    Path("data") / train_config.get("dataset", "__none__"))
    if (data_dir / "meta.pkl").exists():
        print(f"Loading meta from {data_dir / 'meta.pkl'}...")
        with open(data_dir / "meta.pkl", "rb") as f:
            meta = pickle.load(f)
        stoi, itos = meta["stoi"], meta["itos"]
        return (lambda s: [stoi[c] for c in s]), (lambda ids: "".join(itos[i] for i in ids))
    try:
        import tiktoken
    except ImportError as e:
        raise TrainingError(f"no meta.pkl in {data_dir} and tiktoken is not installed: GPT-2 token ids need "
                            "`pip install tiktoken`, or pass --data_dir to a character-level meta.pkl") from e
    print("No meta.pkl found, assuming GPT-2 encodings...")
    enc = tiktoken.get_encoding("gpt2")
    return (lambda s: enc.encode(s, allowed_special={"<|endoftext|>"})), enc.decode


def sample(cfg) -> list[str]:
    _, dtype = pick_devices(cfg["device"], cfg["dtype"])
    model, train_config = load_model(cfg, dtype)
    encode, decode = codec(cfg, train_config)
    start = cfg["start"]
    if start.startswith("FILE:"):
        start = Path(start[5:]).read_text(encoding="utf-8")
    x = jnp.asarray([encode(start)], dtype=jnp.int32)
    key = jax.random.key(cfg["seed"])
    texts = []
    for _ in range(cfg["num_samples"]):
        key, sub = jax.random.split(key)
        y = generate(model, x, cfg["max_new_tokens"], cfg["temperature"], cfg["top_k"], key=sub)
        texts.append(decode(y[0].tolist()))
        print(texts[-1])
        print("---------------")
    return texts


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        sample(configure(DEFAULTS, argv))
    except (ConfigError, TrainingError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2 if isinstance(e, ConfigError) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
