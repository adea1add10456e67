"""Helpers for the engine tests: small rubrics around given indicators, scoring them, locating lines.

``rubric_text(body)`` puts a header (id, version, title) and, unless the body gives them,
``total`` and ``grades`` around ``body`` (YAML with ``inputs:`` and ``indicators:``);
``rubric_from(body)`` parses it. ``leaf(rule, inputs)`` is the common case: one indicator
``x`` of weight 10 with one rule. ``line_of(text, needle)`` gives the 1-based line of a
needle, so that location assertions do not hard-code line numbers that shift with the header.
"""
from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

import pytest
import yaml

import engine
from engine import Result, Rubric

HEADER = "id: t\nversion: '1'\ntitle: 测试\n"
STANDARD_GRADES = """\
grades:
  - {label: 优, range: "[90, 100]"}
  - {label: 良, range: "[80, 90)"}
  - {label: 中, range: "[60, 80)"}
  - {label: 差, range: "[0, 60)"}
"""


def rubric_text(body: str, *, precision: int | None = None) -> str:
    """A complete rubric document around ``body``; total and grades follow the level-1 weights."""
    body = textwrap.dedent(body).strip("\n") + "\n"
    try:
        parsed = yaml.safe_load(body) or {}
    except (yaml.YAMLError, ValueError):  # a test of bad YAML: let the engine report it
        parsed = {}
    head = HEADER + (f"precision: {precision}\n" if precision is not None else "")
    if "total" not in parsed:
        weights = _weights(parsed.get("indicators"))
        if weights != 100:
            head += f"total: {weights}\n"
    else:
        weights = Decimal(str(parsed["total"]))
    if "grades" not in parsed:
        head += STANDARD_GRADES if weights == 100 else f'grades:\n  - {{label: 合格, range: "[0, {weights}]"}}\n'
    return head + body


def _weights(indicators: Any) -> Decimal:
    """The sum of level-1 weights, or 100 when a test gives something that is not a number."""
    try:
        return sum((Decimal(str(node["weight"])) for node in indicators), Decimal(0)) or Decimal(100)
    except (ArithmeticError, KeyError, TypeError):
        return Decimal(100)


def rubric_from(body: str, *, precision: int | None = None, name: str = "<string>") -> Rubric:
    """Parse ``rubric_text(body)``."""
    return engine.parse_rubric(rubric_text(body, precision=precision), name)


def leaf(rule: str, inputs: str, *, weight: Any = 10, extra: str = "", precision: int | None = None) -> Rubric:
    """A rubric with one indicator ``x`` (weight ``weight``) scored by ``rule`` (YAML: a flow mapping or a block)."""
    body = f"inputs:\n{textwrap.indent(textwrap.dedent(inputs).strip(), '  ')}\n{textwrap.dedent(extra)}"
    rule = textwrap.dedent(rule).strip()
    if "\n" in rule:
        rule = "\n" + textwrap.indent(rule, " " * 6)
    body += f"indicators:\n  - id: x\n    label: 指标\n    weight: {weight}\n    rule: {rule}\n"
    return rubric_from(body, precision=precision)


def score(rubric: Rubric, values: dict[str, Any] | None = None, judgments: dict[str, Any] | None = None,
          **extra: Any) -> Result:
    """Check ``values`` (and ``judgments``) against ``rubric`` and score them."""
    data: dict[str, Any] = {"values": values or {}, **extra}
    if judgments is not None:
        data["judgments"] = judgments
    return engine.score(rubric, engine.submission_from_data(_decimals(data), rubric))


def points(rubric: Rubric, values: dict[str, Any] | None = None, node: str = "x", **kw: Any) -> Decimal:
    """The score of one indicator."""
    found = score(rubric, values, **kw).node(node)
    assert found is not None, f"no indicator {node}"
    return found.score


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the ``nth`` line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not found {nth} time(s)"
    return hits[nth - 1]


def problems_of(excinfo: pytest.ExceptionInfo[engine.RubricError]) -> list[engine.Problem]:
    return excinfo.value.problems


def _decimals(value: Any) -> Any:
    """Submissions as a document would carry them: numbers as Decimal read from their text."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return value


D = Decimal
