"""Shared test setup: hypothesis profiles and strict JAX settings."""

import os

import numpy as np
import pytest
from hypothesis import settings

from mapping import strategies

strategies.register_profiles(fuzz_examples=int(os.environ.get("JAXMIGRATE_FUZZ_EXAMPLES", "200")))
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
strategies.DRAW_SUBNORMALS = PROFILE == "fuzz"

np.seterr(all="ignore")


def require_torch() -> None:
    """Skip the calling test module when torch is missing, except under CI (`CI` set), where the
    proofs must run: there a missing torch is an error, never a skip."""
    try:
        import torch  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("torch is not installed: `pip install -e '.[dev]'` (or `pip install torch`) to run "
                    "the proofs against PyTorch", allow_module_level=True)
