"""``rubric diff``: what changed between two rubrics (usually two versions of one).

Indicators are matched by id: added, removed, moved, relabelled, reweighted, and a changed
target or rule (compared as the words ``rubric show`` prints, so that a change of notation
that means the same thing is not reported). Also inputs, derived values, grade bands, veto.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import guarded
from .options import DEFAULT_RUBRICS, RubricsDir, load

if TYPE_CHECKING:
    from engine import Rubric
    from engine.model import Indicator

EPILOG = """\
\b
Examples:
  rubric diff qingdao@2020 qingdao@2021
  rubric diff rubrics/qingdao/2020.yaml draft.yaml

Exit code 0 whether or not they differ; 2 if either rubric does not load.
"""

_MARKS = {"added": "+", "removed": "-", "changed": "~"}


@dataclass(frozen=True)
class Change:
    section: str  # rubric, indicators, inputs, derived, grades, veto
    kind: str     # added, removed, changed
    name: str
    detail: str

    def __str__(self) -> str:
        return f"  {_MARKS[self.kind]} {self.name}: {self.detail}"


@guarded
def diff(
    rubric_a: Annotated[str, typer.Argument(metavar="RUBRIC_A", show_default=False, help="The earlier rubric: file or id@version.")],
    rubric_b: Annotated[str, typer.Argument(metavar="RUBRIC_B", show_default=False, help="The later rubric: file or id@version.")],
    rubrics: RubricsDir = DEFAULT_RUBRICS,
) -> None:
    """Show what changed between two rubrics.

    From RUBRIC_A to RUBRIC_B: indicators added, removed, reweighted; targets and rules changed;
    inputs, derived values, grade bands and veto.
    """
    old, new = load(rubric_a, rubrics), load(rubric_b, rubrics)
    changes = compare(old, new)
    typer.echo(f"{old.id}@{old.version} ({old.file}) → {new.id}@{new.version} ({new.file})")
    if not changes:
        typer.echo("no differences in indicators, weights, rules, inputs, derived values, grades or veto")
        return
    section = None
    for change in changes:
        if change.section != section:
            section = change.section
            typer.echo(f"{section}:")
        typer.echo(str(change))
    typer.echo(f"{len(changes)} change{'s' if len(changes) > 1 else ''}")


def compare(old: Rubric, new: Rubric) -> list[Change]:
    return [*_rubric(old, new), *_indicators(old, new), *_inputs(old, new), *_derived(old, new),
            *_grades(old, new), *_veto(old, new)]


def _rubric(old: Rubric, new: Rubric) -> list[Change]:
    from engine.numbers import plain

    pairs = (("title", old.title, new.title), ("total", plain(old.total), plain(new.total)),
             ("precision", str(old.precision), str(new.precision)))
    return [Change("rubric", "changed", name, f"{a} → {b}") for name, a, b in pairs if a != b]


def _indicators(old: Rubric, new: Rubric) -> list[Change]:
    from engine.numbers import plain

    before, after = {n.id: n for n in old.nodes()}, {n.id: n for n in new.nodes()}
    parents_before, parents_after = _parents(old), _parents(new)
    changes = [Change("indicators", "removed", f"{i} {n.label}", f"weight {plain(n.weight)}, under {parents_before.get(i) or 'the top level'}")
               for i, n in before.items() if i not in after]
    for node_id, node in after.items():
        if node_id not in before:
            changes.append(Change("indicators", "added", f"{node_id} {node.label}",
                                  f"weight {plain(node.weight)}, under {parents_after.get(node_id) or 'the top level'}"))
            continue
        was = before[node_id]
        details = []
        if parents_before.get(node_id) != parents_after.get(node_id):
            details.append(f"moved from {parents_before.get(node_id) or 'the top level'} to {parents_after.get(node_id) or 'the top level'}")
        if was.label != node.label:
            details.append(f"label {was.label} → {node.label}")
        if was.weight != node.weight:
            details.append(f"reweighted {plain(was.weight)} → {plain(node.weight)}")
        details += _rule_changes(was, node)
        changes += [Change("indicators", "changed", f"{node_id} {node.label}", detail) for detail in details]
    return changes


def _rule_changes(was: Indicator, node: Indicator) -> list[str]:
    from .describe import deduction_text

    details = []
    if (was.rule is None) != (node.rule is None):
        details.append("now has children instead of a rule" if node.rule is None else "now has a rule instead of children")
    elif was.rule is not None and node.rule is not None:
        if was.rule.kind != node.rule.kind:
            details.append(f"rule kind {was.rule.kind} → {node.rule.kind}: {node.rule.describe(node.weight)}")
        elif was.rule.target_text() != node.rule.target_text():
            details.append(f"target {was.rule.target_text() or '—'} → {node.rule.target_text() or '—'}")
        elif was.rule.describe(node.weight) != node.rule.describe(node.weight):  # same weight: only the rule differs
            details.append(f"rule {was.rule.describe(node.weight)} → {node.rule.describe(node.weight)}")
    before, after = [deduction_text(d) for d in was.deductions], [deduction_text(d) for d in node.deductions]
    details += [f"deduction removed: {text}" for text in before if text not in after]
    details += [f"deduction added: {text}" for text in after if text not in before]
    applicable = (_source(was.applicable), _source(node.applicable))
    if applicable[0] != applicable[1]:
        details.append(f"applicable when {applicable[0] or 'always'} → {applicable[1] or 'always'}")
    return details


def _inputs(old: Rubric, new: Rubric) -> list[Change]:
    from .describe import bounds_text

    def facts(spec) -> dict[str, str]:  # noqa: ANN001
        return {"type": spec.type, "label": spec.label, "unit": spec.unit or "—", "bounds": bounds_text(spec) or "—"}

    return _keyed("inputs", old.inputs, new.inputs, lambda s: f"{s.label} ({s.type}{', ' + s.unit if s.unit else ''})", facts)


def _derived(old: Rubric, new: Rubric) -> list[Change]:
    before, after = {d.id: d for d in old.derived}, {d.id: d for d in new.derived}
    return _keyed("derived", before, after, lambda d: f"{d.label} = {d.expression.source}",
                  lambda d: {"expression": d.expression.source, "label": d.label, "type": d.type})


def _grades(old: Rubric, new: Rubric) -> list[Change]:
    before = {band.label: band for band in old.grades.bands}
    after = {band.label: band for band in new.grades.bands}
    return _keyed("grades", before, after, lambda b: b.text, lambda b: {"range": b.text})


def _veto(old: Rubric, new: Rubric) -> list[Change]:
    def text(v) -> str:  # noqa: ANN001
        return f"when {v.when.source} → {v.grade}: {v.reason}"

    before, after = [text(v) for v in old.veto], [text(v) for v in new.veto]
    return ([Change("veto", "removed", "veto", t) for t in before if t not in after]
            + [Change("veto", "added", "veto", t) for t in after if t not in before])


def _keyed(section: str, before: dict, after: dict, summary: Callable, facts: Callable) -> list[Change]:  # type: ignore[type-arg]
    """Added, removed and changed entries of two mappings, compared fact by fact."""
    changes = [Change(section, "removed", key, summary(value)) for key, value in before.items() if key not in after]
    for key, value in after.items():
        if key not in before:
            changes.append(Change(section, "added", key, summary(value)))
            continue
        old_facts, new_facts = facts(before[key]), facts(value)
        changes += [Change(section, "changed", key, f"{name} {old_facts[name]} → {new}")
                    for name, new in new_facts.items() if old_facts[name] != new]
    return changes


def _parents(rubric: Rubric) -> dict[str, str]:
    return {child.id: node.id for node in rubric.nodes() for child in node.children}


def _source(expression: object) -> str:
    return getattr(expression, "source", "") if expression is not None else ""

