"""Reminders (daily beat sweep, each once) and the tasks' idempotence."""

import datetime as dt

import pytest
from freezegun import freeze_time

from core.models import Notification
from workflow import services
from workflow.models import Assignment

S = Assignment.Status
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("days_left", "kind"),
    [(8, None), (7, "d7"), (6, None), (2, None), (1, "d1"), (0, "d0"), (-1, "overdue-0"),
     (-2, None), (-7, None), (-8, "overdue-1"), (-15, "overdue-2")],
)  # fmt: skip
def test_reminder_kind(days_left, kind):
    today = dt.date(2026, 11, 29)
    assert services.reminder_kind(today + dt.timedelta(days=days_left), today) == kind


def test_each_reminder_once(make_module, make_employee, hr_user):
    from workflow.tasks import send_due_reminders

    e = make_employee()
    with freeze_time("2026-11-01T01:00:00Z"):
        a = services.assignment_create(
            employee=e, module=make_module(), due_date=dt.date(2026, 11, 20), actor=hr_user
        )
    sent = {}
    day = dt.date(2026, 11, 1)
    while day <= dt.date(2026, 12, 10):
        # 07:00 Asia/Jakarta = 00:00 UTC, as beat runs it
        with freeze_time(f"{day.isoformat()}T00:00:00Z"):
            sent[day] = send_due_reminders()
            assert send_due_reminders() == 0  # a second run the same day sends nothing
        day += dt.timedelta(days=1)
    keys = sorted(
        Notification.objects.filter(user=e.user, kind="reminder").values_list(
            "dedupe_key", flat=True
        )
    )
    assert keys == sorted(
        f"remind:{a.pk}:{k}" for k in ("d7", "d1", "d0", "overdue-0", "overdue-1", "overdue-2")
    )
    assert {d for d, n in sent.items() if n} == {
        dt.date(2026, 11, 13),
        dt.date(2026, 11, 19),
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 21),
        dt.date(2026, 11, 28),
        dt.date(2026, 12, 5),
    }


def test_no_reminders_for_finished_or_cancelled(make_module, make_employee, hr_user):
    e = make_employee()
    m1, m2 = make_module(), make_module()
    due = dt.date(2026, 12, 6)
    with freeze_time("2026-11-20T01:00:00Z"):
        a = services.assignment_create(employee=e, module=m1, due_date=due, actor=hr_user)
        services.assignment_cancel(assignment=a, actor=hr_user, reason="x")
        Assignment.objects.create(employee=e, module=m2, status=S.COMPLETED, due_date=due)
    with freeze_time("2026-11-29T00:00:00Z"):
        assert services.reminders_send() == 0


def test_reminder_sweep_query_count(
    make_module, make_employee, hr_user, django_assert_max_num_queries
):
    m = make_module()
    due = dt.date(2026, 12, 6)
    for n in (3, 30):
        with freeze_time("2026-11-20T01:00:00Z"):
            for _ in range(n):
                services.assignment_create(
                    employee=make_employee(), module=m, due_date=due, actor=hr_user
                )
        with freeze_time("2026-11-29T00:00:00Z"), django_assert_max_num_queries(6):
            services.reminders_send()


def test_issue_task_idempotent(make_module, make_employee, fake_pdf, settings, tmp_path):
    from workflow.models import Certificate
    from workflow.tasks import issue_certificate

    settings.MEDIA_ROOT = tmp_path
    a = Assignment.objects.create(
        employee=make_employee(), module=make_module(), status=S.COMPLETED, jp=3
    )
    first = issue_certificate(a.pk)
    assert issue_certificate(a.pk) == first
    assert Certificate.objects.count() == 1
    assert issue_certificate(999999) is None


def test_completion_enqueues_on_commit(
    make_module, make_employee, hr_user, fake_pdf, django_capture_on_commit_callbacks
):
    from tests.workflow.conftest import finish_module

    e, m = make_employee(), make_module()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        finish_module(e.user, m)
    assert Assignment.objects.get().status == S.COMPLETED  # nothing ran before commit
    assert callbacks
