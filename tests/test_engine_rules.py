"""Every rule kind and every variant of it, on one-indicator rubrics, with figures from DOMAIN.md."""
from __future__ import annotations

import pytest

import engine
from engine.rules import KINDS
from engine_helpers import D, leaf, points, rubric_from, score

NUMBER = "v: {type: number, label: 实际值}"
PERCENT = "v: {type: percent, label: 完成率}"


def target(op: str, goal: str, partial: str, extra: str = "", inputs: str = NUMBER) -> engine.Rubric:
    return leaf(f'{{kind: target, value: v, op: "{op}", target: {goal}, partial: {partial}{extra}}}', inputs)


# -- target --------------------------------------------------------------------------------
@pytest.mark.parametrize("actual, expected", [(120, "10.00"), (100, "10.00"), (87.3, "8.73"), (0, "0.00")])
def test_target_at_least_proportional_is_actual_over_target_capped_at_the_weight(actual, expected):
    assert points(target(">=", "100", "proportional"), {"v": actual}) == D(expected)


@pytest.mark.parametrize("actual, expected", [(100, "10.00"), (99.99, "0.00"), (0, "0.00")])
def test_target_partial_none_gives_nothing_when_missed(actual, expected):
    assert points(target(">=", "100", "none"), {"v": actual}) == D(expected)


@pytest.mark.parametrize("op, actual, expected", [(">", 100, "0.00"), (">", 100.01, "10.00"), (">=", 100, "10.00"),
                                                 ("<", 7, "0.00"), ("<", 6, "10.00"), ("<=", 7, "10.00")])
def test_strict_targets_are_not_met_on_the_edge(op, actual, expected):
    # 超过8万单 is ">": exactly 80000 is not over it (partial none makes the edge visible)
    assert points(target(op, "100" if op.startswith(">") else "7", "none"), {"v": actual}) == D(expected)


@pytest.mark.parametrize("partial", ["proportional", "linear", "pass_line", "stepped"])
@pytest.mark.parametrize("op, goal", [(">", "100"), ("<", "7")])
def test_a_strict_target_missed_on_the_edge_scores_one_unit_below_full_points(op, goal, partial):
    # at the edge every formula gives 100% (actual/target = 80000/80000), but the verdict is "not met"
    extra = ", loss_per_step: 5%" if partial == "stepped" else ""
    assert points(target(op, goal, partial, extra), {"v": goal}) == D("9.99")


@pytest.mark.parametrize("op, goal, actual", [(">=", "100", "99.99"), ("<=", "100", "100.01"), ("==", "100", "100.01"),
                                              ("between", "[90, 100]", "89.99")])
def test_a_miss_by_a_hair_does_not_round_up_to_full_points(op, goal, actual):
    # 10 × 99.99 ÷ 100 = 9.999 would show as 10.00 beside "not met"
    assert points(target(op, goal, "proportional"), {"v": actual}) == D("9.99")


def test_the_unit_below_full_points_is_the_leafs_precision():
    body = """\
    inputs:
      v: {type: number, label: 报关单量}
    indicators:
      - {id: whole, label: 整分, weight: 15, precision: 0, rule: {kind: target, value: v, op: ">", target: 80000}}
      - {id: tenths, label: 一位小数, weight: 85, precision: 1, rule: {kind: target, value: v, op: ">", target: 80000}}
    """
    result = score(rubric_from(body, precision=2), {"v": 80000})
    assert (result.node("whole").score, result.node("tenths").score) == (D("14"), D("84.9"))
    assert score(rubric_from(body, precision=2), {"v": 80001}).total == 100


def test_a_missed_target_capped_below_full_points_says_so():
    node = score(target(">", "80000", "proportional"), {"v": 80000}).node("x")
    assert node.met is False
    assert node.explanation == ("80000 > 80000 (完成率 100%): not met, actual/target → 100% → 10 × 100%, "
                                "capped below full points → 10 − 0.01 = 9.99 → 9.99 / 10")


def test_a_miss_below_the_cap_is_not_capped():
    node = score(target(">", "80000", "proportional"), {"v": 72000}).node("x")
    assert (node.score, "capped" in node.explanation) == (D("9.00"), False)


