"""The benchmark's contenders must score like the engine, or its figures compare different work.

No timing here: only that the floor and the peer translations agree with the engine on
generated submissions, and that the generated workload reaches every path it claims to.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import throughput  # noqa: E402
import workload  # noqa: E402

SUBMISSIONS = workload.submissions(150, seed=7)


@pytest.fixture(scope="module")
def engine_answers():
    ours = throughput.contenders()["engine"]
    return [throughput._shown(ours(data)) for data in SUBMISSIONS]


@pytest.mark.parametrize("name", ["floor", "zen", "rule_engine"])
def test_contender_agrees_with_engine_on_every_indicator(name, engine_answers):
    scorer = throughput.contenders()[name]
    if scorer is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[bench]')")
    for data, reference in zip(SUBMISSIONS, engine_answers):
        answer = throughput._shown(scorer(data))
        assert answer[2], "a contender must give indicator scores"
        assert throughput._agrees(answer, reference), (data["subject"], answer, reference)


def test_agreement_check_catches_a_one_cent_difference(engine_answers):
    total, grade, scores = engine_answers[0]
    shifted = dict(scores, quality=f"{float(scores['quality']) + 0.01:.2f}")
    assert not throughput._agrees((total, grade, shifted), engine_answers[0])
    assert throughput._agrees(engine_answers[0], engine_answers[0])


def test_workload_reaches_every_grade_and_partial_score(engine_answers):
    grades = Counter(answer[1] for answer in engine_answers)
    assert set(grades) == {"优", "良", "中", "差"}
    partial = [a for a in engine_answers if a[2]["quality"] not in ("6.00", "0.00")]
    assert partial, "some quality targets must be missed and scored in part"
    capped = [d for d in SUBMISSIONS for leaf, j in d["judgments"].items()
              if sum(x["points"] for x in j["deductions"]) > workload.JUDGED[leaf]]
    assert capped, "some deductions must exceed what is left (扣完为止)"
