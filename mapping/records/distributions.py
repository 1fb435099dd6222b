"""torch.distributions -> jax.scipy.stats (densities), closed-form entropies, jax.random (samples).

JAX has no distribution objects (no new dependency: distrax / numpyro / tensorflow_probability provide
them): a distribution becomes its log-density function and its sampler, called with the parameters.
Densities and entropies are compared value for value; samples through their statistics.
"""

from mapping.record import Record, T, Tol

_STATS = Tol(1e-5, 1e-5, "log-densities: torch and jax.scipy.stats compose log, lgamma and log1p differently")
_OBJECT = ("JAX has no distribution objects: call the log-density (jax.scipy.stats.<family>.logpdf / logpmf) "
           "with the parameters, write the entropy in closed form, and sample with jax.random and an "
           "explicit key (or use distrax / numpyro, which provide the objects)")
_SAMPLES = 20_000


def _dist(name: str, module: str, ctor: str, inputs: tuple, jax_example: str, notes: tuple = (),
          entropy: bool = True, tol: Tol = _STATS, sizes=(1, 4), value: str = "v") -> Record:
    """A family's log_prob (and entropy) at drawn parameters and values."""
    return Record(
        torch=f"torch.distributions.{name}",
        jax="jax.scipy.stats",
        status="manual",
        aliases=(f"torch.distributions.{module}.{name}",),
        torch_example=f"d = torch.distributions.{name}({ctor})\n"
                      + f"out = (d.log_prob({value}), {'d.entropy()' if entropy else 'd.mean'})",
        jax_example=jax_example,
        inputs=inputs,
        checks=("forward", "jit", "grad"),
        tol=tol,
        grad_tol=Tol(tol.rtol * 10, tol.atol * 10, "gradients of " + tol.reason),
        sizes=sizes,
        notes=notes,
        reason=_OBJECT,
    )


_POS = dict(low=0.25, high=3.0)

