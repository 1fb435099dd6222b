"""How a catalogue record rewrites one call site (mapping/README.md, "The rewrite").

The call's arguments are bound to the record's `sig`; `unsupported_args`, unknown keywords, splats
the signature cannot bind and literals missing from `values` make the call `manual` with a reason.
The replacement is built from argument *spans*: the caller supplies `text(node)`, which returns the
source of a node with any nested rewrites already applied, so nested calls compose.
"""

from __future__ import annotations

import ast
import builtins
import io
import keyword
import re
import tokenize
from collections import Counter
from dataclasses import dataclass
from functools import cache

import libcst as cst

from mapping.record import Record

# jax target prefix -> (root written in code, module that root names, import line)
ROOTS = {
    "jnp": ("jax.numpy", "import jax.numpy as jnp"),
    "nnx": ("flax.nnx", "from flax import nnx"),
    "lax": ("jax.lax", "from jax import lax"),
    "jax": ("jax", "import jax"),
    "optax": ("optax", "import optax"),
    "np": ("numpy", "import numpy as np"),
}
PREFIXES = (("jax.numpy.", "jnp."), ("flax.nnx.", "nnx."), ("jax.lax.", "lax."))
ROOT_RE = re.compile(r"(?<![\w.])(jnp|nnx|lax|jax|optax|np)\.")
HOLE_RE = re.compile(r"\{(\w+)\}")
STAR_HOLE_RE = re.compile(r"(?<![*\w])\*\{(\w+)\}")
API_RE = re.compile(r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+")


class Manual(Exception):
    """No safe rewrite for this call; the message says why."""


class Mismatch(Manual):
    """The record's signature does not take this call (another record of the API may)."""


# Arguments a rewrite may leave out without changing any value: where arrays live and how they are laid
# out in memory. Every other given argument the JAX code does not carry makes the call manual.
INERT = frozenset(("device", "pin_memory", "non_blocking", "memory_format", "_stacklevel"))
# Why a given argument that the JAX code does not carry cannot be dropped (the general reason otherwise).
NOT_INERT = {
    "inplace": "torch overwrites the input in place; the JAX code returns a new array and the input keeps its "
               "value: if nothing reads the input afterwards, remove inplace= and the rewrite applies",
    "params": "the parameters: optax transforms every leaf of the params tree it is given. A list of parameter "
              "groups (dicts with their own lr / weight_decay) needs optax.multi_transform or a mask "
              "(optax.adamw(..., mask=...)); pass model.parameters() or a list of parameters and the rewrite "
              "applies",
    "optimizer": "torch's scheduler changes that optimizer's learning rate as it steps; an optax schedule is a "
                 "function of the step count that the optimizer takes as its learning rate: write the schedule "
                 "with base_lr = that optimizer's lr and pass it (optax.adamw(schedule, ...))",
}


def plain_parameters(node) -> bool:
    """`model.parameters()`, `[w, b]`: parameters without per-group options (a list of dicts is groups)."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and \
            node.func.attr.value in ("parameters", "values") and not node.args:
        return True
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("list", "tuple") \
            and len(node.args) == 1:
        return plain_parameters(node.args[0].value)
    if isinstance(node, (cst.List, cst.Tuple)):
        return all(isinstance(e, cst.Element) and isinstance(e.value, (cst.Name, cst.Attribute)) for e in node.elements)
    return False


def _inert(name: str, args: list) -> bool:
    if name in INERT:
        return True
    return name == "params" and len(args) == 1 and not args[0].star and plain_parameters(args[0].value)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # pos | var_pos | kw | var_kw   (pos covers positional-only and positional-or-keyword)
    default: str | None  # source text, None when required
    positional_only: bool = False
    annotation: str | None = None  # torch's accepted types (`int | tuple`): a literal of another type is rejected


NAME_RE = re.compile(r"\b[A-Za-z_]\w*\b")


@cache
def template_bound(template: str) -> frozenset:
    """Names a template's own lambdas and loops bind (`input`, `target`, `axis_`): a call argument using one of
    them would be captured once placed in the template."""
    src = HOLE_RE.sub(" _hole ", template.replace("?}", "}"))
    toks = [t for t in tokenize.generate_tokens(io.StringIO(src).readline) if t.type in (tokenize.NAME, tokenize.OP)]
    bound, binder = set(), None
    for tok in toks:
        if tok.string in ("lambda", "for"):
            binder = tok.string
        elif (binder, tok.string) in (("lambda", ":"), ("for", "in")):
            binder = None
        elif tok.type == tokenize.NAME and binder:
            bound.add(tok.string)
    return frozenset(bound - {"_hole"})


@cache
def free_names(template: str) -> frozenset:
    """Names a template uses that neither a hole, a module root, a builtin nor the template itself binds
    (`rngs`, `key`, `base_lr`): the rewritten code only runs where the caller's scope has them."""
    src = HOLE_RE.sub(" _hole ", template.replace("?}", "}"))
    toks = [t for t in tokenize.generate_tokens(io.StringIO(src).readline) if t.type in (tokenize.NAME, tokenize.OP)]
    bound, used, binder = set(), set(), None
    for i, tok in enumerate(toks):
        if tok.string in ("lambda", "for"):
            binder = tok.string
        elif (binder, tok.string) in (("lambda", ":"), ("for", "in")):
            binder = None
        elif tok.type == tokenize.NAME:
            if binder:
                bound.add(tok.string)
            elif (i == 0 or toks[i - 1].string != ".") and (i + 1 == len(toks) or toks[i + 1].string != "="):
                used.add(tok.string)
    return frozenset(used - bound - set(ROOTS) - set(keyword.kwlist) - set(dir(builtins)) - {"_hole"})


@cache
def parse_sig(sig: str) -> tuple[Param, ...]:
    """Parameters of a torch signature string (`"input, dim=None, *, out=None"`)."""
    text = f"def f({sig}): pass"
    args = ast.parse(text).body[0].args
    src = lambda node: ast.get_source_segment(text, node)  # noqa: E731
    params: list[Param] = []
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + [src(d) for d in args.defaults]
    for i, (a, d) in enumerate(zip(positional, defaults)):
        params.append(Param(a.arg, "pos", d, positional_only=i < len(args.posonlyargs),
                            annotation=a.annotation and src(a.annotation)))
    if args.vararg:
        params.append(Param(args.vararg.arg, "var_pos", None))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        params.append(Param(a.arg, "kw", None if d is None else src(d), annotation=a.annotation and src(a.annotation)))
    if args.kwarg:
        params.append(Param(args.kwarg.arg, "var_kw", None))
    return tuple(params)


def alias(target: str) -> str:
    """`jax.numpy.concatenate` -> `jnp.concatenate`; `jax.nn.gelu`, `optax.sgd` stay."""
    for long, short in PREFIXES:
        if target.startswith(long):
            return short + target[len(long):]
    return target


def has_rewrite(record: Record) -> bool:
    """A record rewrites a call when it is verified or caveat and has a template or an API target."""
    if record.status not in ("verified", "caveat"):
        return False
    return bool(record.template) or bool(API_RE.fullmatch(record.jax))


@dataclass
class Binding:
    """Arguments of one call bound to a signature: name -> argument nodes (several for *args)."""

    args: dict  # name -> list[cst.Arg]
    params: tuple[Param, ...]


def bind(record: Record, call: cst.Call) -> Binding:
    """Bind the call's arguments to the record's signature, or raise Manual."""
    params = parse_sig(record.sig) if record.sig else ()
    by_name = {p.name: p for p in params}
    positional = [p for p in params if p.kind == "pos"]
    var_pos = next((p for p in params if p.kind == "var_pos"), None)
    var_kw = next((p for p in params if p.kind == "var_kw"), None)
    bound: dict[str, list] = {}
    i = 0
    for arg in call.args:
        if arg.star == "**":
            if var_kw is None:
                raise Manual("a **kwargs splat cannot be bound to the signature: write the keywords out")
            bound.setdefault(var_kw.name, []).append(arg)
        elif arg.keyword is not None:
            name = arg.keyword.value
            p = by_name.get(name)
            if p is not None and p.kind == "var_pos" and name not in bound:
                if literal_kind(arg.value) in ("int", "float"):  # torch: "argument 'shape' must be tuple of ints"
                    raise Manual(f"{name}= takes a sequence when given by keyword: torch rejects a number there")
                bound[name] = [arg]  # `x.reshape(shape=(2, 3))`: torch accepts the sequence by keyword
                continue
            if p is None or p.kind == "var_pos" or p.positional_only:
                if var_kw is not None:
                    bound.setdefault(var_kw.name, []).append(arg)
                    continue
                raise Mismatch(f"argument {name}= is not in torch's signature ({record.sig})")
            if name in bound:
                raise Manual(f"argument {name} given twice")
            bound[name] = [arg]
        elif arg.star == "*":
            if var_pos is None or i < len(positional):
                raise Manual("a *args splat cannot be bound: its length is unknown and the signature "
                             f"({record.sig}) has named positional parameters there")
            bound.setdefault(var_pos.name, []).append(arg)
        elif i < len(positional):
            bound[positional[i].name] = [arg]
            i += 1
        elif var_pos is not None:
            bound.setdefault(var_pos.name, []).append(arg)
        else:
            raise Mismatch(f"too many positional arguments for the signature ({record.sig})")
    if var_pos is not None and var_pos.name == "tensors" and len(bound.get("tensors", ())) == 1:
        bound["tensors"] = _sequence_elements(bound["tensors"][0])
    for p in params:
        if p.kind in ("pos", "kw") and p.default is None and p.name not in bound:
            raise Manual(f"argument {p.name} is not given: the rewrite needs it written out (where torch has a "
                         "default for it, that default is not JAX's)")
        if p.annotation and p.name in bound and not _accepted(p.annotation, bound[p.name][0].value):
            raise Manual(f"{p.name}={cst.Module([]).code_for_node(bound[p.name][0].value)}: the rewrite is proven "
                         f"for {p.annotation} values here, not for this one: write this call by hand")
    for name, other in record.needs.items():
        if name in bound and other not in bound:
            raise Manual(f"{name}= without {other}: torch raises TypeError on this call (it takes {name} only "
                         f"together with {other}); give {other}, or drop {name}=")
    for name, why in record.unsupported_args.items():
        if name in bound and not _default_given(by_name.get(name), bound[name]):
            raise Manual(f"argument {name}= is not rewritten: {why}")
    for name in AXIS_PARAMS & bound.keys():
        if any(literal_kind(arg.value) in (("value", True), ("value", False)) for arg in bound[name]):
            # `torch.std(x, True)` is the `unbiased` overload; JAX would read True as axis 1.
            raise Manual(f"a bool where {name} is expected: torch reads it as another overload's flag "
                         "(e.g. unbiased=); write that argument by keyword")
        if "keepdim" in by_name and any(isinstance(arg.value, (cst.Tuple, cst.List)) and not arg.value.elements
                                        for arg in bound[name]):
            # `x.sum(dim=())`: torch reduces every axis, jnp.sum(axis=()) none.
            raise Manual(f"{name}=() (empty): torch's reductions read it as every axis and JAX as none: omit "
                         f"{name}, or write the axes out")
    return Binding(bound, params)


def _sequence_elements(arg: cst.Arg) -> list:
    """`torch.meshgrid([a, b])`: torch's `*tensors` functions also take one list or tuple of tensors, the JAX
    ones only the arrays: a display's elements become the arguments (`jnp.meshgrid(a, b)`)."""
    value = arg.value
    if arg.star or not isinstance(value, (cst.List, cst.Tuple)):
        return [arg]
    if len(value.elements) < 2 or any(isinstance(e, cst.StarredElement) for e in value.elements):
        raise Manual("one list or tuple of tensors: torch returns a tuple for it, and this one's length is not "
                     "written out (or is 1, where JAX returns the array alone): pass the tensors one by one")
    return [cst.Arg(value=e.value) for e in value.elements]


# torch's `*tensors` functions that also take one list or tuple of tensors (block_diag, broadcast_tensors do not)
SEQUENCE_TAKERS = frozenset(("torch.meshgrid", "torch.atleast_1d", "torch.atleast_2d", "torch.atleast_3d"))


def _sequence_choice(record: Record, binding: Binding, kind_of) -> str:
    """Why one argument of a `*tensors` function may be a list of tensors at run time, or ''."""
    args = binding.args.get("tensors") if record.torch in SEQUENCE_TAKERS else None
    if not args or len(args) != 1 or args[0].star:
        return ""
    if kind_of is not None and kind_of(args[0].value) == "tensor":
        return ""
    shown = cst.Module([]).code_for_node(args[0].value)
    return (f"{shown}: {record.torch} also takes one list or tuple of tensors, the JAX function only arrays, and "
            f"the code does not show which {shown} holds: pass the tensors one by one, or spread it "
            f"(*{shown}) where it is a list")


AXIS_PARAMS = frozenset({"dim", "dims", "axis"})
# A literal's kind (literal_kind) -> the type names of a sig annotation that accept it.
ACCEPTS = {"int": {"int"}, "float": {"float"}, "sequence": {"tuple", "list"}}


def _accepted(annotation: str, node) -> bool:
    """A literal argument is of a type the annotation lists (`int | tuple`); anything else may be (a name)."""
    kind = literal_kind(node)
    if kind is None:
        return True
    names = ACCEPTS.get(kind) if isinstance(kind, str) else {type(kind[1]).__name__ if kind[1] is not None else "None"}
    return bool(names & {t.strip() for t in annotation.split("|")})


def _default_given(p: Param | None, args: list) -> bool:
    """The argument is its parameter's default written out (`F.linear(x, w, None)`): as if omitted."""
    if p is None or p.default is None or len(args) != 1 or args[0].star or literal_kind(args[0].value) is None:
        return False
    return _same_literal(cst.Module([]).code_for_node(args[0].value), p.default)


@cache
def _same_literal(a: str, b: str) -> bool:
    if a == b:
        return True
    if not (LITERAL_START_RE.match(a) and LITERAL_START_RE.match(b)):
        return False  # a name or a call: not a literal (ast.literal_eval would parse it to say so)
    try:
        return ast.literal_eval(a) == ast.literal_eval(b)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False


LITERAL_START_RE = re.compile(r"\s*[-+(\[{'\"\d.]|\s*(True|False|None)\b|\s*[rbuRBU]+['\"]")


def _mapped(record: Record, name: str, source: str, mapped: set | None = None, root=None) -> str:
    table = record.values.get(name)
    if not table:
        return source
    for key, value in table.items():
        if _same_literal(source, key):
            if root is not None:
                value = ROOT_RE.sub(root, value)  # `jnp.float16` needs its import too
            if mapped is not None:
                mapped.add(value)
            return value
    if source.endswith(".dtype") and not source.startswith("torch.") and any("int" in v for v in table.values()):
        return source  # another array's dtype (`x.dtype`): a JAX dtype once x is a JAX array
    # (a table of floating dtypes only, arange[float]: x.dtype may be an integer type, which that entry excludes)
    if not source.startswith("torch.") and _literal(source) is None:
        raise Manual(f"{name}={source}: the rewrite maps only written-out values ({', '.join(table)}), and the code "
                     "does not show which one this holds")
    if source.split(".")[-1] in ("int64", "long", "float64", "double", "complex128", "cdouble"):
        raise Manual(f"{name}={source}: a 64-bit type, which JAX computes in 32 bits unless jax_enable_x64 is set; "
                     f"this rewrite maps {', '.join(table)}: cast by hand (to a 32-bit type, or enable x64)")
    raise Manual(f"{name}={source}: no JAX value for it (the rewrite maps {', '.join(table)})")


@cache
def _literal(source: str):
    if not LITERAL_START_RE.match(source):
        return None
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


_ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.SimpleString, cst.ConcatenatedString,
          cst.FormattedString, cst.Integer, cst.Float, cst.Imaginary, cst.List, cst.Dict, cst.Set, cst.ListComp,
          cst.SetComp, cst.DictComp, cst.Ellipsis)


