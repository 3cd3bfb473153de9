"""Celery tasks of the forum (thin: they call services)."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="forum.tasks.send_daily_digests")
def send_daily_digests() -> int:
    """Beat: once a day, one digest e-mail per user who chose the daily digest."""
    from .models import ForumPreference

    user_ids = list(
        ForumPreference.objects.filter(email_mode=ForumPreference.EmailMode.DAILY).values_list(
            "user_id", flat=True
        )
    )
    for user_id in user_ids:
        send_digest.delay(user_id)
    return len(user_ids)


@shared_task(name="forum.tasks.send_digest")
def send_digest(user_id: int) -> int:
    from .services import digest_send

    return digest_send(user_id=user_id, now=timezone.now())
