"""The rich breakdown table of scored results (the default ``rubric score`` output).

rich measures CJK text by display cells, so Chinese labels line up; on a terminal rows are
coloured by how much was lost, and anywhere else (a pipe, a file) the same table comes out
as plain text with no ANSI codes.
"""
from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TextIO

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from engine.numbers import fixed, plain

from .breakdown import Breakdown, Line
from .rows import (NOT_SCORED, Row, Scored, breakdown_rows, counts_text, explanations, grade_counts,
                   not_scored_text)

if TYPE_CHECKING:
    from engine import Result, Rubric

PLAIN_WIDTH = 120  # width when the output is not a terminal (a pipe or a file), unless COLUMNS says otherwise


def make_console(file: TextIO | None = None, plain: bool = False) -> Console:
    """A console on ``file`` (stdout by default): coloured on a terminal, plain text elsewhere.

    ``plain`` forces plain text even when FORCE_COLOR is set: a file must never hold escape codes.
    """
    stream = file if file is not None else sys.stdout
    console = None if plain else Console(file=stream, highlight=False, soft_wrap=False)
    if console is None or not console.is_terminal:
        console = Console(file=stream, highlight=False, width=_plain_width(), force_terminal=False,
                          color_system=None, legacy_windows=False)
    return console


def render_to_text(draw: Callable[..., None], *args: object) -> str:
    """What ``draw(console, *args)`` prints, as plain text without trailing blanks (pipes, files)."""
    buffer = io.StringIO()
    draw(make_console(buffer, plain=True), *args)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def emit(draw: Callable[..., None], *args: object) -> None:
    """Draw on stdout: in colour on a terminal, else as plain text."""
    console = make_console()
    if console.is_terminal:
        draw(console, *args)
    else:
        sys.stdout.write(render_to_text(draw, *args))


def print_results(console: Console, outcomes: Sequence[Scored], rubric: Rubric, explain: bool, summary_only: bool) -> None:
    """Breakdowns (unless ``summary_only``), then a summary when there are several submissions."""
    if not summary_only:
        for number, outcome in enumerate(outcomes):
            if number:
                console.print()
            print_breakdown(console, outcome, rubric, explain)
    if summary_only or len(outcomes) > 1:
        if not summary_only:
            console.print()
        print_summary(console, outcomes, rubric)


def print_breakdown(console: Console, outcome: Scored, rubric: Rubric, explain: bool) -> None:
    result = outcome.result
    if result is None:
        console.print(Text(f"{outcome.file}: {not_scored_text(outcome)}", style="bold red"))
        return
    console.print(breakdown_table(result, rubric), crop=False)  # a terminal too narrow for the table wraps it: no figure is cut
    total = Text.assemble(("总分 Total: ", "bold"), (f"{fixed(result.total, result.precision)} / {plain(result.max)}",
                                                      _style(_share(result))), ("    等级 Grade: ", "bold"), (result.grade, "bold"))
    console.print(total)
    if result.veto:
        console.print(Text(f"一票否决 Veto: {result.veto} → {result.grade}", style="bold red"))
    if explain:
        print_explanations(console, result, rubric)


def print_explanations(console: Console, result: Result, rubric: Rubric) -> None:
    """Per leaf: the rule in words and the arithmetic, wide enough to read in one line or two."""
    console.print()
    console.print(Text("How each indicator scored (--explain)", style="bold"))
    for item in explanations(result, rubric):
        console.print(Text.assemble((item.label, "bold"), f" [{item.id}]  ", (item.score, "bold")))
        if item.rule:
            console.print(Padding(Text(f"rule: {item.rule}", style="dim"), (0, 0, 0, 2)))
        console.print(Padding(Text(f"= {item.arithmetic}"), (0, 0, 0, 2)))


def breakdown_table(result: Result, rubric: Rubric) -> Breakdown:
    """The breakdown of one result, laid out when drawn (see :mod:`cli.breakdown`)."""
    title = Text(f"{result.subject}\n{rubric.title} ({result.rubric_id}@{result.version})", style="bold")
    return Breakdown(title, [Line(row, _row_style(row)) for row in breakdown_rows(result)])


def print_summary(console: Console, outcomes: Sequence[Scored], rubric: Rubric) -> None:
    table = Table(title=Text("汇总 Summary", style="bold"), box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
    for header, justify in (("#", "right"), ("评价对象 Subject", "left"), ("文件 File", "left"),
                            ("总分 Total", "right"), ("等级 Grade", "left")):
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for number, outcome in enumerate(outcomes, 1):
        result = outcome.result
        if result is None:
            table.add_row(*_texts(str(number), outcome.subject or "—", outcome.file, "—", NOT_SCORED), style="red")
        else:
            table.add_row(*_texts(str(number), result.subject, outcome.file, fixed(result.total, result.precision),
                                  result.grade), style=_style(_share(result)))
    console.print(table)
    console.print(counts_text(grade_counts(outcomes, rubric.grades.labels())))


def _texts(*cells: str) -> tuple[Text, ...]:
    return tuple(Text(cell) for cell in cells)


def _row_style(row: Row) -> str:
    if not row.applicable:
        return "dim"
    if row.kind == "deduction":
        return "italic yellow"
    style = _style(row.lost_share)
    return f"bold {style}".strip() if row.kind == "total" or row.level == 1 else style


def _style(lost_share: Decimal) -> str:
    """Colour by the share of the points lost: none, some, or half and more."""
    if lost_share <= 0:
        return ""
    return "red" if lost_share >= Decimal("0.5") else "yellow"


def _share(result: Result) -> Decimal:
    return (result.max - result.total) / result.max if result.max else Decimal(0)


def _plain_width() -> int:
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else PLAIN_WIDTH
