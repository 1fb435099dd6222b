"""Tests for examples/: each JAX program matches its PyTorch twin step for step (same weights, same batches).

Every pair starts from the torch model's initial weights (transferred) and trains 20 steps on the same
numpy batches; the per-step losses must agree within float32 tolerance. The tolerance is the same for
all pairs: the two frameworks sum in different orders (matmul blocking, reductions), and those
last-bit differences compound through 20 optimizer steps: measured at most 1.4e-6 relative (the GPT).
Also: the MNIST IDX reader on files written here, and the jit lesson's modes against each other.
"""

import gzip
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch
from flax import nnx

ROOT = Path(__file__).resolve().parents[1]
STEPS = 20
RTOL, ATOL = 1e-5, 1e-6  # float32 summation order, compounded over 20 steps (see the module docstring)


def as_numpy(state_dict):
    return {k: v.detach().numpy().copy() for k, v in state_dict.items()}


def assert_losses_match(torch_losses, jax_losses):
    assert len(torch_losses) == len(jax_losses) == STEPS
    assert np.all(np.isfinite(torch_losses))
    np.testing.assert_allclose(jax_losses, torch_losses, rtol=RTOL, atol=ATOL)


def test_makemore_mlp_matches_torch():
    from examples.makemore_mlp import jax_train, torch_train
    from examples.makemore_mlp.data import Config, batches, load

    cfg = Config()
    itos, splits = load()
    X, Y = splits["train"]
    tparams = torch_train.init_params(len(itos), cfg, seed=0)
    jparams = {k: jnp.asarray(v.detach().numpy()) for k, v in tparams.items()}
    t_losses = torch_train.train(tparams, torch.from_numpy(X), torch.from_numpy(Y), batches(len(X), 32, 0), STEPS)
    _, j_losses = jax_train.train(jparams, X.astype(np.int32), Y.astype(np.int32), batches(len(X), 32, 0), STEPS)
    assert_losses_match(t_losses, j_losses)
    assert t_losses[-1] < t_losses[0]


def test_bigram_matches_torch():
    from examples.bigram import jax_train, torch_train
    from examples.bigram.data import Config, batches, load

    cfg = Config()
    itos, data = load()
    tmodel = torch_train.BigramLanguageModel(len(itos))
    jmodel = jax_train.BigramLanguageModel(len(itos), rngs=nnx.Rngs(0))
    jmodel.token_embedding_table.embedding[...] = tmodel.token_embedding_table.weight.detach().numpy()
    t_losses = torch_train.train(tmodel, torch_train.make_optimizer(tmodel, cfg),
                                 batches(data["train"], cfg.block_size, cfg.batch_size, 0), STEPS)
    j_losses = jax_train.train(jmodel, jax_train.make_optimizer(cfg),
                               jax_train.int32(batches(data["train"], cfg.block_size, cfg.batch_size, 0)), STEPS)
    assert_losses_match(t_losses, j_losses)


def test_bigram_tolerance_catches_optax_default_weight_decay():
    """The tolerance has teeth: optax.adamw's default weight decay (1e-4, torch's is 1e-2) shows up within 20 steps."""
    import optax

    from examples.bigram import jax_train, torch_train
    from examples.bigram.data import Config, batches, load

    cfg = Config()
    itos, data = load()
    tmodel = torch_train.BigramLanguageModel(len(itos))
    jmodel = jax_train.BigramLanguageModel(len(itos), rngs=nnx.Rngs(0))
    jmodel.token_embedding_table.embedding[...] = tmodel.token_embedding_table.weight.detach().numpy()
    t_losses = torch_train.train(tmodel, torch_train.make_optimizer(tmodel, cfg),
                                 batches(data["train"], cfg.block_size, cfg.batch_size, 0), STEPS)
    j_losses = jax_train.train(jmodel, optax.adamw(cfg.lr),
                               jax_train.int32(batches(data["train"], cfg.block_size, cfg.batch_size, 0)), STEPS)
    with pytest.raises(AssertionError):
        assert_losses_match(t_losses, j_losses)


