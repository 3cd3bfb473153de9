"""Writes of the workflow app: needs, recommendations, the assignment state machine, learning
progress, certificates, reminders. Every state change of an Assignment happens here.

States (ARCHITECTURE.md): recommended → assigned → in_progress → completed → certified;
any open state → cancelled; recommended → withdrawn when a later evaluation closed the gap
(``needs_close_for_profiles``; a withdrawn recommendation can no longer be approved);
"overdue" is derived (open and past its due date)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from kompetensi import errors, rules
from kompetensi.models import Employee, EmployeeCompetency, EvaluationPeriod
from portal import dataversion

from . import certificate_templates, permissions
from .models import (
    Assignment,
    Certificate,
    CertificateSequence,
    LessonProgress,
    Notification,
    TrainingNeed,
)
from .notifications import notify, notify_bulk
from .progress import LessonCompleteResult, QuizResult, build_progress, quiz_api

logger = logging.getLogger(__name__)

S = Assignment.Status
OPEN_STATES = (S.RECOMMENDED, S.ASSIGNED, S.IN_PROGRESS)
# transition name → (states it may come from, state it goes to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": ((S.RECOMMENDED,), S.ASSIGNED),
    "start": ((S.ASSIGNED,), S.IN_PROGRESS),
    "complete": ((S.ASSIGNED, S.IN_PROGRESS), S.COMPLETED),
    "certify": ((S.COMPLETED,), S.CERTIFIED),
    "cancel": (OPEN_STATES, S.CANCELLED),
}
RECENT_COMPLETION = dt.timedelta(days=365)


class WorkflowError(Exception):
    """A rule of the workflow was broken; ``message`` is for people (Indonesian)."""

    status = 422

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransitionError(WorkflowError):
    status = 409


class NotAllowed(WorkflowError, errors.NotAllowed):
    """The actor lacks the power altogether (403). Also a ``kompetensi.errors`` error, so a
    handler of those treats it alike."""

    status = 403

    @property
    def detail(self) -> str:
        return self.message


class NotFound(WorkflowError, errors.NotFound):
    """The object does not exist or lies outside what the actor may see (404: the two are
    not told apart)."""

    status = 404

    @property
    def detail(self) -> str:
        return self.message


NOT_FOUND = _lazy("Data tidak ditemukan.")
HR_ONLY = _lazy("Hanya BKPSDM yang boleh melakukan tindakan ini.")


def require(allowed: bool, message="", *, hide: bool = False) -> None:
    """The authority check of a workflow service: ``NotAllowed`` (403), or ``NotFound`` (404)
    with ``hide=True`` where the object's existence is itself private."""
    if allowed:
        return
    if hide:
        raise NotFound(str(message or NOT_FOUND))
    raise NotAllowed(str(message or _("Anda tidak berwenang melakukan tindakan ini.")))


def require_hr(actor) -> None:
    """HR authority at all (BKPSDM with at least one unit in scope, a superuser, SYSTEM):
    403 otherwise, the same answer whatever the object."""
    if permissions.can_manage_assignments(actor):
        return
    from kompetensi.roles import is_hr

    if is_hr(actor):
        raise NotAllowed(_("Anda belum diberi unit kewenangan SDM."))
    raise NotAllowed(str(HR_ONLY))


def require_hr_over(actor, employee) -> None:
    """HR authority over ``employee``: an actor without HR authority at all gets 403 (the same
    answer for every object), an officer whose scope does not cover the employee's current
    unit gets 404."""
    require_hr(actor)
    require(permissions.can_manage_employee_training(actor, employee), hide=True)


# Look-ups by key for endpoints and views: the same order of checks as the services (403
# without HR authority, then 404 when missing or outside the scope), so no channel tells a
# missing object from a hidden one.


def managed_assignment(*, actor, pk) -> Assignment:
    require_hr(actor)
    a = (
        permissions.assignments_managed_by(actor)
        .select_related("employee__unit", "module")
        .filter(pk=pk)
        .first()
    )
    require(a is not None, hide=True)
    return a


def managed_employee(*, actor, nip: str) -> Employee:
    from kompetensi.permissions import employees_managed_by

    require_hr(actor)
    employee = (
        employees_managed_by(actor)
        .select_related("unit")
        .filter(nip=rules.normalise_nip(nip or ""))
        .first()
    )
    require(employee is not None, _("Pegawai dengan NIP ini tidak ditemukan."), hide=True)
    return employee


def managed_certificate(*, actor, number: str = "", code: str = "") -> Certificate:
    require_hr(actor)
    query = permissions.certificates_managed_by(actor).select_related("employee__unit")
    if code:
        query = query.filter(verification_code=rules.normalise_code(code))
    else:
        query = query.filter(number=number)
    cert = query.first()
    require(cert is not None, _("Sertifikat dengan nomor ini tidak ditemukan."), hide=True)
    return cert


