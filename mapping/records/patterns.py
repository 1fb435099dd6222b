"""Patterns with no one-line rewrite: training loops, devices, RNG state, checkpoints."""

from mapping.record import Record, T, Tol

RECORDS = [
    Record(
        torch="torch.optim.Optimizer.zero_grad",
        jax="jax.value_and_grad + optax update in a jitted step",
        variant="training_loop",
        status="manual",
        torch_example=(
            "w = torch.nn.Parameter(w0.clone())\n"
            "opt = torch.optim.SGD([w], lr=0.1)\n"
            "losses = []\n"
            "for _ in range(10):\n"
            "    opt.zero_grad()\n"
            "    loss = ((X @ w - y) ** 2).mean()\n"
            "    loss.backward()\n"
            "    opt.step()\n"
            "    losses.append(loss.detach())\n"
            "out = torch.stack(losses)"
        ),
        jax_example=(
            "opt = optax.sgd(0.1)\n"
            "def loss_fn(w):\n"
            "    return ((X @ w - y) ** 2).mean()\n"
            "@jax.jit\n"
            "def step(w, state):\n"
            "    loss, g = jax.value_and_grad(loss_fn)(w)\n"
            "    updates, state = opt.update(g, state, w)\n"
            "    return optax.apply_updates(w, updates), state, loss\n"
            "w, state, losses = w0, opt.init(w0), []\n"
            "for _ in range(10):\n"
            "    w, state, loss = step(w, state)\n"
            "    losses.append(loss)\n"
            "out = jnp.stack(losses)"
        ),
        inputs=(T("X", "8,N", grad=False), T("y", "8", grad=False), T("w0", "N", grad=False)),
        checks=("forward",),
        tol=Tol(1e-5, 1e-5, "10 float32 optimisation steps"),
        notes=("There is no gradient state to zero: jax.grad returns fresh gradients each call.",),
        reason="the loop changes shape: gradients are returned by jax.value_and_grad, not stored on "
               "parameters; the optimizer state is a value threaded through a jitted step",
    ),
]
