"""Writes of the citizen satisfaction survey (SKM, PermenPANRB 14/2017): one citizen's answer.

Abuse rules, all applied before anything is written:

* per-IP and per-device rate limit (:mod:`core.ratelimit`, :data:`RATE_LIMIT` per
  :data:`RATE_WINDOW`) counting every attempt, accepted or refused (:func:`feedback_attempt`,
  called by the public form and the API before they read anything else);
* the same device (or IP) sending the same answers to the same service point within
  :data:`DUPLICATE_WINDOW` is ignored (the earlier answer stands);
* IPs and device ids are kept only as salted HMAC-SHA256 hashes (UU 27/2022 PDP): the raw
  address never reaches the database.

The honeypot is the form's business (it never calls this service when it is filled).

After a response about an employee is committed, :data:`feedback_submitted` is sent so the
workflow app can raise a training need (skm imports no app above it).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import ProtectedError
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core.audit import audit

# The client's address behind the trusted proxies and its salted hash: one rule each
# (core/client_ip.py), re-exported.
from core.client_ip import client_ip, salted_hash  # noqa: F401
from core.errors import Conflict, InvalidInput, require
from kompetensi.models import EvaluationPeriod

from . import rules
from .models import ServiceFeedback, ServicePoint
from .permissions import can_manage_service_point

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


def feedback_attempt(*, ip: str, device_id: str | None = None) -> None:
    """Count one attempt to send feedback from ``ip`` (and the device, for the web form) and
    raise :class:`FeedbackRateLimited` once it is beyond :data:`RATE_LIMIT` in the window.

    Every attempt counts: accepted, duplicate, refused for bad input or an unknown service
    point, and refused for the limit itself, so probing (e.g. trying NIPs) costs the same as
    answering. The public form and ``POST /api/v1/feedback`` call it before anything else."""
    keys = (
        f"ip:{salted_hash('ip', ip)}" if ip else "",
        f"dev:{salted_hash('device', device_id)}" if device_id else "",
    )
    if ratelimit.exceeded("skm:rl", *keys, limit=RATE_LIMIT, window=RATE_WINDOW):
        raise FeedbackRateLimited()


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
    staff``; a NIP that is not, is dropped by the caller without telling). The rate limit is
    the caller's first step (:func:`feedback_attempt`). Raises :class:`FeedbackError` for bad
    input; a duplicate returns the earlier response with ``created=False``. Nothing is
    written in either case."""
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
    transaction.on_commit(
        lambda: feedback_submitted.send(
            sender=ServiceFeedback,
            feedback_id=feedback.pk,
            employee_id=feedback.employee_id,
            period_id=feedback.period_id,
        )
    )
    return FeedbackResult(feedback=feedback, created=True)


# ---------------------------------------------------------------------------------------------
# Service points (titik layanan): HR of the unit
# ---------------------------------------------------------------------------------------------

POINT_SCOPE = _("titik layanan hanya dapat diatur oleh petugas SDM unitnya")


def _point_service(service: str) -> str:
    service = (service or "").strip()
    if not service:
        raise InvalidInput(_("nama layanan wajib diisi"), field="service")
    if len(service) > 200:
        raise InvalidInput(_("nama layanan maksimal 200 karakter"), field="service")
    return service


@transaction.atomic
def service_point_create(
    *, actor, code: str, service: str, unit, is_active: bool = True
) -> ServicePoint:
    """A new service point of ``unit`` (HR whose scope covers the unit). ``code`` is printed
    on QR posters and in the public URL, so it is fixed once created."""
    require(can_manage_service_point(actor, unit), str(POINT_SCOPE))
    code = (code or "").strip()
    if not code or code != slugify(code) or len(code) > 60:
        raise InvalidInput(
            _("kode hanya huruf kecil, angka dan tanda hubung (maksimal 60)"), field="code"
        )
    if ServicePoint.objects.filter(code=code).exists():
        raise Conflict(_("titik layanan dengan kode ini sudah ada"), field="code")
    point = ServicePoint.objects.create(
        code=code, service=_point_service(service), unit=unit, is_active=is_active
    )
    audit(actor=actor, action="create", obj=point, summary=f"titik layanan {code}")
    return point


@transaction.atomic
def service_point_update(
    *, actor, point: ServicePoint, service: str | None = None, unit=None, is_active=None
) -> ServicePoint:
    """Change a service point: HR of its stored unit, and of the new unit when it moves."""
    stored = ServicePoint.objects.select_for_update().select_related("unit").get(pk=point.pk)
    require(can_manage_service_point(actor, stored.unit), str(POINT_SCOPE))
    if unit is not None and unit.pk != stored.unit_id:
        require(can_manage_service_point(actor, unit), str(POINT_SCOPE))
        stored.unit = unit
    if service is not None:
        stored.service = _point_service(service)
    if is_active is not None:
        stored.is_active = is_active
    stored.save()
    audit(actor=actor, action="update", obj=stored, summary=f"titik layanan {stored.code}")
    return stored


@transaction.atomic
def service_point_delete(*, actor, point: ServicePoint) -> None:
    """Remove a service point without feedback (with feedback: deactivate it instead)."""
    stored = ServicePoint.objects.select_related("unit").get(pk=point.pk)
    require(can_manage_service_point(actor, stored.unit), str(POINT_SCOPE))
    audit(actor=actor, action="delete", obj=stored, summary=f"titik layanan {stored.code}")
    try:
        with transaction.atomic():
            stored.delete()
    except ProtectedError:
        raise Conflict(
            _("titik layanan ini sudah menerima umpan balik; nonaktifkan saja")
        ) from None
