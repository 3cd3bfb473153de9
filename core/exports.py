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
