"""Citizen satisfaction (IKM) in the HR reports: per unit group of a dashboard and about one
employee. The sums and the IKM are skm's (``skm.selectors.ikm_sums`` / ``ikm_of``)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from kompetensi.models import Employee, EvaluationPeriod
from skm import selectors as skm_selectors
from skm.models import ServiceFeedback

from .scope import Scope

# Feedback about one person is shown only in aggregate and from this many responses on.
MIN_EMPLOYEE_FEEDBACK = skm_selectors.EMPLOYEE_SUMMARY_MIN_RESPONSES


def ikm_by_group(scope: Scope, *, period: EvaluationPeriod | None) -> dict:
    """One aggregate query grouped by the feedback's unit, rolled up to the scope's groups
    (root unit for the city, sub-units for a unit view). Returns ``{group path: IkmResult}``
    and the whole scope under ``"__all__"``."""
    qs = ServiceFeedback.objects.filter(scope.q("unit__path"))
    qs = qs.filter(period=period) if period is not None else qs.none()
    rows = qs.values("unit__path").annotate(**skm_selectors.ikm_sums()).order_by()
    groups: dict[str, dict] = defaultdict(skm_selectors.empty_ikm_sums)
    total = skm_selectors.empty_ikm_sums()
    for r in rows:
        skm_selectors.add_ikm_sums(groups[scope.group_key(r["unit__path"])], r)
        skm_selectors.add_ikm_sums(total, r)
    result = {key: skm_selectors.ikm_of(acc) for key, acc in groups.items()}
    result["__all__"] = skm_selectors.ikm_of(total)
    return result


def employee_feedback(employee: Employee, *, period: EvaluationPeriod | None) -> dict:
    """One query: responses about the employee (all time and in the period). The IKM is
    given only from :data:`MIN_EMPLOYEE_FEEDBACK` responses on (no single citizen can be
    identified); below that only the count is returned."""
    in_period = Q(period=period) if period is not None else Q(pk__in=[])
    agg = ServiceFeedback.objects.filter(employee=employee).aggregate(
        **skm_selectors.ikm_sums(), **skm_selectors.ikm_sums(suffix="_period", filter=in_period)
    )

    def block(suffix: str):
        n = agg[f"n{suffix}"]
        if n < MIN_EMPLOYEE_FEEDBACK:
            return {"responses": n, "shown": False, "ikm": None}
        return {"responses": n, "shown": True, "ikm": skm_selectors.ikm_of(agg, suffix)}

    return {"all": block(""), "period": block("_period")}
