"""Invalid (and arbitrary) input: random YAML documents and texts as rubrics, valid rubrics with
one thing broken, and submissions holding values of any type."""
from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from .core import to_yaml
from .plan import Plan

KEYS = ("id", "version", "title", "precision", "total", "grades", "label", "range", "inputs", "type", "min", "max",
        "levels", "default", "required", "percent_entry", "derived", "expr", "indicators", "weight", "children", "rule",
        "kind", "value", "op", "target", "partial", "bands", "share", "points", "deductions", "when", "per", "cap", "above", "below", "step",
        "applicable", "veto", "grade", "reason", "cases", "submission", "expect", "values", "judgments", "audit")
TEXTS = ("95%", "1/3", "[0, 100]", "【90，100】", "(80, 90]", "a / b", "x >= 1", "__import__('os')", "9 ** 9 ** 9",
         "number", "percent", "level", "target", "bands", ">=", "between", "linear", "2020", "", " ", "优", "NaN",
         "1e999999999", "-0", "0x1F", "١٢", "１２", "\x00", "\ufeff", "a" * 300)
_SPECIAL = st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"),
                            Decimal("1E+999999999"), Decimal("-1E-999999999"), Decimal("-0"), Decimal(10) ** 40])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(), st.text(max_size=20),
    st.sampled_from(TEXTS), st.decimals(allow_nan=False, allow_infinity=False, places=3), _SPECIAL,
)


def documents(leaves: st.SearchStrategy[Any] = scalars) -> st.SearchStrategy[Any]:
    """Random nested data whose keys are often the rubric's own (so it gets past the first checks)."""
    keys = st.sampled_from(KEYS) | st.text(max_size=8)
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
                        max_leaves=30)


RAW = ("&a [*a, *a]", "!!python/object/apply:os.system ['true']", "a: !!binary aGk=", "{a: 1, a: 2}", "- - - -",
       "? [a]\n: 1", "a: 1e999999999", "a: 0x1F", "a: 1:30", "\ufeffid: x", "a: .nan", "a: !!set {x}", "%YAML 1.1\n---\na",
       "a: &x 1\nb: *y", "---\na: 1\n---\nb: 2", "{\"a\": 1e999999999, \"b\": [1, 2,]}", "[1, 2", "a:\tb", "\x85",
       "a: " + "[" * 2000 + "]" * 2000, "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
           f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)))


def texts() -> st.SearchStrategy[str]:
    """Any text at all as a rubric or submission file: random, YAML edge cases, YAML of random data."""
    return st.one_of(st.text(max_size=200), st.sampled_from(RAW), documents().map(to_yaml))


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, path + (i,))
    return found


@st.composite
def broken(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with one value replaced, removed, or swapped for another value of the same document."""
    data = copy.deepcopy(data)
    paths = [p for p in _paths(data) if p]
    path = draw(st.sampled_from(paths))
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    how = draw(st.sampled_from(["replace", "replace", "delete", "swap"]))
    if how == "delete":
        del parent[path[-1]]
    elif how == "swap":
        other = draw(st.sampled_from(paths))
        source: Any = data
        for step in other:
            source = source[step]
        parent[path[-1]] = copy.deepcopy(source)
    else:
        parent[path[-1]] = draw(documents())
    return data


def broken_rubrics(plans: st.SearchStrategy[Plan]) -> st.SearchStrategy[str]:
    """YAML of a valid generated rubric with one to three things broken."""
    def breaks(plan: Plan) -> st.SearchStrategy[dict[str, Any]]:
        once = broken(plan.data)
        return st.one_of(once, once.flatmap(broken), once.flatmap(broken).flatmap(broken))
    return plans.flatmap(breaks).map(to_yaml)


@st.composite
def any_submissions(draw: st.DrawFn, plan: Plan) -> Any:
    """A submission with values of any type, for the plan's inputs and for names it does not have."""
    if draw(st.integers(0, 9)) == 0:
        return draw(documents())
    names = list(plan.inputs) + ["unknown", "values"]
    values = draw(st.dictionaries(st.sampled_from(names), scalars | documents(), max_size=len(names)))
    ids = list(plan.leaves) + ["nope"]
    judgment = st.fixed_dictionaries({}, optional={"points": scalars, "reason": scalars, "extra": scalars,
                                                   "deductions": st.lists(st.fixed_dictionaries(
                                                       {}, optional={"points": scalars, "reason": scalars})) | scalars})
    judgments = draw(st.dictionaries(st.sampled_from(ids), judgment | scalars, max_size=len(ids)))
    data = {"values": values, "judgments": judgments}
    return draw(st.sampled_from([data, {**data, "subject": draw(scalars)}, {**data, "claims": draw(documents())},
                                 {"values": values}, {**data, "extra": 1}]))
