"""``levels``: a qualitative level (好/较好/一般/差, 达成/部分达成/未达成) mapped to a share.

A level maps to a fixed share (``好: 100%``) or to a range (``达成: ["80%", "100%"]``, the
national 80/60 tiers or Hubei's 80/50): then the evaluator gives the exact points inside
the tier as a judgment, and a figure outside the tier is refused.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..expressions import Env, ExpressionError
from ..numbers import plain
from .base import NUMBER_OR_TEXT, BuildContext, Judgment, JudgmentNeeded, Operand, Outcome, Rule, pct

Share = tuple[Decimal, Decimal]


class LevelsRule(Rule):
    kind = "levels"
    summary = "qualitative level mapped to a share of the points, or to a tier inside which the evaluator judges"
    required = ("value", "levels")
    judgment = "optional"
    schema = {
        "value": {"type": "string", "description": "a level input"},
        "levels": {"type": "object", "minProperties": 1, "additionalProperties": {
            "anyOf": [NUMBER_OR_TEXT, {"type": "array", "items": NUMBER_OR_TEXT, "minItems": 2, "maxItems": 2}]}},
    }

    def __init__(self, value: Operand, shares: dict[str, Share]) -> None:
        self.value, self.shares = value, shares

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> LevelsRule:
        value = ctx.operand(spec["value"], ("value",))
        shares: dict[str, Share] = {}
        for level, raw in spec["levels"].items():
            if isinstance(raw, list):
                low, high = ctx.share(raw[0], ("levels", level, 0)), ctx.share(raw[1], ("levels", level, 1))
                if low > high:
                    ctx.problem(("levels", level), f"tier {level} has its edges reversed: write the lower share first")
                shares[level] = (low, high)
            else:
                share = ctx.share(raw, ("levels", level))
                shares[level] = (share, share)
        _check_levels(ctx, str(spec["value"]).strip(), shares)
        return cls(value, shares)

    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        if self.value.expression is None:
            raise ExpressionError("levels rule has no value")
        level = self.value.expression.evaluate(env)
        if level not in self.shares:
            raise ExpressionError(f"level {level!r} is not one of {', '.join(self.shares)}")
        low, high = self.shares[str(level)]
        top = max(h for _, h in self.shares.values())
        if low == high:
            return Outcome(weight * low, lambda: f"{self.value.text} = {level} → {plain(weight)} × {pct(low)}",
                           actual=str(level), met=low >= top)
        if judgment is None or judgment.points is None:
            raise JudgmentNeeded(f"level {level} scores {pct(low)}–{pct(high)} of {plain(weight)}: give the points as a judgment")
        points = judgment.points
        if not weight * low <= points <= weight * high:
            raise JudgmentNeeded(f"{plain(points)} points is outside tier {level} ({plain(weight * low)}–{plain(weight * high)})")
        return Outcome(points, lambda: f"{self.value.text} = {level}, tier {pct(low)}–{pct(high)}, judged {plain(points)}",
                       actual=str(level), met=high >= top)

    def target_text(self) -> str:
        return next(iter(self.shares), "")

    def describe(self, weight: Decimal) -> str:
        parts = [f"{level} → {pct(low)}" if low == high else f"{level} → {pct(low)}–{pct(high)} (judged)"
                 for level, (low, high) in self.shares.items()]
        return f"by level of {self.value.text}: " + "; ".join(parts)


def _check_levels(ctx: BuildContext, name: str, shares: dict[str, Share]) -> None:
    declared = ctx.levels.get(name)
    if declared is None:
        ctx.problem(("value",), f"'{name}' must be an input of type level")
        return
    missing = [level for level in declared if level not in shares]
    extra = [level for level in shares if level not in declared]
    if missing:
        ctx.problem(("levels",), f"no share given for level(s) {', '.join(missing)} of input '{name}'")
    if extra:
        ctx.problem(("levels",), f"level(s) {', '.join(extra)} are not levels of input '{name}' ({', '.join(declared)})")
    ordered = [shares[level] for level in declared if level in shares]
    if any(later[1] > earlier[1] or later[0] > earlier[0] for earlier, later in zip(ordered, ordered[1:])):
        ctx.problem(("levels",), f"a worse level must not score more than a better one; input '{name}' lists its levels best first")
