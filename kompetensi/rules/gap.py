"""Competency levels, the gap and the assessed level (SIKAP's precedence rule), JPM and IKK,
and the default required level of a position."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Final, NamedTuple

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .base import (
    Message,
    Number,
    RuleError,
    _to_fraction,
    round_half_up,
)

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
