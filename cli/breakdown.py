"""The breakdown table laid out for the width it is drawn at, Chinese included.

A rich ``Table`` can neither keep a figure whole while wrapping Chinese around it nor let a row
span columns, so the breakdown lays itself out (in rich's SIMPLE_HEAD look):

- figures and short cells (分值, 得分, 扣分, ``6548.5 万元``, ``≥9 项``) never wrap and are never cut;
- when the table is too wide, the 指标值 Target column shrinks first (a judged guide is cut with
  ``…``; ``--explain`` has it whole), then the indicator labels (wrapped between characters, never
  inside a number), then the headers go on two lines (``分值`` over ``Weight``);
- a deduction's reason spans the empty columns to its right, up to the 扣分 Lost column.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions
from rich.text import Text

from .cjk import widest_unit, wrap
from .rows import HEADERS, Row

GAP, EDGE = 3, 1  # cells between two columns, and before the first / after the last
LABEL, WEIGHT, TARGET, ACTUAL, SCORE, LOST = range(6)
RIGHT = frozenset((WEIGHT, SCORE, LOST))
SHORT = 16  # a target or actual this wide (or one with a figure, up to LONG) is shown whole
LONG = 24  # the widest a target column grows for a judged guide (cut with …)
LABEL_FLOOR = 16  # the narrowest the label column shrinks to before the headers fold


@dataclass(frozen=True)
class Line:
    """A row of the table as drawn: its cells, and the style of the whole row."""

    row: Row
    style: str


class Breakdown:
    """A rich renderable: the title, the headers, every row, laid out at ``options.max_width``."""

    def __init__(self, title: Text, lines: Sequence[Line]) -> None:
        self.title, self.lines = title, list(lines)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        widths, headers = fit([line.row for line in self.lines], options.max_width)
        yield self.title
        for cells in headers:
            yield draw(cells, widths, "bold")
        yield Text("─" * min(table_width(widths), options.max_width))
        previous: Row | None = None
        for line in self.lines:
            if previous is not None and _starts_section(line.row):
                yield Text("")
            for drawn in _row_lines(line.row, widths):
                yield draw(drawn, widths, line.style)
            previous = line.row


def table_width(widths: Sequence[int]) -> int:
    return sum(widths) + GAP * (len(widths) - 1) + 2 * EDGE


def fit(rows: Sequence[Row], width: int) -> tuple[list[int], list[list[str]]]:
    """Column widths for ``width`` cells, and the header lines (one, or two when folded to fit)."""
    floors, natural = _floors(rows), _natural(rows)
    for folded in (False, True):
        headers = [header.split(" ", 1) if folded else [header] for header in HEADERS]
        head = [max(cell_len(part) for part in parts) for parts in headers]
        widths = [max(n, h) for n, h in zip(natural, head)]
        _shrink(widths, width, [(column, max(floors[column], head[column])) for column in (TARGET, LABEL, ACTUAL)])
        if table_width(widths) <= width or folded:
            break
    # Narrower than the table can be with every short cell whole (under about 70 cells): labels keep
    # six characters a line, then actuals wrap, short targets are cut, and last the labels give way.
    actual = max((widest_unit(row.actual) for row in rows), default=0)
    _shrink(widths, width, [(LABEL, max(LABEL_FLOOR - 4, head[LABEL])), (ACTUAL, max(actual, head[ACTUAL])),
                            (TARGET, head[TARGET]), (LABEL, 4)])
    return widths, [[parts[n] if n < len(parts) else "" for parts in headers] for n in range(2 if folded else 1)]


def _shrink(widths: list[int], width: int, steps: Sequence[tuple[int, int]]) -> None:
    """Narrow the columns in the order of ``steps`` (column, narrowest) until the table fits ``width``."""
    for column, narrowest in steps:
        excess = table_width(widths) - width
        if excess > 0:
            widths[column] = max(min(narrowest, widths[column]), widths[column] - excess)


def _floors(rows: Sequence[Row]) -> list[int]:
    """The narrowest each column may be: figures and short cells whole, labels to LABEL_FLOOR."""
    floors = [0] * len(HEADERS)
    for row in rows:
        if row.kind == "deduction":
            floors[LOST] = max(floors[LOST], cell_len(row.lost))
            continue
        cells = row.cells()
        floors[LABEL] = max(floors[LABEL], _indent(row) + min(LABEL_FLOOR, cell_len(row.label)))
        for column in (WEIGHT, SCORE, LOST):
            floors[column] = max(floors[column], cell_len(cells[column]))
        for column in (TARGET, ACTUAL):
            text = cells[column]
            floors[column] = max(floors[column], cell_len(text) if _short(text) else widest_unit(text)
                                 if column == ACTUAL else 0)
    return floors


def _natural(rows: Sequence[Row]) -> list[int]:
    """The width each column takes when there is room: every cell on one line (a guide up to LONG)."""
    natural = [0] * len(HEADERS)
    for row in rows:
        if row.kind == "deduction":
            natural[LOST] = max(natural[LOST], cell_len(row.lost))
            continue
        natural[LABEL] = max(natural[LABEL], _indent(row) + cell_len(row.label))
        for column, text in enumerate(row.cells()[1:], 1):
            size = cell_len(text)
            natural[column] = max(natural[column], size if column != TARGET or _short(text) else min(size, LONG))
    return natural


def _short(text: str) -> bool:
    size = cell_len(text)
    return size <= SHORT or size <= LONG and any(char.isdigit() for char in text)


def _indent(row: Row) -> int:
    return 2 * max(row.level - 1, 0)


def _starts_section(row: Row) -> bool:
    return row.kind == "total" or row.kind == "indicator" and row.level == 1


def _row_lines(row: Row, widths: Sequence[int]) -> list[list[str]]:
    """The row as lines of cells: the label (or a deduction's reason) wrapped, guides cut, figures whole."""
    indent = " " * _indent(row)
    if row.kind == "deduction":
        span = sum(widths[:LOST]) + GAP * (LOST - 1) - len(indent)
        text = wrap(row.label[1:], max(span - 1, 1))  # after the "−", the hanging lines line up with the text
        reason = [indent + ("−" if n == 0 else " ") + part for n, part in enumerate(text)]
        return [[part, "", "", "", "", row.lost if n == 0 else ""] for n, part in enumerate(reason)]
    columns: list[list[str]] = [[indent + part for part in wrap(row.label, max(widths[LABEL] - len(indent), 1))]]
    for column, text in enumerate(row.cells()[1:], 1):
        if column == TARGET and cell_len(text) > widths[TARGET]:
            columns.append([set_cell_size(text, widths[TARGET] - 2).rstrip() + " …"])
        elif column == ACTUAL and cell_len(text) > widths[ACTUAL]:
            columns.append(wrap(text, widths[ACTUAL]))
        else:
            columns.append([text])
    height = max(len(column) for column in columns)
    return [[column[n] if n < len(column) else "" for column in columns] for n in range(height)]


def draw(cells: Sequence[str], widths: Sequence[int], style: str, right: frozenset[int] = RIGHT) -> Text:
    """One line of cells (those in ``right`` justified right); a long cell, such as a deduction's
    reason, may run past its column into the empty ones after it."""
    out, position = " " * EDGE, EDGE
    for column, (text, width) in enumerate(zip(cells, widths)):
        start = position + (width - cell_len(text) if column in right else 0)
        if text:
            out += " " * max(start - cell_len(out), 0) + text
        position += width + GAP
    return Text(out.rstrip(), style=style, no_wrap=True, overflow="ignore")  # past the width: wrapped by the terminal, never cut
