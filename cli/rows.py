"""A scored result flattened into display rows, shared by the table and Markdown renderers.

Each renderer only styles these rows; what a row says (labels, figures, deductions, the
rule in words and the arithmetic) is decided once here, from the engine's Result.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from engine.numbers import fixed as _fixed, plain as _plain

if TYPE_CHECKING:
    from engine import NodeResult, Problem, Result, Rubric

HEADERS = ("指标 Indicator", "分值 Weight", "指标值 Target", "实际完成值 Actual", "得分 Score", "扣分 Lost")
NOT_SCORED = "not scored"


@dataclass(frozen=True)
class Scored:
    """One submission file and what became of it: a result, or the problems that stopped it."""

    file: str
    result: Result | None
    problems: tuple[Problem, ...] = ()
    subject: str = ""  # of a submission that failed, when it says


@dataclass(frozen=True)
class Row:
    """One line of a breakdown. ``kind`` is indicator, deduction or total."""

    kind: str
    level: int
    label: str
    weight: str = ""
    target: str = ""
    actual: str = ""
    score: str = ""
    lost: str = ""
    lost_share: Decimal = Decimal(0)  # lost / weight, for colouring
    applicable: bool = True

    def cells(self) -> tuple[str, str, str, str, str, str]:
        return (self.label, self.weight, self.target, self.actual, self.score, self.lost)


def breakdown_rows(result: Result) -> list[Row]:
    """The indicator tree, each deduction (with its reason) under its indicator, then the total."""
    rows: list[Row] = []
    for node in result.nodes():
        rows.append(_indicator_row(node, result.precision))
        rows.extend(Row("deduction", node.level + 1, f"−{d.reason}", lost=_fixed(d.points, result.precision))
                    for d in node.deductions)
    lost = result.max - result.total
    rows.append(Row("total", 0, "总分 Total", _plain(result.max), score=_fixed(result.total, result.precision),
                    lost=_fixed(lost, result.precision) if lost else "", lost_share=_share(lost, result.max)))
    return rows


@dataclass(frozen=True)
class Explanation:
    """For ``--explain``: one leaf's rule in words and the arithmetic that produced its score."""

    id: str
    label: str
    score: str
    rule: str
    arithmetic: str


def explanations(result: Result, rubric: Rubric) -> list[Explanation]:
    items = []
    for node in result.nodes():
        if node.kind is None:
            continue
        indicator = rubric.node(node.id)
        rule = indicator.rule.describe(indicator.weight) if indicator is not None and indicator.rule is not None else ""
        score = f"{_fixed(node.score, result.precision)} / {_plain(node.weight)}"
        items.append(Explanation(node.id, node.label, score, rule, node.explanation))
    return items


def _indicator_row(node: NodeResult, precision: int) -> Row:
    if not node.applicable:
        return Row("indicator", node.level, node.label, "—", "不适用 n/a", "", "—", "", applicable=False)
    return Row("indicator", node.level, node.label, _plain(node.weight), node.target or "", node.actual or "",
               _fixed(node.score, precision), _fixed(node.lost, precision) if node.lost else "",
               _share(node.lost, node.weight))


def grade_counts(outcomes: Sequence[Scored], labels: Sequence[str]) -> dict[str, int]:
    """How many submissions fell in each grade (best first), and how many were not scored."""
    counts = {label: 0 for label in labels}
    for outcome in outcomes:
        key = outcome.result.grade if outcome.result is not None else NOT_SCORED
        counts[key] = counts.get(key, 0) + 1
    return counts


def not_scored_text(outcome: Scored) -> str:
    count = len(outcome.problems)
    return f"not scored: {count} problem{'' if count == 1 else 's'} (listed on stderr)"


def counts_text(counts: dict[str, int]) -> str:
    return " · ".join(f"{label} {count}" for label, count in counts.items())


def _share(lost: Decimal, weight: Decimal) -> Decimal:
    return lost / weight if weight else Decimal(0)

