"""One strategy per rule kind: a leaf indicator with its own inputs and its full-marks entries.

Each leaf owns the inputs it reads (named after the leaf), so that changing one input can
only move one leaf: that is what lets the monotonicity property reason about a single rule.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from .core import LABELS, dec, share_text, tidy
from .plan import InputPlan, Leaf

ONE = Decimal(1)


@st.composite
def numeric_input(draw: st.DrawFn, name: str, types: tuple[str, ...] = ("number", "integer", "percent")) -> InputPlan:
    kind = draw(st.sampled_from(types))
    label = draw(st.sampled_from(LABELS))
    if kind == "percent":
        entry = draw(st.sampled_from(["points", "points", "fraction"]))
        low = draw(st.sampled_from([Decimal(0), Decimal(0), None]))
        high = draw(st.sampled_from([ONE, None, Decimal("1.5")]))
        return InputPlan(name, kind, label, entry=entry, low=low, high=high)
    low = draw(st.sampled_from([Decimal(0), Decimal(0), Decimal(1), None]))
    high = draw(st.sampled_from([None, None, Decimal(1000)]))
    return InputPlan(name, kind, label, low=low, high=high, places=draw(st.integers(0, 3)))


def target_text(inp: InputPlan, internal: Decimal, style: int) -> Any:
    """A rule parameter in the input's own terms: ``"95%"`` (or 0.95) for a percent."""
    return share_text(internal, style) if inp.type == "percent" else internal


@st.composite
def target_leaf(draw: st.DrawFn, lid: str, weight: Decimal, directional_only: bool = False) -> Leaf:
    """A target of any op (only ``>=``, ``>``, ``<=``, ``<`` if ``directional_only``) and any partial formula."""
    v = draw(numeric_input(f"{lid}_actual"))
    op = draw(st.sampled_from([">=", ">=", ">", "<=", "<=", "<", *([] if directional_only else ["==", "between"])]))
    style = draw(st.integers(0, 1))
    first = draw(v.internals())
    tick = v.tick
    if op == ">" and v.high is not None and first + tick > v.high:
        first = v.high - tick
    if op == "<" and v.low is not None and first - tick < v.low:
        first = v.low + tick
    rule: dict[str, Any] = {"kind": "target", "value": v.name, "op": op}
    if op == "between":
        low, high = sorted([first, draw(v.internals())])
        rule["target"] = [target_text(v, low, style), target_text(v, high, style)]
    else:
        low = first
        rule["target"] = target_text(v, low, style)
    directional = op in (">=", ">", "<=", "<")
    partial = draw(st.sampled_from(["none", "proportional", "linear", "pass_line", "stepped"] if directional
                                    else ["none", "proportional"]))
    if partial != "proportional" or draw(st.booleans()):
        rule["partial"] = partial
    unit = Decimal("0.01") if v.type == "percent" else ONE
    if partial == "linear" and draw(st.booleans()):
        gap = draw(dec(unit, 100 * unit, 2))
        rule["floor"] = target_text(v, low - gap if op.startswith(">") else low + gap, style)
    if partial == "pass_line" and draw(st.booleans()):
        rule["pass"] = share_text(draw(dec(0, "0.95", 2)), style)
    if partial == "stepped":
        rule["loss_per_step"] = share_text(draw(dec("0.01", "0.5", 2)), style)
        if draw(st.booleans()):
            rule["step"] = target_text(v, draw(dec(unit, 5 * unit, 2)), style)
    if op == "==" and draw(st.booleans()):
        rule["tolerance"] = target_text(v, draw(dec(0, 3 * unit, 2)), style)
    if draw(st.integers(0, 4)) == 0:
        rule["explain_above"] = "130%"
    best = low + tick if op == ">" else low - tick if op == "<" else low
    # at the target (twice as often: a strict target's miss), a tick either side (a miss by a hair)
    edges = [low, low, low - tick, low + tick, *([high, high - tick, high + tick] if op == "between" else [])]
    span = v.span
    return Leaf(lid, weight, "target", rule, {v.name: v}, best={v.name: v.to_entry(best)},
                edges={v.name: [v.to_entry(e) for e in edges if span[0] <= e <= span[1]]},
                goal=(op, low), up=[v.name] if op.startswith(">") else [], down=[v.name] if op.startswith("<") else [])


