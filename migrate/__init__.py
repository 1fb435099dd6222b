"""jaxmigrate: read PyTorch code and say what each torch call becomes in JAX."""

__version__ = "0.1.0"
