"""What every scoring-rule kind shares: build context, operands, outcomes, the Rule base.

A rule kind computes points for one leaf from the submission's values; it does not know
where it sits in the tree (the scoring walker adds the path, rounding and deductions).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from collections.abc import Callable
from typing import Any, ClassVar, NamedTuple

from ..document import Document, PathKey
from ..errors import Problem
from ..expressions import Env, Expression, ExpressionError
from ..numbers import ONE, ZERO, clamp, parse_percent, percent_text, plain, round_half_up

NUMBER_OR_TEXT: dict[str, Any] = {"anyOf": [{"type": "number"}, {"type": "string"}]}
SHARE: dict[str, Any] = NUMBER_OR_TEXT
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class JudgmentNeeded(Exception):
    """A rule needs an evaluator's judgment that the submission does not give."""


class Judgment(NamedTuple):
    """An evaluator's judgment for one indicator: points given and/or deductions with reasons."""

    points: Decimal | None = None
    deductions: tuple[tuple[Decimal, str], ...] = ()
    reason: str = ""


@dataclass
class BuildContext:
    """Where a rule is being built, what names exist, and where to put problems."""

    doc: Document
    path: PathKey
    known: frozenset[str]
    types: dict[str, tuple[str, str]]  # name -> (type, unit)
    levels: dict[str, tuple[str, ...]]
    problems: list[Problem] = field(default_factory=list)
    precision: int = 2  # the leaf's: its score is rounded to this many decimals

    @property
    def quantum(self) -> Decimal:
        """The smallest step of the leaf's score as shown: 0.01 at precision 2, 1 for whole points."""
        return ONE.scaleb(-self.precision)

    def problem(self, key: PathKey, message: str) -> None:
        self.problems.append(self.doc.problem(self.path + tuple(key), message))

    def expression(self, source: Any, key: PathKey) -> Expression | None:
        """Parse an expression parameter; ``None`` (with a problem recorded) if it is bad."""
        try:
            return Expression(str(source), self.known)
        except ExpressionError as exc:
            self.problem(key, f"{exc} in expression {str(source)!r}")
            return None

    def operand(self, raw: Any, key: PathKey) -> Operand:
        """A number, a percent like ``"95%"``, or an expression over the submission's names."""
        if isinstance(raw, Decimal):
            return Operand(constant=raw, text=plain(raw))
        if isinstance(raw, bool) or raw is None:
            self.problem(key, f"expected a number, a percent or a name, got {raw!r}")
            return Operand(constant=ZERO, text="0")
        percent = parse_percent(str(raw))
        if percent is not None:
            return Operand(constant=percent, text=str(raw).strip(), kind="percent")
        fraction = _FRACTION.match(str(raw))
        if fraction and int(fraction.group(2)):
            return Operand(constant=Decimal(fraction.group(1)) / Decimal(fraction.group(2)), text=str(raw))
        expr = self.expression(raw, key)
        kind, unit = self.types.get(str(raw).strip(), ("number", ""))
        return Operand(expression=expr, text=str(raw).strip(), kind=kind, unit=unit)

    def share(self, raw: Any, key: PathKey) -> Decimal:
        """A fraction of the points: ``0.8``, ``"80%"`` or ``"1/3"``, checked to be within 0..1."""
        operand = self.operand(raw, key)
        if operand.constant is None:
            self.problem(key, f"expected a share such as 0.8, \"80%\" or \"1/3\", got {_shown(raw)}")
            return ZERO
        if not ZERO <= operand.constant <= ONE:
            self.problem(key, f"a share must be within 0..1 (0%..100%), got {_shown(raw)}")
        return operand.constant


