"""Hypothesis profiles for the property suite.

``ci`` (the default) keeps the whole suite to a couple of minutes on a shared 2-core
machine; ``deep`` runs many more examples for occasional longer runs; ``dev`` is quick
for iterating. Choose one with ``HYPOTHESIS_PROFILE=deep pytest tests/properties``.
Every profile prints a reproduction blob on failure (``print_blob``), so that a failing
example can be replayed with ``@reproduce_failure`` and then pasted as a regression test.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

settings.register_profile("ci", max_examples=60, deadline=2000, derandomize=False, **_COMMON)
settings.register_profile("deep", max_examples=1500, deadline=5000, **_COMMON)
settings.register_profile("dev", max_examples=15, deadline=2000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: The most one example may take before it counts as a hang (robustness and safety tests).
HANG_SECONDS = 2.0
