"""Training needs and recommendations: the module index, matching a need to a module, running
the recommendation of a period, dismissing and closing needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensi.models import EmployeeCompetency, EvaluationPeriod
from kompetensi.services import people_changed
from workflow.models import Assignment, TrainingNeed

from .assignments import _as_user
from .common import (
    DONE_STATES,
    OPEN_STATES,
    RECENT_COMPLETION,
    S,
    TransitionError,
    WorkflowError,
    require_hr,
    require_hr_over,
)

# ------------------------------------------------------------------------------------------
# Training needs and recommendations
# ------------------------------------------------------------------------------------------


@dataclass
class ModuleCandidate:
    module_id: int
    target_level: int
    jp: int
    newest: float


def module_index() -> dict[int, list[ModuleCandidate]]:
    """Live modules per competency, sorted by the matching rule (1 query)."""
    from portal.models import ModuleCompetency

    index: dict[int, list[ModuleCandidate]] = {}
    rows = ModuleCompetency.objects.filter(page__live=True).values_list(
        "competency_id", "page_id", "target_level", "page__jp", "page__first_published_at"
    )
    for competency_id, page_id, target, jp, published in rows:
        stamp = published.timestamp() if published else 0.0
        index.setdefault(competency_id, []).append(ModuleCandidate(page_id, target, jp, stamp))
    for candidates in index.values():
        candidates.sort(key=lambda c: (c.target_level, c.jp, -c.newest, -c.module_id))
    return index


def match_module(
    candidates: list[ModuleCandidate], *, required_level: int, skip: set[int] | frozenset = ()
) -> int | None:
    """DOMAIN.md: target ≥ required; smallest target, fewest JP, newest; skip recent ones."""
    for candidate in candidates:
        if candidate.target_level >= required_level and candidate.module_id not in skip:
            return candidate.module_id
    return None


def _recent_completions(employee_ids=None) -> dict[int, set[int]]:
    since = timezone.now() - RECENT_COMPLETION
    query = Assignment.objects.filter(status__in=DONE_STATES, completed_at__gte=since)
    if employee_ids is not None:
        query = query.filter(employee_id__in=employee_ids)
    done: dict[int, set[int]] = {}
    for employee_id, module_id in query.values_list("employee_id", "module_id"):
        done.setdefault(employee_id, set()).add(module_id)
    return done


@dataclass
class RecommendResult:
    needs: int
    recommended: int
    without_module: int


@transaction.atomic
def period_recommend(*, period: EvaluationPeriod, actor, employee_ids=None) -> RecommendResult:
    """Turn every open gap of the employees ``actor`` administers (HR: the units in their
    scope; ``roles.SYSTEM``: everyone) into a training need of ``period`` and, where a module
    fits, a ``recommended`` assignment. ``employee_ids`` narrows it further, never widens it.
    Set-based (a fixed number of queries) and idempotent: ``needs``/``recommended`` count what
    this run created, ``without_module`` the period's open needs (of those employees) that no
    live module fits."""
    from kompetensi.permissions import employees_managed_by, hr_scope

    require_hr(actor)
    if not hr_scope(actor).city_wide:
        scoped = employees_managed_by(actor)
        if employee_ids is not None:
            scoped = scoped.filter(pk__in=list(employee_ids))
        employee_ids = list(scoped.values_list("pk", flat=True))
    elif employee_ids is not None:
        employee_ids = list(employee_ids)
    gaps = EmployeeCompetency.objects.filter(
        gap__gt=0, assessed_level__isnull=False, employee__is_active=True
    )
    if employee_ids is not None:
        gaps = gaps.filter(employee_id__in=employee_ids)
    gap_rows = list(
        gaps.values_list("employee_id", "competency_id", "required_level", "assessed_level", "gap")
    )
    # Needs already open (any period) are not duplicated; this period's needs are reused.
    live_needs = TrainingNeed.objects.filter(
        Q(period=period) | Q(status__in=TrainingNeed.OPEN_STATES)
    )
    if employee_ids is not None:
        live_needs = live_needs.filter(employee_id__in=employee_ids)
    have = set(live_needs.values_list("employee_id", "competency_id"))
    new_needs = [
        TrainingNeed(
            employee_id=e,
            competency_id=c,
            period=period,
            required_level=r or 0,
            assessed_level=a,
            gap=g,
            origin=TrainingNeed.Origin.EVALUATION,
        )
        for e, c, r, a, g in gap_rows
        if (e, c) not in have
    ]
    created_needs = TrainingNeed.objects.bulk_create(
        new_needs, batch_size=2000, ignore_conflicts=True
    )

    # Open needs of the period that have no live assignment yet.
    needs = TrainingNeed.objects.filter(period=period, status=TrainingNeed.Status.OPEN)
    if employee_ids is not None:
        needs = needs.filter(employee_id__in=employee_ids)
    need_rows = list(
        needs.exclude(assignments__status__in=(*OPEN_STATES, *DONE_STATES))
        .values_list("pk", "employee_id", "competency_id", "required_level")
        .order_by("employee_id", "-required_level", "competency_id")
    )
    index = module_index()
    recent = _recent_completions(employee_ids)
    open_pairs = set(
        Assignment.objects.filter(status__in=OPEN_STATES)
        .filter(**({"employee_id__in": employee_ids} if employee_ids is not None else {}))
        .values_list("employee_id", "module_id")
    )
    new_assignments = []
    without = 0
    for need_id, employee_id, competency_id, required in need_rows:
        module_id = match_module(
            index.get(competency_id, []),
            required_level=required,
            skip=recent.get(employee_id, frozenset()),
        )
        if module_id is None:
            without += 1
            continue
        if (employee_id, module_id) in open_pairs:
            continue
        open_pairs.add((employee_id, module_id))
        new_assignments.append(
            Assignment(
                employee_id=employee_id,
                module_id=module_id,
                need_id=need_id,
                status=S.RECOMMENDED,
                origin=Assignment.Origin.RECOMMENDATION,
            )
        )
    if new_assignments:
        jp = dict(
            _module_model()
            .objects.filter(pk__in={a.module_id for a in new_assignments})
            .values_list("pk", "jp")
        )
        for a in new_assignments:
            a.jp = jp.get(a.module_id, 0)
    Assignment.objects.bulk_create(new_assignments, batch_size=2000, ignore_conflicts=True)
    if created_needs or new_assignments:  # cache versions (core/dataversion.py)
        people_changed(employee_ids)
    return RecommendResult(
        needs=len(created_needs), recommended=len(new_assignments), without_module=without
    )


def _module_model():
    from portal.models import TrainingModulePage

    return TrainingModulePage


@transaction.atomic
def need_dismiss(*, need: TrainingNeed, actor, reason: str) -> TrainingNeed:
    need = (
        TrainingNeed.objects.select_for_update(of=("self",))
        .select_related("employee__unit")
        .get(pk=need.pk)
    )
    require_hr_over(actor, need.employee)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Alasan menutup kebutuhan pelatihan wajib diisi."))
    if need.status not in TrainingNeed.OPEN_STATES:
        raise TransitionError(_("Kebutuhan pelatihan ini sudah ditutup."))
    need.status = TrainingNeed.Status.DISMISSED
    need.closed_at = timezone.now()
    need.closed_reason = reason
    need.closed_by = _as_user(actor)
    need.save(update_fields=["status", "closed_at", "closed_reason", "closed_by"])
    return need


@transaction.atomic
def needs_close_for_profiles(*, employee_ids, period_id=None) -> int:
    """After a profile recomputation: close open/addressed needs whose gap is now closed, and
    withdraw the recommendations (not yet approved) made for those gaps: they can no longer
    be approved. Assignments already approved stay (the learner may be halfway). Returns the
    number of needs closed."""
    closed = EmployeeCompetency.objects.filter(
        employee_id__in=list(employee_ids), assessed_level__isnull=False, gap=0
    ).values_list("employee_id", "competency_id")
    pairs = set(closed)
    if not pairs:
        return 0
    people = {e for e, _c in pairs}
    candidates = TrainingNeed.objects.filter(
        employee_id__in=people,
        status__in=TrainingNeed.OPEN_STATES,
    )
    if period_id is not None:
        candidates = candidates.exclude(period_id=period_id, created_at__gte=timezone.now())
    ids = [
        pk
        for pk, e, c in candidates.values_list("pk", "employee_id", "competency_id")
        if (e, c) in pairs
    ]
    now = timezone.now()
    withdrawn = [
        pk
        for pk, e, c in Assignment.objects.filter(
            employee_id__in=people, status=S.RECOMMENDED, need__isnull=False
        ).values_list("pk", "employee_id", "need__competency_id")
        if (e, c) in pairs
    ]
    if withdrawn:
        Assignment.objects.filter(pk__in=withdrawn, status=S.RECOMMENDED).update(
            status=S.WITHDRAWN, cancelled_at=now, cancel_reason=_("Kesenjangan sudah tertutup")
        )
    closed_count = TrainingNeed.objects.filter(pk__in=ids).update(
        status=TrainingNeed.Status.CLOSED,
        closed_at=now,
        closed_reason=_("gap tertutup"),
    )
    if closed_count or withdrawn:  # cache versions (core/dataversion.py)
        people_changed(sorted(people))
    return closed_count
