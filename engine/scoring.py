"""Scoring: walk the indicator tree, apply each leaf's rule, deductions and rounding.

Order of work per leaf (so that displayed parts always add up to the displayed total):
1. the rule gives exact points within 0..weight;
2. those are rounded half-up (四舍五入) to the precision: the ``base``;
3. deductions (the rubric's, then the evaluator's) are rounded and taken off in turn,
   each no more than what is left (扣完为止): ``score = base − Σ applied``;
4. parents are the exact sum of their rounded children; the total the sum of level 1.

Indicators that do not apply (``applicable`` false) score 0 of 0, and the total is
rescaled to the rubric's total (按百分制折算) by giving each applicable leaf an effective
weight; largest-remainder rounding makes the effective weights add up exactly.

This is the hot path of every batch: what depends only on the rubric is worked out once
(:class:`~engine.model.Rubric`'s cached properties), and the words of the breakdown are
deferred until someone reads them (:data:`~engine.rules.base.Text`).
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from .errors import Problem, ScoringError, SubmissionError
from .expressions import Expression, ExpressionError, Value
from .model import DeductionRule, Indicator, Rubric
from .numbers import ARITHMETIC_ERRORS, ZERO, fixed, plain
from .plan_compiler import CompiledTree, compile_derived, compile_plan
from .records import maker
from .result import Deduction, Detail, NodeResult, Result, Words
from .rules import Judgment, JudgmentNeeded
from .rules.base import Outcome, PointsFunction, Rule, text
from .submission import Submission

_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}
_NOT_APPLICABLE = Detail(explanation="not applicable (不适用)")
_new = tuple.__new__  # builds a NamedTuple from a full tuple of fields, without its keyword handling
_result = maker(Result)


def score(rubric: Rubric, submission: Submission) -> Result:
    """Score a checked submission; raise :class:`ScoringError` if its data cannot be scored."""
    return _Scorer(rubric, submission).result()


class _Scorer:
    def __init__(self, rubric: Rubric, submission: Submission) -> None:
        self.rubric, self.submission = rubric, submission
        self.judgments = submission.judgments
        self.env: dict[str, Value] = dict(submission.values)
        self._derive()
        self.skipped = {n.id for n in rubric.conditional if not self._evaluate(n.applicable, f"{n.path}.applicable")}
        self.weights = self._effective_weights() if self.skipped else None
        self.words = Words(self.env, self.judgments)  # the leaves' words, worked out when read

    def _derive(self) -> None:
        """The derived values into ``env``, by the compiled function; one by one (which locates errors) if it fails."""
        derive = derived_values(self.rubric)
        if derive is not None:
            try:
                derive(self.env)
                return
            except Exception:  # noqa: BLE001 - the compiled form does not locate errors; the one by one walk raises them
                pass
        for derived in self.rubric.derived:
            self.env[derived.id] = self._evaluate(derived.expression, f"derived.{derived.id}")

    def result(self) -> Result:
        every = None
        if self.weights is not None:
            nodes = tuple([self._node(top) for top in self.rubric.indicators])
        else:
            try:
                nodes, every = compiled(self.rubric)(self, self.env, self.judgments, self.words)
            except Exception:  # the compiled walk does not locate errors: the reference walk raises them located
                nodes = self._tree()
        total = sum([n.score for n in nodes], ZERO)
        grade, veto = self.rubric.grades.grade(total), None
        for rule in self.rubric.veto:
            if self._evaluate(rule.when, "veto"):
                grade, veto = rule.grade, rule.reason
                break
        result = _result(self.rubric.id, self.rubric.version, self.rubric.sha256, self.submission.subject,
                         total, self.rubric.total, grade, nodes, self.rubric.precision, veto)
        return result.knowing_nodes(every) if every is not None else result

    # -- the tree ---------------------------------------------------------------------------
    def _tree(self) -> tuple[NodeResult, ...]:
        """Every indicator applies: run the rubric's post-order plan with a stack (no recursion)."""
        stack: list[NodeResult] = []
        leaf = self._leaf
        for step in plan(self.rubric):
            if type(step) is _Leaf:
                stack.append(leaf(step, step.weight))
                continue
            children = tuple(stack[-step.count:])
            del stack[-step.count:]
            total = ZERO
            for child in children:
                total += child.score
            node = step.node
            stack.append(_new(NodeResult, (node.id, node.label, node.level, node.weight, total, children,
                                           None, None, (), None, True, "")))
        return tuple(stack)

    def _node(self, node: Indicator) -> NodeResult:
        """The general walk, for when some indicators do not apply and weights are rescaled."""
        if node.children:
            children = tuple([self._node(c) for c in node.children])
            return NodeResult(node.id, node.label, node.level, sum([c.weight for c in children], ZERO),
                              sum([c.score for c in children], ZERO), children, applicable=node.id not in self.skipped)
        if self.weights is not None and node.id in self.weights:
            return self._leaf(_leaf_steps(self.rubric)[node.id], self.weights[node.id])
        return NodeResult(node.id, node.label, node.level, ZERO, ZERO, kind=node.rule.kind if node.rule else None,
                          detail=_NOT_APPLICABLE, applicable=False)

    def _leaf(self, step: _Leaf, weight: Decimal) -> NodeResult:
        node = step.node
        judgment = self.judgments.get(node.id)
        try:
            points = step.points(self.env, judgment)
        except JudgmentNeeded as exc:
            locate = self.submission.locate
            problem = locate(("judgments", node.id), str(exc)) if locate else Problem(str(exc), self.submission.file,
                                                                                      path=f"judgments.{node.id}")
            raise SubmissionError(problem) from None
        except (ExpressionError, *ARITHMETIC_ERRORS) as exc:
            raise ScoringError(Problem(f"cannot score: {_why(exc)}", self.submission.file, path=f"{node.path}.rule")) from None
        if points > step.weight:
            points = step.weight
        elif points < ZERO:
            points = ZERO
        scale = None if weight is step.weight or weight == step.weight else (weight / step.weight if step.weight else ZERO)
        if scale is not None:
            points = points * scale
        base = points.quantize(step.quantum, ROUND_HALF_UP)
        if node.deductions or judgment is not None and judgment.deductions:
            deductions, score = self._deductions(node, judgment, base, scale, step.precision)
        else:
            deductions, score = (), base
        return _new(NodeResult, (node.id, node.label, node.level, weight, score, (), step.kind, base, deductions,
                                 (step.words, self.words), True, judgment.reason if judgment else ""))

    def _deductions(self, node: Indicator, judgment: Judgment | None, base: Decimal, scale: Decimal | None,
                    precision: int) -> tuple[tuple[Deduction, ...], Decimal]:
        """The deductions taken off ``base`` in turn (the rubric's, then the evaluator's), and what is left."""
        wanted = [(self._deduction_points(rule, node), rule.reason, "rule") for rule in node.deductions]
        if judgment is not None and judgment.deductions:
            wanted += [(points, reason, "evaluator") for points, reason in judgment.deductions]
        applied, left, quantum = [], base, _QUANTA[precision]
        for points, reason, source in wanted:
            if scale is not None:
                points = points * scale
            cut = (points if points < left else left).quantize(quantum, ROUND_HALF_UP)  # at most what is left (扣完为止)
            if cut > ZERO:
                applied.append(_new(Deduction, (cut, reason, source)))
                left -= cut
        return tuple(applied), left

    def _deduction_points(self, rule: DeductionRule, node: Indicator) -> Decimal:
        where = f"{node.path}.deductions"
        if rule.when is not None:
            return rule.points if self._evaluate(rule.when, where) else ZERO
        count = self._evaluate(rule.per, where) if rule.per is not None else ZERO
        count = _as_number(count, where, self.submission.file)
        if rule.step is not None:
            count = self._steps(count, rule, where)
        count = max(count, ZERO)
        if rule.whole:
            count = count.to_integral_value(rounding=ROUND_FLOOR)
        try:
            points = rule.points * count
        except ARITHMETIC_ERRORS:
            raise ScoringError(Problem(f"count {rule.per.source if rule.per else ''} is too large to compute with",
                                       self.submission.file, path=where)) from None
        return min(points, rule.cap) if rule.cap is not None else points

    def _steps(self, value: Decimal, rule: DeductionRule, where: str) -> Decimal:
        """How many ``step``s ``value`` lies beyond ``above`` (``below``): 13.5% above "10%" by "1%" is 3.5."""
        threshold = rule.above if rule.above is not None else rule.below
        assert threshold is not None and rule.step is not None  # the loader gives a step only with a threshold
        try:
            beyond = value - threshold.value(self.env) if rule.above is not None else threshold.value(self.env) - value
            return beyond / rule.step.value(self.env)
        except (ExpressionError, *ARITHMETIC_ERRORS) as exc:
            raise ScoringError(Problem(f"cannot compare with {threshold.text!r}: {_why(exc)}", self.submission.file,
                                       path=where)) from None

    # -- helpers ----------------------------------------------------------------------------
    def _evaluate(self, expression: Expression, where: str) -> Value:
        try:
            return expression.evaluate(self.env)
        except (ExpressionError, *ARITHMETIC_ERRORS) as exc:
            raise ScoringError(Problem(f"cannot evaluate {expression.source!r}: {_why(exc)}", self.submission.file,
                                       path=where)) from None

    def _effective_weights(self) -> dict[str, Decimal]:
        """Weight of each applicable leaf, rescaled so that they add up to the total.

        Each weight is rounded down to its leaf's own unit (0.01, or 1 for a whole-point leaf,
        which could never score a fractional weight in full), then the largest remainders
        get one more unit each while what is left allows; what is still left (when whole-point
        leaves held the largest remainders) goes a unit at a time to the finer leaves in turn.
        """
        ancestry = self.rubric.ancestry
        leaves = [n for n in self.rubric.leaves if not self.skipped.intersection(ancestry[n.id])]
        applicable = sum((n.weight for n in leaves), ZERO)
        if applicable == 0:
            return {n.id: n.weight for n in leaves}
        units = {n.id: _QUANTA[_precision(n, self.rubric)] for n in leaves}
        exact = {n.id: n.weight * self.rubric.total / applicable for n in leaves}
        floors = {k: (v / units[k]).to_integral_value(rounding=ROUND_FLOOR) * units[k] for k, v in exact.items()}
        spare = self.rubric.total - sum(floors.values(), ZERO)
        by_remainder = sorted(exact, key=lambda k: exact[k] - floors[k], reverse=True)
        for key in by_remainder:
            if units[key] <= spare and exact[key] > floors[key]:
                floors[key] += units[key]
                spare -= units[key]
        fitting = [key for key in by_remainder if units[key] <= spare]
        while spare and fitting:  # what whole-point leaves could not take: a unit each to the finer ones, in turn
            for key in fitting:
                if units[key] <= spare:
                    floors[key] += units[key]
                    spare -= units[key]
            fitting = [key for key in fitting if units[key] <= spare]
        return floors


