"""Running aggregates over a batch: counts per grade, mean and spread of totals, average points lost.

Only sums are kept (count, Σx, Σx², min, max, Σ lost per level-1 indicator), so memory does
not grow with the number of projects. Sums are exact Decimals; the spread is the population
standard deviation √(Σx²/n − mean²).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from engine.model import Rubric
from engine.numbers import ZERO
from engine.result import Result


@dataclass
class Tally:
    grades: list[str]
    level1: list[tuple[str, str, Decimal]]  # id, label, weight
    scored: int = 0
    failed: int = 0
    per_grade: dict[str, int] = field(default_factory=dict)
    total_sum: Decimal = ZERO
    total_squares: Decimal = ZERO
    lowest: Decimal | None = None
    highest: Decimal | None = None
    lost_sums: dict[str, Decimal] = field(default_factory=dict)
    score_sums: dict[str, Decimal] = field(default_factory=dict)

    @classmethod
    def for_rubric(cls, rubric: Rubric) -> Tally:
        labels = rubric.grades.labels()
        return cls(labels, [(n.id, n.label, n.weight) for n in rubric.indicators], per_grade={g: 0 for g in labels})

    def add(self, result: Result) -> None:
        self.scored += 1
        self.per_grade[result.grade] = self.per_grade.get(result.grade, 0) + 1
        self.total_sum += result.total
        self.total_squares += result.total * result.total
        self.lowest = result.total if self.lowest is None else min(self.lowest, result.total)
        self.highest = result.total if self.highest is None else max(self.highest, result.total)
        for node in result.indicators:
            self.lost_sums[node.id] = self.lost_sums.get(node.id, ZERO) + node.lost
            self.score_sums[node.id] = self.score_sums.get(node.id, ZERO) + node.score

    def fail(self) -> None:
        self.failed += 1

    def merge(self, later: Tally) -> None:
        """Take in the tally of the projects after these (a worker's block): the same figures as adding them
        one by one, as the sums are exact and a tie for lowest or highest keeps the earlier value."""
        self.scored += later.scored
        self.failed += later.failed
        for grade, count in later.per_grade.items():
            self.per_grade[grade] = self.per_grade.get(grade, 0) + count
        self.total_sum += later.total_sum
        self.total_squares += later.total_squares
        if later.lowest is not None:
            self.lowest = later.lowest if self.lowest is None else min(self.lowest, later.lowest)
        if later.highest is not None:
            self.highest = later.highest if self.highest is None else max(self.highest, later.highest)
        for key, lost in later.lost_sums.items():
            self.lost_sums[key] = self.lost_sums.get(key, ZERO) + lost
        for key, score in later.score_sums.items():
            self.score_sums[key] = self.score_sums.get(key, ZERO) + score

    @property
    def count(self) -> int:
        return self.scored + self.failed

    @property
    def mean(self) -> Decimal | None:
        return self.total_sum / self.scored if self.scored else None

    @property
    def spread(self) -> Decimal | None:
        if not self.scored:
            return None
        mean = self.total_sum / self.scored
        return max(self.total_squares / self.scored - mean * mean, ZERO).sqrt()

    def share(self, grade: str) -> Decimal:
        """The share of scored projects in ``grade`` (0 when none were scored)."""
        return Decimal(self.per_grade.get(grade, 0)) / self.scored if self.scored else ZERO

    def average_lost(self, indicator: str) -> Decimal:
        return self.lost_sums.get(indicator, ZERO) / self.scored if self.scored else ZERO

    def average_score(self, indicator: str) -> Decimal:
        return self.score_sums.get(indicator, ZERO) / self.scored if self.scored else ZERO
