"""Valid submissions for a :class:`Plan`: random values within bounds, the full-marks
submission, and single changes that can only help (or only hurt) one indicator."""
from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from .core import dec
from .plan import InputPlan, Leaf, Plan

QUARTERS = [Decimal(0), Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal(1)]


@st.composite
def judgment(draw: st.DrawFn, weight: Decimal, points: bool = True) -> dict[str, Any]:
    """An evaluator's judgment: points within 0..weight, or deductions with reasons (maybe more than the weight)."""
    given: dict[str, Any] = {}
    if points and draw(st.booleans()):
        given["points"] = draw(dec(0, weight, 2))
    if not given or draw(st.booleans()):
        cuts = st.fixed_dictionaries({"points": dec(0, weight + 1, 2), "reason": st.sampled_from(["依据不充分", "资料不全"])})
        given["deductions"] = draw(st.lists(cuts, max_size=3))
    if draw(st.integers(0, 3)) == 0:
        given["reason"] = "评价人员意见"
    return given


def tier_points(leaf: Leaf, level: str, fraction: Decimal) -> Decimal | None:
    """Points inside the tier of ``level`` at ``fraction`` of the way up; None for a fixed share."""
    low, high = leaf.tiers[level]
    if low == high:
        return None
    return leaf.weight * low + leaf.weight * (high - low) * fraction


