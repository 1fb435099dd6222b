"""Bigram language model on tiny Shakespeare in JAX (Flax NNX + Optax): each character predicts the next one.

The model is an nnx.Module like the torch one; training splits it once into a static graph and a
pytree of parameters, and a jitted pure function maps (parameters, optimizer state, batch) to new ones.
Run: python -m examples.bigram.jax_train [--steps N]
"""

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from examples._common import Clock, finish, parser
from examples.bigram.data import Config, batches, decode, load


class BigramLanguageModel(nnx.Module):
    def __init__(self, vocab_size, *, rngs: nnx.Rngs):
        # N(0, 1) as torch's nn.Embedding; Flax's default would scale by 1/sqrt(vocab_size).
        self.token_embedding_table = nnx.Embed(vocab_size, vocab_size, embedding_init=nnx.initializers.normal(1.0),
                                               rngs=rngs)

    def __call__(self, idx, targets=None):
        logits = self.token_embedding_table(idx)  # (B, T, vocab)
        if targets is None:
            return logits, None
        return logits, optax.softmax_cross_entropy_with_integer_labels(logits, targets).mean()


def make_optimizer(cfg):
    return optax.adamw(cfg.lr, weight_decay=cfg.weight_decay)  # optax's default decay is 1e-4, torch's 1e-2


def make_train_step(graphdef, tx):
    def loss_fn(params, xb, yb):
        return nnx.merge(graphdef, params)(xb, yb)[1]

    @partial(jax.jit, donate_argnums=(0, 1))
    def train_step(params, opt_state, xb, yb):
        loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb)
        updates, opt_state = tx.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    return train_step, jax.jit(loss_fn)


def train(model, tx, batch_iter, steps, clock=None):
    graphdef, params = nnx.split(model)  # once: the loop below sees only pytrees
    opt_state = tx.init(params)
    train_step, _ = make_train_step(graphdef, tx)
    losses = []  # device scalars: no host sync per step
    for i in range(steps):
        params, opt_state, loss = train_step(params, opt_state, *next(batch_iter))
        losses.append(loss)
        if clock:
            clock.step(i, loss)
    nnx.update(model, params)
    return np.asarray(jax.device_get(losses))  # one transfer after the loop


def evaluate(model, batch_iter, n):
    graphdef, params = nnx.split(model)
    eval_loss = jax.jit(lambda p, x, y: nnx.merge(graphdef, p)(x, y)[1])
    return float(jnp.stack([eval_loss(params, *next(batch_iter)) for _ in range(n)]).mean())


def generate(model, idx, max_new_tokens, key):
    @jax.jit
    def next_token(params, last, key):
        logits, _ = nnx.merge(graphdef, params)(last)
        return jax.random.categorical(key, logits[:, -1])[:, None]

    graphdef, params = nnx.split(model)
    tokens = [idx]  # a bigram needs only the last token: no growing array, so one compiled shape
    for _ in range(max_new_tokens):
        key, sub = jax.random.split(key)
        tokens.append(next_token(params, tokens[-1][:, -1:], sub))
    return jnp.concatenate(tokens, axis=1)


def int32(batch_iter):
    """The shared batches are int64 (what torch wants); JAX's default integer is 32-bit."""
    for x, y in batch_iter:
        yield x.astype(np.int32), y.astype(np.int32)


def main(argv=None):
    cfg = Config()
    args = parser(__doc__, cfg.steps).parse_args(argv)
    itos, data = load()
    model = BigramLanguageModel(len(itos), rngs=nnx.Rngs(args.seed))
    clock = Clock(jax.block_until_ready)
    batch_iter = int32(batches(data["train"], cfg.block_size, cfg.batch_size, args.seed))
    losses = train(model, make_optimizer(cfg), batch_iter, args.steps, clock)
    clock.stop(model.token_embedding_table.embedding[...])
    val_loss = evaluate(model, int32(batches(data["val"], cfg.block_size, cfg.batch_size, args.seed + 1)),
                        cfg.eval_batches)
    print(decode(generate(model, jnp.zeros((1, 1), jnp.int32), 200, jax.random.key(args.seed))[0].tolist(), itos))
    return finish(args, "jax", clock, losses, eval_loss=val_loss)


if __name__ == "__main__":
    main()
