"""The citizen satisfaction survey's rules as pure functions (PermenPANRB 14/2017, DOMAIN.md):
the nine elements (unsur) and their questions, the IKM and its category, and SIKAP's rule that
turns low scores on u7 (perilaku pelaksana) into a training need.

Common ground comes from ``kompetensi.rules`` (:class:`RuleError`, exact rounding, "today" in
Asia/Jakarta) and is re-exported here for the survey's modules (``rules.jakarta_today()``)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Final

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kompetensi.rules import (  # noqa: F401 - re-exported for the survey's modules
    JAKARTA,
    Message,
    Number,
    RuleError,
    _fraction_to_decimal,
    _to_fraction,
    jakarta_today,
    round_half_up,
)


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
#: How a category is shown on badges (``badge-<tone>``) and charts (``core.charts.TONES``).
IKM_TONES: Final[Mapping[str, str]] = MappingProxyType(
    {"A": "ok", "B": "ok", "C": "warn", "D": "bad"}
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

    @property
    def tone(self) -> str:
        """``ok``/``warn``/``bad`` for the category (:data:`IKM_TONES`); ``""`` without one."""
        return IKM_TONES.get(self.category or "", "")


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
# Respondent profile (questionnaire of PermenPANRB 14/2017, DOMAIN.md "SKM respondent profile")
# ---------------------------------------------------------------------------------------------

#: Field → (code, label) in the questionnaire's order. The codes are the API's (API.md); the
#: labels are what the public form and the HR page show.
RESPONDENT_CHOICES: Final[Mapping[str, tuple[tuple[str, Message], ...]]] = MappingProxyType(
    {
        "gender": (("L", _("Laki-laki")), ("P", _("Perempuan"))),
        "age_group": (
            ("<=25", _("≤ 25 tahun")),
            ("26-35", _("26–35 tahun")),
            ("36-45", _("36–45 tahun")),
            ("46-55", _("46–55 tahun")),
            (">55", _("> 55 tahun")),
        ),
        "education": (
            ("SD", _("SD")),
            ("SMP", _("SMP")),
            ("SMA", _("SMA/SMK")),
            ("D1-D3", _("D1–D3")),
            ("D4/S1", _("D4/S1")),
            ("S2", _("S2")),
            ("S3", _("S3")),
        ),
        "occupation": (
            ("PNS", _("PNS")),
            ("TNI", _("TNI")),
            ("POLRI", _("POLRI")),
            ("swasta", _("Pegawai swasta")),
            ("wirausaha", _("Wirausaha")),
            ("pelajar", _("Pelajar/Mahasiswa")),
            ("lainnya", _("Lainnya")),
        ),
    }
)
#: Field → its name on the form and the HR page.
RESPONDENT_FIELDS: Final[Mapping[str, Message]] = MappingProxyType(
    {
        "gender": _("Jenis kelamin"),
        "age_group": _("Usia"),
        "education": _("Pendidikan terakhir"),
        "occupation": _("Pekerjaan utama"),
    }
)
RESPONDENT_CODES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        field: tuple(code for code, _label in choices)
        for field, choices in RESPONDENT_CHOICES.items()
    }
)


def clean_respondent(profile: Mapping[str, object] | None) -> dict[str, str | None]:
    """``{gender, age_group, education, occupation}`` with every value one of
    :data:`RESPONDENT_CODES` or None (not answered: every field is optional, "" counts as not
    answered); a wrong code or an unknown field is :class:`RuleError` naming
    ``respondent.<field>``."""
    if profile is None:
        return dict.fromkeys(RESPONDENT_CODES)
    if not isinstance(profile, Mapping):
        raise RuleError(_("profil responden harus berupa objek"), part="respondent")
    unknown = sorted(set(profile) - set(RESPONDENT_CODES))
    if unknown:
        raise RuleError(_("kolom ini tidak dikenal"), part=f"respondent.{unknown[0]}")
    clean = {}
    for field, codes in RESPONDENT_CODES.items():
        value = profile.get(field)
        if value is None or value == "":
            clean[field] = None
        elif isinstance(value, str) and value in codes:
            clean[field] = value
        else:
            raise RuleError(
                format_lazy(_("harus salah satu dari {codes}"), codes=", ".join(codes)),
                part=f"respondent.{field}",
            )
    return clean


# ---------------------------------------------------------------------------------------------
# Calendar periods of the reports: a year, a semester or a quarter (DOMAIN.md)
# ---------------------------------------------------------------------------------------------

CALENDAR_YEAR_MIN: Final = 1900
CALENDAR_YEAR_MAX: Final = 2999
_PERIOD_RE = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<kind>[SQ])(?P<part>[0-9]))?")
#: Kind → (number of parts in a year, months per part).
_PARTS: Final = {"S": (2, 6), "Q": (4, 3)}


@dataclass(frozen=True, slots=True)
class CalendarPeriod:
    """``2026`` (the year), ``2026-S1``/``S2`` (semester) or ``2026-Q1``..``Q4`` (quarter):
    ``start`` and ``end`` are its first and last day (inclusive, Asia/Jakarta)."""

    code: str
    start: date
    end: date

    @property
    def label(self) -> str:
        year, _sep, part = self.code.partition("-")
        if not part:
            return str(format_lazy(_("Tahun {year}"), year=year))
        if part.startswith("S"):
            return str(format_lazy(_("Semester {n} {year}"), n=part[1:], year=year))
        return str(format_lazy(_("Triwulan {n} {year}"), n=part[1:], year=year))


def calendar_period(code: str | None, *, today: date | None = None) -> CalendarPeriod:
    """The calendar period named ``code`` (``YYYY``, ``YYYY-S1|S2``, ``YYYY-Q1..Q4``; letters
    in either case); None → this year (Asia/Jakarta). Anything else (an empty text too) is
    :class:`RuleError` on ``period`` saying what is expected."""
    if code is None:
        year = (today or jakarta_today()).year
        return CalendarPeriod(str(year), date(year, 1, 1), date(year, 12, 31))
    text = str(code).upper()
    match = _PERIOD_RE.fullmatch(text)
    if match is None:
        raise RuleError(
            _(
                "harus berupa tahun (YYYY), semester (YYYY-S1 atau YYYY-S2) atau triwulan "
                "(YYYY-Q1 sampai YYYY-Q4), mis. 2026, 2026-S1 atau 2026-Q3"
            ),
            part="period",
        )
    year = int(match["year"])
    if not CALENDAR_YEAR_MIN <= year <= CALENDAR_YEAR_MAX:
        raise RuleError(
            format_lazy(
                _("tahun harus antara {lowest} dan {highest}"),
                lowest=CALENDAR_YEAR_MIN,
                highest=CALENDAR_YEAR_MAX,
            ),
            part="period",
        )
    if match["kind"] is None:
        return CalendarPeriod(text, date(year, 1, 1), date(year, 12, 31))
    parts, months = _PARTS[match["kind"]]
    part = int(match["part"])
    if not 1 <= part <= parts:
        raise RuleError(_("semester hanya S1 atau S2; triwulan hanya Q1 sampai Q4"), part="period")
    first_month = (part - 1) * months + 1
    last_month = first_month + months - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return CalendarPeriod(text, date(year, first_month, 1), date(year, last_month, last_day))


def calendar_period_codes(year: int) -> list[str]:
    """The periods of ``year`` in the order a report offers them: the year, its semesters,
    its quarters."""
    return [str(year), f"{year}-S1", f"{year}-S2", *(f"{year}-Q{q}" for q in range(1, 5))]
