"""rubric's core: load versioned YAML rubrics, check submissions, score them exactly.

Typical use::

    from engine import load_rubric, load_submission, score
    rubric = load_rubric("rubrics/qingdao/2020.yaml")
    result = score(rubric, load_submission("examples/qingdao-2020.yaml", rubric))
    result.total, result.grade, result.to_dict()

The engine never prints or exits; every error on bad input is a :class:`RubricError`
carrying located :class:`Problem` records.
"""
from __future__ import annotations

from .errors import (DocumentError, Problem, ResolveError, RubricError, RubricLoadError, ScoringError,
                     SubmissionError)
from .loader import load_rubric, parse_rubric
from .model import Rubric
from .repository import catalogue, load_reference, resolve
from .result import NodeResult, Result
from .scoring import score
from .submission import Submission, load_submission, submission_from_data
from .submission_schema import submission_schema

__all__ = [
    "DocumentError", "NodeResult", "Problem", "ResolveError", "Result", "Rubric", "RubricError", "RubricLoadError",
    "ScoringError", "Submission", "SubmissionError", "catalogue", "load_rubric", "load_submission", "parse_rubric",
    "load_reference", "resolve", "score", "submission_from_data", "submission_schema",
]
