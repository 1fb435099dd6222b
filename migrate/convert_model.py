"""`jaxmigrate convert`: a whole PyTorch model file in, a Flax NNX file out.

The same engine as `suggest --fix`, with the structure around it:

1. *prepare*: every `nn.Module` subclass's `__init__` gets `*, rngs: nnx.Rngs`, helper functions that
   build layers get it too, and calls of both pass it on; `forward` parameters are marked as tensors
   so that the catalogue rewrites their method calls with high confidence;
2. *rewrite*: `findings.examine` applies every verified and caveat catalogue rewrite (layers now see
   `rngs` bound, so `nn.Linear(...)` becomes `nnx.Linear(..., rngs=rngs)`);
3. *structure*: bases become `nnx.Module`, `forward` becomes `__call__`, `super().__init__()` goes,
   `nn.Parameter` / `register_buffer` become NNX variables, `self.training` reads NNX's
   `deterministic` flag, weight tying reads the embedding table, channels-last layers are wrapped so
   the model keeps torch's NCHW layout end to end;
4. *mark*: a second examination finds what is still torch; each line gets
   `# TODO(jaxmigrate): <code> <reason>` and the summary lists it.

The output imports only jax, flax and numpy (plus torch where a marked line still needs it) and
carries the few helpers it uses (PRELUDE) itself, so it runs without jaxmigrate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from migrate import analyze

MARK = "TODO(jaxmigrate)"
# Methods of jax.Array that the first pass writes and the catalogue has no torch record for.
JAX_ARRAY_METHODS = frozenset("astype swapaxes at block_until_ready".split())
# Layers whose NNX target is channels-last: wrapped in ChannelsFirst so data stays NCHW (torch's layout).
CHANNELS_LAST = frozenset(("torch.nn.Conv1d", "torch.nn.Conv2d", "torch.nn.Conv3d", "torch.nn.ConvTranspose1d",
                           "torch.nn.ConvTranspose2d", "torch.nn.ConvTranspose3d", "torch.nn.GroupNorm",
                           "torch.nn.MaxPool1d", "torch.nn.MaxPool2d", "torch.nn.AvgPool1d", "torch.nn.AvgPool2d"))
# Layers the catalogue maps to an NNX module called differently from torch's: the constructor is the
# catalogue's rewrite, wrapped in an adapter (PRELUDE) that takes and returns what torch's layer does.
ADAPTERS = {**{q: "ChannelsFirst" for q in CHANNELS_LAST},
            "torch.nn.LSTM": "TorchRNN", "torch.nn.GRU": "TorchRNN", "torch.nn.RNN": "TorchRNN"}
INIT_REASON = ("JM390 torch initialisation (self.apply / nn.init) is not converted: the weights come from "
               "load_state_dict, or port the init")
PRELUDE = {
    "ChannelsFirst": '''
class ChannelsFirst(nnx.Module):
    """A channels-last NNX layer on channels-first (torch NCHW) data: moves the channel axis in and out."""

    def __init__(self, layer):
        self.layer = layer

    def __call__(self, x):
        return jnp.moveaxis(self.layer(jnp.moveaxis(x, 1, -1)), -1, 1)
''',
    "TorchRNN": '''
class TorchRNN(nnx.Module):
    """An nnx.RNN(..., return_carry=True) called like torch's one-layer LSTM / GRU / RNN: (outputs, state)."""

    def __init__(self, rnn):
        self.rnn = rnn

    def __call__(self, x):
        carry, y = self.rnn(x)
        if isinstance(carry, tuple):  # an LSTM cell's carry is (c, h); torch returns (h, c), one per layer
            c, h = carry
            return y, (h[None], c[None])
        return y, carry[None]
''',
    "Buffer": '''
class Buffer(nnx.Variable):
    """A torch buffer saved in the state_dict (register_buffer, persistent=True): state, not trained."""
''',
    "TransientBuffer": '''
class TransientBuffer(nnx.Variable):
    """A torch buffer left out of the state_dict (register_buffer(..., persistent=False))."""
''',
    "value_of": '''
def value_of(v):
    """The array of an NNX variable, or None (torch allows optional parameters)."""
    return None if v is None else v[...]
''',
    "TiedLinear": '''
class TiedLinear(nnx.Module):
    """torch weight tying between an Embedding and a Linear: the Linear reads the embedding table."""

    def __init__(self, embed, bias=None):
        self.embed = embed
        self.bias = bias

    def __call__(self, x):
        y = self.embed.attend(x)
        return y if self.bias is None else y + self.bias[...]


def tie_weights(a, b):
    """`a.weight = b.weight` in torch, for an Embedding and a Linear: both read one table."""
    if isinstance(a, nnx.Linear):
        return TiedLinear(b, a.bias), b
    return a, TiedLinear(a, b.bias)
''',
    "attention_with_dropout": '''
def attention_with_dropout(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, *, rng):
    """torch's F.scaled_dot_product_attention ([..., heads, time, dim]) written out, with its dropout_p on the
    attention weights: any rank, broadcasting axes, a value width of its own; a query row with nothing to attend
    to gives 0, as in torch (jax.nn.dot_product_attention gives the mean of the values there)."""
    scores = query @ key.swapaxes(-2, -1) * (query.shape[-1] ** -0.5 if scale is None else scale)
    if attn_mask is not None:
        scores = jnp.where(attn_mask, scores, -jnp.inf) if attn_mask.dtype == jnp.bool_ else scores + attn_mask
    keep = scores != -jnp.inf
    if is_causal:
        keep &= jnp.tril(jnp.ones(scores.shape[-2:], dtype=bool))
    weights = jax.nn.softmax(scores, axis=-1, where=keep)
    if dropout_p:
        weights = jnp.where(jax.random.bernoulli(rng, 1 - dropout_p, weights.shape), weights / (1 - dropout_p), 0)
    return weights @ value