def _check(assignment: Assignment, transition: str) -> str:
    sources, target = TRANSITIONS[transition]
    if assignment.status not in sources:
        raise TransitionError(
            _("Penugasan berstatus “%(now)s” tidak dapat %(what)s.")
            % {
                "now": S(assignment.status).label,
                "what": {
                    "approve": _("disetujui"),
                    "start": _("dimulai"),
                    "complete": _("diselesaikan"),
                    "certify": _("diberi sertifikat"),
                    "cancel": _("dibatalkan"),
                }[transition],
            }
        )
    return target


def jakarta_now() -> dt.datetime:
    return timezone.localtime(timezone.now(), rules.JAKARTA)


def jakarta_today() -> dt.date:
    return jakarta_now().date()


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
    query = Assignment.objects.filter(
        status__in=(S.COMPLETED, S.CERTIFIED), completed_at__gte=since
    )
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
        Q(period=period) | Q(status__in=(TrainingNeed.Status.OPEN, TrainingNeed.Status.ADDRESSED))
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
        needs.exclude(assignments__status__in=(*OPEN_STATES, S.COMPLETED, S.CERTIFIED))
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
    if need.status not in (TrainingNeed.Status.OPEN, TrainingNeed.Status.ADDRESSED):
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
        status__in=(TrainingNeed.Status.OPEN, TrainingNeed.Status.ADDRESSED),
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
    return TrainingNeed.objects.filter(pk__in=ids).update(
        status=TrainingNeed.Status.CLOSED,
        closed_at=now,
        closed_reason=_("gap tertutup"),
    )


# ------------------------------------------------------------------------------------------
# Assignments: the state machine
# ------------------------------------------------------------------------------------------


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("employee__unit", "module")
        .get(pk=assignment.pk)
    )


def _notify_assigned(assignments: list[Assignment]) -> None:
    """Tell the employee and their supervisor about a new assignment (bulk)."""
    if not assignments:
        return
    rows = (
        Assignment.objects.filter(pk__in=[a.pk for a in assignments])
        .select_related("employee__supervisor", "module")
        .only(
            "pk",
            "due_date",
            "employee__name",
            "employee__user_id",
            "employee__supervisor__user_id",
            "module__title",
        )
    )
    items = []
    url = reverse("workflow:my_training")
    for a in rows:
        due = a.due_date.strftime("%d-%m-%Y") if a.due_date else _("tanpa batas waktu")
        if a.employee.user_id:
            items.append(
                {
                    "user_id": a.employee.user_id,
                    "kind": Notification.Kind.ASSIGNMENT,
                    "title": _("Penugasan pelatihan baru: %s") % a.module.title,
                    "body": _("Anda ditugaskan mengikuti “%(m)s”, batas waktu %(d)s.")
                    % {"m": a.module.title, "d": due},
                    "url": url,
                    "dedupe_key": f"assign:{a.pk}",
                }
            )
        supervisor = a.employee.supervisor
        if supervisor and supervisor.user_id:
            items.append(
                {
                    "user_id": supervisor.user_id,
                    "kind": Notification.Kind.ASSIGNMENT,
                    "title": _("%(n)s ditugaskan: %(m)s")
                    % {"n": a.employee.name, "m": a.module.title},
                    "body": _("Bawahan Anda %(n)s ditugaskan mengikuti “%(m)s”, batas waktu %(d)s.")
                    % {"n": a.employee.name, "m": a.module.title, "d": due},
                    "url": "",
                    "dedupe_key": f"assign-sup:{a.pk}",
                }
            )
    notify_bulk(items)


def _as_user(actor):
    """The user to record as having acted (None for ``roles.SYSTEM``)."""
    return actor if getattr(actor, "pk", None) is not None else None


def _bulk_selection(ids, actor, *, verb: str) -> list[Assignment]:
    """The assignments ``ids`` locked for a bulk action of ``actor``; refuses the whole
    request, naming how many, when any id is unknown or outside the actor's units."""
    require_hr(actor)
    wanted = {int(i) for i in ids}
    valid = {i for i in wanted if 0 < i < 2**63}  # others cannot name a row
    rows = list(
        permissions.assignments_managed_by(actor)
        .select_for_update(of=("self",))
        .filter(pk__in=valid)
        .only("pk", "status", "need_id", "employee_id", "module_id")
        .order_by("pk")
    )
    outside = len(wanted) - len(rows)
    if outside:
        raise NotFound(
            ngettext(
                "%(n)s penugasan yang dipilih tidak ditemukan di unit kewenangan Anda; "
                "tidak ada yang %(verb)s.",
                "%(n)s penugasan yang dipilih tidak ditemukan di unit kewenangan Anda; "
                "tidak ada yang %(verb)s.",
                outside,
            )
            % {"n": outside, "verb": verb}
        )
    return rows


def _validate_due(due_date: dt.date | None) -> None:
    if due_date is not None and due_date < jakarta_today():
        raise WorkflowError(_("Batas waktu tidak boleh di masa lalu."))


