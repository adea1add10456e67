"""Spreadsheet cells as submission data: exact numbers, percent formats, located problems.

Shared by :mod:`engine.workbook` (one submission per workbook) and :mod:`engine.batch`
(one submission per row). The rules for reading a cell, whatever program wrote it:

- an empty cell (or one holding only spaces) is a missing value;
- a number becomes an exact :class:`~decimal.Decimal`: integers directly, floats from their
  shortest repr (``0.1`` stays ``0.1``, never ``0.1000000000000000055…``);
- for a ``percent`` input, a cell whose number format shows a percent (``0.00%``) holds the
  fraction, so ``0.97`` formatted as ``97%`` is 97%; a number in a plain cell is read as the
  rubric declares (``percent_entry: points`` → ``97`` is 97%; ``fraction`` → ``0.97`` is 97%);
  text such as ``97%`` is read as written;
- anything else (text where a number is expected, ``30家``) goes to the submission checks,
  whose message is then prefixed with the sheet and cell (``填报!C7``).
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from .errors import Problem
from .model import Input
from .numbers import HUNDRED, parse_decimal, plain

_SEGMENT = re.compile(r"(\.[^.\[]+|\[[^\]]*\])$")


def cell_ref(sheet: str, row: int, column: int) -> str:
    """``填报!C7``: how Excel, WPS and LibreOffice name a cell."""
    from openpyxl.utils import get_column_letter  # here, not at the top: scoring a YAML file never loads openpyxl

    return f"{sheet}!{get_column_letter(column)}{row}"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_data(value: Any, number_format: str = "General", spec: Input | None = None) -> Any:
    """Plain submission data (Decimal, str, bool or None) for one cell's value."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        number = to_decimal(value)
        if spec is not None and spec.type == "percent" and "%" in (number_format or ""):
            return plain(number * HUNDRED) + "%"  # the fraction a % cell holds, as the text the user saw
        return number
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()  # refused with the cell named if a number was expected
    return str(value).strip()


def to_decimal(value: int | float) -> Decimal:
    """An exact Decimal: integers as they are, floats from the shortest text that reads back the same."""
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def number_data(value: Any) -> Decimal | str | None:
    """A number from a cell that holds no input (points, deductions, claimed scores): text must be a plain number."""
    data = cell_data(value)
    if isinstance(data, str):
        number = parse_decimal(data)
        return number if number is not None else data
    return data


def relocate(problems: list[Problem], refs: dict[str, str]) -> list[Problem]:
    """Problems reported by document path, re-pointed at the cell each path was read from."""
    return [_relocated(problem, refs) for problem in problems]


def _relocated(problem: Problem, refs: dict[str, str]) -> Problem:
    path = problem.path
    while path and path not in refs:
        trimmed = _SEGMENT.sub("", path)
        path = trimmed if trimmed != path else ""
    where = refs.get(path) or refs.get("")
    if not where:
        return problem
    return Problem(f"{where}: {problem.message}", problem.file, None, None, problem.path)


def subject_of(data: Any) -> str:
    """The ``subject`` that submission data names ('' if none): a row that fails its checks keeps it."""
    subject = data.get("subject") if isinstance(data, dict) else None
    if subject is None:
        return ""
    return format(subject.normalize(), "f") if isinstance(subject, Decimal) and subject.is_finite() else str(subject)
