"""How a call picks its record and how the record rewrites it (migrate/rewrite.py; mapping/README.md,
"The rewrite"): in-place assignment templates, the choice among an API's variants, optional holes."""

import dataclasses
import re

import libcst as cst
import pytest

import mapping
from mapping.record import Choice, Dim, Record, T
from migrate import rewrite
from migrate.findings import Catalogue, Options, examine
from migrate.suggest import validate

CATALOGUE = Catalogue(mapping.load())
HEAD = "import torch\nimport torch.nn.functional as F\n"


def report(source: str, catalogue: Catalogue = CATALOGUE, unsafe: bool = False):
    return examine("t.py", source, catalogue, Options(unsafe=unsafe, render=True))


def finding(source: str, api: str, catalogue: Catalogue = CATALOGUE):
    [f] = [f for f in report(source, catalogue).findings if f.api == api]
    return f


def body(fixed: str) -> str:
    """The fixed text without its import lines."""
    return "".join(ln + "\n" for ln in fixed.splitlines() if not ln.startswith(("import ", "from ")))


# -- in-place methods: assignment templates --------------------------------------------------------------

# x is the function's own new tensor: a caller's tensor (a parameter) would be changed by torch, not by a rebinding
TENSORS = "import torch\ndef f(x0: torch.Tensor, y: torch.Tensor, m: torch.Tensor):\n    x = 2 * x0\n"


@pytest.mark.parametrize("line,expected", [
    ("x.add_(y)", "x = jnp.add(x, y)"),
    ("x.zero_()", "x = jnp.zeros_like(x)"),
    ("x.fill_(0.5)", "x = jnp.full_like(x, 0.5)"),
    ("x.clamp_(min=0.0)", None),  # caveat: --unsafe-fixes only
    ("x.masked_fill_(m, 0.0)", "x = jnp.where(m, 0.0, x).astype(x.dtype)"),
    ("x.add_(y); x.mul_(2)", "x = jnp.add(x, y); x = jnp.multiply(x, 2)"),
    ("if y is not None: x.sub_(y)", "if y is not None: x = jnp.subtract(x, y)"),
    ("x.add_(y.view(-1))  # keep", "x = jnp.add(x, y.reshape(-1))  # keep"),  # the inner rewrite composes
])
def test_in_place_statement_becomes_an_assignment(line, expected):
    source = TENSORS + f"    {line}\n"
    fixed = report(source).fixed
    if expected is None:
        assert fixed == source
        assert "    x = jnp.clip(x, min=0.0)\n" in report(source, unsafe=True).fixed
    else:
        assert body(fixed) == body(TENSORS) + f"    {expected}\n"
    assert "JM307" not in {f.rule for f in report(source).findings}


@pytest.mark.parametrize("line,why", [
    ("w = x.add_(y)", "value is used"),  # its value is used
    ("return x.mul_(2)", "value is used"),
    ("g(x.zero_())", "value is used"),
    ("x[0].fill_(1.0)", "must be a name"),  # not a name: x = x.at[0].set(...)
    ("(x).zero_()", "must be a name"),
    ("f(x).zero_()", "must be a name"),
    ("x.grad.zero_()", "is an attribute"),  # torch: TypeError for a jax array; nnx: the Param is replaced
    ("x.add_(y, alpha=2)", "alpha="),  # unsupported argument
])
def test_in_place_elsewhere_stays_manual_with_the_reason(line, why):
    source = TENSORS + f"    {line}\n"
    [f] = [f for f in report(source).findings if f.api.startswith("torch.Tensor.") and f.api.endswith("_")]
    assert f.rule == "JM307" and f.status == "manual" and f.replacement is None and why in f.message, f.message
    assert f.entry is not None and f.sketch  # linked to its record, with a sketch of the JAX code
    assert report(source).fixed == source


def test_in_place_on_an_attribute_is_never_rebound():
    """`p.data = ...` / `m.fc.bias = ...` raise in torch for a jax array, and in nnx drop the Param."""
    source = "import torch\ndef f(p):\n    p.data.mul_(0.5)\n    p.grad.zero_()\n"
    f = finding(source, "torch.Tensor.mul_")
    assert f.replacement is None and f.rule == "JM307" and "p.data is an attribute" in f.message
    assert report(source, unsafe=True).fixed == source


