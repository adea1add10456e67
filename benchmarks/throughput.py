"""Throughput: the Qingdao 2020 rubric scored by our engine, a hand-written floor and two peer engines.

    python benchmarks/throughput.py            # 20,000 submissions (about a minute)
    python benchmarks/throughput.py --quick    # 3,000 submissions (under 30 seconds)
    python benchmarks/throughput.py --profile  # also cProfile the engine's loop (to stderr)

What is timed, for every contender alike: from the plain submission data (what a YAML,
JSON or CSV reader hands over: Decimal numbers, percents as "97%" or bare points) to a
total and a grade. For our engine that is ``submission_from_data`` (checking every value
and judgment) then ``score``, which builds the full :class:`~engine.Result` with every
indicator's score, deductions and explanation. The floor (``qingdao_floor.py``) and the
peers (``peers.py``) compute the leaf scores they need and no explanation. Loading the
rubric and building each peer's decision model happen once, untimed.

The submissions are split into blocks, and each block is scored by every contender in
turn, so that a busy machine slows all of them alike. Every contender's totals (as text
with 2 decimals) and grades are compared with the engine's on every submission. The last
line of output is one JSON object with the figures.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import engine  # noqa: E402
import peers  # noqa: E402
import qingdao_floor  # noqa: E402
import workload  # noqa: E402

RUBRIC = ROOT / "rubrics" / "qingdao" / "2020.yaml"
BLOCK = 500
Scorer = Callable[[dict[str, Any]], tuple[Any, str]]


def contenders() -> dict[str, Scorer | None]:
    """Name → scorer; ``None`` for a peer whose package is not installed."""
    rubric = engine.load_rubric(RUBRIC)
    spec = peers.Spec(RUBRIC)

    def ours(data: dict[str, Any]) -> tuple[Any, str]:
        result = engine.score(rubric, engine.submission_from_data(data, rubric))
        return result.total, result.grade

    found: dict[str, Scorer | None] = {"engine": ours, "floor": lambda data: qingdao_floor.score(data)[:2]}
    for name, build in (("zen", peers.zen_scorer), ("rule_engine", peers.rule_engine_scorer)):
        try:
            found[name] = build(spec)
        except ImportError:
            print(f"{name}: not installed (pip install -e \".[bench]\"); skipped", file=sys.stderr)
            found[name] = None
    return found


def run(submissions: list[dict[str, Any]], scorers: dict[str, Scorer | None]) -> tuple[dict[str, float], dict[str, list]]:
    """Seconds spent and (total, grade) answers per contender, block by block."""
    seconds = {name: 0.0 for name, f in scorers.items() if f}
    answers: dict[str, list] = {name: [] for name in seconds}
    for start in range(0, len(submissions), BLOCK):
        block = submissions[start:start + BLOCK]
        for name in seconds:
            score, out = scorers[name], answers[name]
            began = time.perf_counter()
            for data in block:
                out.append(score(data))  # type: ignore[misc]
            seconds[name] += time.perf_counter() - began
    return seconds, answers


def disagreements(answers: dict[str, list]) -> dict[str, int]:
    """How many submissions each contender scored differently from the engine."""
    shown = {name: [(f"{total:.2f}", grade) for total, grade in rows] for name, rows in answers.items()}
    reference = shown["engine"]
    return {name: sum(a != b for a, b in zip(rows, reference)) for name, rows in shown.items()}


def report(count: int, seconds: dict[str, float], wrong: dict[str, int]) -> dict[str, Any]:
    rate = {name: count / s for name, s in seconds.items()}
    floor = rate["floor"]
    print(f"{count:,} Qingdao 2020 submissions, from plain data to total and grade\n")
    print(f"{'contender':<14}{'submissions/s':>15}{'ratio to floor':>16}{'disagreements':>15}")
    for name in ("engine", "floor", "zen", "rule_engine"):
        if name in rate:
            print(f"{name:<14}{rate[name]:>15,.0f}{rate[name] / floor:>16.3f}{wrong[name]:>15}")
        else:
            print(f"{name:<14}{'not installed':>15}")
    figure = lambda name: round(rate[name], 1) if name in rate else None  # noqa: E731
    return {"engine_per_s": figure("engine"), "floor_per_s": figure("floor"), "zen_per_s": figure("zen"),
            "rule_engine_per_s": figure("rule_engine"), "engine_vs_floor": round(rate["engine"] / floor, 4),
            "all_agree": not any(wrong.values())}


def profile(submissions: list[dict[str, Any]], scorer: Scorer, top: int = 30) -> None:
    """cProfile the engine's loop; the table goes to stderr so the last stdout line stays JSON."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for data in submissions:
        scorer(data)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=20_000, help="submissions to score (default 20000)")
    parser.add_argument("--quick", action="store_true", help="3,000 submissions: a run under 30 seconds")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--profile", action="store_true", help="also cProfile the engine (to stderr)")
    args = parser.parse_args(argv)
    count = 3_000 if args.quick else args.count
    submissions = workload.submissions(count, args.seed)
    scorers = contenders()
    seconds, answers = run(submissions, scorers)
    figures = report(count, seconds, disagreements(answers))
    if args.profile:
        profile(submissions, scorers["engine"])  # type: ignore[arg-type]
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
