"""Options shared by several commands, and turning a rubric argument into a loaded rubric."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from engine import Rubric

DEFAULT_RUBRICS = Path("rubrics")

RubricsDir = Annotated[Path, typer.Option(
    "--rubrics", envvar="RUBRIC_PATH", metavar="DIR", show_envvar=True,
    help="Where id[@version] references are looked up: DIR/<id>/<version>.yaml.",
)]

RubricRef = Annotated[str, typer.Argument(
    metavar="RUBRIC", show_default=False,
    help="A rubric file (rubrics/qingdao/2020.yaml) or id[@version] (qingdao@2020; qingdao = newest).",
)]

Output = Annotated[Path | None, typer.Option(
    "--output", "-o", metavar="FILE", dir_okay=False, show_default=False,
    help="Write to FILE instead of stdout (atomically: a failed run leaves no file).",
)]


def rubric_path(reference: str, rubrics: Path) -> Path:
    """The file a rubric argument names (a path, or id[@version] under ``rubrics``)."""
    from engine import resolve

    return resolve(reference, rubrics)


def load(reference: str, rubrics: Path) -> Rubric:
    """Resolve and load a rubric; a :class:`RubricError` (exit 2) if either fails."""
    from engine.repository import load_reference

    return load_reference(reference, rubrics)
