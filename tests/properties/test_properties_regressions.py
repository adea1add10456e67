"""Minimal examples the property suite found, kept as plain tests (each names the property that found it)."""
from __future__ import annotations

import pytest

import engine
from engine.document import parse_text

ONE_LEAF = """\
id: t
version: '1'
title: 最小例
precision: {precision}
total: 5
grades: [{{label: 合格, range: "[0, 5]"}}]
inputs: {{ok: {{type: boolean, label: 是否完成}}}}
indicators:
  - {{id: x, label: 甲, weight: 2.5, rule: {{kind: yes_no, when: ok}}}}
  - {{id: y, label: 乙, weight: 2.5, rule: {{kind: yes_no, when: ok}}}}
"""


def test_weight_finer_than_precision_is_refused_at_load() -> None:
    # found by test_bounds / test_additivity: at precision 0 each 2.5 scored 3, the total 6 of 5 had no grade band
    # (ValueError from GradeScale.grade, a traceback instead of a located error)
    with pytest.raises(engine.RubricLoadError) as caught:
        engine.parse_rubric(ONE_LEAF.format(precision=0), "r.yaml")
    problems = caught.value.problems
    assert [p.path for p in problems] == ["indicators[x].weight", "indicators[y].weight"]
    assert [(p.line, p.column) for p in problems] == [(9, 23), (10, 23)]
    assert all("precision 0" in p.message for p in problems)


def test_weight_that_fits_the_precision_scores_full_marks() -> None:
    rubric = engine.parse_rubric(ONE_LEAF.format(precision=1))
    result = engine.score(rubric, engine.submission_from_data({"values": {"ok": True}}, rubric))
    assert result.total == result.max == 5


def test_json_with_a_character_yaml_refuses_still_loads() -> None:
    # found by test_determinism: a JSON submission holding U+007F was refused, its YAML twin accepted
    assert parse_text('{"remark": "\x7f"}', "s.json").data == {"remark": "\x7f"}


def test_yaml_with_a_refused_character_is_located() -> None:
    with pytest.raises(engine.DocumentError) as caught:
        parse_text("a: 1\nb: x\x7f\n", "s.yaml")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (2, 5) and "U+007F" in problem.message


def test_json_read_past_yaml_keeps_lines() -> None:
    # found by test_robustness: a JSON key holding U+007F loaded without marks, so 'unknown key' had no line;
    # tab indentation (valid JSON, not YAML) took the same path
    doc = parse_text('{\n\t"values": {\n\t\t"a\x7f": 1,\n\t\t"b": "x\x85y"\n\t}\n}', "s.json")
    assert doc.data == {"values": {"a\x7f": 1, "b": "x\x85y"}}
    assert doc.where(("values", "a\x7f")) == (3, 3) and doc.where(("values", "b")) == (4, 3)


def test_invalid_json_that_is_not_yaml_either_is_a_located_yaml_error() -> None:
    with pytest.raises(engine.DocumentError) as caught:
        parse_text('{\n\t"a": 1,\n}', "s.json")
    assert caught.value.problems[0].line is not None


def test_deep_flow_nesting_is_refused_before_the_slow_scanner() -> None:
    # found by test_robustness: 2,000 nested '[' took 0.9 s in PyYAML's scanner (quadratic), over 2 s when traced
    with pytest.raises(engine.DocumentError) as caught:
        parse_text("a: " + "[" * 2000 + "]" * 2000, "s.yaml")
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == (1, 68)
    assert parse_text("a: " + "[" * 64 + "1" + "]" * 64 + "\nb: '[[[['", "s.yaml").data["b"] == "[[[["
