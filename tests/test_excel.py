"""Workbook submissions: the template round trip, percent cells, located cell errors, claims.

Workbooks are made by the template writer and then edited with openpyxl, as a unit would
edit them in Excel or WPS; expected figures come from scoring the same data as YAML.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import engine
from cli.main import app
from cli.render_xlsx import template_bytes, write_template
from engine.audit import audit
from engine.workbook import load_workbook_submission
from engine_helpers import rubric_from

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples/qingdao-2020.yaml"
QINGDAO = engine.load_rubric(ROOT / "rubrics/qingdao/2020.yaml")
PLAIN_ENV = {"COLUMNS": None, "FORCE_COLOR": None, "RUBRIC_PATH": None, "RUBRIC_DEBUG": None}


def rubric(*args: str):  # noqa: ANN201 - typer's Result
    return CliRunner().invoke(app, list(args), env=PLAIN_ENV)


def prefilled(tmp_path: Path, model: engine.Rubric = QINGDAO, source: Path = EXAMPLE) -> Path:
    path = tmp_path / "filled.xlsx"
    write_template(model, path, engine.load_submission(source, model))
    return path


def edit(path: Path, **cells: object) -> Path:
    """Set cells given as sheet__A1=value (``None`` empties a cell); returns the path."""
    book = openpyxl.load_workbook(path)
    for key, value in cells.items():
        sheet, ref = key.split("__")
        book[sheet][ref] = value
    book.save(path)
    return path


def row_of(path: Path, sheet: str, key: str) -> int:
    """The row whose id column (A) holds ``key``."""
    book = openpyxl.load_workbook(path)
    return next(cell.row for cell in book[sheet]["A"] if cell.value == key)


def problems(path: Path, model: engine.Rubric = QINGDAO) -> list[str]:
    with pytest.raises(engine.SubmissionError) as caught:
        load_workbook_submission(path, model)
    return [str(p) for p in caught.value.problems]


# -- round trip ---------------------------------------------------------------------------------
def test_the_example_written_with_from_and_scored_from_the_workbook_is_identical(tmp_path: Path) -> None:
    workbook = tmp_path / "qingdao.xlsx"
    made = rubric("template", "qingdao@2020", "--format", "xlsx", "--from", str(EXAMPLE), "-o", str(workbook),
                  "--rubrics", str(ROOT / "rubrics"))
    assert made.exit_code == 0, made.stderr
    from_yaml = rubric("score", "qingdao@2020", str(EXAMPLE), "-f", "json", "--rubrics", str(ROOT / "rubrics"))
    from_xlsx = rubric("score", "qingdao@2020", str(workbook), "-f", "json", "--rubrics", str(ROOT / "rubrics"))
    assert from_xlsx.exit_code == 0, from_xlsx.stderr
    assert json.loads(from_xlsx.stdout) == json.loads(from_yaml.stdout)
    direct = engine.score(QINGDAO, load_workbook_submission(workbook, QINGDAO))
    assert direct.to_dict() == engine.score(QINGDAO, engine.load_submission(EXAMPLE, QINGDAO)).to_dict()


def test_rows_may_be_moved_and_sheets_renamed(tmp_path: Path) -> None:
    path = prefilled(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["填报"]
    rows = [[(c.value, c.number_format) for c in row] for row in sheet.iter_rows(min_row=4)]
    for offset, cells in enumerate(reversed(rows)):  # every input row in reverse order, as Excel moves them
        for column, (value, number_format) in enumerate(cells, 1):
            sheet.cell(4 + offset, column, value).number_format = number_format
    book["专家评分"].title = "打分"
    book.save(path)
    assert engine.score(QINGDAO, load_workbook_submission(path, QINGDAO)).total == Decimal("96.65")


def test_a_blank_template_reports_every_missing_value_at_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    path.write_bytes(template_bytes(QINGDAO))
    found = problems(path)
    budget_row = row_of(path, "填报", "budget")
    assert f"{path}: values.budget: 填报!C{budget_row}: missing value for 'budget' (全年预算数, 万元)" in found
    basis_row = row_of(path, "专家评分", "basis")
    assert any(p.startswith(f"{path}: judgments.basis: 专家评分!F{basis_row}: no judgment for 'basis'") for p in found)


# -- cells ---------------------------------------------------------------------------------------
def test_text_where_a_number_is_expected_names_the_sheet_and_cell(tmp_path: Path) -> None:
    path = prefilled(tmp_path)
    row = row_of(path, "填报", "services_done")
    edit(path, **{f"填报__C{row}": "30家"})
    assert problems(path) == [f'{path}: values.services_done: 填报!C{row}: expected a whole number, got "30家"; '
                              "write the number alone"]


PERCENT_RUBRIC = """\
inputs:
  rate: {type: percent, label: 完成率, unit: "%"ENTRY}