@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_digits_matches_torch(kind):
    import optax

    from examples.digits import jax_train, torch_train
    from examples.digits.data import Config, batches, load

    cfg = Config()
    X, Y = load()["train"]
    tmodel = torch_train.make_model(kind, 8, 8, cfg)
    jmodel = jax_train.make_model(kind, 8, 8, cfg, nnx.Rngs(0))
    jax_train.load_torch_weights(jmodel, as_numpy(tmodel.state_dict()))
    # The models agree before training too: the CNN's flatten order and kernel layouts are handled.
    t_logits = tmodel(torch.from_numpy(X[:16])).detach().numpy()
    np.testing.assert_allclose(nnx.jit(lambda m, x: m(x))(jmodel, X[:16]), t_logits, rtol=1e-5, atol=1e-6)
    t_losses = torch_train.train(tmodel, torch.optim.Adam(tmodel.parameters(), lr=cfg.lr), torch.from_numpy(X),
                                 torch.from_numpy(Y), batches(len(X), cfg.batch_size, 0), STEPS)
    j_losses = jax_train.train(jmodel, optax.adam(cfg.lr), X, Y.astype(np.int32), batches(len(X), cfg.batch_size, 0),
                               STEPS)
    assert_losses_match(t_losses, j_losses)


def write_idx(path, array, code):
    header = bytes([0, 0, code, array.ndim]) + np.array(array.shape, ">i4").tobytes()
    payload = header + array.astype(array.dtype.newbyteorder(">")).tobytes()
    (gzip.open if path.suffix == ".gz" else open)(path, "wb").write(payload)


def test_idx_reader(tmp_path):
    from examples.digits.data import load, read_idx

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 4, 6), dtype=np.uint8)
    labels = rng.integers(0, 10, 5, dtype=np.uint8)
    floats = rng.standard_normal((2, 3)).astype(np.float32)
    write_idx(tmp_path / "train-images-idx3-ubyte", images, 0x08)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", labels, 0x08)  # gzipped, as MNIST is distributed
    write_idx(tmp_path / "t10k-images-idx3-ubyte", images[:2], 0x08)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels[:2], 0x08)
    write_idx(tmp_path / "floats.idx", floats, 0x0D)

    np.testing.assert_array_equal(read_idx(tmp_path / "train-images-idx3-ubyte"), images)
    np.testing.assert_array_equal(read_idx(tmp_path / "train-labels-idx1-ubyte.gz"), labels)
    np.testing.assert_array_equal(read_idx(tmp_path / "floats.idx"), floats)  # big-endian float32 decoded

    data = load(tmp_path)
    np.testing.assert_allclose(data["train"][0], images / 255, rtol=1e-6)
    np.testing.assert_array_equal(data["test"][1], labels[:2])
    assert data["train"][0].dtype == np.float32 and data["train"][1].dtype == np.int64

    (tmp_path / "bad").write_bytes(b"\x01\x02\x08\x01" + bytes(8))
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(tmp_path / "bad")
    (tmp_path / "short").write_bytes(bytes([0, 0, 8, 1]) + np.array([10], ">i4").tobytes() + bytes(3))
    with pytest.raises(ValueError, match="header promises"):
        read_idx(tmp_path / "short")


