"""Pages of the workflow app. Views hold no rules: they ask permissions, call services and
render selectors' results."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import ratelimit
from core.client_ip import client_ip
from core.confirm import Confirmation, confirmation_page, is_confirmed
from kompetensi import rules
from kompetensi.models import EvaluationPeriod
from kompetensi.permissions import units_visible_to

from . import selectors, services
from .forms import AssignmentEditForm, DueDateForm, RecommendForm, VerifyForm
from .models import Assignment, TrainingNeed
from .permissions import (
    assignments_managed_by,
    can_download_certificate,
    can_manage_assignments,
    can_revoke_certificate,
)

VERIFY_LIMIT = 30  # look-ups per IP …
VERIFY_WINDOW = 300  # … per 5 minutes


def _live_lesson(lesson_id: int):
    from portal.models import LessonPage

    return get_object_or_404(LessonPage.objects.live(), pk=lesson_id)


def _hr_call(fn, **kwargs):
    """Run an HR service for this request's user. Its authority refusal (403 without HR
    authority, 404 outside the officer's units) is a 404 on these pages: HR pages do not
    exist for other users (the API answers the service's own status)."""
    try:
        return fn(**kwargs)
    except (services.NotFound, services.NotAllowed):
        raise Http404 from None


def _safe_next(request, fallback: str) -> str:
    """The posted ``next`` when it is a URL of this site, else ``fallback``."""
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = fallback
    return target


def _back(request, fallback: str) -> HttpResponseRedirect:
    return redirect(_safe_next(request, fallback))


# ------------------------------------------------------------------------------------------
# Learner
# ------------------------------------------------------------------------------------------


@login_required
def my_training(request):
    context = selectors.my_training(user=request.user)
    if context.get("employee") is not None:
        # The learner's own training needs and where each stands: open, addressed by a
        # training, closed by a later evaluation ("gap tertutup") or by HR (1 query).
        context["needs"] = list(
            TrainingNeed.objects.filter(employee=context["employee"])
            .select_related("competency", "period")
            .order_by("-period__start", "competency__code")[:100]
        )
    return render(request, "workflow/my_training.html", context)


@login_required
@require_POST
def lesson_complete(request, lesson_id: int):
    lesson = _live_lesson(lesson_id)
    result = services.lesson_complete(user=request.user, lesson=lesson)
    if result.assignment_status in Assignment.DONE_STATES:
        messages.success(request, _("Selamat, modul selesai! Sertifikat Anda sedang diterbitkan."))
    else:
        messages.success(
            request,
            _("Pelajaran ditandai selesai. Kemajuan modul: %s%%.") % result.progress_percent,
        )
    return _back(request, lesson.url or "/")


@login_required
@require_POST
def quiz_submit(request, lesson_id: int):
    lesson = _live_lesson(lesson_id)
    answers: dict[str, list[str]] = {}
    for key in request.POST:
        if key.startswith("answer-"):
            answers[key[len("answer-") :]] = request.POST.getlist(key)
    if not answers:
        messages.error(request, _("Pilih jawaban untuk setidaknya satu pertanyaan."))
        return _back(request, lesson.url or "/")
    try:
        result = services.quiz_submit(user=request.user, lesson=lesson, answers=answers)
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
        return _back(request, lesson.url or "/")
    if result.module_completed:
        messages.success(
            request,
            _(
                "Selamat, Anda lulus kuis dengan nilai %(s)s%% dan menyelesaikan modul ini! "
                "Sertifikat Anda sedang diterbitkan."
            )
            % {"s": result.score_percent},
        )
    elif result.passed:
        messages.success(
            request,
            _("Anda lulus kuis dengan nilai %(s)s%% (terbaik %(b)s%%).")
            % {"s": result.score_percent, "b": result.best_score_percent},
        )
    else:
        messages.warning(
            request,
            _("Nilai Anda %(s)s%% (terbaik %(b)s%%), belum mencapai nilai lulus. Coba lagi.")
            % {"s": result.score_percent, "b": result.best_score_percent},
        )
    return _back(request, lesson.url or "/")


@login_required
@require_POST
def enrol(request, module_id: int):
    from portal.models import TrainingModulePage

    module = get_object_or_404(TrainingModulePage.objects.live(), pk=module_id)
    try:
        services.module_enrol(user=request.user, module=module)
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Anda terdaftar pada modul “%s”. Selamat belajar!") % module.title
        )
    return _back(request, module.url or "/")


# ------------------------------------------------------------------------------------------
# Certificates: public verification and download
# ------------------------------------------------------------------------------------------


