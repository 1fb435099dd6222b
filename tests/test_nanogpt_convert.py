"""nanogpt_jax/convert.py: weights both ways between nanoGPT (torch) and the port, nanoGPT ckpt.pt files,
AdamW state, and Hugging Face GPT-2 directories (against a tiny random transformers.GPT2LMHeadModel)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch
from flax import nnx

from nanogpt_jax import convert, torch_ref
from nanogpt_jax import model as jmodel
from nanogpt_jax.step import make_train_step

TINY = dict(block_size=16, vocab_size=40, n_layer=2, n_head=2, n_embd=24)


@pytest.fixture(autouse=True)
def highest_precision():
    with jax.default_matmul_precision("highest"):
        yield


def reference(seed=0, **cfg):
    torch.manual_seed(seed)
    return torch_ref.GPT(torch_ref.GPTConfig(**{**TINY, **cfg}))


def port(**cfg):
    return jmodel.GPT(jmodel.GPTConfig(**{**TINY, **cfg}), rngs=nnx.Rngs(5))


def tokens(b=2, t=16, vocab=40, seed=0):
    return np.random.default_rng(seed).integers(0, vocab, (b, t))


@pytest.mark.parametrize("bias", [True, False])
def test_round_trip_is_exact_both_ways(bias):
    tm = reference(bias=bias)
    jm = convert.load_state_dict(port(bias=bias), tm.state_dict())
    back = convert.state_dict(jm)
    assert list(back) == list(tm.state_dict())  # nanoGPT's keys, in nanoGPT's order
    for k, v in tm.state_dict().items():
        assert torch.equal(back[k], v), k
    assert back["lm_head.weight"] is back["transformer.wte.weight"]  # tied, as nanoGPT's load expects

    jm2 = port(bias=bias)
    jm3 = convert.load_state_dict(port(bias=bias), convert.state_dict(jm2))
    for a, b in zip(jax.tree.leaves(nnx.state(jm2)), jax.tree.leaves(nnx.state(jm3))):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_nanogpt_ckpt_with_compile_prefix_loads(tmp_path):
    tm = reference()
    sd = {"_orig_mod." + k: v for k, v in tm.state_dict().items()}  # what torch.compile'd models save
    sd["transformer.h.0.attn.bias"] = torch.tril(torch.ones(1, 1, 16, 16))  # old nanoGPT's mask buffer
    model_args = dict(n_layer=2, n_head=2, n_embd=24, block_size=16, bias=True, vocab_size=40, dropout=0.0)
    torch.save(dict(model=sd, model_args=model_args, iter_num=7, best_val_loss=torch.tensor(1.5),
                    config={"dataset": "x"}), tmp_path / "ckpt.pt")
    jm, ckpt = convert.from_torch_checkpoint(tmp_path / "ckpt.pt")
    assert ckpt["iter_num"] == 7 and jm.config.n_embd == 24
    x = tokens()
    tl = tm(torch.from_numpy(x), torch.from_numpy(x))[0].detach().numpy()
    np.testing.assert_allclose(np.asarray(jm(jnp.asarray(x), jnp.asarray(x))[0]), tl, rtol=0, atol=1e-5)


def test_port_writes_a_ckpt_that_nanogpt_loads(tmp_path):
    jm = port()
    convert.write_torch_checkpoint(jm, tmp_path / "ckpt.pt", iter_num=3, config={"dataset": "shakespeare_char"})
    ckpt = torch.load(tmp_path / "ckpt.pt", weights_only=True)  # what nanoGPT's sample.py does
    tm = torch_ref.GPT(torch_ref.GPTConfig(**ckpt["model_args"]))
    assert not tm.load_state_dict(ckpt["model"]).missing_keys  # strict load
    x = tokens()
    tl = tm(torch.from_numpy(x), torch.from_numpy(x))[0].detach().numpy()
    np.testing.assert_allclose(np.asarray(jm(jnp.asarray(x), jnp.asarray(x))[0]), tl, rtol=0, atol=1e-5)


def test_every_problem_is_reported_at_once():
    sd = dict(reference().state_dict())
    del sd["transformer.h.1.ln_2.bias"]
    sd["transformer.h.0.mlp.c_fc.weight"] = torch.zeros(3, 3)
    sd["transformer.h.9.attn.c_attn.weight"] = torch.zeros(72, 24)
    sd["rotary.freq"] = torch.zeros(4)
    sd["lm_head.weight"] = torch.zeros(40, 24)
    with pytest.raises(convert.ConversionError) as err:
        convert.load_state_dict(port(), sd)
    text = str(err.value)
    assert len(err.value.problems) == 5
    for part in ("missing key for model parameter 'transformer.h.1.ln_2.bias'", "shape (3, 3)",
                 "'transformer.h.9.attn.c_attn.kernel': the model has no such parameter", "'rotary.freq'",
                 "lm_head.weight differs"):
        assert part in text


def test_adamw_state_carries_over_from_a_nanogpt_checkpoint():
    """Train the reference 3 steps, convert weights + AdamW moments, take one more step on both."""
    hp = dict(learning_rate=3e-3, warmup_iters=1, lr_decay_iters=10, min_lr=1e-4)
    tm = reference()
    topt = tm.configure_optimizers(0.1, hp["learning_rate"], (0.9, 0.95), "cpu")
    g = np.random.default_rng(0)
    xs = [g.integers(0, 40, (2, 2, 16)) for _ in range(4)]  # (gas, B, T)
    batches = [(torch.from_numpy(x), torch.from_numpy(np.roll(x, -1, axis=-1))) for x in xs]
    for it in range(3):
        torch_ref.train_step(tm, topt, *batches[it], jmodel.get_lr(it, **hp))
    jm = convert.load_state_dict(port(), tm.state_dict())
    graphdef, params = nnx.split(jm)
    opt = jmodel.configure_optimizers(params, 0.1, (0.9, 0.95), verbose=False)
    opt_state = convert.optimizer_state_from_torch(topt.state_dict(), params, opt.init(params))
    assert int(opt_state[0].count) == 3
    step = make_train_step(graphdef, opt, grad_clip=1.0)
    lr = jmodel.get_lr(3, **hp)
    params, _, _ = step(params, opt_state, *(jnp.asarray(t.numpy()) for t in batches[3]), jnp.float32(lr),
                        jax.random.key(0))
    torch_ref.train_step(tm, topt, *batches[3], lr)
    nnx.update(jm, params)
    jsd = convert.state_dict(jm, as_torch=False)
    for k, v in tm.state_dict().items():
        np.testing.assert_allclose(jsd[k], v.numpy(), rtol=1e-5, atol=1e-6, err_msg=k)


# ---- Hugging Face GPT-2 -------------------------------------------------------------------------

transformers = pytest.importorskip("transformers", reason="the GPT-2 import test needs transformers ([dev])")


@pytest.fixture(scope="module")
def hf_dir(tmp_path_factory):
    cfg = transformers.GPT2Config(vocab_size=65, n_positions=16, n_embd=32, n_layer=2, n_head=2,
                                  resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    torch.manual_seed(0)
    model = transformers.GPT2LMHeadModel(cfg).eval()
    with torch.no_grad():  # make the biases and LayerNorm gains non-trivial so a missed one shows
        for name, p in model.named_parameters():
            if "ln" in name or name.endswith("bias"):
                p.add_(0.1 * torch.randn_like(p))
            if "c_fc.weight" in name:
                p.mul_(50.0)  # GELU inputs of order 1, where tanh and erf GELU differ visibly
    path = tmp_path_factory.mktemp("hf") / "gpt2-tiny"
    model.save_pretrained(path)
    return path, model


def test_gpt2_from_a_local_hugging_face_directory_matches_its_logits(hf_dir):
    path, hf = hf_dir
    jm = convert.from_hf_gpt2(path)
    assert jm.config.gelu_approximate == "tanh" and jm.config.block_size == 16 and jm.config.bias
    x = tokens(vocab=65)
    expected = hf(torch.from_numpy(x)).logits.detach().numpy()
    actual = np.asarray(jm(jnp.asarray(x), jnp.asarray(x))[0])
    assert np.max(np.abs(actual - expected)) <= 1e-5
    exact_gelu = convert.from_hf_gpt2(path, gelu_approximate="none")
    assert np.max(np.abs(np.asarray(exact_gelu(jnp.asarray(x), jnp.asarray(x))[0]) - expected)) > 1e-5


def test_own_safetensors_reader_equals_the_library(hf_dir):
    from safetensors.numpy import load_file

    path, _ = hf_dir
    ours, theirs = convert.read_safetensors(path / "model.safetensors"), load_file(path / "model.safetensors")
    assert set(ours) == set(theirs)
    for k in ours:
        np.testing.assert_array_equal(ours[k], theirs[k])


def test_gpt2_from_pytorch_model_bin(hf_dir, tmp_path):
    path, hf = hf_dir
    (tmp_path / "config.json").write_text((path / "config.json").read_text())
    torch.save({k.removeprefix("transformer."): v for k, v in hf.state_dict().items()}, tmp_path / "pytorch_model.bin")
    jm = convert.from_hf_gpt2(tmp_path)
    x = tokens(vocab=65)
    expected = hf(torch.from_numpy(x)).logits.detach().numpy()
    assert np.max(np.abs(np.asarray(jm(jnp.asarray(x), jnp.asarray(x))[0]) - expected)) <= 1e-5


def test_unsupported_gpt2_options_are_refused():
    with pytest.raises(convert.ConversionError, match="layer_norm_epsilon.*\n.*activation_function"):
        convert.hf_gpt2_config(dict(n_layer=1, n_head=1, n_embd=8, n_positions=8, vocab_size=10,
                                    layer_norm_epsilon=1e-6, activation_function="relu"))


def test_train_init_from_gpt2_reads_the_local_directory(hf_dir, tmp_path, capsys):
    from nanogpt_jax import prepare_shakespeare_char, train

    path, _ = hf_dir
    data = tmp_path / "data"
    prepare_shakespeare_char.main(["--out_dir", str(data)])  # vocab 65, as the tiny GPT-2 above
    cfg = dict(train.DEFAULTS, init_from="gpt2", hf_dir=str(path), data_dir=str(data), out_dir=str(tmp_path),
               eval_only=True, eval_iters=1, batch_size=2, block_size=8, device="cpu", plot=False)
    history = train.train(cfg)
    out = capsys.readouterr().out
    assert f"Initializing from OpenAI GPT-2 weights in {path}" in out
    assert list(history["evals"]) == [0] and history["evals"][0][1] < 10
