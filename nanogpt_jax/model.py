"""nanoGPT's GPT in Flax NNX, plus its optimizer groups, schedule, MFU estimate and sampling.

Module and attribute names follow nanoGPT's checkpoint keys (``transformer.h.0.attn.c_attn``), so
``convert.py`` maps weights with a table. Layouts differ only where Flax's do: a Linear ``kernel`` is
``[in, out]`` (torch ``weight`` is ``[out, in]``); LayerNorm ``weight`` is called ``scale``.
Dropout takes an explicit PRNG key: ``model(idx, targets, key=k)`` trains, ``key=None`` is eval mode.
"""

import dataclasses
import functools
import math

import jax
import jax.numpy as jnp
import optax
from flax import nnx


@dataclasses.dataclass(frozen=True)
class GPTConfig:
    block_size: int = 1024
    vocab_size: int = 50304  # GPT-2's 50257 padded up to a multiple of 64 for speed
    n_layer: int = 12
    n_head: int = 12
    n_embd: int = 768
    dropout: float = 0.0
    bias: bool = True  # biases in Linear and LayerNorm, like GPT-2
    gelu_approximate: str = "none"  # nanoGPT: exact erf GELU; "tanh" is Hugging Face GPT-2's gelu_new
    dtype: str = "float32"  # compute dtype; parameters stay float32 (bfloat16 = mixed precision)


def _linear(n_in, n_out, config, rngs, std=0.02):
    return nnx.Linear(n_in, n_out, use_bias=config.bias, dtype=jnp.dtype(config.dtype),
                      kernel_init=nnx.initializers.normal(std), bias_init=nnx.initializers.zeros, rngs=rngs)


def _layer_norm(config, rngs):
    # torch's eps 1e-5 (Flax defaults to 1e-6) and the two-pass variance torch uses
    return nnx.LayerNorm(config.n_embd, epsilon=1e-5, use_bias=config.bias, use_fast_variance=False,
                         dtype=jnp.dtype(config.dtype), rngs=rngs)


def _dense(layer, x):
    """layer on (..., C) through a 2-D (rows, C) matmul. XLA:CPU turns the backward of a 3-D dot_general
    (weight gradient contracting over batch and time) into slow transposing loops; 2-D is ~1.7x faster."""
    return layer(x.reshape(-1, x.shape[-1])).reshape(*x.shape[:-1], -1)


@jax.custom_jvp
def gelu_exact(x):
    """torch's default GELU, x * Phi(x) with the exact erf (jax.nn.gelu defaults to the tanh form)."""
    return 0.5 * x * (1.0 + jax.lax.erf(x * (1 / math.sqrt(2))))


@gelu_exact.defjvp
def _gelu_exact_jvp(primals, tangents):
    # d/dx x*Phi(x) = Phi(x) + x*phi(x), each computed once: autodiff of jax.nn.gelu(approximate=False)
    # evaluates erfc twice more in the backward pass (~6% of a CPU training step here)
    (x,), (t,) = primals, tangents
    cdf = 0.5 * (1.0 + jax.lax.erf(x * (1 / math.sqrt(2))))
    pdf = jnp.exp(-0.5 * x * x) * (1 / math.sqrt(2 * math.pi))
    return x * cdf, (cdf + x * pdf) * t


def _split(key, n):
    """n dropout keys, or n Nones in eval mode."""
    return [None] * n if key is None else list(jax.random.split(key, n))


def _dropout(layer, x, key):
    return layer(x, deterministic=key is None, rngs=key)


