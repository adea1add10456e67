"""Differential property: the compiled closures agree with simpleeval, the reference evaluator."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given
from strategies.expressions import NAMES, environments, expressions

from engine.expressions import Expression, ExpressionError
from engine.plan_compiler import compile_derived


def _outcome(run: Any, env: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "value", run(env)
    except ExpressionError as exc:
        return "error", str(exc)


def _same(fast: tuple[str, Any], reference: tuple[str, Any]) -> bool:
    """Identical: the same kind of value with the same text (so 1 and 1.0, True and 1 differ), or the same error."""
    return fast[0] == reference[0] and type(fast[1]) is type(reference[1]) and str(fast[1]) == str(reference[1])


@given(expressions(), environments())
@example("min()", {name: Decimal(1) for name in NAMES})  # once a TypeError at evaluation; now refused at load
def test_compiled_agrees_with_reference(source: str, env: dict[str, Any]) -> None:
    try:
        expression = Expression(source, frozenset(NAMES))
    except ExpressionError:
        return  # refused at load by the vetting both evaluators share
    fast, reference = _outcome(expression.evaluate, env), _outcome(expression.evaluate_reference, env)
    assert _same(fast, reference), f"{source}: compiled {fast!r}, simpleeval {reference!r}"


@given(expressions(), environments())
def test_python_source_agrees_with_compiled(source: str, env: dict[str, Any]) -> None:
    """The form the scorer compiles derived values into gives what the closures give, or fails where they fail."""
    try:
        expression = Expression(source, frozenset(NAMES))
    except ExpressionError:
        return
    derive = compile_derived([("x", expression)])
    if derive is None:
        return  # too deep for Python's parser: the scorer evaluates with the closures
    closures = _outcome(expression.evaluate, env)
    values = dict(env)
    try:
        derive(values)
        python = "value", values["x"]
    except Exception as exc:  # noqa: BLE001 - the scorer then evaluates with the closures, which put it in words
        python = "error", type(exc).__name__
    if closures[0] == "error":
        assert python[0] == "error", f"{source}: closures {closures!r}, python {python!r}"
    else:
        assert _same(python, closures), f"{source}: python {python!r}, closures {closures!r}"


@pytest.mark.parametrize("source", ["round()", "round(1, 2, 3)", "clamp(1)", "abs()", "abs(1, 2)", "floor(1, 2)",
                                    "ceil()", "min()", "max()"])
def test_wrong_number_of_arguments_is_refused_at_load(source: str) -> None:
    # regression: these compiled, then raised TypeError (not an ExpressionError) on every evaluation
    with pytest.raises(ExpressionError, match=r"takes .* value\(s\), got \d"):
        Expression(source, frozenset())