def test_in_place_on_self_is_never_rebound():
    source = "import torch\nclass T(torch.Tensor):\n    def f(self):\n        self.add_(1)\n"
    assert report(source, unsafe=True).fixed == source


def test_in_place_without_a_template_keeps_the_in_place_rule():
    f = finding(TENSORS + "    x.requires_grad_()\n", "torch.Tensor.requires_grad_")
    assert f.rule == "JM307" and f.replacement is None


def test_assignment_templates_of_functions_apply_to_statements_only():
    record = Record(torch="torch.frob_", jax="jax.numpy.frob", torch_example="", jax_example="",
                    sig="tensor, value", template="{tensor} = jnp.full_like({tensor}, {value})")
    catalogue = Catalogue([record])
    assert body(report("import torch\ntorch.frob_(w, 2)\n", catalogue).fixed) == "w = jnp.full_like(w, 2)\n"
    for source in ("import torch\nv = torch.frob_(w, 2)\n", "import torch\ntorch.frob_(w[0], 2)\n"):
        f = finding(source, "torch.frob_", catalogue)
        assert f.replacement is None and f.status == "manual" and f.rule == "JM106", f.message


# -- choosing among an API's records ---------------------------------------------------------------------


@pytest.mark.parametrize("call,entry", [
    ("x.split([1, 3, 2])", "torch.Tensor.split[sizes]"),  # a list literal: the sizes of the pieces
    ("x.split((2, 4), dim=1)", "torch.Tensor.split[sizes]"),
    ("x.split([s for s in sizes])", "torch.Tensor.split[sizes]"),
    ("x.split(2)", "torch.Tensor.split"),  # an int: the size of each piece
    ("x.split(n, 1)", "torch.Tensor.split"),  # unknown: the plain record
    ("x.size()", "torch.Tensor.size"),
    ("x.size(-1)", "torch.Tensor.size[dim]"),
    ("x.max()", "torch.Tensor.max"),
    ("x.max(1)", "torch.Tensor.max[dim]"),
    ("torch.split(x, [3, 3])", "torch.split[sizes]"),
    ("torch.div(x, y)", "torch.div"),
    ("torch.div(x, y, rounding_mode='floor')", "torch.div[floor]"),
    ("torch.div(x, y, rounding_mode='trunc')", "torch.div[trunc]"),  # was div[floor], dropping 'trunc'
    ("torch.multinomial(x, 2, replacement=True)", "torch.multinomial[replacement]"),
    ("torch.multinomial(x, 2, replacement=False)", "torch.multinomial"),  # was the with-replacement sampler
    ("F.linear(x, y)", "torch.nn.functional.linear"),
    ("F.linear(x, y, b)", "torch.nn.functional.linear[bias]"),  # named by a positional argument
    ("F.linear(x, y, None)", "torch.nn.functional.linear"),  # the default written out
    ("F.gelu(x)", "torch.nn.functional.gelu"),
    ("F.gelu(x, approximate='none')", "torch.nn.functional.gelu"),
    ("F.gelu(x, approximate='tanh')", "torch.nn.functional.gelu[tanh]"),
    ("F.dropout(x, 0.5, False)", "torch.nn.functional.dropout[eval]"),
    ("F.dropout(x, 0.5, training=True)", "torch.nn.functional.dropout"),
    ("torch.arange(n, dtype=torch.float32)", "torch.arange[dtype]"),
    ("torch.arange(0.5, 3.0, dtype=torch.float32)", "torch.arange[float]"),
    ("torch.arange(n, dtype=torch.long)", "torch.arange"),  # not in arange[dtype]'s table: the int64 entry
    ("torch.arange(n, dtype=x.dtype)", "torch.arange"),  # x.dtype may be an integer type
])
def test_the_call_picks_the_record(call, entry):
    source = HEAD + "def f(x: torch.Tensor, y: torch.Tensor, b, n, sizes):\n    return " + call + "\n"
    [f] = [f for f in report(source).findings if f.line == 4 and f.column == 12]
    assert f.entry == entry, (f.entry, f.message)


def test_split_sizes_rewrite():
    source = "import torch\ndef f(x: torch.Tensor):\n    return x.split([1, 3, 2]), x.split(2, -1)\n"
    assert body(report(source).fixed).endswith(
        "    return jnp.split(x, np.cumsum([1, 3, 2])[:-1]), jnp.split(x, list(range(2, x.shape[-1], 2)), axis=-1)\n")


