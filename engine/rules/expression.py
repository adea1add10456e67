"""``expression``: points from a formula over the submission's names and ``weight``,
clamped to 0..weight. The escape hatch when no declarative kind fits."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..expressions import Env, Expression, ExpressionError
from ..numbers import ZERO, clamp, plain
from .base import BuildContext, Judgment, Outcome, Rule


class ExpressionRule(Rule):
    kind = "expression"
    summary = "points from a formula over inputs, derived names and weight, clamped to 0..weight"
    required = ("expr",)
    schema = {"expr": {"type": "string"}}

    def __init__(self, expression: Expression | None) -> None:
        self.expression = expression

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> ExpressionRule:
        inner = BuildContext(ctx.doc, ctx.path, ctx.known | {"weight"}, ctx.types, ctx.levels, ctx.problems)
        return cls(inner.expression(spec["expr"], ("expr",)))

    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        if self.expression is None:
            raise ExpressionError("missing expression")
        raw = self.expression.evaluate({**env, "weight": weight})
        if not isinstance(raw, Decimal) or isinstance(raw, bool):
            raise ExpressionError(f"{self.expression.source!r} gave {raw!r}, expected a number of points")
        points = clamp(raw, ZERO, weight)
        source = self.expression.source
        return Outcome(points, lambda: f"{source} = {plain(raw)} → {plain(points)}", met=points >= weight)

    def describe(self, weight: Decimal) -> str:
        return f"points = {self.expression.source if self.expression else '?'}, within 0..{plain(weight)}"
