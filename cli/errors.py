"""Exit codes and the one place where exceptions become messages and codes.

The policy (also in ``rubric --help``, the README and docs/commands/):

- 0: success;
- 1: scoring ran but some submission (or some rubric case) failed;
- 2: unusable input: a bad rubric, a bad submission, a missing file, a reference that names
  nothing; each problem printed as ``file:line:col: path: message`` on stderr, no traceback;
- 3: an internal error (a bug in rubric), said distinctly, with the exception type.

Usage errors found by the argument parser (a missing argument, an unknown option) also exit 2.
"""
from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from engine import Problem

OK, FAILED, UNUSABLE, INTERNAL = 0, 1, 2, 3

EXIT_CODES_HELP = """\
\b
Exit codes:
  0  success
  1  scoring ran but some submission (or some rubric case) failed
  2  unusable input: a bad rubric, a bad submission, a missing file, an unknown rubric;
     each problem printed on stderr as file:line:col: path: message
  3  internal error: a bug in rubric, not in your files (please report it)
"""

F = TypeVar("F", bound=Callable[..., Any])


def print_problems(problems: Iterable[Problem], file: Any = None) -> None:
    """Each problem on its own ``file:line:col: path: message`` line (stderr by default)."""
    stream = file or sys.stderr
    for problem in problems:
        stream.write(f"{problem}\n")
    stream.flush()


def report_internal(exc: BaseException) -> int:
    """Say plainly that this is our bug, not the user's input; the traceback on request."""
    sys.stderr.write(
        f"rubric: internal error: {type(exc).__name__}: {exc}\n"
        "This is a bug in rubric, not a problem with your files. Please report it with the command you ran\n"
        "and the files it read (set RUBRIC_DEBUG=1 to include the traceback).\n"
    )
    if os.environ.get("RUBRIC_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    sys.stderr.flush()
    return INTERNAL


def guarded(command: F) -> F:
    """Run a command so that input errors exit 2 with located messages and bugs exit 3."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from engine import RubricError  # here, so that --help and --version need no engine

        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except RubricError as exc:
            print_problems(exc.problems)
            raise typer.Exit(UNUSABLE) from None
        except BrokenPipeError:
            raise typer.Exit(FAILED) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug
            raise typer.Exit(report_internal(exc)) from None

    return wrapper  # type: ignore[return-value]

