"""nanogpt_jax/model.py against the PyTorch reference nanogpt_jax/torch_ref.py, same weights, same batches.

Parity at three levels (per submodule, whole model, training and generation) plus invariants
(causality, jit == eager, crop_block_size). CPU, float32, highest matmul precision, tiny configs.
"""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch
from flax import nnx

from nanogpt_jax import convert, torch_ref
from nanogpt_jax import model as jmodel
from nanogpt_jax.step import make_train_step

TINY = dict(block_size=16, vocab_size=48, n_layer=2, n_head=2, n_embd=32)


@pytest.fixture(autouse=True)
def highest_precision():
    with jax.default_matmul_precision("highest"):
        torch.set_float32_matmul_precision("highest")
        yield


def pair(seed=0, **overrides):
    """A torch reference GPT and the JAX GPT holding the same weights."""
    cfg = {**TINY, **overrides}
    torch.manual_seed(seed)
    tm = torch_ref.GPT(torch_ref.GPTConfig(**cfg))
    jm = jmodel.GPT(jmodel.GPTConfig(**cfg), rngs=nnx.Rngs(seed + 1))
    convert.load_state_dict(jm, tm.state_dict())
    return tm, jm


def batch(seed=0, b=3, t=16, vocab=48, ignore=False):
    g = np.random.default_rng(seed)
    x = g.integers(0, vocab, (b, t))
    y = g.integers(0, vocab, (b, t))
    if ignore:
        y[0, :5] = -1  # nanoGPT's ignore_index
    return x, y


def both(x):
    return torch.from_numpy(np.asarray(x)).long(), jnp.asarray(x, dtype=jnp.int32)


def relerr(expected, actual):
    return float(np.max(np.abs(expected - actual)) / (np.max(np.abs(expected)) or 1.0))


@pytest.mark.parametrize("bias", [True, False])
def test_logits_and_loss_match(bias):
    tm, jm = pair(bias=bias)
    x, y = batch(ignore=True)
    (tx, jx), (ty, jy) = both(x), both(y)
    tl, tloss = tm(tx, ty)
    jl, jloss = jm(jx, jy)
    assert np.max(np.abs(tl.detach().numpy() - np.asarray(jl))) <= 1e-5
    assert abs(tloss.item() - float(jloss)) <= 1e-6


def test_inference_returns_last_position_logits_like_nanogpt():
    tm, jm = pair()
    x, _ = batch()
    tx, jx = both(x)
    full, _ = jm(jx, jx)
    last, loss = jm(jx)
    assert loss is None and last.shape == (3, 1, TINY["vocab_size"])
    np.testing.assert_array_equal(np.asarray(last[:, 0]), np.asarray(full[:, -1]))
    np.testing.assert_allclose(tm(tx)[0].detach().numpy(), np.asarray(last), rtol=0, atol=1e-5)


def test_ignore_index_drops_positions_from_the_mean():
    _, jm = pair()
    x, y = batch(ignore=True)
    logits, loss = jm(*both(x)[1:], both(y)[1])
    logp = jax.nn.log_softmax(logits, axis=-1)
    keep = y != -1
    manual = -np.asarray(logp)[keep, y[keep]].mean()
    assert abs(float(loss) - manual) <= 1e-6


def test_every_parameter_gradient_matches():
    tm, jm = pair()
    x, y = batch(ignore=True)
    (tx, jx), (ty, jy) = both(x), both(y)
    _, tloss = tm(tx, ty)
    tloss.backward()
    tgrads = {k: p.grad.numpy() for k, p in tm.named_parameters()}
    graphdef, params = nnx.split(jm)
    grads = jax.grad(lambda p: nnx.merge(graphdef, p)(jx, jy)[1])(params)
    jm_grads = jmodel.GPT(jm.config, rngs=nnx.Rngs(0))
    nnx.update(jm_grads, grads)
    jgrads = convert.state_dict(jm_grads, as_torch=False)
    assert set(tgrads) == set(jgrads) - {convert.TIED}  # named_parameters lists the tied weight once
    for name, tg in tgrads.items():
        # rtol 1e-4 relative to the tensor's largest gradient: float32 summation order differs per element
        assert relerr(tg, jgrads[name]) <= 1e-4, name