@transaction.atomic
def assignment_approve(*, assignment: Assignment, actor, due_date: dt.date | None) -> Assignment:
    a = _locked(assignment)
    require_hr_over(actor, a.employee)
    _validate_due(due_date)
    a.status = _check(a, "approve")
    a.approved_at = timezone.now()
    a.approved_by = _as_user(actor)
    if due_date is not None:
        a.due_date = due_date
    a.save(update_fields=["status", "approved_at", "approved_by", "due_date"])
    if a.need_id:
        with dataversion.for_person(employee=a.employee_id):
            TrainingNeed.objects.filter(pk=a.need_id, status=TrainingNeed.Status.OPEN).update(
                status=TrainingNeed.Status.ADDRESSED
            )
    _notify_assigned([a])
    _complete_if_done(a)
    return a


@transaction.atomic
def assignment_approve_bulk(*, ids, actor, due_date: dt.date | None) -> int:
    """Approve many recommendations at once (a fixed number of queries). All or nothing: an
    id outside the actor's units (or unknown) refuses the whole request with the number of
    such ids (404), so does a recommendation already withdrawn (409); rows no longer
    recommended (approved or cancelled meanwhile) are skipped. Returns how many were
    approved."""
    _validate_due(due_date)
    selected = _bulk_selection(ids, actor, verb=_("disetujui"))
    withdrawn = sum(1 for a in selected if a.status == S.WITHDRAWN)
    if withdrawn:
        raise TransitionError(
            ngettext(
                "%(n)s rekomendasi yang dipilih sudah ditarik karena kesenjangannya sudah "
                "tertutup; tidak ada yang disetujui.",
                "%(n)s rekomendasi yang dipilih sudah ditarik karena kesenjangannya sudah "
                "tertutup; tidak ada yang disetujui.",
                withdrawn,
            )
            % {"n": withdrawn}
        )
    rows = [a for a in selected if a.status == S.RECOMMENDED]
    if not rows:
        return 0
    now = timezone.now()
    pks = [a.pk for a in rows]
    update = {"status": S.ASSIGNED, "approved_at": now, "approved_by": _as_user(actor)}
    if due_date is not None:
        update["due_date"] = due_date
    Assignment.objects.filter(pk__in=pks).update(**update)
    TrainingNeed.objects.filter(
        pk__in=[a.need_id for a in rows if a.need_id], status=TrainingNeed.Status.OPEN
    ).update(status=TrainingNeed.Status.ADDRESSED)
    _notify_assigned(rows)
    # Learners who already did the lessons complete at once.
    with_progress = set(
        LessonProgress.objects.filter(
            user__employee__in=[a.employee_id for a in rows],
            module_id__in={a.module_id for a in rows},
        ).values_list("user__employee", "module_id")
    )
    for a in rows:
        if (a.employee_id, a.module_id) in with_progress:
            _complete_if_done(Assignment.objects.select_related("employee", "module").get(pk=a.pk))
    return len(rows)


@transaction.atomic
def assignment_create(
    *, employee: Employee, module, due_date: dt.date | None, actor, origin: str = "hr"
) -> Assignment:
    """A new ``assigned`` assignment (HR of the employee's unit). One open assignment per
    employee × module."""
    require_hr_over(actor, employee)
    _validate_due(due_date)
    if not module.live:
        raise WorkflowError(_("Modul belum terbit."))
    try:
        with transaction.atomic():
            a = Assignment.objects.create(
                employee=employee,
                module=module,
                status=S.ASSIGNED,
                origin=origin,
                due_date=due_date,
                jp=module.jp,
                approved_at=timezone.now(),
                approved_by=_as_user(actor),
            )
    except IntegrityError:
        raise TransitionError(
            _("Pegawai ini sudah memiliki penugasan terbuka untuk modul tersebut.")
        ) from None
    _notify_assigned([a])
    _complete_if_done(a)
    return a


@transaction.atomic
def assignment_update(
    *, assignment: Assignment, actor, due_date: dt.date | None = None, module=None
) -> Assignment:
    """HR edits an open assignment: due date and (while recommended) the module."""
    a = _locked(assignment)
    require_hr_over(actor, a.employee)
    _validate_due(due_date)
    if a.status not in OPEN_STATES:
        raise TransitionError(_("Hanya penugasan yang masih terbuka yang dapat diubah."))
    fields = []
    if due_date is not None:
        a.due_date = due_date
        fields.append("due_date")
    if module is not None and module.pk != a.module_id:
        if a.status != S.RECOMMENDED:
            raise TransitionError(_("Modul hanya dapat diganti selama masih rekomendasi."))
        a.module = module
        a.jp = module.jp
        fields += ["module", "jp"]
    if fields:
        try:
            with transaction.atomic():
                a.save(update_fields=fields)
        except IntegrityError:
            raise TransitionError(
                _("Pegawai ini sudah memiliki penugasan terbuka untuk modul tersebut.")
            ) from None
    return a


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, actor, reason: str = "") -> Assignment:
    a = _locked(assignment)
    require_hr_over(actor, a.employee)
    a.status = _check(a, "cancel")
    a.cancelled_at = timezone.now()
    a.cancel_reason = (reason or "").strip()
    a.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    if (
        a.need_id
        and not Assignment.objects.filter(
            need_id=a.need_id, status__in=(S.ASSIGNED, S.IN_PROGRESS, S.COMPLETED, S.CERTIFIED)
        ).exists()
    ):
        with dataversion.for_person(employee=a.employee_id):
            TrainingNeed.objects.filter(pk=a.need_id, status=TrainingNeed.Status.ADDRESSED).update(
                status=TrainingNeed.Status.OPEN
            )
    return a


