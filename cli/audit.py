"""``rubric audit``: check units' own filled self-evaluations (自评表) against the rubric."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import FAILED, UNUSABLE, guarded, print_problems
from .options import DEFAULT_RUBRICS, Output, RubricRef, RubricsDir, load
from .score import Format

if TYPE_CHECKING:
    from pathlib import Path

    from engine import Rubric

    from .render_audit import Audited


EPILOG = """\
\b
Examples:
  rubric audit yiyang@2022 examples/yiyang-2022-claimed.yaml
  rubric audit qingdao@2020 tables/ --format csv -o findings.csv    (a directory of filled tables)
  rubric audit qingdao@2020 unit-a.xlsx unit-b.yaml --format xlsx -o findings.xlsx

A submission's claims (claimed scores, subtotals, total, grade, 偏差原因) are compared with what the
rubric gives for its facts. Each finding has a severity: error (the figures are wrong) or warning
(needs an explanation).
Exit codes: 0 no error-severity finding; 1 some table has an error-severity finding, or some
submission could not be audited; 2 nothing could be audited (bad rubric or submission); 3 internal error.
"""


@guarded
def audit(
    rubric: RubricRef,
    submissions: Annotated[list[str], typer.Argument(
        metavar="SUBMISSION", show_default=False,
        help="Filled tables with claims: YAML, JSON or .xlsx files, or a directory of them.")],
    format: Annotated[Format, typer.Option(
        "--format", "-f", help="table (a report per submission), json, csv or markdown (one row per finding "
                               "across all submissions, with its location; a table that could not be audited is a "
                               "not_audited row), xlsx (sheets findings, counts and tables; needs -o).")] = Format.table,
    output: Output = None,
    rubrics: RubricsDir = DEFAULT_RUBRICS,
) -> None:
    """Audit units' self-scored tables: every discrepancy between their claims and the rubric."""
    if format is Format.xlsx and output is None:
        sys.stderr.write("rubric audit: --format xlsx writes a workbook: give --output FILE\n")
        raise typer.Exit(UNUSABLE)
    model = load(rubric, rubrics)
    items = _audit_all(model, submissions)
    for item in items:
        print_problems(item.problems)
    if all(item.report is None for item in items):
        raise typer.Exit(UNUSABLE)
    _write(items, format, output)
    if any(item.report is None or item.report.errors for item in items):
        raise typer.Exit(FAILED)


def _audit_all(rubric: Rubric, sources: list[str]) -> list[Audited]:
    """Every table the arguments name, audited or with the problems that stopped it, in order."""
    from engine import RubricError
    from engine.audit import audit as audit_one
    from engine.batch import iter_submissions

    from .render_audit import Audited

    items = []
    for source in sources:
        for location, item in iter_submissions(source, rubric):
            try:
                if isinstance(item, RubricError):
                    raise item
                items.append(Audited(location, audit_one(rubric, item)))
            except RubricError as exc:
                items.append(Audited(location, None, tuple(exc.problems), exc.subject))
    return items


def _write(items: list[Audited], format: Format, output: Path | None) -> None:
    from . import render_audit
    from .output import deliver
    from .render_table import emit, render_to_text

    if format is Format.table:
        if output is None:
            emit(render_audit.print_reports, items)
            return
        data: str | bytes = render_to_text(render_audit.print_reports, items)
    elif format is Format.json:
        data = render_audit.render_json(items)
    elif format is Format.csv:
        data = render_audit.render_csv(items)
    elif format is Format.markdown:
        data = render_audit.render_markdown(items)
    else:
        data = render_audit.render_xlsx(items)
    deliver(data, output)
    if output is not None:
        sys.stderr.write(f"wrote {output}\n")

