"""Integration tests: the production shape on one machine — PostgreSQL, Redis, a real Celery worker.

Every test here needs PostgreSQL (``DATABASE_URL=postgres://…``, as .ci/run sets it): it is
skipped with the reason when that is missing, and fails instead when SIKAP_REQUIRE_SERVICES=1.

Fixtures:

- ``broker_url``: the Redis broker (``CELERY_BROKER_URL`` or redis://127.0.0.1:6379/15),
  checked to answer.
- ``real_broker``: for the duration of the test, this process's Celery app publishes to that
  broker (``task_always_eager`` off) on a queue of the test's own; yields the queue name.
- ``celery_worker_process``: a started ``celery -A sikap worker`` subprocess consuming that
  queue, with the *test* database (use it with ``transactional_db`` so rows are committed and
  the worker sees them). Helpers: ``.stop()`` (SIGTERM, warm shutdown, wait), ``.kill()``
  (SIGKILL the whole process group: tasks in flight are lost by that process), ``.start()``,
  ``.restart()``, ``.alive``, ``.logs()``, ``.wait_for_log(text)``. Options by indirect
  parametrisation are not needed: call ``celery_worker_process.restart(pool="prefork",
  concurrency=2, env={"CELERY_VISIBILITY_TIMEOUT": "5"})`` to change them.
- ``wait_until(predicate, timeout=30)``: poll until ``predicate()`` is truthy; returns it.

Redis redelivers a task whose worker died without acknowledging it (acks_late) only after
``CELERY_VISIBILITY_TIMEOUT`` seconds (3600 by default): a test that kills a worker and
expects redelivery should restart it with a small timeout, e.g. ``env={"CELERY_VISIBILITY_TIMEOUT":
"3"}``, and publish after that restart or wait that long.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.services import redis_url, require_service, tcp_open

ROOT = Path(__file__).resolve().parents[2]
LOG_DIR = ROOT / ".cache" / "test-logs"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _require_postgresql(request):
    from django.db import connection

    engine = connection.settings_dict["ENGINE"]
    require_service(
        "PostgreSQL",
        engine == "django.db.backends.postgresql",
        f"DATABASE_URL bukan PostgreSQL (mesin: {engine}); contoh: "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/sikap",
    )
    host = connection.settings_dict.get("HOST") or "127.0.0.1"
    port = connection.settings_dict.get("PORT") or 5432
    require_service(
        "PostgreSQL",
        tcp_open(f"//{host}:{port}", 5432),
        f"tidak ada yang menjawab di {host}:{port}",
    )


@pytest.fixture
def broker_url() -> str:
    url = redis_url()
    require_service("Redis", tcp_open(url, 6379), f"broker {url} tidak menjawab")
    return url


def _reset_celery_connections(app) -> None:
    """Forget connection pools and the routing cache (they remember the broker and queues)."""
    from kombu import pools

    pools.reset()  # closes and forgets kombu's process-wide connection/producer pools
    app._pool = None
    app.__dict__.pop("amqp", None)


@contextlib.contextmanager
def use_real_broker(url: str, queue: str):
    """This process's Celery app publishes to ``url`` on ``queue`` (not eagerly) meanwhile."""
    from django.conf import settings

    from sikap.celery import app

    keys = ("task_always_eager", "broker_url", "broker_write_url", "task_default_queue")
    saved = {key: app.conf.get(key) for key in keys}
    saved_settings = (settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL)
    _reset_celery_connections(app)
    app.conf.update(
        task_always_eager=False, broker_url=url, broker_write_url=url, task_default_queue=queue
    )
    settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL = False, url
    try:
        yield app
    finally:
        _reset_celery_connections(app)
        app.conf.update(saved)
        settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL = saved_settings


@pytest.fixture
def real_broker(broker_url):
    queue = f"sikap-test-{uuid.uuid4().hex[:12]}"
    with use_real_broker(broker_url, queue):
        yield queue
    with contextlib.suppress(Exception):
        import redis

        redis.Redis.from_url(broker_url).delete(queue)


