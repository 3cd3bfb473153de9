"""External learning (pembelajaran eksternal): courses, seminars, webinars and coaching done
outside SIKAP, recorded by the ASN with a proof document and reviewed by HR (BKPSDM).

Services (``external_learning_<action>``, keyword-only, atomic), reads and the proof checks
live here. Approved records count toward the JP ledger in the Asia/Jakarta calendar year of
their end date (see :func:`external_jp_of_year`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from core.models import Notification
from kompetensi import rules

from .models import ExternalLearning, TrainingNeed

MAX_PROOF_BYTES = 5 * 1024 * 1024
JP_MIN, JP_MAX = 1, 200
# Magic bytes → content type. The name and the browser's content type are never trusted.
PROOF_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
EXPORT_JENIS = "teknis"
ES = ExternalLearning.Status


class ExternalLearningError(Exception):
    """A rule was broken; ``message`` is for people (Indonesian)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


# ------------------------------------------------------------------------------------------
# Proof document checks
# ------------------------------------------------------------------------------------------


def sniff_proof(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes of a file, or None when not allowed."""
    for magic, content_type, ext in PROOF_SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None


def check_proof(upload) -> tuple[str, str]:
    """Validate an uploaded proof: ≤ 5 MB, a PDF, PNG or JPEG by its content. Returns
    (content type, extension); raises ``ValidationError`` with an Indonesian message."""
    if upload is None:
        raise ValidationError(_("Unggah dokumen bukti (PDF, PNG atau JPEG)."))
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("Berkas bukti kosong."))
    if size > MAX_PROOF_BYTES:
        raise ValidationError(_("Berkas bukti terlalu besar: maksimal 5 MB."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff_proof(head)
    if kind is None:
        raise ValidationError(
            _("Jenis berkas tidak diterima: unggah PDF, PNG atau JPEG (isi berkas diperiksa).")
        )
    return kind


def safe_proof_name(filename: str, ext: str) -> str:
    """A display/download name: path parts dropped, unsafe characters removed, the extension
    forced to the detected type."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = get_valid_filename(stem)[:80].strip("._-") if stem.strip() else ""
    return f"{stem or 'bukti'}.{ext}"


def validate_fields(data: dict) -> dict[str, str]:
    """Field errors (Indonesian) for title/provider/kind/dates/JP; empty when all is well."""
    errors: dict[str, str] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("Nama kegiatan wajib diisi.")
    if not (data.get("provider") or "").strip():
        errors["provider"] = _("Penyelenggara wajib diisi.")
    if data.get("kind") not in ExternalLearning.Kind.values:
        errors["kind"] = _("Pilih jenis kegiatan.")
    start, end = data.get("start_date"), data.get("end_date")
    if not isinstance(start, dt.date):
        errors["start_date"] = _("Tanggal mulai wajib diisi.")
    if not isinstance(end, dt.date):
        errors["end_date"] = _("Tanggal selesai wajib diisi.")
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        if end < start:
            errors["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        elif end > timezone.localdate() + dt.timedelta(days=1):
            errors["end_date"] = _("Tanggal selesai tidak boleh di masa depan.")
    jp = data.get("jp")
    if not isinstance(jp, int) or isinstance(jp, bool) or not JP_MIN <= jp <= JP_MAX:
        errors["jp"] = _("JP harus bilangan bulat antara 1 dan 200.")
    return errors


# ------------------------------------------------------------------------------------------
# Services
# ------------------------------------------------------------------------------------------


@transaction.atomic
def external_learning_submit(*, employee, data: dict, proof) -> ExternalLearning:
    """Record external learning for ``employee`` (status "submitted"). Nothing is written when
    a field or the proof is invalid."""
    errors = validate_fields(data)
    if errors:
        raise ExternalLearningError(next(iter(errors.values())))
    try:
        content_type, ext = check_proof(proof)
    except ValidationError as exc:
        raise ExternalLearningError(exc.messages[0]) from exc
    name = safe_proof_name(getattr(proof, "name", ""), ext)
    record = ExternalLearning(
        employee=employee,
        title=data["title"].strip()[:255],
        provider=data["provider"].strip()[:255],
        kind=data["kind"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        jp=data["jp"],
        proof_name=name,
        proof_content_type=content_type,
    )
    record.proof.save(name, proof, save=False)
    try:
        record.save()
    except Exception:
        record.proof.delete(save=False)
        raise
    return record


def _notify_owner(record: ExternalLearning, *, title: str, body: str) -> None:
    from core.notifications import notify

    if record.employee.user_id:
        notify(
            user_ids=[record.employee.user_id],
            kind=Notification.Kind.OTHER,
            title=title,
            body=body,
            url=reverse("workflow:external_mine"),
            dedupe_key=f"external:{record.pk}:{record.status}",
        )


def _locked(record: ExternalLearning, actor) -> ExternalLearning:
    """The record locked for review by ``actor``: 403 without HR authority, 404 when the
    employee lies outside the officer's units, 409 when it was reviewed already."""
    from .permissions import can_manage_assignments, can_review_external

    locked = (
        ExternalLearning.objects.select_for_update(of=("self",))
        .select_related("employee__unit")
        .get(pk=record.pk)
    )
    if not can_manage_assignments(actor):
        raise ExternalLearningError(
            _("Hanya BKPSDM yang boleh melakukan tindakan ini."), status=403
        )
    if not can_review_external(actor, locked):
        raise ExternalLearningError(_("Data tidak ditemukan."), status=404)
    if locked.status != ES.SUBMITTED:
        raise ExternalLearningError(_("Pengajuan ini sudah ditinjau."), status=409)
    return locked


def _as_user(actor):
    return actor if getattr(actor, "pk", None) is not None else None


@transaction.atomic
def external_learning_approve(
    *, record: ExternalLearning, actor, need: TrainingNeed | None = None
) -> ExternalLearning:
    """Approve a submitted record; with ``need`` (an open need of the same employee) the need
    is closed by HR as fulfilled by this learning."""
    record = _locked(record, actor)
    now = timezone.now()
    if need is not None:
        need = TrainingNeed.objects.select_for_update(of=("self",)).filter(pk=need.pk).first()
        if (
            need is None
            or need.employee_id != record.employee_id
            or need.status not in TrainingNeed.OPEN_STATES
        ):
            raise ExternalLearningError(
                _("Kebutuhan pelatihan yang dipilih tidak terbuka untuk pegawai ini.")
            )
        need.status = TrainingNeed.Status.CLOSED
        need.closed_at = now
        need.closed_by = _as_user(actor)
        need.closed_reason = _("Dipenuhi pembelajaran eksternal: %s") % record.title
        need.save(update_fields=["status", "closed_at", "closed_by", "closed_reason"])
        record.need = need
    record.status = ES.APPROVED
    record.reviewed_by = _as_user(actor)
    record.reviewed_at = now
    record.reason = ""
    record.save(update_fields=["status", "reviewed_by", "reviewed_at", "reason", "need"])
    _notify_owner(
        record,
        title=_("Pembelajaran eksternal disetujui: %s") % record.title,
        body=_("%(jp)s JP dari “%(t)s” dihitung untuk tahun %(y)s.")
        % {"jp": record.jp, "t": record.title, "y": record.end_date.year},
    )
    return record


@transaction.atomic
def external_learning_reject(*, record: ExternalLearning, actor, reason: str) -> ExternalLearning:
    record = _locked(record, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ExternalLearningError(_("Alasan penolakan wajib diisi."))
    record.status = ES.REJECTED
    record.reviewed_by = _as_user(actor)
    record.reviewed_at = timezone.now()
    record.reason = reason
    record.save(update_fields=["status", "reviewed_by", "reviewed_at", "reason"])
    _notify_owner(
        record,
        title=_("Pembelajaran eksternal ditolak: %s") % record.title,
        body=_("Alasan: %s") % reason,
    )
    return record


# ------------------------------------------------------------------------------------------
# Permissions and reads
# ------------------------------------------------------------------------------------------


def can_review_external(user, record: ExternalLearning) -> bool:
    from .permissions import can_review_external as _can

    return _can(user, record)


def can_view_external_proof(user, record: ExternalLearning) -> bool:
    """The owner and HR of their unit (not the supervisor)."""
    from kompetensi.permissions import can_view_employee

    if not (user and user.is_authenticated):
        return False
    if record.employee.user_id == user.pk:
        return True
    return can_review_external(user, record) and can_view_employee(user, record.employee)


def external_for_employee(employee) -> list[ExternalLearning]:
    return list(
        ExternalLearning.objects.filter(employee=employee)
        .select_related("need__competency")
        .order_by("-end_date", "-pk")[:200]
    )


def external_managed_by(user, *, status: str = "submitted", q: str = "") -> QuerySet:
    """HR's review list, scoped to the officer's units."""
    from kompetensi.permissions import employees_managed_by
    from kompetensi.selectors import employee_search_q

    from .permissions import can_manage_assignments

    if not can_manage_assignments(user):
        return ExternalLearning.objects.none()
    query = ExternalLearning.objects.filter(employee__in=employees_managed_by(user))
    if status in ES.values:
        query = query.filter(status=status)
    if q:
        q = q.strip()
        query = query.filter(employee_search_q(q, "employee__"))
    return query.select_related("employee__unit", "reviewed_by", "need__competency").order_by(
        "-created_at", "-pk"
    )


def open_needs_by_employee(employee_ids) -> dict[int, list[TrainingNeed]]:
    """One query: open needs per employee (for the "link to a need" choice)."""
    out: dict[int, list[TrainingNeed]] = {}
    rows = (
        TrainingNeed.objects.filter(
            employee_id__in=list(employee_ids),
            status__in=TrainingNeed.OPEN_STATES,
        )
        .select_related("competency", "period")
        .order_by("competency__code", "pk")
    )
    for need in rows:
        out.setdefault(need.employee_id, []).append(need)
    return out


def _year_range(year: int) -> Q:
    return Q(end_date__gte=dt.date(year, 1, 1), end_date__lte=dt.date(year, 12, 31))


def external_jp_of_year(year: int, ref: str = "pk"):
    """Correlated subquery: approved external JP of an employee in ``year`` (0 when none)."""
    total = (
        ExternalLearning.objects.filter(
            _year_range(year), employee=OuterRef(ref), status=ES.APPROVED
        )
        .order_by()
        .values("employee")
        .annotate(s=Sum("jp"))
        .values("s")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def external_jp_per_year(employee, *, records=None) -> dict[int, tuple[int, int]]:
    """{year: (JP, records)} of approved external learning: one query, or none when the
    employee's ``records`` are given."""
    out: dict[int, tuple[int, int]] = {}
    if records is not None:
        rows = [(r.end_date, r.jp) for r in records if r.status == ES.APPROVED]
    else:
        rows = ExternalLearning.objects.filter(employee=employee, status=ES.APPROVED).values_list(
            "end_date", "jp"
        )
    for end, jp in rows:
        jp_sum, n = out.get(end.year, (0, 0))
        out[end.year] = (jp_sum + jp, n + 1)
    return out


def training_history_external(scope, *, start: dt.date, end: dt.date) -> list[dict]:
    """One query: approved external learning ending between ``start`` and ``end`` as SIASN
    riwayat-kursus records (``scope`` is a reports.selectors.Scope)."""
    rows = (
        ExternalLearning.objects.filter(
            scope.q("employee__unit__path"),
            status=ES.APPROVED,
            end_date__gte=start,
            end_date__lte=end,
        )
        .select_related("employee")
        .order_by("end_date", "pk")
    )
    return [
        {
            "nipBaru": r.employee.nip,
            "namaKursus": r.title,
            "jenisKursus": EXPORT_JENIS,
            "jumlahJam": r.jp,
            "tahunKursus": r.end_date.year,
            "tanggalKursus": rules.numeric_date(r.start_date),
            "tanggalSelesaiKursus": rules.numeric_date(r.end_date),
            "nomorSertipikat": "",
            "institusiPenyelenggara": r.provider,
        }
        for r in rows
    ]
