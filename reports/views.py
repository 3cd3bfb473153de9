"""HR (BKPSDM) dashboards under /sdm/: city overview, unit, employee development history,
training effectiveness, and the SIASN training-history export.

Access: HR only (``kompetensi.permissions.hr_scope_paths``): anonymous users are sent to the
login page, other users get 403; a unit or employee outside the officer's units is 404.
Every page runs a fixed number of queries (see ``selectors``); ``?ekspor=<table>&format=
csv|xlsx`` downloads any table of the page, ``?format=pdf`` the unit or employee report."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import charts, dataversion
from kompetensi import rules
from kompetensi.permissions import employees_managed_by, hr_scope_paths, units_visible_to
from kompetensi.selectors import SOURCE_LABELS
from kompetensi.services import access_log_record
from workflow.models import TrainingNeed

from . import selectors
from .exports import (
    EXPORT_FORMATS,
    Column,
    Table,
    file_response,
    records_response,
    table_response,
)

PAGE_SIZE = 25


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _guard(request):
    """None when the user may use the dashboards, else the response to return."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if hr_scope_paths(request.user) == []:
        raise PermissionDenied(_("Halaman ini hanya untuk BKPSDM."))
    return None


def _period_context(request):
    periods = selectors.period_choices()
    period = selectors.pick_period(periods, request.GET.get("period"))
    return periods, period, selectors.report_year(period)


def _query_base(request, *drop: str) -> str:
    """The current query string without ``drop`` keys, ending with ``&`` when not empty."""
    params = [(k, v) for k, v in request.GET.items() if k not in drop]
    return urlencode(params) + "&" if params else ""


def _maybe_export(request, tables: list[Table], name: str) -> HttpResponse | None:
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


def _pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    from core import pdf

    html = render_to_string(template, context)
    return file_response(
        pdf.render_html_pdf(html, stylesheet="report"),
        content_type="application/pdf",
        filename=filename,
    )


def _unit_url(code: str) -> str:
    return reverse("reports:sdm_unit", args=[code])


def _employee_url(nip: str) -> str:
    return reverse("reports:sdm_employee", args=[nip])


def _fmt(value, suffix: str = "") -> str:
    if value is None:
        return "–"
    return f"{number_format(value)}{suffix}"


# ---------------------------------------------------------------------------------------------
# City overview and unit view share the dashboard sections
# ---------------------------------------------------------------------------------------------


