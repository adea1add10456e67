"""The invariants as one-line assertions, shared by the generated and the seed-rubric properties."""
from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import engine
from engine import Result, Rubric
from engine.numbers import fixed, round_half_up

TRUE_WORDS = ("是", "yes", "true", "y", "有")


def load(plan: Any, name: str = "generated.yaml") -> Rubric:
    """Parse a generated plan's YAML text (a plan must always load)."""
    return engine.parse_rubric(plan.text, name)


def scored(rubric: Rubric, data: dict[str, Any]) -> Result:
    """Check ``data`` as a submission for ``rubric`` and score it."""
    return engine.score(rubric, engine.submission_from_data(data, rubric, "submission.yaml"))


def scores(result: Result) -> dict[str, Decimal]:
    return {node.id: node.score for node in result.nodes()}


def truthy(entry: Any) -> bool:
    """A boolean entry as the engine reads it (是/否, yes/no, true/false)."""
    return entry if isinstance(entry, bool) else str(entry).strip().lower() in TRUE_WORDS


def assert_bounds(result: Result) -> None:
    """1. Every node within 0..its weight; the total within 0..max."""
    for node in result.nodes():
        assert 0 <= node.score <= node.weight, f"{node.id}: score {node.score} outside 0..{node.weight}"
        if node.base is not None:
            assert 0 <= node.base <= node.weight, f"{node.id}: base {node.base} outside 0..{node.weight}"
    assert 0 <= result.total <= result.max, f"total {result.total} outside 0..{result.max}"


def _leaf_precision(rubric: Rubric, node_id: str) -> int:
    indicator = rubric.node(node_id)
    assert indicator is not None
    return indicator.precision if indicator.precision is not None else rubric.precision


def assert_additive(result: Result, rubric: Rubric) -> None:
    """2. Parents are the exact sum of their children, the total of level 1: as Decimals and as displayed."""
    for node in result.nodes():
        if node.children:
            assert node.score == sum(c.score for c in node.children), f"{node.id}: {node.score} ≠ Σ children"
            assert node.weight == sum(c.weight for c in node.children), f"{node.id}: weight ≠ Σ children's weights"
        else:
            precision = _leaf_precision(rubric, node.id)
            assert node.score == round_half_up(node.score, precision), f"{node.id}: {node.score} not rounded to {precision}"
    assert result.total == sum(n.score for n in result.indicators), "total ≠ Σ level-1 scores"
    weights = sum(n.weight for n in result.indicators)
    assert weights in (result.max, 0), f"level-1 weights add up to {weights}, not the maximum {result.max}"
    _assert_json_additive(json.loads(json.dumps(result.to_dict()), parse_float=Decimal, parse_int=Decimal))
    # a leaf never rounds more finely than the rubric (refused at load), so the parts add up as shown too
    shown = lambda value: Decimal(fixed(value, rubric.precision))  # noqa: E731 - as a table shows it
    for node in result.nodes():
        if node.children:
            assert shown(node.score) == sum(shown(c.score) for c in node.children), f"{node.id}: shown sum differs"
    assert shown(result.total) == sum(shown(n.score) for n in result.indicators), "shown total differs"


def _assert_json_additive(data: dict[str, Any]) -> None:
    assert data["total"] == sum(n["score"] for n in data["indicators"]), "JSON total ≠ Σ JSON level-1 scores"
    stack = list(data["indicators"])
    while stack:
        node = stack.pop()
        if node["children"]:
            assert node["score"] == sum(c["score"] for c in node["children"]), f"JSON {node['id']}: score ≠ Σ children"
            assert node["lost"] == node["weight"] - node["score"], f"JSON {node['id']}: lost ≠ weight − score"
            stack.extend(node["children"])


def grade_index(rubric: Rubric, label: str) -> int:
    return rubric.grades.labels().index(label)


def assert_grade(result: Result, rubric: Rubric) -> None:
    """3. Without a veto, the grade is the band (the only one) that contains the total."""
    containing = [band.label for band in rubric.grades.bands if band.contains(result.total)]
    assert len(containing) == 1, f"total {result.total} is in bands {containing}"
    if result.veto is None:
        assert result.grade == containing[0], f"grade {result.grade} but {result.total} is in {containing[0]}"


def assert_invariants(result: Result, rubric: Rubric) -> None:
    assert_bounds(result)
    assert_additive(result, rubric)
    assert_grade(result, rubric)


class Hang(Exception):
    """Raised inside the code under test when it runs past its time limit."""


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail (raise :class:`Hang`) if the block uses more than ``seconds`` of CPU: a hang becomes a failure.

    CPU time, not wall time: on a busy shared machine a block can wait for a core for seconds
    without doing anything wrong, while a runaway computation uses the CPU the whole time.
    """
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds}s of CPU")
    previous = signal.signal(signal.SIGPROF, alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
