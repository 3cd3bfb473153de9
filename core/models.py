"""SIKAP's infrastructure models, no domain: API tokens and two-factor enrolment codes
(accounts), the append-only audit log, in-app notifications and the worker heartbeat.

They moved here from portal, kompetensi and workflow (issue #15) without moving a row: each
keeps its table (``db_table``) and its index and constraint names."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token for the REST API. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sikap_api_tokens"
    )
    name = models.CharField(_("nama"), max_length=100, blank=True)
    prefix = models.CharField(_("awalan"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        db_table = "portal_apitoken"
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user, name: str = "") -> tuple["ApiToken", str]:
        key = "sikap_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=key[6:14], key_hash=cls.hash_key(key)
        )
        return token, key

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        """Low level (no authority check, no audit): callers go through
        ``core.accounts.api_token_revoke``."""
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class OtpEnrolmentCode(models.Model):
    """A one-time code that lets a role account enrol its first authenticator (TOTP) device.

    Issued by a superuser or a city-wide HR officer (``core.accounts``), handed over outside
    SIKAP, bound to one account, single use, expiring. Only the SHA-256 of the code is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("akun"),
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diterbitkan oleh"),
    )
    created_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)

    class Meta:
        db_table = "portal_otpenrolmentcode"
        verbose_name = _("kode pendaftaran verifikasi dua langkah")
        verbose_name_plural = _("kode pendaftaran verifikasi dua langkah")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def hash_code(code: str) -> str:
        return hashlib.sha256(code.encode()).hexdigest()


class WorkerHeartbeat(models.Model):
    """Written by the ``portal.tasks.heartbeat`` task (``core/tasks.py``; the name is kept so
    queued tasks survive a deploy): proof that a worker runs tasks."""

    token = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200, blank=True)
    seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "portal_workerheartbeat"
        verbose_name = _("detak pekerja")
        verbose_name_plural = _("detak pekerja")


class Notification(models.Model):
    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", _("Penugasan baru")
        REMINDER = "reminder", _("Pengingat")
        CERTIFICATE = "certificate", _("Sertifikat terbit")
        FORUM_REPLY = "forum_reply", _("Balasan forum")
        MENTION = "mention", _("Disebut di forum")
        NEED = "need", _("Kebutuhan pelatihan")
        OTHER = "other", _("Lainnya")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "workflow_notification"
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="uniq_notification_dedupe",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]


class AppendOnlyQuerySet(models.QuerySet):
    """Rows of the audit log are never updated or deleted through the ORM."""

    def update(self, **kwargs):
        raise PermissionError("log audit hanya dapat ditambah, tidak dapat diubah")

    def delete(self):
        raise PermissionError("log audit tidak dapat dihapus")


class AccessLog(models.Model):
    """Who looked at which personal data (UU 27/2022): e.g. HR reading individual peer ratings.
    Also written to the ``sikap.audit`` logger."""

    # An append-only log: nothing links to it, so Wagtail's reference index (which would add
    # a lookup and an insert to every logged page view) skips it.
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The data subject: an employee record (kompetensi). A reference by name, no import: the
    # audit log is infrastructure every app writes to.
    employee = models.ForeignKey(
        "kompetensi.Employee", null=True, on_delete=models.SET_NULL, related_name="access_logs"
    )
    action = models.CharField(_("tindakan"), max_length=60, db_index=True)
    detail = models.CharField(_("ringkasan"), max_length=300, blank=True)
    # audit log (append-only, see core/audit.py): the object the action was about, and
    # the client's IP only as a salted HMAC (never the raw address)
    object_type = models.CharField(_("jenis objek"), max_length=60, blank=True)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    ip_hash = models.CharField(_("hash IP"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        db_table = "kompetensi_accesslog"
        verbose_name = _("log audit data pribadi")
        verbose_name_plural = _("log audit data pribadi")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("log audit hanya dapat ditambah, tidak dapat diubah")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("log audit tidak dapat dihapus")