def _frob(variant: str = "", example: str = "out = torch.frob(x, 2)", template: str = "jnp.frob({input})",
          **kw) -> Record:
    return Record(torch="torch.frob", jax="jax.numpy.frob", torch_example=example, jax_example="", variant=variant,
                  sig=kw.pop("sig", "input, size=1, mode='a', bias=None"), template=template, **kw)


def _chosen(records: list, call: str) -> str:
    record, binding, why = rewrite.choose(records, cst.parse_expression(call))
    return record.id


def test_choice_follows_the_literals_each_record_was_proven_with():
    records = [_frob(template="jnp.frob({input}, {size})", inputs=(T("x"), Choice("s", (1, 2)))),
               _frob("pieces", "out = torch.frob(x, [1, 2])", "jnp.pieces({input}, {size})"),
               _frob("b", "out = torch.frob(x, mode='b')", "jnp.frob_b({input})"),
               _frob("t", "out = torch.frob(x, t)", "jnp.frob_t({input})", inputs=(T("x"), T("t")))]
    assert _chosen(records, "torch.frob(x, 3)") == "torch.frob"
    assert _chosen(records, "torch.frob(x, (1, 2))") == "torch.frob[pieces]"
    assert _chosen(records, "torch.frob(x, [k for k in ks])") == "torch.frob[pieces]"
    assert _chosen(records, "torch.frob(x, s)") == "torch.frob"  # a name proves nothing: the plain record
    assert _chosen(records, "torch.frob(x, mode='b')") == "torch.frob[b]"
    assert _chosen(records, "torch.frob(x, mode='a')") == "torch.frob"  # the default: what the plain one used
    assert _chosen(records, "torch.frob(x, 2.5)") == "torch.frob"  # contradicts all: catalogue order


def test_choice_by_parameter_name():
    records = [_frob(unsupported_args={"bias": "see torch.frob[bias]"}),
               _frob("bias", "out = torch.frob(x, bias=b)", "jnp.frob({input}) + {bias}"),
               _frob("mode", "out = torch.frob(x, mode='c')", "jnp.frob({input}, mode={mode})")]
    assert _chosen(records, "torch.frob(x)") == "torch.frob"
    assert _chosen(records, "torch.frob(x, 1, 'a', b)") == "torch.frob[bias]"  # named by position
    assert _chosen(records, "torch.frob(x, bias=b)") == "torch.frob[bias]"
    assert _chosen(records, "torch.frob(x, mode='c')") == "torch.frob[mode]"
    # a variant named after an optional argument the call does not give comes last
    assert _chosen(list(reversed(records)), "torch.frob(x, 1)") == "torch.frob"


def test_proven_kinds_come_from_the_example_inputs_and_defaults():
    record = _frob(example="out = (torch.frob(x, s), torch.frob(x, d, mode='b', bias=None))",
                   inputs=(T("x"), Choice("s", (1, [2, 3], None)), Dim("d", "x")))
    kinds = rewrite.proven(record)
    assert kinds["input"] == {"tensor"}
    assert kinds["size"] == {"int", "sequence", ("value", None)}
    assert kinds["mode"] == {("value", "a"), ("value", "b")}  # the default 'a' in the first call
    assert kinds["bias"] == {("value", None)}


def test_a_default_written_out_is_not_an_unsupported_argument():
    records = [_frob(unsupported_args={"bias": "no"})]
    record, binding, why = rewrite.choose(records, cst.parse_expression("torch.frob(x, bias=None)"))
    assert binding is not None and not why
    record, binding, why = rewrite.choose(records, cst.parse_expression("torch.frob(x, bias=b)"))
    assert binding is None and "bias=" in why
    # without a template the default is not written either
    plain = dataclasses.replace(mapping.by_id()["torch.cat"])
    assert finding("import torch\ny = torch.cat([a], out=None)\n", "torch.cat",
                   Catalogue([plain])).replacement == "jnp.concatenate([a])"


