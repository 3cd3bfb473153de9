"""JP (jam pelajaran) in the reports: what an employee earned per year, and the yearly target
(``rules.JP_TARGET``). Every figure starts from ``workflow.selectors.credited_assignments``
(completed/certified training whose certificate was not revoked) plus approved external
learning (``workflow.external``)."""

from __future__ import annotations

from django.db.models import Count, Sum

from kompetensi import rules
from kompetensi.models import Employee
from workflow.external import external_jp_of_year, external_jp_per_year
from workflow.selectors import assignment_jp_of_year, credited_assignments


def jp_of_year(year: int, ref: str = "pk"):
    """Correlated subquery: JP an employee earned in ``year`` (0 when none): the training that
    counts (``workflow.selectors.credited_assignments``: a revoked certificate's JP do not)
    plus approved external learning."""
    return assignment_jp_of_year(year, ref) + external_jp_of_year(year, ref)


def employee_jp_per_year(employee: Employee, *, external=None) -> list[dict]:
    """JP per year: SIKAP training plus approved external learning (``external``: the
    employee's ExternalLearning rows when already loaded, saving a query). Each row:
    ``year``, ``jp``, ``trainings`` and ``compliant`` (≥ ``rules.JP_TARGET``)."""
    rows = (
        credited_assignments()
        .filter(employee=employee, completion_year__isnull=False)
        .values("completion_year")
        .annotate(jp=Sum("jp"), n=Count("pk"))
        .order_by("completion_year")
    )
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


def jp_in_year(jp_years: list[dict], year: int) -> int:
    """The JP of ``year`` in the rows of :func:`employee_jp_per_year` (0 when none)."""
    return next((r["jp"] for r in jp_years if r["year"] == year), 0)
