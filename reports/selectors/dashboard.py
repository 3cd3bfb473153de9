"""The city overview and the unit view: per-employee facts (JP of the year, assessed, gap,
development review) counted per unit and rolled up to the page's groups, the competency gaps,
assignments by state, certificates and IKM; computed together and cached by data version."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from core import dataversion
from kompetensi import rules
from kompetensi.models import (
    Competency,
    Employee,
    EmployeeCompetency,
    EvaluationPeriod,
    OrganizationUnit,
    SkpResult,
)
from kompetensi.selectors import weak_skp_exists
from workflow.models import Assignment, Certificate

from .jp import jp_of_year
from .scope import Scope, pct
from .skm import ikm_by_group

# ---------------------------------------------------------------------------------------------
# Per-employee facts
# ---------------------------------------------------------------------------------------------

#: Flagged for development review: HR's flag, or a weak SKP predicate in the period (the
#: ``is_weak_skp`` annotation of :func:`annotated_employees`); :func:`is_flagged` on a row.
FLAGGED = Q(development_review=True) | Q(is_weak_skp=True)


def is_flagged(employee) -> bool:
    """:data:`FLAGGED` for one row of :func:`annotated_employees`."""
    return bool(employee.development_review or employee.is_weak_skp)


def _assessed_exists(ref: str = "pk"):
    return Exists(
        EmployeeCompetency.objects.filter(employee=OuterRef(ref), assessed_level__isnull=False)
    )


def _gap_exists(ref: str = "pk"):
    return Exists(EmployeeCompetency.objects.filter(employee=OuterRef(ref), gap__gt=0))


def gap_totals(ref: str = "pk") -> dict:
    """Annotations: ``gap_total`` (sum of the gaps) and ``gap_count`` (competencies with a gap)
    of the employee ``OuterRef(ref)``, 0 when none."""
    gaps = (
        EmployeeCompetency.objects.filter(employee=OuterRef(ref))
        .order_by()
        .values("employee")
        .annotate(s=Sum("gap"), n=Count("pk", filter=Q(gap__gt=0)))
    )
    return {
        "gap_total": Coalesce(Subquery(gaps.values("s"), output_field=IntegerField()), Value(0)),
        "gap_count": Coalesce(Subquery(gaps.values("n"), output_field=IntegerField()), Value(0)),
    }


def employees_in(scope: Scope) -> QuerySet[Employee]:
    return Employee.objects.filter(scope.q("unit__path"), is_active=True)


def annotated_employees(scope: Scope, *, year: int, period: EvaluationPeriod | None):
    """Active employees of the scope with per-person facts as annotations."""
    return employees_in(scope).annotate(
        jp_year=jp_of_year(year),
        is_assessed=_assessed_exists(),
        has_gap=_gap_exists(),
        is_weak_skp=weak_skp_exists(period),
    )


# Per-employee facts counted by :func:`unit_facts`: all additive, so the city's KPIs are the
# sums of the per-unit rows (the dashboard reads the employees once for both).
FACT_KEYS = (
    "total",
    "assessed",
    "with_gap",
    "jp_compliant",
    "jp_total",
    "dev_review",
    "weak_skp",
    "flagged",
)


def _fact_aggregates() -> dict:
    return {
        "total": Count("pk"),
        "assessed": Count("pk", filter=Q(is_assessed=True)),
        "with_gap": Count("pk", filter=Q(has_gap=True)),
        "jp_compliant": Count("pk", filter=Q(jp_year__gte=rules.JP_TARGET)),
        "jp_total": Sum("jp_year"),
        "dev_review": Count("pk", filter=Q(development_review=True)),
        "weak_skp": Count("pk", filter=Q(is_weak_skp=True)),
        "flagged": Count("pk", filter=FLAGGED),
    }


def unit_facts(scope: Scope, *, year: int, period: EvaluationPeriod | None) -> list[dict]:
    """One query: the per-employee facts of the scope counted per unit path."""
    rows = list(
        annotated_employees(scope, year=year, period=period)
        .values("unit__path")
        .annotate(**_fact_aggregates())
        .order_by()
    )
    for r in rows:
        r["jp_total"] = r["jp_total"] or 0
    return rows


def employee_kpis(
    scope: Scope,
    *,
    year: int,
    period: EvaluationPeriod | None,
    facts: list[dict] | None = None,
) -> dict:
    """Headcount, assessed, with a gap, JP compliance and development flags: one query, or
    none when the per-unit ``facts`` (:func:`unit_facts`) are given."""
    if facts is None:
        row = annotated_employees(scope, year=year, period=period).aggregate(**_fact_aggregates())
    else:
        row = {k: sum(r[k] or 0 for r in facts) for k in FACT_KEYS}
    row["jp_total"] = row["jp_total"] or 0
    row["assessed_pct"] = pct(row["assessed"], row["total"])
    row["jp_compliant_pct"] = pct(row["jp_compliant"], row["total"])
    row["with_gap_pct"] = pct(row["with_gap"], row["total"])
    return row


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


def competency_gaps(scope: Scope) -> list[dict]:
    """Two queries: per competency, employees required / assessed / with gap and the mean gap
    (over those with a gap), from the materialised competency profile. Ordered by the number
    of employees with a gap, largest first."""
    # Grouped by competency id over the scope's active employees as an ``IN (subquery)``
    # (evaluated once), names fetched apart: ~5x faster on SQLite than joining the employee
    # and the competency into the grouped scan of every profile row.
    rows = (
        EmployeeCompetency.objects.filter(employee_id__in=employees_in(scope).values("pk"))
        .values("competency_id")
        .annotate(
            required=Count("pk", filter=Q(required_level__isnull=False)),
            assessed=Count(
                "pk", filter=Q(required_level__isnull=False, assessed_level__isnull=False)
            ),
            with_gap=Count("pk", filter=Q(gap__gt=0)),
            mean_gap=Avg("gap", filter=Q(gap__gt=0)),
        )
        .filter(required__gt=0)
        .order_by()
    )
    rows = list(rows)
    names = {
        c["pk"]: c
        for c in Competency.objects.filter(pk__in=[r["competency_id"] for r in rows]).values(
            "pk", "code", "name", "kind"
        )
    }
    out = [
        {
            "code": names[r["competency_id"]]["code"],
            "name": names[r["competency_id"]]["name"],
            "kind": names[r["competency_id"]]["kind"],
            "required": r["required"],
            "assessed": r["assessed"],
            "with_gap": r["with_gap"],
            "mean_gap": (
                rules.round_half_up(Decimal(str(r["mean_gap"])), 2)
                if r["mean_gap"] is not None
                else None
            ),
        }
        for r in rows
    ]
    out.sort(key=lambda g: (-g["with_gap"], g["code"]))
    return out


def assignments_by_state(scope: Scope, *, today: date) -> dict:
    """One query: assignments per state with the overdue (open, due date passed) count."""
    rows = (
        Assignment.objects.filter(scope.q("employee__unit__path"))
        .values("status")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(status__in=Assignment.OPEN_STATES, due_date__lt=today)),
        )
        .order_by()
    )
    by_state = {r["status"]: r for r in rows}
    states = [
        {
            "status": value,
            "label": label,
            "count": by_state.get(value, {}).get("n", 0),
            "overdue": by_state.get(value, {}).get("overdue", 0),
        }
        for value, label in Assignment.Status.choices
    ]
    return {
        "states": states,
        "total": sum(s["count"] for s in states),
        "overdue": sum(s["overdue"] for s in states),
    }


def certificates_issued(scope: Scope, *, year: int) -> dict:
    """One query: certificates issued in ``year`` (and how many of them were revoked)."""
    return Certificate.objects.filter(scope.q("employee__unit__path"), year=year).aggregate(
        issued=Count("pk"), revoked=Count("pk", filter=Q(revoked_at__isnull=False))
    )


def unit_breakdown(
    scope: Scope,
    *,
    year: int,
    period: EvaluationPeriod | None,
    ikm: dict | None = None,
    facts: list[dict] | None = None,
) -> list[dict]:
    """One query grouped by unit path (rolled up to the scope's groups; none when ``facts``
    from :func:`unit_facts` are given) plus one for names (and one for IKM unless ``ikm`` from
    :func:`~reports.selectors.skm.ikm_by_group` is given): per group employees, assessed, with
    gap, JP compliance, flags, IKM."""
    rows = facts if facts is not None else unit_facts(scope, year=year, period=period)
    keys = ("total", "assessed", "with_gap", "jp_compliant", "flagged")
    groups: dict[str, dict] = defaultdict(lambda: dict.fromkeys(keys, 0))
    for r in rows:
        g = groups[scope.group_key(r["unit__path"])]
        for k in keys:
            g[k] += r[k]
    if ikm is None:
        ikm = ikm_by_group(scope, period=period)
    group_paths = set(groups) | (set(ikm) - {"__all__"})
    units = {
        u["path"]: u
        for u in OrganizationUnit.objects.filter(path__in=group_paths).values(
            "code", "name", "path", "depth"
        )
    }
    out = []
    for path in sorted(group_paths):
        g = groups.get(path, dict.fromkeys(keys, 0))
        unit = units.get(path, {"code": "", "name": path, "path": path, "depth": 0})
        i = ikm.get(path)
        out.append(
            {
                "code": unit["code"],
                "name": unit["name"],
                "path": path,
                "is_self": scope.unit is not None and path == scope.unit.path,
                **g,
                "assessed_pct": pct(g["assessed"], g["total"]),
                "jp_compliant_pct": pct(g["jp_compliant"], g["total"]),
                "ikm_responses": i.responses if i else 0,
                "ikm": i.ikm_unit_display if i else None,
                "ikm_category": i.category if i else None,
                "ikm_quality": i.quality if i else None,
            }
        )
    out.sort(key=lambda r: (not r["is_self"], r["name"]))
    return out


def flagged_employees(
    scope: Scope, *, year: int, period: EvaluationPeriod | None, limit: int = 25
) -> list[Employee]:
    """One query: employees flagged for development review (flag or weak SKP)."""
    return list(
        annotated_employees(scope, year=year, period=period)
        .filter(FLAGGED)
        .annotate(
            gap_total=gap_totals()["gap_total"],
            skp_predicate=Subquery(
                SkpResult.objects.filter(employee=OuterRef("pk"), period=period).values(
                    "predicate"
                )[:1]
                if period is not None
                else SkpResult.objects.none().values("predicate")
            ),
        )
        .select_related("unit", "position")
        .order_by("-gap_total", "name")[:limit]
    )


DASHBOARD_CACHE_SECONDS = 600


def dashboard_key(scope: Scope, *, year: int, period: EvaluationPeriod | None, today=None) -> str:
    """What the dashboard sections depend on besides the data (whose version is added by
    ``dataversion.cached`` / the template fragment cache)."""
    today = today or rules.jakarta_today()
    paths = sorted(scope.paths) if scope.paths is not None else None
    return hashlib.sha1(
        repr((paths, scope.unit and scope.unit.pk, year, period and period.pk, today)).encode()
    ).hexdigest()


def dashboard_sections(scope: Scope, *, year: int, period: EvaluationPeriod | None) -> dict:
    """The aggregate sections of the city overview and the unit view (7 queries when
    computed), cached under the data version of the tables they read
    (``core.dataversion``): any write to those tables — a finalised evaluation's profile
    recompute, an approved recommendation, a certificate, an SKM response — moves the version,
    so the next request computes fresh numbers; until then every HR officer with the same scope
    gets them from the cache. ``today`` is part of the key (overdue counts change at midnight).
    """
    today = rules.jakarta_today()
    key = dashboard_key(scope, year=year, period=period, today=today)

    def compute() -> dict:
        ikm = ikm_by_group(scope, period=period)
        facts = unit_facts(scope, year=year, period=period)  # read once for KPIs and units
        return {
            "kpis": employee_kpis(scope, year=year, period=period, facts=facts),
            "gaps": competency_gaps(scope),
            "assignments": assignments_by_state(scope, today=today),
            "certs": certificates_issued(scope, year=year),
            "ikm": ikm,
            "units": unit_breakdown(scope, year=year, period=period, ikm=ikm, facts=facts),
            "flagged": flagged_employees(scope, year=year, period=period),
        }

    return dataversion.cached("sdm", key, compute, DASHBOARD_CACHE_SECONDS)
