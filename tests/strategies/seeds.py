"""Random but valid submissions for any loaded rubric (the seed rubrics' properties).

Unlike :mod:`strategies.submissions`, which knows the generated plan it draws for, these read
only the rubric's declared inputs and judged leaves, so they work on any rubric in ``rubrics/``.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from engine import Rubric
from engine.model import Input
from engine.rules.levels import LevelsRule

from .core import dec

HUNDRED = Decimal(100)
REASONS = ("制度执行不到位", "资料归档不及时", "绩效目标不够细化")


def value_for(spec: Input) -> st.SearchStrategy[Any]:
    """A value the submission checker accepts for ``spec`` (within its bounds; numbers above zero,
    since the seed rubrics divide by budgets)."""
    if spec.type == "boolean":
        return st.booleans()
    if spec.type == "level":
        return st.sampled_from(spec.levels)
    if spec.type == "text":
        return st.text(min_size=1, max_size=10).filter(str.strip)
    low = max(spec.minimum if spec.minimum is not None else Decimal(0), Decimal("0.01"))
    if spec.type == "percent":
        high = spec.maximum if spec.maximum is not None else Decimal(2)
        return dec(low, high, 4).map(lambda fraction: f"{(fraction * HUNDRED).normalize():f}%")
    high = spec.maximum if spec.maximum is not None else low + Decimal(10) ** 6
    return dec(low, high, 0 if spec.type == "integer" else 2)


def deductions(weight: Decimal) -> st.SearchStrategy[list[dict[str, Any]]]:
    points = dec(Decimal(0), weight, 2)
    return st.lists(st.fixed_dictionaries({"points": points, "reason": st.sampled_from(REASONS)}), max_size=3)


def _tier(rubric: Rubric, leaf_id: str, values: dict[str, Any]) -> tuple[Decimal, Decimal] | None:
    """The points range an evaluator must judge within, for a leaf scored by levels with tiers."""
    leaf = rubric.judged[leaf_id]
    rule = leaf.rule
    if not isinstance(rule, LevelsRule):
        return None
    name = rule.value.text.strip()
    level = values.get(name, rubric.inputs[name].default)
    low, high = rule.shares[level]
    return (leaf.weight * low, leaf.weight * high) if low != high else None


@st.composite
def seed_submissions(draw: st.DrawFn, rubric: Rubric) -> dict[str, Any]:
    """Values for every input (optional ones sometimes left to their default); on judged leaves,
    deductions, and points where the rubric asks for them (inside the tier of a tiered level)."""
    values = {spec.id: draw(value_for(spec)) for spec in rubric.inputs.values()
              if spec.required or draw(st.booleans())}
    judgments: dict[str, Any] = {}
    for leaf_id, leaf in rubric.judged.items():
        tier = _tier(rubric, leaf_id, values)
        required = tier is not None or leaf.rule is not None and leaf.rule.judgment == "required"
        if not required and not draw(st.booleans()):
            continue
        judgment: dict[str, Any] = {"deductions": draw(deductions(leaf.weight))}
        if tier is not None:
            judgment["points"] = draw(dec(tier[0], tier[1], 2))
        judgments[leaf_id] = judgment
    return {"subject": "随机项目", "values": values, "judgments": judgments}
