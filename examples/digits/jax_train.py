"""Digit classifiers in JAX (Flax NNX + Optax): an MLP and a small CNN, trained with Adam, reporting test accuracy.

The models mirror torch_train.py layer for layer, with one real difference: Flax convolutions are
channels-last (NHWC, kernels HWIO) where torch's are channels-first (NCHW, kernels OIHW), so the
flattened features before the last layer come in (H, W, C) order instead of (C, H, W).
Run: python -m examples.digits.jax_train [--model mlp|cnn] [--steps N] [--mnist DIR]
"""

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from examples._common import Clock, finish, parser
from examples.digits.data import Config, batches, load

# torch's nn.Linear/nn.Conv2d initialise weights and biases with U(-1/sqrt(fan_in), 1/sqrt(fan_in));
# Flax's defaults are LeCun-normal weights and zero biases. Ask for torch's, so both start alike.
torch_init = nnx.initializers.variance_scaling(1 / 3, "fan_in", "uniform")


def torch_bias_init(fan_in):
    return lambda key, shape, dtype=jnp.float32: jax.random.uniform(key, shape, dtype, -1, 1) / fan_in**0.5


def linear(n_in, n_out, rngs):
    return nnx.Linear(n_in, n_out, kernel_init=torch_init, bias_init=torch_bias_init(n_in), rngs=rngs)


def conv(c_in, c_out, rngs):
    return nnx.Conv(c_in, c_out, kernel_size=(3, 3), padding=1, kernel_init=torch_init,
                    bias_init=torch_bias_init(9 * c_in), rngs=rngs)


class MLP(nnx.Module):
    def __init__(self, height, width, hidden, n_classes=10, *, rngs: nnx.Rngs):
        self.fc1 = linear(height * width, hidden, rngs)
        self.fc2 = linear(hidden, n_classes, rngs)

    def __call__(self, x):  # x: (B, H, W)
        return self.fc2(nnx.relu(self.fc1(x.reshape(x.shape[0], -1))))


class CNN(nnx.Module):
    def __init__(self, height, width, channels, n_classes=10, *, rngs: nnx.Rngs):
        c1, c2 = channels
        self.conv1 = conv(1, c1, rngs)
        self.conv2 = conv(c1, c2, rngs)
        self.fc = linear(c2 * (height // 4) * (width // 4), n_classes, rngs)

    def __call__(self, x):  # x: (B, H, W)
        x = x[..., None]  # (B, H, W, 1): channels last
        x = nnx.max_pool(nnx.relu(self.conv1(x)), (2, 2), strides=(2, 2))
        x = nnx.max_pool(nnx.relu(self.conv2(x)), (2, 2), strides=(2, 2))
        return self.fc(x.reshape(x.shape[0], -1))  # flattens (H, W, C)


def make_model(kind, height, width, cfg, rngs):
    return MLP(height, width, cfg.hidden, rngs=rngs) if kind == "mlp" else CNN(height, width, cfg.channels, rngs=rngs)


def loss_and_logits(model, X, Y):
    logits = model(X)
    return optax.softmax_cross_entropy_with_integer_labels(logits, Y).mean(), logits


def make_train_step(graphdef, tx):
    def loss_fn(params, X, Y):
        return loss_and_logits(nnx.merge(graphdef, params), X, Y)[0]

    @partial(jax.jit, donate_argnums=(0, 1))
    def train_step(params, opt_state, X, Y):
        loss, grads = jax.value_and_grad(loss_fn)(params, X, Y)
        updates, opt_state = tx.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    return train_step


def train(model, tx, X, Y, indices, steps, clock=None):
    graphdef, params = nnx.split(model)  # once: the loop below sees only pytrees
    opt_state = tx.init(params)
    train_step = make_train_step(graphdef, tx)
    losses = []  # device scalars: no host sync per step
    for i in range(steps):
        ix = next(indices)
        params, opt_state, loss = train_step(params, opt_state, X[ix], Y[ix])
        losses.append(loss)
        if clock:
            clock.step(i, loss)
    nnx.update(model, params)
    return np.asarray(jax.device_get(losses))  # one transfer after the loop


@nnx.jit
def evaluate(model, X, Y):
    loss, logits = loss_and_logits(model, X, Y)
    return loss, (logits.argmax(1) == Y).mean()


def load_torch_weights(model, state_dict):
    """Copy a torch state_dict (names -> numpy arrays) into the NNX model: Linear weights are (out, in)
    in torch and (in, out) in Flax, conv kernels OIHW vs HWIO, and the CNN's last layer reads its
    inputs in (C, H, W) order in torch but (H, W, C) here."""
    layers = {name: layer for name, layer in vars(model).items() if isinstance(layer, (nnx.Linear, nnx.Conv))}
    for name, layer in layers.items():
        w, b = state_dict[f"{name}.weight"], state_dict[f"{name}.bias"]
        if isinstance(layer, nnx.Conv):
            w = w.transpose(2, 3, 1, 0)
        elif isinstance(model, CNN) and name == "fc":
            c2 = model.conv2.out_features
            w = w.reshape(w.shape[0], c2, -1).transpose(0, 2, 1).reshape(w.shape[0], -1).T
        else:
            w = w.T
        layer.kernel[...], layer.bias[...] = w, b


def main(argv=None):
    cfg = Config()
    p = parser(__doc__, cfg.steps)
    p.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--mnist", metavar="DIR", help="read MNIST IDX files from DIR instead of scikit-learn's digits")
    args = p.parse_args(argv)
    data = load(args.mnist)
    X, Y = data["train"][0], data["train"][1].astype(np.int32)  # JAX's default integer is 32-bit
    model = make_model(args.model, X.shape[1], X.shape[2], cfg, nnx.Rngs(args.seed))
    clock = Clock(jax.block_until_ready)
    losses = train(model, optax.adam(cfg.lr), X, Y, batches(len(X), cfg.batch_size, args.seed), args.steps, clock)
    clock.stop(nnx.state(model))
    test_loss, accuracy = map(float, evaluate(model, data["test"][0], data["test"][1].astype(np.int32)))
    print(f"{args.model}: test accuracy {accuracy:.4f}")
    return finish(args, "jax", clock, losses, eval_loss=test_loss, accuracy=accuracy)


if __name__ == "__main__":
    main()
