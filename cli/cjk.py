"""Line breaking for Chinese text mixed with figures, measured in terminal cells.

rich breaks only at spaces and folds anything longer character by character, so a reason such as
``年中追加2307.5万元`` can come out as ``年中追加23`` / ``07.5万元``. Here a line may break between
two CJK characters and at spaces, never inside a figure or a Latin word (``2307.5``, ``50%``,
``GB/T``), and a line never starts with closing punctuation (，。：）…) nor ends with opening
punctuation (（《“).
"""
from __future__ import annotations

import re

from rich.cells import cell_len

_TOKEN = re.compile(r"\s+|[0-9A-Za-z](?:[0-9A-Za-z.,:/_%‰'\-]*[0-9A-Za-z%‰])?|.", re.DOTALL)
_CLOSING = frozenset("，。、；：！？）》」』】〕〉”’%‰…·,.;:!?)]}")
_OPENING = frozenset("（《「『【〔〈“‘([{−-+≥≤＞＜<>=")


def units(text: str) -> list[str]:
    """``text`` cut where a line may break; a unit of spaces stands for a break that shows as a space."""
    found: list[str] = []
    opening = ""
    for token in _TOKEN.findall(text):
        if token.isspace():
            found += [opening, " "] if opening else [" "]
            opening = ""
        elif token in _CLOSING and found and not found[-1].isspace():
            found[-1] += token
        elif token in _OPENING:
            opening += token
        else:
            found.append(opening + token)
            opening = ""
    return found + [opening] if opening else found


def widest_unit(text: str) -> int:
    """The narrowest width ``text`` wraps to without cutting a unit."""
    return max((cell_len(unit) for unit in units(text) if not unit.isspace()), default=0)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells (a unit wider than that is folded: nothing else fits)."""
    lines: list[str] = []
    line, space = "", False
    for unit in units(text):
        if unit.isspace():
            space = bool(line)
            continue
        joined = line + (" " if space else "") + unit
        if cell_len(joined) <= width or not line:
            line = joined
        else:
            lines.append(line)
            line = unit
        space = False
        while cell_len(line) > width > 0:  # a single unit wider than the line: fold it
            head = _head(line, width)
            lines.append(head)
            line = line[len(head):]
    return lines + [line] if line or not lines else lines


def _head(text: str, width: int) -> str:
    """The longest start of ``text`` at most ``width`` cells wide (at least one character)."""
    total = 0
    for index, char in enumerate(text):
        total += cell_len(char)
        if total > width:
            return text[:max(index, 1)]
    return text
