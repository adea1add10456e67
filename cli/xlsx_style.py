"""What every workbook we write shares: styles, safe cell values, column widths, atomic saving."""
from __future__ import annotations

import os
from copy import copy
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from engine.numbers import plain

TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
FILL_HEADER = PatternFill("solid", fgColor="DDEBF7")
FILL_INPUT = PatternFill("solid", fgColor="FFF2CC")
FILL_FAILED = PatternFill("solid", fgColor="F8CBAD")
THIN = Border(*(Side(style="thin", color="A6A6A6"),) * 4)
_EXACT_LIMIT = Decimal("1E15")


def excel_value(value: Any) -> Any:
    """A value as a cell should hold it: numbers stay numbers when a float holds them exactly,
    otherwise exact text (which the reader parses back exactly); booleans as 是/否."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        if value.is_finite() and abs(value) < _EXACT_LIMIT and Decimal(repr(float(value))) == value:
            return int(value) if value == value.to_integral_value() else float(value)
        return plain(value) if value.is_finite() else str(value)
    return value


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Set a cell; text starting with '=' stays text (never becomes a formula)."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def streamed(sheet: Any, value: Any, font: Font | None = None, fill: PatternFill | None = None,
             number_format: str | None = None, alignment: Alignment | None = None,
             border: Border | None = None) -> WriteOnlyCell:
    """A styled cell for a write-only sheet (same formula guard as :func:`put`)."""
    cell = WriteOnlyCell(sheet, value=excel_value(value))
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    styles = (font, fill, number_format, alignment, border)
    if any(style is not None for style in styles):
        cell._style = copy(_style_of(sheet, styles))
    return cell


def _style_of(sheet: Any, styles: tuple[Any, ...]) -> Any:
    """The workbook's style array for a combination of styles, made once.

    Assigning a font or format to a cell makes openpyxl hash the style to find its index; for
    a hundred thousand cells that is most of the time spent, so each combination is looked up
    once per workbook and its (small, immutable) index array copied onto later cells."""
    cache = sheet.parent.__dict__.setdefault("_rubric_styles", {})
    key = tuple(id(style) if not isinstance(style, str) else style for style in styles)
    if key not in cache:
        probe = WriteOnlyCell(sheet)
        font, fill, number_format, alignment, border = styles
        for name, style in (("font", font), ("fill", fill), ("number_format", number_format),
                            ("alignment", alignment), ("border", border)):
            if style is not None:
                setattr(probe, name, style)
        cache[key] = (probe._style, styles)  # keep the styles alive so their ids stay unique
    return cache[key][0]


def landscape(sheet: Any) -> None:
    """Print (and convert to PDF) landscape, all columns on one page width."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def text_width(text: str) -> int:
    """Display width in spreadsheet column units: CJK and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def fit_height(texts: Sequence[tuple[Any, float]], line: float = 15.0) -> float | None:
    """A row height that shows every wrapped (text, column width) in full; None when one line is enough.

    Spreadsheet programs do not always grow rows of a generated file, so we set them."""
    lines = 1
    for text, width in texts:
        if isinstance(text, str) and text:
            lines = max(lines, sum(-(-text_width(part) // max(int(width) - 1, 1)) or 1 for part in text.split("\n")))
    return line * lines if lines > 1 else None


def set_widths(sheet: Any, widths: Sequence[float], first_row: int = 3) -> None:
    """Column widths, and row heights (from ``first_row``) that show wrapped text in full."""
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row in sheet.iter_rows(min_row=first_row, max_col=len(widths)):
        height = fit_height([(cell.value, width) for cell, width in zip(row, widths)])
        if height:
            sheet.row_dimensions[row[0].row].height = height


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, moved onto it only if the block succeeds."""
    from engine import Problem, RubricError

    directory = target.parent if str(target.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise RubricError(Problem(f"cannot write the output here: {exc.strerror}", str(target))) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise RubricError(Problem(f"cannot write the output: {exc.strerror}", str(target))) from None
        raise


def atomic_save(book: Any, target: Path) -> None:
    """Save an openpyxl workbook to ``target`` all at once, or not at all."""
    with atomic_path(target) as temporary:
        book.save(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
