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

from migrate import analyze, rewrite, rules
from migrate.analyze import LOADER, MODULE, OTHER, TENSOR, is_torch
from migrate.inplace import ARITHMETIC, passed_on, stores_into
from migrate.positions import Lines, offsets
from migrate.render import Renderer, fixed_text, fstrings_possible, import_nodes, kept_sizes, strings_needed
from migrate.sites import Catalogue, Site, message, method_confidence
from migrate.structure import DEVICE_METHODS, GRAD_MODES, SEED_APIS, dtype_only, structure

__all__ = ["Catalogue", "Finding", "Options", "Report", "examine"]

# Methods of jax.Array (jax 0.10): with no record, such a call may be JAX code already, so it is low confidence.
JAX_ARRAY_METHODS = frozenset((
    "all any argmax argmin argpartition argsort astype byteswap choose clip compress conj conjugate copy cumprod "
    "cumsum diagonal dot flatten item max mean min nonzero prod ptp ravel repeat reshape round searchsorted sort "
    "squeeze std sum swapaxes take to_device trace transpose var view").split())
# numpy / JAX array methods torch.Tensor lacks: a call of one is not a torch call (`y.astype(...)` is JAX code already)
NOT_TENSOR_METHODS = frozenset(
    "argpartition astype byteswap choose compress conjugate copy ptp searchsorted to_device".split())
JAX_KEYWORD_RE = re.compile(r"(\w+)=\{")
BINARY = {"torch.max": "torch.maximum", "torch.min": "torch.minimum"}
# torch attributes that hold strings (`torch.__version__`, `torch.version.cuda`): a call under them is a str method.
STRING_VALUES = ("torch.__version__.", "torch.version.")
IGNORE_RE = re.compile(r"#\s*jaxmigrate:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?")
# What to bind for the names templates use without a hole (rewrite.free_names): the rewrite is applied
# only where each one is bound in the call's scope.
FREE_NAMES = {"rngs": "an nnx.Rngs, e.g. `rngs = nnx.Rngs(0)` or an `rngs: nnx.Rngs` parameter",
              "key": "a JAX PRNG key, e.g. `key = jax.random.key(0)`, split per use",
              "base_lr": "the optimizer's learning rate",
              "conv_transpose_padding": "`from mapping.convert import conv_transpose_padding` (jaxmigrate's helper)"}


@dataclass
class Options:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    unsafe: bool = False  # apply caveat rewrites and medium-confidence method rewrites too
    render: bool = False  # produce the fixed text (for --fix / --diff)
    todo: bool = False  # mark each line still needing work with a `# TODO(jaxmigrate): ...` comment (--fix, --diff)


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



