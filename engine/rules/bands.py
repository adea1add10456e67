"""``bands``: a step table. The first band whose condition holds gives its points or share.

Each band has one or more conditions on the value (``min`` ≥, ``above`` >, ``max`` ≤,
``below`` <, ``equals`` =) and ``points`` or ``share``. No band matching gives
``otherwise`` (points, default 0). E.g. 预算执行率 ≥95% → 10, ≥90% → 8, below → 0.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..expressions import Env
from ..numbers import ZERO, clamp, plain
from .base import NUMBER_OR_TEXT, BuildContext, Judgment, Operand, Outcome, Rule

_CONDITIONS = {"min": (operator.ge, "≥"), "above": (operator.gt, ">"), "max": (operator.le, "≤"),
               "below": (operator.lt, "<"), "equals": (operator.eq, "=")}


@dataclass(frozen=True)
class Step:
    conditions: tuple[tuple[str, Operand], ...]
    points: Decimal | None
    share: Decimal | None

    def matches(self, value: Decimal, env: Env) -> bool:
        return all(_CONDITIONS[key][0](value, bound.value(env)) for key, bound in self.conditions)

    def points_of(self, weight: Decimal) -> Decimal:
        return self.points if self.points is not None else weight * (self.share or ZERO)

    def words(self) -> str:
        return " and ".join(f"{_CONDITIONS[key][1]} {bound.text}" for key, bound in self.conditions)


class BandsRule(Rule):
    kind = "bands"
    summary = "step table: the first band whose condition holds (min/above/max/below/equals) gives its points or share"
    required = ("value", "bands")
    schema = {
        "value": {"type": "string"},
        "bands": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "minProperties": 2,
            "properties": {**{key: NUMBER_OR_TEXT for key in _CONDITIONS}, "points": {"type": "number"}, "share": NUMBER_OR_TEXT,
                           "label": {"type": "string"}}}},
        "otherwise": {"type": "number"},
    }

    def __init__(self, value: Operand, steps: tuple[Step, ...], otherwise: Decimal) -> None:
        self.value, self.steps, self.otherwise = value, steps, otherwise

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> BandsRule:
        steps = []
        for i, band in enumerate(spec["bands"]):
            conditions = tuple((key, ctx.operand(band[key], ("bands", i, key))) for key in _CONDITIONS if key in band)
            if not conditions:
                ctx.problem(("bands", i), f"a band needs a condition: one of {', '.join(_CONDITIONS)}")
            if ("points" in band) == ("share" in band):
                ctx.problem(("bands", i), "a band gives either 'points' or 'share' (a fraction of the weight), not both or neither")
            share = ctx.share(band["share"], ("bands", i, "share")) if "share" in band else None
            steps.append(Step(conditions, band.get("points"), share))
        return cls(ctx.operand(spec["value"], ("value",)), tuple(steps), spec.get("otherwise", ZERO))

    def check_weight(self, weight: Decimal) -> list[str]:
        """Band points above the indicator's weight are a load error (the walker calls this)."""
        return [f"band {i + 1} gives {plain(s.points)} points, more than the weight {plain(weight)}"
                for i, s in enumerate(self.steps) if s.points is not None and s.points > weight]

    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        value = self.value.value(env)
        shown = lambda: self.value.show(value)  # noqa: E731 - deferred: only a reader needs it
        for step in self.steps:
            if step.matches(value, env):
                points = clamp(step.points_of(weight), ZERO, weight)
                return Outcome(points, lambda: f"{self.value.text} = {shown()}, band {step.words()} → {plain(points)}",
                               shown, met=points >= weight)
        points = clamp(self.otherwise, ZERO, weight)
        return Outcome(points, lambda: f"{self.value.text} = {shown()}, no band matches → {plain(points)}",
                       shown, met=points >= weight)

    def target_text(self) -> str:
        return self.steps[0].words() if self.steps else ""

    def describe(self, weight: Decimal) -> str:
        parts = [f"{step.words()} → {plain(step.points_of(weight))}" for step in self.steps]
        return f"by {self.value.text}: " + "; ".join(parts) + f"; otherwise {plain(self.otherwise)}"
