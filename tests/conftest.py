"""Shared test setup: hypothesis profiles and strict JAX settings."""

import os

import numpy as np
from hypothesis import HealthCheck, settings

_common = dict(deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# ci: a few examples per record, the same ones on every run (derandomized), so CI never fails by
# chance and a failure replays locally; dev and fuzz draw fresh examples, to find what ci misses.
settings.register_profile("ci", max_examples=3, derandomize=True, **_common)
settings.register_profile("dev", max_examples=8, **_common)
settings.register_profile("fuzz", max_examples=200, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

np.seterr(all="ignore")