SIMPLE_ATOM_RE = re.compile(r"[A-Za-z_][\w.]*|\d[\w.]*|'[^'\\\n]*'|\"[^\"\\\n]*\"")


@cache
def atomic(source: str) -> bool:
    """True when the expression can stand next to `.`, `(`, `*` or an operator without parentheses."""
    if SIMPLE_ATOM_RE.fullmatch(source):
        return True  # a name, an attribute chain, a number, a plain string: no parse needed
    try:
        node = cst.parse_expression(source)
    except cst.ParserSyntaxError:
        return False
    if node.lpar:
        return True
    return isinstance(node, _ATOMS)


@cache
def signed(source: str) -> bool:
    """`-x`, `+1.5`, `~m`: a unary operation without parentheses."""
    if not source.lstrip().startswith(("-", "+", "~")):
        return False
    try:
        node = cst.parse_expression(source)
    except cst.ParserSyntaxError:
        return False
    return isinstance(node, cst.UnaryOperation) and not node.lpar and not isinstance(node.operator, cst.Not)


def wrap(source: str) -> str:
    return source if atomic(source) else f"({source})"


def _bounded(template: str, start: int, end: int) -> bool:
    """The hole template[start:end] is a whole argument / element / keyword value."""
    before = template[:start].rstrip()
    after = template[end:].lstrip()
    return (not before or (before[-1] in "(,[=" and not before.endswith(("**", "*")))) and \
        (not after or after[0] in ",)]")


