"""Scoring many submissions as a stream: directories, CSV files and one-project-per-row workbooks.

``rubric score RUBRIC projects.xlsx --format xlsx -o scored.xlsx`` reads, scores and writes
one project at a time (memory does not grow with the number of rows). A bad row or file is
reported on stderr with its location and every problem, written to the output as a failed
row, and the others are still scored. Exit code: 0 all scored, 1 some failed, 2 none scored.
With ``--jobs N`` the rows are checked and scored by N worker processes (:mod:`cli.batch_jobs`);
the output is the same, in the same order.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import engine
from engine import Problem, Rubric, RubricError, Submission
from engine.batch import Pending, Table, is_batch, iter_pending
from engine.rowtable import Columns

from .errors import FAILED, OK, UNUSABLE, print_problems
from .rows import Scored

if TYPE_CHECKING:
    from .batch_blocks import Rendered
    from .render_batch import CsvBatch, XlsxBatch

#: With an output file (which holds every problem), stderr shows this many failed projects in full.
SHOWN_FAILURES = 100


def pending(rubric: Rubric, sources: Sequence[str]) -> Iterator[tuple[str, Pending | RubricError]]:
    """Every submission the arguments name, in order, read but not checked: batches row by row."""
    for source in sources:
        if is_batch(source):
            yield from iter_pending(source, rubric)
        else:
            yield source, Pending(source)


def expand(rubric: Rubric, sources: Sequence[str]) -> Iterator[tuple[str, Submission | RubricError]]:
    """Every submission the arguments name, in order, checked: batch sources row by row, files as they are."""
    plans: dict[Table, Columns] = {}
    for location, item in pending(rubric, sources):
        yield location, item if isinstance(item, RubricError) else item.check(rubric, plans)


def score_item(rubric: Rubric, location: str, outcome: Submission | RubricError) -> Scored:
    """One submission scored, or the problems that stopped it; never an exception for bad input."""
    if isinstance(outcome, RubricError):
        return Scored(location, None, tuple(outcome.problems), outcome.subject)
    try:
        return Scored(location, engine.score(rubric, outcome))  # looked up per call (tests patch it)
    except RubricError as exc:
        return Scored(location, None, tuple(exc.problems), exc.subject or outcome.subject)


def scored(rubric: Rubric, sources: Sequence[str], jobs: int = 1,
           full: Callable[[], bool] = lambda: True) -> Iterator[Scored]:
    """Each submission scored, in order. With ``jobs`` ≠ 1, by worker processes, whose results carry the
    full breakdown only while ``full()`` (else the level-1 summary: see :mod:`cli.batch_jobs`)."""
    if jobs != 1:
        from .batch_jobs import scored_in_parallel, workers

        if workers(jobs) > 1:
            yield from scored_in_parallel(rubric, pending(rubric, sources), workers(jobs), full)
            return
    for location, outcome in expand(rubric, sources):
        yield score_item(rubric, location, outcome)


def stream_scores(rubric: Rubric, sources: Sequence[str], format: str, output: Path | None,
                  detail_sheets: int | None = None, jobs: int = 1) -> int:
    """Score ``sources`` into a workbook or CSV, row by row, in ``jobs`` processes (0: one per core); the exit code."""
    from .render_batch import DETAIL_SHEETS, open_batch

    if format == "xlsx" and output is None:
        raise RubricError(Problem("an .xlsx workbook cannot go to the terminal: give --output FILE.xlsx", "--format xlsx"))
    failures = 0
    with open_batch(rubric, output, format, DETAIL_SHEETS if detail_sheets is None else detail_sheets) as writer:
        for item in _items(rubric, sources, jobs, writer):
            if isinstance(item, Scored):
                failures = _add(writer, item, output, failures)
            else:
                failures = _add_rendered(writer, item, output, failures)  # type: ignore[arg-type]
    tally = writer.tally
    _report(tally.scored, tally.failed, output)
    if tally.scored == 0:
        return UNUSABLE
    return FAILED if tally.failed else OK


def _items(rubric: Rubric, sources: Sequence[str], jobs: int, writer: CsvBatch | XlsxBatch) -> Iterator[Scored | Rendered]:
    """What the writer takes, in order: into a CSV with several workers, their blocks of rendered rows."""
    from .render_batch import XlsxBatch

    if not isinstance(writer, XlsxBatch) and jobs != 1:
        from .batch_blocks import rendered_in_parallel
        from .batch_jobs import workers

        if workers(jobs) > 1:
            return rendered_in_parallel(rubric, sources, workers(jobs), writer.terminator)
    details = lambda: isinstance(writer, XlsxBatch) and writer.details < writer.detail_sheets  # noqa: E731
    return scored(rubric, sources, jobs, details)


def _add(writer: CsvBatch | XlsxBatch, item: Scored, output: Path | None, failures: int) -> int:
    """Write one project's row; show a failed one's problems. The number of failures so far."""
    writer.add(item.file, item.result if item.result is not None else item.problems, item.subject)
    if item.result is None:
        failures += 1
        if _shown(failures, output):
            _show(item.problems, output)
    return failures


def _add_rendered(writer: CsvBatch, block: Rendered, output: Path | None, failures: int) -> int:
    """Write a worker's block of rows as :func:`_add` would write them one by one."""
    written = 0
    for index, problems in block.failures:
        failures += 1
        if _shown(failures, output):
            writer.add_rendered(block.rows[written:index + 1])
            written = index + 1
            _show(problems, output)
    writer.add_rendered(block.rows[written:])
    writer.tally.merge(block.tally)
    return failures


def _shown(failures: int, output: Path | None) -> bool:
    """Whether the latest failure's problems go to stderr: all on a terminal, the first ones with an output file."""
    return output is None or failures <= SHOWN_FAILURES


def _show(problems: Sequence[Problem], output: Path | None) -> None:
    if output is None:
        sys.stdout.flush()  # the failed row, then its problems: in that order on a terminal
    print_problems(problems)


def _report(scored_count: int, failed: int, output: Path | None) -> None:
    total = scored_count + failed
    line = f"scored {scored_count:,} of {total:,}"
    if failed:
        line += f"; {failed:,} failed (status 'failed' in the output, with the reason)"
        if output is not None and failed > SHOWN_FAILURES:
            line += f"; the first {SHOWN_FAILURES} are shown above, all are in {output}"
    if output is not None:
        line += f"; wrote {output}"
    sys.stderr.write(line + "\n")
