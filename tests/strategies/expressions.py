"""Expressions: well-formed ones over typed environments (for the differential property),
random strings (robustness) and ones built to exhaust time or memory (safety)."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

NAMES = ("a", "b", "c", "rate", "执行数")
FUNCTIONS = ("min", "max", "abs", "round", "clamp", "floor", "ceil")
BINARY = ("+", "-", "*", "/", "//", "%", "**")
COMPARE = ("==", "!=", "<", "<=", ">", ">=")

_numbers = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False).map(lambda d: format(d, "f")),
    st.sampled_from(["0", "0.5", "1", "2", "1e3", "1_000", "999999999999", "0.000001", "64", "65"]),
)
_literals = _numbers | st.sampled_from(["True", "False", "'优'", "'a'", "''", '"达成"'])


def expressions(names: tuple[str, ...] = NAMES, max_leaves: int = 12) -> st.SearchStrategy[str]:
    """Source text of syntactically valid expressions using only the allowed constructs."""
    leaf = _literals | st.sampled_from(names)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(st.sampled_from(["-", "+", "not "]), inner).map(lambda t: f"({t[0]}{t[1]})"),
            st.tuples(inner, st.lists(st.tuples(st.sampled_from(COMPARE), inner), min_size=1, max_size=3))
            .map(lambda t: "(" + t[0] + "".join(f" {op} {x}" for op, x in t[1]) + ")"),
            st.tuples(st.sampled_from(["and", "or"]), st.lists(inner, min_size=2, max_size=3))
            .map(lambda t: "(" + f" {t[0]} ".join(t[1]) + ")"),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
            st.tuples(st.sampled_from(FUNCTIONS), st.lists(inner, min_size=0, max_size=3))
            .map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        )
    return st.recursive(leaf, extend, max_leaves=max_leaves)


def values() -> st.SearchStrategy[Decimal | bool | str]:
    """Values as a checked submission holds them: finite Decimals (some huge or tiny), booleans, text."""
    return st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**9, max_value=10**9),
        st.sampled_from([Decimal(0), Decimal("1E+30"), Decimal("-1E+30"), Decimal("1E-30"), Decimal(10) ** 99,
                         Decimal("0.95"), Decimal("999999999999")]),
        st.booleans(),
        st.sampled_from(["优", "达成", "", "a"]),
    )


def environments(names: tuple[str, ...] = NAMES) -> st.SearchStrategy[dict[str, Decimal | bool | str]]:
    return st.fixed_dictionaries({name: values() for name in names})


_EXPRESSION_ALPHABET = st.sampled_from(list("abc0123456789 ._+-*/%()<>=!,'\"[]{}:;@&|^~#\\\n\t") + list(NAMES)
                                       + list(FUNCTIONS) + ["and", "or", "not", "if", "else", "lambda", "__", "**",
                                                            "import", "in", "is", "%", "％", "，", "（"])


def expression_texts() -> st.SearchStrategy[str]:
    """Anything an author might type in an expression field, well-formed or not."""
    return st.one_of(
        st.text(max_size=60),
        st.lists(_EXPRESSION_ALPHABET, max_size=30).map("".join),
        expressions().map(lambda s: s[: len(s) // 2]),  # cut off mid-way
        expressions(),
    )


def _chain(parts: list[str], op: str) -> str:
    return f" {op} ".join(parts)


def dangerous_expressions() -> st.SearchStrategy[str]:
    """Expressions built to exhaust time or memory, or to escape the sandbox."""
    big = st.sampled_from(["9", "99", "999999999999", "10", "2", "a", "1e300", "9" * 99, "1e999999"])
    return st.one_of(
        st.lists(big, min_size=2, max_size=8).map(lambda p: _chain(p, "**")),  # towers: 9 ** 9 ** 9 ** 9
        st.lists(big, min_size=2, max_size=8).map(lambda p: "(" + ") ** (".join(p) + ")"),
        st.tuples(big, st.integers(2, 400)).map(lambda t: _chain([t[0]] * t[1], "*")),  # chained multiplication
        st.tuples(st.integers(30, 3000), st.sampled_from(["(", "-(", "abs(", "min(1, ", "not ("]))
        .map(lambda t: t[1] * t[0] + "1" + ")" * t[0]),  # deep nesting
        st.integers(100, 3000).map(lambda n: "-" * n + "1"),
        st.tuples(st.integers(500, 6000), st.sampled_from(["1 + ", "a * ", "a if b else "]))
        .map(lambda t: t[1] * (t[0] // len(t[1])) + "1"),  # very long
        st.sampled_from(["a.__class__", "().__class__.__bases__[0].__subclasses__()", "a.real", "__import__('os')",
                         "_", "__builtins__", "a[0]", "'x'.join('y')", "(lambda: 1)()", "[1] * 10 ** 9", "{1: 2}",
                         "f'{a}'", "(x := 1)", "[x for x in 'ab']", "'a' * 10 ** 9", "'a' * 999999999999",
                         "round(1e999999, 10)", "floor(1e999999999)", "1e999999999 % 7", "abs(-1e999999)",
                         "1e-999999 ** 64", "0 ** -1", "(-8) ** 0.5", "1 / 0", "1 // 0", "1 % 0"]),
        st.tuples(st.sampled_from(["open", "eval", "exec", "getattr", "type", "print", "compile", "input", "vars",
                                   "globals", "sum", "pow", "int", "len", "range", "sorted", "__import__", "a", "rate"]),
                  st.sampled_from(["", "1", "'x'", "a, b", "*a", "x=1"])).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(FUNCTIONS), st.sampled_from(["", "1, 2, 3, 4", "x=1", "*a", "1, x=2"]))
        .map(lambda t: f"{t[0]}({t[1]})"),  # allowed functions called the wrong way
    )
