"""CSV and XLSX downloads that a spreadsheet can open safely (no formula injection).

:func:`safe_cell` is the project's one spreadsheet sanitiser: every CSV/XLSX the project
writes passes each cell through it (the HR reports in ``workflow/reports/exports.py``, the
Wagtail admin's ``list_export`` through ``portal/admin_exports.py``; ``tests/security/
test_export_sanitise.py`` finds any other writer). It has no domain and imports nothing of ours,
so every app may use it.

A text cell that starts with ``= + - @`` (or a tab / carriage return) is what Excel and
LibreOffice run as a formula, so such text is prefixed with a single quote (OWASP "CSV
injection"). Numbers, dates and booleans stay what they are. In XLSX files every text cell is
also written with the string type, so it is never stored as a formula.

    return csv_response("pegawai.csv", ["NIP", "Nama"], rows)
    return xlsx_response("pegawai.xlsx", ["NIP", "Nama"], rows, sheet_title="Pegawai")
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
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


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]


def safe_filename(filename: str, default: str = "ekspor") -> str:
    """A plain ASCII file name for Content-Disposition (no quotes, slashes or newlines)."""
    basename = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", basename).strip(".-")
    return cleaned or default


def _disposition(filename: str) -> str:
    return f'attachment; filename="{safe_filename(filename)}"'


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download (UTF-8 with BOM, so Excel shows Indonesian text correctly)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    response = HttpResponse(buffer.getvalue(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _xlsx_value(value):
    value = safe_cell(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)  # XLSX has no time zones
    return value


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence], *, sheet_title: str = "Data") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=safe_filename(sheet_title, "Data")[:31])

    def cells(row):
        out = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
            out.append(cell)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, header: Sequence, rows: Iterable[Sequence], *, sheet_title: str = "Data"
) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(header, rows, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = _disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
