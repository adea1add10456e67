"""Every error a rubric or a submission can raise: its class, its message and its location."""
from __future__ import annotations

import time
from decimal import Decimal

import pytest

import engine
from engine_helpers import leaf, line_of, rubric_text
from engine.document import parse_text
from engine.submission import check_submission

GOAL = "indicators[decision].children[goal]"
TREE = """
inputs:
  rate: {type: percent, label: 完成率}
  budget: {type: number, label: 预算数, unit: 万元}
derived:
  execution: rate * 1
indicators:
  - id: decision
    label: 决策
    weight: 100
    children:
      - id: goal
        label: 绩效目标
        weight: 100
        rule: {kind: target, value: rate, op: ">=", target: TARGET}
"""


def problems(text: str, name: str = "r.yaml", error: type = engine.RubricError) -> list[engine.Problem]:
    with pytest.raises(error) as info:
        engine.parse_rubric(text, name)
    assert type(info.value) is error or error is engine.RubricError
    return info.value.problems


def only(text: str, **kw) -> engine.Problem:
    found = problems(text, **kw)
    assert len(found) == 1, found
    return found[0]


def at(problem: engine.Problem, text: str, needle: str) -> None:
    """The problem is at ``needle``: its line and the column where it starts (a key, for a value's problem)."""
    line = line_of(text, needle)
    assert (problem.file, problem.line, problem.column) == ("r.yaml", line, text.splitlines()[line - 1].index(needle) + 1)


# -- documents -----------------------------------------------------------------------------
def test_yaml_syntax_error_is_located():
    text = rubric_text(TREE.replace("TARGET", "90%").replace("label: 绩效目标", "label: [绩效目标"))
    problem = only(text, error=engine.DocumentError)
    assert problem.message.startswith("not valid YAML: expected ',' or ']'")
    assert problem.line == line_of(text, "[绩效目标") + 1


def test_duplicate_key_names_both_lines_and_the_path_by_id():
    text = rubric_text(TREE.replace("TARGET", "90%").replace("weight: 100\n        rule", "weight: 100\n        weight: 50\n        rule"))
    problem = only(text, error=engine.DocumentError)
    first = line_of(text, "weight: 100", 2)
    assert problem.message == f"duplicate key 'weight' (first given on line {first})"
    assert problem.path == f"{GOAL}.weight"
    at(problem, text, "weight: 50")


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    started = time.perf_counter()
    problem = only("\n".join(lines), error=engine.DocumentError)
    assert time.perf_counter() - started < 5
    assert "expands to more than 200000 values" in problem.message


def test_a_file_of_tens_of_megabytes_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"notes: |\n")
        chunk = b"  " + b"x" * 1022 + b"\n"
        for _ in range(20 * 1024):
            handle.write(chunk)
    with pytest.raises(engine.DocumentError) as info:
        engine.load_rubric(path)
    [problem] = info.value.problems
    assert problem.message == "file is 20 MB; expected at most 5 MB"
    assert problem.file == str(path)
    with pytest.raises(engine.DocumentError, match="expected at most 5 MB"):
        engine.load_submission(path, leaf("{kind: ratio, value: v}", "v: {type: percent, label: v}"))


def test_a_file_that_is_not_utf8_names_the_byte_and_line(tmp_path):
    path = tmp_path / "gbk.yaml"
    text = rubric_text(TREE.replace("TARGET", "90%"))
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(engine.DocumentError) as info:
        engine.load_rubric(path)
    [problem] = info.value.problems
    offset = len(text[:text.index("测")].encode("gbk"))
    assert problem.message == f"not UTF-8 text (byte 0x{'测'.encode('gbk')[0]:02x} at offset {offset}); save the file as UTF-8"
    assert (problem.file, problem.line) == (str(path), 3)


def test_a_missing_file(tmp_path):
    with pytest.raises(engine.DocumentError, match="no such file"):
        engine.load_rubric(tmp_path / "none.yaml")


@pytest.mark.parametrize("text", ["", "[]", "42", "- a\n- b\n"])
def test_a_rubric_that_is_not_a_mapping(text):
    assert "a rubric must be a mapping" in only(text, error=engine.RubricLoadError).message


