"""Account services: e-mail changes confirmed by the new address, one-time enrolment codes for
the first authenticator (TOTP) of a role account, and API token revocation.

E-mail (issue #14, hole 2). The address an account signs in and resets its password with is
``User.email``. When an employee's e-mail is changed (``kompetensi.services.employee_update``,
reached from the Wagtail admin, the API and the import), only ``Employee.email`` changes at
once (core reads the person record through ``hooks.ACCOUNT_PERSON``, kompetensi provides it); it is *pending* while it differs from ``User.email``. The new address gets a signed,
expiring link (:func:`email_change_token`); opening it and confirming copies the address to
``User.email`` (:func:`account_email_confirm`). The old address is told that a change was
requested. The link carries only the account id and an HMAC of (account, old, new): it works
once, and no longer after the address was changed again or confirmed. Clearing an e-mail
needs no confirmation (no new address gains anything) and applies at once.

Enrolment codes (hole 2). A role account (``core.otp.requires_otp``) without a confirmed
device enrols its first authenticator only with a code issued by a superuser or a city-wide
HR officer for that account (:func:`otp_enrolment_code_issue`): 12 characters (60 bits),
single use, valid ``SIKAP_OTP_ENROLMENT_CODE_HOURS`` hours, stored as SHA-256, the newest
code of an account replacing older ones. A stolen password alone therefore does not give
anyone the account's second factor.

API tokens (hole 9). Owners see and revoke their own tokens, superusers all
(``core.permissions``); revocation is immediate and audited (:func:`api_token_revoke`).

Every service takes ``actor`` and decides authority with ``core.permissions``; views only show
what these services answer."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from . import hooks
from .errors import InvalidInput, require
from .models import ApiToken, OtpEnrolmentCode
from .permissions import can_issue_otp_enrolment_code, can_revoke_api_token

logger = logging.getLogger("sikap.accounts")

EMAIL_CONFIRM_SALT = "sikap.account-email-change"
ENROLMENT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
ENROLMENT_CODE_LENGTH = 12


def _audit(**kwargs) -> None:
    from .audit import audit

    audit(**kwargs)


def _person(user_id):
    """The person record of an account (kompetensi's ``Employee``, through
    ``hooks.ACCOUNT_PERSON``): its ``email`` is the address waiting for confirmation."""
    return hooks.first(hooks.ACCOUNT_PERSON, user_id, default=None)


def _person_email(user_id) -> str | None:
    person = _person(user_id)
    return person.email if person is not None else None


def _site_url() -> str:
    return str(getattr(settings, "SITE_URL", "") or "").rstrip("/")


# ---------------------------------------------------------------------------------------------
# E-mail changes
# ---------------------------------------------------------------------------------------------


class EmailLinkInvalid(InvalidInput):
    """The confirmation link is malformed, expired, or no longer matches the account."""


def email_confirm_max_age() -> int:
    return int(getattr(settings, "SIKAP_EMAIL_CONFIRM_MAX_AGE", 3 * 24 * 60 * 60))


def _email_digest(user_pk: int, old: str, new: str) -> str:
    return salted_hmac(EMAIL_CONFIRM_SALT, f"{user_pk}\n{old}\n{new}").hexdigest()[:32]


def email_change_token(user, new_email: str) -> str:
    """The signed, timestamped token of the link that confirms ``new_email`` for ``user``. It
    names no address (the link may end up in logs): only the account and an HMAC of the
    account's current and new address."""
    payload = {"u": user.pk, "d": _email_digest(user.pk, user.email, new_email)}
    return signing.dumps(payload, salt=EMAIL_CONFIRM_SALT, compress=True)


def pending_email(user) -> str | None:
    """The address waiting for confirmation (the employee record's), or None."""
    if user is None or user.pk is None:
        return None
    email = _person_email(user.pk)
    if email is None or email == user.email or not email:
        return None
    return email


