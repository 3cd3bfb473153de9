"""Writes of the citizen satisfaction survey (SKM, PermenPANRB 14/2017): one citizen's answer.

Abuse rules, all applied before anything is written:

* per-IP and per-device rate limit (cache counters, :data:`RATE_LIMIT` per :data:`RATE_WINDOW`);
* the same device (or IP) sending the same answers to the same service point within
  :data:`DUPLICATE_WINDOW` is ignored (the earlier answer stands);
* IPs and device ids are kept only as salted HMAC-SHA256 hashes (UU 27/2022 PDP): the raw
  address never reaches the database.

The honeypot is the form's business (it never calls this service when it is filled).

After a response about an employee is committed, :data:`feedback_submitted` is sent so the
workflow app can raise a training need (kompetensi imports no other app of ours).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import EvaluationPeriod, ServiceFeedback, ServicePoint

#: Sent on commit after a response was stored, with ``feedback_id`` (int), ``employee_id``
#: (int | None) and ``period_id`` (int | None). The seed sends it with ``employee_ids``
#: (list[int]) and ``period_id`` after a bulk insert.
feedback_submitted = Signal()

RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=10)
DUPLICATE_WINDOW = timedelta(minutes=10)
COMMENT_MAX_LENGTH = 1000
DEVICE_COOKIE = "skm_perangkat"

RATE_LIMIT_MESSAGE = _(
    "Terlalu banyak umpan balik dari perangkat atau jaringan ini. Silakan coba lagi dalam 10 menit."
)


class FeedbackError(rules.RuleError):
    """Bad input for a response; ``part`` names the field (``"u3"``, ``"comment"`` …)."""


class FeedbackRateLimited(Exception):
    """Too many responses from this IP or device in the window; nothing was written."""

    def __init__(self) -> None:
        super().__init__(str(RATE_LIMIT_MESSAGE))
        self.message = RATE_LIMIT_MESSAGE


@dataclass(frozen=True, slots=True)
class FeedbackResult:
    feedback: ServiceFeedback
    created: bool  # False: a duplicate within DUPLICATE_WINDOW, the earlier response returned


# ---------------------------------------------------------------------------------------------
# Client identity: IP, device, hashes
# ---------------------------------------------------------------------------------------------


def _salt() -> bytes:
    return (settings.SIKAP_IP_HASH_SALT or settings.SECRET_KEY).encode()


def salted_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under the site's salt (``SIKAP_IP_HASH_SALT``), hex."""
    return hmac.new(_salt(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or the ``X-Forwarded-For`` entry added by the
    outermost trusted proxy when ``AXES_IPWARE_PROXY_COUNT`` (trusted proxies) is above 0.
    A forged or malformed header never wins over ``REMOTE_ADDR``."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        chain = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(chain) >= proxies:
            candidate = chain[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def new_device_id() -> str:
    return secrets.token_urlsafe(16)


def valid_device_id(value: str | None) -> str | None:
    """The cookie's device id when it looks like one of ours, else None."""
    if value and 16 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value):
        return value
    return None


def fingerprint(*, who: str, service_point_id: int, scores: Mapping[str, int]) -> str:
    answers = "".join(str(scores[code]) for code in rules.SKM_CODES)
    return salted_hash("skm-fp", f"{who}|{service_point_id}|{answers}")


# ---------------------------------------------------------------------------------------------
# Rate limit
# ---------------------------------------------------------------------------------------------


def _rate_keys(ip_hash: str, device_hash: str) -> list[str]:
    keys = [f"skm:rl:ip:{ip_hash}"] if ip_hash else []
    if device_hash:
        keys.append(f"skm:rl:dev:{device_hash}")
    return keys


def rate_limited(*, ip_hash: str, device_hash: str) -> bool:
    counts = cache.get_many(_rate_keys(ip_hash, device_hash))
    return any(int(n) >= RATE_LIMIT for n in counts.values())


def _rate_count(*, ip_hash: str, device_hash: str) -> None:
    window = int(RATE_WINDOW.total_seconds())
    for key in _rate_keys(ip_hash, device_hash):
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window)


# ---------------------------------------------------------------------------------------------
# Period, validation, the service
# ---------------------------------------------------------------------------------------------


def current_period(today=None) -> EvaluationPeriod | None:
    """The evaluation period covering today (Asia/Jakarta); the newest if several do."""
    today = today or rules.jakarta_today()
    return (
        EvaluationPeriod.objects.filter(start__lte=today, end__gte=today).order_by("-start").first()
    )


def clean_scores(scores: object) -> dict[str, int]:
    """``{"u1": 1..4, …, "u9": 1..4}`` or :class:`FeedbackError` naming the element."""
    if not isinstance(scores, Mapping):
        raise FeedbackError(_("nilai harus berupa objek u1 sampai u9"), part="scores")
    try:
        rules.skm_sums([scores])
    except rules.RuleError as exc:
        raise FeedbackError(exc.message, part=exc.part) from None
    return {code: int(scores[code]) for code in rules.SKM_CODES}


def clean_comment(comment: object) -> str:
    if comment is None:
        return ""
    if not isinstance(comment, str):
        raise FeedbackError(_("saran harus berupa teks"), part="comment")
    comment = comment.replace("\x00", "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise FeedbackError(
            _("saran paling banyak 1000 karakter"),
            part="comment",
        )
    return comment


@transaction.atomic
def feedback_submit(
    *,
    service_point: ServicePoint,
    scores: Mapping[str, int],
    comment: str = "",
    employee_id: int | None = None,
    ip: str,
    device_id: str | None = None,
    now=None,
) -> FeedbackResult:
    """Store one citizen's response to ``service_point``.

    ``employee_id`` must already be checked to serve at the point (``skm_selectors.front_line_
    staff``). Raises :class:`FeedbackError` for bad input and :class:`FeedbackRateLimited`
    when the IP or device sent too many; a duplicate returns the earlier response with
    ``created=False``. Nothing is written in any of these cases."""
    clean = clean_scores(scores)
    comment = clean_comment(comment)
    if not service_point.is_active:
        raise FeedbackError(_("titik layanan tidak aktif"), part="service")
    now = now or timezone.now()
    ip_hash = salted_hash("ip", ip) if ip else ""
    device_hash = salted_hash("device", device_id) if device_id else ""
    fp = fingerprint(who=device_hash or ip_hash, service_point_id=service_point.pk, scores=clean)
    earlier = (
        ServiceFeedback.objects.filter(fingerprint=fp, created_at__gte=now - DUPLICATE_WINDOW)
        .order_by("-created_at")
        .first()
    )
    if earlier is not None:
        return FeedbackResult(feedback=earlier, created=False)
    if rate_limited(ip_hash=ip_hash, device_hash=device_hash):
        raise FeedbackRateLimited()
    period = current_period(timezone.localtime(now).date())
    feedback = ServiceFeedback.objects.create(
        service_point=service_point,
        unit_id=service_point.unit_id,
        employee_id=employee_id,
        period=period,
        comment=comment,
        ip_hash=ip_hash,
        device_hash=device_hash,
        fingerprint=fp,
        **clean,
    )
    _rate_count(ip_hash=ip_hash, device_hash=device_hash)
    transaction.on_commit(
        lambda: feedback_submitted.send(
            sender=ServiceFeedback,
            feedback_id=feedback.pk,
            employee_id=feedback.employee_id,
            period_id=feedback.period_id,
        )
    )
    return FeedbackResult(feedback=feedback, created=True)
