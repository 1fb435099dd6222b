"""Pure training and evaluation steps: the NNX graph is split once and jax.jit compiles plain functions.

``train_step(params, opt_state, xs, ys, lr, key)`` is one nanoGPT iteration: xs/ys hold the
gradient_accumulation_steps micro-batches ``(gas, B, T)``; the gradients of ``loss / gas`` are summed
(gradients are accumulated, not updates), clipped like ``torch.nn.utils.clip_grad_norm_``, and one
AdamW update is applied with the host-computed learning rate. A non-finite loss leaves the parameters
and optimizer state unchanged and is reported in ``metrics["finite"]`` for the host to stop on.
With ``sharding`` (array -> jax.sharding.Sharding, see distributed.state_sharding) the gradients, new
parameters and optimizer state are constrained to it, so FSDP state stays split from step to step.
With ``mesh`` (CPU devices, replicated state, no dropout) each device computes its rows' gradients and
one all-reduce of a flat buffer sums them: one meeting of the device threads per step, where the
partitioned step meets once per parameter.
"""

import jax
import jax.numpy as jnp
import optax
from flax import nnx
from jax.flatten_util import ravel_pytree
from jax.sharding import PartitionSpec as P

from nanogpt_jax.model import IGNORE_INDEX, nll_sum


def clip_grad_norm(grads, max_norm):
    """torch.nn.utils.clip_grad_norm_: scale by min(max_norm / (norm + 1e-6), 1). optax.clip_by_global_norm
    has no 1e-6 term; the port keeps torch's so clipped updates match."""
    norm = optax.tree.norm(grads)
    coef = jnp.minimum(max_norm / (norm + 1e-6), 1.0)
    return jax.tree.map(lambda g: g * coef.astype(g.dtype), grads), norm


def make_loss_fn(graphdef):
    def loss_fn(params, x, y, key=None):
        _, loss = nnx.merge(graphdef, params)(x, y, key=key)
        return loss

    return loss_fn


UNROLL = 4  # up to this many micro-batches are unrolled; more run in a lax.scan (compile time stays flat)


def accumulate(grad_fn, params, xs, ys, keys):
    """(summed gradients, stacked auxiliary values) of grad_fn over the micro-batches xs[i], ys[i], keys[i]."""
    gas = xs.shape[0]
    if gas <= UNROLL:  # straight-line code: no while loop, no zero-filled accumulators to copy
        grads, aux = None, []
        for i in range(gas):
            a, g = grad_fn(params, xs[i], ys[i], keys[i], i)
            grads = g if grads is None else jax.tree.map(jnp.add, grads, g)
            aux.append(a)
        return grads, jnp.stack(aux)

    def micro_step(acc, batch):
        a, g = grad_fn(params, *batch)
        return jax.tree.map(jnp.add, acc, g), a

    zeros = jax.tree.map(jnp.zeros_like, params)
    return jax.lax.scan(micro_step, zeros, (xs, ys, keys, jnp.arange(gas)))


def uses_dropout(graphdef, params) -> bool:
    """Whether any Dropout layer of the model has a non-zero rate (the random masks depend on the batch shape)."""
    return any(isinstance(m, nnx.Dropout) and m.rate > 0 for _, m in nnx.iter_modules(nnx.merge(graphdef, params)))


def make_train_step(graphdef, optimizer, grad_clip=1.0, *, donate=True, sharding=None, mesh=None):
    """The jitted step. With mesh (a data mesh of several CPU devices), no sharding and no dropout, the
    gradients are computed per device and summed over mesh in one all-reduce of a flat buffer: XLA:CPU
    meets once per step instead of once per parameter (see BENCHMARKS.md); the values are the same up to
    float32 summation order. Otherwise jax.jit partitions the step from the shardings of its arguments
    (on accelerators its per-layer all-reduces can overlap the backward pass)."""
    loss_fn = make_loss_fn(graphdef)

    def constrain(tree):
        if sharding is None:
            return tree
        return jax.tree.map(lambda x: jax.lax.with_sharding_constraint(x, sharding(x)), tree)

    def update(params, opt_state, grads, losses, lr):
        if grad_clip:
            grads, norm = clip_grad_norm(grads, grad_clip)
        else:
            norm = optax.tree.norm(grads)
        finite = jnp.all(jnp.isfinite(losses)) & jnp.isfinite(norm)

        def apply(state):
            params, opt_state = state
            updates, opt_state = optimizer.update(grads, opt_state, params)
            return jax.tree.map(lambda p, u: p - lr * u, params, updates), opt_state

        # lax.cond runs one branch; a jnp.where over every parameter and moment cost ~5% more on CPU
        params, opt_state = constrain(jax.lax.cond(finite, apply, lambda state: state, (params, opt_state)))
        return params, opt_state, {"loss": losses, "grad_norm": norm, "finite": finite}

    def partitioned_step(params, opt_state, xs, ys, lr, key):
        gas = xs.shape[0]

        def grad_fn(p, x, y, k, _):
            loss, g = jax.value_and_grad(lambda p: loss_fn(p, x, y, k) / gas)(p)
            return loss * gas, g

        grads, losses = accumulate(grad_fn, params, xs, ys, jax.random.split(key, gas))
        return update(params, opt_state, constrain(grads), losses, lr)

    def local_step(params, opt_state, xs, ys, lr, key):
        """One device's part of a data-parallel step (inside shard_map): its rows of each micro-batch."""
        gas = xs.shape[0]
        counts = jax.lax.psum(jnp.sum(ys != IGNORE_INDEX, axis=(1, 2)), "data")  # targets in the global batch

        def local_sum(p, x, y, k, i):  # this device's share of loss / gas, and its plain sum of token losses
            model = nnx.merge(graphdef, p)
            total = nll_sum(model.lm_head(model.hidden(x, k)), y)[0]
            return total / counts[i] / gas, total

        def grad_fn(p, x, y, k, i):
            (_, total), g = jax.value_and_grad(local_sum, has_aux=True)(p, x, y, k, i)
            return total, g

        # differentiate with respect to per-device copies: the gradients stay local until the one psum below
        local = jax.lax.pcast(params, "data", to="varying")
        grads, totals = accumulate(grad_fn, local, xs, ys, jax.random.split(key, gas))
        flat, unravel = ravel_pytree(grads)
        summed = jax.lax.psum(jnp.concatenate([flat, totals]), "data")
        losses = summed[flat.size:] / counts / gas * gas  # as the partitioned step: (sum / count / gas) * gas
        return update(params, opt_state, unravel(summed[:flat.size]), losses, lr)

    data_parallel = (mesh is not None and mesh.devices.size > 1 and sharding is None
                     and mesh.devices.flat[0].platform == "cpu")
    batch = P(None, "data")
    sharded_step = jax.shard_map(local_step, mesh=mesh, in_specs=(P(), P(), batch, batch, P(), P()),
                                 out_specs=P()) if data_parallel else None

    def train_step(params, opt_state, xs, ys, lr, key):
        if data_parallel and not uses_dropout(graphdef, params):  # dropout masks would depend on the split
            return sharded_step(params, opt_state, xs, ys, lr, key)
        return partitioned_step(params, opt_state, xs, ys, lr, key)

    return jax.jit(train_step, donate_argnums=(0, 1) if donate else ())


def make_eval_step(graphdef):
    return jax.jit(make_loss_fn(graphdef))