def _test_database_url() -> str:
    """The URL of the database this test process uses (the *test* database)."""
    from django.db import connection

    s = connection.settings_dict
    auth = quote(s.get("USER") or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


def wait_until(predicate, *, timeout: float = 30.0, interval: float = 0.2, message: str = ""):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(message or f"tidak terjadi dalam {timeout:.0f} detik", pytrace=False)
        time.sleep(interval)


@pytest.fixture(name="wait_until")
def wait_until_fixture():
    return wait_until


class CeleryWorkerProcess:
    """A real ``celery -A sikap worker`` in its own process group."""

    def __init__(self, *, broker_url: str, queue: str, database_url: str, name: str) -> None:
        self.broker_url = broker_url
        self.queue = queue
        self.database_url = database_url
        self.name = name
        self.proc: subprocess.Popen | None = None
        self.log_path = LOG_DIR / f"{name}.log"
        self.returncode: int | None = None
        self.options: dict = {"pool": "solo", "concurrency": 1, "env": {}}

    # -- life cycle --------------------------------------------------------------------------
    def start(self, *, pool: str | None = None, concurrency: int | None = None, env=None,
              timeout: float = 60.0) -> "CeleryWorkerProcess":  # fmt: skip
        if self.alive:
            raise RuntimeError("pekerja Celery sudah berjalan")
        if pool is not None:
            self.options["pool"] = pool
        if concurrency is not None:
            self.options["concurrency"] = concurrency
        if env is not None:
            self.options["env"] = dict(env)
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sikap.settings.test",
            "SIKAP_TEST_REAL_BROKER": "1",
            "SIKAP_TEST_CELERY_QUEUE": self.queue,
            "CELERY_BROKER_URL": self.broker_url,
            "DATABASE_URL": self.database_url,
            "PYTHONUNBUFFERED": "1",
            **self.options["env"],
        }
        environment.pop("SIKAP_TEST_DB_FILE", None)
        command = [
            sys.executable, "-m", "celery", "-A", "sikap", "worker",
            "--pool", self.options["pool"], "--concurrency", str(self.options["concurrency"]),
            "--queues", self.queue, "--hostname", f"{self.name}@%h", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.returncode = None
        self.wait_for_log(" ready.", timeout=timeout)
        return self

    def stop(self, timeout: float = 30.0) -> int:
        """Warm shutdown (SIGTERM): finish the task in hand, then exit. Returns the exit code."""
        if self.proc is None:
            return self.returncode or 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                pytest.fail(
                    f"pekerja Celery tidak berhenti dalam {timeout:.0f} detik setelah SIGTERM"
                )
        self.returncode = self.proc.returncode
        self.proc = None
        return self.returncode

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once (a crash, a pulled plug)."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.returncode = self.proc.returncode
        self.proc = None

    def restart(self, **options) -> "CeleryWorkerProcess":
        if self.alive:
            self.stop()
        return self.start(**options)

    # -- observation -------------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def logs(self, since_start: bool = True) -> str:
        if not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as log:
            if since_start:
                log.seek(getattr(self, "_log_offset", 0))
            return log.read().decode("utf-8", "replace")

    def wait_for_log(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.logs():
            if self.proc is not None and self.proc.poll() is not None:
                pytest.fail(
                    f"pekerja Celery berhenti (kode {self.proc.returncode}):\n{self.logs()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"'{text}' tidak muncul dalam log pekerja:\n{self.logs()[-3000:]}")
            time.sleep(0.1)


@pytest.fixture
def celery_worker_process(transactional_db, real_broker, broker_url):
    """A started real Celery worker on this test's queue and the test database."""
    worker = CeleryWorkerProcess(
        broker_url=broker_url,
        queue=real_broker,
        database_url=_test_database_url(),
        name=real_broker,
    )
    worker.start()
    try:
        yield worker
    finally:
        if worker.alive:
            worker.stop()
