"""`torch.*` comparisons (eq, lt, isclose, isnan, ...), sorting, top-k, k-th value and unique."""

from mapping.record import Choice, Difference, Dim, Record, T

OUT = {"out": "JAX arrays are immutable: assign the result instead"}
BINARY_SIG = "input, other, *, out=None"
NAMEDTUPLE = ("torch returns a namedtuple (values, indices); the rewrite gives a plain tuple: unpack it "
              "or index [0] / [1] instead of .values / .indices.")
TIES = ("Equal values: torch's default sort and top-k order their indices their own way, JAX's are stable (the "
        "lower index first): the indices of ties differ, the values do not. The proofs draw distinct values.")


def ties(torch: str, jax: str, min_diff: float = 1.0) -> Difference:
    """The indices of equal values (found on PyTorch's OpInfo int and bool inputs)."""
    return Difference(note="indices of equal values: torch's order differs from JAX's stable one",
                      torch=torch, jax=jax, min_diff=min_diff)


SORT_TIES = ties("x = torch.zeros(17)\nx[::3] = 1.0\nout = torch.sort(x).indices",
                 "out = jnp.argsort(jnp.zeros(17).at[::3].set(1.0))")
ARGSORT_TIES = ties("x = torch.zeros(17)\nx[::3] = 1.0\nout = torch.argsort(x)",
                    "out = jnp.argsort(jnp.zeros(17).at[::3].set(1.0))")
TOPK_TIES = ties("out = torch.topk(torch.tensor([1.0, 0.0, 0.0, 1.0]), 3).indices",
                 "out = lax.top_k(jnp.array([1.0, 0.0, 0.0, 1.0]), 3)[1]")
KTHVALUE_TIES = ties("out = torch.kthvalue(torch.tensor([1.0, 0.0, 0.0, 1.0]), 2).indices",
                     "out = jnp.argsort(jnp.array([1.0, 0.0, 0.0, 1.0]))[1]")


def compare(torch, jax, *, aliases=(), ints=False) -> Record:
    """`out = torch.f(a, b)` -> `out = jnp.f(a, b)`, `b` broadcast against `a`."""
    short = jax.replace("jax.numpy.", "jnp.")
    if ints:  # small integers: equal pairs are common
        inputs = (T("a", "*", dtype="int64", low=0, high=3), T("b", bcast="a", dtype="int64", low=0, high=3))
    else:
        inputs = (T("a", "*", special=True, grad=False), T("b", bcast="a", special=True, grad=False))
    return Record(
        torch=torch,
        jax=jax,
        aliases=aliases,
        torch_example=f"out = {torch}(a, b)",
        jax_example=f"out = {short}(a, b)",
        inputs=inputs,
        checks=("forward", "jit") if ints else ("forward", "jit", "bf16"),
        sizes=(0, 4),
        notes=("nan compares unequal to everything (itself included) in both. Boolean result: no gradient.",),
        sig=BINARY_SIG,
        template=short + "({input}, {other})",
        unsupported_args=OUT,
    )


def predicate(torch, jax) -> Record:
    """`out = torch.isX(x)` -> `out = jnp.isX(x)` on values with nan / +-inf."""
    short = jax.replace("jax.numpy.", "jnp.")
    return Record(
        torch=torch,
        jax=jax,
        torch_example=f"out = {torch}(x)",
        jax_example=f"out = {short}(x)",
        inputs=(T("x", "*", special=True, grad=False),),
        checks=("forward", "jit", "bf16"),
        sizes=(0, 4),
        notes=("Boolean result: no gradient.",),
        sig="input",
    )


