"""`jaxmigrate convert` / `check` and migrate.weights (migrate/convert_model.py, check_model.py, weights.py).

Each fixture under tests/fixtures/convert/ is converted and checked against its torch original by the
independent checker; fixtures that convert does not yet get right are strict xfails with the reason,
so they flip the day the conversion is fixed.
"""

from __future__ import annotations

import ast
import os
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.check_model import check
from migrate.convert_model import MARK, convert

HERE = os.path.dirname(__file__)
FIXTURES = os.path.join(HERE, "fixtures", "convert")
NANOGPT_REF = os.path.join(HERE, "..", "nanogpt_jax", "torch_ref.py")

PASSING = {
    "resnet_block.py": ("TinyResNet()", "torch.randn(2, 3, 8, 8)"),
    "unet.py": ("UNet()", "torch.randn(2, 1, 8, 8)"),
    "vae.py": ("VAE()", "torch.rand(3, 20)"),
    "training_branch.py": ("NoisyMLP()", "torch.randn(4, 6)"),
    "lstm_lm.py": ("LSTMLM()", "torch.randint(0, 40, (2, 7))"),
    "gpt_tied.py": ("GPT()", "torch.randint(0, 50, (2, 16))"),
    "buffers_params.py": ("Model()", "torch.randn(3, 8)"),
    "attention_block.py": ("Block()", "torch.randn(2, 8, 16)"),
    "vq_codebook.py": ("Codebook()", "torch.randn(5, 6)"),
}


def _convert_to(tmp_path, name: str) -> str:
    src = os.path.join(FIXTURES, name)
    out = tmp_path / name.replace(".py", "_jax.py")
    with open(src, encoding="utf-8") as f:
        out.write_text(convert(f.read(), src).text)
    return str(out)


@pytest.mark.parametrize("name", sorted(PASSING))
def test_fixture_converts_and_matches_numerically(tmp_path, name):
    build, inputs = PASSING[name]
    report = check(os.path.join(FIXTURES, name), _convert_to(tmp_path, name), build, inputs, steps=0)
    assert report.stages[0].passed, report.as_text()
    assert report.stages[1].passed, report.as_text()
    assert any(k.startswith("grad ") for k in report.stages[1].errors)  # gradients were compared, not only outputs


def test_attention_with_dropout_is_torch_attention_and_drops_weights(tmp_path):
    """The helper convert writes for F.scaled_dot_product_attention(dropout_p=<expr>): written out, it equals
    torch's with no weight dropped (causal, bool and float masks, fully masked rows, rank 3, a value width of its
    own, more queries than keys), and drops about that fraction of the weights."""
    import jax
    import jax.numpy as jnp
    import torch
    import torch.nn.functional as F

    from migrate.check_model import load_file

    helper = load_file(_convert_to(tmp_path, "attention_block.py"), "_j_attention_block").attention_with_dropout
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, 3, 5, 4, generator=g) for _ in range(3))
    bool_mask = torch.rand(1, 1, 5, 5, generator=g) > 0.3
    bool_mask[..., 0] = True
    float_mask = torch.randn(1, 3, 5, 5, generator=g)
    rng = jax.random.key(0)
    empty = bool_mask.clone()
    empty[..., 2, :] = False  # query 2 attends to nothing: torch gives 0 there
    float_empty = float_mask.masked_fill(empty == 0, float("-inf"))
    wide = torch.randn(2, 3, 5, 6, generator=g)
    cases = [((q, k, v), {"is_causal": True}), ((q, k, v), {"attn_mask": bool_mask}),
             ((q, k, v), {"attn_mask": float_mask, "scale": 0.3}), ((q, k, v), {"attn_mask": empty}),
             ((q, k, v), {"attn_mask": float_empty}), ((q[0], k[0], wide[0]), {"is_causal": True}),
             ((q, k[:, :, :3], v[:, :, :3]), {"is_causal": True})]
    for (tq, tk, tv), kwargs in cases:
        want = F.scaled_dot_product_attention(tq, tk, tv, **kwargs).numpy()
        jargs = {n: jnp.asarray(a.numpy()) if isinstance(a, torch.Tensor) else a for n, a in kwargs.items()}
        jq, jk, jv = (jnp.asarray(t.numpy()) for t in (tq, tk, tv))
        for rate in (0.0, 1e-12):  # eval mode; dropout keeping every weight
            got = helper(jq, jk, jv, dropout_p=rate, rng=rng, **jargs)
            np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-6, err_msg=str(kwargs))
    eye = jnp.broadcast_to(jnp.eye(64), (1, 1, 64, 64))
    weights = helper(jnp.zeros((1, 1, 64, 8)), jnp.zeros((1, 1, 64, 8)), eye, dropout_p=0.25, rng=rng)
    dropped = float(jnp.mean(weights == 0))
    assert abs(dropped - 0.25) < 0.034, dropped  # 4096 weights: 5 standard errors of the fraction
    np.testing.assert_allclose(np.asarray(weights[weights != 0]), 1 / 64 / 0.75, rtol=1e-6)


