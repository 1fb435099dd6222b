"""torch.cuda: asking whether there is a GPU. JAX places arrays on the accelerator by itself, so most
torch.cuda calls in a training script only pick a device (see torch.Tensor.to[device] in patterns.py)."""

from mapping.record import Record

_BUILD = ("Each framework answers for its own build: a CPU-only jaxlib says no on a GPU machine where a "
          "CUDA torch says yes (install jax[cuda12] for the GPU backend), and the reverse.")

RECORDS = [
    Record(
        torch="torch.cuda.is_available",
        jax="jax.default_backend",
        status="caveat",
        torch_example="out = torch.cuda.is_available()",
        jax_example="out = jax.default_backend() == 'gpu'",
        checks=("forward",),
        notes=("jax.default_backend() is 'gpu' when JAX found a usable GPU, else 'cpu' (or 'tpu').",
               _BUILD),
        sig="",
        template="jax.default_backend() == 'gpu'",
    ),
    Record(
        torch="torch.cuda.device_count",
        jax="jax.local_devices",
        status="caveat",
        torch_example="out = torch.cuda.device_count()",
        jax_example="out = sum(d.platform == 'gpu' for d in jax.local_devices())",
        checks=("forward",),
        notes=("jax.local_devices() lists this process's devices; jax.devices('gpu') raises RuntimeError "
               "when there is no GPU backend, so count by platform instead.",
               _BUILD),
        sig="",
        template="sum(d.platform == 'gpu' for d in jax.local_devices())",
    ),
]