def test_target_column_shows_direction_and_unit():
    rubric = leaf('{kind: target, value: v, op: ">=", target: 5}', "v: {type: integer, label: 企业, unit: 家}")
    node = score(rubric, {"v": 30}).node("x")
    assert (node.target, node.actual) == ("≥5 家", "30 家")


def test_reverse_target_proportional_is_target_over_actual():
    # DOMAIN.md: target 100, actual 125 → 0.80 of the points (central 自评表 rule)
    rubric = target("<=", "100", "proportional")
    assert points(rubric, {"v": 125}) == D("8.00")
    assert points(rubric, {"v": 80}) == D("10.00")


@pytest.mark.parametrize("actual, expected", [(125, "7.50"), (100, "10.00"), (150, "5.00"), (200, "0.00"), (260, "0.00")])
def test_reverse_target_linear_falls_to_zero_at_twice_the_target_by_default(actual, expected):
    # DOMAIN.md: (1 − (actual − target)/target) × points; at 125 that is 0.75
    assert points(target("<=", "100", "linear"), {"v": actual}) == D(expected)


def test_reverse_target_linear_with_a_stated_floor():
    assert points(target("<=", "100", "linear", ", floor: 120"), {"v": 110}) == D("5.00")


@pytest.mark.parametrize("actual, expected", [(75, "5.00"), (50, "0.00"), (40, "0.00"), (100, "10.00")])
def test_target_at_least_linear_from_a_floor(actual, expected):
    assert points(target(">=", "100", "linear", ", floor: 50"), {"v": actual}) == D(expected)


@pytest.mark.parametrize("actual, expected", [(100, "10.00"), (80, "5.00"), (90, "7.50"), (60, "0.00"), (59, "0.00")])
def test_pass_line_defaults_to_60_percent(actual, expected):
    # 101号: below 60% completion → 0, else (完成率 − 60%) / (1 − 60%) × 分值
    assert points(target(">=", "100%", "pass_line", inputs=PERCENT), {"v": actual}) == D(expected)


def test_pass_line_can_be_stated():
    rubric = target(">=", "100%", "pass_line", ", pass: 50%", inputs=PERCENT)
    assert points(rubric, {"v": 75}) == D("5.00")
    assert points(rubric, {"v": 49}) == D("0.00")


@pytest.mark.parametrize("rate, expected", [(100, "10.00"), (93, "6.50"), (99.5, "9.75"), (81, "0.50"), (80, "0.00"), (70, "0.00")])
def test_stepped_execution_rate_loses_5_percent_per_point(rate, expected):
    # 预算执行率: 100% → full, each point below costs 5% of the points, ≤80% → 0 (扣完为止)
    rubric = target(">=", "100%", "stepped", ", loss_per_step: 5%", inputs=PERCENT)
    assert points(rubric, {"v": rate}) == D(expected)


def test_stepped_with_a_wider_step():
    rubric = target(">=", "100%", "stepped", ", step: 2%, loss_per_step: 10%", inputs=PERCENT)
    assert points(rubric, {"v": 96}) == D("8.00")


@pytest.mark.parametrize("actual, expected", [(0, "10.00"), (1, "0.00"), (-1, "10.00")])
def test_equal_to_zero_is_met_only_at_or_below_zero(actual, expected):
    # DOMAIN.md: a target of 0 gives full points only if actual ≤ 0
    assert points(target("==", "0", "proportional"), {"v": actual}) == D(expected)


@pytest.mark.parametrize("actual, expected", [(50, "10.00"), (40, "8.00"), (62.5, "8.00")])
def test_equal_to_proportional_uses_the_nearer_side(actual, expected):
    assert points(target("==", "50", "proportional"), {"v": actual}) == D(expected)


def test_equal_to_with_tolerance():
    rubric = target("==", "50", "none", ", tolerance: 1")
    assert points(rubric, {"v": 51}) == D("10.00")
    assert points(rubric, {"v": 51.01}) == D("0.00")


