"""Properties 1-7 on generated rubrics and submissions (docs/invariants.md says them in words)."""
from __future__ import annotations

import hashlib
import json
import random
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from checks import (assert_additive, assert_bounds, assert_grade, grade_index, load, scored, scores, truthy)
from hypothesis import given, note, settings
from hypothesis import strategies as st
from strategies import Plan, approaches, full_marks, improvements, plans, submissions, to_json, to_yaml, worsenings
from strategies.core import dec

import engine
from engine.numbers import ZERO


@st.composite
def scored_plans(draw: st.DrawFn, edges: int = 1, **options: Any) -> tuple[Plan, dict[str, Any]]:
    plan = draw(plans(**options))
    return plan, draw(submissions(plan, edges))


@given(scored_plans())
def test_bounds(case: tuple[Plan, dict[str, Any]]) -> None:
    plan, data = case
    rubric = load(plan)
    assert_bounds(scored(rubric, data))


@given(scored_plans())
def test_additivity(case: tuple[Plan, dict[str, Any]]) -> None:
    plan, data = case
    rubric = load(plan)
    assert_additive(scored(rubric, data), rubric)


@given(scored_plans(), st.data())
def test_grade(case: tuple[Plan, dict[str, Any]], data: st.DataObject) -> None:
    plan, submission = case
    rubric = load(plan)
    result = scored(rubric, submission)
    assert_grade(result, rubric)
    if result.veto is None:
        assert plan.band_of(result.total) == [result.grade], "grade differs from the band computed from the rubric text"
    # the grade is a function of the total alone, and never worse for a higher total
    edges = [band[i] for band in plan.bands for i in (1, 2)]
    totals = st.sampled_from(edges) | dec(0, plan.total, rubric.precision + 2)
    low, high = sorted([data.draw(totals), data.draw(totals)])
    assert plan.band_of(low) == [rubric.grades.grade(low)] and plan.band_of(high) == [rubric.grades.grade(high)]
    assert grade_index(rubric, rubric.grades.grade(low)) >= grade_index(rubric, rubric.grades.grade(high)), \
        f"{high} is graded {rubric.grades.grade(high)}, worse than {rubric.grades.grade(low)} for {low}"


@given(scored_plans(), st.data())
def test_monotonicity(case: tuple[Plan, dict[str, Any]], data: st.DataObject) -> None:
    plan, submission = case
    rubric = load(plan)
    better = data.draw(st.booleans())
    change, changed = data.draw(improvements(plan, submission) if better else worsenings(plan, submission))
    note(f"change: {change}")
    before, after = scores(scored(rubric, submission)), scores(scored(rubric, changed))
    for node_id, old in before.items():
        if better:
            assert after[node_id] >= old, f"{change}: {node_id} fell from {old} to {after[node_id]}"
        else:
            assert after[node_id] <= old, f"{change}: {node_id} rose from {old} to {after[node_id]}"


@settings(max_examples=2 * settings.default.max_examples)  # a sign slip in one formula shows in few examples
@given(scored_plans(kinds=("directional_target",), features=frozenset()), st.data())
def test_monotonicity_on_the_missed_side(case: tuple[Plan, dict[str, Any]], data: st.DataObject) -> None:
    # a miss nearer its target never scores less, whatever the partial formula; test_monotonicity's
    # improvements mostly jump straight to "met". Only targets, and no deductions, vetoes or
    # applicable: they cannot depend on the walk, and every example goes to the formulas.
    plan, submission = case
    rubric = load(plan)
    change, moved, walk = data.draw(approaches(plan, submission))
    note(f"walk: {change}")
    results = [scored(rubric, step) for step in walk]
    for result in results:  # every step misses (or the leaf does not apply)
        assert all(result.node(leaf).met is not True for leaf in moved), f"{change}: a step meets its target"
    for before, after in zip(results, results[1:]):
        after_scores = scores(after)
        for node_id, old in scores(before).items():
            assert after_scores[node_id] >= old, f"{change}: {node_id} fell from {old} to {after_scores[node_id]}"


