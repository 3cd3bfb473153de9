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
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import charts
from core.confirm import CONFIRM_FIELD, Confirmation, confirmation_page, is_confirmed
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
    evaluations = list(selectors.evaluations_of(employee))
    periods = list(selectors.open_periods())
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
        "evaluations": evaluations,
        "peer": selectors.peer_aggregate(employee),
        "open_periods": periods,
        # "Isi penilaian diri" only where the self-evaluation is not final yet.
        "self_due": selectors.self_evaluation_due(
            employee.pk, periods=periods, evaluations=evaluations
        ),
        "has_reports": Employee.objects.filter(supervisor=employee, is_active=True).exists(),
    }


def _evaluation_page(request, *, employee, period, source, back_url, heading):
    competencies, required, evaluation, current = selectors.evaluation_form_data(
        employee, period, source
    )
    readonly = (not period.is_open) or (
        evaluation is not None and evaluation.status == Evaluation.Status.FINAL
    )
    supervisor = source == Evaluation.Source.SUPERVISOR
    form = EvaluationForm(
        request.POST or None,
        competencies=competencies,
        initial_scores=current,
        initial_notes=selectors.evaluation_notes(evaluation) if supervisor else None,
        with_notes=supervisor,
    )
    # "Batal" on the confirmation: back to the form with the answers as they were posted.
    back_to_form = request.method == "POST" and bool(request.POST.get("kembali"))
    if request.method == "POST" and not back_to_form:
        if readonly:
            messages.error(request, _("Penilaian ini tidak dapat diubah lagi."))
            return redirect(request.path)
        if form.is_valid():
            final = bool(request.POST.get("kirim"))
            if final and not is_confirmed(request):
                return confirmation_page(
                    request,
                    _finalize_confirmation(employee, period, source, form, back_url),
                )
            try:
                services.evaluation_save(
                    actor=request.user,
                    employee=employee,
                    period=period,
                    source=source,
                    scores=form.scores(),
                    notes=form.notes(),
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
    context = (
        selectors.supervisor_form_context(employee, period, [c.pk for c in competencies])
        if supervisor
        else None
    )
    rows = []
    for comp in competencies:
        field = form[f"c{comp.pk}"]
        value = field.value()
        try:
            chosen = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            chosen = None
        levels = list(comp.levels.all())
        rows.append(
            {
                "competency": comp,
                "name": f"c{comp.pk}",
                "field": field,
                "levels": levels,
                "required": required.get(comp.pk),
                "chosen": chosen,
                "chosen_level": next((lv for lv in levels if lv.level == chosen), None),
                "note": form[f"n{comp.pk}"] if supervisor else None,
                "self_level": context.self_levels.get(comp.pk) if context else None,
                "previous": context.previous.get(comp.pk) if context else None,
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
            "answered": sum(1 for row in rows if row["chosen"]),
            "readonly": readonly,
            "back_url": back_url,
            "heading": heading,
        },
    )


def _finalize_confirmation(employee, period, source, form, back_url) -> Confirmation:
    scores = form.scores()
    if source == Evaluation.Source.SELF:
        effects = [
            _(
                "Penilaian diri Anda untuk periode %(period)s dikirim dan menjadi final. Atasan "
                "Anda melihatnya di samping penilaiannya."
            )
            % {"period": period.name}
        ]
    else:
        effects = [
            _(
                "Penilaian atasan untuk %(name)s periode %(period)s menjadi final dan menentukan "
                "profil kompetensinya bila belum ada uji kompetensi; kesenjangan dan rekomendasi "
                "pelatihannya dihitung dari profil itu."
            )
            % {"name": employee.name, "period": period.name}
        ]
    return Confirmation(
        title=_("Kirim penilaian sebagai final?"),
        effects=effects,
        details=[
            (f"{comp.code} {comp.name}", _("Level %(n)s") % {"n": level})
            for comp, level in scores.items()
        ],
        irreversible=_(
            "Penilaian yang sudah final tidak dapat diubah lagi, baik oleh Anda maupun oleh "
            "orang lain. Periksa setiap level di atas sebelum mengirim."
        ),
        confirm_label=_("Ya, kirim (final)"),
        cancel_name="kembali",
        danger=False,
        breadcrumbs=[
            (_("Kinerja Saya") if source == Evaluation.Source.SELF else _("Tim saya"), back_url)
        ],
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
    periods = list(selectors.open_periods())
    # "Nilai <periode>" only where the supervisor's evaluation is not final yet; a final one
    # is shown as done (its read-only page stays one link away).
    done = selectors.supervisor_evaluated_pairs(
        [r.employee.pk for r in rows], [p.pk for p in periods]
    )
    for row in rows:
        row.periods = [(p, (row.employee.pk, p.pk) in done) for p in periods]
    return render(request, "kompetensi/my_team.html", {"rows": rows, "open_periods": periods})


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
        # Unconfirmed: the preview again, with the confirmation (nothing is written).
        confirmed = is_confirmed(request)
        try:
            plan = run(data, dry_run=not confirmed)
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
        if confirmed or not plan.ok:
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
    token = request.session.get(session_key, "")
    confirm = None
    if plan is not None and plan.ok:
        confirm = Confirmation(
            title=_("Impor %(n)s baris sekarang?") % {"n": len(plan.rows)},
            effects=[texts["effect"] % {"new": plan.new, "updated": plan.updated}],
            irreversible=texts["irreversible"],
            confirm_label=_("Ya, impor %(n)s baris") % {"n": len(plan.rows)},
            cancel_url=reverse(url_name),
            danger=False,
        )
    return render(
        request,
        "kompetensi/employee_import.html",
        {
            "form": form,
            "plan": plan,
            "file_error": file_error,
            "token": token,
            "texts": texts,
            "confirm": confirm,
            "carried": [("action", "commit"), ("token", token)],
            "confirm_field": CONFIRM_FIELD,
        },
    )


@login_required
def import_template(request, kind: str, fmt: str):
    """The empty file to fill for an import: the header row with exactly the columns the
    importer reads (``importer.TEMPLATE_HEADERS`` / ``SKP_TEMPLATE_HEADERS``), CSV or XLSX."""
    from django.http import HttpResponse

    from core.exports import XLSX_CONTENT_TYPE, template_xlsx

    from .importer import SKP_TEMPLATE_HEADERS, TEMPLATE_HEADERS

    headers = {"pegawai": TEMPLATE_HEADERS, "skp": SKP_TEMPLATE_HEADERS}.get(kind)
    if headers is None or fmt not in {"csv", "xlsx"}:
        raise Http404
    if not has_hr_authority(request.user):
        raise PermissionDenied(_("Templat impor khusus BKPSDM."))
    name = f"templat-impor-{kind}.{fmt}"
    if fmt == "csv":
        content = ("\ufeff" + ",".join(headers) + "\r\n").encode("utf-8")
        content_type = "text/csv; charset=utf-8"
    else:
        # NIP columns (NIP, NIP atasan) as text, so an 18-digit NIP stays as typed.
        nip_columns = [i for i, h in enumerate(headers) if h.upper().startswith("NIP")]
        content = template_xlsx(f"impor-{kind}", headers, text_columns=nip_columns)
        content_type = XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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
            "template": "pegawai",
            "accounts": _(
                "Akun pegawai baru dibuat otomatis: nama pengguna = NIP, belum ada kata sandi. "
                "Pegawai mengaktifkan akunnya sendiri lewat “Lupa kata sandi?” di halaman "
                "Masuk: tautan untuk membuat kata sandi dikirim ke email yang tercatat. Karena "
                "itu isi kolom email; pegawai tanpa email perlu emailnya dicatat dulu agar dapat "
                "mengaktifkan akun. Tidak ada email yang dikirim saat impor."
            ),
            "done": _(
                "Impor selesai: %(created)s pegawai baru, %(updated)s diperbarui, "
                "%(unchanged)s tidak berubah."
            ),
            "new": _("pegawai baru"),
            "effect": _(
                "%(new)s pegawai baru dicatat dan %(updated)s pegawai yang sudah terdaftar "
                "diperbarui, persis seperti pratinjau di atas."
            ),
            "irreversible": _(
                "Impor tidak dapat dibatalkan. Data lama pegawai yang diperbarui (unit kerja, "
                "jabatan, atasan, email, …) ditimpa, dan pegawai baru tetap tercatat; "
                "mengembalikannya berarti mengubah datanya lagi satu per satu."
            ),
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
            "template": "skp",
            "effect": _(
                "%(new)s hasil SKP dicatat, persis seperti pratinjau di atas; hasil periode yang "
                "sama diganti."
            ),
            "irreversible": _(
                "Impor tidak dapat dibatalkan. Hasil SKP lama pada periode yang sama diganti, dan "
                "pegawai dengan predikat lemah langsung ditandai untuk tinjauan pengembangan."
            ),
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


def _close_confirmation(period: EvaluationPeriod) -> Confirmation:
    drafts = Evaluation.objects.filter(period=period).exclude(status=Evaluation.Status.FINAL)
    return Confirmation(
        title=_("Tutup periode %(code)s?") % {"code": period.code},
        effects=[
            _(
                "Pegawai dan atasan tidak dapat lagi mengisi, mengubah atau mengirim penilaian "
                "periode %(name)s."
            )
            % {"name": period.name},
            _(
                "%(n)s penilaian yang masih draf tetap draf dan tidak ikut menentukan profil "
                "kompetensi."
            )
            % {"n": drafts.count()},
        ],
        details=[
            (_("Periode"), f"{period.code} · {period.name}"),
            (
                _("Tanggal"),
                f"{date_format(period.start, 'j M Y')} – {date_format(period.end, 'j M Y')}",
            ),
        ],
        irreversible=_(
            "Selama periode tertutup, penilaian yang belum dikirim tidak dapat diselesaikan "
            "oleh siapa pun. Hanya petugas SDM tingkat kota yang dapat membukanya kembali."
        ),
        confirm_label=_("Ya, tutup periode %(code)s") % {"code": period.code},
        cancel_url=reverse("kompetensi:periods"),
        breadcrumbs=[(_("Periode penilaian"), reverse("kompetensi:periods"))],
    )


@login_required
@require_POST
def period_toggle(request, code: str):
    _require_hr(request)
    period = get_object_or_404(EvaluationPeriod, code=code)
    is_open = request.POST.get("open") == "1"
    if period.is_open and not is_open and not is_confirmed(request):
        # Closing asks first; the page is refused to whoever the service would refuse.
        if not can_manage_periods(request.user):
            raise PermissionDenied(_("Membuka dan menutup periode khusus SDM tingkat kota."))
        return confirmation_page(request, _close_confirmation(period))
    try:
        services.period_set_open(actor=request.user, period=period, is_open=is_open)
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
