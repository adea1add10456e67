"""A rubric rendered for its author: what ``rubric show`` prints.

The indicator tree with weights, each scoring rule and deduction in words, the inputs an
evaluator gives, the derived values, the grade bands and the veto rules.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from engine.numbers import plain

from .describe import bounds_text, deduction_text, rule_text

if TYPE_CHECKING:
    from engine import Rubric


def print_rubric(console: Console, rubric: Rubric) -> None:
    console.print(Text(f"{rubric.id}@{rubric.version}  {rubric.title}", style="bold"))
    for label, value in (("file", rubric.file), ("authority", rubric.authority), ("source", rubric.source)):
        if value:
            console.print(Text(f"{label}: {value}"))
    console.print(Text(f"total {plain(rubric.total)}; each indicator rounded half-up to {rubric.precision} decimals"))
    for draw in (indicators_table, inputs_table, derived_table, grades_table, veto_table):
        table = draw(rubric)
        if table is not None:
            console.print()
            console.print(table)


def indicators_table(rubric: Rubric) -> Table:
    table = _table("指标体系 Indicators", "指标 Indicator", "id", "分值 Weight", "评分规则 Rule")
    for node in rubric.nodes():
        indent = 2 * (node.level - 1)
        rule = rule_text(node)
        if node.level == 1 and table.row_count:
            table.rows[-1].end_section = True
        table.add_row(Padding(Text(node.label), (0, 0, 0, indent)), Text(node.id), Text(plain(node.weight)), Text(rule),
                      style="bold" if node.level == 1 else "")
        for deduction in node.deductions:
            table.add_row(Padding(Text(f"扣分 {deduction_text(deduction)}"), (0, 0, 0, indent + 2)), style="yellow")
    table.rows[-1].end_section = True
    _row(table, "总分 Total", "", plain(rubric.total), "", style="bold")
    return table


def inputs_table(rubric: Rubric) -> Table:
    table = _table("输入 Inputs (the values a submission gives)", "id", "type", "label", "unit", "bounds", "description")
    for spec in rubric.inputs.values():
        _row(table, spec.id, spec.type + ("" if spec.required else " (optional)"), spec.label, spec.unit,
             bounds_text(spec), spec.description)
    return table


def derived_table(rubric: Rubric) -> Table | None:
    if not rubric.derived:
        return None
    table = _table("派生值 Derived values", "id", "= expression", "label", "type")
    for derived in rubric.derived:
        _row(table, derived.id, derived.expression.source, derived.label, derived.type)
    return table


def grades_table(rubric: Rubric) -> Table:
    table = _table("等级 Grades", "grade", "total in")
    for band in rubric.grades.bands:
        _row(table, band.label, band.text)
    return table


def veto_table(rubric: Rubric) -> Table | None:
    if not rubric.veto:
        return None
    table = _table("一票否决 Veto", "when", "grade", "reason")
    for veto in rubric.veto:
        _row(table, veto.when.source, veto.grade, veto.reason)
    return table


def _table(title: str, *columns: str) -> Table:
    table = Table(title=Text(title, style="bold"), box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
    for column in columns:
        right = column.startswith("分值")
        table.add_column(column, justify="right" if right else "left", overflow="fold", no_wrap=right)
    return table


def _row(table: Table, *cells: str, style: str = "") -> None:
    table.add_row(*(Text(cell) for cell in cells), style=style)