def examine(path: str, text: str, catalogue: Catalogue, options: Options, module: cst.Module | None = None) -> Report:
    """Findings for one file; raises libcst.ParserSyntaxError when it does not parse."""
    if module is None:
        module = cst.parse_module(text)
    reader = analyze.read(module)
    report = Report(path)
    sites: list[Site] = []
    _calls(reader, catalogue, options, sites)
    structure(reader, catalogue, sites)
    if reader.star_imports:
        sites.append(Site(reader.star_imports[0], "from torch import *", "manual", rules.code("star-import"),
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
            sizes = kept_sizes(s)
            if sizes:
                wanted.update(e for e in sizes[0] if e is not None)
        if isinstance(s.sketch, tuple):
            wanted.update(s.sketch[1])
    if options.render:
        wanted.update(import_nodes(module))
    fstrings = fstrings_possible(text)
    lines = Lines(text)
    spans, outer, strings = offsets(module, wanted,
                                    fstrings or (options.render and options.todo and strings_needed(text)),
                                    text, lines, reader.units)
    suppressed = _suppressions(text)
    roots = _roots(reader)

    for s in sites:
        s.span = spans[s.node]
    edits = sorted((s for s in sites if s.binding is not None or s.build is not None),
                   key=lambda s: (s.span[1] - s.span[0], s.span[0]))
    for s in edits:
        line = lines.position(s.span[0])[0]
        codes = suppressed.get(line)
        if codes is not None and (not codes or s.rule in codes):
            continue
        s.applicable = s.record.status == "verified" or (options.unsafe and s.record.status == "caveat")
        s.applicable &= s.confidence == "high" or (options.unsafe and s.confidence == "medium")
        missing = sorted(n for n in rewrite.free_names(s.record.template or "") if reader.lookup(n, s.scope) is None)
        if missing:
            s.applicable = False
            hint = FREE_NAMES.get(missing[0], "not defined here")
            s.message = (f"not applied: the JAX code needs `{missing[0]}`, {hint}; bind it here and --fix "
                         "applies it. " + s.message)
    quotes = tuple((a, b, n.start[-1]) for a, b, n in strings if isinstance(n, cst.FormattedString)) if fstrings \
        else ()
    torch_roots = frozenset(name for name, found in reader.module_scope.bindings.items()
                            if any(k == "import" and analyze.is_torch(p) for k, p, _ in found))
    renderer = Renderer(text, spans, outer, edits, roots, options.unsafe, catalogue.torch_only_methods, quotes,
                        torch_roots)
    for s in edits:
        renderer.render(s)
    _whole_expressions(edits, [s for s in sites if isinstance(s.node, cst.Call) and
                               (s.confidence != "low" or _kept_as_torch(s, renderer))])
    _needed(edits)

    for s in sites:
        (line, col), (end_line, end_col) = lines.position(s.span[0]), lines.position(s.span[1])
        codes = suppressed.get(line)
        if codes is not None and (not codes or s.rule in codes):
            continue
        sketch = s.sketch
        if isinstance(sketch, tuple):
            sketch = sketch[0](renderer.text_of)
        status, rule, message = s.status, s.rule, s.message
        if (s.binding is not None or s.build is not None) and s.rendered is None:  # the rewrite failed rendering
            status = "manual"
            rule = rules.code("method-arguments" if s.receiver is not None else "call-arguments")
        report.findings.append(Finding(
            path, line, col, end_line, end_col, s.api, status, rule, s.rendered, s.record.id if s.record else None,
            message, s.confidence, sketch, s.applicable and s.rendered is not None))
    report.findings.sort(key=lambda f: (f.line, f.column, f.rule))
    if options.render:
        report.fixed = fixed_text(text, module, reader, renderer, spans, lines, strings, report, options.todo)
    return report


def _whole_expressions(edits: list[Site], calls: list[Site]) -> None:
    """An expression is rewritten whole or not at all: a rewrite is held back while a torch call inside it, or
    around it, stays torch (JAX code calling `.view` on a jax array, or `.uniform_` on one, would fail)."""
    applied = lambda s: s.applicable and s.rendered is not None  # noqa: E731
    changed = True
    while changed:
        changed = False
        for e in edits:
            if not applied(e):
                continue
            for s in calls:
                if s is e or applied(s):
                    continue
                inside = e.span[0] <= s.span[0] and s.span[1] <= e.span[1]
                around = s.span[0] <= e.span[0] and e.span[1] <= s.span[1]
                if inside or around:
                    e.applicable = False
                    e.message = (f"not applied: the {s.api} call {'inside' if inside else 'around'} it stays torch "
                                 "(see its finding), and half-converted code would fail; rewrite them together. "
                                 + e.message)
                    changed = True
                    break


def _needed(edits: list[Site]) -> None:
    """A rewrite applies only with the rewrites it needs (`y = x.clone()` -> `y = x` needs `y.add_(1)` rebound; an
    nnx.List the layers appended to it, and they the nnx.List), to a fixed point."""
    changed = True
    while changed:
        changed = False
        applied = {s.node for s in edits if s.applicable and s.rendered is not None}
        for s in edits:
            if s.applicable and s.needs and not all(n in applied for n in s.needs):
                s.applicable, changed = False, True
                s.message = ("not applied: " + (
                    "a layer appended to it stays torch, and an nnx.List would hide it from torch's .parameters()"
                    if s.api == "torch.nn.ModuleList" else "the ModuleList it is appended to stays torch, which "
                    "takes torch modules only (TypeError)" if rewrite.module_class(s.api) else "an in-place change of "
                    "the copy (a call or an item store) stays torch, and it would change the original once the copy "
                    "is dropped" if s.api == "torch.Tensor.clone" else "the tensor it changes is made by code that "
                    "stays torch, which has no .at[]")
                    + "; rewrite them together. " + s.message)


def _kept_as_torch(site: Site, renderer: Renderer) -> bool:
    """A low-confidence method call (receiver unknown) whose own rewrite is not the text as written: left in a
    rewritten expression, it runs on a jax.Array, where `logits.flatten(0, 1)` or `k.transpose(-1, -2)` raises
    or means something else. (`x.sum()`, rewritten to itself by a verified record, means the same on both;
    `x.squeeze(0)` is caveat: torch keeps an axis of size 2, JAX raises.)"""
    return site.status != "verified" or site.rendered is None or site.rendered != renderer.span_text(*site.span)


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
    claimed = _structure_calls(reader)
    registered = {id(a.value) for c, _ in reader.calls if isinstance(c.func, cst.Attribute)
                  and c.func.attr.value in TORCH_MODULE_METHODS for a in c.args}
    buffers = _buffers(reader)
    for call, scope in reader.calls:
        func = call.func
        qual, ambiguous = reader.qualify(func, scope)
        statement = call in reader.statement_calls
        site = None
        if qual is not None:
            if is_torch(qual) and not qual.startswith(STRING_VALUES) and call not in claimed.get(qual, ()):
                site = _api_site(reader, scope, call, qual, ambiguous, catalogue, statement)
                if id(call) in registered and site.binding is not None and rewrite.module_class(qual):
                    site.binding, site.status, site.rule = None, "manual", rules.code("call-arguments")
                    site.message = (f"{qual} is passed to {call_name(reader, call)}, a torch nn.Module method that "
                                    "takes torch modules only: rewrite the container and its layers together")
                owner = _other_owner(reader, call, scope) if site.binding is not None else ""
                if owner and rewrite.module_class(qual):
                    site.binding, site.status, site.rule = None, "manual", rules.code("call-arguments")
                    site.message = (f"{qual} replaces a layer of {owner}, a module that may stay torch (a "
                                    "torchvision model, say): a torch module takes only torch modules as layers "
                                    "(TypeError); rewrite the layer when you rewrite that module")
                if site.binding is not None and rewrite.module_class(qual):
                    into, needs = _into_list(reader, call, scope)
                    site.needs += needs
                    if into:
                        site.binding, site.status, site.rule = None, "manual", rules.code("call-arguments")
                        site.message = (f"{qual} goes into {into}, a list of layers that may end in a torch "
                                        "container (nn.Sequential(*layers), a torch ModuleList), which takes torch "
                                        "modules only (TypeError); rewrite the layers and the container together")
        elif isinstance(func, cst.Attribute):
            site = _method_site(reader, call, scope, catalogue, statement)
        if site is not None and site.binding is not None:
            held = _tensor_attr_target(reader, call)
            buffer = "" if held else _buffer_value(reader, call, scope, buffers)
            if held or buffer:
                site.binding, site.status = None, "manual"
                site.rule = rules.code("method-arguments" if site.receiver is not None else "call-arguments")
            if held:
                site.message = (f"the value is assigned to `{held}`, which takes a torch tensor only (TypeError "
                                "for a JAX array; a Flax NNX parameter is set with `param.value = ...`): rewrite "
                                "it with the module that owns it")
            elif buffer:
                site.message = (f"the value goes to `{buffer}`, which takes a torch tensor only (TypeError for a "
                                "JAX array); in an nnx.Module a buffer is an attribute (self.name = "
                                "nnx.Variable(value), or a plain array for a constant): rewrite it with the module")
        if site is not None:
            site.scope = scope
            sites.append(site)


def _structure_calls(reader: analyze.Reader) -> dict:
    """Calls a structural rule reports (`with torch.no_grad()`, seeds, save / load): one finding per site."""
    claimed: dict = {}
    for call, _, scope in reader.withs:
        claimed.setdefault(reader.qualify(call.func, scope)[0], set()).add(call)
    for dec, _, scope in reader.decorators:
        if isinstance(dec, cst.Call):
            claimed.setdefault(reader.qualify(dec.func, scope)[0], set()).add(dec)
    for call, scope in reader.calls:
        qual = reader.qualify(call.func, scope)[0]
        if qual in SEED_APIS or qual in ("torch.save", "torch.load"):
            claimed.setdefault(qual, set()).add(call)
    return {q: calls for q, calls in claimed.items() if q in GRAD_MODES or q in SEED_APIS
            or q in ("torch.save", "torch.load")}


def _second(call: cst.Call):
    """The second argument of `torch.max(a, b)` (or `other=`), with whether it was named `other`."""
    for a in call.args:
        if a.keyword is not None and a.keyword.value == "other":
            return a.value, True
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return (positional[1].value, False) if len(positional) > 1 else (None, False)


def _api_site(reader: analyze.Reader, scope, call: cst.Call, qual: str, ambiguous: bool, catalogue: Catalogue,
              statement: bool) -> Site:
    found = catalogue.by_name.get(qual)
    if qual in BINARY:  # torch.max(a, b): elementwise when b is a tensor, a reduction over dim b when an int
        other, named = _second(call)
        if other is not None and (named or reader.kind(other, scope) == TENSOR):
            found = catalogue.by_name.get(BINARY[qual]) or found
        elif other is not None and rewrite.literal_kind(other) is None:
            return Site(call, qual, "manual", rules.code("call-arguments"),
                        f"{qual}(a, b): jnp.{BINARY[qual].split('.')[-1]}(a, b) when b is a tensor, a reduction "
                        "over dim b when it is an int; the code does not show which")
    if not found:
        return Site(call, qual, "unknown", rules.call_code("unknown", False),
                     f"{qual} is not in the catalogue yet: no checked JAX equivalent")
    return _linked(Site(call, qual, "", "", ""), found, call, ambiguous, statement, reader, scope)


def _linked(site: Site, found: list, call: cst.Call, ambiguous: bool, statement: bool, reader=None,
            scope=None) -> Site:
    """Link the site to the best record of its API, bound to the call's arguments when it has a rewrite.

    `statement`: the call is a whole expression statement (assignment templates apply only there).
    """
    method = site.receiver is not None
    kind_of = (lambda node: _value_kind(reader, node, scope)) if reader else None
    if site.api == "torch.nn.functional.cross_entropy" and reader is not None:
        target = _argument(call, 1, "target")
        if target is not None and _float_shown(reader, target, scope):
            found = [r for r in found if r.variant == "probabilities"] or found
        elif target is not None and _int_shown(reader, target, scope):
            found = [r for r in found if r.variant in CLASS_INDEX_VARIANTS] or found
        else:
            found = [r for r in found if r.variant != "indices"]
    record, binding, why = rewrite.choose(found, call, statement, kind_of)
    if record.torch == "torch.nn.functional.cross_entropy" and record.variant == "weight" and binding is not None \
            and reader is not None and not _int_shown(reader, _argument(call, 1, "target"), scope):
        binding, why = None, ("class weights: the rewrite takes class indices as the target, and the code does not "
                              "show whether it holds indices or probabilities (torch accepts both); cast it "
                              "(`target.long()`) or rewrite by hand")
    site.record, site.status = record, record.status
    site.rule, site.message = rules.call_code(record.status, method), message(record, "")
    if binding is not None and rewrite.module_class(record.torch) and not rewrite.call_sites_kept(record):
        binding, why = None, (f"{site.api}: the JAX module is called differently (see the JAX example of "
                              f"{record.id}), so rewriting the constructor alone would break its call sites: "
                              "rewrite the module and its calls together")
    if binding is not None and reader is not None:
        field = _field_read(reader, call) if site.api.rsplit(".", 1)[-1] in NAMED_TUPLES else None
        if field:
            binding, why = None, (f"`.{field}` of the result: torch returns a named tuple, the JAX code a plain "
                                  "tuple or an array; index it ([0] the values, [1] the indices) and rewrite")
        elif site.api == "torch.Tensor.view" and any(_dtype_like(reader, a.value, scope) for a in call.args):
            binding, why = None, ("x.view(dtype) reinterprets the bits: jax.lax.bitcast_convert_type(x, jnp.<type>) "
                                  "(jax.Array.reshape takes no dtype)")
    if binding is not None and record.torch == "torch.Tensor.clone" and reader is not None:
        used, site.needs = _copy_changed(reader, call, scope)
        if used:
            binding, why = None, (f"{used}: while that stays torch, dropping the copy would change the original "
                                  "too (JAX arrays need no copy: rewrite them together)")
    if binding is not None and record.torch == "torch.nn.Sequential" and reader is not None:
        # a layer given by name, `*layers` or a class of this file (`ConvBlock(...)`) may stay a torch module:
        # nnx.Sequential would hide it from torch
        hidden = next((a for a in call.args if a.star or not _torch_call(reader, a.value, scope)), None)
        used = "" if hidden is not None else _sequential_use(reader, call, scope)
        if hidden is not None:
            binding, why = None, (f"`{cst.Module([]).code_for_node(hidden.value)}` may be or hold torch layers: "
                                  "inside an nnx.Sequential, torch's .parameters(), .eval() and state_dict() no "
                                  "longer reach them (not trained, dropout left on); convert the layers, then write "
                                  "nnx.Sequential(...) of them")
        if used:
            binding, why = None, (f"{used}: nnx.Sequential is only called (no indexing, len, iteration, "
                                  "add_module or append); build the list of layers first, then "
                                  "nnx.Sequential(*layers), or keep an nnx.List")
    if binding is not None and reader is not None:
        changed = _aug_shared(reader, call, scope)
        if changed:
            binding, why = None, changed
    if binding is not None and record.torch == "torch.nn.ModuleList" and reader is not None:
        hidden, site.needs = _list_layers(reader, call, scope)
        if hidden is not None:
            binding, why = None, (f"`{cst.Module([]).code_for_node(hidden)}` may be or hold torch layers: inside an "
                                  "nnx.List, torch's .parameters(), .eval() and state_dict() of the module holding "
                                  "it no longer reach them (not trained, dropout left on); convert the layers, then "
                                  "write nnx.List([...]) of them")
        used = "" if hidden is not None else _list_method_call(reader, call, scope)
        if used:
            binding, why = None, (f"{used}: a torch nn.Module method that nnx.List does not have (it has the "
                                  "list methods, .eval() and .train()); rewrite that use with the list "
                                  "(nnx.state(...), nnx.iter_graph(...), a loop over its layers)")
    if ambiguous and binding is not None:
        site.status, site.rule = "manual", rules.call_code("manual", method)
        site.message = f"{site.api}: the name is bound to several things here (conditional import?): no rewrite"
    elif binding is not None:
        site.binding = binding
    elif why:
        site.status, site.rule = "manual", rules.code("method-arguments" if method else "call-arguments")
        site.message = why
    return site


# torch functions and methods that return (values, indices) as a named tuple
NAMED_TUPLES = frozenset("max min sort topk median nanmedian mode kthvalue cummax cummin".split())


def _field_read(reader: analyze.Reader, call: cst.Call) -> str | None:
    """`values` / `indices` when the code reads that field of the call's result (`x.max(1).values`)."""
    stmt = reader.units.get(id(call))
    if stmt is None:
        return None
    found: list = []

    class Fields(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> None:
            if node.value is call and node.attr.value in ("values", "indices"):
                found.append(node.attr.value)

    stmt.visit(Fields())
    return found[0] if found else None


def _dtype_like(reader: analyze.Reader, node, scope) -> bool:
    """A torch dtype (`torch.int32`) or `<x>.dtype`."""
    if isinstance(node, cst.Attribute) and node.attr.value == "dtype":
        return True
    qual = reader.qualify(node, scope)[0] if isinstance(node, (cst.Name, cst.Attribute)) else None
    return qual is not None and qual.startswith("torch.") and qual[len("torch."):] in analyze.DTYPES


# Tensor methods that read a size or a flag: a copy used only through them is only read.
SIZE_READS = frozenset("size dim ndimension numel nelement element_size is_contiguous is_floating_point".split())


def _copy_changed(reader: analyze.Reader, call: cst.Call, scope) -> tuple[str, tuple]:
    """How the code may change the copy `y = x.clone()` makes (an item store, a call that takes it), '' when it
    only reads it; and the in-place statements on y (`y.add_(1)`), which must be rewritten too: torch's in-place
    change of y would reach x once the copy is dropped."""
    stmt = reader.units.get(id(call))
    assign = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
    if not (isinstance(assign, cst.Assign) and assign.value is call and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name) and scope.node is not None):
        return "the copy goes where the code may change it in place", ()
    name, source = assign.targets[0].target.value, call.func.value
    inplace: list = []
    names = {name}  # the copy's names: `out = y` gives it another, whose uses count too
    after = _statements_after(scope.node, stmt)

    def read_only(ancestors: list, node) -> bool:
        """Arithmetic, a comparison, `.shape`, an argument of a torch function that changes nothing in place;
        returning the copy once an in-place statement run on every path since the clone has made it a new array
        (the caller may change what it gets in place, which would reach x if it were still x)."""
        parent, grand = ancestors[-1], ancestors[-2] if len(ancestors) > 1 else None
        if isinstance(parent, cst.Param):
            return True  # `def f(y: torch.Tensor)`: the parameter's declaration, not a use of the copy
        store = ancestors[-3] if isinstance(grand, cst.AssignTarget) and len(ancestors) > 2 else grand
        if isinstance(parent, cst.Subscript) and parent.value is node and stores_into(store, parent):
            inplace.append(store)  # `y[i] = v`: rebinds y where it is rewritten
            return True
        if isinstance(parent, cst.Subscript) and parent.value is node and isinstance(grand, ARITHMETIC):
            return True  # `y[:, 0] / 2`: the view is read once, not kept
        holder = next((a for a in reversed(ancestors) if not isinstance(a, (cst.Element, cst.List, cst.Tuple))), None)
        if isinstance(holder, cst.Return):
            return node.value == name and any(reader.units.get(id(c)) in after for c in inplace)
        if isinstance(parent, (cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.ComparisonTarget)):
            return True
        if isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1 \
                and isinstance(parent.targets[0].target, cst.Name):
            alias = parent.targets[0].target.value
            if alias in names:
                return True
            names.add(alias)
            return _other_use(scope.node, lambda n: isinstance(n, cst.Name) and n.value == alias, [], read_only) is None
        if isinstance(parent, cst.Attribute):
            if parent.attr.value.endswith("_") and isinstance(grand, cst.Call) and grand.func is parent \
                    and grand in reader.statement_calls:
                inplace.append(grand)
                return True
            return parent.attr.value in ("shape", "dtype", "ndim", "device") or (
                isinstance(grand, cst.Call) and grand.func is parent and parent.attr.value in SIZE_READS)
        if isinstance(holder, cst.Arg):
            caller = ancestors[ancestors.index(holder) - 1]
            qual = reader.qualify(caller.func, scope)[0] if isinstance(caller, cst.Call) else None
            if is_torch(qual) and qual.endswith("_") and caller in reader.statement_calls:
                inplace.append(caller)  # F.relu_(y): rebinds y where it is rewritten
                return True
            return is_torch(qual) and not qual.endswith("_") and not qual.startswith("torch.distributed")
        return False

    found = _other_use(scope.node, lambda n: isinstance(n, cst.Name) and n.value == name and n is not source, [],
                       read_only)
    if isinstance(found, cst.Return):
        return f"`{cst.Module([]).code_for_node(found)}` hands the copy to callers that may change it in place", ()
    if found is not None:
        return f"`{cst.Module([]).code_for_node(found)}` may change the copy or keep a view of it", ()
    return "", tuple(inplace)


def _statements_after(root, stmt) -> list:
    """The statements after `stmt` in the block that holds it (run whenever `stmt` is, unless it returns first)."""
    block = analyze.block_of(root, stmt) or []
    return block[[i for i, s in enumerate(block) if s is stmt][0] + 1:] if block else []


def _aug_shared(reader: analyze.Reader, call: cst.Call, scope) -> str:
    """`y = call` and later `y += v` while another name holds y's tensor (`z = y`, a list, a view): torch's `+=`
    changes that tensor for both, a JAX array's rebinds y only; '' where that does not happen."""
    stmt = reader.units.get(id(call))
    assign = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
    if (scope is None or scope.node is None or not isinstance(assign, cst.Assign) or assign.value is not call
            or len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name)):
        return ""
    name = assign.targets[0].target.value
    # an augmented assignment binds its target Name to itself (analyze.Reader._aug_assign): none, nothing to check
    if not any(kind == "expr" and isinstance(value, cst.Name) and value.value == name
               for kind, value, _ in scope.bindings.get(name, ())):
        return ""
    events: list = []
    _binding_events(scope.node, name, assign, events)
    mine = events.index(("site", assign))
    for kind, aug in events[mine + 1:]:
        if kind == "bind":  # name holds another tensor from here on
            break
        why = passed_on(reader, name, aug, scope, since=call)
        if why:
            shown = cst.Module([]).code_for_node(aug).strip()
            return (f"`{shown}` changes {name}'s tensor in place in torch, and {why}; once {name} is a JAX array, "
                    f"`{shown}` rebinds {name} only: rewrite them together ({name} = {name} + ... where every "
                    "holder needs the new value)")
    return ""


def _binding_events(node, name: str, site, events: list) -> None:
    """In source order: ("site", site) for the assignment of the rewritten call, ("aug", node) for `name += ...` and
    ("bind", node) for any other assignment to `name`."""
    if node is site:
        events.append(("site", node))
    elif isinstance(node, cst.AugAssign) and isinstance(node.target, cst.Name) and node.target.value == name:
        events.append(("aug", node))
    elif isinstance(node, (cst.Assign, cst.AnnAssign, cst.For)) and any(
            isinstance(n, cst.Name) and n.value == name for n in _targets(node)):
        events.append(("bind", node))
    for child in analyze.child_nodes(node):
        _binding_events(child, name, site, events)


def _targets(node) -> list:
    """The names an assignment or a for loop binds (tuples unpacked)."""
    roots = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
    found = []
    while roots:
        t = roots.pop()
        if isinstance(t, (cst.Tuple, cst.List)):
            roots += [e.value for e in t.elements]
        else:
            found.append(t)
    return found


# torch functions and tensor methods whose result is a float tensor (softmax outputs, casts, uniform draws)
FLOAT_RESULTS = frozenset(f"torch.{n}" for n in (
    "softmax sigmoid rand rand_like nn.functional.softmax nn.functional.sigmoid nn.functional.gumbel_softmax "
    "special.softmax").split())
FLOAT_METHODS = frozenset("softmax sigmoid float half double bfloat16".split())


def _argument(call: cst.Call, position: int, name: str):
    """The value of the argument `name` (keyword, or at `position` among the positional ones), or None."""
    for a in call.args:
        if a.keyword is not None and a.keyword.value == name:
            return a.value
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    return positional[position] if len(positional) > position else None


# F.cross_entropy records for class-index targets; the others pick by the target's dtype or take probabilities
CLASS_INDEX_VARIANTS = frozenset(("indices", "label_smoothing", "weight"))
# torch functions and tensor methods whose result is an integer tensor
INT_RESULTS = frozenset(f"torch.{n}" for n in (
    "randint randint_like argmax argmin multinomial bucketize searchsorted randperm argsort "
    "LongTensor IntTensor").split())
INT_METHODS = frozenset("long int short argmax argmin argsort".split())
# methods that keep the dtype of their receiver (y.view(-1) of integer labels holds integer labels)
SAME_DTYPE = frozenset("view reshape flatten contiguous squeeze unsqueeze detach clone to permute transpose t "
                       "view_as reshape_as masked_select".split())


def _bound_only_to(reader: analyze.Reader, name: cst.Name, scope, shown, depth: int) -> bool:
    """Every binding of `name` is an expression for which `shown(reader, value, scope, depth)` holds."""
    bindings = reader.lookup(name.value, scope)
    return bool(bindings) and all(kind == "expr" and shown(reader, value, where, depth + 1)
                                  for kind, value, where in bindings)


def _int_shown(reader: analyze.Reader, node, scope, depth: int = 0) -> bool:
    """The code shows `node` is an integer tensor: a cast (`.long()`), an argmax, a randint draw, an integer
    dtype=, a slice or reshape of one, or a name bound only to those (F.cross_entropy's class-index targets)."""
    if node is None or depth > 4:
        return False
    if isinstance(node, cst.Subscript):
        return _int_shown(reader, node.value, scope, depth + 1)
    if isinstance(node, cst.Call):
        dtype = _argument(node, 99, "dtype")
        if dtype is not None and reader.qualify(dtype, scope)[0] in INT_DTYPES:
            return True
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in INT_METHODS:
                return True
            if method == "to" and node.args and reader.qualify(node.args[0].value, scope)[0] in INT_DTYPES:
                return True
            if method in SAME_DTYPE and reader.qualify(node.func, scope)[0] is None:
                return _int_shown(reader, node.func.value, scope, depth + 1)
        return reader.qualify(node.func, scope)[0] in INT_RESULTS
    if isinstance(node, cst.Name):
        return _bound_only_to(reader, node, scope, _int_shown, depth)
    return False


INT_DTYPES = frozenset(f"torch.{n}" for n in "long int64 int int32 int16 int8 uint8 short".split())


def _float_shown(reader: analyze.Reader, node, scope, depth: int = 0) -> bool:
    """The code shows `node` is a float tensor: a softmax / sigmoid output, a cast (`.float()`), a uniform draw,
    arithmetic with a float literal on a tensor, or a name bound only to those (F.cross_entropy's soft targets)."""
    if depth > 4:
        return False
    if isinstance(node, cst.Subscript):
        return _float_shown(reader, node.value, scope, depth + 1)
    if isinstance(node, cst.Call):
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in FLOAT_METHODS:
            return True
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in SAME_DTYPE and \
                node.func.attr.value != "to" and reader.qualify(node.func, scope)[0] is None:
            return _float_shown(reader, node.func.value, scope, depth + 1)
        return reader.qualify(node.func, scope)[0] in FLOAT_RESULTS
    if isinstance(node, cst.BinaryOperation):
        sides = (node.left, node.right)
        return (any(isinstance(n, cst.Float) for n in sides) and any(reader.kind(n, scope) == TENSOR for n in sides)
                or any(_float_shown(reader, n, scope, depth + 1) for n in sides))
    if isinstance(node, cst.Name):
        return _bound_only_to(reader, node, scope, _float_shown, depth)
    return False


def _sequential_use(reader: analyze.Reader, call: cst.Call, scope) -> str:
    """A use of the Sequential `call` builds (bound to a name, or to self.<attr> in a class) other than calling it,
    `.eval()` or `.train()`; '' when there is none. A Sequential not bound so has uses the code does not show."""
    stmt = reader.units.get(id(call))
    assign = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
    if not (isinstance(assign, cst.Assign) and assign.value is call and len(assign.targets) == 1):
        return "its value goes where torch's Sequential may be indexed, iterated or extended"
    target = assign.targets[0].target
    if isinstance(target, cst.Name) and scope.node is not None:
        root = scope.node
        same = lambda n: isinstance(n, cst.Name) and n.value == target.value  # noqa: E731
    elif (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and scope.cls is not None
          and target.value.value == scope.self_name):
        root = scope.cls.node
        same = lambda n: (isinstance(n, cst.Attribute) and n.attr.value == target.attr.value  # noqa: E731
                          and isinstance(n.value, cst.Name) and n.value.value == scope.self_name)
    else:
        return "it is bound to something other than a name or self.<name>"
    found = _other_use(root, same, [], _called)
    return f"`{cst.Module([]).code_for_node(found)}` uses it" if found is not None else ""


# what nnx.List has besides indexing, len and iteration (torch's ModuleList has .apply, .parameters, .to, ... too)
LIST_METHODS = frozenset("append extend insert pop remove reverse clear index count eval train".split())


def _list_method_call(reader: analyze.Reader, call: cst.Call, scope) -> str:
    """A method call on the ModuleList `call` builds (bound to a name, or to self.<attr> in a class) that nnx.List
    does not have (`blocks.apply(f)`, `blocks.parameters()`); '' when there is none."""
    for c, _ in _list_method_calls(reader, call, scope):
        if c.func.attr.value not in LIST_METHODS:
            return f"`{cst.Module([]).code_for_node(c)}` uses it"
    return ""


def _list_method_calls(reader: analyze.Reader, call: cst.Call, scope) -> list:
    """The method calls (with their scopes) on the ModuleList `call` builds, bound to a name or to self.<attr>."""
    stmt = reader.units.get(id(call))
    assign = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
    if not (isinstance(assign, cst.Assign) and assign.value is call and len(assign.targets) == 1):
        return []
    target = assign.targets[0].target
    if isinstance(target, cst.Name):
        same = lambda n, s: isinstance(n, cst.Name) and n.value == target.value and _within(s, scope)  # noqa: E731
    elif (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and scope.cls is not None
          and target.value.value == scope.self_name):
        same = lambda n, s: (isinstance(n, cst.Attribute) and n.attr.value == target.attr.value  # noqa: E731
                             and isinstance(n.value, cst.Name) and n.value.value == s.self_name and s.cls is scope.cls)
    else:
        return []
    return [(c, s) for c, s in reader.calls if isinstance(c.func, cst.Attribute) and same(c.func.value, s)]


def _into_list(reader: analyze.Reader, call: cst.Call, scope) -> tuple[str, tuple]:
    """Where the layer `call` builds goes, when that is a list: the code of a plain list (`layers += [nn.Tanh()]`,
    `m.append(nn.PixelShuffle(2))`), or () and the ModuleList call it is appended to, which must be rewritten with
    it. ('', ()) for a layer bound, called, or given to a call (a torch call is rewritten with it)."""
    path = _path_to(reader.units.get(id(call)), call, [])
    code = cst.Module([]).code_for_node
    node, i = call, len(path or ()) - 2
    if i >= 1 and isinstance(path[i], cst.Element) and isinstance(path[i - 1], (cst.List, cst.Tuple)):
        node, i = path[i - 1], i - 2
    display = node is not call
    if i < 1 or not isinstance(path[i], cst.Arg):
        return (f"`{code(node)}`" if display else ""), ()
    holder = path[i - 1]
    if not isinstance(holder, cst.Call) or _torch_call(reader, holder, scope):
        return "", ()
    func = holder.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in ("append", "insert", "extend")):
        return (f"`{code(node)}`" if display else ""), ()
    receiver = func.value
    if isinstance(receiver, cst.Name):
        bindings = reader.lookup(receiver.value, scope)
    elif (isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Name) and scope.cls is not None
          and receiver.value.value == scope.self_name):
        bindings = scope.cls.attrs.get(receiver.attr.value)
    else:
        bindings = None
    lists = [p for k, p, w in bindings or () if k == "expr" and isinstance(p, cst.Call)
             and reader.qualify(p.func, w)[0] == "torch.nn.ModuleList"]
    if bindings and len(lists) == len(bindings) == 1:
        return "", (lists[0],)
    return f"`{code(receiver)}`", ()


