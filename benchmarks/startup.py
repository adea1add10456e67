"""Cold start: one ``rubric score qingdao@2020 examples/qingdao-2020.yaml --format json`` as a whole process,
against ``python -c pass`` on the same machine.

    python benchmarks/startup.py            # 15 runs of each, interleaved
    python benchmarks/startup.py --runs 31

The two commands take turns (after one untimed warm-up run each, which also compiles
bytecode), so that a busy machine slows both alike; the figure is the ratio of the
medians, with a target of at most 12×. The ``rubric`` console script installed next to
this Python is used when there is one (a pyenv or other shim in front of it would add
its own start-up cost), else ``python -m cli.main``. The scored output is checked: exit
code 0 and the published 96.65 优. The last line of output is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["score", "qingdao@2020", "examples/qingdao-2020.yaml", "--format", "json"]
TARGET = 12.0


def rubric_command() -> list[str]:
    """The CLI as an evaluator runs it: the installed console script, else the module."""
    script = Path(sys.executable).parent / ("rubric.exe" if os.name == "nt" else "rubric")
    if script.is_file():
        return [str(script), *ARGS]
    return [sys.executable, "-m", "cli.main", *ARGS]


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    began = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True)
    return time.perf_counter() - began, done


def check(done: subprocess.CompletedProcess[bytes]) -> str | None:
    """Why the scored output is not the published 96.65 优, or ``None`` when it is."""
    if done.returncode != 0:
        return f"exit code {done.returncode}: {done.stderr.decode(errors='replace').strip()[-400:]}"
    try:
        result = json.loads(done.stdout)
    except ValueError:
        return f"not JSON: {done.stdout.decode(errors='replace')[:200]!r}"
    if not isinstance(result, dict) or f"{result.get('total')}" != "96.65" or result.get("grade") != "优":
        return f"expected total 96.65 and grade 优, got {str(result)[:200]}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    args = parser.parse_args(argv)
    command, baseline = rubric_command(), [sys.executable, "-c", "pass"]
    _, first = timed(command)
    problem = check(first)
    if problem:
        print(f"{' '.join(command)}: {problem}", file=sys.stderr)
        return 1
    timed(baseline)
    ours, python = [], []
    for _ in range(args.runs):
        ours.append(timed(command)[0])
        python.append(timed(baseline)[0])
    ours_median, python_median = statistics.median(ours), statistics.median(python)
    ratio = ours_median / python_median
    shown = ("python -m cli.main " if command[0] == sys.executable else "rubric ") + " ".join(ARGS)
    width = len(shown) + 2
    print(f"{'command':<{width}}{'median ms':>10}{'min ms':>9}")
    print(f"{shown:<{width}}{ours_median * 1000:>10.1f}{min(ours) * 1000:>9.1f}")
    print(f"{'python -c pass':<{width}}{python_median * 1000:>10.1f}{min(python) * 1000:>9.1f}")
    print(f"ratio {ratio:.2f}× (target ≤ {TARGET:g}×: {'met' if ratio <= TARGET else 'not met'}), {args.runs} runs each")
    print(json.dumps({"command": shown,
                      "rubric_median_s": round(ours_median, 4), "python_median_s": round(python_median, 4),
                      "startup_ratio": round(ratio, 2), "target_ratio": TARGET, "met": ratio <= TARGET},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
