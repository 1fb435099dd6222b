"""In-place tensor methods (`x.add_(y)`) and item assignment (`x[i] = v`): the record's assignment
template where it applies, otherwise a manual finding with a sketch of the rebinding."""

from __future__ import annotations

import libcst as cst

from migrate import analyze, rewrite, rules
from migrate.sites import Catalogue, Site, message, method_confidence

INPLACE_SKETCH = {
    "add_": "{x} = {x} + {a}", "sub_": "{x} = {x} - {a}", "mul_": "{x} = {x} * {a}", "div_": "{x} = {x} / {a}",
    "zero_": "{x} = jnp.zeros_like({x})", "fill_": "{x} = jnp.full_like({x}, {a})", "copy_": "{x} = {a}",
    "clamp_": "{x} = jnp.clip({x}, {args})", "masked_fill_": "{x} = jnp.where({args_rev}).astype({x}.dtype)",
}



def inplace_site(reader: analyze.Reader, call: cst.Call, scope, kind: str, catalogue: Catalogue) -> Site:
    """`x.add_(y)`: the record's assignment template (`x = jnp.add(x, y)`) when the call is a statement of
    its own on a name or attribute chain; anywhere else the in-place rule, with the reason."""
    func = call.func
    name = func.attr.value
    api = f"torch.Tensor.{name}"
    site = Site(call, api, "manual", rules.code("in-place"),
                 f".{name}(): JAX arrays are immutable: compute the new value and rebind the name",
                 sketch=(inplace_sketch(name, func.value, call), (func.value, *[a.value for a in call.args])))
    found = catalogue.by_name.get(api)
    confidence = method_confidence(func.value, name, kind, found[0] if found else None)
    if not found or confidence is None or not any(rewrite.has_rewrite(r) for r in found):
        if found:
            site.record = rewrite.choose(found, call)[0]
        return site
    record, binding, why = rewrite.choose(found, call, call in reader.statement_calls)
    site.record = record
    if binding is not None and rewrite.assignment_target(record) == "self" and isinstance(func.value, cst.Name):
        why = rebinding_differs(reader, func.value.value, call, scope)
        binding = None if why else binding
    if binding is None:
        if why:
            site.message += f"; no rewrite here: {why}"
        return site
    return Site(call, api, record.status, rules.call_code(record.status, True), message(record, ""), record,
                 confidence, binding, func.value)



# torch functions whose result is a new tensor, never a view of an argument or the argument itself
FRESH = frozenset(f"torch.{n}" for n in (
    "zeros ones empty full rand randn randint randperm arange linspace logspace eye tensor zeros_like ones_like "
    "empty_like full_like rand_like randn_like randint_like cat concat concatenate stack").split())
# reading these attributes of a tensor gives no second name for its memory
PLAIN_ATTRS = frozenset(("shape", "dtype", "device", "ndim", "is_cuda", "requires_grad"))


def rebinding_differs(reader: analyze.Reader, name: str, change, scope) -> str:
    """Why rebinding `name` for the in-place `change` (a call, an item store) would differ from torch ('' when it
    would not). Where `name = <new tensor>` comes earlier in the same block with no other binding in between
    (`labels = labels.clone()`), only that tensor reaches the change; otherwise every binding of name counts."""
    last = _reaching(reader, name, change, scope)
    if last is not None and _fresh(reader, last.value, scope):
        return passed_on(reader, name, change, scope, since=last.value, loops=False)
    return shared(reader, name, change, scope)


def shared(reader: analyze.Reader, name: str, call: cst.Call, scope) -> str:
    """Why rebinding `name` for the in-place `call` would differ from torch ('' when it would not).

    torch changes the tensor itself, so every other name for it (a caller's argument, a tuple held in a dict,
    a loop over a list, a view) sees the change; `name = ...` changes only `name`. The rebinding is right when
    `name` is local, always bound to a new tensor (a creation function, `.clone()`, arithmetic), and no other
    name can hold it or a view of it while the in-place call runs."""
    bindings = scope.bindings.get(name) if scope.node is not None and name not in scope.declared else None
    if not bindings:
        return f"{name} is not bound in this function: rebinding it would make it local"
    if not all(kind == "expr" and _fresh(reader, value, where) for kind, value, where in bindings):
        return (f"{name} may be another name's tensor too (a parameter, a loop variable, an unpacked or stored "
                "value, a view): torch's in-place change reaches every name for it, rebinding changes only "
                f"{name}; rewrite by hand")
    return passed_on(reader, name, call, scope)


