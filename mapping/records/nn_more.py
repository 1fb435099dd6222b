"""torch.nn seen in real code beyond nn.py: Transformer layers, weight and spectral normalisation,
padded / packed sequences, init gains, L-BFGS.

The Transformer layers are written as plain JAX functions of torch's state_dict (`sd`), so the
weights transfer key for key; flax.nnx has no Transformer layer with torch's structure.
"""

from mapping.record import Choice, Record, T, Tol

# One multi-head attention and one layer norm over torch's keys: shared by the Transformer records.
_BLOCKS = (
    "def ln(h, p):\n"
    "    mu = h.mean(-1, keepdims=True)\n"
    "    var = ((h - mu) ** 2).mean(-1, keepdims=True)\n"
    "    return (h - mu) / jnp.sqrt(var + 1e-5) * sd[p + '.weight'] + sd[p + '.bias']\n"
    "def mha(q_in, kv_in, p, mask=None, heads=2):\n"
    "    E = q_in.shape[-1]\n"
    "    w, b = sd[p + '.in_proj_weight'], sd[p + '.in_proj_bias']\n"
    "    q, k, v = (t @ w[i * E:(i + 1) * E].T + b[i * E:(i + 1) * E] for i, t in enumerate((q_in, kv_in, kv_in)))\n"
    "    split = lambda t: t.reshape(t.shape[:-1] + (heads, E // heads))  # [B, T, heads, head_dim]\n"
    "    o = jax.nn.dot_product_attention(split(q), split(k), split(v), mask=mask)\n"
    "    return o.reshape(o.shape[:-2] + (E,)) @ sd[p + '.out_proj.weight'].T + sd[p + '.out_proj.bias']\n"
    "def ff(h, p):\n"
    "    h = jax.nn.relu(h @ sd[p + 'linear1.weight'].T + sd[p + 'linear1.bias'])\n"
    "    return h @ sd[p + 'linear2.weight'].T + sd[p + 'linear2.bias']\n"
    "def encoder_layer(x, p=''):\n"
    "    x = ln(x + mha(x, x, p + 'self_attn'), p + 'norm1')\n"
    "    return ln(x + ff(x, p), p + 'norm2')\n"
    "def decoder_layer(x, memory, p='', mask=None):\n"
    "    x = ln(x + mha(x, x, p + 'self_attn', mask), p + 'norm1')\n"
    "    x = ln(x + mha(x, memory, p + 'multihead_attn'), p + 'norm2')\n"
    "    return ln(x + ff(x, p), p + 'norm3')\n"
)
_ATTN_TOL = Tol(1e-5, 1e-5, "attention and layer norm in float32: softmax, the 1/sqrt(var) scaling and matmuls "
                            "round differently")
_ATTN_GRAD = Tol(1e-4, 1e-4, "gradients through softmax, layer norm (1/sqrt(var)) and residual branches: "
                             "float32 rounding compounds over the layer")
_LAYER = ("torch's layer (post-norm, ReLU, dropout 0 here) as functions of its state_dict: the keys (self_attn."
          "in_proj_weight, linear1, norm1, ...) are torch's, so a trained model's weights load unchanged; "
          "flax.nnx.MultiHeadAttention + nnx.LayerNorm + nnx.Linear give the same layer as an nnx.Module "
          "(mapping.convert.load_multihead_attention loads the attention weights)")
_DROPOUT = ("With dropout > 0, pass an nnx.Rngs / key and apply jax.random.bernoulli masks in training, as "
            "nnx.Dropout does; the example uses dropout=0.0 so the numbers can be compared.")
_CAUSAL = "nn.Transformer.generate_square_subsequent_mask({})"

