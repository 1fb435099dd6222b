"""The record schema: one declarative entry per torch API.

Plain data only: importing this module (or any record module) never imports torch or jax, so
`jaxmigrate suggest` and `jaxmigrate catalogue` start fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("verified", "caveat", "manual", "unsupported")
CHECKS = ("forward", "jit", "grad", "bf16")


@dataclass(frozen=True, eq=False)
class T:
    """A tensor input drawn by the strategies.

    `shape` is a comma list of sizes: symbols (`N`, `C`) shared by every input of one example,
    literal integers, `""` for a 0-d tensor, or `"*"` for any rank 0-3.
    """

    name: str
    shape: str = "*"
    dtype: str = "float32"  # float32 | int64 | bool
    low: float = -3.0  # values in [low, high); ints in [low, high)
    high: float = 3.0
    grad: bool = True  # differentiate w.r.t. this input (floats only)
    special: bool = False  # mix in nan / inf / -inf (the op defines them)
    finite_slices: bool = False  # with special: every 1-D slice, along any axis, keeps a finite value
    unique: bool = False  # distinct values, even in bfloat16: ties make argmax/sort/max gradients ambiguous
    bcast: str | None = None  # draw a shape that broadcasts against this other input
    min_rank: int = 0  # for shape "*"
    contiguous: bool = False  # torch side always contiguous (the op requires it, e.g. view)
    sort: bool = False  # values sorted along the last axis (e.g. searchsorted's sorted_sequence)
    diag: float = 0.0  # add diag * (1, 2, ..., n) to the main diagonal of the last two axes: invertible
    # matrices with well-separated eigen / singular values (linalg)
    nonzero: bool = False  # |values| >= 2**-20: away from 0 (a derivative or division undefined there)
    normal: bool = False  # no subnormal values, even under the fuzz profile (XLA:CPU flushes them to 0: say so)


@dataclass(frozen=True, eq=False)
class Dim:
    """An axis argument valid for the rank of input `of`, negative axes included."""

    name: str
    of: str


@dataclass(frozen=True, eq=False)
class Choice:
    """A Python argument drawn from fixed values."""

    name: str
    values: tuple


@dataclass(frozen=True, eq=False)
class Tol:
    """How close the two frameworks must agree, and why that much."""

    rtol: float
    atol: float
    reason: str


# Default tolerances, one per check. Overrides go in the record, with their own reason.
FORWARD_TOL = Tol(1e-6, 1e-6, "float32, same algorithm: libm/XLA rounding differs by a few ulp")
GRAD_TOL = Tol(1e-5, 1e-5, "float32 backward chains several ops; each rounds independently")
BF16_TOL = Tol(2e-2, 2e-2, "bfloat16 keeps 8 significant bits (ulp 7.8e-3): two roundings allowed")


@dataclass(frozen=True, eq=False)
class Difference:
    """A silent difference between torch and the *naive* JAX call, demonstrated by running both.

    Both snippets are self-contained (they build their own inputs) and assign `out`. The test
    passes only if the outputs differ by at least `min_diff` (max abs), or, when `torch_raises`
    names an exception, only if torch raises it while JAX returns a value.
    """

    note: str
    torch: str
    jax: str
    min_diff: float = 0.0
    torch_raises: str | None = None


@dataclass(frozen=True, eq=False)
class Record:
    """One torch API and its JAX equivalent, with the proof that they agree.

    Examples are code run with the inputs bound to their names and must assign `out` (any tree of
    arrays). The torch example runs with `torch`, `nn`, `F`, `np` in scope; the JAX example with
    `jax`, `jnp`, `np`, `optax`, `nnx`. If the torch example binds `m` to an `nn.Module`, its
    `state_dict()` reaches the JAX example as `sd` (numpy, torch layout) and its parameters'
    gradients are compared too.
    """

    torch: str  # qualified torch name, e.g. "torch.nn.functional.gelu", "torch.Tensor.view"
    jax: str  # JAX target, e.g. "jax.nn.gelu"; for patterns a short phrase
    torch_example: str
    jax_example: str
    inputs: tuple = ()
    status: str = "verified"
    checks: tuple[str, ...] = ("forward", "jit", "grad")
    tol: Tol = FORWARD_TOL
    grad_tol: Tol = GRAD_TOL
    bf16_tol: Tol = BF16_TOL
    notes: tuple[str, ...] = ()
    differences: tuple[Difference, ...] = ()
    aliases: tuple[str, ...] = ()
    sizes: tuple[int, int] = (1, 4)  # range of symbolic dim sizes; (0, 4) tests empty dims
    variant: str = ""  # distinguishes several records of one API, e.g. "ignore_index"
    # Codemod: how a call site is rewritten (issue 4 reads these).
    sig: str = ""  # torch signature, e.g. "input, dim=None, keepdim=False, *, dtype=None"
    rename: dict = field(default_factory=dict)  # torch argument -> JAX argument
    template: str = ""  # JAX call with {arg} holes, when more than a rename is needed
    values: dict = field(default_factory=dict)  # argument -> {torch literal source: JAX source}
    unsupported_args: dict = field(default_factory=dict)  # argument -> why no rewrite
    # Arguments torch takes only together with another (argument -> the one it needs): {"keepdim": "dim"}
    # says `x.sum(keepdim=True)` raises in torch, so a call that gives one without the other is never rewritten.
    needs: dict = field(default_factory=dict)
    reason: str = ""  # for manual / unsupported: why, and the idiomatic JAX pattern
    # Proof: why a check in CHECKS that this record does not run does not apply (check -> reason),
    # e.g. {"grad": "integer output"}; the catalogue test asks for it where the output is float.
    why_not: dict = field(default_factory=dict)
    # Why torch's gradient is zero on every input (a piecewise-constant op such as floor or sign):
    # the grad check then proves JAX's is zero too. Otherwise an all-zero gradient fails the proof.
    zero_grad: str = ""

    @property
    def id(self) -> str:
        return f"{self.torch}[{self.variant}]" if self.variant else self.torch

    @property
    def namespace(self) -> str:
        """`torch.nn.functional`, `torch.Tensor`, `torch.optim`, ... (the docs page it belongs on)."""
        parts = self.torch.split(".")
        if parts[:2] == ["torch", "Tensor"]:
            return "torch.Tensor"
        if parts[0] == "pattern":
            return "pattern"
        for prefix in NAMESPACES:
            if self.torch.startswith(prefix + "."):
                return prefix
        return "torch"


# Most specific first: a record belongs to the first prefix its name starts with.
NAMESPACES = (
    "torch.nn.functional",
    "torch.nn.init",
    "torch.nn.utils",
    "torch.nn",
    "torch.optim.lr_scheduler",
    "torch.optim",
    "torch.linalg",
    "torch.fft",
    "torch.special",
    "torch.distributions",
    "torch.autograd",
    "torch.func",
    "torch.utils.data",
    "torch.distributed",
    "torch.amp",
    "torch.cuda",
)
