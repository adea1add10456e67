"""``yes_no``: 直接赋分. Full points when the condition holds, else ``otherwise`` points (0)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..expressions import Env
from ..numbers import ZERO, clamp, plain
from .base import NUMBER_OR_TEXT, BuildContext, Judgment, Operand, Outcome, Rule


class YesNoRule(Rule):
    kind = "yes_no"
    summary = "直接赋分: full points when the condition holds, otherwise a stated number of points (default 0)"
    required = ("when",)
    schema = {"when": NUMBER_OR_TEXT, "otherwise": {"type": "number"}}

    def __init__(self, when: Operand, otherwise: Decimal) -> None:
        self.when, self.otherwise = when, otherwise

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> YesNoRule:
        return cls(ctx.operand(spec["when"], ("when",)), spec.get("otherwise", ZERO))

    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        yes = self.when.value(env) != 0
        points = weight if yes else clamp(self.otherwise, ZERO, weight)
        return Outcome(points, lambda: f"{self.when.text}: {'yes' if yes else 'no'} → {plain(points)}",
                       actual="是" if yes else "否", target="是", met=yes)

    def target_text(self) -> str:
        return "是"

    def describe(self, weight: Decimal) -> str:
        return f"{self.when.text}: yes → {plain(weight)}, no → {plain(self.otherwise)}"
