"""One scored project as a sheet in the layout of the 自评表: 一级/二级/三级指标, 分值, 指标值,
实际完成值, 得分, 扣分原因 — one row per leaf indicator, group labels merged down, 总分 last."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from openpyxl.styles import Font
from openpyxl.worksheet.cell_range import CellRange

from engine.model import Rubric
from engine.numbers import fixed
from engine.result import NodeResult, Result

from .xlsx_style import BOLD, FILL_HEADER, THIN, TITLE, WRAP, fit_height, landscape, streamed

HEADERS = ("一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "得分", "扣分", "扣分原因", "计算过程")
WIDTHS = (10, 14, 26, 7, 24, 14, 8, 7, 40, 44)
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
FIRST_ROW = 7  # the header row; leaves start below it
GREY = Font(color="808080")


def sheet_title(number: int, subject: str) -> str:
    """``12 口岸大通关…``: unique (the number), at most 31 characters, no characters Excel refuses."""
    return _BAD_TITLE.sub("_", f"{number} {subject}")[:31].rstrip() or str(number)


def write_project_sheet(book: Any, rubric: Rubric, result: Result, number: int, location: str) -> None:
    sheet = book.create_sheet(sheet_title(number, result.subject))
    landscape(sheet)
    sheet.freeze_panes = f"A{FIRST_ROW + 1}"  # before the first row: write-only sheets write their view first
    for column, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[chr(64 + column)].width = width
    fmt = "0." + "0" * result.precision if result.precision else "0"
    cell = lambda value, **style: streamed(sheet, value, **style)  # noqa: E731
    _head(sheet, cell, rubric, result, location, fmt)
    _leaf_rows(sheet, cell, result, fmt)
    _merge_groups(sheet, result.indicators)
    lost = result.max - result.total
    sheet.append([cell("总分", font=BOLD), None, None, cell(result.max, font=BOLD), None, None,
                  cell(result.total, font=BOLD, number_format=fmt), cell(lost, font=BOLD, number_format=fmt)])


def _head(sheet: Any, cell: Any, rubric: Rubric, result: Result, location: str, fmt: str) -> None:
    grade = result.grade + (f"（一票否决：{result.veto}）" if result.veto else "")
    sheet.append([cell(f"{result.subject} — 绩效评价得分表", font=TITLE)])
    sheet.append([cell("项目名称", font=BOLD), cell(result.subject)])
    sheet.append([cell("评分规则", font=BOLD), cell(f"{rubric.title}（{rubric.id}@{rubric.version}）")])
    sheet.append([cell("总分", font=BOLD), cell(result.total, number_format=fmt), cell("等级", font=BOLD), cell(grade)])
    sheet.append([cell("来源", font=BOLD), cell(location)])
    sheet.append([])
    sheet.append([cell(text, font=BOLD, fill=FILL_HEADER, alignment=WRAP, border=THIN) for text in HEADERS])


def _leaf_rows(sheet: Any, cell: Any, result: Result, fmt: str) -> None:
    box = lambda value, **style: cell(value, alignment=WRAP, border=THIN, **style)  # noqa: E731
    previous: tuple[NodeResult, ...] = ()
    for row, trail in enumerate(_leaf_trails(result.indicators), FIRST_ROW + 1):
        labels, previous, leaf = _labels(trail, previous), trail, trail[-1]
        texts = labels + ["", leaf.target or "", leaf.actual or "", "", "", _reasons(leaf, result.precision), leaf.explanation]
        height = fit_height(list(zip(texts, WIDTHS)))
        if height:
            sheet.row_dimensions[row].height = height  # before the row is written
        sheet.append([box(text) for text in labels] + _figures(leaf, result.precision, box, fmt))


def _leaf_trails(nodes: tuple[NodeResult, ...], trail: tuple[NodeResult, ...] = ()) -> Iterator[tuple[NodeResult, ...]]:
    for node in nodes:
        if node.children:
            yield from _leaf_trails(node.children, trail + (node,))
        else:
            yield trail + (node,)


def _labels(trail: tuple[NodeResult, ...], previous: tuple[NodeResult, ...]) -> list[str]:
    """The 一级/二级/三级 cells of a leaf: a group's label only on its first row (the cells are merged);
    levels below the third are joined into the third."""
    names = ["" if i < len(trail) - 1 and i < len(previous) and previous[i] is node else node.label
             for i, node in enumerate(trail)]
    if len(names) > 3:
        return names[:2] + [" / ".join(node.label for node in trail[2:])]
    return names + [""] * (3 - len(names))


def _figures(leaf: NodeResult, precision: int, cell: Any, fmt: str) -> list[Any]:
    if not leaf.applicable:
        return [cell("—"), cell("不适用"), cell(None), cell("—"), cell(None), cell(None), cell(leaf.explanation)]
    return [cell(leaf.weight), cell(leaf.target or ""), cell(leaf.actual or ""), cell(leaf.score, number_format=fmt),
            cell(leaf.lost if leaf.lost else None, number_format=fmt), cell(_reasons(leaf, precision)),
            cell(leaf.explanation, font=GREY)]


def _reasons(leaf: NodeResult, precision: int) -> str:
    return "\n".join(f"−{fixed(d.points, precision)} {d.reason}" for d in leaf.deductions)


def _merge_groups(sheet: Any, top: tuple[NodeResult, ...]) -> None:
    """Merge each 一级 (column A) and 二级 (column B) label down over its leaves, as the 自评表 does."""
    row = FIRST_ROW + 1
    for node in top:
        span = _leaves(node)
        if span > 1:
            sheet.merged_cells.add(CellRange(min_col=1, min_row=row, max_col=1, max_row=row + span - 1))
        inner = row
        for child in node.children:
            width = _leaves(child)
            if width > 1 and child.children:
                sheet.merged_cells.add(CellRange(min_col=2, min_row=inner, max_col=2, max_row=inner + width - 1))
            inner += width
        row += span


def _leaves(node: NodeResult) -> int:
    return sum(_leaves(child) for child in node.children) if node.children else 1
