"""nanoGPT in JAX (Flax NNX + Optax), with a PyTorch reference and parity tests; see README.md."""
