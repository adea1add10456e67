"""Loading a rubric: read → schema → semantic checks → compiled, frozen :class:`Rubric`.

Every problem found is collected and raised together as one :class:`RubricLoadError`,
each located by file, line, column and a path that names list items by their id.
"""
from __future__ import annotations

import hashlib
import keyword
from decimal import Decimal
from pathlib import Path
from typing import Any

from .deductions import build_deduction
from .document import Document, PathKey, load_file, parse_text
from .errors import Problem, RubricLoadError
from .expressions import Expression, ExpressionError
from .grades import Band, GradeScale, check_partition, parse_interval
from .model import AuditSettings, Case, DeductionRule, Derived, Indicator, Input, Rubric, Veto
from .numbers import HUNDRED, parse_percent, plain, round_half_up
from .rules import KINDS
from .rules.bands import BandsRule
from .rules.base import BuildContext
from .schema import schema_problems
from .suggest import did_you_mean


def load_rubric(path: str | Path) -> Rubric:
    """Load and check a rubric file; raise :class:`RubricLoadError` listing every problem."""
    return build_rubric(load_file(path))


def parse_rubric(text: str, name: str = "<string>") -> Rubric:
    """Load a rubric from YAML text (for tests and embedding)."""
    doc = parse_text(text, name)
    doc.sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return build_rubric(doc)


def build_rubric(doc: Document) -> Rubric:
    problems = _non_finite(doc, doc.data, ())
    if not isinstance(doc.data, dict):
        raise RubricLoadError(doc.problem((), "a rubric must be a mapping with id, version, title, grades, inputs and indicators"))
    problems += schema_problems(doc)
    if problems:
        raise RubricLoadError(problems)
    builder = _Builder(doc)
    rubric = builder.rubric()
    if builder.problems:
        raise RubricLoadError(sorted(builder.problems, key=lambda p: (p.line or 0, p.column or 0)))
    return rubric


def _non_finite(doc: Document, value: Any, path: PathKey) -> list[Problem]:
    if isinstance(value, Decimal) and not value.is_finite():
        return [doc.problem(path, f"expected a finite number, got {value}")]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _non_finite(doc, v, path + (k,))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _non_finite(doc, v, path + (i,))]
    return []


