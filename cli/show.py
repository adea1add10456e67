"""``rubric show``: a rubric as its author meant it, in plain words (rendering: render_show)."""
from __future__ import annotations

from .errors import guarded
from .options import DEFAULT_RUBRICS, RubricRef, RubricsDir, load

EPILOG = """\
\b
Examples:
  rubric show qingdao@2020
  rubric show rubrics/qingdao/2020.yaml | less
"""


@guarded
def show(rubric: RubricRef, rubrics: RubricsDir = DEFAULT_RUBRICS) -> None:
    """Show a rubric's indicators, rules and grades.

    The indicator tree with weights and each rule in words, deductions, inputs, derived values,
    grade bands and veto: what an author reads to check that the YAML says what they meant.
    """
    from .render_show import print_rubric
    from .render_table import emit

    emit(print_rubric, load(rubric, rubrics))
