"""The property suite: make ``tests/`` importable (for the ``strategies`` package) and load the profile."""
from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

import strategies  # noqa: E402,F401 - registers and loads the hypothesis profiles
