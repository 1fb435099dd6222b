"""The weight converters (mapping/convert.py): exact round trips, shapes, and clear errors on bad state_dicts."""

import pytest

torch = pytest.importorskip("torch")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from flax import nnx  # noqa: E402

from mapping import convert  # noqa: E402

nn = torch.nn
RNGS = nnx.Rngs(0)


def torch_sd(module) -> dict:
    return {k: v.detach().numpy() for k, v in module.state_dict().items() if v.is_floating_point()}


def randomise(module):
    """Non-default weights and buffers, so swapped or dropped entries cannot go unnoticed."""
    torch.manual_seed(1)
    with torch.no_grad():
        for v in module.state_dict().values():
            if v.is_floating_point():
                v.uniform_(0.5, 1.5)
    return module


# (torch module, nnx module, load, to_torch, keyword args for both): every pair converts exactly both ways.
EXACT = {
    "linear": (lambda: nn.Linear(3, 4), lambda: nnx.Linear(3, 4, rngs=RNGS), convert.load_linear,
               convert.to_torch_linear, {}),
    "linear_no_bias": (lambda: nn.Linear(3, 4, bias=False), lambda: nnx.Linear(3, 4, use_bias=False, rngs=RNGS),
                       convert.load_linear, convert.to_torch_linear, {}),
    "conv1d": (lambda: nn.Conv1d(4, 6, 3), lambda: nnx.Conv(4, 6, 3, rngs=RNGS), convert.load_conv,
               convert.to_torch_conv, {}),
    "conv2d_groups": (lambda: nn.Conv2d(4, 6, (3, 2), groups=2),
                      lambda: nnx.Conv(4, 6, (3, 2), feature_group_count=2, rngs=RNGS), convert.load_conv,
                      convert.to_torch_conv, {}),
    "conv_transpose": (lambda: nn.ConvTranspose2d(4, 6, (3, 2)),
                       lambda: nnx.ConvTranspose(4, 6, (3, 2), transpose_kernel=True, rngs=RNGS),
                       convert.load_conv_transpose, convert.to_torch_conv_transpose, {}),
    "conv_transpose_flipped": (lambda: nn.ConvTranspose2d(4, 6, (3, 2)),
                               lambda: nnx.ConvTranspose(4, 6, (3, 2), rngs=RNGS),
                               convert.load_conv_transpose, convert.to_torch_conv_transpose, {}),
    "embedding": (lambda: nn.Embedding(7, 3), lambda: nnx.Embed(7, 3, rngs=RNGS), convert.load_embedding,
                  convert.to_torch_embedding, {}),
    "layer_norm": (lambda: nn.LayerNorm(5), lambda: nnx.LayerNorm(5, rngs=RNGS), convert.load_norm,
                   convert.to_torch_norm, {}),
    "rms_norm": (lambda: nn.RMSNorm(5), lambda: nnx.RMSNorm(5, rngs=RNGS), convert.load_norm,
                 convert.to_torch_norm, {}),
    "group_norm": (lambda: nn.GroupNorm(2, 6), lambda: nnx.GroupNorm(6, num_groups=2, rngs=RNGS), convert.load_norm,
                   convert.to_torch_norm, {}),
    "batch_norm": (lambda: nn.BatchNorm2d(3), lambda: nnx.BatchNorm(3, rngs=RNGS), convert.load_batch_norm,
                   convert.to_torch_batch_norm, {}),
    "attention": (lambda: nn.MultiheadAttention(8, 2), lambda: nnx.MultiHeadAttention(2, 8, decode=False, rngs=RNGS),
                  convert.load_multihead_attention, convert.to_torch_multihead_attention, {}),
    "gru_cell": (lambda: nn.GRUCell(3, 4), lambda: nnx.GRUCell(3, 4, rngs=RNGS), convert.load_gru_cell,
                 convert.to_torch_gru_cell, {}),
    "gru_layer": (lambda: nn.GRU(3, 4), lambda: nnx.GRUCell(3, 4, rngs=RNGS), convert.load_gru_cell,
                  convert.to_torch_gru_cell, {"suffix": "_l0"}),
}