@transaction.atomic
def assignment_cancel_bulk(*, ids, actor, reason: str = "") -> int:
    """Cancel many open assignments at once (a fixed number of queries). All or nothing: an
    id outside the actor's units (or unknown) refuses the whole request with the number of
    such ids (404); rows no longer open are skipped. A need left without an active
    assignment opens again, as with a single cancellation. Returns how many were
    cancelled."""
    rows = [a for a in _bulk_selection(ids, actor, verb=_("dibatalkan")) if a.status in OPEN_STATES]
    if not rows:
        return 0
    Assignment.objects.filter(pk__in=[a.pk for a in rows]).update(
        status=S.CANCELLED, cancelled_at=timezone.now(), cancel_reason=(reason or "").strip()
    )
    _reopen_needs({a.need_id for a in rows if a.need_id})
    return len(rows)


def _reopen_needs(need_ids) -> None:
    """Needs "addressed" by assignments that were all cancelled are open again."""
    if not need_ids:
        return
    busy = Assignment.objects.filter(
        need_id__in=need_ids, status__in=(S.ASSIGNED, S.IN_PROGRESS, S.COMPLETED, S.CERTIFIED)
    ).values("need_id")
    TrainingNeed.objects.filter(pk__in=need_ids, status=TrainingNeed.Status.ADDRESSED).exclude(
        pk__in=busy
    ).update(status=TrainingNeed.Status.OPEN)


@transaction.atomic
def assignment_start(*, assignment: Assignment) -> Assignment:
    a = _locked(assignment)
    a.status = _check(a, "start")
    a.started_at = timezone.now()
    a.save(update_fields=["status", "started_at"])
    return a


@transaction.atomic
def assignment_complete(*, assignment: Assignment, when: dt.datetime | None = None) -> Assignment:
    """completed: JP credited to the calendar year (Asia/Jakarta) of ``when``."""
    a = _locked(assignment)
    a.status = _check(a, "complete")
    when = when or timezone.now()
    a.completed_at = when
    a.completion_year = rules.jp_year(when)
    a.jp = a.module.jp
    if a.started_at is None:
        a.started_at = when
    a.save(update_fields=["status", "completed_at", "completion_year", "jp", "started_at"])
    if a.need_id:
        with dataversion.for_person(employee=a.employee_id):
            TrainingNeed.objects.filter(pk=a.need_id, status=TrainingNeed.Status.OPEN).update(
                status=TrainingNeed.Status.ADDRESSED
            )
    from .tasks import issue_certificate

    issue_certificate.delay_on_commit(a.pk)
    return a


def _complete_if_done(a: Assignment) -> Assignment:
    """Completion is computed on the event: every lesson done and every quiz passed."""
    if a.status not in (S.ASSIGNED, S.IN_PROGRESS) or not a.employee.user_id:
        return a
    _lq, module_lessons, _gq = quiz_api()
    lessons = module_lessons(a.module)
    rows = {
        r.lesson_id: r
        for r in LessonProgress.objects.filter(user_id=a.employee.user_id, module=a.module)
    }
    if build_progress(a.module, lessons, rows).completed:
        return assignment_complete(assignment=a)
    return a


# ------------------------------------------------------------------------------------------
# Learning events (lesson completed, quiz submitted, self-enrolment)
# ------------------------------------------------------------------------------------------


def _employee_of(user) -> Employee | None:
    return Employee.objects.filter(user=user).first()


@transaction.atomic
def module_enrol(*, user, module) -> Assignment:
    """Self-enrolment: an assignment with origin "self" so its JP count.

    An open assignment is reused (a recommendation is accepted by the learner)."""
    employee = _employee_of(user)
    if employee is None:
        raise WorkflowError(_("Akun Anda belum terhubung dengan data pegawai."))
    if not module.live:
        raise WorkflowError(_("Modul belum terbit."))
    existing = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("employee", "module")
        .filter(employee=employee, module=module, status__in=OPEN_STATES)
        .first()
    )
    if existing:
        if existing.status == S.RECOMMENDED:
            existing.status = _check(existing, "approve")
            existing.approved_at = timezone.now()
            existing.approved_by = user
            existing.save(update_fields=["status", "approved_at", "approved_by"])
        return existing
    try:
        with transaction.atomic():
            a = Assignment.objects.create(
                employee=employee,
                module=module,
                status=S.ASSIGNED,
                origin=Assignment.Origin.SELF,
                jp=module.jp,
            )
    except IntegrityError:  # a concurrent enrolment won
        return Assignment.objects.get(employee=employee, module=module, status__in=OPEN_STATES)
    return _complete_if_done(Assignment.objects.select_related("employee", "module").get(pk=a.pk))


