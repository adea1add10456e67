"""``target``: a quantitative indicator with a target (年度指标值) and a direction.

Met → full points, never more. Not met → ``partial`` decides:

- ``none``: 0.
- ``proportional``: actual/target × points for ``>=`` (正向); target/actual for ``<=`` (反向,
  the central 自评表 rule); for ``==`` and ``between`` the nearer edge over the value.
- ``linear``: a straight line from ``floor`` (0 points) to the target. For ``<=`` the floor
  defaults to twice the target: (1 − (actual − target)/target) × points (the Ministry's system).
- ``pass_line``: completion below ``pass`` (default 60%) → 0, else (completion − pass)/(1 − pass).
- ``stepped``: each ``step`` short of the target (default 1 percentage point) loses
  ``loss_per_step`` of the points, 扣完为止 (预算执行率 −5% per point; 满意度 below 90%).

A missed target never scores full points: whatever ``partial`` gives, a miss is capped one unit
(the leaf's precision quantum: 0.01, or 1 for whole points) below them, never below 0. Without
the cap a strict target missed at its boundary (超过8万单, 80000 exactly) would score
actual/target = 100%, and a miss by a hair would round up to full points.

Rankings (全省排名前7位) are ``<=`` with target 7; reductions (压缩5%以上) are ``>=`` on the
reduction rate. ``explain_above`` (e.g. ``130%``) marks over-achievement that needs a
written explanation; it never changes the score.
"""
from __future__ import annotations

import operator
from decimal import Decimal
from typing import Any

from ..expressions import Env
from ..numbers import ONE, ZERO, clamp, plain
from .base import NUMBER_OR_TEXT, BuildContext, Judgment, Inline, Operand, Outcome, PointsFunction, Rule, pct

_OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "between": "between"}
#: Strict targets (超过8万单 → ">") score partial points like their non-strict direction (capped
#: below full points when missed, as every miss is: missed at the boundary, the formulas give 100%).
_DIRECTION = {">": ">=", "<": "<="}
#: The signs as schemes print them (≥5家, ≤350万元) are accepted for their ASCII forms.
_ALIASES = {"≥": ">=", "≤": "<=", "＞": ">", "＜": "<", "=": "==", "＝": "=="}
#: Whether a ``>=``/``<=`` target is met, by op and strictness, as a function and as Python source
#: (the fast paths of ``_met``).
_MET = {">=": {False: (operator.ge, ">="), True: (operator.gt, ">")},
        "<=": {False: (operator.le, "<="), True: (operator.lt, "<")}}
_PARTIALS = ("none", "proportional", "linear", "pass_line", "stepped")


