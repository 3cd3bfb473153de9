"""In-app notifications and their e-mail. Every other app notifies through ``notify``."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

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


def notify_bulk(items: list[dict]) -> int:
    """Many different notifications at once (reminders, assignment notices): each item has
    ``user_id, kind, title`` and optional ``body, url, dedupe_key``. A fixed number of queries
    whatever the number of items; an item whose (user, dedupe_key) exists is skipped."""
    if not items:
        return 0
    keyed = [i for i in items if i.get("dedupe_key")]
    existing: set[tuple[int, str]] = set()
    if keyed:
        existing = set(
            Notification.objects.filter(
                user_id__in={i["user_id"] for i in keyed},
                dedupe_key__in={i["dedupe_key"] for i in keyed},
            ).values_list("user_id", "dedupe_key")
        )
    rows = []
    seen: set[tuple[int, str]] = set()
    for item in items:
        key = (item["user_id"], item.get("dedupe_key", ""))
        if key[1] and (key in existing or key in seen):
            continue
        seen.add(key)
        rows.append(
            Notification(
                user_id=item["user_id"],
                kind=item["kind"],
                title=str(item["title"])[:255],
                body=str(item.get("body", "")),
                url=item.get("url", ""),
                dedupe_key=item.get("dedupe_key", ""),
            )
        )
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    keys = [r.dedupe_key for r in rows if r.dedupe_key]
    if keys:
        new_ids = list(
            Notification.objects.filter(
                user_id__in={r.user_id for r in rows},
                dedupe_key__in=keys,
                emailed_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        if new_ids:
            from .tasks import send_notification_emails

            transaction.on_commit(lambda: send_notification_emails.delay(new_ids))
    return len(rows)


@transaction.atomic
def notifications_mark_read(*, user, ids=None) -> int:
    """Mark ``user``'s unread notifications (all, or those of ``ids``) read."""
    query = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        query = query.filter(pk__in=list(ids))
    return query.update(read_at=timezone.now())
