"""Reads behind the HR (BKPSDM) dashboards, exports and the unit report API.

Every function runs a fixed number of set-based queries whatever the number of employees:
counts and sums are done by the database (``annotate``/``aggregate`` with conditional
aggregation and correlated subqueries); Python only rolls already-aggregated rows up the unit
tree (the number of such rows is bounded by the number of units, never by people).

Scoping: a :class:`Scope` is built from ``kompetensi.permissions.hr_scope_paths`` (all units,
or the subtrees an officer was granted) or from one visible unit's subtree. Every query below
filters through it, so an officer of one unit never counts another unit's people.

Definitions used on the pages (SIKAP's choices, stated on the pages too):
- *assessed*: the employee has at least one assessed level in the competency profile.
- *with gap*: ``EmployeeCompetency.gap > 0``; *mean gap* is the mean over those employees.
- *JP of a year*: sum of ``Assignment.jp`` of completed/certified assignments whose
  ``completion_year`` (Asia/Jakarta) is that year and whose certificate was not revoked
  (``workflow.selectors.credited_assignments``), plus approved external learning ending in
  it; compliant when ≥ ``rules.JP_TARGET``.
- *report year*: the calendar year the selected evaluation period starts in.
- *development review*: ``Employee.development_review`` or a weak SKP predicate
  (``rules.WEAK_PREDICATES``) in the selected period.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import dataversion
from kompetensi import rules
from kompetensi.models import (
    Competency,
    CompetencyScore,
    Employee,
    EmployeeCompetency,
    Evaluation,
    EvaluationPeriod,
    OrganizationUnit,
    SkpResult,
)
from kompetensi.permissions import hr_scope_paths
from portal.models import ModuleCompetency
from skm import rules as skm_rules
from skm.models import ServiceFeedback
from workflow.models import Assignment, Certificate, TrainingNeed

DONE_STATES = (Assignment.Status.COMPLETED, Assignment.Status.CERTIFIED)
OPEN_STATES = Assignment.OPEN_STATES
SKM_CODES = skm_rules.SKM_CODES
# Feedback about one person is shown only in aggregate and from this many responses on.
MIN_EMPLOYEE_FEEDBACK = 5
INSTITUSI_PENYELENGGARA = "BKPSDM Kota Serang"


# ---------------------------------------------------------------------------------------------
# Scope and period
# ---------------------------------------------------------------------------------------------


def _subtree_q(field_name: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{field_name: p}) | Q(**{f"{field_name}__startswith": f"{p}/"})
    return q


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
        if not self.paths:
            return Q(pk__in=[])
        return _subtree_q(path_field, self.paths)

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
        matches = [p for p in self.paths if path == p or path.startswith(f"{p}/")]
        return max(matches, key=len) if matches else path


def period_choices() -> list[EvaluationPeriod]:
    """Every evaluation period, newest first (cached under the "periods" data version)."""
    return dataversion.cached(
        "periods", "choices", lambda: list(EvaluationPeriod.objects.order_by("-start"))
    )


def pick_period(periods: list[EvaluationPeriod], code: str | None) -> EvaluationPeriod | None:
    """The requested period, else the one containing today (Asia/Jakarta), else the newest.
    An unknown code gives ``None`` only when there are no periods at all; callers that must
    reject unknown codes compare ``period.code`` themselves."""
    if code:
        for p in periods:
            if p.code == code:
                return p
    today = rules.jakarta_today()
    for p in periods:
        if p.start <= today <= p.end:
            return p
    return periods[0] if periods else None


def report_year(period: EvaluationPeriod | None) -> int:
    return period.start.year if period else rules.jakarta_today().year


# ---------------------------------------------------------------------------------------------
# Building blocks (expressions)
# ---------------------------------------------------------------------------------------------


def jp_of_year(year: int, ref: str = "pk"):
    """Correlated subquery: JP an employee earned in ``year`` (0 when none): the training that
    counts (``workflow.selectors.credited_assignments``: a revoked certificate's JP do not)
    plus approved external learning."""
    from workflow.external import external_jp_of_year  # approved external learning
    from workflow.selectors import assignment_jp_of_year

    return assignment_jp_of_year(year, ref) + external_jp_of_year(year, ref)


def _assessed_exists(ref: str = "pk"):
    return Exists(
        EmployeeCompetency.objects.filter(employee=OuterRef(ref), assessed_level__isnull=False)
    )


def _gap_exists(ref: str = "pk"):
    return Exists(EmployeeCompetency.objects.filter(employee=OuterRef(ref), gap__gt=0))


def _weak_skp_exists(period: EvaluationPeriod | None, ref: str = "pk"):
    qs = SkpResult.objects.filter(
        employee=OuterRef(ref), predicate__in=sorted(rules.WEAK_PREDICATES)
    )
    if period is not None:
        qs = qs.filter(period=period)
    else:
        qs = qs.none()
    return Exists(qs)


def employees_in(scope: Scope) -> QuerySet[Employee]:
    return Employee.objects.filter(scope.q("unit__path"), is_active=True)


def annotated_employees(scope: Scope, *, year: int, period: EvaluationPeriod | None):
    """Active employees of the scope with per-person facts as annotations."""
    return employees_in(scope).annotate(
        jp_year=jp_of_year(year),
        is_assessed=_assessed_exists(),
        has_gap=_gap_exists(),
        is_weak_skp=_weak_skp_exists(period),
    )


def _pct(part: int | None, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return rules.round_half_up(Decimal(100) * Decimal(part or 0) / Decimal(whole), 1)


# ---------------------------------------------------------------------------------------------
# Dashboard sections (overview and unit view)
# ---------------------------------------------------------------------------------------------


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
        "flagged": Count("pk", filter=Q(development_review=True) | Q(is_weak_skp=True)),
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
    row["assessed_pct"] = _pct(row["assessed"], row["total"])
    row["jp_compliant_pct"] = _pct(row["jp_compliant"], row["total"])
    row["with_gap_pct"] = _pct(row["with_gap"], row["total"])
    return row


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
            overdue=Count("pk", filter=Q(status__in=OPEN_STATES, due_date__lt=today)),
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


def _ikm_row(sums: dict, n: int):
    return skm_rules.ikm_from_sums({c: int(sums.get(c) or 0) for c in SKM_CODES}, n)


def ikm_by_group(scope: Scope, *, period: EvaluationPeriod | None) -> dict[str, dict]:
    """One aggregate query grouped by the feedback's unit, rolled up to the scope's groups
    (root unit for the city, sub-units for a unit view). Returns ``{group path: {responses,
    ikm, ...}}`` with the IKM computed by ``skm_rules.ikm_from_sums`` from the exact sums."""
    qs = ServiceFeedback.objects.filter(scope.q("unit__path"))
    qs = qs.filter(period=period) if period is not None else qs.none()
    rows = (
        qs.values("unit__path")
        .annotate(n=Count("pk"), **{f"s_{c}": Sum(c) for c in SKM_CODES})
        .order_by()
    )
    groups: dict[str, dict] = defaultdict(lambda: {"n": 0, **dict.fromkeys(SKM_CODES, 0)})
    total = {"n": 0, **dict.fromkeys(SKM_CODES, 0)}
    for r in rows:
        g = groups[scope.group_key(r["unit__path"])]
        for acc in (g, total):
            acc["n"] += r["n"]
            for c in SKM_CODES:
                acc[c] += r[f"s_{c}"] or 0
    result = {key: _ikm_row(acc, acc["n"]) for key, acc in groups.items()}
    result["__all__"] = _ikm_row(total, total["n"])
    return result


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
    :func:`ikm_by_group` is given): per group employees, assessed, with gap, JP compliance,
    flags, IKM."""
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
                "assessed_pct": _pct(g["assessed"], g["total"]),
                "jp_compliant_pct": _pct(g["jp_compliant"], g["total"]),
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
        .filter(Q(development_review=True) | Q(is_weak_skp=True))
        .annotate(
            gap_total=Coalesce(
                Subquery(
                    EmployeeCompetency.objects.filter(employee=OuterRef("pk"))
                    .order_by()
                    .values("employee")
                    .annotate(s=Sum("gap"))
                    .values("s"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
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


# ---------------------------------------------------------------------------------------------
# Unit view: employee list
# ---------------------------------------------------------------------------------------------

EMPLOYEE_SORTS = {
    "nama": ("name",),
    "gap": ("-gap_total", "name"),
    "-gap": ("gap_total", "name"),
    "jp": ("jp_year", "name"),
    "-jp": ("-jp_year", "name"),
}
DEFAULT_EMPLOYEE_SORT = "gap"


def employee_list(scope: Scope, *, year: int, period: EvaluationPeriod | None, sort: str):
    """A lazily evaluated queryset (one query per page) of the scope's employees with
    ``gap_total`` (sum of gaps), ``gap_count`` (competencies with a gap), ``jp_year`` and the
    development-review flags. ``sort`` is a key of :data:`EMPLOYEE_SORTS` ("gap": biggest
    gaps first; "jp": fewest JP first — the people to follow up)."""
    gaps = (
        EmployeeCompetency.objects.filter(employee=OuterRef("pk"))
        .order_by()
        .values("employee")
        .annotate(s=Sum("gap"), n=Count("pk", filter=Q(gap__gt=0)))
    )
    return (
        annotated_employees(scope, year=year, period=period)
        .annotate(
            gap_total=Coalesce(Subquery(gaps.values("s"), output_field=IntegerField()), Value(0)),
            gap_count=Coalesce(Subquery(gaps.values("n"), output_field=IntegerField()), Value(0)),
        )
        .select_related("unit", "position")
        .order_by(*EMPLOYEE_SORTS.get(sort, EMPLOYEE_SORTS[DEFAULT_EMPLOYEE_SORT]))
    )


# ---------------------------------------------------------------------------------------------
# Employee view: development history
# ---------------------------------------------------------------------------------------------

SOURCE_ORDER = ("assessment", "supervisor", "peer")


def _authoritative(levels_by_source: dict[str, list[int]]) -> tuple[int | None, str | None]:
    """DOMAIN.md: assessment, then supervisor (newest first in the lists), then the median of
    the peers rounded down."""
    for source in SOURCE_ORDER:
        levels = levels_by_source.get(source)
        if not levels:
            continue
        if source == "peer":
            return int(statistics.median(levels) // 1), source
        return levels[0], source
    return None, None


def evaluation_history(employee: Employee) -> dict:
    """One query: every score of the employee's final evaluations, arranged as competency ×
    period with the authoritative level per period (and the self-evaluation beside it)."""
    rows = (
        CompetencyScore.objects.filter(
            evaluation__employee=employee, evaluation__status=Evaluation.Status.FINAL
        )
        .order_by("evaluation__period__start", "-evaluation__finalized_at", "-evaluation_id")
        .values_list(
            "evaluation__period__code",
            "evaluation__period__name",
            "evaluation__source",
            "competency__code",
            "competency__name",
            "level",
        )
    )
    periods: dict[str, str] = {}
    comps: dict[str, str] = {}
    cells: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for period_code, period_name, source, comp_code, comp_name, level in rows:
        periods.setdefault(period_code, period_name)
        comps.setdefault(comp_code, comp_name)
        cells[(comp_code, period_code)][source].append(level)
    period_codes = list(periods)
    table = []
    for comp_code in sorted(comps):
        values = []
        for pc in period_codes:
            by_source = cells.get((comp_code, pc), {})
            level, source = _authoritative(by_source)
            self_levels = by_source.get("self") or []
            values.append(
                {
                    "level": level,
                    "source": source,
                    "self": self_levels[0] if self_levels else None,
                }
            )
        known = [v["level"] for v in values if v["level"] is not None]
        change = known[-1] - known[0] if len(known) >= 2 else None
        table.append(
            {"code": comp_code, "name": comps[comp_code], "values": values, "change": change}
        )
    return {
        "periods": [{"code": c, "name": periods[c]} for c in period_codes],
        "rows": table,
    }


def employee_profile_rows(employee: Employee) -> list[EmployeeCompetency]:
    return list(
        EmployeeCompetency.objects.filter(employee=employee)
        .select_related("competency")
        .order_by("competency__kind", "competency__code")
    )


def employee_needs(employee: Employee) -> list[TrainingNeed]:
    """Two queries: the needs and their assignments (with modules)."""
    return list(
        TrainingNeed.objects.filter(employee=employee)
        .select_related("competency", "period")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("module").order_by("-created_at"),
            )
        )
        .order_by("-period__start", "competency__code")
    )


def employee_assignments(employee: Employee) -> list[Assignment]:
    return list(
        Assignment.objects.filter(employee=employee)
        .select_related("module", "certificate")
        .order_by("-created_at")
    )


def employee_certificates(employee: Employee) -> list[Certificate]:
    return list(Certificate.objects.filter(employee=employee).order_by("-issued_at"))


def employee_jp_per_year(employee: Employee, *, external=None) -> list[dict]:
    """JP per year: SIKAP training plus approved external learning (``external``: the
    employee's ExternalLearning rows when already loaded, saving a query)."""
    from workflow.selectors import credited_assignments

    rows = (
        credited_assignments()
        .filter(employee=employee, completion_year__isnull=False)
        .values("completion_year")
        .annotate(jp=Sum("jp"), n=Count("pk"))
        .order_by("completion_year")
    )
    from workflow.external import external_jp_per_year  # approved external learning

    years: dict[int, list[int]] = {r["completion_year"]: [r["jp"] or 0, r["n"]] for r in rows}
    for year, (jp, n) in external_jp_per_year(employee, records=external).items():
        acc = years.setdefault(year, [0, 0])
        acc[0] += jp
        acc[1] += n
    return [
        {
            "year": year,
            "jp": jp,
            "trainings": n,
            "compliant": jp >= rules.JP_TARGET,
        }
        for year, (jp, n) in sorted(years.items())
    ]


def employee_feedback(employee: Employee, *, period: EvaluationPeriod | None) -> dict:
    """One query: responses about the employee (all time and in the period). The IKM is
    given only from :data:`MIN_EMPLOYEE_FEEDBACK` responses on (no single citizen can be
    identified); below that only the count is returned."""
    in_period = Q(period=period) if period is not None else Q(pk__in=[])
    agg = ServiceFeedback.objects.filter(employee=employee).aggregate(
        n=Count("pk"),
        n_period=Count("pk", filter=in_period),
        **{f"s_{c}": Sum(c) for c in SKM_CODES},
        **{f"s_{c}_period": Sum(c, filter=in_period) for c in SKM_CODES},
    )

    def block(n: int, suffix: str):
        if n < MIN_EMPLOYEE_FEEDBACK:
            return {"responses": n, "shown": False, "ikm": None}
        return {
            "responses": n,
            "shown": True,
            "ikm": _ikm_row({c: agg[f"s_{c}{suffix}"] for c in SKM_CODES}, n),
        }

    return {"all": block(agg["n"], ""), "period": block(agg["n_period"], "_period")}


def employee_skp(employee: Employee) -> list[SkpResult]:
    return list(
        SkpResult.objects.filter(employee=employee)
        .select_related("period")
        .order_by("-period__start")
    )


# ---------------------------------------------------------------------------------------------
# Training effectiveness
# ---------------------------------------------------------------------------------------------


def _addressed_needs(scope: Scope, period: EvaluationPeriod | None):
    qs = TrainingNeed.objects.filter(scope.q("employee__unit__path")).filter(
        Exists(Assignment.objects.filter(need=OuterRef("pk"), status__in=DONE_STATES))
    )
    if period is not None:
        qs = qs.filter(period=period)
    return qs


def effectiveness(scope: Scope, *, period: EvaluationPeriod | None) -> dict:
    """Two queries. For needs addressed by a completed training (an assignment of the need
    completed or certified): how many are closed (the next evaluation showed no gap), per
    competency and per module. ``share`` = closed / needs; ``pending`` = still marked
    "addressed" (not re-evaluated yet)."""
    needs = _addressed_needs(scope, period)
    per_comp = (
        needs.values("competency__code", "competency__name")
        .annotate(
            needs=Count("pk"),
            closed=Count("pk", filter=Q(status=TrainingNeed.Status.CLOSED)),
            pending=Count("pk", filter=Q(status=TrainingNeed.Status.ADDRESSED)),
        )
        .order_by("competency__code")
    )
    assignments = Assignment.objects.filter(status__in=DONE_STATES, need__in=needs)
    per_module = (
        assignments.values("module_id", "module__title")
        .annotate(
            needs=Count("need", distinct=True),
            closed=Count("need", distinct=True, filter=Q(need__status=TrainingNeed.Status.CLOSED)),
            pending=Count(
                "need", distinct=True, filter=Q(need__status=TrainingNeed.Status.ADDRESSED)
            ),
        )
        .order_by("module__title")
    )

    def finish(rows, name_key, code_key=None):
        out = []
        for r in rows:
            out.append(
                {
                    "code": r[code_key] if code_key else "",
                    "name": r[name_key],
                    "needs": r["needs"],
                    "closed": r["closed"],
                    "pending": r["pending"],
                    "share": _pct(r["closed"], r["needs"]),
                }
            )
        return out

    comp_rows = finish(per_comp, "competency__name", "competency__code")
    module_rows = finish(per_module, "module__title")
    module_rows.sort(key=lambda r: (-(r["share"] or 0), r["name"]))
    total = sum(r["needs"] for r in comp_rows)
    closed = sum(r["closed"] for r in comp_rows)
    pending = sum(r["pending"] for r in comp_rows)
    return {
        "competencies": comp_rows,
        "modules": module_rows,
        "needs": total,
        "closed": closed,
        "pending": pending,
        "share": _pct(closed, total),
    }


# ---------------------------------------------------------------------------------------------
# National training history (SIASN riwayat kursus)
# ---------------------------------------------------------------------------------------------

JENIS_TEKNIS = "teknis"
JENIS_MANAJERIAL = "manajerial"
JENIS_FUNGSIONAL = "fungsional"
# SIASN knows teknis / manajerial / fungsional. Our competency kinds map as: teknis → teknis,
# manajerial → manajerial, sosial_kultural → manajerial (SIASN has no sosial-kultural kind and
# PermenPANRB 38/2017 groups it with the managerial standard). "fungsional" (training for a
# functional position) cannot be derived from competencies; it is never produced here.
KIND_TO_JENIS = {
    "teknis": JENIS_TEKNIS,
    "manajerial": JENIS_MANAJERIAL,
    "sosial_kultural": JENIS_MANAJERIAL,
}
RIWAYAT_KURSUS_FIELDS = (
    "nipBaru",
    "namaKursus",
    "jenisKursus",
    "jumlahJam",
    "tahunKursus",
    "tanggalKursus",
    "tanggalSelesaiKursus",
    "nomorSertipikat",
    "institusiPenyelenggara",
)


def period_date_range(code: str, periods: list[EvaluationPeriod]) -> tuple[date, date] | None:
    """An evaluation period's dates, or a calendar year for a bare ``YYYY``."""
    for p in periods:
        if p.code == code:
            return p.start, p.end
    if len(code) == 4 and code.isdigit():
        year = int(code)
        return date(year, 1, 1), date(year, 12, 31)
    return None


def _local(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min), rules.JAKARTA)


def _ddmmyyyy(dt: datetime | None) -> str:
    if dt is None:
        return ""
    return timezone.localtime(dt, rules.JAKARTA).strftime("%d-%m-%Y")


def module_jenis(module_ids) -> dict[int, str]:
    """One query: SIASN ``jenisKursus`` per module from its first (main) competency."""
    out: dict[int, str] = {}
    rows = (
        ModuleCompetency.objects.filter(page_id__in=module_ids)
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "competency__kind")
    )
    for page_id, kind in rows:
        out.setdefault(page_id, KIND_TO_JENIS.get(kind, JENIS_TEKNIS))
    return out


def training_history(scope: Scope, *, start: date, end: date) -> list[dict]:
    """Two queries: completed, certified (not revoked) training completed between ``start``
    and ``end`` (Asia/Jakarta dates, inclusive) as SIASN riwayat-kursus records.

    ``jumlahJam`` carries the JP of the training: SIASN records training hours as jam
    pelajaran (1 JP = 45 minutes), the figure printed on the certificate — not clock hours.
    ``tanggalKursus`` is the day the employee started (first lesson), else the day it was
    assigned."""
    certs = list(
        Certificate.objects.filter(
            scope.q("employee__unit__path"),
            revoked_at__isnull=True,
            assignment__status=Assignment.Status.CERTIFIED,
            completed_at__gte=_local(start),
            completed_at__lt=_local(end + timedelta(days=1)),
        )
        .select_related("employee", "assignment")
        .order_by("completed_at", "number")
    )
    jenis = module_jenis({c.module_id for c in certs})
    out = []
    for c in certs:
        a = c.assignment
        started = a.started_at or a.approved_at or a.created_at
        out.append(
            {
                "nipBaru": c.employee.nip,
                "namaKursus": c.module_title,
                "jenisKursus": jenis.get(c.module_id, JENIS_TEKNIS),
                "jumlahJam": c.jp,
                "tahunKursus": timezone.localtime(c.completed_at, rules.JAKARTA).year,
                "tanggalKursus": _ddmmyyyy(started),
                "tanggalSelesaiKursus": _ddmmyyyy(c.completed_at),
                "nomorSertipikat": c.number,
                "institusiPenyelenggara": INSTITUSI_PENYELENGGARA,
            }
        )
    from workflow.external import training_history_external  # approved, one query

    out.extend(training_history_external(scope, start=start, end=end))
    return out


# ---------------------------------------------------------------------------------------------
# API: unit report
# ---------------------------------------------------------------------------------------------


def unit_report(unit: OrganizationUnit, *, period: EvaluationPeriod | None) -> dict:
    """Two queries: per-competency gap figures and JP compliance for a unit and its
    sub-units (see ``reports.api.unit_report`` for the schema)."""
    scope = Scope.for_unit(unit)
    year = report_year(period)
    jp = (
        employees_in(scope)
        .annotate(jp_year=jp_of_year(year))
        .aggregate(
            employees=Count("pk"), compliant=Count("pk", filter=Q(jp_year__gte=rules.JP_TARGET))
        )
    )
    return {
        "unit": {"code": unit.code, "name": unit.name},
        "period": {"code": period.code, "name": period.name} if period else None,
        "year": year,
        "employees": jp["employees"],
        "competencies": [
            {
                "code": r["code"],
                "name": r["name"],
                "kind": r["kind"],
                "employees_required": r["required"],
                "employees_assessed": r["assessed"],
                "employees_with_gap": r["with_gap"],
                "mean_gap": float(r["mean_gap"]) if r["mean_gap"] is not None else None,
            }
            for r in competency_gaps(scope)
        ],
        "jp_compliance": {
            "year": year,
            "target_jp": rules.JP_TARGET,
            "employees": jp["employees"],
            "employees_compliant": jp["compliant"],
            "share": float(_pct(jp["compliant"], jp["employees"])) if jp["employees"] else None,
        },
    }
