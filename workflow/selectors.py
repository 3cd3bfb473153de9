"""Reads that feed pages, reports and the API (workflow).

What portal's pages show of the workflow, registered in ``WorkflowConfig.ready`` (core/hooks.py):
learner_home(*, user) -> dict (``hooks.HOME_LEARNER``) with keys
``assignments`` (open assignments with module, due_date, status, progress percent, overdue),
``jp_this_year`` (int), ``jp_target`` (``rules.JP_TARGET``), ``certificates_count``,
``done_module_ids`` (completed or certified modules);
assignment_status_for_module(user, module) (``hooks.MODULE_ASSIGNMENT_STATUS``);
employee_summary(employee) -> {"jp_this_year", "open_needs"} (``hooks.EMPLOYEE_SUMMARY``).

JP that count: ``credited_assignments()`` (completed/certified, certificate not revoked) plus
approved external learning; every JP figure is summed from it.

Also: jp_for_employee(*, employee, year=None) -> int; open_needs_count(*, employee) -> int;
my_training(*, user) -> dict; recommendation_list(*, user, filters) -> QuerySet;
needs_without_module(*, user, period=None) -> list[DemandRow];
certificate_by_code / certificate_status (re-exported from ``certificates/verification.py``);
certificates_in_scope(user, *, unit_code, year, revoked) -> QuerySet | None (HR's list, ZIP);
certificate_list(user, *, unit_code, year, revoked, q) -> QuerySet | None (/sdm/sertifikat/);
certificate_for_download(user, *, code="", number="") -> Certificate | None (holder, HR).
Every function runs a fixed number of queries whatever the data size.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from kompetensi import rules
from kompetensi.models import unit_subtree_q
from kompetensi.selectors import employee_search_q

from .certificates.verification import certificate_by_code, certificate_status  # noqa: F401
from .models import Assignment, Certificate, TrainingNeed

S = Assignment.Status
OPEN_STATES = Assignment.OPEN_STATES
ACTIVE_STATES = Assignment.ACTIVE_STATES
DONE_STATES = Assignment.DONE_STATES
jakarta_today = rules.jakarta_today


def jakarta_year() -> int:
    return jakarta_today().year


def is_overdue(assignment: Assignment, today=None) -> bool:
    today = today or jakarta_today()
    return bool(
        assignment.status in ACTIVE_STATES and assignment.due_date and assignment.due_date < today
    )


def credited_assignments() -> QuerySet[Assignment]:
    """THE definition of training whose JP count (home, Kinerja Saya, the summary API, the HR
    dashboards and reports, the JP-per-year tables): completed or certified assignments,
    except those whose certificate was revoked. Approved external learning counts beside
    them (``workflow.external``). Every JP sum of SIKAP starts from this queryset."""
    revoked = Certificate.objects.filter(assignment=OuterRef("pk"), revoked_at__isnull=False)
    return Assignment.objects.filter(status__in=DONE_STATES).filter(~Exists(revoked))


def jp_counts(assignment: Assignment) -> bool:
    """Whether the JP of one loaded assignment (its ``certificate`` selected with it) count:
    :func:`credited_assignments` for a row in hand — done, and its certificate, if any, not
    revoked."""
    if assignment.status not in DONE_STATES:
        return False
    cert = getattr(assignment, "certificate", None) if assignment.status == S.CERTIFIED else None
    return not (cert is not None and cert.revoked_at)


def assignment_jp_of_year(year: int, ref: str = "pk"):
    """Correlated subquery: the JP of :func:`credited_assignments` of the employee
    ``OuterRef(ref)`` completed in ``year`` (Asia/Jakarta), 0 when none."""
    total = (
        credited_assignments()
        .filter(employee=OuterRef(ref), completion_year=year)
        .order_by()
        .values("employee")
        .annotate(s=Sum("jp"))
        .values("s")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def jp_for_employee(*, employee, year: int | None = None) -> int:
    """JP credited in ``year`` (Asia/Jakarta calendar year of completion)."""
    year = year or jakarta_year()
    # One query: SIKAP assignments completed in the year + approved external learning ending
    # in it (workflow.external).
    from kompetensi.models import Employee

    from .external import external_jp_of_year

    row = (
        Employee.objects.filter(pk=employee.pk)
        .annotate(a=assignment_jp_of_year(year), e=external_jp_of_year(year))
        .values_list("a", "e")
        .first()
    )
    return int(sum(row)) if row else 0


def open_needs_count(*, employee) -> int:
    return TrainingNeed.objects.filter(
        employee=employee, status__in=TrainingNeed.OPEN_STATES
    ).count()


def employee_summary(employee) -> dict:
    """``hooks.EMPLOYEE_SUMMARY`` for kompetensi (GET /employees/{nip}/summary, Kinerja Saya)."""
    return {
        "jp_this_year": jp_for_employee(employee=employee),
        "open_needs": open_needs_count(employee=employee),
    }


def _employee_for(user):
    from kompetensi.models import Employee

    if not (user and user.is_authenticated):
        return None
    return Employee.objects.filter(user=user).first()


def _decorate(assignments: list[Assignment], user) -> list[Assignment]:
    from portal.progress import progress_for_modules

    percents = progress_for_modules(user=user, module_ids={a.module_id for a in assignments})
    today = jakarta_today()
    for a in assignments:
        a.overdue = is_overdue(a, today)
        a.progress_percent = 100 if a.status in DONE_STATES else percents.get(a.module_id, 0)
    return assignments


def learner_home(*, user) -> dict:
    from kompetensi.models import Employee

    from .external import external_jp_of_year

    if not (user and user.is_authenticated):
        employee = None
    else:
        # The employee with this year's JP and the certificate count in one query.
        year = jakarta_year()
        certificates = (
            Certificate.objects.filter(employee=OuterRef("pk"), revoked_at__isnull=True)
            .order_by()
            .values("employee")
            .annotate(n=Count("pk"))
            .values("n")
        )
        employee = (
            Employee.objects.filter(user=user)
            .annotate(
                jp_a=assignment_jp_of_year(year),
                jp_e=external_jp_of_year(year),
                certificates_n=Coalesce(
                    Subquery(certificates, output_field=IntegerField()), Value(0)
                ),
            )
            .first()
        )
    if employee is None:
        return {"assignments": [], "jp_this_year": 0, "jp_target": rules.JP_TARGET,
                "certificates_count": 0, "done_module_ids": []}  # fmt: skip
    assignments = list(
        Assignment.objects.filter(employee=employee, status__in=ACTIVE_STATES)
        .select_related("module")
        .order_by("due_date", "pk")[:20]
    )
    return {
        "assignments": _decorate(assignments, user),
        "jp_this_year": int(employee.jp_a + employee.jp_e),
        "jp_target": rules.JP_TARGET,
        "certificates_count": employee.certificates_n,
        # Modules already done are never suggested again (portal's home page).
        "done_module_ids": sorted(
            set(
                Assignment.objects.filter(employee=employee, status__in=DONE_STATES).values_list(
                    "module_id", flat=True
                )
            )
        ),
    }


def assignment_status_for_module(user, module) -> str | None:
    """``hooks.MODULE_ASSIGNMENT_STATUS``: the status of ``user``'s latest assignment to
    ``module`` that was not cancelled (the module page's progress box), or None."""
    assignment = (
        Assignment.objects.filter(employee__user=user, module=module)
        .exclude(status=Assignment.Status.CANCELLED)
        .order_by("-created_at")
        .only("status")
        .first()
    )
    return assignment.status if assignment else None


def my_training(*, user) -> dict:
    """Everything for /pelatihan-saya/ (fixed number of queries)."""
    employee = _employee_for(user)
    if employee is None:
        return {"employee": None}
    assignments = list(
        Assignment.objects.filter(employee=employee)
        .exclude(status=S.CANCELLED)
        .select_related("module", "certificate")
        .order_by("-created_at")[:200]
    )
    _decorate(assignments, user)
    from portal.progress import progress_many

    active = [a for a in assignments if a.status in ACTIVE_STATES]
    exact = progress_many(user=user, modules={a.module_id: a.module for a in active}.values())
    for a in active:
        progress = exact.get(a.module_id)
        if progress is not None:
            a.progress_percent = progress.percent
            a.checklist = progress.checklist
    for a in assignments:
        if a.status in DONE_STATES:
            a.jp_credited = jp_counts(a)
    year = jakarta_year()
    jp = jp_for_employee(employee=employee, year=year)
    certificates = list(Certificate.objects.filter(employee=employee).order_by("-issued_at")[:200])
    now = timezone.now()
    for cert in certificates:
        cert.status = certificate_status(cert, now)
        cert.code_grouped = rules.group_code(cert.verification_code)
    return {
        "employee": employee,
        "open": [a for a in assignments if a.status in ACTIVE_STATES],
        "recommended": [a for a in assignments if a.status == S.RECOMMENDED],
        "done": [a for a in assignments if a.status in DONE_STATES],
        "certificates": certificates,
        "jp_this_year": jp,
        "jp_target": rules.JP_TARGET,
        "jp_percent": min(100, round(100 * jp / rules.JP_TARGET)),
        "year": year,
        "open_needs": open_needs_count(employee=employee),
    }


def employee_assignments(*, employee) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(employee=employee)
        .select_related("module", "certificate")
        .order_by("-created_at", "-pk")
    )