@pytest.mark.parametrize("rate, expected", [(90, "10.00"), (110, "10.00"), (100, "10.00"), (72, "8.00"), (125, "8.80")])
def test_between_is_met_on_both_edges_and_proportional_outside(rate, expected):
    rubric = leaf('{kind: target, value: v, op: between, target: ["90%", "110%"], partial: proportional}', PERCENT)
    assert points(rubric, {"v": rate}) == D(expected)


def test_ranking_is_a_reverse_target():
    # 全省排名前7位 → rank ≤ 7; 第1位 is met, 第8位 is not (partial none)
    rubric = leaf('{kind: target, value: rank, op: "<=", target: 7, partial: none}', "rank: {type: integer, label: 排名, min: 1}")
    assert points(rubric, {"rank": 1}) == D("10.00")
    assert points(rubric, {"rank": 7}) == D("10.00")
    assert points(rubric, {"rank": 8}) == D("0.00")


def test_reduction_is_an_at_least_target_on_the_rate():
    # 压缩5%以上 → reduction rate ≥ 5%
    rubric = target(">=", '"5%"', "proportional", inputs=PERCENT)
    assert points(rubric, {"v": "6%"}) == D("10.00")
    assert points(rubric, {"v": "4%"}) == D("8.00")


def test_target_may_be_another_input():
    rubric = leaf('{kind: target, value: spent, op: "<=", target: budget, partial: proportional}',
                  "spent: {type: number, label: 支出}\nbudget: {type: number, label: 预算}")
    assert points(rubric, {"spent": 110, "budget": 99}) == D("9.00")


def test_explain_above_marks_but_never_changes_the_score():
    rubric = target(">=", "100", "proportional", ", explain_above: 130%")
    assert points(rubric, {"v": 200}) == D("10.00")


# -- ratio ---------------------------------------------------------------------------------
@pytest.mark.parametrize("spent, expected", [(50, "5.00"), (87.3, "8.73"), (100, "10.00"), (120, "10.00"), (0, "0.00")])
def test_ratio_is_weight_times_the_rate_clamped_to_0_1(spent, expected):
    rubric = leaf("{kind: ratio, value: spent / budget}", "spent: {type: number, label: 支出}\nbudget: {type: number, label: 预算}")
    assert points(rubric, {"spent": spent, "budget": 100}) == D(expected)


def test_ratio_of_a_percent_input():
    assert points(leaf("{kind: ratio, value: v}", PERCENT), {"v": "97%"}) == D("9.70")


# -- bands ---------------------------------------------------------------------------------
EXECUTION_BANDS = """
kind: bands
value: v
bands:
  - {min: 100%, points: 10, label: 完成且未超支}
  - {min: 80%, below: 100%, points: 7}
  - {min: 60%, below: 80%, points: 5}
"""


@pytest.mark.parametrize("rate, expected", [(100, "10"), (99.99, "7"), (80, "7"), (79.99, "5"), (60, "5"), (59.99, "0"), (0, "0")])
def test_bands_101_execution_rate(rate, expected):
    # 101号: complete → 10; 80%-100% → 7; 60%-80% → 5; below 60% → 0
    assert points(leaf(EXECUTION_BANDS, PERCENT), {"v": rate}) == D(expected)


SATISFACTION_BANDS = """
kind: bands
value: v
bands:
  - {min: 90%, points: 10}
  - {min: 80%, points: 8}
  - {min: 60%, points: 5}
"""


@pytest.mark.parametrize("rate, expected", [(95, "10"), (90, "10"), (89.99, "8"), (80, "8"), (79.5, "5"), (60, "5"), (59.9, "0")])
def test_bands_101_satisfaction(rate, expected):
    # 101号: ≥90% → 10, 80%-90% → 8, 60%-80% → 5, below 60% → 0
    assert points(leaf(SATISFACTION_BANDS, PERCENT), {"v": rate}) == D(expected)


