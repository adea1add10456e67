"""What a generated rubric is made of, remembered so that submissions can be built for it.

A :class:`Plan` holds the rubric document (plain data → YAML) and, for every input, leaf,
deduction, veto and ``applicable`` switch, what the strategies know about it: the input's
bounds, the values that give full marks, which inputs can only help when raised (a ``>=``
target's actual value) or lowered (a ``<=`` one), which only hurt (a deduction's count).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from hypothesis import strategies as st

from .core import dec, tidy, to_yaml

HUNDRED = Decimal(100)


@dataclass
class InputPlan:
    """One input: its YAML spec and how to draw valid submission entries for it."""

    name: str
    type: str  # number | integer | percent | boolean | level | text
    label: str = "输入"
    entry: str = "points"  # for percents: bare numbers are points (97) or fractions (0.97)
    low: Decimal | None = None  # bounds in internal units (a percent's fraction)
    high: Decimal | None = None
    levels: tuple[str, ...] = ()
    places: int = 2
    required: bool = True
    default: Any = None

    def spec(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"type": self.type, "label": self.label}
        if self.type == "level":
            spec["levels"] = list(self.levels)
        if self.type == "percent" and self.entry == "fraction":
            spec["percent_entry"] = "fraction"
        for key, bound in (("min", self.low), ("max", self.high)):
            if bound is not None:
                spec[key] = self.to_entry(bound)
        if not self.required:
            spec["required"] = False
            spec["default"] = self.default
        return spec

    def to_entry(self, internal: Decimal) -> Decimal:
        """An internal value (a percent as a fraction) as a submission writes it."""
        if self.type == "percent" and self.entry == "points":
            return tidy((internal * HUNDRED).normalize() + 0)  # +0 drops a negative zero
        return internal

    def internal(self, entry: Any) -> Decimal:
        """The inverse of :meth:`to_entry` for a numeric entry (``"97%"`` included)."""
        if isinstance(entry, str) and entry.endswith("%"):
            return Decimal(entry[:-1]) / HUNDRED
        value = Decimal(entry)
        return value / HUNDRED if self.type == "percent" and self.entry == "points" else value

    @property
    def numeric(self) -> bool:
        return self.type in ("number", "integer", "percent")

    @property
    def span(self) -> tuple[Decimal, Decimal]:
        """The range :meth:`internals` draws from: the bounds, or realistic ones where none is declared."""
        low = self.low if self.low is not None else Decimal(-1 if self.type == "percent" else -50)
        high = self.high if self.high is not None else Decimal("1.5" if self.type == "percent" else 300)
        return low, high

    @property
    def decimals(self) -> int:
        """How many decimals the values :meth:`internals` draws have (a percent's 97.25% is 0.9725: 4)."""
        return 0 if self.type == "integer" else 4 if self.type == "percent" else self.places

    @property
    def tick(self) -> Decimal:
        """The smallest step between values :meth:`internals` draws."""
        return Decimal(1).scaleb(-self.decimals)

    def internals(self) -> st.SearchStrategy[Decimal]:
        """Valid internal values: within the bounds, with realistic precision."""
        return dec(*self.span, self.decimals)

    def entries(self) -> st.SearchStrategy[Any]:
        """Valid submission entries for this input, in every form a submission may use."""
        if self.type == "boolean":
            return st.booleans() | st.sampled_from(["是", "否", "yes", "no", "true", "false"])
        if self.type == "level":
            return st.sampled_from(self.levels)
        if self.type == "text":
            return st.text(max_size=12)
        entries = self.internals().map(self.to_entry)
        if self.type == "percent" and self.entry == "points":
            return entries | entries.map(lambda v: f"{v}%")
        return entries


@dataclass
class Leaf:
    """A leaf indicator and what its rule needs from a submission."""

    id: str
    weight: Decimal
    kind: str
    rule: dict[str, Any]
    inputs: dict[str, InputPlan] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict)
    best: dict[str, Any] = field(default_factory=dict)  # entries that give full points
    edges: dict[str, list[Any]] = field(default_factory=dict)  # entries where the verdict turns (at a target, a tick off)
    goal: tuple[str, Decimal] | None = None  # a target leaf's op and target (internal units)
    up: list[str] = field(default_factory=list)  # raising these never lowers the leaf
    down: list[str] = field(default_factory=list)  # lowering these never lowers the leaf
    judgment: str = "none"  # none | required | optional (levels)
    tiers: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)  # levels: level → (low, high) share
    level_input: str | None = None
    evaluator: bool = False  # evaluator_deductions: judgments may add deductions


@dataclass
class Switch:
    """A boolean-ish condition owned by one feature: a deduction, a veto, an ``applicable``."""

    input: InputPlan
    off: Any  # the entry that turns it off (no deduction, no veto, applicable)
    kind: str  # when | per | veto | applicable
    grade: str | None = None  # veto


@dataclass
class Plan:
    """A generated rubric document plus what the strategies know about it."""

    data: dict[str, Any]
    leaves: dict[str, Leaf]
    inputs: dict[str, InputPlan]
    switches: list[Switch]
    bands: list[tuple[str, Decimal, Decimal, bool, bool]]  # best first

    @cached_property
    def text(self) -> str:
        return to_yaml(self.data)

    def __repr__(self) -> str:
        # what a falsifying example prints: the rubric's YAML, ready to paste into engine.parse_rubric
        return 'Plan(text="""\\\n' + self.text + '""")'

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))  # hypothesis prints this, not the dataclass fields

    @property
    def total(self) -> Decimal:
        return Decimal(self.data.get("total", 100))

    @property
    def precision(self) -> int:
        return int(self.data.get("precision", 2))

    def best_values(self, applicable: bool = True) -> dict[str, Any]:
        """Entries that meet every target with no deduction and no veto."""
        values: dict[str, Any] = {}
        for leaf in self.leaves.values():
            values.update(leaf.best)
        for switch in self.switches:
            if switch.kind != "applicable" or applicable:
                values[switch.input.name] = switch.off
        return values

    def band_of(self, total: Decimal) -> list[str]:
        """Labels of every band containing ``total`` (computed here, not by the engine)."""
        return [label for label, low, high, low_closed, high_closed in self.bands
                if (total > low or (low_closed and total == low)) and (total < high or (high_closed and total == high))]