def _send_email_change_mails(*, username: str, old: str, new: str, link: str) -> None:
    """After commit: the link to the new address, a notice to the old one. A mail server
    failure is logged, never turned into an error of the (committed) change."""
    days = max(1, round(email_confirm_max_age() / 86400))
    context = {"username": username, "link": link, "old": old, "new": new, "days": days}
    messages = []
    if new:
        messages.append(
            (
                _("[SIKAP] Konfirmasi alamat e-mail baru"),
                render_to_string("registration/email_change_confirm.txt", context),
                new,
            )
        )
    if old:
        messages.append(
            (
                _("[SIKAP] Permintaan perubahan alamat e-mail akun Anda"),
                render_to_string("registration/email_change_notice.txt", context),
                old,
            )
        )
    for subject, body, to in messages:
        try:
            send_mail(subject, body, None, [to])
        except Exception:  # noqa: BLE001 - logged; the change itself is committed
            logger.exception("E-mail perubahan alamat gagal dikirim (akun %s)", username)


@transaction.atomic
def account_email_change_request(*, actor, user) -> str:
    """The employee record of ``user`` now holds a new address: start its confirmation.

    Called by ``employee_update`` after it checked ``can_change_account_email`` (and by any
    other writer of ``Employee.email`` for an existing account). Returns "pending",
    "cleared" or "unchanged". ``User.email`` stays the old address until the new one confirms
    (an empty new address is applied at once)."""
    User = get_user_model()
    account = User.objects.select_for_update().get(pk=user.pk)
    employee = _person(account.pk)
    new = employee.email if employee is not None else None
    old = account.email
    if new is None or new == old:
        return "unchanged"
    link = ""
    if new:
        state = "pending"
        token = email_change_token(account, new)
        link = _site_url() + reverse("email_confirm", kwargs={"token": token})
        summary = "perubahan e-mail akun diminta; menunggu konfirmasi dari alamat baru"
    else:
        state = "cleared"
        User.objects.filter(pk=account.pk).update(email="")
        summary = "e-mail akun dikosongkan"
    _audit(actor=actor, action="update", obj=account, employee=employee, summary=summary)
    transaction.on_commit(
        partial(
            _send_email_change_mails,
            username=account.get_username(),
            old=old,
            new=new,
            link=link,
        )
    )
    return state


def _check_email_token(token: str):
    """(account, new address) for a valid link; :class:`EmailLinkInvalid` otherwise."""
    invalid = EmailLinkInvalid(
        _(
            "Tautan konfirmasi e-mail tidak berlaku: sudah dipakai, sudah kedaluwarsa, atau "
            "alamatnya sudah diubah lagi. Minta petugas BKPSDM mengirim ulang bila perlu"
        )
    )
    try:
        payload = signing.loads(token, salt=EMAIL_CONFIRM_SALT, max_age=email_confirm_max_age())
    except signing.BadSignature:  # includes SignatureExpired
        raise invalid from None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise invalid
    account = get_user_model().objects.filter(pk=payload["u"], is_active=True).first()
    if account is None:
        raise invalid
    new = _person_email(account.pk)
    if not new or new == account.email:
        raise invalid
    expected = _email_digest(account.pk, account.email, new)
    if not constant_time_compare(expected, str(payload.get("d", ""))):
        raise invalid
    return account, new


def email_change_preview(*, token: str) -> tuple:
    """(account, new address) the link would confirm, without changing anything."""
    return _check_email_token(token)


@transaction.atomic
def account_email_confirm(*, token: str):
    """Opened from the new address: it becomes the account's sign-in and reset address. The
    link is its own authority (only the new address received it); it works once."""
    account, new = _check_email_token(token)
    User = get_user_model()
    old = account.email
    updated = User.objects.filter(pk=account.pk, email=old).update(email=new)
    if not updated:  # changed concurrently
        raise EmailLinkInvalid(_("Tautan konfirmasi e-mail tidak berlaku lagi"))
    account.email = new
    _audit(
        actor=account,
        action="update",
        obj=account,
        employee=_person(account.pk),
        summary="alamat e-mail baru dikonfirmasi pemiliknya",
    )
    return account


