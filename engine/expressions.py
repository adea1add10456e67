"""Expressions: parsed and vetted once at load, then evaluated many times.

An author writes small formulas such as ``spent / budget`` or ``min(rate, 1)``. Each is
parsed with :mod:`ast`, checked against a whitelist (no attributes, no subscripts, no
comprehensions, no keywords, only the functions in :data:`FUNCTIONS`, only declared
names), its number literals turned into exact :class:`~decimal.Decimal` values, and then
compiled into nested closures. :meth:`Expression.evaluate_reference` evaluates the same
vetted tree with simpleeval, the reference evaluator that the fast path must agree with.
"""
from __future__ import annotations

import ast
import math
import re
import warnings
from collections.abc import Callable, Mapping, Set
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from simpleeval import SimpleEval

from .numbers import ARITH, ARITHMETIC_ERRORS, ONE, ZERO, round_half_up

MAX_LENGTH = 2000
MAX_DEPTH = 100  # a sum of 100 terms nests 100 deep; Python handles far more
MAX_EXPONENT = Decimal(64)
MAX_BASE = Decimal(10) ** 12
MAX_STRING = 200
_PERCENT_LITERAL = re.compile(r"\d\s*[%％]")  # only consulted when parsing failed, so 7 % 2 is not at stake

Value = Decimal | bool | str
Env = Mapping[str, Value]


class ExpressionError(Exception):
    """An expression that cannot be accepted (at load) or evaluated (per submission)."""


def _number(value: Any, op: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return ONE if value else ZERO
    raise ExpressionError(f"'{op}' needs numbers, got text {value!r}")


def _add(a: Any, b: Any) -> Decimal:
    return ARITH.add(_number(a, "+"), _number(b, "+"))


def _sub(a: Any, b: Any) -> Decimal:
    return ARITH.subtract(_number(a, "-"), _number(b, "-"))


def _mul(a: Any, b: Any) -> Decimal:
    return ARITH.multiply(_number(a, "*"), _number(b, "*"))


def _div(a: Any, b: Any) -> Decimal:
    divisor = _number(b, "/")
    if divisor == 0:
        raise ExpressionError("division by zero")
    return ARITH.divide(_number(a, "/"), divisor)


def _floordiv(a: Any, b: Any) -> Decimal:
    divisor = _number(b, "//")
    if divisor == 0:
        raise ExpressionError("division by zero")
    return ARITH.divide_int(_number(a, "//"), divisor)


def _mod(a: Any, b: Any) -> Decimal:
    divisor = _number(b, "%")
    if divisor == 0:
        raise ExpressionError("division by zero")
    return ARITH.remainder(_number(a, "%"), divisor)


def _pow(a: Any, b: Any) -> Decimal:
    base, exponent = _number(a, "**"), _number(b, "**")
    if abs(exponent) > MAX_EXPONENT or abs(base) > MAX_BASE:
        raise ExpressionError(f"power too large: at most {MAX_BASE:,} ** {MAX_EXPONENT}")
    if base == 0 and exponent <= 0:
        raise ExpressionError("zero cannot be raised to a power of zero or less")
    if base < 0 and exponent != exponent.to_integral_value():
        raise ExpressionError("a negative number cannot be raised to a fractional power")
    return ARITH.power(base, exponent)


def _neg(a: Any) -> Decimal:
    return ARITH.minus(_number(a, "-"))


def _pos(a: Any) -> Decimal:
    return ARITH.plus(_number(a, "+"))


def _not(a: Any) -> bool:
    return not a


def _compare(op: Callable[[Any, Any], bool], symbol: str) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        if isinstance(a, str) != isinstance(b, str):
            if symbol in ("==", "!="):
                return symbol == "!="
            raise ExpressionError(f"cannot compare text with a number using '{symbol}'")
        return op(a, b)

    return compare


def _fn_min(*args: Any) -> Decimal:
    if not args:
        raise ExpressionError("min() needs at least one value")
    return min(_number(a, "min") for a in args)


def _fn_max(*args: Any) -> Decimal:
    if not args:
        raise ExpressionError("max() needs at least one value")
    return max(_number(a, "max") for a in args)


def _fn_abs(a: Any) -> Decimal:
    return abs(_number(a, "abs"))


def _fn_round(a: Any, places: Any = ZERO) -> Decimal:
    digits = _number(places, "round")
    if digits != digits.to_integral_value() or not 0 <= digits <= 10:
        raise ExpressionError("round(x, n) needs n a whole number from 0 to 10")
    return round_half_up(_number(a, "round"), int(digits))


def _fn_clamp(a: Any, low: Any, high: Any) -> Decimal:
    return max(_number(low, "clamp"), min(_number(high, "clamp"), _number(a, "clamp")))


def _fn_floor(a: Any) -> Decimal:
    return _number(a, "floor").to_integral_value(rounding=ROUND_FLOOR)


def _fn_ceil(a: Any) -> Decimal:
    return _number(a, "ceil").to_integral_value(rounding=ROUND_CEILING)


#: The functions an expression may call, with a one-line description for the docs.
FUNCTIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "min": (_fn_min, "smallest of the values: min(a, b, ...)"),
    "max": (_fn_max, "largest of the values: max(a, b, ...)"),
    "abs": (_fn_abs, "absolute value: abs(x)"),
    "round": (_fn_round, "round half up (四舍五入) to n decimals: round(x, n)"),
    "clamp": (_fn_clamp, "x limited to low..high: clamp(x, low, high)"),
    "floor": (_fn_floor, "largest whole number not above x: floor(x)"),
    "ceil": (_fn_ceil, "smallest whole number not below x: ceil(x)"),
}

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: _add, ast.Sub: _sub, ast.Mult: _mul, ast.Div: _div,
    ast.FloorDiv: _floordiv, ast.Mod: _mod, ast.Pow: _pow,
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.USub: _neg, ast.UAdd: _pos, ast.Not: _not}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: _compare(lambda a, b: a == b, "=="), ast.NotEq: _compare(lambda a, b: a != b, "!="),
    ast.Lt: _compare(lambda a, b: a < b, "<"), ast.LtE: _compare(lambda a, b: a <= b, "<="),
    ast.Gt: _compare(lambda a, b: a > b, ">"), ast.GtE: _compare(lambda a, b: a >= b, ">="),
}
_SYMBOLS = {ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.BitAnd: "&",
            ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>", ast.MatMult: "@",
            ast.Invert: "~"}