@st.composite
def judgments_for(draw: st.DrawFn, plan: Plan, values: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for leaf in plan.leaves.values():
        if leaf.judgment == "required":
            result[leaf.id] = draw(judgment(leaf.weight))
        elif leaf.judgment == "optional":
            points = tier_points(leaf, values[leaf.level_input], draw(st.sampled_from(QUARTERS)))
            extra = draw(judgment(leaf.weight, points=False)) if draw(st.booleans()) else {}
            if points is not None:
                extra["points"] = points
            if extra:
                result[leaf.id] = extra
        elif leaf.evaluator and draw(st.booleans()):
            result[leaf.id] = draw(judgment(leaf.weight, points=False))
    return result


@st.composite
def submissions(draw: st.DrawFn, plan: Plan, edges: int = 1) -> dict[str, Any]:
    """A valid submission: every value within its declared bounds, judgments where needed.

    A value is often one that meets its target, and ``edges`` times in six one where the verdict
    turns (at the target, a tick either side): random values seldom land there, and bugs do.
    """
    best = plan.best_values()
    at_edge = {name: e for leaf in plan.leaves.values() for name, e in leaf.edges.items() if e}
    values: dict[str, Any] = {}
    for name, inp in plan.inputs.items():
        if not inp.required and draw(st.integers(0, 2)) == 0:
            continue  # the default applies
        pick = draw(st.integers(0, 5))
        if name in best and pick < 2:
            values[name] = best[name]
        elif name in at_edge and pick < 2 + edges:
            values[name] = draw(st.sampled_from(at_edge[name]))
        else:
            values[name] = draw(inp.entries())
    data: dict[str, Any] = {"subject": draw(st.sampled_from(["2020年度口岸大通关补助资金", "项目A"])), "values": values}
    judgments = draw(judgments_for(plan, values))
    if judgments:
        data["judgments"] = judgments
    return data


def full_marks(plan: Plan, applicable: bool = True) -> dict[str, Any]:
    """The submission that meets every target, with no deduction and no veto."""
    values = plan.best_values(applicable)
    judgments: dict[str, Any] = {}
    for leaf in plan.leaves.values():
        if leaf.judgment == "required":
            judgments[leaf.id] = {"deductions": []}
        elif leaf.judgment == "optional":
            points = tier_points(leaf, values[leaf.level_input], Decimal(1))
            if points is not None:
                judgments[leaf.id] = {"points": points}
    return {"subject": "满分", "values": values, "judgments": judgments}


def value_of(plan: Plan, submission: dict[str, Any], name: str) -> Any:
    """The entry given for ``name``, or the input's default."""
    return submission["values"].get(name, plan.inputs[name].default)


def moved(inp: InputPlan, entry: Any, delta: Decimal) -> Decimal | None:
    """``entry`` moved by ``delta`` (internal units) and clipped to the bounds; None when it cannot move."""
    current = inp.internal(entry)
    target = current + delta
    if inp.high is not None:
        target = min(target, inp.high)
    if inp.low is not None:
        target = max(target, inp.low)
    return None if target == current else inp.to_entry(target)


@st.composite
def improvements(draw: st.DrawFn, plan: Plan, submission: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """One change that must never lower any score: raise a ``>=`` actual, lower a ``<=`` one, a better level."""
    options = [(leaf, name, 1) for leaf in plan.leaves.values() for name in leaf.up]
    options += [(leaf, name, -1) for leaf in plan.leaves.values() for name in leaf.down]
    options += [(leaf, leaf.level_input, 0) for leaf in plan.leaves.values() if leaf.level_input]
    if not options:
        return "nothing to improve", submission
    leaf, name, sign = draw(st.sampled_from(options))
    changed = copy.deepcopy(submission)
    if sign == 0:
        return _better_level(draw, leaf, name, changed)
    inp = plan.inputs[name]
    step = draw(dec("0.01", 2, 2) if inp.type == "percent" else dec(1, 200, 0 if inp.type == "integer" else 2))
    entry = moved(inp, value_of(plan, submission, name), sign * step)
    if entry is None:
        return "at its bound", submission
    changed["values"][name] = entry
    return f"{'raise' if sign > 0 else 'lower'} {name} ({leaf.kind} {leaf.rule.get('op', '')})", changed


@st.composite
def approaches(draw: st.DrawFn, plan: Plan, submission: dict[str, Any],
               steps: int = 4) -> tuple[str, list[str], list[dict[str, Any]]]:
    """Walks toward the targets on the missed side: ``steps`` submissions, each nearer (or as near)
    to every ``>=``/``<=`` (and strict) target than the one before, all of them missing it.

    The partial formulas score every step (a strict target's own value is a miss), so no score
    may drop along the walk (each leaf owns its input). A walk starts at the input's far bound,
    often beyond a ``linear`` floor, where a sign slip shows. Gives what changed, the ids of the
    leaves moved, and the walk.
    """
    walk = [copy.deepcopy(submission) for _ in range(steps)]
    changes, moved = [], []
    for leaf in plan.leaves.values():
        if leaf.goal is None or leaf.goal[0] not in (">=", ">", "<=", "<"):
            continue
        (op, goal), (name, inp) = leaf.goal, next(iter(leaf.inputs.items()))
        away = -1 if op.startswith(">") else 1  # from the target out into the missed side
        edge = goal if op in (">", "<") else goal + away * inp.tick  # the nearest miss
        room = int((edge - inp.span[0]) / inp.tick) if away < 0 else int((inp.span[1] - edge) / inp.tick)
        if room < 1:
            continue
        nearer = sorted(draw(st.lists(st.integers(0, room), min_size=steps - 1, max_size=steps - 1)), reverse=True)
        ticks = [room, *nearer]  # distances from the nearest miss, in ticks
        for step, distance in zip(walk, ticks):
            step["values"][name] = inp.to_entry(edge + away * distance * inp.tick)
        changes.append(f"{name}: {' → '.join(str(s['values'][name]) for s in walk)} ({leaf.rule['op']} "
                       f"{leaf.rule['target']}, partial {leaf.rule.get('partial', 'proportional')})")
        moved.append(leaf.id)
    return "; ".join(changes) or "no >= or <= target to miss", moved, walk


def _better_level(draw: st.DrawFn, leaf: Leaf, name: str, changed: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    levels = list(leaf.tiers)
    now = levels.index(changed["values"][name])
    if now == 0:
        return "already the best level", changed
    better = levels[draw(st.integers(0, now - 1))]
    judgment = changed.setdefault("judgments", {}).setdefault(leaf.id, {})
    low, high = leaf.tiers[levels[now]]
    fraction = Decimal(1)
    if low != high and "points" in judgment:
        fraction = (judgment["points"] - leaf.weight * low) / (leaf.weight * (high - low))
    points = tier_points(leaf, better, fraction)
    judgment.pop("points", None)
    if points is not None:
        judgment["points"] = points
    changed["values"][name] = better
    return f"better level {better} for {leaf.id}", changed


@st.composite
def worsenings(draw: st.DrawFn, plan: Plan, submission: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """One change that must never raise any score: a deduction that now applies, a higher count, an evaluator's cut."""
    options: list[tuple[str, Any]] = [("switch", s) for s in plan.switches if s.kind in ("when", "per")]
    options += [("judgment", leaf) for leaf in plan.leaves.values() if leaf.judgment != "none" or leaf.evaluator]
    if not options:
        return "nothing to worsen", submission
    what, thing = draw(st.sampled_from(options))
    changed = copy.deepcopy(submission)
    if what == "judgment":
        given = changed.setdefault("judgments", {}).setdefault(thing.id, {})
        given.setdefault("deductions", []).append({"points": draw(dec("0.01", thing.weight + 1, 2)), "reason": "新增扣分"})
        return f"add an evaluator deduction to {thing.id}", changed
    inp = thing.input
    if thing.kind == "when":
        changed["values"][inp.name] = True
        return f"deduction {inp.name} now applies", changed
    entry = moved(inp, value_of(plan, submission, inp.name), draw(dec(1, 20, 0)))
    if entry is not None:
        changed["values"][inp.name] = entry
    return f"raise the count {inp.name}", changed
