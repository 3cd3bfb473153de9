"""One employee's development history for HR: competency profile and JPM, evaluations over
the periods, training needs, assignments, certificates, external learning, JP per year,
citizen feedback (aggregate) and SKP, with the figures the page states about them."""

from __future__ import annotations

import statistics
from collections import defaultdict

from django.db.models import Prefetch

from kompetensi import selectors as kompetensi_selectors
from kompetensi.models import (
    CompetencyScore,
    Employee,
    EmployeeCompetency,
    Evaluation,
    EvaluationPeriod,
    SkpResult,
)
from workflow.external import external_for_employee
from workflow.models import Assignment, Certificate, TrainingNeed
from workflow.selectors import jp_counts

from .jp import employee_jp_per_year, jp_in_year
from .skm import employee_feedback

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
    """The employee's assignments (with module and certificate), newest first, each with
    ``jp_counted`` (``workflow.selectors.jp_counts``)."""
    rows = list(
        Assignment.objects.filter(employee=employee)
        .select_related("module", "certificate")
        .order_by("-created_at")
    )
    for a in rows:
        a.jp_counted = jp_counts(a)
    return rows


def employee_certificates(employee: Employee) -> list[Certificate]:
    return list(Certificate.objects.filter(employee=employee).order_by("-issued_at"))


def employee_skp(employee: Employee) -> list[SkpResult]:
    return list(
        SkpResult.objects.filter(employee=employee)
        .select_related("period")
        .order_by("-period__start")
    )


def development_history(employee: Employee, *, period: EvaluationPeriod | None, year: int) -> dict:
    """Everything HR's employee page and its exports show about ``employee`` (a fixed number
    of queries), with the figures stated on the page: ``jpm``/``ikk``/``jpm_category``
    (``kompetensi.selectors.jpm_figures``), ``jp_this_year`` (JP of the report ``year``),
    ``open_needs`` (needs in the state "Terbuka": no training has addressed them yet; the
    summary API's ``open_needs`` counts ``TrainingNeed.OPEN_STATES``, addressed ones too),
    ``weak_skp`` (``kompetensi.selectors.has_weak_skp`` in ``period``) and ``needs_review``
    (HR's flag or a weak SKP)."""
    profile = employee_profile_rows(employee)
    history = evaluation_history(employee)
    needs = employee_needs(employee)
    assignments = employee_assignments(employee)
    certificates = employee_certificates(employee)
    external = external_for_employee(employee)  # one query, also feeds the JP per year
    jp_years = employee_jp_per_year(employee, external=external)
    feedback = employee_feedback(employee, period=period)
    skp = employee_skp(employee)
    weak_skp = kompetensi_selectors.has_weak_skp(skp, period)
    return {
        "profile": profile,
        "history": history,
        "needs": needs,
        "assignments": assignments,
        "certificates": certificates,
        "external": external,
        "jp_years": jp_years,
        "feedback": feedback,
        "skp": skp,
        **kompetensi_selectors.jpm_figures(profile),
        "jp_this_year": jp_in_year(jp_years, year),
        "open_needs": sum(1 for n in needs if n.status == TrainingNeed.Status.OPEN),
        "weak_skp": weak_skp,
        "needs_review": bool(employee.development_review or weak_skp),
    }