_FORBIDDEN = {
    ast.Attribute: "attribute access (a.b) is not allowed",
    ast.Subscript: "indexing (a[b]) is not allowed",
    ast.Lambda: "lambda is not allowed", ast.NamedExpr: "assignment (:=) is not allowed",
    ast.ListComp: "comprehensions are not allowed", ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed", ast.GeneratorExp: "comprehensions are not allowed",
    ast.List: "lists are not allowed", ast.Tuple: "tuples are not allowed", ast.Dict: "dicts are not allowed",
    ast.Set: "sets are not allowed", ast.JoinedStr: "f-strings are not allowed", ast.Starred: "* is not allowed",
    ast.Await: "await is not allowed", ast.Yield: "yield is not allowed", ast.YieldFrom: "yield is not allowed",
}


class Expression:
    """A vetted expression: its source, the names it reads and a compiled evaluator."""

    __slots__ = ("source", "names", "name", "_tree", "_run")

    def __init__(self, source: str, known: Set[str]) -> None:
        self.source = source
        self._tree = _parse(source)
        self.names = frozenset(_vet(self._tree, source, known))
        self._run = _compile(self._tree.body)
        #: the name itself when the expression is just one name (``spent``), else None
        self.name = self._tree.body.id if isinstance(self._tree.body, ast.Name) else None

    def evaluate(self, env: Env) -> Value:
        """Evaluate with the compiled closures (the fast path)."""
        try:
            return self._run(env)
        except ExpressionError:
            raise
        except ARITHMETIC_ERRORS as exc:
            raise ExpressionError(f"arithmetic error ({type(exc).__name__})") from None

    def evaluate_reference(self, env: Env) -> Value:
        """Evaluate the same vetted tree with simpleeval (the reference evaluator)."""
        evaluator = SimpleEval(
            operators={**_BINARY, **_UNARY, **_COMPARE},
            functions={name: fn for name, (fn, _) in FUNCTIONS.items()},
            names=dict(env),
        )
        try:
            return evaluator.eval(self.source, previously_parsed=self._tree.body)
        except ExpressionError:
            raise
        except ARITHMETIC_ERRORS as exc:
            raise ExpressionError(f"arithmetic error ({type(exc).__name__})") from None

    def python(self, const: Callable[[Any], str]) -> str:
        """This expression as Python source over ``env`` for the compiled plan (:mod:`engine.plan_compiler`).

        It calls the same operator functions as the closures, in the same order, so it gives
        what :meth:`evaluate` gives (before its errors are put in words); ``const`` binds each
        literal, name and function as a constant, so nothing of the author's text is pasted in.
        """
        return _python(self._tree.body, const)

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"


