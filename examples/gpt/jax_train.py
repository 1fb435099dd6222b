"""The same small GPT in JAX with no framework: no Flax, no Optax, only jax.numpy and jax's transforms.

Two small pieces replace the framework:
- a module system: a module object holds only its settings; `init(key)` returns its parameters as a
  pytree (nested dicts and lists of arrays) and `module(params, x)` applies it. Composite modules
  find their submodules among their attributes, so `init` is written once.
- AdamW as three pytree maps (the moments, then the update), the way torch.optim.AdamW computes it.
Run: python -m examples.gpt.jax_train [--steps N]
"""

import math
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import erf

from examples._common import Clock, finish, parser
from examples.gpt.data import Config, batches, decode, load


class Module:
    def submodules(self):
        """Attributes that are modules, or lists of modules, by name."""
        return {n: m for n, m in vars(self).items()
                if isinstance(m, Module) or (isinstance(m, list) and all(isinstance(x, Module) for x in m))}

    def init(self, key):
        subs = self.submodules()
        return {n: [x.init(k) for x, k in zip(m, jax.random.split(kn, len(m)))] if isinstance(m, list) else m.init(kn)
                for (n, m), kn in zip(subs.items(), jax.random.split(key, len(subs)))}

    def from_torch(self, state_dict, prefix=""):
        """Parameters from a torch state_dict with the same names (numpy arrays)."""
        return {n: [x.from_torch(state_dict, f"{prefix}{n}.{i}.") for i, x in enumerate(m)] if isinstance(m, list)
                else m.from_torch(state_dict, f"{prefix}{n}.") for n, m in self.submodules().items()}


class Linear(Module):
    def __init__(self, n_in, n_out, bias=True, std=0.02):
        self.shape, self.bias, self.std = (n_in, n_out), bias, std

    def init(self, key):
        p = {"weight": self.std * jax.random.normal(key, self.shape)}  # (in, out): x @ weight
        return p | {"bias": jnp.zeros(self.shape[1])} if self.bias else p

    def from_torch(self, sd, prefix):
        p = {"weight": jnp.asarray(sd[prefix + "weight"].T)}  # torch keeps (out, in)
        return p | {"bias": jnp.asarray(sd[prefix + "bias"])} if self.bias else p

    def __call__(self, p, x):
        # one 2-D (rows, in) matmul: XLA:CPU runs the backward of a 3-D x @ weight ~20% slower per step
        y = x.reshape(-1, x.shape[-1]) @ p["weight"]
        y = y + p["bias"] if self.bias else y
        return y.reshape(*x.shape[:-1], y.shape[-1])


class Embedding(Module):
    def __init__(self, n, dim):
        self.shape = (n, dim)

    def init(self, key):
        return {"weight": 0.02 * jax.random.normal(key, self.shape)}

    def from_torch(self, sd, prefix):
        return {"weight": jnp.asarray(sd[prefix + "weight"])}

    def __call__(self, p, idx):
        return p["weight"][idx]


class LayerNorm(Module):
    def __init__(self, dim, eps=1e-5):  # torch's eps (Flax's default is 1e-6)
        self.dim, self.eps = dim, eps

    def init(self, key):
        return {"weight": jnp.ones(self.dim), "bias": jnp.zeros(self.dim)}

    def from_torch(self, sd, prefix):
        return {k: jnp.asarray(sd[prefix + k]) for k in ("weight", "bias")}

    def __call__(self, p, x):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)  # biased, as torch's LayerNorm
        return (x - mean) / jnp.sqrt(var + self.eps) * p["weight"] + p["bias"]


def softmax(x):
    e = jnp.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def gelu(x):
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))  # exact, as torch's default (not the tanh approximation)


