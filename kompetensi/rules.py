"""The rules of the SIKAP domain as pure functions (see DOMAIN.md).

Nothing here touches the database, the network or the clock unless asked (functions that need
"today" take it as an argument and default to the current date in Asia/Jakarta). Services,
selectors, forms and the API call these functions; they never re-implement them.

Two kinds of text leave this module:

* messages for people (errors, element names, survey questions and answers) are Indonesian and
  lazy (``gettext_lazy``), so they render in the language active when they are shown;
* values that are part of the API contract or of reports (SKP predicates, JPM categories, IKM
  categories and quality words) are plain ``str`` constants, because they are data that is
  compared, stored and serialised exactly as DOMAIN.md and API.md spell them.

Every error is a :class:`RuleError`, a ``ValueError`` whose ``str()`` is the Indonesian message
and whose ``part`` names the offending part or field (for an API ``detail``).
"""

from __future__ import annotations

import math
import re
import secrets
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Final, NamedTuple, TypeAlias
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

Message: TypeAlias = str | Promise
Number: TypeAlias = Decimal | Fraction | int | float

JAKARTA: Final = ZoneInfo("Asia/Jakarta")

#: The official kamus kompetensi (PermenPANRB 38/2017) shipped as seed data, with its citation.
KAMUS_KOMPETENSI_PATH: Final = (
    Path(__file__).resolve().parent / "data" / "kamus_kompetensi_permenpanrb38_2017.json"
)