def _learning_assignment(user, module) -> Assignment | None:
    """The open assignment a learning event counts for; self-enrols on the first event unless
    the module was already completed (a later completion would count the JP twice)."""
    a = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("employee", "module")
        .filter(employee__user=user, module=module, status__in=(S.ASSIGNED, S.IN_PROGRESS))
        .first()
    )
    if a is not None:
        return a
    employee = _employee_of(user)
    if employee is None:
        return None
    if Assignment.objects.filter(
        employee=employee, module=module, status__in=(S.COMPLETED, S.CERTIFIED)
    ).exists():
        return None
    return module_enrol(user=user, module=module)


def _after_event(user, module) -> Assignment | None:
    a = _learning_assignment(user, module)
    if a is None:
        return None
    if a.status == S.ASSIGNED:
        a = assignment_start(assignment=a)
    return _complete_if_done(a)


def _lesson_module(lesson):
    return lesson.get_parent().specific


def _percent(user, module) -> int:
    _lq, module_lessons, _gq = quiz_api()
    rows = {r.lesson_id: r for r in LessonProgress.objects.filter(user=user, module=module)}
    return build_progress(module, module_lessons(module), rows).percent


@transaction.atomic
def lesson_complete(*, user, lesson) -> LessonCompleteResult:
    """Mark a lesson done for ``user``; completes the assignment at once when it was the last
    missing item. A quiz lesson is done when its quiz is passed (see ``quiz_submit``)."""
    lesson_has_quiz, _ml, _gq = quiz_api()
    module = _lesson_module(lesson)
    progress, _created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"module": module}
    )
    if progress.completed_at is None and not lesson_has_quiz(lesson):
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at", "updated_at"])
    a = _after_event(user, module)
    return LessonCompleteResult(
        assignment_status=a.status if a else None, progress_percent=_percent(user, module)
    )


@transaction.atomic
def quiz_submit(*, user, lesson, answers: dict[str, list[str]]) -> QuizResult:
    lesson_has_quiz, _ml, grade_quiz = quiz_api()
    if not lesson_has_quiz(lesson):
        raise WorkflowError(_("Pelajaran ini tidak memiliki kuis."))
    module = _lesson_module(lesson)
    score, _per_question = grade_quiz(lesson, answers)
    score = int(round(score))
    passed = score >= module.pass_mark
    progress, _created = LessonProgress.objects.select_for_update(of=("self",)).get_or_create(
        user=user, lesson=lesson, defaults={"module": module}
    )
    progress.attempts += 1
    progress.best_score = max(progress.best_score or 0, score)
    if passed and not progress.passed:
        progress.passed = True
        progress.completed_at = progress.completed_at or timezone.now()
    progress.save()
    _after_event(user, module)
    return QuizResult(
        score_percent=score, passed=passed, best_score_percent=progress.best_score or 0
    )


# ------------------------------------------------------------------------------------------
# Certificates
# ------------------------------------------------------------------------------------------


def _next_sequence(year: int) -> int:
    """Gapless per year: the sequence row is locked (SELECT … FOR UPDATE) until commit."""
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(year=year, last_value=0)], ignore_conflicts=True
    )
    seq = CertificateSequence.objects.select_for_update(of=("self",)).get(year=year)
    seq.last_value += 1
    seq.save(update_fields=["last_value"])
    return seq.last_value


@transaction.atomic
def certificate_issue(*, assignment_id: int) -> Certificate | None:
    """Issue the certificate of a completed assignment (idempotent: one per assignment, by a
    database constraint; a failed insert rolls the sequence back, so numbers stay gapless)."""
    a = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("employee", "module")
        .filter(pk=assignment_id)
        .first()
    )
    if a is None:
        return None
    existing = Certificate.objects.filter(assignment_id=a.pk).first()
    if existing is not None:
        # Issued before, but the process that issued it may have died between the commit and
        # queueing what follows (a redelivered task lands here): queue what is missing.
        certificate_follow_up(existing)
        return existing
    if a.status != S.COMPLETED:
        return None
    now = timezone.now()
    year = jakarta_now().year
    sequence = _next_sequence(year)
    valid = a.module.certificate_valid_months
    cert = Certificate.objects.create(
        assignment=a,
        employee=a.employee,
        module=a.module,
        number=rules.format_certificate_number(
            sequence,
            year,
            certificate_templates.number_format(),
        ),
        year=year,
        sequence=sequence,
        verification_code=rules.new_verification_code(),
        jp=a.jp or a.module.jp,
        holder_name=a.employee.name,
        module_title=a.module.title,
        issued_at=now,
        completed_at=a.completed_at or now,
        expires_at=(now + relativedelta(months=valid)) if valid else None,
    )
    a.status = _check(a, "certify")
    a.save(update_fields=["status"])
    if a.employee.user_id:
        notify(
            user_ids=[a.employee.user_id],
            kind=Notification.Kind.CERTIFICATE,
            title=_("Sertifikat terbit: %s") % a.module.title,
            body=_("Sertifikat nomor %(n)s untuk “%(m)s” telah terbit.")
            % {"n": cert.number, "m": a.module.title},
            url=reverse("workflow:my_training"),
            dedupe_key=f"cert:{cert.pk}",
        )
    from kompetensi.audit import audit

    audit(action="issue", obj=cert, employee=a.employee, summary=f"sertifikat {cert.number}")
    from .tasks import render_certificate

    render_certificate.delay_on_commit(cert.pk)
    return cert


