"""``elements``: 要点 scoring. The indicator is made of named elements ①②③…, each worth a
share of the points (equal shares unless stated). An element is met or not (``met``), or
loses ``loss_per_failure`` of its share per failure (``failures``), never below 0."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..expressions import Env
from ..numbers import ONE, ZERO, clamp, plain, round_half_up
from .base import NUMBER_OR_TEXT, BuildContext, Judgment, Operand, Outcome, Rule, pct


@dataclass(frozen=True)
class Element:
    label: str
    share: Decimal
    met: Operand | None
    failures: Operand | None
    loss: Decimal

    def fraction(self, env: Env) -> tuple[Decimal, str]:
        """The part of this element's share that is kept, and the words for it."""
        if self.met is not None:
            ok = self.met.value(env) != 0
            return (ONE if ok else ZERO), ("met" if ok else "not met")
        count = self.failures.value(env) if self.failures else ZERO
        kept = clamp(ONE - max(count, ZERO) * self.loss, ZERO, ONE)
        return kept, f"{plain(count)} failure(s), keeps {pct(kept)}"


class ElementsRule(Rule):
    kind = "elements"
    summary = "要点: named elements each worth a share of the points, met or not, or a fraction lost per failure"
    required = ("elements",)
    schema = {"elements": {"type": "array", "minItems": 1, "items": {
        "type": "object", "additionalProperties": False, "required": ["label"],
        "properties": {"label": {"type": "string"}, "share": NUMBER_OR_TEXT, "met": NUMBER_OR_TEXT,
                       "failures": NUMBER_OR_TEXT, "loss_per_failure": NUMBER_OR_TEXT}}}}

    def __init__(self, elements: tuple[Element, ...]) -> None:
        self.elements = elements

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> ElementsRule:
        raw = spec["elements"]
        given = [e for e in raw if "share" in e]
        if given and len(given) != len(raw):
            ctx.problem(("elements",), "give a share for every element or for none (equal shares)")
        equal = ONE / len(raw)
        elements = [cls._element(e, i, ctx, equal if not given else None) for i, e in enumerate(raw)]
        total = sum((e.share for e in elements), ZERO)
        if given and len(given) == len(raw) and total != ONE:
            ctx.problem(("elements",), f"element shares add up to {pct(total)}, expected 100%")
        return cls(tuple(elements))

    @staticmethod
    def _element(e: dict[str, Any], i: int, ctx: BuildContext, equal: Decimal | None) -> Element:
        if ("met" in e) == ("failures" in e):
            ctx.problem(("elements", i), "an element needs either 'met' (a yes/no) or 'failures' (a count)")
        if "failures" in e and "loss_per_failure" not in e:
            ctx.problem(("elements", i), "'failures' needs 'loss_per_failure' (e.g. \"1/3\" of the element per failure)")
        share = equal if equal is not None else ctx.share(e["share"], ("elements", i, "share")) if "share" in e else ZERO
        met = ctx.operand(e["met"], ("elements", i, "met")) if "met" in e else None
        failures = ctx.operand(e["failures"], ("elements", i, "failures")) if "failures" in e else None
        loss = ctx.share(e["loss_per_failure"], ("elements", i, "loss_per_failure")) if "loss_per_failure" in e else ZERO
        return Element(str(e["label"]), share, met, failures, loss)

    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        points, words = ZERO, []
        for element in self.elements:
            kept, how = element.fraction(env)
            points += weight * element.share * kept
            words.append(f"{element.label} ({pct(element.share)}): {how}")
        points = clamp(points, ZERO, weight)
        return Outcome(points, "; ".join(words) + f" → {plain(points)}", met=points >= weight)

    def describe(self, weight: Decimal) -> str:
        # 3 × 1/3 is 0.999…9 in exact decimals: show each element's points to two places, as a reader would
        return "要点: " + "; ".join(f"{e.label} {plain(round_half_up(weight * e.share, 2))}" for e in self.elements)
