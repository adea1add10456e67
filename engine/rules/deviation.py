"""``deviation``: 偏差率 scoring. For each item (a year, a sub-project) with an actual and a
planned figure, 偏差率 = 1 − actual/planned (or |1 − actual/planned| with ``absolute``), and
the item scores its share × (1 − 偏差率), within 0..share; the items are summed."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..expressions import Env
from ..numbers import ONE, ZERO, clamp, plain
from .base import NUMBER_OR_TEXT, BuildContext, Judgment, Operand, Outcome, Rule, pct


@dataclass(frozen=True)
class Item:
    label: str
    actual: Operand
    planned: Operand
    share: Decimal


class DeviationRule(Rule):
    kind = "deviation"
    summary = "偏差率: each item scores its share × (1 − deviation), deviation = 1 − actual/planned"
    required = ("items",)
    schema = {
        "items": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["actual", "planned"],
            "properties": {"label": {"type": "string"}, "actual": NUMBER_OR_TEXT, "planned": NUMBER_OR_TEXT,
                           "share": NUMBER_OR_TEXT}}},
        "absolute": {"type": "boolean"},
    }

    def __init__(self, items: tuple[Item, ...], absolute: bool) -> None:
        self.items, self.absolute = items, absolute

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> DeviationRule:
        raw = spec["items"]
        equal = ONE / len(raw)
        items = tuple(Item(str(item.get("label", f"item {i + 1}")), ctx.operand(item["actual"], ("items", i, "actual")),
                           ctx.operand(item["planned"], ("items", i, "planned")),
                           ctx.share(item["share"], ("items", i, "share")) if "share" in item else equal)
                      for i, item in enumerate(raw))
        total = sum((item.share for item in items), ZERO)
        if total != ONE and any("share" in item for item in raw):
            ctx.problem(("items",), f"item shares add up to {pct(total)}, expected 100%")
        return cls(items, bool(spec.get("absolute", False)))

    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        points, words = ZERO, []
        for item in self.items:
            actual, planned = item.actual.value(env), item.planned.value(env)
            deviation = ONE - actual / planned if planned else ONE
            if self.absolute:
                deviation = abs(deviation)
            kept = clamp(ONE - deviation, ZERO, ONE)
            points += weight * item.share * kept
            words.append(f"{item.label}: 偏差率 {pct(deviation)} → keeps {pct(kept)}")
        points = clamp(points, ZERO, weight)
        return Outcome(points, "; ".join(words) + f" → {plain(points)}", met=points >= weight)

    def describe(self, weight: Decimal) -> str:
        return "偏差率 per item: " + "; ".join(f"{i.label} ({pct(i.share)}) {i.actual.text} vs {i.planned.text}" for i in self.items)