def _buffers(reader: analyze.Reader) -> list:
    """The values given to torch's `register_buffer` / `register_parameter`: (value node, its scope, the call)."""
    found = []
    for c, s in reader.calls:
        if isinstance(c.func, cst.Attribute) and c.func.attr.value in ("register_buffer", "register_parameter"):
            value = _argument(c, 1, "tensor" if c.func.attr.value == "register_buffer" else "param")
            if value is not None:
                found.append((value, s, c))
    return found


def _buffer_value(reader: analyze.Reader, call: cst.Call, scope, buffers: list) -> str:
    """The `register_buffer(...)` call `call`'s value goes to: as its argument, or bound to the name it is given
    (`pe = torch.zeros(n, d)`, later `self.register_buffer("pe", pe)`); '' when none."""
    stmt = reader.units.get(id(call))
    assign = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
    names = {t.target.value for t in assign.targets if isinstance(t.target, cst.Name)} \
        if isinstance(assign, cst.Assign) and _path_to(assign.value, call, []) is not None else set()
    for value, s, register in buffers:
        given = (isinstance(value, cst.Name) and value.value in names and s is scope) or \
            (reader.units.get(id(register)) is stmt and _path_to(value, call, []) is not None)
        if given:
            return cst.Module([]).code_for_node(register)
    return ""


