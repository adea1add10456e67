"""Batch results, written as they come: a workbook (``--format xlsx``) or CSV (``--format csv``).

Both write one row per project the moment it is scored (or fails) and keep only running
aggregates (:class:`~cli.tally.Tally`), so 10,000 projects take the memory of one. Both
write to a temporary file beside the target and move it into place only when every row
is written: a failed run leaves no file (and an earlier one untouched).

The workbook (openpyxl write-only mode) has, in this order:

- 汇总 summary: counts, share per grade, mean / spread / range of totals, average points lost
  per level-1 indicator, with a bar chart of each (native Excel charts);
- 结果 results: one row per project: location, subject, status, total, grade, level-1 scores
  and points lost, and for a failed project the reason;
- 未评分 failed: one row per problem of every failed project (location, message);
- one sheet per scored project, in the layout of the 自评表, for the first
  :data:`DETAIL_SHEETS` scored projects (a workbook of 10,000 sheets is unusable; the
  summary says how many were written).
"""
from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from engine.errors import Problem
from engine.model import Rubric
from engine.numbers import fixed
from engine.result import Result

from .project_sheet import write_project_sheet
from .summary_sheet import write_summary
from .tally import Tally
from .xlsx_style import BOLD, FILL_FAILED, FILL_HEADER, WRAP, atomic_path, fit_height, landscape, streamed

DETAIL_SHEETS = 100
MAX_CELL = 32_000  # Excel refuses cells longer than 32,767 characters
OK, FAILED = "ok", "failed"


def result_headers(rubric: Rubric) -> list[str]:
    level1 = [f"{node.label} {part}" for node in rubric.indicators for part in ("得分", "扣分")]
    return ["序号 no", "位置 location", "项目 subject", "状态 status", "总分 total", "等级 grade", *level1,
            "否决 veto", "原因 reason"]


def result_cells(rubric: Rubric, number: int, location: str, outcome: Result | Sequence[Problem],
                 subject: str = "") -> list[Any]:
    """The results row of one project; numbers rounded to the rubric's precision (as text for CSV callers).
    A failed project keeps the ``subject`` it gives, when it gives one."""
    if isinstance(outcome, Result):
        level1 = [value for node in outcome.indicators for value in (node.score, node.lost)]
        return [number, location, outcome.subject, OK, outcome.total, outcome.grade, *level1, outcome.veto or "", ""]
    reason = "\n".join(str(problem) for problem in outcome)
    return [number, location, subject, FAILED, None, None, *([None] * 2 * len(rubric.indicators)), "", reason[:MAX_CELL]]


def csv_cells(rubric: Rubric, number: int, location: str, outcome: Result | Sequence[Problem],
              subject: str = "") -> list[str]:
    """The results row of one project as CSV text (see :func:`result_cells`)."""
    return [_csv_text(cell, rubric.precision) for cell in result_cells(rubric, number, location, outcome, subject)]


class CsvBatch:
    """One CSV row per project, streamed; UTF-8 with a BOM so that Excel and WPS read the Chinese.
    Without a target the rows go to stdout as they come (no BOM)."""

    def __init__(self, rubric: Rubric, target: Path | None) -> None:
        self.rubric, self.target, self.tally = rubric, target, Tally.for_rubric(rubric)
        self.numbered = 0  # rows written

    def __enter__(self) -> CsvBatch:
        if self.target is None:
            self._atomic, self._stream = None, sys.stdout
        else:
            self._atomic = atomic_path(self.target)
            self._stream = self._atomic.__enter__().open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._stream, lineterminator=self.terminator)
        self._writer.writerow(result_headers(self.rubric))
        return self

    @property
    def terminator(self) -> str:
        return "\n" if self.target is None else "\r\n"

    def add(self, location: str, outcome: Result | Sequence[Problem], subject: str = "") -> None:
        if isinstance(outcome, Result):
            self.tally.add(outcome)
        else:
            self.tally.fail()
        self.numbered += 1
        self._writer.writerow(csv_cells(self.rubric, self.numbered, location, outcome, subject))

    def add_rendered(self, rows: Sequence[str]) -> None:
        """Rows rendered by a worker (:mod:`cli.batch_blocks`): each a row's CSV text after its number and comma,
        numbered here. Their projects go into the tally with :meth:`Tally.merge`."""
        first = self.numbered + 1
        self.numbered += len(rows)
        self._stream.write("".join([f"{number},{row}" for number, row in enumerate(rows, first)]))

    def __exit__(self, *exc_info: Any) -> None:
        if self._atomic is None:
            self._stream.flush()
            return
        self._stream.close()
        self._atomic.__exit__(*exc_info)


