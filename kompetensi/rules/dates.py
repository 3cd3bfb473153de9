"""Dates as Indonesian documents write them (certificates, letters): month names, a long date,
a period."""

from __future__ import annotations

from datetime import date
from typing import Final

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
