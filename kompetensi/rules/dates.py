"""Dates as Indonesian documents write them (certificates, letters): month names, a long date,
a period, and the numeric ``dd-mm-yyyy`` of forms, notices and SIASN records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from .base import JAKARTA

MONTHS: Final = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def long_date(d: date) -> str:
    """``date(2026, 11, 29)`` → ``"29 November 2026"``."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def date_range(start: date, end: date) -> str:
    """A period as written on Indonesian certificates, e.g. ``3 s.d. 28 November 2026``."""
    if start == end:
        return long_date(end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} s.d. {long_date(end)}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} s.d. {long_date(end)}"
    return f"{long_date(start)} s.d. {long_date(end)}"


def numeric_date(value: date | datetime | None) -> str:
    """``dd-mm-yyyy`` (``"29-11-2026"``), as notices and SIASN records write a date; an aware
    time is taken on its day in Asia/Jakarta. ``""`` for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(JAKARTA).date()
    return value.strftime("%d-%m-%Y")
