"""`torch.*` random sampling -> `jax.random` with explicit keys, verified by statistics.

The two frameworks cannot give the same numbers, so each example draws a large sample and outputs
statistics of it, computed by the same code on both sides (as the codemod writes it). The
tolerance is 5 standard errors of the difference between two independent samples
(sqrt(2) * sd / sqrt(N)), for the statistic with the largest sd. `key` is the PRNG key the user
threads through the code (the test binds jax.random.key(0)); split it for every independent use.
"""

from mapping.record import Record, T, Tol

_NOTES = ("Streams differ: the same seed gives different numbers. Only the distribution matches.",
          "JAX has no global RNG: pass a key, split it for each use (reusing a key repeats the numbers).")
_REASON = "needs an explicit PRNG key threaded through the code"
_CREATE = {
    "generator": "JAX has no generator object: pass a key (jax.random.key(seed)) and split it",
    "dtype": "pass dtype=jnp.<type> to the jax.random function",
    "out": "JAX arrays are immutable: assign the result instead",
    "requires_grad": "JAX differentiates functions, not arrays: drop it and use jax.grad",
}
_LIKE = {k: v for k, v in _CREATE.items() if k != "out"}
_SIG_TAIL = "generator=None, out=None, dtype=None, layout=torch.strided, device=None, requires_grad=False"

# The statistics lines are the same code in both frameworks (bool * 1.0 is a float array in both).
# uniform [0, 1): mean (sd 0.289), E[x^2] (sd 0.298), P(x < 1/4) (sd 0.433)
_U_STATS = "out = (x.mean(), (x * x).mean(), ((x < 0.25) * 1.0).mean())"
# standard normal: mean (sd 1), E|x| (sd 0.603), P(x < 1) (sd 0.366)
_N_STATS = "out = (x.mean(), abs(x).mean(), ((x < 1) * 1.0).mean())"
# integers in [0, 10): exact min and max, mean / 10 (sd 0.287), P(x == 0) and P(x == 9) (sd 0.3)
_I_STATS = "out = (x.min(), x.max(), (x * 0.1).mean(), ((x == 0) * 1.0).mean(), ((x == 9) * 1.0).mean())"

def _tol(sd: float, n: int, what: str) -> Tol:
    return Tol(0.0, round(5 * sd * (2 / n) ** 0.5, 4),
               f"statistics: 5 standard errors of the difference of two samples of {n} draws ({what})")


