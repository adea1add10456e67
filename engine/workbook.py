"""Reading a submission from an .xlsx workbook (the one ``rubric template --format xlsx`` writes).

The workbook is found by its column headers, not by sheet names or row positions, so a
unit may rename sheets, move rows or add notes below the tables:

- the **values** sheet (填报) has a header row with ``编号 id`` and ``填报值 value``: one row
  per input, the input id in the id column; the row with id ``subject`` holds the 项目名称;
- the **judgments** sheet (专家评分) has ``编号 id`` with ``给分 points`` / ``扣分 deduction`` /
  ``理由 reason``: one row per judgment; several rows with the same id give several
  deductions; a deduction of 0 means "full points, nothing taken off";
- the **indicators** sheet (指标与自评) has ``编号 id`` with ``自评得分 claimed`` and
  ``偏差原因 explanation``: the unit's claimed score and 偏差原因 per indicator, and rows with
  ids ``claims.total`` and ``claims.grade`` for the claimed total and grade.

A header matches when any of its words is the English key or the Chinese name below. The
data becomes the shape of a YAML submission and is checked by
:func:`engine.submission.check_submission`; every problem names its sheet and cell.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cells import cell_data, cell_ref, is_blank, number_data, relocate, subject_of
from .document import Document
from .errors import DocumentError, Problem, SubmissionError
from .model import Rubric
from .submission import Submission, check_submission

#: Column key → header text written by the template (the reader accepts either word).
HEADERS = {
    "id": "编号 id", "label": "名称 label", "value": "填报值 value", "unit": "单位 unit", "type": "类型 type",
    "description": "说明 description", "weight": "分值 weight", "guide": "评分指引 guide", "points": "给分 points",
    "deduction": "扣分 deduction", "reason": "理由 reason", "level": "层级 level", "rule": "评分规则 rule",
    "claimed": "自评得分 claimed", "explanation": "偏差原因 explanation",
}
SHEETS = {"values": "填报", "judgments": "专家评分", "indicators": "指标与自评", "about": "说明"}
SUBJECT_ID, TOTAL_ID, GRADE_ID = "subject", "claims.total", "claims.grade"
HEADER_ROWS = 10  # how far down a header row is looked for
_MISSING = re.compile(r"^missing judgment for '([^']+)' \((.*?)\)")


def open_workbook(path: str | Path) -> Any:
    """An openpyxl workbook in read-only (streaming) mode, or a located error if it is not .xlsx."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = str(path)
    if Path(path).suffix.lower() == ".xls":
        raise DocumentError(Problem("old .xls workbooks cannot be read: save it as .xlsx (Excel/WPS: 另存为 .xlsx)", name))
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise DocumentError(Problem("no such file", name)) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DocumentError(Problem(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})", name)) from None


