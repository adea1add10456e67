"""The immutable result of scoring one submission, and its plain-data form for JSON."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from .numbers import json_number


class Deduction(NamedTuple):
    """Points taken off one indicator, with the reason (扣分原因)."""

    points: Decimal
    reason: str
    source: str = "rule"  # "rule" (the rubric's deductions) or "evaluator" (a judgment)


class Detail(NamedTuple):
    """The words and facts of how a leaf scored: 指标值, 实际完成值, met or not, the arithmetic."""

    target: str | None = None
    actual: str | None = None
    met: bool | None = None
    explanation: str = ""
    ratio: Decimal | None = None  # completion (actual/target) where meaningful, for audit


_NO_DETAIL = Detail()


class Words:
    """What the leaves of one scored submission need to work out their words, and those worked out so far."""

    __slots__ = ("env", "judgments", "worked")

    def __init__(self, env: Any, judgments: Any) -> None:
        self.env, self.judgments = env, judgments
        self.worked: dict[str, Detail] = {}  # by indicator id


#: A detail not worked out yet: (how, words). ``how(node, words)`` gives the :class:`Detail` from the
#: node's own figures and the submission's values and judgments; ``words`` is shared by a result's leaves.
Deferred = tuple[Callable[[Any, Words], Detail], Words]


class NodeResult(NamedTuple):
    """How one indicator scored. ``score`` is rounded; parents are the sum of their children.

    An immutable tuple: tens of thousands are built per batch, so construction must be cheap.
    ``detail`` (the words for people, and whether the target was met) is a :class:`Detail`, or
    a :data:`Deferred` pair that works it out when first read: most results of a batch are
    never read line by line, and formatting numbers for people costs more than scoring them.
    """

    id: str
    label: str
    level: int
    weight: Decimal
    score: Decimal
    children: tuple[NodeResult, ...] = ()
    kind: str | None = None
    base: Decimal | None = None
    deductions: tuple[Deduction, ...] = ()
    detail: Detail | Deferred | None = None
    applicable: bool = True
    reason: str = ""

    @property
    def lost(self) -> Decimal:
        return self.weight - self.score

    def details(self) -> Detail:
        """The :class:`Detail`, worked out on first reading if it was deferred (then kept: once per node)."""
        detail = self.detail
        if detail is None:
            return _NO_DETAIL
        if type(detail) is Detail:
            return detail
        work, words = detail
        worked = words.worked.get(self.id)
        if worked is None:
            worked = words.worked[self.id] = work(self, words)
        return worked

    @property
    def explanation(self) -> str:
        return self.details().explanation or ""

    @property
    def actual(self) -> str | None:
        return self.details().actual

    @property
    def target(self) -> str | None:
        return self.details().target

    @property
    def met(self) -> bool | None:
        return self.details().met

    @property
    def ratio(self) -> Decimal | None:
        return self.details().ratio

    def computed(self) -> NodeResult:
        """This node and its children with every detail worked out (plain data: it pickles)."""
        return self._replace(children=tuple([child.computed() for child in self.children]), detail=self.details())

    def _key(self) -> tuple[Any, ...]:
        """Every field with the deferred words computed: what equality compares."""
        return (*self[:9], self.details(), *self[10:])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NodeResult):
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self._key())

    def walk(self) -> list[NodeResult]:
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id, "label": self.label, "weight": json_number(self.weight), "score": json_number(self.score),
            "lost": json_number(self.lost), "deductions": [{"points": json_number(d.points), "reason": d.reason, "source": d.source}
                                                           for d in self.deductions],
        }
        if self.kind:
            data.update(kind=self.kind, target=self.target, actual=self.actual, met=self.met, explanation=self.explanation)
        if not self.applicable:
            data["applicable"] = False
        data["children"] = [child.to_dict() for child in self.children]
        return data


@dataclass(frozen=True)
class Result:
    """The score of one submission against one rubric version."""

    rubric_id: str
    version: str
    sha256: str
    subject: str
    total: Decimal
    max: Decimal
    grade: str
    indicators: tuple[NodeResult, ...]
    precision: int
    veto: str | None = None

    def nodes(self) -> list[NodeResult]:
        """Every indicator's result, depth first (each parent before its children)."""
        known = self.__dict__.get("_nodes")
        if known is not None:
            return list(known)
        found: list[NodeResult] = []
        stack = list(reversed(self.indicators))
        while stack:
            node = stack.pop()
            found.append(node)
            if node.children:
                stack.extend(reversed(node.children))
        return found

    def knowing_nodes(self, nodes: tuple[NodeResult, ...]) -> Result:
        """This result, keeping ``nodes`` as what :meth:`nodes` returns (the scorer lists them as it goes).

        Kept outside the fields (not compared, not in ``replace``): a result made from this one
        with other indicators walks its own tree.
        """
        object.__setattr__(self, "_nodes", nodes)
        return self

    def node(self, node_id: str) -> NodeResult | None:
        return next((n for n in self.nodes() if n.id == node_id), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the documented shape; scores are JSON numbers exactly as displayed."""
        return {
            "rubric": {"id": self.rubric_id, "version": self.version, "sha256": self.sha256},
            "subject": self.subject,
            "total": json_number(self.total),
            "max": json_number(self.max),
            "grade": self.grade,
            "veto": self.veto,
            "indicators": [node.to_dict() for node in self.indicators],
        }
