"""Building a deduction (扣分) from its YAML: a condition (``when``) or a count (``per``), and for a
count, optionally a threshold it is counted from (``above`` / ``below``) in ``step``s.

每超过一个百分点扣0.5分 is ``per: adjust_rate, above: "10%", step: "1%"``: the count is how many
steps the value lies beyond the threshold, partial steps included (13.5% is 3.5 steps above 10%);
``whole: true`` counts whole steps only (3). Percents in rubrics are fractions, so against a
percent value a bare number (``above: 10``, which would be 1000%) is refused: write ``"10%"``.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .document import PathKey
from .model import DeductionRule
from .expressions import Expression, ExpressionError
from .numbers import ARITHMETIC_ERRORS, HUNDRED, plain
from .rules.base import BuildContext, Operand

#: The default step: one percentage point against a percent, else one unit.
POINT, UNIT = Operand(constant=Decimal("0.01"), text="1%", kind="percent"), Operand(constant=Decimal(1), text="1")


def build_deduction(d: dict[str, Any], where: PathKey, ctx: BuildContext) -> DeductionRule:
    """One item of an indicator's ``deductions``, checked (problems go to ``ctx``)."""
    if ("when" in d) == ("per" in d):
        ctx.problem(where, "a deduction needs either 'when' (a condition) or 'per' (a count), not both or neither")
    when = ctx.expression(d["when"], where + ("when",)) if "when" in d else None
    per = ctx.expression(d["per"], where + ("per",)) if "per" in d else None
    above, below, step = _threshold(d, where, ctx)
    return DeductionRule(d["reason"], d["points"], when, per, d.get("cap"), bool(d.get("whole", False)), above, below, step)


def _threshold(d: dict[str, Any], where: PathKey, ctx: BuildContext) -> tuple[Operand | None, Operand | None, Operand | None]:
    sides = [side for side in ("above", "below") if side in d]
    if not sides:
        if "step" in d:
            ctx.problem(where + ("step",), "'step' counts steps beyond 'above' or 'below': give one of them, or drop 'step'")
        return None, None, None
    side = sides[0]
    if len(sides) == 2:
        ctx.problem(where + ("below",), "give 'above' or 'below', not both: write one deduction for each side")
    if "per" not in d:
        ctx.problem(where + (side,), f"'{side}' counts the steps by which a value is {side} it: give that value as 'per', not 'when'")
    name = str(d.get("per", "")).strip()
    percent = name if ctx.types.get(name, ("number", ""))[0] == "percent" else None
    threshold = _operand(d, side, where, ctx, percent)
    step = _step(d, where, ctx, percent, percent is not None or threshold.kind == "percent")
    return (threshold, None, step) if side == "above" else (None, threshold, step)


def _step(d: dict[str, Any], where: PathKey, ctx: BuildContext, percent: str | None, in_points: bool) -> Operand:
    if "step" not in d:
        return POINT if in_points else UNIT
    step = _operand(d, "step", where, ctx, percent)
    if step.constant is None or step.constant <= 0:
        ctx.problem(where + ("step",), f'expected a positive number or a percent such as "1%", got "{step.text}"')
        return UNIT
    return step


def _operand(d: dict[str, Any], key: str, where: PathKey, ctx: BuildContext, percent: str | None) -> Operand:
    """A threshold or a step: a number, a percent, or a name or expression (a threshold only).
    Against a percent value, a number must be written as a percent."""
    operand = ctx.operand(d[key], where + (key,))
    if operand.constant is None and operand.expression is not None and not operand.expression.names:  # "0.5", quoted
        operand = Operand(constant=_constant(operand.expression), expression=operand.expression, text=operand.text)
    number = operand.constant
    if percent is not None and operand.kind != "percent" and number is not None:
        meant = number if abs(number) >= 1 else number * HUNDRED
        ctx.problem(where + (key,), f"'{percent}' is a percent: write {key} as a percent (\"{plain(meant)}%\"), not a bare "
                                    f"number; a bare {plain(number)} would mean {plain(number * HUNDRED)}%")
    return operand


def _constant(expression: Expression) -> Decimal | None:
    """The number an expression without names gives, if it gives one."""
    try:
        value = expression.evaluate({})
    except (ExpressionError, *ARITHMETIC_ERRORS):
        return None
    return value if isinstance(value, Decimal) else None
