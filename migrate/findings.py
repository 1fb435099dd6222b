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
from migrate.positions import Lines, offsets
from migrate.render import Renderer, fixed_text
from migrate.sites import Catalogue, Site, message, method_confidence
from migrate.structure import DEVICE_METHODS, dtype_only, structure

__all__ = ["Catalogue", "Finding", "Options", "Report", "examine"]

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
    renderer = Renderer(text, spans, outer, edits, roots)
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
        report.fixed = fixed_text(text, module, reader, renderer, spans, outer, report)
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


def _api_site(call: cst.Call, qual: str, ambiguous: bool, catalogue: Catalogue, statement: bool) -> Site:
    found = catalogue.by_name.get(qual)
    if not found:
        return Site(call, qual, "unknown", rules.call_code("unknown", False),
                     f"{qual} is not in the catalogue yet: no checked JAX equivalent")
    return _linked(Site(call, qual, "", "", ""), found, call, ambiguous, statement)


def _linked(site: Site, found: list, call: cst.Call, ambiguous: bool, statement: bool) -> Site:
    """Link the site to the best record of its API, bound to the call's arguments when it has a rewrite.

    `statement`: the call is a whole expression statement (assignment templates apply only there).
    """
    method = site.receiver is not None
    record, binding, why = rewrite.choose(found, call, statement)
    site.record, site.status = record, record.status
    site.rule, site.message = rules.call_code(record.status, method), message(record, "")
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
                 statement: bool) -> Site | None:
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
    confidence = method_confidence(receiver, name, kind, record)
    if confidence is None:
        return None
    if record is None:
        return Site(call, api, "unknown", rules.call_code("unknown", True),
                     f".{name}() on a {'tensor' if kind == TENSOR else 'value that may be a tensor'}: "
                     "no catalogue record yet", confidence=confidence, receiver=receiver)
    return _linked(Site(call, api, "", "", "", confidence=confidence, receiver=receiver), found, call, False,
                   statement)



def _claimed(reader, name: str, call: cst.Call, scope, kind: str) -> bool:
    """Method calls a structural rule reports instead (device moves, train/eval, in-place ops)."""
    if name in DEVICE_METHODS:
        return not dtype_only(reader, call, scope)
    if name in ("train", "eval"):
        return True
    return name.endswith("_") and not name.startswith("_")

