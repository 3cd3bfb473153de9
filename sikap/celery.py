"""The Celery app. Settings that keep work safe are set here, not left to defaults.

- acks late + reject on worker lost: a task whose worker dies is redelivered, not lost;
- prefetch 1: a worker holds one unacknowledged task at a time;
- Redis visibility timeout (CELERY_VISIBILITY_TIMEOUT, default 3600 s): an unacknowledged
  task is handed to another worker after that long, so no task may run longer than it;
- JSON only; task arguments are ids, never personal data;
- dispatch with ``task.delay_on_commit(...)`` so no task runs before its row is committed.
"""

import logging
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikap.settings.dev")

app = Celery("sikap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    timezone="Asia/Jakarta",
    enable_utc=True,
    broker_connection_retry_on_startup=True,
    worker_max_tasks_per_child=1000,
    worker_max_memory_per_child=300_000,  # KiB: a worker child is replaced past ~300 MB
    task_track_started=False,
    result_backend=None,
    task_ignore_result=True,
)
_visibility = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
app.conf.broker_transport_options = {"visibility_timeout": _visibility}

# Periodic work (celery beat). Later modules add their entries here.
app.conf.beat_schedule = {
    "workflow-send-reminders": {
        "task": "workflow.tasks.send_due_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "workflow-certificate-expiry": {
        "task": "workflow.tasks.check_certificate_expiry",
        "schedule": crontab(hour=6, minute=30),
    },
    # Certificate follow-ups lost to a crash between a commit and its on-commit enqueue (or
    # held by a dead worker until the visibility timeout) are queued again within minutes.
    "workflow-sweep-follow-ups": {
        "task": "workflow.tasks.sweep_follow_ups",
        "schedule": crontab(minute="*/5"),
    },
    "forum-daily-digest": {
        "task": "forum.tasks.send_daily_digests",
        "schedule": crontab(hour=6, minute=0),
    },
}

app.autodiscover_tasks()

logger = logging.getLogger("sikap.worker")


@worker_ready.connect
def _check_pdf_libraries(**_kwargs) -> None:
    """Log an error when HarfBuzz's subsetting library is missing (PDFs become ~10× slower)."""
    try:
        from core.pdf import harfbuzz_subset_available
    except Exception:  # pragma: no cover - the PDF module failed to import at all
        logger.exception("Modul PDF tidak dapat dimuat: sertifikat tidak dapat dibuat.")
        return
    if not harfbuzz_subset_available():
        logger.error(
            "libharfbuzz-subset0 tidak terpasang: pembuatan PDF sertifikat ~10x lebih lambat. "
            "Pasang dengan: apt-get install -y libharfbuzz-subset0"
        )


@worker_process_init.connect
def _warm_pdf_renderer(**_kwargs) -> None:
    """Parse fonts and stylesheets once per worker process, not per PDF."""
    try:
        from core.pdf import warm_up

        warm_up()
    except Exception:  # pragma: no cover - logged, the worker still serves other tasks
        logger.exception("Gagal menyiapkan perender PDF.")
