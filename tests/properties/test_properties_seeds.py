"""Properties 1-5 on the real rubrics in ``rubrics/`` under random but valid submissions.

The generated rubrics exercise every rule kind; these exercise the schemes bureaus actually
use, with their derived expressions, levels and judged indicators.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from checks import assert_bounds, assert_invariants, scored, scores
from hypothesis import given, note
from hypothesis import strategies as st
from strategies.seeds import deductions, seed_submissions

import engine
from engine.document import load_file

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted(ROOT.glob("rubrics/*/*.yaml"))
#: Each published example that loses points only through deductions, and the rubric it is for.
EXAMPLES = {"qingdao-2020.yaml": "qingdao/2020.yaml", "wuhan-2017.yaml": "wuhan/2017.yaml",
            "yiyang-2022.yaml": "yiyang/2022.yaml"}


def _rubric(path: Path) -> engine.Rubric:
    return engine.load_rubric(path)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: f"{p.parent.name}-{p.stem}")
@given(data=st.data())
def test_seed_invariants(path: Path, data: st.DataObject) -> None:
    """1-3: bounds, additivity (exact and as displayed) and the grade, for any valid submission."""
    rubric = _rubric(path)
    submission = data.draw(seed_submissions(rubric), label="submission")
    assert_invariants(scored(rubric, submission), rubric)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: f"{p.parent.name}-{p.stem}")
@given(data=st.data())
def test_seed_deduction_never_raises_a_score(path: Path, data: st.DataObject) -> None:
    """4: one more deduction on a judged indicator never raises any score (its own, its parents', the total)."""
    rubric = _rubric(path)
    if not rubric.judged:
        return
    submission = data.draw(seed_submissions(rubric), label="submission")
    leaf_id = data.draw(st.sampled_from(sorted(rubric.judged)), label="indicator")
    extra = data.draw(deductions(rubric.judged[leaf_id].weight).filter(bool), label="added")
    changed = copy.deepcopy(submission)
    entry = changed["judgments"].setdefault(leaf_id, {"deductions": []})
    entry["deductions"] = list(entry.get("deductions", [])) + extra
    before, after = scores(scored(rubric, submission)), scores(scored(rubric, changed))
    note(f"{leaf_id} +{extra}")
    for node_id, old in before.items():
        assert after[node_id] <= old, f"{node_id} rose from {old} to {after[node_id]}"


def _without_deductions(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["judgments"] = {key: {**judgment, "deductions": []} for key, judgment in data.get("judgments", {}).items()}
    return data


@pytest.mark.parametrize("example, rubric_file", sorted(EXAMPLES.items()))
def test_seed_full_marks(example: str, rubric_file: str) -> None:
    """5: the published facts meet every quantitative target and the judged points are full; without the
    evaluators' deductions, 100 of 100."""
    rubric = _rubric(ROOT / "rubrics" / rubric_file)
    published = load_file(ROOT / "examples" / example).data
    result = scored(rubric, _without_deductions(published))
    assert_bounds(result)
    assert result.total == result.max == 100
    assert result.grade == rubric.grades.labels()[0]