@st.composite
def ratio_leaf(draw: st.DrawFn, lid: str, weight: Decimal) -> Leaf:
    how = draw(st.sampled_from(["percent", "derived", "inline"]))
    if how == "percent":
        p = draw(numeric_input(f"{lid}_rate", ("percent",)))
        best = p.high if p.high is not None and p.high >= 1 else ONE
        return Leaf(lid, weight, "ratio", {"kind": "ratio", "value": p.name}, {p.name: p}, best={p.name: p.to_entry(best)}, up=[p.name])
    a = InputPlan(f"{lid}_spent", "number", "全年执行数", low=Decimal(0), places=2)
    b = InputPlan(f"{lid}_budget", "number", "全年预算数", low=Decimal(0), places=2)
    expr = f"{a.name} / {b.name} if {b.name} > 0 else 0"
    planned = draw(dec(1, 300, 2))
    leaf = Leaf(lid, weight, "ratio", {"kind": "ratio", "value": expr}, {a.name: a, b.name: b},
                best={a.name: planned, b.name: planned}, up=[a.name])
    if how == "derived":
        name = f"{lid}_rate"
        leaf.derived[name] = {"expr": expr, "label": "预算执行率", "type": "percent"} if draw(st.booleans()) else expr
        leaf.rule["value"] = name
    return leaf


@st.composite
def bands_leaf(draw: st.DrawFn, lid: str, weight: Decimal) -> Leaf:
    v = draw(numeric_input(f"{lid}_value"))
    style = draw(st.integers(0, 1))
    thresholds = sorted(set(draw(st.lists(v.internals(), min_size=1, max_size=4))), reverse=True)
    shares = sorted(draw(st.lists(dec(0, 1, 2), min_size=len(thresholds) - 1, max_size=len(thresholds) - 1)), reverse=True)
    bands, previous = [], None
    for i, (threshold, share) in enumerate(zip(thresholds, [ONE, *shares])):
        key = "min" if i == 0 else draw(st.sampled_from(["min", "above", "equals"]))
        band: dict[str, Any] = {key: target_text(v, threshold, style)}
        if previous is not None and key != "equals" and draw(st.booleans()):
            band["below"] = target_text(v, previous, style)
        if draw(st.booleans()):
            band["points"] = tidy(weight * share)
        else:
            band["share"] = share_text(share, style)
        if draw(st.booleans()):
            band["label"] = f"档{i + 1}"
        bands.append(band)
        previous = threshold
    rule: dict[str, Any] = {"kind": "bands", "value": v.name, "bands": bands}
    if draw(st.booleans()):
        rule["otherwise"] = draw(dec(0, weight * Decimal("1.2"), 2))  # above the weight: clamped
    return Leaf(lid, weight, "bands", rule, {v.name: v}, best={v.name: v.to_entry(thresholds[0])})


LEVEL_NAMES = (("好", "较好", "一般", "差"), ("达成", "部分达成", "未达成"), ("A", "B", "C", "D"), ("优", "良", "中", "差"))


@st.composite
def levels_leaf(draw: st.DrawFn, lid: str, weight: Decimal) -> Leaf:
    names = draw(st.sampled_from(LEVEL_NAMES))
    names = names[: draw(st.integers(2, len(names)))]
    edges = [ONE, *sorted(draw(st.lists(dec(0, 1, 2), min_size=len(names), max_size=len(names))), reverse=True)]
    style = draw(st.integers(0, 1))
    tiers, spec = {}, {}
    for i, name in enumerate(names):
        tier = draw(st.booleans())
        low, high = (edges[i + 1], edges[i]) if tier else (edges[i], edges[i])
        tiers[name] = (low, high)
        spec[name] = [share_text(low, style), share_text(high, style)] if tier else share_text(high, style)
    level = InputPlan(f"{lid}_level", "level", "评价等级", levels=names)
    return Leaf(lid, weight, "levels", {"kind": "levels", "value": level.name, "levels": spec}, {level.name: level},
                best={level.name: names[0]}, judgment="optional", tiers=tiers, level_input=level.name)


