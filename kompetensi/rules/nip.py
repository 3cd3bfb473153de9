"""Employee type, NIP and NI PPPK (parsed, grouped, masked), and ranks (golongan/ruang)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .base import (
    RuleError,
    jakarta_today,
)


class NipError(RuleError):
    """An NIP (or NI PPPK) that is malformed; ``part`` names the wrong part."""


class RankError(RuleError):
    """A golongan/ruang (PNS) or golongan (PPPK) that does not exist."""


# ---------------------------------------------------------------------------------------------
# Employee type, NIP and NI PPPK
# ---------------------------------------------------------------------------------------------

EMPLOYEE_TYPE_PNS: Final = "PNS"
EMPLOYEE_TYPE_PPPK: Final = "PPPK"
EMPLOYEE_TYPES: Final = (EMPLOYEE_TYPE_PNS, EMPLOYEE_TYPE_PPPK)

MIN_AGE_AT_APPOINTMENT: Final = 18
GENDER_MALE: Final = "L"
GENDER_FEMALE: Final = "P"
_GENDER_BY_DIGIT: Final = MappingProxyType({"1": GENDER_MALE, "2": GENDER_FEMALE})

_NIP_RE: Final = re.compile(r"[0-9]{18}")
_WHITESPACE_RE: Final = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class NipInfo:
    """What an NIP (PNS) or NI PPPK says about its holder.

    ``cpns_start`` (TMT CPNS, first day of the month) is set for PNS and ``None`` for PPPK;
    ``appointment_year`` (tahun pengangkatan) is set for PPPK and ``None`` for PNS. ``gender`` is
    ``"L"`` or ``"P"``: both number types carry the gender digit in the same place, so it is
    always known once the number is valid.
    """

    nip: str
    employee_type: str
    birth_date: date
    cpns_start: date | None
    appointment_year: int | None
    gender: str
    sequence: int


def normalise_employee_type(employee_type: str) -> str:
    """``"pns"`` → ``"PNS"``; anything but PNS or PPPK is a :class:`RuleError`."""
    value = employee_type.strip().upper()
    if value not in EMPLOYEE_TYPES:
        raise RuleError(_("jenis ASN harus PNS atau PPPK"), part="employee_type")
    return value


def normalise_nip(raw: str) -> str:
    """The NIP without any whitespace (``"19690309 199403 2 001"`` → ``"196903091994032001"``).

    It does not validate; :func:`parse_nip` does.
    """
    return _WHITESPACE_RE.sub("", raw)


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def age_on(birth_date: date, on: date) -> int:
    """Whole years of age on a date (someone born on 29 February turns a year older on 1 March
    in common years)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def parse_nip(raw: str, *, employee_type: str = "PNS", today: date | None = None) -> NipInfo:
    """Validate and decode an NIP (PNS) or NI PPPK; raise :class:`NipError` naming the wrong part.

    Both are 18 digits once whitespace is removed (nothing else is removed: a dot or dash is an
    error). Checks, in this order, the first failure being reported:

    * ``format``: exactly 18 ASCII digits;
    * ``birth_date`` (digits 1–8, ``YYYYMMDD``): a real date, and not after ``today``
      (a future birth date is not a real one; DOMAIN.md's other checks would reject it anyway,
      but with a message about the wrong part);

    For PNS (DOMAIN.md):

    * ``cpns_start`` (digits 9–14, TMT CPNS ``YYYYMM``): a real month, not after ``today``
      (a TMT in the current month counts from its first day, so it passes), and the holder was
      at least 18 on the first day of that month;

    For PPPK the number is birth date (8) + year of appointment (4) + PPPK code and frequency
    (2, e.g. ``21``) + gender (1) + sequence (3); DOMAIN.md asks only for the date checks, and
    SIKAP also applies those that have a meaning for PPPK (SIKAP's choice):

    * ``appointment_year`` (digits 9–12): not ``0000``, not after this year, and the holder
      turns 18 no later than in that year (only the year is known);
    * the two code digits (13–14) are not checked: their values are not documented in
      DOMAIN.md and a check could reject real numbers;

    For both:

    * ``gender`` (digit 15): ``1`` (laki-laki) or ``2`` (perempuan);
    * ``sequence`` (digits 16–18): not ``000``.
    """
    etype = normalise_employee_type(employee_type)
    nip = normalise_nip(raw)
    if not _NIP_RE.fullmatch(nip):
        raise NipError(_("NIP harus terdiri dari 18 digit angka"), part="format")
    if today is None:
        today = jakarta_today()

    birth_date = _date_or_none(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if birth_date is None:
        raise NipError(_("tanggal lahir pada NIP tidak valid"), part="birth_date")
    if birth_date > today:
        raise NipError(_("tanggal lahir pada NIP tidak boleh di masa depan"), part="birth_date")

    cpns_start: date | None = None
    appointment_year: int | None = None
    if etype == EMPLOYEE_TYPE_PNS:
        cpns_start = _date_or_none(int(nip[8:12]), int(nip[12:14]), 1)
        if cpns_start is None:
            raise NipError(_("TMT CPNS pada NIP tidak valid"), part="cpns_start")
        if cpns_start > today:
            raise NipError(_("TMT CPNS pada NIP tidak boleh di masa depan"), part="cpns_start")
        if age_on(birth_date, cpns_start) < MIN_AGE_AT_APPOINTMENT:
            raise NipError(_("usia pada TMT CPNS kurang dari 18 tahun"), part="cpns_start")
    else:
        appointment_year = int(nip[8:12])
        if appointment_year < 1:
            raise NipError(
                _("tahun pengangkatan PPPK pada NIP tidak valid"), part="appointment_year"
            )
        if appointment_year > today.year:
            raise NipError(
                _("tahun pengangkatan PPPK pada NIP tidak boleh di masa depan"),
                part="appointment_year",
            )
        if appointment_year - birth_date.year < MIN_AGE_AT_APPOINTMENT:
            raise NipError(
                _("usia pada tahun pengangkatan PPPK kurang dari 18 tahun"),
                part="appointment_year",
            )

    gender = _GENDER_BY_DIGIT.get(nip[14])
    if gender is None:
        raise NipError(_("kode jenis kelamin pada NIP harus 1 atau 2"), part="gender")
    sequence = int(nip[15:18])
    if sequence == 0:
        raise NipError(_("nomor urut pada NIP tidak boleh 000"), part="sequence")

    return NipInfo(
        nip=nip,
        employee_type=etype,
        birth_date=birth_date,
        cpns_start=cpns_start,
        appointment_year=appointment_year,
        gender=gender,
        sequence=sequence,
    )


def format_nip_grouped(nip: str) -> str:
    """The NIP as printed on certificates: ``"19690309 199403 2 001"`` (8 6 1 3 digits).

    The same grouping is used for NI PPPK. Only the shape is checked (18 digits).
    """
    digits = normalise_nip(nip)
    if not _NIP_RE.fullmatch(digits):
        raise NipError(_("NIP harus terdiri dari 18 digit angka"), part="format")
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def nip_for_display(nip: str) -> str:
    """The NIP grouped as :func:`format_nip_grouped` prints it; anything that is not 18 digits
    (an empty signatory NIP, an imported oddity) as it stands, stripped."""
    try:
        return format_nip_grouped(nip)
    except NipError:
        return nip.strip()


NIP_MASK_VISIBLE: Final = 4
NIP_MASK_CHAR: Final = "*"


def mask_nip(nip: str) -> str:
    """The NIP with all but its first and last four digits hidden, exactly as DOMAIN.md shows it:

    ``"198503152010012003"`` → ``"1985********2003"`` (eight asterisks, whatever the number of
    hidden digits, so the mask does not reveal the length). A value of 8 characters or fewer is
    hidden entirely.
    """
    digits = normalise_nip(nip)
    if len(digits) <= 2 * NIP_MASK_VISIBLE:
        return NIP_MASK_CHAR * len(digits)
    return digits[:NIP_MASK_VISIBLE] + NIP_MASK_CHAR * 8 + digits[-NIP_MASK_VISIBLE:]


# ---------------------------------------------------------------------------------------------
# Rank: golongan/ruang (PNS) and golongan (PPPK)
# ---------------------------------------------------------------------------------------------

PNS_RANKS: Final = (
    "I/a", "I/b", "I/c", "I/d",
    "II/a", "II/b", "II/c", "II/d",
    "III/a", "III/b", "III/c", "III/d",
    "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
)  # fmt: skip
PPPK_GRADES: Final = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip


def normalise_rank(rank: str, employee_type: str = "PNS") -> str:
    """Canonical spelling without checking existence: ``"iii / A"`` → ``"III/a"``, ``"xvii"`` →
    ``"XVII"``."""
    etype = normalise_employee_type(employee_type)
    compact = _WHITESPACE_RE.sub("", rank)
    if etype == EMPLOYEE_TYPE_PPPK:
        return compact.upper()
    golongan, slash, ruang = compact.partition("/")
    return f"{golongan.upper()}{slash}{ruang.lower()}"


def validate_rank(rank: str, employee_type: str = "PNS") -> str:
    """The normalised rank if it exists for the employee type; otherwise :class:`RankError`."""
    etype = normalise_employee_type(employee_type)
    value = normalise_rank(rank, etype)
    if etype == EMPLOYEE_TYPE_PNS:
        if value not in PNS_RANKS:
            raise RankError(
                format_lazy(
                    _("golongan/ruang PNS “{rank}” tidak dikenal; gunakan I/a sampai IV/e"),
                    rank=rank.strip(),
                ),
                part="rank",
            )
    elif value not in PPPK_GRADES:
        raise RankError(
            format_lazy(
                _("golongan PPPK “{rank}” tidak dikenal; gunakan I sampai XVII"),
                rank=rank.strip(),
            ),
            part="rank",
        )
    return value
