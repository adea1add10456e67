"""Scoring the tree: deductions and their floor, veto, not-applicable rescaling, exact decimals."""
from __future__ import annotations

import json
import textwrap
from decimal import Decimal

import pytest

import engine
from engine_helpers import D, leaf, line_of, points, rubric_from, rubric_text, score
from engine.numbers import fixed


def with_deductions(deductions: str, rule: str = "{kind: ratio, value: rate}") -> engine.Rubric:
    lines = "\n".join("      " + line for line in textwrap.dedent(deductions).strip().splitlines())
    return rubric_from(f"""\
inputs:
  rate: {{type: percent, label: 执行率}}
  n: {{type: number, label: 次数, min: 0, required: false, default: 0}}
  late: {{type: boolean, label: 逾期, required: false, default: false}}
indicators:
  - id: x
    label: 指标
    weight: 10
    rule: {rule}
    evaluator_deductions: true
    deductions:
{lines}
""")


def deductions_of(result: engine.Result, node: str = "x") -> list[tuple[Decimal, str, str]]:
    return [(d.points, d.reason, d.source) for d in result.node(node).deductions]


# -- deductions ----------------------------------------------------------------------------
CONDITIONAL = "- {reason: 未按期完成, points: 2, when: late}"
PER_CASE = "- {reason: 每出现一例扣1分, points: 1, per: n, cap: 3}"


def test_conditional_deduction_applies_only_when_its_condition_holds():
    rubric = with_deductions(CONDITIONAL)
    assert deductions_of(score(rubric, {"rate": 100})) == []
    result = score(rubric, {"rate": 100, "late": True})
    assert result.node("x").score == D("8.00")
    assert deductions_of(result) == [(D("2.00"), "未按期完成", "rule")]


@pytest.mark.parametrize("n, cut", [(0, None), (1, "1.00"), (2.5, "2.50"), (3, "3.00"), (9, "3.00")])
def test_per_occurrence_deduction_is_capped(n, cut):
    result = score(with_deductions(PER_CASE), {"rate": 100, "n": n})
    assert deductions_of(result) == ([] if cut is None else [(D(cut), "每出现一例扣1分", "rule")])
    assert result.node("x").score == D(10) - D(cut or 0)


@pytest.mark.parametrize("n, expected", [(0, "10.00"), (0.99, "10.00"), (2.7, "9.00"), (5, "7.50")])
def test_whole_counts_only_complete_occurrences(n, expected):
    # 每超过一个百分点扣0.5分: 2.7 points over → 2 whole points → 1 point off
    rubric = with_deductions("- {reason: 每超过一个百分点扣0.5分, points: 0.5, per: n, whole: true}")
    assert points(rubric, {"rate": 100, "n": n}) == D(expected)


# 每超过一个百分点扣0.5分，最多扣3分 (the rate is the percent input: 13.5 is 13.5%)
OVER = "- {reason: 每超过一个百分点扣0.5分, points: 0.5, per: rate, above: 10%, step: 1%, cap: 3WHOLE}"


@pytest.mark.parametrize("rate, whole, expected", [
    (8, "", "10.00"), (10, "", "10.00"), ("13.5", "", "8.25"), ("13.5", ", whole: true", "8.50"),
    ("10.99", ", whole: true", "10.00"), (30, "", "7.00"), (30, ", whole: true", "7.00"),
])
def test_steps_above_a_threshold_count_partial_steps_unless_whole(rate, whole, expected):
    rubric = with_deductions(OVER.replace("WHOLE", whole), rule="{kind: full}")
    assert points(rubric, {"rate": rate}) == D(expected)


@pytest.mark.parametrize("rate, expected", [(95, "10.00"), (90, "10.00"), (85, "7.50"), ("87.5", "8.75")])
def test_steps_below_a_threshold(rate, expected):
    # 低于90%的，每低一个百分点扣0.5分 (no step given: one percentage point, as the value is a percent)
    rubric = with_deductions("- {reason: 每低一个百分点扣0.5分, points: 0.5, per: rate, below: 90%}", rule="{kind: full}")
    assert points(rubric, {"rate": rate}) == D(expected)


