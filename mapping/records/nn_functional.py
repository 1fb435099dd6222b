"""`torch.nn.functional`: activations, losses, attention, normalisation."""

from mapping.record import Difference, Record, T, Tol

RECORDS = [
    Record(
        torch="torch.nn.functional.gelu",
        jax="jax.nn.gelu",
        torch_example="out = F.gelu(x)",
        jax_example="out = jax.nn.gelu(x, approximate=False)",
        inputs=(T("x", "*", low=-6, high=6),),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-6, 1e-6, "erf-based in both; libm vs XLA erf differ by a few ulp"),
        notes=("jax.nn.gelu defaults to the tanh approximation; torch's default is exact (erf). "
               "Pass approximate=False.",),
        differences=(
            Difference(
                note="jax.nn.gelu defaults to approximate=True (tanh), torch to the exact erf form",
                torch="out = F.gelu(torch.linspace(-6, 6, 1201))",
                jax="out = jax.nn.gelu(jnp.linspace(-6, 6, 1201))",
                min_diff=4e-4,
            ),
        ),
        sig="input, approximate='none'",
        template="jax.nn.gelu({input}, approximate={approximate})",
        values={"approximate": {"'none'": "False", "'tanh'": "True"}},
    ),
]
