"""Grade bands: edges at 89.99 / 90 / 90.01, closed and open sides, and every malformed scale."""
from __future__ import annotations

import pytest

import engine
from engine_helpers import D, line_of, rubric_text, score

SCORED_AS_GIVEN = """
inputs:
  p: {type: number, label: 总分, min: 0, max: 100}
indicators:
  - {id: x, label: 总分, weight: 100, rule: {kind: expression, expr: p}}
"""


def grades_text(*bands: tuple[str, str]) -> str:
    lines = "".join(f'  - {{label: {label}, range: "{interval}"}}\n' for label, interval in bands)
    return rubric_text("grades:\n" + lines + SCORED_AS_GIVEN)


def grade_of(rubric: engine.Rubric, total: str) -> str:
    result = score(rubric, {"p": D(total)})
    assert result.total == D(total)
    return result.grade


# Qingdao: 90（含）-100 优, 80（含）-90 良, 70（含）-80 中, 70以下 差 (lower edges included)
QINGDAO = engine.parse_rubric(grades_text(("优", "[90, 100]"), ("良", "[80, 90)"), ("中", "[70, 80)"), ("差", "[0, 70)")))
# upper edges included: a band "(80, 90]" holds 90 itself
UPPER_CLOSED = engine.parse_rubric(grades_text(("优秀", "(90, 100]"), ("良好", "(80, 90]"), ("一般", "(60, 80]"),
                                               ("不合格", "[0, 60]")))
# Wuhan as printed, upper edge first: 【100，90】优秀 （90，80】良好 （80，60】一般 （60，0】不合格;
# each bracket stays with its number, written lower edge first in full-width brackets
WUHAN = engine.parse_rubric(grades_text(("优秀", "【90，100】"), ("良好", "【80，90）"), ("一般", "【60，80）"),
                                        ("不合格", "【0，60）")))


@pytest.mark.parametrize("total, grade", [("89.99", "良"), ("90", "优"), ("90.01", "优"), ("100", "优"), ("80", "良"),
                                          ("79.99", "中"), ("70", "中"), ("69.99", "差"), ("0", "差")])
def test_qingdao_lower_edges_are_included(total, grade):
    assert grade_of(QINGDAO, total) == grade


@pytest.mark.parametrize("total, grade", [("89.99", "良好"), ("90", "良好"), ("90.01", "优秀"), ("100", "优秀"),
                                          ("80", "一般"), ("80.01", "良好"), ("60", "不合格"), ("60.01", "一般"), ("0", "不合格")])
def test_upper_edges_included(total, grade):
    assert grade_of(UPPER_CLOSED, total) == grade


@pytest.mark.parametrize("total, grade", [("89.99", "良好"), ("90", "优秀"), ("90.01", "优秀"), ("80", "良好"),
                                          ("60", "一般"), ("59.99", "不合格")])
def test_wuhan_full_width_brackets(total, grade):
    assert grade_of(WUHAN, total) == grade


def test_a_total_other_than_100():
    text = rubric_text('total: 10\ngrades:\n  - {label: 好, range: "[6, 10]"}\n  - {label: 差, range: "[0, 6)"}\n'
                       + SCORED_AS_GIVEN.replace("weight: 100", "weight: 10").replace("max: 100", "max: 10"))
    rubric = engine.parse_rubric(text)
    assert (grade_of(rubric, "6"), grade_of(rubric, "5.99")) == ("好", "差")


# -- malformed scales are load errors ------------------------------------------------------
def load_problems(text: str) -> list[engine.Problem]:
    with pytest.raises(engine.RubricLoadError) as info:
        engine.parse_rubric(text, "g.yaml")
    return info.value.problems


@pytest.mark.parametrize("bands, message", [
    ((("优", "[90, 100]"), ("良", "[80, 89]"), ("差", "[0, 80)")), "gap between 良 [80, 89] and 优 [90, 100]"),
    ((("优", "[90, 100]"), ("良", "[80, 90.5)"), ("差", "[0, 80)")), "良 [80, 90.5) overlaps 优 [90, 100]"),
    ((("优", "[90, 100]"), ("良", "[80, 90]"), ("差", "[0, 80)")), "90 belongs to both 良 and 优; close only one side"),
    ((("优", "(90, 100]"), ("良", "[80, 90)"), ("差", "[0, 80)")), "90 belongs to neither 良 nor 优; close one side"),
    ((("优", "[90, 100)"), ("良", "[80, 90)"), ("差", "[0, 80)")), "the highest band must end at 100 included, found [90, 100)"),
    ((("优", "[90, 100]"), ("良", "[80, 90)"), ("差", "(0, 80)")), "the lowest band must start at 0 included, found (0, 80)"),
    ((("差", "[0, 80)"), ("良", "[80, 90)"), ("优", "[90, 100]")), "list the bands from the best (highest) to the worst"),
])
def test_scale_problems_are_named_and_located(bands, message):
    text = grades_text(*bands)
    problems = load_problems(text)
    assert [p.message for p in problems if message in p.message], problems
    problem = next(p for p in problems if message in p.message)
    assert (problem.file, problem.line, problem.column, problem.path) == ("g.yaml", line_of(text, "grades:"), 1, "grades")


@pytest.mark.parametrize("written, suggested", [("[100, 90]", "[90, 100]"), ("（90，80】", "[80, 90)"), ("(60, 0]", "[0, 60)")])
def test_reversed_edges_are_a_load_error_that_shows_the_interval_meant(written, suggested):
    # Wuhan prints the upper edge first; the hint keeps each bracket with its number
    bands = [("优", "[90, 100]"), ("良", "[80, 90)"), ("中", "[60, 80)"), ("差", "[0, 60)")]
    index = next(i for i, (_, r) in enumerate(bands) if r == suggested)
    bands[index] = (bands[index][0], written)
    text = grades_text(*bands)
    problems = load_problems(text)
    assert len(problems) == 1
    assert problems[0].message == f"interval {written!r} has its edges reversed; write the lower edge first: \"{suggested}\""
    assert problems[0].path == f"grades[{index}].range"
    assert problems[0].line == line_of(text, written)


def test_an_interval_that_does_not_parse():
    text = grades_text(("优", "90-100"), ("良", "[80, 90)"), ("差", "[0, 80)"))
    [problem] = load_problems(text)
    assert problem.message == "expected an interval like \"[90, 100]\" or \"[80, 90)\", got '90-100'"
    assert (problem.path, problem.line) == ("grades[0].range", line_of(text, "90-100"))


def test_a_veto_grade_must_be_a_band():
    text = grades_text(("优", "[90, 100]"), ("良", "[80, 90)"), ("差", "[0, 80)")) + \
        "veto:\n  - {when: p > 100, grade: 差等, reason: 虚报}\n"
    [problem] = load_problems(text)
    assert problem.message == "grade '差等' is not a grade band; did you mean '差'?"
    assert (problem.path, problem.line) == ("veto[0].grade", line_of(text, "差等"))
