"""Reading YAML (and JSON) files into plain data that remembers where each value was.

We compose the YAML node graph ourselves instead of calling ``yaml.safe_load`` so that
every value keeps its line and column, duplicate keys are caught, numbers are read from
their text as :class:`~decimal.Decimal` (never through a float), and alias expansion is
bounded (a "billion laughs" file is refused, not expanded).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import DocumentError, Problem
from .numbers import parse_decimal

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_NESTING = 64  # brackets inside brackets; the YAML scanner's time grows with the square of this depth
MAX_NUMBER = 100  # characters in a number literal; longer ones are refused, not computed with

PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """Plain data (dicts, lists, str, Decimal, bool, None) plus the position of every value."""

    file: str
    data: Any
    marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    sha256: str = ""

    def where(self, path: PathKey) -> tuple[int | None, int | None]:
        """Line and column of ``path``, or of its nearest located ancestor."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (None, None))

    def path_text(self, path: PathKey) -> str:
        """``indicators[decision].children[goal].rule`` for a path of keys and indices."""
        text, node = "", self.data
        for step in path:
            if isinstance(step, int):
                label = step
                if isinstance(node, list) and step < len(node):
                    node = node[step]
                    if isinstance(node, dict) and isinstance(node.get("id"), str):
                        label = node["id"]
                else:
                    node = None
                text += f"[{label}]"
            else:
                text += f".{step}" if text else str(step)
                node = node.get(step) if isinstance(node, dict) else None
        return text

    def problem(self, path: PathKey, message: str) -> Problem:
        """A :class:`Problem` located at ``path`` in this document."""
        line, column = self.where(path)
        return Problem(message, self.file, line, column, self.path_text(path))


def read_text(path: Path) -> str:
    """The UTF-8 text of a file, refusing files that are missing, huge or not UTF-8."""
    return decode(read_bytes(path), str(path))


def read_bytes(path: Path) -> bytes:
    """The bytes of a file, refusing files that are missing, unreadable or huge."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(Problem(f"file is {size // 1024 // 1024} MB; expected at most {MAX_BYTES // 1024 // 1024} MB", name))
        return path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(Problem("no such file", name)) from None
    except IsADirectoryError:
        raise DocumentError(Problem("is a directory, expected a file", name)) from None
    except OSError as exc:
        raise DocumentError(Problem(f"cannot read file: {exc.strerror}", name)) from None


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text (a BOM is allowed), or a located error naming the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DocumentError(Problem(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8", name, line, 1)) from None


def load_file(path: str | Path) -> Document:
    """Read a YAML or JSON file into a :class:`Document`."""
    path = Path(path)
    raw = read_bytes(path)
    doc = parse_text(decode(raw, str(path)), str(path))
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    return doc


def parse_text(text: str, name: str = "<string>") -> Document:
    """Parse YAML (JSON is read as YAML, so that it keeps line numbers)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise DocumentError(Problem(f"document is larger than {MAX_BYTES // 1024 // 1024} MB", name))
    _check_nesting(text, name)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return _json_fallback(text, name, exc)
    except yaml.reader.ReaderError as exc:
        return _unreadable(text, name, exc)
    except yaml.YAMLError as exc:
        raise DocumentError(Problem(f"not valid YAML: {exc}", name)) from None
    except RecursionError:
        raise DocumentError(Problem("document is nested too deeply", name)) from None
    return _build(node, name)


def _build(node: yaml.Node | None, name: str) -> Document:
    doc = Document(name, None)
    if node is not None:
        builder = _Builder(doc)
        try:
            doc.data = builder.build(node, ())
        except RecursionError:
            raise DocumentError(Problem("document is nested too deeply", name)) from None
        if builder.problems:
            raise DocumentError(builder.problems)
    return doc


def _check_nesting(text: str, name: str) -> None:
    """Refuse flow collections nested past MAX_NESTING before the YAML scanner sees them.

    The pure-Python scanner rechecks every open bracket at each token, so 2,000 nested ``[``
    take a second and more under a tracer: a 4 KB file must not do that. Brackets inside
    quotes and comments are skipped roughly; no real rubric comes near the limit.
    """
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return
    depth, quote = 0, ""
    for line_number, line in enumerate(text.splitlines(), 1):
        for column, char in enumerate(line, 1):
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "#" and (column == 1 or line[column - 2] in " \t"):
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    raise DocumentError(Problem(f"document is nested too deeply: more than {MAX_NESTING} brackets "
                                                "inside each other", name, line_number, column))
            elif char in "]}":
                depth = max(depth - 1, 0)