@pytest.mark.parametrize("n, expected", [(3, "10.00"), ("5.5", "8.75"), (9, "7.00")])
def test_steps_of_a_number_default_to_one_unit_and_may_be_larger(n, expected):
    # 逾期超过3天的，每超过2天扣1分: 5.5 days is 1.25 steps of 2 days
    rubric = with_deductions("- {reason: 每超过2天扣1分, points: 1, per: n, above: 3, step: 2}", rule="{kind: full}")
    assert points(rubric, {"rate": 100, "n": n}) == D(expected)
    assert points(with_deductions("- {reason: 每超过1天扣1分, points: 1, per: n, above: 3}", rule="{kind: full}"),
                  {"rate": 100, "n": 5}) == D("8.00")


def test_the_threshold_may_be_a_name_given_by_the_submission():
    rubric = rubric_from("""
        inputs:
          adjust: {type: percent, label: 预算调整率}
          allowed: {type: percent, label: 允许调整率}
        indicators:
          - id: x
            label: 预算调整率
            weight: 5
            rule: {kind: full}
            deductions: [{reason: 每超过一个百分点扣1分, points: 1, per: adjust, above: allowed, step: 1%}]
        """)
    assert points(rubric, {"adjust": 12, "allowed": 10}) == D("3.00")
    assert points(rubric, {"adjust": 12, "allowed": 15}) == D("5.00")


def test_deductions_stop_at_zero():
    # base 5; 2 (late) + 3 (capped per-case) take it all; a third cut finds nothing left (扣完为止)
    rubric = with_deductions(CONDITIONAL + "\n" + PER_CASE + "\n- {reason: 其他, points: 1, when: late}")
    result = score(rubric, {"rate": 50, "n": 5, "late": True})
    assert result.node("x").score == D("0.00")
    assert deductions_of(result) == [(D("2.00"), "未按期完成", "rule"), (D("3.00"), "每出现一例扣1分", "rule")]


def test_a_deduction_larger_than_what_is_left_takes_only_what_is_left():
    rubric = with_deductions("- {reason: 每超过一个百分点扣0.5分, points: 0.5, per: n}")
    result = score(rubric, {"rate": 80, "n": 30})
    assert result.node("x").score == D("0.00")
    assert deductions_of(result) == [(D("8.00"), "每超过一个百分点扣0.5分", "rule")]


def test_evaluator_deductions_come_after_the_rubric_s_and_share_the_floor():
    result = score(with_deductions(CONDITIONAL), {"rate": 100, "late": True}, judgments={"x": {"deductions": [
        {"points": 1.25, "reason": "资料不全"}, {"points": 9, "reason": "严重违规"}]}})
    assert deductions_of(result) == [(D("2.00"), "未按期完成", "rule"), (D("1.25"), "资料不全", "evaluator"),
                                     (D("6.75"), "严重违规", "evaluator")]
    assert result.node("x").score == 0


def test_evaluator_deductions_need_a_reason():
    with pytest.raises(engine.SubmissionError, match="needs a 'reason'") as info:
        score(with_deductions(CONDITIONAL), {"rate": 100}, judgments={"x": {"deductions": [{"points": 1, "reason": " "}]}})
    assert info.value.problems[0].path == "judgments.x.deductions[0].reason"
    with pytest.raises(engine.SubmissionError, match="needs a 'reason'"):  # `reason:` left empty is YAML null, not "None"
        score(with_deductions(CONDITIONAL), {"rate": 100}, judgments={"x": {"deductions": [{"points": 1, "reason": None}]}})