def passed_on(reader: analyze.Reader, name: str, change, scope, since=None, loops: bool = True) -> str:
    """Why another name may hold `name`'s tensor when the in-place `change` (a call, or `name += ...`) runs: a use
    before it (after `since`, the call that made the tensor, when given), or in a loop around it, that passes the
    tensor on or views it; '' when there is none."""
    order: list = []
    _uses(scope.node, name, (change, since), [], order, reader.statement_calls)
    start = next(i for i, (node, *_rest) in enumerate(order) if node is change)
    begin = next((i for i, (node, *_rest) in enumerate(order) if since is not None and node is since), -1)
    around_change = set(order[start][2]) if loops else set()  # without `loops`: since runs first on each pass
    for i, (node, plain, around) in enumerate(order):
        if node is change or node is since or plain:
            continue
        if begin < i < start or around_change & set(around):
            return (f"{name} is also passed on or viewed here (`{cst.Module([]).code_for_node(node)}`), where "
                    f"it may keep the tensor that torch changes in place; rebinding {name} would not reach it")
    return ""


def _reaching(reader: analyze.Reader, name: str, change, scope) -> cst.Assign | None:
    """The assignment `name = <value>` that every run of `change` follows with no other binding of name in
    between: an earlier statement of the same block (a loop runs it again before `change` each time); None when
    there is none, or when something between them binds name."""
    line = reader.units.get(id(change))
    block = analyze.block_of(scope.node, line) if scope.node is not None else None
    if block is None:
        return None
    before = list(block[:[i for i, t in enumerate(block) if t is line][0]])
    for earlier in reversed(before):
        small = earlier.body if isinstance(earlier, cst.SimpleStatementLine) else ()
        if len(small) == 1 and isinstance(small[0], cst.Assign) and len(small[0].targets) == 1 and \
                isinstance(small[0].targets[0].target, cst.Name) and small[0].targets[0].target.value == name:
            return None if _binds(small[0].value, name) else small[0]
        if _binds(earlier, name):
            return None
    return None


def _binds(node, name: str, parent=None) -> bool:
    """Something in `node` may bind `name`: an assignment, a loop or `with` target, `:=`, an import, a def (or
    reads name there: a loop's iterable, an augmented value; counted too, to be safe)."""
    if isinstance(node, cst.Name):
        return node.value == name and isinstance(parent, BINDERS)
    return any(_binds(child, name, node) for child in analyze.child_nodes(node))


BINDERS = (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.AsName, cst.NamedExpr,
           cst.FunctionDef, cst.ClassDef, cst.ImportAlias, cst.Element, cst.StarredElement)


def _fresh(reader: analyze.Reader, value, scope) -> bool:
    if isinstance(value, (cst.BinaryOperation, cst.Comparison)):
        return True
    if isinstance(value, cst.UnaryOperation):  # `+x` is x itself in torch (torch.positive returns its input)
        return isinstance(value.operator, (cst.Minus, cst.BitInvert))
    if not isinstance(value, cst.Call):
        return False
    if isinstance(value.func, cst.Attribute) and value.func.attr.value == "clone":
        return True
    return reader.qualify(value.func, scope)[0] in FRESH


def _uses(node, name: str, marks: tuple, ancestors: list, order: list, statements: set) -> None:
    """In source order: (use, whether it is a plain read, the loops around it) for each use of `name`, and
    (mark, True, loops) for the in-place call itself (and the other `marks`). A plain read makes no second name for
    the tensor."""
    if any(node is m for m in marks):
        order.append((node, True, _loops(ancestors)))
    if isinstance(node, cst.Name) and node.value == name:
        shown = next((a for a in reversed(ancestors[-3:]) if isinstance(a, cst.Call)), ancestors[-1])
        order.append((shown, _plain(ancestors, statements), _loops(ancestors)))
        return
    ancestors.append(node)
    for child in _children(node):
        _uses(child, name, marks, ancestors, order, statements)
    ancestors.pop()


def _loops(ancestors: list) -> list:
    return [a for a in ancestors if isinstance(a, (cst.For, cst.While))]


def _children(node):
    """Children that hold expressions: not the names an attribute, keyword or assignment target spells."""
    if isinstance(node, cst.Attribute):
        return (node.value,)
    if isinstance(node, cst.Arg):
        return (node.value,)
    if isinstance(node, cst.Assign):
        return (*(t.target for t in node.targets if not isinstance(t.target, cst.Name)), node.value)
    return analyze.child_nodes(node)


def stores_into(stmt, target) -> bool:
    """`stmt` is `target = v` or `target op= v` with `target` a subscript (`x[i] = v`): item assignment."""
    return isinstance(target, cst.Subscript) and (
        (isinstance(stmt, cst.Assign) and any(t.target is target for t in stmt.targets)) or
        (isinstance(stmt, cst.AugAssign) and stmt.target is target))


