"""``rubric score``: score one or many submissions and show where every point went."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import FAILED, UNUSABLE, guarded, print_problems
from .options import Output, RubricRef, RubricsDir, DEFAULT_RUBRICS, load

if TYPE_CHECKING:
    from engine import Rubric

    from .rows import Scored


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


EPILOG = """\
\b
Examples:
  rubric score qingdao@2020 examples/qingdao-2020.yaml
  rubric score qingdao@2020 examples/qingdao-2020.yaml --explain
  rubric score qingdao@2020 a.yaml b.yaml c.yaml --summary
  rubric score rubrics/qingdao/2020.yaml examples/qingdao-2020.yaml --format json -o result.json
  rubric score qingdao@2020 filled-in.xlsx
  rubric score qingdao@2020 projects.xlsx --format xlsx -o scored.xlsx    (one project per row; also .csv, a directory)
  rubric score qingdao@2020 projects.csv --format csv -o scored.csv --jobs 0    (every core; same output)

Exit codes: 0 every submission scored; 1 some were scored and some failed (their problems on stderr);
2 nothing could be scored (bad rubric, bad submission, missing file); 3 internal error.
"""


@guarded
def score(
    rubric: RubricRef,
    submissions: Annotated[list[str], typer.Argument(
        metavar="SUBMISSION", show_default=False, help="Submission files (YAML, JSON or a filled-in .xlsx template), "
                                                        "or batches: a directory, a CSV or .xlsx with one project per row.")],
    explain: Annotated[bool, typer.Option(
        "--explain", help="For every indicator, the rule in words and the arithmetic behind its score.")] = False,
    format: Annotated[Format, typer.Option(
        "--format", "-f", help="table (rich breakdown), json (the result shape), csv (one row per submission: status, total, "
                               "grade, level-1 scores and points lost, a failed one with its reason), "
                               "markdown (a table to paste into a report) or xlsx (a workbook: summary with charts, "
                               "one row per project, a 自评表 sheet per project; needs -o). Batches stream to csv/xlsx, "
                               "failed rows included.")] = Format.table,
    output: Output = None,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Only the summary table (subject, total, grade) and the count per grade.")] = False,
    rubrics: RubricsDir = DEFAULT_RUBRICS,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=0, metavar="N", help="Batches (a directory, CSV or .xlsx table): check and score in N "
                                                 "worker processes; 0 = one per core. Same output, same order.")] = 1,
) -> None:
    """Score submissions against a rubric.

    A breakdown per submission (where every point went), then, for several, a summary of all.
    A submission that fails its checks is reported with every problem (file:line:col: path: message)
    and the others are still scored.
    """
    model = load(rubric, rubrics)
    if format in (Format.xlsx, Format.csv) or any(_needs_batch_reader(source) for source in submissions):
        from .batch_score import scored, stream_scores  # imports openpyxl: only when needed

        if format in (Format.xlsx, Format.csv):  # one row per submission, failed ones with their reason
            raise typer.Exit(stream_scores(model, submissions, format.value, output, jobs=jobs))
        outcomes = list(scored(model, submissions, jobs))
    else:
        outcomes = [score_one(model, path) for path in submissions]
    for outcome in outcomes:
        print_problems(outcome.problems)
    if all(outcome.result is None for outcome in outcomes):
        raise typer.Exit(UNUSABLE)
    _write(outcomes, model, format, explain, summary, output, several=len(submissions) > 1 or len(outcomes) > 1)
    if any(outcome.result is None for outcome in outcomes):
        raise typer.Exit(FAILED)


def score_one(rubric: Rubric, path: str) -> Scored:
    """One submission scored, or the problems that stopped it (never an exception for bad input)."""
    from engine import RubricError
    from engine import score as score_submission
    from engine.batch import load_one

    from .rows import Scored

    try:
        return Scored(path, score_submission(rubric, load_one(path, rubric)))
    except RubricError as exc:
        return Scored(path, None, tuple(exc.problems), exc.subject)


def _needs_batch_reader(source: str) -> bool:
    """A directory, CSV or workbook: read by engine.batch (YAML and JSON files need none of it)."""
    path = Path(source)
    return path.is_dir() or path.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".xls")


def _write(outcomes: list[Scored], rubric: Rubric, format: Format, explain: bool, summary: bool,
           output: Path | None, several: bool) -> None:
    """Render everything first, then deliver it in one go (so a file is all or nothing)."""
    from .output import deliver

    if format is Format.table:
        from .render_table import emit, print_results, render_to_text

        if output is None:
            emit(print_results, outcomes, rubric, explain, summary)
            return
        text = render_to_text(print_results, outcomes, rubric, explain, summary)
    else:
        from . import render_text

        if format is Format.json:
            text = render_text.render_json(outcomes, rubric, several, summary)
        else:
            text = render_text.render_markdown(outcomes, rubric, explain, summary)
    deliver(text, output)
    if output is not None:
        sys.stderr.write(f"wrote {output}\n")