@pytest.mark.parametrize("written", ["0x10", "0b11", "1:30"])
def test_numbers_in_other_bases_are_refused_not_reinterpreted(written):
    rubric = leaf("{kind: ratio, value: v}", "v: {type: percent, label: v}")
    with pytest.raises(engine.DocumentError) as info:
        check_submission(parse_text(f"values:\n  v: {written}\n", "s.yaml"), rubric)
    assert "write a plain decimal number" in str(info.value)
    assert info.value.problems[0].path == "values.v"


def test_a_number_with_leading_zero_is_read_as_written():
    rubric = leaf("{kind: ratio, value: v}", "v: {type: percent, label: v}")
    assert check_submission(parse_text("values:\n  v: 010\n", "s.yaml"), rubric).values["v"] == Decimal("0.1")


def test_a_number_of_thousands_of_digits_is_refused():
    # beyond 4300 digits Python's int() itself raises ValueError: that once escaped as a traceback
    text = rubric_text(TREE.replace("TARGET", "1" + "0" * 5000))
    problem = only(text, error=engine.DocumentError)
    assert problem.message == "number is 5001 characters long; at most 100 are allowed"
    assert problem.path == f"{GOAL}.rule.target"


# -- expressions ---------------------------------------------------------------------------
@pytest.mark.parametrize("target, message", [
    ('"rate +* 2"', "does not parse: invalid syntax (column 7) in expression 'rate +* 2'"),
    ('"(rate"', "does not parse: '(' was never closed (column 1) in expression '(rate'"),
    ("rat * 2", "unknown name 'rat'; did you mean 'rate'? in expression 'rat * 2'"),
    ("budgett", "unknown name 'budgett'; did you mean 'budget'? in expression 'budgett'"),
    ("sqrt(rate)", "unknown function 'sqrt'; allowed: min, max, abs, round, clamp, floor, ceil in expression 'sqrt(rate)'"),
    ('"mx(rate, 1)"', "unknown function 'mx'; did you mean 'max'?; allowed: min, max, abs, round, clamp, floor, ceil"),
    ("rate.real", "attribute access (a.b) is not allowed in expression 'rate.real'"),
    ("rate.__class__", "attribute access (a.b) is not allowed"),
    ('"__import__(1)"', "unknown function '__import__'"),
    ("__builtins__", "name '__builtins__' is not allowed (names may not start with '_')"),
    ('"rate[0]"', "indexing (a[b]) is not allowed"),
    ('"[x for x in rate]"', "comprehensions are not allowed"),
    ('"(y := 1)"', "assignment (:=) is not allowed"),
    ('"rate; budget"', "does not parse"),
    ('"lambda: 1"', "lambda is not allowed"),
    ("max", "'max' is a function; call it as max(...)"),
])
def test_bad_expressions_are_load_errors_at_the_parameter(target, message):
    text = rubric_text(TREE.replace("TARGET", target))
    problem = only(text, error=engine.RubricLoadError)
    assert message in problem.message
    assert problem.path == f"{GOAL}.rule.target"
    at(problem, text, "target: " + target)  # the key that holds the expression


def test_an_expression_too_long_or_too_deep():
    long = "+".join(["rate"] * 500)
    assert "at most 2000 allowed" in only(rubric_text(TREE.replace("TARGET", long))).message
    deep = "-" * 120 + "rate"
    assert "nested" in only(rubric_text(TREE.replace("TARGET", f'"{deep}"'))).message


def test_powers_are_bounded_when_evaluated():
    rubric = leaf('{kind: expression, expr: "v ** 99999"}', "v: {type: number, label: v}")
    with pytest.raises(engine.ScoringError, match=r"power too large") as info:
        engine.score(rubric, engine.submission_from_data({"values": {"v": Decimal(10)}}, rubric))
    assert info.value.problems[0].path == "indicators[x].rule"


def test_derived_cycle_names_the_cycle():
    text = rubric_text(TREE.replace("TARGET", "90%").replace("execution: rate * 1", "a: b + 1\n  b: c * 2\n  c: a"))
    problem = only(text, error=engine.RubricLoadError)
    assert problem.message == "derived names form a cycle: a → b → c → a"
    assert problem.path == "derived.a"
    at(problem, text, "a: b + 1")


