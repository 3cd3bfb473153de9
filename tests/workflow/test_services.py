"""The assignment state machine, recommendations, completion, JP per year, needs lifecycle."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from core.roles import SYSTEM
from tests.workflow.conftest import finish_module
from workflow import services
from workflow.models import Assignment, Certificate, TrainingNeed

S = Assignment.Status
pytestmark = pytest.mark.django_db


def _assignment(employee, module, status):
    return Assignment.objects.create(employee=employee, module=module, status=status, jp=module.jp)


# ------------------------------------------------------------------------------------------
# State machine: every legal and illegal transition
# ------------------------------------------------------------------------------------------

LEGAL = [
    ("approve", S.RECOMMENDED, S.ASSIGNED),
    ("start", S.ASSIGNED, S.IN_PROGRESS),
    ("complete", S.ASSIGNED, S.COMPLETED),
    ("complete", S.IN_PROGRESS, S.COMPLETED),
    ("certify", S.COMPLETED, S.CERTIFIED),
    ("cancel", S.RECOMMENDED, S.CANCELLED),
    ("cancel", S.ASSIGNED, S.CANCELLED),
    ("cancel", S.IN_PROGRESS, S.CANCELLED),
]
ALL_STATES = [s for s, _label in S.choices]
ILLEGAL = [
    (name, state)
    for name in services.TRANSITIONS
    for state in ALL_STATES
    if (name, state) not in {(n, f) for n, f, _t in LEGAL}
]


def _do(name, a, hr):
    if name == "approve":
        return services.assignment_approve(assignment=a, actor=hr, due_date=None)
    if name == "start":
        return services.assignment_start(assignment=a)
    if name == "complete":
        return services.assignment_complete(assignment=a)
    if name == "certify":
        return services.certificate_issue(assignment_id=a.pk)
    return services.assignment_cancel(assignment=a, actor=hr, reason="uji")


@pytest.mark.parametrize(("name", "source", "target"), LEGAL)
def test_legal_transitions(name, source, target, make_module, make_employee, hr_user, fake_pdf):
    a = _assignment(make_employee(), make_module(), source)
    _do(name, a, hr_user)
    a.refresh_from_db()
    assert a.status == target


@pytest.mark.parametrize(("name", "source"), ILLEGAL)
def test_illegal_transitions(name, source, make_module, make_employee, hr_user, fake_pdf):
    a = _assignment(make_employee(), make_module(), source)
    if name == "certify":
        # The certificate service never certifies an assignment that is not completed.
        assert services.certificate_issue(assignment_id=a.pk) is None or source == S.CERTIFIED
        a.refresh_from_db()
        assert a.status == source
        return
    with pytest.raises(services.TransitionError) as exc:
        _do(name, a, hr_user)
    assert "tidak dapat" in exc.value.message
    a.refresh_from_db()
    assert a.status == source


def test_one_open_assignment_per_employee_and_module(make_module, make_employee, hr_user):
    from django.db import IntegrityError, transaction

    e, m = make_employee(), make_module()
    services.assignment_create(employee=e, module=m, due_date=None, actor=hr_user)
    with pytest.raises(services.TransitionError):
        services.assignment_create(employee=e, module=m, due_date=None, actor=hr_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(employee=e, module=m, status=S.RECOMMENDED)


def test_due_date_in_the_past_is_refused(make_module, make_employee, hr_user):
    with pytest.raises(services.WorkflowError):
        services.assignment_create(
            employee=make_employee(),
            module=make_module(),
            due_date=dt.date(2000, 1, 1),
            actor=hr_user,
        )
    assert not Assignment.objects.exists()


def test_overdue_is_derived(make_module, make_employee):
    from workflow import selectors

    a = _assignment(make_employee(), make_module(), S.ASSIGNED)
    a.due_date = selectors.jakarta_today() - dt.timedelta(days=1)
    assert selectors.is_overdue(a)
    a.status = S.COMPLETED
    assert not selectors.is_overdue(a)


# ------------------------------------------------------------------------------------------
# Recommendations
# ------------------------------------------------------------------------------------------


def test_matching_rule(make_module, make_employee, make_gap, period):
    make_module("Terlalu rendah", target=2, jp=2)
    make_module("Tinggi", target=5, jp=2)
    make_module("Pas tapi panjang", target=3, jp=20)
    best = make_module("Pas dan singkat", target=3, jp=8)
    e = make_employee()
    make_gap(e, required=3, assessed=1)
    result = services.period_recommend(period=period, actor=SYSTEM)
    assert (result.needs, result.recommended, result.without_module) == (1, 1, 0)
    a = Assignment.objects.get()
    assert a.module_id == best.pk
    assert a.status == S.RECOMMENDED and a.need.gap == 2


def test_newest_wins_a_tie(make_module, make_employee, make_gap, period):
    old = make_module("Lama", target=3, jp=8)
    new = make_module("Baru", target=3, jp=8)
    type(old).objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - dt.timedelta(days=9)
    )
    type(new).objects.filter(pk=new.pk).update(first_published_at=timezone.now())
    make_gap(make_employee(), required=3, assessed=2)
    services.period_recommend(period=period, actor=SYSTEM)
    assert Assignment.objects.get().module_id == new.pk


def test_recently_completed_module_is_skipped(make_module, make_employee, make_gap, period):
    done = make_module("Sudah diikuti", target=3, jp=4)
    other = make_module("Lainnya", target=4, jp=4)
    e = make_employee()
    Assignment.objects.create(
        employee=e, module=done, status=S.COMPLETED, completed_at=timezone.now(), jp=4
    )
    make_gap(e, required=3, assessed=1)
    services.period_recommend(period=period, actor=SYSTEM)
    assert Assignment.objects.get(status=S.RECOMMENDED).module_id == other.pk


def test_without_module_and_idempotence(make_module, make_employee, make_gap, period, competency):
    from kompetensi.models import Competency

    teknis = Competency.objects.create(code="T.99", name="Arsip digital", kind="teknis")
    make_module(target=3)
    e1, e2 = make_employee(), make_employee()
    make_gap(e1, required=3, assessed=1)
    make_gap(e2, required=2, assessed=1, comp=teknis)
    make_gap(e2, required=2, assessed=2)  # no gap
    first = services.period_recommend(period=period, actor=SYSTEM)
    assert (first.needs, first.recommended, first.without_module) == (2, 1, 1)
    second = services.period_recommend(period=period, actor=SYSTEM)
    assert (second.needs, second.recommended) == (0, 0)
    assert TrainingNeed.objects.count() == 2 and Assignment.objects.count() == 1


def test_recommend_is_set_based(
    make_module, make_employee, make_gap, period, django_assert_max_num_queries
):
    make_module(target=3)
    for _ in range(3):
        make_gap(make_employee(), required=3, assessed=1)
    with django_assert_max_num_queries(12):
        services.period_recommend(period=period, actor=SYSTEM)
    for _ in range(30):
        make_gap(make_employee(), required=3, assessed=1)
    with django_assert_max_num_queries(12):
        result = services.period_recommend(period=period, actor=SYSTEM)
    assert result.recommended == 30


def test_approval_addresses_need_and_notifies(
    make_module, make_employee, make_gap, period, hr_user
):
    from core.models import Notification

    boss = make_employee("atasan")
    e = make_employee(supervisor=boss)
    make_module(target=3)
    make_gap(e, required=3, assessed=1)
    services.period_recommend(period=period, actor=SYSTEM)
    a = Assignment.objects.get()
    due = services.jakarta_today() + dt.timedelta(days=30)
    assert services.assignment_approve_bulk(ids=[a.pk], actor=hr_user, due_date=due) == 1
    a.refresh_from_db()
    assert a.status == S.ASSIGNED and a.due_date == due
    assert a.need.status == TrainingNeed.Status.ADDRESSED
    assert set(Notification.objects.values_list("user_id", flat=True)) == {e.user_id, boss.user_id}


def test_need_closed_by_later_evaluation(make_module, make_employee, make_gap, period):
    from kompetensi.signals import profile_recomputed

    e = make_employee()
    make_gap(e, required=3, assessed=1)
    services.period_recommend(period=period, actor=SYSTEM)
    make_gap(e, required=3, assessed=3)
    profile_recomputed.send(sender=None, employee_ids=[e.pk], period_id=None)
    need = TrainingNeed.objects.get()
    assert need.status == TrainingNeed.Status.CLOSED and need.closed_reason == "gap tertutup"


def test_need_dismissed_by_hr_needs_reason(make_employee, make_gap, period, hr_user):
    make_gap(make_employee(), required=3, assessed=1)
    services.period_recommend(period=period, actor=SYSTEM)
    need = TrainingNeed.objects.get()
    with pytest.raises(services.WorkflowError):
        services.need_dismiss(need=need, actor=hr_user, reason=" ")
    services.need_dismiss(need=need, actor=hr_user, reason="Sudah mutasi")
    need.refresh_from_db()
    assert need.status == TrainingNeed.Status.DISMISSED


# ------------------------------------------------------------------------------------------
# Completion from progress, checklist, JP per year
# ------------------------------------------------------------------------------------------


def test_completion_on_the_last_event(
    make_module, make_employee, hr_user, fake_pdf, django_capture_on_commit_callbacks
):
    from portal.models import LessonPage
    from portal.progress import module_progress

    e, m = make_employee(), make_module(lessons=2, quiz=True)
    a = services.assignment_create(employee=e, module=m, due_date=None, actor=hr_user)
    first, last = LessonPage.objects.child_of(m).order_by("path")
    services.lesson_complete(user=e.user, lesson=first)
    a.refresh_from_db()
    assert a.status == S.IN_PROGRESS
    p = module_progress(user=e.user, module=m)
    assert [i.done for i in p.checklist] == [True, False, False]
    assert p.percent == 33 and not p.completed
    result = services.quiz_submit(user=e.user, lesson=last, answers={"q1": ["c2"]})
    assert (result.score_percent, result.passed) == (0, False)
    services.lesson_complete(user=e.user, lesson=last)  # a quiz lesson needs the quiz passed
    a.refresh_from_db()
    assert a.status == S.IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        result = services.quiz_submit(user=e.user, lesson=last, answers={"q1": ["c1"]})
    assert (result.passed, result.best_score_percent) == (True, 100)
    a.refresh_from_db()
    assert a.status == S.CERTIFIED
    assert module_progress(user=e.user, module=m).completed


def test_self_enrolment_counts_jp_once(make_module, make_employee, fake_pdf):
    from workflow.selectors import jp_for_employee

    e, m = make_employee(), make_module(jp=12)
    finish_module(e.user, m)
    a = Assignment.objects.get()
    assert a.origin == Assignment.Origin.SELF and a.status in (S.COMPLETED, S.CERTIFIED)
    finish_module(e.user, m)  # doing it again creates nothing
    assert Assignment.objects.count() == 1
    assert jp_for_employee(employee=e, year=a.completion_year) == 12


@pytest.mark.parametrize(
    ("utc_moment", "year"),
    [("2026-12-31T16:59:59Z", 2026), ("2026-12-31T17:00:00Z", 2027)],
)
def test_jp_year_boundary_in_jakarta(
    utc_moment, year, make_module, make_employee, hr_user, fake_pdf
):
    from workflow.selectors import jp_for_employee

    e, m = make_employee(), make_module(jp=7)
    with freeze_time("2026-12-01T00:00:00Z"):
        services.assignment_create(employee=e, module=m, due_date=None, actor=hr_user)
    with freeze_time(utc_moment):
        finish_module(e.user, m)
    a = Assignment.objects.get()
    assert a.completion_year == year
    assert jp_for_employee(employee=e, year=year) == 7
    assert jp_for_employee(employee=e, year=2053 - year) == 0


def test_approving_after_learning_completes_at_once(
    make_module, make_employee, make_gap, period, hr_user, fake_pdf
):
    e, m = make_employee(), make_module(target=3)
    make_gap(e, required=3, assessed=1)
    services.period_recommend(period=period, actor=SYSTEM)
    a = Assignment.objects.get()
    # Learner studies before approval: the lesson events count for no assignment yet,
    # and self-enrolment accepts the recommendation (one open assignment per module).
    finish_module(e.user, m)
    a.refresh_from_db()
    assert a.status in (S.COMPLETED, S.CERTIFIED)
    assert Assignment.objects.count() == 1


# ------------------------------------------------------------------------------------------
# Certificates (numbering, idempotence, revocation)
# ------------------------------------------------------------------------------------------


def test_certificate_issue_is_idempotent_and_gapless(make_module, make_employee, fake_pdf):
    assignments = []
    for _ in range(3):
        a = _assignment(make_employee(), make_module(), S.COMPLETED)
        a.completed_at = timezone.now()
        a.save()
        assignments.append(a)
    for a in assignments:
        services.certificate_issue(assignment_id=a.pk)
        services.certificate_issue(assignment_id=a.pk)
    year = services.jakarta_now().year
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [
        f"{n:05d}/SIKAP/{year}" for n in (1, 2, 3)
    ]
    codes = Certificate.objects.values_list("verification_code", flat=True)
    assert len(set(codes)) == 3 and all(len(c) == 26 for c in codes)


def test_render_task_idempotent(make_module, make_employee, fake_pdf, settings, tmp_path):
    from workflow.tasks import render_certificate

    settings.MEDIA_ROOT = tmp_path
    a = _assignment(make_employee(), make_module(), S.COMPLETED)
    cert = services.certificate_issue(assignment_id=a.pk)
    assert render_certificate(cert.pk) is True
    assert render_certificate(cert.pk) is True
    assert len(fake_pdf) == 1
    cert.refresh_from_db()
    assert len(cert.sha256) == 64 and cert.pdf.name.endswith(".pdf")
    assert render_certificate(999999) is False  # gone: quietly nothing


def test_expiring_certificate_reminder_and_renewal(make_module, make_employee, fake_pdf):
    from core.models import Notification

    m = make_module(valid_months=12)
    a = _assignment(make_employee(), m, S.COMPLETED)
    cert = services.certificate_issue(assignment_id=a.pk)
    assert cert.expires_at is not None
    later = cert.expires_at - dt.timedelta(days=20)
    assert services.certificates_check_expiry(now=later) == 1
    assert services.certificates_check_expiry(now=later) == 0
    renewal = Assignment.objects.get(origin=Assignment.Origin.RENEWAL)
    assert renewal.status == S.ASSIGNED
    assert Notification.objects.filter(dedupe_key=f"expiry:{cert.pk}").count() == 1
    from workflow.selectors import certificate_status

    assert certificate_status(cert, now=cert.expires_at + dt.timedelta(seconds=1)) == "expired"


def test_revoke(make_module, make_employee, hr_user, fake_pdf):
    a = _assignment(make_employee(), make_module(), S.COMPLETED)
    cert = services.certificate_issue(assignment_id=a.pk)
    with pytest.raises(services.WorkflowError):
        services.certificate_revoke(certificate=cert, actor=hr_user, reason="")
    services.certificate_revoke(certificate=cert, actor=hr_user, reason="Data keliru")
    with pytest.raises(services.TransitionError):
        services.certificate_revoke(certificate=cert, actor=hr_user, reason="lagi")
