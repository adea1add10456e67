"""engine.cases: a rubric's own cases, run from Python (what `rubric test` and the docs test use)."""
from __future__ import annotations

from decimal import Decimal

import engine
from engine.cases import check_case, run_cases
from engine.model import Case


def test_every_seed_rubric_passes_its_own_cases() -> None:
    for entry in engine.catalogue("rubrics"):
        for version in entry.versions:
            rubric = engine.load_rubric(entry.path(version))
            outcomes = run_cases(rubric)
            assert outcomes and all(o.passed for o in outcomes), [(o.case.name, o.failures, o.problems) for o in outcomes]


def test_a_case_that_does_not_score_reports_its_problems() -> None:
    rubric = engine.load_rubric("rubrics/qingdao/2020.yaml")
    broken = Case("typo", {"values": {"budgt": Decimal(1)}})
    outcome = check_case(rubric, broken)
    assert not outcome.passed and outcome.result is None
    assert any("did you mean 'budget'" in p.message for p in outcome.problems)
