"""/sdm/pegawai/<nip>/: one employee's development history (profile, competencies, evaluations
over periods, needs, training, certificates, JP per year, citizen feedback in aggregate, SKP);
its PDF and table exports."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import charts, dataversion
from kompetensi import rules
from kompetensi.permissions import employees_managed_by
from kompetensi.selectors import SOURCE_LABELS
from kompetensi.services import access_log_record
from reports.exports import Column, Table
from reports.selectors.employee import development_history
from reports.selectors.skm import MIN_EMPLOYEE_FEEDBACK

from .common import guard, maybe_export, pdf_response, period_context, query_base


@require_GET
def employee_detail(request, nip: str):
    """/sdm/pegawai/<nip>/: profile, competencies, evaluations over periods, needs,
    training, certificates, JP per year, citizen feedback (aggregate, ≥ 5), SKP."""
    if (denied := guard(request)) is not None:
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
    periods, period, year = period_context(request)
    qs_base = query_base(request, "ekspor", "format")
    if request.GET.get("ekspor") or request.GET.get("format") == "pdf":
        ctx = employee_page(employee, period=period, year=year)
        if (export := maybe_export(request, ctx["tables"], f"pegawai-{employee.nip}")) is not None:
            return export
        ctx.update(employee=employee, periods=periods, period=period, year=year, qs_base=qs_base)
        ctx["printed_at"] = timezone.localtime()
        return pdf_response(
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
            "me": SimpleLazyObject(lambda: employee_page(employee, period=period, year=year)),
        },
    )


def employee_page(employee, *, period, year) -> dict:
    """The employee page's figures (``selectors.employee.development_history``) with its
    tables and charts."""
    data = development_history(employee, period=period, year=year)
    tables = [
        profile_table(data["profile"]),
        history_table(data["history"]),
        need_table(data["needs"]),
        assignment_table(data["assignments"]),
        certificate_table(data["certificates"]),
        external_table(data["external"]),
        jp_table(data["jp_years"]),
        skp_table(data["skp"]),
    ]
    feedback = data["feedback"]
    return {
        "nip_grouped": rules.nip_for_display(employee.nip),
        "jpm": data["jpm"],
        "ikk": data["ikk"],
        "jpm_category": data["jpm_category"],
        "jp_this_year": data["jp_this_year"],
        "jp_target": rules.JP_TARGET,
        "open_needs": data["open_needs"],
        "history": data["history"],
        "needs": data["needs"],
        "feedback": feedback,
        "feedback_blocks": [
            (
                _("Periode %(p)s") % {"p": period.name} if period else _("Periode ini"),
                feedback["period"],
            ),
            (_("Sepanjang waktu"), feedback["all"]),
        ],
        "min_feedback": MIN_EMPLOYEE_FEEDBACK,
        "weak_skp": data["weak_skp"],
        "needs_review": data["needs_review"],
        "level_chart": level_chart(data["profile"]),
        "history_chart": history_chart(data["history"]),
        "jp_chart": jp_chart(data["jp_years"]),
        "tables": tables,
        "profile_table": tables[0],
        "history_table": tables[1],
        "need_table": tables[2],
        "assignment_table": tables[3],
        "cert_table": tables[4],
        "external_table": tables[5],
        "jp_table": tables[6],
        "skp_table": tables[7],
    }


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def profile_table(profile) -> Table:
    return Table(
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


def history_table(history: dict) -> Table:
    columns = [Column("name", _("Kompetensi"))] + [
        Column(f"p{i}", p["name"], True) for i, p in enumerate(history["periods"])
    ]
    columns.append(Column("change", _("Perubahan"), True))
    return Table(
        key="riwayat-penilaian",
        title=_("Penilaian dari periode ke periode"),
        columns=columns,
        rows=[
            {
                "name": f"{r['code']} {r['name']}",
                **{f"p{i}": v["level"] for i, v in enumerate(r["values"])},
                "change": r["change"],
            }
            for r in history["rows"]
        ],
    )


def need_table(needs) -> Table:
    return Table(
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


def assignment_table(assignments) -> Table:
    return Table(
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
                "jp": a.jp if a.jp_counted else None,
            }
            for a in assignments
        ],
    )


def certificate_table(certificates) -> Table:
    return Table(
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


def external_table(records) -> Table:
    return Table(
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
            for r in records
        ],
    )


def jp_table(jp_years: list[dict]) -> Table:
    return Table(
        key="jp",
        title=_("JP per tahun"),
        columns=[
            Column("year", _("Tahun")),
            Column("trainings", _("Pelatihan selesai"), True),
            Column("jp", _("JP"), True),
            Column("compliant", _("≥ %(n)s JP") % {"n": rules.JP_TARGET}),
        ],
        rows=[
            {**r, "year": str(r["year"]), "compliant": _("Ya") if r["compliant"] else _("Belum")}
            for r in jp_years
        ],
    )


def skp_table(skp) -> Table:
    return Table(
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


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------


def level_chart(profile):
    return charts.level_chart(
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


def history_chart(history: dict):
    """The assessed level per period, once there is a period with scores."""
    if not (history["periods"] and history["rows"]):
        return None
    return charts.line_chart(
        _("Level hasil penilaian per periode"),
        [p["code"] for p in history["periods"]],
        [(r["code"], [v["level"] for v in r["values"]]) for r in history["rows"]],
        y_min=0,
        y_max=5,
    )


def jp_chart(jp_years: list[dict]):
    return charts.hbar_chart(
        _("JP per tahun (target %(n)s JP)") % {"n": rules.JP_TARGET},
        [
            charts.Bar(str(r["year"]), r["jp"], f"{r['jp']} JP", "ok" if r["compliant"] else "warn")
            for r in jp_years
        ],
        max_value=max([rules.JP_TARGET, *(r["jp"] for r in jp_years)]),
    )