def _literal_items(source: str) -> str | None:
    """The elements of a tuple or list display (`(0.9, 0.95)` -> `0.9, 0.95`), else None."""
    try:
        node = cst.parse_expression(source)
    except cst.ParserSyntaxError:
        return None
    if not isinstance(node, (cst.Tuple, cst.List)) or not node.elements or \
            any(isinstance(e, cst.StarredElement) for e in node.elements):
        return None
    return ", ".join(cst.Module([]).code_for_node(e.value) for e in node.elements)


ATOMS = (cst.Name, cst.Integer, cst.Float, cst.SimpleString)  # written twice, the same value at no cost


class _Simplify(cst.CSTTransformer):
    """The forms a filled template leaves that nobody writes: `A if True else B` becomes A, and a lambda called
    on the spot, `(lambda l, where: jnp.where(where, l, 0.0))(loss, where=mask)`, becomes its body with the
    arguments put in, when each parameter is used once outside any branch (or its argument is a name)."""

    def __init__(self) -> None:
        super().__init__()
        self.wrapped: set[int] = set()  # ids of inlined bodies this put in parentheses
        self.inlined = 0  # lambdas inlined: their bodies may hold tests that fold now

    def leave_IfExp(self, original: cst.IfExp, updated: cst.IfExp) -> cst.BaseExpression:
        known = _known_test(updated.test)
        if known is None:
            return updated
        chosen = updated.body if known else updated.orelse
        if chosen.lpar or not updated.lpar or atomic(cst.Module([]).code_for_node(chosen)):
            return chosen
        return chosen.with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if not isinstance(func, cst.Lambda):
            return updated
        params = func.params
        if params.posonly_params or params.kwonly_params or not isinstance(params.star_arg, cst.MaybeSentinel) \
                or params.star_kwarg or any(p.default for p in params.params):
            return updated
        names = [p.name.value for p in params.params]
        bound: dict[str, cst.BaseExpression] = {}
        for i, arg in enumerate(updated.args):
            if arg.star or (arg.keyword is None and i >= len(names)):
                return updated
            bound[arg.keyword.value if arg.keyword else names[i]] = arg.value
        if sorted(bound) != sorted(names):
            return updated
        uses = _Uses(set(names))
        func.body.visit(uses)
        if uses.shadowed or any(uses.count[n] != 1 and not isinstance(bound[n], ATOMS) for n in names) or \
                any(n in uses.in_branch for n in names if not isinstance(bound[n], ATOMS)):
            return updated
        body = func.body.visit(_Substitute(bound))
        self.inlined += 1
        if not body.lpar and not atomic(cst.Module([]).code_for_node(body)):
            body = body.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            self.wrapped.add(id(body))  # the parentheses go again where the call was a whole argument or value
        return body

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(value=self._bare(updated.value)) if not updated.star else updated

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        return updated.with_changes(value=self._bare(updated.value))

    def leave_Expr(self, original: cst.Expr, updated: cst.Expr) -> cst.Expr:
        return updated.with_changes(value=self._bare(updated.value))

    def _bare(self, value: cst.BaseExpression) -> cst.BaseExpression:
        return value.with_changes(lpar=[], rpar=[]) if id(value) in self.wrapped else value


