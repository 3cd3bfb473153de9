"""HR's certificate list (/sdm/sertifikat/, issue #17): the certificates of the officer's units
(``selectors.certificates_in_scope``, as ``GET /api/v1/certificates``), filtered by unit, issue
year and status and searched by holder name, NIP or number, with the download, the
verification page, revoking (``views.certificate_revoke``, back here through ``next``) and
reissuing (``services.certificate_reissue``) on each row. Not an HR officer: 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.confirm import Confirmation, confirmation_page, is_confirmed
from kompetensi import rules
from kompetensi.permissions import units_visible_to

from . import selectors, services
from .permissions import can_manage_assignments
from .views import _hr_call, _safe_next

PER_PAGE = 50
Q_MAX = 100
# ``revoked`` filter: the query value, what the API's ``revoked`` means, the label.
STATUS_CHOICES = (("berlaku", False), ("dicabut", True))


def _status_filters():
    return [("", _("Semua")), ("berlaku", _("Tidak dicabut")), ("dicabut", _("Dicabut"))]


@login_required
@require_GET
def certificate_list(request):
    if not can_manage_assignments(request.user):
        raise Http404
    units = list(units_visible_to(request.user).only("code", "name", "path", "depth"))
    unit_code = request.GET.get("unit", "")
    if unit_code not in {u.code for u in units}:
        unit_code = ""
    years = selectors.certificate_years(request.user)
    year_raw = request.GET.get("tahun", "")
    year = int(year_raw) if year_raw.isdigit() and int(year_raw) in years else None
    status = request.GET.get("status", "")
    revoked = dict(STATUS_CHOICES).get(status)
    if revoked is None:
        status = ""
    q = request.GET.get("q", "")[:Q_MAX].strip()
    query = selectors.certificate_list(
        request.user, unit_code=unit_code, year=year, revoked=revoked, q=q
    )
    if query is None:  # pragma: no cover - the unit was checked against the visible ones
        raise Http404
    page = Paginator(query, PER_PAGE).get_page(request.GET.get("halaman"))
    now = timezone.now()
    for cert in page.object_list:
        cert.status = selectors.certificate_status(cert, now)
        cert.nip_masked = rules.mask_nip(cert.employee.nip)
        cert.issued_display = rules.long_date(
            timezone.localtime(cert.issued_at, rules.JAKARTA).date()
        )
    params = request.GET.copy()
    params.pop("halaman", None)
    return render(
        request,
        "workflow/certificate_list.html",
        {
            "page_obj": page,
            "units": units,
            "years": years,
            "statuses": _status_filters(),
            "filters": {"unit": unit_code, "year": year, "status": status, "q": q},
            "querystring": params.urlencode(),
            "here": request.get_full_path(),
        },
    )


def _reissue_confirmation(cert, back: str) -> Confirmation:
    current = cert.employee.name
    details = [
        (_("Nomor"), cert.number),
        (_("Pemegang"), f"{cert.holder_name} ({rules.mask_nip(cert.employee.nip)})"),
        (_("Pelatihan"), cert.module_title),
    ]
    if current != cert.holder_name:
        details.append((_("Nama baru pada sertifikat"), current))
    return Confirmation(
        title=_("Terbitkan ulang sertifikat %(number)s?") % {"number": cert.number},
        effects=[
            _(
                "PDF sertifikat dibuat ulang dengan templat sertifikat dan data pegawai terkini "
                "(nama, pangkat, jabatan, unit). Nomor, kode verifikasi dan tanggalnya tetap."
            ),
            _("Pemegang sertifikat diberi tahu."),
        ],
        details=details,
        irreversible=_(
            "PDF lama diganti: salinannya tidak lagi cocok dengan sidik SHA-256 pada halaman "
            "verifikasi, dan nama pemegang pada halaman itu mengikuti data terkini."
        ),
        confirm_label=_("Ya, terbitkan ulang"),
        cancel_url=back,
        danger=False,
        breadcrumbs=[(_("Daftar sertifikat"), back)],
    )


@login_required
@require_POST
def certificate_reissue(request, code: str):
    """HR of the holder's unit re-renders a certificate's PDF (others: 404), after
    confirmation; back to the list (``next``)."""
    cert = _hr_call(services.managed_certificate, actor=request.user, code=code)
    back = _safe_next(request, reverse("workflow:certificate_list"))
    if cert.revoked_at is None and not is_confirmed(request):
        return confirmation_page(request, _reissue_confirmation(cert, back))
    try:
        _hr_call(services.certificate_reissue, certificate=cert, actor=request.user)
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sertifikat %s diterbitkan ulang.") % cert.number)
    return redirect(back)