# -- the template ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("call,expected", [
    ("x.mean()", "x.mean()"),
    ("x.sum(1)", "x.sum(axis=1)"),
    ("x.sum(1, True)", "x.sum(axis=1, keepdims=True)"),
    ("x.std()", "x.std(ddof=1)"),  # torch's default differs from JAX's: written out
    ("x.std(0, keepdim=True)", "x.std(axis=0, ddof=1, keepdims=True)"),
    ("x.argmax(-1)", "x.argmax(axis=-1)"),
    ("x.max(1)", "(x.max(axis=1), x.argmax(axis=1))"),
    ("x.norm()", "jnp.linalg.norm(x)"),
    ("x.clamp(max=1.0)", "jnp.clip(x, max=1.0)"),
    ("x.clamp(0, 1)", "jnp.clip(x, min=0, max=1)"),
    ("x.flatten()", "lax.collapse(x, 0)"),
    ("x.flatten(1, -1)", "lax.collapse(x, 1, None)"),
    ("x.sort()", "(jnp.sort(x), jnp.argsort(x))"),
    ("x.topk(3)", "lax.top_k(x, 3)"),
    ("x.tril()", "jnp.tril(x)"),
    ("x.roll(1)", "jnp.roll(x, 1)"),
    ("x.chunk(3)", "jnp.split(x, 3)"),
])
def test_tensor_templates_leave_defaults_out(call, expected):
    source = "import torch\ndef f(x: torch.Tensor):\n    return " + call + "\n"
    f = [f for f in report(source, unsafe=True).findings if f.column == 12][0]
    assert f.replacement == expected


@pytest.mark.parametrize("args,expected", [
    ("a=-1.0, b=0.1", "(-1.0 - 0.1) / 2 + (-1.0) ** 2 + (-1.0).real"),  # a sign needs no parentheses ...
    ("a=-x, b=-0.1", "(-x - -0.1) / 2 + (-x) ** 2 + (-x).real"),  # ... except before ** or an attribute
    ("a=y - 1, b=z", "((y - 1) - z) / 2 + (y - 1) ** 2 + (y - 1).real"),  # other operations: always
])
def test_operands_are_parenthesised_only_when_needed(args, expected):
    record = Record(torch="torch.frob", jax="jax.numpy.frob", torch_example="", jax_example="", sig="a, b",
                    template="({a} - {b}) / 2 + {a} ** 2 + {a}.real")
    assert finding(f"import torch\nv = torch.frob({args})\n", "torch.frob", Catalogue([record])).replacement == expected


# -- names a template needs: rngs, key ----------------------------------------------------------------------

@pytest.mark.parametrize("source,applied", [
    ("x = torch.randn(3)\n", False),  # no key anywhere: the fix would raise NameError
    ("import jax\nkey = jax.random.key(0)\nx = torch.randn(3)\n", True),
    ("def f(key):\n    return torch.randn(3)\n", True),
    ("def f():\n    return torch.randn(3)\ndef g(key):\n    pass\n", False),  # bound elsewhere only
    ("m = torch.nn.Linear(2, 3)\n", False),
    ("from flax import nnx\nrngs = nnx.Rngs(0)\nm = torch.nn.Linear(2, 3)\n", True),
])
def test_rewrite_needing_an_unbound_name_is_not_applied(source, applied):
    rep = report(HEAD + source, unsafe=True)
    [f] = [f for f in rep.findings if f.api in ("torch.randn", "torch.nn.Linear")]
    assert f.replacement and f.fixable is applied
    assert any(call in rep.fixed for call in ("torch.randn(3)", "torch.nn.Linear(2, 3)")) is not applied
    if not applied:
        assert "not applied: the JAX code needs" in f.message


@pytest.mark.parametrize("template,names", [
    ("nnx.Linear({in_features}, {out_features}, use_bias={bias}, rngs=rngs)", {"rngs"}),
    ("jax.random.normal(key, {size})", {"key"}),
    ("(lambda l, where: jnp.where(where, l, 0.0))({input})", set()),  # lambda parameters are bound
    ("[(n, n) for n in np.broadcast_to({padding}, 2)]", set()),  # so are comprehension targets
    ("jnp.pad({input}, mode='reflect') + len({x})", set()),  # strings, keywords and builtins are not names
    ("optax.cosine_decay_schedule(base_lr, decay_steps={T_max}, alpha={eta_min} / base_lr)", {"base_lr"}),
    ("lambda input, target: optax.l2_loss(input, target){reduction}", set()),  # a hole as a suffix
])
def test_free_names_of_a_template(template, names):
    assert rewrite.free_names(template) == names


