"""``rubric audit``: check units' own filled self-evaluations (自评表) against the rubric."""
from __future__ import annotations

import sys
from collections import Counter
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import FAILED, UNUSABLE, guarded, print_problems
from .options import DEFAULT_RUBRICS, Output, RubricRef, RubricsDir, load
from .score import Format

if TYPE_CHECKING:
    from engine import Rubric
    from engine.audit import AuditReport


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
                               "across all submissions), xlsx (findings and counts per kind; needs -o).")] = Format.table,
    output: Output = None,
    rubrics: RubricsDir = DEFAULT_RUBRICS,
) -> None:
    """Audit units' self-scored tables: every discrepancy between their claims and the rubric."""
    if format is Format.xlsx and output is None:
        sys.stderr.write("rubric audit: --format xlsx writes a workbook: give --output FILE\n")
        raise typer.Exit(UNUSABLE)
    model = load(rubric, rubrics)
    reports, failures = _audit_all(model, submissions)
    for problems in failures:
        print_problems(problems)
    if not reports:
        raise typer.Exit(UNUSABLE)
    _write(reports, format, output)
    if failures or any(report.errors for report in reports):
        raise typer.Exit(FAILED)


def _audit_all(rubric: Rubric, sources: list[str]) -> tuple[list[AuditReport], list[list]]:
    from engine import RubricError
    from engine.audit import audit as audit_one
    from engine.batch import iter_submissions

    reports, failures = [], []
    for source in sources:
        for _, item in iter_submissions(source, rubric):
            if isinstance(item, RubricError):
                failures.append(item.problems)
                continue
            try:
                reports.append(audit_one(rubric, item))
            except RubricError as exc:
                failures.append(exc.problems)
    return reports, failures


def _write(reports: list[AuditReport], format: Format, output) -> None:
    from . import render_audit
    from .output import deliver

    if format is Format.table:
        if output is None:
            render_audit.print_reports(reports)
            return
        data: str | bytes = render_audit.reports_to_text(reports)
    elif format is Format.json:
        data = render_audit.render_json(reports)
    elif format is Format.csv:
        data = render_audit.render_csv(reports)
    elif format is Format.markdown:
        data = render_audit.render_markdown(reports)
    else:
        data = render_audit.render_xlsx(reports)
    deliver(data, output)
    if output is not None:
        sys.stderr.write(f"wrote {output}\n")


def count_by_kind(reports: list[AuditReport]) -> Counter[str]:
    return Counter(f.kind for report in reports for f in report.findings)
