"""Auditing a unit's own filled self-evaluation (自评表) against the rubric.

A submission may carry the unit's **claimed** figures beside the facts::

    claims:
      total: 100
      grade: 优秀
      scores: {execution: 10, output: 50, key_firms: 20}   # any indicator, leaf or parent
      reasons: {tax: 受疫情影响…}                            # 偏差原因分析 per indicator

:func:`audit` scores the facts, compares, and returns every :class:`Finding`. Each check
is a small function yielding findings; ``audit`` only runs them in turn.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .errors import Problem, SubmissionError
from .model import Rubric
from .numbers import ONE, ZERO, percent_text, plain, round_half_up
from .result import NodeResult, Result
from .scoring import score
from .submission import Submission, check_claims

ERROR, WARNING = "error", "warning"

#: Every finding kind with its severity and a one-line meaning (for docs and reports).
KINDS: dict[str, tuple[str, str]] = {
    "score_mismatch": (ERROR, "claimed score differs from the score the rubric gives"),
    "sum_mismatch": (ERROR, "a claimed subtotal or total is not the sum of its claimed parts"),
    "score_out_of_range": (ERROR, "claimed score above the indicator's points or below 0"),
    "grade_mismatch": (ERROR, "claimed grade is not the band of the claimed total"),
    "grade_vs_computed": (ERROR, "claimed grade is not the band of the computed total"),
    "met_but_lost": (ERROR, "target met, but points lost"),
    "missed_full_points": (ERROR, "target missed, but full points claimed"),
    "no_reason": (WARNING, "points lost with no 偏差原因 given"),
    "over_target": (WARNING, "actual far above the target with no explanation"),
    "ahead_of_budget": (WARNING, "indicator completion runs ahead of budget execution"),
    "unspent": (WARNING, "a large part of the budget is unspent"),
}


POINTS, PERCENT, GRADE = "points", "percent", "grade"

#: What a finding's two figures are (``claimed`` and ``computed`` in its data), and their unit. Only
#: the score kinds compare a claim with the rubric; the budget kinds compare two rates of the facts.
FIGURES: dict[str, tuple[str, str, str]] = {
    "score_mismatch": ("claimed score", "the rubric's score", POINTS),
    "sum_mismatch": ("claimed subtotal", "sum of its claimed parts", POINTS),
    "score_out_of_range": ("claimed score", "the indicator's points", POINTS),
    "grade_mismatch": ("claimed grade", "grade of the claimed total", GRADE),
    "grade_vs_computed": ("claimed grade", "the rubric's grade", GRADE),
    "met_but_lost": ("claimed score", "the indicator's points", POINTS),
    "missed_full_points": ("claimed score", "the rubric's score", POINTS),
    "no_reason": ("claimed score", "the indicator's points", POINTS),
    "over_target": ("completion rate", "rate that needs an explanation", PERCENT),
    "ahead_of_budget": ("completion rate", "budget execution rate", PERCENT),
    "unspent": ("budget execution rate", "lowest rate without a warning (1 − unspent)", PERCENT),
}


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str
    indicator: str = ""
    label: str = ""
    claimed: Decimal | str | None = None  # the first figure compared (see FIGURES: not always a claim)
    computed: Decimal | str | None = None  # the figure it is compared with
    names: tuple[str, str] | None = None  # what the two figures are, when not the kind's usual pair

    @property
    def severity(self) -> str:
        return KINDS[self.kind][0]

    @property
    def unit(self) -> str:
        return FIGURES[self.kind][2]

    @property
    def figures(self) -> tuple[str, str]:
        """What ``claimed`` and ``computed`` are: ``("budget execution rate", "lowest rate …")``."""
        return self.names or FIGURES[self.kind][:2]

    @property
    def difference(self) -> Decimal | None:
        if isinstance(self.claimed, Decimal) and isinstance(self.computed, Decimal):
            return self.claimed - self.computed
        return None

    def shown(self, value: Decimal | str | None) -> str:
        """A figure for people: a rate as a percent to 2 places (``71.43%``), points as given."""
        if value is None:
            return ""
        if not isinstance(value, Decimal):
            return value
        return percent_text(value, 2) if self.unit == PERCENT else plain(value)

    def rounded(self, value: Decimal | str | None) -> Decimal | str | None:
        """A figure for data: a rate to 4 places (0.7143 for 71.43%), points as given."""
        return round_half_up(value, 4) if self.unit == PERCENT and isinstance(value, Decimal) else value

    def to_dict(self) -> dict[str, Any]:
        show = lambda v: plain(v) if isinstance(v, Decimal) else v  # noqa: E731
        return {"kind": self.kind, "severity": self.severity, "indicator": self.indicator, "label": self.label,
                "claimed": show(self.rounded(self.claimed)), "computed": show(self.rounded(self.computed)),
                "difference": show(self.rounded(self.difference)), "unit": self.unit,
                "figures": list(self.figures), "message": self.message}


@dataclass(frozen=True)
class Claims:
    total: Decimal | None = None
    grade: str | None = None
    scores: dict[str, Decimal] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def given(self) -> bool:
        """Whether the submission claims anything (a table with no claims is checked on its facts only)."""
        return self.total is not None or self.grade is not None or bool(self.scores) or bool(self.reasons)


@dataclass(frozen=True)
class AuditReport:
    subject: str
    result: Result
    claims: Claims
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "rubric": self.result.to_dict()["rubric"],
                "claimed_total": plain(self.claims.total) if self.claims.total is not None else None,
                "computed_total": plain(self.result.total), "computed_grade": self.result.grade,
                "claims_given": self.claims.given, "errors": self.errors, "warnings": len(self.findings) - self.errors,
                "findings": [f.to_dict() for f in self.findings]}


def read_claims(submission: Submission, rubric: Rubric) -> Claims:
    """The claimed figures of a submission; a :class:`SubmissionError` (located) if any is wrong."""
    raw = submission.claims
    problems = list(submission.claim_problems) or check_claims(
        raw, rubric, lambda path, message: Problem(message, submission.file, path=".".join(map(str, path))))
    if problems:
        raise SubmissionError(problems, submission.subject)
    scores = {str(key): value for key, value in (raw.get("scores") or {}).items()}
    reasons = {str(k): str(v) for k, v in (raw.get("reasons") or {}).items() if v is not None}
    grade = raw.get("grade")
    return Claims(raw.get("total"), str(grade) if grade is not None else None, scores, reasons)


def audit(rubric: Rubric, submission: Submission) -> AuditReport:
    """Score the facts and compare them with the unit's claimed figures."""
    claims = read_claims(submission, rubric)
    result = score(rubric, submission)
    context = _Context(rubric, submission, result, claims)
    checks = CHECKS if claims.given else FACT_CHECKS  # with no claims, nothing to compare them with
    findings = [finding for check in checks for finding in check(context)]
    return AuditReport(submission.subject, result, claims, tuple(findings))