def test_check_catches_a_wrong_conversion_and_names_the_submodule(tmp_path):
    """A converted file with one activation changed must fail numeric, localised to that module."""
    path = _convert_to(tmp_path, "vae.py")
    text = open(path, encoding="utf-8").read()
    assert "jax.nn.sigmoid(self.dec2(" in text
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace("jax.nn.relu(self.enc(x))", "jnp.tanh(self.enc(x))"))
    report = check(os.path.join(FIXTURES, "vae.py"), path, "VAE()", "torch.rand(3, 20)", steps=0)
    assert report.stages[0].passed
    assert not report.stages[1].passed
    assert "first differing submodule: mu" in report.stages[1].detail


@pytest.mark.slow
def test_behavioral_stage_catches_batch_norm_running_variance(tmp_path):
    """BatchNorm's running variance update differs (biased in NNX, unbiased in torch): stage 3 must see it."""
    path = _convert_to(tmp_path, "resnet_block.py")
    report = check(os.path.join(FIXTURES, "resnet_block.py"), path, "TinyResNet()", "torch.randn(2, 3, 8, 8)",
                   steps=2, optimizer="SGD(lr=0.1)")
    assert report.stages[1].passed
    assert not report.stages[2].passed
    assert "running_var" in report.stages[2].detail


@pytest.mark.slow
def test_behavioral_stage_passes_on_a_deterministic_model(tmp_path):
    path = _convert_to(tmp_path, "unet.py")
    report = check(os.path.join(FIXTURES, "unet.py"), path, "UNet()", "torch.randn(2, 1, 8, 8)", steps=3,
                   optimizer="SGD(lr=0.1)")
    assert report.passed, report.as_text()


@pytest.mark.slow
def test_behavioral_stage_catches_the_summed_lstm_bias(tmp_path):
    """NNX's LSTM cell keeps one bias where torch has bias_ih + bias_hh: the same forward, but SGD moves the
    sum twice as fast in torch. Numeric passes; stage 3 must fail."""
    path = _convert_to(tmp_path, "lstm_lm.py")
    report = check(os.path.join(FIXTURES, "lstm_lm.py"), path, "LSTMLM()", "torch.randint(0, 40, (2, 7))",
                   steps=2, optimizer="SGD(lr=0.1)")
    assert report.stages[1].passed and not report.stages[2].passed, report.as_text()


@pytest.mark.slow
def test_nanogpt_reference_converts_and_passes_every_stage_without_hand_edits(tmp_path):
    """docs/convert.md: the nanoGPT torch reference converts (tying, split by C from x.size(), attention with
    a training-dependent dropout_p, GELU chosen by the config, arange over t) and passes all three stages."""
    with open(NANOGPT_REF, encoding="utf-8") as f:
        result = convert(f.read(), NANOGPT_REF)
    out = tmp_path / "gpt_jax.py"
    out.write_text(result.text)
    assert "tie_weights(self.transformer.wte, self.lm_head)" in result.text
    assert "JM390" in {t.code for t in result.todos}  # the torch init code is commented out, not run
    forward = result.text[result.text.index("class CausalSelfAttention"):result.text.index("class MLP")]
    assert MARK not in forward and "attention_with_dropout(" in forward
    report = check(NANOGPT_REF, str(out), "GPT(GPTConfig(block_size=16, vocab_size=65, n_layer=2, n_head=2, "
                   "n_embd=32))", "torch.randint(0, 65, (2, 16))", steps=3, optimizer="SGD(lr=0.1)")
    assert report.passed, report.as_text()


def test_weights_round_trip_and_errors(tmp_path):
    import torch

    from mapping.convert import ConversionError
    from migrate.check_model import build_nnx, load_file
    from migrate.weights import load_state_dict, state_dict

    path = _convert_to(tmp_path, "resnet_block.py")
    tmod = load_file(os.path.join(FIXTURES, "resnet_block.py"), "_t_resnet")
    jmod = load_file(path, "_j_resnet")
    tm = tmod.TinyResNet()
    jm = build_nnx(jmod, "TinyResNet()")
    sd = {k: v for k, v in tm.state_dict().items()}
    load_state_dict(jm, sd)
    back = state_dict(jm)
    assert set(back) == {k for k in sd if not k.endswith("num_batches_tracked")}
    for k, v in back.items():
        np.testing.assert_array_equal(v, sd[k].numpy())
    with pytest.raises(ConversionError, match="unknown key 'extra.weight'"):
        load_state_dict(jm, {**sd, "extra.weight": torch.zeros(1)})
    with pytest.raises(ConversionError, match="missing key 'fc.bias'"):
        load_state_dict(jm, {k: v for k, v in sd.items() if k != "fc.bias"})
    with pytest.raises(ConversionError, match="'fc.weight' has shape"):
        load_state_dict(jm, {**sd, "fc.weight": torch.zeros(3, 3)})


