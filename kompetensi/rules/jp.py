"""Competency development hours (JP): the yearly target (the one place it is written), the
year a completion counts in, the certificate's wording."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from django.utils.translation import gettext_lazy as _

from .base import (
    JAKARTA,
    RuleError,
)
from .words import terbilang

# ---------------------------------------------------------------------------------------------
# Competency development hours (JP)
# ---------------------------------------------------------------------------------------------

JP_TARGET: Final = 20  # JP a year, PP 11/2017 as amended by PP 17/2020 (1 JP = 45 minutes)
JP_PHRASE_MAX: Final = 999  # the most JP a certificate's wording states


def jp_year(dt: datetime) -> int:
    """The calendar year (Asia/Jakarta) a completion at ``dt`` counts in; ``dt`` must be aware."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise RuleError(_("waktu penyelesaian harus memiliki zona waktu"), part="completed_at")
    return dt.astimezone(JAKARTA).year


def jp_phrase(jp: int) -> str:
    """The certificate's wording: ``jp_phrase(20)`` → ``"20 (dua puluh) jam pelajaran"``.

    Certificate wording is Indonesian by law, so it is not translated. A certificate counts
    at least one and at most 999 JP (a module has 1–200): 0 or a thousand is a mistake upstream,
    refused rather than printed.
    """
    if isinstance(jp, bool) or not isinstance(jp, int) or not 1 <= jp <= JP_PHRASE_MAX:
        raise RuleError(_("jumlah JP harus bilangan bulat 1 sampai 999"), part="jp")
    return f"{jp} ({terbilang(jp)}) jam pelajaran"