@dataclass(frozen=True)
class _Context:
    rubric: Rubric
    submission: Submission
    result: Result
    claims: Claims

    @property
    def tolerance(self) -> Decimal:
        if self.rubric.audit.tolerance is not None:
            return self.rubric.audit.tolerance
        return Decimal(5).scaleb(-(self.rubric.precision + 1))

    def reason(self, node: NodeResult) -> str:
        given = self.claims.reasons.get(node.id) or node.reason
        return given.strip() or "; ".join(d.reason for d in node.deductions).strip()

    def execution(self) -> Decimal | None:
        name = self.rubric.audit.execution
        if name is None:
            return None
        derived = {d.id: d for d in self.rubric.derived}
        value = self.submission.values.get(name)
        if value is None and name in derived:
            value = derived[name].expression.evaluate({**self.submission.values, **_derived(self.rubric, self.submission)})
        return value if isinstance(value, Decimal) else None


def _derived(rubric: Rubric, submission: Submission) -> dict[str, Any]:
    env: dict[str, Any] = dict(submission.values)
    for d in rubric.derived:
        env[d.id] = d.expression.evaluate(env)
    return env


def _claimed_nodes(ctx: _Context) -> Iterator[tuple[NodeResult, Decimal]]:
    for node in ctx.result.nodes():
        if node.id in ctx.claims.scores:
            yield node, ctx.claims.scores[node.id]


def check_scores(ctx: _Context) -> Iterator[Finding]:
    for node, claimed in _claimed_nodes(ctx):
        if claimed - node.weight > ctx.tolerance or claimed < -ctx.tolerance:
            yield Finding("score_out_of_range", f"claimed {plain(claimed)} for an indicator worth {plain(node.weight)} points",
                          node.id, node.label, claimed, node.weight)
        if abs(claimed - node.score) > ctx.tolerance:
            yield Finding("score_mismatch", f"claimed {plain(claimed)}, the rubric gives {plain(node.score)}",
                          node.id, node.label, claimed, node.score)


def _claimed_sum(node: NodeResult, scores: dict[str, Decimal]) -> Decimal | None:
    """A node's claimed figure: its own claim, else the sum of its children's (if all are claimed)."""
    if node.id in scores:
        return scores[node.id]
    parts = [_claimed_sum(child, scores) for child in node.children]
    if not node.children or any(part is None for part in parts):
        return None
    return sum(parts, ZERO)  # type: ignore[arg-type]


def _parts(nodes: tuple[NodeResult, ...], scores: dict[str, Decimal]) -> Decimal | None:
    parts = [_claimed_sum(node, scores) for node in nodes]
    return None if any(p is None for p in parts) else sum(parts, ZERO)  # type: ignore[arg-type]


