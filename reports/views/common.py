"""What the HR report pages share: the access guard, the period of a request, query strings,
table exports and PDFs, links and number formatting."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kompetensi.permissions import hr_scope_paths
from kompetensi.selectors import period_choices, pick_period
from reports.exports import EXPORT_FORMATS, Table, file_response, table_response
from reports.selectors.scope import report_year

PAGE_SIZE = 25


def guard(request):
    """None when the user may use the dashboards, else the response to return."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if hr_scope_paths(request.user) == []:
        raise PermissionDenied(_("Halaman ini hanya untuk BKPSDM."))
    return None


def period_context(request):
    """The periods to choose from, the requested (or current) one and its report year."""
    periods = period_choices()
    period = pick_period(periods, request.GET.get("period"))
    return periods, period, report_year(period)


def query_base(request, *drop: str) -> str:
    """The current query string without ``drop`` keys, ending with ``&`` when not empty."""
    params = [(k, v) for k, v in request.GET.items() if k not in drop]
    return urlencode(params) + "&" if params else ""


def maybe_export(request, tables: list[Table], name: str) -> HttpResponse | None:
    """The file of the table ``?ekspor=<key>`` (``&format=csv|xlsx``), None without one."""
    key = request.GET.get("ekspor")
    if not key:
        return None
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Format ekspor harus csv atau xlsx."))
    for table in tables:
        if table.key == key:
            return table_response(table, fmt, name=name)
    raise Http404(_("Tabel tidak ditemukan."))


def pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    from core import pdf

    html = render_to_string(template, context)
    return file_response(
        pdf.render_html_pdf(html, stylesheet="report"),
        content_type="application/pdf",
        filename=filename,
    )


def unit_url(code: str) -> str:
    return reverse("reports:sdm_unit", args=[code])


def employee_url(nip: str) -> str:
    return reverse("reports:sdm_employee", args=[nip])


def fmt_number(value, suffix: str = "") -> str:
    if value is None:
        return "–"
    return f"{number_format(value)}{suffix}"
