"""The JSON Schema of a rubric's submissions, for tools and forms outside this project."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .model import Input, Rubric

_NUMBER_TEXT = {"type": "string", "pattern": r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$"}
_PERCENT_TEXT = {"type": "string", "pattern": r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*[%％]\s*$"}
_DEDUCTION = {"type": "object", "required": ["points", "reason"], "additionalProperties": False,
              "properties": {"points": {"type": "number", "minimum": 0}, "reason": {"type": "string", "minLength": 1}}}


def submission_schema(rubric: Rubric) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) that every submission to ``rubric`` satisfies."""
    judged = [n for n in rubric.nodes() if n.is_leaf and (n.evaluator_deductions or (n.rule and n.rule.judgment != "none"))]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"submission for {rubric.id}@{rubric.version}: {rubric.title}",
        "type": "object", "additionalProperties": False, "required": ["values"],
        "properties": {
            "subject": {"type": "string"},
            "values": {"type": "object", "additionalProperties": False,
                       "properties": {i.id: _input_schema(i) for i in rubric.inputs.values()},
                       "required": [i.id for i in rubric.inputs.values() if i.required]},
            "judgments": {"type": "object", "additionalProperties": False, "properties": {
                n.id: {"type": "object", "additionalProperties": False, "description": n.label, "properties": {
                    "points": {"type": "number", "minimum": 0, "maximum": _number(n.weight)},
                    "deductions": {"type": "array", "items": _DEDUCTION},
                    "reason": {"type": "string"}}} for n in judged}},
            "claims": {"type": "object"},
        },
    }


def _input_schema(spec: Input) -> dict[str, Any]:
    described = {"title": spec.label, "description": " ".join(p for p in (spec.description, spec.unit and f"({spec.unit})") if p)}
    if spec.type in ("number", "integer", "percent"):
        number: dict[str, Any] = {"type": spec.type if spec.type == "integer" else "number"}
        scale = Decimal(100) if spec.type == "percent" and spec.percent_entry == "points" else Decimal(1)
        if spec.minimum is not None:
            number["minimum"] = _number(spec.minimum * scale)
        if spec.maximum is not None:
            number["maximum"] = _number(spec.maximum * scale)
        forms = [number, _PERCENT_TEXT if spec.type == "percent" else _NUMBER_TEXT]
        return {**described, "anyOf": forms}
    if spec.type == "boolean":
        return {**described, "anyOf": [{"type": "boolean"}, {"enum": ["是", "否", "yes", "no", "true", "false"]}]}
    if spec.type == "level":
        return {**described, "enum": list(spec.levels)}
    return {**described, "type": "string"}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
