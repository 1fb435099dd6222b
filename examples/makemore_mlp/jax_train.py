"""makemore MLP in JAX: predict the next character of a name from the three before it.

The same model as torch_train.py, written as pure functions on a dict of arrays: `forward` and
`loss_fn` are plain functions, and one jitted `train_step` takes the parameters and returns new ones
(no in-place update, no .grad fields).
Run: python -m examples.makemore_mlp.jax_train [--steps N]
"""

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax

from examples._common import Clock, finish, parser
from examples.makemore_mlp.data import Config, batches, learning_rate, load, plot_embedding


def init_params(vocab_size, cfg, key):
    kC, k1, kb, k2 = jax.random.split(key, 4)
    fan_in = cfg.n_embd * cfg.block_size
    return {
        "C": jax.random.normal(kC, (vocab_size, cfg.n_embd)),
        "W1": jax.random.normal(k1, (fan_in, cfg.n_hidden)) * (5 / 3) / fan_in**0.5,  # Kaiming gain for tanh
        "b1": jax.random.normal(kb, (cfg.n_hidden,)) * 0.01,
        "W2": jax.random.normal(k2, (cfg.n_hidden, vocab_size)) * 0.01,  # small logits: a calm first loss
        "b2": jnp.zeros(vocab_size),
    }


def forward(params, X):
    emb = params["C"][X]  # (B, block_size, n_embd)
    h = jnp.tanh(emb.reshape(emb.shape[0], -1) @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def loss_fn(params, X, Y):
    return optax.softmax_cross_entropy_with_integer_labels(forward(params, X), Y).mean()


@partial(jax.jit, donate_argnums=0)  # the old parameters' buffers are reused for the new ones
def train_step(params, X, Y, lr):
    loss, grads = jax.value_and_grad(loss_fn)(params, X, Y)
    return jax.tree.map(lambda p, g: p - lr * g, params, grads), loss


def train(params, X, Y, indices, steps, clock=None):
    losses = []  # device scalars: reading each one would make the host wait for every step
    for i in range(steps):
        ix = next(indices)  # numpy, on the host, while the previous step still runs
        params, loss = train_step(params, X[ix], Y[ix], learning_rate(i, steps))
        losses.append(loss)
        if clock:
            clock.step(i, loss)
    return params, np.asarray(jax.device_get(losses))  # one transfer after the loop


@jax.jit
def next_char(params, context, key):
    return jax.random.categorical(key, forward(params, context[None])[0])


def sample(params, itos, block_size, n, seed):
    key = jax.random.key(seed)
    names = []
    for _ in range(n):
        context, out = [0] * block_size, []
        while True:
            key, sub = jax.random.split(key)
            ix = int(next_char(params, jnp.array(context), sub))
            if ix == 0:
                break
            context = context[1:] + [ix]
            out.append(itos[ix])
        names.append("".join(out))
    return names


def main(argv=None):
    cfg = Config()
    p = parser(__doc__, cfg.steps)
    p.add_argument("--plot", default="makemore_embedding_jax.png", help="PNG of the 2-D embeddings ('' to skip)")
    args = p.parse_args(argv)
    itos, splits = load()
    X, Y = (a.astype(np.int32) for a in splits["train"])  # JAX's default integer is 32-bit
    params = init_params(len(itos), cfg, jax.random.key(args.seed))
    clock = Clock(jax.block_until_ready)
    params, losses = train(params, X, Y, batches(len(X), cfg.batch_size, args.seed), args.steps, clock)
    clock.stop(params)
    dev_loss = float(jax.jit(loss_fn)(params, *splits["dev"]))
    test_loss = float(jax.jit(loss_fn)(params, *splits["test"]))
    print("samples:", " ".join(sample(params, itos, cfg.block_size, 10, args.seed)))
    if args.plot:
        plot_embedding(np.asarray(params["C"]), itos, args.plot, "makemore MLP embeddings (JAX)")
    return finish(args, "jax", clock, losses, eval_loss=dev_loss, test_loss=test_loss)


if __name__ == "__main__":
    main()
