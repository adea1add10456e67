"""The workbook an evaluator fills in: ``rubric template RUBRIC --format xlsx -o FILE``.

Four sheets, read back by :mod:`engine.workbook` through their column headers (so rows may
be moved and sheets renamed): 填报 (one row per input, a value cell formatted and validated
by the input's type), 专家评分 (one row per judged indicator), 指标与自评 (the indicator tree
with each rule in words, and the unit's claimed scores and 偏差原因) and 说明 (the rubric and
how to fill the workbook in). ``--from`` pre-fills every sheet from an existing submission.
"""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from engine.model import Indicator, Input, Rubric
from engine.numbers import HUNDRED, plain
from engine.submission import Submission
from engine.workbook import GRADE_ID, HEADERS, SHEETS, SUBJECT_ID, TOTAL_ID

from .xlsx_style import BOLD, FILL_HEADER, FILL_INPUT, TITLE, WRAP, atomic_save, excel_value, landscape, put, set_widths

TYPE_WORDS = {"number": "数值", "integer": "整数", "percent": "百分比", "boolean": "是/否", "level": "等级", "text": "文本"}
VALUE_NOTE = ("在黄色的「填报值」列填写，空格视为未填。百分比单元格已设为百分比格式：输入 97% 即 97%。"
              "「编号 id」列供程序识别，请勿修改（行可以移动）。")
JUDGMENT_NOTE = ("每行一项评价：不扣分填「扣分」0；扣分时在「理由」写扣分原因；同一指标多处扣分可复制该行（保留编号）；"
                 "也可直接填「给分」。")
CLAIM_NOTE = "单位自评：填写各指标的自评得分和偏差原因（未得满分时必填），以及自评总分和等级；供 rubric audit 核对。"


def write_template(rubric: Rubric, path: Path, submission: Submission | None = None) -> None:
    """Write the template (pre-filled from ``submission`` if given) to ``path`` atomically."""
    atomic_save(_template(rubric, submission), path)


def _table_head(sheet: Any, title: str, note: str, keys: tuple[str, ...]) -> None:
    landscape(sheet)
    put(sheet, 1, 1, title).font = TITLE
    put(sheet, 2, 1, note).alignment = WRAP
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(keys))
    sheet.row_dimensions[2].height = 32
    for column, key in enumerate(keys, 1):
        cell = put(sheet, 3, column, HEADERS[key])
        cell.font, cell.fill, cell.alignment = BOLD, FILL_HEADER, WRAP
    sheet.freeze_panes = "A4"


# -- 填报: one row per input ------------------------------------------------------------------
VALUE_KEYS = ("id", "label", "value", "unit", "type", "description")


def _values_sheet(sheet: Any, rubric: Rubric, submission: Submission | None) -> None:
    sheet.title = SHEETS["values"]
    _table_head(sheet, f"{rubric.title} — 填报表", VALUE_NOTE, VALUE_KEYS)
    subject = submission.subject if submission else None
    _value_row(sheet, 4, SUBJECT_ID, "项目名称", subject, "text", "", "被评价的项目（subject）")
    for row, spec in enumerate(rubric.inputs.values(), 5):
        given = submission.values.get(spec.id) if submission else None
        _value_row(sheet, row, spec.id, spec.label, given, spec.type, spec.unit, _describe_input(spec))
        _format_value(sheet, sheet.cell(row, 3), spec, given)
    set_widths(sheet, (16, 36, 24, 8, 10, 60))


def _value_row(sheet: Any, row: int, key: str, label: str, value: Any, kind: str, unit: str, description: str) -> None:
    for column, content in enumerate((key, label, excel_value(value), unit, TYPE_WORDS[kind], description), 1):
        put(sheet, row, column, content).alignment = WRAP
    sheet.cell(row, 3).fill = FILL_INPUT
    sheet.cell(row, 1).font = Font(color="808080")


def _describe_input(spec: Input) -> str:
    parts = [spec.description] if spec.description else []
    if spec.minimum is not None or spec.maximum is not None:
        show = (lambda v: plain(v * HUNDRED) + "%") if spec.type == "percent" else plain
        low = show(spec.minimum) if spec.minimum is not None else "−∞"
        high = show(spec.maximum) if spec.maximum is not None else "∞"
        parts.append(f"范围 {low}–{high}")
    if spec.levels:
        parts.append("可选：" + "、".join(spec.levels))
    if not spec.required:
        parts.append(f"选填（默认 {spec.default}）")
    return "；".join(parts)


