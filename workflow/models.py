"""Training needs, assignments, certificates (and their templates) and external learning.

State changes happen only in workflow/services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TrainingNeed(models.Model):
    """One per employee × competency × period with a gap."""

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        ADDRESSED = "addressed", _("Ditangani pelatihan")
        CLOSED = "closed", _("Gap tertutup")
        DISMISSED = "dismissed", _("Ditutup oleh BKPSDM")

    # An open need: its gap is not closed yet (no training addressed it, or one did and the
    # next evaluation has not measured the gap again): the API's ``open_needs``.
    OPEN_STATES = (Status.OPEN, Status.ADDRESSED)
    # How a state is shown on badges (``static/css/sikap.css``); a dismissed need has none.
    BADGE_CLASSES = {
        Status.OPEN: "badge-warn",
        Status.ADDRESSED: "badge-info",
        Status.CLOSED: "badge-ok",
    }

    class Origin(models.TextChoices):
        EVALUATION = "evaluation", _("Penilaian kompetensi")
        FEEDBACK = "feedback", _("Umpan balik masyarakat")
        MANUAL = "manual", _("Diusulkan BKPSDM")

    employee = models.ForeignKey(
        "kompetensi.Employee", on_delete=models.CASCADE, related_name="training_needs"
    )
    competency = models.ForeignKey(
        "kompetensi.Competency", on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        "kompetensi.EvaluationPeriod", on_delete=models.PROTECT, related_name="training_needs"
    )
    required_level = models.PositiveSmallIntegerField()
    assessed_level = models.PositiveSmallIntegerField(null=True, blank=True)
    gap = models.PositiveSmallIntegerField()
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.EVALUATION)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    needs_confirmation = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kebutuhan pelatihan")
        verbose_name_plural = _("kebutuhan pelatihan")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "competency", "period"], name="uniq_need_per_period"
            )
        ]
        indexes = [models.Index(fields=["period", "status"]), models.Index(fields=["status"])]

    @property
    def is_open(self) -> bool:
        """Its gap is not closed yet (``OPEN_STATES``): HR may still dismiss it."""
        return self.status in self.OPEN_STATES

    @property
    def badge_class(self) -> str:
        return self.BADGE_CLASSES.get(self.status, "")


class Assignment(models.Model):
    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("Direkomendasikan")
        ASSIGNED = "assigned", _("Ditugaskan")
        IN_PROGRESS = "in_progress", _("Sedang berjalan")
        COMPLETED = "completed", _("Selesai")
        CERTIFIED = "certified", _("Bersertifikat")
        CANCELLED = "cancelled", _("Dibatalkan")
        # A recommendation whose gap a later evaluation closed before HR approved it.
        WITHDRAWN = "withdrawn", _("Ditarik — kesenjangan sudah tertutup")

    # The states of ARCHITECTURE.md, written once: open (HR may still cancel; past the due
    # date an active one is overdue), active (the learner is on it) and done (the JP count).
    OPEN_STATES = (Status.RECOMMENDED, Status.ASSIGNED, Status.IN_PROGRESS)
    ACTIVE_STATES = (Status.ASSIGNED, Status.IN_PROGRESS)
    DONE_STATES = (Status.COMPLETED, Status.CERTIFIED)

    class Origin(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Rekomendasi dari gap")
        HR = "hr", _("Ditugaskan BKPSDM")
        SELF = "self", _("Belajar mandiri")
        RENEWAL = "renewal", _("Pembaruan sertifikat")

    employee = models.ForeignKey(
        "kompetensi.Employee", on_delete=models.CASCADE, related_name="assignments"
    )
    module = models.ForeignKey(
        "portal.TrainingModulePage", on_delete=models.PROTECT, related_name="assignments"
    )
    need = models.ForeignKey(
        TrainingNeed, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.HR)
    due_date = models.DateField(_("batas waktu"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    jp = models.PositiveSmallIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    last_reminder_kind = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("penugasan pelatihan")
        verbose_name_plural = _("penugasan pelatihan")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "module"],
                condition=Q(status__in=["recommended", "assigned", "in_progress"]),
                name="uniq_open_assignment",
            )
        ]
        indexes = [
            models.Index(fields=["employee", "status"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["completion_year", "employee"]),
            # JP earned per employee and year (HR aggregates, Kinerja Saya): completed rows
            # only, the JP a key column so the sum is read from the index alone.
            models.Index(
                fields=["employee", "completion_year", "jp"],
                condition=Q(status__in=["completed", "certified"]),
                name="assignment_emp_done_year_idx",
            ),
        ]

    @property
    def learner_status_display(self) -> str:
        """The status as the learner reads it: a module they enrolled in themselves is
        "Didaftar sendiri" until they start, not "Ditugaskan" (nobody assigned it)."""
        if self.status == self.Status.ASSIGNED and self.origin == self.Origin.SELF:
            return str(_("Didaftar sendiri"))
        return str(self.get_status_display())


class CertificateSequence(models.Model):
    """Gapless per-year counter, locked with SELECT … FOR UPDATE when a number is drawn."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)


