"""Assignments: the state machine (approve, create, update, cancel, start, complete), one
assignment or many."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import dataversion
from core.models import Notification
from core.notifications import notify_bulk
from kompetensi import rules
from kompetensi.models import Employee
from kompetensi.services import people_changed
from portal.models import LessonProgress
from portal.progress import build_progress
from portal.quiz import module_lessons
from workflow import permissions
from workflow.models import Assignment, TrainingNeed

from .common import (
    ACTIVE_STATES,
    DONE_STATES,
    OPEN_STATES,
    NotFound,
    S,
    TransitionError,
    WorkflowError,
    _check,
    jakarta_today,
    require_hr,
    require_hr_over,
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
        due = rules.numeric_date(a.due_date) if a.due_date else _("tanpa batas waktu")
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
        TrainingNeed.objects.filter(pk=a.need_id, status=TrainingNeed.Status.OPEN).update(
            status=TrainingNeed.Status.ADDRESSED
        )
        dataversion.bump("sdm", *dataversion.for_person(employee=a.employee_id))
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
    people_changed([a.employee_id for a in rows])  # cache versions (core/dataversion.py)
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
            need_id=a.need_id, status__in=(*ACTIVE_STATES, *DONE_STATES)
        ).exists()
    ):
        TrainingNeed.objects.filter(pk=a.need_id, status=TrainingNeed.Status.ADDRESSED).update(
            status=TrainingNeed.Status.OPEN
        )
        dataversion.bump("sdm", *dataversion.for_person(employee=a.employee_id))
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
    people_changed([a.employee_id for a in rows])  # cache versions (core/dataversion.py)
    return len(rows)


def _reopen_needs(need_ids) -> None:
    """Needs "addressed" by assignments that were all cancelled are open again."""
    if not need_ids:
        return
    busy = Assignment.objects.filter(
        need_id__in=need_ids, status__in=(*ACTIVE_STATES, *DONE_STATES)
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
        TrainingNeed.objects.filter(pk=a.need_id, status=TrainingNeed.Status.OPEN).update(
            status=TrainingNeed.Status.ADDRESSED
        )
        dataversion.bump("sdm", *dataversion.for_person(employee=a.employee_id))
    from workflow.tasks import issue_certificate

    issue_certificate.delay_on_commit(a.pk)
    return a


def _complete_if_done(a: Assignment) -> Assignment:
    """Completion is computed on the event: every lesson done and every quiz passed."""
    if a.status not in ACTIVE_STATES or not a.employee.user_id:
        return a
    lessons = module_lessons(a.module)
    rows = {
        r.lesson_id: r
        for r in LessonProgress.objects.filter(user_id=a.employee.user_id, module=a.module)
    }
    if build_progress(a.module, lessons, rows).completed:
        return assignment_complete(assignment=a)
    return a