@settings(max_examples=2 * settings.default.max_examples)  # a miss that reaches full points is a narrow case
@given(scored_plans(edges=3, kinds=("target",)))
def test_missed_target_costs_points(case: tuple[Plan, dict[str, Any]]) -> None:
    # whatever the op and the partial formula: missed at a strict target's edge, or by a hair that would round up
    # (half the values are at an edge)
    plan, submission = case
    for node in scored(load(plan), submission).nodes():
        if node.kind == "target" and node.met is False and node.weight > 0:
            assert node.base is not None and node.score <= node.base < node.weight, \
                f"{node.id} missed its target ({node.actual} against {node.target}) but scored {node.base} of {node.weight}"


@given(plans(), st.booleans())
def test_full_marks(plan: Any, all_apply: bool) -> None:
    rubric = load(plan)
    result = scored(rubric, full_marks(plan, applicable=all_apply))
    if not any(n.applicable for n in result.nodes() if not n.children):
        return  # nothing applies: 0 of 0
    assert result.total == result.max == plan.total
    for node in result.nodes():
        assert node.score == node.weight, f"{node.id}: {node.score} of {node.weight} with every target met"
    assert result.veto is None and result.grade == plan.bands[0][0]


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


@given(scored_plans(), st.randoms(use_true_random=False), st.data())
def test_determinism(case: tuple[Plan, dict[str, Any]], rng: random.Random, data: st.DataObject) -> None:
    plan, submission = case
    load(plan)  # a generated plan always loads
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "rubric.yaml").write_text(plan.text, encoding="utf-8")
        (folder / "a.yaml").write_text(to_yaml(submission), encoding="utf-8")
        (folder / "b.json").write_text(to_json(_shuffled(submission, rng)), encoding="utf-8")
        first, again = engine.load_rubric(folder / "rubric.yaml"), engine.load_rubric(folder / "rubric.yaml")
        assert first.sha256 == again.sha256 == hashlib.sha256((folder / "rubric.yaml").read_bytes()).hexdigest()
        results = [engine.score(first, engine.load_submission(folder / name, first)) for name in ("a.yaml", "b.json")]
        results.append(engine.score(again, engine.submission_from_data(_shuffled(submission, rng), again)))
    serialized = [json.dumps(r.to_dict(), ensure_ascii=False) for r in results]
    assert results[0] == results[1] == results[2]
    assert serialized[0] == serialized[1] == serialized[2]
    assert json.dumps(engine.score(first, engine.submission_from_data(submission, first)).to_dict(), ensure_ascii=False) == serialized[0]
    # nothing of one submission stays behind in what a loaded rubric keeps (its compiled plan, readers, caches)
    other = data.draw(submissions(plan), label="another submission")
    before = json.dumps(scored(first, other).to_dict(), ensure_ascii=False)
    assert json.dumps(scored(first, submission).to_dict(), ensure_ascii=False) == serialized[0]
    assert json.dumps(scored(again, other).to_dict(), ensure_ascii=False) == before


@given(scored_plans(vetoes=(1, 2)))
def test_veto(case: tuple[Plan, dict[str, Any]]) -> None:
    plan, submission = case
    rubric = load(plan)
    result = scored(rubric, submission)
    vetoes = [s for s in plan.switches if s.kind == "veto"]
    values = submission["values"]
    holding = [s for s in vetoes if truthy(values[s.input.name]) != truthy(s.off)]
    if holding:
        assert result.grade == holding[0].grade and result.veto == "一票否决", "a holding veto must force its grade"
    else:
        assert result.veto is None and result.grade == rubric.grades.grade(result.total)
    # the scores are what they are: the veto decides the grade only
    cleared = {**submission, "values": {**values, **{s.input.name: s.off for s in vetoes}}}
    unvetoed = scored(rubric, cleared)
    assert scores(unvetoed) == scores(result) and unvetoed.veto is None
    assert unvetoed.grade == rubric.grades.grade(result.total)
    assert result.total >= ZERO and isinstance(result.total, Decimal)
