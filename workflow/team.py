"""Each report's training this year on the supervisor's "Tim saya" (``core.hooks.TEAM_TRAINING``,
registered in ``WorkflowConfig.ready``): JP credited this year (the same sum as Kinerja Saya and
the home page: :func:`workflow.selectors.credited_assignments` plus approved external learning),
assignments being followed, how many of them are past their due date, and how many were
completed this year. One query for any number of employees."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from kompetensi import rules

from .external import external_jp_of_year
from .models import Assignment
from .selectors import ACTIVE_STATES, DONE_STATES, assignment_jp_of_year, jakarta_today


def _count(condition: Q):
    """Correlated subquery: the employee's assignments matching ``condition`` (0 when none)."""
    rows = (
        Assignment.objects.filter(condition, employee=OuterRef("pk"))
        .order_by()
        .values("employee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def team_training(employee_ids) -> dict[int, dict]:
    from kompetensi.models import Employee

    ids = list(employee_ids)
    if not ids:
        return {}
    today = jakarta_today()
    active = Q(status__in=ACTIVE_STATES)
    rows = (
        Employee.objects.filter(pk__in=ids)
        .order_by()
        .annotate(
            jp_a=assignment_jp_of_year(today.year),
            jp_e=external_jp_of_year(today.year),
            n_active=_count(active),
            n_overdue=_count(active & Q(due_date__lt=today)),
            n_done=_count(Q(status__in=DONE_STATES, completion_year=today.year)),
        )
        .values_list("pk", "jp_a", "jp_e", "n_active", "n_overdue", "n_done")
    )
    return {
        pk: {
            "jp_this_year": int(jp_a + jp_e),
            "jp_target": rules.JP_TARGET,
            "active": n_active,
            "overdue": n_overdue,
            "done": n_done,
        }
        for pk, jp_a, jp_e, n_active, n_overdue, n_done in rows
    }