def recommendation_list(*, user, filters: dict | None = None) -> QuerySet[Assignment]:
    """HR's list of assignments (default: recommended), scoped to the officer's units."""
    from .permissions import assignments_managed_by

    filters = filters or {}
    query = assignments_managed_by(user).select_related(
        "employee__unit", "module", "need__competency", "need__period"
    )
    status = filters.get("status") or S.RECOMMENDED
    if status == "overdue":
        query = query.filter(status__in=ACTIVE_STATES, due_date__lt=jakarta_today())
    elif status != "all":
        query = query.filter(status=status)
    if filters.get("unit"):
        unit = filters["unit"]
        query = query.filter(unit_subtree_q("employee__unit__path", [unit.path]))
    if filters.get("module"):
        query = query.filter(module_id=filters["module"])
    if filters.get("competency"):
        query = query.filter(need__competency_id=filters["competency"])
    if filters.get("period"):
        query = query.filter(need__period__code=filters["period"])
    if filters.get("q"):
        q = filters["q"].strip()
        query = query.filter(employee_search_q(q, "employee__"))
    return query.order_by("employee__unit__path", "employee__name", "pk")


@dataclass
class DemandRow:
    competency_code: str
    competency_name: str
    required_level: int
    needs: int
    best_available: int | None  # highest target level of a live module, if any


