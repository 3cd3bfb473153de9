"""Personal data export for one employee (right of access, UU 27/2022), as JSON and PDF.

- the employee themself: ``/kinerja-saya/data-saya.json`` and ``/kinerja-saya/data-saya.pdf``
  (peer ratings aggregated only);
- HR in scope: ``/sdm/pegawai/<nip>/data.json`` (individual peer scores, raters anonymous);
  anyone else gets 404.

Each export is written to the audit log (action ``export``). The kompetensi part comes from
``kompetensi/privacy.py``; forum posts are read lazily through the app registry (workflow does
not import forum)."""

from __future__ import annotations

import json

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from kompetensi.audit import audit
from kompetensi.models import Employee
from kompetensi.permissions import employees_managed_by
from kompetensi.privacy import kompetensi_data

from .models import Assignment, Certificate, ExternalLearning, LessonProgress, TrainingNeed


def _dt(value):
    return value.isoformat() if value else None


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
        if apps.is_installed("forum"):
            Post = apps.get_model("forum", "Post")
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
    from .pdf import render_html_pdf

    employee = _own_employee(request)
    audit(action="export", obj=employee, employee=employee, summary="ekspor data diri (PDF)")
    data = personal_data(employee, for_hr=False)
    html = render_to_string(
        "kompetensi/privacy/export.html", {"employee": employee, "data": data}, request=request
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
