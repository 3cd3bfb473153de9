"""Personal data export for one employee (right of access, UU 27/2022), as JSON and PDF.

- the employee themself: ``/kinerja-saya/data-saya.json`` and ``/kinerja-saya/data-saya.pdf``
  (peer ratings aggregated only);
- HR in scope: ``/sdm/pegawai/<nip>/data.json`` (individual peer scores, raters anonymous);
  anyone else gets 404.

Each export is written to the audit log (action ``export``). The reports app sits above every
app whose data it exports (kompetensi, skm, portal, workflow, forum), so it reads them directly.

People data (:func:`kompetensi_data`): profile, evaluations, competency profile, SKP and citizen
feedback (aggregate only). For the employee themself peer (360) ratings appear only aggregated
(mean per competency, from 3 raters on) so no colleague can be identified; HR (in scope) gets the
individual peer scores, without the raters' identity (peer evaluations are stored without an
evaluator)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.audit import audit
from core.pdf import render_html_pdf
from forum.models import Post
from kompetensi import selectors
from kompetensi.models import CompetencyScore, Employee, EmployeeCompetency, Evaluation, SkpResult
from kompetensi.permissions import employees_managed_by
from portal.models import LessonProgress
from skm.models import ServiceFeedback
from skm.rules import SKM_CODES
from skm.selectors import EMPLOYEE_SUMMARY_MIN_RESPONSES
from workflow.models import Assignment, Certificate, ExternalLearning, TrainingNeed


def _dt(value):
    return value.isoformat() if value else None


# ---------------------------------------------------------------------------------------------
# People data (kompetensi, skm)
# ---------------------------------------------------------------------------------------------

# Below skm's EMPLOYEE_SUMMARY_MIN_RESPONSES only the number of citizen responses is given.


def profile(employee: Employee) -> dict:
    return {
        "nip": employee.nip,
        "nama": employee.name,
        "email": employee.email,
        "jenis_pegawai": employee.employee_type,
        "pangkat_golongan": employee.rank,
        "jabatan": employee.position.name if employee.position_id else None,
        "unit": employee.unit.name if employee.unit_id else None,
        "atasan": employee.supervisor.name if employee.supervisor_id else None,
        "aktif": employee.is_active,
    }


def evaluations(employee: Employee, *, individual_peer: bool) -> dict:
    rows = (
        CompetencyScore.objects.filter(evaluation__employee=employee)
        .select_related("evaluation__period", "evaluation__evaluator", "competency")
        .order_by("evaluation__period__start", "evaluation_id", "competency__code")
    )
    if not individual_peer:
        rows = rows.exclude(evaluation__source=Evaluation.Source.PEER)
    grouped: dict[int, dict] = {}
    for s in rows:
        ev = s.evaluation
        item = grouped.setdefault(
            ev.pk,
            {
                "periode": ev.period.code,
                "sumber": ev.source,
                "status": ev.status,
                "penilai": ev.evaluator.get_full_name() or ev.evaluator.get_username()
                if ev.evaluator_id and ev.source != Evaluation.Source.PEER
                else None,
                "difinalkan": _dt(ev.finalized_at),
                "nilai": [],
            },
        )
        item["nilai"].append({"kompetensi": s.competency.code, "level": s.level, "catatan": s.note})
    result = {"penilaian": list(grouped.values())}
    if not individual_peer:
        agg = selectors.peer_aggregate(employee)
        result["penilaian_rekan_agregat"] = {
            "periode": agg.period.code if agg.period else None,
            "jumlah_penilai": agg.raters,
            "ditampilkan": agg.shown,
            "rata_rata": [
                {"kompetensi": code, "nama": name, "rata_rata": mean}
                for code, name, mean in agg.per_competency
            ],
        }
    return result


def competency_profile(employee: Employee) -> list[dict]:
    return [
        {
            "kompetensi": ec.competency.code,
            "nama": ec.competency.name,
            "level_dibutuhkan": ec.required_level,
            "level_terkini": ec.assessed_level,
            "gap": ec.gap,
        }
        for ec in EmployeeCompetency.objects.filter(employee=employee)
        .select_related("competency")
        .order_by("competency__code")
    ]


def skp(employee: Employee) -> list[dict]:
    return [
        {
            "periode": r.period.code,
            "hasil_kerja": r.hasil_kerja,
            "perilaku_kerja": r.perilaku_kerja,
            "predikat": r.predicate,
        }
        for r in SkpResult.objects.filter(employee=employee)
        .select_related("period")
        .order_by("period__start")
    ]


def feedback_aggregate(employee: Employee) -> dict:
    n = ServiceFeedback.objects.filter(employee=employee).aggregate(n=Count("pk"))["n"]
    result: dict = {"jumlah_tanggapan": n}
    if n >= EMPLOYEE_SUMMARY_MIN_RESPONSES:
        avgs = ServiceFeedback.objects.filter(employee=employee).aggregate(
            **{code: Avg(code) for code in SKM_CODES}
        )
        result["rata_rata_unsur"] = {k: round(v, 2) for k, v in avgs.items() if v is not None}
    return result


def kompetensi_data(employee: Employee, *, for_hr: bool) -> dict:
    return {
        "profil": profile(employee),
        **evaluations(employee, individual_peer=for_hr),
        "profil_kompetensi": competency_profile(employee),
        "skp": skp(employee),
        "umpan_balik_masyarakat": feedback_aggregate(employee),
    }


# ---------------------------------------------------------------------------------------------
# The whole export
# ---------------------------------------------------------------------------------------------


def personal_data(employee: Employee, *, for_hr: bool) -> dict:
    data = {
        "dibuat": timezone.now().isoformat(),
        "dasar": "UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi (hak akses)",
        **kompetensi_data(employee, for_hr=for_hr),
    }
    data["kebutuhan_pelatihan"] = [
        {
            "kompetensi": n.competency.code,
            "periode": n.period.code if n.period_id else None,
            "status": n.status,
        }
        for n in TrainingNeed.objects.filter(employee=employee).select_related(
            "competency", "period"
        )
    ]
    data["penugasan"] = [
        {
            "modul": a.module.title,
            "status": a.status,
            "batas_waktu": _dt(a.due_date),
            "selesai": _dt(a.completed_at),
            "jp": a.jp,
        }
        for a in Assignment.objects.filter(employee=employee)
        .select_related("module")
        .order_by("created_at")
    ]
    data["sertifikat"] = [
        {
            "nomor": c.number,
            "modul": c.module_title,
            "jp": c.jp,
            "terbit": _dt(c.issued_at),
            "berlaku_sampai": _dt(c.expires_at),
            "dicabut": _dt(c.revoked_at),
            "kode_verifikasi": c.verification_code,
        }
        for c in Certificate.objects.filter(employee=employee).order_by("issued_at")
    ]
    data["pembelajaran_eksternal"] = [
        {"judul": getattr(x, "title", ""), "status": getattr(x, "status", "")}
        for x in ExternalLearning.objects.filter(employee=employee).order_by("pk")
    ]
    progress, posts = [], []
    if employee.user_id:
        progress = [
            {
                "pelajaran": p.lesson.title,
                "modul": p.module.title if p.module_id else None,
                "selesai": _dt(p.completed_at),
                "nilai_terbaik": p.best_score,
                "lulus": p.passed,
                "percobaan": p.attempts,
            }
            for p in LessonProgress.objects.filter(user_id=employee.user_id)
            .select_related("lesson", "module")
            .order_by("pk")
        ]
        posts = [
            {
                "topik": p.topic.title,
                "dibuat": _dt(p.created_at),
                "isi": p.body_markdown,
            }
            for p in Post.objects.filter(author_id=employee.user_id)
            .select_related("topic")
            .order_by("created_at")
        ]
    data["kemajuan_pelajaran"] = progress
    data["pesan_forum"] = posts
    return data


def _json_response(data: dict, nip: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{nip}.json"'
    response["Cache-Control"] = "no-store"
    return response


def _own_employee(request) -> Employee:
    employee = (
        Employee.objects.select_related("unit", "position", "supervisor")
        .filter(user=request.user)
        .first()
    )
    if employee is None:
        raise Http404
    return employee


@login_required
@require_GET
def my_data_json(request):
    employee = _own_employee(request)
    audit(action="export", obj=employee, employee=employee, summary="ekspor data diri (JSON)")
    return _json_response(personal_data(employee, for_hr=False), employee.nip)


@login_required
@require_GET
def my_data_pdf(request):
    employee = _own_employee(request)
    audit(action="export", obj=employee, employee=employee, summary="ekspor data diri (PDF)")
    data = personal_data(employee, for_hr=False)
    html = render_to_string(
        "reports/privacy/export.html", {"employee": employee, "data": data}, request=request
    )
    response = HttpResponse(render_html_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{employee.nip}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def hr_employee_data_json(request, nip: str):
    employee = get_object_or_404(
        employees_managed_by(request.user).select_related("unit", "position", "supervisor"),
        nip=nip,
    )
    audit(action="export", obj=employee, employee=employee, summary="ekspor data pegawai oleh SDM")
    return _json_response(personal_data(employee, for_hr=True), employee.nip)