RECORDS = [
    Record(
        torch="torch.rand",
        jax="jax.random.uniform",
        status="caveat",
        torch_example="x = torch.rand(1_000_000)\n" + _U_STATS,
        jax_example="x = jax.random.uniform(key, 1_000_000)\n" + _U_STATS,
        checks=("forward", "jit"),
        tol=_tol(0.433, 1_000_000, "largest sd: P(x < 1/4), 0.433"),
        notes=_NOTES,
        sig="*size, " + _SIG_TAIL,
        template="jax.random.uniform(key, {size})",
        unsupported_args=_CREATE,
        reason=_REASON,
    ),
    Record(
        torch="torch.randn",
        jax="jax.random.normal",
        status="caveat",
        torch_example="x = torch.randn(1_000_000)\n" + _N_STATS,
        jax_example="x = jax.random.normal(key, 1_000_000)\n" + _N_STATS,
        checks=("forward", "jit"),
        tol=_tol(1.0, 1_000_000, "largest sd: the mean, 1"),
        notes=_NOTES,
        sig="*size, " + _SIG_TAIL,
        template="jax.random.normal(key, {size})",
        unsupported_args=_CREATE,
        reason=_REASON,
    ),
    Record(
        torch="torch.randint",
        jax="jax.random.randint",
        status="caveat",
        torch_example="x = torch.randint(0, 10, (1_000_000,))\n" + _I_STATS,
        jax_example="x = jax.random.randint(key, (1_000_000,), 0, 10)\n" + _I_STATS,
        checks=("forward", "jit"),
        tol=_tol(0.3, 1_000_000, "largest sd: P(x == 0), 0.3; min and max are exact"),
        notes=_NOTES + ("high is exclusive in both. torch returns int64, JAX int32 (without x64).",
                        "The two-argument form torch.randint(high, size) is jax.random.randint(key, size, 0, high)."),
        sig="low, high, size, *, " + _SIG_TAIL,
        template="jax.random.randint(key, {size}, {low}, {high})",
        unsupported_args=_CREATE,
        reason=_REASON,
    ),
    Record(
        torch="torch.rand_like",
        jax="jax.random.uniform",
        status="caveat",
        torch_example="x = torch.rand_like(t)\n" + _U_STATS,
        jax_example="x = jax.random.uniform(key, t.shape, t.dtype)\n" + _U_STATS,
        inputs=(T("t", "500,400", grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=_tol(0.433, 200_000, "largest sd: P(x < 1/4), 0.433"),
        notes=_NOTES,
        sig="input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=torch.preserve_format",
        template="jax.random.uniform(key, {input}.shape, {input}.dtype)",
        unsupported_args=_LIKE,
        reason=_REASON,
    ),
    Record(
        torch="torch.randn_like",
        jax="jax.random.normal",
        status="caveat",
        torch_example="x = torch.randn_like(t)\n" + _N_STATS,
        jax_example="x = jax.random.normal(key, t.shape, t.dtype)\n" + _N_STATS,
        inputs=(T("t", "500,400", grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=_tol(1.0, 200_000, "largest sd: the mean, 1"),
        notes=_NOTES,
        sig="input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=torch.preserve_format",
        template="jax.random.normal(key, {input}.shape, {input}.dtype)",
        unsupported_args=_LIKE,
        reason=_REASON,
    ),
    Record(
        torch="torch.randint_like",
        jax="jax.random.randint",
        status="caveat",
        torch_example="x = torch.randint_like(t, 0, 10)\n" + _I_STATS,
        jax_example="x = jax.random.randint(key, t.shape, 0, 10).astype(t.dtype)\n" + _I_STATS,
        inputs=(T("t", "500,400", grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=_tol(0.3, 200_000, "largest sd: P(x == 0), 0.3; min and max are exact"),
        notes=_NOTES + ("torch returns the dtype of input (here float32): the rewrite casts.",),
        sig="input, low, high, *, dtype=None, layout=None, device=None, requires_grad=False, "
            "memory_format=torch.preserve_format",
        template="jax.random.randint(key, {input}.shape, {low}, {high}).astype({input}.dtype)",
        unsupported_args=_LIKE,
        reason=_REASON,
    ),
    Record(
        torch="torch.randperm",
        jax="jax.random.permutation",
        status="caveat",
        torch_example=(
            "x = torch.randperm(100_000)\n"
            "out = (x[x.argsort()], ((x[1:] > x[:-1]) * 1.0).mean(), (x[: x.shape[0] // 2] / x.shape[0]).mean())"
        ),
        jax_example=(
            "x = jax.random.permutation(key, 100_000)\n"
            "out = (x[jnp.argsort(x)], ((x[1:] > x[:-1]) * 1.0).mean(), (x[: x.shape[0] // 2] / x.shape[0]).mean())"
        ),
        checks=("forward", "jit"),
        tol=_tol(0.289, 100_000, "fraction of ascents, sd sqrt((n+1)/12)/(n-1), and mean of the first "
                 "half / n, sd 1/sqrt(12 n): both 0.289 / sqrt(n); x[x.argsort()] == arange(n) is exact"),
        notes=_NOTES + ("x[x.argsort()] is 0..n-1 exactly in both: each output is a permutation.",
                        "torch returns int64, JAX int32 (without x64)."),
        sig="n, *, " + _SIG_TAIL.replace("dtype=None", "dtype=torch.int64"),
        template="jax.random.permutation(key, {n})",
        unsupported_args=_CREATE,
        reason=_REASON,
    ),
    Record(
        torch="torch.multinomial",
        variant="replacement",
        jax="jax.random.categorical",
        status="caveat",
        torch_example=(
            "x = torch.multinomial(p, 100_000, replacement=True)\n"
            "out = [((x == i) * 1.0).mean(-1) for i in range(4)]"
        ),
        jax_example=(
            "x = jax.random.categorical(key, jnp.log(p)[..., None, :], shape=(*p.shape[:-1], 100_000))\n"
            "out = [((x == i) * 1.0).mean(axis=-1) for i in range(4)]"
        ),
        inputs=(T("p", "2,4", low=0.125, high=4.0, grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=_tol(0.5, 100_000, "class frequencies, sd at most 0.5"),
        notes=_NOTES + ("torch takes non-negative weights (not normalised); their log is a valid logits "
                        "input. One row of samples per row of weights in both.",
                        "torch returns int64, JAX int32 (without x64)."),
        sig="input, num_samples, replacement=False, *, generator=None, out=None",
        template="jax.random.categorical(key, jnp.log({input})[..., None, :], shape=(*{input}.shape[:-1], "
                 "{num_samples}))",
        values={"replacement": {"True": "True"}},
        unsupported_args={k: _CREATE[k] for k in ("generator", "out")},
        reason=_REASON,
    ),
    Record(
        torch="torch.multinomial",
        jax="jax.lax.top_k + jax.random.gumbel",
        status="caveat",
        torch_example=(
            "x = torch.multinomial(p, 2)\n"
            "out = [(x[:, 0] == x[:, 1]).sum()] + [((x[:, j] == i) * 1.0).mean() for i in range(4) for j in range(2)]"
        ),
        jax_example=(
            "x = lax.top_k(jnp.log(p) + jax.random.gumbel(key, p.shape), 2)[1]\n"
            "out = [(x[:, 0] == x[:, 1]).sum()] + [((x[:, j] == i) * 1.0).mean() for i in range(4) for j in range(2)]"
        ),
        inputs=(T("p", "100000,4", low=0.125, high=4.0, grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=_tol(0.5, 100_000, "frequency of each class at each draw, sd at most 0.5; no repeats, exact"),
        notes=_NOTES + ("Without replacement (the default): the Gumbel top-k trick draws k distinct classes "
                        "with the same law as torch's sequential draws; the test checks the frequency of "
                        "each class at the first and the second draw, and that no class repeats.",
                        "torch returns int64, JAX int32 (without x64)."),
        sig="input, num_samples, replacement=False, *, generator=None, out=None",
        template="lax.top_k(jnp.log({input}) + jax.random.gumbel(key, {input}.shape), {num_samples})[1]",
        values={"replacement": {"False": "False"}},
        unsupported_args={k: _CREATE[k] for k in ("generator", "out")},
        reason=_REASON,
    ),
    Record(
        torch="torch.normal",
        jax="jax.random.normal",
        status="caveat",
        torch_example="x = torch.normal(m, s)\nx = (x - m) / s\n" + _N_STATS,
        jax_example="x = m + s * jax.random.normal(key, m.shape)\nx = (x - m) / s\n" + _N_STATS,
        inputs=(T("m", "200000", grad=False), T("s", "200000", low=0.5, high=2.0, grad=False)),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=_tol(1.0, 200_000, "standardised draws; largest sd: the mean, 1"),
        notes=_NOTES + ("Tensor mean and std of the same shape; the output has mean's shape. With a float "
                        "mean or std, pass the shape of the tensor one.",
                        "A sample that should carry gradients (reparameterisation) is written this way in "
                        "both: m + s * noise."),
        sig="mean, std=1.0, *, generator=None, out=None",
        template="{mean} + {std} * jax.random.normal(key, {mean}.shape)",
        unsupported_args={k: _CREATE[k] for k in ("generator", "out")},
        reason=_REASON,
    ),
    Record(
        torch="torch.normal",
        variant="size",
        jax="jax.random.normal",
        status="caveat",
        torch_example="x = torch.normal(2.0, 3.0, (1_000_000,))\nx = (x - 2.0) / 3.0\n" + _N_STATS,
        jax_example="x = 2.0 + 3.0 * jax.random.normal(key, (1_000_000,))\nx = (x - 2.0) / 3.0\n" + _N_STATS,
        checks=("forward", "jit"),
        tol=_tol(1.0, 1_000_000, "standardised draws; largest sd: the mean, 1"),
        notes=_NOTES,
        sig="mean, std, size, *, " + _SIG_TAIL,
        template="{mean} + {std} * jax.random.normal(key, {size})",
        unsupported_args=_CREATE,
        reason=_REASON,
    ),
    Record(
        torch="torch.bernoulli",
        jax="jax.random.bernoulli",
        status="caveat",
        torch_example="x = torch.bernoulli(p)\nout = (((x == 0) | (x == 1)).sum(), x.mean(), (x * p).mean())",
        jax_example=(
            "x = jax.random.bernoulli(key, p).astype(p.dtype)\n"
            "out = (((x == 0) | (x == 1)).sum(), x.mean(), (x * p).mean())"
        ),
        inputs=(T("p", "200000", low=0.0, high=1.0, grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=_tol(0.5, 200_000, "mean and mean of x * p, sd at most 0.5; the count of 0/1 values is exact"),
        notes=_NOTES + ("jax.random.bernoulli returns booleans; torch returns the dtype of p: the rewrite casts.",),
        sig="input, *, generator=None, out=None",
        template="jax.random.bernoulli(key, {input}).astype({input}.dtype)",
        unsupported_args={k: _CREATE[k] for k in ("generator", "out")},
        reason=_REASON,
    ),
    Record(
        torch="torch.poisson",
        jax="jax.random.poisson",
        status="caveat",
        torch_example=(
            "x = torch.poisson(r)\n"
            "z = (x - r) / r ** 0.5\n"
            "out = ((x == x.round()).sum(), z.mean(), (z * z).mean())"
        ),
        jax_example=(
            "x = jax.random.poisson(key, r).astype(r.dtype)\n"
            "z = (x - r) / r ** 0.5\n"
            "out = ((x == x.round()).sum(), z.mean(), (z * z).mean())"
        ),
        inputs=(T("r", "200000", low=1.0, high=8.0, grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=_tol(1.732, 200_000, "standardised counts: mean (sd 1) and mean square (sd sqrt(2 + 1/rate) <= 1.73); "
                 "the count of integers is exact"),
        notes=_NOTES + ("jax.random.poisson returns integers; torch returns the dtype of the rates: the "
                        "rewrite casts.",),
        sig="input, generator=None",
        template="jax.random.poisson(key, {input}).astype({input}.dtype)",
        unsupported_args={"generator": _CREATE["generator"]},
        reason=_REASON,
    ),
    Record(
        torch="torch.Generator",
        jax="jax.random.key + jax.random.split",
        status="manual",
        torch_example=(
            "g = torch.Generator().manual_seed(1)\n"
            "a = torch.rand(200_000, generator=g)\n"
            "b = torch.rand(200_000, generator=g)\n"
            "out = (a.mean(), b.mean(), (a * b).mean())"
        ),
        jax_example=(
            "ka, kb = jax.random.split(jax.random.key(1))\n"
            "a = jax.random.uniform(ka, 200_000)\n"
            "b = jax.random.uniform(kb, 200_000)\n"
            "out = (a.mean(), b.mean(), (a * b).mean())"
        ),
        checks=("forward", "jit"),
        tol=_tol(0.289, 200_000, "largest sd: a uniform mean, 0.289; E[ab] = 1/4 only if a, b are independent"),
        notes=_NOTES,
        reason="a Generator is hidden mutable state that advances with every draw. JAX keys are values: "
               "create one with jax.random.key(seed), split it (jax.random.split) into one key per "
               "draw, and pass keys explicitly (nnx.Rngs does the bookkeeping inside Flax modules).",
    ),
]
