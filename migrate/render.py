"""Rewrites rendered as text edits on the original source (innermost first, so an outer call takes its
arguments with the inner rewrites applied), then the fixed file: imports added once, torch imports the
rewrites made unused dropped."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import libcst as cst

from migrate import rewrite, rules
from migrate.analyze import is_torch
from migrate.positions import Lines
from migrate.sites import Site

WIDE_RE = re.compile(r"\b(float64|int64|uint64|complex128|double)\b")


class Renderer:
    """Source text of spans with the applicable rewrites inside them applied (innermost first)."""

    def __init__(self, text: str, spans: dict, outer: dict, edits: list[Site], roots: dict, unsafe: bool = False,
                 torch_methods: frozenset = frozenset(), fstrings: tuple = (), torch_roots: frozenset = frozenset()):
        self.fstrings = fstrings  # (start, end, quote) of each f-string
        self.torch_roots = torch_roots  # names bound to torch modules (`torch`, `F`, `nn`): calls, not methods
        self.unsafe = unsafe
        self.torch_methods = torch_methods  # tensor methods JAX arrays lack (`detach`, `permute`, `unsqueeze`)
        self.text = text
        self.spans = spans
        self.outer = outer
        self.edits = sorted(edits, key=lambda s: (s.span[0], -s.span[1]))
        self.starts = [e.span[0] for e in self.edits]
        self.roots = roots
        self.consumed: set | None = None

    def text_of(self, node) -> str:
        start, end = self.outer.get(node) or self.spans[node]  # with the node's own parentheses
        return self.span_text(start, end)

    def span_text(self, start: int, end: int, inserts: dict | None = None, anchors: list | None = None) -> str:
        """The source of text[start:end] with the applied rewrites in it; `inserts` (offset -> text) adds text
        at offsets outside them (the TODO comments); `anchors` gets (original offset, new offset) at the start of
        each stretch copied unchanged (`moved` maps offsets with them)."""
        out, pos = [], start
        copy = self._copier(out, inserts or {}, anchors) if inserts or anchors is not None else None
        for e in self.edits[bisect_left(self.starts, start):]:
            if e.span[0] >= end:
                break
            if e.span[0] < pos or e.span[1] > end:
                continue
            if not (e.applicable and e.rendered is not None):
                continue
            if copy:
                copy(pos, e.span[0])
            else:
                out.append(self.text[pos:e.span[0]])
            out.append(e.rendered)
            if self.consumed is not None:
                self.consumed.add(e)
                self.consumed.update(e.consumed)
            pos = e.span[1]
        if copy:
            copy(pos, end)
        else:
            out.append(self.text[pos:end])
        return "".join(out)

    def _copier(self, out: list, inserts: dict, anchors: list | None):
        """A function copying text[a:b] onto `out` with the inserts that fall in it, noting anchors."""
        offsets = sorted(inserts)
        size = [0, 0]  # characters in out[:size[1]]

        def copy(a: int, b: int) -> None:
            pos = a
            for at in offsets[bisect_left(offsets, a):bisect_left(offsets, b)]:
                piece(pos, at)
                out.append(inserts[at])
                pos = at
            piece(pos, b)

        def piece(a: int, b: int) -> None:
            if anchors is not None:
                size[0] += sum(map(len, out[size[1]:]))
                size[1] = len(out)
                anchors.append((a, size[0]))
            out.append(self.text[a:b])
        return copy

    def _text_for(self, site: Site):
        """`text_of` for this site's rewrite: with each literal -1 of a KEEP_SIZE argument written as the input's
        size there (`x.expand(B, -1, -1)` -> `(B, x.shape[-2], x.shape[-1])`); raises Manual where that cannot
        be exact."""
        sizes = kept_sizes(site)
        if not sizes:
            return self.text_of
        elements, holder, source = sizes
        if any(e is None for e in elements):
            raise rewrite.Manual("a -1 size keeps that dimension of the input, and a *splat hides which dimension "
                                 "it is: write the sizes out")
        if not _plain(source):
            raise rewrite.Manual("a -1 size keeps that dimension of the input, which the JAX code writes as "
                                 "<input>.shape[i]; the input here is an expression: bind it to a name first")
        n, base = len(elements), self.text_of(source)
        subs = {id(e): f"{base}.shape[{i - n}]" for i, e in enumerate(elements) if _minus_one(e)}
        if holder is not None:  # the sizes are one tuple / list display: rebuilt with the -1s replaced
            inner = ", ".join(subs.get(id(e)) or self.text_of(e) for e in elements)
            subs = {id(holder): f"({inner}{',' if n == 1 else ''})"}
        return lambda node: subs.get(id(node)) or self.text_of(node)

    def _torch_left(self, new: str, record) -> str | None:
        """A torch-only tensor method called in the rewritten text (`latents.detach()` unreported because its
        receiver's type is unknown): the rewrite would leave half an expression in torch."""
        if not self.torch_methods:
            return None
        own = {m.group(2) for m in METHOD_CALL_RE.finditer(record.template or "")}  # what the record writes
        if (record.jax or "").startswith("jax.Array."):
            own.add(record.jax.rsplit(".", 1)[1])  # a method kept by name (`x.tolist()` -> jax.Array.tolist)
        for m in METHOD_CALL_RE.finditer(AT_RE.sub("(", new)):
            root = m.group(1).split(".")[0]
            if m.group(2) in self.torch_methods and m.group(2) not in own and root not in MODULE_ROOTS and \
                    root not in self.torch_roots:  # `torch.bincount(...)` stays as a call with its own finding
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
            new, used, dropped = (site.build(self.text_of), set(), []) if site.build is not None else \
                rewrite.build(site.record, site.binding, self._text_for(site), site.receiver, self.roots)
        except rewrite.Manual as e:
            site.rendered, site.applicable, site.message = None, False, str(e)
            return
        finally:
            consumed, self.consumed = self.consumed, saved
            site.consumed = consumed
        quotes = {q for a, b, q in self.fstrings if a < site.span[0] and site.span[1] < b}
        if quotes and ("\\" in new or any(q in new for q in quotes)):
            site.rendered, site.applicable = None, False
            site.message = (f"inside an f-string: the rewrite ({new}) holds its quote or a backslash, which ends "
                            "the string before Python 3.12: rewrite it by hand")
            return
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
        whole = site.build is not None or rewrite.assignment_target(site.record) is not None or \
            self._standalone(site)
        site.rendered, site.roots = (new if whole else rewrite.wrap(new)), used
        left = self._torch_left(new, site.record)
        if left:
            site.rendered, site.applicable = None, False
            site.message = (f"not applied: .{left}() inside it is a torch method that stays (its receiver is not "
                            "known to be a tensor), and half-converted code would fail; rewrite them together")
            return
        if dropped:
            why = ("the parameters: optax transforms the params tree its update gets"
                   if dropped == ["params"] else "where arrays live: no effect on values")
            site.message = f"leaves out {', '.join(d + '=' for d in dropped)} ({why}). " + site.message
        if WIDE_RE.search(new) and site.status == "verified":
            site.status, site.rule = "caveat", rules.call_code("caveat", site.receiver is not None)
            site.applicable &= self.unsafe
            site.message = ("64-bit types: JAX computes in 32 bits unless jax.config.update('jax_enable_x64', "
                            "True) runs first, so this gives float32 / int32 where torch gives 64-bit. "
                            + site.message)


# Size arguments where torch reads -1 as "this dimension of the input, as it is" (API -> size parameter, input
# parameter): the JAX target knows no -1, so each literal -1 is written as the input's size there. Sizes align
# from the right (new leading dimensions come first), so the i-th of n sizes is `input.shape[i - n]`: exact.
KEEP_SIZE = {"torch.Tensor.expand": ("size", "self"), "torch.broadcast_to": ("size", "input")}


def kept_sizes(site: Site):
    """(size nodes (None for a *splat), the tuple / list display holding them or None, the input node) when the
    site's sizes hold a literal -1 that KEEP_SIZE rewrites; else None."""
    keep = KEEP_SIZE.get(site.record.torch) if site.record is not None and site.binding is not None else None
    if keep is None:
        return None
    args = site.binding.args.get(keep[0]) or []
    holder = None
    if len(args) == 1 and not args[0].star and isinstance(args[0].value, (cst.Tuple, cst.List)):
        holder = args[0].value
        elements = [None if isinstance(e, cst.StarredElement) else e.value for e in holder.elements]
    else:
        elements = [None if a.star else a.value for a in args]
    if not any(e is not None and _minus_one(e) for e in elements):
        return None
    source = site.receiver if keep[1] == "self" else (site.binding.args.get(keep[1]) or [None])[0]
    return elements, holder, source.value if isinstance(source, cst.Arg) else source


def _minus_one(node) -> bool:
    return isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and \
        isinstance(node.expression, cst.Integer) and node.expression.evaluated_value == 1


def _plain(node) -> bool:
    """A name or an attribute chain (`x`, `self.pos`): written twice, it is evaluated to the same thing."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


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


def fixed_text(text: str, module: cst.Module, reader, renderer: Renderer, spans: dict, lines: Lines, strings: list,
               report, todo: bool = False) -> str:
    """The file with the applicable rewrites, the imports they need, without the torch imports they made unused,
    and (todo) a TODO comment on each line still needing work. Where imports go and which are unused is read
    from the libcst tree and the offsets of one code-generation pass (`import_nodes`, `strings`): the file is
    parsed once."""
    applied = [e for e in renderer.edits if e.applicable and e.rendered is not None]
    left = [f for f in report.findings if not f.fixable and f.confidence != "low"] if todo else []
    if not applied and not left:
        return text
    todos = _todos(text, left, strings, lines)
    if not applied and not todos:
        return text
    anchors: list = []
    new = renderer.span_text(0, len(text), todos, anchors)
    if not applied:
        return new
    moved = _mover(anchors)
    needed = sorted({r for e in applied for r in e.roots if renderer.roots[r] == r
                     and r not in reader.module_scope.bindings})
    edits = _unused_torch_imports(text, new, module, spans, lines, moved)  # (start, end, replacement) in new
    if needed:
        order = ("jax", "jnp", "lax", "nnx", "optax", "np")
        block = "".join(rewrite.ROOTS[r][1] + "\n" for r in order if r in needed)
        at = moved(_import_point(text, module, spans, lines))
        if at == len(new) and new and not new.endswith("\n"):
            block = "\n" + block
        edits.append((at, at, block))
    for start, end, replacement in sorted(edits, reverse=True):
        new = new[:start] + replacement + new[end:]
    return new


def _mover(anchors: list):
    """Original offset -> its offset in the new text (for offsets outside the rewritten spans)."""
    starts = [a for a, _ in anchors]

    def moved(offset: int) -> int:
        i = bisect_right(starts, offset) - 1
        return anchors[i][1] + offset - anchors[i][0] if i >= 0 else offset
    return moved


def _small_statements(module: cst.Module):
    """The module's top-level statements as Python's ast lists them (`import a; import b` is two)."""
    for stmt in module.body:
        yield from stmt.body if isinstance(stmt, cst.SimpleStatementLine) else (stmt,)


def _docstring(node) -> bool:
    return isinstance(node, cst.Expr) and isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString)) \
        and isinstance(node.value.evaluated_value, str)


def _leading_import(module: cst.Module):
    """The last import of the leading block (or the docstring) after which added imports go, else None.
    `if` / `try` statements may come before the first import (`try: import x`), nothing else."""
    last = None
    for i, stmt in enumerate(_small_statements(module)):
        if isinstance(stmt, (cst.Import, cst.ImportFrom)) or (i == 0 and _docstring(stmt)):
            last = stmt
        elif last is not None or not isinstance(stmt, (cst.If, cst.Try)):
            break
    return last


def _top_imports(module: cst.Module) -> list:
    """Top-level imports alone on their line(s): the ones an unused torch name may be removed from."""
    return [stmt.body[0] for stmt in module.body if isinstance(stmt, cst.SimpleStatementLine)
            and len(stmt.body) == 1 and isinstance(stmt.body[0], (cst.Import, cst.ImportFrom))]


def import_nodes(module: cst.Module) -> list:
    """The nodes whose offsets `fixed_text` needs: the insertion point for imports, and the top-level imports."""
    first = _leading_import(module) or (module.body[0] if module.body else None)
    return [n for n in (first, *_top_imports(module)) if n is not None]


def _import_point(text: str, module: cst.Module, spans: dict, lines: Lines) -> int:
    """Where added imports go: the line after the leading block's last import (or docstring); else the first
    line of the first statement (its decorators included, comments above it left above)."""
    last = _leading_import(module)
    if last is not None:
        return lines.next_line(spans[last][1] - 1, len(text))
    if not module.body:
        return len(text)
    at = lines.line_start(spans[module.body[0]][0])
    while True:
        end = text.find("\n", at)
        line = text[at:] if end < 0 else text[at:end]
        if end < 0 or (line.strip() and not line.lstrip().startswith("#")):
            return at
        at = end + 1


def _unused_torch_imports(before: str, after: str, module: cst.Module, spans: dict, lines: Lines, moved) -> list:
    """Edits on `after` removing top-level torch imports whose names the rewrites made unused (imports unused
    before stay). A name counts as used where it appears outside import lines, comments and strings included:
    that can only keep an import."""
    edits = []
    code: dict = {}  # the texts without their import lines, made once when needed

    def used(which: str, name: str) -> bool:
        if which not in code:
            code[which] = IMPORT_LINE_RE.sub("", before if which == "before" else after)
        word = re.escape(name)  # the literal first: the regex engine then skips to its occurrences
        return re.search(rf"{word}(?<![\w.]{word})\b", code[which]) is not None

    for node in _top_imports(module):
        if isinstance(node, cst.Import):
            names = [(_dotted(a.name), a) for a in node.names]
            head = "import "
        elif node.module is not None and not node.relative and not isinstance(node.names, cst.ImportStar):
            module_name = _dotted(node.module)
            names = [(module_name, a) for a in node.names]
            head = f"from {module_name} import "
        else:
            continue
        keep = []
        for mod, a in names:
            full = _dotted(a.name)
            local = a.asname.name.value if a.asname is not None else \
                full.split(".")[0] if isinstance(node, cst.Import) else full
            if not (is_torch(mod if isinstance(node, cst.ImportFrom) else full) and used("before", local)
                    and not used("after", local)):
                keep.append(full + (f" as {a.asname.name.value}" if a.asname is not None else ""))
        if len(keep) == len(names):
            continue
        start, end = spans[node]
        first = lines.line_start(start)
        replacement = before[first:start] + head + ", ".join(keep) + "\n" if keep else ""  # after its indent
        edits.append((moved(first), moved(lines.next_line(end - 1, len(before))), replacement))
    return edits


def _dotted(node) -> str:
    return node.value if isinstance(node, cst.Name) else f"{_dotted(node.value)}.{node.attr.value}"


def _todos(text: str, findings: list, strings: list, positions: Lines) -> dict:
    """Line-end offset -> `  # TODO(jaxmigrate): JM123 reason` for each line that still needs work, so the fixed
    file is its own checklist. Lines that end inside a string or with a backslash get none."""
    by_line: dict[int, list] = {}
    for f in findings:
        by_line.setdefault(f.line, []).append(f)
    if not by_line:
        return {}
    lines = text.splitlines(keepends=True)
    blocked = _string_lines(text, strings, positions)
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
        reason = found[0].message
        if reason.startswith("-> ") and found[0].replacement:  # a record without notes: show what it writes
            reason = f"the rewrite is {found[0].replacement}"
        todos[starts[n - 1] + len(body)] = f"  # {TODO}: {codes} {_why(found[0])}{_short(reason)}"
    return todos


def _why(finding) -> str:
    """Why a rewrite was left, where its message is the record's note (which says what differs, not that)."""
    if not finding.replacement or finding.message.startswith("not applied"):
        return ""
    if finding.status == "caveat":
        return "caveat, applied by --unsafe-fixes: "
    if finding.confidence == "medium":
        return "receiver not known to be a tensor, applied by --unsafe-fixes: "
    return ""


TODO = "TODO(jaxmigrate)"


def _short(message: str, width: int = 100) -> str:
    """The first sentence of a message, on one line."""
    text = " ".join(message.split())
    for stop in SENTENCE_END_RE, re.compile("; "):
        m = stop.search(text)
        if m:
            text = text[:m.start()]
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


SENTENCE_END_RE = re.compile(r"(?<!\be\.g)(?<!\bi\.e)\. ")  # `e.g. rngs = ...` does not end the sentence


def strings_needed(text: str) -> bool:
    """A string literal may span lines here (triple quotes, or a backslash before a line end)."""
    return '"""' in text or "\'\'\'" in text or "\\\n" in text


FSTRING_RE = re.compile(r"(?<![\w'\"])(?:[fF][rR]?|[rR][fF])['\"]")


def fstrings_possible(text: str) -> bool:
    """An f-string may be here: rewrites inside one must not bring its quote character (Python < 3.12)."""
    return FSTRING_RE.search(text) is not None


def _string_lines(text: str, strings: list, lines: Lines) -> set:
    """The lines whose end lies inside a string literal (one over several lines), from the literals' spans."""
    blocked: set = set()
    for start, end, _ in strings:
        if text.find("\n", start, end) >= 0:
            blocked.update(range(lines.position(start)[0], lines.position(end - 1)[0]))
    return blocked


IMPORT_LINE_RE = re.compile(r"^[ \t]*(import|from)[ \t].*$", re.M)
