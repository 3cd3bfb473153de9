"""Writes of the citizen satisfaction survey (SKM, PermenPANRB 14/2017): one citizen's answer,
service points and the counter tablets paired with them.

Abuse rules, all applied before anything is written (issue #16: citizens answer on the
counter's tablet or on their phones over the office's guest Wi-Fi, so hundreds of honest
answers a day share one IP address):

* a counter tablet paired with its service point (:class:`~skm.models.KioskDevice`, a device
  token in a long-lived cookie) is limited only by a cadence: one attempt per
  :data:`KIOSK_CADENCE`;
* any other client: the per-device cookie is the main guard (:data:`DEVICE_RATE_LIMIT` per
  :data:`DEVICE_RATE_WINDOW`) and the per-IP limit is generous (:data:`IP_RATE_LIMIT` per
  :data:`IP_RATE_WINDOW`);
* every attempt counts, accepted or refused, refused for the limit itself too
  (:func:`feedback_attempt`, :mod:`core.ratelimit`, called by the public form and the API
  before they read anything else);
* the same device (or IP) sending the same answers to the same service point within
  :data:`DUPLICATE_WINDOW` is ignored (the earlier answer stands); not for a paired tablet,
  where different citizens may well give the same answers one after the other;
* IPs and device ids are kept only as salted HMAC-SHA256 hashes (UU 27/2022 PDP): the raw
  address never reaches the database; device tokens and pairing codes only as SHA-256.

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
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core.audit import audit

# The client's address behind the trusted proxies and its salted hash: one rule each
# (core/client_ip.py), re-exported.
from core.client_ip import client_ip, salted_hash  # noqa: F401
from core.errors import Conflict, InvalidInput, NotFound, delete_or_conflict, require
from kompetensi.models import EvaluationPeriod

from . import rules
from .models import KioskDevice, ServiceFeedback, ServicePoint
from .permissions import can_manage_service_point

#: Sent on commit after a response was stored, with ``feedback_id`` (int), ``employee_id``
#: (int | None) and ``period_id`` (int | None). The seed sends it with ``employee_ids``
#: (list[int]) and ``period_id`` after a bulk insert.
feedback_submitted = Signal()

#: Unpaired clients: per device cookie (the main guard) …
DEVICE_RATE_LIMIT = 5
DEVICE_RATE_WINDOW = timedelta(minutes=10)
#: … and per IP address, generous: a guest Wi-Fi's phones share one address.
IP_RATE_LIMIT = 60
IP_RATE_WINDOW = timedelta(hours=1)
#: A paired counter tablet: one attempt per this many seconds (fixed slots of the clock).
KIOSK_CADENCE = timedelta(seconds=10)
DUPLICATE_WINDOW = timedelta(minutes=10)
COMMENT_MAX_LENGTH = 1000
DEVICE_COOKIE = "skm_perangkat"
#: The paired tablet's cookie (the device token) and the life of a pairing link.
KIOSK_COOKIE = "skm_loket"
KIOSK_PAIRING_TTL = timedelta(hours=24)
KIOSK_NAME_MAX_LENGTH = 100

RATE_LIMIT_MESSAGE = _(
    "Terlalu banyak umpan balik dari perangkat atau jaringan ini. Silakan coba lagi nanti."
)
KIOSK_CADENCE_MESSAGE = _(
    "Penilaian sebelumnya dari perangkat loket ini baru saja tercatat. Tunggu beberapa detik "
    "sebelum mengirim penilaian berikutnya."
)


class FeedbackError(rules.RuleError):
    """Bad input for a response; ``part`` names the field (``"u3"``, ``"comment"`` …)."""


class FeedbackRateLimited(Exception):
    """Too many responses from this IP or device in the window (or a paired tablet faster
    than its cadence); nothing was written. ``retry_after``: the window of the limit hit."""

    def __init__(self, message=RATE_LIMIT_MESSAGE, retry_after: timedelta = IP_RATE_WINDOW):
        super().__init__(str(message))
        self.message = message
        self.retry_after = retry_after


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


def feedback_attempt(
    *, ip: str, device_id: str | None = None, kiosk: KioskDevice | None = None, now=None
) -> None:
    """Count one attempt to send feedback and raise :class:`FeedbackRateLimited` once it is
    beyond a limit.

    A paired counter tablet (``kiosk``, from :func:`kiosk_from_token`): one attempt per
    :data:`KIOSK_CADENCE`, nothing else (its answers do not use up the IP's allowance, which
    the citizens' phones on the same network share). Any other client: the device cookie
    (``device_id``; :data:`DEVICE_RATE_LIMIT` per :data:`DEVICE_RATE_WINDOW`) and the IP
    (:data:`IP_RATE_LIMIT` per :data:`IP_RATE_WINDOW`), both counted on every attempt.

    Every attempt counts: accepted, duplicate, refused for bad input or an unknown service
    point, and refused for the limit itself, so probing (e.g. trying NIPs) costs the same as
    answering. The public form and ``POST /api/v1/feedback`` call it before anything else."""
    if kiosk is not None:
        at = now or timezone.now()
        if ratelimit.exceeded("skm:kiosk", str(kiosk.pk), limit=1, window=KIOSK_CADENCE, at=at):
            raise FeedbackRateLimited(KIOSK_CADENCE_MESSAGE, KIOSK_CADENCE)
        return
    # Both counters count this attempt, whichever refuses it.
    over_ip = bool(ip) and ratelimit.exceeded(
        "skm:ip", salted_hash("ip", ip), limit=IP_RATE_LIMIT, window=IP_RATE_WINDOW
    )
    over_device = bool(device_id) and ratelimit.exceeded(
        "skm:dev",
        salted_hash("device", device_id),
        limit=DEVICE_RATE_LIMIT,
        window=DEVICE_RATE_WINDOW,
    )
    if over_ip:
        raise FeedbackRateLimited(RATE_LIMIT_MESSAGE, IP_RATE_WINDOW)
    if over_device:
        raise FeedbackRateLimited(RATE_LIMIT_MESSAGE, DEVICE_RATE_WINDOW)


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


def clean_respondent(respondent: object) -> dict[str, str | None]:
    """The optional respondent profile as model fields (``respondent_gender`` …, None = not
    answered) or :class:`FeedbackError` naming ``respondent.<field>``."""
    try:
        profile = rules.clean_respondent(respondent)
    except rules.RuleError as exc:
        raise FeedbackError(exc.message, part=exc.part) from None
    return {f"respondent_{field}": value for field, value in profile.items()}


@transaction.atomic
def feedback_submit(
    *,
    service_point: ServicePoint,
    scores: Mapping[str, int],
    comment: str = "",
    employee_id: int | None = None,
    respondent: Mapping[str, str | None] | None = None,
    ip: str,
    device_id: str | None = None,
    kiosk: KioskDevice | None = None,
    now=None,
) -> FeedbackResult:
    """Store one citizen's response to ``service_point``.

    ``employee_id`` must already be checked to serve at the point (``skm_selectors.front_line_
    staff``; a NIP that is not, is dropped by the caller without telling). ``respondent``:
    the optional profile ``{gender, age_group, education, occupation}`` (codes of
    ``rules.RESPONDENT_CODES``). ``kiosk``: the paired counter tablet it came from, which
    must be paired with this very point. The rate limit is the caller's first step
    (:func:`feedback_attempt`). Raises :class:`FeedbackError` for bad input; a duplicate
    returns the earlier response with ``created=False``. Nothing is written in either case."""
    clean = clean_scores(scores)
    comment = clean_comment(comment)
    profile = clean_respondent(respondent)
    if not service_point.is_active:
        raise FeedbackError(_("titik layanan tidak aktif"), part="service")
    if kiosk is not None and kiosk.service_point_id != service_point.pk:
        raise FeedbackError(
            _("perangkat loket ini dipasangkan dengan titik layanan lain"), part="service"
        )
    now = now or timezone.now()
    ip_hash = salted_hash("ip", ip) if ip else ""
    device_hash = salted_hash("device", device_id) if device_id else ""
    who = f"kiosk:{kiosk.pk}" if kiosk is not None else (device_hash or ip_hash)
    fp = fingerprint(who=who, service_point_id=service_point.pk, scores=clean)
    if kiosk is None:
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
        kiosk=kiosk,
        fingerprint=fp,
        **profile,
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


def clean_point_code(code: str) -> str:
    """A service point's code: a slug (lowercase letters, digits, hyphens), 1–60 characters."""
    code = (code or "").strip()
    if not code or code != slugify(code) or len(code) > 60:
        raise InvalidInput(
            _("kode hanya huruf kecil, angka dan tanda hubung (maksimal 60)"), field="code"
        )
    return code


@transaction.atomic
def service_point_create(
    *, actor, code: str, service: str, unit, is_active: bool = True
) -> ServicePoint:
    """A new service point of ``unit`` (HR whose scope covers the unit). ``code`` is unique
    within the unit; it is printed on QR posters and in the public URL, so it is fixed once
    created."""
    require(can_manage_service_point(actor, unit), str(POINT_SCOPE))
    code = clean_point_code(code)
    service = _point_service(service)
    if ServicePoint.objects.filter(unit=unit, code=code).exists():
        raise Conflict(_("unit ini sudah memiliki titik layanan dengan kode ini"), field="code")
    point = ServicePoint.objects.create(code=code, service=service, unit=unit, is_active=is_active)
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
        if ServicePoint.objects.filter(unit=unit, code=stored.code).exists():
            raise Conflict(
                _("unit tujuan sudah memiliki titik layanan dengan kode ini"), field="unit_code"
            )
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
    delete_or_conflict(
        stored, in_use=_("titik layanan ini sudah menerima umpan balik; nonaktifkan saja")
    )


# ---------------------------------------------------------------------------------------------
# Counter tablets (perangkat loket) paired with a service point
# ---------------------------------------------------------------------------------------------


_token_hash = KioskDevice.hash_token
_looks_like_token = KioskDevice.looks_like_token


@transaction.atomic
def kiosk_create(*, actor, point: ServicePoint, name: str, now=None) -> tuple[KioskDevice, str]:
    """A new counter tablet of ``point`` (HR whose scope covers the point's unit) and its
    one-time pairing code, valid for :data:`KIOSK_PAIRING_TTL`: the code is returned once and
    only its hash is kept. The pairing link is ``/loket/pasang/<code>/`` (``skm:kiosk_pair``)."""
    require(can_manage_service_point(actor, point.unit), str(POINT_SCOPE))
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("nama perangkat wajib diisi"), field="name")
    if len(name) > KIOSK_NAME_MAX_LENGTH:
        raise InvalidInput(_("nama perangkat maksimal 100 karakter"), field="name")
    now = now or timezone.now()
    code = secrets.token_urlsafe(24)
    device = KioskDevice.objects.create(
        service_point=point,
        name=name,
        pairing_hash=_token_hash(code),
        pairing_expires_at=now + KIOSK_PAIRING_TTL,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(
        actor=actor,
        action="create",
        obj=device,
        summary=f"perangkat loket {name} untuk titik layanan {point.unit.code}/{point.code}",
    )
    return device, code


@transaction.atomic
def kiosk_pair(*, code: str, now=None) -> tuple[KioskDevice, str]:
    """The tablet opened its pairing link: the link is used up and the device gets its token
    (for the long-lived cookie :data:`KIOSK_COOKIE`), returned once, kept only as a hash.
    An unknown, used, expired or revoked code is :class:`NotFound`."""
    now = now or timezone.now()
    device = None
    if _looks_like_token(code):
        device = (
            KioskDevice.objects.select_for_update()
            .select_related("service_point__unit")
            .filter(
                pairing_hash=_token_hash(code),
                revoked_at__isnull=True,
                pairing_expires_at__gt=now,
                service_point__is_active=True,
            )
            .first()
        )
    if device is None:
        raise NotFound(
            _("tautan pemasangan tidak berlaku (sudah dipakai, kedaluwarsa atau dicabut)")
        )
    token = secrets.token_urlsafe(32)
    device.token_hash = _token_hash(token)
    device.pairing_hash = None
    device.pairing_expires_at = None
    device.paired_at = now
    device.save(update_fields=["token_hash", "pairing_hash", "pairing_expires_at", "paired_at"])
    audit(
        action="update",
        obj=device,
        summary=f"perangkat loket {device.name} dipasangkan",
    )
    return device, token


def kiosk_from_token(token: str | None, *, now=None) -> KioskDevice | None:
    """The paired, not revoked tablet whose cookie holds ``token`` (its point active), else
    None. Notes when it was last used (at most every five minutes)."""
    if not _looks_like_token(token):
        return None
    device = (
        KioskDevice.objects.select_related("service_point")
        .filter(
            token_hash=_token_hash(token),
            revoked_at__isnull=True,
            service_point__is_active=True,
        )
        .first()
    )
    if device is None:
        return None
    now = now or timezone.now()
    if device.last_used_at is None or now - device.last_used_at > timedelta(minutes=5):
        KioskDevice.objects.filter(pk=device.pk).update(last_used_at=now)
        device.last_used_at = now
    return device


@transaction.atomic
def kiosk_revoke(*, actor, device: KioskDevice, now=None) -> KioskDevice:
    """Unpair a tablet (HR of its point's unit): its cookie and any unused pairing link stop
    working at once. Revoking a revoked one changes nothing."""
    stored = (
        KioskDevice.objects.select_for_update()
        .select_related("service_point__unit")
        .get(pk=device.pk)
    )
    require(can_manage_service_point(actor, stored.service_point.unit), str(POINT_SCOPE))
    if stored.revoked_at is None:
        stored.revoked_at = now or timezone.now()
        stored.pairing_hash = None
        stored.pairing_expires_at = None
        stored.save(update_fields=["revoked_at", "pairing_hash", "pairing_expires_at"])
        audit(
            actor=actor,
            action="update",
            obj=stored,
            summary=f"perangkat loket {stored.name} dicabut",
        )
    return stored
