"""`torch.Tensor` methods, rewritten as `jax.Array` methods where one exists."""

from mapping.record import Record, T

RECORDS = [
    Record(
        torch="torch.Tensor.view",
        jax="jax.Array.reshape",
        torch_example="out = x.view(x.shape[0], -1)",
        jax_example="out = x.reshape(x.shape[0], -1)",
        inputs=(T("x", "B,T,C", contiguous=True),),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("view never copies in torch; reshape in JAX is a value (XLA decides about copies).",
               "x.view(dtype) reinterprets bits: use jax.lax.bitcast_convert_type instead."),
        sig="*shape",
    ),
]
