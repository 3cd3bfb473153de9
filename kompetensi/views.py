"""Screens of the kompetensi app: "Kinerja Saya", the self-evaluation form, the supervisor's
team and evaluation form, and for HR the employee import and the evaluation periods.

Views only call selectors, services and permissions; each page runs a fixed number of
queries."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import charts
from core.errors import NotAllowed, NotFound, ServiceError
from core.roles import is_hr

from . import rules, selectors, services
from .forms import EvaluationForm, ImportUploadForm, PeriodForm
from .importer import CELL_RULES, ImportFileError, import_employees, import_skp
from .models import Employee, Evaluation, EvaluationPeriod
from .permissions import (
    can_manage_periods,
    can_view_employee,
    can_write_evaluation,
    has_hr_authority,
)


def _own_employee(user) -> Employee | None:
    return (
        Employee.objects.select_related("unit", "position", "supervisor").filter(user=user).first()
    )


def gap_sentence(row: selectors.ProfileRow) -> str:
    if row.assessed_level is None:
        return _("%(name)s: belum dinilai (dibutuhkan level %(req)s)") % {
            "name": row.name,
            "req": row.required_level,
        }
    if row.gap:
        return _("%(name)s: level %(got)s dari %(req)s yang dibutuhkan") % {
            "name": row.name,
            "got": row.assessed_level,
            "req": row.required_level,
        }
    return _("%(name)s: level %(got)s, memenuhi level %(req)s yang dibutuhkan") % {
        "name": row.name,
        "got": row.assessed_level,
        "req": row.required_level,
    }


def profile_chart(profile, *, title: str):
    required = [r for r in profile if r.required_level]
    return charts.grouped_level_bars(
        [
            charts.LevelRow(f"{r.code} {r.name}", r.required_level, r.assessed_level, r.self_level)
            for r in required
        ],
        title=title,
        desc=_(
            "Level kompetensi yang dibutuhkan jabatan, hasil penilaian, dan penilaian diri, "
            "skala 0 sampai 5. Angka yang sama ada pada tabel di bawahnya."
        ),
        labels=(_("Dibutuhkan"), _("Hasil penilaian"), _("Penilaian diri")),
        none_text=_("belum dinilai"),
    )


@login_required
def my_performance(request):
    """Kinerja Saya. Everything below the heading is the employee's own data: a fragment
    cached per person (``selectors.person_page_key``), computed only when missing."""
    from django.utils.functional import SimpleLazyObject

    from .selectors import employee_id_of_user, person_page_key

    loaded: dict = {}
    if employee_id_of_user(request.user, loaded) is None:
        return render(request, "kompetensi/my_performance.html", {"has_employee": False})
    context = {
        "has_employee": True,
        "person_key": person_page_key(request.user, "kinerja-saya"),
        "me": SimpleLazyObject(
            lambda: my_performance_context(loaded.get("employee") or _own_employee(request.user))
        ),
    }
    return render(request, "kompetensi/my_performance.html", context)


def my_performance_context(employee: Employee) -> dict:
    profile = selectors.employee_profile(employee)
    required = [r for r in profile if r.required_level]
    summary = selectors.employee_summary(employee, profile=profile)
    return {
        "employee": employee,
        "nip_grouped": rules.format_nip_grouped(employee.nip),
        "profile": required,
        "extra_rows": [r for r in profile if not r.required_level],
        "chart": profile_chart(profile, title=_("Kompetensi saya: dibutuhkan dan dimiliki")),
        "gaps": [gap_sentence(r) for r in required if r.gap],
        "unassessed": [gap_sentence(r) for r in required if r.assessed_level is None],
        "met": [gap_sentence(r) for r in required if r.gap == 0],
        "summary": summary,
        "jp_percent": min(100, round(100 * summary["jp_this_year"] / summary["jp_target"])),
        "skp_labels": rules.SKP_RATING_LABELS,
        "evaluations": list(selectors.evaluations_of(employee)),
        "peer": selectors.peer_aggregate(employee),
        "open_periods": list(selectors.open_periods()),
        "has_reports": Employee.objects.filter(supervisor=employee, is_active=True).exists(),
    }


def _evaluation_page(request, *, employee, period, source, back_url, heading):
    competencies, required, evaluation, current = selectors.evaluation_form_data(
        employee, period, source
    )
    readonly = (not period.is_open) or (
        evaluation is not None and evaluation.status == Evaluation.Status.FINAL
    )
    form = EvaluationForm(request.POST or None, competencies=competencies, initial_scores=current)
    if request.method == "POST":
        if readonly:
            messages.error(request, _("Penilaian ini tidak dapat diubah lagi."))
            return redirect(request.path)
        if form.is_valid():
            final = bool(request.POST.get("kirim"))
            try:
                services.evaluation_save(
                    actor=request.user,
                    employee=employee,
                    period=period,
                    source=source,
                    scores=form.scores(),
                    finalize=final,
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Penilaian dikirim dan sudah final.")
                    if final
                    else _("Draf penilaian disimpan."),
                )
                return redirect(back_url if final else request.path)
    rows = []
    for comp in competencies:
        field = form[f"c{comp.pk}"]
        value = field.value()
        try:
            chosen = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            chosen = None
        rows.append(
            {
                "competency": comp,
                "name": f"c{comp.pk}",
                "field": field,
                "levels": list(comp.levels.all()),
                "required": required.get(comp.pk),
                "chosen": chosen,
            }
        )
    return render(
        request,
        "kompetensi/evaluation_form.html",
        {
            "employee": employee,
            "period": period,
            "source": source,
            "evaluation": evaluation,
            "form": form,
            "rows": rows,
            "readonly": readonly,
            "back_url": back_url,
            "heading": heading,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_evaluation(request, period: str):
    employee = _own_employee(request.user)
    if employee is None:
        raise Http404
    period_obj = get_object_or_404(EvaluationPeriod, code=period)
    return _evaluation_page(
        request,
        employee=employee,
        period=period_obj,
        source=Evaluation.Source.SELF,
        back_url=reverse("kompetensi:my_performance"),
        heading=_("Penilaian diri: %(period)s") % {"period": period_obj.name},
    )


@login_required
def my_team(request):
    rows = selectors.direct_reports_with_gaps(request.user)
    return render(
        request,
        "kompetensi/my_team.html",
        {"rows": rows, "open_periods": list(selectors.open_periods())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervisor_evaluation(request, nip: str, period: str):
    employee = (
        Employee.objects.select_related("unit", "position", "supervisor", "supervisor__user")
        .filter(nip=nip)
        .first()
    )
    if employee is None or not (
        can_view_employee(request.user, employee)
        and can_write_evaluation(request.user, employee, Evaluation.Source.SUPERVISOR)
    ):
        raise Http404
    period_obj = get_object_or_404(EvaluationPeriod, code=period)
    return _evaluation_page(
        request,
        employee=employee,
        period=period_obj,
        source=Evaluation.Source.SUPERVISOR,
        back_url=reverse("kompetensi:my_team"),
        heading=_("Penilaian atasan untuk %(name)s — %(period)s")
        % {"name": employee.name, "period": period_obj.name},
    )


# ---------------------------------------------------------------------------------------------
# HR: employee import and periods
# ---------------------------------------------------------------------------------------------


def _require_hr(request) -> None:
    if not is_hr(request.user):
        raise PermissionDenied(_("Halaman ini khusus BKPSDM."))


IMPORT_SESSION_KEY = "kompetensi_import_file"
SKP_SESSION_KEY = "kompetensi_import_skp"


def _import_page(request, *, session_key, importer, url_name, texts):
    """Upload → preview (every bad row with its reasons, every change old → new) →
    all-or-nothing commit. ``importer(data, actor=, dry_run=)`` is the importer's entry point,
    which decides who may import what (the page is hidden only from users without HR
    authority, whom it would refuse anyway). The file is kept in storage between the two
    steps, named by a token held in the session; the commit checks it again, so what changed
    since the preview is caught."""
    if not has_hr_authority(request.user):
        raise PermissionDenied(texts["denied"])

    def run(data: bytes, *, dry_run: bool):
        return importer(data, actor=request.user, dry_run=dry_run)

    form = ImportUploadForm()
    plan = None
    file_error = None
    if request.method == "POST" and request.POST.get("action") == "commit":
        name = request.session.get(session_key)
        if not name or request.POST.get("token") != name or not default_storage.exists(name):
            messages.error(request, _("Berkas pratinjau tidak ditemukan; unggah ulang berkasnya."))
            return redirect(url_name)
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        try:
            plan = run(data, dry_run=False)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from None
        except ImportFileError as error:
            messages.error(request, str(error))
            return redirect(url_name)
        if plan.committed:
            default_storage.delete(name)
            request.session.pop(session_key, None)
            messages.success(request, texts["done"] % plan.result)
            return redirect(url_name)
        messages.error(request, _("Berkas berisi baris yang salah; tidak ada yang diimpor."))
    elif request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["berkas"].read()
            try:
                plan = run(data, dry_run=True)
            except NotAllowed as error:
                raise PermissionDenied(str(error)) from None
            except ImportFileError as error:
                file_error = str(error)
                plan = None
            else:
                old = request.session.get(session_key)
                if old and default_storage.exists(old):
                    default_storage.delete(old)
                name = default_storage.save(
                    f"impor-pegawai/{uuid.uuid4().hex}.bin", ContentFile(data)
                )
                request.session[session_key] = name
    return render(
        request,
        "kompetensi/employee_import.html",
        {
            "form": form,
            "plan": plan,
            "file_error": file_error,
            "token": request.session.get(session_key, ""),
            "texts": texts,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def employee_import(request):
    return _import_page(
        request,
        session_key=IMPORT_SESSION_KEY,
        importer=import_employees,
        url_name="kompetensi:employee_import",
        texts={
            "title": _("Impor pegawai"),
            "intro": _(
                "Unggah ekspor data pegawai (CSV atau XLSX) dari sistem informasi ASN. Baris "
                "judul berisi kolom: NIP, nama, unit kerja, jabatan, golongan, email, NIP "
                "atasan, jenis ASN. Unit kerja dan jabatan boleh berupa kode atau nama. Pegawai "
                "yang NIP-nya sudah ada diperbarui, tidak digandakan."
            ),
            "rules": CELL_RULES,
            "done": _(
                "Impor selesai: %(created)s pegawai baru, %(updated)s diperbarui, "
                "%(unchanged)s tidak berubah."
            ),
            "new": _("pegawai baru"),
            "denied": _(
                "Impor pegawai khusus BKPSDM yang memiliki cakupan unit kerja. Hubungi BKPSDM "
                "tingkat kota untuk mendapatkan cakupan."
            ),
            "changes": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def skp_import(request):
    return _import_page(
        request,
        session_key=SKP_SESSION_KEY,
        importer=import_skp,
        url_name="kompetensi:skp_import",
        texts={
            "title": _("Impor hasil SKP (e-Kinerja)"),
            "intro": _(
                "Unggah ekspor hasil SKP dari e-Kinerja (CSV atau XLSX) dengan kolom: NIP, "
                "periode (kode periode, misalnya 2025), hasil kerja, perilaku kerja (di atas, "
                "sesuai, atau di bawah ekspektasi). Predikat dihitung otomatis; hasil periode "
                "yang sama diganti. Predikat lemah menandai pegawai untuk tinjauan "
                "pengembangan."
            ),
            "done": _(
                "Impor selesai: %(created)s hasil SKP dicatat, %(flagged)s pegawai "
                "ditandai untuk tinjauan pengembangan."
            ),
            "new": _("hasil SKP"),
            "denied": _(
                "Impor hasil SKP khusus BKPSDM yang memiliki cakupan unit kerja. Hubungi BKPSDM "
                "tingkat kota untuk mendapatkan cakupan."
            ),
            "changes": False,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def periods(request):
    """Every HR officer sees the periods; opening, closing and adding them is for city-wide
    officers (decided by the services; the page only hides what would be refused)."""
    _require_hr(request)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(actor=request.user, **form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from None
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Periode %(code)s dibuka.") % {"code": period.code})
            return redirect("kompetensi:periods")
    return render(
        request,
        "kompetensi/periods.html",
        {
            "form": form,
            "periods": list(EvaluationPeriod.objects.order_by("-start")),
            "can_manage": can_manage_periods(request.user),
        },
    )


@login_required
@require_POST
def period_toggle(request, code: str):
    _require_hr(request)
    period = get_object_or_404(EvaluationPeriod, code=code)
    try:
        services.period_set_open(
            actor=request.user, period=period, is_open=request.POST.get("open") == "1"
        )
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from None
    messages.success(
        request,
        (_("Periode %(code)s dibuka.") if period.is_open else _("Periode %(code)s ditutup."))
        % {"code": period.code},
    )
    return redirect("kompetensi:periods")


@login_required
def peer_ratings(request, nip: str):
    """Individual peer (360) ratings of one employee, for HR of their unit only; every view
    is logged (personal data)."""
    employee = Employee.objects.select_related("unit", "position").filter(nip=nip).first()
    if employee is None:
        raise Http404
    try:
        rows = selectors.peer_ratings_individual(actor=request.user, employee=employee)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "kompetensi/peer_ratings.html",
        {"employee": employee, "rows": rows, "aggregate": selectors.peer_aggregate(employee)},
    )