def _tensor_attr_target(reader: analyze.Reader, call: cst.Call) -> str:
    """The `x.data` / `x.grad` an assignment stores `call`'s value in (`self.weight.data = torch.eye(3) / s`), or ''."""
    stmt = reader.units.get(id(call))
    assign = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
    if not isinstance(assign, cst.Assign) or _path_to(assign.value, call, []) is None:
        return ""
    for t in assign.targets:
        if isinstance(t.target, cst.Attribute) and t.target.attr.value in ("data", "grad"):
            return cst.Module([]).code_for_node(t.target)
    return ""


def _path_to(node, target, path: list) -> list | None:
    """The nodes from `node` down to `target` (both included), or None."""
    if node is None:
        return None
    path.append(node)
    if node is target:
        return path
    for child in analyze.child_nodes(node):
        if _path_to(child, target, path) is not None:
            return path
    path.pop()
    return None


def _torch_call(reader: analyze.Reader, node, scope) -> bool:
    """A call of a torch API: rewritten with the container around it, or holding it back (whole or nothing)."""
    return isinstance(node, cst.Call) and is_torch(reader.qualify(node.func, scope)[0] or "")


def _list_layers(reader: analyze.Reader, call: cst.Call, scope) -> tuple:
    """The first layer the ModuleList `call` gets (in its list, or by .append / .insert / .extend) that may stay
    torch (a name, a class of this file), or None; and the appended torch calls, which must be rewritten with it."""
    given = [(a.value, scope) for a in call.args if not a.star]
    if any(a.star for a in call.args):
        return next(a.value for a in call.args if a.star), ()
    added = []
    for c, s in _list_method_calls(reader, call, scope):
        if c.func.attr.value in ("append", "insert", "extend") and c.args:
            given.append((c.args[-1].value, s))
            added.append(c.args[-1].value)
    for value, s in given:
        layers = [e.value for e in value.elements] if isinstance(value, (cst.List, cst.Tuple)) else [value]
        if isinstance(value, (cst.List, cst.Tuple)) and any(isinstance(e, cst.StarredElement) for e in value.elements):
            return value, ()
        for layer in layers:
            if not _torch_call(reader, layer, s):
                return layer, ()
    needs: list = []
    for value in added:
        needs.extend([e.value for e in value.elements] if isinstance(value, (cst.List, cst.Tuple)) else [value])
    return None, tuple(needs)


