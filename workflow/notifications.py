"""In-app notifications and their e-mail. Every other app notifies through ``notify``."""

from collections.abc import Iterable

from django.db import transaction

from .models import Notification


def notify(
    *,
    user_ids: Iterable[int],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> int:
    """Create one notification per user (bulk); with a ``dedupe_key`` a user gets it once.

    E-mail is sent by a Celery task after the transaction commits. Returns how many were new."""
    ids = sorted(set(user_ids))
    if not ids:
        return 0
    rows = [
        Notification(
            user_id=uid, kind=kind, title=title[:255], body=body, url=url, dedupe_key=dedupe_key
        )
        for uid in ids
    ]
    if dedupe_key:
        existing = set(
            Notification.objects.filter(user_id__in=ids, dedupe_key=dedupe_key).values_list(
                "user_id", flat=True
            )
        )
        rows = [r for r in rows if r.user_id not in existing]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=bool(dedupe_key))
    if email and rows:
        # Ids of what was created (ignore_conflicts gives no pks on every backend).
        query = Notification.objects.filter(
            user_id__in=[r.user_id for r in rows], kind=kind, emailed_at__isnull=True
        )
        if dedupe_key:
            query = query.filter(dedupe_key=dedupe_key)
        else:
            query = query.filter(title=title[:255])
        new_ids = list(query.values_list("pk", flat=True))
        if new_ids:
            from .tasks import send_notification_emails

            transaction.on_commit(lambda: send_notification_emails.delay(new_ids))
    return len(created)