RECORDS = [
    compare("torch.eq", "jax.numpy.equal", ints=True),
    compare("torch.ne", "jax.numpy.not_equal", aliases=("torch.not_equal",), ints=True),
    compare("torch.lt", "jax.numpy.less", aliases=("torch.less",)),
    compare("torch.le", "jax.numpy.less_equal", aliases=("torch.less_equal",)),
    compare("torch.gt", "jax.numpy.greater", aliases=("torch.greater",)),
    compare("torch.ge", "jax.numpy.greater_equal", aliases=("torch.greater_equal",)),
    Record(
        torch="torch.isclose",
        jax="jax.numpy.isclose",
        torch_example="out = torch.isclose(a, b, rtol=r, atol=t, equal_nan=e)",
        jax_example="out = jnp.isclose(a, b, rtol=r, atol=t, equal_nan=e)",
        # values packed into [1, 1 + 2**-10): many pairs fall near the tolerance
        inputs=(T("a", "*", low=1.0, high=1.0009765625, special=True, grad=False),
                T("b", bcast="a", low=1.0, high=1.0009765625, special=True, grad=False),
                Choice("r", (1e-5, 1e-4, 0.0)), Choice("t", (1e-8, 1e-4)), Choice("e", (False, True))),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("Same rule and defaults: |a - b| <= atol + rtol * |b| with rtol=1e-5, atol=1e-8, "
               "equal_nan=False; inf equals inf of the same sign in both. Measured identical on all 4M pairs of "
               "2000 consecutive float32 values above 1.",),
        sig="input, other, rtol=1e-05, atol=1e-08, equal_nan=False",
        template="jnp.isclose({input}, {other}, rtol={rtol?}, atol={atol?}, equal_nan={equal_nan?})",
    ),
    Record(
        torch="torch.allclose",
        jax="jax.numpy.allclose",
        torch_example="out = torch.allclose(a, b)",
        jax_example="out = jnp.allclose(a, b)",
        inputs=(T("a", "*", low=1.0, high=1.0001220703125, grad=False),
                T("b", bcast="a", low=1.0, high=1.0001220703125, grad=False)),
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("torch returns a Python bool; jnp.allclose a 0-d bool array (a tracer under jit: no "
               "Python `if` on it inside jitted code).",),
        sig="input, other, rtol=1e-05, atol=1e-08, equal_nan=False",
        template="jnp.allclose({input}, {other}, rtol={rtol?}, atol={atol?}, equal_nan={equal_nan?})",
    ),
    Record(
        torch="torch.equal",
        jax="jax.numpy.array_equal",
        torch_example="out = torch.equal(a, b)",
        jax_example="out = jnp.array_equal(a, b)",
        inputs=(T("a", "N", dtype="int64", low=0, high=2), T("b", bcast="a", dtype="int64", low=0, high=2)),
        checks=("forward", "jit"),
        sizes=(1, 3),
        notes=("Different shapes give False in both. torch returns a Python bool; jnp.array_equal a 0-d "
               "bool array (a tracer under jit).",),
        sig="input, other",
        template="jnp.array_equal({input}, {other})",
    ),
    predicate("torch.isnan", "jax.numpy.isnan"),
    predicate("torch.isinf", "jax.numpy.isinf"),
    predicate("torch.isfinite", "jax.numpy.isfinite"),
    Record(
        torch="torch.sort",
        jax="jax.numpy.sort",
        torch_example="out = torch.sort(x, dim=d, descending=s)",
        jax_example="out = (jnp.sort(x, axis=d, descending=s), jnp.argsort(x, axis=d, descending=s))",
        # distinct values: torch's default sort is not stable, so tied indices may come in any order
        inputs=(T("x", "*", unique=True), Dim("d", "x"), Choice("s", (False, True))),
        status="caveat",
        checks=("forward", "jit", "grad"),
        sizes=(0, 4),
        notes=(NAMEDTUPLE,
               "jnp.sort / jnp.argsort are stable; torch.sort is not unless stable=True, so the indices of "
               "tied values may differ (torch.sort[stable] matches exactly).",
               "nan sorts last ascending and first descending in both (measured)."),
        differences=(SORT_TIES,),
        sig="input, dim=-1, descending=False, *, stable=False, out=None",
        template="(jnp.sort({input}, axis={dim}, descending={descending}), jnp.argsort({input}, axis={dim}, "
                 "descending={descending}))",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.sort",
        variant="stable",
        jax="jax.numpy.sort",
        torch_example="out = torch.sort(x, dim=d, descending=s, stable=True)",
        jax_example="out = (jnp.sort(x, axis=d, descending=s), jnp.argsort(x, axis=d, descending=s))",
        # few distinct values: many ties, whose order stable=True fixes
        inputs=(T("x", "*", dtype="int64", low=0, high=3), Dim("d", "x"), Choice("s", (False, True))),
        status="caveat",
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=(NAMEDTUPLE,
               "With stable=True ties keep their input order in both, descending included.",),
        sig="input, dim=-1, descending=False, *, stable=False, out=None",
        template="(jnp.sort({input}, axis={dim}, descending={descending}), jnp.argsort({input}, axis={dim}, "
                 "descending={descending}))",
        unsupported_args=OUT,
    ),
    Record(
        torch="torch.argsort",
        jax="jax.numpy.argsort",
        torch_example="out = torch.argsort(x, dim=d, descending=s)",
        jax_example="out = jnp.argsort(x, axis=d, descending=s)",
        inputs=(T("x", "*", unique=True, grad=False), Dim("d", "x"), Choice("s", (False, True))),
        status="caveat",
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("jnp.argsort is stable by default, torch.argsort only with stable=True: tied values may "
               "come in another order. int64 in torch, int32 in JAX (no gradient).",),
        differences=(ARGSORT_TIES,),
        sig="input, dim=-1, descending=False, stable=False",
        rename={"dim": "axis"},
    ),
    Record(
        torch="torch.topk",
        jax="jax.lax.top_k",
        torch_example="out = torch.topk(x, k, dim=d)",
        jax_example="out = lax.top_k(x, k, axis=d)",
        # distinct values: the order of tied elements is unspecified in torch
        inputs=(T("x", "*", unique=True, min_rank=1), Choice("k", (1, 2)), Dim("d", "x")),
        status="caveat",
        checks=("forward", "jit", "grad"),
        sizes=(2, 4),
        notes=(NAMEDTUPLE,
               "lax.top_k always returns the values sorted (largest first); sorted=False is dropped.",
               "nan counts as the largest value in both (measured).", TIES),
        differences=(TOPK_TIES,),
        sig="input, k, dim=-1, largest=True, sorted=True, *, out=None",
        template="lax.top_k({input}, {k}, axis={dim?})",
        unsupported_args={**OUT, "largest": "lax.top_k has only the largest: v, i = lax.top_k(-x, k, axis=dim) "
                                            "and negate v (entry torch.topk[smallest])"},
    ),
    Record(
        torch="torch.topk",
        variant="smallest",
        jax="jax.lax.top_k",
        torch_example="out = torch.topk(x, k, dim=d, largest=False)",
        jax_example="v, i = lax.top_k(-x, k, axis=d)\nout = (-v, i)",
        inputs=(T("x", "*", unique=True, min_rank=1), Choice("k", (1, 2)), Dim("d", "x")),
        status="manual",
        checks=("forward", "jit", "grad"),
        sizes=(2, 4),
        notes=(NAMEDTUPLE,),
        reason="lax.top_k has no largest=False: take the top k of -x and negate the values back.",
        sig="input, k, dim=-1, largest=True, sorted=True, *, out=None",
    ),
    Record(
        torch="torch.kthvalue",
        jax="jax.numpy.sort",
        torch_example="out = torch.kthvalue(x, k, dim=d)",
        jax_example="out = (jnp.take(jnp.sort(x, axis=d), k - 1, axis=d), jnp.take(jnp.argsort(x, axis=d), k - 1, "
                    "axis=d))",
        inputs=(T("x", "*", unique=True, min_rank=1), Choice("k", (1, 2)), Dim("d", "x")),
        status="caveat",
        checks=("forward", "jit", "grad"),
        sizes=(2, 4),
        notes=(NAMEDTUPLE, "k is 1-based in torch (k=1 is the smallest), hence k - 1.", TIES),
        differences=(KTHVALUE_TIES,),
        sig="input, k, dim=-1, keepdim=False, *, out=None",
        template="(jnp.take(jnp.sort({input}, axis={dim}), {k} - 1, axis={dim}), jnp.take(jnp.argsort({input}, "
                 "axis={dim}), {k} - 1, axis={dim}))",
        unsupported_args={**OUT, "keepdim": "wrap each result in jnp.expand_dims(..., dim)"},
    ),
    Record(
        torch="torch.unique",
        jax="jax.numpy.unique",
        torch_example="out = torch.unique(x, return_inverse=True, return_counts=True)",
        jax_example="out = jnp.unique(x, return_inverse=True, return_counts=True)",
        inputs=(T("x", "*", dtype="int64", low=0, high=4),),
        status="manual",
        checks=("forward",),
        sizes=(0, 4),
        notes=("Both sort the unique values; the inverse indices have the input's shape in both.",),
        reason=("The output size depends on the data: this works eagerly, but under jax.jit pass a static "
                "size= (and fill_value=), e.g. jnp.unique(x, size=x.size, fill_value=-1), and mask the "
                "padding."),
        sig="input, sorted=True, return_inverse=False, return_counts=False, dim=None",
    ),
    predicate("torch.isposinf", "jax.numpy.isposinf"),
    predicate("torch.isneginf", "jax.numpy.isneginf"),
    Record(
        torch="torch.msort",
        jax="jax.numpy.sort",
        torch_example="out = torch.msort(x)",
        jax_example="out = jnp.sort(x, axis=0)",
        inputs=(T("x", "*", min_rank=1, unique=True),),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Sorts along the first axis (torch.sort(x, dim=0).values).",),
        sig="input, *, out=None",
        template="jnp.sort({input}, axis=0)",
        unsupported_args=OUT,
    ),
]
