"""How a catalogue record rewrites one call site (mapping/README.md, "The rewrite").

The call's arguments are bound to the record's `sig`; `unsupported_args`, unknown keywords, splats
the signature cannot bind and literals missing from `values` make the call `manual` with a reason.
The replacement is built from argument *spans*: the caller supplies `text(node)`, which returns the
source of a node with any nested rewrites already applied, so nested calls compose.
"""

from __future__ import annotations

import ast
import re
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
API_RE = re.compile(r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+")


class Manual(Exception):
    """No safe rewrite for this call; the message says why."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # pos | var_pos | kw | var_kw   (pos covers positional-only and positional-or-keyword)
    default: str | None  # source text, None when required
    positional_only: bool = False


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
        params.append(Param(a.arg, "pos", d, positional_only=i < len(args.posonlyargs)))
    if args.vararg:
        params.append(Param(args.vararg.arg, "var_pos", None))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        params.append(Param(a.arg, "kw", None if d is None else src(d)))
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
            if p is None or p.kind == "var_pos" or p.positional_only:
                if var_kw is not None:
                    bound.setdefault(var_kw.name, []).append(arg)
                    continue
                raise Manual(f"argument {name}= is not in torch's signature ({record.sig})")
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
            raise Manual(f"too many positional arguments for the signature ({record.sig})")
    for p in params:
        if p.kind in ("pos", "kw") and p.default is None and p.name not in bound:
            raise Manual(f"required argument {p.name} is missing")
    for name, why in record.unsupported_args.items():
        if name in bound:
            raise Manual(f"argument {name}= has no JAX equivalent: {why}")
    return Binding(bound, params)


def _same_literal(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return ast.literal_eval(a) == ast.literal_eval(b)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False


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
    raise Manual(f"{name}={source}: no JAX value for this literal (the record maps {', '.join(table)})")


_ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.SimpleString, cst.ConcatenatedString,
          cst.FormattedString, cst.Integer, cst.Float, cst.Imaginary, cst.List, cst.Dict, cst.Set, cst.ListComp,
          cst.SetComp, cst.DictComp, cst.Ellipsis)


@cache
def atomic(source: str) -> bool:
    """True when the expression can stand next to `.`, `(`, `*` or an operator without parentheses."""
    try:
        node = cst.parse_expression(source)
    except cst.ParserSyntaxError:
        return False
    if node.lpar:
        return True
    return isinstance(node, _ATOMS)


def wrap(source: str) -> str:
    return source if atomic(source) else f"({source})"


def _bounded(template: str, start: int, end: int) -> bool:
    """The hole template[start:end] is a whole argument / element / keyword value."""
    before = template[:start].rstrip()
    after = template[end:].lstrip()
    return (not before or (before[-1] in "(,[=" and not before.endswith(("**", "*")))) and \
        (not after or after[0] in ",)]")


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
            dropped.append(name)
        head = ROOT_RE.sub(root, _optional(record.template, binding))

        def fill(m: re.Match) -> str:
            source = _fill(m.group(1))
            if source in mapped or _bounded(head, m.start(), m.end()):
                return source  # a whole argument, or a fragment the record wrote (values)
            return wrap(source)

        def _fill(name: str) -> str:
            if name == "self":
                return text(receiver)
            p = params[name]
            args = binding.args.get(name)
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

        return HOLE_RE.sub(fill, head), used, dropped

    parts = []
    if receiver is not None and record.jax.startswith("jax.Array."):
        head = f"{wrap(text(receiver))}.{record.jax.rsplit('.', 1)[1]}"
    else:
        head = ROOT_RE.sub(root, alias(record.jax))
        if receiver is not None:
            parts.append(text(receiver))
    first = not parts  # the first argument stays positional, unless the receiver took that place
    for p in binding.params:
        args = binding.args.get(p.name)
        if not args:
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


OPTIONAL_RE = re.compile(r"(,\s*)?(\w+=)?\{(\w+)\?\}")


def _optional(template: str, binding: Binding) -> str:
    """`{name?}` holes (with their `kw=` and comma) vanish when the call omits `name`."""
    def keep(m: re.Match) -> str:
        return m.group(0).replace("?}", "}") if m.group(3) in binding.args else ""

    return re.sub(r"\(\s*,\s*", "(", OPTIONAL_RE.sub(keep, template))


def choose(records: list[Record], call: cst.Call) -> tuple[Record, Binding | None, str]:
    """The record for this call among an API's records, its binding, and why not when it has none.

    A variant named by a keyword of the call comes first, then the plain record, then the other
    variants; the first with a rewrite whose signature binds the call wins (`x.size()` and
    `x.size(-1)` are two records).
    """
    keywords = {a.keyword.value for a in call.args if a.keyword}
    ordered = sorted(records, key=lambda r: (0 if r.variant and r.variant in keywords else 1 if not r.variant else 2))
    failed = None
    for r in ordered:
        if not has_rewrite(r):
            continue
        try:
            return r, bind(r, call), ""
        except Manual as e:
            failed = failed or (r, str(e))
    if failed and ordered[0].status in ("verified", "caveat"):
        return failed[0], None, failed[1]
    return ordered[0], None, ""
