"""`torch.nn` modules -> `flax.nnx` modules, verified with transferred weights."""

from mapping.record import Record, T

RECORDS = [
    Record(
        torch="torch.nn.Linear",
        jax="flax.nnx.Linear",
        torch_example="m = nn.Linear(4, 5)\nout = m(x)",
        jax_example=(
            "from mapping.convert import load_linear\n"
            "m = load_linear(nnx.Linear(4, 5, rngs=nnx.Rngs(0)), sd)\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,4"),),
        notes=("nnx.Linear stores its kernel as [in, out]; torch's weight is [out, in].",
               "Initialisation differs: torch uses kaiming-uniform(a=sqrt(5)); nnx uses lecun-normal."),
        sig="in_features, out_features, bias=True, device=None, dtype=None",
        template="nnx.Linear({in_features}, {out_features}, use_bias={bias}, rngs=rngs)",
        unsupported_args={"device": "JAX places arrays with jax.device_put / shardings"},
    ),
]