class CausalSelfAttention(nnx.Module):
    def __init__(self, config: GPTConfig, *, rngs: nnx.Rngs):
        assert config.n_embd % config.n_head == 0
        residual_std = 0.02 / math.sqrt(2 * config.n_layer)  # GPT-2's scaled init of residual projections
        self.c_attn = _linear(config.n_embd, 3 * config.n_embd, config, rngs)  # q, k, v in one matmul
        self.c_proj = _linear(config.n_embd, config.n_embd, config, rngs, std=residual_std)
        self.attn_dropout = nnx.Dropout(config.dropout)
        self.resid_dropout = nnx.Dropout(config.dropout)
        self.n_head = config.n_head

    def __call__(self, x, key=None):
        B, T, C = x.shape
        k_attn, k_resid = _split(key, 2)
        q, k, v = jnp.split(_dense(self.c_attn, x), 3, axis=-1)
        q, k, v = (t.reshape(B, T, self.n_head, C // self.n_head) for t in (q, k, v))  # (B, T, nh, hs)
        att = jnp.einsum("bqhd,bkhd->bhqk", q, k) * (1.0 / math.sqrt(C // self.n_head))
        causal = jnp.tril(jnp.ones((T, T), dtype=bool))
        att = jnp.where(causal, att, -jnp.inf)  # exp(-inf) = 0: the future gets exactly zero weight
        att = jax.nn.softmax(att.astype(jnp.float32), axis=-1).astype(x.dtype)
        att = _dropout(self.attn_dropout, att, k_attn)
        y = jnp.einsum("bhqk,bkhd->bqhd", att, v).reshape(B, T, C)
        return _dropout(self.resid_dropout, _dense(self.c_proj, y), k_resid)


class MLP(nnx.Module):
    def __init__(self, config: GPTConfig, *, rngs: nnx.Rngs):
        residual_std = 0.02 / math.sqrt(2 * config.n_layer)
        self.c_fc = _linear(config.n_embd, 4 * config.n_embd, config, rngs)
        self.c_proj = _linear(4 * config.n_embd, config.n_embd, config, rngs, std=residual_std)
        self.dropout = nnx.Dropout(config.dropout)
        self.approximate = config.gelu_approximate == "tanh"  # nanoGPT: exact; HF GPT-2: tanh

    def __call__(self, x, key=None):
        h = _dense(self.c_fc, x)
        h = jax.nn.gelu(h, approximate=True) if self.approximate else gelu_exact(h)
        return _dropout(self.dropout, _dense(self.c_proj, h), key)


class Block(nnx.Module):
    def __init__(self, config: GPTConfig, *, rngs: nnx.Rngs):
        self.ln_1 = _layer_norm(config, rngs)
        self.attn = CausalSelfAttention(config, rngs=rngs)
        self.ln_2 = _layer_norm(config, rngs)
        self.mlp = MLP(config, rngs=rngs)

    def __call__(self, x, key=None):
        k_attn, k_mlp = _split(key, 2)
        x = x + self.attn(self.ln_1(x), k_attn)  # pre-LayerNorm residual blocks
        return x + self.mlp(self.ln_2(x), k_mlp)


class GPT(nnx.Module):
    def __init__(self, config: GPTConfig, *, rngs: nnx.Rngs):
        self.config = config
        dtype = jnp.dtype(config.dtype)
        init = nnx.initializers.normal(0.02)
        self.transformer = nnx.Dict(
            wte=nnx.Embed(config.vocab_size, config.n_embd, dtype=dtype, embedding_init=init, rngs=rngs),
            wpe=nnx.Embed(config.block_size, config.n_embd, dtype=dtype, embedding_init=init, rngs=rngs),
            drop=nnx.Dropout(config.dropout),
            h=nnx.List([Block(config, rngs=rngs) for _ in range(config.n_layer)]),
            ln_f=_layer_norm(config, rngs),
        )
        # lm_head is tied to wte: logits = x @ wte.T (transformer.wte.attend), no separate parameter

    def get_num_params(self, non_embedding=True):
        n = sum(p.size for p in jax.tree.leaves(nnx.state(self, nnx.Param)))
        return n - self.transformer.wpe.embedding.size if non_embedding else n

    def hidden(self, idx, key=None):
        """Final-LayerNorm activations (B, T, n_embd) for token ids idx (B, T)."""
        T = idx.shape[1]
        assert T <= self.config.block_size, f"sequence of length {T} > block_size {self.config.block_size}"
        keys = _split(key, self.config.n_layer + 1)
        x = self.transformer.wte(idx) + self.transformer.wpe(jnp.arange(T))
        x = _dropout(self.transformer.drop, x, keys[0])
        for block, k in zip(self.transformer.h, keys[1:]):
            x = block(x, k)
        return self.transformer.ln_f(x)

    def __call__(self, idx, targets=None, *, key=None):
        """(logits, loss) like nanoGPT: full logits and the loss with targets, else last-position logits."""
        x = self.hidden(idx, key)
        if targets is None:
            return self.transformer.wte.attend(x[:, -1:, :]), None  # inference: only the last position
        logits = self.lm_head(x)
        return logits, cross_entropy(logits, targets)

    def lm_head(self, x):
        """Logits with the tied weight: x @ wte.T (as a 2-D matmul, see _dense)."""
        B, T, C = x.shape
        return self.transformer.wte.attend(x.reshape(B * T, C)).reshape(B, T, -1)

    def crop_block_size(self, block_size):
        """Shrink the context (e.g. GPT-2's 1024 used at 256) by cropping the position table."""
        assert block_size <= self.config.block_size
        self.config = dataclasses.replace(self.config, block_size=block_size)
        wpe = self.transformer.wpe
        wpe.embedding = nnx.Param(wpe.embedding[:block_size])
        wpe.num_embeddings = block_size


IGNORE_INDEX = -1  # nanoGPT's (and torch's F.cross_entropy's) ignore_index


def nll_sum(logits, targets, ignore_index=IGNORE_INDEX):
    """(sum of token cross-entropies over targets != ignore_index, their count): cross_entropy's two parts,
    so a data-parallel step can add each over devices before dividing."""
    logp = jax.nn.log_softmax(logits.astype(jnp.float32), axis=-1)
    valid = targets != ignore_index
    nll = -jnp.take_along_axis(logp, jnp.where(valid, targets, 0)[..., None], axis=-1)[..., 0]
    return jnp.sum(jnp.where(valid, nll, 0.0)), jnp.sum(valid)


def cross_entropy(logits, targets, ignore_index=IGNORE_INDEX):
    """Mean token cross-entropy over targets != ignore_index (torch's ignore_index=-1; optax has none)."""
    total, count = nll_sum(logits, targets, ignore_index)
    return total / count


def decay_mask(params):
    """nanoGPT's groups: every >=2-D parameter decays (wte and wpe included); biases and LayerNorm don't."""
    return jax.tree.map(lambda p: p.ndim >= 2, params)


def configure_optimizers(params, weight_decay, betas, verbose=True):
    """AdamW without its learning rate: the train step multiplies by -lr, so the schedule stays a plain
    function of iter_num (as nanoGPT sets param_group['lr'] each step). eps is torch's 1e-8.
    params is only used to print the group sizes; the optimizer itself depends on no array."""
    if verbose:
        sizes = [(m, p.size) for m, p in zip(jax.tree.leaves(decay_mask(params)), jax.tree.leaves(params))]
        for flag, label in ((True, "decayed"), (False, "non-decayed")):
            chosen = [n for m, n in sizes if m == flag]
            print(f"num {label} parameter tensors: {len(chosen)}, with {sum(chosen):,} parameters")
    return optax.chain(optax.scale_by_adam(b1=betas[0], b2=betas[1], eps=1e-8),
                       optax.add_decayed_weights(weight_decay, decay_mask))


def get_lr(it, learning_rate, warmup_iters, lr_decay_iters, min_lr):
    """nanoGPT's schedule: linear warmup lr * (it + 1) / (warmup_iters + 1), then cosine down to min_lr."""
    if it < warmup_iters:
        return learning_rate * (it + 1) / (warmup_iters + 1)
    if it > lr_decay_iters:
        return min_lr
    ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (learning_rate - min_lr)


def estimate_mfu(config, num_params, fwdbwd_per_iter, dt, flops_promised=312e12):
    """Model FLOPs utilisation (PaLM appendix B); num_params excludes position embeddings."""
    L, H, Q, T = config.n_layer, config.n_head, config.n_embd // config.n_head, config.block_size
    flops_per_token = 6 * num_params + 12 * L * H * Q * T
    return flops_per_token * T * fwdbwd_per_iter * (1.0 / dt) / flops_promised


@functools.partial(jax.jit, static_argnames=("graphdef", "top_k"))
def _next_token(graphdef, params, window, pos, key, temperature, top_k):
    model = nnx.merge(graphdef, params)
    x = jax.lax.dynamic_index_in_dim(model.hidden(window), pos, axis=1, keepdims=False)  # (B, C)
    logits = model.transformer.wte.attend(x).astype(jnp.float32) / temperature
    if top_k is not None:
        kth = jax.lax.top_k(logits, min(top_k, logits.shape[-1]))[0][:, -1:]
        logits = jnp.where(logits < kth, -jnp.inf, logits)
    return jax.random.categorical(key, logits, axis=-1)


def generate(model, idx, max_new_tokens, temperature=1.0, top_k=None, *, key):
    """Append max_new_tokens sampled tokens to idx (B, t), nanoGPT's loop with one compiled step.

    The context (the last block_size tokens) is padded on the right to block_size so every step has one
    shape; causal attention makes the padding invisible to the position read out.
    """
    block_size = model.config.block_size
    graphdef, params = nnx.split(model)
    idx = jnp.asarray(idx)
    for _ in range(max_new_tokens):
        window = idx[:, -block_size:]
        t = window.shape[1]
        window = jnp.pad(window, ((0, 0), (0, block_size - t)))
        key, sub = jax.random.split(key)
        nxt = _next_token(graphdef, params, window, t - 1, sub, temperature, top_k)
        idx = jnp.concatenate([idx, nxt[:, None].astype(idx.dtype)], axis=1)
    return idx