def _dashboard(scope: selectors.Scope, *, period, year: int) -> dict:
    sections = selectors.dashboard_sections(scope, year=year, period=period)
    kpis = sections["kpis"]
    gaps = sections["gaps"]
    assignments = sections["assignments"]
    certs = sections["certs"]
    units = sections["units"]
    flagged = sections["flagged"]
    ikm_all = sections["ikm"]["__all__"]

    gap_table = Table(
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
    unit_table = Table(
        key="unit",
        title=_("Per unit"),
        columns=[
            Column("name", _("Unit")),
            Column("total", _("Pegawai"), True),
            Column("assessed_pct", _("Dinilai (%)"), True),
            Column("with_gap", _("Dengan gap"), True),
            Column("jp_compliant", _("≥ 20 JP"), True),
            Column("jp_compliant_pct", _("≥ 20 JP (%)"), True),
            Column("flagged", _("Perlu tinjauan"), True),
            Column("ikm_responses", _("Responden SKM"), True),
            Column("ikm", _("IKM"), True),
            Column("ikm_category", _("Mutu")),
        ],
        rows=units,
        links={
            i: _unit_url(u["code"]) for i, u in enumerate(units) if u["code"] and not u["is_self"]
        },
    )
    state_table = Table(
        key="penugasan",
        title=_("Penugasan menurut status"),
        columns=[
            Column("label", _("Status")),
            Column("count", _("Jumlah"), True),
            Column("overdue", _("Lewat batas waktu"), True),
        ],
        rows=[{**s, "label": str(s["label"])} for s in assignments["states"]],
    )
    flag_rows = [
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
    ]
    flag_table = Table(
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
        rows=flag_rows,
        links={i: _employee_url(e.nip) for i, e in enumerate(flagged)},
    )

    gap_chart = charts.hbar_chart(
        _("Kompetensi dengan gap terbanyak"),
        [
            charts.Bar(
                f"{g['code']} {g['name']}",
                g["with_gap"],
                _("%(n)s pegawai · gap %(m)s") % {"n": g["with_gap"], "m": _fmt(g["mean_gap"])},
                "bad" if g["with_gap"] else "ok",
            )
            for g in gaps[:10]
        ],
        max_value=max((g["required"] for g in gaps[:10]), default=0) or None,
    )
    child_units = [u for u in units if u["total"] or u["ikm_responses"]]
    jp_chart = charts.hbar_chart(
        _("≥ 20 JP tahun %(year)s per unit (%%)") % {"year": year},
        [
            charts.Bar(
                u["name"],
                float(u["jp_compliant_pct"] or 0),
                _fmt(u["jp_compliant_pct"], " %"),
                charts.tone_for_share(u["jp_compliant_pct"]),
            )
            for u in sorted(child_units, key=lambda u: -(u["jp_compliant_pct"] or 0))
            if u["total"]
        ],
        max_value=100,
    )
    ikm_tone = {"A": "ok", "B": "ok", "C": "warn", "D": "bad"}
    ikm_chart = charts.hbar_chart(
        _("IKM per unit (25–100)"),
        [
            charts.Bar(
                u["name"],
                float(u["ikm"]),
                f"{_fmt(u['ikm'])} ({u['ikm_category']})",
                ikm_tone.get(u["ikm_category"], ""),
            )
            for u in child_units
            if u["ikm"] is not None
        ],
        max_value=100,
    )
    state_chart = charts.hbar_chart(
        _("Penugasan menurut status"),
        [charts.Bar(str(s["label"]), s["count"], str(s["count"])) for s in assignments["states"]],
    )
    return {
        "kpis": kpis,
        "year": year,
        "jp_target": rules.JP_TARGET,
        "assignments": assignments,
        "certs": certs,
        "ikm_all": ikm_all,
        "tables": [gap_table, unit_table, state_table, flag_table],
        "gap_table": gap_table,
        "unit_table": unit_table,
        "state_table": state_table,
        "flag_table": flag_table,
        "gap_chart": gap_chart,
        "jp_chart": jp_chart,
        "ikm_chart": ikm_chart,
        "state_chart": state_chart,
        "has_ikm": any(u["ikm"] is not None for u in units),
    }


def _lazy_dashboard(scope: selectors.Scope, *, period, year: int) -> dict:
    """Template context of the dashboard sections: the rendered sections are a fragment
    cached under ``sections_key`` (data version + inputs), and ``dash`` (tables, charts) is
    built only when that fragment is missing."""
    return {
        "sections_key": (
            f"{dataversion.current('sdm')}:{selectors.dashboard_key(scope, year=year, period=period)}"
        ),
        "dash": SimpleLazyObject(lambda: _dashboard(scope, period=period, year=year)),
        "year": year,
    }


@require_GET
def overview(request):
    """/sdm/: the city (or the officer's units) at a glance."""
    if (denied := _guard(request)) is not None:
        return denied
    periods, period, year = _period_context(request)
    scope = selectors.Scope.for_user(request.user)
    if request.GET.get("ekspor"):
        tables = _dashboard(scope, period=period, year=year)["tables"]
        if (export := _maybe_export(request, tables, "sdm-kota")) is not None:
            return export
    ctx = _lazy_dashboard(scope, period=period, year=year)
    ctx.update(
        periods=periods,
        period=period,
        qs_base=_query_base(request, "ekspor", "format"),
        scoped=scope.paths is not None,
    )
    return render(request, "reports/overview.html", ctx)


def _employee_table(rows, *, year: int) -> Table:
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
                "review": _("ya") if (e.development_review or e.is_weak_skp) else "",
            }
            for e in rows
        ],
        links={i: _employee_url(e.nip) for i, e in enumerate(rows)},
    )


