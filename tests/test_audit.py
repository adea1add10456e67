"""Every audit finding kind: a table that triggers it and one that does not."""
from __future__ import annotations

from decimal import Decimal

import pytest

from engine import SubmissionError, parse_rubric, submission_from_data
from engine.audit import KINDS, audit

RUBRIC_TEXT = """
id: audit-demo
version: "1"
title: 审计示例
grades:
  - {label: 优, range: "[90, 100]"}
  - {label: 良, range: "[80, 90)"}
  - {label: 中, range: "[60, 80)"}
  - {label: 差, range: "[0, 60)"}
inputs:
  budget: {type: number, label: 全年预算数, unit: 万元}
  spent: {type: number, label: 全年执行数, unit: 万元}
  firms: {type: integer, label: 服务重点企业, unit: 家}
  tax: {type: number, label: 税收收入, unit: 万元}
derived:
  execution_rate: {expr: spent / budget, type: percent}
audit: {execution: execution_rate, over_target: "130%"}
indicators:
  - id: execution
    label: 预算执行率
    weight: 10
    rule: {kind: ratio, value: execution_rate}
  - id: output
    label: 产出指标
    weight: 50
    children:
      - id: firms_served
        label: 服务重点企业
        weight: 50
        rule: {kind: target, value: firms, op: ">=", target: 5}
  - id: effect
    label: 效益指标
    weight: 40
    children:
      - id: tax_income
        label: 税收收入
        weight: 40
        rule: {kind: target, value: tax, op: ">=", target: 2000}
"""
RUBRIC = parse_rubric(RUBRIC_TEXT)

FACTS = {"budget": 350, "spent": 350, "firms": 5, "tax": 2000}
CLEAN = {"total": 100, "grade": "优", "scores": {"execution": 10, "output": 50, "firms_served": 50,
                                                  "effect": 40, "tax_income": 40}}


def kinds(claims: dict, **facts: object) -> list[str]:
    values = {k: Decimal(str(v)) for k, v in {**FACTS, **facts}.items()}
    data = {"subject": "demo", "values": values, "claims": _decimals(claims)}
    return [f.kind for f in audit(RUBRIC, submission_from_data(data, RUBRIC)).findings]


def _decimals(value):
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    return Decimal(str(value)) if isinstance(value, (int, float)) else value


def with_scores(**scores: object) -> dict:
    return {**CLEAN, "scores": {**CLEAN["scores"], **scores}}


def test_clean_table_has_no_findings() -> None:
    assert kinds(CLEAN) == []


def test_score_mismatch_beyond_tolerance_only() -> None:
    assert "score_mismatch" in kinds(with_scores(execution=9.99, output=50), spent=350)
    assert "score_mismatch" not in kinds(with_scores(execution=10.004))


def test_the_tolerance_applies_to_every_comparison_of_points() -> None:
    """19.996 for 20 is a rounding (tolerance 0.005 at two decimals), not a discrepancy, in every check."""
    within = {**CLEAN, "scores": {**CLEAN["scores"], "tax_income": 39.996}}
    assert kinds(within) == []  # no score_mismatch, sum_mismatch (subtotal and total), met_but_lost, no_reason
    assert kinds(with_scores(tax_income=40.004)) == []  # nor score_out_of_range
    assert "missed_full_points" in kinds(within, tax=1950)  # 39.996 is full points for a missed target
    beyond = {**CLEAN, "scores": {**CLEAN["scores"], "tax_income": 39.99}}
    assert set(kinds(beyond)) == {"score_mismatch", "sum_mismatch", "met_but_lost", "no_reason"}
    assert "score_out_of_range" in kinds(with_scores(tax_income=40.01, effect=40.01))


def test_a_table_without_claims_is_checked_on_its_facts_only() -> None:
    """No claimed figures: nothing to compare, so no claim finding (the rubric's own scores are no claims)."""
    assert kinds({}, firms=4, tax=1500) == []  # points lost, but no no_reason / met_but_lost …
    assert kinds({}, spent=262.5) == ["unspent", "ahead_of_budget", "ahead_of_budget"]  # the facts still are
    assert "no_reason" in kinds({"reasons": {"execution": "疫情"}}, firms=4)  # reasons given: they are claims


def test_subtotal_not_sum_of_parts() -> None:
    found = kinds(with_scores(output=49))
    assert "sum_mismatch" in found
    assert "sum_mismatch" not in kinds(CLEAN)


def test_total_not_sum_of_level_one() -> None:
    assert "sum_mismatch" in kinds({**CLEAN, "total": 99})


def test_total_checked_against_claimed_leaves_when_subtotals_are_not_claimed() -> None:
    leaves = {"total": 100, "grade": "优", "scores": {"execution": 10, "firms_served": 50, "tax_income": 39}}
    assert "sum_mismatch" in kinds(leaves)
    assert "sum_mismatch" not in kinds({**leaves, "total": 99}, tax=1950)


