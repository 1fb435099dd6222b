"""Source offsets of chosen libcst nodes, from one code-generation pass.

libcst's `PositionProvider` records a line/column range for every node (about 1.7x the parse on
this machine). The codemod needs ranges for a few dozen nodes per file, and character offsets are
what a text edit wants, so this state counts characters and records only the nodes asked for (by
`id`: a node's own `__hash__` is a Python call, and this pass meets every node twice).
Because libcst round-trips source exactly, the offsets index the original text.
"""

from __future__ import annotations

from bisect import bisect_right
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

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


def offsets(module: Module, wanted, strings: bool = False) -> tuple[dict, dict, list]:
    """(syntactic spans, whitespace-inclusive spans) of the wanted nodes, as character offsets, and (strings)
    the (start, end, node) of each string literal (else []).

    A node without a syntactic position of its own (statements, some wrappers) gets its
    whitespace-inclusive span in the first dict as well.
    """
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
