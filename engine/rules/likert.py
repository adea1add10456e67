"""``likert``: weighted satisfaction. Counts of answers per level are weighted (非常满意 100%,
比较满意 75%, 一般 50%, 比较不满意 25%, 非常不满意 0% unless ``scale`` says otherwise) into a
rate; then either points = weight × rate, or with ``full_at`` full points at or above that
rate and ``loss_per_point`` of the points lost per percentage point below, 扣完为止."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..expressions import Env
from ..numbers import HUNDRED, ONE, ZERO, clamp, plain
from .base import NUMBER_OR_TEXT, BuildContext, Judgment, Operand, Outcome, Rule, pct

STANDARD = {"非常满意": Decimal(1), "比较满意": Decimal("0.75"), "一般": Decimal("0.5"),
            "比较不满意": Decimal("0.25"), "非常不满意": Decimal(0)}


class LikertRule(Rule):
    kind = "likert"
    summary = "weighted satisfaction from answer counts (100/75/50/25/0), then points by rate or full-at with loss per point"
    required = ("answers",)
    schema = {
        "answers": {"type": "object", "minProperties": 1, "additionalProperties": NUMBER_OR_TEXT},
        "scale": {"type": "object", "additionalProperties": NUMBER_OR_TEXT},
        "full_at": NUMBER_OR_TEXT,
        "loss_per_point": NUMBER_OR_TEXT,
    }

    def __init__(self, answers: dict[str, tuple[Operand, Decimal]], full_at: Decimal | None, loss: Decimal) -> None:
        self.answers, self.full_at, self.loss = answers, full_at, loss

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> LikertRule:
        scale = {k: ctx.share(v, ("scale", k)) for k, v in spec.get("scale", {}).items()} or STANDARD
        answers = {}
        for level, source in spec["answers"].items():
            if level not in scale:
                ctx.problem(("answers", level), f"no weight for answer '{level}'; give one in 'scale' (known: {', '.join(scale)})")
            answers[level] = (ctx.operand(source, ("answers", level)), scale.get(level, ZERO))
        full_at = ctx.share(spec["full_at"], ("full_at",)) if "full_at" in spec else None
        loss = ctx.share(spec["loss_per_point"], ("loss_per_point",)) if "loss_per_point" in spec else ZERO
        if full_at is not None and "loss_per_point" not in spec:
            ctx.problem(("loss_per_point",), "'full_at' needs 'loss_per_point' (e.g. \"5%\" of the points per point below)")
        return cls(answers, full_at, loss)

    def rate(self, env: Env) -> Decimal:
        counts = [(operand.value(env), weight) for operand, weight in self.answers.values()]
        total = sum((count for count, _ in counts), ZERO)
        return sum((count * weight for count, weight in counts), ZERO) / total if total > 0 else ZERO

    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        rate = self.rate(env)
        if self.full_at is None:
            share = clamp(rate, ZERO, ONE)
        else:
            share = clamp(ONE - max(self.full_at - rate, ZERO) * HUNDRED * self.loss, ZERO, ONE)
        return Outcome(weight * share, lambda: f"满意度 {pct(rate)} → {plain(weight)} × {pct(share)}", lambda: pct(rate),
                       lambda: pct(self.full_at) if self.full_at is not None else "", met=share >= ONE, ratio=rate)

    def target_text(self) -> str:
        return f"≥{pct(self.full_at)}" if self.full_at is not None else ""

    def describe(self, weight: Decimal) -> str:
        scale = ", ".join(f"{level} {pct(w)}" for level, (_, w) in self.answers.items())
        tail = (f"; ≥{pct(self.full_at)} full, each point below loses {pct(self.loss)} of the points"
                if self.full_at is not None else "; points = weight × rate")
        return f"weighted satisfaction ({scale}){tail}"
