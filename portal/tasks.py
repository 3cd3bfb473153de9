import socket

from celery import shared_task


@shared_task(name="portal.tasks.heartbeat")
def heartbeat(token: str) -> None:
    """Idempotent: writes (or refreshes) one row per token."""
    from .models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        token=token, defaults={"hostname": socket.gethostname()}
    )
