"""The author's commands in-process: validate, test, show, list, template, diff; --version, --help."""
from __future__ import annotations

import re
import shutil
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

import engine
from engine_helpers import line_of
from tests.test_cli import EXAMPLE, ROOT, RUBRIC, rubric, write

COMMANDS = ("score", "validate", "test", "show", "list", "template", "diff")
QINGDAO = (ROOT / RUBRIC).read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def variant(tmp_path: Path, name: str, *edits: tuple[str, str]) -> tuple[str, str]:
    """A copy of the Qingdao rubric with text replaced; returns (path, text)."""
    text = QINGDAO
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return write(tmp_path / name, text), text


# -- validate ----------------------------------------------------------------------------------
def test_validate_says_ok_per_file() -> None:
    result = rubric("validate", RUBRIC, "qingdao@2020")
    assert result.exit_code == 0
    model = engine.load_rubric(RUBRIC)
    ok = (f"{RUBRIC}: OK (qingdao@2020: {len(model.nodes())} indicators, {len(model.inputs)} inputs, "
          f"{len(model.grades.bands)} grades, {len(model.cases)} cases)")  # Qingdao has several cases
    assert result.stdout.splitlines() == [ok, ok]


def test_validate_prints_every_problem_located(tmp_path: Path) -> None:
    path, text = variant(tmp_path, "broken.yaml",
                         ('  - {label: 良, range: "[80, 90)"}', '  - {label: 良, range: "[80, 89)"}'),
                         ("rule: {kind: ratio, value: execution_rate}", "rule: {kind: ratio, value: executon_rate}"))
    result = rubric("validate", path, RUBRIC)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}:{line_of(text, 'grades:')}:1: grades: gap between 良 [80, 89) and 优 [90, 100]"
    column = line_of_column(text, "value: executon_rate")  # the engine points at the key
    assert lines[1] == (f"{path}:{line_of(text, 'executon_rate')}:{column}: "
                        "indicators[process].children[funds].children[execution].rule.value: "
                        "unknown name 'executon_rate'; did you mean 'execution_rate'? in expression 'executon_rate'")
    assert lines[2].startswith(f"{RUBRIC}: OK")
    assert all(re.match(r"^\S+:\d+:\d+: \S+: .+$", line) for line in lines[:2])


def line_of_column(text: str, needle: str) -> int:
    return text.splitlines()[line_of(text, needle) - 1].index(needle) + 1


def test_validate_reports_yaml_errors_and_missing_files(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "id: x\nindicators: [\n")
    result = rubric("validate", bad, "nothing.yaml")
    assert result.exit_code == 2
    assert re.match(rf"^{re.escape(bad)}:3:1: not valid YAML", result.stdout)
    assert result.stdout.splitlines()[-1] == "nothing.yaml: no such rubric file"


# -- test --------------------------------------------------------------------------------------
def test_test_passes_the_rubrics_own_cases() -> None:
    result = rubric("test", "qingdao@2020")
    assert result.exit_code == 0
    cases = engine.load_rubric(RUBRIC).cases
    lines = result.stdout.splitlines()
    assert lines[0] == f"{RUBRIC}: qingdao@2020: {len(cases)} cases"
    assert lines[1] == "  PASS  报告公布的2020年度评价结果（96.65分，优）  (96.65 优)"
    assert [line.split("  ")[2] for line in lines[1:-1]] == [case.name for case in cases]
    assert all(line.startswith("  PASS  ") for line in lines[1:-1])
    assert lines[-1] == f"{len(cases)} passed, 0 failed"


def test_a_failing_case_shows_expected_and_actual(tmp_path: Path) -> None:
    path, text = variant(tmp_path, "wrong.yaml", ("      total: 96.65\n      grade: 优", "      total: 90\n      grade: 良"),
                         ("output: 25, outcome: 35}", "output: 24, outcome: 35}"))
    result = rubric("test", path)
    assert result.exit_code == 1
    line = line_of(text, "- name: 报告公布的")
    others = len(engine.load_rubric(RUBRIC).cases) - 1  # the rubric's other cases still pass
    lines = result.stdout.splitlines()
    assert lines[1:5] == [
        f"  FAIL  报告公布的2020年度评价结果（96.65分，优）  (96.65 优)  at {path}:{line}:5: cases[0]",
        "        total: expected 90, got 96.65",
        "        grade: expected 良, got 优",
        "        scores.output: expected 24, got 25.00",
    ]
    assert lines[-1] == f"{others} passed, 1 failed"


def test_a_case_that_does_not_score_fails_with_its_problems(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, "typo.yaml", ("values: {budget: 6548.5,", "values: {budgt: 6548.5,"))
    result = rubric("test", path)
    assert result.exit_code == 1
    assert "does not score:" in result.stdout and "unknown input 'budgt'; did you mean 'budget'?" in result.stdout