@st.composite
def expression_leaf(draw: st.DrawFn, lid: str, weight: Decimal) -> Leaf:
    template = draw(st.integers(0, 3))
    if template == 0:
        a = InputPlan(f"{lid}_done", "number", "完成数", low=Decimal(0), places=1)
        target = draw(dec(1, 200, 1))
        fn = draw(st.sampled_from(["weight * min({a} / {t}, 1)", "clamp(weight * {a} / {t}, 0, weight)"]))
        return Leaf(lid, weight, "expression", {"kind": "expression", "expr": fn.format(a=a.name, t=target)},
                    {a.name: a}, best={a.name: target}, up=[a.name])
    if template == 1:
        c = InputPlan(f"{lid}_cases", "integer", "问题数", low=Decimal(0), places=0)
        k = draw(dec("0.1", 5, 1))
        return Leaf(lid, weight, "expression", {"kind": "expression", "expr": f"weight - {k} * {c.name}"},
                    {c.name: c}, best={c.name: Decimal(0)}, down=[c.name])
    if template == 2:
        b = InputPlan(f"{lid}_done", "boolean", "是否完成")
        s = draw(dec(0, 1, 2))
        return Leaf(lid, weight, "expression", {"kind": "expression", "expr": f"weight if {b.name} else weight * {s}"},
                    {b.name: b}, best={b.name: True})
    p = InputPlan(f"{lid}_rate", "percent", "完成率", low=Decimal(0))
    return Leaf(lid, weight, "expression", {"kind": "expression", "expr": f"round(weight * {p.name}, 2)"},
                {p.name: p}, best={p.name: p.to_entry(ONE)}, up=[p.name])


@st.composite
def judged_leaf(draw: st.DrawFn, lid: str, weight: Decimal) -> Leaf:
    return Leaf(lid, weight, "judged", {"kind": "judged", "guide": draw(st.sampled_from(LABELS))}, judgment="required")


@st.composite
def elements_leaf(draw: st.DrawFn, lid: str, weight: Decimal) -> Leaf:
    count = draw(st.integers(1, 4))
    given = draw(st.booleans())
    shares = draw(_percent_split(count)) if given else None
    leaf = Leaf(lid, weight, "elements", {"kind": "elements", "elements": []})
    for i in range(count):
        element: dict[str, Any] = {"label": "①②③④"[i] + draw(st.sampled_from(LABELS))}
        if given:
            element["share"] = shares[i]
        how = draw(st.sampled_from(["met", "met_expr", "failures"]))
        if how == "met":
            b = InputPlan(f"{lid}_e{i}", "boolean", "是否满足")
            element["met"], leaf.inputs[b.name], leaf.best[b.name] = b.name, b, True
        elif how == "met_expr":
            n = InputPlan(f"{lid}_e{i}", "integer", "完成项数", low=Decimal(0), places=0)
            need = draw(st.integers(1, 5))
            element["met"], leaf.inputs[n.name], leaf.best[n.name] = f"{n.name} >= {need}", n, Decimal(need)
            leaf.up.append(n.name)
        else:
            n = InputPlan(f"{lid}_e{i}", "integer", "不满足次数", low=Decimal(0), places=0)
            element["failures"], leaf.inputs[n.name], leaf.best[n.name] = n.name, n, Decimal(0)
            element["loss_per_failure"] = draw(st.sampled_from(["1/3", "50%", Decimal("0.25"), "1/2", "100%"]))
            leaf.down.append(n.name)
        leaf.rule["elements"].append(element)
    return leaf


@st.composite
def _percent_split(draw: st.DrawFn, count: int) -> list[str]:
    from .core import split
    return [f"{part}%" for part in draw(split(100, count, allow_zero=True))]


