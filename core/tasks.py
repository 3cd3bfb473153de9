"""Celery tasks of core: thin, idempotent, ids only.

Their registered names are the ones they had before they moved here
(``portal.tasks.heartbeat``, ``workflow.tasks.send_notification_emails``), so tasks already
queued by the previous release still run after a deploy."""

import socket

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone


@shared_task(name="portal.tasks.heartbeat")
def heartbeat(token: str) -> None:
    """Idempotent: writes (or refreshes) one row per token."""
    from .models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        token=token, defaults={"hostname": socket.gethostname()}
    )


@shared_task(
    name="workflow.tasks.send_notification_emails",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification once: a row is claimed (emailed_at set) before it is sent."""
    from .models import Notification

    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(of=("self",))
                .select_related("user")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if row is None or not row.user.email:
                continue
            body = row.body
            if row.url:
                # Through the open link: the notification is marked read when followed.
                link = reverse("notification_open", args=[row.pk])
                body = f"{body}\n\n{settings.SITE_URL}{link}"
            send_mail(f"[SIKAP] {row.title}", body, None, [row.user.email])
            row.emailed_at = timezone.now()
            row.save(update_fields=["emailed_at"])
            sent += 1
    return sent
