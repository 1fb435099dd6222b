"""The jit lesson: one JAX training step, run four ways, each measured.

- nojit:    every jnp operation dispatched one by one from Python, as PyTorch eager does;
- jit_step: the step (loss, gradient, Adam update) compiled into one XLA call; batches cut in numpy;
- jit_body: the whole loop body compiled, data handling included: the batch indices are drawn with
            jax.random and the batch gathered on the device, so the host only passes a key along;
- scan:     cfg.scan_length loop bodies per compiled call with jax.lax.scan (the Python loop leaves).
The model is the digits MLP written as pure functions on a dict of arrays, with optax.adam.
Run: python -m examples.jit_lesson.jax_train --mode {nojit,jit_step,jit_body,scan} [--steps N]
"""

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax

from examples._common import Clock, finish, parser
from examples.jit_lesson.data import Config, batches, load

MODES = ("nojit", "jit_step", "jit_body", "scan")


def init_params(key, n_in, hidden, n_out=10):
    """torch.nn.Linear's initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases."""
    ks = jax.random.split(key, 4)
    u = lambda k, shape, fan_in: jax.random.uniform(k, shape, minval=-1, maxval=1) / fan_in**0.5
    return {"W1": u(ks[0], (n_in, hidden), n_in), "b1": u(ks[1], (hidden,), n_in),
            "W2": u(ks[2], (hidden, n_out), hidden), "b2": u(ks[3], (n_out,), hidden)}


def forward(params, x):
    h = jax.nn.relu(x.reshape(x.shape[0], -1) @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def loss_fn(params, x, y):
    return optax.softmax_cross_entropy_with_integer_labels(forward(params, x), y).mean()


def make_step(tx):
    def step(params, opt_state, x, y):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        updates, opt_state = tx.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    return step


def draw_indices(key, n, batch_size):
    key, sub = jax.random.split(key)
    return key, jax.random.randint(sub, (batch_size,), 0, n)


def make_body(step, batch_size):
    """One loop iteration with its data handling: draw indices, gather the batch, take the step."""

    def body(params, opt_state, key, X, Y):
        key, ix = draw_indices(key, X.shape[0], batch_size)
        params, opt_state, loss = step(params, opt_state, X[ix], Y[ix])
        return params, opt_state, key, loss

    return body


def train_host_batches(step, params, opt_state, X, Y, indices, steps, clock=None):
    """nojit and jit_step: numpy cuts each batch on the host, the step gets arrays."""
    losses = []
    for i in range(steps):
        ix = next(indices)
        params, opt_state, loss = step(params, opt_state, X[ix], Y[ix])
        losses.append(loss)
        if clock:
            clock.step(i, loss)
    return params, np.asarray(jax.device_get(losses))


def train_device_batches(body, params, opt_state, X, Y, key, steps, clock=None):
    """jit_body (or the same body eagerly): the host loop only carries the key."""
    X, Y = jnp.asarray(X), jnp.asarray(Y)  # on the device once
    losses = []
    for i in range(steps):
        params, opt_state, key, loss = body(params, opt_state, key, X, Y)
        losses.append(loss)
        if clock:
            clock.step(i, loss)
    return params, np.asarray(jax.device_get(losses))


def train_scan(body, params, opt_state, X, Y, key, steps, length, clock=None):
    """scan: `length` bodies per call; a shorter last chunk compiles once more."""

    @partial(jax.jit, static_argnums=5, donate_argnums=(0, 1))
    def run(params, opt_state, key, X, Y, n):
        def scan_body(carry, _):
            params, opt_state, key, loss = body(*carry, X, Y)
            return (params, opt_state, key), loss

        (params, opt_state, key), losses = jax.lax.scan(scan_body, (params, opt_state, key), length=n)
        return params, opt_state, key, losses

    X, Y = jnp.asarray(X), jnp.asarray(Y)
    losses, done = [], 0
    while done < steps:
        n = min(length, steps - done)
        params, opt_state, key, chunk = run(params, opt_state, key, X, Y, n)
        losses.append(chunk)
        if clock:
            clock.step(done, chunk, n)
        done += n
    return params, np.concatenate(jax.device_get(losses))


def run_mode(mode, params, X, Y, cfg, seed, steps, clock=None, indices=None):
    """Train `steps` steps in one of MODES; nojit and jit_step take numpy batch `indices` (default: seeded)."""
    indices = indices or batches(len(X), cfg.batch_size, seed)
    tx = optax.adam(cfg.lr)
    opt_state = tx.init(params)
    step = make_step(tx)
    if mode == "nojit":
        return train_host_batches(step, params, opt_state, X, Y, indices, steps, clock)
    if mode == "jit_step":
        jstep = jax.jit(step, donate_argnums=(0, 1))
        return train_host_batches(jstep, params, opt_state, X, Y, indices, steps, clock)
    body = make_body(step, cfg.batch_size)
    if mode == "jit_body":
        jbody = jax.jit(body, donate_argnums=(0, 1))
        return train_device_batches(jbody, params, opt_state, X, Y, jax.random.key(seed), steps, clock)
    if mode == "scan":
        return train_scan(body, params, opt_state, X, Y, jax.random.key(seed), steps, cfg.scan_length, clock)
    raise ValueError(f"mode must be one of {MODES}, not {mode!r}")


def main(argv=None):
    cfg = Config()
    p = parser(__doc__, cfg.steps)
    p.add_argument("--mode", choices=MODES, default="jit_step")
    args = p.parse_args(argv)
    data = load()
    X, Y = data["train"][0], data["train"][1].astype(np.int32)  # JAX's default integer is 32-bit
    params = init_params(jax.random.key(args.seed), X.shape[1] * X.shape[2], cfg.hidden)
    clock = Clock(jax.block_until_ready)
    params, losses = run_mode(args.mode, params, X, Y, cfg, args.seed, args.steps, clock)
    clock.stop(params)
    Xt, Yt = data["test"]
    logits = jax.jit(forward)(params, Xt)
    test_loss = float(loss_fn(params, Xt, Yt.astype(np.int32)))
    accuracy = float((np.asarray(logits).argmax(1) == Yt).mean())
    return finish(args, f"jax {args.mode}", clock, losses, eval_loss=test_loss, accuracy=accuracy)


if __name__ == "__main__":
    main()
