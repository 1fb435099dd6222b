"""Shared test setup: hypothesis profiles and strict JAX settings."""

import os

import numpy as np
from hypothesis import HealthCheck, settings

_common = dict(deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# ci: a few examples per record, reproducible from the printed blob; fuzz: many more, locally.
settings.register_profile("ci", max_examples=3, **_common)
settings.register_profile("dev", max_examples=8, **_common)
settings.register_profile("fuzz", max_examples=200, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

np.seterr(all="ignore")
