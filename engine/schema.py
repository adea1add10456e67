"""The JSON Schema of a rubric (built from the rule registry) and plain-words errors from it."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import jsonschema

from .document import Document
from .errors import Problem
from .model import INPUT_TYPES
from .rules import KINDS
from .suggest import did_you_mean

NUMBER_OR_TEXT = {"anyOf": [{"type": "number"}, {"type": "string"}]}
ID = {"type": "string", "pattern": r"^[^\s.\[\]@/]+$", "minLength": 1, "maxLength": 64}
TEXT = {"type": "string"}

INPUT = {
    "type": "object", "additionalProperties": False, "required": ["type", "label"],
    "properties": {
        "type": {"enum": list(INPUT_TYPES)}, "label": TEXT, "unit": TEXT, "description": TEXT,
        "required": {"type": "boolean"}, "default": {}, "min": NUMBER_OR_TEXT, "max": NUMBER_OR_TEXT,
        "levels": {"type": "array", "items": TEXT, "minItems": 1, "uniqueItems": True},
        "percent_entry": {"enum": ["points", "fraction"]},
    },
}
DERIVED = {"anyOf": [TEXT, {
    "type": "object", "additionalProperties": False, "required": ["expr"],
    "properties": {"expr": TEXT, "label": TEXT, "unit": TEXT, "type": {"enum": ["number", "percent", "boolean"]},
                   "description": TEXT}}]}
DEDUCTION = {
    "type": "object", "additionalProperties": False, "required": ["reason", "points"],
    "properties": {"reason": TEXT, "points": {"type": "number", "minimum": 0}, "when": TEXT, "per": TEXT,
                   "cap": {"type": "number", "minimum": 0}, "whole": {"type": "boolean"},
                   "above": NUMBER_OR_TEXT, "below": NUMBER_OR_TEXT, "step": NUMBER_OR_TEXT},
}


def _rule_schema() -> dict[str, Any]:
    branches = [{"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                 "then": {"properties": {"kind": True, **_value_takes_numbers(rule.schema)}, "required": list(rule.required),
                          "additionalProperties": False}}
                for kind, rule in KINDS.items()]
    return {"type": "object", "required": ["kind"], "properties": {"kind": {"enum": list(KINDS)}}, "allOf": branches}


def _value_takes_numbers(schema: dict[str, Any]) -> dict[str, Any]:
    """A rule's ``value`` is built by ``BuildContext.operand`` in every kind that has one, so a number (a
    constant, ``value: 0.862``) is as good as a name or an expression. Kinds that still declare it as
    text only (target, ratio, bands, levels) are widened here, in one place."""
    value = schema.get("value")
    if value is None or value.get("type") != "string":
        return schema
    return {**schema, "value": {"anyOf": [{"type": "number"}, {"type": "string"}],
                                **{k: v for k, v in value.items() if k != "type"}}}


def rubric_schema() -> dict[str, Any]:
    """The JSON Schema every rubric file must satisfy (before the semantic checks)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "rubric",
        "type": "object", "additionalProperties": False,
        "required": ["id", "version", "title", "grades", "inputs", "indicators"],
        "properties": {
            "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_-]*$"},
            "version": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}]},
            "title": TEXT, "authority": TEXT, "source": TEXT, "notes": TEXT,
            "precision": {"type": "integer", "minimum": 0, "maximum": 6},
            "total": {"type": "number", "exclusiveMinimum": 0},
            "grades": {"type": "array", "minItems": 1, "items": {
                "type": "object", "additionalProperties": False, "required": ["label", "range"],
                "properties": {"label": TEXT, "range": TEXT}}},
            "inputs": {"type": "object", "minProperties": 1, "additionalProperties": INPUT},
            "derived": {"type": "object", "additionalProperties": DERIVED},
            "indicators": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/indicator"}},
            "veto": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["when", "grade", "reason"],
                "properties": {"when": TEXT, "grade": TEXT, "reason": TEXT}}},
            "cases": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["name", "submission", "expect"],
                "properties": {"name": TEXT, "submission": {"type": "object"}, "expect": {
                    "type": "object", "additionalProperties": False, "minProperties": 1,
                    "properties": {"total": {"type": "number"}, "grade": TEXT,
                                   "scores": {"type": "object", "additionalProperties": {"type": "number"}}}}}}},
            "audit": {"type": "object", "additionalProperties": False, "properties": {
                "tolerance": {"type": "number", "minimum": 0}, "over_target": NUMBER_OR_TEXT,
                "ahead_of_budget": NUMBER_OR_TEXT, "unspent": NUMBER_OR_TEXT, "execution": TEXT}},
        },
        "$defs": {
            "indicator": {
                "type": "object", "additionalProperties": False, "required": ["id", "label", "weight"],
                "properties": {
                    "id": ID, "label": TEXT, "description": TEXT,
                    "weight": {"type": "number", "minimum": 0},
                    "children": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/indicator"}},
                    "rule": _rule_schema(),
                    "deductions": {"type": "array", "items": DEDUCTION},
                    "applicable": TEXT,
                    "precision": {"type": "integer", "minimum": 0, "maximum": 6},
                    "evaluator_deductions": {"type": "boolean"},
                },
            },
        },
    }