def needs_without_module(*, user, period_code: str | None = None) -> list[DemandRow]:
    """ "Kebutuhan tanpa modul": open needs no live module fits, per competency × level."""
    from kompetensi.models import Competency
    from kompetensi.permissions import employees_managed_by

    from .services import match_module, module_index

    needs = TrainingNeed.objects.filter(
        status=TrainingNeed.Status.OPEN, employee__in=employees_managed_by(user)
    ).exclude(assignments__status__in=(*OPEN_STATES, *DONE_STATES))
    if period_code:
        needs = needs.filter(period__code=period_code)
    grouped = (
        needs.values("competency_id", "required_level")
        .annotate(n=Count("pk"))
        .order_by("competency_id", "required_level")
    )
    index = module_index()
    rows: dict[tuple[int, int], int] = {}
    for row in grouped:
        candidates = index.get(row["competency_id"], [])
        if match_module(candidates, required_level=row["required_level"]) is None:
            rows[(row["competency_id"], row["required_level"])] = row["n"]
    competencies = {
        c.pk: c for c in Competency.objects.filter(pk__in={k[0] for k in rows}).only("code", "name")
    }
    result = []
    for (competency_id, level), n in rows.items():
        candidates = index.get(competency_id, [])
        competency = competencies[competency_id]
        result.append(
            DemandRow(
                competency_code=competency.code,
                competency_name=competency.name,
                required_level=level,
                needs=n,
                best_available=max((c.target_level for c in candidates), default=None),
            )
        )
    result.sort(key=lambda r: (-r.needs, r.competency_code, r.required_level))
    return result


