"""/sdm/ekspor/…: the SIASN training-history export (riwayat kursus)."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kompetensi import rules
from kompetensi.selectors import period_choices, pick_period
from reports.exports import records_response
from reports.selectors.scope import Scope, period_date_range
from reports.selectors.training_history import RIWAYAT_KURSUS_FIELDS, training_history

from .common import guard


@require_GET
def training_history_export(request):
    """/sdm/ekspor/riwayat-kursus/?period=2026&format=csv|json: completed, certified training
    of the officer's employees in the SIASN riwayat-kursus fields. ``period`` is an
    evaluation period code or a calendar year (YYYY); default: the current period."""
    if (denied := guard(request)) is not None:
        return denied
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "json"):
        return HttpResponseBadRequest(_("Format harus csv atau json."))
    periods = period_choices()
    code = request.GET.get("period") or ""
    if not code:
        current = pick_period(periods, None)
        code = current.code if current else str(rules.jakarta_today().year)
    dates = period_date_range(code, periods)
    if dates is None:
        return HttpResponseBadRequest(_("Periode tidak dikenal: gunakan kode periode atau tahun."))
    records = training_history(Scope.for_user(request.user), start=dates[0], end=dates[1])
    return records_response(records, RIWAYAT_KURSUS_FIELDS, fmt, name=f"riwayat-kursus-{code}")
