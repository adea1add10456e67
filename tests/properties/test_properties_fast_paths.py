"""Differential properties: every fast path gives exactly what the reference path gives.

Scoring has three fast paths, each beside the reference it must agree with:
- a leaf's points function (``Rule.points_function``) beside the rule's full ``score``;
- the compiled plan (``engine.plan_compiler``, with the rules' inline forms) beside the
  scorer's reference walk of the plan;
- an input's reader (``engine.submission.reader``) beside ``coerce``.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from checks import load
from hypothesis import given, note
from hypothesis import strategies as st
from strategies import Plan, plans, submissions
from strategies.invalid import scalars

import engine
from engine import scoring
from engine.result import Words
from engine.submission import coerce, reader


@st.composite
def scored_plans(draw: st.DrawFn, edges: int = 1, **options: Any) -> tuple[Plan, dict[str, Any]]:
    plan = draw(plans(**options))
    return plan, draw(submissions(plan, edges))


def _outcome(run: Any) -> tuple[str, Any]:
    """What a call gives: its value, or its error's type and words."""
    try:
        return "value", run()
    except Exception as exc:  # noqa: BLE001 - the point is to compare whatever is raised
        return type(exc).__name__, str(exc)


def _scorer(plan: Plan, data: dict[str, Any]) -> scoring._Scorer:
    rubric = load(plan)
    return scoring._Scorer(rubric, engine.submission_from_data(data, rubric, "submission.yaml"))


@given(scored_plans())
def test_points_function_agrees_with_score(case: tuple[Plan, dict[str, Any]]) -> None:
    _assert_points_agree(case)


@given(scored_plans(edges=3, kinds=("target",)))
def test_points_function_agrees_with_score_on_targets(case: tuple[Plan, dict[str, Any]]) -> None:
    # targets have the most fast-path logic (met tests by op and strictness, the cap of a miss); half
    # their values are at the edge, where a strict target is missed and a miss by a hair is capped
    _assert_points_agree(case)


def _assert_points_agree(case: tuple[Plan, dict[str, Any]]) -> None:
    scorer = _scorer(*case)
    for step in scoring.plan(scorer.rubric):
        if type(step) is not scoring._Leaf:
            continue
        judgment = scorer.judgments.get(step.node.id)
        fast = _outcome(lambda: step.points(scorer.env, judgment))
        reference = _outcome(lambda: step.rule.score(scorer.env, step.weight, judgment).points)
        note(f"{step.node.id} ({step.kind}): fast {fast}, reference {reference}")
        assert fast == reference and (fast[0] != "value" or str(fast[1]) == str(reference[1]))


@given(scored_plans())
def test_compiled_plan_agrees_with_reference_walk(case: tuple[Plan, dict[str, Any]]) -> None:
    _assert_compiled_agrees(case)


@given(scored_plans(edges=3, kinds=("target",)))
def test_compiled_plan_agrees_with_reference_walk_on_targets(case: tuple[Plan, dict[str, Any]]) -> None:
    _assert_compiled_agrees(case)  # the inline met test of each op, at and around the edge


def _assert_compiled_agrees(case: tuple[Plan, dict[str, Any]]) -> None:
    scorer = _scorer(*case)
    if scorer.weights is not None:
        return  # some indicator does not apply: the general walk scores it, compiled or not
    words = Words(scorer.env, scorer.judgments)  # its own: the reference walk's words are worked out apart
    compiled = _outcome(lambda: scoring.compiled(scorer.rubric)(scorer, scorer.env, scorer.judgments, words))
    reference = _outcome(scorer._tree)
    if reference[0] != "value":
        assert compiled[0] != "value", f"the reference walk raised {reference}, the compiled plan did not"
        return  # the scorer then runs the reference walk, which raises the located error
    tops, every = compiled[1]
    assert tops == reference[1]  # every field, the details (words, met, completion) included
    shown = lambda nodes: [(n.id, str(n.score), str(n.base), n.deductions) for top in nodes for n in top.walk()]  # noqa: E731
    assert shown(tops) == shown(reference[1])  # and the same digits, not only equal values
    assert [id(n) for n in every] == [id(n) for top in tops for n in top.walk()]  # what Result.nodes() gives


@given(plans(), st.data())
def test_reader_agrees_with_coerce(plan: Plan, data: st.DataObject) -> None:
    rubric = load(plan)
    raws = scalars | st.decimals(allow_nan=True, allow_infinity=True) | st.decimals(-200, 200, places=3).map(
        lambda d: f"{d}%")
    for spec in rubric.inputs.values():
        raw = data.draw(raws, label=spec.id)
        fast, reference = _outcome(lambda: reader(spec)(raw)), _outcome(lambda: coerce(raw, spec))
        assert fast[0] == reference[0] == "value", f"{spec.id}: {raw!r} raised {fast}, {reference}"
        assert type(fast[1]) is type(reference[1]) and str(fast[1]) == str(reference[1]), f"{spec.id}: {raw!r}"
        if isinstance(fast[1], Decimal):
            assert fast[1].as_tuple() == reference[1].as_tuple()
