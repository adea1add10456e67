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
``judgment.<id>.deduction.2``      a second deduction (and ``.reason.2``); any number ≥ 2 works
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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .cells import cell_data, cell_ref, is_blank, number_data, subject_of
from .document import Document, PathKey
from .errors import DocumentError, Problem, RubricError, SubmissionError
from .model import Rubric
from .submission import Submission, check_submission
from .suggest import did_you_mean

JUDGMENT_FIELDS = ("points", "deduction", "reason")
_NUMBERED = re.compile(r"^(judgment\.[^.]+\.(?:deduction|reason))\.(\d+)$")


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
            path = names.get(text) or names.get(text.removeprefix("values.")) or _numbered(text, names)
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
            return SubmissionError([self._located(p) for p in builder.problems], subject_of(doc.data))
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


def _numbered(text: str, names: dict[str, PathKey]) -> PathKey | None:
    """``judgment.<id>.deduction.2`` → ("judgments", id, "deduction", 2) when ``judgment.<id>.deduction`` exists."""
    match = _NUMBERED.match(text)
    if not match or match.group(1) not in names or int(match.group(2)) < 2:
        return None
    return names[match.group(1)] + (int(match.group(2)),)


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
        self.judged: dict[str, dict[tuple[str, int], tuple[Any, int]]] = {}  # id → (field, n) → (value, column)
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
            number = path[3] if len(path) > 3 else 1
            self.judged.setdefault(str(path[1]), {})[(str(path[2]), int(number))] = (value, column)
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
            judgment = self._judgment(key, given)
            if judgment is not None:
                judgments[key] = judgment
        return judgments

    def _judgment(self, key: str, given: dict[tuple[str, int], tuple[Any, int]]) -> dict[str, Any] | None:
        """Points (if given) and deductions numbered 1, 2, …; a cut of 0 means "nothing taken off"."""
        value = lambda part, n: number_data(given[(part, n)][0]) if (part, n) in given else None  # noqa: E731
        text = lambda n: str(cell_data(given[("reason", n)][0]) or "") if ("reason", n) in given else ""  # noqa: E731
        judgment: dict[str, Any] = {"deductions": []}
        points, judged = value("points", 1), False
        for n in sorted({n for part, n in given if part != "points"}):
            cut, reason = value("deduction", n), text(n)
            if cut is None:
                if reason and not (n == 1 and points is not None):
                    self.problem(given[("reason", n)][1], f"a reason for '{key}' but no points or deduction "
                                                          "(0 for full points)", f"judgments.{key}")
                continue
            judged = True
            if cut != 0:
                place = ("judgments", key, "deductions", len(judgment["deductions"]))
                judgment["deductions"].append({"points": cut, "reason": reason})
                self.marks[place] = (self.row, given[("deduction", n)][1])
                self.marks[place + ("reason",)] = (self.row, given.get(("reason", n), given[("deduction", n)])[1])
        if points is not None:
            judgment["points"] = points
            if text(1) and value("deduction", 1) is None:
                judgment["reason"] = text(1)
        return judgment if judged or points is not None else None
