"""Rendering audit reports: rich per-table reports, and one row per finding for files.

Every row names where its table came from (``location``: the file, or ``file:row`` in a batch), so
that variants of the same subject stay apart, and a table that could not be audited is a row of
its own (kind ``not_audited``, with every problem), never only a message on stderr.

The two figures of a finding are ``figure`` and ``compared_with``; ``figures`` says what they are
(a claimed score against the rubric's, a budget execution rate against the lowest rate without a
warning …). Rates are shown as percents to two places; in a workbook they are numbers.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine import Problem
    from engine.audit import AuditReport, Finding

COLUMNS = ("location", "subject", "severity", "kind", "indicator", "label", "figure", "compared_with", "difference",
           "figures", "message")
NOT_AUDITED = "not_audited"
_STYLE = {"error": "bold red", "warning": "yellow", "failed": "bold red"}


@dataclass(frozen=True)
class Audited:
    """One table and what became of it: a report, or the problems that stopped it."""

    location: str
    report: AuditReport | None
    problems: tuple[Problem, ...] = ()
    subject: str = ""  # of a table that failed, when it says

    @property
    def name(self) -> str:
        return self.report.subject if self.report is not None else self.subject


# -- rows, for files ------------------------------------------------------------------------
def _rows(items: Sequence[Audited], joiner: str = "\n") -> Iterator[dict[str, Any]]:
    """One row per finding (figures as Decimal or text), and one per table that was not audited."""
    for item in items:
        if item.report is None:
            yield {"location": item.location, "subject": item.name, "severity": "failed", "kind": NOT_AUDITED,
                   "message": joiner.join(str(problem) for problem in item.problems)}
            continue
        for finding in item.report.findings:
            yield {"location": item.location, "subject": item.name, "severity": finding.severity,
                   "kind": finding.kind, "indicator": finding.indicator, "label": finding.label,
                   "figure": finding.claimed, "compared_with": finding.computed, "difference": finding.difference,
                   "figures": " vs ".join(finding.figures), "message": finding.message, "_finding": finding}


def _text(row: dict[str, Any], column: str) -> str:
    value, finding = row.get(column), row.get("_finding")
    if finding is not None and column in ("figure", "compared_with", "difference"):
        return finding.shown(value)
    return "" if value is None else str(value)


def _counts(items: Sequence[Audited]) -> Counter[tuple[str, str]]:
    counts = Counter((f.severity, f.kind) for item in items if item.report for f in item.report.findings)
    failed = sum(1 for item in items if item.report is None)
    if failed:
        counts["failed", NOT_AUDITED] = failed
    return counts


def render_json(items: Sequence[Audited]) -> str:
    data = {"reports": [{"location": item.location, **item.report.to_dict()} for item in items if item.report],
            "not_audited": [{"location": item.location, "subject": item.name, "problems": [str(p) for p in item.problems]}
                            for item in items if item.report is None],
            "counts": {kind: n for (_, kind), n in sorted(_counts(items).items())}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_csv(items: Sequence[Audited]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([_text(row, column) for column in COLUMNS] for row in _rows(items))
    return buffer.getvalue()


def render_markdown(items: Sequence[Audited]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in _rows(items, "<br>"):
        lines.append("| " + " | ".join(_cell(_text(row, column)) for column in COLUMNS) + " |")
    lines += ["", "| kind | severity | count |", "|---|---|---|"]
    lines += [f"| {kind} | {severity} | {n} |" for (severity, kind), n in sorted(_counts(items).items())]
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


# -- the workbook ---------------------------------------------------------------------------
def render_xlsx(items: Sequence[Audited]) -> bytes:
    """Sheets findings, counts and tables; figures as numbers (rates formatted as percents)."""
    from openpyxl import Workbook

    book = Workbook()
    findings = book.active
    findings.title = "findings"
    _header(findings, COLUMNS, [30, 30, 9, 20, 14, 20, 10, 14, 10, 40, 60])
    for row in _rows(items):
        findings.append([_number(row, column) for column in COLUMNS])
        _percent_format(findings, row)
    counts = book.create_sheet("counts")
    _header(counts, ("kind", "severity", "count"), [22, 10, 8])
    for (severity, kind), n in sorted(_counts(items).items()):
        counts.append([kind, severity, n])
    tables = book.create_sheet("tables")
    _header(tables, ("location", "subject", "status", "claimed total", "computed total", "computed grade", "errors",
                     "warnings", "reason"), [30, 30, 10, 13, 14, 14, 8, 9, 60])
    for item in sorted(items, key=_worst_first):
        tables.append(_table_row(item))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header(sheet: Any, headers: Sequence[str], widths: Sequence[float]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append(list(headers))
    for column, (cell, width) in enumerate(zip(sheet[1], widths), 1):
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"


def _number(row: dict[str, Any], column: str) -> Any:
    """A cell value: figures as numbers (a rate as its fraction, rounded to 4 places), text as text."""
    from .xlsx_style import excel_value

    value, finding = row.get(column), row.get("_finding")
    if finding is not None and isinstance(value, Decimal):
        return excel_value(finding.rounded(value))
    text = "" if value is None else str(value)
    return "'" + text if text[:1] == "=" else text


def _percent_format(sheet: Any, row: dict[str, Any]) -> None:
    finding = row.get("_finding")
    if finding is not None and finding.unit == "percent":
        for column in ("figure", "compared_with", "difference"):
            sheet.cell(sheet.max_row, COLUMNS.index(column) + 1).number_format = "0.00%"


def _worst_first(item: Audited) -> tuple[int, int, int]:
    if item.report is None:
        return (0, 0, 0)
    return (1, -item.report.errors, -len(item.report.findings))


def _table_row(item: Audited) -> list[Any]:
    from .xlsx_style import excel_value

    report = item.report
    if report is None:
        return [item.location, item.name, "failed", None, None, None, None, None,
                "\n".join(str(problem) for problem in item.problems)]
    total = excel_value(report.claims.total) if report.claims.total is not None else None
    return [item.location, item.name, "audited" if report.claims.given else "no claims", total,
            excel_value(report.result.total), report.result.grade, report.errors, len(report.findings) - report.errors,
            ""]


# -- the terminal ---------------------------------------------------------------------------
HEADERS = ("严重程度 Severity", "指标 Indicator", "数值 Figure", "对照 Against", "差额 Diff")
_FIGURES = frozenset((2, 3, 4))


class FindingsTable:
    """A report's findings, laid out at the width drawn: a row of figures per finding, its message on
    the lines under it from the indicator column to the edge. Headers fold onto two lines and the
    indicator wraps when the terminal is narrow; figures never wrap."""

    def __init__(self, title: str, findings: Sequence[Finding]) -> None:
        self.title, self.findings = title, findings

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        from rich.cells import cell_len
        from rich.text import Text

        from .breakdown import GAP, draw, table_width
        from .cjk import wrap

        rows = [_cells(finding) for finding in self.findings]
        for folded in (False, True):
            headers = [header.split(" ", 1) if folded else [header] for header in HEADERS]
            widths = [max([cell_len(part) for part in parts] + [cell_len(row[n]) for row in rows])
                      for n, parts in enumerate(headers)]
            if table_width(widths) <= options.max_width:
                break
        widths[1] = max(12, widths[1] - max(table_width(widths) - options.max_width, 0))
        yield Text(self.title, style="bold")
        for line in range(2 if folded else 1):
            yield draw([parts[line] if line < len(parts) else "" for parts in headers], widths, "bold", _FIGURES)
        yield Text("─" * min(table_width(widths), options.max_width))
        indent = " " * (1 + widths[0] + GAP)
        for finding, row in zip(self.findings, rows):
            style = _STYLE[finding.severity]
            labels = wrap(row[1], widths[1])
            for n, label in enumerate(labels):
                yield draw([row[0], label, *row[2:5]] if n == 0 else ["", label], widths, style, _FIGURES)
            for part in wrap(row[5], max(options.max_width - len(indent), 20)):
                yield Text(indent + part, style=style, no_wrap=True, overflow="crop")


def _table(item: Audited) -> FindingsTable:
    report = item.report
    assert report is not None
    title = f"{report.subject} — audit ({report.result.rubric_id}@{report.result.version})\n{item.location}"
    return FindingsTable(title, report.findings)


def _cells(finding: Finding) -> list[str]:
    label = f"{finding.label} ({finding.indicator})" if finding.indicator else finding.label
    first, second = finding.figures
    said = "" if first.startswith("claimed") else f" — {first} against {second}"  # the figures, if not a claim
    return [finding.severity, label, finding.shown(finding.claimed), finding.shown(finding.computed),
            finding.shown(finding.difference), f"[{finding.kind}] {finding.message}{said}"]


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


def print_reports(console: Any, items: Sequence[Audited]) -> None:
    """A report per table (a failed table in one red line), then the count per kind for several."""
    from rich.text import Text

    for item in items:
        if item.report is None:
            count = len(item.problems)
            console.print(Text(f"{item.location}: not audited: {count} problem{'' if count == 1 else 's'} "
                               "(listed on stderr)", style="bold red"), soft_wrap=True)
            console.print()
            continue
        if item.report.findings:
            console.print(_table(item))
        console.print(Text(_summary(item.report)), soft_wrap=True)  # one line, as a log would have it
        console.print()
    if len(items) > 1:
        counts = _counts(items)
        console.print(Text("Findings by kind: " + (", ".join(f"{kind} {n}" for (_, kind), n in sorted(counts.items()))
                                                   or "none")), soft_wrap=True)
