"""/sdm/unit/<code>/: one unit and its sub-units (the dashboard sections), with the employee
list; its PDF report."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import dataversion
from kompetensi.permissions import units_visible_to
from reports.exports import Column, Table
from reports.selectors.dashboard import dashboard_key, is_flagged
from reports.selectors.scope import Scope
from reports.selectors.unit import employee_list, employee_sort

from .common import (
    PAGE_SIZE,
    employee_url,
    guard,
    maybe_export,
    pdf_response,
    period_context,
    query_base,
)
from .dashboard import dashboard_page, lazy_dashboard


def employee_table(rows, *, year: int) -> Table:
    return Table(
        key="pegawai",
        title=_("Pegawai"),
        columns=[
            Column("name", _("Nama")),
            Column("gap_total", _("Total gap"), True),
            Column("gap_count", _("Kompetensi dengan gap"), True),
            Column("jp_year", _("JP %(year)s") % {"year": year}, True),
            Column("review", _("Perlu tinjauan")),
            Column("nip", _("NIP")),
            Column("position", _("Jabatan")),
            Column("unit", _("Unit")),
        ],
        rows=[
            {
                "name": e.name,
                "nip": e.nip,
                "position": e.position.name if e.position else "",
                "unit": e.unit.name,
                "gap_count": e.gap_count,
                "gap_total": e.gap_total,
                "jp_year": e.jp_year,
                "review": _("ya") if is_flagged(e) else "",
            }
            for e in rows
        ],
        links={i: employee_url(e.nip) for i, e in enumerate(rows)},
    )


@require_GET
def unit_detail(request, code: str):
    """/sdm/unit/<code>/: one unit and its sub-units, with the employee list."""
    if (denied := guard(request)) is not None:
        return denied
    unit = get_object_or_404(units_visible_to(request.user).select_related("parent"), code=code)
    periods, period, year = period_context(request)
    scope = Scope.for_unit(unit)
    sort = employee_sort(request.GET.get("urut"))

    def people():  # a queryset that takes some work to build: only when needed
        return employee_list(scope, year=year, period=period, sort=sort)

    if request.GET.get("ekspor") or request.GET.get("format") == "pdf":
        ctx = dashboard_page(scope, period=period, year=year)
        if request.GET.get("ekspor") == "pegawai":
            ctx["tables"].append(employee_table(list(people()), year=year))
        if (export := maybe_export(request, ctx["tables"], f"sdm-{unit.code}")) is not None:
            return export
        ctx.update(unit=unit, periods=periods, period=period, scoped=True, year=year)
        ctx["employee_table"] = employee_table(list(people()), year=year)
        ctx["printed_at"] = timezone.localtime()
        return pdf_response("reports/pdf_unit.html", ctx, f"laporan-sdm-{unit.code}.pdf".lower())
    ctx = lazy_dashboard(scope, period=period, year=year)
    ctx.update(unit=unit, periods=periods, period=period, scoped=True)
    key = dashboard_key(scope, year=year, period=period)
    requested_page = request.GET.get("halaman")
    page_base = query_base(request, "ekspor", "format", "halaman")
    sort_base = query_base(request, "ekspor", "format", "urut", "halaman")

    def people_section() -> dict:
        # The employee list reads only tables of the "sdm" data version: cached like the
        # sections (the rows, and the rendered section under ``people_key``).
        page = dataversion.cached_page(
            "sdm", f"unit-people:{key}:{sort}", people, PAGE_SIZE, requested_page
        )
        return {"page": page, "employee_table": employee_table(list(page.object_list), year=year)}

    ctx.update(
        people_key=f"{ctx['sections_key']}:{sort}:{requested_page}:{page_base}:{sort_base}",
        people=SimpleLazyObject(people_section),
        sort=sort,
        qs_base=query_base(request, "ekspor", "format"),
        sort_base=sort_base,
        page_base=page_base,
        sorts=[
            ("gap", _("Gap terbesar")),
            ("-gap", _("Gap terkecil")),
            ("jp", _("JP paling sedikit")),
            ("-jp", _("JP terbanyak")),
            ("nama", _("Nama")),
        ],
    )
    return render(request, "reports/unit.html", ctx)
