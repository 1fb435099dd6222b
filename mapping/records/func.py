"""`torch.autograd` and `torch.func` -> JAX transformations (`jax.grad`, `jax.vjp`, `jax.vmap`, ...).

The transformed functions are checked forward, under jit, and differentiated once more (the grad
check differentiates the derivative: torch through create_graph / functorch levels, JAX by
composing transformations).
"""

from mapping.record import Difference, Record, T

F_SIG_GRAD = "func, argnums=0, has_aux=False"

RECORDS = [
    Record(
        torch="torch.autograd.grad",
        jax="jax.grad",
        status="manual",
        torch_example=(
            "x.requires_grad_(True)\n"
            "y = torch.sin(x * x).sum()\n"
            "(g,) = torch.autograd.grad(y, x, create_graph=True)\n"
            "out = g"
        ),
        jax_example=(
            "def f(x):\n"
            "    return jnp.sin(x * x).sum()\n"
            "g = jax.grad(f)(x)\n"
            "out = g"
        ),
        inputs=(T("x", "*"),),
        sizes=(0, 4),
        checks=("forward", "jit", "grad"),
        notes=("create_graph=True has no JAX counterpart: every JAX derivative is itself differentiable.",
               "grad_outputs (a vector-Jacobian product of a non-scalar output) is jax.vjp."),
        reason="torch differentiates a recorded graph from outputs to inputs; JAX differentiates a "
               "function: put the computation from inputs to the scalar output in a function and call "
               "jax.grad(f, argnums=...)(*inputs)",
    ),
    Record(
        torch="torch.autograd.backward",
        jax="jax.value_and_grad",
        status="manual",
        torch_example=(
            "w = torch.nn.Parameter(w0.clone())\n"
            "loss = ((X @ w - y) ** 2).mean()\n"
            "loss.backward()\n"
            "out = (loss.detach(), w.grad)"
        ),
        jax_example=(
            "def loss_fn(w):\n"
            "    return ((X @ w - y) ** 2).mean()\n"
            "loss, grad = jax.value_and_grad(loss_fn)(w0)\n"
            "out = (loss, grad)"
        ),
        inputs=(T("X", "B,N", grad=False), T("y", "B", grad=False), T("w0", "N", grad=False)),
        checks=("forward", "jit"),
        why_not={"grad": "the example computes a gradient itself: its output is that gradient"},
        notes=("loss.backward() is torch.autograd.backward(loss).",
               "torch accumulates into .grad (two backward calls add up, hence zero_grad); jax.grad returns "
               "fresh gradients each call. Accumulate explicitly (jax.tree.map(jnp.add, ...)) or use "
               "optax.MultiSteps."),
        reason="gradients are not stored on tensors: jax.value_and_grad(loss_fn)(params) returns the loss "
               "and a gradient tree shaped like params",
    ),
    Record(
        torch="torch.func.grad",
        jax="jax.grad",
        torch_example="out = torch.func.grad(lambda x: (torch.sin(x) ** 2).sum())(x)",
        jax_example="out = jax.grad(lambda x: (jnp.sin(x) ** 2).sum())(x)",
        inputs=(T("x", "*"),),
        sizes=(0, 4),
        checks=("forward", "jit", "grad"),
        notes=("Same contract: a function returning a scalar; argnums and has_aux have the same meaning.",),
        sig=F_SIG_GRAD,
    ),
    Record(
        torch="torch.func.grad_and_value",
        jax="jax.value_and_grad",
        status="manual",
        torch_example=(
            "g, v = torch.func.grad_and_value(lambda x: (torch.sin(x) ** 2).sum())(x)\n"
            "out = (g, v)"
        ),
        jax_example=(
            "v, g = jax.value_and_grad(lambda x: (jnp.sin(x) ** 2).sum())(x)\n"
            "out = (g, v)"
        ),
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("torch returns (grad, value); jax.value_and_grad returns (value, grad).",),
        differences=(
            Difference(
                note="result order: torch (grad, value), jax.value_and_grad (value, grad)",
                torch="out = torch.func.grad_and_value(lambda x: x ** 2)(torch.tensor(3.0))",
                jax="out = jax.value_and_grad(lambda x: x ** 2)(jnp.array(3.0))",
                min_diff=2.0,
            ),
        ),
        reason="the pair comes back in the opposite order: swap the unpacking, "
               "`value, grad = jax.value_and_grad(f)(x)`",
    ),
    Record(
        torch="torch.func.vjp",
        jax="jax.vjp",
        torch_example=(
            "y, vjp_fn = torch.func.vjp(lambda x: torch.sin(x) * x, x)\n"
            "(g,) = vjp_fn(ct)\n"
            "out = (y, g)"
        ),
        jax_example=(
            "y, vjp_fn = jax.vjp(lambda x: jnp.sin(x) * x, x)\n"
            "(g,) = vjp_fn(ct)\n"
            "out = (y, g)"
        ),
        inputs=(T("x", "N,M"), T("ct", "N,M")),
        sizes=(0, 4),
        checks=("forward", "jit", "grad"),
        notes=("Both return (output, vjp_fn) and vjp_fn returns a tuple, one cotangent per primal.",),
        sig="func, *primals, has_aux=False",
    ),
    Record(
        torch="torch.func.jvp",
        jax="jax.jvp",
        torch_example="out = torch.func.jvp(lambda x: torch.sin(x) * x, (x,), (t,))",
        jax_example="out = jax.jvp(lambda x: jnp.sin(x) * x, primals=(x,), tangents=(t,))",
        inputs=(T("x", "N,M"), T("t", "N,M")),
        sizes=(0, 4),
        checks=("forward", "jit", "grad"),
        notes=("Both take tuples of primals and tangents and return (output, output tangent).",),
        sig="func, primals, tangents, *, strict=False, has_aux=False",
        unsupported_args={"strict": "jax.jvp has no strict mode"},
    ),
    Record(
        torch="torch.func.jacrev",
        jax="jax.jacrev",
        torch_example="out = torch.func.jacrev(lambda x: torch.sin(x) * x.sum())(x)",
        jax_example="out = jax.jacrev(lambda x: jnp.sin(x) * x.sum())(x)",
        inputs=(T("x", "N"),),
        checks=("forward", "jit", "grad"),
        notes=("The Jacobian has shape output.shape + input.shape in both.",),
        sig="func, argnums=0, *, has_aux=False, chunk_size=None",
        unsupported_args={"chunk_size": "jax.jacrev has no chunk_size: drop it, or jax.lax.map over "
                                        "chunks of basis vectors to bound memory"},
    ),
    Record(
        torch="torch.func.jacfwd",
        jax="jax.jacfwd",
        torch_example="out = torch.func.jacfwd(lambda x: torch.sin(x) * x.sum())(x)",
        jax_example="out = jax.jacfwd(lambda x: jnp.sin(x) * x.sum())(x)",
        inputs=(T("x", "N"),),
        checks=("forward", "jit", "grad"),
        notes=("The Jacobian has shape output.shape + input.shape in both.",),
        sig="func, argnums=0, has_aux=False, *, randomness='error'",
        unsupported_args={"randomness": "JAX randomness is explicit: pass keys (split per example) to func"},
    ),
    Record(
        torch="torch.func.hessian",
        jax="jax.hessian",
        torch_example="out = torch.func.hessian(lambda x: (torch.sin(x) * x).sum())(x)",
        jax_example="out = jax.hessian(lambda x: (jnp.sin(x) * x).sum())(x)",
        inputs=(T("x", "N"),),
        checks=("forward", "jit", "grad"),
        notes=("Both are forward-over-reverse (jacfwd of jacrev).",),
        sig="func, argnums=0",
    ),
    Record(
        torch="torch.func.vmap",
        jax="jax.vmap",
        torch_example="out = torch.func.vmap(lambda a, b: (a * b).sum(), in_dims=(0, 1))(x, y)",
        jax_example="out = jax.vmap(lambda a, b: (a * b).sum(), in_axes=(0, 1))(x, y)",
        inputs=(T("x", "B,N"), T("y", "N,B")),
        sizes=(0, 4),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("in_dims / out_dims are in_axes / out_axes; None means not mapped in both.",
               "randomness='different' has no flag in JAX: split a key per example and map over the keys."),
        sig="func, in_dims=0, out_dims=0, randomness='error', *, chunk_size=None",
        rename={"in_dims": "in_axes", "out_dims": "out_axes"},
        unsupported_args={"randomness": "JAX randomness is explicit: vmap over split keys",
                          "chunk_size": "jax.vmap has no chunk_size: use jax.lax.map(f, xs, batch_size=...)"},
    ),
    Record(
        torch="torch.func.functional_call",
        jax="flax.nnx.split / flax.nnx.merge",
        status="manual",
        torch_example=(
            "m = nn.Linear(4, 3)\n"
            "params = {k: v * 2 for k, v in m.named_parameters()}\n"
            "out = torch.func.functional_call(m, params, (x,))"
        ),
        jax_example=(
            "from mapping.convert import load_linear\n"
            "m = load_linear(nnx.Linear(4, 3, rngs=nnx.Rngs(0)), sd)\n"
            "graphdef, state = nnx.split(m)\n"
            "params = jax.tree.map(lambda v: v * 2, state)\n"
            "out = nnx.merge(graphdef, params)(x)"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        notes=("nnx.split(model) gives the static structure (graphdef) and the arrays (state, a pytree); "
               "nnx.merge(graphdef, state) rebuilds a module from any state, so f(state, x) = "
               "nnx.merge(graphdef, state)(x) is a pure function of the parameters, ready for jax.grad / "
               "jax.vmap (e.g. per-example gradients or ensembles).",),
        reason="a module called with substituted parameters becomes a pure function of a state pytree: "
               "graphdef, state = nnx.split(model); nnx.merge(graphdef, new_state)(x)",
    ),
    Record(
        torch="torch.no_grad",
        jax="jax.lax.stop_gradient",
        status="manual",
        torch_example=(
            "with torch.no_grad():\n"
            "    scale = x.abs().max()\n"
            "out = x / scale"
        ),
        jax_example=(
            "scale = jax.lax.stop_gradient(jnp.abs(x).max())\n"
            "out = x / scale"
        ),
        inputs=(T("x", "N", low=0.5, high=3.0),),
        checks=("forward", "jit", "grad"),
        notes=("Outside a function being differentiated nothing is needed: JAX computes gradients only "
               "where jax.grad asks. Evaluation loops under `with torch.no_grad():` just drop the context.",),
        reason="a context manager that stops recording. JAX records nothing; inside a differentiated "
               "function wrap the values that must not carry gradients in jax.lax.stop_gradient",
    ),
    Record(
        torch="torch.autograd.functional.jacobian",
        jax="jax.jacrev",
        status="caveat",
        torch_example="out = torch.autograd.functional.jacobian(lambda x: torch.sin(x) * x.sum(), x, "
                      "create_graph=True)",
        jax_example="out = jax.jacrev(lambda x: jnp.sin(x) * x.sum())(x)",
        inputs=(T("x", "N"),),
        checks=("forward", "jit", "grad"),
        notes=("The rewrite assumes `inputs` is one tensor. For a tuple, torch calls func(*inputs) and returns "
               "a tuple of Jacobians: jax.jacrev(func, argnums=tuple(range(len(inputs))))(*inputs).",
               "create_graph has no JAX counterpart (JAX derivatives are differentiable); "
               "strategy='forward-mode' is jax.jacfwd."),
        sig="func, inputs, create_graph=False, strict=False, vectorize=False, strategy='reverse-mode'",
        template="jax.jacrev({func})({inputs})",
        unsupported_args={"strict": "jax.jacrev has no strict mode",
                          "strategy": "'forward-mode' is jax.jacfwd({func})({inputs})"},
    ),
]
