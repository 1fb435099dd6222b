"""Source offsets of chosen libcst nodes, from one code-generation pass.

libcst's `PositionProvider` records a line/column range for every node (about 1.7x the parse on
this machine). The codemod needs ranges for a few dozen nodes per file, and character offsets are
what a text edit wants, so this state counts characters and records only the nodes asked for.
Because libcst round-trips source exactly, the offsets index the original text.
"""

from __future__ import annotations

from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field

from libcst import Module
from libcst._nodes.internal import CodegenState


@dataclass
class _OffsetState(CodegenState):
    wanted: frozenset = frozenset()
    spans: dict = field(default_factory=dict)  # node -> (start, end), syntactic (no owned whitespace)
    outer: dict = field(default_factory=dict)  # node -> (start, end), including owned whitespace/comments
    offset: int = 0
    _starts: list = field(default_factory=list)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.tokens.append(token)
            self.offset += len(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.offset += len(value)

    def before_codegen(self, node) -> None:
        if node in self.wanted:
            self._starts.append(self.offset)

    def after_codegen(self, node) -> None:
        if node in self.wanted:
            self.outer[node] = (self._starts.pop(), self.offset)

    @contextmanager
    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        if node not in self.wanted:
            yield
            return
        start = self.offset
        yield
        end = self.offset
        if start_node is not None and start_node in self.spans:
            start = self.spans[start_node][0]
        if end_node is not None and end_node in self.spans:
            end = self.spans[end_node][1]
        self.spans[node] = (start, end)


def offsets(module: Module, wanted) -> tuple[dict, dict]:
    """(syntactic spans, whitespace-inclusive spans) of the wanted nodes, as character offsets.

    A node without a syntactic position of its own (statements, some wrappers) gets its
    whitespace-inclusive span in the first dict as well.
    """
    state = _OffsetState(default_indent=module.default_indent, default_newline=module.default_newline,
                         wanted=frozenset(wanted))
    module._codegen(state)
    spans = dict(state.outer)
    spans.update(state.spans)
    return spans, state.outer


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