def test_derived_name_used_before_it_is_declared_is_fine_without_a_cycle():
    text = rubric_text(TREE.replace("TARGET", "later").replace("execution: rate * 1", "later: half * 2\n  half: rate / 2"))
    assert engine.parse_rubric(text).derived[0].id == "half"


# -- the schema and semantic checks --------------------------------------------------------
def test_children_weights_not_adding_up_name_the_node_and_both_numbers():
    text = rubric_text(TREE.replace("TARGET", "90%").replace("weight: 100\n        rule", "weight: 90\n        rule"))
    problem = only(text)
    assert problem.message == "children of 'decision' weigh 90 in all, but 'decision' weighs 100"
    assert problem.path == "indicators[decision].weight"
    at(problem, text, "weight: 100")


def test_level_one_weights_not_adding_up_to_the_total():
    text = rubric_text("total: 100\n" + TREE.replace("TARGET", "90%").replace("weight: 100", "weight: 95"))
    problem = only(text)
    assert problem.message == "level-1 weights add up to 95, expected the total 100"
    assert (problem.path, problem.line) == ("indicators", line_of(text, "indicators:"))


def test_unknown_key_with_did_you_mean():
    text = rubric_text(TREE.replace("TARGET", "90%").replace("weight: 100\n        rule", "wieght: 100\n        rule"))
    found = {p.message: p for p in problems(text)}
    problem = found["unknown key 'wieght'; did you mean 'weight'?"]
    assert problem.path == f"{GOAL}.wieght"
    at(problem, text, "wieght")
    assert f"{GOAL}" in [p.path for p in found.values() if p.message == "missing required key 'weight'"]


def test_unknown_rule_kind_and_parameter():
    text = rubric_text(TREE.replace("kind: target", "kind: tagret").replace("TARGET", "90%"))
    problem = only(text)
    assert problem.message.startswith("expected one of target, ratio, bands") and problem.message.endswith("did you mean 'target'?")
    assert problem.path == f"{GOAL}.rule.kind"
    text = rubric_text(TREE.replace("TARGET", "90%, partail: none"))
    assert only(text).message == "unknown key 'partail'; did you mean 'partial'?"


def test_wrong_type_says_what_was_expected():
    text = rubric_text(TREE.replace("TARGET", "90%").replace("weight: 100\n        rule", "weight: 五\n        rule"))
    problem = only(text)
    assert problem.message == 'expected a number, got "五"'
    assert problem.path == f"{GOAL}.weight"
    at(problem, text, "weight: 五")


def test_unknown_input_type_with_did_you_mean():
    text = rubric_text(TREE.replace("TARGET", "90%").replace("type: percent", "type: precent"))
    problem = only(text)
    assert problem.message == ('expected one of number, integer, percent, boolean, level, text; got "precent"; '
                               "did you mean 'percent'?")
    assert problem.path == "inputs.rate.type"


def test_all_problems_are_reported_at_once_in_document_order():
    text = rubric_text(TREE.replace("TARGET", "rat").replace("execution: rate * 1", "execution: sqrt(rate)")
                       .replace("weight: 100\n        rule", "weight: 90\n        rule"))
    found = problems(text)
    assert [p.path for p in found] == ["derived.execution", "indicators[decision].weight", f"{GOAL}.rule.target"]
    assert [p.line for p in found] == sorted(p.line for p in found)
    assert str(found[0]).startswith(f"r.yaml:{line_of(text, 'execution:')}:3: derived.execution: unknown function 'sqrt'")


# -- submissions ---------------------------------------------------------------------------
SUBMITTED = leaf("{kind: ratio, value: rate}", """
firms: {type: integer, label: 企业数, unit: 家, min: 0}
rate: {type: percent, label: 执行率, min: 0, max: 100}
grade: {type: level, label: 质量, levels: [好, 一般, 差]}
ok: {type: boolean, label: 合规}
""")


def submission_problems(text: str) -> list[engine.Problem]:
    with pytest.raises(engine.SubmissionError) as info:
        check_submission(parse_text(text, "s.yaml"), SUBMITTED)
    return info.value.problems