RECORDS = [
    Record(
        torch="torch.nn.TransformerEncoderLayer",
        jax="jax.nn.dot_product_attention + layer norm (functions of torch's weights)",
        status="manual",
        torch_example="m = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)\n"
                      "out = m(x)",
        jax_example=_BLOCKS + "out = encoder_layer(x)",
        inputs=(T("x", "B,S,8"),),
        checks=("forward", "jit", "grad"),
        tol=_ATTN_TOL,
        grad_tol=_ATTN_GRAD,
        notes=(_DROPOUT, "batch_first=False (torch's default) means inputs [S, B, E]: transpose to [B, S, E] "
               "first (jax.nn.dot_product_attention is batch-first).",
               "norm_first=True applies ln before each branch: x + mha(ln(x)), then x + ff(ln(x))."),
        reason=_LAYER,
    ),
    Record(
        torch="torch.nn.TransformerDecoderLayer",
        jax="jax.nn.dot_product_attention + layer norm (functions of torch's weights)",
        status="manual",
        torch_example=(
            "m = nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)\n"
            f"out = m(x, memory, tgt_mask={_CAUSAL.format('x.shape[1]')}, tgt_is_causal=True)"
        ),
        jax_example=_BLOCKS + "causal = jnp.tril(jnp.ones((x.shape[1], x.shape[1]), bool))\n"
                              "out = decoder_layer(x, memory, mask=causal)",
        inputs=(T("x", "B,S,8"), T("memory", "B,M,8")),
        checks=("forward", "jit", "grad"),
        tol=_ATTN_TOL,
        grad_tol=_ATTN_GRAD,
        notes=(_DROPOUT, "torch's float mask (-inf above the diagonal) is a boolean mask in JAX: True where "
               "attention is allowed (jnp.tril)."),
        reason=_LAYER,
    ),
    Record(
        torch="torch.nn.TransformerEncoder",
        jax="a loop over encoder layers (functions of torch's weights)",
        status="manual",
        torch_example=(
            "layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)\n"
            "m = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)\n"
            "out = m(x)"
        ),
        jax_example=_BLOCKS + "for i in range(2):\n    x = encoder_layer(x, f'layers.{i}.')\nout = x",
        inputs=(T("x", "B,S,8"),),
        checks=("forward", "jit", "grad"),
        tol=_ATTN_TOL,
        grad_tol=_ATTN_GRAD,
        notes=("nn.TransformerEncoder deep-copies the layer num_layers times: each copy has its own weights "
               "(layers.0., layers.1., ...). With norm=nn.LayerNorm(E), a final ln(x, 'norm') follows.",),
        reason=_LAYER,
    ),
    Record(
        torch="torch.nn.TransformerDecoder",
        jax="a loop over decoder layers (functions of torch's weights)",
        status="manual",
        torch_example=(
            "layer = nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)\n"
            "m = nn.TransformerDecoder(layer, num_layers=2)\n"
            "out = m(x, memory)"
        ),
        jax_example=_BLOCKS + "for i in range(2):\n    x = decoder_layer(x, memory, f'layers.{i}.')\nout = x",
        inputs=(T("x", "B,S,8"), T("memory", "B,M,8")),
        checks=("forward", "jit", "grad"),
        tol=_ATTN_TOL,
        grad_tol=_ATTN_GRAD,
        reason=_LAYER,
    ),
    Record(
        torch="torch.nn.Transformer",
        jax="encoder and decoder stacks (functions of torch's weights)",
        status="manual",
        torch_example=(
            "m = nn.Transformer(8, 2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16, dropout=0.0, "
            "batch_first=True)\n"
            f"out = m(src, tgt, tgt_mask={_CAUSAL.format('tgt.shape[1]')})"
        ),
        jax_example=_BLOCKS + (
            "memory = ln(encoder_layer(src, 'encoder.layers.0.'), 'encoder.norm')\n"
            "causal = jnp.tril(jnp.ones((tgt.shape[1], tgt.shape[1]), bool))\n"
            "out = ln(decoder_layer(tgt, memory, 'decoder.layers.0.', mask=causal), 'decoder.norm')"
        ),
        inputs=(T("src", "B,S,8"), T("tgt", "B,U,8")),
        checks=("forward", "jit", "grad"),
        tol=_ATTN_TOL,
        grad_tol=_ATTN_GRAD,
        notes=("nn.Transformer adds a final LayerNorm after the encoder stack and after the decoder stack "
               "(encoder.norm, decoder.norm).", _DROPOUT),
        reason=_LAYER,
    ),
    Record(
        torch="torch.nn.utils.weight_norm",
        jax="weight = g * v / ||v|| in the forward",
        status="manual",
        torch_example="m = nn.utils.weight_norm(nn.Linear(4, 3))\nout = m(x)",
        jax_example=(
            "w = sd['weight_g'] * sd['weight_v'] / jnp.linalg.norm(sd['weight_v'], axis=1, keepdims=True)\n"
            "out = x @ w.T + sd['bias']"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        notes=("The norm is over every axis but dim (default 0: one norm per output row). Deprecated in torch "
               "for nn.utils.parametrizations.weight_norm (keys parametrizations.weight.original0 / original1).",),
        reason="a reparametrised weight is computed in the module's __call__ from its parameters g and v "
               "(nnx.Param each); there is no hook mechanism to register it",
    ),
    Record(
        torch="torch.nn.utils.parametrizations.weight_norm",
        jax="weight = g * v / ||v|| in the forward",
        status="manual",
        torch_example="m = nn.utils.parametrizations.weight_norm(nn.Linear(4, 3))\nout = m(x)",
        jax_example=(
            "g, v = sd['parametrizations.weight.original0'], sd['parametrizations.weight.original1']\n"
            "w = g * v / jnp.linalg.norm(v, axis=1, keepdims=True)\n"
            "out = x @ w.T + sd['bias']"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        reason="a parametrisation is code in __call__: keep g and v as nnx.Param and compute the weight there",
    ),
    Record(
        torch="torch.nn.utils.parametrize.register_parametrization",
        jax="the parametrisation applied to the raw parameter in __call__",
        status="manual",
        torch_example=(
            "class Symmetric(nn.Module):\n"
            "    def forward(self, w):\n"
            "        return w.triu() + w.triu(1).T\n"
            "m = nn.Linear(3, 3)\n"
            "nn.utils.parametrize.register_parametrization(m, 'weight', Symmetric())\n"
            "out = m(x)"
        ),
        jax_example=(
            "w = sd['parametrizations.weight.original']\n"
            "out = x @ (jnp.triu(w) + jnp.triu(w, 1).T).T + sd['bias']"
        ),
        inputs=(T("x", "N,3"),),
        checks=("forward", "jit", "grad"),
        notes=("torch stores the raw tensor as parametrizations.<name>.original in the state_dict; that is the "
               "nnx.Param to keep. unsafe=True and right_inverse (assigning to m.weight) have no counterpart: "
               "set the raw parameter instead.",),
        reason="a parametrisation is code in __call__: keep the raw tensor as an nnx.Param and apply the "
               "function to it there",
    ),
    Record(
        torch="torch.nn.utils.parametrizations.orthogonal",
        jax="weight = base @ expm(A - A^T) in the forward (jax.scipy.linalg.expm)",
        status="manual",
        torch_example="m = nn.utils.parametrizations.orthogonal(nn.Linear(3, 3))\nout = m(x)",
        jax_example=(
            "a = jnp.tril(sd['parametrizations.weight.original'])\n"
            "w = sd['parametrizations.weight.0.base'] @ jax.scipy.linalg.expm(a - a.T)\n"
            "out = x @ w.T + sd['bias']"
        ),
        inputs=(T("x", "N,3"),),
        checks=("forward", "jit", "grad"),
        notes=("Shown for a square weight, where torch's default map is the matrix exponential of the skew-"
               "symmetric A - A^T (A the lower triangle of the raw tensor), times the orthogonal base buffer "
               "stored at registration. A non-square weight uses torch's Householder map by default: "
               "jax.lax.linalg.householder_product(A, 2 / (1 + (A * A).sum(-2))) with A the strictly lower "
               "triangle of the (tall) raw tensor, each column times the sign on its diagonal.",),
        reason="a parametrisation is code in __call__: keep the raw tensor as an nnx.Param and the base as an "
               "nnx.Variable, and compute the orthogonal weight there",
    ),
    Record(
        torch="torch.nn.utils.parametrizations.spectral_norm",
        jax="weight / sigma with sigma = u . (W v)",
        status="manual",
        torch_example="m = nn.utils.parametrizations.spectral_norm(nn.Linear(4, 3))\nm.eval()\nout = m(x)",
        jax_example=(
            "w = sd['parametrizations.weight.original']\n"
            "u, v = sd['parametrizations.weight.0._u'], sd['parametrizations.weight.0._v']\n"
            "sigma = u @ (w @ v)\n"
            "out = x @ (w / sigma).T + sd['bias']"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-5, 1e-5, "sigma = u.(W v) is a float32 dot product in a different order"),
        notes=("Shown in eval mode, where the stored singular vectors u, v are used as they are. In training "
               "torch first runs one power iteration per forward (v = normalize(W^T u), u = normalize(W v), "
               "without gradient) and stores the result: in JAX keep u, v as nnx.Variable (not Param), "
               "update them with jax.lax.stop_gradient in __call__.",),
        reason="spectral normalisation keeps power-iteration state: an nnx.Variable updated in __call__",
    ),
    Record(
        torch="torch.nn.utils.rnn.pad_sequence",
        jax="jax.numpy.pad + jax.numpy.stack",
        status="manual",
        torch_example="out = nn.utils.rnn.pad_sequence([a, b, c], batch_first=True, padding_value=-1.0)",
        jax_example=(
            "seqs = [a, b, c]\n"
            "longest = max(len(s) for s in seqs)\n"
            "out = jnp.stack([jnp.pad(s, ((0, longest - len(s)), (0, 0)), constant_values=-1.0) for s in seqs])"
        ),
        inputs=(T("a", "A,3"), T("b", "B,3"), T("c", "C,3")),
        checks=("forward", "jit", "grad"),
        notes=("batch_first=False (torch's default) stacks on axis 1: jnp.stack(..., axis=1).",
               "Lengths are Python values: under jax.jit each new longest length compiles again; pad to fixed "
               "buckets to avoid it."),
        reason="padding a list of variable-length arrays is jnp.pad + jnp.stack; keep the lengths as an "
               "array for masks",
    ),
    Record(
        torch="torch.nn.utils.rnn.pack_padded_sequence",
        jax="a mask from the lengths",
        status="manual",
        torch_example=(
            "packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)\n"
            "out = (packed.data.sum(0), packed.batch_sizes)"
        ),
        jax_example=(
            "mask = jnp.arange(x.shape[1])[None, :] < jnp.array(lengths)[:, None]  # [B, T]\n"
            "out = ((x * mask[..., None]).sum((0, 1)), mask.sum(0)[:max(lengths)])"
        ),
        inputs=(T("x", "3,4,C"), Choice("lengths", ([3, 1, 2], [4, 4, 1], [2, 2, 2]))),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-6, 1e-5, "sums of the kept steps in a different order"),
        notes=("Shown: the packed steps hold exactly the unmasked entries, and batch_sizes[t] is the number of "
               "sequences longer than t. JAX keeps the padded array and a mask (or the lengths) instead: "
               "recurrent layers take seq_lengths (nnx.RNN(cell)(x, seq_lengths=lengths)), losses and "
               "poolings multiply by the mask.",),
        reason="there are no packed sequences in JAX: keep the padded batch with a mask (or lengths) and "
               "pass it to the recurrent layer (nnx.RNN's seq_lengths) and the loss",
    ),
    Record(
        torch="torch.nn.utils.rnn.pad_packed_sequence",
        jax="jax.numpy.where with a length mask",
        status="manual",
        aliases=("torch.nn.utils.rnn.pack_sequence",),
        torch_example=(
            "packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)\n"
            "padded, lens = nn.utils.rnn.pad_packed_sequence(packed, batch_first=True)\n"
            "out = (padded, lens)"
        ),
        jax_example=(
            "mask = jnp.arange(x.shape[1])[None, :] < jnp.array(lengths)[:, None]\n"
            "out = (jnp.where(mask[..., None], x, 0.0)[:, :max(lengths)], jnp.array(lengths))"
        ),
        inputs=(T("x", "3,4,C"), Choice("lengths", ([3, 1, 2], [4, 4, 1], [2, 2, 2]))),
        checks=("forward", "jit", "grad"),
        notes=("The padded result is cut to the longest length and zero beyond each sequence's end.",),
        reason="the padded array with a mask is what JAX code keeps throughout: zero the padding with "
               "jnp.where(mask, x, 0)",
    ),
    Record(
        torch="torch.nn.init.calculate_gain",
        jax="a table (no JAX function)",
        status="manual",
        torch_example="out = nn.init.calculate_gain(nl)",
        jax_example=(
            "gains = {'linear': 1, 'conv1d': 1, 'conv2d': 1, 'sigmoid': 1, 'tanh': 5.0 / 3,\n"
            "         'relu': 2 ** 0.5, 'leaky_relu': (2.0 / (1 + 0.01 ** 2)) ** 0.5, 'selu': 3.0 / 4}\n"
            "out = gains[nl]"
        ),
        inputs=(Choice("nl", ("linear", "conv1d", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu")),),
        checks=("forward",),
        tol=Tol(1e-15, 0.0, "the same formulas in float64; torch returns the int 1 for linear, conv and sigmoid"),
        notes=("jax.nn.initializers.variance_scaling(scale=gain ** 2, mode='fan_in' | 'fan_avg', "
               "distribution='uniform' | 'truncated_normal') uses the gain squared: xavier_uniform(gain=g) is "
               "variance_scaling(g ** 2, 'fan_avg', 'uniform').",
               "leaky_relu's gain takes the slope as second argument (default 0.01)."),
        reason="JAX's initialisers take a variance scale (the gain squared) instead of a gain",
    ),
    Record(
        torch="torch.optim.LBFGS",
        jax="optax.lbfgs",
        status="manual",
        torch_example=(
            "w = torch.nn.Parameter(torch.zeros(X.shape[1]))\n"
            "opt = torch.optim.LBFGS([w], lr=1, max_iter=100, line_search_fn='strong_wolfe')\n"
            "def closure():\n"
            "    opt.zero_grad()\n"
            "    loss = ((X @ w - y) ** 2).mean()\n"
            "    loss.backward()\n"
            "    return loss\n"
            "opt.step(closure)\n"
            "out = ((X @ w - y) ** 2).mean().detach()"
        ),
        jax_example=(
            "loss_fn = lambda w: ((X @ w - y) ** 2).mean()\n"
            "opt = optax.lbfgs()\n"
            "w = jnp.zeros(X.shape[1])\n"
            "state = opt.init(w)\n"
            "value_and_grad = optax.value_and_grad_from_state(loss_fn)\n"
            "@jax.jit\n"
            "def step(w, state):\n"
            "    value, g = value_and_grad(w, state=state)\n"
            "    updates, state = opt.update(g, state, w, value=value, grad=g, value_fn=loss_fn)\n"
            "    return optax.apply_updates(w, updates), state\n"
            "for _ in range(30):\n"
            "    w, state = step(w, state)\n"
            "out = loss_fn(w)"
        ),
        inputs=(T("X", "8,N", grad=False), T("y", "8", grad=False)),
        checks=("forward",),
        why_not={"grad": "a training loop: computes its own gradients, steps under no_grad; the output is detached"},
        tol=Tol(1e-4, 1e-5, "both stop at the least-squares minimum within float32 and their stopping rules"),
        notes=("Compared: the loss reached. The iterates differ: torch's step(closure) runs up to max_iter "
               "inner iterations with its own line search; optax.lbfgs is one iteration per update, with a "
               "zoom line search (strong Wolfe) by default.",),
        reason="L-BFGS needs the loss function itself for its line search: optax.lbfgs().update(..., "
               "value=, grad=, value_fn=) in a loop (or jax.lax.while_loop), with "
               "optax.value_and_grad_from_state to reuse the line search's evaluations",
    ),
]