class RuleError(ValueError):
    """A value breaks a rule of the domain.

    ``str(error)`` is the message for people (Indonesian); ``part`` names the part of the input
    that is wrong (``"birth_date"``, ``"hasil_kerja"``, ``"u3"`` …) so an API can point at it.
    """

    def __init__(self, message: Message, *, part: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.part = part

    def __str__(self) -> str:
        return str(self.message)


class NipError(RuleError):
    """An NIP (or NI PPPK) that is malformed; ``part`` names the wrong part."""


class RankError(RuleError):
    """A golongan/ruang (PNS) or golongan (PPPK) that does not exist."""


def jakarta_today() -> date:
    """Today's date in Asia/Jakarta, the calendar every rule of SIKAP counts in."""
    return datetime.now(JAKARTA).date()


def _to_fraction(value: Number) -> Fraction:
    """An exact fraction; a float is taken as the decimal it prints as (``64.995`` → 64995/1000)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RuleError(_("nilai harus berupa bilangan yang terhingga"))
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal) and not value.is_finite():
        raise RuleError(_("nilai harus berupa bilangan yang terhingga"))
    return Fraction(value)


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero, computed exactly.

    ``Decimal.quantize`` with the default context rounds half to even and a float carries binary
    error; this does neither: ``round_half_up(Fraction(90625, 1000))`` is ``Decimal("90.63")``.
    """
    exact = _to_fraction(value)
    scaled = abs(exact) * 10**places
    units = math.floor(scaled + Fraction(1, 2))
    if exact < 0:
        units = -units
    return Decimal(units).scaleb(-places)


def _fraction_to_decimal(value: Fraction) -> Decimal:
    """A Decimal of the fraction to 28 significant digits (exact when the fraction allows)."""
    with localcontext() as ctx:
        ctx.prec = 28
        return Decimal(value.numerator) / Decimal(value.denominator)


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


# ---------------------------------------------------------------------------------------------
# Competency levels, gap and the assessed level (SIKAP's precedence rule)
# ---------------------------------------------------------------------------------------------

LEVEL_MIN: Final = 1
LEVEL_MAX: Final = 5


def _check_level(value: object, what: Message, part: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not LEVEL_MIN <= value <= LEVEL_MAX:
        raise RuleError(
            format_lazy(_("{what} harus bilangan bulat 1 sampai 5"), what=what), part=part
        )
    return value


def gap(required: int, assessed: int | None) -> int | None:
    """The non-negative shortfall ``max(required − assessed, 0)``; ``None`` ("belum dinilai")
    while there is no assessed level."""
    _check_level(required, _("level yang dipersyaratkan"), "required_level")
    if assessed is None:
        return None
    _check_level(assessed, _("level hasil penilaian"), "assessed_level")
    return max(required - assessed, 0)


def signed_gap(required: int, assessed: int | None) -> int | None:
    """The difference as assessment reports print it, ``assessed − required`` (negative = a
    need); for people, not for the API's ``gap``."""
    _check_level(required, _("level yang dipersyaratkan"), "required_level")
    if assessed is None:
        return None
    _check_level(assessed, _("level hasil penilaian"), "assessed_level")
    return assessed - required


SOURCE_ASSESSMENT: Final = "assessment"
SOURCE_SUPERVISOR: Final = "supervisor"
SOURCE_PEER: Final = "peer"
SOURCE_SELF: Final = "self"
SOURCES: Final = (SOURCE_ASSESSMENT, SOURCE_SUPERVISOR, SOURCE_PEER, SOURCE_SELF)
#: The sources that can set the assessed level, most authoritative first (self never does).
SOURCE_PRECEDENCE: Final = (SOURCE_ASSESSMENT, SOURCE_SUPERVISOR, SOURCE_PEER)


@dataclass(frozen=True, slots=True)
class ScoreObs:
    """One score of one competency of one employee, as the precedence rule needs it.

    ``period_start`` is the start of the evaluation period; ``finalized_at`` is when the
    evaluation became final, ``None`` while it is not (such scores are ignored).
    """

    source: str
    level: int
    period_start: date
    finalized_at: datetime | None


class AssessedLevel(NamedTuple):
    """The assessed level, the source it came from and when that evidence became final."""

    level: int
    source: str
    as_of: datetime


@dataclass(frozen=True, slots=True)
class _FinalObs:
    source: str
    level: int
    period_start: date
    finalized_at: datetime


def _final_observations(observations: Iterable[ScoreObs]) -> list[_FinalObs]:
    final: list[_FinalObs] = []
    for obs in observations:
        if obs.source not in SOURCES:
            raise RuleError(
                format_lazy(_("sumber penilaian “{source}” tidak dikenal"), source=obs.source),
                part="source",
            )
        _check_level(obs.level, _("level penilaian"), "level")
        if obs.finalized_at is not None:
            final.append(_FinalObs(obs.source, obs.level, obs.period_start, obs.finalized_at))
    return final


def _newest(observations: Sequence[_FinalObs]) -> _FinalObs:
    # Newest period first, then the latest finalised; an exact tie goes to the lower level so
    # the result does not depend on the order of the input (and errs toward showing a need).
    return max(observations, key=lambda o: (o.period_start, o.finalized_at, -o.level))


def median_rounded_down(levels: Sequence[int]) -> int:
    """The median, rounded down: of an even count, the floor of the mean of the middle two."""
    if not levels:
        raise RuleError(_("tidak ada nilai untuk dihitung mediannya"), part="level")
    ordered = sorted(levels)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) // 2


def assessed_level_from_sources(observations: Iterable[ScoreObs]) -> AssessedLevel | None:
    """The assessed level of one competency of one employee (DOMAIN.md, SIKAP's rule).

    From the final scores only: the newest assessment score; else the newest supervisor score;
    else the median, rounded down, of the peer scores of the newest period that has any. A
    self-evaluation never sets it (see :func:`self_assessed_level`). "Newest" means the latest
    period, and within a period the latest finalised. ``as_of`` is when the chosen evidence
    became final (for peers, the latest of the scores used). ``None`` when nothing counts.
    """
    final = _final_observations(observations)
    for source in (SOURCE_ASSESSMENT, SOURCE_SUPERVISOR):
        candidates = [o for o in final if o.source == source]
        if candidates:
            chosen = _newest(candidates)
            return AssessedLevel(chosen.level, source, chosen.finalized_at)
    peers = [o for o in final if o.source == SOURCE_PEER]
    if not peers:
        return None
    newest_period = max(o.period_start for o in peers)
    used = [o for o in peers if o.period_start == newest_period]
    return AssessedLevel(
        median_rounded_down([o.level for o in used]),
        SOURCE_PEER,
        max(o.finalized_at for o in used),
    )


def self_assessed_level(observations: Iterable[ScoreObs]) -> AssessedLevel | None:
    """The employee's own view (newest final self score), shown beside the assessed level."""
    own = [o for o in _final_observations(observations) if o.source == SOURCE_SELF]
    if not own:
        return None
    chosen = _newest(own)
    return AssessedLevel(chosen.level, SOURCE_SELF, chosen.finalized_at)


# ---------------------------------------------------------------------------------------------
# JPM (Job Person Match) and IKK
# ---------------------------------------------------------------------------------------------

JPM_MEMENUHI_SYARAT: Final = "Memenuhi Syarat"
JPM_MASIH_MEMENUHI_SYARAT: Final = "Masih Memenuhi Syarat"
JPM_KURANG_MEMENUHI_SYARAT: Final = "Kurang Memenuhi Syarat"
JPM_THRESHOLD_MEMENUHI: Final = Decimal(80)
JPM_THRESHOLD_MASIH: Final = Decimal(68)


def jpm(pairs: Iterable[tuple[int, int | None]]) -> Decimal | None:
    """``100 × mean(min(assessed / required, 1))`` over the required competencies, rounded half
    up to two decimals, from ``(required_level, assessed_level)`` pairs.

    ``None`` ("belum lengkap") when there are no requirements or any assessed level is missing:
    a missing score is never defaulted. Every level is still validated.
    """
    ratios: list[Fraction] = []
    complete = True
    for required, assessed in pairs:
        _check_level(required, _("level yang dipersyaratkan"), "required_level")
        if assessed is None:
            complete = False
            continue
        _check_level(assessed, _("level hasil penilaian"), "assessed_level")
        ratios.append(min(Fraction(assessed, required), Fraction(1)))
    if not complete or not ratios:
        return None
    return round_half_up(100 * sum(ratios, Fraction(0)) / len(ratios), 2)


def ikk(jpm_value: Number | None) -> Decimal | None:
    """Indeks kesenjangan kompetensi, ``100 − JPM`` (two decimals); ``None`` with the JPM."""
    if jpm_value is None:
        return None
    return round_half_up(100 - _to_fraction(jpm_value), 2)


def jpm_category(jpm_value: Number | None) -> str | None:
    """``"Memenuhi Syarat"`` (≥ 80), ``"Masih Memenuhi Syarat"`` (68–79.99) or
    ``"Kurang Memenuhi Syarat"`` (< 68); ``None`` while the JPM is incomplete."""
    if jpm_value is None:
        return None
    value = _to_fraction(jpm_value)
    if value >= JPM_THRESHOLD_MEMENUHI:
        return JPM_MEMENUHI_SYARAT
    if value >= JPM_THRESHOLD_MASIH:
        return JPM_MASIH_MEMENUHI_SYARAT
    return JPM_KURANG_MEMENUHI_SYARAT


# ---------------------------------------------------------------------------------------------
# SKP predicate (PermenPANRB 6/2022)
# ---------------------------------------------------------------------------------------------

SKP_DI_ATAS: Final = "di_atas"
SKP_SESUAI: Final = "sesuai"
SKP_DI_BAWAH: Final = "di_bawah"
SKP_RATINGS: Final = (SKP_DI_ATAS, SKP_SESUAI, SKP_DI_BAWAH)
SKP_RATING_LABELS: Final[Mapping[str, Message]] = MappingProxyType(
    {
        SKP_DI_ATAS: _("Di Atas Ekspektasi"),
        SKP_SESUAI: _("Sesuai Ekspektasi"),
        SKP_DI_BAWAH: _("Di Bawah Ekspektasi"),
    }
)

PREDICATE_SANGAT_BAIK: Final = "Sangat Baik"
PREDICATE_BAIK: Final = "Baik"
PREDICATE_BUTUH_PERBAIKAN: Final = "Butuh Perbaikan"
PREDICATE_KURANG_MISCONDUCT: Final = "Kurang/Misconduct"
PREDICATE_SANGAT_KURANG: Final = "Sangat Kurang"
#: Best first.
SKP_PREDICATES: Final = (
    PREDICATE_SANGAT_BAIK,
    PREDICATE_BAIK,
    PREDICATE_BUTUH_PERBAIKAN,
    PREDICATE_KURANG_MISCONDUCT,
    PREDICATE_SANGAT_KURANG,
)
#: Predicates that flag the employee for HR's development review.
WEAK_PREDICATES: Final = frozenset(
    {PREDICATE_BUTUH_PERBAIKAN, PREDICATE_KURANG_MISCONDUCT, PREDICATE_SANGAT_KURANG}
)

# (hasil_kerja, perilaku_kerja) -> predicate. Rows of DOMAIN.md's table are hasil kerja,
# columns perilaku kerja; implementations with the axes swapped exist, so keep the key order.
_SKP_MATRIX: Final[Mapping[tuple[str, str], str]] = MappingProxyType(
    {
        (SKP_DI_ATAS, SKP_DI_BAWAH): PREDICATE_KURANG_MISCONDUCT,
        (SKP_DI_ATAS, SKP_SESUAI): PREDICATE_BAIK,
        (SKP_DI_ATAS, SKP_DI_ATAS): PREDICATE_SANGAT_BAIK,
        (SKP_SESUAI, SKP_DI_BAWAH): PREDICATE_KURANG_MISCONDUCT,
        (SKP_SESUAI, SKP_SESUAI): PREDICATE_BAIK,
        (SKP_SESUAI, SKP_DI_ATAS): PREDICATE_BAIK,
        (SKP_DI_BAWAH, SKP_DI_BAWAH): PREDICATE_SANGAT_KURANG,
        (SKP_DI_BAWAH, SKP_SESUAI): PREDICATE_BUTUH_PERBAIKAN,
        (SKP_DI_BAWAH, SKP_DI_ATAS): PREDICATE_BUTUH_PERBAIKAN,
    }
)


def _skp_rating(value: str, what: Message, part: str) -> str:
    rating = value.strip().lower() if isinstance(value, str) else value
    if rating not in SKP_RATINGS:
        raise RuleError(
            format_lazy(_("{what} harus “di_atas”, “sesuai” atau “di_bawah”"), what=what),
            part=part,
        )
    return rating


def skp_predicate(hasil_kerja: str, perilaku_kerja: str) -> str:
    """The SKP predicate of a rating of work results (hasil kerja, the table's rows) and work
    behaviour (perilaku kerja, its columns), each ``"di_atas"``, ``"sesuai"`` or
    ``"di_bawah"``. Pass them by keyword where you can: the two axes are easy to swap."""
    hasil = _skp_rating(hasil_kerja, _("hasil kerja"), "hasil_kerja")
    perilaku = _skp_rating(perilaku_kerja, _("perilaku kerja"), "perilaku_kerja")
    return _SKP_MATRIX[(hasil, perilaku)]


def is_weak_predicate(predicate: str | None) -> bool:
    """Whether the predicate flags the employee for HR's development review."""
    return predicate in WEAK_PREDICATES


# ---------------------------------------------------------------------------------------------
# Citizen satisfaction survey: SKM and IKM (PermenPANRB 14/2017)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkmElement:
    """One unsur of the SKM: its name, its question and the wording of answers 1 to 4."""

    code: str
    name: Message
    question: Message
    answers: tuple[Message, Message, Message, Message]

    @property
    def choices(self) -> list[tuple[int, Message]]:
        """``[(1, "Tidak sesuai"), …, (4, "Sangat sesuai")]`` for a form field."""
        return [(index + 1, label) for index, label in enumerate(self.answers)]


# Wording of the questionnaire in the Lampiran of PermenPANRB 14/2017. The Lampiran's sample
# questionnaire asks about sarana before pengaduan (its questions 8 and 9); SIKAP numbers the
# elements in the order of the regulation's list of unsur (DOMAIN.md): u8 pengaduan, u9 sarana.
SKM_ELEMENT_DETAILS: Final[Mapping[str, SkmElement]] = MappingProxyType(
    {
        element.code: element
        for element in (
            SkmElement(
                "u1",
                _("Persyaratan"),
                _(
                    "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan "
                    "dengan jenis pelayanannya?"
                ),
                (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
            ),
            SkmElement(
                "u2",
                _("Sistem, Mekanisme, dan Prosedur"),
                _("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
                (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
            ),
            SkmElement(
                "u3",
                _("Waktu Penyelesaian"),
                _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
                (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
            ),
            SkmElement(
                "u4",
                _("Biaya/Tarif"),
                _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
                (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
            ),
            SkmElement(
                "u5",
                _("Produk Spesifikasi Jenis Pelayanan"),
                _(
                    "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
                    "tercantum dalam standar pelayanan dengan hasil yang diberikan?"
                ),
                (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
            ),
            SkmElement(
                "u6",
                _("Kompetensi Pelaksana"),
                _(
                    "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas "
                    "dalam pelayanan?"
                ),
                (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
            ),
            SkmElement(
                "u7",
                _("Perilaku Pelaksana"),
                _(
                    "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
                    "kesopanan dan keramahan?"
                ),
                (
                    _("Tidak sopan dan ramah"),
                    _("Kurang sopan dan ramah"),
                    _("Sopan dan ramah"),
                    _("Sangat sopan dan ramah"),
                ),
            ),
            SkmElement(
                "u8",
                _("Penanganan Pengaduan, Saran dan Masukan"),
                _("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
                (
                    _("Tidak ada"),
                    _("Ada tetapi tidak berfungsi"),
                    _("Berfungsi kurang maksimal"),
                    _("Dikelola dengan baik"),
                ),
            ),
            SkmElement(
                "u9",
                _("Sarana dan Prasarana"),
                _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
                (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
            ),
        )
    }
)
SKM_CODES: Final = tuple(SKM_ELEMENT_DETAILS)
#: ``u1`` … ``u9`` → element name, in order.
SKM_ELEMENTS: Final[Mapping[str, Message]] = MappingProxyType(
    {code: element.name for code, element in SKM_ELEMENT_DETAILS.items()}
)
SKM_QUESTIONS: Final[Mapping[str, Message]] = MappingProxyType(
    {code: element.question for code, element in SKM_ELEMENT_DETAILS.items()}
)
#: ``u1`` … ``u9`` → wording of answers 1, 2, 3, 4.
SKM_ANSWERS: Final[Mapping[str, tuple[Message, Message, Message, Message]]] = MappingProxyType(
    {code: element.answers for code, element in SKM_ELEMENT_DETAILS.items()}
)
SKM_ANSWER_MIN: Final = 1
SKM_ANSWER_MAX: Final = 4

IKM_WEIGHT: Final = Fraction(1, len(SKM_CODES))  # exactly 1/9, never 0.111
IKM_CONVERSION: Final = 25
#: (category, lowest, highest) on the converted value rounded to two decimals.
IKM_CATEGORY_BANDS: Final = (
    ("D", Decimal("25.00"), Decimal("64.99")),
    ("C", Decimal("65.00"), Decimal("76.60")),
    ("B", Decimal("76.61"), Decimal("88.30")),
    ("A", Decimal("88.31"), Decimal("100.00")),
)
IKM_QUALITY: Final[Mapping[str, str]] = MappingProxyType(
    {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}
)

#: SIKAP's rule: a mean on u7 below the B boundary on the 1–4 scale is a training need …
U7_NEED_THRESHOLD: Final = Decimal("3.0644")
#: … once the employee has at least this many responses in the period.
U7_MIN_RESPONSES: Final = 10


@dataclass(frozen=True, slots=True)
class IkmResult:
    """The IKM of a set of responses; every value is ``None`` when there are no responses.

    ``per_element`` (NRR per unsur), ``ikm`` (1–4) and ``ikm_unit`` (= IKM × 25, 25–100) are
    unrounded (exact, or to 28 significant digits where a fraction has no finite decimal);
    ``ikm_unit_display`` is ``ikm_unit`` rounded half up to two decimals, the value that
    ``category`` and ``quality`` are read from.
    """

    responses: int
    per_element: dict[str, Decimal | None]
    ikm: Decimal | None
    ikm_unit: Decimal | None
    ikm_unit_display: Decimal | None
    category: str | None
    quality: str | None


def ikm_category(ikm_unit: Number) -> str:
    """``"A"``–``"D"`` for a converted value (25–100), compared after rounding it half up to
    two decimals: 25.00–64.99 D, 65.00–76.60 C, 76.61–88.30 B, 88.31–100.00 A."""
    shown = round_half_up(ikm_unit, 2)
    for category, lowest, highest in IKM_CATEGORY_BANDS:
        if lowest <= shown <= highest:
            return category
    raise RuleError(_("nilai IKM konversi harus antara 25 dan 100"), part="ikm_unit")


def _check_answer(code: str, value: object) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not SKM_ANSWER_MIN <= value <= SKM_ANSWER_MAX
    ):
        raise RuleError(
            format_lazy(_("jawaban unsur {code} harus 1 sampai 4"), code=code), part=code
        )
    return value


def skm_sums(responses: Iterable[Mapping[str, int]]) -> tuple[dict[str, int], int]:
    """Add up survey responses (each ``{"u1": 1..4, …, "u9": 1..4}``): ``(sums, count)``, the
    input of :func:`ikm_from_sums`. Every response must answer all nine elements."""
    sums = dict.fromkeys(SKM_CODES, 0)
    count = 0
    for response in responses:
        unknown = sorted(set(response) - set(SKM_CODES))
        if unknown:
            raise RuleError(
                format_lazy(_("unsur “{code}” tidak dikenal"), code=unknown[0]), part=unknown[0]
            )
        for code in SKM_CODES:
            if code not in response:
                raise RuleError(
                    format_lazy(_("jawaban unsur {code} wajib diisi"), code=code), part=code
                )
            sums[code] += _check_answer(code, response[code])
        count += 1
    return sums, count


def ikm_from_sums(element_sums: Mapping[str, int], respondents: int) -> IkmResult:
    """The IKM from the sum of the answers to each element and the number of respondents.

    ``NRR = sum / respondents`` per element, ``IKM = Σ NRR × 1/9`` (exact weight), the unit value
    ``IKM × 25``, and its category on that value rounded to two decimals. Each sum must lie
    between ``respondents`` and ``4 × respondents`` (every answer is 1–4).
    """
    if isinstance(respondents, bool) or not isinstance(respondents, int) or respondents < 0:
        raise RuleError(
            _("jumlah responden harus bilangan bulat tidak negatif"), part="respondents"
        )
    unknown = sorted(set(element_sums) - set(SKM_CODES))
    if unknown:
        raise RuleError(
            format_lazy(_("unsur “{code}” tidak dikenal"), code=unknown[0]), part=unknown[0]
        )
    if respondents == 0:
        if any(element_sums.values()):
            raise RuleError(
                _("tanpa responden, jumlah nilai setiap unsur harus 0"), part="respondents"
            )
        return IkmResult(
            responses=0,
            per_element=dict.fromkeys(SKM_CODES),
            ikm=None,
            ikm_unit=None,
            ikm_unit_display=None,
            category=None,
            quality=None,
        )

    nrr: dict[str, Fraction] = {}
    for code in SKM_CODES:
        if code not in element_sums:
            raise RuleError(
                format_lazy(_("jumlah nilai unsur {code} wajib diisi"), code=code), part=code
            )
        total = element_sums[code]
        lowest, highest = SKM_ANSWER_MIN * respondents, SKM_ANSWER_MAX * respondents
        if isinstance(total, bool) or not isinstance(total, int) or not lowest <= total <= highest:
            raise RuleError(
                format_lazy(
                    _("jumlah nilai unsur {code} harus antara {lowest} dan {highest}"),
                    code=code,
                    lowest=lowest,
                    highest=highest,
                ),
                part=code,
            )
        nrr[code] = Fraction(total, respondents)

    ikm_exact = sum((value * IKM_WEIGHT for value in nrr.values()), Fraction(0))
    unit_exact = ikm_exact * IKM_CONVERSION
    category = ikm_category(unit_exact)
    return IkmResult(
        responses=respondents,
        per_element={code: _fraction_to_decimal(value) for code, value in nrr.items()},
        ikm=_fraction_to_decimal(ikm_exact),
        ikm_unit=_fraction_to_decimal(unit_exact),
        ikm_unit_display=round_half_up(unit_exact, 2),
        category=category,
        quality=IKM_QUALITY[category],
    )


def feedback_needs_training(u7_mean: Number | None, responses: int) -> bool:
    """SIKAP's rule: at least :data:`U7_MIN_RESPONSES` responses in the period and a mean on u7
    Perilaku Pelaksana below :data:`U7_NEED_THRESHOLD` → a training need for HR to confirm."""
    if u7_mean is None or responses < U7_MIN_RESPONSES:
        return False
    return _to_fraction(u7_mean) < Fraction(U7_NEED_THRESHOLD)


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


# ---------------------------------------------------------------------------------------------
# Competency development hours (JP)
# ---------------------------------------------------------------------------------------------

JP_TARGET: Final = 20  # JP a year, PP 11/2017 as amended by PP 17/2020 (1 JP = 45 minutes)


def jp_year(dt: datetime) -> int:
    """The calendar year (Asia/Jakarta) a completion at ``dt`` counts in; ``dt`` must be aware."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise RuleError(_("waktu penyelesaian harus memiliki zona waktu"), part="completed_at")
    return dt.astimezone(JAKARTA).year


def jp_phrase(jp: int) -> str:
    """The certificate's wording: ``jp_phrase(20)`` → ``"20 (dua puluh) jam pelajaran"``.

    Certificate wording is Indonesian by law, so it is not translated.
    """
    return f"{jp} ({terbilang(jp)}) jam pelajaran"


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


# ---------------------------------------------------------------------------------------------
# Required level of the manajerial and sosial kultural competencies by position
# ---------------------------------------------------------------------------------------------

#: The usual standard of PermenPANRB 38/2017 (DOMAIN.md); HR may change any requirement.
POSITION_REQUIRED_LEVELS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "jpt_utama": 5,
        "jpt_madya": 5,
        "jpt_pratama": 4,
        "administrator": 3,
        "pengawas": 2,
        "pelaksana": 1,
    }
)
#: Fungsional by jenjang. DOMAIN.md gives "terampil: 1" for the keterampilan category; SIKAP
#: reads it as every keterampilan jenjang (pemula, terampil, mahir, penyelia).
FUNGSIONAL_REQUIRED_LEVELS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "ahli_utama": 4,
        "ahli_madya": 3,
        "ahli_muda": 2,
        "ahli_pertama": 1,
        "penyelia": 1,
        "mahir": 1,
        "terampil": 1,
        "pemula": 1,
    }
)
POSITION_KIND_FUNGSIONAL: Final = "fungsional"


def required_level_for_position(kind: str, fungsional_jenjang: str | None = None) -> int:
    """The default required level of the manajerial and sosial kultural competencies of a
    position: by its kind, and for ``"fungsional"`` by its jenjang (ignored for other kinds)."""
    if kind == POSITION_KIND_FUNGSIONAL:
        if not fungsional_jenjang:
            raise RuleError(_("jenjang jabatan fungsional wajib diisi"), part="jenjang")
        try:
            return FUNGSIONAL_REQUIRED_LEVELS[fungsional_jenjang]
        except KeyError:
            raise RuleError(
                format_lazy(
                    _("jenjang jabatan fungsional “{jenjang}” tidak dikenal"),
                    jenjang=fungsional_jenjang,
                ),
                part="jenjang",
            ) from None
    try:
        return POSITION_REQUIRED_LEVELS[kind]
    except KeyError:
        raise RuleError(
            format_lazy(_("jenis jabatan “{kind}” tidak dikenal"), kind=kind), part="kind"
        ) from None