def _known_test(test: cst.BaseExpression) -> bool | None:
    """`True`, `False`, `None is None`, `0.3 is None` (a template's default test given a literal): its value."""
    if isinstance(test, cst.Name) and test.value in ("True", "False"):
        return test.value == "True"
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and not test.lpar:
        op, right = test.comparisons[0].operator, test.comparisons[0].comparator
        if isinstance(op, (cst.Is, cst.IsNot)) and isinstance(right, cst.Name) and right.value == "None":
            left = test.left
            if isinstance(left, cst.Name) and left.value == "None":
                return isinstance(op, cst.Is)
            if isinstance(left, (cst.Integer, cst.Float, cst.SimpleString)):
                return isinstance(op, cst.IsNot)
    return None


class _Uses(cst.CSTVisitor):
    """How often each name is read, which are read inside a branch (`if`-expression, `and` / `or`, a nested
    lambda or comprehension), and whether a nested scope rebinds one."""

    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names, self.count, self.in_branch, self.shadowed, self.depth = names, dict.fromkeys(names, 0), set(), \
            False, 0

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.names:
            self.count[node.value] += 1
            if self.depth:
                self.in_branch.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False  # `x.dtype`: the attribute's own name is not a read of `dtype`

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False  # a keyword's name is not a read

    def _enter(self, node) -> None:
        self.depth += 1
        if isinstance(node, cst.Lambda) and {p.name.value for p in node.params.params} & self.names:
            self.shadowed = True

    def _leave(self, node) -> None:
        self.depth -= 1

    visit_IfExp = visit_BooleanOperation = visit_Lambda = visit_GeneratorExp = visit_ListComp = _enter
    leave_IfExp = leave_BooleanOperation = leave_Lambda = leave_GeneratorExp = leave_ListComp = _leave

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.shadowed = self.shadowed or bool(_names_in(node.target) & self.names)


