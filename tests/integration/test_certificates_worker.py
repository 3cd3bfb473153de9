"""A real Celery worker on Redis issues and renders a batch of certificates against PostgreSQL;
SIGKILL it mid-batch, restart it: every certificate exists exactly once, numbers gapless, each
PDF stored with its SHA-256."""

import hashlib

from django.core.files.storage import default_storage

from tests.workflow import conftest as workflow_fixtures
from workflow.models import Assignment, Certificate
from workflow.tasks import issue_certificate

S = Assignment.Status
# The workflow tests' factories, used here as fixtures.
catalog = workflow_fixtures.catalog
unit = workflow_fixtures.unit
competency = workflow_fixtures.competency
make_module = workflow_fixtures.make_module
make_employee = workflow_fixtures.make_employee
BATCH = 10


def _batch(make_module, make_employee):
    module = make_module(lessons=1, quiz=False)
    return [
        Assignment.objects.create(employee=make_employee(), module=module, status=S.COMPLETED, jp=2)
        for _ in range(BATCH)
    ]


def test_sigkill_mid_batch_then_restart(
    celery_worker_process, wait_until, make_module, make_employee
):
    # Short visibility timeout: the task the dead worker held is redelivered within seconds.
    celery_worker_process.restart(env={"CELERY_VISIBILITY_TIMEOUT": "3"})
    assignments = _batch(make_module, make_employee)
    for a in assignments:
        issue_certificate.delay(a.pk)
    for a in assignments[:3]:
        issue_certificate.delay(a.pk)  # duplicates: a completion racing itself

    def rendering() -> bool:
        with_pdf = Certificate.objects.exclude(pdf="").count()
        pending = Certificate.objects.filter(pdf="").count()
        return with_pdf >= 1 and pending >= 1

    wait_until(rendering, timeout=120, message="pekerja tidak mulai membuat PDF sertifikat")
    celery_worker_process.kill()
    assert not celery_worker_process.alive
    done_before = Certificate.objects.exclude(pdf="").count()
    assert done_before < BATCH

    celery_worker_process.start(env={"CELERY_VISIBILITY_TIMEOUT": "3"})
    wait_until(
        lambda: (
            Certificate.objects.exclude(pdf="").count() == BATCH
            and Assignment.objects.filter(status=S.CERTIFIED).count() == BATCH
        ),
        timeout=180,
        message="tidak semua sertifikat selesai setelah pekerja dijalankan ulang",
    )
    certificates = list(Certificate.objects.order_by("sequence"))
    assert len(certificates) == BATCH
    assert [c.sequence for c in certificates] == list(range(1, BATCH + 1))
    assert len({c.assignment_id for c in certificates}) == BATCH
    assert len({c.verification_code for c in certificates}) == BATCH
    for cert in certificates:
        with default_storage.open(cert.pdf.name, "rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF")
        assert hashlib.sha256(data).hexdigest() == cert.sha256
    celery_worker_process.stop()
