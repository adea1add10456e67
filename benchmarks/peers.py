"""The Qingdao 2020 rubric written for two peer rule engines: GoRules ZEN and rule-engine.

Both are built from the rubric's YAML (weights, targets and grade bands are read, not
retyped), with the three derived formulas hand-translated into each engine's language.
Only the rule kinds Qingdao uses are translated: ``judged``, ``ratio`` and ``target``
(``proportional`` and ``none``). Rounding is half-up to 2 decimals per leaf, deductions
are rounded and capped at what is left (扣完为止), exactly as the engine does.

Each scorer takes the same plain submission as the engine and returns (total, grade,
scores), the scores by indicator id for every leaf and level-1 indicator; turning percents
("97%" or bare points) into fractions is part of its timed work.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import yaml

HUNDRED = Decimal(100)
Scorer = Callable[[dict[str, Any]], tuple[Any, str, dict[str, Any]]]


class Spec:
    """What the peers need from the rubric: leaves (with their level-1 group), inputs, bands."""

    def __init__(self, path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.percents = frozenset(k for k, v in data["inputs"].items() if v["type"] == "percent")
        self.groups = {top["id"]: list(_leaves(top)) for top in data["indicators"]}
        self.bands = [(b["label"], b["range"]) for b in data["grades"]]


def _leaves(node: dict[str, Any]):
    if "children" not in node:
        yield node
    for child in node.get("children", ()):
        yield from _leaves(child)


def typed_values(values: dict[str, Any], percents: frozenset[str]) -> dict[str, Decimal]:
    """Decimal values, percents as fractions: what both peers compute on."""
    out = {}
    for name, raw in values.items():
        if isinstance(raw, str):
            text = raw.strip()
            if text.endswith(("%", "％")):
                out[name] = Decimal(text[:-1]) / HUNDRED
                continue
            raw = Decimal(text)
        out[name] = raw / HUNDRED if name in percents else raw
    return out


def _constant(raw: Any) -> str:
    """A rule parameter as a literal or a name, in either peer's syntax."""
    text = str(raw).strip()
    return str(Decimal(text[:-1]) / HUNDRED) if text.endswith("%") else text


def _target(rule: dict[str, Any], weight: int, share: Callable[[str], str], ternary: Callable[[str, str, str], str],
            rounded: Callable[[str], str], least: Callable[[str, str], str]) -> str:
    value, target = rule["value"], _constant(rule["target"])
    op = rule["op"]
    if rule.get("partial", "proportional") == "none":
        return ternary(f"{value} {op} {target}", str(weight), "0")
    ratio = (ternary(f"{target} > 0", f"{value} / {target}", "0") if op == ">="
             else ternary(f"{value} > 0", f"{target} / {value}", "0"))
    missed = least(rounded(f"{weight} * {share(ratio)}"), str(weight - Decimal("0.01")))  # a miss never scores full
    return ternary(f"{value} {op} {target}", str(weight), missed)


# -- GoRules ZEN --------------------------------------------------------------------------
ZEN_DERIVED = {
    "arrival_rate": "budget > 0 ? received / budget : 0",
    "execution_rate": "received > 0 ? spent / received : 0",
    "clearance_time_cut": "min([import_time_cut, export_time_cut])",
}


def _zen_leaf(leaf: dict[str, Any]) -> str:
    rule, weight = leaf["rule"], leaf["weight"]
    share = lambda x: f"min([max([{x}, 0]), 1])"  # noqa: E731
    ternary = lambda c, a, b: f"({c} ? {a} : {b})"  # noqa: E731
    rounded = lambda x: f"round({x}, 2)"  # noqa: E731 - ZEN rounds halves away from zero
    if rule["kind"] == "judged":
        j = f"j.{leaf['id']}"
        return f"max([round({j}.points ?? {weight}, 2) - sum(map({j}.deductions, round(#.points, 2))), 0])"
    if rule["kind"] == "ratio":
        return rounded(f"{weight} * {share(rule['value'])}")
    return _target(rule, weight, share, ternary, rounded, lambda a, b: f"min([{a}, {b}])")


def zen_decision(spec: Spec) -> dict[str, Any]:
    """The JSON decision model: input → derived → leaves → totals → grade table → output."""
    leaves = [leaf for group in spec.groups.values() for leaf in group]
    totals = {f"s_{g}": " + ".join(f"s_{leaf['id']}" for leaf in group) for g, group in spec.groups.items()}
    totals["total"] = " + ".join(f"$.s_{g}" for g in spec.groups)
    nodes = [{"id": "request", "type": "inputNode", "name": "request", "position": {"x": 0, "y": 0}},
             _zen_expressions("derived", ZEN_DERIVED, passthrough=True),
             _zen_expressions("leaves", {f"s_{leaf['id']}": _zen_leaf(leaf) for leaf in leaves}, passthrough=False),
             _zen_expressions("totals", totals, passthrough=True),
             _zen_grades(spec.bands),
             {"id": "response", "type": "outputNode", "name": "response", "position": {"x": 0, "y": 0}}]
    order = [n["id"] for n in nodes]
    edges = [{"id": f"{a}-{b}", "sourceId": a, "targetId": b, "type": "edge"} for a, b in zip(order, order[1:])]
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