def test_a_huge_count_is_a_scoring_error_not_a_crash():
    rubric = with_deductions("- {reason: 每例, points: 10, per: n}")
    assert points(rubric, {"rate": 100, "n": Decimal("1" + "0" * 99)}) == 0  # 101 digits after rounding: once a crash
    with pytest.raises(engine.SubmissionError, match="at most 100 digits, got 9E[+]999999"):
        score(rubric, {"rate": 100, "n": Decimal("9e999999")})  # refused as text refuses it; once an Overflow


def test_displayed_parts_add_up_to_the_displayed_total():
    rubric = rubric_from("""
        inputs:
          a: {type: percent, label: a}
          n: {type: number, label: n}
        indicators:
          - id: p
            label: 一级
            weight: 70
            children:
              - {id: p1, label: 二级1, weight: 23.33, rule: {kind: ratio, value: a}}
              - {id: p2, label: 二级2, weight: 23.33, rule: {kind: ratio, value: a * a}}
              - id: p3
                label: 二级3
                weight: 23.34
                rule: {kind: target, value: a, op: ">=", target: "97%"}
                deductions: [{reason: 每例扣0.333分, points: 0.333, per: n}]
          - {id: q, label: 一级2, weight: 30, rule: {kind: expression, expr: "weight / 7 * n"}}
        """)
    result = score(rubric, {"a": "86.66%", "n": 2})
    for node in result.nodes():
        if node.children:
            assert node.score == sum(c.score for c in node.children)
            assert fixed(node.score, 2) == fixed(sum(Decimal(fixed(c.score, 2)) for c in node.children), 2)
        else:
            assert node.score == node.base - sum(d.points for d in node.deductions)
            assert node.score == round(node.score, 2)
    assert result.total == sum(n.score for n in result.indicators)
    assert result.node("p3").deductions[0].points == D("0.67")  # 0.666 rounded, then taken off


# -- veto ----------------------------------------------------------------------------------
VETO = rubric_from("""
    inputs:
      a: {type: percent, label: a}
      fraud: {type: boolean, label: 虚报, required: false, default: false}
      accident: {type: boolean, label: 重大事故, required: false, default: false}
    indicators:
      - {id: x, label: X, weight: 100, rule: {kind: ratio, value: a}}
    veto:
      - {when: fraud, grade: 差, reason: 存在虚报冒领}
      - {when: accident, grade: 中, reason: 发生重大安全事故}
    """)


def test_veto_forces_its_grade_and_keeps_the_points():
    result = score(VETO, {"a": 100, "fraud": True})
    assert (result.total, result.grade, result.veto) == (D("100.00"), "差", "存在虚报冒领")
    assert result.to_dict()["veto"] == "存在虚报冒领"


def test_without_a_veto_the_grade_follows_the_total():
    result = score(VETO, {"a": 100})
    assert (result.grade, result.veto) == ("优", None)


def test_the_first_veto_that_holds_decides():
    assert score(VETO, {"a": 100, "fraud": True, "accident": True}).grade == "差"
    assert score(VETO, {"a": 100, "accident": True}).grade == "中"


# -- not applicable ------------------------------------------------------------------------
QUARTERS = rubric_from("""
    inputs:
      a: {type: percent, label: a}
      has_d: {type: boolean, label: 有D}
    indicators:
      - id: top
        label: 产出
        weight: 75
        children:
          - {id: x1, label: X1, weight: 25, rule: {kind: ratio, value: a}}
          - {id: x2, label: X2, weight: 25, rule: {kind: ratio, value: a}}
          - {id: x3, label: X3, weight: 25, rule: {kind: ratio, value: a}}
      - {id: x4, label: X4, weight: 25, rule: {kind: ratio, value: a}, applicable: has_d}
    """)


def test_not_applicable_indicator_scores_zero_of_zero_and_the_rest_is_rescaled():
    result = score(QUARTERS, {"a": 100, "has_d": False})
    x4 = result.node("x4")
    assert (x4.weight, x4.score, x4.applicable) == (0, 0, False)
    weights = [result.node(i).weight for i in ("x1", "x2", "x3")]
    assert sum(weights) == 100 and all(w in (D("33.33"), D("33.34")) for w in weights)
    assert result.total == D("100.00") and result.node("top").weight == 100
    assert result.to_dict()["indicators"][1]["applicable"] is False