def test_every_submission_problem_at_once_with_name_expectation_and_line():
    text = "values:\n  firms: 30家\n  rate: .nan\n  grade: 很好\n  rat: 3\n"
    found = {p.path: p for p in submission_problems(text)}
    assert set(found) == {"values.firms", "values.rate", "values.grade", "values.rat", "values"}
    assert found["values.firms"].message == 'expected a whole number, got "30家"; write the number alone (the unit 家 is already in the rubric)'
    assert found["values.rate"].message == "expected a finite number, got NaN"
    assert found["values.grade"].message == "expected one of 好, 一般, 差; got \"很好\"; did you mean '好'?"
    assert found["values.rat"].message == "unknown input 'rat'; did you mean 'rate'?"
    assert found["values"].message == "missing value for 'ok' (合规)"
    assert [(found[k].line, found[k].column) for k in ("values.firms", "values.rate", "values.grade", "values.rat")] == \
        [(2, 3), (3, 3), (4, 3), (5, 3)]
    assert str(found["values.firms"]).startswith("s.yaml:2:3: values.firms: ")


@pytest.mark.parametrize("line, path, message", [
    ("rate: .inf", "values.rate", "expected a finite number, got Infinity"),
    ("rate: -.inf", "values.rate", "expected a finite number, got -Infinity"),
    ("rate: 101", "values.rate", "101% is out of range: expected 0%..100%"),
    ("rate: 100.5%", "values.rate", "100.5% is out of range: expected 0%..100%"),
    ("firms: -1", "values.firms", "-1 is out of range: expected 0..∞"),
    ("firms: 30.5", "values.firms", "expected a whole number, got 30.5"),
    ("firms: [30]", "values.firms", "expected a whole number, got a list"),
    ("ok: 也许", "values.ok", 'expected true or false (是/否), got "也许"'),
    ("grade: 3", "values.grade", 'expected one of 好, 一般, 差; got 3'),
])
def test_submission_value_problems(line, path, message):
    base = {"firms": "firms: 30", "rate": "rate: 97%", "grade": "grade: 好", "ok": "ok: 是"}
    base[line.split(":")[0]] = line
    [problem] = submission_problems("values:\n" + "".join(f"  {v}\n" for v in base.values()))
    assert (problem.path, problem.message) == (path, message)


def test_json_submission_nan_and_infinity():
    for constant in ("NaN", "Infinity"):
        [problem] = submission_problems('{"values": {"firms": 30, "rate": %s, "grade": "好", "ok": true}}' % constant)
        assert problem.path == "values.rate" and constant in problem.message


def test_unknown_top_level_key_with_did_you_mean():
    found = submission_problems("valeus: {}\n")
    assert found[0].message == "unknown key 'valeus'; did you mean 'values'?"
    assert len(found) == 5  # and every required value missing


def test_a_judgment_for_an_indicator_that_takes_none():
    [problem] = submission_problems("values: {firms: 1, rate: 1, grade: 好, ok: 是}\njudgments: {x: {points: 1}}\n")
    assert problem.message == "'x' takes no judgment: it is scored from values, not judged"
    assert problem.path == "judgments.x"


# -- nothing but RubricError escapes -------------------------------------------------------
def test_every_prefix_of_a_valid_rubric_loads_or_raises_a_rubric_error():
    text = rubric_text(TREE.replace("TARGET", "90%"))
    for end in range(0, len(text), 7):
        try:
            engine.parse_rubric(text[:end])
        except engine.RubricError:
            pass


@pytest.mark.parametrize("value", ["[]", "{}", "null", "true", "''", "1e400", "99999999999999999999999999999999", "-0", "0.0000001",
                                   "2020-01-01", "~", "'  '", "１０", "1,000", "!!binary aGVsbG8="])
def test_odd_submission_values_load_or_raise_a_rubric_error(value):
    for name in ("firms", "rate", "grade", "ok"):
        values = {"firms": "1", "rate": "1", "grade": "好", "ok": "是", name: value}
        text = "values:\n" + "".join(f"  {k}: {v}\n" for k, v in values.items())
        try:
            engine.score(SUBMITTED, check_submission(parse_text(text, "s.yaml"), SUBMITTED))
        except engine.RubricError:
            pass