class CausalSelfAttention(Module):
    def __init__(self, cfg):
        self.n_head = cfg.n_head
        self.c_attn = Linear(cfg.n_embd, 3 * cfg.n_embd)
        self.c_proj = Linear(cfg.n_embd, cfg.n_embd, std=0.02 / math.sqrt(2 * cfg.n_layer))

    def __call__(self, p, x):
        B, T, C = x.shape
        q, k, v = jnp.split(self.c_attn(p["c_attn"], x), 3, axis=2)
        q, k, v = (t.reshape(B, T, self.n_head, C // self.n_head).transpose(0, 2, 1, 3) for t in (q, k, v))
        att = q @ k.transpose(0, 1, 3, 2) / math.sqrt(C // self.n_head)  # (B, nh, T, T)
        att = jnp.where(jnp.tril(jnp.ones((T, T), bool)), att, -jnp.inf)
        y = softmax(att) @ v  # (B, nh, T, hs)
        return self.c_proj(p["c_proj"], y.transpose(0, 2, 1, 3).reshape(B, T, C))


class MLP(Module):
    def __init__(self, cfg):
        self.c_fc = Linear(cfg.n_embd, 4 * cfg.n_embd)
        self.c_proj = Linear(4 * cfg.n_embd, cfg.n_embd, std=0.02 / math.sqrt(2 * cfg.n_layer))

    def __call__(self, p, x):
        return self.c_proj(p["c_proj"], gelu(self.c_fc(p["c_fc"], x)))


class Block(Module):
    def __init__(self, cfg):
        self.ln_1, self.attn = LayerNorm(cfg.n_embd), CausalSelfAttention(cfg)
        self.ln_2, self.mlp = LayerNorm(cfg.n_embd), MLP(cfg)

    def __call__(self, p, x):
        x = x + self.attn(p["attn"], self.ln_1(p["ln_1"], x))
        return x + self.mlp(p["mlp"], self.ln_2(p["ln_2"], x))


class GPT(Module):
    def __init__(self, cfg, vocab_size):
        self.wte = Embedding(vocab_size, cfg.n_embd)
        self.wpe = Embedding(cfg.block_size, cfg.n_embd)
        self.h = [Block(cfg) for _ in range(cfg.n_layer)]
        self.ln_f = LayerNorm(cfg.n_embd)
        self.lm_head = Linear(cfg.n_embd, vocab_size, bias=False)

    def __call__(self, p, idx):
        x = self.wte(p["wte"], idx) + self.wpe(p["wpe"], jnp.arange(idx.shape[1]))
        for block, pb in zip(self.h, p["h"]):
            x = block(pb, x)
        return self.lm_head(p["lm_head"], self.ln_f(p["ln_f"], x))


def cross_entropy(logits, targets):
    m = logits.max(-1, keepdims=True)
    logsumexp = (m + jnp.log(jnp.exp(logits - m).sum(-1, keepdims=True)))[..., 0]
    return (logsumexp - jnp.take_along_axis(logits, targets[..., None], axis=-1)[..., 0]).mean()


def adamw_init(params):
    zeros = lambda: jax.tree.map(jnp.zeros_like, params)  # two separate trees: both get donated
    return {"m": zeros(), "v": zeros(), "t": jnp.zeros((), jnp.int32)}


def adamw_update(params, grads, state, lr, weight_decay, b1=0.9, b2=0.999, eps=1e-8):
    t = state["t"] + 1
    m = jax.tree.map(lambda m, g: b1 * m + (1 - b1) * g, state["m"], grads)
    v = jax.tree.map(lambda v, g: b2 * v + (1 - b2) * g * g, state["v"], grads)
    step_size, bias2 = lr / (1 - b1**t), jnp.sqrt(1 - b2**t)
    params = jax.tree.map(lambda p, m, v: p * (1 - lr * weight_decay) - step_size * m / (jnp.sqrt(v) / bias2 + eps),
                          params, m, v)
    return params, {"m": m, "v": v, "t": t}


def make_train_step(model, cfg):
    def loss_fn(params, xb, yb):
        return cross_entropy(model(params, xb), yb)

    @partial(jax.jit, donate_argnums=(0, 1))
    def train_step(params, opt_state, xb, yb):
        loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb)
        params, opt_state = adamw_update(params, grads, opt_state, cfg.lr, cfg.weight_decay)
        return params, opt_state, loss

    return train_step, jax.jit(loss_fn)


def train(model, params, cfg, batch_iter, steps, clock=None):
    train_step, _ = make_train_step(model, cfg)
    opt_state = adamw_init(params)
    losses = []  # device scalars: no host sync per step
    for i in range(steps):
        params, opt_state, loss = train_step(params, opt_state, *next(batch_iter))
        losses.append(loss)
        if clock:
            clock.step(i, loss)
    return params, np.asarray(jax.device_get(losses))  # one transfer after the loop


def generate(model, params, idx, max_new_tokens, block_size, key):
    """Sampling with one compiled shape: the last block_size tokens sit left-aligned in a fixed buffer
    (causal attention never lets them see the padding after them) and we read the logits at the last one."""

    @jax.jit
    def next_token(params, window, last, key):
        return jax.random.categorical(key, model(params, window)[:, last])

    tokens = list(np.asarray(idx[0]))
    for _ in range(max_new_tokens):
        context = tokens[-block_size:]
        window = jnp.array([context + [0] * (block_size - len(context))])
        key, sub = jax.random.split(key)
        tokens.append(int(next_token(params, window, len(context) - 1, sub)[0]))
    return tokens


def int32(batch_iter):
    """The shared batches are int64 (what torch wants); JAX's default integer is 32-bit."""
    for x, y in batch_iter:
        yield x.astype(np.int32), y.astype(np.int32)


def main(argv=None):
    cfg = Config()
    args = parser(__doc__, cfg.steps).parse_args(argv)
    itos, data = load()
    model = GPT(cfg, len(itos))
    params = model.init(jax.random.key(args.seed))
    clock = Clock(jax.block_until_ready)
    params, losses = train(model, params, cfg, int32(batches(data["train"], cfg.block_size, cfg.batch_size, args.seed)),
                           args.steps, clock)
    clock.stop(params)
    _, eval_loss = make_train_step(model, cfg)
    val = int32(batches(data["val"], cfg.block_size, cfg.batch_size, args.seed + 1))
    val_loss = float(np.mean([eval_loss(params, *next(val)) for _ in range(cfg.eval_batches)]))
    tokens = generate(model, params, np.zeros((1, 1), np.int32), 200, cfg.block_size, jax.random.key(args.seed))
    print(decode(tokens, itos))
    return finish(args, "jax", clock, losses, eval_loss=val_loss)


if __name__ == "__main__":
    main()
