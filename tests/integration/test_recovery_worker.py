"""Issue #14, "work never lost", in the production shape: a certificate committed by a process
that died before queueing its render (and a completed assignment whose issue was never
queued) are repaired by the beat sweep running on a real Celery worker (Redis, PostgreSQL)."""

import datetime as dt
from unittest import mock

from django.utils import timezone

from tests.workflow import conftest as workflow_fixtures
from workflow import services
from workflow.models import Assignment, Certificate
from workflow.tasks import sweep_follow_ups

S = Assignment.Status
catalog = workflow_fixtures.catalog
unit = workflow_fixtures.unit
competency = workflow_fixtures.competency
make_module = workflow_fixtures.make_module
make_employee = workflow_fixtures.make_employee


def test_sweep_on_a_real_worker_repairs_lost_follow_ups(
    celery_worker_process, wait_until, make_module, make_employee
):
    module = make_module(lessons=1, quiz=False)
    lost_render = Assignment.objects.create(
        employee=make_employee(), module=module, status=S.COMPLETED, jp=2
    )
    lost_issue = Assignment.objects.create(
        employee=make_employee(), module=module, status=S.COMPLETED, jp=2
    )
    # The issuing process commits, then dies before its on-commit hook queues the render.
    with mock.patch("workflow.tasks.render_certificate.delay_on_commit"):
        services.certificate_issue(assignment_id=lost_render.pk)
    cert = Certificate.objects.get(assignment=lost_render)
    assert not cert.pdf
    # Both facts are older than the sweep's settling time.
    past = timezone.now() - services.SWEEP_MIN_AGE - dt.timedelta(minutes=1)
    Certificate.objects.filter(pk=cert.pk).update(issued_at=past)
    Assignment.objects.filter(pk=lost_issue.pk).update(completed_at=past)

    sweep_follow_ups.delay()  # what beat sends every five minutes
    wait_until(
        lambda: (
            Certificate.objects.filter(emailed_at__isnull=False).exclude(pdf="").count() == 2
            and Assignment.objects.filter(status=S.CERTIFIED).count() == 2
        ),
        timeout=120,
        message="sapuan tidak memulihkan sertifikat yang tertinggal",
    )
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2]
    celery_worker_process.stop()