# -- rule parameters that do not make sense ------------------------------------------------
LEVEL = "q: {type: level, label: 质量, levels: [好, 差]}"


@pytest.mark.parametrize("rule, inputs, path, message", [
    ("{kind: bands, value: v, bands: [{min: 90%, points: 12}]}", "", "rule.bands", "band 1 gives 12 points, more than the weight 10"),
    ("{kind: bands, value: v, bands: [{min: 90%, points: 5, share: 50%}]}", "", "rule.bands[0]",
     "a band gives either 'points' or 'share' (a fraction of the weight), not both or neither"),
    ("{kind: elements, elements: [{label: a, met: v, share: 50%}, {label: b, met: v, share: 40%}]}", "", "rule.elements",
     "element shares add up to 90%, expected 100%"),
    ("{kind: elements, elements: [{label: a, met: v, share: 50%}, {label: b, met: v}]}", "", "rule.elements",
     "give a share for every element or for none (equal shares)"),
    ("{kind: elements, elements: [{label: a, met: v, share: 1%s}]}" % ("0" * 30), "", "rule.elements[0].share",
     "a share must be within 0..1 (0%..100%), got 1" + "0" * 30),  # once a crash while showing the sum as a percent
    ("{kind: elements, elements: [{label: a, failures: v}]}", "", "rule.elements[0]",
     "'failures' needs 'loss_per_failure' (e.g. \"1/3\" of the element per failure)"),
    ("{kind: levels, value: v, levels: {好: 1}}", "", "rule.value", "'v' must be an input of type level"),
    ("{kind: levels, value: q, levels: {好: 1, 差: 2}}", LEVEL, "rule.levels.差", "a share must be within 0..1 (0%..100%), got 2"),
    ("{kind: levels, value: q, levels: {好: 1}}", LEVEL, "rule.levels", "no share given for level(s) 差 of input 'q'"),
    ("{kind: levels, value: q, levels: {好: 0.5, 差: 1}}", LEVEL, "rule.levels",
     "a worse level must not score more than a better one; input 'q' lists its levels best first"),
    ("{kind: likert, answers: {满意: v}}", "", "rule.answers.满意", "no weight for answer '满意'; give one in 'scale'"),
    ("{kind: target, value: v, op: between, target: 90%}", "", "rule.target", "'between' needs a target of two values: [low, high]"),
    ("{kind: target, value: v, op: '>=', target: [1, 2]}", "", "rule.target", "'>=' needs a single target; use op 'between' for a range"),
    ("{kind: target, value: v, op: '>=', target: 1, partial: stepped}", "", "rule.loss_per_step", "partial 'stepped' needs loss_per_step"),
    ("{kind: deviation, items: [{actual: v, planned: v, share: 50%}]}", "", "rule.items", "item shares add up to 50%, expected 100%"),
])
def test_rule_parameter_problems(rule, inputs, path, message):
    body = f"inputs:\n  v: {{type: percent, label: v}}\n  {inputs}\nindicators:\n  - {{id: x, label: X, weight: 10, rule: {rule}}}\n"
    found = problems(rubric_text(body))
    assert any(p.path == f"indicators[x].{path}" and p.message.startswith(message) for p in found), found


@pytest.mark.parametrize("deduction, path, message", [
    ("per: v, above: 10", "above", "'v' is a percent: write above as a percent (\"10%\"), not a bare number; "
                                   "a bare 10 would mean 1000%"),
    ("per: v, below: 0.9", "below", "'v' is a percent: write below as a percent (\"90%\"), not a bare number; "
                                    "a bare 0.9 would mean 90%"),
    ("per: v, above: 10%, step: 1", "step", "'v' is a percent: write step as a percent (\"1%\")"),
    ("per: v, above: 10%, below: 5%", "below", "give 'above' or 'below', not both: write one deduction for each side"),
    ("per: v, step: 1%", "step", "'step' counts steps beyond 'above' or 'below': give one of them, or drop 'step'"),
    ("when: v > 0.1, above: 10%", "above", "'above' counts the steps by which a value is above it: give that value as 'per'"),
    ("per: n, above: 3, step: 0", "step", 'expected a positive number or a percent such as "1%", got "0"'),
    ("per: n, above: 3, step: n", "step", 'expected a positive number or a percent such as "1%", got "n"'),
    ("per: n, above: m", "above", "unknown name 'm' in expression 'm'"),
])
def test_deduction_threshold_problems(deduction, path, message):
    body = ("inputs:\n  v: {type: percent, label: v}\n  n: {type: number, label: n}\nindicators:\n"
            f"  - {{id: x, label: X, weight: 10, rule: {{kind: full}}, deductions: [{{reason: r, points: 1, {deduction}}}]}}\n")
    found = problems(rubric_text(body))
    assert [p.message for p in found if p.path == f"indicators[x].deductions[0].{path}" and p.message.startswith(message)], found


