"""Pooling that nn.py and nn_functional.py leave out: adaptive max pools and 3-D adaptive average pools, 3-D
average pooling, power-average (LP) pools, pools that return indices, max unpooling and fractional max pools.

Layout stays torch's (N, C, *spatial): windows are sliced from the trailing axes, as the 2-D pool records do
with lax.reduce_window. Adaptive pools are written exactly, for every input and output size: output cell i of
an axis of length n pools [floor(i n / o), ceil((i + 1) n / o)), torch's rule.
"""

from mapping.record import Choice, Difference, Record, T, Tol

_AXES = {1: "-1", 2: "(-2, -1)", 3: "(-3, -2, -1)"}
_INDICES = ("return_indices=True returns (values, flat indices) too: see the matching *_with_indices entry "
            "(the indices need their own code)")
_CEIL = "lax.reduce_window has no ceil mode: pad the high side by the extra window yourself"
_NO_BF16 = "torch has no bfloat16 avg_pool3d on CPU (NotImplementedError)"
_SUBNORMAL_MAX = ("A window whose largest value is subnormal (0 < x < 1.2e-38) beside a zero: XLA on CPU flushes it to "
                  "0, so JAX sees a tie and splits the gradient (0.5 each) where torch sends it all to the subnormal "
                  "(found by the fuzz profile); the draws leave subnormals out.")


def _subnormal_max(nd: int) -> Difference:
    """The gradient of a max window holding a subnormal and a zero: torch 1 to the subnormal, JAX 0.5 to each."""
    shape = "(1, 1" + ", 1" * (nd - 1) + ", 2)"
    return Difference(
        note="gradient of a window holding 1e-40 and 0: torch [1, 0], JAX [0.5, 0.5] (XLA:CPU flushes 1e-40 to 0)",
        torch=f"x = torch.tensor([1e-40, 0.0]).reshape{shape}.requires_grad_()\n"
              f"F.adaptive_max_pool{nd}d(x, 1).sum().backward()\nout = x.grad.reshape(-1)",
        jax="out = jax.grad(lambda x: x.max())(jnp.array([1e-40, 0.0]))",
        min_diff=0.4,
    )


_TIES = "Inputs are distinct: with tied maxima the two frameworks may route the gradient to different elements."


def _adaptive(nd: int, op: str, x: str, o: str) -> str:
    """The adaptive pool of `x`'s last `nd` axes to output size `o` (int or tuple): one window per output cell."""
    size = (lambda i: o) if nd == 1 else (lambda i: f"np.broadcast_to({o}, {nd})[{i}]")
    slices = ", ".join(f"i{i} * {x}.shape[{i - nd}] // {size(i)}:-(-(i{i} + 1) * {x}.shape[{i - nd}] // {size(i)})"
                       for i in range(nd))
    expr = f"{x}[..., {slices}].{op}(axis={_AXES[nd]})"
    for i in reversed(range(nd)):
        expr = f"jnp.stack([{expr} for i{i} in range({size(i)})], axis={i - nd})"
    return expr


