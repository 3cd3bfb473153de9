"""Pages for external learning (ASN records, HR reviews) and the HR certificate ZIP."""

from __future__ import annotations

import logging
import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from core.confirm import Confirmation, confirmation_page, is_confirmed
from kompetensi import rules

from . import external
from .certificates.zip import (
    ZIP_SPOOL_BYTES,
    build_certificates_zip,
    certificates_for_zip,
    render_missing_pdfs,
)
from .models import ExternalLearning, TrainingNeed
from .permissions import can_manage_assignments
from .selectors import _employee_for

logger = logging.getLogger(__name__)


class ExternalLearningForm(forms.Form):
    title = forms.CharField(label=_lazy("Nama kegiatan"), max_length=255)
    provider = forms.CharField(
        label=_lazy("Penyelenggara"),
        max_length=255,
        help_text=_lazy("Misalnya BPSDM Provinsi Banten, LAN RI, atau penyelenggara webinar."),
    )
    kind = forms.ChoiceField(label=_lazy("Jenis kegiatan"), choices=ExternalLearning.Kind.choices)
    start_date = forms.DateField(
        label=_lazy("Tanggal mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_lazy("Tanggal selesai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    jp = forms.IntegerField(
        label=_lazy("Jumlah JP"),
        min_value=external.JP_MIN,
        max_value=external.JP_MAX,
        help_text=_lazy("Jam pelajaran (1 JP = 45 menit) sesuai sertifikat, 1–200."),
    )
    proof = forms.FileField(
        label=_lazy("Dokumen bukti"),
        help_text=_lazy("Sertifikat atau surat keterangan: PDF, PNG atau JPEG, maksimal 5 MB."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Kolom ini wajib diisi.")
        self.fields["jp"].error_messages.update(
            {
                "invalid": _("JP harus bilangan bulat."),
                "min_value": _("JP minimal 1."),
                "max_value": _("JP maksimal 200."),
            }
        )
        self.fields["kind"].error_messages["invalid_choice"] = _("Pilih jenis kegiatan.")
        for name in ("start_date", "end_date"):
            self.fields[name].error_messages["invalid"] = _("Tanggal tidak valid.")

    def clean_proof(self):
        proof = self.cleaned_data["proof"]
        self.proof_kind = external.check_proof(proof)
        return proof

    def clean(self):
        data = super().clean()
        if not self.errors:
            for field, message in external.validate_fields(data).items():
                self.add_error(field, message)
        return data


def _hr_only(request):
    if not can_manage_assignments(request.user):
        raise Http404


# ------------------------------------------------------------------------------------------
# ASN
# ------------------------------------------------------------------------------------------


@login_required
def external_mine(request):
    employee = _employee_for(request.user)
    records = external.external_for_employee(employee) if employee else []
    return render(
        request,
        "workflow/external/mine.html",
        {"employee": employee, "records": records},
    )


@login_required
def external_new(request):
    employee = _employee_for(request.user)
    if employee is None:
        messages.error(request, _("Akun Anda belum terhubung dengan data pegawai."))
        return redirect("workflow:external_mine")
    if request.method == "POST":
        form = ExternalLearningForm(request.POST, request.FILES)
    else:
        form = ExternalLearningForm()
    if request.method == "POST" and form.is_valid():
        try:
            external.external_learning_submit(
                employee=employee, data=form.cleaned_data, proof=form.cleaned_data["proof"]
            )
        except external.ExternalLearningError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Pembelajaran eksternal tercatat dan menunggu persetujuan BKPSDM.")
            )
            return redirect("workflow:external_mine")
    status = 400 if request.method == "POST" else 200
    return render(request, "workflow/external/new.html", {"form": form}, status=status)


@login_required
def external_proof(request, pk: int):
    """The proof document: the owner and HR of their unit; everyone else 404."""
    record = get_object_or_404(ExternalLearning.objects.select_related("employee__unit"), pk=pk)
    if not external.can_view_external_proof(request.user, record) or not record.proof:
        raise Http404
    ext = (record.proof_content_type or "").rsplit("/", 1)[-1].replace("jpeg", "jpg") or "bin"
    name = record.proof_name or f"bukti-{record.pk}.{ext}"
    response = FileResponse(
        record.proof.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=record.proof_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------------------
# HR (BKPSDM)
# ------------------------------------------------------------------------------------------

STATUS_FILTERS = [
    ("submitted", ExternalLearning.Status.SUBMITTED.label),
    ("approved", ExternalLearning.Status.APPROVED.label),
    ("rejected", ExternalLearning.Status.REJECTED.label),
    ("all", _lazy("Semua")),
]


@login_required
def external_review_list(request):
    _hr_only(request)
    status = request.GET.get("status") or "submitted"
    q = request.GET.get("q", "")[:100]
    query = external.external_managed_by(request.user, status=status, q=q)
    page = Paginator(query, 50).get_page(request.GET.get("halaman"))
    records = list(page.object_list)
    needs = external.open_needs_by_employee({r.employee_id for r in records})
    for r in records:
        r.open_needs = needs.get(r.employee_id, [])
    params = request.GET.copy()
    params.pop("halaman", None)
    return render(
        request,
        "workflow/external/review_list.html",
        {
            "page_obj": page,
            "records": records,
            "status": status,
            "q": q,
            "statuses": STATUS_FILTERS,
            "querystring": params.urlencode(),
        },
    )


def _reviewable(request, pk: int) -> ExternalLearning:
    """The record by id among those of the officer's units (others: 404); whether the user
    may review it is the service's decision."""
    _hr_only(request)
    return get_object_or_404(
        external.external_managed_by(request.user, status="all").select_related("employee__unit"),
        pk=pk,
    )


def _review(fn, **kwargs):
    """Run a review service; its authority refusal is a 404 on these HR pages."""
    try:
        return fn(**kwargs)
    except external.ExternalLearningError as exc:
        if exc.status in (403, 404):
            raise Http404 from None
        raise


def _back_to_list(request):
    return redirect(reverse("workflow:external_review") + "?" + request.POST.get("querystring", ""))


def _review_confirmation(request, record: ExternalLearning, *, approve: bool) -> Confirmation:
    """What approving (the JP count) or rejecting (the employee is told) a record does."""
    back = reverse("workflow:external_review") + "?" + request.POST.get("querystring", "")
    details = [
        (_("Pegawai"), f"{record.employee.name} ({rules.mask_nip(record.employee.nip)})"),
        (_("Kegiatan"), f"{record.title} — {record.provider}"),
        (
            _("Tanggal"),
            f"{rules.numeric_date(record.start_date)} – {rules.numeric_date(record.end_date)}",
        ),
        (_("JP"), str(record.jp)),
    ]
    if approve:
        return Confirmation(
            title=_("Setujui pembelajaran “%(title)s”?") % {"title": record.title},
            effects=[
                _("%(jp)s JP dihitung ke capaian JP pegawai tahun ini.") % {"jp": record.jp},
                _("Pegawai diberi tahu bahwa pembelajarannya disetujui."),
            ],
            details=details,
            irreversible=_(
                "Persetujuan tidak dapat dibatalkan dari halaman ini: catatan yang disetujui "
                "tidak kembali ke daftar tunggu."
            ),
            confirm_label=_("Ya, setujui"),
            cancel_url=back,
            danger=False,
        )
    return Confirmation(
        title=_("Tolak pembelajaran “%(title)s”?") % {"title": record.title},
        effects=[_("Pegawai diberi tahu penolakan beserta alasannya; JP-nya tidak dihitung.")],
        details=[*details, (_("Alasan penolakan"), request.POST.get("reason", "").strip())],
        irreversible=_(
            "Penolakan tidak dapat dibatalkan: pegawai harus mencatat kegiatan ini lagi bila "
            "ingin diajukan ulang."
        ),
        confirm_label=_("Ya, tolak"),
        cancel_url=back,
    )


@login_required
@require_POST
def external_approve(request, pk: int):
    record = _reviewable(request, pk)
    need = None
    need_id = request.POST.get("need") or ""
    if need_id:
        if not need_id.isdigit():
            messages.error(request, _("Kebutuhan pelatihan tidak valid."))
            return _back_to_list(request)
        need = TrainingNeed.objects.filter(pk=int(need_id), employee_id=record.employee_id).first()
        if need is None:
            messages.error(request, _("Kebutuhan pelatihan tidak ditemukan untuk pegawai ini."))
            return _back_to_list(request)
    if record.status == ExternalLearning.Status.SUBMITTED and not is_confirmed(request):
        return confirmation_page(request, _review_confirmation(request, record, approve=True))
    try:
        _review(external.external_learning_approve, record=record, actor=request.user, need=need)
    except external.ExternalLearningError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Disetujui: %s") % record.title)
    return _back_to_list(request)


@login_required
@require_POST
def external_reject(request, pk: int):
    record = _reviewable(request, pk)
    pending = record.status == ExternalLearning.Status.SUBMITTED
    if pending and request.POST.get("reason", "").strip() and not is_confirmed(request):
        return confirmation_page(request, _review_confirmation(request, record, approve=False))
    try:
        _review(
            external.external_learning_reject,
            record=record,
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
    except external.ExternalLearningError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Ditolak: %s") % record.title)
    return _back_to_list(request)


# ------------------------------------------------------------------------------------------
# HR: certificates of a unit / a year as one ZIP
# ------------------------------------------------------------------------------------------


@login_required
def certificates_zip(request):
    """/sdm/sertifikat/unduh.zip?unit=<code>&period=<year>: every certificate of the officer's
    units in that unit and/or year (missing PDFs rendered for it), HR only; others 404. The
    number of PDFs is in the file name, the ``X-Certificate-Count`` header and MANIFEST.txt."""
    _hr_only(request)
    unit_code = (request.GET.get("unit") or "").strip()[:60]
    period = (request.GET.get("period") or "").strip()
    year = None
    if period:
        if not (period.isdigit() and len(period) == 4):
            return HttpResponseBadRequest(_("Periode harus tahun (YYYY)."))
        year = int(period)
    if not unit_code and not year:
        return HttpResponseBadRequest(_("Pilih unit kerja (unit=) atau tahun (period=)."))
    certs = certificates_for_zip(request.user, unit_code=unit_code, year=year)
    if certs is None:
        raise Http404
    render_missing_pdfs(certs)
    spool = tempfile.SpooledTemporaryFile(max_size=ZIP_SPOOL_BYTES)
    written, skipped = build_certificates_zip(certs.iterator(chunk_size=500), spool)
    spool.seek(0)
    parts = ["sertifikat", unit_code.lower() if unit_code else "", str(year or "")]
    filename = "-".join(p for p in parts if p) + f"-{written}-berkas.zip"
    response = FileResponse(
        spool, as_attachment=True, filename=filename, content_type="application/zip"
    )
    response["X-Certificate-Count"] = str(written)
    if skipped:
        response["X-Certificate-Skipped"] = str(len(skipped))
    response["Cache-Control"] = "private, no-store"
    return response


__all__ = [
    "ExternalLearningForm",
    "certificates_zip",
    "external_approve",
    "external_mine",
    "external_new",
    "external_proof",
    "external_reject",
    "external_review_list",
]
