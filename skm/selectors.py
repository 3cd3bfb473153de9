"""Reads of the citizen satisfaction survey (SKM): service points, front-line staff and the
IKM (PermenPANRB 14/2017) per service point, unit (with its sub-units) and city per period.

Every IKM is one aggregate query (``Count`` + ``Sum`` of u1..u9) fed to
``rules.ikm_from_sums``, which computes it exactly (weight 1/9, category on the converted value
rounded to two decimals). Lists group in the database, never one query per row.

A "period" is either an evaluation period (the feedback stored with it: the employee's own
summary and the feedback → need rule) or a calendar period (``rules.CalendarPeriod``: the
feedback given between its first and last day in Asia/Jakarta: the unit reports)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from kompetensi.models import (
    Employee,
    EvaluationPeriod,
    OrganizationUnit,
    in_unit_subtree,
    unit_subtree_q,
)

from . import rules
from .models import KioskDevice, ServiceFeedback, ServicePoint

#: An evaluation period (feedback stored with it) or a calendar period (given in its days).
AnyPeriod = EvaluationPeriod | rules.CalendarPeriod | None

#: Feedback about one employee is shown to them only from this many responses on.
EMPLOYEE_SUMMARY_MIN_RESPONSES = 5


# ---------------------------------------------------------------------------------------------
# The IKM aggregation: every IKM of SIKAP (here and in the HR reports) is summed this way
# ---------------------------------------------------------------------------------------------


def ikm_sums(*, suffix: str = "", filter: Q | None = None) -> dict:  # noqa: A002 - as Django
    """The aggregate expressions of an IKM: ``n`` (responses) and ``s_u1`` … ``s_u9`` (the sum
    of each element), each name ending in ``suffix`` (two sets in one query), counted over the
    rows matching ``filter``. Read back with :func:`ikm_of`."""
    return {
        f"n{suffix}": Count("id", filter=filter),
        **{f"s_{code}{suffix}": Sum(code, filter=filter) for code in rules.SKM_CODES},
    }


def ikm_of(row: dict, suffix: str = "") -> rules.IkmResult:
    """The IKM of one row of :func:`ikm_sums` (or of sums added with :func:`add_ikm_sums`),
    computed exactly by ``rules.ikm_from_sums``."""
    n = int(row.get(f"n{suffix}") or 0)
    sums = {code: int(row.get(f"s_{code}{suffix}") or 0) for code in rules.SKM_CODES}
    return rules.ikm_from_sums(sums if n else dict.fromkeys(rules.SKM_CODES, 0), n)


def empty_ikm_sums() -> dict:
    """Zero sums, to add rows of :func:`ikm_sums` into (roll-ups of units)."""
    return {"n": 0, **{f"s_{code}": 0 for code in rules.SKM_CODES}}


def add_ikm_sums(acc: dict, row: dict) -> None:
    """Add one row of :func:`ikm_sums` into ``acc`` (:func:`empty_ikm_sums`)."""
    for key in acc:
        acc[key] += int(row[key] or 0)


def subtree_q(unit: OrganizationUnit, field: str = "unit__path") -> Q:
    return unit_subtree_q(field, [unit.path])


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


def service_point_public(unit_code: str, code: str) -> ServicePoint | None:
    """The active point ``code`` of the unit ``unit_code`` (its public survey)."""
    return (
        ServicePoint.objects.filter(unit__code=unit_code, code=code, is_active=True)
        .select_related("unit")
        .first()
    )


def service_point_by_code_only(code: str) -> ServicePoint | None:
    """The active point with ``code`` when exactly one unit has it (the survey's first URLs,
    ``/umpan-balik/<code>/``, printed on posters before codes were unique per unit only)."""
    points = list(ServicePoint.objects.filter(code=code, is_active=True).select_related("unit")[:2])
    return points[0] if len(points) == 1 else None


def kiosk_pending(code: str) -> KioskDevice | None:
    """The counter tablet waiting to be paired with pairing code ``code`` (not used, expired
    or revoked; its point active), with its point and unit."""
    if not KioskDevice.looks_like_token(code):
        return None
    return (
        KioskDevice.objects.select_related("service_point__unit")
        .filter(
            pairing_hash=KioskDevice.hash_token(code),
            revoked_at__isnull=True,
            pairing_expires_at__gt=timezone.now(),
            service_point__is_active=True,
        )
        .first()
    )


def unit_service_points(unit: OrganizationUnit) -> QuerySet[ServicePoint]:
    """The active service points of ``unit`` and its sub-units (the public list of
    ``GET /api/v1/units/{code}/services``), by unit and code."""
    return (
        ServicePoint.objects.filter(subtree_q(unit), is_active=True)
        .select_related("unit")
        .order_by("unit__path", "code", "pk")
    )


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
# IKM
# ---------------------------------------------------------------------------------------------


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), rules.JAKARTA)


def _feedback(period: AnyPeriod) -> QuerySet[ServiceFeedback]:
    qs = ServiceFeedback.objects.all()
    if period is None:
        return qs.none()
    if isinstance(period, rules.CalendarPeriod):
        return qs.filter(
            created_at__gte=_day_start(period.start),
            created_at__lt=_day_start(period.end + timedelta(days=1)),
        )
    return qs.filter(period=period)


def calendar_period_choices(today=None) -> list[tuple[int, list[rules.CalendarPeriod]]]:
    """``[(year, [the year, its semesters, its quarters]), …]``, newest year first, from the
    year of the first feedback (or this year) to this year (Asia/Jakarta). One query."""
    today = today or rules.jakarta_today()
    first = ServiceFeedback.objects.aggregate(first=Min("created_at"))["first"]
    first_year = timezone.localtime(first, rules.JAKARTA).year if first else today.year
    first_year = max(min(first_year, today.year), today.year - 10)
    return [
        (year, [rules.calendar_period(code) for code in rules.calendar_period_codes(year)])
        for year in range(today.year, first_year - 1, -1)
    ]


def ikm_for_unit(unit: OrganizationUnit, period: AnyPeriod) -> rules.IkmResult:
    """The unit together with its sub-units."""
    return ikm_of(_feedback(period).filter(subtree_q(unit)).aggregate(**ikm_sums()))


def ikm_for_units(units: QuerySet[OrganizationUnit], period: AnyPeriod) -> rules.IkmResult:
    """All feedback given at the ``units`` (e.g. an HR officer's scope), in one query."""
    return ikm_of(_feedback(period).filter(unit__in=units).aggregate(**ikm_sums()))


@dataclass(frozen=True, slots=True)
class IkmRow:
    obj: object
    ikm: rules.IkmResult


def ikm_by_service_point(points: QuerySet[ServicePoint], period: AnyPeriod) -> list[IkmRow]:
    """One row per service point (two queries: the points, the grouped sums)."""
    rows = (
        _feedback(period)
        .filter(service_point__in=points.values("pk"))
        .values("service_point_id")
        .annotate(**ikm_sums())
        .order_by()
    )
    by_point = {row["service_point_id"]: row for row in rows}
    ordered = attach_agency(points.select_related("unit").order_by("unit__path", "service"))
    return [IkmRow(p, ikm_of(by_point.get(p.pk, {}))) for p in ordered]


def ikm_by_unit(
    points: QuerySet[ServicePoint],
    period: AnyPeriod,
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
        .annotate(**ikm_sums())
        .order_by()
    )
    out = []
    for unit in unit_list:
        agency = names.get(unit.path.split("/")[0], unit.name)
        unit.label = agency if agency == unit.name else f"{agency} — {unit.name}"
        acc = empty_ikm_sums()
        for row in rows:
            path = row["unit__path"]
            if in_unit_subtree(path, unit.path):
                add_ikm_sums(acc, row)
        out.append(IkmRow(unit, ikm_of(acc)))
    return out


def recent_comments(
    points: QuerySet[ServicePoint], period: AnyPeriod, limit: int = 20
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
        .annotate(**ikm_sums())
        .order_by()
    )
    by_period = {row["period_id"]: ikm_of(row) for row in rows}
    out = []
    for period in periods:
        result = by_period.get(period.pk)
        if result is not None and result.responses < EMPLOYEE_SUMMARY_MIN_RESPONSES:
            result = None
        out.append((period, result))
    return out


# ---------------------------------------------------------------------------------------------
# Respondent profile (counts per category)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProfileRow:
    """One question of the respondent profile: ``counts`` is ``[(code, label, n), …]`` in the
    questionnaire's order, ``unanswered`` the responses that left it empty."""

    field: str
    name: str
    counts: list[tuple[str, str, int]]
    unanswered: int


def respondent_profile(units: QuerySet[OrganizationUnit], period: AnyPeriod) -> list[ProfileRow]:
    """Counts per category of the respondent profile of the feedback given at ``units`` in
    ``period``: one query (conditional counts), whatever the number of responses."""
    aggregates = {"n": Count("id")}
    for field, codes in rules.RESPONDENT_CODES.items():
        for index, code in enumerate(codes):
            aggregates[f"{field}_{index}"] = Count("id", filter=Q(**{f"respondent_{field}": code}))
    row = _feedback(period).filter(unit__in=units).aggregate(**aggregates)
    total = int(row["n"] or 0)
    out = []
    for field, choices in rules.RESPONDENT_CHOICES.items():
        counts = [
            (code, str(label), int(row[f"{field}_{index}"] or 0))
            for index, (code, label) in enumerate(choices)
        ]
        out.append(
            ProfileRow(
                field=field,
                name=str(rules.RESPONDENT_FIELDS[field]),
                counts=counts,
                unanswered=total - sum(n for _code, _label, n in counts),
            )
        )
    return out
