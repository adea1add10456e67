"""Property 9: for any input at all, loading and scoring succeed or raise a documented, located error.

"Documented" means a :class:`engine.RubricError` (DocumentError, RubricLoadError, SubmissionError,
ScoringError, ResolveError) or, for a bare :class:`Expression`, an ``ExpressionError``. "Located"
means every problem names its file, and every problem that points into a document (a path) gives
the line and column when the input was text. Nothing may run longer than ``HANG_SECONDS``.
"""
from __future__ import annotations

import copy
from typing import Any

from checks import within
from hypothesis import given
from hypothesis import strategies as st
from strategies import plans, submissions, to_json, to_yaml
from strategies.expressions import NAMES, environments, expression_texts
from strategies.invalid import any_submissions, broken, broken_rubrics, texts
from strategies.profiles import HANG_SECONDS

import engine
from engine.document import parse_text
from engine.expressions import Expression, ExpressionError
from engine.submission import check_submission


def _attempt(action: Any, name: str, from_text: bool) -> Any:
    """Run ``action``; a RubricError is fine if every problem is located, anything else fails the test."""
    try:
        with within(HANG_SECONDS):
            return action()
    except engine.RubricError as exc:
        assert exc.problems, "an error without problems"
        for problem in exc.problems:
            assert problem.message.strip() and problem.file == name, f"unlocated: {problem!r}"
            if from_text and problem.path:
                assert problem.line is not None and problem.column is not None, f"no line for {problem}"
            assert str(problem)  # prints as file:line:col: path: message
        return None


@st.composite
def _any_submission(draw: st.DrawFn, plan: Any) -> Any:
    valid = submissions(plan)
    return draw(st.one_of(any_submissions(plan), valid, valid.flatmap(broken)))


@given(st.data())
def test_robustness(data: st.DataObject) -> None:
    plan = data.draw(plans(max_depth=2), label="plan")
    text = data.draw(st.one_of(texts(), broken_rubrics(st.just(plan)), st.just(plan.text)), label="rubric text")
    rubric = _attempt(lambda: engine.parse_rubric(text, "fuzz.yaml"), "fuzz.yaml", from_text=True)
    if rubric is None:
        return
    submission = data.draw(_any_submission(plan), label="submission")
    checked = _attempt(lambda: engine.submission_from_data(copy.deepcopy(submission), rubric, "s.yaml"), "s.yaml", False)
    if checked is not None:
        _attempt(lambda: engine.score(rubric, checked), "s.yaml", from_text=False)
    as_text = data.draw(st.sampled_from([to_yaml, to_json]))(submission) if isinstance(submission, dict) else to_yaml(submission)
    checked = _attempt(lambda: check_submission(parse_text(as_text, "s.yaml"), rubric), "s.yaml", from_text=True)
    if checked is not None:
        _attempt(lambda: engine.score(rubric, checked), "s.yaml", from_text=False)


@given(st.data())
def test_robustness_of_submission_text(data: st.DataObject) -> None:
    plan = data.draw(plans(max_depth=1), label="plan")
    rubric = engine.parse_rubric(plan.text, "r.yaml")
    text = data.draw(texts(), label="submission text")
    checked = _attempt(lambda: check_submission(parse_text(text, "s.yaml"), rubric), "s.yaml", from_text=True)
    if checked is not None:
        _attempt(lambda: engine.score(rubric, checked), "s.yaml", from_text=False)


@given(expression_texts(), environments())
def test_robustness_of_expressions(source: str, env: dict[str, Any]) -> None:
    try:
        with within(HANG_SECONDS):
            expression = Expression(source, frozenset(NAMES))
    except ExpressionError as exc:
        assert str(exc).strip()
        return
    for run in (expression.evaluate, expression.evaluate_reference):
        try:
            with within(HANG_SECONDS):
                run(env)
        except ExpressionError as exc:
            assert str(exc).strip()


@given(expression_texts())
def test_robustness_of_expressions_in_a_rubric(source: str) -> None:
    text = to_yaml({"id": "t", "version": "1", "title": "x", "grades": [{"label": "合格", "range": "[0, 100]"}],
                    "inputs": {"a": {"type": "number", "label": "a"}}, "derived": {"b": source},
                    "indicators": [{"id": "x", "label": "x", "weight": 100, "rule": {"kind": "ratio", "value": "b"}}]})
    rubric = _attempt(lambda: engine.parse_rubric(text, "r.yaml"), "r.yaml", from_text=True)
    if rubric is not None:
        checked = engine.submission_from_data({"values": {"a": 1}}, rubric)
        _attempt(lambda: engine.score(rubric, checked), "<submission>", from_text=False)
