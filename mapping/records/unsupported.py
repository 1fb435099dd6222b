"""torch APIs with no JAX equivalent: memory layout, storage and pinned memory (status `unsupported`).

Their examples still run (tests/test_catalogue.py executes both sides): the JAX side shows what to do
instead, but nothing is compared and no rewrite is offered.
"""

from mapping.record import Record, T

_LAYOUT = ("XLA owns the memory layout of a jax.Array and does not expose strides or storage: "
           "code that depends on them must be rewritten in terms of shapes and values")

RECORDS = [
    Record(
        torch="torch.Tensor.stride",
        jax="(none)",
        status="unsupported",
        checks=(),
        torch_example="out = x.stride()",
        jax_example="out = x.shape  # no strides: reason about shapes; XLA picks layouts",
        inputs=(T("x", "N,C"),),
        reason=_LAYOUT,
    ),
    Record(
        torch="torch.as_strided",
        jax="(none)",
        status="unsupported",
        checks=(),
        torch_example="out = torch.as_strided(x, (2, 2), (1, 1))",
        jax_example=(
            "# no aliasing views: build the windows explicitly by gathering\n"
            "out = jnp.stack([x.reshape(-1)[i:i + 2] for i in range(2)])"
        ),
        inputs=(T("x", "3,3"),),
        reason=_LAYOUT + "; overlapping windows are built by gathering (or lax.conv_general_dilated_patches)",
    ),
    Record(
        torch="torch.Tensor.untyped_storage",
        jax="(none)",
        status="unsupported",
        checks=(),
        torch_example="out = x.untyped_storage().nbytes()",
        jax_example="out = x.nbytes  # the size is known; the buffer itself is not shared",
        inputs=(T("x", "N"),),
        reason=_LAYOUT,
    ),
    Record(
        torch="torch.set_num_threads",
        jax="(none)",
        status="unsupported",
        checks=(),
        torch_example="n = torch.get_num_threads()\ntorch.set_num_threads(1)\ntorch.set_num_threads(n)\nout = n",
        jax_example=(
            "import os\n"
            "# set before `import jax`; one CPU thread for XLA's matmuls and convolutions:\n"
            "# XLA_FLAGS=--xla_cpu_multi_thread_eigen=false\n"
            "out = os.environ.get('XLA_FLAGS', '')"
        ),
        reason="XLA's CPU thread pool is sized once, when the backend starts, and has no setter: "
               "XLA_FLAGS=--xla_cpu_multi_thread_eigen=false (in the environment, before importing jax) keeps "
               "it to one thread; to bound it to N cores, limit the process's CPU affinity (taskset, "
               "os.sched_setaffinity) before start-up",
    ),
    Record(
        torch="torch.Tensor.pin_memory",
        jax="(none)",
        status="unsupported",
        checks=(),
        torch_example="out = x  # x.pin_memory() needs an accelerator build of torch",
        jax_example="out = jax.device_put(x)  # transfers are managed by the runtime",
        inputs=(T("x", "N"),),
        reason="JAX manages host/device transfers itself (jax.device_put, asynchronous dispatch); there is "
               "no pinned-memory API to call",
    ),
    Record(
        torch="torch.Tensor.share_memory_",
        jax="(none)",
        status="unsupported",
        checks=(),
        torch_example="y = x.clone()\ny.share_memory_()\nout = y",
        jax_example="out = x  # processes share data through jax.distributed / sharding, not shared memory",
        inputs=(T("x", "N"),),
        reason="torch.multiprocessing shares tensors through OS shared memory; JAX arrays cannot be shared "
               "across processes that way: use jax.distributed with shardings, or pass numpy arrays",
    ),
    Record(
        torch="torch.Tensor.register_hook",
        jax="(none)",
        status="unsupported",
        checks=(),
        torch_example="y = x.clone().requires_grad_()\nh = y.register_hook(lambda g: g * 2)\nh.remove()\nout = y",
        jax_example=(
            "# no hooks on values: change the gradient with jax.custom_vjp, or transform grads after jax.grad\n"
            "out = x"
        ),
        inputs=(T("x", "N", grad=False),),
        reason="JAX arrays carry no autograd graph to hook into: use jax.custom_vjp to change a gradient, or "
               "transform the gradient pytree returned by jax.grad",
    ),
]
