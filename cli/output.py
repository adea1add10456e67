"""Writing results: to stdout, or to a file atomically (a failed run leaves no partial file).

The whole text is rendered before anything is written; a file is written to a temporary
file in the same directory and moved into place with ``os.replace``, so a reader never
sees half a report and an earlier report survives a failed run.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def deliver(data: str | bytes, output: Path | None) -> None:
    """``data`` to ``output`` (atomically), or to stdout when no file is given."""
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
    else:
        write_atomic(output, data)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` all at once, or not at all."""
    from engine import Problem, RubricError

    raw = data.encode("utf-8") if isinstance(data, str) else data
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise RubricError(Problem(f"cannot write the output here: {exc.strerror}", str(path))) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(raw)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise RubricError(Problem(f"cannot write the output: {exc.strerror}", str(path))) from None
        raise


def _file_mode(path: Path) -> int:
    """The mode a plainly created file would get (mkstemp's is 0600), or the existing file's."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
