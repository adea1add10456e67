"""``full``: 扣分制. Full points, less the indicator's deductions (the rubric's ``deductions``
and, with ``evaluator_deductions``, the evaluator's), never below 0."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..expressions import Env
from ..numbers import plain
from .base import BuildContext, Judgment, Outcome, Rule


class FullRule(Rule):
    kind = "full"
    summary = "扣分制: full points, less the indicator's deductions, never below 0"
    schema = {"guide": {"type": "string", "description": "the 评分标准 in words"}}

    def __init__(self, guide: str) -> None:
        self.guide = guide

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> FullRule:
        return cls(str(spec.get("guide", "")))

    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        return Outcome(weight, lambda: f"full {plain(weight)} before deductions")

    def target_text(self) -> str:
        return self.guide

    def describe(self, weight: Decimal) -> str:
        return f"{plain(weight)} points less the deductions (扣分制, 扣完为止)" + (f": {self.guide}" if self.guide else "")