def test_per_submodule_parity():
    tm, jm = pair()
    g = np.random.default_rng(1)
    xs = g.standard_normal((2, 16, TINY["n_embd"])).astype(np.float32)
    tblock, jblock = tm.transformer.h[1], jm.transformer.h[1]
    cases = {
        "ln_1": (tblock.ln_1, jblock.ln_1),
        "attn": (tblock.attn, jblock.attn),
        "mlp": (tblock.mlp, jblock.mlp),
        "block": (tblock, jblock),
        "ln_f": (tm.transformer.ln_f, jm.transformer.ln_f),
    }
    probe = g.standard_normal(xs.shape).astype(np.float32)  # a random projection: no cancelling loss
    for name, (tmod, jmod) in cases.items():
        tx = torch.from_numpy(xs).requires_grad_()
        tout = tmod(tx)
        (tout * torch.from_numpy(probe)).sum().backward()
        jout, jgrad = jmod(jnp.asarray(xs)), jax.grad(lambda v, f=jmod: (f(v) * probe).sum())(jnp.asarray(xs))
        assert np.max(np.abs(tout.detach().numpy() - np.asarray(jout))) <= 1e-5, name
        assert relerr(tx.grad.numpy(), np.asarray(jgrad)) <= 1e-4, name


def test_gelu_is_exact_erf_with_its_hand_written_derivative():
    _, jm = pair()
    assert not jm.transformer.h[0].mlp.approximate
    x = np.linspace(-6, 6, 241, dtype=np.float32)
    tx = torch.from_numpy(x).requires_grad_()
    torch.nn.functional.gelu(tx).sum().backward()  # torch's default: exact erf
    value, grad = jax.vmap(jax.value_and_grad(jmodel.gelu_exact))(jnp.asarray(x))
    np.testing.assert_allclose(np.asarray(value), torch.nn.functional.gelu(tx).detach().numpy(), rtol=0, atol=1e-6)
    np.testing.assert_allclose(np.asarray(grad), tx.grad.numpy(), rtol=0, atol=1e-6)
    assert float(jnp.max(jnp.abs(value - jax.nn.gelu(jnp.asarray(x))))) > 1e-4  # jax.nn.gelu's default is tanh


def test_layernorm_eps_is_torch_1e5():
    _, jm = pair()
    assert jm.transformer.ln_f.epsilon == 1e-5


def test_get_lr_is_nanogpts_schedule():
    kw = dict(learning_rate=1e-3, warmup_iters=10, lr_decay_iters=100, min_lr=1e-4)
    assert jmodel.get_lr(0, **kw) == 1e-3 * 1 / 11  # (it + 1) / (warmup_iters + 1), never 0
    assert jmodel.get_lr(9, **kw) == 1e-3 * 10 / 11
    assert jmodel.get_lr(10, **kw) == pytest.approx(1e-3)
    assert jmodel.get_lr(55, **kw) == pytest.approx(1e-4 + 0.5 * 0.9e-3)
    assert jmodel.get_lr(100, **kw) == pytest.approx(1e-4)
    assert jmodel.get_lr(101, **kw) == 1e-4


def test_decay_groups_match_configure_optimizers():
    tm, jm = pair()
    topt = tm.configure_optimizers(0.1, 1e-3, (0.9, 0.95), "cpu")
    decayed = {id(p) for p in topt.param_groups[0]["params"]}
    tnames = {n for n, p in tm.named_parameters() if id(p) in decayed}
    mask = jmodel.decay_mask(nnx.state(jm, nnx.Param))
    jnames = {".".join(map(str, path)) for path, m in nnx.to_flat_state(mask) if m.get_value()}
    assert {"transformer.wte.weight", "transformer.wpe.weight"} <= tnames  # embeddings decay in nanoGPT
    as_torch = {t.replace("{i}", i) for t, j, _ in convert.ROWS for i in "01"
                if j.replace("{i}", i) in jnames}
    assert as_torch == tnames
    assert topt.param_groups[1]["weight_decay"] == 0.0 and topt.defaults["eps"] == 1e-8


def pattern_batch(seed, b=2, t=16, vocab=48):
    """Learnable batches: a random start, then each token is (5 * previous + 3) % vocab."""
    seq = np.zeros(t + 1, dtype=np.int64)
    rows = []
    for start in np.random.default_rng(seed).integers(0, vocab, b):
        seq[0] = start
        for i in range(t):
            seq[i + 1] = (5 * seq[i] + 3) % vocab
        rows.append(seq.copy())
    rows = np.stack(rows)
    return rows[:, :-1], rows[:, 1:]


