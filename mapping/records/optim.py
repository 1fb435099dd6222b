"""`torch.optim` optimizers -> optax, verified by 20-step trajectories from the same gradients."""

from mapping.record import Record, T, Tol

RECORDS = [
    Record(
        torch="torch.optim.SGD",
        jax="optax.sgd",
        variant="momentum",
        torch_example=(
            "p = torch.nn.Parameter(p0.clone())\n"
            "opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)\n"
            "traj = []\n"
            "for g in grads:\n"
            "    p.grad = g.clone()\n"
            "    opt.step()\n"
            "    traj.append(p.detach().clone())\n"
            "out = torch.stack(traj)"
        ),
        jax_example=(
            "opt = optax.sgd(0.1, momentum=0.9)\n"
            "p, state = p0, opt.init(p0)\n"
            "traj = []\n"
            "for g in grads:\n"
            "    updates, state = opt.update(g, state, p)\n"
            "    p = optax.apply_updates(p, updates)\n"
            "    traj.append(p)\n"
            "out = jnp.stack(traj)"
        ),
        inputs=(T("p0", "N", grad=False), T("grads", "20,N", grad=False)),
        checks=("forward", "jit"),
        tol=Tol(1e-5, 1e-5, "20 steps of float32 updates accumulate rounding"),
        notes=("torch's momentum buffer starts at the first gradient; optax's trace starts at zero "
               "and adds the gradient, which gives the same sequence.",),
        sig="params, lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False",
        template="optax.sgd({lr}, momentum={momentum}, nesterov={nesterov})",
    ),
]