def _within(inner, outer) -> bool:
    while inner is not None and inner is not outer:
        inner = inner.parent
    return inner is outer


def _called(ancestors: list, node) -> bool:
    """Calling a module, or its `.eval()` / `.train()`."""
    parent, grand = ancestors[-1], ancestors[-2] if len(ancestors) > 1 else None
    return (isinstance(parent, cst.Call) or isinstance(parent, cst.Attribute) and parent.attr.value in ("eval", "train")
            and isinstance(grand, cst.Call) and grand.func is parent)


def _other_use(node, same, ancestors: list, allowed):
    """The first node matching `same` whose use `allowed(ancestors, node)` refuses (assignments to it aside)."""
    if same(node):
        parent = ancestors[-1] if ancestors else None
        if isinstance(parent, cst.AssignTarget) or (parent is not None and allowed(ancestors, node)):
            return None
        return next((a for a in reversed(ancestors[-3:]) if isinstance(a, cst.Call)), ancestors[-1])
    ancestors.append(node)
    children = (node.value,) if isinstance(node, (cst.Attribute, cst.Arg)) else analyze.child_nodes(node)
    for child in children:
        found = _other_use(child, same, ancestors, allowed)
        if found is not None:
            ancestors.pop()
            return found
    ancestors.pop()
    return None


