"""Issue #14, "work never lost": a process killed between a commit and the enqueueing of what
follows (issue the certificate, render its PDF, e-mail it) leaves a committed fact without its
follow-up. The "already exists" path of ``certificate_issue`` queues what is missing, and the
beat sweep (``services.follow_ups_sweep``) finds and repairs the rest, idempotently.

The kill is simulated by dropping the on-commit hooks (``django_capture_on_commit_callbacks``
without executing them): exactly what a SIGKILL after COMMIT and before the hook does."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tests.workflow.conftest import finish_module
from workflow import services, tasks
from workflow.models import Assignment, Certificate

S = Assignment.Status
pytestmark = pytest.mark.django_db
LATER = dt.timedelta(minutes=6)  # past SWEEP_MIN_AGE


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def learner(make_employee, make_module, fake_pdf):
    return make_employee("pembelajar"), make_module("Pelayanan Prima", jp=12)


def _killed(capture, fn, *args, **kwargs):
    """Run ``fn`` and lose its on-commit hooks (the process died right after COMMIT)."""
    with capture(execute=False) as dropped:
        fn(*args, **kwargs)
    return dropped


def test_killed_after_completion_the_sweep_issues_renders_and_mails(
    learner, django_capture_on_commit_callbacks
):
    e, m = learner
    dropped = _killed(django_capture_on_commit_callbacks, finish_module, e.user, m)
    assert dropped  # the issue task was to be queued on commit
    a = Assignment.objects.get(employee=e)
    assert a.status == S.COMPLETED and not Certificate.objects.exists()
    mail.outbox.clear()
    # Too recent for the sweep: work may still be in flight.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.follow_ups_sweep().issue == 0
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.follow_ups_sweep(now=timezone.now() + LATER)
    assert result.issue == 1
    cert = Certificate.objects.get(assignment=a)
    a.refresh_from_db()
    assert a.status == S.CERTIFIED and cert.pdf and cert.sha256 and cert.emailed_at
    assert [msg.to for msg in mail.outbox if cert.number in msg.subject] == [[e.user.email]]
    # Idempotent: another sweep (even past the re-queue pause) finds nothing to do.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.follow_ups_sweep(now=timezone.now() + dt.timedelta(hours=1))
    assert (again.issue, again.render, again.email) == (0, 0, 0)
    assert Certificate.objects.count() == 1


def test_killed_after_issue_the_redelivered_task_queues_the_render(
    learner, django_capture_on_commit_callbacks
):
    """The case from the issue: the issue task committed, died before its hook queued the
    render; the broker redelivers the issue task, which used to return "already exists"."""
    e, m = learner
    finish_module(e.user, m)  # hooks never run inside the test transaction: no issue yet
    a = Assignment.objects.get(employee=e)
    _killed(django_capture_on_commit_callbacks, tasks.issue_certificate, a.pk)
    cert = Certificate.objects.get(assignment=a)
    assert not cert.pdf
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.issue_certificate(a.pk) == cert.pk  # redelivered
    cert.refresh_from_db()
    assert cert.pdf and cert.emailed_at
    assert len([msg for msg in mail.outbox if cert.number in msg.subject]) == 1
    # Once more: nothing is rendered or sent again, no second certificate.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.issue_certificate(a.pk)
    assert Certificate.objects.count() == 1
    assert len([msg for msg in mail.outbox if cert.number in msg.subject]) == 1


def test_sweep_renders_missing_pdfs_and_sends_missing_emails(
    learner, make_employee, make_module, django_capture_on_commit_callbacks
):
    e, m = learner
    finish_module(e.user, m)
    a = Assignment.objects.get(employee=e)
    _killed(django_capture_on_commit_callbacks, services.certificate_issue, assignment_id=a.pk)
    no_pdf = Certificate.objects.get(assignment=a)
    # A second certificate rendered, but its e-mail task was lost.
    e2, m2 = make_employee("kedua"), make_module()
    finish_module(e2.user, m2)
    a2 = Assignment.objects.get(employee=e2)
    _killed(django_capture_on_commit_callbacks, services.certificate_issue, assignment_id=a2.pk)
    no_mail = Certificate.objects.get(assignment=a2)
    _killed(
        django_capture_on_commit_callbacks, services.certificate_render, certificate_id=no_mail.pk
    )
    no_mail.refresh_from_db()
    assert no_mail.pdf and no_mail.emailed_at is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.follow_ups_sweep(now=timezone.now() + LATER)
    assert (result.issue, result.render, result.email) == (0, 1, 1)
    for cert in (no_pdf, no_mail):
        cert.refresh_from_db()
        assert cert.pdf and cert.emailed_at
    sent = {
        msg.to[0] for msg in mail.outbox for cert in (no_pdf, no_mail) if cert.number in msg.subject
    }
    assert sent == {e.user.email, e2.user.email}


def test_sweep_leaves_alone_what_needs_no_email(
    learner, hr_user, django_capture_on_commit_callbacks
):
    e, m = learner
    finish_module(e.user, m)
    cert = services.certificate_issue(assignment_id=Assignment.objects.get(employee=e).pk)
    services.certificate_render(certificate_id=cert.pk)
    cert.refresh_from_db()
    # Revoked before its e-mail went out: never e-mailed.
    services.certificate_revoke(certificate=cert, actor=hr_user, reason="Keliru")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.follow_ups_sweep(now=timezone.now() + LATER)
    assert result.email == 0
    # Issued long ago (before e-mail existed, or by a seed): not e-mailed by a sweep either.
    Certificate.objects.filter(pk=cert.pk).update(revoked_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.follow_ups_sweep(now=timezone.now() + dt.timedelta(days=30))
    assert result.email == 0
    assert not [msg for msg in mail.outbox if cert.number in msg.subject]


def test_sweep_does_not_queue_the_same_item_twice_within_the_pause(
    learner, django_capture_on_commit_callbacks, monkeypatch
):
    """A backlog (or a task held by a dead worker until the visibility timeout) does not make
    every sweep queue the same follow-up again."""
    e, m = learner
    finish_module(e.user, m)
    a = Assignment.objects.get(employee=e)
    queued = []
    monkeypatch.setattr(tasks.issue_certificate, "delay", lambda pk: queued.append(pk))
    now = timezone.now() + LATER
    services.follow_ups_sweep(now=now)
    services.follow_ups_sweep(now=now + dt.timedelta(minutes=5))
    assert queued == [a.pk]


def test_the_sweep_runs_every_five_minutes():
    from sikap.celery import app

    entry = app.conf.beat_schedule["workflow-sweep-follow-ups"]
    assert entry["task"] == "workflow.tasks.sweep_follow_ups"
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert tasks.sweep_follow_ups.name == "workflow.tasks.sweep_follow_ups"