def _parse(source: str) -> ast.Expression:
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("empty expression")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"expression is {len(source)} characters long; at most {MAX_LENGTH} allowed")
    try:
        with warnings.catch_warnings():  # Python's "invalid decimal literal" (1and 2) would print to the terminal
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        # authors write rule targets as "80%", so "rate < 80%" is the most common slip here
        hint = "; a percent in an expression is a fraction: write 0.8, not 80%" if _PERCENT_LITERAL.search(source) else ""
        raise ExpressionError(f"does not parse: {exc.msg} (column {exc.offset}){hint}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("expression is nested too deeply") from None
    _exact_numbers(tree, source.strip())
    return tree


def _exact_numbers(tree: ast.Expression, source: str) -> None:
    """Replace each number literal by the exact Decimal of its source text."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            text = ast.get_source_segment(source, node) or repr(node.value)
            try:
                node.value = Decimal(text.replace("_", ""))
            except ArithmeticError:
                node.value = Decimal(repr(node.value))
            if not node.value.is_finite():
                raise ExpressionError(f"number {text} is not finite")


def _vet(tree: ast.Expression, source: str, known: Set[str]) -> set[str]:
    """Check every node against the whitelist; return the names read."""
    names: set[str] = set()
    _vet_node(tree.body, known, names, 1)
    return names


def _vet_node(node: ast.AST, known: Set[str], names: set[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ExpressionError(f"expression is nested more than {MAX_DEPTH} levels deep")
    if type(node) in _FORBIDDEN:
        raise ExpressionError(_FORBIDDEN[type(node)])
    check = _CHECKS.get(type(node))
    if check is None:
        raise ExpressionError(f"{type(node).__name__} is not allowed in an expression")
    check(node, known, names)
    for child in ast.iter_child_nodes(node):
        if isinstance(node, ast.Call) and child is node.func:
            continue
        if not isinstance(child, (ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.expr_context)):
            _vet_node(child, known, names, depth + 1)


def _check_name(node: ast.Name, known: Set[str], names: set[str]) -> None:
    if node.id.startswith("_"):
        raise ExpressionError(f"name '{node.id}' is not allowed (names may not start with '_')")
    if node.id not in known:
        if node.id in FUNCTIONS:
            raise ExpressionError(f"'{node.id}' is a function; call it as {node.id}(...)")
        from .suggest import did_you_mean
        raise ExpressionError(f"unknown name '{node.id}'{did_you_mean(node.id, known)}")
    names.add(node.id)


def _check_call(node: ast.Call, known: Set[str], names: set[str]) -> None:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        from .suggest import did_you_mean
        name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
        raise ExpressionError(f"unknown function '{name}'{did_you_mean(name, FUNCTIONS)}; allowed: {', '.join(FUNCTIONS)}")
    if node.keywords:
        raise ExpressionError(f"{node.func.id}() takes no keyword arguments")
    low, high = _ARITY[node.func.id]
    if not low <= len(node.args) <= (high or len(node.args)):
        wanted = f"{low}" if low == high else f"{low} or {high}" if high else f"at least {low}"
        raise ExpressionError(f"{node.func.id}() takes {wanted} value(s), got {len(node.args)}: {FUNCTIONS[node.func.id][1]}")


#: How many values each function takes (lowest, highest; None: any number), checked at load.
_ARITY: dict[str, tuple[int, int | None]] = {"min": (1, None), "max": (1, None), "abs": (1, 1), "round": (1, 2),
                                              "clamp": (3, 3), "floor": (1, 1), "ceil": (1, 1)}


def _check_constant(node: ast.Constant, known: Set[str], names: set[str]) -> None:
    if isinstance(node.value, str) and len(node.value) > MAX_STRING:
        raise ExpressionError(f"text literal longer than {MAX_STRING} characters")
    if not isinstance(node.value, (Decimal, str, bool)):
        raise ExpressionError(f"literal {node.value!r} is not allowed")


def _check_op(table: dict[type, Any]) -> Callable[[Any, Set[str], set[str]], None]:
    def check(node: Any, known: Set[str], names: set[str]) -> None:
        ops = node.ops if isinstance(node, ast.Compare) else [node.op]
        for op in ops:
            if type(op) not in table:
                raise ExpressionError(f"operator '{_SYMBOLS.get(type(op), type(op).__name__)}' is not allowed")

    return check


_CHECKS: dict[type, Callable[[Any, Set[str], set[str]], None]] = {
    ast.Name: _check_name,
    ast.Call: _check_call,
    ast.Constant: _check_constant,
    ast.BinOp: _check_op(_BINARY),
    ast.UnaryOp: _check_op(_UNARY),
    ast.Compare: _check_op(_COMPARE),
    ast.BoolOp: lambda node, known, names: None,
    ast.IfExp: lambda node, known, names: None,
}

Closure = Callable[[Env], Any]


def _compile(node: ast.AST) -> Closure:
    """Turn a vetted node into a closure ``env -> value`` with simpleeval's semantics."""
    if isinstance(node, ast.Constant):
        value = node.value
        return lambda env: value
    if isinstance(node, ast.Name):
        name = node.id
        return lambda env: env[name]
    if isinstance(node, ast.BinOp):
        return _compile_binop(node)
    if isinstance(node, ast.UnaryOp):
        op, operand = _UNARY[type(node.op)], _compile(node.operand)
        return lambda env: op(operand(env))
    if isinstance(node, ast.BoolOp):
        return _compile_boolop(node)
    if isinstance(node, ast.Compare):
        return _compile_compare(node)
    if isinstance(node, ast.IfExp):
        test, body, orelse = _compile(node.test), _compile(node.body), _compile(node.orelse)
        return lambda env: body(env) if test(env) else orelse(env)
    if isinstance(node, ast.Call):
        fn = FUNCTIONS[node.func.id][0]  # type: ignore[attr-defined]
        args = [_compile(a) for a in node.args]
        return lambda env: fn(*(a(env) for a in args))
    raise ExpressionError(f"{type(node).__name__} is not allowed")  # unreachable after _vet


def _python(node: ast.AST, const: Callable[[Any], str]) -> str:
    """The vetted node as Python source, as :func:`_compile` runs it (a chained comparison: its closure)."""
    if isinstance(node, ast.Constant):
        return const(node.value)
    if isinstance(node, ast.Name):
        return f"env[{const(node.id)}]"
    if isinstance(node, ast.BinOp):
        return f"{const(_BINARY[type(node.op)])}({_python(node.left, const)}, {_python(node.right, const)})"
    if isinstance(node, ast.UnaryOp):
        return f"{const(_UNARY[type(node.op)])}({_python(node.operand, const)})"
    if isinstance(node, ast.BoolOp):
        joiner = " and " if isinstance(node.op, ast.And) else " or "
        return "(" + joiner.join(_python(value, const) for value in node.values) + ")"
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        return f"{const(_COMPARE[type(node.ops[0])])}({_python(node.left, const)}, {_python(node.comparators[0], const)})"
    if isinstance(node, ast.IfExp):
        return f"({_python(node.body, const)} if {_python(node.test, const)} else {_python(node.orelse, const)})"
    if isinstance(node, ast.Call):
        fn = FUNCTIONS[node.func.id][0]  # type: ignore[attr-defined]
        return f"{const(fn)}({', '.join(_python(arg, const) for arg in node.args)})"
    return f"{const(_compile(node))}(env)"


def _compile_binop(node: ast.BinOp) -> Closure:
    op, left, right = _BINARY[type(node.op)], _compile(node.left), _compile(node.right)
    return lambda env: op(left(env), right(env))


def _compile_boolop(node: ast.BoolOp) -> Closure:
    parts = [_compile(v) for v in node.values]
    if isinstance(node.op, ast.And):
        def run_and(env: Env) -> Any:
            result: Any = False
            for part in parts:
                result = part(env)
                if not result:
                    break
            return result
        return run_and

    def run_or(env: Env) -> Any:
        result: Any = False
        for part in parts:
            result = part(env)
            if result:
                break
        return result
    return run_or


def _compile_compare(node: ast.Compare) -> Closure:
    first = _compile(node.left)
    steps = [(_COMPARE[type(op)], _compile(c)) for op, c in zip(node.ops, node.comparators)]

    def run(env: Env) -> bool:
        right = first(env)
        result = True
        for op, operand in steps:
            if not result:
                break
            left, right = right, operand(env)
            result = op(left, right)
        return result
    return run


def is_number(value: Any) -> bool:
    """True for a finite Decimal (booleans are not numbers here)."""
    return isinstance(value, Decimal) and value.is_finite()


__all__ = ["Expression", "ExpressionError", "FUNCTIONS", "is_number", "math"]