def certificate_follow_up(cert: Certificate) -> str | None:
    """Queue (after commit) the next step a certificate still lacks: its PDF, else its e-mail
    to the holder. Idempotent: both tasks do nothing when their work is done. Returns the
    name of what was queued, or None."""
    from .tasks import email_certificate, render_certificate

    if not cert.pdf:
        render_certificate.delay_on_commit(cert.pk)
        return "render"
    if cert.emailed_at is None and cert.revoked_at is None:
        email_certificate.delay_on_commit(cert.pk)
        return "email"
    return None


def verify_url(code: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('workflow:verify_code', args=[code])}"


def certificate_context(cert: Certificate, template=None):
    """What the PDF prints; wording and signatory from the default certificate template
    (``template`` if given), see workflow/certificate_templates.py for the precedence."""
    from .pdf import CertificateContext

    if template is None:
        template = certificate_templates.default_template()

    employee = cert.employee
    module = cert.module
    competencies = [
        (mc.competency.name, mc.target_level)
        for mc in module.module_competencies.select_related("competency").all()
    ]
    started = cert.assignment.started_at or cert.assignment.created_at or cert.completed_at
    return CertificateContext(
        number=cert.number,
        holder_name=cert.holder_name,
        holder_nip=employee.nip,
        holder_rank=employee.rank or "",
        holder_position=employee.position.name if employee.position_id else "",
        holder_unit=employee.unit.name if employee.unit_id else "",
        module_title=cert.module_title,
        competencies=competencies,
        jp=cert.jp,
        start_date=timezone.localtime(started, rules.JAKARTA).date(),
        completion_date=timezone.localtime(cert.completed_at, rules.JAKARTA).date(),
        issue_date=timezone.localtime(cert.issued_at, rules.JAKARTA).date(),
        verify_url=verify_url(cert.verification_code),
        verification_code=cert.verification_code,
        **certificate_templates.template_values(template, module),
    )


def certificate_render(*, certificate_id: int) -> Certificate | None:
    """Render and store the PDF once (skip when it exists). Safe to re-run after a crash: the
    file name is fixed, a half-written file is overwritten, the row is updated only if empty."""
    with transaction.atomic():
        # One render per certificate at a time: the row lock makes a racing render (the
        # sweep, a redelivered task, a download) wait and then find the PDF, so a file another
        # process may already be serving is never deleted under it.
        cert = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("employee__position", "employee__unit", "module", "assignment")
            .filter(pk=certificate_id)
            .first()
        )
        if cert is None or cert.pdf:
            return cert
        return _certificate_render_locked(cert)


def _certificate_render_locked(cert: Certificate) -> Certificate:
    from .pdf import pdf_sha256, render_certificate_pdf

    data = render_certificate_pdf(certificate_context(cert))
    # PAdES signature when a signer is configured (workflow/signing.py); the SHA-256 is of
    # the final, signed bytes.
    from .signing import sign_pdf

    data, signed_by = sign_pdf(data)
    digest = pdf_sha256(data)
    name = f"certificates/{cert.year}/{cert.verification_code}.pdf"
    if signed_by:
        # A signature carries its signing time, so two racing renders differ: each gets its
        # own content-addressed name and the loser removes only its own file (a fixed name
        # would let the loser overwrite the winner's file under the winner's SHA-256).
        name = f"certificates/{cert.year}/{cert.verification_code}-{digest[:12]}.pdf"
    elif default_storage.exists(name):
        default_storage.delete(name)
    if signed_by and default_storage.exists(name):  # same bytes already stored
        stored = name
    else:
        stored = default_storage.save(name, ContentFile(data))
    with dataversion.for_person(employee=cert.employee_id):
        updated = Certificate.objects.filter(pk=cert.pk, pdf="").update(
            pdf=stored, sha256=digest, signed_by=signed_by
        )
    if not updated:  # pragma: no cover - another worker won the race
        winner = Certificate.objects.filter(pk=cert.pk).values_list("pdf", flat=True).first()
        if winner != stored:
            default_storage.delete(stored)
    cert.refresh_from_db()
    return cert