def _client_key(request) -> str:
    # The visitor's own address behind the proxy (TRUSTED_PROXY_COUNT), not the proxy's.
    ip = client_ip(request)
    salt = getattr(settings, "SIKAP_IP_HASH_SALT", "")
    return hashlib.sha256(f"{salt}{ip}".encode()).hexdigest()[:32]


def _rate_limited(request) -> bool:
    """Count this look-up (every one counts, refused ones too); beyond the limit?"""
    return ratelimit.exceeded(
        "verify-rate", _client_key(request), limit=VERIFY_LIMIT, window=VERIFY_WINDOW
    )


def _too_many(request):
    response = render(request, "workflow/verify_limited.html", status=429)
    response["Retry-After"] = str(VERIFY_WINDOW)
    return response


def verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = rules.normalise_code(form.cleaned_data["code"])
        if rules.is_verification_code(code):
            return redirect("workflow:verify_code", code=code)
        form.add_error("code", _("Kode verifikasi terdiri dari 26 huruf A–Z dan angka 2–7."))
    return render(request, "workflow/verify_form.html", {"form": form})


def verify_code(request, code: str):
    if _rate_limited(request):
        return _too_many(request)
    cert = selectors.certificate_by_code(code)
    if cert is None:
        response = render(
            request, "workflow/verify_unknown.html", {"form": VerifyForm()}, status=404
        )
        return response
    if code != cert.verification_code:
        return redirect("workflow:verify_code", code=cert.verification_code)
    status = selectors.certificate_status(cert)
    context = {
        "cert": cert,
        "status": status,
        "nip_masked": rules.mask_nip(cert.employee.nip),
        "code_grouped": rules.group_code(cert.verification_code),
        "can_revoke": status != "revoked" and can_revoke_certificate(request.user, cert),
        "can_download": can_download_certificate(request.user, cert),
    }
    return render(request, "workflow/verify_detail.html", context)


def _revoke_confirmation(cert, reason: str, back: str = "") -> Confirmation:
    verify_url = reverse("workflow:verify_code", kwargs={"code": cert.verification_code})
    from_list = back.startswith(reverse("workflow:certificate_list"))
    return Confirmation(
        title=_("Cabut sertifikat %(number)s?") % {"number": cert.number},
        effects=[
            _(
                "Halaman verifikasi sertifikat ini akan menyatakan “Dicabut” beserta tanggal "
                "dan alasannya, dan PDF-nya diberi cap DICABUT."
            ),
            _("JP dari sertifikat ini tidak lagi dihitung."),
        ],
        details=[
            (_("Nomor"), cert.number),
            (_("Pemegang"), f"{cert.employee.name} ({rules.mask_nip(cert.employee.nip)})"),
            (_("Pelatihan"), cert.module_title),
            (_("Alasan pencabutan"), reason),
        ],
        irreversible=_(
            "Pencabutan tidak dapat dibatalkan: sertifikat yang dicabut tidak dapat "
            "diberlakukan kembali."
        ),
        confirm_label=_("Ya, cabut sertifikat"),
        cancel_url=back or verify_url,
        breadcrumbs=[
            (_("Daftar sertifikat"), back)
            if from_list
            else (_("Verifikasi sertifikat"), verify_url)
        ],
    )


@login_required
@require_POST
def certificate_revoke(request, code: str):
    """HR of the holder's unit revokes a certificate with a reason (others: 404). Back to the
    verification page, or to ``next`` (the HR certificate list) when posted with one."""
    cert = _hr_call(services.managed_certificate, actor=request.user, code=code)
    reason = request.POST.get("reason", "")
    back = _safe_next(
        request, reverse("workflow:verify_code", kwargs={"code": cert.verification_code})
    )
    # Asks first; a request the service refuses anyway (no reason, revoked) goes straight to it.
    if reason.strip() and cert.revoked_at is None and not is_confirmed(request):
        return confirmation_page(request, _revoke_confirmation(cert, reason.strip(), back))
    try:
        _hr_call(
            services.certificate_revoke,
            certificate=cert,
            actor=request.user,
            reason=reason,
        )
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sertifikat %s dicabut.") % cert.number)
    return redirect(back)


@login_required
def certificate_download(request, code: str):
    """The holder's and HR's copy of the PDF (others: 404); a revoked certificate comes
    stamped "DICABUT"."""
    cert = selectors.certificate_for_download(request.user, code=code or "")
    if cert is None:
        raise Http404
    return certificate_pdf_response(cert)