def _adaptive_records(nd: int, op: str, name: str, inputs: tuple, choices: tuple) -> list[Record]:
    """F.adaptive_<op>_pool<nd>d and nn.Adaptive<Op>Pool<nd>d, both exact for every size."""
    is_max = op == "max"
    kind = "Max" if is_max else "Avg"
    notes = ("Exact for every size: output cell i of an axis of length n pools [floor(i n / o), ceil((i + 1) n / o)), "
             "as torch does; windows overlap when o does not divide n (unrolled at trace time: o windows per axis).",
             "output_size entries of None (keep that axis) are not covered: the rewrite raises; write the size.")
    if is_max:
        notes += (_TIES, _SUBNORMAL_MAX)
    extra = {"return_indices": _INDICES} if is_max else {}
    status = dict(status="caveat", differences=(_subnormal_max(nd),)) if is_max else {}
    common = dict(jax="jax.numpy.stack (one window per output cell)", inputs=(*inputs, Choice("o", choices)), **status,
                  checks=("forward", "jit", "grad", "bf16"), sizes=(2, 5), notes=notes)
    fn_sig = "input, output_size, return_indices=False" if is_max else "input, output_size"
    mod_sig = "output_size, return_indices=False" if is_max else "output_size"
    return [
        Record(torch=f"torch.nn.functional.adaptive_{op if is_max else 'avg'}_pool{nd}d",
               torch_example=f"out = F.adaptive_{name}_pool{nd}d(x, o)",
               jax_example=f"out = {_adaptive(nd, op, 'x', 'o')}",
               sig=fn_sig, template=_adaptive(nd, op, "{input}", "{output_size}"), unsupported_args=extra, **common),
        Record(torch=f"torch.nn.Adaptive{kind}Pool{nd}d",
               torch_example=f"m = nn.Adaptive{kind}Pool{nd}d(o)\nout = m(x)",
               jax_example=f"m = lambda x: {_adaptive(nd, op, 'x', 'o')}\nout = m(x)",
               sig=mod_sig, template=f"lambda x: {_adaptive(nd, op, 'x', '{output_size}')}", unsupported_args=extra,
               **common),
    ]


# The pattern of every pool that returns indices: one argmax per window, over the window's flat positions.
_WITH_INDICES = (
    "import itertools\n"
    "def pool_with_indices(x, windows, pad=0):\n"
    "    # windows: per pooled (trailing) axis, the (start, stop) of each output cell, in padded coordinates\n"
    "    nd = len(windows)\n"
    "    spatial = x.shape[-nd:]\n"
    "    flat = np.pad(np.arange(np.prod(spatial)).reshape(spatial), pad, constant_values=-1)\n"
    "    x = jnp.pad(x, [(0, 0)] * (x.ndim - nd) + [(pad, pad)] * nd, constant_values=-jnp.inf)\n"
    "    values, indices = [], []\n"
    "    for box in itertools.product(*windows):\n"
    "        cut = tuple(slice(a, b) for a, b in box)\n"
    "        w = x[(..., *cut)].reshape(*x.shape[:-nd], -1)\n"
    "        values.append(jnp.max(w, axis=-1))\n"
    "        indices.append(jnp.asarray(flat[cut].reshape(-1))[jnp.argmax(w, axis=-1)])\n"
    "    shape = x.shape[:-nd] + tuple(len(w) for w in windows)\n"
    "    return jnp.stack(values, -1).reshape(shape), jnp.stack(indices, -1).reshape(shape)\n"
)
_WITH_INDICES_NOTE = ("The indices are flat positions in each (n, c) plane of the unpadded input, as torch's: "
                      "int32 in JAX (int64 in torch). Ties pick the first maximum in both; the draws are distinct "
                      "and normal (XLA:CPU flushes subnormals to 0, which can make a tie torch does not see).")


def _max_with_indices(nd: int) -> Record:
    shape = {1: "2,3,L", 2: "2,2,L,L", 3: "1,2,L,L,L"}[nd]
    return Record(
        torch=f"torch.nn.functional.max_pool{nd}d_with_indices",
        jax="jax.numpy.argmax over each window",
        status="manual",
        torch_example=f"out = F.max_pool{nd}d_with_indices(x, 2, stride=s, padding=p)",
        jax_example=_WITH_INDICES + (
            f"windows = [[(i * s, i * s + 2) for i in range((n + 2 * p - 2) // s + 1)] for n in x.shape[-{nd}:]]\n"
            "out = pool_with_indices(x, windows, pad=p)"),
        inputs=(T("x", shape, unique=True, normal=True), Choice("s", (2, 1)), Choice("p", (0, 1))),
        sizes=(3, 5) if nd < 3 else (2, 4),
        checks=("forward", "jit", "grad"),
        notes=(_WITH_INDICES_NOTE, "The values alone: torch.nn.functional.max_pool" + f"{nd}d (lax.reduce_window).",
               "dilation: the windows become (i * s, i * s + d * (k - 1) + 1) sliced with step d."),
        reason="lax.reduce_window gives no argmax: take the max and argmax of each window (example); the indices "
               "then feed max_unpool (jnp.put_along_axis) or a gather",
        sig="input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False",
    )


