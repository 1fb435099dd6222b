"""Source offsets of chosen libcst nodes, from one code-generation pass.

libcst's `PositionProvider` records a line/column range for every node (about 1.7x the parse on
this machine). The codemod needs ranges for a few dozen nodes per file, and character offsets are
what a text edit wants, so this state counts characters and records only the nodes asked for (by
`id`: a node's own `__hash__` is a Python call, and this pass meets every node twice).
Because libcst round-trips source exactly, the offsets index the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

import libcst as cst
from libcst import ConcatenatedString, FormattedString, Module, SimpleString
from libcst._nodes.internal import CodegenState

STRINGS = frozenset((SimpleString, ConcatenatedString, FormattedString))
_NOTHING = nullcontext()  # the syntactic position of a node nobody asked for: nothing to record


@dataclass
class _OffsetState(CodegenState):
    wanted: frozenset = frozenset()  # ids of the nodes asked for
    strings: bool = False  # also record the spans of string literals
    spans: dict = field(default_factory=dict)  # node -> (start, end), syntactic (no owned whitespace)
    outer: dict = field(default_factory=dict)  # node -> (start, end), including owned whitespace/comments
    string_spans: list = field(default_factory=list)
    offset: int = 0
    _starts: list = field(default_factory=list)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.offset += len(token)

    def add_token(self, value: str) -> None:
        self.offset += len(value)  # only the count: the text is the original

    def pop_trailing_newline(self) -> None:
        pass  # no tokens are kept, and the file's end is nobody's span

    def before_codegen(self, node) -> None:
        if id(node) in self.wanted:
            self._starts.append(self.offset)

    def after_codegen(self, node) -> None:
        if id(node) in self.wanted:
            self.outer[node] = (self._starts.pop(), self.offset)

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        if id(node) in self.wanted:
            return self._record(node, start_node, end_node)
        if self.strings and type(node) in STRINGS:
            return _StringSpan(self, node)
        return _NOTHING

    @contextmanager
    def _record(self, node, start_node, end_node):
        start = self.offset
        yield
        end = self.offset
        if start_node is not None and start_node in self.spans:
            start = self.spans[start_node][0]
        if end_node is not None and end_node in self.spans:
            end = self.spans[end_node][1]
        self.spans[node] = (start, end)


class _StringSpan:
    """Records the span of one string literal (a plain class: one is made for each literal in the file)."""

    __slots__ = ("state", "start", "node")

    def __init__(self, state: _OffsetState, node):
        self.state, self.node = state, node

    def __enter__(self) -> None:
        self.start = self.state.offset

    def __exit__(self, *exc) -> None:
        self.state.string_spans.append((self.start, self.state.offset, self.node))


def offsets(module: Module, wanted, strings: bool = False, text: str | None = None, lines: Lines | None = None,
            units: dict | None = None) -> tuple[dict, dict, list]:
    """(syntactic spans, whitespace-inclusive spans) of the wanted nodes, as character offsets, and (strings)
    the (start, end, node) of each string literal (else []).

    A node without a syntactic position of its own (statements, some wrappers) gets its
    whitespace-inclusive span in the first dict as well. Given the module's `text`, its `lines` and `units`
    (id of a node -> the innermost statement or clause holding it), only those statements are generated
    (strings: the literals in them); otherwise, or where that fails a check, the whole module is.
    """
    if text is not None and lines is not None and units is not None:
        found = _lazy(module, text, lines, wanted, units, strings)
        if found is not None:
            return found
    state = _OffsetState(default_indent=module.default_indent, default_newline=module.default_newline,
                         wanted=frozenset(map(id, wanted)), strings=strings)
    module._codegen(state)
    spans = dict(state.outer)
    spans.update(state.spans)
    return spans, state.outer, state.string_spans


class Lines:
    """Offset <-> 1-based line and column in one source text."""

    def __init__(self, text: str):
        self.starts = [0]
        i = text.find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = text.find("\n", i + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line_start(self, offset: int) -> int:
        """The offset where the line holding `offset` starts."""
        return self.starts[bisect_right(self.starts, offset) - 1]

    def next_line(self, offset: int, end: int) -> int:
        """The offset where the line after the one holding `offset` starts (`end` on the last line)."""
        line = bisect_right(self.starts, offset)
        return self.starts[line] if line < len(self.starts) else end


# -- the lazy pass: code generation only for the statements that hold a wanted node -----------------------------
#
# A statement or clause starts at a line start: its leading comment / blank lines (one line each), then its first
# logical line (a decorator or its header). The logical lines come from a scan of the text (strings and comments
# masked, brackets counted), paired in order with the statements of the tree; a statement whose line is known can
# be generated on its own, from that offset, with the indentation of its blocks. Every token generated is compared
# with the text at its offset, so a wrong pairing raises and the whole file falls back to the full pass.

# A string's prefix (r, b, f) does not change where it ends: in raw strings too a backslash escapes the quote.
STRING_OR_COMMENT_RE = re.compile(
    r"#[^\n]*"
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"", re.S)
CLAUSES = (cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally)
# Where the generation of a header stops: its body, or the next clause.
STOPS = frozenset((cst.IndentedBlock, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally, cst.If,
                   cst.MatchCase))


class _Stop(Exception):
    """A header's generation reached its body."""