def test_rescaled_scores_add_up_to_the_total():
    result = score(QUARTERS, {"a": "60%", "has_d": False})
    assert result.total == sum(result.node(i).score for i in ("x1", "x2", "x3"))
    assert abs(result.total - 60) <= D("0.01")


def test_when_everything_applies_nothing_is_rescaled():
    result = score(QUARTERS, {"a": 100, "has_d": True})
    assert [result.node(i).weight for i in ("x1", "x2", "x3", "x4")] == [25] * 4


def test_one_submission_leaves_nothing_behind_for_the_next():
    # a loaded rubric keeps what scoring works out once (its plan, compiled; readers): never a submission's own
    text = """
        inputs:
          a: {type: percent, label: a}
          has_c: {type: boolean, label: 有C}
          has_d: {type: boolean, label: 有D}
        indicators:
          - {id: x1, label: X1, weight: 40, rule: {kind: ratio, value: a}}
          - {id: x2, label: X2, weight: 30, rule: {kind: ratio, value: a}, applicable: has_c}
          - {id: x3, label: X3, weight: 30, rule: {kind: ratio, value: a}, applicable: has_d}
        """
    shared = rubric_from(text)
    submissions = [{"a": 100, "has_c": False, "has_d": True}, {"a": 50, "has_c": True, "has_d": False},
                   {"a": 80, "has_c": True, "has_d": True}, {"a": 100, "has_c": False, "has_d": True}]
    for data in submissions:
        assert score(shared, data).to_dict() == score(rubric_from(text), data).to_dict()


def test_a_coarser_leaf_keeps_full_marks_when_weights_are_rescaled():
    # a (49, whole points) and b (41) rescale to 54.44 and 45.56 when c does not apply; a's rescaled weight
    # is rounded to whole points (54) and b takes the rest (46): full marks stay 100 (once 99.56)
    rubric = rubric_from("""
        inputs:
          ok: {type: boolean, label: 完成}
          applies: {type: boolean, label: 适用}
        indicators:
          - {id: a, label: 甲, weight: 49, precision: 0, rule: {kind: yes_no, when: ok}}
          - {id: b, label: 乙, weight: 41, rule: {kind: yes_no, when: ok}}
          - {id: c, label: 丙, weight: 10, applicable: applies, rule: {kind: yes_no, when: ok}}
        """)
    result = score(rubric, {"ok": True, "applies": False})
    assert result.total == 100 and all(n.score == n.weight for n in result.nodes())


# -- exact decimals ------------------------------------------------------------------------
def test_point_one_plus_point_two_is_exactly_point_three():
    rubric = rubric_from("""
        inputs:
          a: {type: number, label: a, required: false, default: 0}
        indicators:
          - id: p
            label: P
            weight: 1
            children:
              - {id: a1, label: A1, weight: 0.5, rule: {kind: judged}}
              - {id: a2, label: A2, weight: 0.5, rule: {kind: judged}}
        """)
    result = score(rubric, judgments={"a1": {"points": D("0.1")}, "a2": {"points": D("0.2")}})
    assert result.total == Decimal("0.3")
    assert '"total": 0.3,' in json.dumps(result.to_dict())


def test_numbers_are_read_from_their_text(tmp_path):
    rubric = leaf("{kind: target, value: spent, op: '<=', target: budget}",
                  "spent: {type: number, label: 执行数}\nbudget: {type: number, label: 预算数}")
    path = tmp_path / "s.yaml"
    path.write_text("values:\n  spent: 6548.5\n  budget: 0.1\n", encoding="utf-8")
    values = engine.load_submission(path, rubric).values
    assert values == {"spent": Decimal("6548.5"), "budget": Decimal("0.1")}
    assert all(type(v) is Decimal for v in values.values())
    path.write_text('{"values": {"spent": 6548.5, "budget": 0.1}}', encoding="utf-8")
    assert engine.load_submission(path, rubric).values["budget"] == Decimal("0.1")