def _compose(text: str) -> yaml.Node | None:
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _json_fallback(text: str, name: str, yaml_error: yaml.MarkedYAMLError) -> Document:
    """Some valid JSON is not YAML 1.1 (tab indentation, say); read it as JSON before reporting the YAML error."""
    doc = _as_json(text, name)
    if doc is not None:
        return doc
    mark = yaml_error.problem_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    what = yaml_error.problem or "syntax error"
    context = f" ({yaml_error.context})" if yaml_error.context else ""
    raise DocumentError(Problem(f"not valid YAML: {what}{context}", name, line, column)) from None


def _unreadable(text: str, name: str, error: yaml.reader.ReaderError) -> Document:
    """A character YAML refuses (U+007F, other controls): valid JSON may hold it, so try JSON first."""
    doc = _as_json(text, name)
    if doc is not None:
        return doc
    code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
    line = text.count("\n", 0, error.position) + 1
    column = error.position - text.rfind("\n", 0, error.position)
    raise DocumentError(Problem(f"not valid YAML: character U+{code:04X} is not allowed; remove it, or write it as "
                                f"\\u{code:04x} inside double quotes", name, line, column)) from None


def _as_json(text: str, name: str) -> Document | None:
    """The document read as JSON, with marks, or None when it is not valid JSON either.

    Valid JSON is read through the YAML composer after a rewrite that keeps every line where
    it was (tabs outside strings become spaces; characters YAML refuses or treats as line
    breaks inside strings become ``\\uXXXX`` escapes), so problems in it still name a line.
    """
    if text.lstrip()[:1] not in ("{", "["):
        return None
    try:
        json.loads(text, parse_constant=_bad_constant)
    except (ValueError, RecursionError):
        return None
    try:
        return _build(_compose(_JSON_STRING.sub(_escape_string, text.replace("\t", " "))), name)
    except (yaml.YAMLError, RecursionError):
        return Document(name, json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_bad_constant))


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_YAML_REFUSES = re.compile("[\t\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _escape_string(match: Any) -> str:
    return _YAML_REFUSES.sub(lambda c: f"\\u{ord(c.group()):04x}", match.group())


def _bad_constant(text: str) -> Decimal:
    raise ValueError(text)


class _Builder:
    """Turns a composed node graph into plain data, recording marks and problems."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.found: list[tuple[PathKey, Problem]] = []
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise DocumentError(Problem(f"document expands to more than {MAX_NODES} values (aliases used as a bomb?)", self.doc.file))
        self.doc.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        self.constructor.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, path, "a key must be a plain name, not a list or mapping")
                continue
            key = key_node.value
            if key in result:
                first = self.doc.marks.get(path + (key,), (0, 0))[0]
                self._problem(key_node, path + (key,), f"duplicate key '{key}' (first given on line {first})")
                continue
            self.doc.marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,))
        return result

    def _scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        tag = node.tag.rsplit(":", 1)[-1]
        if tag == "str":
            return node.value
        if tag in ("int", "float") and len(node.value) > MAX_NUMBER:
            self._problem(node, path, f"number is {len(node.value)} characters long; at most {MAX_NUMBER} are allowed")
            return None
        if tag == "float":
            number = parse_decimal(node.value)
            return number if number is not None else _special_float(node.value)
        if tag == "int":  # read as written: 010 is ten (not YAML 1.1's octal eight)
            number = parse_decimal(node.value)
            if number is None:  # 0x1F, 0b11, 1:30 (YAML 1.1 reads these in other bases)
                self._problem(node, path, f"'{node.value}' would be read in another base or as minutes:seconds; "
                                          "write a plain decimal number, or quote it as text")
            return number
        if tag in ("bool", "null"):
            try:
                return self.constructor.construct_object(node, deep=True)
            except yaml.YAMLError:
                return node.value
        if tag == "timestamp":
            return node.value
        self._problem(node, path, f"unsupported YAML tag '{node.tag}'; write a plain value")
        return None

    def _problem(self, node: yaml.Node, path: PathKey, message: str) -> None:
        mark = node.start_mark
        self.found.append((path, Problem(message, self.doc.file, mark.line + 1, mark.column + 1)))

    @property
    def problems(self) -> list[Problem]:
        """The problems found, their paths naming list items by id (known once the data is built)."""
        return [replace(problem, path=self.doc.path_text(path)) for path, problem in self.found]


def _special_float(text: str) -> Decimal | str:
    """``.nan``/``.inf`` become Decimal NaN/Infinity (refused later with a location)."""
    lowered = text.lower().lstrip("+")
    if lowered in (".nan",):
        return Decimal("NaN")
    if lowered in (".inf", "-.inf"):
        return Decimal("-Infinity") if lowered.startswith("-") else Decimal("Infinity")
    try:
        return Decimal(str(float(text.replace("_", ""))))  # sexagesimal and other YAML 1.1 forms
    except ValueError:
        return text