def certificate_pdf_response(cert) -> FileResponse:
    """The PDF of ``cert`` as an attachment (the page above and ``GET
    /api/v1/certificates/{number}/pdf``): the stored file, rendered first when missing,
    stamped "DICABUT" when revoked (``services.certificate_pdf_file``)."""
    stem = "sertifikat-" + cert.number.replace("/", "-")
    filename = f"{stem}-DICABUT.pdf" if cert.revoked_at else f"{stem}.pdf"
    response = FileResponse(
        services.certificate_pdf_file(cert),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------------------
# HR (BKPSDM): recommendations and demand report
# ------------------------------------------------------------------------------------------


def _hr_only(request):
    if not can_manage_assignments(request.user):
        raise Http404


STATUS_FILTERS = [
    ("recommended", Assignment.Status.RECOMMENDED.label),
    ("assigned", Assignment.Status.ASSIGNED.label),
    ("in_progress", Assignment.Status.IN_PROGRESS.label),
    ("overdue", "Terlambat"),
    ("completed", Assignment.Status.COMPLETED.label),
    ("certified", Assignment.Status.CERTIFIED.label),
    ("cancelled", Assignment.Status.CANCELLED.label),
    ("withdrawn", Assignment.Status.WITHDRAWN.label),
    ("all", "Semua"),
]


@login_required
def recommendations(request):
    _hr_only(request)
    periods = list(EvaluationPeriod.objects.order_by("-start"))
    if request.method == "POST":
        return _recommendations_post(request, periods)
    units = list(units_visible_to(request.user).only("code", "name", "path", "depth"))
    unit = next((u for u in units if u.code == request.GET.get("unit")), None)
    from portal.models import TrainingModulePage

    modules = list(TrainingModulePage.objects.live().only("title", "jp").order_by("title"))
    filters = {
        "status": request.GET.get("status") or "recommended",
        "unit": unit,
        "module": int(request.GET["module"]) if request.GET.get("module", "").isdigit() else None,
        "period": request.GET.get("period") or "",
        "q": request.GET.get("q", "")[:100],
    }
    query = selectors.recommendation_list(user=request.user, filters=filters)
    page = Paginator(query, 50).get_page(request.GET.get("halaman"))
    today = selectors.jakarta_today()
    for a in page.object_list:
        a.overdue = selectors.is_overdue(a, today)
    params = request.GET.copy()
    params.pop("halaman", None)
    return render(
        request,
        "workflow/recommendations.html",
        {
            "page_obj": page,
            "filters": filters,
            "units": units,
            "modules": modules,
            "periods": periods,
            "status_filters": STATUS_FILTERS,
            "recommend_form": RecommendForm(periods=periods),
            "approve_form": DueDateForm(),
            "querystring": params.urlencode(),
        },
    )


def _recommendations_post(request, periods):
    action = request.POST.get("action")
    back = reverse("workflow:recommendations") + "?" + request.POST.get("querystring", "")
    if action == "recommend":
        form = RecommendForm(request.POST, periods=periods)
        if not form.is_valid():
            messages.error(request, _("Pilih periode penilaian."))
            return redirect(back)
        period = next(p for p in periods if p.code == form.cleaned_data["period"])
        # Over the officer's units only: the service reads the scope of ``actor``.
        result = _hr_call(services.period_recommend, period=period, actor=request.user)
        messages.success(
            request,
            _(
                "Rekomendasi periode %(p)s: %(n)s kebutuhan baru, %(r)s rekomendasi baru, "
                "%(w)s kebutuhan tanpa modul."
            )
            % {
                "p": period.code,
                "n": result.needs,
                "r": result.recommended,
                "w": result.without_module,
            },
        )
        return redirect(back)
    # Every selected id goes to the service, which refuses the whole request (naming how
    # many) when any lies outside the officer's units.
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) <= 18]
    if not ids:
        messages.error(request, _("Pilih setidaknya satu penugasan."))
        return redirect(back)
    if action in ("approve", "cancel") and not is_confirmed(request):
        form = DueDateForm(request.POST)
        if action == "cancel" or form.is_valid():
            due = form.cleaned_data.get("due_date") if action == "approve" else None
            confirmation = _bulk_confirmation(request, action, ids, back, due)
            if confirmation is not None:
                return confirmation_page(request, confirmation)
    try:
        if action == "approve":
            form = DueDateForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Batas waktu tidak valid (format tanggal TTTT-BB-HH)."))
                return redirect(back)
            n = services.assignment_approve_bulk(
                ids=ids, actor=request.user, due_date=form.cleaned_data["due_date"]
            )
            messages.success(request, _("%s rekomendasi disetujui dan pegawai diberi tahu.") % n)
        elif action == "cancel":
            n = services.assignment_cancel_bulk(
                ids=ids, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("%s penugasan dibatalkan.") % n)
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
    return redirect(back)