def _names_in(node) -> set[str]:
    found: set[str] = set()

    class Collect(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.add(n.value)

    node.visit(Collect())
    return found


@cache
def _reads(source: str) -> frozenset:
    """The names an expression reads: not keyword names (`axis=1`) nor attributes (`x.axis`)."""
    try:
        node = cst.parse_expression(source)
    except cst.ParserSyntaxError:
        return frozenset(NAME_RE.findall(source))
    found: set[str] = set()

    class Reads(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.add(n.value)

        def visit_Attribute(self, n: cst.Attribute) -> bool:
            n.value.visit(self)
            return False

        def visit_Arg(self, n: cst.Arg) -> bool:
            n.value.visit(self)
            return False

    node.visit(Reads())
    return frozenset(found)


class _Substitute(cst.CSTTransformer):
    """Each parameter name read in a lambda's body replaced by its argument (in parentheses unless atomic or
    a whole argument of a call)."""

    def __init__(self, bound: dict) -> None:
        super().__init__()
        self.bound, self.wrapped = bound, set()  # ids of the arguments this put in parentheses

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return True

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)  # only the object of `l.shape` is a parameter

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        value = updated.value
        if id(value) in self.wrapped and not updated.star:
            value = value.with_changes(lpar=[], rpar=[])
        return updated.with_changes(keyword=original.keyword, value=value)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        value = self.bound.get(original.value)
        if value is None:
            return updated
        if not value.lpar and not atomic(cst.Module([]).code_for_node(value)):
            value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            self.wrapped.add(id(value))
        return value


CALLED_LAMBDA_RE = re.compile(r"\(\s*lambda\b")


def simplify(source: str) -> str:
    """A filled template without `if True else` and lambdas called on the spot (see _Simplify)."""
    if " if True else " not in source and " if False else " not in source and " is None else " not in source and \
            " is not None else " not in source and ("lambda" not in source or not CALLED_LAMBDA_RE.search(source)):
        return source  # a lambda is called on the spot only in parentheses: `(lambda l: ...)(x)`
    if not _maybe_simpler(source):
        return source
    try:
        tree = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return source
    for _ in range(3):  # an inlined lambda can leave a test to fold (`mask_ is None` given None)
        simplify_ = _Simplify()
        tree = tree.visit(simplify_)
        if not simplify_.inlined:
            break
    return tree.code


PURE_ROOTS = frozenset(("jnp", "lax", "jax", "optax", "math"))
PURE_BUILTINS = frozenset(("len", "int", "float", "bool", "min", "max", "abs", "round", "tuple", "list"))
PURE_METHODS = frozenset((  # JAX array methods a rewritten argument holds: each returns a new array
    "reshape", "astype", "swapaxes", "transpose", "squeeze", "flatten", "ravel", "sum", "mean", "max", "min",
    "argmax", "argmin", "any", "all", "clip", "round", "conj", "real", "imag", "prod", "std", "var", "cumsum",
    # torch methods of the same kind, in an argument whose own rewrite is not applied (the call is then held)
    "view", "view_as", "reshape_as", "size", "contiguous", "long", "float", "int", "bool", "half", "double", "t",
    "permute", "unsqueeze", "expand", "expand_as", "detach", "type", "to", "softmax", "log_softmax", "numel",
    "dim"))
_PURE_NODES = (cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis, cst.Attribute,
               cst.Subscript, cst.SubscriptElement, cst.Index, cst.Slice, cst.UnaryOperation, cst.BinaryOperation,
               cst.Comparison, cst.ComparisonTarget, cst.BooleanOperation, cst.Tuple, cst.List, cst.Element,
               cst.IfExp, cst.Arg, cst.BaseUnaryOp, cst.BaseBinaryOp, cst.BaseCompOp, cst.BaseBooleanOp,
               cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.Comma, cst.Colon,
               cst.Dot, cst.BaseParenthesizableWhitespace, cst.Newline, cst.EmptyLine, cst.Comment,
               cst.TrailingWhitespace, cst.AssignEqual)


@cache
def repeatable(source: str) -> bool:
    """Written twice, the expression gives the same value and costs little: names, subscripts, arithmetic,
    calls of jnp / lax / jax functions and array methods (not a layer call, an iterator or numpy's random)."""
    if SIMPLE_ATOM_RE.fullmatch(source):
        return True
    try:
        node = cst.parse_expression(source)
    except cst.ParserSyntaxError:
        return False
    return _repeatable(node)


def _repeatable(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.Call):
        func = node.func
        if isinstance(func, cst.Name):
            ok = func.value in PURE_BUILTINS
        elif isinstance(func, cst.Attribute):
            root = func
            while isinstance(root, cst.Attribute):
                root = root.value
            ok = (isinstance(root, cst.Name) and root.value in PURE_ROOTS and _dotted(func)) or \
                (func.attr.value in PURE_METHODS and _repeatable(func.value) and
                 not (isinstance(func.value, cst.Name) and func.value.value == "self"))  # `self.expand(x)`: a layer
        else:
            ok = False
        return ok and all(_repeatable(a.value) for a in node.args)
    if not isinstance(node, _PURE_NODES):
        return False
    return all(_repeatable(c) for c in node.children)


def _dotted(node: cst.BaseExpression) -> bool:
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def _once(head: str, fill, source_of, binding: Binding, record: Record, text_of_hole) -> str:
    """The filled template, evaluating each argument once: where the template writes an argument more than once
    and that argument is not `repeatable` (a layer call, an iterator, a random draw would run again per copy),
    the arguments are bound by a lambda called on the spot: `(lambda input_: <template>)(self.conv(x))`."""
    counts = Counter(HOLE_RE.findall(head))
    plain = {p.name for p in binding.params if p.kind in ("pos", "kw")}
    given = [name for name in counts if name == "self" or (binding.args.get(name) and name in plain)]
    if not any(counts[n] > 1 and not repeatable(source_of(n)) for n in given):
        return HOLE_RE.sub(fill, head)
    bound = [n for n in given if not repeatable(source_of(n))]  # in the call's order, as torch evaluates them
    if assignment_target(record) in bound:
        raise Manual(f"{text_of_hole(assignment_target(record))} is assigned to: it must be a name")
    params = {n: f"{n}_" for n in bound}
    reads = set().union(*(_reads(source_of(n)) for n in given if n not in params)) | set(NAME_RE.findall(head))
    if reads & set(params.values()):
        raise Manual(f"an argument uses `{min(reads & set(params.values()))}`, the name the rewrite binds "
                     "the argument it writes more than once to: rename it or rewrite by hand")
    target = ASSIGN_RE.match(head)  # `{self} = <value>`: the value is what the lambda computes
    start = target.end() if target else 0
    body = HOLE_RE.sub(lambda m: params.get(m.group(1)) or fill(m), head[start:]).strip()
    lead = HOLE_RE.sub(fill, head[:start])
    return f"{lead}{' ' if lead else ''}(lambda {', '.join(params.values())}: {body})" \
        f"({', '.join(source_of(n) for n in bound)})"


def _maybe_simpler(source: str) -> bool:
    """A quick look with Python's own parser (libcst's is 20x slower): a test that folds, or a lambda called on the
    spot whose arguments are names or literals, or whose parameters are each read once. False: _Simplify would
    change nothing."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp) and (isinstance(node.test, ast.Constant) or (
                isinstance(node.test, ast.Compare) and isinstance(node.test.left, ast.Constant))):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Lambda):
            reads = [n.id for n in ast.walk(node.func.body) if isinstance(n, ast.Name)]
            params = [a.arg for a in node.func.args.args]
            atoms = [isinstance(a, (ast.Name, ast.Constant)) for a in node.args]
            if all(atoms) or any(reads.count(p) == 1 for p in params):
                return True
    return False


def _arg_text(arg: cst.Arg, text) -> str:
    return arg.star + (wrap(text(arg.value)) if arg.star else text(arg.value))


def build(record: Record, binding: Binding, text, receiver: cst.BaseExpression | None,
          roots: dict) -> tuple[str, set, list]:
    """The replacement source, the import roots it needs and the arguments it drops.

    `text(node)` gives a node's source with nested rewrites applied; `roots` maps a root (`jnp`)
    to the name it has in this file.
    A given argument the template does not mention is dropped (mapping/README.md); the caller
    reports it. Raises Manual when an argument cannot be mapped.
    """
    params = {p.name: p for p in binding.params}
    used: set[str] = set()
    dropped: list[str] = []
    mapped: set[str] = set()  # fragments that came from a values table

    def root(match: re.Match) -> str:
        used.add(match.group(1))
        return roots.get(match.group(1), match.group(1)) + "."

    if record.template:
        holes = set(HOLE_RE.findall(record.template.replace("?}", "}")))
        for name in holes - set(params) - {"self"}:
            raise Manual(f"record template names {{{name}}}, which is not in its signature")
        for name, args in binding.args.items():
            if name in holes:
                continue
            p = params[name]
            if p.kind in ("pos", "kw") and p.default is not None and _same_literal(text(args[0].value), p.default):
                continue  # the default, written out: dropping it changes nothing
            if _inert(name, args):
                dropped.append(name)
                continue
            if len(args) == 1 and isinstance(literal_kind(args[0].value), tuple) and \
                    literal_kind(args[0].value) in (proven(record).get(name) or ()):
                continue  # the value this record was proven with (`rounding_mode='floor'` for div[floor])
            why = NOT_INERT.get(name, "the JAX code has no such argument and torch's result depends on it")
            raise Manual(f"{name}={text(args[0].value) if len(args) == 1 else '...'} is not carried by the "
                         f"rewrite: {why}")
        head = ROOT_RE.sub(root, _optional(record.template, binding))

        spread = set()  # `*{args}` holes: the arguments as written (`f(a, b)`, not `f(*(a, b))`)
        elements: dict[str, str] = {}  # `*{betas}` given a tuple literal: its elements (`0.9, 0.95`)

        def star(m: re.Match) -> str:
            p = params.get(m.group(1))
            if p is not None and p.kind in ("pos", "kw") and m.group(1) not in record.values and \
                    re.match(r"\s*[,)\]]", head[m.end():]):
                args = binding.args.get(m.group(1))
                items = _literal_items(text(args[0].value) if args else p.default or "")
                if items is not None and not (args and args[0].star):
                    elements[m.group(1)] = items
                    return "{" + m.group(1) + "}"
            if p is None or p.kind != "var_pos" or not binding.args.get(m.group(1)):
                return m.group(0)
            spread.add(m.group(1))
            return "{" + m.group(1) + "}"

        head = STAR_HOLE_RE.sub(star, head)

        def fill(m: re.Match) -> str:
            source = _fill(m.group(1))
            captured = template_bound(record.template) & set(NAME_RE.findall(source))
            captured = captured and captured & _reads(source)
            if captured:
                raise Manual(f"{text_of_hole(m.group(1))} uses `{min(captured)}`, a name the rewrite's own lambda or "
                             "loop binds: that name would mean the rewrite's, not yours; rename it or rewrite by hand")
            if source in mapped or _bounded(head, m.start(), m.end()):
                return source  # a whole argument, or a fragment the record wrote (values)
            if signed(source) and not head[m.end():].lstrip().startswith(("**", ".", "(", "[")):
                return source  # `-1.0 - 0.1`: a sign binds tighter than any operator but **
            return wrap(source)

        def text_of_hole(name: str) -> str:
            return "the receiver" if name == "self" else f"argument {name}"

        def _fill(name: str) -> str:
            if name == "self":
                return text(receiver)
            if name in elements:
                return elements[name]
            p = params[name]
            args = binding.args.get(name)
            if p.kind == "var_pos" and name in spread:
                return ", ".join(_arg_text(a, text) for a in args)
            if p.kind == "var_pos":  # torch.ones(2, 3) and torch.ones((2, 3)) both give one shape argument
                args = args or []
                if len(args) == 1 and not args[0].star:
                    return text(args[0].value)
                return "(" + ", ".join(_arg_text(a, text) for a in args) + ("," if len(args) == 1 else "") + ")"
            if p.kind == "var_kw":
                return ", ".join(f"{a.keyword.value}={text(a.value)}" if a.keyword else _arg_text(a, text)
                                 for a in args or [])
            if args:
                return _mapped(record, name, text(args[0].value), mapped, root)
            try:
                return _mapped(record, name, p.default, mapped, root)
            except Manual:
                raise Manual(f"{name}={p.default} (the default): the record's values table has no entry for it, "
                             "so the rewrite cannot be written") from None

        return simplify(_once(head, fill, _fill, binding, record, text_of_hole)), used, dropped

    parts = []
    if module_class(record.torch):  # `nn.ReLU()` -> `jax.nn.relu`: constructor arguments have no place
        for name, args in binding.args.items():
            p = params[name]
            if p.kind in ("pos", "kw") and p.default is not None and _same_literal(text(args[0].value), p.default):
                continue
            if _inert(name, args):
                dropped.append(name)
                continue
            why = NOT_INERT.get(name, "the JAX function takes no such setting")
            raise Manual(f"{name}={text(args[0].value)} is not carried by the rewrite: {why}")
        return ROOT_RE.sub(root, alias(record.jax)), used, dropped
    if receiver is not None and record.jax.startswith("jax.Array."):
        head = f"{wrap(text(receiver))}.{record.jax.rsplit('.', 1)[1]}"
    else:
        head = ROOT_RE.sub(root, alias(record.jax))
        if receiver is not None:
            parts.append(text(receiver))
    first = not parts  # the first argument stays positional, unless the receiver took that place
    for p in binding.params:
        args = binding.args.get(p.name)
        if not args or p.name in record.unsupported_args:  # (given here only as its default: bind)
            first = False if p.kind == "pos" else first
            continue
        if p.kind == "var_pos":
            parts.extend(_arg_text(a, text) for a in args)
        elif p.kind == "var_kw":
            parts.extend(f"{a.keyword.value}={text(a.value)}" if a.keyword else _arg_text(a, text) for a in args)
        elif first and p.kind == "pos":
            parts.append(_mapped(record, p.name, text(args[0].value), None, root))
        else:
            value = _mapped(record, p.name, text(args[0].value), None, root)
            parts.append(f"{record.rename.get(p.name, p.name)}={value}")
        first = False
    return f"{head}({', '.join(parts)})", used, dropped


def module_class(torch_name: str) -> bool:
    """`torch.nn.ReLU`: a module class (its call builds a module; the module is called later)."""
    head, _, last = torch_name.rpartition(".")
    return head == "torch.nn" and last[:1].isupper()


MODULE_CALL_RE = re.compile(r"^\s*(?:(.*?)\s*=\s*)?m\(", re.M)


@cache
def call_sites_kept(record: Record) -> bool:
    """A module's rewrite changes its constructor only: the module's calls stay as written. That is right
    when the JAX example calls the module as the torch example does (same names bound from `m(...)`);
    `y, (h, c) = m(x)` against nnx's `(c, h), y = m(x)` is not."""
    torch_calls = MODULE_CALL_RE.findall(record.torch_example)
    jax_calls = {" ".join(t.split()) for t in MODULE_CALL_RE.findall(record.jax_example)}
    return all(" ".join(t.split()) in jax_calls for t in torch_calls)


OPTIONAL_RE = re.compile(r"(,\s*)?(\w+=|\*)?\{(\w+)\?\}")


def _optional(template: str, binding: Binding) -> str:
    """`{name?}` holes (with their `kw=` or `*` and comma) vanish when the call omits `name`."""
    def keep(m: re.Match) -> str:
        return m.group(0).replace("?}", "}") if m.group(3) in binding.args else ""

    return re.sub(r"\(\s*,\s*", "(", OPTIONAL_RE.sub(keep, template))


ASSIGN_RE = re.compile(r"\{(\w+)\}\s*=(?!=)")


def assignment_target(record: Record) -> str | None:
    """The hole an assignment template rebinds (`{self} = jnp.add({self}, {other})` -> "self"), else None."""
    m = ASSIGN_RE.match(record.template)
    return m.group(1) if m else None


def _plain_target(node) -> bool:
    """A name or an attribute chain without parentheses (`z`, `self.w.data`): something `=` can rebind."""
    if isinstance(node, cst.Name) and node.value in ("self", "cls", "True", "False", "None"):
        return False
    while isinstance(node, cst.Attribute) and not node.lpar:
        node = node.value
    return isinstance(node, cst.Name) and not node.lpar


def check_assignment(record: Record, binding: Binding, call: cst.Call, statement: bool) -> None:
    """An assignment template (in-place methods) rewrites only a call that is a statement of its own,
    on a plain name or attribute chain; raises Manual otherwise."""
    target = assignment_target(record)
    if target is None:
        return
    if target == "self":
        node = call.func.value if isinstance(call.func, cst.Attribute) else None
    else:
        node = binding.args[target][0].value if binding.args.get(target) else None
    shown = cst.Module([]).code_for_node(node) if node is not None else target
    if not statement and node is not None and not _plain_target(node) and isinstance(call.func, cst.Attribute):
        raise Manual(f"the rewrite rebinds the receiver to the new value, and here the receiver is `{shown}`, not "
                     "a name. Where it is a view of another tensor (a slice, .detach(), torch.diagonal(...)), torch "
                     "changes that tensor too: write that one's new value (.at[...].set(...)); where it is a new "
                     f"tensor, bind it first (y = {shown}; then y.{call.func.attr.value}(...) on a line of its own)")
    if not statement:
        raise Manual(f"the rewrite is an assignment ({shown} = ...): it applies only where the call is "
                     "a statement of its own, and here its value is used: compute the new value, rebind the "
                     "name, then use the name")
    if node is None or not _plain_target(node):
        raise Manual(f"the rewrite rebinds {'the receiver' if target == 'self' else target}, which must be a "
                     "name; for an element or a slice use x = x.at[i].set(...)")
    if isinstance(node, cst.Attribute):
        raise Manual(f"{shown} is an attribute (a module's parameter or buffer, .data, .grad): torch changes that "
                     f"tensor in place for everything holding it, while `{shown} = ...` raises in torch for "
                     "parameters, buffers, .data and .grad, and in a Flax NNX module replaces the nnx.Param with "
                     "a plain array that is no longer trained; set it with an initializer, or "
                     "`module.param.value = ...` in the nnx module")


# -- choosing among an API's records ------------------------------------------------------------------
#
# Several records of one API (`variant`s) are told apart by the call's arguments. Besides the
# arguments that bind or not (a plain record lists the arguments its variants handle in
# `unsupported_args`), each record's torch_example is evidence of the arguments it was proven with: a
# literal argument of the call (`[1, 3, 2]`, `'trunc'`, `False`, `2`) that contradicts that evidence
# makes the record a worse choice. Kinds compared: numbers by type (int / float), lists and tuples as
# `sequence`, tensor inputs as `tensor`, and str / bool / None by value. An omitted argument was proven
# with its default.


def literal_kind(node) -> object:
    """What a literal argument is, as compared with the records' evidence; None when not a literal."""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        inner = literal_kind(node.expression)
        return inner if inner in ("int", "float") else None
    if isinstance(node, cst.Integer):
        return "int"
    if isinstance(node, cst.Float):
        return "float"
    if isinstance(node, (cst.List, cst.Tuple, cst.ListComp)):
        return "sequence"
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return ("value", value) if isinstance(value, str) else None
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return ("value", {"True": True, "False": False, "None": None}[node.value])
    return None


def _value_kind(value) -> object:
    if value is None or isinstance(value, (bool, str)):
        return ("value", value)
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, (list, tuple)):
        return "sequence"
    return None