def test_bands_by_share_and_otherwise():
    rule = """
kind: bands
value: v
bands:
  - {equals: 0, share: 100%}
  - {above: 0, max: 10, share: "2/3"}
otherwise: 1
"""
    rubric = leaf(rule, "v: {type: number, label: 预算调整率}", weight=3)
    assert points(rubric, {"v": 0}) == D("3.00")
    assert points(rubric, {"v": 10}) == D("2.00")
    assert points(rubric, {"v": 10.5}) == D("1.00")


# -- levels --------------------------------------------------------------------------------
QUALITY = "q: {type: level, label: 质量, levels: [好, 较好, 一般, 差]}"
TIERS = "q: {type: level, label: 目标达成, levels: [达成, 部分达成, 未达成]}"
TIERED = '{kind: levels, value: q, levels: {达成: ["80%", "100%"], 部分达成: ["60%", "80%"], 未达成: [0, "60%"]}}'


@pytest.mark.parametrize("level, expected", [("好", "10"), ("较好", "8"), ("一般", "6"), ("差", "0")])
def test_levels_with_fixed_shares(level, expected):
    rubric = leaf('{kind: levels, value: q, levels: {好: 100%, 较好: 80%, 一般: 60%, 差: 0}}', QUALITY)
    assert points(rubric, {"q": level}) == D(expected)


@pytest.mark.parametrize("level, judged", [("达成", "9.5"), ("达成", "8"), ("部分达成", "7"), ("未达成", "3")])
def test_levels_tier_takes_the_judged_figure_inside_the_tier(level, judged):
    assert points(leaf(TIERED, TIERS), {"q": level}, judgments={"x": {"points": D(judged)}}) == D(judged)


@pytest.mark.parametrize("judged", ["9", "5.9"])
def test_levels_figure_outside_the_tier_is_a_submission_error(judged):
    with pytest.raises(engine.SubmissionError) as info:
        points(leaf(TIERED, TIERS), {"q": "部分达成"}, judgments={"x": {"points": D(judged)}})
    assert "outside tier 部分达成 (6–8)" in str(info.value)
    assert info.value.problems[0].path == "judgments.x"


def test_levels_tier_without_a_judged_figure_asks_for_one():
    with pytest.raises(engine.SubmissionError, match="give the points as a judgment"):
        points(leaf(TIERED, TIERS), {"q": "达成"})


def test_hubei_80_50_tiers():
    rule = '{kind: levels, value: q, levels: {达成: ["80%", "100%"], 部分达成: ["50%", "80%"], 未达成: [0, "50%"]}}'
    assert points(leaf(rule, TIERS), {"q": "部分达成"}, judgments={"x": {"points": 5}}) == D("5.00")


# -- expression ----------------------------------------------------------------------------
@pytest.mark.parametrize("a, expected", [(1, "2.50"), (3, "7.50"), (5, "10.00"), (-2, "0.00")])
def test_expression_is_clamped_to_the_weight(a, expected):
    rubric = leaf('{kind: expression, expr: "weight * a / 4 if a < 4 else weight + 5"}', "a: {type: number, label: a}")
    assert points(rubric, {"a": a}) == D(expected)


# -- judged --------------------------------------------------------------------------------
JUDGED = leaf("{kind: judged, guide: 立项依据是否充分}", "a: {type: number, label: a, required: false, default: 0}")


def test_judged_points():
    assert points(JUDGED, judgments={"x": {"points": 7.5}}) == D("7.50")


def test_judged_deductions_are_itemised_with_reasons():
    result = score(JUDGED, judgments={"x": {"deductions": [
        {"points": 1.5, "reason": "依据不足"}, {"points": 2, "reason": "程序不全"}]}})
    node = result.node("x")
    assert node.score == D("6.50")
    assert [(d.points, d.reason, d.source) for d in node.deductions] == [
        (D("1.50"), "依据不足", "evaluator"), (D("2.00"), "程序不全", "evaluator")]


def test_judged_empty_deductions_is_full_points():
    assert points(JUDGED, judgments={"x": {"deductions": []}}) == D("10.00")


def test_judged_points_above_the_weight_are_refused():
    with pytest.raises(engine.SubmissionError, match=r"expected points within 0\.\.10, got 11"):
        points(JUDGED, judgments={"x": {"points": 11}})


