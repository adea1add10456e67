"""Hypothesis strategies for rubric's property suite (see docs/invariants.md).

Importing this package registers and loads the hypothesis profiles (``profiles.py``).
"""
from __future__ import annotations

from . import profiles
from .core import to_json, to_yaml
from .plan import InputPlan, Leaf, Plan, Switch
from .rubrics import plans
from .submissions import approaches, full_marks, improvements, judgments_for, submissions, worsenings

__all__ = ["InputPlan", "Leaf", "Plan", "Switch", "approaches", "full_marks", "improvements", "judgments_for", "plans",
           "profiles", "submissions", "to_json", "to_yaml", "worsenings"]
