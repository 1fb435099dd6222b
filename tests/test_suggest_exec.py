"""Executed fixtures for `jaxmigrate suggest --fix` (tests/fixtures/suggest_exec/): never a wrong value.

Each fixture is a small torch program: `run(*INPUTS)` computes something. Its header says what `--fix`
must do with it:
- `# expect: exec`: every torch call is rewritten; the fixed program runs on JAX arrays and gives the same
  numbers as the torch program (float32 tolerance: op order);
- `# expect: todo JM123 <text>`: the line containing <text> is left as written, with a
  `# TODO(jaxmigrate): JM123 ...` comment (the rewrite would change a value, so it stays manual);
- `# expect: unchanged`: nothing in it is torch (str, dict, list, numpy receivers): the file stays as is.
The torch program always runs, so each fixture is real code; a second `--fix` changes nothing.
"""

import glob
import os
import re

import numpy as np
import pytest

import mapping
from migrate.findings import Catalogue, Options, examine
from migrate.suggest import validate

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "suggest_exec")
FIXTURES = sorted(glob.glob(os.path.join(HERE, "*.py")))
CATALOGUE = Catalogue(mapping.load())
RTOL, ATOL = 1e-5, 1e-6  # float32: the frameworks order some reductions differently
TODO_RE = re.compile(r"  # TODO\(jaxmigrate\): (JM\d+(?:, JM\d+)*) .*$")


def expectations(source: str) -> list[tuple[str, ...]]:
    return [tuple(line[len("# expect: "):].split(" ", 2)) for line in source.splitlines()
            if line.startswith("# expect: ")]


def fix(source: str) -> str:
    return examine("fixture.py", source, CATALOGUE, Options(render=True, todo=True)).fixed


def execute(source: str, array):
    namespace: dict = {"__name__": "fixture"}
    exec(compile(source, "fixture.py", "exec"), namespace)
    return namespace["run"](*[array(a) for a in namespace["INPUTS"]])


def numbers(out):
    """Arrays of either framework, and containers of them, as numpy."""
    if isinstance(out, (tuple, list)):
        return [numbers(o) for o in out]
    if isinstance(out, dict):
        return {k: numbers(v) for k, v in out.items()}
    if isinstance(out, torch.Tensor):
        return out.detach().numpy()
    return np.asarray(out) if hasattr(out, "__array__") else out


def assert_same(got, want, where="out"):
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same(g, w, f"{where}[{i}]")
    elif isinstance(want, np.ndarray):
        assert got.shape == want.shape, f"{where}: shape {got.shape} vs torch {want.shape}"
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=where)
    else:
        assert got == want, where


def test_every_class_has_an_executed_and_a_manual_fixture():
    names = {os.path.basename(p)[:-3] for p in FIXTURES}
    for cls in ("dropped_args", "defaults", "runtime_values", "layout", "api_read", "half_converted"):
        assert {f"{cls}_exec", f"{cls}_manual"} <= names, cls
    assert {"optimizer_groups_manual", "module_calls_manual", "non_tensor_unchanged"} <= names


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: os.path.basename(p)[:-3])
def test_fixture(path):
    source = open(path, encoding="utf-8").read()
    expect = expectations(source)
    assert expect, "a fixture says what --fix must do with it"
    fixed = fix(source)
    assert validate(path, fixed) == ""
    assert fix(fixed) == fixed, "a second --fix changed the file"
    want = numbers(execute(source, torch.tensor))  # the torch program runs
    original = {line.strip() for line in source.splitlines()}
    for kind, *rest in expect:
        if kind == "exec":
            assert "TODO(jaxmigrate)" not in fixed, fixed
            code = "\n".join(ln for ln in fixed.splitlines()[1:] if not ln.startswith(("import", "from", "#")))
            assert not re.search(r"(?<![\w.])(torch|nn|F)\.[\w.]+\(", code), f"a torch call is left:\n{fixed}"
            import jax.numpy as jnp

            assert_same(numbers(execute(fixed, jnp.asarray)), want)
        elif kind == "unchanged":
            assert fixed == source
            assert_same(numbers(execute(fixed, np.asarray)), want)
        else:
            assert kind == "todo", kind
            code, text = rest
            lines = [ln for ln in fixed.splitlines() if text in ln and not ln.startswith("# expect")]
            assert lines, f"no line with {text!r} in the fixed file:\n{fixed}"
            m = TODO_RE.search(lines[0])
            assert m and code in m.group(1).split(", "), f"no TODO {code} on: {lines[0]}"
            assert lines[0][:m.start()].strip() in original, f"the line was rewritten: {lines[0]}"