''',
}
PRELUDE_NEEDS = {"ChannelsFirst": ("nnx", "jnp"), "TorchRNN": ("nnx",), "Buffer": ("nnx",), "TransientBuffer": ("nnx",),
                 "value_of": (), "TiedLinear": ("nnx",), "attention_with_dropout": ("jax", "jnp")}
IMPORTS = {"nnx": "from flax import nnx", "jnp": "import jax.numpy as jnp", "jax": "import jax",
           "lax": "from jax import lax", "optax": "import optax", "np": "import numpy as np"}


@dataclass
class Todo:
    line: int
    code: str
    reason: str


@dataclass
class Result:
    text: str
    todos: list[Todo] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)


class ConvertError(Exception):
    """The input cannot be converted at all (it does not parse)."""


def convert(text: str, path: str = "<input>") -> Result:
    """Convert one torch file's text; raises ConvertError only when the input does not parse."""
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as e:
        raise ConvertError(f"{path}:{e.raw_line}:{e.raw_column}: does not parse: {e.message}") from e
    plan = _plan(module)
    prepared = module.visit(_DropInit(plan)).visit(_Prepare(plan)).code
    rewritten = _rewrite(prepared, path)
    try:
        structured = cst.parse_module(rewritten).visit(_Structure(plan))
    except cst.ParserSyntaxError:
        structured = cst.parse_module(prepared).visit(_Structure(plan))
    # calls inside a torch call the structure step converted (nn.Parameter(torch.ones(n)), nn.Sequential(...))
    # were held back by the first rewrite: rewrite again
    again = cst.parse_module(_rewrite(structured.code, path)).visit(_DropDeadDevice())
    again = again.visit(_AttentionDropout(plan)).visit(_LayerAttrs(plan)).code
    marked, todos = _mark(again, path, plan)
    final = cst.parse_module(marked).visit(_Unmark(plan))
    out = _finish(final, plan)
    todos = _renumber(out, todos)
    return Result(out, todos, sorted(plan.classes))


# -- 0. what the file holds ------------------------------------------------------------------------


@dataclass
class Plan:
    classes: set = field(default_factory=set)  # nn.Module subclasses, by name
    builders: set = field(default_factory=set)  # functions that build layers: they take rngs too
    torch_names: dict = field(default_factory=dict)  # local name -> qualified torch name (module-level imports)
    tensor_annotation: str | None = None
    marked: set = field(default_factory=set)  # (class, method, param) annotated as tensors for the rewrite
    variables: dict = field(default_factory=dict)  # class -> {attr: optional?} for nnx.Param / buffers
    used: set = field(default_factory=set)  # PRELUDE names the output needs
    training: set = field(default_factory=set)  # classes that read self.training
    keyed: set = field(default_factory=set)  # classes whose methods draw random numbers: they keep self.rngs
    key_methods: set = field(default_factory=set)  # (class, method) given `key = ...` for the rewrite
    layers: dict = field(default_factory=dict)  # (class, attr) -> torch layer built as self.<attr> in __init__


def _plan(module: cst.Module) -> Plan:
    reader = analyze.read(module)
    plan = Plan()
    for name, bindings in reader.module_scope.bindings.items():
        quals = {p for k, p, _ in bindings if k == "import"}
        if len(quals) == 1 and analyze.is_torch(next(iter(quals))):
            plan.torch_names[name] = next(iter(quals))
    for local, qual in plan.torch_names.items():
        if qual == "torch":
            plan.tensor_annotation = f"{local}.Tensor"
        elif qual == "torch.nn" and plan.tensor_annotation is None:
            plan.tensor_annotation = f"{local}.Parameter"
    for info in reader.classes:
        if reader.is_module_class(info.node, info.scope):
            plan.classes.add(info.node.name.value)
    functions = [(n, s) for n, s in _functions(module)]
    changed = True
    while changed:
        changed = False
        for fn, in_class in functions:
            if in_class or fn.name.value in plan.builders:
                continue
            if _builds_layers(fn, plan):
                plan.builders.add(fn.name.value)
                changed = True
    for cls in (s for s in module.body if isinstance(s, cst.ClassDef) and s.name.value in plan.classes):
        for fn in (f for f in cls.body.body if isinstance(f, cst.FunctionDef) and f.name.value == "__init__"):
            for a in _nodes(fn, cst.Assign):
                target = analyze.dotted(a.targets[0].target) if len(a.targets) == 1 else None
                qual = _qual(a.value.func, plan) if isinstance(a.value, cst.Call) else None
                if target and len(target) == 2 and target[0] == "self" and qual in LAYER_ATTRS:
                    plan.layers[(cls.name.value, target[1])] = qual
    return plan


def _functions(module: cst.Module):
    """Top-level functions (False) and functions inside classes (True)."""
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            yield stmt, False


def _qual(node, plan: Plan) -> str | None:
    parts = analyze.dotted(node)
    if not parts or parts[0] not in plan.torch_names:
        return None
    return ".".join([plan.torch_names[parts[0]], *parts[1:]])


def _is_layer(qual: str | None) -> bool:
    if qual is None or not qual.startswith("torch.nn."):
        return False
    last = qual.split(".")[-1]
    return last[:1].isupper() and last not in ("Parameter", "Module")


def _builds_layers(fn: cst.FunctionDef, plan: Plan) -> bool:
    found = False

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            nonlocal found
            if _is_layer(_qual(node.func, plan)):
                found = True
            elif isinstance(node.func, cst.Name) and (node.func.value in plan.classes or
                                                      node.func.value in plan.builders):
                found = True

    fn.visit(Calls())
    return found


SDPA = "torch.nn.functional.scaled_dot_product_attention"


def _attention_dropout(call: cst.Call, plan: Plan) -> bool:
    """F.scaled_dot_product_attention(..., dropout_p=<not a literal 0>): the catalogue has no rewrite (JAX's
    attention has no dropout), convert calls attention_with_dropout (PRELUDE) instead."""
    if _qual(call.func, plan) != SDPA:
        return False
    given = [a for a in call.args if a.keyword is not None and a.keyword.value == "dropout_p"] or \
        [a for i, a in enumerate(call.args) if i == 4 and a.keyword is None and not a.star]
    if not given or any(a.star for a in call.args):
        return False
    value = given[0].value
    return not (isinstance(value, (cst.Integer, cst.Float)) and float(value.value) == 0)


GELU = ("torch.nn.GELU", "torch.nn.functional.gelu")
# torch layer -> its parameters as read from the NNX layer the catalogue builds (same values, NNX's layout)
LAYER_ATTRS = {
    "torch.nn.Embedding": {"weight": "{layer}.embedding[...]"},
    "torch.nn.Linear": {"weight": "{layer}.kernel[...].T", "bias": "{layer}.bias[...]"},
    "torch.nn.LayerNorm": {"weight": "{layer}.scale[...]", "bias": "{layer}.bias[...]"},
}


def _gelu_by_value(call: cst.Call, plan: Plan):
    """GELU(approximate=<expr>) -> (GELU(approximate='tanh') if <expr> == 'tanh' else GELU(approximate='none')):
    torch accepts only those two strings, and the catalogue rewrites each written-out one."""
    qual = _qual(call.func, plan)
    if qual not in GELU:
        return call
    given = [i for i, a in enumerate(call.args) if a.keyword is not None and a.keyword.value == "approximate"]
    if qual == GELU[0] and not given and len(call.args) == 1 and call.args[0].keyword is None:
        given = [0]
    if len(given) != 1 or any(a.star for a in call.args):
        return call
    i = given[0]
    value = call.args[i].value
    if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
        return call

    def written(text: str) -> cst.Call:
        args = list(call.args)
        args[i] = args[i].with_changes(value=cst.SimpleString(repr(text)))
        return call.with_changes(args=args)

    test = cst.Comparison(value, [cst.ComparisonTarget(cst.Equal(), cst.SimpleString("'tanh'"))])
    return cst.IfExp(test=test, body=written("tanh"), orelse=written("none"),
                     lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _needs_key(fn: cst.FunctionDef, plan: Plan) -> bool:
    """The function calls a torch API whose catalogue rewrite draws from a PRNG key."""
    from migrate import rewrite

    for c in _calls_in(fn):
        if _attention_dropout(c, plan):
            return True
        qual = _qual(c.func, plan)
        if qual and any(r.template and "key" in rewrite.free_names(r.template)
                        for r in catalogue().by_name.get(qual, ())):
            return True
    return False


def _binds(fn: cst.FunctionDef, name: str) -> bool:
    params = fn.params
    if any(p.name.value == name for p in (*params.posonly_params, *params.params, *params.kwonly_params)):
        return True
    return any(isinstance(t.target, cst.Name) and t.target.value == name
               for a in _nodes(fn, cst.Assign) for t in a.targets)


def _nodes(node, kind) -> list:
    out = []

    class V(cst.CSTVisitor):
        def on_visit(self, n) -> bool:
            if isinstance(n, kind):
                out.append(n)
            return True

    node.visit(V())
    return out


def _rngs_param() -> cst.Param:
    return cst.Param(cst.Name("rngs"), cst.Annotation(cst.parse_expression("nnx.Rngs")))


def _with_rngs(params: cst.Parameters) -> cst.Parameters:
    names = [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]
    if "rngs" in names:
        return params
    if isinstance(params.star_kwarg, cst.Param) and params.star_arg is cst.MaybeSentinel.DEFAULT:
        return params.with_changes(star_arg=cst.ParamStar(), kwonly_params=(*params.kwonly_params, _rngs_param()))
    if params.star_arg is cst.MaybeSentinel.DEFAULT:
        return params.with_changes(star_arg=cst.ParamStar(), kwonly_params=(*params.kwonly_params, _rngs_param()))
    return params.with_changes(kwonly_params=(*params.kwonly_params, _rngs_param()))


def _passes_rngs(call: cst.Call, value: str) -> cst.Call:
    if any(a.keyword is not None and a.keyword.value == "rngs" for a in call.args) or \
            any(a.star == "**" for a in call.args):
        return call
    arg = cst.Arg(cst.parse_expression(value), keyword=cst.Name("rngs"),
                  equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
    args = list(call.args)
    if args:
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return call.with_changes(args=(*args, arg))


# -- 1. prepare ------------------------------------------------------------------------------------


def _is_init_code(node, plan: Plan) -> bool:
    """`self.apply(fn)`, `nn.init.*(...)` or a loop over named_parameters / modules: torch init code."""
    for c in _calls_in(node):
        qual = _qual(c.func, plan) or ""
        if qual.startswith("torch.nn.init.") or analyze.dotted(c.func) in (
                ["self", "apply"], ["self", "named_parameters"], ["self", "parameters"], ["self", "modules"]):
            return True
    return False


class _DropInit(cst.CSTTransformer):
    """Comment out torch's initialisation code in module classes' __init__ before anything is rewritten
    (the weights come from the checkpoint; rewritten init code would write to torch attributes)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.where: list[str] = []  # "class" for a module class, "init" inside its __init__, "other"

    def visit_ClassDef(self, node) -> None:
        self.where.append("class" if node.name.value in self.plan.classes else "other")

    def leave_ClassDef(self, node, updated):
        self.where.pop()
        return updated

    def visit_FunctionDef(self, node) -> None:
        inside = self.where and self.where[-1] == "class" and node.name.value == "__init__"
        self.where.append("init" if inside else "other")

    def leave_FunctionDef(self, node, updated):
        self.where.pop()
        return updated

    def _in_init(self) -> bool:
        return bool(self.where) and self.where[-1] == "init"

    def visit_For(self, node) -> bool:
        return not (self._in_init() and _is_init_code(node, self.plan))

    def leave_For(self, node, updated):
        if self._in_init() and _is_init_code(node, self.plan):
            return _commented(node, INIT_REASON)
        return updated

    def leave_SimpleStatementLine(self, node, updated):
        if self._in_init() and _is_init_code(updated, self.plan):
            return _commented(updated, INIT_REASON)
        return updated


class _Prepare(cst.CSTTransformer):
    """Bind `rngs` where layers are built and mark forward's parameters as tensors."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.stack: list[tuple[str | None, str]] = []  # (class, function)
        self.cls: list[str] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.cls.append(node.name.value)

    def leave_ClassDef(self, node, updated):
        self.cls.pop()
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        cls = self.cls[-1] if self.cls and not self.stack else None
        self.stack.append((cls, node.name.value))

    def leave_FunctionDef(self, node: cst.FunctionDef, updated: cst.FunctionDef):
        cls, name = self.stack.pop()
        if cls in self.plan.classes and name == "__init__" or (cls is None and not self.stack and
                                                                name in self.plan.builders):
            updated = updated.with_changes(params=_with_rngs(updated.params))
        if cls in self.plan.classes and _needs_key(node, self.plan) and not _binds(node, "key"):
            source = "rngs.params()" if name == "__init__" else "self.rngs()"
            if name != "__init__":
                self.plan.keyed.add(cls)
            self.plan.key_methods.add((cls, "__call__" if name == "forward" else name))
            line = cst.parse_statement(f"key = {source}\n")
            updated = updated.with_changes(body=updated.body.with_changes(body=(line, *updated.body.body)))
        if cls in self.plan.classes and name == "forward" and self.plan.tensor_annotation:
            ann = cst.Annotation(cst.parse_expression(self.plan.tensor_annotation))
            params = list(updated.params.params)
            for i, p in enumerate(params[1:], 1):
                if p.annotation is None:
                    params[i] = p.with_changes(annotation=ann)
                    self.plan.marked.add((cls, "__call__", p.name.value))
            updated = updated.with_changes(params=updated.params.with_changes(params=tuple(params)))
        return updated

    def _has_rngs(self) -> bool:
        if not self.stack:
            return False
        cls, name = self.stack[0]
        return (cls in self.plan.classes and name == "__init__") or (cls is None and name in self.plan.builders)

    def leave_Call(self, node: cst.Call, updated: cst.Call):
        func = updated.func
        if isinstance(func, cst.Name) and (func.value in self.plan.classes or func.value in self.plan.builders):
            return _passes_rngs(updated, "rngs" if self._has_rngs() else "nnx.Rngs(0)")
        return _gelu_by_value(updated, self.plan)


# -- 2. rewrite ------------------------------------------------------------------------------------

_CATALOGUE = None


def catalogue():
    """The catalogue `suggest` uses, built once."""
    global _CATALOGUE
    if _CATALOGUE is None:
        import mapping
        from migrate.findings import Catalogue

        _CATALOGUE = Catalogue(mapping.load())
    return _CATALOGUE


def _examine(path: str, text: str, options):
    from migrate import findings

    return findings.examine(path, text, catalogue(), options)


def _rewrite(text: str, path: str) -> str:
    from migrate.findings import Options

    try:
        report = _examine(path, text, Options(ignore=("JM301",), unsafe=True, render=True))
    except Exception:  # noqa: BLE001 - a failure of the rewrite engine leaves the file to the marking step
        return text
    fixed = report.fixed if report.fixed is not None else text
    try:
        compile(fixed, path, "exec")
    except SyntaxError:
        return text
    return fixed


# -- 3. structure ----------------------------------------------------------------------------------


def _comment_line(text: str) -> cst.EmptyLine:
    return cst.EmptyLine(comment=cst.Comment("# " + text.replace("\n", " ")))


class _Structure(cst.CSTTransformer):
    """torch module structure -> NNX structure, in the classes the plan found."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.cls: list[str | None] = []
        self.fn: list[str] = []

    # classes
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        name = node.name.value
        self.cls.append(name if name in self.plan.classes else None)
        if name in self.plan.classes:
            self.plan.variables.setdefault(name, {})
            _collect_variables(node, self.plan)
            if "self.training" in cst.Module(body=[node]).code:
                self.plan.training.add(name)

    def leave_ClassDef(self, node, updated: cst.ClassDef):
        name = self.cls.pop()
        if name is None:
            return updated
        bases, direct = [], True
        for b in updated.bases:
            qual = _qual(b.value, self.plan)
            if qual is not None and qual.split(".")[-1] == "Module":
                b = b.with_changes(value=cst.parse_expression("nnx.Module"))
            else:
                direct = False
            bases.append(b)
        updated = updated.with_changes(bases=bases)
        has_init = any(isinstance(s, cst.FunctionDef) and s.name.value == "__init__" for s in updated.body.body)
        if direct and not has_init:  # callers pass rngs to every converted class
            init = cst.parse_statement("def __init__(self, *, rngs: nnx.Rngs):\n    pass\n")
            body = list(updated.body.body)
            at = 1 if body and _is_docstring_statement(body[0]) else 0
            rest = [b.with_changes(leading_lines=(cst.EmptyLine(indent=False), *b.leading_lines)) if i == 0 else b
                    for i, b in enumerate(body[at:])]
            updated = updated.with_changes(body=updated.body.with_changes(body=(*body[:at], init, *rest)))
        return updated

    def _in_class(self) -> str | None:
        return self.cls[-1] if self.cls and len(self.fn) >= 1 else None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.fn.append(node.name.value)

    def leave_FunctionDef(self, node, updated: cst.FunctionDef):
        name = self.fn.pop()
        cls = self.cls[-1] if self.cls else None
        if cls is None or self.fn:
            return updated
        if name == "forward":
            updated = updated.with_changes(name=cst.Name("__call__"))
        if name == "__init__" and cls in self.plan.keyed:
            keep = cst.parse_statement("self.rngs = rngs  # random draws in the forward pass (torch's global RNG)\n")
            updated = updated.with_changes(body=updated.body.with_changes(body=(keep, *updated.body.body)))
        if name == "__init__" and cls in self.plan.training:
            flag = cst.parse_statement("self.deterministic = False  # NNX's train/eval flag (torch's self.training)\n")
            body = updated.body.body
            updated = updated.with_changes(body=updated.body.with_changes(body=(flag, *body)))
        return updated

    # statements
    def leave_SimpleStatementLine(self, node, updated: cst.SimpleStatementLine):
        cls = self.cls[-1] if self.cls else None
        if cls is None or not self.fn or len(updated.body) != 1:
            return updated
        stmt = updated.body[0]
        if isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.Call):
            call = stmt.value
            if _is_super_init(call, self.plan):
                return cst.RemovalSentinel.REMOVE
            if isinstance(call.func, cst.Attribute) and call.func.attr.value == "register_buffer" and \
                    analyze.dotted(call.func.value) == ["self"]:
                return self._buffer(call, updated)
        if self.fn[0] == "__init__" and self._initialises(updated):
            return _commented(updated, INIT_REASON)
        if isinstance(stmt, cst.Assign) and len(stmt.targets) == 1 and self.fn[0] == "__init__":
            tied = self._tie(stmt)
            if tied is not None:
                return updated.with_changes(body=[tied])
        return updated

    def visit_For(self, node: cst.For) -> bool:
        cls = self.cls[-1] if self.cls else None
        self.skipped = cls is not None and self.fn and self.fn[0] == "__init__" and self._initialises(node)
        return not self.skipped

    def leave_For(self, node, updated: cst.For):
        if getattr(self, "skipped", False):
            self.skipped = False
            return _commented(node, INIT_REASON)
        return updated

    def _initialises(self, node) -> bool:
        return _is_init_code(node, self.plan)

    def _buffer(self, call: cst.Call, line: cst.SimpleStatementLine):
        args = [a for a in call.args if a.keyword is None]
        kw = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        name = args[0].value if args else kw.get("name")
        value = args[1].value if len(args) > 1 else kw.get("tensor")
        persistent = args[2].value if len(args) > 2 else kw.get("persistent")
        if not isinstance(name, cst.SimpleString) or value is None:
            return line
        attr = name.evaluated_value
        if isinstance(value, cst.Name) and value.value == "None":
            stmt = cst.parse_statement(f"self.{attr} = None\n")
            return stmt.with_changes(leading_lines=line.leading_lines)
        transient = isinstance(persistent, cst.Name) and persistent.value == "False"
        kind = "TransientBuffer" if transient else "Buffer"
        self.plan.used.add(kind)
        target = cst.Attribute(cst.Name("self"), cst.Name(attr))
        new = cst.Assign([cst.AssignTarget(target)], cst.Call(cst.Name(kind), [cst.Arg(value)]))
        return line.with_changes(body=[new])

    def _tie(self, stmt: cst.Assign):
        target, value = stmt.targets[0].target, stmt.value
        if not (isinstance(target, cst.Attribute) and isinstance(value, cst.Attribute) and
                target.attr.value == "weight" and value.attr.value == "weight"):
            return None
        a, b = target.value, value.value
        if not (analyze.dotted(a) and analyze.dotted(b) and analyze.dotted(a)[0] == "self" == analyze.dotted(b)[0]):
            return None
        self.plan.used.add("TiedLinear")
        return cst.Assign([cst.AssignTarget(cst.Tuple([cst.Element(a), cst.Element(b)], lpar=[], rpar=[]))],
                          cst.Call(cst.Name("tie_weights"), [cst.Arg(a), cst.Arg(b)]))

    # expressions
    def leave_Call(self, node, updated: cst.Call):
        qual = _qual(updated.func, self.plan)
        if qual in ("torch.nn.Parameter", "torch.nn.parameter.Parameter"):
            frozen = any(a.keyword is not None and a.keyword.value == "requires_grad" and
                         analyze.dotted(a.value) == ["False"] for a in updated.args)
            args = [a for a in updated.args if a.keyword is None or a.keyword.value == "data"]
            if len(args) == 1:
                func = "Buffer" if frozen else "nnx.Param"
                if frozen:
                    self.plan.used.add("Buffer")
                arg = args[0].with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT,
                                           comma=cst.MaybeSentinel.DEFAULT)
                return cst.Call(cst.parse_expression(func), [arg])
        builds = self.fn and ((self.fn[0] == "__init__" and self.cls and self.cls[-1] is not None) or
                              (not self.cls and self.fn[0] in self.plan.builders))
        if qual in ADAPTERS or (_is_layer(qual) and builds):
            return _adapted(updated, qual, self.plan)
        if isinstance(updated.func, cst.Attribute) and updated.func.attr.value == "forward":
            return updated.with_changes(func=updated.func.with_changes(attr=cst.Name("__call__")))
        return updated

    def leave_Attribute(self, node, updated: cst.Attribute):
        cls = self.cls[-1] if self.cls else None
        if cls is None or not self.fn:
            return updated
        if analyze.dotted(updated) == ["self", "training"]:
            return cst.parse_expression("(not self.deterministic)")
        return updated


class _AttentionDropout(cst.CSTTransformer):
    """F.scaled_dot_product_attention(..., dropout_p=<expr>) in a module's method -> attention_with_dropout,
    with a fresh key (done after the rewrites, which read the torch call's result as a tensor)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.cls: list[str] = []

    def visit_ClassDef(self, node) -> None:
        self.cls.append(node.name.value)

    def leave_ClassDef(self, node, updated):
        self.cls.pop()
        return updated

    def leave_Call(self, node: cst.Call, updated: cst.Call):
        if not (self.cls and self.cls[-1] in self.plan.keyed and _attention_dropout(node, self.plan)):
            return updated
        self.plan.used.add("attention_with_dropout")
        arg = cst.Arg(cst.parse_expression("self.rngs()"), keyword=cst.Name("rng"),
                      equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
        args = list(updated.args)
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        return updated.with_changes(func=cst.Name("attention_with_dropout"), args=(*args, arg))


class _LayerAttrs(cst.CSTTransformer):
    """`self.<layer>.weight` read in a method, for a layer built in __init__: the NNX layer's array under
    its own name and layout (an nnx.Embed's table is .embedding, an nnx.Linear's kernel is weight.T)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.cls: list[str] = []

    def visit_ClassDef(self, node) -> None:
        self.cls.append(node.name.value)

    def leave_ClassDef(self, node, updated):
        self.cls.pop()
        return updated

    def visit_AssignTarget(self, node) -> bool:
        return False  # stores (weight tying) are converted elsewhere

    def leave_Attribute(self, node, updated: cst.Attribute):
        parts = analyze.dotted(updated)
        if not self.cls or not parts or len(parts) != 3 or parts[0] != "self":
            return updated
        qual = self.plan.layers.get((self.cls[-1], parts[1]))
        template = LAYER_ATTRS.get(qual, {}).get(parts[2])
        return cst.parse_expression(template.format(layer=f"self.{parts[1]}")) if template else updated


class _DropDeadDevice(cst.CSTTransformer):
    """`device = x.device` whose name nothing reads any more (the rewrites dropped every `device=` argument):
    the line goes, since a traced JAX array has no device to read."""

    def leave_FunctionDef(self, node, updated: cst.FunctionDef):
        names = []

        class Names(cst.CSTVisitor):  # variables only: not `.attr` names, not `kw=` keywords
            def visit_Name(self, n):
                names.append(n.value)

            def visit_Attribute(self, n):
                n.value.visit(self)
                return False

            def visit_Arg(self, n):
                n.value.visit(self)
                return False

        updated.body.visit(Names())

        def dead(stmt) -> bool:
            if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and
                    isinstance(stmt.body[0], cst.Assign) and len(stmt.body[0].targets) == 1):
                return False
            target, value = stmt.body[0].targets[0].target, stmt.body[0].value
            return isinstance(target, cst.Name) and names.count(target.value) == 1 and \
                isinstance(value, cst.Attribute) and value.attr.value == "device"

        class Drop(cst.CSTTransformer):
            def leave_SimpleStatementLine(self, n, u):
                return cst.RemoveFromParent() if dead(u) else u

        return updated.with_changes(body=updated.body.visit(Drop()))


def _commented(node, reason: str) -> cst.FlattenSentinel | cst.CSTNode:
    """The statement as comment lines under a TODO mark (it would fail or mean nothing in JAX)."""
    code = cst.Module(body=[node]).code.rstrip("\n").splitlines()
    empty = [cst.EmptyLine(comment=cst.Comment(f"# {MARK}: {reason}"))]
    empty += [cst.EmptyLine(comment=cst.Comment("# " + line)) for line in code]
    return cst.SimpleStatementLine([cst.Pass()], leading_lines=empty)


def _adapted(call: cst.Call, qual: str, plan: Plan) -> cst.BaseExpression:
    """The catalogue's constructor rewrite of a layer, inside the adapter that keeps torch's calling
    convention (ChannelsFirst for channels-last layers, TorchRNN for recurrent ones); the call itself
    when the catalogue gives no complete rewrite."""
    from migrate import rewrite

    records = catalogue().by_name.get(qual)
    if not records:
        return call
    try:
        record, binding, _ = rewrite.choose(records, call)
        if binding is None or not rewrite.has_rewrite(record):
            return call
        roots = {r: r for r in rewrite.ROOTS}
        source, _, dropped = rewrite.build(record, binding, lambda n: cst.Module([]).code_for_node(n), None, roots)
    except Exception:  # noqa: BLE001 - rewrite.Manual and anything unexpected: the call stays and is marked
        return call
    if dropped or "conv_transpose_padding" in source:
        return call
    if "torch" in source.replace("torch_", "") or (rewrite.free_names(record.template) - {"rngs"}):
        return call
    adapter = ADAPTERS.get(qual)
    if adapter is None:
        return cst.parse_expression(source)
    plan.used.add(adapter)
    return cst.Call(cst.Name(adapter), [cst.Arg(cst.parse_expression(source))])


def _fresh_keys(fn: cst.FunctionDef, source: str) -> cst.FunctionDef:
    """Drop the `key = ...` line the prepare step added and draw a fresh key at each use instead."""
    body = list(fn.body.body)
    first = body[0] if body else None
    if not (isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Assign) and
            analyze.dotted(first.body[0].targets[0].target) == ["key"]):
        return fn
    rest = fn.body.with_changes(body=body[1:] or [cst.SimpleStatementLine([cst.Pass()])])

    class Fresh(cst.CSTTransformer):
        def leave_Name(self, node, updated):
            return cst.parse_expression(source) if updated.value == "key" else updated

        def leave_Arg(self, node, updated):
            return updated

        def visit_Attribute(self, node) -> bool:
            return True

        def leave_Attribute(self, node, updated):
            return updated

    fresh = rest.visit(Fresh())
    return fn.with_changes(body=fresh)


def _is_docstring_statement(stmt) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Expr) and \
        isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))


def _is_super_init(call: cst.Call, plan: Plan) -> bool:
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "__init__"):
        return False
    inner = func.value
    if isinstance(inner, cst.Call) and analyze.dotted(inner.func) == ["super"]:
        return True
    qual = _qual(inner, plan)
    return qual is not None and qual.split(".")[-1] == "Module"


def _collect_variables(node: cst.ClassDef, plan: Plan) -> None:
    """self.<attr> = nn.Parameter(...) / register_buffer("attr", ...): attributes read as arrays."""
    found = plan.variables.setdefault(node.name.value, {})

    class Visit(cst.CSTVisitor):
        def visit_Assign(self, a: cst.Assign) -> None:
            for t in a.targets:
                parts = analyze.dotted(t.target)
                if not parts or len(parts) != 2 or parts[0] != "self":
                    continue
                calls = [c for c in _calls_in(a.value) if _qual(c.func, plan) in
                         ("torch.nn.Parameter", "torch.nn.parameter.Parameter")]
                if calls:
                    optional = not isinstance(a.value, cst.Call)
                    found[parts[1]] = found.get(parts[1], False) or optional
                elif parts[1] in found and analyze.dotted(a.value) == ["None"]:
                    found[parts[1]] = True

        def visit_Call(self, c: cst.Call) -> None:
            if isinstance(c.func, cst.Attribute) and c.func.attr.value == "register_buffer" and c.args and \
                    isinstance(c.args[0].value, cst.SimpleString):
                attr = c.args[0].value.evaluated_value
                value = c.args[1].value if len(c.args) > 1 else None
                found[attr] = found.get(attr, False) or analyze.dotted(value) == ["None"]

    node.visit(Visit())


def _calls_in(node) -> list:
    out = []

    class V(cst.CSTVisitor):
        def visit_Call(self, c):
            out.append(c)

    node.visit(V())
    return out


# -- 4. mark what is left --------------------------------------------------------------------------


def _mark(text: str, path: str, plan: Plan) -> tuple[str, list[Todo]]:
    """Examine the converted text again: every finding left is a line still torch; mark it."""
    from migrate.findings import Options

    try:
        report = _examine(path, text, Options(ignore=("JM301",)))
        found = report.findings
    except Exception as e:  # noqa: BLE001 - the engine failed: say so on the first line, mark what is torch
        found = []
        text = (f"# {MARK}: JM000 the rewrite engine failed on this file ({type(e).__name__}); "
                "lines are unconverted\n" + text)
    lines = text.splitlines(keepends=True)
    todos: dict[int, list] = {}
    for f in found:
        if _already_jax(f, lines):
            continue
        reason = _first_sentence(f.message)
        todos.setdefault(f.line, [])
        if (f.rule, reason) not in todos[f.line]:
            todos[f.line].append((f.rule, reason))
    for line, name in _torch_names(text, plan):
        if line not in todos:
            todos[line] = [("JM298", f"{name} is still torch here (no catalogue rewrite applied)")]
    for line, name in _torch_methods(text):
        if line not in todos:
            todos[line] = [("JM299", f".{name}(): a torch tensor method on a value not proven a tensor here, "
                                     "so not rewritten; a jax.Array has no such method or a different one")]
    # layers the catalogue does not rewrite to the file's layout stay torch: the finding above covers them
    out = []
    result = []
    for i, line in enumerate(lines, 1):
        for rule, reason in todos.get(i, ()):
            if i > 1 and lines[i - 2].rstrip().endswith("\\"):
                continue
            indent = line[:len(line) - len(line.lstrip())]
            out.append(f"{indent}# {MARK}: {rule} {reason}\n")
            result.append(Todo(i, rule, reason))
        out.append(line)
    return "".join(out), result


def _torch_names(text: str, plan: Plan) -> list[tuple[int, str]]:
    """(line, name) of torch names still used outside annotations (`torch.pi`, `nn.GELU`)."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    found = []

    class V(cst.CSTVisitor):
        def visit_Annotation(self, node) -> bool:
            return False

        def visit_Import(self, node) -> bool:
            return False

        def visit_ImportFrom(self, node) -> bool:
            return False

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            parts = analyze.dotted(node)
            if parts and parts[0] in plan.torch_names:
                found.append((positions[node].start.line, ".".join(parts)))
                return False
            return True

    wrapper.module.visit(V())
    return found


def _torch_methods(text: str) -> list[tuple[int, str]]:
    """(line, name) of calls of torch-distinctive tensor methods (`.view`, `.permute`, `.masked_fill`)."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    found = []

    class V(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in analyze.DISTINCTIVE:
                root = analyze.dotted(func.value)
                if root and (root[0] in ("jnp", "np", "jax", "lax", "nnx", "optax", "torch", "F", "nn") or
                             root == ["self"]):
                    return
                found.append((positions[node].start.line, func.attr.value))

    wrapper.module.visit(V())
    return found


def _already_jax(f, lines: list[str]) -> bool:
    """A method finding on code that is already JAX: an array method of the same name and meaning
    (`x.reshape(...)` -> itself), or one the first pass wrote (`x.astype`, `x.swapaxes`)."""
    if not f.api.startswith("torch.Tensor."):
        return False
    name = f.api.rsplit(".", 1)[1]
    if f.replacement is None:
        return f.status == "unknown" and name in JAX_ARRAY_METHODS
    source = _span(lines, f.line, f.column, f.end_line, f.end_column)
    return "".join(f.replacement.split()) == "".join(source.split())


def _span(lines: list[str], line: int, col: int, end_line: int, end_col: int) -> str:
    col, end_col = col - 1, end_col - 1  # 1-based columns
    if line == end_line:
        return lines[line - 1][col:end_col]
    return lines[line - 1][col:] + "".join(lines[line:end_line - 1]) + lines[end_line - 1][:end_col]


def _first_sentence(message: str, limit: int = 160) -> str:
    one = " ".join(message.split())
    return one if len(one) <= limit else one[: limit - 3] + "..."


class _Unmark(cst.CSTTransformer):
    """Drop the tensor annotations the prepare step added; read parameters and buffers as arrays."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.cls: list[str | None] = []
        self.fn: list[str] = []

    def visit_ClassDef(self, node) -> None:
        self.cls.append(node.name.value if node.name.value in self.plan.classes else None)

    def leave_ClassDef(self, node, updated):
        self.cls.pop()
        return updated

    def visit_FunctionDef(self, node) -> None:
        self.fn.append(node.name.value)

    def leave_FunctionDef(self, node, updated: cst.FunctionDef):
        name = self.fn.pop()
        cls = self.cls[-1] if self.cls else None
        if cls is None or self.fn:
            return updated
        if (cls, name) in self.plan.key_methods:
            updated = _fresh_keys(updated, "rngs.params()" if name == "__init__" else "self.rngs()")
        params = tuple(p.with_changes(annotation=None) if (cls, name, p.name.value) in self.plan.marked else p
                       for p in updated.params.params)
        return updated.with_changes(params=updated.params.with_changes(params=params))

    def leave_Attribute(self, node, updated: cst.Attribute):
        # self.<variable> read outside __init__ -> self.<variable>[...] (value_of for optional ones)
        cls = self.cls[-1] if self.cls else None
        if cls is None or not self.fn or self.fn[0] == "__init__":
            return updated
        parts = analyze.dotted(updated)
        if not parts or len(parts) != 2 or parts[0] != "self":
            return updated
        optional = self.plan.variables.get(cls, {}).get(parts[1])
        if optional is None:
            return updated
        if optional:
            self.plan.used.add("value_of")
            return cst.Call(cst.Name("value_of"), [cst.Arg(updated)])
        return cst.Subscript(updated, [cst.SubscriptElement(cst.Index(cst.Ellipsis()))])

    # stores and `is None` tests keep the variable itself
    def visit_AssignTarget(self, node):
        return False

    def visit_Comparison(self, node: cst.Comparison):
        return not any(isinstance(c.operator, (cst.Is, cst.IsNot)) for c in node.comparisons)


# -- 5. imports, helpers ---------------------------------------------------------------------------

_ROOT_RE = re.compile(r"(?<![\w.])(nnx|jnp|jax|lax|optax|np)\.")


def _finish(module: cst.Module, plan: Plan) -> str:
    used = _loaded_names(module)
    body = list(module.body)
    kept = []
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and \
                isinstance(stmt.body[0], (cst.Import, cst.ImportFrom)):
            stmt = _prune_torch_import(stmt, used)
            if stmt is None:
                continue
        kept.append(stmt)
    module = module.with_changes(body=kept)
    code = module.code
    helpers = "".join(PRELUDE[n] for n in PRELUDE if n in plan.used)
    roots = set(_ROOT_RE.findall(code + helpers))
    bound = _bound_names(module)
    needed = [IMPORTS[r] for r in ("jax", "jnp", "lax", "nnx", "optax", "np") if r in roots and r not in bound]
    return _insert_after_imports(code, needed, helpers)


def _prune_torch_import(stmt: cst.SimpleStatementLine, used: set):
    imp = stmt.body[0]
    if isinstance(imp, cst.Import):
        mods = [".".join(analyze.dotted(a.name)) for a in imp.names]
    elif isinstance(imp.names, cst.ImportStar) or imp.module is None or imp.relative:
        return stmt
    else:
        mods = [".".join(analyze.dotted(imp.module))] * len(imp.names)
    keep = []
    for a, mod in zip(imp.names, mods):
        if isinstance(imp, cst.Import):
            local = a.asname.name.value if a.asname else analyze.dotted(a.name)[0]
        else:
            local = a.asname.name.value if a.asname else a.name.value
        if analyze.is_torch(mod) and local not in used:
            continue
        keep.append(a)
    if len(keep) == len(imp.names):
        return stmt
    if not keep:
        return None
    keep[-1] = keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return stmt.with_changes(body=[imp.with_changes(names=keep)])


def _loaded_names(module: cst.Module) -> set:
    names: set = set()

    class Names(cst.CSTVisitor):
        def visit_Import(self, node):
            return False

        def visit_ImportFrom(self, node):
            return False

        def visit_Name(self, node):
            names.add(node.value)

    module.visit(Names())
    return names


def _bound_names(module: cst.Module) -> set:
    reader = analyze.read(module)
    return set(reader.module_scope.bindings)


def _insert_after_imports(code: str, imports: list[str], helpers: str) -> str:
    module = cst.parse_module(code)
    last = -1
    for i, stmt in enumerate(module.body):
        if isinstance(stmt, cst.SimpleStatementLine) and all(isinstance(s, (cst.Import, cst.ImportFrom))
                                                             for s in stmt.body):
            last = i
        elif i == 0 and isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Expr):
            last = max(last, 0) if last >= 0 else (0 if _is_docstring(stmt) else -1)
        elif isinstance(stmt, cst.SimpleStatementLine) and _is_future(stmt):
            last = i
        else:
            break
    head = cst.Module(body=module.body[: last + 1], header=module.header, default_indent=module.default_indent,
                      default_newline=module.default_newline).code if last >= 0 else module.code_for_node(
        cst.Module(body=[], header=module.header))
    tail = cst.Module(body=module.body[last + 1:], default_indent=module.default_indent,
                      default_newline=module.default_newline).code
    extra = "".join(line + "\n" for line in imports)
    if helpers:
        extra += helpers + "\n"
    if last < 0:
        return head + extra + ("\n" if extra else "") + tail
    return head + extra + tail


def _is_docstring(stmt) -> bool:
    return isinstance(stmt.body[0], cst.Expr) and isinstance(stmt.body[0].value,
                                                              (cst.SimpleString, cst.ConcatenatedString))


def _is_future(stmt) -> bool:
    s = stmt.body[0]
    return isinstance(s, cst.ImportFrom) and s.module is not None and analyze.dotted(s.module) == ["__future__"]


def _renumber(out: str, todos: list[Todo]) -> list[Todo]:
    """Every TODO mark of the final text, with its line (the marking step and commented-out init code)."""
    found = []
    for i, line in enumerate(out.splitlines(), 1):
        m = _MARK_RE.search(line)
        if m:
            found.append(Todo(i, m.group(1), m.group(2)))
    return found


_MARK_RE = re.compile(r"#\s*TODO\(jaxmigrate\):\s*(JM\d+)\s*(.*)$")


# -- command line ----------------------------------------------------------------------------------


def summary(result: Result, path: str) -> str:
    """The lines still marked, one a line, then counts by code."""
    from collections import Counter

    lines = [f"{path}:{t.line}: {t.code} {t.reason}" for t in result.todos]
    counts = Counter(t.code for t in result.todos)
    top = ", ".join(f"{c} x{n}" for c, n in counts.most_common())
    lines.append(f"converted {len(result.classes)} module classes ({', '.join(result.classes) or 'none'}); "
                 f"{len(result.todos)} lines left marked {MARK}" + (f": {top}" if top else ""))
    return "\n".join(lines)


def write_atomic(path: str, text: str) -> None:
    """Write through a temporary file in the same folder and os.replace: never a half-written file."""
    import os
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".jaxmigrate-", suffix=".py")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run(path: str, output: str | None, weights: str | None = None, build: str | None = None) -> int:
    """`jaxmigrate convert`: 0 when written, 2 when the input cannot be read or parsed."""
    import sys

    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        result = convert(text, path)
    except (OSError, UnicodeDecodeError, ConvertError) as e:
        print(f"{path}:1:1: error: {e}", file=sys.stderr)
        return 2
    if output is None:
        sys.stdout.write(result.text)
    else:
        write_atomic(output, result.text)
    print(summary(result, output or path), file=sys.stderr)
    if weights is not None:
        if build is None or output is None:
            print("error: --weights needs --build and -o", file=sys.stderr)
            return 2
        save_weights(output, build, weights)
    return 0


def save_weights(jax_path: str, build: str, weights: str) -> str:
    """Load a torch checkpoint into the converted model and save it as an Orbax checkpoint beside it."""
    import os
    import sys

    import orbax.checkpoint as ocp
    import torch
    from flax import nnx

    from migrate.check_model import build_nnx, load_file
    from migrate.weights import load_state_dict

    module = load_file(jax_path, "_jm_converted")
    model = build_nnx(module, build)
    sd = torch.load(weights, map_location="cpu", weights_only=True)
    if isinstance(sd, dict) and "model" in sd and isinstance(sd["model"], dict):
        sd = sd["model"]
    load_state_dict(model, sd)
    target = os.path.abspath(os.path.splitext(jax_path)[0] + "_ckpt")
    checkpointer = ocp.StandardCheckpointer()
    checkpointer.save(target, nnx.state(model), force=True)
    checkpointer.wait_until_finished()  # the save runs in the background
    print(f"weights: {weights} -> {target} (Orbax)", file=sys.stderr)
    return target