def certificate_pdf_file(cert: Certificate):
    """The PDF to hand out for ``cert`` (download, verification page, ZIP): the stored file,
    rendered first if it is missing; for a revoked certificate a copy stamped "DICABUT"
    (the stored original and its SHA-256 stay as issued). A binary file object."""
    import io

    from .pdf import stamp_revoked

    if not cert.pdf:
        cert = certificate_render(certificate_id=cert.pk)
    if not cert.revoked_at:
        return cert.pdf.open("rb")
    with cert.pdf.open("rb") as fh:
        original = fh.read()
    revoked = timezone.localtime(cert.revoked_at, rules.JAKARTA).strftime("%d-%m-%Y")
    lines = [
        _("DICABUT pada %(d)s: sertifikat %(n)s tidak berlaku lagi.")
        % {"d": revoked, "n": cert.number},
        _("Periksa statusnya di %s") % verify_url(cert.verification_code),
    ]
    try:
        return io.BytesIO(stamp_revoked(original, lines=lines))
    except Exception:  # noqa: BLE001 - never hand out the unstamped original instead
        logger.exception("Cap DICABUT gagal untuk sertifikat %s; hanya pemberitahuan.", cert.pk)
        from django.utils.html import escape

        from .pdf import render_html_pdf

        body = "".join(f"<p>{escape(line)}</p>" for line in lines)
        html = f"<h1>DICABUT</h1><p>{escape(cert.module_title)}</p>{body}"
        return io.BytesIO(render_html_pdf(html))


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """HR of the holder's unit revokes a certificate with a reason. From then on its JP no
    longer count (``selectors.credited_assignments``), its PDF is served stamped "DICABUT"
    and the holder is told (notification and e-mail)."""
    cert = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("employee__unit")
        .get(pk=certificate.pk)
    )
    require_hr_over(actor, cert.employee)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Alasan pencabutan wajib diisi."))
    if cert.revoked_at:
        raise TransitionError(_("Sertifikat ini sudah dicabut."))
    cert.revoked_at = timezone.now()
    cert.revoked_reason = reason
    cert.revoked_by = _as_user(actor)
    cert.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    from kompetensi.audit import audit

    audit(
        actor=actor,
        action="revoke",
        obj=cert,
        employee=cert.employee,
        summary=f"sertifikat {cert.number} dicabut: {reason}",
    )
    if cert.employee.user_id:
        notify(
            user_ids=[cert.employee.user_id],
            kind=Notification.Kind.CERTIFICATE,
            title=_("Sertifikat dicabut: %s") % cert.module_title,
            body=_(
                "Sertifikat nomor %(n)s untuk “%(m)s” dicabut oleh BKPSDM. Alasan: %(r)s. "
                "JP pelatihan ini (%(jp)s JP) tidak lagi dihitung."
            )
            % {"n": cert.number, "m": cert.module_title, "r": reason, "jp": cert.jp},
            url=reverse("workflow:verify_code", args=[cert.verification_code]),
            dedupe_key=f"cert-revoked:{cert.pk}",
        )
    return cert


# ------------------------------------------------------------------------------------------
# Follow-ups of committed facts (swept by beat every few minutes)
# ------------------------------------------------------------------------------------------

# A completed assignment, an issued certificate: their follow-ups (issue, render, e-mail) are
# queued after commit; a process killed between the commit and the queueing loses them. The
# sweep finds what is still missing once it is older than SWEEP_MIN_AGE and queues it again.
SWEEP_MIN_AGE = dt.timedelta(minutes=5)
# An item queued by the sweep is not queued again before this (a backlog, or a task held by
# a dead worker until the broker's visibility timeout, does not pile up duplicates).
SWEEP_REQUEUE_AFTER = dt.timedelta(minutes=15)
# Certificate e-mails are re-sent only for certificates issued this recently (older ones
# were issued before e-mail existed, or by a bulk seed: never e-mailed by a sweep).
SWEEP_EMAIL_WINDOW = dt.timedelta(days=3)
SWEEP_BATCH = 500  # per kind and run; the next run takes the rest


@dataclass
class SweepResult:
    issue: int = 0
    render: int = 0
    email: int = 0


def _not_recently_queued(kind: str, ids: list[int]) -> list[int]:
    """``ids`` the sweep has not queued within SWEEP_REQUEUE_AFTER, marked as queued now
    (two cache round trips)."""
    from django.core.cache import cache

    if not ids:
        return []
    keys = {f"sikap:sweep:{kind}:{pk}": pk for pk in ids}
    seen = cache.get_many(list(keys))
    fresh = {key: pk for key, pk in keys.items() if key not in seen}
    cache.set_many(dict.fromkeys(fresh, 1), int(SWEEP_REQUEUE_AFTER.total_seconds()))
    return list(fresh.values())


