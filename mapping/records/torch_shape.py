"""`torch.*` shape operations: concatenation, stacking, splitting, reshaping."""

from mapping.record import Dim, Record, T

RECORDS = [
    Record(
        torch="torch.cat",
        jax="jax.numpy.concatenate",
        aliases=("torch.concat", "torch.concatenate"),
        torch_example="out = torch.cat([a, b], dim=d)",
        jax_example="out = jnp.concatenate([a, b], axis=d)",
        inputs=(T("a", "N,C,H"), T("b", "N,C,H"), Dim("d", "a")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 3),
        sig="tensors, dim=0, *, out=None",
        rename={"dim": "axis"},
        unsupported_args={"out": "JAX arrays are immutable: assign the result instead"},
    ),
]