class _Builder:
    """The semantic checks, run once the schema holds, building the model as they go."""

    def __init__(self, doc: Document) -> None:
        self.doc, self.data = doc, doc.data
        self.problems: list[Problem] = []
        self.total = Decimal(self.data.get("total", 100))

    def problem(self, path: PathKey, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def rubric(self) -> Rubric:
        inputs = self.inputs()
        derived = self.derived(inputs)
        known = frozenset(inputs) | set(self.data.get("derived", {}))
        types = {i.id: (i.type, i.unit) for i in inputs.values()} | {d.id: (d.type, d.unit) for d in derived}
        levels = {i.id: i.levels for i in inputs.values() if i.type == "level"}
        self.context = lambda path, precision=2: BuildContext(self.doc, path, known, types, levels, self.problems, precision)
        indicators = self.indicators(known)
        grades = self.grades()
        return Rubric(
            id=self.data["id"], version=str(self.data["version"]),  # as written: 1.10 stays 1.10
            title=self.data["title"], total=self.total, precision=int(self.data.get("precision", 2)),
            grades=grades, inputs=inputs, derived=derived, indicators=indicators,
            veto=self.vetoes(known, grades), cases=self.cases(indicators),
            authority=self.data.get("authority", ""), source=self.data.get("source", ""), notes=self.data.get("notes", ""),
            file=self.doc.file, sha256=self.doc.sha256, audit=self.audit(known),
        )

    # -- inputs and derived names --------------------------------------------------------
    def inputs(self) -> dict[str, Input]:
        result = {}
        for name, spec in self.data["inputs"].items():
            path = ("inputs", name)
            self._check_name(name, path)
            if spec["type"] == "level" and "levels" not in spec:
                self.problem(path, "an input of type level needs 'levels': the allowed levels, best first")
            if spec["type"] != "level" and "levels" in spec:
                self.problem(path + ("levels",), f"'levels' only applies to type level, not {spec['type']}")
            required = spec.get("required", "default" not in spec)
            if not required and "default" not in spec:
                self.problem(path, "an optional input needs a 'default' (the value used when it is not given)")
            bounds = {key: self._bound(spec, key, path) for key in ("min", "max")}
            result[name] = Input(id=name, type=spec["type"], label=spec["label"], unit=spec.get("unit", ""),
                                 description=spec.get("description", ""), required=required, default=spec.get("default"),
                                 minimum=bounds["min"], maximum=bounds["max"], levels=tuple(spec.get("levels", ())),
                                 percent_entry=spec.get("percent_entry", "points"))
        return result

    def _bound(self, spec: dict[str, Any], key: str, path: PathKey) -> Decimal | None:
        raw = spec.get(key)
        if raw is None:
            return None
        if isinstance(raw, Decimal):
            return raw / HUNDRED if spec["type"] == "percent" and spec.get("percent_entry", "points") == "points" else raw
        percent = parse_percent(str(raw))
        if percent is None or spec["type"] != "percent":
            hint = ' or a percent like "100%"' if spec["type"] == "percent" else ""
            self.problem(path + (key,), f'expected a number{hint}, got "{raw}"')
        return percent

    def _check_name(self, name: str, path: PathKey) -> None:
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_") or name == "weight":
            self.problem(path, f"'{name}' cannot be used as a name in expressions: use letters (Chinese is fine), digits and '_', "
                               "not starting with a digit or '_', and not a reserved word")

    def derived(self, inputs: dict[str, Input]) -> tuple[Derived, ...]:
        specs = self.data.get("derived", {})
        known = set(inputs) | set(specs)
        parsed: dict[str, Derived] = {}
        for name, spec in specs.items():
            spec = {"expr": spec} if isinstance(spec, str) else spec
            path = ("derived", name)
            self._check_name(name, path)
            if name in inputs:
                self.problem(path, f"'{name}' is already an input")
            try:
                expression = Expression(spec["expr"], known)
            except ExpressionError as exc:
                self.problem(path, f"{exc} in expression {spec['expr']!r}")
                continue
            parsed[name] = Derived(name, expression, spec.get("label", name), spec.get("unit", ""), spec.get("type", "number"))
        return tuple(parsed[name] for name in self._order(parsed))

    def _order(self, parsed: dict[str, Derived]) -> list[str]:
        """Derived names in an order where each comes after the names it uses; cycles reported."""
        order: list[str] = []
        state: dict[str, str] = {}

        def visit(name: str, trail: list[str]) -> None:
            if state.get(name) == "done":
                return
            if state.get(name) == "open":
                cycle = trail[trail.index(name):] + [name]
                self.problem(("derived", name), f"derived names form a cycle: {' → '.join(cycle)}")
                return
            state[name] = "open"
            for used in sorted(parsed[name].expression.names & set(parsed)):
                visit(used, trail + [name])
            state[name] = "done"
            order.append(name)

        for name in parsed:
            visit(name, [])
        return order

    # -- the indicator tree ----------------------------------------------------------------
    def indicators(self, known: frozenset[str]) -> tuple[Indicator, ...]:
        self.seen_ids: dict[str, PathKey] = {}
        nodes = tuple(self.indicator(spec, ("indicators", i), 1, known) for i, spec in enumerate(self.data["indicators"]))
        weights = sum((n.weight for n in nodes), Decimal(0))
        if weights != self.total:
            self.problem(("indicators",), f"level-1 weights add up to {plain(weights)}, expected the total {plain(self.total)}")
        return nodes

    def indicator(self, spec: dict[str, Any], path: PathKey, level: int, known: frozenset[str]) -> Indicator:
        node_id = spec["id"]
        if node_id in self.seen_ids:
            self.problem(path + ("id",), f"indicator id '{node_id}' is used twice (first at {self.doc.path_text(self.seen_ids[node_id])})")
        self.seen_ids.setdefault(node_id, path)
        children = tuple(self.indicator(c, path + ("children", i), level + 1, known) for i, c in enumerate(spec.get("children", [])))
        weight = spec["weight"]
        if children:
            if "rule" in spec:
                self.problem(path + ("rule",), "an indicator with children scores the sum of its children; move the rule to a leaf")
            child_sum = sum((c.weight for c in children), Decimal(0))
            if child_sum != weight:
                self.problem(path + ("weight",), f"children of '{node_id}' weigh {plain(child_sum)} in all, but '{node_id}' weighs {plain(weight)}")
        elif "rule" not in spec:
            self.problem(path, f"leaf indicator '{node_id}' needs a 'rule' (one of {', '.join(KINDS)}) or 'children'")
        if not children:
            self._fits_precision(spec, path, weight)
        rule = self.rule(spec, path, weight) if "rule" in spec and not children else None
        return Indicator(
            id=node_id, label=spec["label"], weight=weight, path=self.doc.path_text(path), level=level,
            children=children, rule=rule, deductions=self.deductions(spec, path),
            applicable=self.expression(spec.get("applicable"), path + ("applicable",), known),
            precision=spec.get("precision"), evaluator_deductions=bool(spec.get("evaluator_deductions", False)),
            description=spec.get("description", ""),
        )

    def _fits_precision(self, spec: dict[str, Any], path: PathKey, weight: Decimal) -> None:
        """A leaf's score is rounded to its precision, so its weight must be exact at that precision
        (weight 2.5 at precision 0 would score 3 of 2.5, and totals could leave every grade band).
        A leaf may round more coarsely than the rubric (whole points), never more finely: parents and
        the total are shown at the rubric's precision, and 1.235 + 1.235 shown as 1.24 + 1.24 under 2.47
        would not add up as printed."""
        rubric_precision, precision = int(self.data.get("precision", 2)), self._precision(spec)
        if precision > rubric_precision:
            self.problem(path + ("precision",), f"precision {precision} is finer than the rubric's precision {rubric_precision}: "
                                                f"parents and the total are shown to {rubric_precision} decimals, so this leaf's "
                                                f"{precision} would not add up as shown; use {rubric_precision} or fewer "
                                                "(0 for whole points)")
            return
        if round_half_up(weight, precision) != weight:
            self.problem(path + ("weight",), f"weight {plain(weight)} has more decimals than precision {precision} keeps: "
                                             f"full marks would be rounded to {plain(round_half_up(weight, precision))}; "
                                             "raise 'precision' or round the weight")

    def _precision(self, spec: dict[str, Any]) -> int:
        """A leaf's precision: its own, else the rubric's."""
        return int(spec.get("precision", self.data.get("precision", 2)))

    def rule(self, spec: dict[str, Any], path: PathKey, weight: Decimal) -> Any:
        rule_spec = spec["rule"]
        cls = KINDS[rule_spec["kind"]]
        rule = cls.build(rule_spec, self.context(path + ("rule",), self._precision(spec)))
        if isinstance(rule, BandsRule):
            for message in rule.check_weight(weight):
                self.problem(path + ("rule", "bands"), message)
        return rule

    def deductions(self, spec: dict[str, Any], path: PathKey) -> tuple[DeductionRule, ...]:
        ctx = self.context(path)
        return tuple(build_deduction(d, ("deductions", i), ctx) for i, d in enumerate(spec.get("deductions", [])))

    def expression(self, source: Any, path: PathKey, known: frozenset[str]) -> Expression | None:
        if source is None:
            return None
        try:
            return Expression(str(source), known)
        except ExpressionError as exc:
            self.problem(path, f"{exc} in expression {source!r}")
            return None

    # -- grades, veto, cases, audit --------------------------------------------------------
    def grades(self) -> GradeScale:
        bands = []
        for i, spec in enumerate(self.data["grades"]):
            parsed = parse_interval(spec["range"])
            if isinstance(parsed, str):
                self.problem(("grades", i, "range"), parsed)
                continue
            bands.append(Band(spec["label"], *parsed))
        if len(bands) == len(self.data["grades"]):
            for message in check_partition(bands, self.total):
                self.problem(("grades",), message)
        return GradeScale(tuple(bands))

    def vetoes(self, known: frozenset[str], grades: GradeScale) -> tuple[Veto, ...]:
        result = []
        for i, spec in enumerate(self.data.get("veto", [])):
            if spec["grade"] not in grades.labels():
                self.problem(("veto", i, "grade"), f"grade '{spec['grade']}' is not a grade band{did_you_mean(spec['grade'], grades.labels())}")
            when = self.expression(spec["when"], ("veto", i, "when"), known)
            if when is not None:
                result.append(Veto(when, spec["grade"], spec["reason"]))
        return tuple(result)

    def cases(self, indicators: tuple[Indicator, ...]) -> tuple[Case, ...]:
        ids = [n.id for top in indicators for n in top.walk()]
        result = []
        for i, spec in enumerate(self.data.get("cases", [])):
            expect = spec["expect"]
            for node_id in expect.get("scores", {}):
                if node_id not in ids:
                    self.problem(("cases", i, "expect", "scores", node_id), f"no indicator '{node_id}'{did_you_mean(node_id, ids)}")
            result.append(Case(spec["name"], spec["submission"], expect.get("total"), expect.get("grade"),
                               dict(expect.get("scores", {})), ("cases", i)))
        return tuple(result)

    def audit(self, known: frozenset[str]) -> AuditSettings:
        spec = self.data.get("audit", {})
        ctx = self.context(("audit",))
        shares = {key: ctx.operand(spec[key], (key,)).constant for key in ("over_target", "ahead_of_budget", "unspent") if key in spec}
        execution = spec.get("execution")
        if execution is not None and execution not in known:
            self.problem(("audit", "execution"), f"unknown name '{execution}'{did_you_mean(execution, known)}")
        return AuditSettings(tolerance=spec.get("tolerance"), execution=execution,
                             **{k: v for k, v in shares.items() if v is not None})
