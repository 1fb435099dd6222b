"""The same small GPT in JAX with Flax NNX and Optax: the framework version of jax_train.py.

Modules and names follow torch_train.py one to one; Flax's defaults that differ from torch's are set
explicitly (LayerNorm epsilon, exact GELU, initialisers, AdamW's weight decay). Training splits the
model once into a static graph and a parameter pytree and jits one pure step.
Run: python -m examples.gpt.nnx_train [--steps N]
"""

import math
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from examples._common import Clock, finish, parser
from examples.gpt.data import Config, batches, decode, load

normal = nnx.initializers.normal


def linear(n_in, n_out, rngs, std=0.02, use_bias=True):
    return nnx.Linear(n_in, n_out, use_bias=use_bias, kernel_init=normal(std), rngs=rngs)


def dense(layer, x):
    """layer on (B, T, C) as one 2-D (B*T, C) matmul: XLA:CPU runs the backward of a 3-D one slower."""
    return layer(x.reshape(-1, x.shape[-1])).reshape(*x.shape[:-1], -1)


def layer_norm(dim, rngs):
    return nnx.LayerNorm(dim, epsilon=1e-5, rngs=rngs)  # torch's eps; Flax's default is 1e-6


class CausalSelfAttention(nnx.Module):
    def __init__(self, cfg, *, rngs: nnx.Rngs):
        self.n_head = cfg.n_head
        self.c_attn = linear(cfg.n_embd, 3 * cfg.n_embd, rngs)
        self.c_proj = linear(cfg.n_embd, cfg.n_embd, rngs, std=0.02 / math.sqrt(2 * cfg.n_layer))

    def __call__(self, x):
        B, T, C = x.shape
        q, k, v = jnp.split(dense(self.c_attn, x), 3, axis=2)
        q, k, v = (t.reshape(B, T, self.n_head, C // self.n_head) for t in (q, k, v))  # (B, T, nh, hs): heads third
        y = jax.nn.dot_product_attention(q, k, v, is_causal=True)
        return dense(self.c_proj, y.reshape(B, T, C))


class MLP(nnx.Module):
    def __init__(self, cfg, *, rngs: nnx.Rngs):
        self.c_fc = linear(cfg.n_embd, 4 * cfg.n_embd, rngs)
        self.c_proj = linear(4 * cfg.n_embd, cfg.n_embd, rngs, std=0.02 / math.sqrt(2 * cfg.n_layer))

    def __call__(self, x):
        h = nnx.gelu(dense(self.c_fc, x), approximate=False)  # Flax's default is the tanh approximation
        return dense(self.c_proj, h)


class Block(nnx.Module):
    def __init__(self, cfg, *, rngs: nnx.Rngs):
        self.ln_1 = layer_norm(cfg.n_embd, rngs)
        self.attn = CausalSelfAttention(cfg, rngs=rngs)
        self.ln_2 = layer_norm(cfg.n_embd, rngs)
        self.mlp = MLP(cfg, rngs=rngs)

    def __call__(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nnx.Module):
    def __init__(self, cfg, vocab_size, *, rngs: nnx.Rngs):
        self.wte = nnx.Embed(vocab_size, cfg.n_embd, embedding_init=normal(0.02), rngs=rngs)
        self.wpe = nnx.Embed(cfg.block_size, cfg.n_embd, embedding_init=normal(0.02), rngs=rngs)
        self.h = nnx.List([Block(cfg, rngs=rngs) for _ in range(cfg.n_layer)])
        self.ln_f = layer_norm(cfg.n_embd, rngs)
        self.lm_head = linear(cfg.n_embd, vocab_size, rngs, use_bias=False)

    def __call__(self, idx):
        x = self.wte(idx) + self.wpe(jnp.arange(idx.shape[1]))
        for block in self.h:
            x = block(x)
        return dense(self.lm_head, self.ln_f(x))


def loss_fn(model, xb, yb):
    return optax.softmax_cross_entropy_with_integer_labels(model(xb), yb).mean()


def make_optimizer(cfg):
    return optax.adamw(cfg.lr, weight_decay=cfg.weight_decay)  # optax's default decay is 1e-4, torch's 1e-2


def make_train_step(graphdef, tx):
    @partial(jax.jit, donate_argnums=(0, 1))
    def train_step(params, opt_state, xb, yb):
        loss, grads = jax.value_and_grad(lambda p: loss_fn(nnx.merge(graphdef, p), xb, yb))(params)
        updates, opt_state = tx.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    return train_step


def train(model, tx, batch_iter, steps, clock=None):
    graphdef, params = nnx.split(model)  # once: the loop below sees only pytrees
    opt_state = tx.init(params)
    train_step = make_train_step(graphdef, tx)
    losses = []  # device scalars: no host sync per step
    for i in range(steps):
        params, opt_state, loss = train_step(params, opt_state, *next(batch_iter))
        losses.append(loss)
        if clock:
            clock.step(i, loss)
    nnx.update(model, params)
    return np.asarray(jax.device_get(losses))  # one transfer after the loop


def load_torch_weights(model, state_dict):
    """Copy a torch state_dict (names -> numpy arrays) into the model: Linear weights are (out, in) in
    torch and (in, out) in Flax; Embedding.weight is Embed.embedding, LayerNorm.weight is LayerNorm.scale."""
    for name, value in state_dict.items():
        *path, leaf = name.split(".")
        module = model
        for part in path:
            module = module[int(part)] if part.isdigit() else getattr(module, part)
        if isinstance(module, nnx.Embed):
            module.embedding[...] = value
        elif isinstance(module, nnx.LayerNorm):
            getattr(module, {"weight": "scale", "bias": "bias"}[leaf])[...] = value
        else:
            getattr(module, {"weight": "kernel", "bias": "bias"}[leaf])[...] = value.T if leaf == "weight" else value


def generate(model, idx, max_new_tokens, block_size, key):
    """Sampling with one compiled shape: the last block_size tokens sit left-aligned in a fixed buffer
    (causal attention never lets them see the padding after them) and we read the logits at the last one."""
    graphdef, params = nnx.split(model)

    @jax.jit
    def next_token(params, window, last, key):
        return jax.random.categorical(key, nnx.merge(graphdef, params)(window)[:, last])

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
    model = GPT(cfg, len(itos), rngs=nnx.Rngs(args.seed))
    clock = Clock(jax.block_until_ready)
    losses = train(model, make_optimizer(cfg), int32(batches(data["train"], cfg.block_size, cfg.batch_size, args.seed)),
                   args.steps, clock)
    clock.stop(nnx.state(model))
    eval_loss = nnx.jit(loss_fn)
    val = int32(batches(data["val"], cfg.block_size, cfg.batch_size, args.seed + 1))
    val_loss = float(np.mean([eval_loss(model, *next(val)) for _ in range(cfg.eval_batches)]))
    print(decode(generate(model, np.zeros((1, 1), np.int32), 200, cfg.block_size, jax.random.key(args.seed)), itos))
    return finish(args, "jax-nnx", clock, losses, eval_loss=val_loss)


if __name__ == "__main__":
    main()
