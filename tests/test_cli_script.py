"""One real run of the installed ``rubric`` console script (README: pip install -e .), from the repo root."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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


def test_scoring_a_yaml_file_loads_no_excel_library() -> None:
    # openpyxl (and the numpy it pulls in) took 200 of 620 ms of a cold `rubric score` (benchmarks/startup.py):
    # only directories, CSV and workbooks need it
    code = ("import sys; from cli.main import run; sys.argv = ['rubric', 'score', 'qingdao@2020', "
            "'examples/qingdao-2020.yaml', '--format', 'json']\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in ('openpyxl', 'numpy') if m in sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                          timeout=60, check=False)
    assert "LOADED []" in done.stderr, done.stderr[-500:]
