"""One real run of the installed ``rubric`` console script (README: pip install -e .), from the repo root."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_installed_script_scores_the_qingdao_example() -> None:
    script = shutil.which("rubric")
    assert script is not None, "the rubric script is not installed: pip install -e . (see README.md)"
    env = {key: value for key, value in os.environ.items() if key not in ("RUBRIC_PATH", "FORCE_COLOR")}
    done = subprocess.run([script, "score", "qingdao@2020", "examples/qingdao-2020.yaml", "--format", "json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    data = json.loads(done.stdout)
    assert (data["total"], data["grade"], data["rubric"]["id"], data["rubric"]["version"]) == (96.65, "优", "qingdao", "2020")