def test_gpt_three_ways_match():
    from examples.gpt import jax_train, nnx_train, torch_train
    from examples.gpt.data import Config, batches, load

    cfg = Config()
    itos, data = load()
    torch.manual_seed(0)
    tmodel = torch_train.GPT(cfg, len(itos))
    weights = as_numpy(tmodel.state_dict())
    pure = jax_train.GPT(cfg, len(itos))
    nmodel = nnx_train.GPT(cfg, len(itos), rngs=nnx.Rngs(0))
    nnx_train.load_torch_weights(nmodel, weights)
    # Same function before training: logits on one batch.
    xb, _ = next(batches(data["val"], cfg.block_size, 4, 1))
    t_logits = tmodel(torch.from_numpy(xb))[0].detach().numpy()
    xb = xb.astype(np.int32)
    np.testing.assert_allclose(jax.jit(pure)(pure.from_torch(weights), xb), t_logits, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(nnx.jit(lambda m, x: m(x))(nmodel, xb), t_logits, rtol=1e-4, atol=1e-5)

    train_batches = lambda: batches(data["train"], cfg.block_size, cfg.batch_size, 0)
    t_losses = torch_train.train(tmodel, torch_train.make_optimizer(tmodel, cfg), train_batches(), STEPS)
    _, p_losses = jax_train.train(pure, pure.from_torch(weights), cfg, jax_train.int32(train_batches()), STEPS)
    n_losses = nnx_train.train(nmodel, nnx_train.make_optimizer(cfg), nnx_train.int32(train_batches()), STEPS)
    assert_losses_match(t_losses, p_losses)
    assert_losses_match(t_losses, n_losses)


def test_jit_lesson_modes_match():
    from examples.digits.torch_train import MLP, train
    from examples.jit_lesson import jax_train
    from examples.jit_lesson.data import Config, batches, load

    cfg = Config()
    X, Y = load()["train"]
    tmodel = MLP(8, 8, cfg.hidden)
    w = as_numpy(tmodel.state_dict())
    params = lambda: {"W1": jnp.asarray(w["fc1.weight"].T), "b1": jnp.asarray(w["fc1.bias"]),
                      "W2": jnp.asarray(w["fc2.weight"].T), "b2": jnp.asarray(w["fc2.bias"])}
    t_losses = train(tmodel, torch.optim.Adam(tmodel.parameters(), lr=cfg.lr), torch.from_numpy(X),
                     torch.from_numpy(Y), batches(len(X), cfg.batch_size, 0), STEPS)
    Y32 = Y.astype(np.int32)
    for mode in ("nojit", "jit_step"):  # numpy batches: the same ones torch saw
        assert_losses_match(t_losses, jax_train.run_mode(mode, params(), X, Y32, cfg, 0, STEPS)[1])

    # jit_body and scan draw their batches with jax.random inside the compiled code: the same draws made
    # on the host give jit_step the same batches.
    def drawn(key):
        while True:
            key, ix = jax_train.draw_indices(key, len(X), cfg.batch_size)
            yield np.asarray(ix)

    reference = jax_train.run_mode("jit_step", params(), X, Y32, cfg, 0, STEPS, indices=drawn(jax.random.key(0)))[1]
    for mode in ("jit_body", "scan"):
        np.testing.assert_allclose(jax_train.run_mode(mode, params(), X, Y32, cfg, 0, STEPS)[1], reference,
                                   rtol=RTOL, atol=ATOL)


def test_missing_data_names_the_expected_path():
    from examples._common import DATA_DIR, data_file

    with pytest.raises(FileNotFoundError, match=str(DATA_DIR.resolve() / "names" / "nope.txt")):
        data_file("names", "nope.txt")


PROGRAMS = [
    "makemore_mlp.torch_train", "makemore_mlp.jax_train", "bigram.torch_train", "bigram.jax_train",
    "digits.torch_train", "digits.jax_train", "gpt.torch_train", "gpt.jax_train", "gpt.nnx_train",
    "jit_lesson.torch_train", "jit_lesson.jax_train",
]


@pytest.mark.parametrize("program", PROGRAMS)
def test_program_runs(program, tmp_path):
    """Each example's one command, shortened to 3 steps, in a fresh interpreter (about 7 s each)."""
    cmd = [sys.executable, "-m", f"examples.{program}", "--steps", "3", "--json", str(tmp_path / "r.json")]
    out = subprocess.run(cmd, cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "r.json").is_file()
