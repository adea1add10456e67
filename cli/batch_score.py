"""Scoring many submissions as a stream: directories, CSV files and one-project-per-row workbooks.

``rubric score RUBRIC projects.xlsx --format xlsx -o scored.xlsx`` reads, scores and writes
one project at a time (memory does not grow with the number of rows). A bad row or file is
reported on stderr with its location and every problem, written to the output as a failed
row, and the others are still scored. Exit code: 0 all scored, 1 some failed, 2 none scored.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import engine
from engine import Problem, Rubric, RubricError, Submission
from engine.batch import is_batch, iter_submissions, load_one

from .errors import FAILED, OK, UNUSABLE, print_problems
from .rows import Scored

#: With an output file (which holds every problem), stderr shows this many failed projects in full.
SHOWN_FAILURES = 100


def any_batch(sources: Sequence[str]) -> bool:
    return any(is_batch(source) for source in sources)


def expand(rubric: Rubric, sources: Sequence[str]) -> Iterator[tuple[str, Submission | RubricError]]:
    """Every submission the arguments name, in order: batch sources row by row, files as they are."""
    for source in sources:
        if is_batch(source):
            yield from iter_submissions(source, rubric)
            continue
        try:
            yield source, load_one(source, rubric)
        except RubricError as exc:
            yield source, exc


def scored(rubric: Rubric, sources: Sequence[str]) -> Iterator[Scored]:
    """Each submission scored, or the problems that stopped it; never an exception for bad input."""
    for location, outcome in expand(rubric, sources):
        if isinstance(outcome, RubricError):
            yield Scored(location, None, tuple(outcome.problems))
            continue
        try:
            yield Scored(location, engine.score(rubric, outcome))  # looked up per call (tests patch it)
        except RubricError as exc:
            yield Scored(location, None, tuple(exc.problems))


def stream_scores(rubric: Rubric, sources: Sequence[str], format: str, output: Path | None,
                  detail_sheets: int | None = None) -> int:
    """Score ``sources`` into a workbook or CSV, row by row; the exit code."""
    from .render_batch import DETAIL_SHEETS, open_batch

    if format == "xlsx" and output is None:
        raise RubricError(Problem("an .xlsx workbook cannot go to the terminal: give --output FILE.xlsx", "--format xlsx"))
    failures = 0
    with open_batch(rubric, output, format, DETAIL_SHEETS if detail_sheets is None else detail_sheets) as writer:
        for item in scored(rubric, sources):
            writer.add(item.file, item.result if item.result is not None else item.problems)
            if item.result is None:
                failures += 1
                if output is None or failures <= SHOWN_FAILURES:
                    print_problems(item.problems)
    tally = writer.tally
    _report(tally.scored, tally.failed, output)
    if tally.scored == 0:
        return UNUSABLE
    return FAILED if tally.failed else OK


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
