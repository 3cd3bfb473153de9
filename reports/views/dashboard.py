"""/sdm/: the city (or the officer's units) at a glance; the sections it shares with the unit
view (``unit.py``) are laid out here."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import charts, dataversion
from kompetensi import rules
from reports.exports import Column, Table
from reports.selectors.dashboard import dashboard_key, dashboard_sections
from reports.selectors.scope import Scope
from skm import rules as skm_rules

from .common import (
    employee_url,
    fmt_number,
    guard,
    maybe_export,
    period_context,
    query_base,
    unit_url,
)

# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def gap_table(gaps: list[dict]) -> Table:
    return Table(
        key="kesenjangan",
        title=_("Kesenjangan kompetensi"),
        columns=[
            Column("label", _("Kompetensi"), export=False),
            Column("code", _("Kode"), screen=False),
            Column("name", _("Kompetensi"), screen=False),
            Column("required", _("Pegawai dengan standar"), True),
            Column("assessed", _("Sudah dinilai"), True),
            Column("with_gap", _("Pegawai dengan gap"), True),
            Column("mean_gap", _("Rata-rata gap"), True),
        ],
        rows=[{**g, "label": f"{g['code']} {g['name']}"} for g in gaps],
    )


def unit_table(units: list[dict]) -> Table:
    target = {"n": rules.JP_TARGET}
    return Table(
        key="unit",
        title=_("Per unit"),
        columns=[
            Column("name", _("Unit")),
            Column("total", _("Pegawai"), True),
            Column("assessed_pct", _("Dinilai (%)"), True),
            Column("with_gap", _("Dengan gap"), True),
            Column("jp_compliant", _("≥ %(n)s JP") % target, True),
            Column("jp_compliant_pct", _("≥ %(n)s JP (%%)") % target, True),
            Column("flagged", _("Perlu tinjauan"), True),
            Column("ikm_responses", _("Responden SKM"), True),
            Column("ikm", _("IKM"), True),
            Column("ikm_category", _("Mutu")),
        ],
        rows=units,
        links={
            i: unit_url(u["code"]) for i, u in enumerate(units) if u["code"] and not u["is_self"]
        },
    )


def state_table(assignments: dict) -> Table:
    return Table(
        key="penugasan",
        title=_("Penugasan menurut status"),
        columns=[
            Column("label", _("Status")),
            Column("count", _("Jumlah"), True),
            Column("overdue", _("Lewat batas waktu"), True),
        ],
        rows=[{**s, "label": str(s["label"])} for s in assignments["states"]],
    )


def flag_table(flagged: list) -> Table:
    return Table(
        key="tinjauan",
        title=_("Perlu tinjauan pengembangan"),
        columns=[
            Column("name", _("Nama")),
            Column("gap_total", _("Total gap"), True),
            Column("jp_year", _("JP tahun ini"), True),
            Column("skp", _("Predikat SKP")),
            Column("flag", _("Tanda tinjauan")),
            Column("nip", _("NIP")),
            Column("unit", _("Unit")),
            Column("position", _("Jabatan")),
        ],
        rows=[
            {
                "name": e.name,
                "nip": e.nip,
                "unit": e.unit.name,
                "position": e.position.name if e.position else "",
                "gap_total": e.gap_total,
                "jp_year": e.jp_year,
                "skp": e.skp_predicate or "",
                "flag": _("ditandai") if e.development_review else "",
            }
            for e in flagged
        ],
        links={i: employee_url(e.nip) for i, e in enumerate(flagged)},
    )


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------


def gap_chart(gaps: list[dict]):
    top = gaps[:10]
    return charts.hbar_chart(
        _("Kompetensi dengan gap terbanyak"),
        [
            charts.Bar(
                f"{g['code']} {g['name']}",
                g["with_gap"],
                _("%(n)s pegawai · gap %(m)s")
                % {"n": g["with_gap"], "m": fmt_number(g["mean_gap"])},
                "bad" if g["with_gap"] else "ok",
            )
            for g in top
        ],
        max_value=max((g["required"] for g in top), default=0) or None,
    )


def jp_chart(child_units: list[dict], *, year: int):
    return charts.hbar_chart(
        _("≥ %(n)s JP tahun %(year)s per unit (%%)") % {"n": rules.JP_TARGET, "year": year},
        [
            charts.Bar(
                u["name"],
                float(u["jp_compliant_pct"] or 0),
                fmt_number(u["jp_compliant_pct"], " %"),
                charts.tone_for_share(u["jp_compliant_pct"]),
            )
            for u in sorted(child_units, key=lambda u: -(u["jp_compliant_pct"] or 0))
            if u["total"]
        ],
        max_value=100,
    )


def ikm_chart(child_units: list[dict]):
    return charts.hbar_chart(
        _("IKM per unit (25–100)"),
        [
            charts.Bar(
                u["name"],
                float(u["ikm"]),
                f"{fmt_number(u['ikm'])} ({u['ikm_category']})",
                skm_rules.IKM_TONES.get(u["ikm_category"], ""),
            )
            for u in child_units
            if u["ikm"] is not None
        ],
        max_value=100,
    )


def state_chart(assignments: dict):
    return charts.hbar_chart(
        _("Penugasan menurut status"),
        [charts.Bar(str(s["label"]), s["count"], str(s["count"])) for s in assignments["states"]],
    )


# ---------------------------------------------------------------------------------------------
# The sections (overview and unit view)
# ---------------------------------------------------------------------------------------------


def dashboard_page(scope: Scope, *, period, year: int) -> dict:
    """The dashboard sections of ``scope`` (``selectors.dashboard.dashboard_sections``) as the
    template's tables and charts."""
    sections = dashboard_sections(scope, year=year, period=period)
    units = sections["units"]
    assignments = sections["assignments"]
    tables = [
        gap_table(sections["gaps"]),
        unit_table(units),
        state_table(assignments),
        flag_table(sections["flagged"]),
    ]
    # The charts compare the groups that have people or citizen responses.
    child_units = [u for u in units if u["total"] or u["ikm_responses"]]
    return {
        "kpis": sections["kpis"],
        "year": year,
        "jp_target": rules.JP_TARGET,
        "assignments": assignments,
        "certs": sections["certs"],
        "ikm_all": sections["ikm"]["__all__"],
        "tables": tables,
        "gap_table": tables[0],
        "unit_table": tables[1],
        "state_table": tables[2],
        "flag_table": tables[3],
        "gap_chart": gap_chart(sections["gaps"]),
        "jp_chart": jp_chart(child_units, year=year),
        "ikm_chart": ikm_chart(child_units),
        "state_chart": state_chart(assignments),
        "has_ikm": any(u["ikm"] is not None for u in units),
    }


def lazy_dashboard(scope: Scope, *, period, year: int) -> dict:
    """Template context of the dashboard sections: the rendered sections are a fragment
    cached under ``sections_key`` (data version + inputs), and ``dash`` (tables, charts) is
    built only when that fragment is missing."""
    return {
        "sections_key": (
            f"{dataversion.current('sdm')}:{dashboard_key(scope, year=year, period=period)}"
        ),
        "dash": SimpleLazyObject(lambda: dashboard_page(scope, period=period, year=year)),
        "year": year,
    }


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


@require_GET
def overview(request):
    """/sdm/: the city (or the officer's units) at a glance."""
    if (denied := guard(request)) is not None:
        return denied
    periods, period, year = period_context(request)
    scope = Scope.for_user(request.user)
    if request.GET.get("ekspor"):
        tables = dashboard_page(scope, period=period, year=year)["tables"]
        if (export := maybe_export(request, tables, "sdm-kota")) is not None:
            return export
    ctx = lazy_dashboard(scope, period=period, year=year)
    ctx.update(
        periods=periods,
        period=period,
        qs_base=query_base(request, "ekspor", "format"),
        scoped=scope.paths is not None,
    )
    return render(request, "reports/overview.html", ctx)
