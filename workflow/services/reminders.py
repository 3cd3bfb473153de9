"""Follow-ups of committed facts (swept by beat every few minutes), reminders of due dates and
certificate expiry (swept daily; each reminder once via ``Notification.dedupe_key``)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dataversion
from core.models import Notification
from core.notifications import notify, notify_bulk
from kompetensi import rules
from workflow.models import Assignment, Certificate

from .common import ACTIVE_STATES, S, jakarta_today

logger = logging.getLogger(__name__)

# ------------------------------------------------------------------------------------------
# Follow-ups of committed facts (swept by beat every few minutes)
# ------------------------------------------------------------------------------------------

# A completed assignment, an issued certificate: their follow-ups (issue, render, e-mail) are
# queued after commit; a process killed between the commit and the queueing loses them. The
# sweep finds what is still missing once it is older than SWEEP_MIN_AGE and queues it again.
SWEEP_MIN_AGE = dt.timedelta(minutes=5)
# An item queued by the sweep is not queued again before this (a backlog, or a task held by
# a dead worker until the broker's visibility timeout, does not pile up duplicates).
SWEEP_REQUEUE_AFTER = dt.timedelta(minutes=15)
# Certificate e-mails are re-sent only for certificates issued this recently (older ones
# were issued before e-mail existed, or by a bulk seed: never e-mailed by a sweep).
SWEEP_EMAIL_WINDOW = dt.timedelta(days=3)
SWEEP_BATCH = 500  # per kind and run; the next run takes the rest


@dataclass
class SweepResult:
    issue: int = 0
    render: int = 0
    email: int = 0


def _not_recently_queued(kind: str, ids: list[int]) -> list[int]:
    """``ids`` the sweep has not queued within SWEEP_REQUEUE_AFTER, marked as queued now
    (two cache round trips)."""
    from django.core.cache import cache

    if not ids:
        return []
    keys = {f"sikap:sweep:{kind}:{pk}": pk for pk in ids}
    seen = cache.get_many(list(keys))
    fresh = {key: pk for key, pk in keys.items() if key not in seen}
    cache.set_many(dict.fromkeys(fresh, 1), int(SWEEP_REQUEUE_AFTER.total_seconds()))
    return list(fresh.values())


def follow_ups_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Queue again the follow-ups a crash may have lost (idempotent; three bounded queries):
    completed assignments without a certificate (issue), certificates without a PDF
    (render; the render task then queues the e-mail), rendered certificates of the last
    SWEEP_EMAIL_WINDOW whose holder has an address but was never e-mailed (e-mail). Only
    facts older than SWEEP_MIN_AGE are touched, so work still in flight is left alone."""
    from workflow.tasks import email_certificate, issue_certificate, render_certificate

    now = now or timezone.now()
    settled = now - SWEEP_MIN_AGE
    issue = list(
        Assignment.objects.filter(status=S.COMPLETED, certificate__isnull=True)
        .filter(Q(completed_at__lte=settled) | Q(completed_at__isnull=True))
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    render = list(
        Certificate.objects.filter(pdf="", issued_at__lte=settled)
        .order_by("issued_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    email = list(
        Certificate.objects.filter(
            emailed_at__isnull=True,
            revoked_at__isnull=True,
            issued_at__lte=settled,
            issued_at__gte=now - SWEEP_EMAIL_WINDOW,
            employee__user__isnull=False,
        )
        .exclude(pdf="")
        .exclude(employee__user__email="")
        .order_by("issued_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    result = SweepResult()
    for kind, ids, task in (
        ("issue", issue, issue_certificate),
        ("render", render, render_certificate),
        ("email", email, email_certificate),
    ):
        fresh = _not_recently_queued(kind, ids)
        for pk in fresh:
            task.delay(pk)
        setattr(result, kind, len(fresh))
    if result.issue or result.render or result.email:
        logger.warning(
            "Sapuan tindak lanjut: %s penerbitan sertifikat, %s PDF, %s e-mail diantrekan kembali.",
            result.issue,
            result.render,
            result.email,
        )
    return result


# ------------------------------------------------------------------------------------------
# Reminders and expiry (swept daily by beat; each reminder once via Notification.dedupe_key)
# ------------------------------------------------------------------------------------------


def reminder_kind(due: dt.date, today: dt.date) -> str | None:
    """Which reminder is due today: 7 days before, 1 day before, on the day, then weekly
    while overdue (``overdue-0`` the day after it passes, ``overdue-1`` a week later …)."""
    days = (due - today).days
    if days == 7:
        return "d7"
    if days == 1:
        return "d1"
    if days == 0:
        return "d0"
    if days < 0 and (-days - 1) % 7 == 0:
        return f"overdue-{(-days - 1) // 7}"
    return None


def reminders_send(*, today: dt.date | None = None) -> int:
    today = today or jakarta_today()
    rows = (
        Assignment.objects.filter(
            status__in=ACTIVE_STATES,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=7),
            employee__user__isnull=False,
        )
        .select_related("module", "employee")
        .only("pk", "due_date", "module__title", "employee__user_id")
    )
    url = reverse("workflow:my_training")
    items = []
    for a in rows.iterator(chunk_size=2000):
        kind = reminder_kind(a.due_date, today)
        if kind is None:
            continue
        days = (a.due_date - today).days
        due = rules.numeric_date(a.due_date)
        if days > 0:
            title = _("Pengingat: %(m)s, batas waktu %(n)s hari lagi") % {
                "m": a.module.title,
                "n": days,
            }
        elif days == 0:
            title = _("Pengingat: batas waktu %s hari ini") % a.module.title
        else:
            title = _("Terlambat: %(m)s melewati batas waktu %(d)s") % {
                "m": a.module.title,
                "d": due,
            }
        items.append(
            {
                "user_id": a.employee.user_id,
                "kind": Notification.Kind.REMINDER,
                "title": title,
                "body": _("Selesaikan pelatihan “%(m)s” (batas waktu %(d)s).")
                % {"m": a.module.title, "d": due},
                "url": url,
                "dedupe_key": f"remind:{a.pk}:{kind}",
            }
        )
    return notify_bulk(items)


def certificates_check_expiry(*, now: dt.datetime | None = None) -> int:
    """30 days before expiry: remind the holder, create a renewal assignment (once)."""
    now = now or timezone.now()
    soon = list(
        Certificate.objects.filter(
            expires_at__isnull=False,
            expires_at__lte=now + dt.timedelta(days=30),
            expiry_reminded_at__isnull=True,
            revoked_at__isnull=True,
        ).select_related("employee", "module")
    )
    for cert in soon:
        with transaction.atomic():
            claimed = Certificate.objects.filter(
                pk=cert.pk, expiry_reminded_at__isnull=True
            ).update(expiry_reminded_at=now)
            if not claimed:
                continue
            if cert.module.live:
                due = (
                    timezone.localtime(cert.expires_at, rules.JAKARTA).date()
                    if cert.expires_at > now
                    else None
                )
                Assignment.objects.bulk_create(
                    [
                        Assignment(
                            employee=cert.employee,
                            module=cert.module,
                            status=S.ASSIGNED,
                            origin=Assignment.Origin.RENEWAL,
                            due_date=due,
                            jp=cert.module.jp,
                            approved_at=now,
                        )
                    ],
                    ignore_conflicts=True,
                )
            # Cache versions (core/dataversion.py): the certificate's reminder and the renewal.
            dataversion.bump("sdm", *dataversion.for_person(employee=cert.employee_id))
            if cert.employee.user_id:
                notify(
                    user_ids=[cert.employee.user_id],
                    kind=Notification.Kind.REMINDER,
                    title=_("Sertifikat segera kedaluwarsa: %s") % cert.module_title,
                    body=_(
                        "Sertifikat %(n)s berlaku sampai %(d)s. Penugasan pembaruan telah dibuat."
                    )
                    % {
                        "n": cert.number,
                        "d": rules.numeric_date(cert.expires_at),
                    },
                    url=reverse("workflow:my_training"),
                    dedupe_key=f"expiry:{cert.pk}",
                )
    return len(soon)
