"""The seed rubrics: every rubric's own cases pass, weights and grades are the reports', versions resolve.

Cases are run here through the engine alone (``submission_from_data`` then ``score``), so that a
rubric's cases are checked even without the CLI's ``rubric test``.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import engine
from engine.model import Case

ROOT = Path(__file__).resolve().parent.parent
RUBRICS = ROOT / "rubrics"
SEEDS = ("qingdao@2020", "wuhan@2017", "yiyang@2022", "yiyang@2023")
D = Decimal


def load(reference: str) -> engine.Rubric:
    return engine.load_rubric(engine.resolve(reference, RUBRICS))


def all_cases() -> list[pytest.param]:
    params = []
    for path in sorted(RUBRICS.glob("*/*.yaml")):
        name = f"{path.parent.name}@{path.stem}"
        try:
            rubric = engine.load_rubric(path)
        except engine.RubricError:  # fails in the test (with the located problems), not at collection
            params.append(pytest.param(path, None, id=f"{name}: does not load"))
            continue
        params += [pytest.param(path, i, id=f"{name}: {case.name}") for i, case in enumerate(rubric.cases)]
    return params


def failures(rubric: engine.Rubric, case: Case) -> list[str]:
    """What differs between a case's expectations and its score (empty when it passes)."""
    from engine.cases import check_case

    outcome = check_case(rubric, case, name=case.name)
    return [*outcome.failures, *map(str, outcome.problems)]


# -- cases ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "index"), all_cases())
def test_every_case_of_every_rubric_passes(path: Path, index: int | None) -> None:
    rubric = engine.load_rubric(path)  # a rubric that does not load fails here with its problems
    assert index is not None
    assert failures(rubric, rubric.cases[index]) == []


def test_a_wrong_expectation_is_caught() -> None:
    rubric = load("yiyang@2022")
    case = rubric.cases[0]
    wrong = Case(case.name, case.submission, D("99"), "良", {"tax": D("19")})
    assert failures(rubric, wrong) == ["total: expected 99, got 100.00", "grade: expected 良, got 优秀",
                                       "scores.tax: expected 19, got 20.00"]


@pytest.mark.parametrize("reference", SEEDS)
def test_each_seed_has_cases_beyond_the_published_figures(reference: str) -> None:
    """A case pins the report; others reach another grade, and one lands exactly on a band's lower edge."""
    rubric = load(reference)
    assert len(rubric.cases) >= 3
    grades = {case.grade for case in rubric.cases}
    assert len(grades) >= 2 and rubric.grades.bands[0].label in grades
    edges = {band.low for band in rubric.grades.bands if band.low > 0 and band.low_closed}
    on_edge = [case for case in rubric.cases if case.total in edges]
    assert on_edge and all(rubric.grades.grade(case.total) == case.grade for case in on_edge)
    assert any(case.total is not None and case.total < rubric.grades.bands[0].low for case in rubric.cases)


# -- weights and grades as the reports give them --------------------------------------------------
LEVEL_ONE = {
    "qingdao@2020": [("决策", 20), ("过程", 20), ("产出", 25), ("效益", 35)],
    "wuhan@2017": [("项目决策", 20), ("项目管理", 20), ("项目产出", 30), ("项目效果", 30)],
    "yiyang@2022": [("预算执行率", 10), ("产出指标", 50), ("效益指标", 40)],
    "yiyang@2023": [("预算执行率", 10), ("产出指标", 50), ("效益指标", 40)],
}
GRADES = {  # (label, low, high, low included, high included), best first
    # 【100，90】优秀 （90，80】良好 （80，60】一般 （60，0】不合格: each bracket belongs to the number beside it
    "wuhan@2017": [("优秀", 90, 100, True, True), ("良好", 80, 90, True, False), ("一般", 60, 80, True, False),
                   ("不合格", 0, 60, True, False)],
    # 90（含）-100分为优、80（含）-90分为良、70（含）-80分为中、70分以下为差
    "qingdao@2020": [("优", 90, 100, True, True), ("良", 80, 90, True, False), ("中", 70, 80, True, False),
                     ("差", 0, 70, True, False)],
    # 财预〔2020〕10号 edges; the report's word 优秀 for the top band
    "yiyang@2022": [("优秀", 90, 100, True, True), ("良", 80, 90, True, False), ("中", 60, 80, True, False),
                    ("差", 0, 60, True, False)],
}
GRADES["yiyang@2023"] = GRADES["yiyang@2022"]


@pytest.mark.parametrize("reference", SEEDS)
def test_level_one_weights_are_the_reports(reference: str) -> None:
    assert [(top.label, top.weight) for top in load(reference).indicators] == LEVEL_ONE[reference]