def _adaptive_with_indices(nd: int) -> Record:
    shape = {1: "2,3,L", 2: "2,2,L,L", 3: "1,2,L,L,L"}[nd]
    return Record(
        torch=f"torch.nn.functional.adaptive_max_pool{nd}d_with_indices",
        jax="jax.numpy.argmax over each window",
        status="manual",
        torch_example=f"out = F.adaptive_max_pool{nd}d_with_indices(x, o)",
        jax_example=_WITH_INDICES + (
            f"windows = [[(i * n // o, -(-(i + 1) * n // o)) for i in range(o)] for n in x.shape[-{nd}:]]\n"
            "out = pool_with_indices(x, windows)"),
        inputs=(T("x", shape, unique=True, normal=True), Choice("o", (2, 3, 1))),
        sizes=(2, 5) if nd < 3 else (2, 4),
        checks=("forward", "jit", "grad"),
        notes=(_WITH_INDICES_NOTE, f"The values alone: torch.nn.functional.adaptive_max_pool{nd}d."),
        reason="no argmax comes with a max over windows in JAX: take the max and argmax of each adaptive window "
               "(example)",
        sig="input, output_size, return_indices=False",
    )


def _unpool_sizes(nd: int, x: str, k: str, s: str, p: str) -> str:
    return (f"tuple((n - 1) * st - 2 * pd + kn for n, kn, st, pd in zip({x}.shape[-{nd}:], np.broadcast_to({k}, {nd}), "
            f"np.broadcast_to({s} or {k}, {nd}), np.broadcast_to({p}, {nd})))")


def _unpool(nd: int, x: str, i: str, k: str, s: str, p: str) -> str:
    """max_unpool: scatter each value to its flat index in a zero plane of torch's default output size."""
    sizes = _unpool_sizes(nd, x, k, s, p)
    return (f"jnp.put_along_axis(jnp.zeros((*{x}.shape[:-{nd}], int(np.prod({sizes}))), {x}.dtype), "
            f"{i}.reshape(*{i}.shape[:-{nd}], -1), {x}.reshape(*{x}.shape[:-{nd}], -1), axis=-1, inplace=False)"
            f".reshape(*{x}.shape[:-{nd}], *{sizes})")


def _unpool_records(nd: int) -> list[Record]:
    shape = {1: "1,2,4", 2: "1,2,2,2", 3: "1,1,2,2,2"}[nd]
    high = {1: 8, 2: 16, 3: 64}[nd]
    common = dict(
        jax="jax.numpy.put_along_axis",
        inputs=(T("x", shape, contiguous=True), T("i", shape, "int64", 0, high, unique=True, contiguous=True)),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("Each value goes to its flat index in its (n, c) plane of the output (zeros elsewhere); the output "
               "size is torch's default (n - 1) * stride - 2 * padding + kernel_size.",
               "The indices come from max_pool(..., return_indices=True) (see the *_with_indices entries); they are "
               "distinct within a plane there. Repeated indices: torch and JAX each keep one of the values, not "
               "necessarily the same one; the draws are distinct.",
               "torch's backward needs contiguous values and indices (a transposed view raises in its view()); "
               "JAX has no such need."),
        unsupported_args={"output_size": "pass the output's spatial shape in place of the computed sizes"},
    )
    return [
        Record(torch=f"torch.nn.functional.max_unpool{nd}d",
               torch_example=f"out = F.max_unpool{nd}d(x, i, 2)",
               jax_example=f"out = {_unpool(nd, 'x', 'i', '2', 'None', '0')}",
               sig="input, indices, kernel_size, stride=None, padding=0, output_size=None",
               template=_unpool(nd, "{input}", "{indices}", "{kernel_size}", "{stride}", "{padding}"), **common),
        Record(torch=f"torch.nn.MaxUnpool{nd}d",
               torch_example=f"m = nn.MaxUnpool{nd}d(2)\nout = m(x, i)",
               jax_example=f"m = lambda input, indices: {_unpool(nd, 'input', 'indices', '2', 'None', '0')}\n"
                           "out = m(x, i)",
               sig="kernel_size, stride=None, padding=0",
               template="lambda input, indices: " + _unpool(nd, "input", "indices", "{kernel_size}", "{stride}",
                                                            "{padding}"), **common),
    ]