def _example_calls(record: Record, module: cst.Module) -> list[cst.Call]:
    """The calls of the record's own API in its torch example (`x.split(...)`, `F.gelu(...)`)."""
    names = {n.rsplit(".", 1)[1] for n in (record.torch, *record.aliases)}
    method = record.torch.startswith("torch.Tensor.")
    found = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            last = func.attr.value if isinstance(func, cst.Attribute) else \
                func.value if isinstance(func, cst.Name) else None
            if last not in names:
                return
            root = func
            while isinstance(root, cst.Attribute):
                root = root.value
            module_call = isinstance(root, cst.Name) and root.value in ("torch", "nn", "F") and root is not func
            if method == (isinstance(func, cst.Attribute) and not module_call):
                found.append(node)

    module.visit(Calls())
    return found


@cache
def proven(record: Record) -> dict:
    """Parameter -> the kinds of argument the record's torch example passes (None: some we can't tell)."""
    try:
        module = cst.parse_module(record.torch_example)
    except (cst.ParserSyntaxError, RecursionError):
        return {}
    inputs = {i.name: i for i in record.inputs}
    kinds: dict = {}
    for call in _example_calls(record, module):
        try:
            binding = bind(record, call)
        except Manual:
            continue
        for p in binding.params:
            if p.kind not in ("pos", "kw"):
                continue
            args = binding.args.get(p.name)
            if not args:
                try:
                    found = {_value_kind(ast.literal_eval(p.default))} if p.default is not None else {None}
                except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                    found = {None}
            else:
                value = args[0].value
                spec = inputs.get(value.value) if isinstance(value, cst.Name) else None
                kind = type(spec).__name__ if spec is not None else None
                if kind == "T":
                    found = {"tensor"}
                elif kind == "Dim":
                    found = {"int"}
                elif kind == "Choice":
                    found = {_value_kind(v) for v in spec.values}
                else:
                    found = {literal_kind(value)}
            if p.name in kinds and kinds[p.name] is None:
                continue
            kinds[p.name] = None if None in found else kinds.get(p.name, frozenset()) | found
    return kinds


