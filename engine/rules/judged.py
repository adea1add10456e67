"""``judged``: 专家打分. The evaluator gives the points, or deductions with reasons, in the
submission's ``judgments``; the result is bounded by the weight."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..expressions import Env
from ..numbers import plain
from .base import BuildContext, Judgment, JudgmentNeeded, Inline, Outcome, PointsFunction, Rule


class JudgedRule(Rule):
    kind = "judged"
    summary = "the evaluator gives the points, or deductions with reasons, within 0..weight (专家打分)"
    judgment = "required"
    schema = {"guide": {"type": "string", "description": "the 评分标准 in words, shown to the evaluator"}}

    def __init__(self, guide: str) -> None:
        self.guide = guide

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> JudgedRule:
        return cls(str(spec.get("guide", "")))

    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        if judgment is None:
            raise JudgmentNeeded("judged indicator: give 'points' or 'deductions' (an empty list for full points)")
        if judgment.points is None:
            return Outcome(weight, lambda: f"judged: full {plain(weight)} before deductions", met=not judgment.deductions)
        if judgment.points > weight:
            raise JudgmentNeeded(f"judged points {plain(judgment.points)} exceed the weight {plain(weight)}")
        points = judgment.points
        return Outcome(points, lambda: f"judged {plain(points)} / {plain(weight)}", met=points >= weight)

    def points_function(self, weight: Decimal) -> PointsFunction:
        score = self.score

        def points(env: Env, judgment: Judgment | None) -> Decimal:
            if judgment is None or judgment.points is not None and judgment.points > weight:
                return score(env, weight, judgment).points  # raises JudgmentNeeded, in words
            return weight if judgment.points is None else judgment.points

        return points

    def points_inline(self, weight: Decimal) -> Inline:
        return Inline("j.points if j is not None and j.points <= {weight} else {points}(env, j)", {"weight": weight},
                      full=("j is not None and j.points is None", weight))

    def target_text(self) -> str:
        return self.guide

    def describe(self, weight: Decimal) -> str:
        return f"judged by the evaluator, 0..{plain(weight)}" + (f": {self.guide}" if self.guide else "")