def _lp(nd: int, x: str, p: str, k: str, s: str) -> str:
    """torch's LP pool: (sign(S) relu(|S|)) ** (1 / p) of the window sums S of x ** p (its gradient at S = 0 too)."""
    return (f"(lambda s: (jnp.sign(s) * jax.nn.relu(jnp.abs(s))) ** (1 / {p}))(lax.reduce_window({x} ** {p}, 0.0, "
            f"lax.add, (1,) * ({x}.ndim - {nd}) + tuple(np.broadcast_to({k}, {nd})), (1,) * ({x}.ndim - {nd}) + "
            f"tuple(np.broadcast_to({s} or {k}, {nd})), 'VALID'))")


def _lp_records(nd: int) -> list[Record]:
    shape = {1: "N,2,L", 2: "N,2,L,L", 3: "1,2,L,L,L"}[nd]
    common = dict(
        jax="jax.lax.reduce_window",
        inputs=(T("x", shape), Choice("p", (2.0, 1.0)), Choice("s", (None, 1))),
        checks=("forward", "jit", "grad", "bf16") if nd < 3 else ("forward", "jit", "grad"),
        why_not={} if nd < 3 else {"bf16": _NO_BF16},
        sizes=(2, 5) if nd < 3 else (2, 3),
        tol=Tol(1e-5, 1e-6, "torch averages the powers and multiplies by the window size; the rewrite sums them: "
                            "a few ulp"),
        grad_tol=Tol(1e-5, 1e-5, "torch averages the powers and multiplies by the window size; the rewrite sums "
                                 "them: a few ulp"),
        notes=("(sum over the window of x ** p) ** (1 / p), with torch's sign(S) * relu(|S|) around the sum S so the "
               "gradient where a window sums to 0 is torch's (0, not 1). A negative sum with a fractional 1 / p is "
               "nan in both. norm_type=inf: torch takes the max of |x|: write the max pool of jnp.abs(x).",
               "stride defaults to kernel_size; no padding (torch's LP pools have none).",
               "A window with a negative entry and a fractional norm_type: the output is nan in both, and torch's "
               "gradient is nan over the whole window where JAX's is nan only at the negative entry (0 at the "
               "others: jax.nn.relu's gradient at nan is 0; found by torch's module_db inputs)."),
        status="caveat",
        differences=(Difference(
            note="gradient of a window that is nan (negative entry, norm_type 1.5): torch nan everywhere in it, JAX "
                 "nan only at the negative entry (1 = nan below)",
            torch="x = torch.tensor([[[-1.0, 2.0]]], requires_grad=True)\nF.lp_pool1d(x, 1.5, 2).sum().backward()\n"
                  "out = torch.isnan(x.grad).float()",
            jax=f"g = jax.grad(lambda x: {_lp(1, 'x', '1.5', '2', 'None')}.sum())(jnp.array([[[-1.0, 2.0]]]))\n"
                "out = jnp.isnan(g).astype(jnp.float32)",
            min_diff=1.0,
        ),),
        unsupported_args={"ceil_mode": _CEIL},
    )
    return [
        Record(torch=f"torch.nn.functional.lp_pool{nd}d",
               torch_example=f"out = F.lp_pool{nd}d(x, p, 2, stride=s)",
               jax_example=f"out = {_lp(nd, 'x', 'p', '2', 's')}",
               sig="input, norm_type, kernel_size, stride=None, ceil_mode=False",
               template=_lp(nd, "{input}", "{norm_type}", "{kernel_size}", "{stride}"), **common),
        Record(torch=f"torch.nn.LPPool{nd}d",
               torch_example=f"m = nn.LPPool{nd}d(p, 2, stride=s)\nout = m(x)",
               jax_example=f"m = lambda x: {_lp(nd, 'x', 'p', '2', 's')}\nout = m(x)",
               sig="norm_type, kernel_size, stride=None, ceil_mode=False",
               template="lambda x: " + _lp(nd, "x", "{norm_type}", "{kernel_size}", "{stride}"), **common),
    ]