def test_judged_without_a_judgment_is_refused():
    with pytest.raises(engine.SubmissionError, match="missing judgment for 'x'"):
        points(JUDGED, judgments={})


# -- elements ------------------------------------------------------------------------------
ABC = "a: {type: boolean, label: ①}\nb: {type: boolean, label: ②}\nc: {type: boolean, label: ③}"
EQUAL = """
kind: elements
elements:
  - {label: ①, met: a}
  - {label: ②, met: b}
  - {label: ③, met: c}
"""


@pytest.mark.parametrize("met, expected", [((1, 1, 1), "10.00"), ((1, 0, 1), "6.67"), ((0, 0, 1), "3.33"), ((0, 0, 0), "0.00")])
def test_elements_equal_shares(met, expected):
    values = dict(zip("abc", (bool(m) for m in met)))
    assert points(leaf(EQUAL, ABC), values) == D(expected)


@pytest.mark.parametrize("met, expected", [((1, 0, 1), "2.00"), ((0, 1, 0), "8.00"), ((1, 1, 0), "9.00")])
def test_elements_stated_10_80_10_shares(met, expected):
    rule = """
kind: elements
elements:
  - {label: ①, met: a, share: 10%}
  - {label: ②, met: b, share: 80%}
  - {label: ③, met: c, share: 10%}
"""
    values = dict(zip("abc", (bool(m) for m in met)))
    assert points(leaf(rule, ABC), values) == D(expected)


@pytest.mark.parametrize("failures, expected", [(0, "10.00"), (1, "8.33"), (2, "6.67"), (3, "5.00"), (7, "5.00")])
def test_elements_lose_a_third_of_their_share_per_failure(failures, expected):
    # 每出现一项不满足扣除该要点权重分值的1/3, 三项及以上不得分 (the first element; the second is intact)
    rule = """
kind: elements
elements:
  - {label: ①, failures: f1, loss_per_failure: 1/3}
  - {label: ②, failures: f2, loss_per_failure: 1/3}
"""
    rubric = leaf(rule, "f1: {type: integer, label: f1, min: 0}\nf2: {type: integer, label: f2, min: 0}")
    assert points(rubric, {"f1": failures, "f2": 0}) == D(expected)
    assert points(rubric, {"f1": 3, "f2": 3}) == D("0.00")


# -- deviation -----------------------------------------------------------------------------
DEVIATION_INPUTS = "\n".join(f"{n}: {{type: number, label: {n}}}" for n in ("a1", "p1", "a2", "p2"))


def test_deviation_per_year_then_summed():
    rule = """
kind: deviation
items:
  - {label: '2021', actual: a1, planned: p1}
  - {label: '2022', actual: a2, planned: p2}
"""
    rubric = leaf(rule, DEVIATION_INPUTS)
    # 2021: 偏差率 10% → keeps 90% of 5; 2022: on plan → 5
    assert points(rubric, {"a1": 90, "p1": 100, "a2": 100, "p2": 100}) == D("9.50")
    # over plan keeps the full share (never above); half the plan keeps half
    assert points(rubric, {"a1": 110, "p1": 100, "a2": 50, "p2": 100}) == D("7.50")


def test_deviation_absolute_counts_both_directions():
    rule = "{kind: deviation, absolute: true, items: [{actual: a1, planned: p1}]}"
    rubric = leaf(rule, "a1: {type: number, label: 实际}\np1: {type: number, label: 计划}")
    values = {"a1": 110, "p1": 100}
    assert points(rubric, values) == D("9.00")
    assert points(rubric, {**values, "a1": 90}) == D("9.00")


# -- likert --------------------------------------------------------------------------------
COUNTS = "\n".join(f"n{i}: {{type: integer, label: 第{i}档人数, min: 0}}" for i in range(1, 6))
ANSWERS = "answers: {非常满意: n1, 比较满意: n2, 一般: n3, 比较不满意: n4, 非常不满意: n5}"


def counts(*numbers: int) -> dict[str, int]:
    return {f"n{i}": n for i, n in enumerate(numbers, 1)}