def _plain(ancestors: list, statements: set) -> bool:
    """Arithmetic, a comparison, `return x`, `x += v`, `x.shape`, another in-place call as a statement
    (`w = x.div_(2)` makes w a second name for x) or item assignment (`x[i] = v`)."""
    parent = ancestors[-1] if ancestors else None
    grand = ancestors[-2] if len(ancestors) > 1 else None
    if stores_into(grand, parent):
        return True
    if isinstance(parent, cst.Subscript) and isinstance(grand, ARITHMETIC):
        return True  # `x[i] / 2`: the view is read once, not kept
    if isinstance(parent, (cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.ComparisonTarget, cst.Return,
                           cst.AugAssign)):
        return True
    if isinstance(parent, cst.Attribute):
        grand = ancestors[-2] if len(ancestors) > 1 else None
        method = isinstance(grand, cst.Call) and grand.func is parent
        return parent.attr.value in PLAIN_ATTRS or (method and parent.attr.value.endswith("_") and grand in statements)
    return isinstance(parent, cst.Element) and len(ancestors) > 2 and isinstance(ancestors[-3], cst.Return)


ARITHMETIC = (cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.ComparisonTarget)
# `x[i] op= v` reads x[i] and writes the result back (with repeated indices one write is kept, as in torch)
AUG_OPS = {cst.AddAssign: "+", cst.SubtractAssign: "-", cst.MultiplyAssign: "*", cst.DivideAssign: "/",
           cst.PowerAssign: "**", cst.FloorDivideAssign: "//", cst.ModuloAssign: "%", cst.BitAndAssign: "&",
           cst.BitOrAssign: "|", cst.BitXorAssign: "^"}


def at_sketch(text, target: cst.Subscript, value, stmt) -> str:
    """`x = x.at[i].set(v)` for `x[i] = v`, `x = x.at[i].set(x[i] + v)` for `x[i] += v`."""
    x = text(target.value)
    index = text(target)[len(x):].strip()[1:-1]
    op = AUG_OPS.get(type(stmt.operator)) if isinstance(stmt, cst.AugAssign) else None
    new = text(value) if op is None else f"{x}[{index}] {op} {rewrite.wrap(text(value))}"
    return f"{x} = {x}.at[{index}].set({new})"


def _range_index(target: cst.Subscript) -> bool:
    """`x[range(n), i]`: torch indexes with a range, `x.at[range(n), i]` raises TypeError in JAX."""
    return any(isinstance(e.slice, cst.Index) and isinstance(e.slice.value, cst.Call)
               and analyze.dotted(e.slice.value.func) == ["range"] for e in target.slice)


def item_assignment(reader: analyze.Reader, target: cst.Subscript, stmt, scope, catalogue: Catalogue) -> Site:
    """`x[i] = v`: `x = x.at[i].set(v)` where rebinding the name x is right (see `shared`), else manual with the
    reason and that sketch."""
    sketch = (lambda text: at_sketch(text, target, stmt.value, stmt), (target, target.value, stmt.value))
    site = Site(target, "torch.Tensor.__setitem__", "manual", rules.code("in-place"),
                "item assignment on a tensor: JAX arrays are immutable; rebind the name to x.at[i].set(v)",
                sketch=sketch)
    x = target.value
    if not isinstance(x, cst.Name):
        return site
    if not isinstance(stmt, (cst.Assign, cst.AugAssign)) or (
            isinstance(stmt, cst.Assign) and (len(stmt.targets) != 1 or stmt.targets[0].target is not target)):
        site.message += "; no rewrite here: the statement assigns to several targets"
        return site
    if isinstance(stmt, cst.AugAssign) and (type(stmt.operator) not in AUG_OPS or not rewrite.repeatable(
            cst.Module([]).code_for_node(target))):
        site.message += "; no rewrite here: the index is an expression the rewrite would evaluate twice"
        return site
    if _range_index(target):
        site.message += "; no rewrite here: JAX indexes with arrays, not a range (write jnp.arange(...) there)"
        return site
    why = rebinding_differs(reader, x.value, target, scope)
    last = _reaching(reader, x.value, target, scope)
    made = (last.value,) if last is not None and isinstance(last.value, cst.Call) else tuple(
        value for kind, value, _ in (scope.bindings.get(x.value) or ()) if isinstance(value, cst.Call))
    record = next((r for r in catalogue.by_name.get("torch.Tensor.__setitem__", ()) if not r.variant), None)
    if why or record is None:
        site.message += f"; no rewrite here: {why}" if why else ""
        return site
    return Site(stmt, site.api, record.status, rules.code("in-place"), message(record, ""), record,
                sketch=sketch, build=sketch[0], needs=made)  # x's tensor must be made by JAX code too



def inplace_sketch(name: str, receiver, call: cst.Call):
    def sketch(text) -> str:
        x = text(receiver)
        args = [text(a.value) for a in call.args]
        pattern = INPLACE_SKETCH.get(name)
        if pattern is not None:
            return pattern.format(x=x, a=args[0] if args else "...", args=", ".join(args),
                                  args_rev=", ".join(args[:1] + args[1:] + [x]))
        return f"{x} = {x}.{name[:-1]}({', '.join(args)})  # the out-of-place op, rebound"
    return sketch

