"""Source offsets (migrate/positions.py): the lazy pass, which generates only the statements holding a wanted node,
gives every node the span the full code-generation pass gives it, or declines and the full pass runs."""

import random

import libcst as cst
import pytest

from migrate import analyze, positions
from migrate.positions import Lines

TRICKY = '''#!/usr/bin/env python
# header comment

"""Module docstring
with lines"""
import torch  # trailing
import torch.nn as nn, os; import numpy as np

x = torch.zeros(3) \\
    + torch.ones(3)
s = f"{torch.zeros(1)!r} and {x}"
t = ('a'
     'b' "c")
if x is None: y = torch.ones(2)
elif x is not None: y = torch.zeros(2)
else:
    y = torch.rand(2)
    # footer of the else block

# leading lines of a decorated function
@torch.no_grad()
# between decorators
@staticmethod

def f(a: torch.Tensor = torch.zeros(1), *b, **c) -> torch.Tensor:
    """doc"""
    for i in range(3):
        a = a + torch.ones(1)
    else:
        pass
    while False:
        break
    else: a = torch.exp(a)
    try:
        a = torch.log(a)
    except (ValueError,
            TypeError) as e:
        raise
    except Exception: pass
    else:
        a = torch.sin(a)
    finally:
        a = torch.cos(a)
        # inner footer
    # outer footer
    with torch.no_grad(), open("f") as fh:
        q = """
        torch.zeros(
        """
    async def g():
        async with x as y:
            pass
        async for z in y:
            torch.tanh(z)
    return a
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(2, 3)
    def forward(self, x):
        return self.l(x).view(-1)
d = {
'k': torch.zeros(2),
}
for batch in loader:
    loss = model(batch)
    loss.backward()
    opt.step()
z = [
    1,
]; w = torch.sum(x)
if True:
\tif x:
\t\tpass  # tabs
# end comment
'''
SOURCES = {
    "tricky": TRICKY,
    "crlf": "import torch\r\nx = torch.zeros(3)\r\nif x:\r\n    y = torch.ones(2)  # c\r\n\r\n    # f\r\n",
    "no final newline": "import torch\nclass A:\n    def f(self):\n        return torch.zeros(3)",
    "string continuation": 'import torch\nx = "abc\\\ndef"; y = torch.ones(1)\nz = 1 + \\\n  torch.zeros(2)\n',
    "prefixed strings": "import torch\nx = rb'\\\\' + Rb\"\\\"\" ; y = torch.ones(1)  # 'unclosed\nz = f'''{x}\n'''\n",
}


class _All(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.nodes: list = []

    def on_visit(self, node) -> bool:
        self.nodes.append(node)
        return True


def _candidates(module, reader) -> list:
    """Nodes `examine` may ask offsets for: expressions and statements (not blocks, clauses or decorators)."""
    seen = _All()
    module.visit(seen)
    return [n for n in seen.nodes if not isinstance(n, (cst.BaseSuite, cst.Else, cst.ExceptHandler, cst.Finally,
                                                        cst.Decorator, cst.Module))
            and (id(n) in reader.units or isinstance(n, cst.BaseCompoundStatement))]


@pytest.mark.parametrize("name", SOURCES)
def test_lazy_offsets_are_the_full_pass_offsets(name):
    text = SOURCES[name]
    module = cst.parse_module(text)
    reader = analyze.read(module)
    nodes = _candidates(module, reader)
    compound = [n for n in nodes if isinstance(n, cst.BaseCompoundStatement)]
    draw = random.Random(0)
    for wanted in (nodes, compound, *(draw.sample(nodes, max(1, len(nodes) // k)) for k in (3, 7, 20))):
        for strings in (False, True):
            full = positions.offsets(module, wanted, strings)
            lazy = positions._lazy(module, text, Lines(text), wanted, reader.units, strings)
            assert lazy is not None, "the lazy pass declined"
            for node in wanted:
                assert lazy[0][node] == full[0][node] and lazy[1].get(node) == full[1].get(node), \
                    (type(node).__name__, text[slice(*full[0][node])])
            assert {(a, b) for a, b, _ in lazy[2]} <= {(a, b) for a, b, _ in full[2]}
    literals = [n for n in nodes if isinstance(n, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString))]
    if literals:  # every string of a generated statement is recorded
        lazy = positions._lazy(module, text, Lines(text), literals, reader.units, True)
        assert {(a, b) for a, b, _ in lazy[2]} == {(a, b) for a, b, _ in positions.offsets(module, literals, True)[2]}


@pytest.mark.parametrize("text", [
    "import torch\nmatch x:\n    case 1:\n        y = torch.zeros(3)\n",  # match statements: generated whole
    "import torch\rx = torch.zeros(3)\r",  # old Mac line ends
])
def test_lazy_offsets_decline_where_they_cannot_be_checked(text):
    module = cst.parse_module(text)
    reader = analyze.read(module)
    wanted = _candidates(module, reader)
    assert positions._lazy(module, text, Lines(text), wanted, reader.units, True) is None
    spans = positions.offsets(module, wanted, True, text, Lines(text), reader.units)[0]  # the full pass answers
    assert all(node in spans for node in wanted)


def test_a_wrong_pairing_of_lines_is_caught():
    """A scan that pairs a statement with the wrong line makes generated tokens differ from the text: declined."""
    text = "import torch\nx = torch.zeros(3)\ny = torch.ones(3)\n"
    module = cst.parse_module(text)
    reader = analyze.read(module)
    call = module.body[2].body[0].value
    original = positions.logical_lines
    try:
        positions.logical_lines = lambda t: [1, 3, 2]
        assert positions._lazy(module, text, Lines(text), [call], reader.units, False) is None
    finally:
        positions.logical_lines = original
    spans = positions._lazy(module, text, Lines(text), [call], reader.units, False)[0]
    assert spans[call] == (text.index("torch.ones"), len(text) - 1)


def test_logical_lines_skip_strings_brackets_comments_and_continuations():
    text = 'a = (1,\n     2)  # (\nb = """\n(\n"""\n# c\n\nc = 1 + \\\n  2\nd = "#"; e = 3\n'
    assert positions.logical_lines(text) == [1, 3, 8, 10]
