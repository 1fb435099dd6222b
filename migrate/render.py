"""Rewrites rendered as text edits on the original source (innermost first, so an outer call takes its
arguments with the inner rewrites applied), then the fixed file: imports added once, torch imports the
rewrites made unused dropped."""

from __future__ import annotations

import ast
import re
from bisect import bisect_left

import libcst as cst

from migrate import rewrite, rules
from migrate.analyze import is_torch
from migrate.sites import Site

WIDE_RE = re.compile(r"\b(float64|int64|uint64|complex128|double)\b")


class Renderer:
    """Source text of spans with the applicable rewrites inside them applied (innermost first)."""

    def __init__(self, text: str, spans: dict, outer: dict, edits: list[Site], roots: dict, unsafe: bool = False,
                 torch_methods: frozenset = frozenset()):
        self.unsafe = unsafe
        self.torch_methods = torch_methods  # tensor methods JAX arrays lack (`detach`, `permute`, `unsqueeze`)
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

    def _torch_left(self, new: str, record) -> str | None:
        """A torch-only tensor method called in the rewritten text (`latents.detach()` unreported because its
        receiver's type is unknown): the rewrite would leave half an expression in torch."""
        if not self.torch_methods:
            return None
        own = {m.group(2) for m in METHOD_CALL_RE.finditer(record.template or "")}  # what the record writes
        for m in METHOD_CALL_RE.finditer(AT_RE.sub("(", new)):
            if m.group(2) in self.torch_methods and m.group(2) not in own and \
                    m.group(1).split(".")[0] not in MODULE_ROOTS:
                return m.group(2)
        return None

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
        left = self._torch_left(new, site.record)
        if left:
            site.rendered, site.applicable = None, False
            site.message = (f"not applied: .{left}() inside it is a torch method that stays (its receiver is not "
                            "known to be a tensor), and half-converted code would fail; rewrite them together")
            return
        if dropped:
            site.message = (f"leaves out {', '.join(d + '=' for d in dropped)} (where arrays live: no effect on "
                            "values). " + site.message)
        if WIDE_RE.search(new) and site.status == "verified":
            site.status, site.rule = "caveat", rules.call_code("caveat", site.receiver is not None)
            site.applicable &= self.unsafe
            site.message = ("64-bit types: JAX computes in 32 bits unless jax.config.update('jax_enable_x64', "
                            "True) runs first, so this gives float32 / int32 where torch gives 64-bit. "
                            + site.message)


MODULE_ROOTS = frozenset(("jnp", "lax", "jax", "optax", "nnx", "np", "math"))
AT_RE = re.compile(r"\.at\[[^\]]*\]\.\w+\(")  # `x.at[i].add(v)`: JAX's indexed update
METHOD_CALL_RE = re.compile(r"([\w.]*)\.(\w+)\(")


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
    """The file with the applicable rewrites, the imports they need, without the torch imports they made unused,
    and (todo) a TODO comment on each line still needing work. Python's own parser (`ast`, ~20x libcst's)
    finds the imports and strings here: libcst parsed the file once already."""
    applied = [e for e in renderer.edits if e.applicable and e.rendered is not None]
    left = [f for f in report.findings if not f.fixable and f.confidence != "low"] if todo else []
    if not applied and not left:
        return text
    todos = _todos(text, left)
    if not applied and not todos:
        return text
    new = renderer.span_text(0, len(text), todos)
    if not applied:
        return new
    needed = sorted({r for e in applied for r in e.roots if renderer.roots[r] == r
                     and r not in reader.module_scope.bindings})
    after = _tree(new)
    if after is None:
        return new  # an invalid rewrite: the caller validates and writes nothing
    shift = (0, 0)
    if needed:
        order = ("jax", "jnp", "lax", "nnx", "optax", "np")
        new, shift = _insert_imports(new, after, "".join(rewrite.ROOTS[r][1] + "\n" for r in order if r in needed))
    return _drop_unused_torch_imports(text, new, after, shift)


