"""Generated Qingdao 2020 submissions, as plain data the way a YAML/JSON reader hands them over.

Numbers are :class:`~decimal.Decimal` (the document layer never goes through float);
percents come either as text ("97.5%") or as bare points (97.5), mixed at random.
The mix is chosen to exercise every path of the rubric: targets met and missed
(proportional and all-or-nothing), spending over budget, rates above 100% that the
ratio rule clamps, judged points with three decimals (so half-up rounding matters),
evaluator deductions of various sizes, some larger than what is left (扣完为止),
and totals that fall in every grade band.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

JUDGED = {"basis": 3, "procedure": 3, "goal_rationality": 3, "goal_clarity": 3, "budgeting": 4, "allocation": 4,
          "compliance": 3, "rules_sound": 5, "rules_applied": 5}
REASONS = ("依据不充分", "程序不规范", "目标不够明确", "指标未量化", "预算编制科学性不足", "资金分配依据不足",
           "存在不合规支出", "制度不健全", "制度执行不到位")


def submissions(count: int, seed: int = 2020) -> list[dict[str, Any]]:
    """``count`` valid submissions, the same for the same seed."""
    return list(stream(count, seed))


def stream(count: int, seed: int = 2020) -> Iterator[dict[str, Any]]:
    """The same submissions one at a time (a million do not fit in memory together)."""
    rng = random.Random(seed)
    return (_submission(rng, i) for i in range(count))


def _submission(rng: random.Random, index: int) -> dict[str, Any]:
    quality = rng.choice((0.97, 0.9, 0.75, 0.5))  # how well this project did, drives every figure
    return {"subject": f"项目{index:06d}", "values": _values(rng, quality), "judgments": _judgments(rng, quality)}


def _values(rng: random.Random, q: float) -> dict[str, Any]:
    budget = _dec(rng.uniform(500, 10000), 1)
    received = budget if rng.random() < q else _dec(float(budget) * rng.uniform(0.6, 1.0), 1)
    spent = _dec(float(received) * rng.uniform(q - 0.2, 1.08), 2)  # sometimes above received or budget
    return {
        "budget": budget, "received": received, "spent": spent,
        "services_done": Decimal(9 if rng.random() < q else rng.randint(4, 9)),
        "quality_rate": _percent(rng, 100 if rng.random() < q else rng.uniform(60, 100)),
        "timely_rate": _percent(rng, 100 if rng.random() < q else rng.uniform(50, 100)),
        "cost_cut": _percent(rng, rng.uniform(40, 65) if rng.random() < q else rng.uniform(5, 50)),
        "import_time_cut": _percent(rng, rng.uniform(20, 90)),
        "export_time_cut": _percent(rng, rng.uniform(30, 95)),
        "freight_rank": Decimal(rng.randint(1, 3) if rng.random() < q else rng.randint(1, 12)),
        "satisfaction": _percent(rng, rng.uniform(90, 100) if rng.random() < q else rng.uniform(60, 96)),
    }


def _judgments(rng: random.Random, q: float) -> dict[str, Any]:
    judgments: dict[str, Any] = {}
    for leaf, weight in JUDGED.items():
        judgment: dict[str, Any] = {"deductions": []}
        if rng.random() < 0.15:  # the evaluator gives points, to three decimals
            judgment["points"] = _dec(rng.uniform(0, weight) * q, 3)
        while rng.random() > q:  # worse projects collect more deductions, some larger than the weight
            judgment["deductions"].append({"points": _dec(rng.uniform(0.1, weight * 0.8), rng.choice((1, 2, 3))),
                                           "reason": rng.choice(REASONS)})
        judgments[leaf] = judgment
    return judgments


def _percent(rng: random.Random, points: float) -> Any:
    value = _dec(points, rng.choice((0, 1, 2)))
    return f"{value}%" if rng.random() < 0.5 else value


def _dec(value: float, places: int) -> Decimal:
    return Decimal(f"{value:.{places}f}")
