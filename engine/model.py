"""The rubric's data model: frozen records built once, from validated data, at load."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .expressions import Expression

if TYPE_CHECKING:
    from .grades import GradeScale
    from .rules.base import Rule

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
    """扣分: a fixed cut when a condition holds, or a cut per occurrence (with an optional cap)."""

    reason: str
    points: Decimal
    when: Expression | None = None
    per: Expression | None = None
    cap: Decimal | None = None
    whole: bool = False


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

    def nodes(self) -> list[Indicator]:
        """Every indicator, depth first."""
        return [node for top in self.indicators for node in top.walk()]

    def node(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, if any."""
        return next((n for n in self.nodes() if n.id == indicator_id), None)
