"""Rewrites rendered as text edits on the original source (innermost first, so an outer call takes its
arguments with the inner rewrites applied), then the fixed file: imports added once, torch imports the
rewrites made unused dropped."""

from __future__ import annotations

import re
from bisect import bisect_left

import libcst as cst

from migrate import rewrite, rules
from migrate.analyze import dotted, is_torch
from migrate.positions import offsets
from migrate.sites import Site

WIDE_RE = re.compile(r"\b(float64|int64|uint64|complex128|double)\b")


class Renderer:
    """Source text of spans with the applicable rewrites inside them applied (innermost first)."""

    def __init__(self, text: str, spans: dict, outer: dict, edits: list[Site], roots: dict, unsafe: bool = False):
        self.unsafe = unsafe
        self.text = text
        self.spans = spans
        self.outer = outer
        self.edits = sorted(edits, key=lambda s: (s.span[0], -s.span[1]))
        self.roots = roots
        self.consumed: set | None = None

    def text_of(self, node) -> str:
        start, end = self.outer.get(node) or self.spans[node]  # with the node's own parentheses
        return self.span_text(start, end)

    def span_text(self, start: int, end: int, inserts: dict | None = None) -> str:
        """The source of text[start:end] with the applied rewrites in it; `inserts` (offset -> text) adds text
        at offsets outside them (the TODO comments)."""
        out, pos = [], start
        chunk = self._chunk(inserts) if inserts else (lambda a, b: self.text[a:b])
        for e in self.edits:
            if e.span[0] < pos or e.span[1] > end or e.span[0] < start:
                continue
            if not (e.applicable and e.rendered is not None):
                continue
            out.append(chunk(pos, e.span[0]))
            out.append(e.rendered)
            if self.consumed is not None:
                self.consumed.add(e)
                self.consumed.update(e.consumed)
            pos = e.span[1]
        out.append(chunk(pos, end))
        return "".join(out)

    def _chunk(self, inserts: dict):
        offsets = sorted(inserts)

        def chunk(a: int, b: int) -> str:
            parts, pos = [], a
            for at in offsets[bisect_left(offsets, a):bisect_left(offsets, b)]:
                parts += [self.text[pos:at], inserts[at]]
                pos = at
            parts.append(self.text[pos:b])
            return "".join(parts)
        return chunk

    def _standalone(self, site: Site) -> bool:
        """The call stands where any expression may (assignment value, argument, element): no parentheses needed."""
        before = self.text[:site.span[0]].rstrip()
        after = self.text[site.span[1]:].lstrip(" \t")
        left = not before or before[-1] in "([{,:\n;" or (before[-1] == "=" and before[-2:-1] not in "=<>!") or \
            before.endswith(("return", "yield"))
        right = not after or after[0] in ",)]}\n#;" or after.startswith("\r")
        return left and right

    def render(self, site: Site) -> None:
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
            site.message = (f"leaves out {', '.join(d + '=' for d in dropped)} (where arrays live: no effect on "
                            "values). " + site.message)
        if WIDE_RE.search(new) and site.status == "verified":
            site.status, site.rule = "caveat", rules.call_code("caveat", site.receiver is not None)
            site.applicable &= self.unsafe
            site.message = ("64-bit types: JAX computes in 32 bits unless jax.config.update('jax_enable_x64', "
                            "True) runs first, so this gives float32 / int32 where torch gives 64-bit. "
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


def fixed_text(text: str, module: cst.Module, reader, renderer: Renderer, spans: dict, outer: dict,
               report, todo: bool = False) -> str:
    applied = [e for e in renderer.edits if e.applicable and e.rendered is not None]
    todos = _todos(text, [f for f in report.findings if not f.fixable and f.confidence != "low"]) if todo else {}
    if not applied and not todos:
        return text
    new = renderer.span_text(0, len(text), todos)
    needed = sorted({r for e in applied for r in e.roots if renderer.roots[r] == r
                     and r not in reader.module_scope.bindings})
    try:
        if needed:
            order = ("jax", "jnp", "lax", "nnx", "optax", "np")
            new = _insert_imports(new, "".join(rewrite.ROOTS[r][1] + "\n" for r in order if r in needed))
        return _drop_unused_torch_imports(text, new)
    except cst.ParserSyntaxError:
        return new  # an invalid rewrite: the caller validates and writes nothing


def _todos(text: str, findings: list) -> dict:
    """Line-end offset -> `  # TODO(jaxmigrate): JM123 reason` for each line that still needs work, so the fixed
    file is its own checklist. Lines that end inside a string or with a backslash get none."""
    by_line: dict[int, list] = {}
    for f in findings:
        by_line.setdefault(f.line, []).append(f)
    if not by_line:
        return {}
    lines = text.splitlines(keepends=True)
    blocked = _string_lines(text) if ('"""' in text or "'''" in text) else set()
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    todos = {}
    for n, found in by_line.items():
        if n > len(lines) or n in blocked:
            continue
        line = lines[n - 1]
        body = line.rstrip("\r\n")
        if TODO in body or body.rstrip().endswith("\\"):
            continue
        codes = ", ".join(dict.fromkeys(f.rule for f in found))
        todos[starts[n - 1] + len(body)] = f"  # {TODO}: {codes} {_short(found[0].message)}"
    return todos


TODO = "TODO(jaxmigrate)"


def _short(message: str, width: int = 100) -> str:
    """The first sentence of a message, on one line."""
    text = " ".join(message.split())
    for stop in (". ", "; "):
        if stop in text:
            text = text[:text.index(stop)]
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _string_lines(text: str) -> set:
    """Lines whose end lies inside a string (a triple-quoted literal over several lines)."""
    import io
    import tokenize

    blocked = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
                blocked.update(range(tok.start[0], tok.end[0]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return set(range(1, text.count("\n") + 2))
    return blocked


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
