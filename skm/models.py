"""The citizen satisfaction survey (SKM, PermenPANRB 14/2017): service points (counters where
citizens are served) and each citizen's answer. Moved from kompetensi (issue #15) without
moving a row: both keep their tables and their index and constraint names."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dataversion import ScopedWrites
from kompetensi.models import Employee, EvaluationPeriod, OrganizationUnit


class ServicePoint(models.Model):
    """A counter where citizens are served: unit × service ("Disdukcapil — Perekaman KTP-el")."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
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

    def __str__(self) -> str:
        return f"{self.unit.name} — {self.service}"


class ServiceFeedback(ScopedWrites, models.Model):
    """One citizen's SKM answer (PermenPANRB 14/2017): nine elements scored 1–4."""

    dataversion_scopes = (("emp", "employee_id"),)
    # Feedback about a unit only (no employee) is read by no per-person page (the HR employee
    # page reads that employee's responses): citizens' unit feedback leaves them cached.
    dataversion_ownerless = "unit-feedback"

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
