"""Throughput: the Qingdao 2020 rubric scored by our engine, a hand-written floor and two peer engines.

    python benchmarks/throughput.py            # 20,000 submissions (about a minute)
    python benchmarks/throughput.py --quick    # 3,000 submissions (under 30 seconds)
    python benchmarks/throughput.py --profile  # also cProfile the engine's loop (to stderr)

What is timed, for every contender alike: from the plain submission data (what a YAML,
JSON or CSV reader hands over: Decimal numbers, percents as "97%" or bare points) to the
total, the grade and the score of every indicator. For our engine that is
``submission_from_data`` (checking every value and judgment) then ``score``, which builds
the full :class:`~engine.Result` (every indicator's score, base, deductions and
explanation), then reading each indicator's score from it. The floor
(``qingdao_floor.py``) and the peers (``peers.py``) compute the leaf and level-1 scores
and no explanation. Loading the rubric and building each peer's decision model happen
once, untimed.

The submissions are split into blocks, and each block is scored by every contender in
turn, so that a busy machine slows all of them alike. Every contender's total and grade,
and every indicator score it gives, are compared with the engine's on every submission,
as text with 2 decimals; ``all_agree`` is true only when none differs. The last line of
output is one JSON object with the figures.
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
Scorer = Callable[[dict[str, Any]], tuple[Any, str, dict[str, Any]]]
Answer = tuple[str, str, dict[str, str]]


def contenders() -> dict[str, Scorer | None]:
    """Name → scorer; ``None`` for a peer whose package is not installed."""
    rubric = engine.load_rubric(RUBRIC)
    spec = peers.Spec(RUBRIC)

    def ours(data: dict[str, Any]) -> tuple[Any, str, dict[str, Any]]:
        result = engine.score(rubric, engine.submission_from_data(data, rubric))
        return result.total, result.grade, {node.id: node.score for node in result.nodes()}

    found: dict[str, Scorer | None] = {"engine": ours, "floor": qingdao_floor.score}
    for name, build in (("zen", peers.zen_scorer), ("rule_engine", peers.rule_engine_scorer)):
        try:
            found[name] = build(spec)
        except ImportError:
            print(f"{name}: not installed (pip install -e \".[bench]\"); skipped", file=sys.stderr)
            found[name] = None
    return found


def run(submissions: list[dict[str, Any]], scorers: dict[str, Scorer | None]) -> tuple[dict[str, float], dict[str, int]]:
    """Seconds spent, and submissions scored differently from the engine, per contender."""
    seconds = {name: 0.0 for name, f in scorers.items() if f}
    wrong = {name: 0 for name in seconds}
    for start in range(0, len(submissions), BLOCK):
        block, answers = submissions[start:start + BLOCK], {}
        for name in seconds:
            score = scorers[name]
            began = time.perf_counter()
            answers[name] = [score(data) for data in block]  # type: ignore[misc]
            seconds[name] += time.perf_counter() - began
        reference = [_shown(answer) for answer in answers["engine"]]
        for name, rows in answers.items():
            wrong[name] += sum(not _agrees(_shown(row), ref) for row, ref in zip(rows, reference))
    return seconds, wrong


def _shown(answer: tuple[Any, str, dict[str, Any]]) -> Answer:
    total, grade, scores = answer
    return f"{total:.2f}", grade, {key: f"{value:.2f}" for key, value in scores.items()}


def _agrees(answer: Answer, reference: Answer) -> bool:
    """Same total and grade, and each indicator score given equal to the engine's."""
    return answer[:2] == reference[:2] and all(reference[2].get(k) == v for k, v in answer[2].items())


def report(count: int, seconds: dict[str, float], wrong: dict[str, int]) -> dict[str, Any]:
    rate = {name: count / s for name, s in seconds.items()}
    floor = rate["floor"]
    print(f"{count:,} Qingdao 2020 submissions, from plain data to every indicator's score, total and grade\n")
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
    seconds, wrong = run(submissions, scorers)
    figures = report(count, seconds, wrong)
    if args.profile:
        profile(submissions, scorers["engine"])  # type: ignore[arg-type]
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
