"""The one spreadsheet sanitiser: cells a spreadsheet opens safely (no formula injection).

:func:`safe_cell`: every CSV/XLSX the project writes passes each cell through it (the HR
reports in ``reports/exports.py``, the Wagtail admin's ``list_export`` through
``core/admin_exports.py``; ``tests/security/test_export_sanitise.py`` finds any other
writer). It has no domain and imports nothing of ours, so every app may use it.

A text cell that starts with ``= + - @`` (or a tab / carriage return) is what Excel and
LibreOffice run as a formula, so such text is prefixed with a single quote (OWASP "CSV
injection"); no text then starts with ``=``, so openpyxl never stores one as an XLSX formula.
Numbers, dates and booleans stay what they are.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """``value`` ready for a spreadsheet cell: formula-like text gets a leading ``'``;
    ``None`` becomes empty; numbers, dates and booleans are returned unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


# Column widths of an XLSX sheet, in characters (openpyxl's unit): from the longest text of
# the heading and of the first rows, within these bounds (a long description wraps no more
# than 60 characters wide; a short code column is still wide enough to click).
COLUMN_WIDTH_MIN = 8
COLUMN_WIDTH_MAX = 60
COLUMN_WIDTH_SAMPLE = 1000


def _display_length(value) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, datetime):
        return 16  # 2026-11-29 14:05
    if isinstance(value, date):
        return 10
    if isinstance(value, float | Decimal):
        return len(f"{value:.2f}")
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(headers, rows, *, minimum=COLUMN_WIDTH_MIN, maximum=COLUMN_WIDTH_MAX) -> list:
    """Width per column (characters) fitting the heading and the values of the first
    :data:`COLUMN_WIDTH_SAMPLE` rows, plus a margin, between ``minimum`` and ``maximum``."""
    widths = [_display_length(h) for h in headers]
    for index, row in enumerate(rows):
        if index >= COLUMN_WIDTH_SAMPLE:
            break
        for col, value in enumerate(row):
            length = _display_length(value)
            if col >= len(widths):
                widths.append(length)
            elif length > widths[col]:
                widths[col] = length
    return [min(maximum, max(minimum, w + 2)) for w in widths]


def set_column_widths(worksheet, widths) -> None:
    """Apply :func:`column_widths` to an openpyxl worksheet (a write-only sheet: before its
    first row is appended)."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width


def template_xlsx(title: str, headers, *, text_columns=(), rows: int = 1000) -> bytes:
    """An empty XLSX to fill in (the import templates): the bold header row, columns as wide
    as their heading (at least 22 characters), ``text_columns`` (0-based) formatted as text
    for ``rows`` rows so an 18-digit NIP is not turned into a number."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]
    sheet.append([safe_cell(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in text_columns:
        letter = get_column_letter(index + 1)
        for row in range(2, rows + 2):
            sheet[f"{letter}{row}"].number_format = "@"
    set_column_widths(sheet, [max(w, 22) for w in column_widths(headers, [])])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
