"""jaxmigrate: read PyTorch code and say what each torch call becomes in JAX."""

__version__ = "0.1.0"


def __getattr__(name: str):
    """`migrate.load_state_dict` / `migrate.state_dict`, imported on first use (they import jax and flax)."""
    if name in ("load_state_dict", "state_dict"):
        from migrate import weights

        return getattr(weights, name)
    raise AttributeError(f"module 'migrate' has no attribute {name!r}")