@pytest.mark.parametrize("call,api", [
    ("torch.std(x, True)", "torch.std"),
    ("torch.var(x, False)", "torch.var"),
    ("x.std(True)", "torch.Tensor.std"),
    ("x.var(False)", "torch.Tensor.var"),
])
def test_a_bool_where_an_axis_goes_is_never_an_axis(call, api):
    """`torch.std(x, True)` is torch's `unbiased` overload: bound to `dim`, JAX would reduce axis 1."""
    f = finding(f"import torch\nx = torch.ones(3, 4)\ny = {call}\n", api)
    assert f.replacement is None and "bool where dim is expected" in f.message


@pytest.mark.parametrize("call,api,expected", [
    ("torch.std(x)", "torch.std", "jnp.std(x, correction=1)"),  # omitted: torch's default, 1
    ("torch.std(x, correction=None)", "torch.std", "jnp.std(x, correction=1)"),  # None is torch's default too
    ("torch.var(x, 0, correction=None)", "torch.var", "jnp.var(x, axis=0, ddof=1)"),  # never ddof=None
    ("torch.var(x, correction=0)", "torch.var", "jnp.var(x, ddof=0)"),
    ("x.var()", "torch.Tensor.var", "x.var(ddof=1)"),
    ("x.std(correction=None)", "torch.Tensor.std", "x.std(ddof=1)"),
    ("x.std(1, correction=0, keepdim=True)", "torch.Tensor.std", "x.std(axis=1, ddof=0, keepdims=True)"),
    ("torch.std(x, correction=c)", "torch.std", None),  # c may be None at run time
])
def test_std_var_correction_none_is_torchs_default(call, api, expected):
    """torch reads `correction=None` as 1; `jnp.var(ddof=None)` raises and `jnp.std(correction=None)` is ddof 0."""
    f = finding(f"import torch\nx = torch.ones(3, 4)\nc = None\ny = {call}\n", api)
    assert f.replacement == expected, f.message


@pytest.mark.parametrize("call,api,right", [
    ("torch.var(x, unbiased=False)", "torch.var", "jnp.var(x, ddof=0)"),
    ("x.std(unbiased=False)", "torch.Tensor.std", "x.std(ddof=0)"),
    ("x.var(0, unbiased=False)", "torch.Tensor.var", "x.var(axis=0, ddof=0)"),
])
def test_std_var_legacy_unbiased_false_is_never_ddof_1(call, api, right):
    """`unbiased=False` divides by N: refused, or rewritten to ddof=0 where a record maps the legacy keyword."""
    f = finding(f"import torch\nx = torch.ones(3, 4)\ny = {call}\n", api)
    assert f.replacement in (None, right), f.replacement


def test_an_omitted_default_missing_from_the_values_table_is_manual():
    """`x.type()` returns the type's name in torch: its default dtype=None has no JAX value, so no rewrite."""
    f = finding("import torch\nx = torch.ones(3)\ny = x.type()\n", "torch.Tensor.type")
    assert f.replacement is None and "the default" in f.message


# -- torch's -1 "keep this size" (x.expand(B, -1, -1)): written as the input's size, or manual ----------------

EXPAND = ("import torch\n\n\ndef run(x: torch.Tensor, y: torch.Tensor):\n    B = 3\n"
          "    a = x.expand(B, -1, -1)\n    b = torch.broadcast_to(y, (B, -1))\n"
          "    c = x.expand(size=(2, B, -1, x.shape[-1]))\n    d = y.expand(-1)\n    return a, b, c, d\n")


def test_expand_minus_one_is_rewritten_to_the_input_size_and_runs_like_torch():
    """The --unsafe-fixes output is executed on JAX arrays: jnp.broadcast_to would raise on a -1."""
    np = pytest.importorskip("numpy")
    torch = pytest.importorskip("torch")
    jnp = pytest.importorskip("jax.numpy")
    fixed = report(EXPAND, unsafe=True).fixed
    assert "expand" not in fixed and "torch.broadcast_to" not in fixed, fixed
    assert not re.search(r"[(,]\s*-1\s*[,)]", fixed), fixed  # no -1 left as a size
    assert "a = jnp.broadcast_to(x, (B, x.shape[-2], x.shape[-1]))" in fixed
    inputs = (np.arange(8, dtype=np.float32).reshape(1, 2, 4), np.arange(5, dtype=np.float32))

    def run(source, array):
        namespace: dict = {}
        exec(compile(source, "t.py", "exec"), namespace)
        return [np.asarray(o) for o in namespace["run"](*map(array, inputs))]

    want = run(EXPAND, torch.tensor)
    got = run(fixed, jnp.asarray)
    assert [w.shape for w in want] == [(3, 2, 4), (3, 5), (2, 3, 2, 4), (5,)]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("line,why", [
    ("(x + 1).expand(3, -1)", "bind it to a name first"),  # the input would be written (and computed) twice
    ("x.expand(*lead, -1)", "splat hides which dimension"),
])
def test_expand_minus_one_that_cannot_be_exact_is_manual(line, why):
    f = finding(TENSORS + f"    out = {line}\n", "torch.Tensor.expand")
    assert f.replacement is None and f.status == "manual" and why in f.message