def needs_visible_to(user) -> QuerySet[TrainingNeed]:
    from kompetensi.permissions import employees_managed_by

    from .permissions import can_manage_assignments

    if not can_manage_assignments(user):
        return TrainingNeed.objects.none()
    return TrainingNeed.objects.filter(employee__in=employees_managed_by(user))


def need_list(*, user, filters: dict | None = None) -> QuerySet[TrainingNeed]:
    filters = filters or {}
    query = needs_visible_to(user).select_related("employee__unit", "competency", "period")
    if filters.get("status") and filters["status"] != "all":
        query = query.filter(status=filters["status"])
    if filters.get("period"):
        query = query.filter(period__code=filters["period"])
    if filters.get("q"):
        q = filters["q"].strip()
        query = query.filter(employee_search_q(q, "employee__"))
    return query.order_by("employee__unit__path", "employee__name", "competency__code", "pk")


# ------------------------------------------------------------------------------------------
# Certificates: HR's list and the PDF download
# ------------------------------------------------------------------------------------------


def certificates_in_scope(
    user, *, unit_code: str = "", year: int | None = None, revoked: bool | None = None
) -> QuerySet[Certificate] | None:
    """The certificates of the employees in the officer's scope
    (``permissions.certificates_managed_by``; none for a user without HR authority), of a
    unit and its sub-units, an issue year and/or revoked or not; newest first. None when
    ``unit_code`` names a unit the officer may not see (or none at all): not told apart."""
    from kompetensi.permissions import units_visible_to

    from .permissions import certificates_managed_by

    query = certificates_managed_by(user)
    if unit_code:
        unit = units_visible_to(user).filter(code=unit_code).only("path").first()
        if unit is None:
            return None
        query = query.filter(unit_subtree_q("employee__unit__path", [unit.path]))
    if year:
        query = query.filter(year=year)
    if revoked is not None:
        query = query.filter(revoked_at__isnull=not revoked)
    return query.order_by("-issued_at", "-pk")


CERTIFICATE_NUMBER_MAX = Certificate._meta.get_field("number").max_length


def certificate_for_download(user, *, code: str = "", number: str = "") -> Certificate | None:
    """The certificate whose PDF ``user`` may download (the holder, HR whose scope covers the
    holder: ``permissions.certificates_visible_to``), by verification code or by number; None
    otherwise (the caller answers 404 either way)."""
    from .permissions import certificates_visible_to

    query = certificates_visible_to(user).select_related("employee")
    if code:
        normal = rules.normalise_code(code)
        if not rules.is_verification_code(normal):
            return None
        return query.filter(verification_code=normal).first()
    if not number or len(number) > CERTIFICATE_NUMBER_MAX or "\x00" in number:
        return None
    return query.filter(number=number).first()


def certificate_list(
    user,
    *,
    unit_code: str = "",
    year: int | None = None,
    revoked: bool | None = None,
    q: str = "",
) -> QuerySet[Certificate] | None:
    """HR's certificate page (/sdm/sertifikat/): ``certificates_in_scope`` with its filters,
    searched by the holder's name or NIP (``employee_search_q``) or the certificate number;
    the holder and unit loaded with each row (one query per page). None for a unit outside
    the officer's scope, as ``certificates_in_scope``."""
    from django.db.models import Q

    query = certificates_in_scope(user, unit_code=unit_code, year=year, revoked=revoked)
    if query is None:
        return None
    q = (q or "").strip()
    if q:
        query = query.filter(employee_search_q(q, "employee__") | Q(number__icontains=q))
    return query.select_related("employee__unit")


def certificate_years(user) -> list[int]:
    """The issue years of the certificates in the officer's scope, newest first (one query)."""
    from .permissions import certificates_managed_by

    return list(
        certificates_managed_by(user).order_by("-year").values_list("year", flat=True).distinct()
    )
