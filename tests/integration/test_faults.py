"""Faults lose no work: a Redis broker restarted with tasks queued, and a PostgreSQL connection
dropped in the middle of a request.

(a) Our own redis-server with append-only persistence (``--appendonly yes --appendfsync
always``, as SECURITY.md advises for production) is stopped and started again while N tasks
wait in the queue and no worker runs; a worker started afterwards runs every one of them,
exactly once.

(b) A request writes, then its database connection is terminated by the server
(``pg_terminate_backend``) before the request ends: the visitor gets the clean Indonesian error
page and nothing the request wrote is kept (``ATOMIC_REQUESTS``).
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid

import psycopg
import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from core.models import WorkerHeartbeat
from core.tasks import heartbeat
from tests.integration.conftest import (
    CeleryWorkerProcess,
    _test_database_url,
    use_real_broker,
    wait_until,
)
from tests.services import require_service

# -- (a) Redis restarted while tasks are queued ---------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PersistentRedis:
    """A redis-server of the test's own, persisting its data set in an append-only file."""

    def __init__(self, directory) -> None:
        self.directory = str(directory)
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        self.proc = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                "--dir", self.directory, "--logfile", os.path.join(self.directory, "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        wait_until(lambda: self._ping(client), timeout=20, message="redis-server tidak siap")

    @staticmethod
    def _ping(client) -> bool:
        try:
            return client.ping()
        except Exception:
            return False

    def shutdown(self) -> None:
        """SHUTDOWN: Redis writes its append-only file and exits."""
        import redis

        with contextlib.suppress(redis.exceptions.ConnectionError):
            redis.Redis.from_url(self.url).shutdown()
        self.proc.wait(20)

    def crash(self) -> None:
        """SIGKILL: no chance to save anything beyond what is already on disk."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(20)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture
def persistent_redis(tmp_path):
    require_service("redis-server", shutil.which("redis-server") is not None, "tidak terpasang")
    server = PersistentRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("how", ["shutdown", "crash"])
def test_queued_tasks_survive_a_redis_restart_and_run_once(transactional_db, persistent_redis, how):
    import redis

    n = 20
    queue = f"sikap-test-{uuid.uuid4().hex[:12]}"
    tokens = [f"redis-restart-{uuid.uuid4().hex}" for _ in range(n)]
    worker = CeleryWorkerProcess(
        broker_url=persistent_redis.url,
        queue=queue,
        database_url=_test_database_url(),
        name=queue,
    )
    with use_real_broker(persistent_redis.url, queue):
        for token in tokens:
            heartbeat.delay(token)  # no worker runs yet
        assert redis.Redis.from_url(persistent_redis.url).llen(queue) == n

        persistent_redis.shutdown() if how == "shutdown" else persistent_redis.crash()
        persistent_redis.start()  # same --dir: the append-only file is read back
        assert redis.Redis.from_url(persistent_redis.url).llen(queue) == n
        assert not WorkerHeartbeat.objects.filter(token__in=tokens).exists()

        worker.start()
        try:
            wait_until(
                lambda: WorkerHeartbeat.objects.filter(token__in=tokens).count() == n,
                timeout=60,
                message="tidak semua tugas dijalankan setelah Redis dinyalakan ulang",
            )
            time.sleep(1)  # would anything run a second time?
            logs = worker.logs()
        finally:
            worker.stop()

    assert WorkerHeartbeat.objects.filter(token__in=tokens).count() == n
    assert logs.count("succeeded in") == n, logs[-3000:]
    assert redis.Redis.from_url(persistent_redis.url).llen(queue) == 0


# -- (b) PostgreSQL connection dropped mid-request ------------------------------------------------

TOKEN_BEFORE = "terputus-sebelum"
TOKEN_AFTER = "terputus-sesudah"


def _write_then_lose_the_connection(request):
    """A view that writes, then loses its database connection, then writes again."""
    WorkerHeartbeat.objects.create(token=TOKEN_BEFORE, hostname="separuh")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with psycopg.connect(_test_database_url(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    WorkerHeartbeat.objects.create(token=TOKEN_AFTER, hostname="separuh")
    return HttpResponse("tidak sampai di sini")


urlpatterns = [path("uji/putus/", _write_then_lose_the_connection)]


@pytest.mark.urls(__name__)
def test_connection_dropped_mid_request_gives_clean_page_and_writes_nothing(transactional_db):
    client = Client(raise_request_exception=False)
    response = client.get("/uji/putus/")
    connection.close()  # the test's connection was the one terminated

    assert response.status_code == 500
    html = response.content.decode()
    assert "Maaf, terjadi gangguan" in html
    assert "tidak ada data yang tersimpan sebagian" in html
    assert "Traceback" not in html and "psycopg" not in html

    with psycopg.connect(_test_database_url()) as check:
        rows = check.execute(
            "SELECT count(*) FROM portal_workerheartbeat WHERE token IN (%s, %s)",
            [TOKEN_BEFORE, TOKEN_AFTER],
        ).fetchone()[0]
    assert rows == 0
    assert not WorkerHeartbeat.objects.filter(token__in=[TOKEN_BEFORE, TOKEN_AFTER]).exists()
