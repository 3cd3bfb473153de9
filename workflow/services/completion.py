"""Learning events: self-enrolment, a lesson completed, a quiz submitted. Progress rows are
portal's (``portal/progress.py``); the assignment they count for is advanced here."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensi.models import Employee
from portal import progress, quiz
from portal.progress import LessonCompleteResult, QuizResult
from workflow.models import Assignment

from .assignments import _complete_if_done, assignment_start
from .common import ACTIVE_STATES, DONE_STATES, OPEN_STATES, S, WorkflowError, _check

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
        .filter(employee__user=user, module=module, status__in=ACTIVE_STATES)
        .first()
    )
    if a is not None:
        return a
    employee = _employee_of(user)
    if employee is None:
        return None
    if Assignment.objects.filter(employee=employee, module=module, status__in=DONE_STATES).exists():
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


@transaction.atomic
def lesson_complete(*, user, lesson) -> LessonCompleteResult:
    """Mark a lesson done for ``user``; completes the assignment at once when it was the last
    missing item. A quiz lesson is done when its quiz is passed (see ``quiz_submit``)."""
    module = _lesson_module(lesson)
    progress.record_lesson_done(user=user, lesson=lesson, module=module)
    a = _after_event(user, module)
    return LessonCompleteResult(
        assignment_status=a.status if a else None,
        progress_percent=progress.module_percent_of(user=user, module=module),
    )


@transaction.atomic
def quiz_submit(*, user, lesson, answers: dict[str, list[str]]) -> QuizResult:
    if not quiz.lesson_has_quiz(lesson):
        raise WorkflowError(_("Pelajaran ini tidak memiliki kuis."))
    module = _lesson_module(lesson)
    kept = quiz.clean_answers(lesson, answers)
    score, _credits = quiz.grade_detail(lesson, answers)
    score = int(round(score))
    passed = score >= module.pass_mark
    row = progress.record_quiz_attempt(
        user=user, lesson=lesson, module=module, score=score, passed=passed, answers=kept
    )
    a = _after_event(user, module)
    return QuizResult(
        score_percent=score,
        passed=passed,
        best_score_percent=row.best_score or 0,
        questions=quiz.attempt_feedback(lesson, kept),
        # _after_event returns only an assignment that was open: done now means this attempt
        # met the module's last requirement.
        module_completed=bool(a and a.status in DONE_STATES),
    )
