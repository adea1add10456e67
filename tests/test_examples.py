"""Every submission in ``examples/`` scores through the engine; the seed reports' published figures hold.

An example is named ``<rubric id>-<version>[-<variant>].yaml`` (``yiyang-2022-claimed.yaml``) and is scored against ``<id>@<version>`` (never the
newest version: ``yiyang-2022.yaml`` must keep scoring 100 after ``yiyang`` moved on to 2023). Only
top-level ``*.yaml`` files are examples; a YAML file there without ``values:`` is not a submission
(a batch configuration, say) and is skipped, but a submission that does not follow the naming
convention fails, so that no example goes unscored. Subfolders (``examples/tutorial/``) belong to
their own tests.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import engine
from engine import NodeResult, Result

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
RUBRICS = ROOT / "rubrics"
NAME = re.compile(r"^(?P<id>[a-z0-9][a-z0-9_]*)-(?P<version>[0-9][0-9.]*)(?:-(?P<variant>[a-z0-9_-]+))?$")
SEEDS = {"qingdao-2020.yaml": "qingdao@2020", "wuhan-2017.yaml": "wuhan@2017", "yiyang-2022.yaml": "yiyang@2022"}
D = Decimal


def reference_for(path: Path) -> str:
    """``examples/yiyang-2022.yaml`` → ``yiyang@2022``."""
    match = NAME.match(path.stem)
    assert match, f"{path.name}: a submission in examples/ is named <rubric id>-<version>[-<variant>].yaml"
    return f"{match['id']}@{match['version']}"


def scored(name: str) -> tuple[engine.Rubric, Result]:
    path = EXAMPLES / name
    rubric = engine.load_rubric(engine.resolve(reference_for(path), RUBRICS))
    return rubric, engine.score(rubric, engine.load_submission(path, rubric))


def scores(result: Result) -> dict[str, Decimal]:
    return {node.id: node.score for node in result.nodes()}


# -- every example ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_scores_against_the_version_its_name_gives(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not (isinstance(data, dict) and "values" in data):
        pytest.skip(f"{path.name} is not a submission (no 'values:')")
    rubric, result = scored(path.name)
    assert f"{rubric.id}@{rubric.version}" == reference_for(path)
    assert D(0) <= result.total <= rubric.total
    assert result.grade == rubric.grades.grade(result.total)
    for node in result.nodes():
        assert D(0) <= node.score <= node.weight, node.id
        if node.children:
            assert node.score == sum((c.score for c in node.children), D(0)), node.id
    assert result.total == sum((top.score for top in result.indicators), D(0))


def test_the_seed_examples_are_there_and_named_for_their_rubric() -> None:
    present = {path.name for path in EXAMPLES.glob("*.yaml")}
    assert set(SEEDS) <= present
    assert {name: reference_for(EXAMPLES / name) for name in SEEDS} == SEEDS


def test_a_file_named_otherwise_is_not_taken_for_an_example() -> None:
    with pytest.raises(AssertionError, match="named <rubric id>-<version>"):
        reference_for(Path("examples/qingdao.yaml"))
    assert reference_for(Path("examples/wuhan-2017.yaml")) == "wuhan@2017"
    assert reference_for(Path("examples/yiyang-2022-claimed.yaml")) == "yiyang@2022"


# -- Qingdao 2020: 决策 17.25, 过程 19.4, 产出 25, 效益 35 = 96.65 优 --------------------------------
REPORTED_DEDUCTIONS = {  # indicator id → (points, the report's own line for it, quoted as the whole reason)
    "goal_rationality": (D("0.75"), "绩效目标合理性扣0.75"),
    "budgeting": (D("1"), "预算编制的科学性扣1分"),
    "allocation": (D("1"), "资金分配合理性扣1分"),
    "rules_applied": (D("0.6"), "制度执行有效性扣0.6分"),
}


def test_qingdao_reproduces_the_published_scores() -> None:
    _, result = scored("qingdao-2020.yaml")
    got = scores(result)
    assert {key: got[key] for key in ("decision", "process", "output", "outcome")} == {
        "decision": D("17.25"), "process": D("19.4"), "output": D("25"), "outcome": D("35")}
    assert (result.total, result.grade) == (D("96.65"), "优")


def test_qingdao_shows_the_four_deductions_with_the_reports_reasons() -> None:
    _, result = scored("qingdao-2020.yaml")
    found = {node.id: node.deductions for node in result.nodes() if node.deductions}
    assert set(found) == set(REPORTED_DEDUCTIONS)
    for node_id, (points, words) in REPORTED_DEDUCTIONS.items():
        (deduction,) = found[node_id]
        assert deduction.points == points and deduction.reason == words  # no cause the report does not give
    as_data = [d for node in _walk(result.to_dict()["indicators"]) for d in node["deductions"]]
    assert sorted(d["points"] for d in as_data) == [0.6, 0.75, 1, 1]
    assert all(d["reason"].strip() for d in as_data)


def test_qingdao_notes_say_which_clearance_time_target_was_used() -> None:
    rubric = engine.load_rubric(ROOT / "rubrics/qingdao/2020.yaml")
    assert "再压缩货物通关时间" in rubric.notes and "≥10%" in rubric.notes and "较2017年压缩50%" in rubric.notes
    assert rubric.node("clearance_time").rule.target_text() == "≥50%"


def _walk(nodes: list[dict]) -> list[dict]:
    return [n for node in nodes for n in [node, *_walk(node["children"])]]


# -- Yiyang 2022 自评表: 10 / 20 / 20 / 10 / 20 / 10 / 10 = 100 优秀 -----------------------------
ROWS = {  # id: (三级指标 as the table writes it, 实际完成值 as the engine shows it, 得分)
    "execution": ("预算执行率", "100%", D(10)),
    "key_firms_served": ("服务重点企业", "30 家", D(20)),
    "anti_smuggling": ("打击走私绩效", "1 位", D(20)),
    "running_cost": ("海关运行维护经费", "350 万元", D(10)),
    "tax": ("税收收入", "3328.9 万元", D(20)),
    "clearance_time": ("通关时长", "50%", D(10)),
    "satisfaction_rate": ("满意度", "97%", D(10)),
}


def test_yiyang_2022_reproduces_every_row_of_the_table() -> None:
    rubric, result = scored("yiyang-2022.yaml")
    assert rubric.version == "2022"
    leaves = [node for node in result.nodes() if not node.children]
    assert [node.id for node in leaves] == list(ROWS)
    for node in leaves:
        label, actual, points = ROWS[node.id]
        assert (node.label, node.actual, node.score, node.weight) == (label, actual, points, points)
    assert (result.total, result.grade) == (D(100), "优秀")
    assert [(top.label, top.score) for top in result.indicators] == [("预算执行率", 10), ("产出指标", 50), ("效益指标", 40)]


# -- Wuhan 2017: 优秀, no notable deduction, 报关单完成率 116.86% ---------------------------------
def test_wuhan_is_excellent_with_no_deduction() -> None:
    rubric, result = scored("wuhan-2017.yaml")
    assert result.grade == "优秀"
    assert [(top.label, top.weight) for top in result.indicators] == [
        ("项目决策", 20), ("项目管理", 20), ("项目产出", 30), ("项目效果", 30)]
    assert not [node.id for node in result.nodes() if node.deductions]
    assert result.total == rubric.total  # "未出现明显扣分项": every indicator at its full points


def test_wuhan_declarations_are_116_86_percent_of_the_80000_planned() -> None:
    _, result = scored("wuhan-2017.yaml")
    node = result.node("declarations_count")
    assert isinstance(node, NodeResult) and node.ratio is not None
    assert (node.actual, node.met) == ("93489 单", True)
    assert (node.ratio * 100).quantize(D("0.01")) == D("116.86")
    assert "93489 单 > 80000 单 (完成率 116.86%): met" in node.explanation  # the report's figure, as --explain shows it
    assert node.score == node.weight


def test_wuhan_spending_is_the_reports_800_wan() -> None:
    rubric, _ = scored("wuhan-2017.yaml")
    submission = engine.load_submission(EXAMPLES / "wuhan-2017.yaml", rubric)
    values = submission.values
    assert values["operations_spent"] + values["wages_spent"] == values["budget"] == D(800)
    assert values["wages_spent"] == 60 * D("6.5")  # 协管员 60人 × 6.5万元/人/年