@pytest.mark.parametrize("name", EXACT)
def test_torch_to_nnx_to_torch_is_exact(name):
    make_torch, make_nnx, load, to_torch, kw = EXACT[name]
    sd = torch_sd(randomise(make_torch()))
    back = to_torch(load(make_nnx(), sd, **kw), **kw)
    assert set(back) == set(sd)
    for key, value in sd.items():
        assert back[key].shape == value.shape, key
        np.testing.assert_array_equal(np.asarray(back[key]), value, err_msg=key)


@pytest.mark.parametrize("name", EXACT)
def test_prefix_selects_the_submodule(name):
    make_torch, make_nnx, load, to_torch, kw = EXACT[name]
    sd = {"block.3." + k: v for k, v in torch_sd(randomise(make_torch())).items()}
    sd["other.weight"] = np.zeros(1, np.float32)
    back = to_torch(load(make_nnx(), sd, prefix="block.3.", **kw), prefix="block.3.", **kw)
    assert set(back) == set(sd) - {"other.weight"}


# Converters whose NNX module holds the sum of torch's two biases: exact from NNX to torch and back, and
# the sum (all the cell uses) survives the torch -> NNX -> torch trip.
SUMMED_BIAS = {
    "lstm_cell": (lambda: nn.LSTMCell(3, 4), lambda: nnx.LSTMCell(3, 4, rngs=RNGS), convert.load_lstm_cell,
                  convert.to_torch_lstm_cell, {}),
    "lstm_layer": (lambda: nn.LSTM(3, 4), lambda: nnx.LSTMCell(3, 4, rngs=RNGS), convert.load_lstm_cell,
                   convert.to_torch_lstm_cell, {"suffix": "_l0"}),
    "rnn_cell": (lambda: nn.RNNCell(3, 4), lambda: nnx.SimpleCell(3, 4, rngs=RNGS), convert.load_rnn_cell,
                 convert.to_torch_rnn_cell, {}),
}


@pytest.mark.parametrize("name", SUMMED_BIAS)
def test_summed_bias_cells_round_trip(name):
    make_torch, make_nnx, load, to_torch, kw = SUMMED_BIAS[name]
    s = kw.get("suffix", "")
    sd = torch_sd(randomise(make_torch()))
    back = to_torch(load(make_nnx(), sd, **kw), **kw)
    assert set(back) == set(sd)
    for key in ("weight_ih", "weight_hh"):
        np.testing.assert_array_equal(np.asarray(back[key + s]), sd[key + s])
    np.testing.assert_allclose(np.asarray(back["bias_ih" + s] + back["bias_hh" + s]),
                               sd["bias_ih" + s] + sd["bias_hh" + s], rtol=0, atol=0)
    first = nnx.state(load(make_nnx(), sd, **kw), nnx.Param)
    again = nnx.state(load(make_nnx(), back, **kw), nnx.Param)
    for a, b in zip(jax.tree.leaves(first), jax.tree.leaves(again), strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_loaded_kernels_have_the_nnx_layout():
    conv = convert.load_conv(nnx.Conv(4, 6, (3, 2), feature_group_count=2, rngs=RNGS),
                             torch_sd(nn.Conv2d(4, 6, (3, 2), groups=2)))
    assert conv.kernel.shape == (3, 2, 2, 6)
    mha = convert.load_multihead_attention(nnx.MultiHeadAttention(2, 8, decode=False, rngs=RNGS),
                                           torch_sd(nn.MultiheadAttention(8, 2)))
    assert mha.query.kernel.shape == (8, 2, 4) and mha.out.kernel.shape == (2, 4, 8)
    gru = convert.load_gru_cell(nnx.GRUCell(3, 4, rngs=RNGS), torch_sd(nn.GRUCell(3, 4)))
    assert gru.dense_h.bias.shape == (12,)


def test_flipped_conv_transpose_matches_torch():
    """transpose_kernel=False stores the flipped kernel: the forward still equals torch's (no record covers it)."""
    t = randomise(nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1))
    pad = convert.conv_transpose_padding((3, 3), 1, 1)
    m = convert.load_conv_transpose(nnx.ConvTranspose(4, 6, (3, 3), strides=2, padding=pad, rngs=RNGS), torch_sd(t))
    x = np.random.default_rng(0).normal(size=(2, 4, 5, 4)).astype(np.float32)
    expected = t(torch.from_numpy(x)).detach().numpy()
    got = jnp.transpose(m(jnp.transpose(x, (0, 2, 3, 1))), (0, 3, 1, 2))
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-5, atol=1e-5)