def test_score_above_points_or_below_zero() -> None:
    assert "score_out_of_range" in kinds(with_scores(tax_income=41, effect=41))
    assert "score_out_of_range" in kinds(with_scores(tax_income=-1, effect=-1))
    assert "score_out_of_range" not in kinds(CLEAN)


def test_grade_against_claimed_total_and_computed_total() -> None:
    found = kinds({**CLEAN, "grade": "良"})
    assert "grade_mismatch" in found and "grade_vs_computed" in found
    assert "grade_mismatch" not in kinds(CLEAN) and "grade_vs_computed" not in kinds(CLEAN)


def test_target_met_but_points_lost() -> None:
    assert "met_but_lost" in kinds({**with_scores(firms_served=45, output=45), "total": 95})
    assert "met_but_lost" not in kinds(CLEAN)


def test_target_missed_with_full_points() -> None:
    assert "missed_full_points" in kinds(CLEAN, firms=4)
    assert "missed_full_points" not in kinds({**with_scores(firms_served=40, output=40), "total": 90}, firms=4)


def test_points_lost_without_reason() -> None:
    lost = {**with_scores(firms_served=40, output=40), "total": 90}
    assert "no_reason" in kinds(lost, firms=4)
    assert "no_reason" not in kinds({**lost, "reasons": {"firms_served": "两家企业迁出辖区"}}, firms=4)


def test_far_over_target_needs_explanation() -> None:
    assert "over_target" in kinds(CLEAN, tax=2600)
    assert "over_target" not in kinds(CLEAN, tax=2500)
    assert "over_target" not in kinds({**CLEAN, "reasons": {"tax_income": "新增大额进口"}}, tax=2600)


def test_budget_unspent_and_completion_ahead_of_execution() -> None:
    found = kinds(with_scores(execution=7.5), spent=262.5)
    assert "unspent" in found and "ahead_of_budget" in found
    fine = kinds(with_scores(execution=9), spent=315)
    assert "unspent" not in fine
    assert "ahead_of_budget" in fine  # 100% completion is 10% ahead of 90% execution


def test_every_kind_has_a_severity() -> None:
    assert {severity for severity, _ in KINDS.values()} == {"error", "warning"}


def test_unknown_claimed_indicator_is_a_located_error() -> None:
    data = {"values": {k: Decimal(v) for k, v in FACTS.items()}, "claims": {"scores": {"firm_served": Decimal(1)}}}
    with pytest.raises(SubmissionError) as error:
        audit(RUBRIC, submission_from_data(data, RUBRIC))
    assert "claims.scores.firm_served" in str(error.value)
    assert "did you mean 'firms_served'" in str(error.value)


def test_rule_explain_above_overrides_the_rubric_threshold() -> None:
    strict = parse_rubric(RUBRIC_TEXT.replace("target: 2000}", 'target: 2000, explain_above: "110%"}'))
    data = {"values": {k: Decimal(v) for k, v in {**FACTS, "tax": 2300}.items()}}
    found = [f.kind for f in audit(strict, submission_from_data(data, strict)).findings]
    assert "over_target" in found
    assert "over_target" not in kinds(CLEAN, tax=2300)
    lenient = parse_rubric(RUBRIC_TEXT.replace(', over_target: "130%"', ""))
    data = {"values": {k: Decimal(v) for k, v in {**FACTS, "tax": 9000}.items()}}
    assert audit(lenient, submission_from_data(data, lenient)).findings == ()  # the check is opt-in


# -- the published Yiyang 自评表 ------------------------------------------------------------------
def _yiyang(**changes: object):
    from engine import load_rubric, load_submission
    import dataclasses
    rubric = load_rubric("rubrics/yiyang/2022.yaml")
    submission = load_submission("examples/yiyang-2022-claimed.yaml", rubric)
    claims = {**submission.claims, **changes}
    return audit(rubric, dataclasses.replace(submission, claims=claims))


def test_published_yiyang_table_audits_clean() -> None:
    report = _yiyang()
    assert report.findings == () and report.result.total == Decimal("100.00")


def test_yiyang_table_with_one_claimed_score_changed_is_caught() -> None:
    scores = {**_yiyang().claims.scores, "tax": Decimal(18)}
    found = {(f.kind, f.indicator) for f in _yiyang(scores=scores).findings}
    assert ("score_mismatch", "tax") in found and ("met_but_lost", "tax") in found
    assert ("sum_mismatch", "economic") not in found  # the subtotal was not claimed


def test_yiyang_table_with_its_total_changed_is_caught() -> None:
    report = _yiyang(total=Decimal(98))
    found = {(f.kind, f.indicator) for f in report.findings}
    assert ("score_mismatch", "total") in found
    assert ("sum_mismatch", "total") in found  # 98 is not the sum of the seven claimed rows
    assert ("grade_mismatch", "grade") in found or report.result.grade == "优秀"
    assert report.errors >= 1
