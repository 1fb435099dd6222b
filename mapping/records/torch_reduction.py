"""`torch.*` reductions: sum, mean, max, var, ..."""

from mapping.record import Choice, Difference, Dim, Record, T, Tol

RECORDS = [
    Record(
        torch="torch.sum",
        jax="jax.numpy.sum",
        torch_example="out = torch.sum(x, dim=d, keepdim=k)",
        jax_example="out = jnp.sum(x, axis=d, keepdims=k)",
        inputs=(T("x", "*"), Dim("d", "x"), Choice("k", (False, True))),
        checks=("forward", "jit", "grad", "bf16"),
        tol=Tol(1e-6, 1e-5, "float32 summation order differs (pairwise vs vectorised)"),
        sizes=(0, 4),
        sig="input, dim=None, keepdim=False, *, dtype=None",
        rename={"dim": "axis", "keepdim": "keepdims"},
    ),
    Record(
        torch="torch.var",
        jax="jax.numpy.var",
        torch_example="out = torch.var(x, dim=d)",
        jax_example="out = jnp.var(x, axis=d, ddof=1)",
        inputs=(T("x", "N,C"), Dim("d", "x")),
        sizes=(2, 4),
        tol=Tol(1e-5, 1e-5, "float32: two-pass variance, different summation order"),
        notes=("torch.var is unbiased by default (correction=1); jnp.var defaults to ddof=0: pass ddof=1.",),
        differences=(
            Difference(
                note="torch.var divides by N-1 by default, jnp.var by N",
                torch="out = torch.var(torch.tensor([1.0, 2.0, 3.0, 4.0]))",
                jax="out = jnp.var(jnp.array([1.0, 2.0, 3.0, 4.0]))",
                min_diff=0.4,
            ),
        ),
        sig="input, dim=None, *, correction=1, keepdim=False",
        template="jnp.var({input}, axis={dim}, ddof={correction}, keepdims={keepdim})",
    ),
]