def _tree(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _todos(text: str, findings: list) -> dict:
    """Line-end offset -> `  # TODO(jaxmigrate): JM123 reason` for each line that still needs work, so the fixed
    file is its own checklist. Lines that end inside a string or with a backslash get none."""
    by_line: dict[int, list] = {}
    for f in findings:
        by_line.setdefault(f.line, []).append(f)
    if not by_line:
        return {}
    lines = text.splitlines(keepends=True)
    blocked = _string_lines(text, set(by_line)) if ('"""' in text or "\'\'\'" in text or "\\\n" in text) \
        else set()
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


def _string_lines(text: str, wanted: set) -> set:
    """Of the `wanted` lines, those whose end may lie inside a string (a literal over several lines): the
    statements that span a wanted line are searched, not the whole file."""
    tree = _tree(text)
    if tree is None:
        return wanted
    stack, nodes = list(tree.body), []
    while stack:
        stmt = stack.pop()
        if not hasattr(stmt, "lineno"):  # a match case: its body has positions
            stack += stmt.body
            continue
        if stmt.end_lineno == stmt.lineno or not any(stmt.lineno <= n <= stmt.end_lineno for n in wanted):
            continue
        inner = [s for f in ("body", "orelse", "finalbody", "handlers", "cases") for s in getattr(stmt, f, ())
                 if isinstance(s, ast.AST)]
        stack += inner
        nodes.append(stmt if not inner else None)
        if inner:  # a compound statement: its header expressions (test, iter, items, decorators, bases, ...)
            nodes += [v for k, v in ast.iter_fields(stmt) if k not in ("body", "orelse", "finalbody", "handlers",
                                                                      "cases") and isinstance(v, ast.AST)]
            nodes += [x for k, v in ast.iter_fields(stmt) if isinstance(v, list) and k not in (
                "body", "orelse", "finalbody", "handlers", "cases") for x in v if isinstance(x, ast.AST)]
    blocked = set()
    for node in (n for top in nodes if top is not None for n in ast.walk(top)):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and node.end_lineno > node.lineno and \
                (isinstance(node, ast.JoinedStr) or isinstance(node.value, (str, bytes))):
            blocked.update(range(node.lineno, node.end_lineno))
    return blocked


def _insert_imports(text: str, tree: ast.Module, lines: str) -> tuple[str, tuple[int, int]]:
    """After the last top-level import of the leading block (or the docstring), once; with (line, count)."""
    body = tree.body
    last = None
    for i, stmt in enumerate(body):
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            last = i
        elif i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and \
                isinstance(stmt.value.value, str):
            last = 0
        elif last is not None or not isinstance(stmt, (ast.If, ast.Try)):
            break
    starts = _line_starts(text)
    count = lines.count("\n")
    if last is not None:
        line = body[last].end_lineno + 1  # the line after it (its own trailing comment stays with it)
    elif body:
        first = body[0]
        line = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", ()))])
    else:
        line = len(starts)
    at = starts[line - 1] if line - 1 < len(starts) else len(text)
    if at == len(text) and text and not text.endswith("\n"):
        lines, count = "\n" + lines, count + 1
    return text[:at] + lines + text[at:], (line, count)


def _line_starts(text: str) -> list[int]:
    starts, pos = [0], 0
    for line in text.splitlines(keepends=True):
        pos += len(line)
        starts.append(pos)
    return starts


def _drop_unused_torch_imports(before_text: str, after_text: str, after: ast.Module, shift: tuple) -> str:
    """Remove top-level torch imports whose names the rewrites made unused (imports unused before stay).

    `after` is the tree of the text before `shift` = (line, count) inserted `count` import lines at `line`.
    A name counts as used where it appears outside import lines, comments and strings included: that can only
    keep an import."""
    at, count = shift

    def lines_of(stmt) -> range:
        moved = count if stmt.lineno >= at and count else 0
        return range(stmt.lineno + moved, stmt.end_lineno + moved + 1)

    lines = after_text.splitlines(keepends=True)
    shared = {}  # line -> top-level statements on it
    for stmt in after.body:
        for n in lines_of(stmt):
            shared[n] = shared.get(n, 0) + 1
    edits = []  # (first line, last line, replacement text or "")
    for stmt in after.body:
        if isinstance(stmt, ast.Import):
            mods = [a.name for a in stmt.names]
        elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level and \
                not any(a.name == "*" for a in stmt.names):
            mods = [stmt.module] * len(stmt.names)
        else:
            continue
        span = lines_of(stmt)
        if any(shared[n] > 1 for n in span):
            continue  # `import torch; x = 1`: leave the line alone
        keep = []
        for a, mod in zip(stmt.names, mods):
            local = a.asname or (a.name.split(".")[0] if isinstance(stmt, ast.Import) else a.name)
            if not (is_torch(mod) and _used(before_text, local) and not _used(after_text, local)):
                keep.append(a)
        if len(keep) == len(stmt.names):
            continue
        if keep:
            first = lines[span[0] - 1]
            kept = ast.unparse(type(stmt)(**{**stmt.__dict__, "names": keep}))
            edits.append((span[0], span[-1], first[:len(first) - len(first.lstrip())] + kept + "\n"))
        else:
            edits.append((span[0], span[-1], ""))
    for first, last, replacement in reversed(edits):
        lines[first - 1:last] = [replacement] if replacement else []
    return "".join(lines)


IMPORT_LINE_RE = re.compile(r"^[ \t]*(import|from)[ \t].*$", re.M)


def _used(text: str, name: str) -> bool:
    """`name` appears in the text outside import lines (as a whole word)."""
    return re.search(rf"(?<![\w.]){re.escape(name)}\b", IMPORT_LINE_RE.sub("", text)) is not None
