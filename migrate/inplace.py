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
AUG = {cst.AddAssign: "add", cst.SubtractAssign: "subtract", cst.MultiplyAssign: "multiply",
        cst.DivideAssign: "divide", cst.PowerAssign: "power"}



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
    if binding is None:
        if why:
            site.message += f"; no rewrite here: {why}"
        return site
    return Site(call, api, record.status, rules.call_code(record.status, True), message(record, ""), record,
                 confidence, binding, func.value)



def at_sketch(text, target: cst.Subscript, value, op: str) -> str:
    index = ", ".join(text(e.slice.value) for e in target.slice if isinstance(e.slice, cst.Index))
    x = text(target.value)
    if op == "subtract":
        return f"{x} = {x}.at[{index}].add(-({text(value)}))"
    if op == "divide":
        return f"{x} = {x}.at[{index}].divide({text(value)})"
    return f"{x} = {x}.at[{index or '...'}].{op}({text(value)})"



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

