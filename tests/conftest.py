"""Make ``tests/`` importable, so that test modules share helpers (``engine_helpers``,
``docsnippets``) and the ``strategies`` package whatever directory pytest starts from."""
from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