@pytest.mark.parametrize("answers, expected", [((1, 1, 1, 1, 1), "5.00"), ((6, 4, 0, 0, 0), "9.00"), ((0, 0, 0, 0, 3), "0.00"),
                                                ((3, 0, 0, 0, 0), "10.00")])
def test_likert_weights_answers_100_75_50_25_0(answers, expected):
    assert points(leaf(f"kind: likert\n{ANSWERS}", COUNTS), counts(*answers)) == D(expected)


@pytest.mark.parametrize("answers, expected", [((6, 4, 0, 0, 0), "10.00"), ((20, 0, 4, 0, 1), "9.00"), ((1, 1, 1, 1, 1), "0.00")])
def test_likert_full_at_90_then_5_percent_per_point(answers, expected):
    # (20 + 0.5×4)/25 = 88% → two points short → 90% of the points
    rule = f"kind: likert\n{ANSWERS}\nfull_at: 90%\nloss_per_point: 5%"
    assert points(leaf(rule, COUNTS), counts(*answers)) == D(expected)


# -- yes_no --------------------------------------------------------------------------------
@pytest.mark.parametrize("answer, expected", [("是", "10"), (True, "10"), ("否", "0"), (False, "0")])
def test_yes_no_full_or_nothing(answer, expected):
    assert points(leaf("{kind: yes_no, when: ok}", "ok: {type: boolean, label: 是否完成}"), {"ok": answer}) == D(expected)


def test_yes_no_with_stated_points_when_no():
    rubric = leaf("{kind: yes_no, when: ok, otherwise: 4}", "ok: {type: boolean, label: 是否完成}")
    assert points(rubric, {"ok": "否"}) == D("4.00")


def test_every_registered_kind_is_covered_here():
    source = open(__file__, encoding="utf-8").read()
    assert [kind for kind in KINDS if f"kind: {kind}" not in source] == []


def test_full_is_full_points_less_deductions_floored_at_zero():
    rubric = rubric_from("""
inputs:
  n: {type: integer, label: 违规次数}
indicators:
  - id: x
    label: 资金使用合规性
    weight: 10
    rule: {kind: full}
    deductions: [{per: n, points: 2, reason: 每出现一例违规扣2分}]
""")
    assert points(rubric, {"n": 0}) == D("10.00")
    assert points(rubric, {"n": 3}) == D("4.00")
    assert points(rubric, {"n": 9}) == D("0.00")


@pytest.mark.parametrize("sign, ascii_op", [("≥", ">="), ("≤", "<="), ("＞", ">")])
def test_target_accepts_the_signs_schemes_print(sign, ascii_op):
    assert points(target(sign, "100", "none"), {"v": 100}) == points(target(ascii_op, "100", "none"), {"v": 100})


# -- constants where a rule takes a value ------------------------------------------------------
@pytest.mark.parametrize("rule, expected", [
    ("{kind: ratio, value: 0.862}", "8.62"),
    ("{kind: ratio, value: 86.2%}", "8.62"),
    ('{kind: target, value: 45, op: ">=", target: v}', "4.50"),
    ("{kind: bands, value: 0.85, bands: [{min: 0.8, points: 7}]}", "7.00"),
    ("{kind: deviation, items: [{actual: v, planned: 125}]}", "8.00"),
    ("{kind: elements, elements: [{label: 制度, met: 1}, {label: 台账, failures: 1, loss_per_failure: 1/2}]}", "7.50"),
    ("{kind: likert, answers: {非常满意: 3, 一般: 1}}", "8.75"),
    ("{kind: yes_no, when: 0}", "0.00"),
])
def test_a_number_is_a_constant_wherever_a_rule_takes_a_value(rule, expected):
    assert points(leaf(rule, NUMBER), {"v": 100}) == D(expected)


def test_a_number_where_levels_needs_a_level_input_says_so():
    with pytest.raises(engine.RubricLoadError) as caught:
        leaf("{kind: levels, value: 0.8, levels: {好: 1}}", NUMBER)
    assert [(p.path, p.message) for p in caught.value.problems] == [("indicators[x].rule.value", "'0.8' must be an input of type level")]