class _Mismatch(Exception):
    """Generated text differs from the source: the pairing of lines and statements is wrong."""


def _mask(match: re.Match) -> str:
    token = match.group(0)
    if token[0] == "#":
        return ""
    return "S" + "\n\x01" * token.count("\n")  # lines inside a string are marked: no statement starts there


def logical_lines(text: str) -> list[int]:
    """The 1-based line numbers where logical lines start (not inside brackets, strings or a backslash
    continuation; blank and comment-only lines are not logical lines)."""
    found, depth, joined = [], 0, False
    for number, line in enumerate(STRING_OR_COMMENT_RE.sub(_mask, text).split("\n"), start=1):
        if not joined and depth == 0 and line[:1] != "\x01" and line.strip():
            found.append(number)
        if "(" in line or ")" in line or "[" in line or "]" in line or "{" in line or "}" in line:
            depth += line.count("(") + line.count("[") + line.count("{") - line.count(")") - line.count("]") - \
                line.count("}")
        joined = line.rstrip("\r").endswith("\\")
    return found


class _Layout:
    """Each statement and clause of a module with the line of its first logical line, its header's line and the
    indentation in force; None from `of` when the tree and the scanned lines do not pair."""

    def __init__(self, module: Module):
        self.default = module.default_indent
        self.order: list = []  # one node per logical line: a decorator, a statement or a clause (its header)
        self.where: dict = {}  # id(statement or clause) -> (indent tokens, is an elif)
        self.line: dict = {}  # id(node in order) -> its logical line
        for s in module.body:
            self._statement(s, ())

    def pair(self, lines: list[int]) -> bool:
        if len(lines) != len(self.order):
            return False
        self.line = {id(node): n for node, n in zip(self.order, lines)}
        return True

    def _statement(self, s, indents: tuple, elif_: bool = False) -> None:
        self.where[id(s)] = (indents, elif_)
        if isinstance(s, cst.SimpleStatementLine):
            self.order.append(s)
            return
        if isinstance(s, (cst.Match, cst.MatchCase)):
            raise _Mismatch("match statements are generated whole")
        self.order.extend(getattr(s, "decorators", ()))
        self.order.append(s)
        self._body(s.body, indents)
        for tail in _clauses(s):
            if isinstance(tail, cst.If):
                self._statement(tail, indents, True)
            else:
                self.where[id(tail)] = (indents, False)
                self.order.append(tail)
                self._body(tail.body, indents)

    def _body(self, body, indents: tuple) -> None:
        if isinstance(body, cst.IndentedBlock):  # a SimpleStatementSuite is on its header's line
            inner = indents + (self.default if body.indent is None else body.indent,)
            for s in body.body:
                self._statement(s, inner)

    def start(self, node, lines: Lines) -> int:
        """Where the node's code starts: its leading lines, above its first decorator or its header."""
        decorators = getattr(node, "decorators", ())
        first = decorators[0] if decorators else node
        above = len(node.leading_lines) + (len(first.leading_lines) if decorators else 0)
        return lines.starts[self.line[id(first)] - 1 - above]

    def header(self, node, lines: Lines) -> int:
        return lines.starts[self.line[id(node)] - 1] + sum(map(len, self.where[id(node)][0]))