def _is_integer(checker: Any, instance: Any) -> bool:
    if isinstance(instance, Decimal):
        return instance.is_finite() and instance == instance.to_integral_value()
    return jsonschema.Draft202012Validator.TYPE_CHECKER.is_type(instance, "integer")


_CHECKER = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer)
Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=_CHECKER)
_VALIDATOR = Validator(rubric_schema())


def schema_problems(doc: Document, validator: Any = _VALIDATOR) -> list[Problem]:
    """Every schema violation in ``doc``, in document order, in plain words."""
    problems: list[Problem] = []
    for error in validator.iter_errors(doc.data):
        problems.extend(_explain(doc, error))
    unique = {(p.line, p.column, p.path, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line or 0, p.column or 0))


def _explain(doc: Document, error: jsonschema.ValidationError) -> list[Problem]:
    path = tuple(error.absolute_path)
    kind, instance, schema = error.validator, error.instance, error.schema
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = list(schema.get("properties", {}))
        extras = [k for k in instance if k not in known]
        return [doc.problem(path + (k,), f"unknown key '{k}'{did_you_mean(k, known)}") for k in extras]
    if kind == "required":
        missing = [k for k in error.validator_value if k not in instance]
        return [doc.problem(path, f"missing required key '{k}'") for k in missing]
    if kind == "enum":
        options = [str(o) for o in error.validator_value]
        return [doc.problem(path, f"expected one of {', '.join(options)}; got {_show(instance)}{did_you_mean(instance, options)}")]
    if kind == "type":
        return [doc.problem(path, f"expected {_article(error.validator_value)}, got {_show(instance)}")]
    if kind == "anyOf":
        wanted = sorted({_article(s.get("type", "value")) for s in error.validator_value})
        return [doc.problem(path, f"expected {' or '.join(wanted)}, got {_show(instance)}")]
    if kind == "pattern":
        return [doc.problem(path, f"{_show(instance)} is not allowed here: use letters, digits, '_' or '-' without spaces, dots or brackets")]
    if kind in ("minItems", "minProperties"):
        return [doc.problem(path, "must not be empty")]
    if kind in ("minimum", "exclusiveMinimum", "maximum"):
        return [doc.problem(path, f"{_show(instance)} is out of range ({kind} {error.validator_value})")]
    return [doc.problem(path, error.message)]


def _article(kind: Any) -> str:
    names = {"string": "text", "number": "a number", "integer": "a whole number", "object": "a mapping (key: value)",
             "array": "a list", "boolean": "true or false", "null": "nothing"}
    if isinstance(kind, list):
        return " or ".join(names.get(k, k) for k in kind)
    return names.get(kind, str(kind))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f'"{value}"'