def _avg3(x: str, k: str, s: str, p: str, d: str) -> str:
    return (f"lax.reduce_window({x}, 0.0, lax.add, (1, 1, *np.broadcast_to({k}, 3)), (1, 1, *np.broadcast_to({s} or "
            f"{k}, 3)), [(0, 0), (0, 0)] + [(n, n) for n in np.broadcast_to({p}, 3)]) / ({d} or "
            f"np.prod(np.broadcast_to({k}, 3)))")


RECORDS = [
    *_adaptive_records(1, "max", "max", (T("x", "N,C,L", unique=True, normal=True),), (2, 3, 1)),
    *_adaptive_records(2, "max", "max", (T("x", "N,2,L,L", unique=True, normal=True),), (2, 3, (2, 3), 1)),
    *_adaptive_records(3, "max", "max", (T("x", "1,2,L,L,L", unique=True, normal=True),), (2, 3, (1, 2, 3), 1)),
    *_adaptive_records(3, "mean", "avg", (T("x", "1,2,L,L,L"),), (2, 3, (1, 2, 3), 1)),
    *(_max_with_indices(nd) for nd in (1, 2, 3)),
    *(_adaptive_with_indices(nd) for nd in (1, 2, 3)),
    *(r for nd in (1, 2, 3) for r in _unpool_records(nd)),
    *(r for nd in (1, 2, 3) for r in _lp_records(nd)),
    Record(
        torch="torch.nn.functional.avg_pool3d",
        jax="jax.lax.reduce_window",
        status="caveat",
        torch_example="out = F.avg_pool3d(x, 2, stride=s, padding=p, divisor_override=dv)",
        jax_example=f"out = {_avg3('x', '2', 's', 'p', 'dv')}",
        inputs=(T("x", "1,2,L,L,L"), Choice("s", (None, 1)), Choice("p", (0, 1)), Choice("dv", (None, 3))),
        checks=("forward", "jit", "grad"),
        why_not={"bf16": _NO_BF16},
        sizes=(2, 4),
        notes=("Window sums divided by divisor_override or the kernel volume (torch's default count_include_pad=True "
               "counts the zero padding). stride defaults to kernel_size.",
               "On integer tensors torch keeps the dtype and rounds each average down; the rewrite returns the "
               "float32 average (PyTorch's OpInfo found it on avg_pool2d). Checked on float32."),
        differences=(Difference(note="an int tensor: torch 3 (int64), the rewrite 3.5 (float32)",
                                torch="out = F.avg_pool3d(torch.arange(8).reshape(1, 1, 2, 2, 2), 2)",
                                jax="x = jnp.arange(8).reshape(1, 1, 2, 2, 2)\n"
                                    "out = lax.reduce_window(x, 0.0, lax.add, (1, 1, 2, 2, 2), (1, 1, 2, 2, 2), "
                                    "'VALID') / 8",
                                min_diff=0.4),),
        sig="input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, "
            "divisor_override=None",
        template=_avg3("{input}", "{kernel_size}", "{stride}", "{padding}", "{divisor_override}"),
        unsupported_args={"ceil_mode": _CEIL,
                          "count_include_pad": "False divides each window by its real elements: the same window sum "
                                               "over jnp.ones_like(x) (see avg_pool2d[count_include_pad])"},
    ),
]
