"""``ratio``: points = weight × value, the value clamped to 0..1 (预算执行率 × 分值)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..expressions import Env
from ..numbers import ONE, ZERO, clamp, plain
from .base import BuildContext, Judgment, Operand, Outcome, PointsFunction, Rule, pct


class RatioRule(Rule):
    kind = "ratio"
    summary = "points = weight × value, with the value (a rate such as 预算执行率) clamped to 0..1"
    required = ("value",)
    schema = {"value": {"type": "string", "description": "a rate: an input, derived name or expression"}}

    def __init__(self, value: Operand) -> None:
        self.value = value

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> RatioRule:
        return cls(ctx.operand(spec["value"], ("value",)))

    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        rate = self.value.value(env)
        share = clamp(rate, ZERO, ONE)
        return Outcome(weight * share, lambda: self._explain(rate, share, weight), lambda: self._shown(rate), "100%",
                       rate >= ONE, rate)

    def points_function(self, weight: Decimal) -> PointsFunction:
        value = self.value.value
        return lambda env, judgment: weight * clamp(value(env), ZERO, ONE)

    def _shown(self, rate: Decimal) -> str:
        return self.value.show(rate) if self.value.kind == "percent" else pct(rate)

    def _explain(self, rate: Decimal, share: Decimal, weight: Decimal) -> str:
        return (f"{self.value.text} = {self._shown(rate)} → {plain(weight)} × "
                f"{share.quantize(Decimal('0.0001')).normalize():f}")

    def target_text(self) -> str:
        return "100%"

    def describe(self, weight: Decimal) -> str:
        return f"{plain(weight)} × {self.value.text} (a rate, counted within 0%..100%)"
