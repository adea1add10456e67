"""``rubric template``: a blank submission for an evaluator to fill in.

Every input with its label, unit, bounds and description as comments, and a ``judgments:``
entry for every indicator the evaluator judges. Left blank, it does not score: each empty
value is reported as missing, so nothing is silently counted as full marks.

Formats are a registry (``WRITERS``) so that other layouts (an Excel workbook) can be added
next to YAML; a writer returns ``str`` or ``bytes``.
"""
from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import guarded
from .options import DEFAULT_RUBRICS, Output, RubricRef, RubricsDir, load

if TYPE_CHECKING:
    from engine import Rubric
    from engine.model import Indicator, Input

EPILOG = """\
\b
Examples:
  rubric template qingdao@2020
  rubric template qingdao@2020 -o my-project.yaml
  rubric template qingdao@2020 --format xlsx -o my-project.xlsx
  rubric template qingdao@2020 --format xlsx -o 2021.xlsx --from last-year.yaml    (values carried forward)
  rubric template qingdao@2020 --format schema -o qingdao-2020.schema.json    (JSON Schema, for forms and tools)

Then fill in the values and judgments, and run: rubric score qingdao@2020 my-project.yaml
"""


class TemplateFormat(str, Enum):
    yaml = "yaml"
    xlsx = "xlsx"
    schema = "schema"


@guarded
def template(
    rubric: RubricRef,
    output: Output = None,
    format: Annotated[TemplateFormat, typer.Option(
        "--format", "-f", help="The layout of the blank submission; schema: the JSON Schema its submissions satisfy.")]
    = TemplateFormat.yaml,
    rubrics: RubricsDir = DEFAULT_RUBRICS,
    from_: Annotated[Path | None, typer.Option(
        "--from", metavar="SUBMISSION", show_default=False,
        help="Pre-fill the xlsx template from an existing submission (YAML, JSON or xlsx).")] = None,
) -> None:
    """Write a blank submission to fill in.

    Every input and judgment of the rubric, with labels, units and descriptions as comments.
    """
    from .output import deliver

    model = load(rubric, rubrics)
    if format is TemplateFormat.xlsx or from_ is not None:
        from .render_xlsx import template_command

        deliver(template_command(model, format.value, from_, output), output)
        return
    deliver(WRITERS[format.value](model), output)


def yaml_template(rubric: Rubric) -> str:
    lines = [
        f"# A submission for {rubric.id}@{rubric.version}: {rubric.title}",
        "# Fill in every value (the number alone: units are in the rubric) and every judgment, then run:",
        f"#   rubric score {_reference(rubric)} THIS-FILE.yaml",
        "",
        "# subject: 项目名称          # what is being scored; the file name is used when it is left out",
        "",
        "values:",
    ]
    for spec in rubric.inputs.values():
        lines += _input_lines(spec)
    judged = [node for node in rubric.nodes() if node.is_leaf and _judged(node)]
    if judged:
        lines += ["", "judgments:",
                  "  # Per indicator: points (a number within 0..weight), or deductions with reasons;",
                  "  # deductions: [] gives full points. Example:",
                  "  #   goal: {deductions: [{points: 0.5, reason: 绩效目标不够细化}]}"]
        for node in judged:
            lines += _judgment_lines(node)
    return "\n".join(lines) + "\n"


def _reference(rubric: Rubric) -> str:
    """How to name the rubric on the command line: ``id@version`` when it lives where that finds
    it (``<rubrics>/<id>/<version>.yaml``), else its file (a rubric being written, the tutorial's)."""
    from engine.repository import filed_as

    if filed_as(rubric.file) == (rubric.id, rubric.version):
        return f"{rubric.id}@{rubric.version}"
    return rubric.file


def schema_template(rubric: Rubric) -> str:
    """The JSON Schema (draft 2020-12) of the rubric's submissions, for web forms and other tools."""
    import json

    from engine import submission_schema

    return json.dumps(submission_schema(rubric), ensure_ascii=False, indent=2) + "\n"


WRITERS: dict[str, Callable[[Rubric], str | bytes]] = {"yaml": yaml_template, "schema": schema_template}


def _input_lines(spec: Input) -> list[str]:
    from .describe import bounds_text, value_text

    what = {"number": "a number", "integer": "a whole number", "percent": "a percent (97% or 97)",
            "boolean": "true or false (是/否)", "level": "a level", "text": "text"}[spec.type]
    unit = f" ({spec.unit})" if spec.unit and spec.unit != "%" else ""
    bounds = bounds_text(spec)
    lines = ["", f"  # {spec.label}{unit}: {what}" + (f", {bounds}" if bounds else "")]
    lines += [f"  # {line}" for line in spec.description.splitlines() if line.strip()]
    value = "" if spec.required else f" {value_text(spec.default)}"
    return lines + [f"  {spec.id}:{value}"]


def _judged(node: Indicator) -> bool:
    return node.evaluator_deductions or (node.rule is not None and node.rule.judgment != "none")


def _judgment_lines(node: Indicator) -> list[str]:
    from engine.numbers import plain

    required = node.rule is not None and node.rule.judgment == "required"
    guide = node.rule.target_text() if node.rule is not None and node.rule.kind == "judged" else ""
    header = f"  # {node.label}, 0..{plain(node.weight)}" + (f": {guide}" if guide else "")
    if required:
        return ["", header, f"  {node.id}:"]
    return ["", header + " (optional)", f"  # {node.id}: {{deductions: []}}"]

