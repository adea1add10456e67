"""Parts of a rubric in plain words, shared by ``show``, ``template`` and ``diff`` (no rich here)."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING

from engine.numbers import HUNDRED, plain

if TYPE_CHECKING:
    from engine.model import DeductionRule, Indicator, Input


def deduction_text(rule: DeductionRule) -> str:
    """``−1 when x > 3: reason``, ``−0.5 per late_items (at most 2): reason`` or
    ``−0.5 per whole 1% of adjust above 10% (at most 3): reason``."""
    if rule.when is not None:
        condition = f"when {rule.when.source}"
    else:
        per = rule.per.source if rule.per else "?"
        threshold, side = (rule.above, "above") if rule.above is not None else (rule.below, "below")
        if threshold is not None and rule.step is not None:
            per = f"{rule.step.text} of {per} {side} {threshold.text}"
        condition = f"per {'whole ' if rule.whole else ''}{per}"
        condition += f" (at most {plain(rule.cap)})" if rule.cap is not None else ""
    return f"−{plain(rule.points)} {condition}: {rule.reason}"


def rule_text(node: Indicator) -> str:
    """The leaf's rule in words, with its condition of applicability and evaluator deductions."""
    text = node.rule.describe(node.weight) if node.rule is not None else ""
    if node.applicable is not None:
        text = f"applies only when {node.applicable.source}" + (f"; {text}" if text else "")
    if node.evaluator_deductions:
        text += "; the evaluator may deduct points, with reasons"
    return text


def bounds_text(spec: Input) -> str:
    """``0..100%``, ``≥ 0``, ``one of 优, 良``, ``default 0``: the values an input accepts."""
    def shown(value: Decimal) -> str:  # percent bounds are kept as fractions
        return plain(value * HUNDRED) + "%" if spec.type == "percent" else plain(value)

    parts = []
    if spec.levels:
        parts.append("one of " + ", ".join(spec.levels))
    if spec.minimum is not None and spec.maximum is not None:
        parts.append(f"{shown(spec.minimum)}..{shown(spec.maximum)}")
    elif spec.minimum is not None:
        parts.append(f"≥ {shown(spec.minimum)}")
    elif spec.maximum is not None:
        parts.append(f"≤ {shown(spec.maximum)}")
    if not spec.required:
        parts.append(f"default {value_text(spec.default)}")
    return "; ".join(parts)


def value_text(value: object) -> str:
    """A YAML scalar as written: ``0``, ``true``, ``"text"``; empty for nothing."""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return json.dumps(str(value), ensure_ascii=False)