indicators:
  - {id: x, label: 完成率, weight: 100, rule: {kind: ratio, value: rate}}
"""


@pytest.mark.parametrize("entry, value, number_format, expected", [
    ("", 0.97, "0.00%", "0.97"),                      # a percent cell holds the fraction
    ("", 0.9715, "0%", "0.9715"),                     # shown rounded, read exactly
    ("", 97, "General", "0.97"),                      # plain number, percent_entry: points (the default)
    ("", 0.97, "General", "0.0097"),                  # ... read as declared: 0.97 points is 0.97%
    (", percent_entry: fraction", 0.97, "General", "0.97"),
    (", percent_entry: fraction", 0.97, "0.00%", "0.97"),
    ("", "97%", "General", "0.97"),                   # text is read as written
    ("", "97", "@", "0.97"),
])
def test_percent_cells_are_read_as_the_rubric_declares(tmp_path: Path, entry: str, value: object,
                                                       number_format: str, expected: str) -> None:
    model = rubric_from(PERCENT_RUBRIC.replace("ENTRY", entry))
    path = tmp_path / "p.xlsx"
    path.write_bytes(template_bytes(model))
    book = openpyxl.load_workbook(path)
    cell = book["填报"][f"C{row_of(path, '填报', 'rate')}"]
    cell.value, cell.number_format = value, number_format
    book.save(path)
    assert load_workbook_submission(path, model).values["rate"] == Decimal(expected)


def test_floats_become_exact_decimals(tmp_path: Path) -> None:
    path = prefilled(tmp_path)
    edit(path, **{f"填报__C{row_of(path, '填报', 'budget')}": 6548.55, f"填报__C{row_of(path, '填报', 'spent')}": 0.1})
    values = load_workbook_submission(path, QINGDAO).values
    assert values["budget"] == Decimal("6548.55")
    assert values["spent"] == Decimal("0.1")  # not Decimal(0.1) = 0.1000000000000000055511151231257827…


# -- judgments and claims ---------------------------------------------------------------------------
def test_judgment_rows_zero_means_full_points_and_repeated_ids_add_deductions(tmp_path: Path) -> None:
    path = prefilled(tmp_path)
    row = row_of(path, "专家评分", "basis")
    book = openpyxl.load_workbook(path)
    sheet = book["专家评分"]
    sheet.insert_rows(row + 1)
    for column, value in enumerate(("basis", None, None, None, None, 0.5, "依据不足"), 1):
        sheet.cell(row + 1, column, value)
    sheet.cell(row, 6, 1)
    sheet.cell(row, 7, "论证不充分")
    book.save(path)
    judgment = load_workbook_submission(path, QINGDAO).judgments["basis"]
    assert judgment.deductions == ((Decimal(1), "论证不充分"), (Decimal("0.5"), "依据不足"))
    assert engine.score(QINGDAO, load_workbook_submission(path, QINGDAO)).node("basis").score == Decimal("1.5")


def test_a_deduction_without_a_reason_points_at_the_reason_cell(tmp_path: Path) -> None:
    path = prefilled(tmp_path)
    row = row_of(path, "专家评分", "basis")
    edit(path, **{f"专家评分__F{row}": 1})
    assert problems(path) == [f"{path}: judgments.basis.deductions[0].reason: 专家评分!G{row}: a deduction needs a 'reason' (扣分原因)"]


def test_claimed_figures_are_read_for_audit_and_text_is_refused_at_its_cell(tmp_path: Path) -> None:
    path = prefilled(tmp_path)
    rows = {key: row_of(path, "指标与自评", key) for key in ("decision", "goal_rationality", "claims.total", "claims.grade")}
    edit(path, **{f"指标与自评__F{rows['decision']}": 20, f"指标与自评__F{rows['claims.total']}": 100,
                  f"指标与自评__F{rows['claims.grade']}": "优", f"指标与自评__G{rows['goal_rationality']}": "目标已细化"})
    submission = load_workbook_submission(path, QINGDAO)
    assert submission.claims == {"scores": {"decision": Decimal(20)}, "total": Decimal(100), "grade": "优",
                                 "reasons": {"goal_rationality": "目标已细化"}}
    kinds = {finding.kind for finding in audit(QINGDAO, submission).findings}
    assert "score_mismatch" in kinds  # claimed 20 for 决策, computed 17.25
    edit(path, **{f"指标与自评__F{rows['decision']}": "二十"})
    assert problems(path) == [f'{path}: claims: 指标与自评!F{rows["decision"]}: expected a claimed score (a number), got "二十"']


# -- files that are not our workbook ------------------------------------------------------------------
def test_a_file_that_is_not_a_workbook_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(engine.DocumentError, match="not a readable .xlsx workbook"):
        load_workbook_submission(path, QINGDAO)


def test_a_workbook_without_a_values_table_says_where_to_start(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "hello"
    book.save(path)
    assert problems(path) == [f"{path}: workbook: no sheet has a header row with 编号 id and 填报值 value; "
                              "start from `rubric template RUBRIC --format xlsx`"]


def test_text_starting_with_equals_stays_text_not_a_formula(tmp_path: Path) -> None:
    source = tmp_path / "s.yaml"
    source.write_text(EXAMPLE.read_text(encoding="utf-8").replace("subject: 2020年度口岸大通关补助资金项目",
                                                                  "subject: '=HYPERLINK(\"http://x\")'"), encoding="utf-8")
    path = prefilled(tmp_path, source=source)
    cell = openpyxl.load_workbook(path)["填报"][f"C{row_of(path, '填报', 'subject')}"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert load_workbook_submission(path, QINGDAO).subject == '=HYPERLINK("http://x")'


def test_template_refuses_xlsx_to_the_terminal_and_from_without_xlsx() -> None:
    to_terminal = rubric("template", "qingdao@2020", "--format", "xlsx", "--rubrics", str(ROOT / "rubrics"))
    assert to_terminal.exit_code == 2 and "give --output FILE.xlsx" in to_terminal.stderr
    from_yaml = rubric("template", "qingdao@2020", "--from", str(EXAMPLE), "--rubrics", str(ROOT / "rubrics"))
    assert from_yaml.exit_code == 2 and "add --format xlsx" in from_yaml.stderr


LEVEL_RUBRIC = """\
inputs:
  tier: {type: level, label: 目标完成程度, levels: [达成, 部分达成, 未达成]}
  filed: {type: boolean, label: 是否按时归档}