@require_GET
def unit_detail(request, code: str):
    """/sdm/unit/<code>/: one unit and its sub-units, with the employee list."""
    if (denied := _guard(request)) is not None:
        return denied
    unit = get_object_or_404(units_visible_to(request.user).select_related("parent"), code=code)
    periods, period, year = _period_context(request)
    scope = selectors.Scope.for_unit(unit)
    sort = request.GET.get("urut", selectors.DEFAULT_EMPLOYEE_SORT)
    if sort not in selectors.EMPLOYEE_SORTS:
        sort = selectors.DEFAULT_EMPLOYEE_SORT

    def people():  # a queryset that takes some work to build: only when needed
        return selectors.employee_list(scope, year=year, period=period, sort=sort)

    fmt = request.GET.get("format")
    if request.GET.get("ekspor") or fmt == "pdf":
        ctx = _dashboard(scope, period=period, year=year)
        if request.GET.get("ekspor") == "pegawai":
            ctx["tables"].append(_employee_table(list(people()), year=year))
        if (export := _maybe_export(request, ctx["tables"], f"sdm-{unit.code}")) is not None:
            return export
        ctx.update(unit=unit, periods=periods, period=period, scoped=True, year=year)
        ctx["employee_table"] = _employee_table(list(people()), year=year)
        ctx["printed_at"] = timezone.localtime()
        return _pdf_response("reports/pdf_unit.html", ctx, f"laporan-sdm-{unit.code}.pdf".lower())
    ctx = _lazy_dashboard(scope, period=period, year=year)
    ctx.update(unit=unit, periods=periods, period=period, scoped=True)
    key = selectors.dashboard_key(scope, year=year, period=period)
    requested_page = request.GET.get("halaman")
    page_base = _query_base(request, "ekspor", "format", "halaman")
    sort_base = _query_base(request, "ekspor", "format", "urut", "halaman")

    def people_section() -> dict:
        # The employee list reads only tables of the "sdm" data version: cached like the
        # sections (the rows, and the rendered section under ``people_key``).
        page = dataversion.cached_page(
            "sdm", f"unit-people:{key}:{sort}", people, PAGE_SIZE, requested_page
        )
        return {"page": page, "employee_table": _employee_table(list(page.object_list), year=year)}

    ctx.update(
        people_key=f"{ctx['sections_key']}:{sort}:{requested_page}:{page_base}:{sort_base}",
        people=SimpleLazyObject(people_section),
        sort=sort,
        qs_base=_query_base(request, "ekspor", "format"),
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


# ---------------------------------------------------------------------------------------------
# Employee development history
# ---------------------------------------------------------------------------------------------

NEED_TONES = {
    TrainingNeed.Status.OPEN: "badge-warn",
    TrainingNeed.Status.ADDRESSED: "badge-info",
    TrainingNeed.Status.CLOSED: "badge-ok",
    TrainingNeed.Status.DISMISSED: "",
}


@require_GET
def employee_detail(request, nip: str):
    """/sdm/pegawai/<nip>/: profile, competencies, evaluations over periods, needs,
    training, certificates, JP per year, citizen feedback (aggregate, ≥ 5), SKP."""
    if (denied := _guard(request)) is not None:
        return denied
    employee = get_object_or_404(
        employees_managed_by(request.user).select_related("unit", "position", "supervisor"),
        nip=nip,
    )
    access_log_record(
        user=request.user,
        employee=employee,
        action="hr_development_history_view",
        detail=request.GET.get("format") or request.GET.get("ekspor") or "html",
    )
    periods, period, year = _period_context(request)
    qs_base = _query_base(request, "ekspor", "format")
    if request.GET.get("ekspor") or request.GET.get("format") == "pdf":
        ctx = _employee_detail_context(employee, period=period, year=year)
        if (export := _maybe_export(request, ctx["tables"], f"pegawai-{employee.nip}")) is not None:
            return export
        ctx.update(employee=employee, periods=periods, period=period, year=year, qs_base=qs_base)
        ctx["printed_at"] = timezone.localtime()
        return _pdf_response(
            "reports/pdf_employee.html", ctx, f"riwayat-pengembangan-{employee.nip}.pdf"
        )
    # Below the heading, the page shows only this employee's data (and their supervisor's
    # name): a fragment cached per person (core/dataversion.py), computed only when missing.
    versions = dataversion.versions(
        "person",
        f"person@emp:{employee.pk}",
        *([f"person@emp:{employee.supervisor_id}"] if employee.supervisor_id else []),
        "content",
    )
    detail_key = ":".join(
        str(part)
        for part in (
            versions,
            period.pk if period else "-",
            year,
            get_language(),
            rules.jakarta_today().isoformat(),
            qs_base,
        )
    )
    return render(
        request,
        "reports/employee.html",
        {
            "employee": employee,
            "periods": periods,
            "period": period,
            "year": year,
            "qs_base": qs_base,
            "detail_key": detail_key,
            "me": SimpleLazyObject(
                lambda: _employee_detail_context(employee, period=period, year=year)
            ),
        },
    )


def _employee_detail_context(employee, *, period, year) -> dict:
    """Everything the employee page and its exports show about ``employee``."""
    profile = selectors.employee_profile_rows(employee)
    history = selectors.evaluation_history(employee)
    needs = selectors.employee_needs(employee)
    assignments = selectors.employee_assignments(employee)
    certificates = selectors.employee_certificates(employee)
    from workflow.external import external_for_employee  # one query

    external_rows = external_for_employee(employee)
    jp_years = selectors.employee_jp_per_year(employee, external=external_rows)
    feedback = selectors.employee_feedback(employee, period=period)
    skp = selectors.employee_skp(employee)

    required = [(p.required_level, p.assessed_level) for p in profile if p.required_level]
    jpm = rules.jpm(required) if required else None
    jp_this_year = next((r["jp"] for r in jp_years if r["year"] == year), 0)

    profile_table = Table(
        key="kompetensi",
        title=_("Profil kompetensi"),
        columns=[
            Column("label", _("Kompetensi"), export=False),
            Column("code", _("Kode"), screen=False),
            Column("name", _("Kompetensi"), screen=False),
            Column("required", _("Dibutuhkan"), True),
            Column("assessed", _("Hasil penilaian"), True),
            Column("source", _("Sumber")),
            Column("self", _("Penilaian diri"), True),
            Column("gap", _("Gap"), True),
        ],
        rows=[
            {
                "label": f"{p.competency.code} {p.competency.name}",
                "code": p.competency.code,
                "name": p.competency.name,
                "required": p.required_level,
                "assessed": p.assessed_level,
                "source": str(SOURCE_LABELS.get(p.source, p.source)),
                "self": p.self_level,
                "gap": p.gap,
            }
            for p in profile
        ],
    )
    hist_cols = [Column("name", _("Kompetensi"))] + [
        Column(f"p{i}", p["name"], True) for i, p in enumerate(history["periods"])
    ]
    hist_cols.append(Column("change", _("Perubahan"), True))
    history_table = Table(
        key="riwayat-penilaian",
        title=_("Penilaian dari periode ke periode"),
        columns=hist_cols,
        rows=[
            {
                "name": f"{r['code']} {r['name']}",
                **{f"p{i}": v["level"] for i, v in enumerate(r["values"])},
                "change": r["change"],
            }
            for r in history["rows"]
        ],
    )
    need_table = Table(
        key="kebutuhan",
        title=_("Kebutuhan pelatihan"),
        columns=[
            Column("period", _("Periode")),
            Column("competency", _("Kompetensi")),
            Column("required", _("Dibutuhkan"), True),
            Column("assessed", _("Dinilai"), True),
            Column("gap", _("Gap"), True),
            Column("status", _("Status")),
            Column("training", _("Pelatihan")),
        ],
        rows=[
            {
                "period": n.period.code,
                "competency": f"{n.competency.code} {n.competency.name}",
                "required": n.required_level,
                "assessed": n.assessed_level,
                "gap": n.gap,
                "status": str(n.get_status_display()),
                "training": "; ".join(
                    f"{a.module.title} ({a.get_status_display()})" for a in n.assignments.all()
                ),
            }
            for n in needs
        ],
    )
    assignment_table = Table(
        key="penugasan",
        title=_("Penugasan pelatihan"),
        columns=[
            Column("module", _("Modul")),
            Column("status", _("Status")),
            Column("due", _("Batas waktu")),
            Column("completed", _("Selesai")),
            Column("jp", _("JP"), True),
        ],
        rows=[
            {
                "module": a.module.title,
                "status": str(a.get_status_display()),
                "due": a.due_date,
                "completed": timezone.localtime(a.completed_at).date() if a.completed_at else None,
                "jp": a.jp if _jp_counts(a) else None,
            }
            for a in assignments
        ],
    )
    cert_table = Table(
        key="sertifikat",
        title=_("Sertifikat"),
        columns=[
            Column("number", _("Nomor")),
            Column("title", _("Pelatihan")),
            Column("issued", _("Terbit")),
            Column("jp", _("JP"), True),
            Column("state", _("Keadaan")),
        ],
        rows=[
            {
                "number": c.number,
                "title": c.module_title,
                "issued": timezone.localtime(c.issued_at).date(),
                "jp": c.jp,
                "state": _("dicabut") if c.revoked_at else _("berlaku"),
            }
            for c in certificates
        ],
    )
    external_table = Table(
        key="pembelajaran-eksternal",
        title=_("Pembelajaran eksternal"),
        columns=[
            Column("title", _("Kegiatan")),
            Column("provider", _("Penyelenggara")),
            Column("kind", _("Jenis")),
            Column("end", _("Selesai")),
            Column("jp", _("JP"), True),
            Column("status", _("Status")),
        ],
        rows=[
            {
                "title": r.title,
                "provider": r.provider,
                "kind": str(r.get_kind_display()),
                "end": r.end_date,
                "jp": r.jp,
                "status": str(r.get_status_display()),
            }
            for r in external_rows
        ],
    )
    jp_table = Table(
        key="jp",
        title=_("JP per tahun"),
        columns=[
            Column("year", _("Tahun")),
            Column("trainings", _("Pelatihan selesai"), True),
            Column("jp", _("JP"), True),
            Column("compliant", _("≥ 20 JP")),
        ],
        rows=[
            {**r, "year": str(r["year"]), "compliant": _("Ya") if r["compliant"] else _("Belum")}
            for r in jp_years
        ],
    )
    skp_table = Table(
        key="skp",
        title=_("Hasil SKP"),
        columns=[
            Column("period", _("Periode")),
            Column("hasil", _("Hasil kerja")),
            Column("perilaku", _("Perilaku kerja")),
            Column("predicate", _("Predikat")),
        ],
        rows=[
            {
                "period": s.period.name,
                "hasil": str(s.get_hasil_kerja_display()),
                "perilaku": str(s.get_perilaku_kerja_display()),
                "predicate": s.predicate,
            }
            for s in skp
        ],
    )
    tables = [
        profile_table,
        history_table,
        need_table,
        assignment_table,
        cert_table,
        external_table,
        jp_table,
        skp_table,
    ]

    level_chart = charts.level_chart(
        _("Level dibutuhkan dan hasil penilaian"),
        [
            (
                f"{p.competency.code} {p.competency.name}",
                p.required_level,
                p.assessed_level,
                p.self_level,
            )
            for p in profile
        ],
    )
    history_chart = None
    if len(history["periods"]) >= 1 and history["rows"]:
        history_chart = charts.line_chart(
            _("Level hasil penilaian per periode"),
            [p["code"] for p in history["periods"]],
            [(r["code"], [v["level"] for v in r["values"]]) for r in history["rows"]],
            y_min=0,
            y_max=5,
        )
    jp_chart = charts.hbar_chart(
        _("JP per tahun (target %(n)s JP)") % {"n": rules.JP_TARGET},
        [
            charts.Bar(str(r["year"]), r["jp"], f"{r['jp']} JP", "ok" if r["compliant"] else "warn")
            for r in jp_years
        ],
        max_value=max([rules.JP_TARGET, *(r["jp"] for r in jp_years)]),
    )
    weak_skp = period is not None and any(
        s.period_id == period.pk and s.predicate in rules.WEAK_PREDICATES for s in skp
    )
    return {
        "nip_grouped": _grouped_nip(employee.nip),
        "jpm": jpm,
        "ikk": rules.ikk(jpm),
        "jpm_category": rules.jpm_category(jpm),
        "jp_this_year": jp_this_year,
        "jp_target": rules.JP_TARGET,
        "open_needs": sum(1 for n in needs if n.status == TrainingNeed.Status.OPEN),
        "history": history,
        "needs": [(n, NEED_TONES.get(n.status, "")) for n in needs],
        "feedback": feedback,
        "feedback_blocks": [
            (
                _("Periode %(p)s") % {"p": period.name} if period else _("Periode ini"),
                feedback["period"],
            ),
            (_("Sepanjang waktu"), feedback["all"]),
        ],
        "min_feedback": selectors.MIN_EMPLOYEE_FEEDBACK,
        "weak_skp": weak_skp,
        "level_chart": level_chart,
        "history_chart": history_chart,
        "jp_chart": jp_chart,
        "tables": tables,
        "profile_table": profile_table,
        "history_table": history_table,
        "need_table": need_table,
        "assignment_table": assignment_table,
        "cert_table": cert_table,
        "external_table": external_table,
        "jp_table": jp_table,
        "skp_table": skp_table,
    }


def _jp_counts(a) -> bool:
    """Whether the assignment's JP count (as ``workflow.selectors.credited_assignments``):
    done, and its certificate, if any, not revoked."""
    if a.status not in selectors.DONE_STATES:
        return False
    cert = getattr(a, "certificate", None) if a.status == "certified" else None
    return not (cert is not None and cert.revoked_at)


def _grouped_nip(nip: str) -> str:
    try:
        return rules.format_nip_grouped(nip)
    except rules.RuleError:
        return nip


# ---------------------------------------------------------------------------------------------
# Training effectiveness
# ---------------------------------------------------------------------------------------------


@require_GET
def effectiveness(request):
    """/sdm/efektivitas/: of the needs addressed by a completed training, the share closed
    at the next evaluation — per module and per competency."""
    if (denied := _guard(request)) is not None:
        return denied
    periods = selectors.period_choices()
    code = request.GET.get("period") or ""
    period = next((p for p in periods if p.code == code), None)
    scope = selectors.Scope.for_user(request.user)
    data = selectors.effectiveness(scope, period=period)
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
    if (export := _maybe_export(request, tables, "efektivitas-pelatihan")) is not None:
        return export

    def bars(rows, label):
        return [
            charts.Bar(
                label(r),
                float(r["share"] or 0),
                f"{_fmt(r['share'], ' %')} ({r['closed']}/{r['needs']})",
                charts.tone_for_share(r["share"], good=60, fair=30),
            )
            for r in rows
        ]

    ctx = {
        "data": data,
        "periods": periods,
        "period": period,
        "module_table": module_table,
        "comp_table": comp_table,
        "module_chart": charts.hbar_chart(
            _("Gap tertutup per modul (%)"),
            bars(data["modules"][:12], lambda r: r["name"]),
            max_value=100,
        ),
        "comp_chart": charts.hbar_chart(
            _("Gap tertutup per kompetensi (%)"),
            bars(data["competencies"], lambda r: f"{r['code']} {r['name']}"),
            max_value=100,
        ),
        "qs_base": _query_base(request, "ekspor", "format"),
        "all_periods": True,
    }
    return render(request, "reports/effectiveness.html", ctx)


# ---------------------------------------------------------------------------------------------
# SIASN training history export
# ---------------------------------------------------------------------------------------------


@require_GET
def training_history_export(request):
    """/sdm/ekspor/riwayat-kursus/?period=2026&format=csv|json: completed, certified training
    of the officer's employees in the SIASN riwayat-kursus fields. ``period`` is an
    evaluation period code or a calendar year (YYYY); default: the current period."""
    if (denied := _guard(request)) is not None:
        return denied
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "json"):
        return HttpResponseBadRequest(_("Format harus csv atau json."))
    periods = selectors.period_choices()
    code = request.GET.get("period") or ""
    if not code:
        current = selectors.pick_period(periods, None)
        code = current.code if current else str(rules.jakarta_today().year)
    dates = selectors.period_date_range(code, periods)
    if dates is None:
        return HttpResponseBadRequest(_("Periode tidak dikenal: gunakan kode periode atau tahun."))
    records = selectors.training_history(
        selectors.Scope.for_user(request.user), start=dates[0], end=dates[1]
    )
    return records_response(
        records, selectors.RIWAYAT_KURSUS_FIELDS, fmt, name=f"riwayat-kursus-{code}"
    )
