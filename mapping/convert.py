"""Tested converters from a torch `state_dict` (numpy, torch layout) into Flax NNX modules.

torch stores Linear weights as [out, in] and convolutions as [out, in, *kernel]; Flax NNX stores
kernels as [in, out] and [*kernel, in, out]. Each function copies one module's weights and does
only that layout change, so it stays differentiable (gradients flow back in torch layout).
"""

from __future__ import annotations

import jax.numpy as jnp
from flax import nnx


def load_linear(m: nnx.Linear, sd: dict, prefix: str = "") -> nnx.Linear:
    """torch.nn.Linear weight [out, in] -> nnx.Linear kernel [in, out]."""
    m.kernel.set_value(jnp.asarray(sd[prefix + "weight"]).T)
    if m.bias is not None:
        m.bias.set_value(jnp.asarray(sd[prefix + "bias"]))
    return m
