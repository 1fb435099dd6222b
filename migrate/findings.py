"""One file in, findings and (optionally) the fixed text out.

`examine(path, text, catalogue, options)` parses the file, reads it (`analyze.read`), turns torch
calls, tensor methods and structural patterns into `Finding`s linked to catalogue records, and
renders rewrites as text edits on the original source (so comments and formatting stay). Nested
rewrites compose: an outer call's arguments are taken with the inner rewrites already applied, and
an outer rewrite that would drop an inner one is skipped, with a message saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from mapping.record import Record
from migrate import analyze, rewrite, rules
from migrate.analyze import LOADER, MODULE, OTHER, TENSOR, UNKNOWN, dotted, is_torch
from migrate.positions import Lines, offsets

IGNORE_RE = re.compile(r"#\s*jaxmigrate:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?")
INPLACE_SKETCH = {
    "add_": "{x} = {x} + {a}", "sub_": "{x} = {x} - {a}", "mul_": "{x} = {x} * {a}", "div_": "{x} = {x} / {a}",
    "zero_": "{x} = jnp.zeros_like({x})", "fill_": "{x} = jnp.full_like({x}, {a})", "copy_": "{x} = {a}",
    "clamp_": "{x} = jnp.clip({x}, {args})", "masked_fill_": "{x} = jnp.where({args_rev})",
}
DEVICE_METHODS = ("to", "cuda", "cpu")
# What to bind for the names templates use without a hole (rewrite.free_names): the rewrite is applied
# only where each one is bound in the call's scope.
FREE_NAMES = {"rngs": "an nnx.Rngs, e.g. `rngs = nnx.Rngs(0)` or an `rngs: nnx.Rngs` parameter",
              "key": "a JAX PRNG key, e.g. `key = jax.random.key(0)`, split per use",
              "base_lr": "the optimizer's learning rate",
              "conv_transpose_padding": "`from mapping.convert import conv_transpose_padding` (jaxmigrate's helper)"}
SEED_APIS = ("torch.manual_seed", "torch.random.manual_seed", "torch.cuda.manual_seed", "torch.cuda.manual_seed_all")
GRAD_MODES = ("torch.no_grad", "torch.inference_mode", "torch.enable_grad", "torch.set_grad_enabled",
              "torch.autograd.no_grad", "torch.autograd.grad_mode.no_grad")


@dataclass
class Options:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    unsafe: bool = False  # apply caveat rewrites and medium-confidence method rewrites too
    render: bool = False  # produce the fixed text (for --fix / --diff)


@dataclass
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    api: str
    status: str
    rule: str
    replacement: str | None
    entry: str | None
    message: str
    confidence: str
    sketch: str | None = None
    fixable: bool = False  # applied by --fix under the options given

    def as_json(self) -> dict:
        return {k: getattr(self, k) for k in ("path", "line", "column", "end_line", "end_column", "api", "status",
                                              "rule", "replacement", "entry", "message", "confidence", "sketch",
                                              "fixable")}


@dataclass
class Report:
    path: str
    findings: list[Finding] = field(default_factory=list)
    fixed: str | None = None  # the text after the applicable rewrites (when options.render)
    notes: list[str] = field(default_factory=list)


class Catalogue:
    """Records by torch name and alias."""

    def __init__(self, records):
        self.by_name: dict[str, list[Record]] = {}
        for r in records:
            for name in (r.torch, *r.aliases):
                self.by_name.setdefault(name, []).append(r)

    def find(self, name: str, call: cst.Call | None = None) -> Record | None:
        """The record of `name` for this call (rewrite.choose), or its plain record without a call."""
        found = self.by_name.get(name)
        if not found:
            return None
        if call is not None:
            return rewrite.choose(found, call)[0]
        plain = [r for r in found if not r.variant]
        return plain[0] if plain else found[0]


@dataclass(eq=False)
class _Site:
    """A finding before positions are known."""

    node: cst.CSTNode
    api: str
    status: str
    rule: str
    message: str
    record: Record | None = None
    confidence: str = "high"
    binding: rewrite.Binding | None = None
    receiver: cst.BaseExpression | None = None
    sketch: object = None  # str, or a function of text() giving the sketch
    applicable: bool = False
    rendered: str | None = None
    roots: set = field(default_factory=set)
    span: tuple = (0, 0)
    scope: analyze.Scope | None = None
    consumed: set = field(default_factory=set)  # applied rewrites nested inside this one's output


def examine(path: str, text: str, catalogue: Catalogue, options: Options, module: cst.Module | None = None) -> Report:
    """Findings for one file; raises libcst.ParserSyntaxError when it does not parse."""
    if module is None:
        module = cst.parse_module(text)
    reader = analyze.read(module)
    report = Report(path)
    sites: list[_Site] = []
    _calls(reader, catalogue, options, sites)
    _structure(reader, catalogue, sites)
    if reader.star_imports:
        sites.append(_Site(reader.star_imports[0], "from torch import *", "manual", rules.code("star-import"),
                           "`from torch import *`: names from torch cannot be resolved in this file, so calls of "
                           "them are not reported; import torch explicitly"))
    sites = [s for s in sites if rules.selected(s.rule, options.select, options.ignore)]
    if not sites:
        report.fixed = text if options.render else None
        return report

    wanted = {s.node for s in sites}
    for s in sites:
        if s.receiver is not None:
            wanted.add(s.receiver)
        if s.binding is not None:
            wanted.update(a.value for args in s.binding.args.values() for a in args)
        if isinstance(s.sketch, tuple):
            wanted.update(s.sketch[1])
    body = module.body
    wanted.update(body[:1])
    wanted.update(stmt for stmt, _ in reader.imports)
    spans, outer = offsets(module, wanted)
    lines = Lines(text)
    suppressed = _suppressions(text)
    roots = _roots(reader)

    for s in sites:
        s.span = spans[s.node]
    edits = sorted((s for s in sites if s.binding is not None), key=lambda s: (s.span[1] - s.span[0], s.span[0]))
    for s in edits:
        line = lines.position(s.span[0])[0]
        codes = suppressed.get(line)
        if codes is not None and (not codes or s.rule in codes):
            continue
        s.applicable = s.record.status == "verified" or (options.unsafe and s.record.status == "caveat")
        s.applicable &= s.confidence == "high" or (options.unsafe and s.confidence == "medium")
        missing = sorted(n for n in rewrite.free_names(s.record.template) if reader.lookup(n, s.scope) is None)
        if missing:
            s.applicable = False
            hint = FREE_NAMES.get(missing[0], "not defined here")
            s.message = (f"not applied: the JAX code needs `{missing[0]}`, {hint}; bind it here and --fix "
                         "applies it. " + s.message)
    renderer = _Renderer(text, spans, outer, edits, roots)
    for s in edits:
        renderer.render(s)

    for s in sites:
        (line, col), (end_line, end_col) = lines.position(s.span[0]), lines.position(s.span[1])
        codes = suppressed.get(line)
        if codes is not None and (not codes or s.rule in codes):
            continue
        sketch = s.sketch
        if isinstance(sketch, tuple):
            sketch = sketch[0](renderer.text_of)
        status, rule, message = s.status, s.rule, s.message
        if s.binding is not None and s.rendered is None:  # the rewrite failed while rendering
            status = "manual"
            rule = rules.code("method-arguments" if s.receiver is not None else "call-arguments")
        report.findings.append(Finding(
            path, line, col, end_line, end_col, s.api, status, rule, s.rendered, s.record.id if s.record else None,
            message, s.confidence, sketch, s.applicable and s.rendered is not None))
    report.findings.sort(key=lambda f: (f.line, f.column, f.rule))
    if options.render:
        report.fixed = _fixed_text(text, module, reader, renderer, spans, outer, report)
    return report


def _suppressions(text: str) -> dict[int, set]:
    """Line -> rule codes suppressed there (empty set: every rule)."""
    found: dict[int, set] = {}
    if "jaxmigrate" not in text:
        return found
    for i, line in enumerate(text.splitlines(), start=1):
        m = IGNORE_RE.search(line)
        if m:
            found[i] = {c.strip() for c in (m.group(1) or "").split(",") if c.strip()}
    return found


def _roots(reader: analyze.Reader) -> dict:
    """jnp/nnx/lax/jax/optax -> the name that module has in this file (None: the name is taken)."""
    names: dict = {}
    bindings = reader.module_scope.bindings
    for root, (module, _) in rewrite.ROOTS.items():
        names[root] = root if root not in bindings else None
        for name, found in bindings.items():
            if len(found) == 1 and found[0][0] == "import" and found[0][1] == module:
                names[root] = name
                break
    return names


# -- calls and methods -------------------------------------------------------------------------------


def _calls(reader: analyze.Reader, catalogue: Catalogue, options: Options, sites: list) -> None:
    for call, scope in reader.calls:
        func = call.func
        qual, ambiguous = reader.qualify(func, scope)
        statement = call in reader.statement_calls
        site = None
        if qual is not None:
            if is_torch(qual):
                site = _api_site(call, qual, ambiguous, catalogue, statement)
        elif isinstance(func, cst.Attribute):
            site = _method_site(reader, call, scope, catalogue, statement)
        if site is not None:
            site.scope = scope
            sites.append(site)


def _message(record: Record | None, fallback: str) -> str:
    if record is None:
        return fallback
    if record.status in ("manual", "unsupported"):
        return record.reason or "; ".join(record.notes)
    return " ".join(record.notes[:1]) or f"-> {record.jax}"


def _api_site(call: cst.Call, qual: str, ambiguous: bool, catalogue: Catalogue, statement: bool) -> _Site:
    found = catalogue.by_name.get(qual)
    if not found:
        return _Site(call, qual, "unknown", rules.call_code("unknown", False),
                     f"{qual} is not in the catalogue yet: no checked JAX equivalent")
    return _linked(_Site(call, qual, "", "", ""), found, call, ambiguous, statement)


def _linked(site: _Site, found: list, call: cst.Call, ambiguous: bool, statement: bool) -> _Site:
    """Link the site to the best record of its API, bound to the call's arguments when it has a rewrite.

    `statement`: the call is a whole expression statement (assignment templates apply only there).
    """
    method = site.receiver is not None
    record, binding, why = rewrite.choose(found, call, statement)
    site.record, site.status = record, record.status
    site.rule, site.message = rules.call_code(record.status, method), _message(record, "")
    if ambiguous and binding is not None:
        site.status, site.rule = "manual", rules.call_code("manual", method)
        site.message = f"{site.api}: the name is bound to several things here (conditional import?): no rewrite"
    elif binding is not None:
        site.binding = binding
    elif why:
        site.status, site.rule = "manual", rules.code("method-arguments" if method else "call-arguments")
        site.message = why
    return site


def _method_site(reader: analyze.Reader, call: cst.Call, scope, catalogue: Catalogue,
                 statement: bool) -> _Site | None:
    func = call.func
    name = func.attr.value
    receiver = func.value
    kind = reader.kind(receiver, scope)
    if kind in (OTHER, MODULE) or kind == LOADER:
        return None
    if _claimed(reader, name, call, scope, kind):
        return None  # reported by a structural rule (device move, train/eval, in-place op)
    api = "torch.Tensor." + name
    found = catalogue.by_name.get(api)
    record = found[0] if found else None
    confidence = _confidence(receiver, name, kind, record)
    if confidence is None:
        return None
    if record is None:
        return _Site(call, api, "unknown", rules.call_code("unknown", True),
                     f".{name}() on a {'tensor' if kind == TENSOR else 'value that may be a tensor'}: "
                     "no catalogue record yet", confidence=confidence, receiver=receiver)
    return _linked(_Site(call, api, "", "", "", confidence=confidence, receiver=receiver), found, call, False,
                   statement)


def _confidence(receiver, name: str, kind: str, record: Record | None) -> str | None:
    """How sure we are that `receiver.name(...)` is a tensor method; None: not reported."""
    if kind == TENSOR:
        return "high"
    if isinstance(receiver, cst.Name) and receiver.value in ("self", "cls"):
        return None
    if kind != UNKNOWN:
        return None
    if name in analyze.AMBIGUOUS:
        return "low"
    if name in analyze.DISTINCTIVE or record is not None:
        return "medium"
    return None


def _inplace_site(reader: analyze.Reader, call: cst.Call, scope, kind: str, catalogue: Catalogue) -> _Site:
    """`x.add_(y)`: the record's assignment template (`x = jnp.add(x, y)`) when the call is a statement of
    its own on a name or attribute chain; anywhere else the in-place rule, with the reason."""
    func = call.func
    name = func.attr.value
    api = f"torch.Tensor.{name}"
    site = _Site(call, api, "manual", rules.code("in-place"),
                 f".{name}(): JAX arrays are immutable: compute the new value and rebind the name",
                 sketch=(_inplace_sketch(name, func.value, call), (func.value, *[a.value for a in call.args])))
    found = catalogue.by_name.get(api)
    confidence = _confidence(func.value, name, kind, found[0] if found else None)
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
    return _Site(call, api, record.status, rules.call_code(record.status, True), _message(record, ""), record,
                 confidence, binding, func.value)


def _claimed(reader, name: str, call: cst.Call, scope, kind: str) -> bool:
    """Method calls a structural rule reports instead (device moves, train/eval, in-place ops)."""
    if name in DEVICE_METHODS:
        return not _dtype_only(reader, call, scope)
    if name in ("train", "eval"):
        return True
    return name.endswith("_") and not name.startswith("_")


def _dtype_only(reader, call: cst.Call, scope) -> bool:
    """`.to(torch.float16)` / `.to(dtype=...)` converts, it does not move."""
    if not call.args:
        return False
    for a in call.args:
        if a.keyword is not None:
            if a.keyword.value not in ("dtype", "non_blocking", "copy"):
                return False
            continue
        qual, _ = reader.qualify(a.value, scope)
        if not (is_torch(qual) and qual.split(".")[-1] in analyze.DTYPES):
            return False
    return True


# -- structure -----------------------------------------------------------------------------------


def _structure(reader: analyze.Reader, catalogue: Catalogue, sites: list) -> None:
    for info in reader.classes:
        if reader.is_module_class(info.node, info.scope):
            sites.append(_module_site(reader, info, catalogue))
    for frame in reader.loops:
        opt = frame.methods.get("step")
        loss = frame.methods.get("backward")
        opt_name = opt.value if isinstance(opt, cst.Name) else "optimizer"
        loss_name = loss.value if isinstance(loss, cst.Name) else "loss"
        where = "loop" if isinstance(frame.node, (cst.For, cst.While)) else f"function {frame.node.name.value}"
        sites.append(_Site(frame.node, "pattern.training_loop", "manual", rules.code("training-loop"),
                           f"training {where}: {loss_name}.backward() + {opt_name}.step() -> one jitted step with "
                           "jax.value_and_grad and an optax update", sketch=_loop_sketch(opt_name, loss_name)))
    for call, node, scope in reader.withs:
        qual, _ = reader.qualify(call.func, scope)
        if qual in GRAD_MODES:
            sites.append(_Site(node, qual, "manual", rules.code("no-grad"),
                               f"`with {qual.split('.')[-1]}()`: JAX computes gradients only inside jax.grad",
                               sketch="# drop the `with` and dedent its body; block one value's gradient with "
                                      "jax.lax.stop_gradient(x)"))
    for dec, fn, scope in reader.decorators:
        qual, _ = reader.qualify(dec.func if isinstance(dec, cst.Call) else dec, scope)
        if qual in GRAD_MODES:
            sites.append(_Site(dec, qual, "manual", rules.code("no-grad"),
                               f"@{qual.split('.')[-1]} on {fn.name.value}: JAX computes gradients only inside "
                               "jax.grad", sketch=f"@jax.jit  # or @nnx.jit; no gradient mode to switch off\n"
                                                  f"def {fn.name.value}(...): ..."))
    for call, scope in reader.calls:
        func = call.func
        qual, _ = reader.qualify(func, scope)
        if qual is not None:
            if qual in SEED_APIS:
                seed = (call.args[0].value, ) if call.args else ()
                sites.append(_Site(call, qual, "manual", rules.code("manual-seed"),
                                   "JAX has no global RNG: make a key from the seed and split it for each random op",
                                   sketch=(lambda text, s=seed: f"key = jax.random.key({text(s[0]) if s else 0})\n"
                                           "key, sub = jax.random.split(key)  # a fresh subkey per random call; "
                                           "nnx.Rngs(key) for modules", seed)))
            elif qual in ("torch.save", "torch.load"):
                sites.append(_save_load_site(call, qual))
            continue
        if not isinstance(func, cst.Attribute):
            continue
        name = func.attr.value
        if name not in DEVICE_METHODS and name not in ("train", "eval") and not (
                name.endswith("_") and not name.startswith("_")):
            continue
        kind = reader.kind(func.value, scope)
        if kind == OTHER:
            continue
        if name in DEVICE_METHODS and not _dtype_only(reader, call, scope):
            api = {TENSOR: "torch.Tensor.", MODULE: "torch.nn.Module."}.get(kind, ".") + name
            sites.append(_Site(call, api, "manual",
                               rules.code("device-move"), f".{name}(): JAX places arrays on the default device; "
                               "drop the call or use jax.device_put", sketch=(_device_sketch(name), (func.value,))))
        elif name in ("train", "eval") and len(call.args) <= 1 and not any(
                isinstance(a.value, (cst.SimpleString, cst.FormattedString)) for a in call.args):
            if kind in (MODULE, UNKNOWN):
                sites.append(_Site(call, f"torch.nn.Module.{name}", "manual", rules.code("train-eval"),
                                   f".{name}(): nnx modules have .{name}() too (Dropout deterministic, BatchNorm "
                                   "running averages); under jit pass the mode as an argument",
                                   sketch=(lambda text, r=func.value, n=name: f"{text(r)}.{n}()  # flax.nnx.Module."
                                           f"{n}", (func.value,))))
        elif name.endswith("_") and kind in (TENSOR, UNKNOWN) and (kind == TENSOR or name in INPLACE_SKETCH):
            sites.append(_inplace_site(reader, call, scope, kind, catalogue))
    for target, stmt, scope in reader.stores:
        if reader.kind(target.value, scope) == TENSOR:
            op = "set" if isinstance(stmt, cst.Assign) else _AUG.get(type(stmt.operator), "set")
            value = stmt.value
            sites.append(_Site(target, "torch.Tensor.__setitem__", "manual", rules.code("in-place"),
                               "item assignment on a tensor: JAX arrays are immutable; use x = x.at[i].set(v)",
                               sketch=(lambda text, t=target, v=value, o=op: _at_sketch(text, t, v, o),
                                       (target.value, value, *[e.slice.value for e in target.slice
                                                               if isinstance(e.slice, cst.Index)]))))
    for node, scope in reader.fors:
        it = node.iter
        if isinstance(it, cst.Call) and dotted(it.func) == ["enumerate"] and it.args:
            it = it.args[0].value
        if reader.kind(it, scope) == LOADER:
            sites.append(_Site(node, "torch.utils.data.DataLoader", "manual", rules.code("dataloader-loop"),
                               "loop over a torch DataLoader: feed numpy / jax arrays to the jitted step",
                               sketch="# keep the DataLoader (numpy collate_fn) or use a numpy / grain pipeline;\n"
                                      "# per batch: xb = jnp.asarray(xb.numpy())"))


_AUG = {cst.AddAssign: "add", cst.SubtractAssign: "subtract", cst.MultiplyAssign: "multiply",
        cst.DivideAssign: "divide", cst.PowerAssign: "power"}


def _at_sketch(text, target: cst.Subscript, value, op: str) -> str:
    index = ", ".join(text(e.slice.value) for e in target.slice if isinstance(e.slice, cst.Index))
    x = text(target.value)
    if op == "subtract":
        return f"{x} = {x}.at[{index}].add(-({text(value)}))"
    if op == "divide":
        return f"{x} = {x}.at[{index}].divide({text(value)})"
    return f"{x} = {x}.at[{index or '...'}].{op}({text(value)})"


def _device_sketch(name: str):
    if name == "cpu":
        return lambda text, r=None: "np.asarray(x)  # or jax.device_get(x): a host copy"
    return lambda text: "x  # arrays are already on the default device; jax.device_put(x, device) to place one"


def _inplace_sketch(name: str, receiver, call: cst.Call):
    def sketch(text) -> str:
        x = text(receiver)
        args = [text(a.value) for a in call.args]
        pattern = INPLACE_SKETCH.get(name)
        if pattern is not None:
            return pattern.format(x=x, a=args[0] if args else "...", args=", ".join(args),
                                  args_rev=", ".join(args[:1] + args[1:] + [x]))
        return f"{x} = {x}.{name[:-1]}({', '.join(args)})  # the out-of-place op, rebound"
    return sketch


def _loop_sketch(opt: str, loss: str) -> str:
    return (f"tx = optax.adamw(learning_rate)  # from the torch.optim record of {opt}\n"
            "opt_state = tx.init(params)  # params = nnx.state(model, nnx.Param); graphdef = nnx.graphdef(model)\n"
            "@jax.jit\n"
            "def train_step(params, opt_state, xb, yb):\n"
            "    def loss_fn(params):\n"
            f"        ...  # the forward pass that computed `{loss}`, on nnx.merge(graphdef, params)\n"
            f"        return {loss}\n"
            f"    {loss}, grads = jax.value_and_grad(loss_fn)(params)\n"
            "    updates, opt_state = tx.update(grads, opt_state, params)\n"
            f"    return optax.apply_updates(params, updates), opt_state, {loss}\n"
            f"# in the loop, instead of zero_grad / backward / step:\n"
            f"params, opt_state, {loss} = train_step(params, opt_state, xb, yb)")


def _save_load_site(call: cst.Call, qual: str) -> _Site:
    args = tuple(a.value for a in call.args[:2])
    if qual == "torch.save":
        def sketch(text):
            path = text(args[1]) if len(args) > 1 else "path"
            return ("import orbax.checkpoint as ocp\n"
                    f"ocp.StandardCheckpointer().save(os.path.abspath({path}), nnx.state(model))")
    else:
        def sketch(text):
            path = text(args[0]) if args else "path"
            return ("import orbax.checkpoint as ocp\n"
                    f"state = ocp.StandardCheckpointer().restore(os.path.abspath({path}), nnx.state(model))\n"
                    "nnx.update(model, state)")
    return _Site(call, qual, "manual", rules.code("save-load"),
                 f"{qual}: save / restore the nnx state with Orbax (a directory, not a pickle)",
                 sketch=(sketch, args))


def _module_site(reader: analyze.Reader, info: analyze.ClassInfo, catalogue: Catalogue) -> _Site:
    node = info.node
    methods = {s.name.value: s for s in node.body.body if isinstance(s, cst.FunctionDef)}
    submodules = []
    for attr, bindings in info.attrs.items():
        for kind, value, scope in bindings:
            if kind == "expr" and isinstance(value, cst.Call) and reader.kind(value, scope) == MODULE:
                submodules.append((attr, value, scope))
                break

    def params(fn: cst.FunctionDef | None, default: str) -> str:
        if fn is None:
            return default
        p = fn.params
        names = [x.name.value for x in (*p.posonly_params, *p.params)]
        if isinstance(p.star_arg, cst.Param):
            names.append("*" + p.star_arg.name.value)
        names += [x.name.value for x in p.kwonly_params]
        if isinstance(p.star_kwarg, cst.Param):
            names.append("**" + p.star_kwarg.name.value)
        return ", ".join(names)

    def sketch(text) -> str:
        init = params(methods.get("__init__"), "self")
        rngs = ", rngs: nnx.Rngs" if "*" in init else ", *, rngs: nnx.Rngs"
        lines = [f"class {node.name.value}(nnx.Module):", f"    def __init__({init}{rngs}):"]
        for attr, value, scope in submodules:
            qual, _ = reader.qualify(value.func, scope)
            record = catalogue.find(qual, value) if qual else None
            if record is not None and rewrite.has_rewrite(record):
                try:
                    new = rewrite.build(record, rewrite.bind(record, value), text, None, {})[0]
                except rewrite.Manual as e:
                    new = f"...  # {qual}: {e}"
            elif qual == "torch.nn.ModuleList" or qual == "torch.nn.Sequential":
                inner = text(value)[text(value).index("(") + 1:-1]
                new = f"nnx.{'List' if qual.endswith('List') else 'Sequential'}({inner})"
            elif qual is not None:
                new = f"...  # {qual}: {'see its catalogue record' if record else 'not in the catalogue yet'}"
            else:
                src = text(value)
                new = src[:-1] + (", " if value.args else "") + "rngs=rngs)"
            lines.append(f"        self.{attr} = {new}")
        lines.append(f"    def __call__({params(methods.get('forward'), 'self, x')}):  # was forward")
        return "\n".join(lines)

    wanted = tuple(v for _, v, _ in submodules)
    return _Site(node, "torch.nn.Module", "manual", rules.code("module-subclass"),
                 f"class {node.name.value}(nn.Module) -> flax.nnx.Module: forward -> __call__, submodules built "
                 "with rngs", sketch=(sketch, wanted))


# -- rendering ---------------------------------------------------------------------------------------


class _Renderer:
    """Source text of spans with the applicable rewrites inside them applied (innermost first)."""

    def __init__(self, text: str, spans: dict, outer: dict, edits: list[_Site], roots: dict):
        self.text = text
        self.spans = spans
        self.outer = outer
        self.edits = sorted(edits, key=lambda s: (s.span[0], -s.span[1]))
        self.roots = roots
        self.consumed: set | None = None

    def text_of(self, node) -> str:
        start, end = self.outer.get(node) or self.spans[node]  # with the node's own parentheses
        return self.span_text(start, end)

    def span_text(self, start: int, end: int) -> str:
        out, pos = [], start
        for e in self.edits:
            if e.span[0] < pos or e.span[1] > end or e.span[0] < start:
                continue
            if not (e.applicable and e.rendered is not None):
                continue
            out.append(self.text[pos:e.span[0]])
            out.append(e.rendered)
            if self.consumed is not None:
                self.consumed.add(e)
                self.consumed.update(e.consumed)
            pos = e.span[1]
        out.append(self.text[pos:end])
        return "".join(out)

    def _standalone(self, site: _Site) -> bool:
        """The call stands where any expression may (assignment value, argument, element): no parentheses needed."""
        before = self.text[:site.span[0]].rstrip()
        after = self.text[site.span[1]:].lstrip(" \t")
        left = not before or before[-1] in "([{,:\n;" or (before[-1] == "=" and before[-2:-1] not in "=<>!") or \
            before.endswith(("return", "yield"))
        right = not after or after[0] in ",)]}\n#;" or after.startswith("\r")
        return left and right

    def render(self, site: _Site) -> None:
        saved, self.consumed = self.consumed, set()
        try:
            new, used, dropped = rewrite.build(site.record, site.binding, self.text_of, site.receiver, self.roots)
        except rewrite.Manual as e:
            site.rendered, site.applicable, site.message = None, False, str(e)
            return
        finally:
            consumed, self.consumed = self.consumed, saved
            site.consumed = consumed
        if _comments(self.span_text(*site.span)) > _comments(new):
            site.rendered, site.applicable = None, False
            site.message = "the rewrite would drop the comments inside this call: rewrite it by hand"
            return
        taken = [r for r in used if self.roots.get(r) is None]
        if taken:
            site.rendered, site.applicable = None, False
            site.message = f"cannot add the import for {taken[0]}: that name is bound to something else in this file"
            return
        inner = [e for e in self.edits if e is not site and e.applicable and e.rendered is not None
                 and site.span[0] <= e.span[0] and e.span[1] <= site.span[1] and e not in consumed]
        if inner:
            site.rendered, site.applicable = None, False
            site.message = ("rewrite skipped: it would drop the rewrite of the nested call "
                            f"{inner[0].api} inside it; rewrite by hand")
            return
        # an assignment template is only chosen for a call that is a statement of its own: never wrapped
        whole = rewrite.assignment_target(site.record) is not None or self._standalone(site)
        site.rendered, site.roots = (new if whole else rewrite.wrap(new)), used
        if dropped:
            site.message = (f"drops {', '.join(d + '=' for d in dropped)} (the JAX call has no such argument). "
                            + site.message)


def _comments(source: str) -> int:
    """Comments in an expression's source (0 for the common one-line case without '#')."""
    if "#" not in source:
        return 0
    import io
    import tokenize

    try:
        tokens = tokenize.generate_tokens(io.StringIO("(" + source + "\n)").readline)
        return sum(1 for t in tokens if t.type == tokenize.COMMENT)
    except (tokenize.TokenError, SyntaxError):
        return source.count("#")


