"""One project per row (CSV files and workbook tables): what each column holds, from its header.

The first row names the columns; every later non-empty row is one submission:

=================================  ==================================================================
header                             holds
=================================  ==================================================================
``subject``                        the 项目名称 (optional; else the row's location, ``projects.csv:7``)
``budget`` or ``values.budget``    an input's value, by id; the input's label (``全年预算数``) works too
``judgment.<id>.points``           points given for a judged indicator
``judgment.<id>.deduction``        points taken off (``0`` means full points, nothing taken off)
``judgment.<id>.reason``           扣分原因 for the deduction (or the reason for the points)
``claims.total`` / ``claims.grade``  the unit's claimed total and grade (for ``rubric audit``)
``claims.scores.<id>``             the unit's claimed score for an indicator
``claims.reasons.<id>``            the unit's 偏差原因 for an indicator
``# anything`` or an empty header  ignored (notes); a value under an empty header is an error
=================================  ==================================================================

Cells are read as in :mod:`engine.cells` (empty → missing, percent formats, exact numbers).
Unknown or repeated headers, and no column for a required input or judgment, fail the whole
file at once (one message, not one per row). Row problems are located ``file:row:column`` in
a CSV and ``Sheet!C7`` in a workbook.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .cells import cell_data, cell_ref, is_blank, number_data
from .document import Document, PathKey
from .errors import DocumentError, Problem, RubricError, SubmissionError
from .model import Rubric
from .submission import Submission, check_submission
from .suggest import did_you_mean

JUDGMENT_FIELDS = ("points", "deduction", "reason")


def is_empty(cells: Sequence[Any]) -> bool:
    return all(is_blank(c) for c in cells)


@dataclass(frozen=True)
class Columns:
    """The plan for a table: column number (1-based) → path in the submission's data."""

    file: str
    rubric: Rubric
    sheet: str | None  # None for CSV (problems located line:column)
    slots: dict[int, PathKey]
    ignored: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def plan(cls, header: Sequence[Any], rubric: Rubric, file: str, sheet: str | None = None) -> Columns:
        """Read the header row; raise a :class:`DocumentError` listing every bad or missing column."""
        names, slots, ignored, problems = _names(rubric), {}, set(), []
        seen: dict[PathKey, int] = {}
        for column, raw in enumerate(header, 1):
            text = "" if raw is None else str(raw).strip()
            if text.startswith("#"):
                ignored.add(column)
                continue
            if not text:
                continue
            path = names.get(text) or names.get(text.removeprefix("values."))
            where = _locate(file, sheet, 1, column)
            if path is None:
                problems.append(where(f"unknown column '{text}'{did_you_mean(text, names)}; see `rubric template` for the names"))
            elif path in seen:
                problems.append(where(f"column '{text}' repeats column {seen[path]}"))
            else:
                seen[path], slots[column] = column, path
        problems += [_locate(file, sheet, 1, 1)(message) for message in _missing(rubric, set(slots.values()))]
        if problems:
            raise DocumentError(problems)
        return cls(file, rubric, sheet, slots, frozenset(ignored))

    def submission(self, cells: Sequence[tuple[Any, str]], row: int) -> Submission | RubricError:
        """The row's submission, checked; or the error saying what is wrong and in which cell."""
        builder = _Row(self, row)
        width = max(self.slots, default=0)
        cells = list(cells) + [(None, "General")] * (width - len(cells))
        for column, (value, number_format) in enumerate(cells, 1):
            builder.take(column, value, number_format)
        doc = Document(self.file, builder.data(), builder.marks)
        try:
            submission = check_submission(doc, self.rubric)
        except SubmissionError as exc:
            builder.problems += exc.problems
        if builder.problems:
            return SubmissionError([self._located(p) for p in builder.problems])
        return submission

    def _located(self, problem: Problem) -> Problem:
        if self.sheet is None or problem.line is None:
            return problem
        where = cell_ref(self.sheet, problem.line, problem.column or 1)
        return Problem(f"{where}: {problem.message}", problem.file, None, None, problem.path)


def _names(rubric: Rubric) -> dict[str, PathKey]:
    """Every header a table may use, with the path it fills."""
    names: dict[str, PathKey] = {"subject": ("subject",), "claims.total": ("claims", "total"),
                                 "claims.grade": ("claims", "grade")}
    labels = [spec.label for spec in rubric.inputs.values()]
    for key, spec in rubric.inputs.items():
        names[key] = ("values", key)
        if labels.count(spec.label) == 1 and spec.label not in rubric.inputs:
            names.setdefault(spec.label, ("values", key))
    for node in rubric.nodes():
        names[f"claims.scores.{node.id}"] = ("claims", "scores", node.id)
        names[f"claims.reasons.{node.id}"] = ("claims", "reasons", node.id)
        if node.is_leaf and (node.evaluator_deductions or (node.rule is not None and node.rule.judgment != "none")):
            for part in JUDGMENT_FIELDS:
                names[f"judgment.{node.id}.{part}"] = ("judgments", node.id, part)
    return names