def test_output_is_standalone_and_marks_what_is_left():
    with open(os.path.join(FIXTURES, "vae.py"), encoding="utf-8") as f:
        result = convert(f.read())
    assert "jaxmigrate" not in result.text.replace(MARK, "")
    assert "class VAE(nnx.Module)" in result.text and "def __call__(self, x)" in result.text
    assert "self.deterministic = False" in result.text
    marked = [line for line in result.text.splitlines() if MARK in line]
    assert marked == [] and result.todos == []
    assert "jax.random.normal(self.rngs(), std.shape, std.dtype)" in result.text  # a fresh key per draw
    assert "self.rngs = rngs" in result.text


def test_cli_writes_atomically_and_never_touches_the_input(tmp_path, capsys):
    from migrate.cli import main

    src = os.path.join(FIXTURES, "unet.py")
    before = open(src, "rb").read()
    out = tmp_path / "unet_jax.py"
    assert main(["convert", src, "-o", str(out)]) == 0
    assert open(src, "rb").read() == before
    ast.parse(out.read_text())
    assert [p.name for p in tmp_path.iterdir()] == ["unet_jax.py"]  # no temporary file left
    assert main(["convert", src]) == 0
    assert "class UNet(nnx.Module)" in capsys.readouterr().out
    bad = tmp_path / "bad.py"
    bad.write_text("def f(:\n")
    assert main(["convert", str(bad)]) == 2


def _mutate(text: str, seed: int) -> str:
    lines = text.splitlines(keepends=True)
    rng = random.Random(seed)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        op = rng.choice(("drop", "dup", "swap"))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        else:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


@settings(max_examples=15, deadline=None)
@given(name=st.sampled_from(sorted(PASSING)), seed=st.integers(0, 10**6))
def test_convert_never_raises_on_mutated_fixtures(name, seed):
    from migrate.convert_model import ConvertError

    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        text = _mutate(f.read(), seed)
    try:
        ast.parse(text)
    except SyntaxError:
        with pytest.raises(ConvertError):
            convert(text)
        return
    ast.parse(convert(text).text)


@pytest.mark.slow
def test_cli_check_exit_code_and_json(tmp_path, capsys):
    import json

    from migrate.cli import main

    path = _convert_to(tmp_path, "training_branch.py")
    src = os.path.join(FIXTURES, "training_branch.py")
    args = ["check", src, path, "--build", "NoisyMLP()", "--inputs", "torch.randn(4, 6)", "--steps", "0"]
    assert main([*args, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] and [s["name"] for s in report["stages"]] == ["interface", "numeric", "behavioral"]
    # train mode draws dropout masks in both frameworks: the behavioral stage cannot agree, and says so
    assert main([*args[:-1], "2", "--optimizer", "SGD(lr=0.1)"]) == 1
    assert "FAIL  behavioral" in capsys.readouterr().out


@pytest.mark.slow
def test_bench_convert_table(tmp_path, capsys):
    from migrate.bench_convert import main

    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "vae.py").write_text(open(os.path.join(FIXTURES, "vae.py"), encoding="utf-8").read())
    # boolean-mask indexing: the output's shape depends on the values, which traced JAX code cannot do
    (folder / "gate.py").write_text("import torch.nn as nn\n\n\nclass Gate(nn.Module):\n"
                                    "    def __init__(self):\n        super().__init__()\n"
                                    "        self.fc = nn.Linear(4, 4)\n\n"
                                    "    def forward(self, x):\n        return self.fc(x)[x.sum(-1) > 0].sum(0)\n")
    specs = tmp_path / "specs.py"
    specs.write_text('SPECS = {"vae.py::VAE": {"build": "VAE()", "inputs": "torch.rand(3, 20)", "steps": 0},\n'
                     '         "gate.py::Gate": {"build": "Gate()", "inputs": "torch.randn(6, 4)"}}\n')
    assert main([str(folder), str(specs)]) == 0
    out = capsys.readouterr().out
    assert "| vae.py::VAE | yes | pass | pass | pass |" in out
    assert "| gate.py::Gate | yes | pass | FAIL | - |" in out
    assert "convert crashes: 0" in out and "numeric: 1/2 (50%)" in out


def test_cli_convert_weights_writes_an_orbax_checkpoint_of_the_torch_weights(tmp_path):
    import orbax.checkpoint as ocp
    import torch
    from flax import nnx

    from migrate.check_model import build_nnx, load_file
    from migrate.cli import main

    src = os.path.join(FIXTURES, "vae.py")
    torch.manual_seed(0)
    tm = load_file(src, "_t_vae_weights").VAE()
    torch.save(tm.state_dict(), tmp_path / "ckpt.pt")
    out = tmp_path / "vae_jax.py"
    assert main(["convert", src, "-o", str(out), "--weights", str(tmp_path / "ckpt.pt"), "--build", "VAE()"]) == 0
    jm = build_nnx(load_file(str(out), "_j_vae_weights"), "VAE()")
    _, state = nnx.split(jm)
    nnx.update(jm, ocp.StandardCheckpointer().restore(str(tmp_path / "vae_jax_ckpt"), state))
    np.testing.assert_array_equal(np.asarray(jm.enc.kernel[...]), tm.enc.weight.detach().numpy().T)