def _format_value(sheet: Any, cell: Any, spec: Input, given: Any) -> None:
    """Number format and a drop-down or range check on the value cell."""
    if spec.type == "percent":
        cell.number_format = "0." + "0" * _places(given, 2, HUNDRED) + "%"
        _validate(sheet, cell, "decimal", spec)
    elif spec.type == "number":
        cell.number_format = "#,##0." + "0" * _places(given, 2)
        _validate(sheet, cell, "decimal", spec)
    elif spec.type == "integer":
        cell.number_format = "0"
        _validate(sheet, cell, "whole", spec)
    elif spec.type in ("level", "boolean"):
        choices = spec.levels if spec.type == "level" else ("是", "否")
        _drop_down(sheet, cell, choices)
    else:
        cell.number_format = "@"


def _places(value: Any, least: int, scale: Decimal = Decimal(1)) -> int:
    """Decimals needed to show ``value`` in full (at least ``least``)."""
    if not isinstance(value, Decimal):
        return least
    exponent = (value * scale).normalize().as_tuple().exponent
    return max(least, -exponent if isinstance(exponent, int) and exponent < 0 else 0)


def _validate(sheet: Any, cell: Any, kind: str, spec: Input) -> None:
    low = spec.minimum if spec.minimum is not None else Decimal("-1E15")
    high = spec.maximum if spec.maximum is not None else Decimal("1E15")
    check = DataValidation(type=kind, operator="between", formula1=plain(low), formula2=plain(high), allow_blank=True,
                           showErrorMessage=True, errorTitle="填报值不符合要求", error=f"{spec.label}：{_describe_input(spec) or TYPE_WORDS[spec.type]}")
    sheet.add_data_validation(check)
    check.add(cell)


def _drop_down(sheet: Any, cell: Any, choices: tuple[str, ...] | list[str]) -> None:
    """A drop-down list; left out when Excel cannot hold it (a choice with a comma, or over 255 characters)
    — the choices are in the row's description either way."""
    listed = ",".join(c.replace('"', '""') for c in choices)
    if any("," in c for c in choices) or len(listed) > 250:
        return
    check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=True,
                           errorTitle="请从下拉列表选择", error="可选：" + "、".join(choices))
    sheet.add_data_validation(check)
    check.add(cell)


# -- 专家评分: one row per judged indicator ------------------------------------------------------
JUDGMENT_KEYS = ("id", "label", "weight", "guide", "points", "deduction", "reason")


def _judgments_sheet(sheet: Any, rubric: Rubric, submission: Submission | None) -> None:
    _table_head(sheet, f"{rubric.title} — 专家评分", JUDGMENT_NOTE, JUDGMENT_KEYS)
    row = 4
    for node in (n for n in rubric.nodes() if n.is_leaf and _judged(n)):
        judgment = submission.judgments.get(node.id) if submission else None
        for points, cut, reason in _judgment_rows(judgment):
            cells = (node.id, node.label, excel_value(node.weight), node.rule.target_text() if node.rule else "",
                     excel_value(points), excel_value(cut), reason)
            for column, content in enumerate(cells, 1):
                put(sheet, row, column, content).alignment = WRAP
            for column in (5, 6, 7):
                sheet.cell(row, column).fill = FILL_INPUT
            row += 1
    set_widths(sheet, (16, 24, 8, 48, 10, 10, 60))


def _judged(node: Indicator) -> bool:
    return node.evaluator_deductions or (node.rule is not None and node.rule.judgment != "none")


def _judgment_rows(judgment: Any) -> list[tuple[Any, Any, str]]:
    """(points, deduction, reason) rows that read back as ``judgment``; one blank row when there is none."""
    if judgment is None:
        return [(None, None, "")]
    rows: list[tuple[Any, Any, str]] = []
    if judgment.points is not None:
        rows.append((judgment.points, None, judgment.reason))
    rows += [(None, points, reason) for points, reason in judgment.deductions]
    return rows or [(None, Decimal(0), judgment.reason)]


# -- 指标与自评: the indicator tree, rules in words, claimed figures ------------------------------------
CLAIM_KEYS = ("id", "level", "label", "weight", "rule", "claimed", "explanation")