def test_percent_text_is_exact():
    assert points(leaf("{kind: ratio, value: v}", "v: {type: percent, label: v}"), {"v": "86.66%"}) == D("8.67")


@pytest.mark.parametrize("rate, expected", [("26.75%", "2.68"), ("26.65%", "2.67")])
def test_halves_round_half_up(rate, expected):
    # 10 × 26.75% = 2.675 → 2.68 and 2.665 → 2.67 (四舍五入, not banker's). This used one of three equal elements
    # of weight 8.025, but a weight finer than the precision is now refused at load (it would score 8.03 of 8.025).
    assert points(leaf("{kind: ratio, value: v}", "v: {type: percent, label: v}"), {"v": rate}) == D(expected)


def test_precision_zero_rounds_each_indicator_to_whole_points():
    # 86.2% of 10 → 9 (some units round to whole points)
    rubric = leaf("{kind: ratio, value: v}", "v: {type: percent, label: v}", precision=0)
    result = score(rubric, {"v": "86.2%"})
    assert result.total == D("9") and str(result.total) == "9"
    assert points(rubric, {"v": "85%"}) == D("9")  # 8.5 rounds half up
    assert points(rubric, {"v": "84.9%"}) == D("8")


PARTS = """
inputs:
  v: {type: percent, label: v}
indicators:
  - id: p
    label: 父
    weight: 5
    children:
      - {id: x, label: 甲, weight: %s, precision: %s, rule: {kind: ratio, value: v}}
      - {id: y, label: 乙, weight: %s, precision: %s, rule: {kind: ratio, value: v}}
"""


def test_a_leaf_precision_finer_than_the_rubrics_is_refused_where_it_is_written():
    # x and y at 3 decimals would score 1.235 each, shown 1.24 + 1.24 under a parent shown 2.47
    text = rubric_text(PARTS % (2.5, 3, 2.5, 2), precision=2)
    with pytest.raises(engine.RubricLoadError) as caught:
        engine.parse_rubric(text, "r.yaml")
    [problem] = caught.value.problems
    assert problem.path == "indicators[p].children[x].precision"
    assert problem.line == line_of(text, "id: x") and problem.column == text.splitlines()[problem.line - 1].index("precision") + 1
    assert problem.message.startswith("precision 3 is finer than the rubric's precision 2: parents and the total are shown")


def test_a_leaf_may_round_more_coarsely_than_the_rubric_and_the_shown_parts_still_add_up():
    rubric = rubric_from(PARTS % (3, 0, 2, 2), precision=2)
    result = score(rubric, {"v": "41.2%"})  # x: 3 × 41.2% = 1.236 → 1 (whole points); y: 2 × 41.2% = 0.824 → 0.82
    assert [result.node(n).score for n in ("x", "y", "p")] == [D("1"), D("0.82"), D("1.82")]
    assert fixed(result.node("p").score, 2) == "1.82" == fixed(D("1.00") + D("0.82"), 2)


def test_json_numbers_are_exactly_the_displayed_figures():
    rubric = rubric_from("""
        inputs:
          a: {type: percent, label: a}
        indicators:
          - {id: x, label: X, weight: 33.33, rule: {kind: ratio, value: a}}
          - {id: y, label: Y, weight: 66.67, rule: {kind: ratio, value: a}}
        """)
    result = score(rubric, {"a": "70.01%"})
    data = json.loads(json.dumps(result.to_dict()))
    for node in result.nodes():
        shown = next(n for n in data["indicators"] if n["id"] == node.id)
        assert repr(shown["score"]) == fixed(node.score, 2).rstrip("0").rstrip(".")
    assert repr(data["total"]) == fixed(result.total, 2).rstrip("0").rstrip(".")
    assert Decimal(repr(data["total"])) == sum(Decimal(repr(n["score"])) for n in data["indicators"])