# -- signatures as torch has them: a call torch rejects is never rewritten to something that returns -----------

SIG_HEAD = ("import torch\nimport torch.nn.functional as F\n\n\n"
            "def f(x: torch.Tensor, y: torch.Tensor, t: torch.Tensor, A: torch.Tensor, B: torch.Tensor, "
            "i: torch.Tensor):\n")
KEEPDIM_WITHOUT_DIM = [  # the records' `needs`: torch has no overload that takes keepdim without dim
    ("x.sum(keepdim=True)", "torch.Tensor.sum"), ("torch.sum(x, keepdim=True)", "torch.sum"),
    ("x.sum(keepdim=False)", "torch.Tensor.sum"), ("x.mean(keepdim=True)", "torch.Tensor.mean"),
    ("torch.mean(x, keepdim=True)", "torch.mean"), ("x.prod(keepdim=True)", "torch.Tensor.prod"),
    ("torch.prod(x, keepdim=True)", "torch.prod"), ("x.max(keepdim=True)", "torch.Tensor.max"),
    ("x.min(keepdim=False)", "torch.Tensor.min"), ("x.median(keepdim=True)", "torch.Tensor.median"),
]
REJECTED = [  # (call, its API): torch raises TypeError on each
    ("x.squeeze(dim=None)", "torch.Tensor.squeeze"), ("torch.squeeze(x, None)", "torch.squeeze"),
    ("x.prod(dim=None)", "torch.Tensor.prod"), ("torch.prod(x, dim=None)", "torch.prod"),
    ("x.prod((0, 1))", "torch.Tensor.prod"), ("x.max(dim=None)", "torch.Tensor.max"),
    ("x.min(None)", "torch.Tensor.min"), ("x.max(0, keepdim=None)", "torch.Tensor.max"),
    ("F.one_hot(tensor=t)", "torch.nn.functional.one_hot"),
    ("F.one_hot(t, num_classes=None)", "torch.nn.functional.one_hot"),
    ("torch.linalg.norm(A=A)", "torch.linalg.norm"), ("torch.linalg.lstsq(A=A, B=B)", "torch.linalg.lstsq"),
    ("torch.linalg.cholesky(A=A @ A.T)", "torch.linalg.cholesky"),
    ("torch.linalg.matrix_power(A=A, n=2)", "torch.linalg.matrix_power"),
    ("x.flip(dims=0)", "torch.Tensor.flip"), ("torch.flip(x, 0)", "torch.flip"),
    ("x.clone().copy_(src=y)", "torch.Tensor.copy_"),
    ("x.scatter(0, i, y, reduce=None)", "torch.Tensor.scatter"),
    ("torch.scatter(x, 0, i, y, reduce=None)", "torch.scatter"),
    ("x.reshape(shape=6)", "torch.Tensor.reshape"),
    *KEEPDIM_WITHOUT_DIM,
]
ACCEPTED = [  # (call, its API, the rewrite): torch runs each
    ("x.squeeze()", "torch.Tensor.squeeze", "x.squeeze()"),
    ("x.flip(0, 1)", "torch.Tensor.flip", "jnp.flip(x, (0, 1))"),
    ("x.flip(dims=(0,))", "torch.Tensor.flip", "jnp.flip(x, (0,))"),
    ("F.one_hot(input=t, num_classes=3)", "torch.nn.functional.one_hot", "jax.nn.one_hot(t, 3, dtype=jnp.int32)"),
    ("x.prod(dim=0)", "torch.Tensor.prod", "x.prod(axis=0)"), ("torch.flip(x, dims=[0])", "torch.flip", None),
    ("x.scatter(0, i, y)", "torch.Tensor.scatter", None), ("torch.linalg.norm(input=A)", "torch.linalg.norm", None),
    # keepdim with dim, or where torch takes keepdim alone
    ("x.sum(dim=None, keepdim=True)", "torch.Tensor.sum", "x.sum(axis=None, keepdims=True)"),
    ("torch.mean(x, None, True)", "torch.mean", "jnp.mean(x, axis=None, keepdims=True)"),
    ("x.prod(1, keepdim=True)", "torch.Tensor.prod", "x.prod(axis=1, keepdims=True)"),
    ("torch.sum(x, 0, keepdim=False)", "torch.sum", "jnp.sum(x, axis=0, keepdims=False)"),
    ("x.max(0, keepdim=True)", "torch.Tensor.max", None),
    ("x.amax(keepdim=True)", "torch.Tensor.amax", "x.max(keepdims=True)"),
    ("torch.nansum(x, keepdim=True)", "torch.nansum", "jnp.nansum(x, keepdims=True)"),
    ("torch.var(x, keepdim=True)", "torch.var", "jnp.var(x, ddof=1, keepdims=True)"),
]


