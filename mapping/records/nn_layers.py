"""torch.nn.Module itself, the 1-D / 3-D pooling and convolution layers, and optimizers optax lacks.

Pools and convolutions in flax are channels-last: the lambdas move the channel axis around the call,
as nn.py does for the 2-D layers.
"""

from mapping.record import Choice, Record, T, Tol

_NCL = "NCL in and out: the lambda moves the channels around the channels-last flax pool"

RECORDS = [
    Record(
        torch="torch.nn.init.dirac_",
        jax="jax.numpy .at[].set (an identity kernel)",
        status="manual",
        torch_example="w = torch.empty(4, 3, 3)\nnn.init.dirac_(w)\nout = w",
        jax_example=(
            "w = jnp.zeros((4, 3, 3))\n"
            "i = jnp.arange(min(w.shape[0], w.shape[1]))\n"
            "out = w.at[i, i, w.shape[2] // 2].set(1.0)"
        ),
        checks=("forward", "jit"),
        notes=("The kernel passes input channel i to output channel i at the centre tap: a convolution that "
               "starts as the identity. With groups=g torch repeats it per group.",),
        reason="JAX initialisers return new arrays from a key and shape; dirac_ is deterministic: build the "
               "kernel with .at[].set (in flax's [*kernel, in, out] layout for nnx.Conv)",
    ),
    Record(
        torch="torch.nn.functional.gumbel_softmax",
        jax="jax.random.gumbel + jax.nn.softmax",
        status="manual",
        torch_example=f"y = F.gumbel_softmax(logits.expand({20_000}, 4), tau=0.5, hard=True)\nout = y.mean(0)",
        jax_example=(
            "y = jax.nn.softmax((logits + jax.random.gumbel(key, (20000, 4))) / 0.5, axis=-1)\n"
            "hard = jax.nn.one_hot(jnp.argmax(y, axis=-1), 4)\n"
            "y = hard - jax.lax.stop_gradient(y) + y  # straight-through, as hard=True\n"
            "out = y.mean(0)"
        ),
        inputs=(T("logits", "4", low=-2, high=2, grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=Tol(0.0, 0.025, "class frequencies of 20,000 draws: 5 standard errors of the difference "
                            "(sqrt(2 * 0.25 / 20000) = 5e-3 at p = 0.5)"),
        notes=("Different generators: compared through how often each class is picked (hard=True samples "
               "follow softmax(logits) whatever tau).",
               "hard=False is the soft sample y itself (without the straight-through lines)."),
        reason="the sample needs an explicit key (jax.random.gumbel(key, shape)), and hard=True is three lines: "
               "one-hot of the argmax with the straight-through gradient",
    ),
    Record(
        torch="torch.nn.Module",
        jax="flax.nnx.Module",
        status="manual",
        aliases=("torch.nn.Module.__init__", "torch.nn.modules.module.Module"),
        torch_example=(
            "class MLP(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.fc1 = nn.Linear(4, 8)\n"
            "        self.fc2 = nn.Linear(8, 2)\n"
            "    def forward(self, x):\n"
            "        return self.fc2(torch.relu(self.fc1(x)))\n"
            "m = MLP()\n"
            "out = m(x)"
        ),
        jax_example=(
            "from mapping.convert import load_linear\n"
            "class MLP(nnx.Module):\n"
            "    def __init__(self, *, rngs: nnx.Rngs):\n"
            "        self.fc1 = nnx.Linear(4, 8, rngs=rngs)\n"
            "        self.fc2 = nnx.Linear(8, 2, rngs=rngs)\n"
            "    def __call__(self, x):\n"
            "        return self.fc2(jax.nn.relu(self.fc1(x)))\n"
            "m = MLP(rngs=nnx.Rngs(0))\n"
            "load_linear(m.fc1, sd, prefix='fc1.')\n"
            "load_linear(m.fc2, sd, prefix='fc2.')\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        notes=("forward -> __call__; submodules take rngs=; super().__init__() is not needed in an nnx.Module "
               "(harmless if kept). Attribute names become the state's keys, like torch's state_dict keys.",
               "`jaxmigrate suggest` sketches the nnx class for every nn.Module subclass it finds."),
        reason="a module class is rewritten as a whole: subclass nnx.Module, build submodules with an "
               "nnx.Rngs, rename forward to __call__",
    ),
    Record(
        torch="torch.nn.AvgPool1d",
        jax="flax.nnx.avg_pool",
        torch_example="m = nn.AvgPool1d(3, stride=s, padding=p)\nout = m(x)",
        jax_example=(
            "m = lambda x: jnp.moveaxis(nnx.avg_pool(jnp.moveaxis(x, -2, -1), (3,), strides=(s or 3,), "
            "padding=((p, p),), count_include_pad=True), -1, -2)\n"
            f"out = m(x)  # {_NCL}"
        ),
        inputs=(T("x", "N,2,L"), Choice("s", (None, 1, 2)), Choice("p", (0, 1))),
        sizes=(3, 7),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("torch's stride defaults to kernel_size; flax's strides default to 1.",),
        sig="kernel_size: int, stride: int | None = None, padding: int = 0, "
            "ceil_mode=False, count_include_pad=True",
        template="lambda x: jnp.moveaxis(nnx.avg_pool(jnp.moveaxis(x, -2, -1), ({kernel_size},), "
                 "strides=({stride} or {kernel_size},), padding=(({padding}, {padding}),), "
                 "count_include_pad={count_include_pad}), -1, -2)",
        unsupported_args={"ceil_mode": "pad the end by hand so the last window fits"},
    ),
    Record(
        torch="torch.nn.AvgPool3d",
        jax="flax.nnx.avg_pool",
        torch_example="m = nn.AvgPool3d(2, stride=s)\nout = m(x)",
        jax_example=(
            "m = lambda x: jnp.moveaxis(nnx.avg_pool(jnp.moveaxis(x, -4, -1), (2,) * 3, strides=(s or 2,) * 3, "
            "padding=((0, 0),) * 3, count_include_pad=True), -1, -4)\n"
            "out = m(x)  # NCDHW in and out"
        ),
        inputs=(T("x", "N,2,D,H,W"), Choice("s", (None, 1))),
        sizes=(2, 4),
        checks=("forward", "jit", "grad"),
        notes=("torch's stride defaults to kernel_size; flax's strides default to 1.",),
        sig="kernel_size: int, stride: int | None = None, padding: int = 0, "
            "ceil_mode=False, count_include_pad=True, divisor_override=None",
        template="lambda x: jnp.moveaxis(nnx.avg_pool(jnp.moveaxis(x, -4, -1), ({kernel_size},) * 3, "
                 "strides=({stride} or {kernel_size},) * 3, padding=(({padding}, {padding}),) * 3, "
                 "count_include_pad={count_include_pad}), -1, -4)",
        unsupported_args={"ceil_mode": "pad the end by hand so the last window fits",
                          "divisor_override": "sum-pool and divide: nnx.avg_pool(...) * k**3 / divisor"},
    ),
    Record(
        torch="torch.nn.MaxPool3d",
        jax="flax.nnx.max_pool",
        torch_example="m = nn.MaxPool3d(2, stride=s)\nout = m(x)",
        jax_example=(
            "m = lambda x: jnp.moveaxis(nnx.max_pool(jnp.moveaxis(x, -4, -1), (2,) * 3, strides=(s or 2,) * 3, "
            "padding=((0, 0),) * 3), -1, -4)\n"
            "out = m(x)  # NCDHW in and out"
        ),
        inputs=(T("x", "1,2,D,H,W", unique=True), Choice("s", (None, 1))),
        sizes=(2, 4),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("torch's stride defaults to kernel_size; flax's strides default to 1. Padding is -inf in both.",
               "Inputs are distinct: with tied maxima the two frameworks may route the gradient to different "
               "elements."),
        sig="kernel_size: int, stride: int | None = None, padding: int = 0, "
            "dilation=1, return_indices=False, ceil_mode=False",
        template="lambda x: jnp.moveaxis(nnx.max_pool(jnp.moveaxis(x, -4, -1), ({kernel_size},) * 3, "
                 "strides=({stride} or {kernel_size},) * 3, padding=(({padding}, {padding}),) * 3), -1, -4)",
        unsupported_args={"dilation": "lax.reduce_window with window_dilation",
                          "return_indices": "no indices: compute them with an argmax over the windows",
                          "ceil_mode": "pad the end by hand so the last window fits"},
    ),
    Record(
        torch="torch.nn.MaxPool1d",
        jax="flax.nnx.max_pool",
        torch_example="m = nn.MaxPool1d(3, stride=s, padding=p)\nout = m(x)",
        jax_example=(
            "m = lambda x: jnp.moveaxis(nnx.max_pool(jnp.moveaxis(x, -2, -1), (3,), strides=(s or 3,), "
            "padding=((p, p),)), -1, -2)\n"
            f"out = m(x)  # {_NCL}"
        ),
        inputs=(T("x", "N,2,L", unique=True), Choice("s", (None, 1, 2)), Choice("p", (0, 1))),
        sizes=(3, 7),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("torch's stride defaults to kernel_size; flax's strides default to 1. Padding is -inf in both.",),
        sig="kernel_size: int, stride: int | None = None, padding: int = 0, "
            "dilation=1, return_indices=False, ceil_mode=False",
        template="lambda x: jnp.moveaxis(nnx.max_pool(jnp.moveaxis(x, -2, -1), ({kernel_size},), "
                 "strides=({stride} or {kernel_size},), padding=(({padding}, {padding}),)), -1, -2)",
        unsupported_args={"dilation": "lax.reduce_window with window_dilation",
                          "return_indices": "no indices: compute them with an argmax over the windows",
                          "ceil_mode": "pad the end by hand so the last window fits"},
    ),
    Record(
        torch="torch.nn.Conv3d",
        jax="flax.nnx.Conv",
        torch_example="m = nn.Conv3d(2, 3, 2, padding=p)\nout = m(x)",
        jax_example=(
            "from mapping.convert import load_conv\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Conv(2, 3, (2, 2, 2), strides=1, padding=p, kernel_dilation=1, feature_group_count=1, "
            "use_bias=True, rngs=rngs)\n"
            "load_conv(m, sd)\n"
            "y = m(jnp.moveaxis(x, 1, -1))  # NCDHW -> NDHWC: nnx.Conv is channels-last\n"
            "out = jnp.moveaxis(y, -1, 1)"
        ),
        inputs=(T("x", "N,2,D,H,W"), Choice("p", (0, 1))),
        sizes=(2, 4),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-5, 1e-5, "3-D convolution: sums of 16 products in a different order"),
        grad_tol=Tol(1e-5, 1e-5, "3-D convolution: sums of products in a different order"),
        notes=("nnx.Conv is channels-last (NDHWC); torch is NCDHW. nnx.Conv defaults to padding='SAME': always "
               "pass padding.",),
        sig="in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, "
            "padding_mode='zeros', device=None, dtype=None",
        template="nnx.Conv({in_channels}, {out_channels}, ({kernel_size}, {kernel_size}, {kernel_size}), "
                 "strides={stride}, padding={padding}, kernel_dilation={dilation}, feature_group_count={groups}, "
                 "use_bias={bias}, rngs=rngs)",
        unsupported_args={"padding_mode": "nnx.Conv pads with zeros: pad with jnp.pad first and pass padding=0",
                          "device": "JAX places arrays with jax.device_put / shardings",
                          "dtype": "pass param_dtype= (and dtype= for the computation) to the NNX module"},
    ),
    Record(
        torch="torch.optim.ASGD",
        jax="optax (a custom GradientTransformation)",
        status="manual",
        torch_example=(
            "w = torch.nn.Parameter(w0.clone())\n"
            "opt = torch.optim.ASGD([w], lr=0.05, t0=3)\n"
            "traj = []\n"
            "for g in grads:\n"
            "    w.grad = g.clone()\n"
            "    opt.step()\n"
            "    traj.append(w.detach().clone())\n"
            "out = (torch.stack(traj), opt.state[w]['ax'])"
        ),
        jax_example=(
            "lr, lambd, alpha, t0 = 0.05, 1e-4, 0.75, 3\n"
            "w, ax, eta, mu, traj = w0, jnp.zeros_like(w0), lr, 1.0, []\n"
            "for step, g in enumerate(grads, start=1):\n"
            "    w = w * (1 - lambd * eta) - eta * g\n"
            "    ax = ax + (w - ax) * mu if mu != 1 else w\n"
            "    eta = lr / (1 + lambd * lr * step) ** alpha\n"
            "    mu = 1 / max(1, step - t0)\n"
            "    traj.append(w)\n"
            "out = (jnp.stack(traj), ax)"
        ),
        inputs=(T("w0", "N", grad=False), T("grads", "10,N", grad=False)),
        checks=("forward",),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=Tol(1e-5, 1e-5, "10 float32 steps: rounding accumulates"),
        notes=("The parameters follow SGD with a decaying step; ax (the running average torch keeps in the "
               "optimizer state) is what averaged SGD evaluates with.",),
        reason="optax has no averaged SGD: write the update (as above) or chain optax.sgd with a schedule and "
               "keep the average with optax.ema-like code (optax.ema uses a constant decay, not ASGD's 1/t)",
    ),
    Record(
        torch="torch.optim.Optimizer",
        jax="optax.GradientTransformation",
        status="manual",
        torch_example=(
            "class SignSGD(torch.optim.Optimizer):\n"
            "    def __init__(self, params, lr):\n"
            "        super().__init__(params, dict(lr=lr))\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            "        for group in self.param_groups:\n"
            "            for p in group['params']:\n"
            "                p.add_(p.grad.sign(), alpha=-group['lr'])\n"
            "w = torch.nn.Parameter(w0.clone())\n"
            "opt = SignSGD([w], lr=0.1)\n"
            "for g in grads:\n"
            "    w.grad = g.clone()\n"
            "    opt.step()\n"
            "out = w.detach()"
        ),
        jax_example=(
            "def sign_sgd(lr):\n"
            "    def init(params):\n"
            "        return optax.EmptyState()\n"
            "    def update(updates, state, params=None):\n"
            "        return jax.tree.map(lambda g: -lr * jnp.sign(g), updates), state\n"
            "    return optax.GradientTransformation(init, update)\n"
            "opt = sign_sgd(0.1)\n"
            "w, state = w0, opt.init(w0)\n"
            "for g in grads:\n"
            "    updates, state = opt.update(g, state, w)\n"
            "    w = optax.apply_updates(w, updates)\n"
            "out = w"
        ),
        inputs=(T("w0", "N", grad=False), T("grads", "5,N", grad=False, nonzero=True)),
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=Tol(1e-6, 1e-6, "5 float32 steps of +-0.1"),
        notes=("A custom optimizer is a pair of pure functions (init, update) over pytrees; the state is a "
               "value returned by update, not an attribute. Compose existing pieces with optax.chain first "
               "(optax.sign() exists, as does optax.scale_by_learning_rate).",),
        reason="optimizers are optax GradientTransformations (init, update), composed with optax.chain, not "
               "classes that mutate parameters",
    ),
]