def compiled(rubric: Rubric) -> CompiledTree:
    """The rubric's plan as one compiled function (:mod:`engine.plan_compiler`), made on first use."""
    return rubric.memo("compiled_plan", lambda r: compile_plan(plan(r), lambda step: type(step) is _Leaf))


class _Leaf(NamedTuple):
    """A leaf's step of the plan, with what scoring it needs worked out once per rubric."""

    node: Indicator
    precision: int
    quantum: Decimal
    weight: Decimal
    kind: str
    rule: Rule
    points: PointsFunction
    words: Callable[[NodeResult, Words], Detail]  # the leaf's Detail, when first read


class _Parent(NamedTuple):
    node: Indicator
    count: int


def derived_values(rubric: Rubric) -> Callable[[dict[str, Value]], None] | None:
    """The rubric's derived values as one compiled function (:mod:`engine.plan_compiler`), made on first use."""
    return rubric.memo("derived_values", lambda r: compile_derived([(d.id, d.expression) for d in r.derived]))


def _precision(node: Indicator, rubric: Rubric) -> int:
    return node.precision if node.precision is not None else rubric.precision


def _leaf_step(node: Indicator, rubric: Rubric) -> _Leaf:
    rule, precision = node.rule, _precision(node, rubric)
    assert rule is not None  # the loader gives every leaf a rule
    step = _Leaf(node, precision, _QUANTA[precision], node.weight, rule.kind, rule, rule.points_function(node.weight),
                 lambda leaf, words: _leaf_detail(step, words.env, words.judgments.get(leaf.id), leaf.weight, leaf.base,
                                                  leaf.deductions, leaf.score))
    return step


