"""Competency framework, organisation, HR scopes, employees, evaluations, the materialised
profile and SKP results. Rules that span models live in services.py / selectors.py; pure
computations (NIP, gap, JPM, SKP predicate, JP) in the ``rules`` package."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def in_unit_subtree(path: str, root: str) -> bool:
    """Whether the unit at ``path`` is the unit at ``root`` or lies below it."""
    return path == root or path.startswith(f"{root}/")


def unit_subtree_q(field: str, roots) -> Q:
    """A filter on a unit path ``field`` (``"path"``, ``"unit__path"``…): the units at
    ``roots`` and every unit below them; no root matches nothing."""
    q = None
    for root in roots:
        one = Q(**{field: root}) | Q(**{f"{field}__startswith": f"{root}/"})
        q = one if q is None else q | one
    return Q(pk__in=[]) if q is None else q


class OrganizationUnit(models.Model):
    """Perangkat daerah → bidang → seksi/subbagian. ``path`` is the chain of codes from the
    root ("DINKES/DINKES-P2P/…"), kept by ``save()`` so a unit's subtree is one indexed
    ``path__startswith`` query."""

    class Kind(models.TextChoices):
        PERANGKAT_DAERAH = "perangkat_daerah", _("Perangkat daerah")
        BIDANG = "bidang", _("Bidang / bagian")
        SEKSI = "seksi", _("Seksi / subbagian")
        UPT = "upt", _("UPT / puskesmas / sekolah")

    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.BIDANG)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.parent_id:
            parent = self.parent
            self.path = f"{parent.path}/{self.code}"
            self.depth = parent.depth + 1
        else:
            self.path = self.code
            self.depth = 0
        super().save(*args, **kwargs)


class HrScope(models.Model):
    """The units a BKPSDM officer administers: ``unit`` and all its sub-units, or the whole
    city when ``unit`` is null. An officer with no row administers nothing (fail closed).
    Granted and revoked only through ``services.hr_scope_grant`` / ``hr_scope_revoke``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        on_delete=models.CASCADE,
        related_name="hr_scopes",
    )
    unit = models.ForeignKey(
        OrganizationUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hr_scopes",
        help_text=_("Kosongkan untuk seluruh kota."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diberikan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("diberikan pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("cakupan petugas SDM")
        verbose_name_plural = _("cakupan petugas SDM")
        ordering = ["user__username", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"],
                condition=Q(unit__isnull=False),
                name="hr_scope_user_unit_uniq",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(unit__isnull=True), name="hr_scope_city_wide_uniq"
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else _("seluruh kota")
        return f"{self.user} — {where}"


class Competency(ClusterableModel):
    class Kind(models.TextChoices):
        TEKNIS = "teknis", _("Teknis")
        MANAJERIAL = "manajerial", _("Manajerial")
        SOSIAL_KULTURAL = "sosial_kultural", _("Sosial kultural")

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("definisi"), blank=True)
    source = models.CharField(_("sumber"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kompetensi")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CompetencyLevel(models.Model):
    competency = ParentalKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    description = models.TextField(_("deskripsi"))
    indicators = models.JSONField(_("indikator perilaku"), default=list, blank=True)

    class Meta:
        verbose_name = _("level kompetensi")
        verbose_name_plural = _("level kompetensi")
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="uniq_competency_level"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="competency_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} level {self.level}"


class Position(ClusterableModel):
    class Kind(models.TextChoices):
        JPT_UTAMA = "jpt_utama", _("JPT Utama")
        JPT_MADYA = "jpt_madya", _("JPT Madya")
        JPT_PRATAMA = "jpt_pratama", _("JPT Pratama")
        ADMINISTRATOR = "administrator", _("Administrator")
        PENGAWAS = "pengawas", _("Pengawas")
        PELAKSANA = "pelaksana", _("Pelaksana")
        FUNGSIONAL = "fungsional", _("Fungsional")

    class Jenjang(models.TextChoices):
        AHLI_UTAMA = "ahli_utama", _("Ahli Utama")
        AHLI_MADYA = "ahli_madya", _("Ahli Madya")
        AHLI_MUDA = "ahli_muda", _("Ahli Muda")
        AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama")
        PENYELIA = "penyelia", _("Penyelia")
        MAHIR = "mahir", _("Mahir")
        TERAMPIL = "terampil", _("Terampil")
        PEMULA = "pemula", _("Pemula")

    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama jabatan"), max_length=200)
    kind = models.CharField(_("jenis jabatan"), max_length=20, choices=Kind.choices)
    jenjang = models.CharField(
        _("jenjang fungsional"), max_length=20, choices=Jenjang.choices, blank=True
    )
    unit = models.ForeignKey(
        OrganizationUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    is_front_line = models.BooleanField(_("pelayanan langsung ke masyarakat"), default=False)

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PositionRequirement(models.Model):
    position = ParentalKey(Position, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="requirements"
    )
    level = models.PositiveSmallIntegerField(_("level dibutuhkan"), validators=LEVEL_VALIDATORS)

    class Meta:
        verbose_name = _("standar kompetensi jabatan")
        verbose_name_plural = _("standar kompetensi jabatan")
        constraints = [
            models.UniqueConstraint(
                fields=["position", "competency"], name="uniq_position_competency"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="requirement_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} – {self.competency.code}: {self.level}"


class Employee(models.Model):
    class Type(models.TextChoices):
        PNS = "PNS", _("PNS")
        PPPK = "PPPK", _("PPPK")

    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    name = models.CharField(_("nama lengkap dengan gelar"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    employee_type = models.CharField(
        _("jenis ASN"), max_length=4, choices=Type.choices, default=Type.PNS
    )
    unit = models.ForeignKey(
        OrganizationUnit,
        verbose_name=_("unit kerja"),
        on_delete=models.PROTECT,
        related_name="employees",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("jabatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
    )
    rank = models.CharField(_("golongan/ruang"), max_length=6, blank=True)
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("atasan langsung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    development_review = models.BooleanField(
        _("perlu tinjauan pengembangan"),
        default=False,
        help_text=_("Ditandai otomatis bila predikat SKP lemah."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["name"]
        indexes = [models.Index(fields=["unit", "name"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class EvaluationPeriod(models.Model):
    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    is_open = models.BooleanField(_("terbuka"), default=True)

    class Meta:
        verbose_name = _("periode penilaian")
        verbose_name_plural = _("periode penilaian")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_dates")
        ]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Penilaian diri")
        SUPERVISOR = "supervisor", _("Atasan langsung")
        PEER = "peer", _("Rekan kerja (360)")
        ASSESSMENT = "assessment", _("Uji kompetensi / assessment center")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        FINAL = "final", _("Final")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="evaluations")
    period = models.ForeignKey(
        EvaluationPeriod, on_delete=models.PROTECT, related_name="evaluations"
    )
    source = models.CharField(_("sumber"), max_length=12, choices=Source.choices)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations_given",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penilaian kompetensi")
        verbose_name_plural = _("penilaian kompetensi")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "period", "source", "evaluator"],
                name="uniq_evaluation_per_evaluator",
            )
        ]
        indexes = [models.Index(fields=["employee", "status", "source"])]

    def __str__(self) -> str:
        return f"{self.employee} – {self.get_source_display()} ({self.period.code})"


class CompetencyScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="scores")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("nilai kompetensi")
        verbose_name_plural = _("nilai kompetensi")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "competency"], name="uniq_score_per_competency"
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="score_1_5"),
        ]


class SkpResult(models.Model):
    """The employee's SKP result of a period as rated in the national e-Kinerja system."""

    class Rating(models.TextChoices):
        DI_ATAS = "di_atas", _("Di Atas Ekspektasi")
        SESUAI = "sesuai", _("Sesuai Ekspektasi")
        DI_BAWAH = "di_bawah", _("Di Bawah Ekspektasi")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Diisi BKPSDM")
        IMPORT = "import", _("Impor berkas")
        API = "api", _("API")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="skp_results")
    period = models.ForeignKey(
        EvaluationPeriod, on_delete=models.PROTECT, related_name="skp_results"
    )
    hasil_kerja = models.CharField(_("hasil kerja"), max_length=10, choices=Rating.choices)
    perilaku_kerja = models.CharField(_("perilaku kerja"), max_length=10, choices=Rating.choices)
    predicate = models.CharField(_("predikat"), max_length=30)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hasil SKP")
        verbose_name_plural = _("hasil SKP")
        constraints = [
            models.UniqueConstraint(fields=["employee", "period"], name="uniq_skp_per_period")
        ]


class EmployeeCompetency(models.Model):
    """Materialised competency profile: recomputed by services.profile_recompute_*."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="profile")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    required_level = models.PositiveSmallIntegerField(null=True, blank=True)
    assessed_level = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=12, blank=True)
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    gap = models.PositiveSmallIntegerField(null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("profil kompetensi pegawai")
        verbose_name_plural = _("profil kompetensi pegawai")
        constraints = [
            models.UniqueConstraint(fields=["employee", "competency"], name="uniq_profile_row")
        ]
        indexes = [
            models.Index(fields=["competency", "gap"]),
            # "Has this employee a gap / an assessed competency?" per employee in the HR
            # aggregates: an index-only probe instead of reading and filtering profile rows.
            models.Index(fields=["employee"], condition=Q(gap__gt=0), name="profile_emp_gap_idx"),
            models.Index(
                fields=["employee"],
                condition=Q(assessed_level__isnull=False),
                name="profile_emp_assessed_idx",
            ),
        ]
