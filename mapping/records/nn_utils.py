"""`torch.nn.utils`: gradient clipping -> optax transformations, parameter flattening -> ravel_pytree."""

from mapping.record import Choice, Difference, Record, T

# Two gradients, as a Linear layer's weight and bias would have; nan/inf included (both define them).
GRADS = (T("gw", "N,M", grad=False, special=True), T("gb", "M", grad=False, special=True))
TORCH_GRADS = (
    "w = torch.nn.Parameter(torch.zeros_like(gw))\n"
    "b = torch.nn.Parameter(torch.zeros_like(gb))\n"
    "w.grad, b.grad = gw.clone(), gb.clone()\n"
)

RECORDS = [
    Record(
        torch="torch.nn.utils.clip_grad_norm_",
        jax="optax.clip_by_global_norm",
        status="manual",
        torch_example=TORCH_GRADS + (
            "total = torch.nn.utils.clip_grad_norm_([w, b], max_norm=max_norm)\n"
            "out = (w.grad, b.grad, total)"
        ),
        jax_example=(
            "grads = (gw, gb)\n"
            "total = optax.global_norm(grads)\n"
            "clipped, _ = optax.clip_by_global_norm(max_norm).update(grads, optax.EmptyState())\n"
            "out = (*clipped, total)"
        ),
        inputs=GRADS + (Choice("max_norm", (0.5, 1.0, 100.0)),),
        checks=("forward", "jit"),
        why_not={"grad": "it rescales .grad in place under no_grad: no autograd graph"},
        notes=("torch scales by min(max_norm / (norm + 1e-6), 1); optax by max_norm / norm when "
               "norm >= max_norm. The clipped gradients differ by a relative 1e-6 / norm: below float32 "
               "resolution for norms above 1 (measured max 4.8e-7 here), but 1% for a norm of 1e-4 "
               "(see the Difference).",
               "The total norm torch returns is optax.global_norm(grads).",
               "Usual form: optax.chain(optax.clip_by_global_norm(max_norm), optimizer).",
               "nan/inf: both return nan gradients for a nan norm, and 0 (nan for the inf entries) for an "
               "inf norm (error_if_nonfinite=False)."),
        differences=(
            Difference(
                note="torch divides by norm + 1e-6: the clip coefficient differs for small norms",
                torch=(
                    "w = torch.nn.Parameter(torch.zeros(4))\n"
                    "w.grad = torch.full((4,), 5e-5)\n"
                    "torch.nn.utils.clip_grad_norm_([w], max_norm=1e-5)\n"
                    "out = w.grad / 5e-5"
                ),
                jax=(
                    "g = jnp.full((4,), 5e-5)\n"
                    "clipped, _ = optax.clip_by_global_norm(1e-5).update(g, optax.EmptyState())\n"
                    "out = clipped / 5e-5"
                ),
                min_diff=5e-4,
            ),
        ),
        reason="clips the .grad attributes in place and returns the norm. JAX gradients are values: chain "
               "optax.clip_by_global_norm(max_norm) before the optimizer, or call its update on the "
               "gradient tree; optax.global_norm(grads) gives the norm",
    ),
    Record(
        torch="torch.nn.utils.clip_grad_value_",
        jax="optax.clip",
        status="manual",
        torch_example=TORCH_GRADS + (
            "torch.nn.utils.clip_grad_value_([w, b], clip_value=clip_value)\n"
            "out = (w.grad, b.grad)"
        ),
        jax_example=(
            "grads = (gw, gb)\n"
            "clipped, _ = optax.clip(clip_value).update(grads, optax.EmptyState())\n"
            "out = clipped"
        ),
        inputs=GRADS + (Choice("clip_value", (0.5, 1.0)),),
        checks=("forward", "jit"),
        why_not={"grad": "it clips .grad in place under no_grad: no autograd graph"},
        notes=("Both clamp each element to [-clip_value, clip_value]; nan stays nan.",
               "Usual form: optax.chain(optax.clip(clip_value), optimizer)."),
        reason="clips the .grad attributes in place. JAX gradients are values: chain optax.clip(clip_value) "
               "before the optimizer, or jax.tree.map(lambda g: jnp.clip(g, -v, v), grads)",
    ),
    Record(
        torch="torch.nn.utils.parameters_to_vector",
        jax="jax.flatten_util.ravel_pytree",
        torch_example="out = torch.nn.utils.parameters_to_vector([w, b])",
        jax_example="out = jax.flatten_util.ravel_pytree([w, b])[0]",
        inputs=(T("w", "N,M", contiguous=True), T("b", "M")),
        sizes=(0, 4),
        notes=("ravel_pytree flattens leaves in pytree order: a list keeps its order, but a dict is "
               "flattened by sorted keys ({'weight', 'bias'} -> bias first), whereas torch follows the "
               "module's registration order (weight first). Pass a list in torch's order when the layout "
               "of the vector matters.",
               "ravel_pytree also returns the inverse (unravel): see vector_to_parameters."),
        differences=(
            Difference(
                note="order: torch follows registration order (weight, bias); ravel_pytree sorts dict keys",
                torch=(
                    "m = nn.Linear(2, 2)\n"
                    "with torch.no_grad():\n"
                    "    m.weight.copy_(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))\n"
                    "    m.bias.copy_(torch.tensor([5.0, 6.0]))\n"
                    "out = torch.nn.utils.parameters_to_vector(m.parameters())"
                ),
                jax=(
                    "params = {'weight': jnp.array([[1.0, 2.0], [3.0, 4.0]]), 'bias': jnp.array([5.0, 6.0])}\n"
                    "out = jax.flatten_util.ravel_pytree(params)[0]"
                ),
                min_diff=1.0,
            ),
        ),
        sig="parameters",
        template="jax.flatten_util.ravel_pytree({parameters})[0]",
    ),
    Record(
        torch="torch.nn.utils.vector_to_parameters",
        jax="jax.flatten_util.ravel_pytree (unravel)",
        status="manual",
        torch_example=(
            "w = torch.nn.Parameter(torch.zeros_like(w0))\n"
            "b = torch.nn.Parameter(torch.zeros_like(b0))\n"
            "torch.nn.utils.vector_to_parameters(vec, [w, b])\n"
            "out = (w.detach(), b.detach())"
        ),
        jax_example=(
            "_, unravel = jax.flatten_util.ravel_pytree([w0, b0])\n"
            "w, b = unravel(vec)\n"
            "out = (w, b)"
        ),
        inputs=(T("w0", "3,2", grad=False), T("b0", "2", grad=False), T("vec", "8", grad=False)),
        checks=("forward", "jit"),
        why_not={"grad": "it writes param.data: autograd does not record the copy (torch's gradient is zero)"},
        notes=("unravel only needs the structure and shapes of the tree it came from.",),
        reason="writes into the parameters in place. JAX: `vec, unravel = jax.flatten_util.ravel_pytree("
               "params)` once, then `params = unravel(new_vec)` builds a new tree",
    ),
]