def _torch_runs(call: str) -> bool:
    torch = pytest.importorskip("torch")
    env = {"torch": torch, "F": torch.nn.functional, "x": torch.rand(2, 1, 3), "y": torch.rand(2, 1, 3),
           "t": torch.tensor([0, 2, 1]), "A": torch.rand(3, 3) + 3 * torch.eye(3), "B": torch.rand(3, 2),
           "i": torch.zeros(2, 1, 3, dtype=torch.int64)}
    try:
        eval(call, env)
    except TypeError:
        return False
    return True


@pytest.mark.parametrize("call,api", REJECTED)
def test_a_call_torch_rejects_is_manual(call, api):
    assert not _torch_runs(call), f"torch accepts {call}: the case is wrong"
    f = finding(SIG_HEAD + f"    return {call}\n", api)
    assert f.replacement is None and f.status == "manual", (f.replacement, f.message)


@pytest.mark.parametrize("call,api,rewrite", ACCEPTED)
def test_a_call_torch_accepts_still_rewrites(call, api, rewrite):
    assert _torch_runs(call)
    f = finding(SIG_HEAD + f"    return {call}\n", api)
    assert f.replacement is not None, f.message
    assert rewrite is None or f.replacement == rewrite


@pytest.mark.parametrize("call,api", KEEPDIM_WITHOUT_DIM)
def test_keepdim_without_dim_says_torch_rejects_it(call, api):
    f = finding(SIG_HEAD + f"    return {call}\n", api)
    assert "keepdim= without dim: torch raises TypeError" in f.message, f.message


@pytest.mark.parametrize("call,api", [("x.sum(dim=())", "torch.Tensor.sum"), ("torch.mean(x, [])", "torch.mean"),
                                      ("torch.amax(x, dim=())", "torch.amax"), ("x.std(dim=[])", "torch.Tensor.std")])
def test_an_empty_dim_of_a_reduction_is_manual(call, api):
    """torch reduces every axis for `dim=()`, jnp none: the rewrite would return the input unchanged."""
    torch = pytest.importorskip("torch")
    assert eval(call, {"torch": torch, "x": torch.rand(2, 3)}).shape == ()  # torch: every axis
    f = finding(SIG_HEAD + f"    return {call}\n", api)
    assert f.replacement is None and "(empty)" in f.message, f.message


def test_a_rewrite_inside_an_f_string_never_brings_its_quote():
    """`f'{x.median()}'` -> a rewrite with `method='lower'` would end the string (before Python 3.12): manual
    there, while the rest of the file is still fixed (a rewrite that does not compile would revert it all)."""
    source = ("import torch\n\n\ndef f(x: torch.Tensor):\n    y = torch.cat([x, x])\n"
              "    print(f'{x.median():.4f}')\n    print(f\"{x.median():.4f}\")\n    return y\n")
    r = report(source, unsafe=True)
    assert validate("t.py", r.fixed) == ""
    assert "    y = jnp.concatenate([x, x])\n" in r.fixed
    assert "    print(f'{x.median():.4f}')\n" in r.fixed
    assert "    print(f\"{jnp.quantile(x, 0.5, method='lower'):.4f}\")\n" in r.fixed
    [kept] = [f for f in r.findings if f.line == 6]
    assert kept.replacement is None and "inside an f-string" in kept.message