RECORDS = [
    _dist("Normal", "normal", "loc, scale", (T("loc", "N"), T("scale", "N", **_POS), T("v", "N")),
          "out = (jax.scipy.stats.norm.logpdf(v, loc, scale), 0.5 + 0.5 * jnp.log(2 * jnp.pi) + jnp.log(scale))"),
    _dist("Categorical", "categorical", "logits=logits",
          (T("logits", "N,5", low=-4, high=4), T("v", "N", dtype="int64", low=0, high=5)),
          "logp = jax.nn.log_softmax(logits, axis=-1)\n"
          "out = (jnp.take_along_axis(logp, v[:, None], axis=-1)[:, 0], -(jnp.exp(logp) * logp).sum(-1))",
          notes=("Categorical(probs=p) normalises p: use logp = jnp.log(p / p.sum(-1, keepdims=True)).",
                 "Sampling: jax.random.categorical(key, logits) (see the [sample] entry)."),
          sizes=(1, 4)),
    _dist("Bernoulli", "bernoulli", "probs=p",
          (T("p", "N", low=0.0625, high=0.9375), T("k", "N", dtype="int64", low=0, high=2)),
          "out = (jax.scipy.stats.bernoulli.logpmf(k, p), "
          "-(jax.scipy.special.xlogy(p, p) + jax.scipy.special.xlog1py(1 - p, -p)))", value="k.float()",
          notes=("torch's Bernoulli.log_prob takes float values (0.0 / 1.0); logpmf takes integers or floats.",
                 "Bernoulli(logits=l): p = jax.nn.sigmoid(l), or the stable -optax.sigmoid_binary_cross_entropy(l, "
                 "value) for the log-probability.")),
    _dist("Uniform", "uniform", "low, low + width",
          (T("low", "N"), T("width", "N", **_POS), T("frac", "N", low=0.015625, high=0.984375, grad=False)),
          "v = low + frac * width\n"
          "out = (jax.scipy.stats.uniform.logpdf(v, low, width), jnp.log(width))", value="low + frac * width"),
    _dist("Exponential", "exponential", "rate", (T("rate", "N", **_POS), T("v", "N", low=0.015625, high=4)),
          "out = (jax.scipy.stats.expon.logpdf(v, scale=1 / rate), 1 - jnp.log(rate))"),
    _dist("Laplace", "laplace", "loc, scale", (T("loc", "N"), T("scale", "N", **_POS), T("v", "N", nonzero=True)),
          "out = (jax.scipy.stats.laplace.logpdf(v, loc, scale), 1 + jnp.log(2 * scale))",
          notes=("The gradient w.r.t. v is undefined at v == loc (|v - loc|); the drawn values avoid it.",)),
    _dist("Cauchy", "cauchy", "loc, scale", (T("loc", "N"), T("scale", "N", **_POS), T("v", "N")),
          "out = (jax.scipy.stats.cauchy.logpdf(v, loc, scale), jnp.log(4 * jnp.pi * scale))"),
    _dist("Gamma", "gamma", "concentration, rate",
          (T("concentration", "N", low=0.5, high=4), T("rate", "N", **_POS), T("v", "N", low=0.0625, high=4)),
          "a, b = concentration, rate\n"
          "out = (jax.scipy.stats.gamma.logpdf(v, a, scale=1 / b),\n"
          "       a - jnp.log(b) + jax.scipy.special.gammaln(a) + (1 - a) * jax.scipy.special.digamma(a))"),
    _dist("Beta", "beta", "a, b", (T("a", "N", low=0.5, high=4), T("b", "N", low=0.5, high=4),
                                   T("v", "N", low=0.0625, high=0.9375)),
          "sp = jax.scipy.special\n"
          "out = (jax.scipy.stats.beta.logpdf(v, a, b), sp.betaln(a, b) - (a - 1) * sp.digamma(a) "
          "- (b - 1) * sp.digamma(b) + (a + b - 2) * sp.digamma(a + b))"),
    _dist("LogNormal", "log_normal", "loc, scale", (T("loc", "N"), T("scale", "N", **_POS),
                                                    T("v", "N", low=0.0625, high=5)),
          "out = (jax.scipy.stats.norm.logpdf(jnp.log(v), loc, scale) - jnp.log(v),\n"
          "       0.5 + 0.5 * jnp.log(2 * jnp.pi) + jnp.log(scale) + loc)"),
    _dist("HalfNormal", "half_normal", "scale", (T("scale", "N", **_POS), T("v", "N", low=0.015625, high=4)),
          "out = (jax.scipy.stats.norm.logpdf(v, 0.0, scale) + jnp.log(2.0),\n"
          "       0.5 * jnp.log(jnp.pi * scale ** 2 / 2) + 0.5)"),
    _dist("Gumbel", "gumbel", "loc, scale", (T("loc", "N"), T("scale", "N", **_POS), T("v", "N")),
          "z = (v - loc) / scale\n"
          "out = (-(z + jnp.exp(-z)) - jnp.log(scale), jnp.log(scale) + 1 + np.euler_gamma)"),
    _dist("StudentT", "studentT", "df, loc, scale",
          (T("df", "N", low=1.5, high=8), T("loc", "N"), T("scale", "N", **_POS), T("v", "N")),
          "out = (jax.scipy.stats.t.logpdf(v, df, loc, scale), jnp.where(df > 1, loc, jnp.nan))",
          entropy=False),
    _dist("Poisson", "poisson", "rate", (T("rate", "N", **_POS), T("k", "N", dtype="int64", low=0, high=8)),
          "out = (jax.scipy.stats.poisson.logpmf(k, rate), rate)", entropy=False, value="k.float()"),
    _dist("Geometric", "geometric", "probs=p", (T("p", "N", low=0.0625, high=0.9375),
                                                T("k", "N", dtype="int64", low=0, high=8)),
          "out = (jax.scipy.stats.geom.logpmf(k + 1, p), -(jax.scipy.special.xlog1py(1 - p, -p) "
          "+ jax.scipy.special.xlogy(p, p)) / p)",
          notes=("torch counts failures before the first success (support 0, 1, ...); scipy's geom counts "
                 "trials (support 1, 2, ...): logpmf(k + 1, p).",), value="k.float()"),
    _dist("Binomial", "binomial", "total_count=10, probs=p", (T("p", "N", low=0.0625, high=0.9375),
                                                              T("k", "N", dtype="int64", low=0, high=11)),
          "out = (jax.scipy.stats.binom.logpmf(k, 10, p), 10 * p)", entropy=False, value="k.float()"),
    _dist("Dirichlet", "dirichlet", "concentration",
          (T("concentration", "4", low=0.5, high=4), T("z", "4", grad=False)),
          "a, v = concentration, jax.nn.softmax(z)\n"
          "sp = jax.scipy.special\n"
          "a0 = a.sum(-1)\n"
          "out = (jax.scipy.stats.dirichlet.logpdf(v, a), sp.gammaln(a).sum(-1) - sp.gammaln(a0) "
          "+ (a0 - 4) * sp.digamma(a0) - ((a - 1) * sp.digamma(a)).sum(-1))", value="torch.softmax(z, -1)"),
    _dist("MultivariateNormal", "multivariate_normal", "loc, covariance_matrix=a @ a.T + torch.eye(3)",
          (T("loc", "3"), T("a", "3,3"), T("v", "3")),
          "cov = a @ a.T + jnp.eye(3)\n"
          "out = (jax.scipy.stats.multivariate_normal.logpdf(v, loc, cov),\n"
          "       0.5 * (3 * (1 + jnp.log(2 * jnp.pi)) + jnp.linalg.slogdet(cov)[1]))",
          tol=Tol(1e-5, 2e-5, "Cholesky-based log-density: torch and XLA factor and solve in a different order")),
    _dist("OneHotCategorical", "one_hot_categorical", "logits=logits",
          (T("logits", "N,5", low=-4, high=4), T("k", "N", dtype="int64", low=0, high=5)),
          "logp = jax.nn.log_softmax(logits, axis=-1)\n"
          "out = ((jax.nn.one_hot(k, 5) * logp).sum(-1), -(jnp.exp(logp) * logp).sum(-1))",
          value="torch.nn.functional.one_hot(k, 5).float()"),
    _dist("Chi2", "chi2", "df", (T("df", "N", low=0.5, high=8), T("v", "N", low=0.0625, high=6)),
          "a = df / 2\n"
          "out = (jax.scipy.stats.chi2.logpdf(v, df),\n"
          "       a + jnp.log(2.0) + jax.scipy.special.gammaln(a) + (1 - a) * jax.scipy.special.digamma(a))",
          notes=("Chi2(df) is Gamma(df / 2, rate 1 / 2): the entropy is the Gamma one.",)),
    _dist("HalfCauchy", "half_cauchy", "scale", (T("scale", "N", **_POS), T("v", "N", low=0.015625, high=4)),
          "out = (jax.scipy.stats.cauchy.logpdf(v, 0.0, scale) + jnp.log(2.0), jnp.log(2 * jnp.pi * scale))"),
    _dist("InverseGamma", "inverse_gamma", "concentration, rate",
          (T("concentration", "N", low=0.5, high=4), T("rate", "N", **_POS), T("v", "N", low=0.125, high=4)),
          "a, b = concentration, rate\n"
          "out = (jax.scipy.stats.gamma.logpdf(1 / v, a, scale=1 / b) - 2 * jnp.log(v),\n"
          "       a + jnp.log(b) + jax.scipy.special.gammaln(a) - (1 + a) * jax.scipy.special.digamma(a))",
          notes=("The density of 1 / X for X ~ Gamma(a, rate b): the Gamma log-density at 1 / v minus 2 log v.",)),
    _dist("Weibull", "weibull", "scale, concentration",
          (T("scale", "N", **_POS), T("concentration", "N", low=0.5, high=4), T("v", "N", low=0.0625, high=4)),
          "lam, k = scale, concentration\n"
          "out = (jnp.log(k / lam) + (k - 1) * jnp.log(v / lam) - (v / lam) ** k,\n"
          "       np.euler_gamma * (1 - 1 / k) + jnp.log(lam / k) + 1)",
          notes=("jax.scipy.stats has no Weibull: the log-density is written out.",)),
    _dist("Pareto", "pareto", "scale, alpha",
          (T("scale", "N", **_POS), T("alpha", "N", low=0.5, high=4), T("frac", "N", low=0.0, high=3, grad=False)),
          "v = scale * (1 + frac)\n"
          "out = (jax.scipy.stats.pareto.logpdf(v, alpha, scale=scale), jnp.log(scale / alpha) + 1 / alpha + 1)",
          value="scale * (1 + frac)", notes=("Support v >= scale: the values are drawn as scale * (1 + frac).",)),
    _dist("VonMises", "von_mises", "loc, concentration",
          (T("loc", "N"), T("concentration", "N", low=0.25, high=8), T("v", "N")),
          "out = (jax.scipy.stats.vonmises.logpdf(v - loc, concentration), loc)", entropy=False,
          notes=("vonmises.logpdf has no loc argument: pass v - loc. Neither side wraps v into [-pi, pi).",
                 "Sampling: jax.random has no von Mises sampler (numpyro's VonMises has one; torch uses "
                 "rejection sampling).",)),
    _dist("NegativeBinomial", "negative_binomial", "total_count=r, probs=p",
          (T("r", "N", low=0.5, high=6), T("p", "N", low=0.0625, high=0.9375),
           T("k", "N", dtype="int64", low=0, high=10)),
          "out = (jax.scipy.stats.nbinom.logpmf(k, r, 1 - p), r * p / (1 - p))", entropy=False, value="k.float()",
          notes=("torch counts successes (probability p) before total_count failures; scipy's nbinom counts "
                 "failures before n successes: nbinom.logpmf(k, r, 1 - p).",)),
    _dist("FisherSnedecor", "fishersnedecor", "df1, df2",
          (T("df1", "N", low=0.5, high=8), T("df2", "N", low=2.5, high=8), T("v", "N", low=0.0625, high=4)),
          "d1, d2 = df1, df2\n"
          "out = (0.5 * d1 * jnp.log(d1 * v) + 0.5 * d2 * jnp.log(d2) - 0.5 * (d1 + d2) * jnp.log(d1 * v + d2)\n"
          "       - jnp.log(v) - jax.scipy.special.betaln(d1 / 2, d2 / 2), d2 / (d2 - 2))", entropy=False,
          notes=("jax.scipy.stats has no F distribution: the log-density is written out. The mean d2 / (d2 - 2) "
                 "exists for d2 > 2 (torch: nan below).",)),
    _dist("Kumaraswamy", "kumaraswamy", "a, b",
          (T("a", "N", low=0.5, high=4), T("b", "N", low=0.5, high=4), T("v", "N", low=0.0625, high=0.9375)),
          "sp = jax.scipy.special\n"
          "out = (jnp.log(a) + jnp.log(b) + (a - 1) * jnp.log(v) + (b - 1) * jnp.log1p(-v ** a),\n"
          "       (1 - 1 / b) + (1 - 1 / a) * (sp.digamma(b + 1) + np.euler_gamma) - jnp.log(a) - jnp.log(b))",
          notes=("jax.scipy.stats has no Kumaraswamy: the log-density and entropy are written out.",)),
    _dist("Multinomial", "multinomial", "int(k.sum()), probs=torch.softmax(z, -1)",
          (T("z", "4"), T("k", "4", dtype="int64", low=0, high=4)),
          "out = (jax.scipy.stats.multinomial.logpmf(k, k.sum(), jax.nn.softmax(z)), k.sum() * jax.nn.softmax(z))",
          entropy=False, value="k.float()",
          notes=("total_count is the sum of the counts (torch checks it); torch normalises probs, "
                 "multinomial.logpmf expects probabilities that sum to 1.",
                 "Sampling: jax.random.categorical(key, logits, shape=(n,)) and a one-hot sum, or "
                 "jax.random.multinomial(key, n, p).")),
    _dist("LowRankMultivariateNormal", "lowrank_multivariate_normal", "loc, cov_factor=w, cov_diag=dg",
          (T("loc", "3"), T("w", "3,2"), T("dg", "3", **_POS), T("v", "3")),
          "cov = w @ w.T + jnp.diag(dg)\n"
          "out = (jax.scipy.stats.multivariate_normal.logpdf(v, loc, cov),\n"
          "       0.5 * (3 * (1 + jnp.log(2 * jnp.pi)) + jnp.linalg.slogdet(cov)[1]))",
          tol=Tol(1e-5, 2e-5, "torch uses the Woodbury identity and a capacitance Cholesky, JAX the full covariance "
                              "Cholesky: a different order of operations"),
          notes=("The covariance W W^T + diag(D) written out; for large dimensions keep the low-rank form (Woodbury "
                 "identity) as torch does.",)),
    _dist("MixtureSameFamily", "mixture_same_family", "torch.distributions.Categorical(logits=logits), "
          "torch.distributions.Normal(loc, scale)",
          (T("logits", "N,3"), T("loc", "N,3"), T("scale", "N,3", **_POS), T("v", "N")),
          "logw = jax.nn.log_softmax(logits, axis=-1)\n"
          "out = (jax.nn.logsumexp(logw + jax.scipy.stats.norm.logpdf(v[:, None], loc, scale), axis=-1),\n"
          "       (jnp.exp(logw) * loc).sum(-1))", entropy=False,
          notes=("A mixture's log-density is the logsumexp over components of log-weight plus component "
                 "log-density (here a Gaussian mixture).",)),
    Record(
        torch="torch.distributions.TransformedDistribution",
        jax="base log-density minus the log-Jacobian",
        status="manual",
        aliases=("torch.distributions.transformed_distribution.TransformedDistribution",),
        torch_example="d = torch.distributions.TransformedDistribution(torch.distributions.Normal(loc, scale),\n"
                      "    [torch.distributions.transforms.TanhTransform()])\n"
                      "out = d.log_prob(torch.tanh(u))",
        jax_example="y = jnp.tanh(u)\nx = jnp.arctanh(y)\n"
                    "out = (jax.scipy.stats.norm.logpdf(x, loc, scale)\n"
                    "       - 2 * (jnp.log(2.0) - x - jax.nn.softplus(-2 * x)))",
        inputs=(T("loc", "N"), T("scale", "N", **_POS), T("u", "N", low=-2, high=2)),
        checks=("forward", "jit", "grad"),
        tol=_STATS,
        grad_tol=Tol(1e-4, 1e-4, "gradients of " + _STATS.reason),
        notes=("The tanh-squashed Gaussian of soft actor-critic. log p(y) = log p_base(x) - log|dy/dx| at x = "
               "atanh(y); torch's TanhTransform writes log|dy/dx| = 2 (log 2 - x - softplus(-2x)), which stays "
               "finite where 1 - tanh(x)^2 underflows.",
               "Sampling: y = jnp.tanh(loc + scale * jax.random.normal(key, shape)); torch caches x from rsample, "
               "so log_prob of its own sample avoids atanh: keep x from the sampling step in JAX too."),
        reason="JAX has no distribution or transform objects: apply the transform to samples and subtract its "
               "log-Jacobian from the base log-density (distrax and numpyro provide bijectors)",
    ),
    *[Record(
        torch=f"torch.distributions.{name}",
        jax=jax_fn,
        status="manual",
        aliases=(f"torch.distributions.transforms.{name}",),
        torch_example=f"t = torch.distributions.transforms.{name}({ctor})\ny = t(x)\n"
                      "out = (y, t.log_abs_det_jacobian(x, y), t.inv(y))",
        jax_example=jax_example,
        inputs=inputs,
        checks=("forward", "jit", "grad"),
        tol=_STATS,
        grad_tol=Tol(1e-4, 1e-4, "gradients of " + _STATS.reason),
        notes=(f"(y, log|dy/dx|, inverse of y): the three things a {name} gives, as functions.",),
        reason="JAX has no transform objects: write the forward map, its log-Jacobian and its inverse as functions "
               "(distrax and numpyro provide bijectors)",
    ) for name, jax_fn, ctor, inputs, jax_example in (
        ("TanhTransform", "jax.numpy.tanh", "", (T("x", "N", low=-2, high=2),),
         "y = jnp.tanh(x)\nout = (y, 2 * (jnp.log(2.0) - x - jax.nn.softplus(-2 * x)), jnp.arctanh(y))"),
        ("SigmoidTransform", "jax.nn.sigmoid", "", (T("x", "N"),),
         "y = jax.nn.sigmoid(x)\nout = (y, -jax.nn.softplus(-x) - jax.nn.softplus(x), jax.scipy.special.logit(y))"),
        ("ExpTransform", "jax.numpy.exp", "", (T("x", "N"),), "y = jnp.exp(x)\nout = (y, x, jnp.log(y))"),
        ("SoftplusTransform", "jax.nn.softplus", "", (T("x", "N"),),
         "y = jax.nn.softplus(x)\nout = (y, -jax.nn.softplus(-x), y + jnp.log(-jnp.expm1(-y)))"),
        ("AffineTransform", "loc + scale * x", "loc, scale",
         (T("x", "N"), T("loc", "N"), T("scale", "N", nonzero=True)),
         "y = loc + scale * x\nout = (y, jnp.log(jnp.abs(scale)), (y - loc) / scale)"),
        ("PowerTransform", "jax.numpy.power", "e", (T("x", "N", low=0.25, high=3), T("e", "N", low=0.5, high=2)),
         "y = x ** e\nout = (y, jnp.log(jnp.abs(e * y / x)), y ** (1 / e))"),
    )],
    Record(
        torch="torch.distributions.Independent",
        jax="sum of the log-densities over the event axes",
        status="manual",
        aliases=("torch.distributions.independent.Independent",),
        torch_example="d = torch.distributions.Independent(torch.distributions.Normal(loc, scale), 1)\n"
                      "out = (d.log_prob(v), d.entropy())",
        jax_example="out = (jax.scipy.stats.norm.logpdf(v, loc, scale).sum(-1),\n"
                    "       (0.5 + 0.5 * jnp.log(2 * jnp.pi) + jnp.log(scale)).sum(-1))",
        inputs=(T("loc", "N,D"), T("scale", "N,D", **_POS), T("v", "N,D")),
        checks=("forward", "jit", "grad"),
        tol=_STATS,
        grad_tol=Tol(1e-4, 1e-4, "gradients of " + _STATS.reason),
        reason="reinterpreting batch axes as event axes is a sum of the log-densities over them",
    ),
    Record(
        torch="torch.distributions.kl_divergence",
        jax="closed form (jax.numpy)",
        status="manual",
        aliases=("torch.distributions.kl.kl_divergence",),
        torch_example="p = torch.distributions.Normal(m1, s1)\nq = torch.distributions.Normal(m2, s2)\n"
                      "out = torch.distributions.kl_divergence(p, q)",
        jax_example="out = jnp.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5",
        inputs=(T("m1", "N"), T("s1", "N", **_POS), T("m2", "N"), T("s2", "N", **_POS)),
        checks=("forward", "jit", "grad"),
        tol=_STATS,
        grad_tol=Tol(1e-4, 1e-4, "gradients of " + _STATS.reason),
        notes=("Categorical: (jnp.exp(lp) * (lp - lq)).sum(-1) with lp, lq the log_softmax of the logits; "
               "optax.kl_divergence(log_q, p) computes the same sum.",),
        reason="KL divergences are written in closed form for the pair of families (register_kl's table "
               "has no JAX counterpart)",
    ),
    Record(
        torch="torch.distributions.Normal.rsample",
        jax="jax.random.normal",
        status="caveat",
        aliases=("torch.distributions.Normal.sample",),
        torch_example=(
            "d = torch.distributions.Normal(loc, scale)\n"
            f"x = d.rsample(({_SAMPLES},))\n"
            "out = (x.mean(0), x.std(0))"
        ),
        jax_example=(
            f"x = loc + scale * jax.random.normal(key, ({_SAMPLES},) + loc.shape)\n"
            "out = (x.mean(0), x.std(0, ddof=1))"
        ),
        inputs=(T("loc", "N", low=-1, high=1), T("scale", "N", low=0.5, high=1.5)),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=Tol(0.0, 0.06, "statistics of 20,000 draws: 5 standard errors of the difference of two means "
                           "(sqrt(2) * 1.5 / sqrt(20000) = 1.5e-2) and of two standard deviations (1.06e-2)"),
        notes=("Different generators: the samples differ, their mean and standard deviation agree. rsample "
               "is the reparameterised draw loc + scale * eps: differentiable in JAX as written.",),
    ),
    Record(
        torch="torch.distributions.Categorical.sample",
        jax="jax.random.categorical",
        status="caveat",
        torch_example=(
            "d = torch.distributions.Categorical(logits=logits)\n"
            f"s = d.sample(({_SAMPLES},))\n"
            f"out = torch.nn.functional.one_hot(s, 4).float().mean(0)"
        ),
        jax_example=(
            f"s = jax.random.categorical(key, logits, shape=({_SAMPLES},) + logits.shape[:-1])\n"
            "out = jax.nn.one_hot(s, 4).mean(0)"
        ),
        inputs=(T("logits", "N,4", low=-2, high=2, grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"},
        tol=Tol(0.0, 0.025, "class frequencies of 20,000 draws: 5 standard errors of the difference "
                            "(sqrt(2 * 0.25 / 20000) = 5e-3 at p = 0.5)"),
        notes=("Different generators: compared through the frequency of each class.",),
    ),
]
