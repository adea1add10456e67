"""The engine from Python, without the CLI: load, validate, score, result to plain data."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import engine
from engine_helpers import rubric_text

ROOT = Path(__file__).resolve().parent.parent
BODY = """
inputs:
  spent: {type: number, label: 全年执行数, unit: 万元, min: 0}
  budget: {type: number, label: 全年预算数, unit: 万元, min: 0}
  late: {type: boolean, label: 逾期, required: false, default: false}
derived:
  execution: {expr: "spent / budget if budget > 0 else 0", label: 预算执行率, type: percent}
indicators:
  - id: process
    label: 过程
    weight: 40
    children:
      - id: execution_rate
        label: 预算执行率
        weight: 10
        rule: {kind: ratio, value: execution}
        deductions: [{reason: 未按期支付, points: 1, when: late}]
      - {id: compliance, label: 资金使用合规性, weight: 30, rule: {kind: judged}}
  - {id: output, label: 产出, weight: 60, rule: {kind: target, value: spent, op: "<=", target: budget}}
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    rubric = tmp_path / "demo.yaml"
    rubric.write_text(rubric_text(BODY), encoding="utf-8")
    submission = tmp_path / "unit.yaml"
    submission.write_text("subject: 某项目\nvalues: {spent: 6548.5, budget: 7000, late: 是}\n"
                          "judgments:\n  compliance: {deductions: [{points: 2.5, reason: 报销凭证不全}]}\n", encoding="utf-8")
    return rubric, submission


def test_load_validate_score_and_serialise(files):
    rubric_path, submission_path = files
    rubric = engine.load_rubric(rubric_path)  # loading is validating: a bad rubric raises RubricLoadError
    result = engine.score(rubric, engine.load_submission(submission_path, rubric))
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["rubric"] == {"id": "t", "version": "1", "sha256": hashlib.sha256(rubric_path.read_bytes()).hexdigest()}
    assert (data["subject"], data["max"], data["grade"]) == ("某项目", 100, "优")
    # 6548.5 / 7000 = 93.55% of 10 = 9.355 → 9.36, less 1 (late) = 8.36; compliance 30 − 2.5; output 60
    assert data["total"] == 95.86
    process, output = data["indicators"]
    assert [process["id"], process["label"], process["weight"], process["score"]] == ["process", "过程", 40, 35.86]
    execution, compliance = process["children"]
    assert execution["deductions"] == [{"points": 1, "reason": "未按期支付", "source": "rule"}]
    assert compliance["deductions"] == [{"points": 2.5, "reason": "报销凭证不全", "source": "evaluator"}]
    assert (output["score"], output["children"]) == (60, [])
    for node in (process, execution, compliance, output):
        assert {"id", "label", "weight", "score", "deductions", "children"} <= set(node)


def test_every_node_says_how_its_score_was_reached(files):
    rubric_path, submission_path = files
    rubric = engine.load_rubric(rubric_path)
    node = engine.score(rubric, engine.load_submission(submission_path, rubric)).node("execution_rate")
    assert (node.kind, node.weight, node.base, node.score, node.lost) == ("ratio", 10, Decimal("9.36"), Decimal("8.36"), Decimal("1.64"))
    assert "93.55%" in node.explanation and "未按期支付" in node.explanation


def test_results_and_rubrics_are_immutable(files):
    rubric_path, submission_path = files
    rubric = engine.load_rubric(rubric_path)
    result = engine.score(rubric, engine.load_submission(submission_path, rubric))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = Decimal(0)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rubric.indicators[0].weight = Decimal(0)  # type: ignore[misc]


def test_submission_from_plain_data(files):
    rubric = engine.load_rubric(files[0])
    submission = engine.submission_from_data(
        {"values": {"spent": Decimal("7000"), "budget": Decimal("7000")}, "judgments": {"compliance": {"points": Decimal(30)}}},
        rubric)
    assert engine.score(rubric, submission).total == 100


def test_the_engine_never_prints(files, capsys):
    rubric_path, submission_path = files
    rubric = engine.load_rubric(rubric_path)
    engine.score(rubric, engine.load_submission(submission_path, rubric)).to_dict()
    with pytest.raises(engine.RubricError):
        engine.parse_rubric("id: [")
    assert capsys.readouterr() == ("", "")


def test_the_engine_imports_neither_rich_nor_typer():
    code = "import sys, engine; print(sorted(m for m in ('rich', 'typer', 'cli') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_bundled_qingdao_example_scores_as_published():
    rubric = engine.load_rubric(engine.resolve("qingdao@2020", ROOT / "rubrics"))
    result = engine.score(rubric, engine.load_submission(ROOT / "examples" / "qingdao-2020.yaml", rubric))
    assert (result.total, result.grade) == (Decimal("96.65"), "优")
    assert '"total": 96.65' in json.dumps(result.to_dict())
    for case in rubric.cases:  # the rubric's own tests, run through the public API
        scored = engine.score(rubric, engine.submission_from_data(case.submission, rubric, case.name))
        assert (scored.total, scored.grade) == (case.total, case.grade)
        assert {k: scored.node(k).score for k in case.scores} == case.scores


def test_scoring_twice_gives_equal_results_and_a_changed_figure_does_not() -> None:
    # the words of the breakdown are computed when read; equality compares them, not the deferred functions
    rubric = engine.load_rubric("rubrics/qingdao/2020.yaml")
    submission = engine.load_submission("examples/qingdao-2020.yaml", rubric)
    first, second = engine.score(rubric, submission), engine.score(rubric, submission)
    assert first == second and hash(first.indicators[0]) == hash(second.indicators[0])
    changed = engine.submission_from_data(
        {"values": {**submission.values, "satisfaction": "94%"},
         "judgments": {k: {"deductions": [{"points": p, "reason": r} for p, r in j.deductions]}
                       for k, j in submission.judgments.items()}}, rubric)
    assert engine.score(rubric, changed).indicators != first.indicators


def test_nodes_lists_every_indicator_depth_first_also_for_a_result_made_from_another() -> None:
    rubric = engine.load_rubric("rubrics/qingdao/2020.yaml")
    result = engine.score(rubric, engine.load_submission("examples/qingdao-2020.yaml", rubric))
    walked = [node for top in result.indicators for node in top.walk()]
    assert [n.id for n in result.nodes()] == [n.id for n in walked] and len(walked) == 28
    first_only = dataclasses.replace(result, indicators=result.indicators[:1])  # the scorer's list is not carried over
    assert [n.id for n in first_only.nodes()] == [n.id for n in result.indicators[0].walk()]
    assert result.node("satisfaction_rate").score == Decimal("9.00") and first_only.node("satisfaction_rate") is None
