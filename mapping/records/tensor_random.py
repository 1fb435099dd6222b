"""`torch.Tensor` random sampling methods -> `jax.random` with explicit keys, compared through statistics.

As in torch_random.py: each example draws a large sample and outputs statistics of it, computed by the same code
on both sides, with a tolerance of 5 standard errors of the difference of two independent samples. The in-place
samplers (`w.exponential_()`, ...) fill a tensor from torch's global generator: their JAX form draws a new array
from the key the program threads, so they are `manual`.
"""

import dataclasses

from mapping.record import Record
from mapping.records import torch_random

_N = 200_000
_GLOBAL_RNG = ("torch fills the tensor in place from the global generator (torch.manual_seed); JAX draws a new array "
               "from an explicit key, which the code must split and pass along: the sample differs, its distribution "
               "does not.")
_WHY_NOT = {"grad": "random samples: torch and JAX draw different ones; gradients cannot match value for value"}


def _in_place(name: str, jax: str, call: str, draw: str, stats: str, sd: float, what: str, notes: tuple = ()) -> Record:
    """`w.<call>` on an empty (200000,) tensor vs `w = <draw>`: the statistics `stats` of both samples."""
    return Record(
        torch=f"torch.Tensor.{name}",
        jax=jax,
        status="manual",
        torch_example=f"w = torch.empty({_N})\nw.{call}\n{stats}",
        jax_example=f"w = jnp.empty({_N})\nw = {draw}\n{stats}",
        checks=("forward", "jit"),
        tol=torch_random._tol(sd, _N, what),
        notes=(_GLOBAL_RNG, *notes),
        reason=f"a draw needs an explicit key in JAX: w = {draw}, with the key split from the one the program threads",
    )


def _method(base: Record, name: str, self_name: str, sig: str, **changes) -> Record:
    """The method `torch.Tensor.<name>` from its function's record: `torch.<fn>(p, ...)` -> `p.<name>(...)`."""
    fn = base.torch.rsplit(".", 1)[1]
    return dataclasses.replace(
        base, torch=f"torch.Tensor.{name}",
        torch_example=base.torch_example.replace(f"torch.{fn}({self_name}, ", f"{self_name}.{name}(")
                                        .replace(f"torch.{fn}({self_name})", f"{self_name}.{name}()"),
        sig=sig, template=base.template.replace("{input}", "{self}"), **changes)


_BERNOULLI = next(r for r in torch_random.RECORDS if r.torch == "torch.bernoulli")
_MULTINOMIAL = [r for r in torch_random.RECORDS if r.torch == "torch.multinomial"]
_GENERATOR = {"generator": torch_random._CREATE["generator"]}

RECORDS = [
    _method(_BERNOULLI, "bernoulli", "p", "p=None, *, generator=None",
            unsupported_args={**_GENERATOR, "p": "p.bernoulli(q) draws with probability q in the shape of p: "
                                                 "jax.random.bernoulli(key, q, p.shape).astype(p.dtype)"}),
    *[_method(r, "multinomial", "p", "num_samples, replacement=False, *, generator=None",
              unsupported_args=_GENERATOR) for r in _MULTINOMIAL],
    # exponential with rate 2: mean 1/2 (sd 0.5), P(w < 1/2) = 1 - e^-1 (sd 0.48)
    _in_place("exponential_", "jax.random.exponential", "exponential_(2.0)",
              "jax.random.exponential(key, w.shape) / 2.0",
              "out = (w.min() >= 0, w.mean(), ((w < 0.5) * 1.0).mean())", 0.5, "largest sd: the mean, 0.5",
              ("torch's argument is the rate lambd (default 1); jax.random.exponential draws rate 1: divide by "
               "the rate.",)),
    # geometric, p = 0.3, on 1, 2, ...: min 1 exactly, mean / 10 (sd 0.28), P(w == 1) = p (sd 0.46)
    _in_place("geometric_", "jax.random.geometric", "geometric_(0.3)",
              "jax.random.geometric(key, 0.3, w.shape).astype(w.dtype)",
              "out = (w.min(), (w * 0.1).mean(), ((w == 1) * 1.0).mean())", 0.46, "largest sd: P(w == 1), 0.46",
              ("Both count the trials up to and including the first success (1, 2, ...). JAX returns int32: cast "
               "to the tensor's dtype.",)),
    # log-normal, mu 0.5, sigma 0.5: mean e^0.625 (sd 1.0), P(w < 1) (sd 0.42), P(w < e^0.5) = 1/2 (sd 0.5)
    _in_place("log_normal_", "jax.random.lognormal", "log_normal_(0.5, 0.5)",
              "jnp.exp(0.5 + 0.5 * jax.random.normal(key, w.shape))",
              "out = (w.min() > 0, w.mean(), ((w < 1) * 1.0).mean(), ((w < 1.6487213) * 1.0).mean())", 1.0,
              "largest sd: the mean, 1.0",
              ("torch's mean and std (defaults 1 and 2) are those of log w: w = exp(mean + std * z). "
               "jax.random.lognormal(key, sigma, shape) has no mean: write the exponential.",)),
    # Cauchy, median 1, scale 2: no mean; P(w < 1) = 1/2, P(|w - 1| < 2) = 1/2, P(w < 3) = 3/4 (sd <= 0.5)
    _in_place("cauchy_", "jax.random.cauchy", "cauchy_(1.0, 2.0)", "1.0 + 2.0 * jax.random.cauchy(key, w.shape)",
              "out = (((w < 1) * 1.0).mean(), ((abs(w - 1) < 2) * 1.0).mean(), ((w < 3) * 1.0).mean())", 0.5,
              "frequencies, sd at most 0.5",
              ("torch's arguments are the median and the scale (defaults 0 and 1); jax.random.cauchy draws the "
               "standard one: shift and scale it. The Cauchy law has no mean: the example compares "
               "frequencies.",)),
    # integers in [0, 10): exact min and max, mean / 10 (sd 0.287), P(w == 0), P(w == 9) (sd 0.3)
    _in_place("random_", "jax.random.randint", "random_(0, 10)",
              "jax.random.randint(key, w.shape, 0, 10).astype(w.dtype)",
              "out = (w.min(), w.max(), (w * 0.1).mean(), ((w == 0) * 1.0).mean(), ((w == 9) * 1.0).mean())", 0.3,
              "largest sd: P(w == 0), 0.3",
              ("w.random_(from, to) draws integers in [from, to) in both; w.random_(to) is [0, to). w.random_() "
               "with no bounds draws up to 2**24 for float32 (the largest exact integer): pass the bound to "
               "randint.",)),
    # Bernoulli, p = 0.3: exactly 0 or 1, mean (sd 0.46)
    _in_place("bernoulli_", "jax.random.bernoulli", "bernoulli_(0.3)",
              "jax.random.bernoulli(key, 0.3, w.shape).astype(w.dtype)",
              "out = (((w == 0) | (w == 1)).sum(), w.mean())", 0.46, "the mean, sd 0.46",
              ("jax.random.bernoulli returns booleans: cast to the tensor's dtype. p may be a tensor of "
               "probabilities in both (broadcast against w's shape).",)),
]