def _clauses(s) -> tuple:
    """The clauses after a compound statement's body, in order (an elif is an If)."""
    if isinstance(s, (cst.Try, cst.TryStar)):
        return (*s.handlers, *(c for c in (s.orelse, s.finalbody) if c is not None))
    orelse = getattr(s, "orelse", None)
    return (orelse,) if orelse is not None else ()


@dataclass
class _CheckedState(_OffsetState):
    """An offset state that generates single statements and checks every token against the source."""

    text: str = ""
    unit: object = None
    opened: dict = field(default_factory=dict)  # wanted node -> where its syntactic span started

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        if not self.text.startswith(value, self.offset) and \
                not (self.offset == len(self.text) and value == self.default_newline):  # no newline at the end
            raise _Mismatch(value)
        self.offset += len(value)

    def before_codegen(self, node) -> None:
        if type(node) in STOPS and node is not self.unit:
            raise _Stop
        if id(node) in self.wanted:
            self._starts.append(self.offset)

    @contextmanager
    def _record(self, node, start_node, end_node):
        self.opened[node] = self.offset
        with super()._record(node, start_node, end_node):
            yield


def _lazy(module: Module, text: str, lines: Lines, wanted, units: dict, strings: bool):
    """The offsets of `offsets`, generating only the statements that hold a wanted node (None: not possible here,
    use the full pass)."""
    if "\r" in text.replace("\r\n", "") or text.startswith("\ufeff"):
        return None
    try:
        layout = _Layout(module)
    except _Mismatch:
        return None
    if not layout.pair(logical_lines(text)):
        return None
    state = _CheckedState(default_indent=module.default_indent, default_newline=module.default_newline,
                          wanted=frozenset(map(id, wanted)), strings=strings, text=text)
    done: dict = {}

    def generate(node) -> int:
        """Generate a statement or clause from its start (a compound one up to its body); where it ended."""
        if id(node) not in done:
            indents, elif_ = layout.where[id(node)]
            state.offset, state.indent_tokens, state.unit, state._starts = layout.start(node, lines), \
                list(indents), node, []
            try:
                node._codegen(state, is_elif=True) if elif_ else node._codegen(state)
            except _Stop:
                pass
            done[id(node)] = state.offset
        return done[id(node)]

    def end(node) -> int:
        """Where a statement's or clause's code ends: the end of its last statement, and the blocks' footers."""
        tails = _clauses(node) if not isinstance(node, cst.SimpleStatementLine) else ()
        if tails:
            return end(tails[-1])
        body = getattr(node, "body", None)
        if not isinstance(body, cst.IndentedBlock):
            return generate(node)
        if not body.body:
            raise _Mismatch("an empty block")
        state.offset = end(body.body[-1])
        indents, _ = layout.where[id(body.body[-1])]
        state.indent_tokens, state.unit = list(indents), body
        for line in body.footer:
            line._codegen(state)
        return state.offset

    try:
        compound = []
        for node in wanted:
            if isinstance(node, cst.BaseCompoundStatement):
                compound.append(node)
                generate(node)
            elif isinstance(node, (cst.BaseSuite, *CLAUSES, cst.Decorator)):
                return None
            else:
                unit = units.get(id(node))
                if unit is None or id(unit) not in layout.where:
                    return None
                generate(unit)
        for node in compound:
            if node not in state.opened or state.opened[node] != layout.header(node, lines):
                return None
            finish = end(node)
            state.spans[node] = (state.opened[node], finish)
            state.outer[node] = (layout.start(node, lines), finish)
    except _Mismatch:
        return None
    spans = dict(state.outer)
    spans.update(state.spans)
    return spans, state.outer, state.string_spans