class TargetRule(Rule):
    kind = "target"
    summary = "quantitative target (≥ 正向, ≤ 反向, =, between) with full points when met and a chosen partial formula"
    required = ("value", "op", "target")
    schema = {
        "value": {"type": "string", "description": "the actual value: an input, derived name or expression"},
        "op": {"enum": [*_OPS, *_ALIASES]},
        "target": {"anyOf": [NUMBER_OR_TEXT, {"type": "array", "items": NUMBER_OR_TEXT, "minItems": 2, "maxItems": 2}]},
        "partial": {"enum": list(_PARTIALS)},
        "floor": NUMBER_OR_TEXT,
        "pass": NUMBER_OR_TEXT,
        "step": NUMBER_OR_TEXT,
        "loss_per_step": NUMBER_OR_TEXT,
        "tolerance": NUMBER_OR_TEXT,
        "explain_above": NUMBER_OR_TEXT,
    }

    def __init__(self, value: Operand, op: str, low: Operand, high: Operand | None, partial: str,
                 params: dict[str, Operand | None], quantum: Decimal = Decimal("0.01")) -> None:
        self.value, self.low, self.high, self.partial, self.quantum = value, low, high, partial, quantum
        self.strict, self.op, self.symbol = op in _DIRECTION, _DIRECTION.get(op, op), _OPS[op]
        self.floor = params.get("floor")
        self.pass_line = params.get("pass")
        self.step = params.get("step")
        self.loss = params.get("loss_per_step")
        self.tolerance = params.get("tolerance")
        self.explain_above = params.get("explain_above")

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> TargetRule:
        op, partial = _ALIASES.get(spec["op"], spec["op"]), spec.get("partial", "proportional")
        value = ctx.operand(spec["value"], ("value",))
        raw_target = spec["target"]
        if op == "between":
            if not isinstance(raw_target, list):
                ctx.problem(("target",), "'between' needs a target of two values: [low, high]")
                raw_target = [raw_target, raw_target]
            low, high = ctx.operand(raw_target[0], ("target", 0)), ctx.operand(raw_target[1], ("target", 1))
        else:
            if isinstance(raw_target, list):
                ctx.problem(("target",), f"'{op}' needs a single target; use op 'between' for a range")
                raw_target = raw_target[0]
            low, high = ctx.operand(raw_target, ("target",)), None
        if partial == "stepped" and "loss_per_step" not in spec:
            ctx.problem(("loss_per_step",), "partial 'stepped' needs loss_per_step (e.g. \"5%\": each step short loses 5% of the points)")
        if partial in ("linear", "pass_line", "stepped") and op in ("==", "between"):
            ctx.problem(("partial",), f"partial '{partial}' applies to '>=' and '<=' targets; use 'none' or 'proportional' with '{op}'")
        params = {key: ctx.operand(spec[key], (key,)) if key in spec else None
                  for key in ("floor", "pass", "step", "loss_per_step", "tolerance", "explain_above")}
        return cls(value, op, low, high, partial, params, ctx.quantum)

    # -- scoring -------------------------------------------------------------------------
    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        actual = self.value.value(env)
        low = self.low.value(env)
        high = self.high.value(env) if self.high else low
        tolerance = self.tolerance.value(env) if self.tolerance and self.op == "==" else ZERO  # only '==' uses it
        met = self._met(actual, low, high, tolerance)
        share = ONE if met else clamp(self._partial(env, actual, low, high), ZERO, ONE)
        points = weight * share if met else self._missed(weight, share)
        capped = not met and points != weight * share
        return Outcome(points, lambda: self._explain(env, actual, share, met, weight, capped),
                       lambda: self.value.show(actual), lambda: self._target_cell(env), met, self._completion(actual, low))

    def points_function(self, weight: Decimal) -> PointsFunction:
        """For the usual ``≥``/``≤`` target of a named value: no Outcome built."""
        constant, name = self.low.constant, self._fast_name()
        if name is None:
            return super().points_function(weight)
        met, value, target, partial = _MET[self.op][self.strict][0], self.value.value, self.low.value, self._partial
        cap = max(weight - self.quantum, ZERO)  # a miss's most (see _missed)

        def points(env: Env, judgment: Judgment | None) -> Decimal:
            actual = env[name]
            if type(actual) is not Decimal:
                actual = value(env)  # a yes/no counts 1/0; text is refused, in words
            low = constant if constant is not None else target(env)
            if met(actual, low):
                return weight * ONE
            points = weight * clamp(partial(env, actual, low, low), ZERO, ONE)
            return points if points <= cap else cap

        return points

    def points_inline(self, weight: Decimal) -> Inline | None:
        """A met ``≥``/``≤`` target of a constant is full points; anything else takes the points function."""
        name = self._fast_name()
        if name is None or self.low.constant is None:
            return None
        symbol = _MET[self.op][self.strict][1]
        return Inline("{points}(env, j)", {"name": name, "target": self.low.constant},
                      full=(f"env[{{name}}] {symbol} {{target}}", weight * ONE))

    def _fast_name(self) -> str | None:
        """The value's name when this is a ``≥``/``≤`` target of a named value (the fast paths' case)."""
        if self.op not in _MET or self.high is not None or self.value.expression is None:
            return None
        return self.value.expression.name

    def _missed(self, weight: Decimal, share: Decimal) -> Decimal:
        """A miss's points: ``share`` of the weight, at most one quantum below it (never below 0)."""
        return min(weight * share, max(weight - self.quantum, ZERO))

    def _explain(self, env: Env, actual: Decimal, share: Decimal, met: bool, weight: Decimal, capped: bool) -> str:
        verdict = "met" if met else f"not met, {self._partial_words()} → {pct(share)}"
        completion = self._completion(actual, self.low.value(env)) if self.high is None else None
        rate = f" (完成率 {pct(completion)})" if completion is not None else ""
        cap = f", capped below full points → {plain(weight)} − {plain(self.quantum)}" if capped else ""
        return (f"{self.value.show(actual)} {self.symbol} {self.target_shown(env)}{rate}: {verdict} "
                f"→ {plain(weight)} × {pct(share)}{cap}")

    def _target_cell(self, env: Env) -> str:
        return self.target_shown(env) if self.high else f"{self.symbol}{self.target_shown(env)}"

    def _met(self, actual: Decimal, low: Decimal, high: Decimal, tolerance: Decimal) -> bool:
        if self.op == ">=":
            return actual > low if self.strict else actual >= low
        if self.op == "<=":
            return actual < low if self.strict else actual <= low
        if self.op == "==":  # a target of 0 (无事故) is met by anything not above it
            return abs(actual - low) <= tolerance or (low == 0 and actual <= 0)
        return low <= actual <= high

    def _partial(self, env: Env, actual: Decimal, low: Decimal, high: Decimal) -> Decimal:
        if self.partial == "none":
            return ZERO
        if self.partial == "proportional":
            return _proportional(self.op, actual, low, high)
        if self.partial == "linear":
            return self._linear(env, actual, low)
        if self.partial == "pass_line":
            line = self.pass_line.value(env) if self.pass_line else Decimal("0.6")
            completion = self._completion(actual, low) or ZERO
            return ZERO if completion < line or line >= ONE else (completion - line) / (ONE - line)
        step = self.step.value(env) if self.step else Decimal("0.01")
        loss = self.loss.value(env) if self.loss else ZERO
        shortfall = (low - actual) if self.op == ">=" else (actual - low)
        return ONE - shortfall / step * loss if step > 0 else ZERO

    def _linear(self, env: Env, actual: Decimal, target: Decimal) -> Decimal:
        if self.op == ">=":
            floor = self.floor.value(env) if self.floor else ZERO
            return (actual - floor) / (target - floor) if target > floor else ZERO
        floor = self.floor.value(env) if self.floor else 2 * target
        return (floor - actual) / (floor - target) if floor > target else ZERO

    def _completion(self, actual: Decimal, target: Decimal) -> Decimal | None:
        """实际完成率: actual/target for ``>=``, target/actual for ``<=``."""
        if self.op == ">=" and target > 0:
            return actual / target
        if self.op == "<=" and actual > 0:
            return target / actual
        return None

    # -- words ---------------------------------------------------------------------------
    def target_shown(self, env: Env) -> str:
        """The target in the value's own units (``80000 单``, ``95%``)."""
        if self.high is not None:
            return f"{self.value.show(self.low.value(env))}–{self.value.show(self.high.value(env))}"
        return self.value.show(self.low.value(env))

    def target_text(self) -> str:
        if self.high is not None:
            return f"{self.low.text}–{self.high.text}"
        unit = self.low.unit or self.value.unit
        return f"{self.symbol}{self.low.text}{(' ' + unit) if unit and unit != '%' else ''}"

    def _partial_words(self) -> str:
        return {
            "none": "no points",
            "proportional": "actual/target" if self.op != "<=" else "target/actual",
            "linear": "linear from the floor to the target",
            "pass_line": f"(completion − {self.pass_line.text if self.pass_line else '60%'}) / (1 − pass line)",
            "stepped": f"{self.loss.text if self.loss else '?'} lost per {self.step.text if self.step else '1%'} short",
        }[self.partial]

    def describe(self, weight: Decimal) -> str:
        target = self.target_text() if self.op != "between" else f"between {self.low.text} and {self.high.text if self.high else ''}"
        missed = self._partial_words()
        if self.partial != "none":  # a miss never scores full points (see _missed)
            missed += f", within 0..{plain(max(weight - self.quantum, ZERO))}"
        return f"{self.value.text} {target}: met → {plain(weight)} points; not met → {missed}"


def _proportional(op: str, actual: Decimal, low: Decimal, high: Decimal) -> Decimal:
    if op == ">=":
        return actual / low if low > 0 else ZERO
    if op == "<=":
        return low / actual if actual > 0 else ZERO
    if actual < low:
        return actual / low if low > 0 and actual > 0 else ZERO
    edge = high if op == "between" else low
    return edge / actual if actual > 0 and edge > 0 else ZERO