def _evidence(record: Record, binding: Binding) -> tuple[int, int]:
    """(contradicted, confirmed): the call's literal arguments against what the record was proven with."""
    kinds = proven(record)
    bad = good = 0
    for name, args in binding.args.items():
        if len(args) != 1 or args[0].star:
            continue
        kind = literal_kind(args[0].value)
        seen = kinds.get(name)
        if kind is None or not seen:
            continue
        if kind in seen:
            good += 1
        else:
            bad += 1
    return bad, good


def _runtime_choice(records: list[Record], record: Record, binding: Binding, kind_of) -> str:
    """Why the choice of `record` depends on a value the code does not show, or ''.

    A non-literal argument where this record was proven with one kind of value (`split_size`: an int) and a
    sibling with a disjoint kind (a list; a tensor vs None for `bias`) could hold either at run time."""
    seen = proven(record)
    for name, args in binding.args.items():
        if len(args) != 1 or args[0].star or literal_kind(args[0].value) is not None:
            continue
        mine = seen.get(name)
        if not mine:
            continue
        known = kind_of(args[0].value) if kind_of is not None else None
        if known is not None and known in mine:
            continue
        for other in records:
            # a sibling that writes the same code (F.dropout and its [eval] entry) is no different rewrite
            same = _writes(other, binding) == _writes(record, binding)
            theirs = proven(other).get(name) if other is not record and has_rewrite(other) and not same else None
            if theirs and not (theirs & mine):
                shown = cst.Module([]).code_for_node(args[0].value)
                return (f"{name}={shown}: {other.id} and {record.id} need different rewrites ({_kinds(theirs)} vs "
                        f"{_kinds(mine)}), and the code does not show which {shown} holds at run time: rewrite by "
                        "hand, or write the value out")
    return ""