class Certificate(models.Model):
    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="certificate"
    )
    employee = models.ForeignKey(
        "kompetensi.Employee", on_delete=models.PROTECT, related_name="certificates"
    )
    module = models.ForeignKey(
        "portal.TrainingModulePage", on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("nomor"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    verification_code = models.CharField(max_length=32, unique=True)
    jp = models.PositiveSmallIntegerField()
    holder_name = models.CharField(max_length=200)
    module_title = models.CharField(max_length=255)
    issued_at = models.DateTimeField()
    completed_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="certificates/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # Who digitally signed the PDF (PAdES, workflow/certificates/signing.py); "" when unsigned.
    signed_by = models.CharField(
        _("ditandatangani secara elektronik oleh"), max_length=200, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="uniq_certificate_seq")
        ]
        indexes = [
            models.Index(fields=["employee", "issued_at"]),
            # "JP that count" excludes revoked certificates (a tiny index: few are revoked).
            models.Index(
                fields=["assignment"],
                condition=Q(revoked_at__isnull=False),
                name="certificate_revoked_idx",
            ),
            # The follow-up sweep (services.follow_ups_sweep): PDFs and e-mails still missing.
            models.Index(
                fields=["issued_at"], condition=Q(pdf=""), name="certificate_without_pdf_idx"
            ),
            models.Index(
                fields=["issued_at"],
                condition=Q(emailed_at__isnull=True, revoked_at__isnull=True),
                name="certificate_not_emailed_idx",
            ),
        ]


def _external_proof_upload_to(instance, filename):
    """Store proofs under bukti/<year>/ with a sanitised, randomised name."""
    import secrets

    from django.utils import timezone
    from django.utils.text import get_valid_filename

    name = get_valid_filename(filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]) or "bukti"
    stem, _dot, ext = name.rpartition(".")
    stem = (stem or ext)[:60]
    ext = ext.lower() if stem != ext else "bin"
    return f"bukti/{timezone.now():%Y}/{secrets.token_hex(6)}-{stem}.{ext}"


class ExternalLearning(models.Model):
    """Learning done outside SIKAP (BPSDM course, seminar, webinar, coaching) with proof."""

    class Kind(models.TextChoices):
        KURSUS = "kursus", _("Kursus/Pelatihan")
        SEMINAR = "seminar", _("Seminar")
        WEBINAR = "webinar", _("Webinar")
        COACHING = "coaching", _("Coaching/Mentoring")
        LAINNYA = "lainnya", _("Lainnya")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")

    employee = models.ForeignKey(
        "kompetensi.Employee", on_delete=models.CASCADE, related_name="external_learning"
    )
    title = models.CharField(_("nama kegiatan"), max_length=255)
    provider = models.CharField(_("penyelenggara"), max_length=255)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    jp = models.PositiveSmallIntegerField(_("JP"))
    proof = models.FileField(_("bukti"), upload_to=_external_proof_upload_to, max_length=200)
    proof_name = models.CharField(max_length=200, blank=True)
    proof_content_type = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    need = models.ForeignKey(
        TrainingNeed,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="external_learning",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pembelajaran eksternal")
        verbose_name_plural = _("pembelajaran eksternal")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jp__gte=1) & Q(jp__lte=200), name="external_jp_range"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="external_dates_order"
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "status"]),
            models.Index(fields=["status", "end_date"]),
        ]


def _validate_signatory_nip(value: str) -> None:
    from django.core.exceptions import ValidationError

    from kompetensi import rules

    if not value:
        return
    try:
        rules.parse_nip(value)
    except rules.NipError as exc:
        raise ValidationError(str(exc)) from None


def _validate_number_format(value: str) -> None:
    from django.core.exceptions import ValidationError

    from kompetensi import rules

    if not value:
        return
    try:
        rules.validate_certificate_number_format(value)
    except rules.RuleError as exc:
        raise ValidationError(str(exc)) from None


class CertificateTemplate(models.Model):
    """What a certificate says around the holder's data, edited by BKPSDM in the Wagtail admin
    (workflow/wagtail_hooks.py). The default template (at most one, a database constraint) is
    used for every certificate rendered; without one the built-in wording applies. A module's
    own signatory (TrainingModulePage.signatory_*) overrides the template's when it is set."""

    name = models.CharField(_("nama templat"), max_length=100, unique=True)
    is_default = models.BooleanField(
        _("templat bawaan"),
        default=False,
        help_text=_("Dipakai untuk semua sertifikat yang diterbitkan. Hanya satu templat."),
    )
    title = models.CharField(_("judul"), max_length=40, default="SERTIFIKAT")
    subtitle = models.CharField(_("subjudul"), max_length=80, default="Surat Tanda Tamat Pelatihan")
    agency = models.CharField(
        _("baris kop 1 (instansi)"),
        max_length=120,
        blank=True,
        help_text=_("Kosong: nama instansi dari pengaturan (Pemerintah Kota Serang)."),
    )
    issuer = models.CharField(
        _("baris kop 2 (penerbit)"),
        max_length=160,
        default="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    )
    signatory_name = models.CharField(_("nama penandatangan"), max_length=200)
    signatory_nip = models.CharField(
        _("NIP penandatangan"), max_length=18, blank=True, validators=[_validate_signatory_nip]
    )
    signatory_position = models.CharField(
        _("jabatan penandatangan"),
        max_length=200,
        default="Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    )
    place = models.CharField(_("tempat penandatanganan"), max_length=60, default="Serang")
    background = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar latar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Opsional. Gambar A4 mendatar (297 × 210 mm), terang, agar teks terbaca."),
    )
    number_format = models.CharField(
        _("format nomor"),
        max_length=60,
        blank=True,
        validators=[_validate_number_format],
        help_text=_("Opsional, mis. {seq:05d}/SIKAP/{year}. Kosong: format dari pengaturan."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("templat sertifikat")
        verbose_name_plural = _("templat sertifikat")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="uniq_default_cert_template",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.is_default:
            others = CertificateTemplate.objects.filter(is_default=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    {
                        "is_default": _(
                            "Sudah ada templat bawaan (%(name)s). Hapus centangnya di sana dulu."
                        )
                        % {"name": others.first().name}
                    }
                )
