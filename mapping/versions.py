"""The framework versions the catalogue was last verified with (a test checks they are installed)."""

VERIFIED_WITH = {"torch": "2.13.0", "jax": "0.10.2", "flax": "0.12.8", "optax": "0.2.8"}
