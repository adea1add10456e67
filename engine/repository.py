"""Where rubrics live: ``rubrics/<id>/<version>.yaml``, resolved from ``id[@version]``."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, ResolveError
from .model import Rubric
from .suggest import did_you_mean

_REF = re.compile(r"^([a-z0-9][a-z0-9_-]*)(?:@([^@/\\]+))?$")


@dataclass(frozen=True)
class Entry:
    id: str
    versions: tuple[str, ...]  # oldest first
    directory: Path

    def path(self, version: str) -> Path:
        return self.directory / f"{version}.yaml"


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Dotted versions compare as numbers: 2.10 > 2.9 > 2; text parts sort after numbers."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in version.split("."))


def catalogue(root: str | Path) -> list[Entry]:
    """Every rubric id under ``root`` with its versions."""
    root = Path(root)
    if not root.is_dir():
        return []
    entries = []
    for directory in sorted(p for p in root.iterdir() if p.is_dir()):
        versions = sorted((f.stem for f in directory.glob("*.yaml")), key=version_key)
        if versions:
            entries.append(Entry(directory.name, tuple(versions), directory))
    return entries


def resolve(reference: str, root: str | Path) -> Path:
    """A rubric file from a path, ``id`` (newest version) or ``id@version``."""
    as_path = Path(reference)
    if as_path.suffix in (".yaml", ".yml", ".json") or as_path.is_file():
        if not as_path.is_file():
            raise ResolveError(Problem("no such rubric file", reference))
        return as_path
    match = _REF.match(reference)
    if not match:
        raise ResolveError(Problem("expected a rubric file or id[@version] such as qingdao@2020", reference))
    rubric_id, version = match.groups()
    entries = {entry.id: entry for entry in catalogue(root)}
    if rubric_id not in entries and not Path(root).is_dir():  # run outside the repository, most likely
        raise ResolveError(Problem(f"no rubric '{rubric_id}': the rubrics folder '{root}' does not exist here; point at "
                                   "the folder holding <id>/<version>.yaml with --rubrics DIR or RUBRIC_PATH, "
                                   "or give the rubric's file", reference))
    if rubric_id not in entries:
        raise ResolveError(Problem(f"no rubric '{rubric_id}' in {root}{did_you_mean(rubric_id, entries)}", reference))
    entry = entries[rubric_id]
    if version is None:
        return entry.path(entry.versions[-1])
    if version not in entry.versions:
        raise ResolveError(Problem(f"rubric '{rubric_id}' has no version {version}; versions: {', '.join(entry.versions)}", reference))
    return entry.path(version)


def filed_as(path: str | Path) -> tuple[str, str]:
    """The id and version a rubric file's place says: ``<rubrics>/<id>/<version>.yaml``."""
    path = Path(path)
    return path.parent.name, path.stem


def load_reference(reference: str, root: str | Path) -> Rubric:
    """Resolve ``reference`` and load the rubric, checking that a file found as
    ``<root>/<id>/<version>.yaml`` says that same id and version inside (else results
    would name another rubric than the one asked for)."""
    from .loader import load_rubric

    path = resolve(reference, root)
    rubric = load_rubric(path)
    if _REF.match(reference) and not Path(reference).is_file():
        expected = filed_as(path)
        if (rubric.id, rubric.version) != expected:
            raise ResolveError(Problem(f"this file is filed as {expected[0]}@{expected[1]} but says id {rubric.id!r}, "
                                       f"version {rubric.version!r}; make the file's id and version match its place "
                                       f"({root}/<id>/<version>.yaml)", str(path)))
    return rubric
