"""The citizen satisfaction survey (SKM, PermenPANRB 14/2017): service points (counters where
citizens are served) and each citizen's answer. Moved from kompetensi (issue #15) without
moving a row: both keep their tables and their index and constraint names."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompetensi.models import Employee, EvaluationPeriod, OrganizationUnit


class ServicePoint(models.Model):
    """A counter where citizens are served: unit × service ("Disdukcapil — Perekaman KTP-el").

    ``code`` is unique within its unit (API.md: two units may both have a ``loket-1``); the
    public survey is addressed by unit code and point code. ``service`` is the point's name
    (the API's ``name``)."""

    code = models.SlugField(_("kode"), max_length=60)
    unit = models.ForeignKey(
        OrganizationUnit, on_delete=models.PROTECT, related_name="service_points"
    )
    service = models.CharField(_("layanan"), max_length=200)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        db_table = "kompetensi_servicepoint"
        verbose_name = _("titik layanan")
        verbose_name_plural = _("titik layanan")
        ordering = ["unit__name", "service"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="skm_servicepoint_unit_code")
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} — {self.service}"

    @property
    def name(self) -> str:
        """The point's name (the API's ``name``), stored as ``service``."""
        return self.service


class KioskDevice(models.Model):
    """A counter's tablet paired with its service point (issue #16): HR creates it, the tablet
    opens the one-time pairing link once and keeps a long-lived cookie with the device token.
    A paired device is limited only by a cadence (``skm.services.KIOSK_CADENCE``), not by the
    per-IP limit of the public. Only SHA-256 hashes of the pairing code and of the token are
    stored; revoking is immediate."""

    service_point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("titik layanan"),
        on_delete=models.CASCADE,
        related_name="devices",
    )
    name = models.CharField(_("nama perangkat"), max_length=100)
    pairing_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    pairing_expires_at = models.DateTimeField(_("tautan berlaku sampai"), null=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    paired_at = models.DateTimeField(_("dipasangkan"), null=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True)

    class Meta:
        verbose_name = _("perangkat loket")
        verbose_name_plural = _("perangkat loket")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_token(value: str) -> str:
        """The SHA-256 kept for a pairing code or a device token (both random, 192+ bits)."""
        return hashlib.sha256(value.encode()).hexdigest()

    @staticmethod
    def looks_like_token(value: str | None) -> bool:
        return (
            bool(value)
            and 20 <= len(value) <= 100
            and all(c.isascii() and (c.isalnum() or c in "-_") for c in value)
        )

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.token_hash is not None


class ServiceFeedback(models.Model):
    """One citizen's SKM answer (PermenPANRB 14/2017): nine elements scored 1–4."""

    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="feedback"
    )
    unit = models.ForeignKey(OrganizationUnit, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    period = models.ForeignKey(
        EvaluationPeriod, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    comment = models.TextField(_("saran"), blank=True, max_length=2000)
    # The optional respondent profile (DOMAIN.md), codes of skm.rules.RESPONDENT_CODES; NULL =
    # not answered (nullable columns: added without rewriting a city's feedback table).
    respondent_gender = models.CharField(_("jenis kelamin"), max_length=1, null=True, blank=True)
    respondent_age_group = models.CharField(_("kelompok usia"), max_length=5, null=True, blank=True)
    respondent_education = models.CharField(_("pendidikan"), max_length=5, null=True, blank=True)
    respondent_occupation = models.CharField(_("pekerjaan"), max_length=10, null=True, blank=True)
    kiosk = models.ForeignKey(
        KioskDevice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    device_hash = models.CharField(max_length=64, blank=True, db_index=True)
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "kompetensi_servicefeedback"
        verbose_name = _("umpan balik masyarakat")
        verbose_name_plural = _("umpan balik masyarakat")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    u1__gte=1,
                    u1__lte=4,
                    u2__gte=1,
                    u2__lte=4,
                    u3__gte=1,
                    u3__lte=4,
                    u4__gte=1,
                    u4__lte=4,
                    u5__gte=1,
                    u5__lte=4,
                    u6__gte=1,
                    u6__lte=4,
                    u7__gte=1,
                    u7__lte=4,
                    u8__gte=1,
                    u8__lte=4,
                    u9__gte=1,
                    u9__lte=4,
                ),
                name="skm_scores_1_4",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "period"]),
            models.Index(fields=["employee", "period"]),
            models.Index(fields=["service_point", "period"]),
        ]