@st.composite
def deviation_leaf(draw: st.DrawFn, lid: str, weight: Decimal) -> Leaf:
    count = draw(st.integers(1, 3))
    absolute = draw(st.booleans())
    given = draw(st.booleans())
    shares = draw(_percent_split(count)) if given else None
    leaf = Leaf(lid, weight, "deviation", {"kind": "deviation", "items": []})
    if absolute or draw(st.booleans()):
        leaf.rule["absolute"] = absolute
    for i in range(count):
        actual = InputPlan(f"{lid}_a{i}", "number", "实际完成", low=Decimal(0), places=2)
        planned = InputPlan(f"{lid}_p{i}", "number", "计划完成", low=Decimal(0), places=2)
        item: dict[str, Any] = {"label": f"{2020 + i}年", "actual": actual.name, "planned": planned.name}
        if given:
            item["share"] = shares[i]
        leaf.rule["items"].append(item)
        figure = draw(dec(1, 500, 2))
        leaf.inputs.update({actual.name: actual, planned.name: planned})
        leaf.best.update({actual.name: figure, planned.name: figure})
        if not absolute:
            leaf.up.append(actual.name)
    return leaf


STANDARD = ("非常满意", "比较满意", "一般", "比较不满意", "非常不满意")


@st.composite
def likert_leaf(draw: st.DrawFn, lid: str, weight: Decimal) -> Leaf:
    rule: dict[str, Any] = {"kind": "likert", "answers": {}}
    if draw(st.booleans()):
        levels = ["非常满意", *draw(st.lists(st.sampled_from(STANDARD[1:]), unique=True, max_size=4))]
    else:
        levels = ["好", "中", "差"]
        rule["scale"] = {"好": "100%", "中": draw(st.sampled_from(["60%", Decimal("0.5"), "2/3"])), "差": 0}
    leaf = Leaf(lid, weight, "likert", rule)
    for i, level in enumerate(levels):
        n = InputPlan(f"{lid}_n{i}", "integer", f"{level}人数", low=Decimal(0), places=0)
        rule["answers"][level] = n.name
        leaf.inputs[n.name] = n
        leaf.best[n.name] = Decimal(draw(st.integers(1, 300))) if i == 0 else Decimal(0)
    leaf.up.append(rule["answers"][levels[0]])
    if draw(st.booleans()):
        rule["full_at"] = draw(st.sampled_from(["90%", "95%", Decimal("0.8"), "100%"]))
        rule["loss_per_point"] = draw(st.sampled_from(["5%", "1%", Decimal("0.1")]))
    return leaf


@st.composite
def yes_no_leaf(draw: st.DrawFn, lid: str, weight: Decimal) -> Leaf:
    leaf = Leaf(lid, weight, "yes_no", {"kind": "yes_no"})
    if draw(st.booleans()):
        b = InputPlan(f"{lid}_ok", "boolean", "是否按期完成")
        leaf.rule["when"], leaf.inputs[b.name], leaf.best[b.name] = b.name, b, True
    else:
        n = InputPlan(f"{lid}_n", "integer", "完成项数", low=Decimal(0), places=0)
        need = draw(st.integers(0, 9))
        leaf.rule["when"], leaf.inputs[n.name], leaf.best[n.name] = f"{n.name} >= {need}", n, Decimal(need)
        leaf.up.append(n.name)
    if draw(st.booleans()):
        leaf.rule["otherwise"] = draw(dec(0, weight * Decimal("1.2"), 2))
    return leaf


#: Narrower variants, for properties about one family of rules (``plans(kinds=("directional_target",))``).
VARIANTS = {"directional_target": lambda lid, weight: target_leaf(lid, weight, directional_only=True)}

BUILDERS = {
    "target": target_leaf, "ratio": ratio_leaf, "bands": bands_leaf, "levels": levels_leaf,
    "expression": expression_leaf, "judged": judged_leaf, "elements": elements_leaf,
    "deviation": deviation_leaf, "likert": likert_leaf, "yes_no": yes_no_leaf,
}
