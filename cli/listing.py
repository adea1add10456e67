"""``rubric list``: the rubrics found in the rubrics directory (id, versions, title)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import guarded
from .options import DEFAULT_RUBRICS, RubricsDir

if TYPE_CHECKING:
    from rich.console import Console

    from engine.repository import Entry

EPILOG = """\
\b
Examples:
  rubric list
  rubric list --rubrics /srv/finance/rubrics
  RUBRIC_PATH=/srv/finance/rubrics rubric list
"""


@dataclass(frozen=True)
class Listed:
    id: str
    versions: str
    title: str
    problem: str = ""  # why the newest version does not load, if it does not


@guarded
def list_rubrics(rubrics: RubricsDir = DEFAULT_RUBRICS) -> None:
    """List the rubrics found (id, versions, title).

    Versions oldest first; the title is the newest version's.
    """
    from engine import Problem, ResolveError, catalogue

    from .render_table import emit

    if not rubrics.is_dir():
        raise ResolveError(Problem("no rubrics directory here: give --rubrics DIR or set RUBRIC_PATH", str(rubrics)))
    emit(print_listing, [describe(entry) for entry in catalogue(rubrics)], rubrics)


def describe(entry: Entry) -> Listed:
    """An entry with its newest title; a rubric that does not load is listed, marked, not fatal."""
    from engine import RubricError, load_rubric
    from engine.document import load_file

    newest = entry.versions[-1]
    versions = ", ".join(entry.versions)
    try:
        return Listed(entry.id, versions, load_rubric(entry.path(newest)).title)
    except RubricError as exc:
        try:
            data = load_file(entry.path(newest)).data
            title = str(data.get("title", "")) if isinstance(data, dict) else ""
        except RubricError:
            title = ""
        count = len(exc.problems)
        why = f"{count} problem{'s' if count > 1 else ''}: rubric validate {entry.id}@{newest}"
        return Listed(entry.id, versions, title, why)


def print_listing(console: Console, listed: list[Listed], root: Path) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if not listed:
        console.print(Text(f"no rubrics in {root} (expected {root}/<id>/<version>.yaml)"))
        return
    table = Table(title=Text(f"Rubrics in {root}", style="bold"), box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
    for column in ("id", "versions", "title"):
        table.add_column(column, overflow="fold")
    for item in listed:
        title = Text(item.title)
        if item.problem:
            title.append(f"  (does not load, {item.problem})", style="red")
        table.add_row(Text(item.id), Text(item.versions), title)
    console.print(table)
    usable = next((item for item in listed if not item.problem), None)
    if usable is not None:
        console.print(Text(f"Use a rubric as id@version, e.g. rubric show {usable.id}@{usable.versions.split(', ')[-1]}"))
