"""The SKP predicate (PermenPANRB 6/2022) and the weak predicates that flag an employee."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .base import (
    Message,
    RuleError,
)

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