def test_fix_marks_what_is_left_and_summarises_each_file(tmp_path, capsys):
    """`--fix` writes a TODO comment on each line still needing work and prints one summary line per file."""
    from migrate import suggest

    path = tmp_path / "m.py"
    path.write_text("import torch\n\n\ndef f(x: torch.Tensor, y, mode):\n    a = torch.cat([x, x])\n"
                    "    return torch.div(a, y, rounding_mode=mode)\n")
    assert suggest.run([str(path)], mode="fix") == 0
    text = path.read_text()
    assert "jnp.concatenate([x, x])" in text
    assert "return torch.div(a, y, rounding_mode=mode)  # TODO(jaxmigrate): JM106 rounding_mode=mode" in text
    out = capsys.readouterr().out
    assert f"{path}: 2 torch call sites, 1 rewritten, 1 left to do (JM106 x1)" in out


def test_todo_says_why_a_rewrite_was_left():
    """A caveat rewrite, or one on a receiver not proven a tensor, is left by --fix: its TODO says so, not only the
    record's note (which says what differs)."""
    source = ("import torch\n\n\ndef f(x: torch.Tensor, cm):\n    c = torch.cumsum(x, dim=0)\n"
              "    d = cm.diagonal()\n    return c, d\n")
    lines = examine("m.py", source, CATALOGUE, Options(render=True, todo=True)).fixed.splitlines()
    assert lines[4].startswith("    c = torch.cumsum(x, dim=0)  # TODO(jaxmigrate): JM102 caveat, applied by "
                               "--unsafe-fixes: "), lines[4]
    assert lines[5].startswith("    d = cm.diagonal()  # TODO(jaxmigrate): JM201 receiver not known to be a tensor, "
                               "applied by --unsafe-fixes: "), lines[5]


def test_a_parameter_rebound_to_its_copy_is_changed_by_rebinding():
    """`target = target.clone(); target[m] = 0`: only the copy reaches the store (the parameter's binding comes
    before the clone), so both are rewritten; with another binding that may reach it (`if flag: y = x`), both
    stay, and the clone's reason is the store that stays torch."""
    source = ("import torch\n\n\ndef f(target: torch.Tensor, m):\n    target = target.clone()\n"
              "    target[m] = 0\n    return target\n")
    fixed = examine("m.py", source, CATALOGUE, Options(render=True)).fixed
    assert "    target = target.at[m].set(0)\n" in fixed and ".clone()" not in fixed, fixed
    source = ("import torch\n\n\ndef f(x: torch.Tensor, flag):\n    y = x.clone()\n    if flag:\n        y = x\n"
              "    y[0] = 0\n    return y\n")
    found = {f.api: f for f in examine("m.py", source, CATALOGUE, Options(render=True)).findings}
    assert not found["torch.Tensor.clone"].fixable and not found["torch.Tensor.__setitem__"].fixable
    assert "an in-place change of the copy (a call or an item store) stays torch" in \
        found["torch.Tensor.clone"].message


def test_module_subclass_message_names_the_torch_layer_it_extends():
    """`class C(nn.Conv1d)` calling super().forward: the message names nn.Conv1d (it said `C(nn.Module)`)."""
    source = ("import torch.nn as nn\n\n\nclass C(nn.Conv1d):\n    def forward(self, x):\n"
              "        return super().forward(x)\n")
    found = [f for f in examine("m.py", source, CATALOGUE, Options()).findings if f.rule == "JM301"]
    assert found and found[0].message.startswith("class C(nn.Conv1d) -> flax.nnx.Module"), found
    assert "what it inherits from nn.Conv1d (its weights, super().forward)" in found[0].message


