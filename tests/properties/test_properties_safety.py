"""Property 10: expressions built to exhaust time or memory, or to escape, are refused at load or
stopped quickly, each with a clear error, whether alone or inside a rubric."""
from __future__ import annotations

import time
import tracemalloc
from decimal import Decimal
from typing import Any

import pytest
from checks import within
from hypothesis import given
from strategies import to_yaml
from strategies.expressions import dangerous_expressions
from strategies.profiles import HANG_SECONDS

import engine
from engine.expressions import Expression, ExpressionError

KNOWN = frozenset({"a", "b", "rate"})
ENV: dict[str, Any] = {"a": Decimal("999999999999"), "b": True, "rate": Decimal("1E+30")}
MAX_MEMORY = 32 * 1024 * 1024  # bytes allocated at the peak of one evaluation


def _clear(message: str) -> bool:
    """Words for a person: not empty, not a Python class list or a traceback."""
    return bool(message.strip()) and "<class" not in message and "Traceback" not in message and "decimal." not in message


def _outcome(source: str) -> str:
    """'refused' at load, 'stopped' at evaluation, or 'computed' — each within the time and memory bounds."""
    tracemalloc.start()
    started = time.process_time()  # CPU time, as within() counts it: waiting for a busy core is no hang
    try:
        with within(HANG_SECONDS):
            try:
                expression = Expression(source, KNOWN)
            except ExpressionError as exc:
                assert _clear(str(exc)), f"unclear refusal: {exc}"
                return "refused"
            outcome = "computed"
            for run in (expression.evaluate, expression.evaluate_reference):
                try:
                    run(ENV)
                except ExpressionError as exc:
                    assert _clear(str(exc)), f"unclear error: {exc}"
                    outcome = "stopped"
            return outcome
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < MAX_MEMORY, f"{source[:80]!r} used {peak // 1024 // 1024} MB"
        assert time.process_time() - started < HANG_SECONDS


def _rubric(source: str) -> str:
    return to_yaml({"id": "t", "version": "1", "title": "x", "grades": [{"label": "合格", "range": "[0, 100]"}],
                    "inputs": {"a": {"type": "number", "label": "a"}, "b": {"type": "boolean", "label": "b"},
                               "rate": {"type": "number", "label": "rate"}},
                    "derived": {"d": source},
                    "indicators": [{"id": "x", "label": "x", "weight": 100, "rule": {"kind": "ratio", "value": "d"}}]})


@given(dangerous_expressions())
def test_safety(source: str) -> None:
    _outcome(source)
    text = _rubric(source)
    with within(HANG_SECONDS):
        try:
            rubric = engine.parse_rubric(text, "r.yaml")
        except engine.RubricLoadError as exc:
            assert all(p.line is not None and p.path == "derived.d" and _clear(p.message) for p in exc.problems), str(exc)
            return
        submission = engine.submission_from_data({"values": ENV}, rubric)
        try:
            result = engine.score(rubric, submission)
        except engine.ScoringError as exc:
            assert all(p.path == "derived.d" and _clear(p.message) for p in exc.problems), str(exc)
            return
    assert 0 <= result.total <= 100


@pytest.mark.parametrize("source, expected", [
    ("9 ** 9 ** 9 ** 9", "stopped"), ("(10 ** 12) ** 64", "computed"), ("(10 ** 12 + 1) ** 64", "stopped"), ("a ** a", "stopped"), ("2 ** 64", "computed"),
    ("rate * rate * rate * rate * rate * rate * rate * rate * rate * rate", "computed"),
    (" * ".join(["1e999999"] * 3), "stopped"), ("1e999999999 % 7", "stopped"), ("round(1e999999, 10)", "computed"),
    ("(" * 200 + "1" + ")" * 200, "computed"), ("abs(" * 200 + "1" + ")" * 200, "refused"), ("-" * 500 + "1", "refused"), ("1 + " * 700 + "1", "refused"),
    ("a.__class__", "refused"), ("().__class__.__bases__[0].__subclasses__()", "refused"), ("__import__('os')", "refused"),
    ("open('x')", "refused"), ("getattr(a, 'real')", "refused"), ("(lambda: 1)()", "refused"), ("a[0]", "refused"),
    ("[1] * 10 ** 9", "refused"), ("'a' * 10 ** 9", "stopped"), ("f'{a}'", "refused"), ("(x := 1)", "refused"),
    ("min(*a)", "refused"), ("round(a, n=2)", "refused"), ("_", "refused"), ("1 / 0", "stopped"),
])
def test_safety_catalogue(source: str, expected: str) -> None:
    assert _outcome(source) == expected
