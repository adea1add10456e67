"""Many submissions at once, one at a time: directories, CSV files and one-project-per-row workbooks.

:func:`iter_submissions` yields ``(location, Submission | RubricError)`` pairs as it reads,
so that 10,000 rows never sit in memory together and a bad row never stops the good ones:

- a **directory**: every ``.yaml``/``.yml``/``.json``/``.xlsx``/``.csv`` file in it (not
  sub-directories; an ``.xls`` is reported as unreadable, not skipped), in name order, each
  read as if it were given on its own;
- a **submission workbook** (one written by ``rubric template --format xlsx``): one submission;
- a **table** (``.csv``, or an ``.xlsx`` whose first sheet has no 填报 table): one project per row,
  the first row naming the columns (see :mod:`engine.rowtable` for the column names);
- a ``.yaml``/``.json`` file: one submission.

A file that cannot be read at all (or whose header names unknown columns) is one failed
item located at the file; a bad row is one failed item located at its row.

Reading and checking are two steps: :func:`iter_pending` reads (a row's cells, a file's
path) and :meth:`Pending.check` builds and checks the submission, which is most of the
work. A :class:`Pending` is small and picklable, so that ``rubric score --jobs N`` can check
and score rows in worker processes while one process reads the file.
"""
from __future__ import annotations

import codecs
import csv
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cells import subject_of
from .document import load_file
from .errors import DocumentError, Problem, RubricError, SubmissionError
from .model import Rubric
from .rowtable import Columns, is_empty
from .submission import Submission, check_submission
from .workbook import is_submission_workbook, load_workbook_submission, open_workbook

Outcome = Submission | RubricError
SUBMISSION_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xlsm", ".xls", ".csv")  # .xls: reported, not skipped
_SNIFF = 64 * 1024


def load_one(path: str | Path, rubric: Rubric) -> Submission:
    """One submission from a YAML, JSON or workbook file."""
    if Path(path).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return load_workbook_submission(path, rubric)
    doc = load_file(path)
    try:
        return check_submission(doc, rubric)
    except SubmissionError as exc:
        exc.subject = subject_of(doc.data)
        raise


def is_batch(path: str | Path) -> bool:
    """Whether ``path`` holds many submissions (a directory, a CSV, a one-project-per-row workbook)."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() == ".csv":
        return True
    if path.suffix.lower() == ".xlsx" and path.is_file():
        try:
            return not is_submission_workbook(path)
        except RubricError:
            return False  # unreadable: let the single-file path report it
    return False


@dataclass(frozen=True)
class Table:
    """A table's file, sheet and header row: enough to plan its columns again (in another process)."""

    file: str
    sheet: str | None  # None for CSV
    header: tuple[Any, ...]

    def columns(self, rubric: Rubric) -> Columns:
        return Columns.plan(self.header, rubric, self.file, self.sheet)


@dataclass(frozen=True)
class Pending:
    """A submission read but not yet checked: a table row (its cells) or a file (its path)."""

    path: str
    table: Table | None = None
    cells: tuple[Any, ...] = ()
    formats: tuple[str, ...] | None = None  # number formats of the cells (workbooks); None: all General
    row: int = 0

    def check(self, rubric: Rubric, plans: dict[Table, Columns]) -> Outcome:
        """The checked submission or the error; ``plans`` caches each table's columns."""
        if self.table is None:
            try:
                return load_one(self.path, rubric)
            except RubricError as exc:
                return exc
        columns = plans.get(self.table)
        if columns is None:
            columns = plans[self.table] = self.table.columns(rubric)
        formats = self.formats or ("General",) * len(self.cells)
        return columns.submission(list(zip(self.cells, formats)), self.row)


def iter_submissions(source: str | Path, rubric: Rubric) -> Iterator[tuple[str, Outcome]]:
    """Every submission in ``source``, checked, with where it came from; failures are yielded, not raised."""
    plans: dict[Table, Columns] = {}
    for location, item in iter_pending(source, rubric):
        yield location, item if isinstance(item, RubricError) else item.check(rubric, plans)