indicators:
  - id: x
    label: 目标完成程度
    weight: 50
    rule: {kind: levels, value: tier, levels: {达成: 1, 部分达成: 0.6, 未达成: 0}}
  - {id: y, label: 归档, weight: 50, rule: {kind: yes_no, when: filed}}
"""


def test_level_and_yes_no_inputs_get_drop_downs_and_read_back(tmp_path: Path) -> None:
    model = rubric_from(LEVEL_RUBRIC)
    path = tmp_path / "levels.xlsx"
    path.write_bytes(template_bytes(model))
    book = openpyxl.load_workbook(path)
    rows = {key: row_of(path, "填报", key) for key in ("tier", "filed")}
    lists = {str(v.sqref): v.formula1 for v in book["填报"].data_validations.dataValidation if v.type == "list"}
    assert lists == {f"C{rows['tier']}": '"达成,部分达成,未达成"', f"C{rows['filed']}": '"是,否"'}
    edit(path, **{f"填报__C{rows['tier']}": "部分达成", f"填报__C{rows['filed']}": "是"})
    assert load_workbook_submission(path, model).values == {"tier": "部分达成", "filed": True}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (Debian: libreoffice-calc-nogui)")
def test_every_workbook_we_write_opens_in_libreoffice(tmp_path: Path) -> None:
    # WPS and LibreOffice read what Excel reads; converting to PDF makes LibreOffice open every sheet and chart
    books = {"template.xlsx": ("template", "qingdao@2020", "--format", "xlsx", "--from", str(EXAMPLE)),
             "scored.xlsx": ("score", "qingdao@2020", str(ROOT / "examples/batch/qingdao-2020-projects.csv"), "--format", "xlsx"),
             "audit.xlsx": ("audit", "yiyang@2022", str(ROOT / "examples/yiyang-2022-claimed.yaml"), "--format", "xlsx")}
    for name, args in books.items():
        assert rubric(*args, "-o", str(tmp_path / name)).exit_code in (0, 1)  # the batch holds one broken row
    done = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           *(str(tmp_path / name) for name in books)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for name in books:
        assert (tmp_path / name).with_suffix(".pdf").stat().st_size > 1000
