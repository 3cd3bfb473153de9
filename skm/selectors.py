"""Reads of the citizen satisfaction survey (SKM): service points, front-line staff and the
IKM (PermenPANRB 14/2017) per service point, unit (with its sub-units) and city per period.

Every IKM is one aggregate query (``Count`` + ``Sum`` of u1..u9) fed to
``rules.ikm_from_sums``, which computes it exactly (weight 1/9, category on the converted value
rounded to two decimals). Lists group in the database, never one query per row."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from kompetensi.models import Employee, EvaluationPeriod, OrganizationUnit

from . import rules
from .models import ServiceFeedback, ServicePoint

#: Feedback about one employee is shown to them only from this many responses on.
EMPLOYEE_SUMMARY_MIN_RESPONSES = 5

_AGG = {"n": Count("id"), **{f"s_{code}": Sum(code) for code in rules.SKM_CODES}}


def _result(row: dict) -> rules.IkmResult:
    n = int(row.get("n") or 0)
    sums = {code: int(row.get(f"s_{code}") or 0) for code in rules.SKM_CODES}
    return rules.ikm_from_sums(sums if n else dict.fromkeys(rules.SKM_CODES, 0), n)


def subtree_q(unit: OrganizationUnit, field: str = "unit__path") -> Q:
    return Q(**{field: unit.path}) | Q(**{f"{field}__startswith": f"{unit.path}/"})


# ---------------------------------------------------------------------------------------------
# Service points and staff (public pages)
# ---------------------------------------------------------------------------------------------


def service_points_public(search: str = "") -> list[ServicePoint]:
    """Active service points with ``agency``/``unit_label`` attached (two queries), filtered by
    ``search`` on the service, unit or perangkat daerah name (case-insensitive)."""
    qs = ServicePoint.objects.filter(is_active=True).select_related("unit")
    points = attach_agency(qs.order_by("unit__path", "service"))
    needle = (search or "").strip()[:100].casefold()
    if needle:
        points = [
            p
            for p in points
            if needle in p.service.casefold()
            or needle in p.unit.name.casefold()
            or needle in p.agency.casefold()
        ]
    return points


def attach_agency(points: Iterable[ServicePoint]) -> list[ServicePoint]:
    """Set ``point.agency`` (the perangkat daerah: the root of the point's unit) and
    ``point.unit_label`` ("Dinas … — Bidang …") on every point; one query for all."""
    points = list(points)
    roots = {p.unit.path.split("/")[0] for p in points}
    names = dict(OrganizationUnit.objects.filter(code__in=roots).values_list("code", "name"))
    for point in points:
        agency = names.get(point.unit.path.split("/")[0], point.unit.name)
        point.agency = agency
        point.unit_label = agency if agency == point.unit.name else f"{agency} — {point.unit.name}"
    return points


def group_by_agency(points: Iterable[ServicePoint]) -> list[tuple[str, list[ServicePoint]]]:
    """``[(perangkat daerah name, [points…]), …]`` sorted by name (points from
    :func:`attach_agency`)."""
    groups: dict[str, list[ServicePoint]] = {}
    for point in points:
        groups.setdefault(point.agency, []).append(point)
    return sorted(groups.items())


def service_point_public(code: str) -> ServicePoint | None:
    return ServicePoint.objects.filter(code=code, is_active=True).select_related("unit").first()


def front_line_staff(service_point: ServicePoint) -> QuerySet[Employee]:
    """Active employees in a front-line position in the point's unit or its sub-units."""
    return (
        Employee.objects.filter(
            subtree_q(service_point.unit), is_active=True, position__is_front_line=True
        )
        .only("id", "name")
        .order_by("name", "id")
    )


def staff_token(service_point: ServicePoint, employee_id: int) -> str:
    """An opaque value for the form's "petugas" radio: neither the NIP nor the pk, and only
    meaningful for this service point (HMAC under the secret key)."""
    message = f"skm-staff:{service_point.code}:{employee_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class StaffCard:
    token: str
    name: str
    employee_id: int


def staff_cards(service_point: ServicePoint) -> list[StaffCard]:
    return [
        StaffCard(staff_token(service_point, e.pk), e.name, e.pk)
        for e in front_line_staff(service_point)
    ]


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


def period_choices() -> list[EvaluationPeriod]:
    return list(EvaluationPeriod.objects.order_by("-start"))


def pick_period(periods: list[EvaluationPeriod], code: str | None) -> EvaluationPeriod | None:
    """The period with ``code``; else the one covering today; else the newest."""
    if code:
        for period in periods:
            if period.code == code:
                return period
    today = rules.jakarta_today()
    for period in periods:
        if period.start <= today <= period.end:
            return period
    return periods[0] if periods else None


# ---------------------------------------------------------------------------------------------
# IKM
# ---------------------------------------------------------------------------------------------


def _feedback(period: EvaluationPeriod | None) -> QuerySet[ServiceFeedback]:
    qs = ServiceFeedback.objects.all()
    return qs.filter(period=period) if period is not None else qs.none()


def ikm_for_unit(unit: OrganizationUnit, period: EvaluationPeriod | None) -> rules.IkmResult:
    """The unit together with its sub-units."""
    return _result(_feedback(period).filter(subtree_q(unit)).aggregate(**_AGG))


def ikm_for_units(
    units: QuerySet[OrganizationUnit], period: EvaluationPeriod | None
) -> rules.IkmResult:
    """All feedback given at the ``units`` (e.g. an HR officer's scope), in one query."""
    return _result(_feedback(period).filter(unit__in=units).aggregate(**_AGG))


@dataclass(frozen=True, slots=True)
class IkmRow:
    obj: object
    ikm: rules.IkmResult


def ikm_by_service_point(
    points: QuerySet[ServicePoint], period: EvaluationPeriod | None
) -> list[IkmRow]:
    """One row per service point (two queries: the points, the grouped sums)."""
    rows = (
        _feedback(period)
        .filter(service_point__in=points.values("pk"))
        .values("service_point_id")
        .annotate(**_AGG)
        .order_by()
    )
    by_point = {row["service_point_id"]: row for row in rows}
    ordered = attach_agency(points.select_related("unit").order_by("unit__path", "service"))
    return [IkmRow(p, _result(by_point.get(p.pk, {}))) for p in ordered]


def ikm_by_unit(
    points: QuerySet[ServicePoint],
    period: EvaluationPeriod | None,
    *,
    units: QuerySet[OrganizationUnit] | None = None,
) -> list[IkmRow]:
    """One row per perangkat daerah and per unit that has any of ``points`` (only those among
    ``units`` when given, e.g. an HR officer's scope), in tree order, each with its sub-units'
    feedback rolled up and ``unit.label`` ("Dinas … — Bidang …") set. Four queries."""
    point_paths = set(points.values_list("unit__path", flat=True))
    roots = {path.split("/")[0] for path in point_paths}
    chosen = OrganizationUnit.objects.filter(Q(path__in=point_paths) | Q(code__in=roots))
    if units is not None:
        chosen = chosen.filter(pk__in=units.values("pk"))
    unit_list = list(chosen.order_by("path"))
    names = dict(OrganizationUnit.objects.filter(code__in=roots).values_list("code", "name"))
    rows = list(
        _feedback(period)
        .filter(service_point__in=points.values("pk"))
        .values("unit__path")
        .annotate(**_AGG)
        .order_by()
    )
    out = []
    for unit in unit_list:
        agency = names.get(unit.path.split("/")[0], unit.name)
        unit.label = agency if agency == unit.name else f"{agency} — {unit.name}"
        acc = {"n": 0, **{f"s_{code}": 0 for code in rules.SKM_CODES}}
        for row in rows:
            path = row["unit__path"]
            if path == unit.path or path.startswith(f"{unit.path}/"):
                for key in acc:
                    acc[key] += int(row[key] or 0)
        out.append(IkmRow(unit, _result(acc)))
    return out


def recent_comments(
    points: QuerySet[ServicePoint], period: EvaluationPeriod | None, limit: int = 20
) -> list[dict]:
    """The newest non-empty comments at ``points`` (plain text; templates escape it). Never
    the officer named, so comments cannot be traced to a person. One query."""
    return list(
        _feedback(period)
        .filter(service_point__in=points.values("pk"))
        .exclude(comment="")
        .order_by("-created_at")
        .values("created_at", "service_point__service", "comment")[:limit]
    )


# ---------------------------------------------------------------------------------------------
# An employee's own feedback (aggregate only, ≥ 5 responses)
# ---------------------------------------------------------------------------------------------


def employee_feedback_history(
    employee: Employee, periods: list[EvaluationPeriod]
) -> list[tuple[EvaluationPeriod, rules.IkmResult | None]]:
    """For each of ``periods``, the IKM of the responses naming ``employee`` in it; None below
    :data:`EMPLOYEE_SUMMARY_MIN_RESPONSES` responses, so no single citizen can be identified.
    Never comments, never single answers. One grouped query."""
    rows = (
        ServiceFeedback.objects.filter(employee=employee, period__isnull=False)
        .values("period_id")
        .annotate(**_AGG)
        .order_by()
    )
    by_period = {row["period_id"]: _result(row) for row in rows}
    out = []
    for period in periods:
        result = by_period.get(period.pk)
        if result is not None and result.responses < EMPLOYEE_SUMMARY_MIN_RESPONSES:
            result = None
        out.append((period, result))
    return out