@pytest.mark.parametrize("reference", SEEDS)
def test_grade_bands_are_the_reports(reference: str) -> None:
    bands = [(b.label, b.low, b.high, b.low_closed, b.high_closed) for b in load(reference).grades.bands]
    assert bands == GRADES[reference]


@pytest.mark.parametrize("reference", SEEDS)
def test_notes_say_which_weights_come_from_the_report_and_which_were_chosen(reference: str) -> None:
    notes = load(reference).notes
    assert "来自报告" in notes and "本规则选定" in notes


def test_yiyang_2022_has_the_seven_rows_of_the_table_with_their_points() -> None:
    leaves = [(node.label, node.weight) for node in load("yiyang@2022").nodes() if node.is_leaf]
    assert leaves == [("预算执行率", 10), ("服务重点企业", 20), ("打击走私绩效", 20), ("海关运行维护经费", 10),
                      ("税收收入", 20), ("通关时长", 10), ("满意度", 10)]


def test_wuhan_keeps_the_reports_80000_declarations_target() -> None:
    node = load("wuhan@2017").node("declarations_count")
    assert node is not None and node.rule is not None
    assert "8万单" in node.label and node.rule.target_text() == ">80000 单"


# -- versions ---------------------------------------------------------------------------------------
def test_yiyang_alone_is_the_newest_version_2023() -> None:
    assert engine.resolve("yiyang", RUBRICS) == RUBRICS / "yiyang" / "2023.yaml"
    assert engine.resolve("yiyang@2022", RUBRICS) == RUBRICS / "yiyang" / "2022.yaml"
    assert (load("yiyang").version, load("yiyang@2022").version) == ("2023", "2022")


def test_the_2022_example_scores_100_on_2022_and_does_not_fit_2023() -> None:
    example = ROOT / "examples" / "yiyang-2022.yaml"
    old = load("yiyang@2022")
    assert engine.score(old, engine.load_submission(example, old)).total == 100
    new = load("yiyang")
    with pytest.raises(engine.SubmissionError) as caught:
        engine.load_submission(example, new)
    missing = {p.message.split("'")[1] for p in caught.value.problems}
    assert missing == {"tea_trainings", "new_tea_exporters", "tea_export_tonnes", "tea_export_value"}


def test_2022_and_2023_differ_in_indicators_and_targets() -> None:
    old, new = load("yiyang@2022"), load("yiyang@2023")
    targets = lambda rubric: {n.id: (n.weight, n.rule.target_text()) for n in rubric.nodes() if n.rule}  # noqa: E731
    before, after = targets(old), targets(new)
    assert set(after) - set(before) == {"tea_training", "tea_new_exporters", "tea_volume", "tea_value"}
    assert {key: after[key][1] for key in set(after) - set(before)} == {
        "tea_training": "≥2 期", "tea_new_exporters": "≥3 家", "tea_volume": "≥15.9 吨", "tea_value": "≥11.49 万美元"}
    assert any(before[key] != after[key] for key in set(before) & set(after))  # the old rows weigh less now


def tea_points(tonnes: str, value: str, exporters: int, trainings: int) -> dict[str, Decimal]:
    rubric = load("yiyang@2023")
    values = {"initial_budget": D(350), "budget": D(350), "spent": D(350), "key_firms": D(30), "smuggling_rank": D(1),
              "tax_revenue": D("3328.9"), "clearance_time_cut": D(50), "satisfaction": D(97),
              "tea_export_tonnes": D(tonnes), "tea_export_value": D(value),
              "new_tea_exporters": D(exporters), "tea_trainings": D(trainings)}
    result = engine.score(rubric, engine.submission_from_data({"values": values}, rubric))
    return {key: result.node(key).score for key in ("tea_volume", "tea_value", "tea_new_exporters", "tea_training")}


def test_2023_tea_targets_are_the_reports_50_percent_rise_and_3_new_exporters() -> None:
    base_tonnes, base_value = D("10.6"), D("7.66")  # 2022: 10.6吨, 7.66万美元 (存在的问题)
    full = tea_points(str(base_tonnes * D("1.5")), str(base_value * D("1.5")), 3, 2)
    assert full == {"tea_volume": 5, "tea_value": 5, "tea_new_exporters": 15, "tea_training": 5}
    short = tea_points(str(base_tonnes * D("1.49")), str(base_value * D("1.49")), 2, 1)
    assert all(short[key] < full[key] for key in full)
    assert tea_points(str(base_tonnes), str(base_value), 5, 3)["tea_volume"] == D("3.33")  # no rise: 2/3 of 5