def _bulk_confirmation(request, action: str, ids: list[int], back: str, due_date):
    """The confirmation of approving or cancelling the selected assignments, or None when
    the selection is not wholly the officer's (the service then refuses it, naming how many,
    and writes nothing)."""
    rows = list(
        assignments_managed_by(request.user)
        .filter(pk__in=[i for i in set(ids) if 0 < i < 2**63])
        .select_related("employee", "module")
        .order_by("employee__name", "pk")
    )
    if len(rows) != len(set(ids)):
        return None
    details = [
        (a.employee.name, f"{a.module.title if a.module else '—'} · {a.get_status_display()}")
        for a in rows[:50]
    ]
    if len(rows) > 50:
        details.append(("…", _("dan %(n)s lainnya") % {"n": len(rows) - 50}))
    n = len(rows)
    if action == "approve":
        effects = [
            ngettext(
                "%(n)s rekomendasi menjadi penugasan dan pegawainya langsung diberi tahu.",
                "%(n)s rekomendasi menjadi penugasan dan pegawainya langsung diberi tahu.",
                n,
            )
            % {"n": n},
        ]
        if due_date:
            effects.append(_("Batas waktu: %(date)s.") % {"date": date_format(due_date, "j F Y")})
        effects.append(_("Yang sudah bukan rekomendasi dilewati."))
        return Confirmation(
            title=_("Setujui rekomendasi yang dipilih?"),
            effects=effects,
            details=details,
            irreversible=_(
                "Pemberitahuan yang sudah terkirim tidak dapat ditarik. Penugasan yang disetujui "
                "tidak kembali menjadi rekomendasi; bila keliru, penugasan harus dibatalkan."
            ),
            confirm_label=ngettext(
                "Ya, setujui %(n)s rekomendasi", "Ya, setujui %(n)s rekomendasi", n
            )
            % {"n": n},
            cancel_url=back,
            danger=False,
            breadcrumbs=[(_("Rekomendasi pelatihan"), back)],
        )
    reason = request.POST.get("reason", "").strip()
    if reason:
        details.append((_("Alasan pembatalan"), reason))
    return Confirmation(
        title=_("Batalkan penugasan yang dipilih?"),
        effects=[
            ngettext(
                "%(n)s penugasan dibatalkan; kebutuhan pelatihannya terbuka kembali.",
                "%(n)s penugasan dibatalkan; kebutuhan pelatihannya terbuka kembali.",
                n,
            )
            % {"n": n},
            _("Yang sudah selesai atau sudah dibatalkan dilewati."),
        ],
        details=details,
        irreversible=_(
            "Penugasan yang dibatalkan tidak dapat dibuka kembali; untuk menugaskan lagi, "
            "jalankan rekomendasi baru."
        ),
        confirm_label=ngettext("Ya, batalkan %(n)s penugasan", "Ya, batalkan %(n)s penugasan", n)
        % {"n": n},
        cancel_url=back,
        breadcrumbs=[(_("Rekomendasi pelatihan"), back)],
    )


@login_required
def assignment_edit(request, pk: int):
    _hr_only(request)
    assignment = get_object_or_404(
        assignments_managed_by(request.user).select_related(
            "employee__unit", "module", "need__competency"
        ),
        pk=pk,
    )
    from portal.models import TrainingModulePage

    modules = list(TrainingModulePage.objects.live().only("title", "jp").order_by("title"))
    initial = {"due_date": assignment.due_date, "module": assignment.module_id}
    form = AssignmentEditForm(request.POST or None, initial=initial, modules=modules)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        data = form.cleaned_data
        confirmable = (action == "cancel" and assignment.status in services.OPEN_STATES) or (
            action == "approve" and assignment.status == Assignment.Status.RECOMMENDED
        )
        if confirmable and not is_confirmed(request):
            module = next((m for m in modules if m.pk == data.get("module")), assignment.module)
            return confirmation_page(request, _edit_confirmation(assignment, action, data, module))
        try:
            if action == "cancel":
                _hr_call(
                    services.assignment_cancel,
                    assignment=assignment,
                    actor=request.user,
                    reason=data["reason"],
                )
                messages.success(request, _("Penugasan dibatalkan."))
            else:
                module = next((m for m in modules if m.pk == data.get("module")), None)
                _hr_call(
                    services.assignment_update,
                    assignment=assignment,
                    actor=request.user,
                    due_date=data["due_date"],
                    module=module,
                )
                if action == "approve":
                    _hr_call(
                        services.assignment_approve,
                        assignment=assignment,
                        actor=request.user,
                        due_date=data["due_date"],
                    )
                    messages.success(request, _("Rekomendasi disetujui."))
                else:
                    messages.success(request, _("Penugasan disimpan."))
        except services.WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("workflow:recommendations")
    return render(
        request,
        "workflow/assignment_edit.html",
        {
            "assignment": assignment,
            "form": form,
            "is_open": assignment.status in services.OPEN_STATES,
            "is_recommended": assignment.status == Assignment.Status.RECOMMENDED,
        },
    )