@dataclass
class Table:
    """One sheet's table: its title, header row number and column numbers by key."""

    sheet: Any
    title: str
    header_row: int
    columns: dict[str, int]

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(row number, cells) below the header; cells padded so every column can be indexed."""
        width = max(self.columns.values())
        for number, cells in enumerate(self.sheet.iter_rows(min_row=self.header_row + 1), self.header_row + 1):
            yield number, tuple(cells) + (None,) * (width - len(cells))

    def cell(self, cells: tuple[Any, ...], key: str) -> Any:
        column = self.columns.get(key)
        return cells[column - 1] if column else None

    def value(self, cells: tuple[Any, ...], key: str) -> Any:
        cell = self.cell(cells, key)
        return cell.value if cell is not None else None


def header_key(text: Any) -> str | None:
    """The column key a header cell names, if any."""
    if not isinstance(text, str):
        return None
    words = set(text.replace("（", " ").replace("）", " ").replace("(", " ").replace(")", " ").lower().split())
    return next((key for key, header in HEADERS.items() if key in words or header.split()[0] in words), None)


def find_table(sheet: Any, needed: tuple[str, ...]) -> Table | None:
    """The table on ``sheet`` whose header row has all of ``needed`` (with ``id``), if any."""
    for number, cells in enumerate(sheet.iter_rows(max_row=HEADER_ROWS, values_only=True), 1):
        columns: dict[str, int] = {}
        for column, value in enumerate(cells, 1):
            key = header_key(value)
            if key and key not in columns:
                columns[key] = column
        if "id" in columns and all(k in columns for k in needed):
            return Table(sheet, sheet.title, number, columns)
    return None


def is_submission_workbook(path: str | Path) -> bool:
    """Whether the workbook holds one submission (a values table), not one project per row."""
    book = open_workbook(path)
    try:
        return any(find_table(sheet, ("value",)) for sheet in book.worksheets)
    finally:
        book.close()


def load_workbook_submission(path: str | Path, rubric: Rubric) -> Submission:
    """Read and check a workbook submission; a :class:`SubmissionError` names sheet and cell."""
    book = open_workbook(path)
    try:
        reader = _Reader(str(path), rubric)
        data = reader.read(book)
    finally:
        book.close()
    if not data:  # no values table: checking would only repeat "missing" for every input
        raise SubmissionError(reader.problems)
    doc = Document(str(path), data)
    try:
        submission = check_submission(doc, rubric)
    except SubmissionError as exc:
        for problem in exc.problems:
            said = reader.unjudged(problem)
            reader.problems += [said] if said is not problem else relocate([problem], reader.refs)
    if reader.problems:
        raise SubmissionError(reader.problems, subject_of(data))
    return submission


@dataclass
class _Reader:
    file: str
    rubric: Rubric
    refs: dict[str, str] = field(default_factory=dict)  # document path text → "sheet!cell"
    problems: list[Problem] = field(default_factory=list)
    subject: Any = None
    blank: dict[str, str] = field(default_factory=dict)  # indicator id → its empty judgment row

    def unjudged(self, problem: Problem) -> Problem:
        """A missing judgment said in the workbook's terms, at the indicator's empty row."""
        match = _MISSING.match(problem.message)
        if problem.path != "judgments" or not match or match.group(1) not in self.blank:
            return problem
        key, label = match.groups()
        return Problem(f"{self.blank[key]}: no judgment for '{key}' ({label}): fill 给分 points, "
                       "or 扣分 deduction (0 for full points)", problem.file, path=f"judgments.{key}")

    def problem(self, where: str, message: str, path: str = "") -> None:
        self.problems.append(Problem(f"{where}: {message}", self.file, path=path))

    def read(self, book: Any) -> dict[str, Any]:
        tables = {kind: self._table(book, needed) for kind, needed in
                  (("values", ("value",)), ("judgments", ("deduction",)), ("indicators", ("claimed",)))}
        if tables["values"] is None:
            self.problem("workbook", "no sheet has a header row with 编号 id and 填报值 value; "
                                     "start from `rubric template RUBRIC --format xlsx`")
            return {}
        data: dict[str, Any] = {"values": self._values(tables["values"])}
        self.refs[""] = tables["values"].title
        if tables["judgments"] is not None:
            data["judgments"] = self._judgments(tables["judgments"])
        else:
            self.refs["judgments"] = "workbook (no sheet with 编号 id and 扣分 deduction columns)"
        if tables["indicators"] is not None:
            claims = self._claims(tables["indicators"])
            if claims:
                data["claims"] = claims
        if self.subject is not None:
            data["subject"] = self.subject
        return data

    def _table(self, book: Any, needed: tuple[str, ...]) -> Table | None:
        return next((t for t in (find_table(s, needed) for s in book.worksheets) if t is not None), None)

    def _rows(self, table: Table) -> Iterator[tuple[int, str, tuple[Any, ...]]]:
        """(row, id, cells) for each row with an id; rows with data but no id are reported."""
        id_column = table.columns["id"]
        for number, cells in table.rows():
            raw_id = table.value(cells, "id")
            if is_blank(raw_id):
                if any(not is_blank(table.value(cells, key)) for key in ("value", "points", "deduction", "claimed")):
                    self.problem(cell_ref(table.title, number, id_column), "this row has a value but no 编号 id")
                continue
            yield number, str(cell_data(raw_id)), cells

    def _ref(self, table: Table, row: int, key: str) -> str:
        return cell_ref(table.title, row, table.columns.get(key, table.columns["id"]))

    def _values(self, table: Table) -> dict[str, Any]:
        values: dict[str, Any] = {}
        seen: dict[str, int] = {}
        self.refs["values"] = table.title
        for row, key, cells in self._rows(table):
            if key in seen:
                self.problem(self._ref(table, row, "id"), f"'{key}' is given twice (rows {seen[key]} and {row})")
                continue
            seen[key] = row
            cell = table.cell(cells, "value")
            spec = self.rubric.inputs.get(key)
            data = cell_data(cell.value, cell.number_format, spec) if cell is not None else None
            if key == SUBJECT_ID and spec is None:
                self.subject = data
                self.refs["subject"] = self._ref(table, row, "value")
                continue
            values[key] = data
            self.refs[f"values.{key}"] = self._ref(table, row, "value")
        return values

    def _judgments(self, table: Table) -> dict[str, Any]:
        judgments: dict[str, dict[str, Any]] = {}
        self.refs["judgments"] = table.title
        for row, key, cells in self._rows(table):
            points, cut = number_data(table.value(cells, "points")), number_data(table.value(cells, "deduction"))
            reason = str(cell_data(table.value(cells, "reason")) or "")
            if points is None and cut is None:
                if reason:
                    self.problem(self._ref(table, row, "points"), f"'{key}' has a reason but neither 给分 points "
                                                                  "nor 扣分 deduction (0 for full points)")
                self.blank.setdefault(key, self._ref(table, row, "deduction"))
                continue
            judgment = judgments.setdefault(key, {"deductions": []})
            self.refs.setdefault(f"judgments.{key}", self._ref(table, row, "id"))
            if points is not None:
                if "points" in judgment:
                    self.problem(self._ref(table, row, "points"), f"points for '{key}' are given twice")
                    continue
                judgment["points"] = points
                self.refs[f"judgments.{key}.points"] = self._ref(table, row, "points")
                if cut is None and reason:
                    judgment["reason"] = reason
            if cut is not None and cut != 0:
                index = len(judgment["deductions"])
                judgment["deductions"].append({"points": cut, "reason": reason})
                self.refs[f"judgments.{key}.deductions[{index}]"] = self._ref(table, row, "deduction")
                self.refs[f"judgments.{key}.deductions[{index}].reason"] = self._ref(table, row, "reason")
        return judgments

    def _claims(self, table: Table) -> dict[str, Any]:
        claims: dict[str, Any] = {}
        known = {node.id for node in self.rubric.nodes()}
        for row, key, cells in self._rows(table):
            number = number_data(table.value(cells, "claimed"))
            where = self._ref(table, row, "claimed")
            if key == GRADE_ID:
                if number is not None:
                    claims["grade"] = str(cell_data(table.value(cells, "claimed")))
            elif key not in known and key != TOTAL_ID:
                self.problem(self._ref(table, row, "id"), f"no indicator '{key}' in rubric {self.rubric.id}@{self.rubric.version}")
            elif isinstance(number, str):
                self.problem(where, f"expected a claimed score (a number), got \"{number}\"", "claims")
            elif number is not None and key == TOTAL_ID:
                claims["total"] = number
            elif number is not None:
                claims.setdefault("scores", {})[key] = number
            reason = cell_data(table.value(cells, "explanation"))
            if reason is not None and key in known:
                claims.setdefault("reasons", {})[key] = str(reason)
        return claims