def test_test_exits_2_when_a_rubric_does_not_load(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, "bad.yaml", ("weight: 20\n    children:", "weight: 21\n    children:"))
    result = rubric("test", path, "qingdao@2020")
    assert result.exit_code == 2
    passed = len(engine.load_rubric(RUBRIC).cases)
    assert "weighs 21" in result.stderr and f"{passed} passed, 0 failed, 1 rubric did not load" in result.stdout


# -- show --------------------------------------------------------------------------------------
def test_show_gives_tree_rules_inputs_and_grades_in_words() -> None:
    result = rubric("show", "qingdao@2020", COLUMNS="400")
    assert result.exit_code == 0 and "\x1b[" not in result.stdout
    model, output = engine.load_rubric(RUBRIC), result.stdout
    for node in model.nodes():
        row = next(line for line in output.splitlines() if re.search(rf"\s{node.id}\s", line))
        assert node.label in row and re.search(rf"\s{node.weight}(\s|$)", row)
        if node.rule is not None:
            assert node.rule.describe(node.weight) in row
    for spec in model.inputs.values():
        assert re.search(rf"^\s*{spec.id}\s+{spec.type}\s+{re.escape(spec.label)}", output, re.M)
    assert re.search(r"质量达标率\s+%\s+0%\.\.100%", output)
    for band in model.grades.bands:
        assert re.search(rf"^\s*{band.label}\s+{re.escape(band.text)}\s*$", output, re.M)
    assert re.search(r"^\s*execution_rate\s+spent / received if received > 0 else 0\s+预算执行率", output, re.M)


def test_show_lists_deductions_veto_and_conditions(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, "more.yaml",
                      ('        rule: {kind: target, value: satisfaction, op: ">=", target: "95%", partial: proportional}',
                       '        rule: {kind: target, value: satisfaction, op: ">=", target: "95%", partial: proportional}\n'
                       '        deductions: [{reason: 有投诉, points: 1, per: freight_rank, cap: 2},\n'
                       '                     {reason: 每低一个百分点扣0.5分, points: 0.5, per: satisfaction, below: 90%, whole: true}]\n'
                       '        applicable: budget > 0'),
                      ("\ncases:", "\nveto:\n  - {when: satisfaction < 0.5, grade: 差, reason: 满意度过低}\ncases:"))
    output = rubric("show", path, COLUMNS="400").stdout
    assert "扣分 −1 per freight_rank (at most 2): 有投诉" in output
    assert "扣分 −0.5 per whole 1% of satisfaction below 90%: 每低一个百分点扣0.5分" in output
    assert "applies only when budget > 0; satisfaction ≥95%" in output
    assert re.search(r"satisfaction < 0.5\s+差\s+满意度过低", output)


# -- list --------------------------------------------------------------------------------------
def test_list_shows_id_versions_and_title(tmp_path: Path) -> None:
    result = rubric("list")
    assert result.exit_code == 0
    assert re.search(r"^\s*qingdao\s+2020\s+2020年度口岸大通关补助资金项目支出绩效评价\s*$", result.stdout, re.M)


def test_list_survives_rubrics_that_do_not_load(tmp_path: Path) -> None:
    root = tmp_path / "rubrics"
    for rubric_id, versions in (("good", ("2020", "2021")), ("bad", ("1",))):
        (root / rubric_id).mkdir(parents=True)
        for v in versions:
            shutil.copy(ROOT / RUBRIC, root / rubric_id / f"{v}.yaml")
    (root / "bad" / "1.yaml").write_text(QINGDAO.replace("weight: 20\n    children:", "weight: 2\n    children:"), encoding="utf-8")
    result = rubric("list", "--rubrics", str(root), COLUMNS="300")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "Use a rubric as id@version, e.g. rubric show good@2021"
    assert re.search(r"^\s*good\s+2020, 2021\s+2020年度", result.stdout, re.M)
    assert re.search(r"^\s*bad\s+1\s+2020年度.*\(does not load, \d+ problems?: rubric validate bad@1\)", result.stdout, re.M)


