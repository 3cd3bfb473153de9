"""Training effectiveness: of the needs a completed training addressed, the share the next
evaluation closed, per competency and per module."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from kompetensi.models import EvaluationPeriod
from workflow.models import Assignment, TrainingNeed

from .scope import Scope, pct


def _addressed_needs(scope: Scope, period: EvaluationPeriod | None):
    qs = TrainingNeed.objects.filter(scope.q("employee__unit__path")).filter(
        Exists(Assignment.objects.filter(need=OuterRef("pk"), status__in=Assignment.DONE_STATES))
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
    assignments = Assignment.objects.filter(status__in=Assignment.DONE_STATES, need__in=needs)
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
                    "share": pct(r["closed"], r["needs"]),
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
        "share": pct(closed, total),
    }