def train_both(steps=10, gas=2, seed=0, **cfg):
    """Train the reference and the port side by side on the same batches; returns losses and both models."""
    hp = dict(learning_rate=1e-2, warmup_iters=3, lr_decay_iters=8, min_lr=1e-3)
    tm, jm = pair(seed, **cfg)
    topt = tm.configure_optimizers(0.1, hp["learning_rate"], (0.9, 0.95), "cpu")
    graphdef, params = nnx.split(jm)
    opt = jmodel.configure_optimizers(params, 0.1, (0.9, 0.95), verbose=False)
    opt_state = opt.init(params)
    step = make_train_step(graphdef, opt, grad_clip=1.0)
    tlosses, jlosses, norms = [], [], []
    for it in range(steps):
        lr = jmodel.get_lr(it, **hp)
        xs, ys = (np.stack(a) for a in zip(*[pattern_batch(100 * it + m) for m in range(gas)]))
        tlosses.append(torch_ref.train_step(tm, topt, *[torch.from_numpy(a).long() for a in (xs, ys)], lr).numpy())
        params, opt_state, metrics = step(params, opt_state, jnp.asarray(xs), jnp.asarray(ys),
                                          jnp.float32(lr), jax.random.key(it))
        jlosses.append(np.asarray(metrics["loss"]))
        norms.append(float(metrics["grad_norm"]))
    nnx.update(jm, params)
    return np.array(tlosses), np.array(jlosses), norms, tm, jm


@pytest.fixture(scope="module")
def trained():
    with jax.default_matmul_precision("highest"):
        return train_both()


def test_ten_training_steps_match(trained):
    tlosses, jlosses, norms, tm, jm = trained
    assert max(norms) > 1.0, "the test must exercise gradient clipping"
    np.testing.assert_allclose(jlosses, tlosses, rtol=1e-5)
    assert tlosses[-1].mean() < tlosses[0].mean() - 0.5  # it learned something
    jsd = convert.state_dict(jm, as_torch=False)
    for name, p in tm.state_dict().items():
        np.testing.assert_allclose(jsd[name], p.numpy(), rtol=1e-4, atol=1e-4, err_msg=name)


def test_greedy_generation_is_identical_for_100_tokens(trained):
    tm = trained[3]  # trained on the pattern, so greedy decoding is not a constant run
    jm = jmodel.GPT(jmodel.GPTConfig(**TINY), rngs=nnx.Rngs(0))
    convert.load_state_dict(jm, tm.state_dict())
    prompt = np.array([[1, 2, 3, 4], [5, 6, 7, 8]])
    tm.eval()
    tout = tm.generate(torch.from_numpy(prompt), 100, top_k=1).numpy()
    jout = np.asarray(jmodel.generate(jm, jnp.asarray(prompt), 100, top_k=1, key=jax.random.key(0)))
    assert tout.shape == (2, 104)  # the context window slides past block_size 16
    np.testing.assert_array_equal(jout, tout)
    assert len(set(tout[0, 4:].tolist())) > 1  # not a degenerate constant run


def test_sampling_respects_top_k_and_temperature():
    _, jm = pair()
    prompt = jnp.asarray([[1, 2, 3]] * 32)  # 32 independent samples in one batch
    logits, _ = jm(prompt[:1])
    top3 = set(np.argsort(np.asarray(logits[0, -1]))[-3:].tolist())
    out = jmodel.generate(jm, prompt, 1, temperature=2.0, top_k=3, key=jax.random.key(0))
    firsts = set(np.asarray(out[:, -1]).tolist())
    assert firsts <= top3 and len(firsts) > 1


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_causality_gradient_wrt_future_positions_is_exactly_zero(dropout):
    _, jm = pair(dropout=dropout)
    graphdef, params = nnx.split(jm)
    x, _ = batch(b=2)
    t = 6
    key = jax.random.key(0) if dropout else None

    def early_logits(p):
        model = nnx.merge(graphdef, p)
        return jnp.sum(model.transformer.wte.attend(model.hidden(jnp.asarray(x), key))[:, : t + 1])

    grads = jax.grad(early_logits)(params)
    wpe_grad = np.asarray(grads["transformer"]["wpe"]["embedding"].get_value())
    assert np.all(wpe_grad[t + 1:] == 0.0)  # position s only enters through row s of wpe
    assert np.all(np.any(wpe_grad[: t + 1] != 0.0, axis=-1))