@dataclass(frozen=True)
class Operand:
    """A rule parameter that is a constant or an expression evaluated per submission."""

    constant: Decimal | None = None
    expression: Expression | None = None
    text: str = ""
    kind: str = "number"
    unit: str = ""

    def value(self, env: Env) -> Decimal:
        if self.constant is not None:
            return self.constant
        if self.expression is None:
            return ZERO
        name = self.expression.name
        if name is not None:  # a bare name (the usual case): no need to run the expression
            result = env[name]
            if type(result) is Decimal:
                return result
        else:
            result = self.expression.evaluate(env)
        if isinstance(result, bool):
            return ONE if result else ZERO
        if not isinstance(result, Decimal):
            raise ExpressionError(f"{self.text!r} gave text {result!r}, expected a number")
        return result

    def show(self, value: Decimal) -> str:
        """A value of this operand as an evaluator reads it: ``97%``, ``93489 单``.

        Computed values (5890 / 6548.5) are shown to 2 decimals of a percent, 4 of a number, so
        that a breakdown reads ``89.94%``, not 28 digits; scoring uses the exact value.
        """
        if self.kind == "percent":
            return percent_text(value, 2)
        return f"{plain(round_half_up(value, 4))}{(' ' + self.unit) if self.unit and self.unit != '%' else ''}"

    def shown(self, env: Env) -> str:
        return self.show(self.value(env))


#: A text that may be computed later: formatting numbers for people costs more than scoring
#: them, and most results (a batch of 10,000) are never read line by line.
Text = str | Callable[[], str] | None


def text(value: Text) -> str | None:
    """The text itself, computing it if it was deferred."""
    return value() if callable(value) else value


class Outcome(NamedTuple):
    """What a rule gives for one leaf, before deductions and rounding."""

    points: Decimal
    explanation: Text = ""
    actual: Text = None
    target: Text = None
    met: bool | None = None
    ratio: Decimal | None = None  # completion (actual/target) where meaningful, for audit


#: What :meth:`Rule.points_function` returns: (values, judgment) → exact points.
PointsFunction = Callable[[Env, "Judgment | None"], Decimal]


class Inline(NamedTuple):
    """What :meth:`Rule.points_inline` gives: a source template and the constants it names.

    ``full``, if given, is the usual case: a condition (a template too) under which the
    points are exactly the given Decimal, so that the compiler rounds them once, not per
    submission; ``template`` then gives the points when the condition does not hold.
    """

    template: str
    constants: dict[str, Any]
    full: tuple[str, Decimal] | None = None


class Rule:
    """Base of every rule kind. Subclasses set ``kind``, ``schema`` and ``summary``."""

    kind: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    schema: ClassVar[dict[str, Any]] = {}
    required: ClassVar[tuple[str, ...]] = ()
    judgment: ClassVar[str] = "none"  # "none", "optional" or "required"

    @classmethod
    def build(cls, spec: dict[str, Any], ctx: BuildContext) -> Rule:
        raise NotImplementedError

    def score(self, env: Env, weight: Decimal, judgment: Judgment | None) -> Outcome:
        raise NotImplementedError

    def points_function(self, weight: Decimal) -> PointsFunction:
        """A function giving exactly ``score(env, weight, judgment).points``, made once per leaf.

        Scoring calls it for every leaf of every submission, while the rest of an
        :class:`Outcome` (its words) is needed only when someone reads them. Kinds on the
        hot path override it with a form that builds no Outcome; the property suite checks
        that each gives the same points as ``score`` and raises the same errors.
        """
        score = self.score
        return lambda env, judgment: score(env, weight, judgment).points

    def points_inline(self, weight: Decimal) -> Inline | None:
        """The points as a Python expression for the compiled plan (:mod:`engine.plan_compiler`), or None.

        A template over ``env`` (values and derived names) and ``j`` (the judgment or None)
        whose ``{names}`` are constants bound by the compiler; it must give exactly what
        :meth:`points_function` gives, and may hand unusual cases to it (``{points}`` is
        always bound to that function). Only kinds on the hot path offer one.
        """
        return None

    def describe(self, weight: Decimal) -> str:
        raise NotImplementedError

    def target_text(self) -> str:
        """The 年度指标值 column: what the target is, in words."""
        return ""


def _shown(raw: Any) -> str:
    """A parameter as the author wrote it: 2, "120%", "x + 1" (not Decimal('2'))."""
    return plain(raw) if isinstance(raw, Decimal) else f'"{raw}"'


def share_points(weight: Decimal, share: Decimal) -> Decimal:
    return clamp(weight * share, ZERO, weight)


def pct(share: Decimal) -> str:
    return percent_text(share, 2)