def iter_pending(source: str | Path, rubric: Rubric) -> Iterator[tuple[str, Pending | RubricError]]:
    """Every submission in ``source`` read but not checked (a header is checked: a bad one fails the file)."""
    path = Path(source)
    if path.is_dir():
        for child in batch_files(path):
            yield from iter_pending(child, rubric)
        return
    try:
        if path.suffix.lower() == ".csv":
            yield from _csv_rows(path, rubric)
        elif path.suffix.lower() == ".xlsx" and not is_submission_workbook(path):
            yield from _sheet_rows(path, rubric)
        else:
            yield str(path), Pending(str(path))
    except RubricError as exc:
        yield str(path), exc


def batch_files(source: str | Path) -> list[Path]:
    """The files :func:`iter_pending` reads, in order: a directory's submission files (by name), else ``source``."""
    path = Path(source)
    if not path.is_dir():
        return [path]
    return [child for child in sorted(path.iterdir()) if child.is_file() and child.suffix.lower() in SUBMISSION_SUFFIXES
            and not child.name.startswith((".", "~$"))]


# -- CSV ----------------------------------------------------------------------------------------
def _csv_rows(path: Path, rubric: Rubric) -> Iterator[tuple[str, Pending]]:
    name = str(path)
    encoding, start = csv_encoding(path), 1
    try:
        with path.open(encoding=encoding, newline="") as stream:
            reader = csv.reader(stream)
            table = csv_header(reader, name, rubric)
            start = reader.line_num + 1
            for cells in reader:
                if not is_empty(cells):
                    yield f"{name}:{start}", Pending(name, table, tuple(cells), None, start)
                start = reader.line_num + 1
    except (FileNotFoundError, UnicodeDecodeError, csv.Error) as exc:
        raise csv_problem(exc, name, encoding, start) from None


def csv_header(reader: Any, name: str, rubric: Rubric) -> Table:
    """The table whose header is the next row of ``reader``; a :class:`DocumentError` if it is missing or bad."""
    header = next(reader, None)
    if header is None:
        raise DocumentError(Problem("the file is empty: expected a header row naming the columns", name, 1, 1))
    table = Table(name, None, tuple(header))
    table.columns(rubric)  # a bad header fails the file here, once
    return table


def csv_problem(exc: Exception, name: str, encoding: str, start: int) -> DocumentError:
    """What stops a CSV file from being read on, the row starting on line ``start`` unread."""
    if isinstance(exc, FileNotFoundError):
        return DocumentError(Problem("no such file", name))
    if isinstance(exc, UnicodeDecodeError):
        return undecodable(name, encoding, start, exc.reason)
    return DocumentError(Problem(f"not a readable CSV file: {exc}", name, start))


def undecodable(name: str, encoding: str, start: int, reason: str) -> DocumentError:
    return DocumentError(Problem(f"not {encoding} text after line {start - 1} ({reason}); save the file as UTF-8", name))


def csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM); else GB18030, which Chinese Excel uses for 'CSV (逗号分隔)'."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_SNIFF)
    except OSError:
        return "utf-8-sig"  # the open below reports the problem
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


# -- one project per row in a workbook ---------------------------------------------------------
def _sheet_rows(path: Path, rubric: Rubric) -> Iterator[tuple[str, Pending]]:
    name = str(path)
    book = open_workbook(path)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows()
        header = next(rows, ())
        table = Table(name, sheet.title, tuple(c.value for c in header))
        table.columns(rubric)  # a bad header fails the file here, once
        for number, cells in enumerate(rows, 2):
            values = tuple(c.value for c in cells)
            if not is_empty(values):
                yield f"{name}:{sheet.title}!{number}", Pending(
                    name, table, values, tuple(getattr(c, "number_format", "General") for c in cells), number)
    except (zipfile.BadZipFile, ET.ParseError, KeyError, ValueError, EOFError) as exc:
        raise DocumentError(Problem(f"the workbook is damaged ({type(exc).__name__}: {exc})", name)) from None
    finally:
        book.close()

