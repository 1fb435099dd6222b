"""Property tests for `jaxmigrate suggest`: never raises, --fix output parses, --fix is idempotent.

Programs are generated from torch-flavoured statement pieces (aliases, nested calls, methods,
comments, classes, loops), and real files are mutated by dropping and duplicating lines.
"""

import os

from hypothesis import given, settings
from hypothesis import strategies as st

import mapping
from migrate.findings import Catalogue, Options, examine
from migrate.suggest import process, validate

CATALOGUE = Catalogue(mapping.load())
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HEADERS = ["import torch\n", "import torch as th\ntorch = th\n", "from torch import cat, nn\n",
           "import torch.nn.functional as F\nimport torch\n", "from torch import *\n", "import numpy as torch\n",
           "import torch\nimport jax.numpy as jnp\n", "import torch\nimport jax.numpy as jn\njnp = 3\n"]
EXPRS = ["torch.cat([a, b], dim=0)", "torch.cat((a, torch.cat([b, c])), 1)", "F.gelu(x)", "cat([a])",
         "F.gelu(x, approximate='tanh')", "torch.randn(2, 3).view(6)", "x.view(2, -1)", "x.sum()",
         "torch.zeros(3).to(device)", "torch.cat(*xs)", "torch.cat([a], out=o)", "nn.Linear(2, 3)",
         "(a @ b).transpose(0, 1)", "torch.cat([a,  # c\n b])", "torch.no_such(1)", "jnp.zeros(2)", "np.sum(a)",
         "torch.concat([a, b], dim=-1).view(-1).sum()", "lambda t: torch.cat([t, t])", "x[0].view(2)"]
STATEMENTS = st.one_of(
    st.sampled_from(EXPRS).map(lambda e: f"y = {e}\n"),
    st.sampled_from(EXPRS).map(lambda e: f"{e}  # note\n"),
    st.sampled_from(EXPRS).map(lambda e: f"def f(x, a=None, b=None):\n    return {e}\n"),
    st.sampled_from(EXPRS).map(lambda e: f"class M(nn.Module):\n    def forward(self, x):\n        return {e}\n"),
    st.sampled_from(EXPRS).map(lambda e: f"for xb in data:\n    opt.zero_grad()\n    loss = {e}\n"
                                         "    loss.backward()\n    opt.step()\n"),
    st.sampled_from(EXPRS).map(lambda e: f"with torch.no_grad():\n    x[0] = {e}\n"),
    st.just("torch.manual_seed(0)\n"), st.just("model.eval()\n"), st.just("x.add_(1)\n"),
)
PROGRAMS = st.builds(lambda h, body: h + "".join(body), st.sampled_from(HEADERS), st.lists(STATEMENTS, max_size=8))


def check(source: str, unsafe: bool) -> None:
    report = examine("gen.py", source, CATALOGUE, Options(unsafe=unsafe, render=True))
    assert validate("gen.py", report.fixed) == "", report.fixed
    again = examine("gen.py", report.fixed, CATALOGUE, Options(unsafe=unsafe, render=True))
    assert again.fixed == report.fixed, "second --fix changed the file"


@settings(max_examples=60, deadline=None)
@given(PROGRAMS, st.booleans())
def test_generated_programs(source, unsafe):
    check(source, unsafe)


REAL = open(os.path.join(ROOT, "examples", "train_torch.py"), encoding="utf-8").read().splitlines(True)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(REAL) - 1), st.sampled_from(["drop", "dup"])), max_size=6))
def test_mutated_real_file_never_raises(tmp_path_factory, edits):
    lines = list(REAL)
    for i, op in sorted(edits, reverse=True):
        if i < len(lines):
            if op == "drop":
                del lines[i]
            else:
                lines.insert(i, lines[i])
    path = tmp_path_factory.mktemp("m") / "m.py"
    path.write_text("".join(lines))
    out = process(str(path), "fix", (), (), True)  # a file that does not parse is an error, never an exception
    if out.errors:
        assert all(": error: " in e for e in out.errors) and not out.changed
    else:
        fixed = path.read_text()
        assert validate(str(path), fixed) == ""
        assert not process(str(path), "fix", (), (), True).changed