def _csv_text(value: Any, precision: int) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fixed(value, precision)
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "@") else text  # keep spreadsheet formulas out of CSV text


class XlsxBatch:
    """The scored workbook, streamed sheet by sheet (see the module docstring for its sheets)."""

    def __init__(self, rubric: Rubric, target: Path, detail_sheets: int = DETAIL_SHEETS) -> None:
        self.rubric, self.target, self.detail_sheets = rubric, target, detail_sheets
        self.tally = Tally.for_rubric(rubric)
        self.details = 0
        self.book = Workbook(write_only=True)
        self.summary = self.book.create_sheet("汇总 summary")
        self.results = self._sheet("结果 results", result_headers(rubric), [8, 36, 36, 8, 9, 8]
                                   + [11] * 2 * len(rubric.indicators) + [16, 80])
        self.failures = self._sheet("未评分 failed", ["序号 no", "位置 location", "问题 problem"], [8, 36, 120])
        self.number_format = "0." + "0" * rubric.precision if rubric.precision else "0"

    def _sheet(self, title: str, headers: list[str], widths: list[float]) -> Any:
        sheet = self.book.create_sheet(title)
        landscape(sheet)
        for column, width in enumerate(widths, 1):
            sheet.column_dimensions[_letter(column)].width = width
        sheet.freeze_panes = "A2"
        sheet.row_dimensions[1].height = fit_height(list(zip(headers, widths)))  # before the row is written
        sheet.auto_filter.ref = f"A1:{_letter(len(headers))}1"
        sheet.append([streamed(sheet, text, font=BOLD, fill=FILL_HEADER, alignment=WRAP) for text in headers])
        return sheet

    def __enter__(self) -> XlsxBatch:
        return self

    def add(self, location: str, outcome: Result | Sequence[Problem], subject: str = "") -> None:
        if isinstance(outcome, Result):
            self.tally.add(outcome)
        else:
            self.tally.fail()
        number = self.tally.count
        cells = result_cells(self.rubric, number, location, outcome, subject)
        fill = None if isinstance(outcome, Result) else FILL_FAILED
        self.results.append([streamed(self.results, value, fill=fill, number_format=self._format(value))
                             for value in cells])
        if not isinstance(outcome, Result):
            for problem in outcome:
                self.failures.append([number, location, str(problem)[:MAX_CELL]])
        elif self.details < self.detail_sheets:
            self.details += 1
            write_project_sheet(self.book, self.rubric, outcome, number, location)

    def _format(self, value: Any) -> str | None:
        return self.number_format if isinstance(value, Decimal) else None

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if kind is not None:
            _discard(self.book)
            return
        write_summary(self.summary, self.rubric, self.tally, self.details)
        with atomic_path(self.target) as temporary:
            self.book.save(temporary)


def _discard(book: Workbook) -> None:
    """Close and remove the temporary files of a write-only workbook that will never be saved."""
    for sheet in book.worksheets:
        try:
            if not sheet.closed:
                sheet.close()
        except Exception:  # noqa: BLE001 - best effort on the way out of a failure
            pass
        writer = getattr(sheet, "_writer", None)
        if writer is not None and isinstance(writer.out, str):
            Path(writer.out).unlink(missing_ok=True)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def open_batch(rubric: Rubric, target: Path | None, format: str, detail_sheets: int = DETAIL_SHEETS) -> CsvBatch | XlsxBatch:
    """A batch writer for ``format`` (``xlsx`` needs a target; ``csv`` without one writes to stdout)."""
    if format == "xlsx":
        assert target is not None
        return XlsxBatch(rubric, target, detail_sheets)
    return CsvBatch(rubric, target)