def test_a_record_whose_signature_takes_the_call_gives_the_reason():
    """torch.median(x, dim=d, keepdim=True): the reason is the [dim] entry's (values and indices), not "dim= is not
    in torch's signature" from the global-median entry; torch.std's legacy unbiased= is its own entry."""
    source = ("import torch\n\n\ndef f(x: torch.Tensor, d: int):\n    a = torch.median(x, dim=d, keepdim=True)\n"
              "    return a, torch.std(x, dim=-1, unbiased=False)\n")
    found = {f.api: f for f in examine("m.py", source, CATALOGUE, Options()).findings}
    assert found["torch.median"].entry == "torch.median[dim]", found["torch.median"]
    assert "not in torch's signature" not in found["torch.median"].message
    assert found["torch.std"].entry == "torch.std[unbiased]", found["torch.std"]


def test_a_copy_used_only_for_its_size_is_only_read():
    """`y = x.clone(); n = y.size(0) * y.dim()`: size reads leave the copy as it is (it was held as 'may change')."""
    source = ("import torch\n\n\ndef f(x: torch.Tensor):\n    y = x.clone()\n    n = y.size(0) * y.dim()\n"
              "    return y * n\n")
    fixed = fix(source)
    assert "    y = x\n    n = y.shape[0] * y.ndim\n" in fixed, fixed
    want = execute(source.replace("def f", "INPUTS = ([1.0, 2.0],)\n\n\ndef run"), torch.tensor)
    import jax.numpy as jnp

    assert_same(numbers(execute(fixed.replace("def f", "INPUTS = ([1.0, 2.0],)\n\n\ndef run"), jnp.asarray)),
                numbers(want))


def test_todo_reason_is_not_cut_at_an_abbreviation():
    """The TODO quotes the reason's first sentence: 'e.g. `rngs = ...`' does not end it (it read '..., e.g')."""
    source = ("import torch\nfrom torch import nn\n\n\nclass M(nn.Module):\n    def __init__(self):\n"
              "        super().__init__()\n        self.fc = nn.Linear(2, 3)\n")
    [line] = [ln for ln in fix(source).splitlines() if "self.fc = nn.Linear(2, 3)" in ln]
    assert "needs `rngs`, an nnx.Rngs, e.g. `rngs = nnx.Rngs(0)` or an" in line, line


def test_file_summary_numbers_add_up(tmp_path, capsys):
    """Call sites = rewritten + left + low confidence; structural findings are counted apart (they were added to
    'left to do', which then exceeded the call sites: '66 torch call sites, 40 rewritten, 33 left to do')."""
    from migrate import suggest

    path = tmp_path / "m.py"
    path.write_text("import torch\n\n\ndef f(x: torch.Tensor, y, mode):\n    a = torch.cat([x, x])\n"
                    "    a = a.cuda()\n    b = y.sum(-1)\n    return torch.div(a, b, rounding_mode=mode)\n")
    assert suggest.run([str(path)], mode="fix") == 0
    out = capsys.readouterr().out
    assert (f"{path}: 3 torch call sites, 1 rewritten, 1 left to do (JM106 x1), 1 not rewritten (low confidence: "
            "the receiver may not be a tensor); 1 structural (0 rewritten, 1 left)") in out, out


def test_todo_of_a_record_without_notes_shows_its_rewrite():
    """A record with no note had '-> jax.numpy.exp' as its TODO reason; the TODO now shows what it would write."""
    source = "import torch\n\n\ndef kl(logvar_p, logvar_q):\n    return logvar_p.exp() / logvar_q\n"
    [line] = [ln for ln in fix(source).splitlines() if "logvar_p.exp()" in ln]
    assert line.endswith("receiver not known to be a tensor, applied by --unsafe-fixes: the rewrite is "
                         "jnp.exp(logvar_p)"), line
