"""The 汇总 summary sheet of a batch workbook: figures a bureau head reads at a glance, and two charts.

Written last (from the running :class:`~cli.tally.Tally`) into the sheet created first, so it
opens first. The charts are native Excel bar charts over the tables on the same sheet.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl.chart import BarChart, Reference

from engine.model import Rubric
from engine.numbers import round_half_up

from .tally import Tally
from .xlsx_style import BOLD, FILL_HEADER, TITLE, landscape, streamed

GRADE_ROW = 13  # where the grade table starts (its header row)


def write_summary(sheet: Any, rubric: Rubric, tally: Tally, details: int) -> None:
    landscape(sheet)
    for column, width in zip("ABCDEF", (26, 12, 12, 12, 4, 4)):
        sheet.column_dimensions[column].width = width
    cell = lambda value, **style: streamed(sheet, value, **style)  # noqa: E731
    number = lambda value, fmt="0.00": cell(_float(value), number_format=fmt)  # noqa: E731
    sheet.append([cell(f"{rubric.title} — 批量评分汇总", font=TITLE)])
    sheet.append([cell(f"规则 {rubric.id}@{rubric.version}  sha256 {rubric.sha256[:12]}")])
    sheet.append([])
    sheet.append([cell("项目数 projects", font=BOLD), cell(tally.count)])
    sheet.append([cell("已评分 scored", font=BOLD), cell(tally.scored)])
    failed_note = "见「未评分 failed」表" if tally.failed else ""
    sheet.append([cell("未评分 failed", font=BOLD), cell(tally.failed), cell(failed_note)])
    sheet.append([cell("平均分 mean", font=BOLD), number(tally.mean)])
    sheet.append([cell("标准差 spread", font=BOLD), number(tally.spread)])
    sheet.append([cell("最高 / 最低 max / min", font=BOLD), number(tally.highest), number(tally.lowest)])
    shown = f"前 {details} 个已评分项目各一张" + (f"（共 {tally.scored} 个）" if details < tally.scored else "")
    sheet.append([cell("明细 detail sheets", font=BOLD), cell(shown)])
    sheet.append([])
    sheet.append([cell("各等级项目数 projects per grade", font=BOLD)])
    sheet.append([cell(text, font=BOLD, fill=FILL_HEADER) for text in ("等级 grade", "数量 count", "占比 share")])
    for grade in tally.grades:
        sheet.append([cell(grade), cell(tally.per_grade.get(grade, 0)), number(tally.share(grade), "0.0%")])
    level1_row = GRADE_ROW + len(tally.grades) + 3
    sheet.append([])
    sheet.append([cell("一级指标平均得分与扣分 average per level-1 indicator", font=BOLD)])
    sheet.append([cell(text, font=BOLD, fill=FILL_HEADER) for text in ("一级指标", "分值 weight", "平均得分 score", "平均扣分 lost")])
    for key, label, weight in tally.level1:
        sheet.append([cell(label), cell(weight), number(tally.average_score(key)), number(tally.average_lost(key))])
    _charts(sheet, len(tally.grades), level1_row, len(tally.level1))


def _charts(sheet: Any, grades: int, level1_row: int, indicators: int) -> None:
    counts = BarChart()
    counts.title, counts.y_axis.title, counts.legend = "各等级项目数", "项目数", None
    counts.add_data(Reference(sheet, min_col=2, min_row=GRADE_ROW, max_row=GRADE_ROW + grades), titles_from_data=True)
    counts.set_categories(Reference(sheet, min_col=1, min_row=GRADE_ROW + 1, max_row=GRADE_ROW + grades))
    counts.height, counts.width = 7.5, 13
    sheet.add_chart(counts, "G2")
    lost = BarChart()
    lost.type, lost.title, lost.legend = "bar", "一级指标平均扣分", None
    lost.x_axis.scaling.orientation = "maxMin"  # the first indicator on top, as in the table
    lost.y_axis.crosses = "max"  # ... and the value axis still at the bottom
    lost.add_data(Reference(sheet, min_col=4, min_row=level1_row, max_row=level1_row + indicators), titles_from_data=True)
    lost.set_categories(Reference(sheet, min_col=1, min_row=level1_row + 1, max_row=level1_row + indicators))
    lost.height, lost.width = 7.5, 13
    sheet.add_chart(lost, "G18")


def _float(value: Decimal | None) -> float | None:
    """A statistic as a number cell (4 decimals are plenty for a mean or a share)."""
    return None if value is None else float(round_half_up(value, 4))