def _other_owner(reader: analyze.Reader, call: cst.Call, scope) -> str:
    """`self.backbone` for `self.backbone.fc = call`, `model` for `model.fc = call`: the layer goes into a module
    other than the class's own `self`; '' otherwise."""
    stmt = reader.units.get(id(call))
    assign = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
    if not (isinstance(assign, cst.Assign) and assign.value is call):
        return ""
    for t in assign.targets:
        owner = t.target.value if isinstance(t.target, cst.Attribute) else None
        if owner is not None and not (isinstance(owner, cst.Name) and owner.value == scope.self_name):
            return cst.Module([]).code_for_node(owner)
    return ""


# nn.Module methods that take a module (a rewritten layer passed to them is a JAX function: TypeError)
TORCH_MODULE_METHODS = frozenset(("add_module", "register_module"))


def call_name(reader: analyze.Reader, arg_value) -> str:
    """`main.add_module(...)` for the call that takes `arg_value` as an argument."""
    for c, _ in reader.calls:
        if any(a.value is arg_value for a in c.args):
            return f"{cst.Module([]).code_for_node(c.func)}(...)"
    return "a module method"


ANNOTATED = {"int": "int", "float": "float", "list": "sequence", "tuple": "sequence", "List": "sequence",
             "Tuple": "sequence", "Sequence": "sequence", "bool": None, "str": None}


