"""The ``rubric`` command: a thin typer shell over ``engine/``.

Each command lives in its own module and is wrapped by :func:`cli.errors.guarded`, which
turns input errors into exit 2 with located messages and bugs into exit 3. :func:`run` is
the console-script entry point.
"""
from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import audit, checks, compare, listing, score, show, template
from .errors import EXIT_CODES_HELP, report_internal

HELP = f"""\
Score public-spending performance evaluations (预算绩效评价 / 绩效自评) from versioned YAML rubrics.

A RUBRIC is a file (rubrics/qingdao/2020.yaml) or id[@version] (qingdao@2020) looked up in --rubrics DIR,
$RUBRIC_PATH, or ./rubrics.

{EXIT_CODES_HELP}
"""

EPILOG = """\
\b
Examples:
  rubric list
  rubric show qingdao@2020
  rubric score qingdao@2020 examples/qingdao-2020.yaml
  rubric template qingdao@2020 -o my-project.yaml
  rubric audit yiyang@2022 examples/yiyang-2022-claimed.yaml
"""

app = typer.Typer(
    name="rubric", help=HELP, epilog=EPILOG, no_args_is_help=True, add_completion=False,
    pretty_exceptions_enable=False, rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("rubric")
        except PackageNotFoundError:
            number = "unknown (not installed)"
        typer.echo(f"rubric {number}")
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Entry point for the options that come before a command."""


app.command("score", epilog=score.EPILOG)(score.score)
app.command("validate", epilog=checks.VALIDATE_EPILOG)(checks.validate)
app.command("test", epilog=checks.TEST_EPILOG)(checks.test)
app.command("show", epilog=show.EPILOG)(show.show)
app.command("list", epilog=listing.EPILOG)(listing.list_rubrics)
app.command("template", epilog=template.EPILOG)(template.template)
app.command("diff", epilog=compare.EPILOG)(compare.diff)
app.command("audit", epilog=audit.EPILOG)(audit.audit)


def run(argv: list[str] | None = None) -> None:
    """The console script: run the app; anything that escapes it is an internal error (exit 3)."""
    try:
        app(args=argv, prog_name="rubric")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except BaseException as exc:  # noqa: BLE001 - guarded commands catch input errors; this is a bug
        sys.exit(report_internal(exc))


if __name__ == "__main__":
    run()