def _zen_expressions(name: str, expressions: dict[str, str], passthrough: bool) -> dict[str, Any]:
    return {"id": name, "type": "expressionNode", "name": name, "position": {"x": 0, "y": 0},
            "content": {"expressions": [{"id": f"{name}.{k}", "key": k, "value": v} for k, v in expressions.items()],
                        "passThrough": passthrough, "inputField": None, "outputPath": None, "executionMode": "single"}}


def _zen_grades(bands: list[tuple[str, str]]) -> dict[str, Any]:
    rules = [{"_id": label, "in-total": text.replace(",", "..").replace(" ", ""), "out-grade": json.dumps(label, ensure_ascii=False)}
             for label, text in bands]
    return {"id": "grades", "type": "decisionTableNode", "name": "grades", "position": {"x": 0, "y": 0},
            "content": {"hitPolicy": "first", "passThrough": True, "inputField": None, "outputPath": None,
                        "executionMode": "single",
                        "inputs": [{"id": "in-total", "name": "total", "field": "total"}],
                        "outputs": [{"id": "out-grade", "name": "grade", "field": "grade"}],
                        "rules": rules}}


def zen_scorer(spec: Spec) -> Scorer:
    import zen

    decision = zen.ZenEngine().create_decision(json.dumps(zen_decision(spec)))
    percents = spec.percents

    def score(data: dict[str, Any]) -> tuple[Any, str, dict[str, Any]]:
        # ZEN takes no Decimal; it reads a float through its shortest text (0.6015 stays 0.6015), which is
        # exact for figures like these and faster than passing JSON text (tried: about 15% slower)
        context: dict[str, Any] = {k: float(v) for k, v in typed_values(data["values"], percents).items()}
        context["j"] = {k: {"points": None if j.get("points") is None else float(j["points"]),
                            "deductions": [{"points": float(d["points"])} for d in j.get("deductions") or ()]}
                        for k, j in (data.get("judgments") or {}).items()}
        result = decision.evaluate(context)["result"]
        return result["total"], result["grade"], {k[2:]: v for k, v in result.items() if k.startswith("s_")}

    return score


# -- rule-engine --------------------------------------------------------------------------
RULE_ENGINE_DERIVED = ZEN_DERIVED | {"clearance_time_cut": "$min([import_time_cut, export_time_cut])"}
_RE_ROUND = "(({x}) * 100 + 0.5).floor / 100"  # half-up for the non-negative points this rubric has


def _rule_engine_leaf(leaf: dict[str, Any]) -> str:
    rule, weight = leaf["rule"], leaf["weight"]
    share = lambda x: f"$min([$max([{x}, 0]), 1])"  # noqa: E731
    ternary = lambda c, a, b: f"({c} ? {a} : {b})"  # noqa: E731
    rounded = lambda x: _RE_ROUND.format(x=x)  # noqa: E731
    if rule["kind"] == "judged":  # evaluated on the judgment itself: points (maybe null), deductions
        cuts = "$sum([" + rounded("d['points']") + " for d in deductions])"
        return f"$max([{rounded(f'points == null ? {weight} : points')} - {cuts}, 0])"
    if rule["kind"] == "ratio":
        return rounded(f"{weight} * {share(rule['value'])}")
    return _target(rule, weight, share, ternary, rounded, lambda a, b: f"$min([{a}, {b}])")


def rule_engine_scorer(spec: Spec) -> Scorer:
    import rule_engine

    context = rule_engine.Context(default_value=None)
    derived = [(name, rule_engine.Rule(text, context=context)) for name, text in RULE_ENGINE_DERIVED.items()]
    leaves = [(leaf["id"], leaf["rule"]["kind"] == "judged", rule_engine.Rule(_rule_engine_leaf(leaf), context=context))
              for group in spec.groups.values() for leaf in group]
    groups = [(g, rule_engine.Rule(" + ".join(leaf["id"] for leaf in group), context=context))
              for g, group in spec.groups.items()]
    total = rule_engine.Rule(" + ".join(spec.groups), context=context)
    grade = rule_engine.Rule(_rule_engine_grade(spec.bands), context=context)
    percents = spec.percents

    def score(data: dict[str, Any]) -> tuple[Any, str, dict[str, Any]]:
        env: dict[str, Any] = typed_values(data["values"], percents)
        for name, rule in derived:
            env[name] = rule.evaluate(env)
        judgments = data.get("judgments") or {}
        scores = {leaf: rule.evaluate(judgments[leaf] if judged else env) for leaf, judged, rule in leaves}
        sums = {g: rule.evaluate(scores) for g, rule in groups}
        result = total.evaluate(sums)
        return result, grade.evaluate({"total": result}), scores | sums

    return score


def _rule_engine_grade(bands: list[tuple[str, str]]) -> str:
    """Best band first: the first lower edge the total reaches names the grade."""
    text = json.dumps(bands[-1][0], ensure_ascii=False)
    for label, interval in reversed(bands[:-1]):
        low = interval.strip()[1:].split(",")[0].strip()
        op = ">=" if interval.strip()[0] in "[【" else ">"
        text = f"(total {op} {low} ? {json.dumps(label, ensure_ascii=False)} : {text})"
    return text