def _value_kind(reader: analyze.Reader, node, scope) -> str | None:
    """What a non-literal argument holds, where the code shows it: a tensor, or a name annotated or assigned once
    (`n: int`, `sizes = [1, 2]`), as compared with the records' proven kinds; None when it does not show."""
    if reader.kind(node, scope) == TENSOR:
        return "tensor"
    if reader.is_int(node, scope):
        return "int"
    bindings = reader.lookup(node.value, scope) if isinstance(node, cst.Name) else None
    if not bindings or len(bindings) != 1:
        return None
    kind, payload, _ = bindings[0]
    if kind == "param" and payload is not None:
        head = payload.value if isinstance(payload, cst.Subscript) else payload
        return ANNOTATED.get(head.value) if isinstance(head, cst.Name) else None
    if kind == "expr":
        found = rewrite.literal_kind(payload)
        return found if isinstance(found, str) else None
    return None


def _method_site(reader: analyze.Reader, call: cst.Call, scope, catalogue: Catalogue,
                 statement: bool) -> Site | None:
    func = call.func
    name = func.attr.value
    receiver = func.value
    kind = reader.kind(receiver, scope)
    if kind in (OTHER, MODULE) or kind == LOADER:
        return None
    if _claimed(reader, name, call, scope, kind):
        return None  # reported by a structural rule (device move, train/eval, in-place op)
    if name in NOT_TENSOR_METHODS:
        return None
    if name in JAX_ARRAY_METHODS and name != "view" and _jax_origin(reader, receiver, scope):
        return None  # `jnp.take_along_axis(...).squeeze(axis)`: a rewrite's output, seen by a second --fix
    api = "torch.Tensor." + name
    found = catalogue.by_name.get(api)
    record = found[0] if found else None
    confidence = method_confidence(receiver, name, kind, record)
    if confidence is None:
        return None
    if confidence != "high" and any(isinstance(a.value, (cst.SimpleString, cst.ConcatenatedString,
                                                          cst.FormattedString)) for a in call.args):
        return None  # `version.split('.')`, `s.replace('a', 'b')`: a string method, whatever the receiver
    if name in ("max", "min") and kind == TENSOR:
        other, named = _second(cst.Call(func=call.func, args=[cst.Arg(receiver), *call.args]))
        if other is not None and (named or reader.kind(other, scope) == TENSOR or
                                  rewrite.literal_kind(other) is None):
            return Site(call, api, "manual", rules.code("method-arguments"),
                        f"x.{name}(y): jnp.{name}imum(x, y) when y is a tensor, a reduction over dim y when it is an "
                        "int; rewrite by hand", confidence=confidence, receiver=receiver)
    if record is None and name in JAX_ARRAY_METHODS:
        confidence = "low"  # `.swapaxes(1, 2)` may be JAX code already (a second --fix run)
    if record is None:
        return Site(call, api, "unknown", rules.call_code("unknown", True),
                     f".{name}() on a {'tensor' if kind == TENSOR else 'value that may be a tensor'}: "
                     "no catalogue record yet", confidence=confidence, receiver=receiver)
    if _jax_spelled(found, call):
        return None  # `x.sum(axis=0)`: JAX code already (a rewrite's output, seen by a second --fix)
    return _linked(Site(call, api, "", "", "", confidence=confidence, receiver=receiver), found, call, False,
                   statement, reader, scope)


