"""Exact decimal numbers: reading them from text, rounding 四舍五入, showing them."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow

#: Arithmetic context for every computation: 28 digits, errors trap instead of
#: producing NaN or infinity, and exponents are bounded so nothing can grow without end.
ARITH = Context(prec=28, Emax=10**6, Emin=-(10**6), traps=[InvalidOperation, DivisionByZero, Overflow])

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

MAX_DIGITS = 100  # longer numbers are not read: no real figure needs them, and they overflow the context
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_PERCENT = re.compile(r"^\s*([+-]?(\d+(\.\d*)?|\.\d+))\s*[%％]\s*$")


def parse_decimal(text: str) -> Decimal | None:
    """Read a plain decimal like ``6548.5`` or ``-3``; ``None`` if the text is not one."""
    text = text.strip().replace("_", "")
    return Decimal(text) if len(text) <= MAX_DIGITS and _NUMBER.match(text) else None


def parse_percent(text: str) -> Decimal | None:
    """Read ``97%`` (or ``97％``) as the fraction 0.97; ``None`` if it is not a percent."""
    match = _PERCENT.match(text) if len(text) <= MAX_DIGITS + 4 else None
    return Decimal(match.group(1)) / HUNDRED if match else None


def round_half_up(value: Decimal, precision: int) -> Decimal:
    """Round to ``precision`` decimals, halves away from zero (四舍五入)."""
    exponent = Decimal(1).scaleb(-precision)
    try:
        return value.quantize(exponent, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds (a huge figure): widen it for this one
        return value.quantize(exponent, rounding=ROUND_HALF_UP, context=Context(prec=value.adjusted() + precision + 2))


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """``value`` limited to ``low..high``."""
    return max(low, min(high, value))


def plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: ``80000``, ``0.75``, ``116.86``.

    A figure beyond :data:`MAX_DIGITS` digits keeps its exponent (``1E+999999999``): written
    out, it would be a string of a billion zeros.
    """
    if not value.is_finite() or not -MAX_DIGITS <= value.adjusted() <= MAX_DIGITS:
        return str(value)
    if value == value.to_integral_value():
        return format(value.to_integral_value(), "f")  # not quantize: that fails beyond 28 digits
    return format(value.normalize(), "f")


def percent_text(fraction: Decimal, places: int | None = None) -> str:
    """A fraction shown as a percent: 0.9700 → ``97%``; with ``places``, rounded half-up."""
    value = fraction * HUNDRED
    if places is not None:
        value = round_half_up(value, places)
    return plain(value) + "%"


def fixed(value: Decimal, precision: int) -> str:
    """A score shown with exactly ``precision`` decimals (``17.25``, ``30.00``)."""
    return format(round_half_up(value, precision), "f")


def json_number(value: Decimal) -> int | float:
    """A rounded decimal as a JSON number that prints exactly as displayed."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


ARITHMETIC_ERRORS = (InvalidOperation, DivisionByZero, Overflow, ArithmeticError)
