"""Rendering audit reports: rich per-table reports, and one row per finding for files."""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.audit import AuditReport, Finding

COLUMNS = ("subject", "severity", "kind", "indicator", "label", "claimed", "computed", "difference", "message")
_STYLE = {"error": "bold red", "warning": "yellow"}


def _rows(reports: list[AuditReport]) -> list[dict[str, Any]]:
    return [{"subject": report.subject, **finding.to_dict()} for report in reports for finding in report.findings]


def _counts(reports: list[AuditReport]) -> Counter[tuple[str, str]]:
    return Counter((f.severity, f.kind) for report in reports for f in report.findings)


def render_json(reports: list[AuditReport]) -> str:
    data = {"reports": [report.to_dict() for report in reports],
            "counts": {kind: n for (_, kind), n in sorted(_counts(reports).items())}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_csv(reports: list[AuditReport]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(_rows(reports))
    return buffer.getvalue()


def render_markdown(reports: list[AuditReport]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in _rows(reports):
        lines.append("| " + " | ".join(_cell(row[c]) for c in COLUMNS) + " |")
    lines += ["", "| kind | severity | count |", "|---|---|---|"]
    lines += [f"| {kind} | {severity} | {n} |" for (severity, kind), n in sorted(_counts(reports).items())]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    return "" if value is None else str(value).replace("|", "\\|")


def render_xlsx(reports: list[AuditReport]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "findings"
    sheet.append(list(COLUMNS))
    for row in _rows(reports):
        sheet.append([row[c] for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.auto_filter.ref = sheet.dimensions
    counts = book.create_sheet("counts")
    counts.append(["kind", "severity", "count"])
    for (severity, kind), n in sorted(_counts(reports).items()):
        counts.append([kind, severity, n])
    tables = book.create_sheet("tables")
    tables.append(["subject", "claimed total", "computed total", "computed grade", "errors", "warnings"])
    for report in sorted(reports, key=lambda r: (-r.errors, -len(r.findings))):
        data = report.to_dict()
        tables.append([report.subject, data["claimed_total"], data["computed_total"], data["computed_grade"],
                       data["errors"], data["warnings"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(report: AuditReport) -> Any:
    from rich.table import Table

    table = Table(title=f"{report.subject} — audit ({report.result.rubric_id}@{report.result.version})",
                  title_justify="left", show_lines=False)
    for header in ("严重程度 Severity", "指标 Indicator", "申报 Claimed", "计算 Computed", "差额 Diff", "说明 Finding"):
        table.add_column(header, overflow="fold")
    for finding in report.findings:
        table.add_row(*_cells(finding), style=_STYLE[finding.severity])
    return table


def _cells(finding: Finding) -> list[str]:
    from rich.markup import escape

    data = finding.to_dict()
    label = f"{finding.label} ({finding.indicator})" if finding.indicator else finding.label
    return [finding.severity, label, _cell(data["claimed"]), _cell(data["computed"]), _cell(data["difference"]),
            escape(f"[{finding.kind}] {finding.message}")]


def _summary(report: AuditReport) -> str:
    claimed = report.claims.total
    head = f"computed {report.result.total} / {report.result.max} {report.result.grade}"
    if claimed is not None:
        head = f"claimed {claimed} {report.claims.grade or ''}; " + head
    elif not report.claims.given:
        head += "; no claimed figures given: only the facts were checked (over_target, ahead_of_budget, unspent)"
    if not report.findings:
        return f"{report.subject}: {head} — no findings (clean)"
    return f"{head}; {report.errors} error(s), {len(report.findings) - report.errors} warning(s)"


def print_reports(reports: list[AuditReport], console: Any = None) -> None:
    from rich.console import Console

    console = console or Console()
    for report in reports:
        if report.findings:
            console.print(_table(report))
        console.print(_summary(report), soft_wrap=True, markup=False)
        console.print()
    if len(reports) > 1:
        counts = _counts(reports)
        console.print("Findings by kind: " + (", ".join(f"{kind} {n}" for (_, kind), n in sorted(counts.items())) or "none"),
                      soft_wrap=True)


def reports_to_text(reports: list[AuditReport]) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    print_reports(reports, Console(file=buffer, width=120, no_color=True, force_terminal=False))
    return buffer.getvalue()
