"""Grade bands (等级): intervals with explicit edges that partition 0..total.

A band is written as an interval, lower edge first: ``"[90, 100]"``, ``"[80, 90)"``.
Full-width brackets as printed in Chinese documents (``【90，100】``, ``（80，90】``) are
read the same way. Wuhan prints the upper edge first with each bracket beside its own
number: 【100,90】优秀 (90,80】良好 … means 90 ≤ 优秀 ≤ 100, 80 ≤ 良好 < 90: ``[90, 100]``, ``[80, 90)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_INTERVAL = re.compile(r"^\s*([\[(])\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*([\])])\s*$")
_FULL_WIDTH = str.maketrans({"【": "[", "】": "]", "（": "(", "）": ")", "，": ",", "［": "[", "］": "]"})


@dataclass(frozen=True)
class Band:
    label: str
    low: Decimal
    high: Decimal
    low_closed: bool
    high_closed: bool

    def contains(self, value: Decimal) -> bool:
        above = value >= self.low if self.low_closed else value > self.low
        below = value <= self.high if self.high_closed else value < self.high
        return above and below

    @property
    def text(self) -> str:
        return f"{'[' if self.low_closed else '('}{self.low}, {self.high}{']' if self.high_closed else ')'}"


@dataclass(frozen=True)
class GradeScale:
    """The bands, best first."""

    bands: tuple[Band, ...]

    def grade(self, total: Decimal) -> str:
        for band in self.bands:
            if band.contains(total):
                return band.label
        raise ValueError(f"no grade band contains {total}")  # impossible for a validated scale

    def labels(self) -> list[str]:
        return [band.label for band in self.bands]


def parse_interval(text: str) -> tuple[Decimal, Decimal, bool, bool] | str:
    """``"[80, 90)"`` → (80, 90, True, False); a message string when it does not parse."""
    match = _INTERVAL.match(str(text).translate(_FULL_WIDTH))
    if not match:
        return f"expected an interval like \"[90, 100]\" or \"[80, 90)\", got {text!r}"
    opening, low, high, closing = match.groups()
    low_d, high_d = Decimal(low), Decimal(high)
    if low_d > high_d:
        mirrored = f"{'[' if closing == ']' else '('}{high}, {low}{']' if opening == '[' else ')'}"  # brackets stay with their numbers
        return f"interval {text!r} has its edges reversed; write the lower edge first: \"{mirrored}\""
    return low_d, high_d, opening == "[", closing == "]"


def check_partition(bands: list[Band], total: Decimal) -> list[str]:
    """Messages for every gap, overlap or misordering; empty when the bands partition 0..total."""
    problems: list[str] = []
    ordered = sorted(bands, key=lambda b: (b.low, b.high))
    if [b.label for b in reversed(ordered)] != [b.label for b in bands]:
        problems.append("list the bands from the best (highest) to the worst (lowest)")
    if ordered and (ordered[0].low != 0 or not ordered[0].low_closed):
        problems.append(f"the lowest band must start at 0 included, found {ordered[0].text}")
    if ordered and (ordered[-1].high != total or not ordered[-1].high_closed):
        problems.append(f"the highest band must end at {total} included, found {ordered[-1].text}")
    for lower, upper in zip(ordered, ordered[1:]):
        if lower.high < upper.low:
            problems.append(f"gap between {lower.label} {lower.text} and {upper.label} {upper.text}")
        elif lower.high > upper.low:
            problems.append(f"{lower.label} {lower.text} overlaps {upper.label} {upper.text}")
        elif lower.high_closed and upper.low_closed:
            problems.append(f"{lower.high} belongs to both {lower.label} and {upper.label}; close only one side")
        elif not lower.high_closed and not upper.low_closed:
            problems.append(f"{lower.high} belongs to neither {lower.label} nor {upper.label}; close one side")
    return problems
