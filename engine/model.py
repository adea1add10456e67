"""The rubric's data model: frozen records built once, from validated data, at load."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .expressions import Expression

if TYPE_CHECKING:
    from .grades import GradeScale
    from .rules.base import Operand, Rule

T = TypeVar("T")

INPUT_TYPES = ("number", "integer", "percent", "boolean", "level", "text")


@dataclass(frozen=True)
class Input:
    """One value a submission provides (实际完成值, 预算数, a judgment level, …)."""

    id: str
    type: str
    label: str
    unit: str = ""
    description: str = ""
    required: bool = True
    default: Any = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    levels: tuple[str, ...] = ()
    percent_entry: str = "points"  # how a bare number is read: 97 → 97% ("points") or 0.97 → 97% ("fraction")


@dataclass(frozen=True)
class Derived:
    """A named expression over inputs and earlier derived values (预算执行率 = 执行数 / 预算数)."""

    id: str
    expression: Expression
    label: str = ""
    unit: str = ""
    type: str = "number"


@dataclass(frozen=True)
class DeductionRule:
    """扣分: a fixed cut when a condition holds, or a cut per occurrence (with an optional cap).

    With ``above`` (or ``below``) the count is how many ``step``s ``per`` lies above (below) that
    threshold: 每超过一个百分点扣0.5分 is ``per: adjust, above: "10%", step: "1%"``.
    """

    reason: str
    points: Decimal
    when: Expression | None = None
    per: Expression | None = None
    cap: Decimal | None = None
    whole: bool = False
    above: Operand | None = None
    below: Operand | None = None
    step: Operand | None = None


@dataclass(frozen=True)
class Indicator:
    """A node of the 指标体系: a parent (children) or a leaf (rule)."""

    id: str
    label: str
    weight: Decimal
    path: str
    level: int
    children: tuple[Indicator, ...] = ()
    rule: Rule | None = None
    deductions: tuple[DeductionRule, ...] = ()
    applicable: Expression | None = None
    precision: int | None = None
    evaluator_deductions: bool = False
    description: str = ""

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> list[Indicator]:
        """This node and every node below it, depth first."""
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes


@dataclass(frozen=True)
class Veto:
    """一票否决: when the condition holds, the grade is forced."""

    when: Expression
    grade: str
    reason: str


@dataclass(frozen=True)
class Case:
    """A rubric's own test: a submission and the figures it must produce."""

    name: str
    submission: dict[str, Any]
    total: Decimal | None = None
    grade: str | None = None
    scores: dict[str, Decimal] = field(default_factory=dict)
    path: tuple[Any, ...] = ()


@dataclass(frozen=True)
class AuditSettings:
    """Thresholds for ``rubric audit`` (set in the rubric, with the Ministry's defaults)."""

    tolerance: Decimal | None = None
    over_target: Decimal | None = None  # e.g. 1.3: actual ≥ 130% of target needs an explanation (opt-in)
    ahead_of_budget: Decimal = Decimal("0.05")
    unspent: Decimal = Decimal("0.2")
    execution: str | None = None  # name of the input/derived holding 预算执行率


@dataclass(frozen=True)
class Rubric:
    """A loaded, validated, compiled rubric."""

    id: str
    version: str
    title: str
    total: Decimal
    precision: int
    grades: GradeScale
    inputs: dict[str, Input]
    derived: tuple[Derived, ...]
    indicators: tuple[Indicator, ...]
    veto: tuple[Veto, ...] = ()
    cases: tuple[Case, ...] = ()
    authority: str = ""
    source: str = ""
    notes: str = ""
    file: str = ""
    sha256: str = ""
    audit: AuditSettings = field(default_factory=AuditSettings)

    # The tree is fixed once loaded: what scoring asks of it on every submission is worked out
    # once, on first use (a frozen dataclass still lets cached_property fill its __dict__).
    @cached_property
    def _nodes(self) -> tuple[Indicator, ...]:
        return tuple(node for top in self.indicators for node in top.walk())

    @cached_property
    def _by_id(self) -> dict[str, Indicator]:
        return {node.id: node for node in self._nodes}

    @cached_property
    def leaves(self) -> tuple[Indicator, ...]:
        """The leaves, depth first."""
        return tuple(node for node in self._nodes if node.is_leaf)

    @cached_property
    def judged(self) -> dict[str, Indicator]:
        """The leaves that take an evaluator's judgment (points or deductions), by id."""
        return {n.id: n for n in self.leaves if n.evaluator_deductions or (n.rule is not None and n.rule.judgment != "none")}

    @cached_property
    def ancestry(self) -> dict[str, tuple[str, ...]]:
        """Each node's id with its ancestors' ids (for not-applicable subtrees)."""
        trails: dict[str, tuple[str, ...]] = {}

        def visit(node: Indicator, trail: tuple[str, ...]) -> None:
            trails[node.id] = trail + (node.id,)
            for child in node.children:
                visit(child, trails[node.id])

        for top in self.indicators:
            visit(top, ())
        return trails

    @cached_property
    def conditional(self) -> tuple[Indicator, ...]:
        """The nodes with an ``applicable`` condition (none in most rubrics)."""
        return tuple(node for node in self._nodes if node.applicable is not None)

    def memo(self, key: str, make: Callable[[Rubric], T]) -> T:
        """``make(self)``, worked out on first use and kept: what scoring and checking derive from
        the rubric once (the plan, its compiled form, the input readers), never per submission."""
        cache = self.__dict__.setdefault("_memo", {})  # a frozen dataclass's __dict__ still takes it
        if key not in cache:
            cache[key] = make(self)
        return cache[key]  # type: ignore[no-any-return]

    def nodes(self) -> list[Indicator]:
        """Every indicator, depth first."""
        return list(self._nodes)

    def node(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, if any."""
        return self._by_id.get(indicator_id)
