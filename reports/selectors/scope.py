"""The unit subtrees a report covers, and the year it is about (the list of periods and the
current one are ``kompetensi.selectors.period_choices`` / ``pick_period``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from kompetensi import rules
from kompetensi.models import (
    EvaluationPeriod,
    OrganizationUnit,
    in_unit_subtree,
    unit_subtree_q,
)
from kompetensi.permissions import hr_scope_paths


@dataclass(frozen=True)
class Scope:
    """The unit subtrees a report covers. ``paths=None``: the whole city."""

    paths: list[str] | None
    unit: OrganizationUnit | None = None

    @classmethod
    def for_user(cls, user) -> Scope:
        return cls(paths=hr_scope_paths(user))

    @classmethod
    def for_unit(cls, unit: OrganizationUnit) -> Scope:
        return cls(paths=[unit.path], unit=unit)

    def q(self, path_field: str) -> Q:
        """A filter on ``path_field`` (an ``OrganizationUnit.path`` lookup) for this scope."""
        if self.paths is None:
            return Q()
        return unit_subtree_q(path_field, self.paths)

    def group_key(self, path: str) -> str:
        """The row a unit's numbers are rolled up to: the city view groups by perangkat
        daerah (root unit) — or by the granted units for a scoped officer —, a unit view by
        the unit itself and its direct sub-units."""
        if self.unit is not None:
            base = self.unit.path
            if path == base:
                return base
            rest = path[len(base) + 1 :]
            return f"{base}/{rest.split('/', 1)[0]}"
        if self.paths is None:
            return path.split("/", 1)[0]
        matches = [p for p in self.paths if in_unit_subtree(path, p)]
        return max(matches, key=len) if matches else path


def report_year(period: EvaluationPeriod | None) -> int:
    """The calendar year the period starts in (this year without a period): the JP year."""
    return period.start.year if period else rules.jakarta_today().year


def period_date_range(code: str, periods: list[EvaluationPeriod]) -> tuple[date, date] | None:
    """An evaluation period's dates, or a calendar year for a bare ``YYYY``."""
    for p in periods:
        if p.code == code:
            return p.start, p.end
    if len(code) == 4 and code.isdigit():
        year = int(code)
        return date(year, 1, 1), date(year, 12, 31)
    return None


def pct(part: int | None, whole: int | None) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal (rounded half up); None without a whole."""
    if not whole:
        return None
    return rules.round_half_up(Decimal(100) * Decimal(part or 0) / Decimal(whole), 1)