def _indicators_sheet(sheet: Any, rubric: Rubric, submission: Submission | None) -> None:
    _table_head(sheet, f"{rubric.title} — 指标体系与单位自评", CLAIM_NOTE, CLAIM_KEYS)
    claims = submission.claims if submission else {}
    scores, reasons = claims.get("scores") or {}, claims.get("reasons") or {}
    row = 4
    for node in rubric.nodes():
        cells = (node.id, node.level, node.label, excel_value(node.weight), _rule_words(node),
                 excel_value(scores.get(node.id)), reasons.get(node.id))
        _claim_row(sheet, row, cells, bold=node.level == 1, indent=node.level - 1)
        row += 1
    bands = "；".join(f"{band.label} {band.text}" for band in rubric.grades.bands)
    _claim_row(sheet, row, (TOTAL_ID, None, "总分", excel_value(rubric.total), "各一级指标得分之和",
                            excel_value(claims.get("total")), None), bold=True)
    _claim_row(sheet, row + 1, (GRADE_ID, None, "自评等级", None, bands, claims.get("grade"), None), bold=True)
    _drop_down(sheet, sheet.cell(row + 1, 6), rubric.grades.labels())
    set_widths(sheet, (16, 6, 36, 8, 60, 10, 48))


def _claim_row(sheet: Any, row: int, cells: tuple[Any, ...], bold: bool = False, indent: int = 0) -> None:
    for column, content in enumerate(cells, 1):
        cell = put(sheet, row, column, content)
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=indent if column == 3 else 0)
        if bold:
            cell.font = BOLD
    for column in (6, 7):
        sheet.cell(row, column).fill = FILL_INPUT


def _rule_words(node: Indicator) -> str:
    words = node.rule.describe(node.weight) if node.rule else f"{len(node.children)} 项下级指标之和"
    cuts = [f"扣分：{d.reason}（{plain(d.points)}分{'/次' if d.per is not None else ''}）" for d in node.deductions]
    return "\n".join([words, *cuts])


# -- 说明: the rubric itself --------------------------------------------------------------------
def _about_sheet(sheet: Any, rubric: Rubric) -> None:
    lines: list[tuple[str, Any]] = [
        ("评分规则", rubric.title), ("编号", f"{rubric.id}@{rubric.version}"), ("制定单位", rubric.authority),
        ("来源", rubric.source), ("总分", excel_value(rubric.total)), ("得分精度", f"保留 {rubric.precision} 位小数（四舍五入）"),
        *((f"等级 {band.label}", band.text) for band in rubric.grades.bands),
        ("规则文件 sha256", rubric.sha256), ("", ""),
        ("填报", VALUE_NOTE), ("专家评分", JUDGMENT_NOTE), ("单位自评", CLAIM_NOTE),
        ("百分比", "设为百分比格式的单元格按显示的百分数读取（显示 97% 即 97%）；普通单元格中的数字按规则声明读取"
                 "（percent_entry: points 时 97 即 97%，fraction 时 0.97 即 97%）；文字 97% 按所写读取。"),
        ("评分", "rubric score RUBRIC 本文件.xlsx"),
    ]
    put(sheet, 1, 1, rubric.title).font = TITLE
    for row, (key, value) in enumerate(lines, 3):
        put(sheet, row, 1, key).font = BOLD
        put(sheet, row, 2, value).alignment = WRAP
    set_widths(sheet, (18, 100), first_row=3)


def template_bytes(rubric: Rubric, submission: Submission | None = None) -> bytes:
    """The template workbook as bytes (for ``rubric template``, which writes files atomically)."""
    buffer = io.BytesIO()
    _template(rubric, submission).save(buffer)
    return buffer.getvalue()


def _template(rubric: Rubric, submission: Submission | None) -> Workbook:
    book = Workbook()
    _values_sheet(book.active, rubric, submission)
    _judgments_sheet(book.create_sheet(SHEETS["judgments"]), rubric, submission)
    _indicators_sheet(book.create_sheet(SHEETS["indicators"]), rubric, submission)
    _about_sheet(book.create_sheet(SHEETS["about"]), rubric)
    return book


def template_command(rubric: Rubric, format: str, source: Path | None, output: Path | None) -> bytes:
    """What ``rubric template --format xlsx [--from SUBMISSION]`` writes; refusals as located errors."""
    from engine import Problem, RubricError
    from engine.batch import load_one

    if format != "xlsx":
        raise RubricError(Problem("pre-fills the Excel template only: add --format xlsx", "--from"))
    if output is None:
        raise RubricError(Problem("an .xlsx workbook cannot go to the terminal: give --output FILE.xlsx", "--format xlsx"))
    return template_bytes(rubric, load_one(source, rubric) if source is not None else None)
