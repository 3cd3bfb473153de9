"""A real Celery worker on Redis runs our tasks against PostgreSQL; health reports the broker."""

import time
import uuid

from django.db import transaction

from core.models import WorkerHeartbeat
from core.tasks import heartbeat


def test_real_worker_runs_a_task_that_writes_a_row(celery_worker_process, wait_until):
    rolled_back, committed = uuid.uuid4().hex, uuid.uuid4().hex
    try:
        with transaction.atomic():
            heartbeat.delay_on_commit(rolled_back)
            raise RuntimeError("batal")
    except RuntimeError:
        pass
    with transaction.atomic():
        heartbeat.delay_on_commit(committed)
        assert not WorkerHeartbeat.objects.filter(token=committed).exists()

    row = wait_until(
        lambda: WorkerHeartbeat.objects.filter(token=committed).first(),
        timeout=30,
        message="pekerja Celery tidak menulis baris heartbeat dalam 30 detik",
    )
    assert row.hostname
    # The queue is FIFO and the worker takes one at a time: the rolled-back one was never sent.
    assert not WorkerHeartbeat.objects.filter(token=rolled_back).exists()
    assert "portal.tasks.heartbeat" in celery_worker_process.logs()

    assert celery_worker_process.stop() == 0
    assert not celery_worker_process.alive


def test_worker_restarts_and_picks_up_queued_work(celery_worker_process, wait_until):
    celery_worker_process.stop()
    token = uuid.uuid4().hex
    heartbeat.delay(token)  # queued in Redis while no worker runs
    time.sleep(0.5)
    assert not WorkerHeartbeat.objects.filter(token=token).exists()
    celery_worker_process.start()
    wait_until(lambda: WorkerHeartbeat.objects.filter(token=token).exists(), timeout=30)


def test_health_reports_broker_ok_when_redis_answers(client, db, real_broker):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "tasks": "broker-ok"}


def test_health_reports_broker_down_and_still_answers_quickly(client, db, broker_url):
    from tests.integration.conftest import use_real_broker

    with use_real_broker("redis://127.0.0.1:1/0", "sikap-test-nowhere"):
        started = time.monotonic()
        response = client.get("/api/v1/health")
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json()["tasks"] == "broker-down"
    assert response.json()["database"] == "ok"
    assert elapsed < 5, f"health menunggu {elapsed:.1f} detik"


def test_api_refuses_a_nul_character_cleanly_on_postgresql(db, make_user, api):
    """PostgreSQL refuses NUL in text (SQLite does not): a 422 in Indonesian, nothing written."""
    from kompetensi.models import Competency

    hr = make_user("sdm-nul", "ASN", "BKPSDM")
    before = Competency.objects.count()
    response = api(hr).post(
        "/competencies", {"code": "T.NUL", "name": "a\u0000b", "kind": "manajerial"}
    )
    assert response.status_code == 422, response.content
    assert "tidak valid" in response.json()["detail"]
    assert Competency.objects.count() == before
