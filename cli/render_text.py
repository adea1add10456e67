"""Plain-text formats of scored results: JSON and Markdown (no rich needed; CSV is written row by row
by :class:`cli.render_batch.CsvBatch`, the same for one file or a batch).

- JSON: ``Result.to_dict()``, one object for one submission, a list for several.
- Markdown: the breakdown as a table an evaluator can paste into a report.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from engine.numbers import fixed, json_number, plain

from .rows import (HEADERS, NOT_SCORED, Row, Scored, breakdown_rows, counts_text, explanations, grade_counts,
                   not_scored_text)

if TYPE_CHECKING:
    from engine import Rubric

_INDENT = "\u3000"  # a full-width space: Markdown keeps it, so levels stay visible in a table cell


def render_json(outcomes: Sequence[Scored], rubric: Rubric, several: bool, summary: bool = False) -> str:
    """The contract shape; with ``summary``, only subject/total/grade per file and the grade counts."""
    if summary:
        data: Any = summary_data(outcomes, rubric)
    else:
        results = [o.result.to_dict() for o in outcomes if o.result is not None]
        data = results if several else results[0]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def summary_data(outcomes: Sequence[Scored], rubric: Rubric) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for outcome in outcomes:
        if outcome.result is None:
            rows.append({"file": outcome.file, **({"subject": outcome.subject} if outcome.subject else {}),
                         "errors": [str(p) for p in outcome.problems]})
        else:
            rows.append({"file": outcome.file, "subject": outcome.result.subject,
                         "total": json_number(outcome.result.total), "grade": outcome.result.grade})
    return {"rubric": {"id": rubric.id, "version": rubric.version}, "submissions": rows,
            "grades": grade_counts(outcomes, rubric.grades.labels())}


def render_markdown(outcomes: Sequence[Scored], rubric: Rubric, explain: bool, summary_only: bool) -> str:
    parts: list[str] = []
    if not summary_only:
        parts += [markdown_breakdown(o, rubric, explain) for o in outcomes]
    if summary_only or len(outcomes) > 1:
        parts.append(markdown_summary(outcomes, rubric))
    return "\n".join(parts)


def markdown_breakdown(outcome: Scored, rubric: Rubric, explain: bool) -> str:
    result = outcome.result
    if result is None:
        return f"### {_cell(outcome.file)}\n\n{not_scored_text(outcome)}\n"
    lines = [f"### {_cell(result.subject)}", "", f"{_cell(rubric.title)} ({result.rubric_id}@{result.version})", "",
             _line(HEADERS), "|---|--:|---|---|--:|--:|"]
    lines += [_line(_cells(row)) for row in breakdown_rows(result)]
    lines += ["", f"**总分 Total: {fixed(result.total, result.precision)} / {plain(result.max)}　等级 Grade: {result.grade}**"]
    if result.veto:
        lines += ["", f"一票否决 Veto: {_cell(result.veto)} → {result.grade}"]
    if explain:
        lines += ["", "How each indicator scored:", ""]
        lines += [f"- {item.label} (`{item.id}`) {item.score} — rule: {item.rule}; = {item.arithmetic}"
                  for item in explanations(result, rubric)]
    return "\n".join(lines) + "\n"


def markdown_summary(outcomes: Sequence[Scored], rubric: Rubric) -> str:
    lines = ["### 汇总 Summary", "", "| # | 评价对象 Subject | 文件 File | 总分 Total | 等级 Grade |", "|--:|---|---|--:|---|"]
    for number, outcome in enumerate(outcomes, 1):
        result = outcome.result
        if result is None:
            lines.append(_line((str(number), outcome.subject or "—", outcome.file, "—", NOT_SCORED)))
        else:
            lines.append(_line((str(number), result.subject, outcome.file, fixed(result.total, result.precision), result.grade)))
    lines += ["", counts_text(grade_counts(outcomes, rubric.grades.labels()))]
    return "\n".join(lines) + "\n"


def _cells(row: Row) -> tuple[str, ...]:
    label = _INDENT * max(row.level - 1, 0) + row.label
    if row.kind == "total" or row.kind == "indicator" and row.level == 1:
        return (f"**{label}**", row.weight, row.target, row.actual, f"**{row.score}**", row.lost)
    return (label, *row.cells()[1:])


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipes, no line breaks."""
    return str(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")
