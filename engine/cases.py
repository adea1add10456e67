"""A rubric's own tests: each case's submission scored and compared with what it expects."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import Problem, RubricError
from .model import Case, Rubric
from .numbers import fixed, plain
from .result import Result
from .scoring import score
from .submission import submission_from_data


@dataclass(frozen=True)
class CaseOutcome:
    """How one case went: its result (if it scored) and every way it differs from its expectations."""

    case: Case
    result: Result | None
    failures: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures and not self.problems


def check_case(rubric: Rubric, case: Case, name: str = "") -> CaseOutcome:
    """Score ``case`` and compare its total, grade and indicator scores with the expected ones."""
    try:
        result = score(rubric, submission_from_data(case.submission, rubric, name=name or f"{rubric.file}: {case.name}"))
    except RubricError as exc:
        return CaseOutcome(case, None, problems=tuple(exc.problems))
    shown = lambda value: fixed(value, result.precision)  # noqa: E731
    failures = []
    if case.total is not None and result.total != case.total:
        failures.append(f"total: expected {plain(case.total)}, got {shown(result.total)}")
    if case.grade is not None and result.grade != case.grade:
        failures.append(f"grade: expected {case.grade}, got {result.grade}")
    for node_id, expected in case.scores.items():
        node = result.node(node_id)
        if node is None or node.score != expected:
            failures.append(f"scores.{node_id}: expected {plain(expected)}, got {shown(node.score) if node else 'nothing'}")
    return CaseOutcome(case, result, tuple(failures))


def run_cases(rubric: Rubric) -> list[CaseOutcome]:
    """Every case of ``rubric``, in order."""
    return [check_case(rubric, case) for case in rubric.cases]
