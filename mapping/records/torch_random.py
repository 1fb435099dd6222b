"""`torch.*` random sampling -> `jax.random` with explicit keys, verified by statistics."""

from mapping.record import Record, Tol

RECORDS = [
    Record(
        torch="torch.randn",
        jax="jax.random.normal",
        torch_example="x = torch.randn(200_000)\nout = (x.mean(), x.std(), (x.abs() < 1).float().mean())",
        jax_example=(
            "x = jax.random.normal(jax.random.key(0), (200_000,))\n"
            "out = (x.mean(), x.std(ddof=1), (jnp.abs(x) < 1).astype(jnp.float32).mean())"
        ),
        status="caveat",
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.012, "statistics of 200k draws: 5 standard errors of mean, std and P(|x|<1)"),
        notes=("Streams differ: the same seed gives different numbers. Only the distribution matches.",
               "JAX has no global RNG: pass a key, split it for each use."),
        sig="*size, generator=None, dtype=None",
        template="jax.random.normal(key, {size})",
        reason="needs an explicit PRNG key threaded through the code",
    ),
]
