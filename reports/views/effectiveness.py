"""/sdm/efektivitas/: of the needs addressed by a completed training, the share closed at the
next evaluation — per module and per competency."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import charts
from kompetensi.selectors import period_choices
from reports.exports import Column, Table
from reports.selectors.effectiveness import effectiveness as effectiveness_of
from reports.selectors.scope import Scope

from .common import fmt_number, guard, maybe_export, query_base


def _bars(rows, label):
    return [
        charts.Bar(
            label(r),
            float(r["share"] or 0),
            f"{fmt_number(r['share'], ' %')} ({r['closed']}/{r['needs']})",
            charts.tone_for_share(r["share"], good=60, fair=30),
        )
        for r in rows
    ]


@require_GET
def effectiveness(request):
    """/sdm/efektivitas/: of the needs addressed by a completed training, the share closed
    at the next evaluation — per module and per competency (all periods, or one)."""
    if (denied := guard(request)) is not None:
        return denied
    periods = period_choices()
    code = request.GET.get("period") or ""
    period = next((p for p in periods if p.code == code), None)
    data = effectiveness_of(Scope.for_user(request.user), period=period)
    columns = [
        Column("name", _("Nama")),
        Column("needs", _("Kebutuhan ditangani pelatihan selesai"), True),
        Column("closed", _("Gap tertutup"), True),
        Column("pending", _("Belum dinilai ulang"), True),
        Column("share", _("Tertutup (%)"), True),
    ]
    module_table = Table(
        key="modul", title=_("Per modul pelatihan"), columns=columns, rows=data["modules"]
    )
    comp_table = Table(
        key="kompetensi",
        title=_("Per kompetensi"),
        columns=[
            Column("label", _("Kompetensi"), export=False),
            Column("code", _("Kode"), screen=False),
            Column("name", _("Nama"), screen=False),
            *columns[1:],
        ],
        rows=[{**r, "label": f"{r['code']} {r['name']}"} for r in data["competencies"]],
    )
    tables = [module_table, comp_table]
    if (export := maybe_export(request, tables, "efektivitas-pelatihan")) is not None:
        return export
    ctx = {
        "data": data,
        "periods": periods,
        "period": period,
        "module_table": module_table,
        "comp_table": comp_table,
        "module_chart": charts.hbar_chart(
            _("Gap tertutup per modul (%)"),
            _bars(data["modules"][:12], lambda r: r["name"]),
            max_value=100,
        ),
        "comp_chart": charts.hbar_chart(
            _("Gap tertutup per kompetensi (%)"),
            _bars(data["competencies"], lambda r: f"{r['code']} {r['name']}"),
            max_value=100,
        ),
        "qs_base": query_base(request, "ekspor", "format"),
        "all_periods": True,
    }
    return render(request, "reports/effectiveness.html", ctx)