@pytest.mark.parametrize("inputs, path, message", [
    ("v: {type: percent, label: v, required: false}", "inputs.v", "an optional input needs a 'default'"),
    ("v: {type: level, label: v}", "inputs.v", "an input of type level needs 'levels'"),
    ("v: {type: percent, label: v, min: 10万}", "inputs.v.min", 'expected a number or a percent like "100%", got "10万"'),
    ("v-1: {type: percent, label: v}", "inputs.v-1", "'v-1' cannot be used as a name in expressions"),
])
def test_input_problems(inputs, path, message):
    body = f"inputs:\n  w: {{type: percent, label: w}}\n  {inputs}\nindicators:\n  - {{id: x, label: X, weight: 10, rule: {{kind: ratio, value: w}}}}\n"
    found = problems(rubric_text(body))
    assert any(p.path == path and p.message.startswith(message) for p in found), found


def test_tree_problems():
    body = """
inputs:
  v: {type: percent, label: v}
indicators:
  - {id: x, label: X, weight: 40}
  - {id: x, label: Y, weight: 30, rule: {kind: ratio, value: v}}
  - id: z
    label: Z
    weight: 30
    rule: {kind: ratio, value: v}
    children: [{id: z1, label: Z1, weight: 30, rule: {kind: ratio, value: v}}]
cases:
  - {name: c, submission: {values: {v: 1}}, expect: {scores: {zz: 1}}}
"""
    text = rubric_text(body)
    found = {p.path: p.message for p in problems(text)}
    assert found["indicators[x]"].startswith("leaf indicator 'x' needs a 'rule' (one of target, ratio, bands")
    assert found["indicators[x].id"] == "indicator id 'x' is used twice (first at indicators[x])"
    assert found["indicators[z].rule"] == "an indicator with children scores the sum of its children; move the rule to a leaf"
    assert found["cases[0].expect.scores.zz"] == "no indicator 'zz'; did you mean 'z'?"


@pytest.mark.parametrize("given, shown", [("0.75", "0.75"), ("扣1分", '"扣1分"'), ("true", "true")])
def test_judgment_deductions_must_be_a_list(given, shown):
    rubric = leaf("{kind: judged}", "a: {type: number, label: a, required: false, default: 0}")
    with pytest.raises(engine.SubmissionError) as info:
        check_submission(parse_text(f"judgments:\n  x: {{deductions: {given}}}\n", "s.yaml"), rubric)
    [problem] = info.value.problems  # once a TypeError for a number, one problem per character for text
    assert (problem.path, problem.line) == ("judgments.x.deductions", 2)
    assert problem.message == f"expected a list of {{points, reason}}, got {shown}"


@pytest.mark.parametrize("given, shown", [('"三分"', '"三分"'), ("[2]", "a list"), ("true", "true"), ("NaN", "\"NaN\"")])
def test_judged_points_that_are_not_a_number_are_a_located_error(given, shown):
    rubric = leaf("{kind: judged}", "a: {type: number, label: a, required: false, default: 0}")
    with pytest.raises(engine.SubmissionError) as info:
        check_submission(parse_text(f"judgments:\n  x: {{points: {given}}}\n", "s.yaml"), rubric)
    [problem] = info.value.problems  # text once went through Decimal() and escaped as InvalidOperation
    assert (problem.path, problem.line) == ("judgments.x.points", 2)
    assert problem.message == f"expected points within 0..10, got {shown}"