def _leaf_steps(rubric: Rubric) -> dict[str, _Leaf]:
    """The plan's leaf steps by indicator id (for the general walk)."""
    return rubric.memo("leaf_steps", lambda r: {step.node.id: step for step in plan(r) if type(step) is _Leaf})


def plan(rubric: Rubric) -> tuple[_Leaf | _Parent, ...]:
    """The tree in post-order (children before their parent), worked out once per rubric."""
    return rubric.memo("scoring_plan", _plan)


def _plan(rubric: Rubric) -> tuple[_Leaf | _Parent, ...]:
    steps: list[_Leaf | _Parent] = []

    def visit(node: Indicator) -> None:
        for child in node.children:
            visit(child)
        steps.append(_Parent(node, len(node.children)) if node.children else _leaf_step(node, rubric))

    for top in rubric.indicators:
        visit(top)
    return tuple(steps)


def _leaf_detail(step: _Leaf, env: dict[str, Value], judgment: Judgment | None, weight: Decimal, base: Decimal,
                 deductions: tuple[Deduction, ...], score: Decimal) -> Detail:
    """A leaf's :class:`Detail`, from the rule's full :class:`Outcome` (the words are built only here)."""
    try:
        outcome = step.rule.score(env, step.weight, judgment)
    except (ExpressionError, JudgmentNeeded, *ARITHMETIC_ERRORS) as exc:  # the points were reached; only words fail
        return Detail(step.rule.target_text(), explanation=f"{fixed(score, step.precision)} / {plain(weight)} "
                                                            f"(the rule's words cannot be shown: {_why(exc)})")
    explanation = _explain(outcome, base, deductions, score, weight, step.precision)
    return Detail(text(outcome.target) or step.rule.target_text(), text(outcome.actual), outcome.met, explanation,
                  outcome.ratio)


def _explain(outcome: Outcome, base: Decimal, deductions: tuple[Deduction, ...], score: Decimal, weight: Decimal,
             precision: int) -> str:
    """The arithmetic of one leaf in words: ``93489 ≥ 80000: met → 30 × 100% = 30.00 → 30.00 / 30``."""
    words = f"{text(outcome.explanation)} = {fixed(base, precision)}"
    words += "".join(f" − {fixed(d.points, precision)} ({d.reason})" for d in deductions)
    return words + f" → {fixed(score, precision)} / {plain(weight)}"


def _why(exc: Exception) -> str:
    """Words for an error; decimal's own are a list of signal classes."""
    if isinstance(exc, (ExpressionError, JudgmentNeeded)):
        return str(exc)
    return f"arithmetic error ({type(exc).__name__}): a value is too large or too small to compute with"


def _as_number(value: Value, where: str, file: str) -> Decimal:
    if isinstance(value, bool):
        return Decimal(int(value))
    if not isinstance(value, Decimal):
        raise ScoringError(Problem(f"expected a count, got {value!r}", file, path=where))
    return value