# ---------------------------------------------------------------------------------------------
# Enrolment codes for the first authenticator of a role account
# ---------------------------------------------------------------------------------------------


def enrolment_code_ttl() -> timedelta:
    return timedelta(hours=float(getattr(settings, "SIKAP_OTP_ENROLMENT_CODE_HOURS", 24)))


def normalise_enrolment_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def format_enrolment_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def has_confirmed_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def enrolment_candidates():
    """Accounts that need a code: active role accounts (superusers, BKPSDM) without a
    confirmed authenticator."""
    from django.db.models import Q
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .roles import GROUP_HR

    User = get_user_model()
    enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=GROUP_HR))
        .exclude(pk__in=enrolled)
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def otp_enrolment_code_issue(*, actor, user) -> tuple[OtpEnrolmentCode, str]:
    """A new enrolment code for ``user`` (returned once, in clear; only its hash is stored).
    Superusers and city-wide HR, for another account; older unused codes of the account stop
    working. Audited."""
    from .otp import requires_otp

    require(
        can_issue_otp_enrolment_code(actor, user),
        _(
            "hanya superuser dan petugas SDM tingkat kota yang dapat menerbitkan kode "
            "pendaftaran, dan tidak untuk akunnya sendiri"
        ),
    )
    if user is None or not user.is_active:
        raise InvalidInput(_("akun tidak ditemukan atau tidak aktif"), field="user")
    if not requires_otp(user):
        raise InvalidInput(
            _("akun ini tidak memegang peran yang memerlukan verifikasi dua langkah"),
            field="user",
        )
    if has_confirmed_device(user):
        raise InvalidInput(
            _(
                "akun ini sudah memiliki aplikasi autentikator; hapus perangkatnya dulu bila "
                "ponselnya hilang"
            ),
            field="user",
        )
    now = timezone.now()
    OtpEnrolmentCode.objects.filter(
        user_id=user.pk, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    code = "".join(secrets.choice(ENROLMENT_CODE_ALPHABET) for _ in range(ENROLMENT_CODE_LENGTH))
    row = OtpEnrolmentCode.objects.create(
        user=user,
        code_hash=OtpEnrolmentCode.hash_code(code),
        issued_by=actor if getattr(actor, "pk", None) else None,
        expires_at=now + enrolment_code_ttl(),
    )
    _audit(
        actor=actor,
        action="issue",
        obj=row,
        summary=f"kode pendaftaran verifikasi dua langkah untuk {user.get_username()}",
    )
    return row, format_enrolment_code(code)


@transaction.atomic
def otp_enrolment_code_redeem(*, user, code: str) -> bool:
    """Use ``code`` for ``user``'s enrolment: True once for a valid, unexpired, unused code
    issued for this account (marked used in the same statement), False otherwise."""
    normalised = normalise_enrolment_code(code)
    if len(normalised) != ENROLMENT_CODE_LENGTH:
        return False
    now = timezone.now()
    rows = OtpEnrolmentCode.objects.filter(
        user_id=user.pk,
        code_hash=OtpEnrolmentCode.hash_code(normalised),
        used_at__isnull=True,
        expires_at__gt=now,
    )
    row = rows.first()
    if row is None or not rows.filter(pk=row.pk).update(used_at=now):
        return False
    _audit(
        actor=user,
        action="update",
        obj=row,
        summary="kode pendaftaran verifikasi dua langkah dipakai",
    )
    return True


# ---------------------------------------------------------------------------------------------
# API tokens
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke ``token`` now: its next API call answers 401. The owner or a superuser; a token
    the actor may not see is "not found". Revoking a revoked token changes nothing."""
    require(can_revoke_api_token(actor, token), _("token tidak ditemukan"), hide=True)
    if token.revoked_at is not None:
        return token
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.revoked_at = now
    owner = get_user_model().objects.filter(pk=token.user_id).first()
    _audit(
        actor=actor,
        action="revoke",
        obj=token,
        summary=f"token API {token.prefix}… ({token.name or '-'}) milik "
        f"{owner.get_username() if owner else '?'} dicabut",
    )
    return token