def _fixed_text(text: str, module: cst.Module, reader, renderer: _Renderer, spans: dict, outer: dict,
                report: Report) -> str:
    applied = [e for e in renderer.edits if e.applicable and e.rendered is not None]
    if not applied:
        return text
    new = renderer.span_text(0, len(text))
    needed = sorted({r for e in applied for r in e.roots if renderer.roots[r] == r
                     and r not in reader.module_scope.bindings})
    try:
        if needed:
            order = ("jax", "jnp", "lax", "nnx", "optax", "np")
            new = _insert_imports(new, "".join(rewrite.ROOTS[r][1] + "\n" for r in order if r in needed))
        return _drop_unused_torch_imports(text, new)
    except cst.ParserSyntaxError:
        return new  # an invalid rewrite: the caller validates and writes nothing


def _insert_imports(text: str, lines: str) -> str:
    """After the last top-level import of the leading block (or the docstring), once."""
    module = cst.parse_module(text)
    body = module.body
    last = None
    for i, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and all(isinstance(s, (cst.Import, cst.ImportFrom))
                                                             for s in stmt.body):
            last = i
        elif i == 0 and isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Expr) and \
                isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString)):
            last = 0
        elif last is not None or not isinstance(stmt, (cst.If, cst.Try)):
            break
    _, outer = offsets(module, body[: (last or 0) + 1])
    at = outer[body[last]][1] if last is not None else (outer[body[0]][0] if body else len(text))
    if last is None and body:
        # before the first statement, after its leading comments
        at = offsets(module, body[:1])[0][body[0]][0]
        at = text.rfind("\n", 0, at) + 1
    return text[:at] + lines + text[at:]