def _edit_confirmation(assignment, action: str, data: dict, module) -> Confirmation:
    edit_url = reverse("workflow:assignment_edit", kwargs={"pk": assignment.pk})
    details = [
        (_("Pegawai"), assignment.employee.name),
        (_("Modul"), module.title if module else "—"),
    ]
    crumbs = [
        (_("Rekomendasi pelatihan"), reverse("workflow:recommendations")),
        (assignment.employee.name, edit_url),
    ]
    if action == "approve":
        if data.get("due_date"):
            details.append((_("Batas waktu"), date_format(data["due_date"], "j F Y")))
        return Confirmation(
            title=_("Setujui rekomendasi untuk %(name)s?") % {"name": assignment.employee.name},
            effects=[
                _(
                    "Rekomendasi menjadi penugasan, perubahan modul dan batas waktu disimpan, "
                    "dan pegawai serta atasannya langsung diberi tahu."
                )
            ],
            details=details,
            irreversible=_(
                "Pemberitahuan yang sudah terkirim tidak dapat ditarik. Penugasan yang disetujui "
                "tidak kembali menjadi rekomendasi; bila keliru, penugasan harus dibatalkan."
            ),
            confirm_label=_("Ya, setujui"),
            cancel_url=edit_url,
            danger=False,
            breadcrumbs=crumbs,
        )
    if data.get("reason"):
        details.append((_("Alasan pembatalan"), data["reason"]))
    return Confirmation(
        title=_("Batalkan penugasan %(name)s?") % {"name": assignment.employee.name},
        effects=[_("Penugasan dibatalkan; kebutuhan pelatihannya terbuka kembali.")],
        details=details,
        irreversible=_(
            "Penugasan yang dibatalkan tidak dapat dibuka kembali; untuk menugaskan lagi, "
            "jalankan rekomendasi baru."
        ),
        confirm_label=_("Ya, batalkan penugasan"),
        cancel_url=edit_url,
        breadcrumbs=crumbs,
    )


NEED_STATUS = [(v, label) for v, label in TrainingNeed.Status.choices]


@login_required
def needs_list(request):
    """HR: training needs of their units, with the dismissal (reason required)."""
    _hr_only(request)
    if request.method == "POST":
        need = get_object_or_404(
            selectors.needs_visible_to(request.user), pk=request.POST.get("need", "0") or 0
        )
        try:
            _hr_call(
                services.need_dismiss,
                need=need,
                actor=request.user,
                reason=request.POST.get("reason", ""),
            )
        except services.WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Kebutuhan pelatihan ditutup."))
        return redirect(reverse("workflow:needs") + "?" + request.POST.get("querystring", ""))
    periods = list(EvaluationPeriod.objects.order_by("-start"))
    filters = {
        "status": request.GET.get("status") or "open",
        "period": request.GET.get("period") or "",
        "q": request.GET.get("q", "")[:100],
    }
    query = selectors.need_list(user=request.user, filters=filters)
    page = Paginator(query, 50).get_page(request.GET.get("halaman"))
    params = request.GET.copy()
    params.pop("halaman", None)
    return render(
        request,
        "workflow/need_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "periods": periods,
            "statuses": NEED_STATUS,
            "querystring": params.urlencode(),
        },
    )


@login_required
def needs_without_module(request):
    _hr_only(request)
    periods = list(EvaluationPeriod.objects.order_by("-start"))
    period = request.GET.get("period") or ""
    rows = selectors.needs_without_module(user=request.user, period_code=period or None)
    return render(
        request,
        "workflow/needs_without_module.html",
        {
            "rows": rows,
            "periods": periods,
            "period": period,
            "total": sum(r.needs for r in rows),
        },
    )