def _jax_origin(reader: analyze.Reader, node, scope, depth: int = 0) -> bool:
    """`node` is the result of a JAX function (`jnp.concatenate(...)`, a slice of one, or a name bound only to
    those): methods JAX arrays have are JAX code there."""
    if depth > 4:
        return False
    if isinstance(node, cst.Subscript):
        return _jax_origin(reader, node.value, scope, depth + 1)
    if isinstance(node, cst.Call):
        qual = reader.qualify(node.func, scope)[0]
        if qual is not None:
            return qual.startswith(analyze.JAX_ARRAY_FUNCS)
        return isinstance(node.func, cst.Attribute) and node.func.attr.value in JAX_ARRAY_METHODS and \
            _jax_origin(reader, node.func.value, scope, depth + 1)
    if isinstance(node, cst.Name):
        return _bound_only_to(reader, node, scope, _jax_origin, depth)
    return False


def _jax_spelled(found: list, call: cst.Call) -> bool:
    """A keyword the records' JAX code uses (`axis=`, `keepdims=`) and torch's signature does not know, or more
    positional arguments than torch takes (`x.transpose(0, 2, 1)`, the rewrite of `x.permute(0, 2, 1)`)."""
    keywords = {a.keyword.value for a in call.args if a.keyword is not None}
    positional = sum(1 for a in call.args if a.keyword is None and not a.star)
    sigs = [rewrite.parse_sig(r.sig) for r in found if r.sig]
    jax_method = isinstance(call.func, cst.Attribute) and call.func.attr.value in JAX_ARRAY_METHODS
    if jax_method and sigs and len(sigs) == len(found) and not any(a.star for a in call.args) and all(
            not any(p.kind == "var_pos" for p in sig) and positional > sum(p.kind == "pos" for p in sig)
            for sig in sigs):
        return True
    if jax_method and call.func.attr.value == "transpose" and any(
            isinstance(a.value, (cst.List, cst.Tuple)) for a in call.args if a.keyword is None):
        return True  # `x.transpose([0, 2, 1])`, the rewrite of `x.permute([0, 2, 1])`: torch's takes two ints
    if jax_method and call.func.attr.value == "transpose" and len(call.args) == 1 and call.args[0].star == "*":
        # `x.transpose(*dims)`, the rewrite of `x.permute(*dims)`; torch's transpose(*pair) on a JAX array gives
        # the same value on 2-D and raises on more axes (never a silent difference)
        return True
    if not keywords:
        return False
    jax_names = {kw for r in found for kw in (*r.rename.values(), *JAX_KEYWORD_RE.findall(r.template))}
    torch_names = {p.name for r in found if r.sig for p in rewrite.parse_sig(r.sig)}
    return bool(keywords & jax_names - torch_names)



def _claimed(reader, name: str, call: cst.Call, scope, kind: str) -> bool:
    """Method calls a structural rule reports instead (device moves, train/eval, in-place ops)."""
    if name in DEVICE_METHODS:
        return not dtype_only(reader, call, scope)
    if name in ("train", "eval"):
        return True
    return name.endswith("_") and not name.startswith("_")