def test_conv_transpose_padding_pairs():
    assert convert.conv_transpose_padding((3, 3), 1, 1, 2) == [(3, 4), (3, 4)]
    assert convert.conv_transpose_padding((4,), 0) == [(3, 3)]


def test_load_is_differentiable_in_torch_layout():
    sd = torch_sd(nn.Linear(3, 2))
    x = jnp.ones((1, 3))

    def loss(sd):
        return convert.load_linear(nnx.Linear(3, 2, rngs=nnx.Rngs(0)), sd)(x).sum()

    grads = jax.grad(loss)({k: jnp.asarray(v) for k, v in sd.items()})
    np.testing.assert_array_equal(np.asarray(grads["weight"]), np.ones((2, 3), np.float32))
    np.testing.assert_array_equal(np.asarray(grads["bias"]), np.ones(2, np.float32))


# Errors: each names the offending key.

def test_missing_key_is_named():
    sd = torch_sd(nn.Linear(3, 4))
    del sd["bias"]
    with pytest.raises(convert.ConversionError, match=r"missing key 'bias'"):
        convert.load_linear(nnx.Linear(3, 4, rngs=RNGS), sd)


def test_wrong_shape_is_named_with_both_shapes():
    sd = torch_sd(nn.Linear(4, 3))  # [3, 4]: the transposed layer
    with pytest.raises(convert.ConversionError, match=r"'weight' has shape \(3, 4\), the module needs \(4, 3\)"):
        convert.load_linear(nnx.Linear(3, 4, rngs=RNGS), sd)


def test_unexpected_bias_is_named():
    with pytest.raises(convert.ConversionError, match=r"unexpected key 'fc.bias'"):
        convert.load_linear(nnx.Linear(3, 4, use_bias=False, rngs=RNGS),
                            {"fc." + k: v for k, v in torch_sd(nn.Linear(3, 4)).items()}, prefix="fc.")


def test_every_problem_is_reported_at_once():
    sd = torch_sd(nn.LSTMCell(3, 4))
    sd["weight_hh"] = sd["weight_hh"][:, :2]
    del sd["bias_ih"]
    with pytest.raises(convert.ConversionError) as info:
        convert.load_lstm_cell(nnx.LSTMCell(3, 4, rngs=RNGS), sd)
    assert "'weight_hh' has shape (16, 2)" in str(info.value) and "missing key 'bias_ih'" in str(info.value)


def test_missing_key_lists_what_is_there():
    sd = {"0.weight": np.zeros((4, 3), np.float32), "0.bias": np.zeros(4, np.float32)}
    with pytest.raises(convert.ConversionError, match=r"missing key '1.weight' \(keys under '1.': \[\]\)"):
        convert.load_linear(nnx.Linear(3, 4, rngs=RNGS), sd, prefix="1.")


def test_layer_suffix_errors_name_the_full_key():
    sd = torch_sd(nn.GRU(3, 4))
    with pytest.raises(convert.ConversionError, match=r"missing key 'weight_ih'"):
        convert.load_gru_cell(nnx.GRUCell(3, 4, rngs=RNGS), sd)  # forgot suffix="_l0"


def test_norm_without_affine_takes_no_keys():
    m = convert.load_norm(nnx.LayerNorm(5, use_scale=False, use_bias=False, rngs=RNGS), {})
    assert m.scale is None
    with pytest.raises(convert.ConversionError, match=r"unexpected key 'weight'"):
        convert.load_norm(nnx.LayerNorm(5, use_scale=False, use_bias=False, rngs=RNGS), torch_sd(nn.LayerNorm(5)))