@pytest.mark.parametrize("source, expected", [
    ("x", True), ("self.pos[:, :T]", True), ("x.view(-1)", True), ("len(x) * 2 - 1", True),
    ("jax.nn.log_softmax(x, axis=1)", True), ("x[:, 1:].reshape(-1, 5)", True),
    ("model(x)", False), ("self.head(h)", False), ("self.expand(x)", False), ("self.proj(x).view(-1)", False),
    ("next(batches)", False), ("torch.randn(3)", False), ("np.random.rand(3)", False)])
def test_repeatable_arguments(source, expected):
    """An argument the JAX code writes more than once is written again only when a second evaluation gives the
    same value at little cost; a layer call, an iterator or a random draw is bound once instead."""
    assert rewrite.repeatable(source) is expected


def test_an_argument_written_twice_is_evaluated_once():
    source = ("import torch\nimport torch.nn.functional as F\n\n\ndef f(layer, x, y):\n"
              "    return F.cross_entropy(layer(x), y, label_smoothing=0.1)\n")
    fixed = report(source).fixed
    assert fixed.count("layer(x)") == 1, fixed
    assert "(lambda input_: " in fixed and ")(layer(x))" in fixed


def test_norm_fro_written_out_is_the_two_norm_and_nuc_stays_manual():
    """`torch.norm(x, p='fro')` (an audio loss's spectral convergence) was rewritten to
    `jnp.linalg.vector_norm(x, ord='fro')`, which raises; the nuclear norm is a matrix norm: manual."""
    torch = pytest.importorskip("torch")
    jnp = pytest.importorskip("jax.numpy")
    source = ("import torch\n\n\ndef f(x: torch.Tensor, y: torch.Tensor):\n"
              "    return torch.norm(y - x, p=\"fro\") / torch.norm(y, p='fro', dim=1), "
              "torch.norm(x, p=2, dim=-1)\n\n\n"
              "def g(x: torch.Tensor):\n    return torch.norm(x, p='nuc')\n")
    r = report(source, unsafe=True)
    assert "torch.norm(x, p='nuc')" in r.fixed and "torch.norm(y" not in r.fixed
    x, y = (torch.linspace(-1, 2, 12).reshape(3, 4) ** k for k in (1, 2))
    fixed: dict = {}
    exec(compile(r.fixed, "t.py", "exec"), fixed)
    want = [t.numpy() for t in _defined(source, "f")(x, y)]
    got = fixed["f"](jnp.asarray(x.numpy()), jnp.asarray(y.numpy()))
    for g, w in zip(got, want):
        assert g.shape == w.shape
        assert abs(g - w).max() <= 1e-6 * abs(w).max()


def _defined(source: str, name: str):
    namespace: dict = {}
    exec(compile(source, "t.py", "exec"), namespace)
    return namespace[name]


def test_to_another_tensors_dtype_casts_and_to_a_tensor_says_so():
    """`x.to(y.dtype)` is a cast (rewritten like `x.to(torch.float32)`); `x.to(t)` takes t's dtype too, so the
    advice is not to drop it, as it is for a device."""
    source = ("import torch\n\n\ndef f(boxes: torch.Tensor, idxs: torch.Tensor, device):\n"
              "    return idxs.to(boxes.dtype), idxs.to(boxes), idxs.to(device)\n")
    r = report(source)
    assert "    return idxs.astype(boxes.dtype), idxs.to(boxes), idxs.to(device)\n" in r.fixed
    reasons = sorted(f.message for f in r.findings if f.rule == "JM304")
    assert reasons[1].startswith(".to(other) with a tensor casts to its dtype too: x.astype(other.dtype)")
    assert reasons[0].startswith(".to(): JAX places arrays on the default device; drop the call")


def test_a_torch_function_left_inside_a_rewrite_is_named_as_a_call():
    """`torch.bincount(i).clamp(min=1)`: the clamp is held back because torch.bincount stays (its own finding); the
    reason named `.bincount()` a tensor method whose receiver is not known to be a tensor."""
    source = ("import torch\n\n\ndef f(i: torch.Tensor, n: int):\n"
              "    return torch.bincount(i, minlength=n).clamp(min=1)\n")
    r = report(source, unsafe=True)
    assert r.fixed == source
    [held] = [f for f in r.findings if f.api == "torch.Tensor.clamp"]
    assert held.message.startswith("not applied: the torch.bincount call inside it stays torch (see its finding)")
