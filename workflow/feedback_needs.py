"""Citizen feedback → training need (DOMAIN.md, "Feedback → need", SIKAP's rule).

An employee with at least ``skm.rules.U7_MIN_RESPONSES`` SKM responses naming them in a period
whose mean on u7 *Perilaku Pelaksana* is below ``skm.rules.U7_NEED_THRESHOLD`` gets a training need
for M.5 Pelayanan Publik and M.3 Komunikasi in that period, at their position's required level
(``PositionRequirement``; without one the regulation's default for the position kind), origin
"umpan balik masyarakat", ``needs_confirmation=True`` for HR to confirm.

It lives in workflow (training needs are workflow's; the survey app sits below it): skm sends
``skm.services.feedback_submitted`` on commit and the receiver below (connected when this module
is imported, from ``WorkflowConfig.ready``) calls :func:`raise_needs_from_feedback`.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.dispatch import receiver

from kompetensi import rules
from kompetensi.models import Competency, Employee, EmployeeCompetency, PositionRequirement
from kompetensi.services import people_changed
from skm import rules as skm_rules
from skm.models import ServiceFeedback
from skm.services import feedback_submitted

from .models import TrainingNeed

#: The competencies a low u7 points at (DOMAIN.md): pelayanan publik, komunikasi.
FEEDBACK_COMPETENCY_CODES = ("M.5", "M.3")


def employees_below_threshold(*, period_id: int, employee_ids: Iterable[int] | None = None):
    """``{employee_id: (responses, mean u7)}`` of the employees the rule applies to (one
    grouped query; the comparison is exact, in ``skm.rules.feedback_needs_training``)."""
    rows = ServiceFeedback.objects.filter(period_id=period_id, employee_id__isnull=False)
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=list(employee_ids))
    rows = (
        rows.values("employee_id")
        .annotate(n=Count("id"), u7=Sum("u7"))
        .filter(n__gte=skm_rules.U7_MIN_RESPONSES)
        .order_by()
    )
    out = {}
    for row in rows:
        mean = Fraction(int(row["u7"]), int(row["n"]))
        if skm_rules.feedback_needs_training(mean, int(row["n"])):
            out[row["employee_id"]] = (int(row["n"]), mean)
    return out


@transaction.atomic
def raise_needs_from_feedback(*, period_id: int, employee_ids: Iterable[int] | None = None) -> int:
    """Create the feedback needs of ``period_id`` (for ``employee_ids`` only, when given) and
    return how many were created. Set-based (a fixed number of queries) and idempotent: a pair
    employee × competency that already has a need in this period, or an open/addressed need in
    any period, gets none."""
    flagged = employees_below_threshold(period_id=period_id, employee_ids=employee_ids)
    if not flagged:
        return 0
    competencies = list(Competency.objects.filter(code__in=FEEDBACK_COMPETENCY_CODES))
    if not competencies:
        return 0
    employees = list(
        Employee.objects.filter(pk__in=list(flagged), is_active=True, position__isnull=False)
        .select_related("position")
        .only("id", "position__id", "position__kind", "position__jenjang")
    )
    competency_ids = [c.pk for c in competencies]
    required = {
        (position_id, competency_id): level
        for position_id, competency_id, level in PositionRequirement.objects.filter(
            position_id__in={e.position_id for e in employees}, competency_id__in=competency_ids
        ).values_list("position_id", "competency_id", "level")
    }
    assessed = {
        (employee_id, competency_id): level
        for employee_id, competency_id, level in EmployeeCompetency.objects.filter(
            employee_id__in=[e.pk for e in employees], competency_id__in=competency_ids
        ).values_list("employee_id", "competency_id", "assessed_level")
    }
    have = set(
        TrainingNeed.objects.filter(
            Q(period_id=period_id) | Q(status__in=TrainingNeed.OPEN_STATES),
            employee_id__in=[e.pk for e in employees],
            competency_id__in=competency_ids,
        ).values_list("employee_id", "competency_id")
    )
    new = []
    for employee in employees:
        for competency in competencies:
            if (employee.pk, competency.pk) in have:
                continue
            level = required.get((employee.position_id, competency.pk))
            if level is None:
                try:
                    level = rules.required_level_for_position(
                        employee.position.kind, employee.position.jenjang or None
                    )
                except rules.RuleError:
                    continue
            now_level = assessed.get((employee.pk, competency.pk))
            gap = level if now_level is None else rules.gap(level, now_level)
            new.append(
                TrainingNeed(
                    employee_id=employee.pk,
                    competency_id=competency.pk,
                    period_id=period_id,
                    required_level=level,
                    assessed_level=now_level,
                    gap=gap,
                    origin=TrainingNeed.Origin.FEEDBACK,
                    status=TrainingNeed.Status.OPEN,
                    needs_confirmation=True,
                )
            )
    created = TrainingNeed.objects.bulk_create(new, ignore_conflicts=True)
    if created:  # cache versions (core/dataversion.py)
        people_changed(sorted({n.employee_id for n in new}))
    return len(created)


@receiver(feedback_submitted, dispatch_uid="workflow.feedback_needs")
def _on_feedback_submitted(
    sender, period_id=None, employee_id=None, employee_ids=None, **kwargs
) -> None:
    ids = list(employee_ids or ([employee_id] if employee_id else []))
    if period_id and ids:
        raise_needs_from_feedback(period_id=period_id, employee_ids=ids)
