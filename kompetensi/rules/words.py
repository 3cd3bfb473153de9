"""Whole numbers in Indonesian words (terbilang)."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_lazy as _

from .base import (
    RuleError,
)

_DIGIT_WORDS: Final = (
    "", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
)  # fmt: skip
_SCALES: Final = ((10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))
TERBILANG_MAX: Final = 10**12 - 1


def _terbilang_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words: list[str] = []
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words.append(f"{_DIGIT_WORDS[hundreds]} ratus")
    if rest >= 20:
        tens, units = divmod(rest, 10)
        words.append(f"{_DIGIT_WORDS[tens]} puluh")
        if units:
            words.append(_DIGIT_WORDS[units])
    elif rest >= 12:
        words.append(f"{_DIGIT_WORDS[rest - 10]} belas")
    elif rest == 11:
        words.append("sebelas")
    elif rest == 10:
        words.append("sepuluh")
    elif rest:
        words.append(_DIGIT_WORDS[rest])
    return " ".join(words)


def terbilang(n: int) -> str:
    """A whole number in Indonesian words: 11 → ``"sebelas"``, 20 → ``"dua puluh"``, 100 →
    ``"seratus"``, 1000 → ``"seribu"``, 0 → ``"nol"`` (up to 999 999 999 999)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= TERBILANG_MAX:
        raise RuleError(_("bilangan harus bulat antara 0 dan 999.999.999.999"), part="n")
    if n == 0:
        return "nol"
    words: list[str] = []
    rest = n
    for value, word in _SCALES:
        count, rest = divmod(rest, value)
        if count == 1 and value == 10**3:
            words.append("seribu")
        elif count:
            words.append(f"{_terbilang_below_thousand(count)} {word}")
    if rest:
        words.append(_terbilang_below_thousand(rest))
    return " ".join(words)