def test_list_of_an_empty_or_missing_directory(tmp_path: Path) -> None:
    assert "no rubrics in" in rubric("list", "--rubrics", str(tmp_path)).stdout
    missing = rubric("list", "--rubrics", str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "no rubrics directory here" in missing.stderr


# -- template ----------------------------------------------------------------------------------
def test_template_has_every_input_and_judgment_with_comments() -> None:
    result = rubric("template", "qingdao@2020")
    assert result.exit_code == 0
    data = yaml.safe_load(result.stdout)
    model = engine.load_rubric(RUBRIC)
    assert list(data["values"]) == list(model.inputs)
    assert list(data["judgments"]) == [n.id for n in model.nodes() if n.rule is not None and n.rule.kind == "judged"]
    for spec in model.inputs.values():
        assert f"  # {spec.label}" in result.stdout and f"  # {spec.description}" in result.stdout
    assert "  # 全年预算数 (万元): a number, ≥ 0" in result.stdout


def test_template_says_how_to_score_it_with_the_rubric_as_it_was_given(tmp_path: Path) -> None:
    assert "#   rubric score qingdao@2020 THIS-FILE.yaml" in rubric("template", "qingdao@2020").stdout
    draft = tmp_path / "draft.yaml"  # a rubric being written is not in a rubrics folder: its path is the way
    draft.write_text(QINGDAO, encoding="utf-8")
    assert f"#   rubric score {draft} THIS-FILE.yaml" in rubric("template", str(draft)).stdout


def test_template_format_schema_writes_the_submission_schema_the_example_satisfies(tmp_path: Path) -> None:
    import json

    import jsonschema

    out = tmp_path / "qingdao.schema.json"
    result = rubric("template", "qingdao@2020", "--format", "schema", "-o", str(out))
    assert result.exit_code == 0, result.output
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema == json.loads(json.dumps(engine.submission_schema(engine.load_rubric(RUBRIC))))
    assert json.loads(rubric("template", "qingdao@2020", "-f", "schema").stdout) == schema
    validator = jsonschema.Draft202012Validator(schema)
    example = json.loads(json.dumps(yaml.safe_load((ROOT / EXAMPLE).read_text(encoding="utf-8"))))
    assert list(validator.iter_errors(example)) == []
    example["values"]["services_done"] = "9项"
    assert [e.path[-1] for e in validator.iter_errors(example)] == ["services_done"]


def test_a_blank_template_does_not_score_and_a_filled_one_does(tmp_path: Path) -> None:
    blank = tmp_path / "blank.yaml"
    assert rubric("template", "qingdao@2020", "-o", str(blank)).exit_code == 0
    result = rubric("score", "qingdao@2020", str(blank))
    assert result.exit_code == 2
    assert f"{blank}:{line_of(blank.read_text(encoding='utf-8'), '  budget:')}:3: values.budget: missing value" in result.stderr
    example = yaml.safe_load((ROOT / EXAMPLE).read_text(encoding="utf-8"))
    filled = blank.read_text(encoding="utf-8")
    for key, value in example["values"].items():
        filled = filled.replace(f"\n  {key}:\n", f"\n  {key}: {value}\n")
    for key, value in example["judgments"].items():
        filled = filled.replace(f"\n  {key}:\n", f"\n  {key}: {yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).strip()}\n")
    path = write(tmp_path / "filled.yaml", filled)
    assert "96.65 / 100" in rubric("score", "qingdao@2020", path).stdout


# -- diff --------------------------------------------------------------------------------------
def test_diff_lists_what_changed(tmp_path: Path) -> None:
    path, _ = variant(
        tmp_path, "2021.yaml",
        ('version: "2020"', 'version: "2021"'),
        ("        weight: 8\n        rule: {kind: target, value: services_done, op: \">=\", target: 9,",
         "        weight: 7\n        rule: {kind: target, value: services_done, op: \">=\", target: 10,"),
        ("        label: 质量达标率\n        weight: 6", "        label: 质量达标率\n        weight: 7"),
        ('  - {label: 中, range: "[70, 80)"}\n  - {label: 差, range: "[0, 70)"}',
         '  - {label: 中, range: "[60, 80)"}\n  - {label: 差, range: "[0, 60)"}'),
        ("  satisfaction:\n", "  complaints: {type: integer, label: 投诉数}\n  satisfaction:\n"),
    )
    result = rubric("diff", "qingdao@2020", path)
    assert result.exit_code == 0
    targets = [engine.load_rubric(p).node("quantity").rule.target_text() for p in (RUBRIC, path)]  # the engine's words
    assert result.stdout.splitlines() == [
        f"qingdao@2020 ({RUBRIC}) → qingdao@2021 ({path})",
        "indicators:",
        "  ~ quantity 口岸查验服务购买数量: reweighted 8 → 7",
        f"  ~ quantity 口岸查验服务购买数量: target {targets[0]} → {targets[1]}",
        "  ~ quality 质量达标率: reweighted 6 → 7",
        "inputs:",
        "  + complaints: 投诉数 (integer)",
        "grades:",
        "  ~ 中: range [70, 80) → [60, 80)",
        "  ~ 差: range [0, 70) → [0, 60)",
        "6 changes",
    ]


def test_diff_of_a_rubric_with_itself_finds_nothing() -> None:
    result = rubric("diff", "qingdao@2020", RUBRIC)
    assert result.exit_code == 0 and "no differences" in result.stdout


# -- version and help --------------------------------------------------------------------------
def test_version() -> None:
    result = rubric("--version")
    assert (result.exit_code, result.stdout) == (0, f"rubric {version('rubric')}\n")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = rubric(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and f"  rubric {command} " in result.stdout


def test_main_help_documents_the_exit_codes() -> None:
    output = rubric("--help").stdout
    for code in ("0  success", "1  scoring ran but", "2  unusable input", "3  internal error"):
        assert code in output
    assert all(command in output for command in COMMANDS)