def check_sums(ctx: _Context) -> Iterator[Finding]:
    """Arithmetic inside the table: each claimed subtotal and the total against its claimed parts."""
    scores = ctx.claims.scores
    for node, claimed in _claimed_nodes(ctx):
        parts = _parts(node.children, scores) if node.children else None
        if parts is not None and abs(parts - claimed) > ctx.tolerance:
            yield Finding("sum_mismatch", f"subtotal {plain(claimed)} but its claimed parts add up to {plain(parts)}",
                          node.id, node.label, claimed, parts)
    parts = _parts(ctx.result.indicators, scores)
    if ctx.claims.total is not None and parts is not None and abs(parts - ctx.claims.total) > ctx.tolerance:
        yield Finding("sum_mismatch", f"total {plain(ctx.claims.total)} but the claimed scores add up to {plain(parts)}",
                      "total", "总分", ctx.claims.total, parts, ("claimed total", "sum of the claimed scores"))
    if ctx.claims.total is not None and abs(ctx.claims.total - ctx.result.total) > ctx.tolerance:
        yield Finding("score_mismatch", f"claimed total {plain(ctx.claims.total)}, the rubric gives {plain(ctx.result.total)}",
                      "total", "总分", ctx.claims.total, ctx.result.total, ("claimed total", "the rubric's total"))


def check_grade(ctx: _Context) -> Iterator[Finding]:
    claimed = ctx.claims.grade
    if claimed is None:
        return
    grades = ctx.rubric.grades
    if ctx.claims.total is not None and 0 <= ctx.claims.total <= ctx.rubric.total:
        band = grades.grade(ctx.claims.total)
        if band != claimed:
            yield Finding("grade_mismatch", f"claimed grade {claimed}, but a total of {plain(ctx.claims.total)} is {band}",
                          "grade", "等级", claimed, band)
    if claimed != ctx.result.grade:
        yield Finding("grade_vs_computed", f"claimed grade {claimed}, the rubric gives {ctx.result.grade} ({plain(ctx.result.total)})",
                      "grade", "等级", claimed, ctx.result.grade)


def check_targets(ctx: _Context) -> Iterator[Finding]:
    for node, claimed in _claimed_nodes(ctx):
        if node.children or node.met is None:
            continue
        if node.met and node.weight - claimed > ctx.tolerance:
            yield Finding("met_but_lost", f"target met ({node.actual} against {node.target}) but only {plain(claimed)} of {plain(node.weight)} claimed",
                          node.id, node.label, claimed, node.weight)
        if not node.met and node.weight - claimed <= ctx.tolerance and node.weight > 0:
            yield Finding("missed_full_points", f"target missed ({node.actual} against {node.target}) but full {plain(claimed)} points claimed",
                          node.id, node.label, claimed, node.score)


def check_reasons(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.result.nodes():
        if node.children:
            continue
        claimed = ctx.claims.scores.get(node.id)
        figure = claimed if claimed is not None else node.score  # not claimed: what the rubric gives
        if node.weight - figure > ctx.tolerance and not ctx.reason(node):
            yield Finding("no_reason", f"{plain(node.weight - figure)} points lost with no 偏差原因 given",
                          node.id, node.label, figure, node.weight,
                          None if claimed is not None else ("the rubric's score", "the indicator's points"))


def check_over_target(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.result.nodes():
        limit = _over_target_limit(ctx, node.id)
        if limit is not None and node.kind == "target" and node.ratio is not None and node.ratio >= limit and not ctx.reason(node):
            yield Finding("over_target", f"{node.actual} is {percent_text(node.ratio, 2)} of the target {node.target} "
                          f"(≥ {percent_text(limit)}) with no explanation", node.id, node.label, node.ratio, limit)


def _over_target_limit(ctx: _Context, node_id: str) -> Decimal | None:
    """The rule's own ``explain_above`` (e.g. 130%) if it sets one, else the rubric's (None: not checked)."""
    indicator = ctx.rubric.node(node_id)
    own = getattr(indicator.rule, "explain_above", None) if indicator else None
    if own is not None and own.constant is not None:
        return own.constant
    return ctx.rubric.audit.over_target


def check_budget(ctx: _Context) -> Iterator[Finding]:
    execution = ctx.execution()
    if execution is None:
        return
    settings = ctx.rubric.audit
    if ONE - execution > settings.unspent:
        yield Finding("unspent", f"{percent_text(ONE - execution, 2)} of the budget is unspent (more than {percent_text(settings.unspent)})",
                      "", "预算执行率", execution, ONE - settings.unspent)
    for node in ctx.result.nodes():
        if node.kind == "target" and node.ratio is not None:
            completion = min(node.ratio, ONE)
            if completion - execution > settings.ahead_of_budget:
                yield Finding("ahead_of_budget", f"completion {percent_text(completion, 2)} runs more than "
                              f"{percent_text(settings.ahead_of_budget)} ahead of budget execution {percent_text(execution, 2)}",
                              node.id, node.label, completion, execution)


FACT_CHECKS: tuple[Callable[[_Context], Iterator[Finding]], ...] = (check_over_target, check_budget)
CHECKS: tuple[Callable[[_Context], Iterator[Finding]], ...] = (
    check_scores, check_sums, check_grade, check_targets, check_reasons, *FACT_CHECKS,
)
