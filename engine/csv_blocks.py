"""A CSV table cut into blocks of whole rows, so that worker processes can parse it (``rubric score --jobs N``).

The process that reads the file does not parse it: it reads its lines one by one, exactly as
the ordinary reader (:func:`engine.batch.iter_pending`) hands them to :mod:`csv` (so a
file that is not UTF-8 stops at the same line), and cuts a :class:`Block` after a line once
it holds :data:`BLOCK` characters and an even number of quote characters. A worker parses
its block with :func:`block_rows`, which yields the same rows, locations and problems as the
ordinary reader, line numbers included.

The cut is a guess: a quoted field may hold line breaks, and the quote count tells where
one is open only while every quote opens, closes or doubles inside a quoted field; a stray
quote in an unquoted field (``5"屏``) is a plain character to :mod:`csv`. So each worker
checks that its block ends where a row ends: it reads one more line after the block, which
:mod:`csv` begins as a row of its own only when the block ended outside a quoted field. The
first block starts right after the header, and each later one where its predecessor was
checked to end, so every block starts at a row. When a block does not end at a row,
:class:`Tangled` says where the unfinished row starts, and the caller reads the file from
there with the ordinary reader. When the count stays odd (a stray quote), the block is cut
anyway at :data:`LONGEST` times its size, and the check decides.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .batch import Pending, Table, csv_encoding, csv_header, csv_problem, undecodable
from .errors import RubricError
from .model import Rubric
from .rowtable import is_empty

BLOCK = 128 * 1024  # characters per block: about 500 rows of 75 columns
LONGEST = 8  # a block whose quote count stays odd is cut anyway at this many times its size (its worker checks it)
_PROBE = "probe\n"  # the line read after a block: a row of its own only if the block ended one


@dataclass(frozen=True)
class Block:
    """Whole lines of a CSV file after its header, from line ``line`` on."""

    table: Table
    text: str
    line: int
    final: bool = False  # the file ends with the block (where a row cut off by the end is still a row, to csv)
    undecodable: tuple[str, str] | None = None  # (encoding, reason): the file could not be decoded after the block


class Tangled(Exception):
    """The block ends inside a row (a quoted field goes on): the rows from ``line`` on need the ordinary reader."""

    def __init__(self, line: int) -> None:
        super().__init__(f"a row starting on line {line} goes on after the block")
        self.line = line


def csv_blocks(path: Path, rubric: Rubric, size: int | None = None) -> Iterator[Block]:
    """The rows of a CSV file in blocks of about ``size`` characters (:data:`BLOCK`); a bad header (or file)
    raises a :class:`~engine.errors.DocumentError` before the first block, as the ordinary reader reports it."""
    name, encoding, start = str(path), csv_encoding(path), 1
    size = BLOCK if size is None else size
    try:
        with path.open(encoding=encoding, newline="") as stream:
            reader = csv.reader(stream)
            table = csv_header(reader, name, rubric)
            start = reader.line_num + 1
            yield from _cut(stream, table, start, size, encoding)
    except (FileNotFoundError, UnicodeDecodeError, csv.Error) as exc:
        raise csv_problem(exc, name, encoding, start) from None


def _cut(stream: TextIO, table: Table, line: int, size: int, encoding: str) -> Iterator[Block]:
    lines: list[str] = []
    length = quotes = 0
    try:
        for text in stream:  # line by line, as csv reads it: a decoding error comes at the same line
            lines.append(text)
            length += len(text)
            quotes += text.count('"')
            if length >= size and (quotes % 2 == 0 or length >= size * LONGEST):
                yield Block(table, "".join(lines), line)
                line, lines, length, quotes = line + len(lines), [], 0, 0
    except UnicodeDecodeError as exc:
        yield Block(table, "".join(lines), line, undecodable=(encoding, exc.reason))
        return
    yield Block(table, "".join(lines), line, final=True)


def block_rows(block: Block) -> Iterator[tuple[str, Pending | RubricError]]:
    """The block's rows as the ordinary reader gives them: ``(location, Pending)`` for each non-empty row, then
    ``(file, error)`` if the file cannot be read on (a CSV error or, after the block, a decoding error).
    Raises :class:`Tangled` after the rows if the block does not end at the end of a row."""
    name, first = block.table.file, block.line
    lines = io.StringIO(block.text, newline="").readlines()  # split as the file's lines are (at LF, CRLF or CR)
    after = first + len(lines)  # the line after the block: where the next row starts if the block ends one
    reader = csv.reader(lines if block.final else [*lines, _PROBE])
    start = first
    try:
        for cells in reader:
            if first + reader.line_num > after:  # the probe, or the unfinished row that took it in
                break
            if not is_empty(cells):
                yield f"{name}:{start}", Pending(name, block.table, tuple(cells), None, start)
            start = first + reader.line_num
    except csv.Error as exc:
        if first + reader.line_num <= after:  # within the block: the ordinary reader stops here too
            yield name, csv_problem(exc, name, "", start)
            return
    if block.undecodable is not None:  # a row left unfinished is lost, as when the ordinary reader stops
        encoding, reason = block.undecodable
        yield name, undecodable(name, encoding, start, reason)
    elif start != after and not block.final:
        raise Tangled(start)