def test_causality_in_the_reference_too():
    tm, _ = pair()
    x, _ = batch(b=2)
    t = 6
    logits, _ = tm(torch.from_numpy(x), torch.from_numpy(x))
    logits[:, : t + 1].sum().backward()
    assert torch.all(tm.transformer.wpe.weight.grad[t + 1:] == 0)


def test_jit_equals_eager():
    _, jm = pair()
    x, y = batch(ignore=True)
    graphdef, params = nnx.split(jm)
    forward = lambda p, a, b: nnx.merge(graphdef, p)(a, b)  # noqa: E731
    eager = forward(params, jnp.asarray(x), jnp.asarray(y))
    jitted = jax.jit(forward)(params, jnp.asarray(x), jnp.asarray(y))
    # XLA fuses differently under jit: float32 rounding, a few ulps
    np.testing.assert_allclose(np.asarray(jitted[0]), np.asarray(eager[0]), rtol=0, atol=1e-6)
    assert abs(float(jitted[1]) - float(eager[1])) <= 1e-6


def test_dropout_uses_the_explicit_key():
    _, jm = pair(dropout=0.5)
    x, y = batch()
    jx, jy = jnp.asarray(x), jnp.asarray(y)
    eval_loss = float(jm(jx, jy)[1])
    a, b, c = (float(jm(jx, jy, key=jax.random.key(k))[1]) for k in (1, 1, 2))
    assert a == b and a != c and a != eval_loss
    _, jm0 = pair(dropout=0.0)
    np.testing.assert_array_equal(np.asarray(jm0(jx, jy, key=jax.random.key(1))[0]),
                                  np.asarray(jm0(jx, jy)[0]))


def test_estimate_mfu_is_the_palm_formula():
    tm, jm = pair()
    n = jm.get_num_params()
    assert n == tm.get_num_params() and jm.get_num_params(False) == tm.get_num_params(False)
    L, H, Q, T = 2, 2, 16, 16
    expected = (6 * n + 12 * L * H * Q * T) * T * 24 / 0.5 / 312e12
    assert jmodel.estimate_mfu(jm.config, n, 24, 0.5) == pytest.approx(expected, rel=1e-12)
    assert jmodel.estimate_mfu(jm.config, n, 24, 0.5) == pytest.approx(tm.estimate_mfu(24, 0.5), rel=1e-12)
    assert jmodel.estimate_mfu(jm.config, n, 24, 0.5, flops_promised=1e12) == pytest.approx(expected * 312)


def test_crop_block_size_keeps_logits_on_the_shorter_context():
    tm, jm = pair()
    x, y = batch(t=8)
    (tx, jx), (ty, jy) = both(x), both(y)
    before = np.asarray(jm(jx, jy)[0])
    jm.crop_block_size(8)
    tm.crop_block_size(8)
    assert jm.config.block_size == 8 and jm.transformer.wpe.embedding.shape == (8, TINY["n_embd"])
    np.testing.assert_array_equal(np.asarray(jm(jx, jy)[0]), before)
    np.testing.assert_allclose(tm(tx, ty)[0].detach().numpy(), before, rtol=0, atol=1e-5)
    with pytest.raises(AssertionError, match="block_size"):
        jm(jnp.zeros((1, 9), jnp.int32))


def test_residual_projections_use_the_scaled_init():
    jm = jmodel.GPT(jmodel.GPTConfig(n_layer=2, n_head=2, n_embd=64, block_size=16, vocab_size=256),
                    rngs=nnx.Rngs(0))
    std = lambda v: float(np.std(np.asarray(v.get_value())))  # noqa: E731
    assert std(jm.transformer.h[0].mlp.c_proj.kernel) == pytest.approx(0.02 / math.sqrt(4), rel=0.05)
    assert std(jm.transformer.h[0].mlp.c_fc.kernel) == pytest.approx(0.02, rel=0.05)
    assert std(jm.transformer.wte.embedding) == pytest.approx(0.02, rel=0.05)
    assert float(np.abs(np.asarray(jm.transformer.h[0].attn.c_attn.bias.get_value())).max()) == 0.0