def _missing(rubric: Rubric, present: set[PathKey]) -> list[str]:
    """One message per required input, or required judgment, that no column gives."""
    messages = [f"no column for the required input '{key}' ({spec.label})" for key, spec in rubric.inputs.items()
                if spec.required and ("values", key) not in present]
    for node in rubric.nodes():
        if node.is_leaf and node.rule is not None and node.rule.judgment == "required" and not any(
                ("judgments", node.id, part) in present for part in ("points", "deduction")):
            messages.append(f"no column for the judgment of '{node.id}' ({node.label}): add judgment.{node.id}.deduction "
                            f"(0 for full points) and judgment.{node.id}.reason, or judgment.{node.id}.points")
    return messages


def _locate(file: str, sheet: str | None, row: int, column: int):  # type: ignore[no-untyped-def]
    if sheet is None:
        return lambda message: Problem(message, file, row, column)
    return lambda message: Problem(f"{cell_ref(sheet, row, column)}: {message}", file)


class _Row:
    """Builds one row's submission data, remembering the column each value came from."""

    def __init__(self, columns: Columns, row: int) -> None:
        self.columns, self.row = columns, row
        self.values: dict[str, Any] = {}
        self.judged: dict[str, dict[str, tuple[Any, int]]] = {}
        self.claims: dict[str, Any] = {}
        self.subject: Any = None
        self.marks: dict[PathKey, tuple[int, int]] = {(): (row, 1), ("values",): (row, 1), ("judgments",): (row, 1)}
        self.problems: list[Problem] = []

    def problem(self, column: int, message: str, path: str = "") -> None:
        self.problems.append(Problem(message, self.columns.file, self.row, column, path))

    def take(self, column: int, value: Any, number_format: str) -> None:
        path = self.columns.slots.get(column)
        if path is None:
            if column not in self.columns.ignored and not is_blank(value):
                self.problem(column, "a value in a column with no header: name the column or start its header with #")
            return
        self.marks[path] = (self.row, column)
        if path[0] == "values":
            self.values[path[1]] = cell_data(value, number_format, self.columns.rubric.inputs[path[1]])
        elif path[0] == "subject":
            self.subject = cell_data(value)
        elif path[0] == "judgments":
            self.judged.setdefault(path[1], {})[path[2]] = (value, column)
        else:
            self._claim(path, value, column)

    def _claim(self, path: PathKey, value: Any, column: int) -> None:
        text_field = path[-1] == "grade" or path[1] == "reasons"
        data = cell_data(value) if text_field else number_data(value)
        if data is None:
            return
        if not text_field and isinstance(data, str):
            self.problem(column, f"expected a number, got \"{data}\"", ".".join(str(p) for p in path))
            return
        target = self.claims if len(path) == 2 else self.claims.setdefault(str(path[1]), {})
        target[str(path[-1])] = str(data) if text_field else data

    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"values": self.values, "judgments": self._judgments()}
        location = f"{self.columns.file}:{self.row}" if self.columns.sheet is None else \
            f"{self.columns.file}:{self.columns.sheet}!{self.row}"
        data["subject"] = self.subject if self.subject is not None else location
        if self.claims:
            data["claims"] = self.claims
        return data

    def _judgments(self) -> dict[str, Any]:
        judgments: dict[str, Any] = {}
        for key, given in self.judged.items():
            points, cut = (number_data(given[part][0]) if part in given else None for part in ("points", "deduction"))
            reason_cell = given.get("reason")
            reason = str(cell_data(reason_cell[0]) or "") if reason_cell else ""
            if points is None and cut is None:
                if reason:
                    self.problem(reason_cell[1], f"a reason for '{key}' but no points or deduction (0 for full points)",
                                 f"judgments.{key}")
                continue
            judgment: dict[str, Any] = {"deductions": []}
            if points is not None:
                judgment["points"] = points
            if cut is not None and cut != 0:
                judgment["deductions"].append({"points": cut, "reason": reason})
                self.marks[("judgments", key, "deductions", 0)] = (self.row, given["deduction"][1])
                if reason_cell:
                    self.marks[("judgments", key, "deductions", 0, "reason")] = (self.row, reason_cell[1])
            elif reason:
                judgment["reason"] = reason
            judgments[key] = judgment
        return judgments