def _drop_unused_torch_imports(before: str, after: str) -> str:
    """Remove torch imports whose names the rewrites made unused (imports unused before stay)."""
    used_before = _loaded_names(cst.parse_module(before))
    module = cst.parse_module(after)
    used_after = _loaded_names(module)
    removals = []  # (statement, kept aliases or None to drop the line)
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            continue
        imp = stmt.body[0]
        if isinstance(imp, cst.Import):
            mods = [".".join(dotted(a.name)) for a in imp.names]
        elif isinstance(imp, cst.ImportFrom) and not isinstance(imp.names, cst.ImportStar) and imp.module and \
                not imp.relative:
            mods = [".".join(dotted(imp.module))] * len(imp.names)
        else:
            continue
        keep, changed = [], False
        for a, mod in zip(imp.names, mods):
            local = a.asname.name.value if a.asname else (dotted(a.name)[0] if isinstance(imp, cst.Import)
                                                          else a.name.value)
            if is_torch(mod) and local in used_before and local not in used_after:
                changed = True
            else:
                keep.append(a)
        if changed:
            removals.append((stmt, keep))
    if not removals:
        return after
    spans, outer = offsets(module, [s for s, _ in removals])
    out, pos = [], 0
    for stmt, keep in removals:
        start, end = outer[stmt]
        out.append(after[pos:start])
        if keep:
            keep[-1] = keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            imp = stmt.body[0].with_changes(names=keep)
            out.append(module.code_for_node(stmt.with_changes(body=[imp])))
        else:
            # keep the comments above the import; drop its own line
            s0 = spans[stmt][0]
            out.append(after[start:after.rfind("\n", 0, s0) + 1] if s0 > start else "")
        pos = end
    out.append(after[pos:])
    return "".join(out)


def _loaded_names(module: cst.Module) -> set[str]:
    names: set[str] = set()

    class Names(cst.CSTVisitor):
        def visit_Import(self, node):
            return False

        def visit_ImportFrom(self, node):
            return False

        def visit_Name(self, node):
            names.add(node.value)

    module.visit(Names())
    return names
