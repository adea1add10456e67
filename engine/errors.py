"""The project's error types: one base, each carrying located problems.

Every error the engine raises on bad input is a :class:`RubricError` holding one or
more :class:`Problem` records (file, line, column, path into the document, message),
so that a caller can print them all at once and choose an exit code.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input document, located as precisely as we can."""

    message: str
    file: str = ""
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class RubricError(Exception):
    """Base of every error caused by the user's input (never by a bug).

    ``subject`` is what a submission that failed its checks calls itself (its ``subject``), when it
    was read that far: a batch keeps it on the failed row.
    """

    def __init__(self, problems: list[Problem] | Problem | str, subject: str = "") -> None:
        if isinstance(problems, str):
            problems = Problem(problems)
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.subject = subject
        super().__init__("\n".join(str(p) for p in self.problems))


class DocumentError(RubricError):
    """A file could not be read as a document (missing, not UTF-8, too large, bad YAML)."""


class RubricLoadError(RubricError):
    """A rubric is not valid: schema, weights, grade bands, expressions, names."""


class SubmissionError(RubricError):
    """A submission does not fit its rubric: missing, mistyped or out-of-range values."""


class ScoringError(RubricError):
    """A valid submission could not be scored (e.g. a division by zero in its data)."""


class ResolveError(RubricError):
    """A rubric reference (path or id@version) names nothing that exists."""
