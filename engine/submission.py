"""Submissions: the values and judgments an evaluator gives, checked against a rubric.

A submission is a mapping::

    subject: 2020年度口岸大通关补助资金      # what is being scored
    values: {budget: 6548.5, ...}          # one entry per rubric input
    judgments:                             # 专家打分, per indicator id
      goal: {deductions: [{points: 0.75, reason: ...}]}
    claims: {...}                          # the unit's own figures, for ``rubric audit``

Every problem is collected and raised at once as a :class:`SubmissionError`.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .document import Document, PathKey, load_file
from .errors import Problem, SubmissionError
from .expressions import Value
from .model import Input, Rubric
from .records import maker
from .numbers import HUNDRED, MAX_DIGITS, ZERO, parse_decimal, parse_percent, plain
from .rules import Judgment
from .suggest import did_you_mean

TOP_KEYS = ("subject", "values", "judgments", "claims")
CLAIM_KEYS = ("total", "grade", "scores", "reasons")
_JUDGMENT_KEYS = frozenset(("points", "deductions", "reason"))
_FULL = Judgment()
_PERCENT_SIGNS = ("%", "％")
_new = tuple.__new__  # a NamedTuple from its full tuple of fields, without the keyword handling
_TRUE, _FALSE = ("是", "yes", "true", "y", "有"), ("否", "no", "false", "n", "无")


@dataclass(frozen=True)
class Submission:
    """Checked, typed values ready to score."""

    subject: str
    values: dict[str, Value]
    judgments: dict[str, Judgment] = field(default_factory=dict)
    claims: dict[str, Any] = field(default_factory=dict)
    file: str = ""
    #: What is wrong with the claims, located like any problem. Scoring ignores claims; ``rubric audit``
    #: refuses a submission with any of these.
    claim_problems: tuple[Problem, ...] = field(default=(), compare=False)
    #: Locates a problem found later, while scoring (a judgment the rule cannot use), in the file.
    locate: Callable[[PathKey, str], Problem] | None = field(default=None, compare=False, repr=False)


_submission = maker(Submission)


def load_submission(path: str | Path, rubric: Rubric) -> Submission:
    """Read a YAML or JSON submission file and check it against ``rubric``."""
    doc = load_file(path)
    return check_submission(doc, rubric)


def submission_from_data(data: Any, rubric: Rubric, name: str = "<submission>") -> Submission:
    """Check already-parsed data (e.g. a rubric case, or a dict built in Python) against ``rubric``."""
    return check_submission(Document(name, data), rubric)


def _decimal(value: Any) -> Any:
    """A Python int or float as a Decimal read from its shortest text (0.95 → Decimal('0.95'));
    anything else unchanged. Data built in Python (not read from a file) arrives this way."""
    kind = type(value)
    if kind is int:
        return Decimal(value)
    if kind is float:
        return Decimal(repr(value)) if math.isfinite(value) else Decimal(value)
    return value


def _exact(value: Any) -> Any:
    """:func:`_decimal` applied throughout nested data (for claims, read rarely)."""
    if type(value) in (int, float):
        return _decimal(value)
    if isinstance(value, dict):
        return {key: _exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exact(item) for item in value]
    return value


def check_submission(doc: Document, rubric: Rubric) -> Submission:
    checker = _Checker(doc, rubric)
    submission = checker.check()
    if checker.problems:
        raise SubmissionError(checker.problems)
    return submission


class _Checker:
    def __init__(self, doc: Document, rubric: Rubric) -> None:
        self.doc, self.rubric = doc, rubric
        self.problems: list[Problem] = []

    def problem(self, path: PathKey, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def check(self) -> Submission:
        data = self.doc.data
        if not isinstance(data, dict):
            self.problem((), "a submission must be a mapping with 'values:' (and optionally subject, judgments)")
            return Submission("", {})
        for key in data:
            if key not in TOP_KEYS:
                hint = "; input values go under 'values:'" if key in self.rubric.inputs else did_you_mean(key, TOP_KEYS)
                hint = hint or f"; expected one of {', '.join(TOP_KEYS)}"
                self.problem((key,), f"unknown key '{key}'{hint}")
        values = self.values(data.get("values", {}))
        judgments = self.judgments(data.get("judgments") or {})
        claims = _exact(data.get("claims") or {})
        if not isinstance(claims, dict):
            self.problem(("claims",), "expected a mapping of claimed figures")
            claims = {}
        subject = data.get("subject")
        if subject is None or subject == "":
            subject = Path(self.doc.file).stem
        return _submission(str(plain(subject) if isinstance(subject, Decimal) else subject), values, judgments, claims,
                           self.doc.file, tuple(check_claims(claims, self.rubric, self.doc.problem)) if claims else (),
                           self.doc.problem)

    # -- values ---------------------------------------------------------------------------
    def values(self, given: Any) -> dict[str, Value]:
        if not isinstance(given, dict):
            self.problem(("values",), "expected a mapping of input id → value")
            return {}
        inputs = self.rubric.inputs
        if not inputs.keys() >= given.keys():
            for key in given:
                if key not in inputs:
                    self.problem(("values", key), f"unknown input '{key}'{did_you_mean(key, inputs)}")
        result: dict[str, Value] = {}
        for name, spec, read in readers(self.rubric):
            raw = given.get(name)
            if raw is None:
                if spec.required:
                    self.problem(("values",) if name not in given else ("values", name),
                                 f"missing value for '{name}' ({spec.label}{', ' + spec.unit if spec.unit else ''})")
                    continue
                raw = spec.default
            value = read(raw)
            if type(value) is _Bad:
                self.problem(("values", name), value.message)
            else:
                result[name] = value
        return result

    # -- judgments ------------------------------------------------------------------------
    def judgments(self, given: Any) -> dict[str, Judgment]:
        if not isinstance(given, dict):
            self.problem(("judgments",), "expected a mapping of indicator id → judgment")
            return {}
        accepting = self.rubric.judged  # in rubric order: problems come out in a stable order
        result = {}
        for key, raw in given.items():
            if key not in accepting:
                known = sorted(accepting)
                why = "it is scored from values, not judged" if self.rubric.node(key) else "no such indicator"
                self.problem(("judgments", key), f"'{key}' takes no judgment: {why}{did_you_mean(key, known)}")
                continue
            judgment = self.judgment(raw, key, accepting[key].weight)
            if judgment is not None:
                result[key] = judgment
        for key, leaf in _required_judgments(self.rubric):
            if key not in result and key not in given:
                self.problem(("judgments",), f"missing judgment for '{key}' ({leaf.label}): give points, or deductions (an empty list for full points)")
        return result

    def judgment(self, raw: Any, key: str, weight: Decimal) -> Judgment | None:
        path = ("judgments", key)
        if not isinstance(raw, dict):
            self.problem(path, "expected a mapping with 'points' and/or 'deductions'")
            return None
        if not _JUDGMENT_KEYS.issuperset(raw):
            for key in raw:
                if key not in _JUDGMENT_KEYS:
                    self.problem(path + (key,), f"unknown key '{key}'{did_you_mean(key, sorted(_JUDGMENT_KEYS))}")
        points = raw.get("points")
        if points is not None:
            points = _decimal(points)
            if not _finite(points) or not ZERO <= points <= weight:
                self.problem(path + ("points",), f"expected points within 0..{plain(weight)}, got {_show(points)}")
                points = None
        given = raw.get("deductions")
        deductions = self.deductions(given, path) if given else ()
        reason = raw.get("reason")
        if points is None and not deductions and not reason:
            return _FULL  # the usual judgment, {deductions: []}: one shared record
        return _new(Judgment, (points, deductions, str(reason) if reason else ""))

    def deductions(self, given: Any, path: PathKey) -> tuple[tuple[Decimal, str], ...]:
        if not isinstance(given, list):
            self.problem(path + ("deductions",), f"expected a list of {{points, reason}}, got {_show(given)}")
            return ()
        deductions = []
        for i, d in enumerate(given):
            points = _decimal(d.get("points")) if isinstance(d, dict) else None
            if not _finite(points) or points < ZERO:
                self.problem(path + ("deductions", i), "a deduction needs 'points' (a number ≥ 0) and a 'reason'")
                continue
            reason = d.get("reason")
            reason = reason if type(reason) is str else "" if reason is None else str(reason)  # reason: (empty) is none
            if not reason.strip():
                self.problem(path + ("deductions", i, "reason"), "a deduction needs a 'reason' (扣分原因)")
            else:
                deductions.append((points, reason))
        return tuple(deductions)


def check_claims(claims: dict[str, Any], rubric: Rubric, locate: Callable[[PathKey, str], Problem]) -> list[Problem]:
    """The problems of a submission's claimed figures, each located by ``locate(path, message)``:
    unknown keys, indicators the rubric does not have, claimed scores or total that are not numbers."""
    problems: list[Problem] = []
    ids = [node.id for node in rubric.nodes()] if claims.get("scores") or claims.get("reasons") else []
    for part, what in (("scores", "claimed score"), ("reasons", "偏差原因")):
        given = claims.get(part)
        if given is not None and not isinstance(given, dict):
            problems.append(locate(("claims", part), f"expected a mapping of indicator id → {what}, got {_show(given)}"))
            continue
        for key, value in (given or {}).items():
            if key not in ids:
                problems.append(locate(("claims", part, key), f"no indicator '{key}'{did_you_mean(str(key), ids)}"))
            elif part == "scores" and not _finite(value):
                problems.append(locate(("claims", part, key), f"expected a number, got {_show(value)}"))
    total = claims.get("total")
    if total is not None and not _finite(total):
        problems.append(locate(("claims", "total"), f"expected a number, got {_show(total)}"))
    for key in claims:
        if key not in CLAIM_KEYS:
            hint = did_you_mean(str(key), CLAIM_KEYS) or f"; expected one of {', '.join(CLAIM_KEYS)}"
            problems.append(locate(("claims", key), f"unknown key '{key}'{hint}"))
    return problems


@dataclass(frozen=True)
class _Bad:
    message: str


Reader = Callable[[Any], "Value | _Bad"]


def readers(rubric: Rubric) -> tuple[tuple[str, Input, Reader], ...]:
    """Each input with the function that reads its raw value, made once per rubric."""
    return rubric.memo("readers", lambda r: tuple((name, spec, reader(spec)) for name, spec in r.inputs.items()))


def _required_judgments(rubric: Rubric) -> tuple[tuple[str, Any], ...]:
    """The judged leaves whose rule cannot score without a judgment, in rubric order."""
    return rubric.memo("required_judgments", lambda r: tuple(
        (key, leaf) for key, leaf in r.judged.items() if leaf.rule is not None and leaf.rule.judgment == "required"))


def reader(spec: Input) -> Reader:
    """:func:`coerce` for one input, with a short path for what files hold most: a finite number
    within bounds. Anything else (text, a percent sign, a value out of range) takes ``coerce``."""
    if spec.type not in _WHAT:
        return lambda raw: coerce(raw, spec)
    low, high, whole = spec.minimum, spec.maximum, spec.type == "integer"
    points = spec.type == "percent" and spec.percent_entry == "points"

    percent = spec.type == "percent"

    def read(raw: Any) -> Value | _Bad:
        kind = type(raw)
        if kind is Decimal and raw.is_finite() and -MAX_DIGITS <= raw.adjusted() <= MAX_DIGITS and not (
                whole and raw != raw.to_integral_value()):
            value = raw / HUNDRED if points else raw
        elif kind is str and percent and raw[-1:] in _PERCENT_SIGNS:
            value = parse_percent(raw)  # "97%" → 0.97; None (not a percent) → coerce says what is wrong
            if value is None:
                return coerce(raw, spec)
        else:
            return coerce(raw, spec)
        if (low is None or value >= low) and (high is None or value <= high):
            return value
        return coerce(raw, spec)

    return read


def coerce(raw: Any, spec: Input) -> Value | _Bad:
    """The typed value of ``raw`` for input ``spec``, or a :class:`_Bad` saying what was expected."""
    if spec.type in ("number", "integer", "percent"):
        value = _number(raw, spec)
        if isinstance(value, _Bad):
            return value
        if spec.minimum is not None and value < spec.minimum or spec.maximum is not None and value > spec.maximum:
            return _Bad(f"{_shown(value, spec)} is out of range: expected {_range(spec)}")
        return value
    if spec.type == "boolean":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        return _Bad(f"expected true or false (是/否), got {_show(raw)}")
    if spec.type == "level":
        text = plain(raw) if isinstance(raw, Decimal) else str(raw).strip()
        if text not in spec.levels:
            return _Bad(f"expected one of {', '.join(spec.levels)}; got {_show(raw)}{did_you_mean(text, spec.levels)}")
        return text
    if isinstance(raw, (dict, list)):
        return _Bad(f"expected text, got {_show(raw)}")
    return plain(raw) if isinstance(raw, Decimal) else str(raw)


_WHAT = {"number": "a number", "integer": "a whole number", "percent": "a percent (97% or 97)"}


def _number(raw: Any, spec: Input) -> Decimal | _Bad:
    raw = _decimal(raw)
    if type(raw) is not Decimal and (isinstance(raw, (bool, dict, list)) or raw is None):
        return _Bad(f"expected {_WHAT[spec.type]}, got {_show(raw)}")
    if isinstance(raw, str):
        what = _WHAT[spec.type]
        percent = parse_percent(raw)
        if percent is not None and spec.type == "percent":
            return percent
        number = parse_decimal(raw)
        if number is None:
            unit = f" (the unit {spec.unit} is already in the rubric)" if spec.unit and spec.unit in raw else ""
            return _Bad(f"expected {what}, got {_show(raw)}; write the number alone{unit}")
        raw = number
    if not isinstance(raw, Decimal) or not raw.is_finite():
        return _Bad(f"expected a finite number, got {raw}")
    if not -MAX_DIGITS <= raw.adjusted() <= MAX_DIGITS:  # as text reads them: no real figure needs more
        return _Bad(f"expected a number of at most {MAX_DIGITS} digits, got {raw}")
    if spec.type == "integer" and raw != raw.to_integral_value():
        return _Bad(f"expected a whole number, got {plain(raw)}")
    if spec.type == "percent" and spec.percent_entry == "points":
        return raw / HUNDRED
    return raw


def _range(spec: Input) -> str:
    low = _shown(spec.minimum, spec) if spec.minimum is not None else "-∞"
    high = _shown(spec.maximum, spec) if spec.maximum is not None else "∞"
    return f"{low}..{high}"


def _shown(value: Decimal, spec: Input) -> str:
    return plain(value * HUNDRED) + "%" if spec.type == "percent" else plain(value)


def _finite(value: Any) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return plain(value) if value.is_finite() else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return f'"{value}"'
