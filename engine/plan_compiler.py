"""The scoring plan of a rubric turned into one Python function, made once per rubric.

:func:`engine.scoring.plan` lists the tree in post-order; the scorer's reference walk
(``_Scorer._tree``) interprets that list with a stack for every submission. This module
writes the same walk out as straight-line code, one block per indicator, with every
weight, quantum and points function bound as a constant, and compiles it once. The
generated code calls the same pieces as the walk (each leaf's ``points`` function, the
scorer's ``_deductions``, the leaf's deferred words) and only removes the interpretation: the
loop, the stack and the attribute look-ups. ``tests/properties`` checks that both give
identical results on generated rubrics.

Nothing of the author's text reaches the source: ids and labels are passed as constants
by name (``C3``), never pasted into the code.

The compiled walk is optimistic: it does not locate errors. When anything raises inside it,
the scorer runs the reference walk, which raises the located error (see ``scoring.py``).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .expressions import Expression
from .numbers import ARITHMETIC_ERRORS, ZERO
from .result import Deduction, NodeResult
from .rules.base import Inline

#: The compiled walk: (scorer, values and derived names, judgments, the leaves' Words) → the level-1
#: results, and every result in the order of :meth:`engine.Result.nodes` (depth first, parents first).
CompiledTree = Callable[[Any, dict[str, Any], dict[str, Any], Any], tuple[tuple[NodeResult, ...], tuple[NodeResult, ...]]]


def compile_plan(steps: Sequence[Any], is_leaf: Callable[[Any], bool]) -> CompiledTree:
    """Straight-line code for a post-order plan of ``_Leaf`` and ``_Parent`` steps."""
    constants: dict[str, Any] = {"NR": NodeResult, "DEDUCTION": Deduction, "new": tuple.__new__, "ZERO": ZERO,
                                 "HALF_UP": ROUND_HALF_UP}
    lines = ["def tree(scorer, env, judgments, words):", "    get = judgments.get", "    deduct = scorer._deductions"]
    stack: list[str] = []
    depth_first: dict[str, list[str]] = {}  # each result's name → its subtree's names, parent first

    def const(value: Any) -> str:
        name = f"C{len(constants)}"
        constants[name] = value
        return name

    for index, step in enumerate(steps):
        name = f"n{index}"
        if is_leaf(step):
            lines += _leaf_lines(name, step, const)
            depth_first[name] = [name]
        else:
            children = stack[-step.count:]
            del stack[-step.count:]
            node = step.node
            total = " + ".join(["ZERO", *(f"{child}[4]" for child in children)])
            lines.append(f"    {name} = new(NR, ({const(node.id)}, {const(node.label)}, {node.level}, {const(node.weight)}, "
                         f"{total}, ({', '.join(children)},), None, None, (), None, True, ''))")
            depth_first[name] = [name, *(below for child in children for below in depth_first.pop(child))]
        stack.append(name)
    every = [below for top in stack for below in depth_first[top]]
    lines.append(f"    return ({', '.join(stack)},), ({', '.join(every)},)")
    namespace = dict(constants)
    exec(compile("\n".join(lines), "<rubric scoring plan>", "exec"), namespace)  # noqa: S102 - our own code, no author text
    return namespace["tree"]  # type: ignore[no-any-return]


def compile_derived(derived: Sequence[tuple[str, Expression]]) -> Callable[[dict[str, Any]], None] | None:
    """Every derived value put into ``env``, in order, as one function; None if Python cannot compile it
    (an expression nested deeper than its parser takes: the scorer evaluates them one by one then)."""
    constants: dict[str, Any] = {}

    def const(value: Any) -> str:
        name = f"C{len(constants)}"
        constants[name] = value
        return name

    body = [f"    env[{const(name)}] = {expression.python(const)}" for name, expression in derived]
    try:
        code = compile("\n".join(["def derive(env):", *(body or ["    pass"])]), "<rubric derived values>", "exec")
    except (SyntaxError, RecursionError, MemoryError):
        return None
    namespace = dict(constants)
    exec(code, namespace)  # noqa: S102 - our own code, no author text
    return namespace["derive"]  # type: ignore[no-any-return]


def _leaf_lines(name: str, step: Any, const: Callable[[Any], str]) -> list[str]:
    """One leaf, as ``_Scorer._leaf`` does it for a leaf at its own weight (no rescaling)."""
    node = step.node
    return [f"    j = get({const(node.id)})",
            *_base_lines(step, const),
            *_deduction_lines(step, const),
            f"    {name} = new(NR, ({const(node.id)}, {const(node.label)}, {node.level}, {const(step.weight)}, s, (), "
            f"{const(step.kind)}, b, d, ({const(step.words)}, words), True, j.reason if j else ''))"]


def _base_lines(step: Any, const: Callable[[Any], str]) -> list[str]:
    """``b``: the leaf's points within 0..weight, rounded; the usual full points rounded here, once."""
    inline = step.rule.points_inline(step.weight)
    weight = const(step.weight)
    rounded = [f"p = {_points(step, inline, const)}",
               f"if p > {weight}: p = {weight}",
               "elif p < ZERO: p = ZERO",
               f"b = p.quantize({const(step.quantum)}, HALF_UP)"]
    full = _base(step, inline.full[1]) if inline is not None and inline.full else None
    if full is None:
        return [f"    {line}" for line in rounded]
    return [f"    if {_source(inline.full[0], inline, step, const)}:", f"        b = {const(full)}", "    else:",
            *(f"        {line}" for line in rounded)]


def _deduction_lines(step: Any, const: Callable[[Any], str]) -> list[str]:
    """``d`` and ``s``: the deductions taken off ``b`` and what is left."""
    if step.node.deductions:
        return [f"    d, s = deduct({const(step.node)}, j, b, None, {step.precision})"]
    return ["    if j is not None and j.deductions:",  # only the evaluator's: as ``_deductions`` takes them, in turn
            "        d, s = [], b",
            "        for x, r in j.deductions:",
            f"            c = (x if x < s else s).quantize({const(step.quantum)}, HALF_UP)",
            "            if c > ZERO:",
            "                d.append(new(DEDUCTION, (c, r, 'evaluator')))",
            "                s -= c",
            "        d = tuple(d)",
            "    else:",
            "        d, s = (), b"]


def _base(step: Any, points: Decimal) -> Decimal | None:
    """A leaf's base for these points, worked out as the walk does it (None if that cannot be done)."""
    try:
        return min(max(points, ZERO), step.weight).quantize(step.quantum, ROUND_HALF_UP)
    except ARITHMETIC_ERRORS:
        return None


def _points(step: Any, inline: Inline | None, const: Callable[[Any], str]) -> str:
    """The leaf's points: its rule's inline form if it has one, else a call of its points function."""
    if inline is None:
        return f"{const(step.points)}(env, j)"
    return f"({_source(inline.template, inline, step, const)})"


def _source(template: str, inline: Inline, step: Any, const: Callable[[Any], str]) -> str:
    """An inline template with its ``{names}`` bound to constants (``{points}``: the leaf's points function)."""
    names = {name: const(value) for name, value in inline.constants.items()}
    return template.format(points=const(step.points), **names)
