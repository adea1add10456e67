"""The floor: Qingdao 2020 scored by hand-written Python with Decimal arithmetic.

This is what a programmer would write for this one rubric without an engine: the
weights, targets and grade bands are constants, every leaf is a line of code. It
reads the same plain submission data as the engine (numbers as Decimal, percents
as "97%" or bare points), applies the same arithmetic (exact points, rounded
half-up to 2 decimals per leaf, deductions rounded and taken off 扣完为止) and
returns the leaf scores, the four level-1 scores, the total and the grade.

It does no validation beyond what the arithmetic needs: it is the cheapest correct
scorer, so the engine's ratio to it is an honest price of being declarative.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
PERCENT_INPUTS = frozenset({"quality_rate", "timely_rate", "cost_cut", "import_time_cut", "export_time_cut",
                            "satisfaction"})
JUDGED = {"basis": 3, "procedure": 3, "goal_rationality": 3, "goal_clarity": 3, "budgeting": 4, "allocation": 4,
          "compliance": 3, "rules_sound": 5, "rules_applied": 5}
GROUPS = {
    "decision": ("basis", "procedure", "goal_rationality", "goal_clarity", "budgeting", "allocation"),
    "process": ("arrival", "execution", "compliance", "rules_sound", "rules_applied"),
    "output": ("quantity", "quality", "timeliness", "cost"),
    "outcome": ("cost_reduction", "clearance_time", "port_rank", "satisfaction_rate"),
}


def score(data: dict[str, Any]) -> tuple[Decimal, str, dict[str, Decimal]]:
    """(total, grade, scores of every indicator) for one plain submission."""
    v = {name: _number(name, raw) for name, raw in data["values"].items()}
    judgments = data.get("judgments") or {}
    s: dict[str, Decimal] = {leaf: _judged(Decimal(weight), judgments[leaf]) for leaf, weight in JUDGED.items()}
    arrival_rate = v["received"] / v["budget"] if v["budget"] > 0 else ZERO
    execution_rate = v["spent"] / v["received"] if v["received"] > 0 else ZERO
    s["arrival"] = _round(3 * _clamp(arrival_rate))
    s["execution"] = _round(4 * _clamp(execution_rate))
    s["quantity"] = _at_least(8, v["services_done"], Decimal(9))
    s["quality"] = _at_least(6, v["quality_rate"], ONE)
    s["timeliness"] = _at_least(6, v["timely_rate"], ONE)
    s["cost"] = _at_most(5, v["spent"], v["budget"])
    s["cost_reduction"] = _at_least(8, v["cost_cut"], Decimal("0.5"))
    s["clearance_time"] = _at_least(9, min(v["import_time_cut"], v["export_time_cut"]), Decimal("0.5"))
    s["port_rank"] = Decimal(9) if v["freight_rank"] <= 3 else ZERO
    s["satisfaction_rate"] = _at_least(9, v["satisfaction"], Decimal("0.95"))
    for group, leaves in GROUPS.items():
        s[group] = sum((s[leaf] for leaf in leaves), ZERO)
    total = s["decision"] + s["process"] + s["output"] + s["outcome"]
    return total, _grade(total), s


def _number(name: str, raw: Any) -> Decimal:
    if isinstance(raw, str):
        text = raw.strip()
        if text.endswith(("%", "％")):
            return Decimal(text[:-1]) / HUNDRED
        raw = Decimal(text)
    return raw / HUNDRED if name in PERCENT_INPUTS else raw


def _judged(weight: Decimal, judgment: dict[str, Any]) -> Decimal:
    given = judgment.get("points")
    left = _round(weight if given is None else given)
    for deduction in judgment.get("deductions") or ():
        left -= min(_round(deduction["points"]), left)
    return left


def _at_least(weight: int, actual: Decimal, target: Decimal) -> Decimal:
    return _round(weight * ONE) if actual >= target else _missed(weight, _clamp(actual / target))


def _at_most(weight: int, actual: Decimal, target: Decimal) -> Decimal:
    return _round(weight * ONE) if actual <= target else _missed(weight, _clamp(target / actual if actual > 0 else ZERO))


def _missed(weight: int, share: Decimal) -> Decimal:
    """A missed target's points: never full, at most one cent below them."""
    return min(_round(weight * share), weight - CENT)


def _clamp(share: Decimal) -> Decimal:
    return ZERO if share < 0 else ONE if share > 1 else share


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _grade(total: Decimal) -> str:
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    return "中" if total >= 70 else "差"
