"""``rubric validate`` (is the rubric well formed?) and ``rubric test`` (does it score its own cases?)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import FAILED, UNUSABLE, guarded, print_problems
from .options import DEFAULT_RUBRICS, RubricsDir, rubric_path

if TYPE_CHECKING:
    from engine import Rubric
    from engine.model import Case

RubricRefs = Annotated[list[str], typer.Argument(
    metavar="RUBRIC", show_default=False, help="Rubric files or id[@version] references.")]

VALIDATE_EPILOG = """\
\b
Examples:
  rubric validate rubrics/qingdao/2020.yaml
  rubric validate rubrics/*/*.yaml

Problems are printed on stdout, one per line, as file:line:col: path: message (like a linter).
Exit codes: 0 every rubric is valid; 2 some rubric has problems or does not exist.
"""

TEST_EPILOG = """\
\b
Examples:
  rubric test qingdao@2020
  rubric test rubrics/*/*.yaml

Exit codes: 0 every case passed; 1 some case failed; 2 some rubric does not load.
"""


@guarded
def validate(rubrics_given: RubricRefs, rubrics: RubricsDir = DEFAULT_RUBRICS) -> None:
    """Check rubrics: every problem, or OK per file.

    Schema, weights that add up, grade bands that cover 0..total, names, expressions.
    """
    import sys

    from engine import RubricError, load_rubric

    invalid = 0
    for reference in rubrics_given:
        try:
            path = rubric_path(reference, rubrics)
            model = load_rubric(path)
        except RubricError as exc:
            print_problems(exc.problems, sys.stdout)
            invalid += 1
            continue
        typer.echo(f"{path}: OK ({model.id}@{model.version}: {len(model.nodes())} indicators, "
                   f"{len(model.inputs)} inputs, {len(model.grades.bands)} grades, {_count(len(model.cases), 'case')})")
    if invalid:
        raise typer.Exit(UNUSABLE)


@dataclass(frozen=True)
class CaseOutcome:
    name: str
    where: str
    figures: str = ""  # "96.65 优" when it scored
    failures: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures


@guarded
def test(rubrics_given: RubricRefs, rubrics: RubricsDir = DEFAULT_RUBRICS) -> None:
    """Run each rubric's own cases (PASS/FAIL).

    Each case in the rubric's cases: is scored; a failure shows the expected and the actual figure.
    """
    from engine import RubricError, load_rubric

    unusable = passed = failed = 0
    for reference in rubrics_given:
        try:
            model = load_rubric(rubric_path(reference, rubrics))
        except RubricError as exc:
            print_problems(exc.problems)
            unusable += 1
            continue
        typer.echo(f"{model.file}: {model.id}@{model.version}: {len(model.cases) or 'no'} case{'' if len(model.cases) == 1 else 's'}")
        for outcome in run_cases(model):
            figures = f"  ({outcome.figures})" if outcome.figures else ""
            where = f"  at {outcome.where}" if not outcome.passed and outcome.where else ""
            typer.echo(f"  {'PASS' if outcome.passed else 'FAIL'}  {outcome.name}{figures}{where}")
            for failure in outcome.failures:
                typer.echo(f"        {failure}")
            passed, failed = passed + outcome.passed, failed + (not outcome.passed)
    typer.echo(f"{passed} passed, {failed} failed" + (f", {unusable} rubric{'s' if unusable > 1 else ''} did not load" if unusable else ""))
    if unusable:
        raise typer.Exit(UNUSABLE)
    if failed:
        raise typer.Exit(FAILED)


def run_cases(rubric: Rubric) -> list[CaseOutcome]:
    """Every case of ``rubric`` scored and compared with what it expects."""
    return [check_case(rubric, case, _case_location(rubric, case)) for case in rubric.cases]


def check_case(rubric: Rubric, case: Case, where: str = "") -> CaseOutcome:
    """One case through the engine, with the words ``rubric test`` prints for it."""
    from engine.cases import check_case as check
    from engine.numbers import fixed

    outcome = check(rubric, case, name=where)
    if outcome.result is None:
        return CaseOutcome(case.name, where, failures=tuple(f"does not score: {p}" for p in outcome.problems))
    result = outcome.result
    return CaseOutcome(case.name, where, f"{fixed(result.total, result.precision)} {result.grade}", outcome.failures)


def _case_location(rubric: Rubric, case: Case) -> str:
    """``file:line:col: cases[name]`` so that a failing case can be found in the rubric."""
    from engine import RubricError
    from engine.document import load_file

    try:
        doc = load_file(Path(rubric.file))
    except RubricError:
        return rubric.file
    line, column = doc.where(case.path)
    return f"{rubric.file}:{line}:{column}: {doc.path_text(case.path)}" if line else rubric.file


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
