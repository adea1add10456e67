"""The registry of scoring-rule kinds: one name each, feeding the loader and the JSON Schema."""
from __future__ import annotations

from .bands import BandsRule
from .base import Judgment, JudgmentNeeded, Outcome, Rule
from .deviation import DeviationRule
from .elements import ElementsRule
from .expression import ExpressionRule
from .full import FullRule
from .judged import JudgedRule
from .levels import LevelsRule
from .likert import LikertRule
from .ratio import RatioRule
from .target import TargetRule
from .yes_no import YesNoRule

KINDS: dict[str, type[Rule]] = {rule.kind: rule for rule in (
    TargetRule, RatioRule, BandsRule, LevelsRule, ExpressionRule, JudgedRule,
    ElementsRule, DeviationRule, LikertRule, YesNoRule, FullRule,
)}

__all__ = ["KINDS", "Judgment", "JudgmentNeeded", "Outcome", "Rule"]
