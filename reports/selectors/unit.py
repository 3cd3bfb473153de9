"""One unit (with its sub-units): the unit view's employee list and the unit report of the
API."""

from __future__ import annotations

from django.db.models import Count, Q

from kompetensi import rules
from kompetensi.models import EvaluationPeriod, OrganizationUnit

from .dashboard import annotated_employees, competency_gaps, employees_in, gap_totals
from .jp import jp_of_year
from .scope import Scope, pct, report_year

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


def employee_sort(requested: str | None) -> str:
    """The requested sort when it is one of :data:`EMPLOYEE_SORTS`, else the default."""
    return requested if requested in EMPLOYEE_SORTS else DEFAULT_EMPLOYEE_SORT


def employee_list(scope: Scope, *, year: int, period: EvaluationPeriod | None, sort: str):
    """A lazily evaluated queryset (one query per page) of the scope's employees with
    ``gap_total`` (sum of gaps), ``gap_count`` (competencies with a gap), ``jp_year`` and the
    development-review flags. ``sort`` is a key of :data:`EMPLOYEE_SORTS` ("gap": biggest
    gaps first; "jp": fewest JP first — the people to follow up)."""
    return (
        annotated_employees(scope, year=year, period=period)
        .annotate(**gap_totals())
        .select_related("unit", "position")
        .order_by(*EMPLOYEE_SORTS[employee_sort(sort)])
    )


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
            "share": float(pct(jp["compliant"], jp["employees"])) if jp["employees"] else None,
        },
    }