def follow_ups_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Queue again the follow-ups a crash may have lost (idempotent; three bounded queries):
    completed assignments without a certificate (issue), certificates without a PDF
    (render; the render task then queues the e-mail), rendered certificates of the last
    SWEEP_EMAIL_WINDOW whose holder has an address but was never e-mailed (e-mail). Only
    facts older than SWEEP_MIN_AGE are touched, so work still in flight is left alone."""
    from .tasks import email_certificate, issue_certificate, render_certificate

    now = now or timezone.now()
    settled = now - SWEEP_MIN_AGE
    issue = list(
        Assignment.objects.filter(status=S.COMPLETED, certificate__isnull=True)
        .filter(Q(completed_at__lte=settled) | Q(completed_at__isnull=True))
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    render = list(
        Certificate.objects.filter(pdf="", issued_at__lte=settled)
        .order_by("issued_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    email = list(
        Certificate.objects.filter(
            emailed_at__isnull=True,
            revoked_at__isnull=True,
            issued_at__lte=settled,
            issued_at__gte=now - SWEEP_EMAIL_WINDOW,
            employee__user__isnull=False,
        )
        .exclude(pdf="")
        .exclude(employee__user__email="")
        .order_by("issued_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    result = SweepResult()
    for kind, ids, task in (
        ("issue", issue, issue_certificate),
        ("render", render, render_certificate),
        ("email", email, email_certificate),
    ):
        fresh = _not_recently_queued(kind, ids)
        for pk in fresh:
            task.delay(pk)
        setattr(result, kind, len(fresh))
    if result.issue or result.render or result.email:
        logger.warning(
            "Sapuan tindak lanjut: %s penerbitan sertifikat, %s PDF, %s e-mail diantrekan kembali.",
            result.issue,
            result.render,
            result.email,
        )
    return result


# ------------------------------------------------------------------------------------------
# Reminders and expiry (swept daily by beat; each reminder once via Notification.dedupe_key)
# ------------------------------------------------------------------------------------------


def reminder_kind(due: dt.date, today: dt.date) -> str | None:
    """Which reminder is due today: 7 days before, 1 day before, on the day, then weekly
    while overdue (``overdue-0`` the day after it passes, ``overdue-1`` a week later …)."""
    days = (due - today).days
    if days == 7:
        return "d7"
    if days == 1:
        return "d1"
    if days == 0:
        return "d0"
    if days < 0 and (-days - 1) % 7 == 0:
        return f"overdue-{(-days - 1) // 7}"
    return None


def reminders_send(*, today: dt.date | None = None) -> int:
    today = today or jakarta_today()
    rows = (
        Assignment.objects.filter(
            status__in=(S.ASSIGNED, S.IN_PROGRESS),
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=7),
            employee__user__isnull=False,
        )
        .select_related("module", "employee")
        .only("pk", "due_date", "module__title", "employee__user_id")
    )
    url = reverse("workflow:my_training")
    items = []
    for a in rows.iterator(chunk_size=2000):
        kind = reminder_kind(a.due_date, today)
        if kind is None:
            continue
        days = (a.due_date - today).days
        due = a.due_date.strftime("%d-%m-%Y")
        if days > 0:
            title = _("Pengingat: %(m)s, batas waktu %(n)s hari lagi") % {
                "m": a.module.title,
                "n": days,
            }
        elif days == 0:
            title = _("Pengingat: batas waktu %s hari ini") % a.module.title
        else:
            title = _("Terlambat: %(m)s melewati batas waktu %(d)s") % {
                "m": a.module.title,
                "d": due,
            }
        items.append(
            {
                "user_id": a.employee.user_id,
                "kind": Notification.Kind.REMINDER,
                "title": title,
                "body": _("Selesaikan pelatihan “%(m)s” (batas waktu %(d)s).")
                % {"m": a.module.title, "d": due},
                "url": url,
                "dedupe_key": f"remind:{a.pk}:{kind}",
            }
        )
    return notify_bulk(items)


def certificates_check_expiry(*, now: dt.datetime | None = None) -> int:
    """30 days before expiry: remind the holder, create a renewal assignment (once)."""
    now = now or timezone.now()
    soon = list(
        Certificate.objects.filter(
            expires_at__isnull=False,
            expires_at__lte=now + dt.timedelta(days=30),
            expiry_reminded_at__isnull=True,
            revoked_at__isnull=True,
        ).select_related("employee", "module")
    )
    for cert in soon:
        with transaction.atomic():
            claimed = Certificate.objects.filter(
                pk=cert.pk, expiry_reminded_at__isnull=True
            ).update(expiry_reminded_at=now)
            if not claimed:
                continue
            if cert.module.live:
                due = (
                    timezone.localtime(cert.expires_at, rules.JAKARTA).date()
                    if cert.expires_at > now
                    else None
                )
                Assignment.objects.bulk_create(
                    [
                        Assignment(
                            employee=cert.employee,
                            module=cert.module,
                            status=S.ASSIGNED,
                            origin=Assignment.Origin.RENEWAL,
                            due_date=due,
                            jp=cert.module.jp,
                            approved_at=now,
                        )
                    ],
                    ignore_conflicts=True,
                )
            if cert.employee.user_id:
                notify(
                    user_ids=[cert.employee.user_id],
                    kind=Notification.Kind.REMINDER,
                    title=_("Sertifikat segera kedaluwarsa: %s") % cert.module_title,
                    body=_(
                        "Sertifikat %(n)s berlaku sampai %(d)s. Penugasan pembaruan telah dibuat."
                    )
                    % {
                        "n": cert.number,
                        "d": timezone.localtime(cert.expires_at, rules.JAKARTA).strftime(
                            "%d-%m-%Y"
                        ),
                    },
                    url=reverse("workflow:my_training"),
                    dedupe_key=f"expiry:{cert.pk}",
                )
    return len(soon)


@transaction.atomic
def notifications_mark_read(*, user, ids=None) -> int:
    query = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        query = query.filter(pk__in=list(ids))
    return query.update(read_at=timezone.now())
