"""``rubric score BATCH --format csv --jobs N``: the workers read, score and render; the parent only writes.

For a CSV source the parent does not parse rows: it cuts the file into blocks of whole lines
(:mod:`engine.csv_blocks`), and a worker parses its block, checks and scores each row and
renders it as the CSV text the output would hold, but for the row's number, which only the
parent knows; and it gives each failed row's problems (for stderr) and a tally of its rows.
The parent numbers the rows, writes them and merges the tallies: about a microsecond per row.

Everything else in the batch (YAML and JSON files, workbook tables, a file that fails as a
whole) goes to the workers as items, as in :func:`cli.batch_jobs.scored_in_parallel`, and
is rendered by the parent. Answers come back in the order sent, so the output is the same,
byte for byte, as with one process.

A block that does not end at the end of a row (a stray quote misled the cut: see
:mod:`engine.csv_blocks`) keeps its rows up to the unfinished one; the parent reads the rest
of that file with the ordinary reader and scores it itself, and drops the file's later blocks.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from engine import Problem, Rubric, RubricError
from engine.batch import Pending, Table, batch_files, is_batch, iter_pending
from engine.csv_blocks import Block, Tangled, block_rows, csv_blocks
from engine.rowtable import Columns

from . import batch_jobs
from .render_batch import csv_cells
from .rows import Scored
from .tally import Tally

Piece = tuple[str, Pending | RubricError] | tuple[int, Block]  # an item at its location, or a numbered file's block


@dataclass(frozen=True)
class Rendered:
    """A block's rows as a worker rendered them (see the module docstring)."""

    rows: tuple[str, ...]  # each row's CSV line after its number and comma
    failures: tuple[tuple[int, tuple[Problem, ...]], ...]  # (index in rows, the problems that failed the row)
    tally: Tally
    resume: int = 0  # the line of a row left unfinished at the end of the block, to be read the ordinary way
    stop: bool = False  # the file could not be read on after these rows (its error is the last row)


def rendered_in_parallel(rubric: Rubric, sources: Sequence[str], jobs: int,
                         terminator: str) -> Iterator[Scored | Rendered]:
    """Every submission ``sources`` name, in order, by ``jobs`` workers: CSV rows rendered in blocks, others scored."""
    stopped: set[int] = set()  # files whose later blocks are not wanted
    with batch_jobs.pool(rubric, jobs) as processes:
        for note, answer in batch_jobs.in_order(processes, _tasks(rubric, sources, terminator, stopped), jobs):
            if isinstance(note, list):
                yield from batch_jobs.unwired(note, answer)
            elif note[0] not in stopped:
                yield answer
                if answer.stop or answer.resume:
                    stopped.add(note[0])
                if answer.resume:
                    yield from _read_on(rubric, note[1].table.file, answer.resume)


def _tasks(rubric: Rubric, sources: Sequence[str], terminator: str,
           stopped: set[int]) -> Iterator[tuple[Any, tuple[Any, ...], Any]]:
    """``(function, arguments, note)``: a block noted with its file's number and itself; items in chunks,
    noted with their locations."""
    items: list[tuple[str, Pending | RubricError]] = []
    for piece in _pieces(rubric, sources, stopped):
        if isinstance(piece[1], Block):
            if items:
                yield batch_jobs.chunk_task(items, False)
                items = []
            yield _render_block, (piece[1], terminator), piece
        else:
            items.append(piece)  # type: ignore[arg-type]
            if len(items) == batch_jobs.CHUNK:
                yield batch_jobs.chunk_task(items, False)
                items = []
    if items:
        yield batch_jobs.chunk_task(items, False)


def _pieces(rubric: Rubric, sources: Sequence[str], stopped: set[int]) -> Iterator[Piece]:
    """What :func:`cli.batch_score.pending` reads, in the same order, but a CSV file in blocks."""
    numbers = count()
    for source in sources:
        if not is_batch(source):
            yield source, Pending(source)
            continue
        for path in batch_files(source):
            if path.suffix.lower() != ".csv":
                yield from iter_pending(path, rubric)
                continue
            number = next(numbers)
            try:
                for block in csv_blocks(path, rubric):
                    if number in stopped:
                        break
                    yield number, block
            except RubricError as exc:  # the file as a whole, before its first block
                yield str(path), exc


def _read_on(rubric: Rubric, file: str, line: int) -> Iterator[Scored]:
    """The rows of ``file`` from ``line`` on, read the ordinary way and scored here."""
    from .batch_score import score_item

    plans: dict[Table, Columns] = {}
    for where, item in iter_pending(Path(file), rubric):
        if isinstance(item, RubricError):
            yield score_item(rubric, where, item)
        elif item.row >= line:
            yield score_item(rubric, where, item.check(rubric, plans))


# -- in the worker ----------------------------------------------------------------------------
class _Lines(list[str]):
    """Where a :func:`csv.writer` puts each row it writes."""

    def write(self, text: str) -> None:
        self.append(text)


def _render_block(block: Block, terminator: str) -> Rendered | object:
    from .batch_score import score_item

    rubric = batch_jobs.worker_rubric()
    if not isinstance(rubric, Rubric):
        return rubric
    rows, failures, tally, plans = _Lines(), [], Tally.for_rubric(rubric), batch_jobs.worker_plans()
    writer, resume, stop = csv.writer(rows, lineterminator=terminator), 0, False
    try:
        for where, item in block_rows(block):
            stop = isinstance(item, RubricError)
            answer = score_item(rubric, where, item if isinstance(item, RubricError) else item.check(rubric, plans))
            if answer.result is None:
                tally.fail()
                failures.append((len(rows), answer.problems))
            else:
                tally.add(answer.result)
            outcome = answer.problems if answer.result is None else answer.result
            writer.writerow(csv_cells(rubric, 0, where, outcome, answer.subject)[1:])  # the parent numbers it
    except Tangled as exc:
        resume = exc.line
    return Rendered(tuple(rows), tuple(failures), tally, resume, stop)
