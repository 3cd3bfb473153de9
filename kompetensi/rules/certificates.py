"""Certificates: the number format and the verification code."""

from __future__ import annotations

import re
import secrets
import string
from typing import Final

from django.utils.translation import gettext_lazy as _

from .base import (
    RuleError,
)

# ---------------------------------------------------------------------------------------------
# Certificates: number and verification code
# ---------------------------------------------------------------------------------------------

CERTIFICATE_NUMBER_FORMAT: Final = "{seq:05d}/SIKAP/{year}"
_CERTIFICATE_FIELDS: Final = frozenset({"seq", "year"})


def validate_certificate_number_format(fmt: str) -> None:
    """Raise :class:`RuleError` unless ``fmt`` is a ``str.format`` pattern using exactly the
    fields ``seq`` and ``year`` (both needed: the sequence restarts every calendar year)."""
    invalid = RuleError(
        _("format nomor sertifikat harus memuat {seq} dan {year} dan tidak memuat isian lain"),
        part="certificate_number_format",
    )
    try:
        fields = {
            name for _text, name, _spec, _conv in string.Formatter().parse(fmt) if name is not None
        }
        fmt.format(seq=1, year=2000)
    except (ValueError, KeyError, IndexError, AttributeError, TypeError):
        raise invalid from None
    if fields != _CERTIFICATE_FIELDS:
        raise invalid


def format_certificate_number(seq: int, year: int, fmt: str = CERTIFICATE_NUMBER_FORMAT) -> str:
    """``format_certificate_number(7, 2025)`` → ``"00007/SIKAP/2025"``. The sequence (from 1)
    is gapless and unique within the year; the caller allocates it."""
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise RuleError(_("nomor urut sertifikat harus bilangan bulat positif"), part="seq")
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise RuleError(_("tahun sertifikat tidak valid"), part="year")
    validate_certificate_number_format(fmt)
    return fmt.format(seq=seq, year=year)


VERIFICATION_CODE_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32
VERIFICATION_CODE_LENGTH: Final = 26
VERIFICATION_CODE_BITS: Final = 130  # 26 characters × 5 bits
VERIFICATION_CODE_GROUP: Final = 4
_CODE_SEPARATORS_RE: Final = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def new_verification_code() -> str:
    """26 uppercase base32 characters without padding, 130 random bits from ``secrets``."""
    return "".join(
        secrets.choice(VERIFICATION_CODE_ALPHABET) for _i in range(VERIFICATION_CODE_LENGTH)
    )


def normalise_code(user_input: str) -> str:
    """A code as typed or scanned, without spaces or dashes, in uppercase
    (``" abcd-efgh "`` → ``"ABCDEFGH"``). It does not validate: see :func:`is_verification_code`."""
    return _CODE_SEPARATORS_RE.sub("", user_input).upper()


def is_verification_code(user_input: str) -> bool:
    """Whether the input, normalised, has the shape of a verification code."""
    code = normalise_code(user_input)
    return len(code) == VERIFICATION_CODE_LENGTH and all(
        char in VERIFICATION_CODE_ALPHABET for char in code
    )


def group_code(code: str) -> str:
    """The code in groups of four for people: ``"ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ"``."""
    plain = normalise_code(code)
    return "-".join(
        plain[start : start + VERIFICATION_CODE_GROUP]
        for start in range(0, len(plain), VERIFICATION_CODE_GROUP)
    )
