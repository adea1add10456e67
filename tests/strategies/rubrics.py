"""Valid rubrics: indicator trees of depth 1-3 whose weights add up, every rule kind,
deductions, bands partitioning 0..total with random open/closed edges, veto, applicable."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from .core import GRADE_LABELS, LABELS, dec, split
from .leaves import BUILDERS, VARIANTS
from .plan import InputPlan, Leaf, Plan, Switch

_FULL_WIDTH = str.maketrans({"[": "【", "]": "】", "(": "（", ")": "）", ",": "，"})


def rare(chance: int = 5) -> st.SearchStrategy[bool]:
    """True about once in ``chance`` draws."""
    return st.integers(0, chance - 1).map(lambda i: i == 0)


@dataclass
class _Context:
    kinds: tuple[str, ...]
    max_depth: int
    scale: Decimal
    precision: int
    zero: bool
    features: frozenset[str]
    conditional: bool = False  # some node has an applicable condition
    leaves: dict[str, Leaf] = field(default_factory=dict)
    switches: list[Switch] = field(default_factory=list)


@st.composite
def _node(draw: st.DrawFn, nid: str, units: int, depth: int, ctx: _Context) -> dict[str, Any]:
    weight = Decimal(units) / ctx.scale
    node: dict[str, Any] = {"id": nid, "label": draw(st.sampled_from(LABELS)), "weight": weight}
    if depth < ctx.max_depth and units >= 2 and draw(st.booleans()):
        parts = draw(split(units, draw(st.integers(2, min(3, units))), allow_zero=ctx.zero))
        node["children"] = [draw(_node(f"{nid}_{i + 1}", part, depth + 1, ctx)) for i, part in enumerate(parts)]
    else:
        kind = draw(st.sampled_from(ctx.kinds))
        leaf = draw((BUILDERS.get(kind) or VARIANTS[kind])(nid, weight))
        ctx.leaves[nid] = leaf
        node["rule"] = leaf.rule
        if "deductions" in ctx.features:
            node.update(draw(_deductions(nid, weight, ctx)))
        if leaf.judgment == "none" and draw(rare(4)):
            node["evaluator_deductions"] = leaf.evaluator = True
        if draw(rare(6)):  # coarser than the rubric's, never finer (refused at load), and keeping the weight exact
            coarsest = max(0, -weight.normalize().as_tuple().exponent)
            node["precision"] = draw(st.integers(min(coarsest, ctx.precision), ctx.precision))
    if "applicable" in ctx.features and draw(rare(7)):
        ctx.conditional = True
        flag = InputPlan(f"{nid}_applies", "boolean", "是否适用", required=False, default=True)
        node["applicable"] = flag.name
        ctx.switches.append(Switch(flag, True, "applicable"))
    return node


@st.composite
def _deductions(draw: st.DrawFn, nid: str, weight: Decimal, ctx: _Context) -> dict[str, Any]:
    result = []
    for i in range(draw(st.sampled_from([0, 0, 1, 1, 2]))):
        points = draw(dec(0, max(weight * Decimal("1.5"), Decimal(1)), 2))
        deduction: dict[str, Any] = {"reason": f"扣分原因{i + 1}", "points": points}
        how = draw(st.sampled_from(["when", "when_expr", "per", "per_whole", "per_above"]))
        if how == "when":
            flag = InputPlan(f"{nid}_d{i}", "boolean", "是否存在问题", required=draw(st.booleans()), default=False)
            deduction["when"], switch = flag.name, Switch(flag, False, "when")
        elif how == "when_expr":
            count = InputPlan(f"{nid}_d{i}", "integer", "问题数", low=Decimal(0), places=0)
            deduction["when"], switch = f"{count.name} > {draw(st.integers(0, 3))}", Switch(count, Decimal(0), "per")
        else:
            whole = how in ("per_whole", "per_above") and (how == "per_whole" or draw(st.booleans()))
            count = InputPlan(f"{nid}_d{i}", "number" if how != "per" else "integer", "问题数", low=Decimal(0),
                              places=0 if how == "per" else 1)
            deduction["per"], switch = count.name, Switch(count, Decimal(0), "per")
            if how == "per_above":  # steps above a threshold (每超过…扣…); 0 is at or below it
                deduction["above"] = draw(st.integers(0, 3))
                if draw(st.booleans()):
                    deduction["step"] = draw(st.sampled_from(["0.5", 1, 2, "1/3"]))
            if whole:
                deduction["whole"] = True
            if draw(st.booleans()):
                deduction["cap"] = draw(dec(0, weight, 2))
        result.append(deduction)
        ctx.switches.append(switch)
    return {"deductions": result} if result else {}


@st.composite
def grade_bands(draw: st.DrawFn, total: Decimal) -> list[tuple[str, Decimal, Decimal, bool, bool]]:
    """Bands that partition 0..total, best first, each edge closed on exactly one side."""
    inner = dec(0, total, 2).filter(lambda c: 0 < c < total)
    cuts = sorted(set(draw(st.lists(inner, max_size=4))))
    labels = draw(st.lists(st.sampled_from(GRADE_LABELS), min_size=len(cuts) + 1, max_size=len(cuts) + 1, unique=True))
    lower_keeps = [draw(st.booleans()) for _ in cuts]  # does the lower band include the cut?
    lows, highs = [Decimal(0), *cuts], [*cuts, total]
    ascending = [(lows[i], highs[i], i == 0 or not lower_keeps[i - 1], i == len(cuts) or lower_keeps[i])
                 for i in range(len(cuts) + 1)]
    return [(label, *band) for label, band in zip(labels, reversed(ascending))]


def interval_text(low: Decimal, high: Decimal, low_closed: bool, high_closed: bool, full_width: bool) -> str:
    text = f"{'[' if low_closed else '('}{low:f}, {high:f}{']' if high_closed else ')'}"
    return text.translate(_FULL_WIDTH) if full_width else text


@st.composite
def plans(draw: st.DrawFn, kinds: tuple[str, ...] = tuple(BUILDERS), max_depth: int = 3,
          features: frozenset[str] = frozenset({"deductions", "applicable", "veto"}), vetoes: tuple[int, int] = (0, 2)) -> Plan:
    """A valid rubric and what is known about it (see :class:`Plan`)."""
    precision = draw(st.integers(0, 3))
    places = draw(st.integers(0, min(precision, 2)))
    scale = Decimal(10) ** places
    total_units = draw(st.sampled_from([100, 100, 10, 35]) .map(lambda t: int(t * scale)) | st.integers(4, int(200 * scale)))
    ctx = _Context(kinds, draw(st.integers(1, max_depth)), scale, precision, draw(rare(8)), features)
    parts = draw(split(total_units, draw(st.integers(1, min(4, total_units)))))
    indicators = [draw(_node(f"n{i + 1}", part, 1, ctx)) for i, part in enumerate(parts)]
    total = Decimal(total_units) / scale
    bands = draw(grade_bands(total))
    vetoes = draw(_vetoes([b[0] for b in bands], ctx, draw(st.integers(*vetoes)))) if "veto" in features else []
    data: dict[str, Any] = {"id": draw(st.sampled_from(["t", "qingdao", "wuhan-2017", "yiyang_zp"])),
                            "version": draw(st.sampled_from(["1", "2020", "2.1", Decimal("2022")])),
                            "title": "生成的评分规则"}
    if precision != 2 or draw(st.booleans()):
        data["precision"] = precision
    if total != 100 or draw(st.booleans()):
        data["total"] = total
    full_width = draw(rare(4))
    data["grades"] = [{"label": label, "range": interval_text(low, high, lc, hc, full_width)} for label, low, high, lc, hc in bands]
    inputs = {name: inp for leaf in ctx.leaves.values() for name, inp in leaf.inputs.items()}
    inputs.update({s.input.name: s.input for s in ctx.switches})
    if not inputs or draw(rare(6)):  # a rubric needs an input even when every indicator is judged
        inputs["remark"] = InputPlan("remark", "text", "备注", required=False, default="无")
    data["inputs"] = {name: inp.spec() for name, inp in inputs.items()}
    derived = {name: spec for leaf in ctx.leaves.values() for name, spec in leaf.derived.items()}
    if derived:
        data["derived"] = derived
    data["indicators"] = indicators
    if vetoes:
        data["veto"] = vetoes
    return Plan(data, ctx.leaves, inputs, ctx.switches, bands)


@st.composite
def _vetoes(draw: st.DrawFn, labels: list[str], ctx: _Context, count: int) -> list[dict[str, Any]]:
    result = []
    for i in range(count):
        grade = draw(st.sampled_from(labels))
        if draw(st.booleans()):
            flag = InputPlan(f"veto{i}", "boolean", "是否发生重大违规")
            when, switch = flag.name, Switch(flag, False, "veto", grade)
        else:
            flag = InputPlan(f"veto{i}", "boolean", "是否合规")
            when, switch = f"not {flag.name}", Switch(flag, True, "veto", grade)
        ctx.switches.append(switch)
        result.append({"when": when, "grade": grade, "reason": "一票否决"})
    return result