def _writes(record: Record, binding: Binding) -> tuple:
    """What decides the code a record writes for this call: the `values` tables count only for the arguments
    the call gives (arange and arange[float] accept different dtypes, and write the same code without one)."""
    given = {name: table for name, table in record.values.items() if binding.args.get(name)}
    return record.sig, record.template, given, record.jax, record.rename


def _kinds(kinds) -> str:
    return " or ".join(sorted(repr(k[1]) if isinstance(k, tuple) else f"{'an' if k[:1] in 'aeiou' else 'a'} {k}"
                              for k in kinds))


def choose(records: list[Record], call: cst.Call, statement: bool = False,
           kind_of=None) -> tuple[Record, Binding | None, str]:
    """The record for this call among an API's records, its binding, and why not when it has none.

    Records are tried in this order, and the first with a rewrite whose signature binds the call wins
    (`x.size()` and `x.size(-1)` are two records):
    1. last, a variant named after an optional parameter the call does not give (`linear[bias]` for
       `F.linear(x, w)`);
    2. fewer literal arguments that contradict the record's proven examples (`x.split([1, 3, 2])`:
       split[sizes]; `torch.div(a, b, rounding_mode='trunc')`: div[trunc]);
    3. a variant named after a parameter the call gives, by keyword or position (`F.linear(x, w, b)`);
    4. more literal arguments that the examples confirm; then the plain record; then catalogue order.
    `statement`: the call is a whole expression statement, where an assignment template may apply.
    `kind_of(node)`: "tensor" when the caller knows the argument is one (else None).
    """
    keywords = {a.keyword.value for a in call.args if a.keyword}
    ranked = []
    for i, r in enumerate(records):
        mismatch = False  # a record whose signature does not take the call reports only if none does
        try:
            binding, error = bind(r, call), None
        except Manual as e:
            binding, error, mismatch = None, str(e), isinstance(e, Mismatch)
        given = set(binding.args) if binding is not None else keywords
        optional = {p.name for p in (binding.params if binding is not None else parse_sig(r.sig) if r.sig else ())
                    if p.kind in ("pos", "kw") and p.default is not None}
        named = bool(r.variant) and (r.variant in keywords or (r.variant in given and r.variant in optional))
        excluded = bool(r.variant) and r.variant in optional and r.variant not in given
        bad, good = _evidence(r, binding) if binding is not None and len(records) > 1 else (0, 0)
        key = (mismatch, excluded, bad, not named, -good, bool(r.variant), i)
        ranked.append((key, r, binding, error))
    ranked.sort(key=lambda t: t[0])
    failed = None
    for _, r, binding, error in ranked:
        if not has_rewrite(r):
            continue
        if binding is not None:
            try:
                check_assignment(r, binding, call, statement)
                if any(o is not r and o.template == r.template and has_rewrite(o) for _, o, _, _ in ranked):
                    for name, args in binding.args.items():  # a value this entry's table lacks: a sibling that
                        if name in r.values and len(args) == 1:  # writes the same code may take it (arange[dtype])
                            _mapped(r, name, cst.Module([]).code_for_node(args[0].value))
                why = _runtime_choice(records, r, binding, kind_of) if len(records) > 1 else ""
                why = why or _sequence_choice(r, binding, kind_of)
                if why:
                    return r, None, why
                return r, binding, ""
            except Manual as e:
                error = str(e)
        failed = failed or (r, error)
    first = ranked[0][1]
    takes = next((r for _, r, b, _ in ranked if b is not None and not has_rewrite(r)), None)
    if takes is not None and failed and " is not given: " in failed[1]:
        return takes, None, ""  # `torch.where(cond)`: the manual form that takes the call says why, not a sibling's
    if failed and first.status in ("verified", "caveat"):
        return failed[0], None, failed[1]
    return first, None, ""
