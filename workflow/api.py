"""REST endpoints of the workflow app (see ../shared/design/API.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict

from core.api_schemas import (
    MAX_INT32,
    JakartaDateTime,
    JsonInt,
    Pagination,
    id_or_404,
    with_errors,
)
from kompetensi import rules
from kompetensi.models import Employee, EvaluationPeriod
from kompetensi.permissions import employees_visible_to

from . import selectors, services
from .models import Assignment, Certificate
from .permissions import can_manage_assignments, can_view_certificates_of

router = Router(tags=["pengembangan"])


def _user(request):
    return request.user


def _run(fn, **kwargs):
    try:
        return fn(**kwargs)
    except services.WorkflowError as exc:
        raise HttpError(exc.status, exc.message) from None


def _employee(request, nip: str) -> Employee:
    return get_object_or_404(
        employees_visible_to(_user(request)).select_related("unit", "supervisor"),
        nip=rules.normalise_nip(nip),
    )


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


# ------------------------------------------------------------------------------------------
# Recommendations and assignments
# ------------------------------------------------------------------------------------------


class RecommendOut(Schema):
    needs: int
    recommended: int
    without_module: int


@router.post(
    "/periods/{code}/recommend",
    response=with_errors({200: RecommendOut}, 401, 403, 404),
    summary="Rekomendasikan pelatihan",
)
def period_recommend(request, code: str):
    """Every open gap of the employees in the caller's HR scope becomes a training need of
    the period and, where a live module fits, a `recommended` assignment. `needs` and
    `recommended` count what this call created (a second call creates nothing);
    `without_module` counts the period's open needs (in scope) no module fits."""
    period = get_object_or_404(EvaluationPeriod, code=code)
    result = _run(services.period_recommend, period=period, actor=_user(request))
    return RecommendOut(
        needs=result.needs, recommended=result.recommended, without_module=result.without_module
    )


class AssignmentOut(Schema):
    id: int
    module_id: int
    module_title: str
    status: str
    due_date: dt.date | None
    progress_percent: int
    certificate_number: str | None


def _assignment_out(a: Assignment, percent: int | None = None) -> dict:
    cert = getattr(a, "certificate", None) if a.status == Assignment.Status.CERTIFIED else None
    if percent is None:
        percent = getattr(a, "progress_percent", 0)
    return {
        "id": a.pk,
        "module_id": a.module_id,
        "module_title": a.module.title,
        "status": a.status,
        "due_date": a.due_date,
        "progress_percent": percent,
        "certificate_number": cert.number if cert else None,
    }


@router.get(
    "/employees/{nip}/assignments",
    response=with_errors({200: list[AssignmentOut]}, 401, 403, 404, 422),
    summary="Penugasan pelatihan seorang pegawai",
)
@paginate(Pagination)
def employee_assignments(request, nip: str):
    employee = _employee(request, nip)
    rows = list(selectors.employee_assignments(employee=employee))
    if employee.user_id:
        from django.contrib.auth import get_user_model

        from portal.progress import progress_for_modules

        learner = get_user_model()(pk=employee.user_id)
        percents = progress_for_modules(user=learner, module_ids={a.module_id for a in rows})
    else:
        percents = {}
    return [
        _assignment_out(
            a, 100 if a.status in selectors.DONE_STATES else percents.get(a.module_id, 0)
        )
        for a in rows
    ]


class AssignmentIn(Schema):
    employee_nip: str
    module_id: JsonInt
    due_date: dt.date | None = None


@router.post(
    "/assignments",
    response=with_errors({201: AssignmentOut}, 401, 403, 404, 409, 422),
    summary="Tugaskan pelatihan",
)
def assignment_create(request, payload: AssignmentIn):
    from portal.models import TrainingModulePage

    try:
        employee = services.managed_employee(actor=_user(request), nip=payload.employee_nip)
    except services.NotFound:
        raise HttpError(
            404, "Kolom 'employee_nip': pegawai dengan NIP ini tidak ditemukan."
        ) from None
    except services.WorkflowError as exc:
        raise HttpError(exc.status, exc.message) from None
    module = (
        TrainingModulePage.objects.live().filter(pk=payload.module_id).first()
        if 1 <= payload.module_id <= MAX_INT32
        else None
    )
    if module is None:
        raise HttpError(404, "Kolom 'module_id': modul terbit dengan id ini tidak ditemukan.")
    a = _run(
        services.assignment_create,
        employee=employee,
        module=module,
        due_date=payload.due_date,
        actor=_user(request),
    )
    return Status(201, _assignment_out(a, 0))


class ApproveIn(Schema):
    due_date: dt.date | None = None


class CancelIn(Schema):
    reason: str = ""


def _managed_assignment(request, pk: int) -> Assignment:
    id_or_404(pk)
    return _run(services.managed_assignment, actor=_user(request), pk=pk)


@router.post(
    "/assignments/{assignment_id}/approve",
    response=with_errors({200: AssignmentOut}, 401, 403, 404, 409, 422),
    summary="Setujui rekomendasi",
)
def assignment_approve(request, assignment_id: int, payload: ApproveIn | None = None):
    a = _managed_assignment(request, assignment_id)
    due = payload.due_date if payload else None
    a = _run(services.assignment_approve, assignment=a, actor=_user(request), due_date=due)
    return _assignment_out(a, 0)


@router.post(
    "/assignments/{assignment_id}/cancel",
    response=with_errors({200: AssignmentOut}, 401, 403, 404, 409, 422),
    summary="Batalkan penugasan",
)
def assignment_cancel(request, assignment_id: int, payload: CancelIn | None = None):
    a = _managed_assignment(request, assignment_id)
    reason = payload.reason if payload else ""
    a = _run(services.assignment_cancel, assignment=a, actor=_user(request), reason=reason)
    return _assignment_out(a, 0)


# ------------------------------------------------------------------------------------------
# Learning
# ------------------------------------------------------------------------------------------


def _lesson(lesson_id: int):
    from portal.models import LessonPage

    id_or_404(lesson_id, max_value=MAX_INT32)  # wagtailcore_page.id is a 32-bit column
    return get_object_or_404(LessonPage.objects.live(), pk=lesson_id)


class LessonCompleteOut(Schema):
    assignment_status: str | None
    progress_percent: int


@router.post(
    "/lessons/{lesson_id}/complete",
    response=with_errors({200: LessonCompleteOut}, 401, 404, 409, 422),
    summary="Tandai pelajaran selesai",
)
def lesson_complete(request, lesson_id: int):
    result = _run(services.lesson_complete, user=_user(request), lesson=_lesson(lesson_id))
    return {
        "assignment_status": result.assignment_status,
        "progress_percent": result.progress_percent,
    }


class QuizIn(Schema):
    answers: dict[str, list[str]]


class QuizOut(Schema):
    score_percent: int
    passed: bool
    best_score_percent: int


@router.post(
    "/lessons/{lesson_id}/quiz",
    response=with_errors({200: QuizOut}, 401, 404, 409, 422),
    summary="Kirim jawaban kuis",
)
def quiz_submit(request, lesson_id: int, payload: QuizIn):
    lesson = _lesson(lesson_id)
    result = _run(services.quiz_submit, user=_user(request), lesson=lesson, answers=payload.answers)
    return {
        "score_percent": result.score_percent,
        "passed": result.passed,
        "best_score_percent": result.best_score_percent,
    }


# ------------------------------------------------------------------------------------------
# Certificates
# ------------------------------------------------------------------------------------------

_EXAMPLE_SITE = "https://sikap.serangkota.go.id"
_EXAMPLE_NUMBER = "00007/SIKAP/2026"
_EXAMPLE_CODE = "K7QX2M4PA3RT3HWV6ZB5NC5DJE"
_EXAMPLE_CERTIFICATE = {
    "number": _EXAMPLE_NUMBER,
    "module_title": "Pelayanan Prima",
    "jp": 12,
    "issued_at": "2026-03-02T09:15:00+07:00",
    "revoked": False,
    "verify_url": f"{_EXAMPLE_SITE}/verifikasi/{_EXAMPLE_CODE}/",
    "pdf_url": f"{_EXAMPLE_SITE}/api/v1/certificates/{_EXAMPLE_NUMBER}/pdf",
}
_CERTIFICATE_NOT_FOUND = "Sertifikat dengan nomor ini tidak ditemukan."


def _example(body, status: int = 200) -> dict:
    """``openapi_extra`` giving the operation's JSON answer ``status`` an example."""
    return {"responses": {status: {"content": {"application/json": {"example": body}}}}}


def _pdf_url(number: str) -> str:
    """Where a certificate's PDF is downloaded with a token or a session (every ``pdf_url``
    of this API), absolute like ``verify_url``."""
    return _absolute(reverse("api:certificate_pdf", kwargs={"number": number}))


class CertificateFields(Schema):
    """What every certificate item of this API computes from the row (no fields of its own)."""

    @staticmethod
    def resolve_revoked(obj: Certificate) -> bool:
        return obj.revoked_at is not None

    @staticmethod
    def resolve_verify_url(obj: Certificate) -> str:
        return services.verify_url(obj.verification_code)

    @staticmethod
    def resolve_pdf_url(obj: Certificate) -> str:
        return _pdf_url(obj.number)


class CertificateOut(CertificateFields):
    number: str
    module_title: str
    jp: int
    issued_at: JakartaDateTime
    revoked: bool
    verify_url: str
    pdf_url: str


@router.get(
    "/employees/{nip}/certificates",
    response=with_errors({200: list[CertificateOut]}, 401, 403, 404, 422),
    summary="Sertifikat seorang pegawai",
    description=(
        "Sertifikat pelatihan seorang pegawai, terbaru lebih dulu, termasuk yang dicabut "
        "(`revoked: true`). Boleh dibaca oleh pegawai itu sendiri dan BKPSDM yang cakupan "
        "unitnya meliputi pegawai itu; selain itu 404 (juga untuk NIP yang tidak ada). "
        "`issued_at` dalam waktu Asia/Jakarta (+07:00); `pdf_url` mengarah ke "
        "`GET /api/v1/certificates/{number}/pdf`."
    ),
    openapi_extra=_example({"count": 1, "items": [_EXAMPLE_CERTIFICATE]}),
)
@paginate(Pagination)
def employee_certificates(request, nip: str):
    employee = _employee(request, nip)
    if not can_view_certificates_of(_user(request), employee):
        raise HttpError(404, "Data tidak ditemukan.")
    return Certificate.objects.filter(employee=employee).order_by("-issued_at", "-pk")


class CertificateListOut(CertificateFields):
    number: str
    nip: str
    holder_name: str
    module_title: str
    jp: int
    issued_at: JakartaDateTime
    revoked: bool
    verify_url: str
    pdf_url: str

    @staticmethod
    def resolve_nip(obj: Certificate) -> str:
        return obj.employee.nip


_LIST_UNIT = Query(
    None,
    max_length=40,
    description="Kode unit: sertifikat pegawai unit ini dan seluruh sub-unitnya.",
)
_LIST_YEAR = Query(
    None, ge=1000, le=9999, description="Tahun terbit sertifikat, empat angka (YYYY)."
)
_LIST_REVOKED = Query(
    None, description="`true`: hanya yang dicabut; `false`: hanya yang berlaku; kosong: semua."
)


@router.get(
    "/certificates",
    response=with_errors({200: list[CertificateListOut]}, 401, 403, 404, 422),
    summary="Daftar sertifikat (BKPSDM)",
    description=(
        "Sertifikat pegawai dalam cakupan unit petugas BKPSDM pemanggil (petugas tingkat kota: "
        "seluruh kota), terbaru lebih dulu. Saring dengan `unit_code` (unit beserta sub-unitnya), "
        "`year` (tahun terbit, YYYY) dan `revoked` (`true`/`false`). Bukan BKPSDM: 403. "
        "`unit_code` yang tidak ada atau di luar cakupan pemanggil: 404 (keduanya tidak "
        "dibedakan). `year` atau `revoked` yang tidak sah: 422 dengan `detail` yang menyebut "
        "kolomnya. `issued_at` dalam waktu Asia/Jakarta (+07:00)."
    ),
    openapi_extra=_example(
        {
            "count": 1,
            "items": [
                {
                    "number": _EXAMPLE_NUMBER,
                    "nip": "198503152010011007",
                    "holder_name": "Siti Aminah, S.Kom.",
                    **{k: v for k, v in _EXAMPLE_CERTIFICATE.items() if k != "number"},
                }
            ],
        }
    ),
)
@paginate(Pagination)
def certificate_list(
    request,
    unit_code: str | None = _LIST_UNIT,
    year: int | None = _LIST_YEAR,
    revoked: bool | None = _LIST_REVOKED,
):
    user = _user(request)
    if not can_manage_assignments(user):
        raise HttpError(403, "Hanya BKPSDM yang dapat melihat daftar sertifikat.")
    query = selectors.certificates_in_scope(
        user, unit_code=unit_code or "", year=year, revoked=revoked
    )
    if query is None:
        raise HttpError(404, "Kolom 'unit_code': unit tidak ditemukan.")
    return query.select_related("employee")


class VerifyOut(Schema):
    valid: bool
    number: str
    holder_name: str
    nip_masked: str
    module_title: str
    jp: int
    issued_at: JakartaDateTime
    revoked: bool
    sha256: str
    status: str
    revoked_reason: str
    expires_at: JakartaDateTime | None
    signed_by: str = ""  # who digitally signed the PDF (PAdES); "" when unsigned


@router.get(
    "/certificates/verify/{code}",
    response=with_errors({200: VerifyOut}, 404, 429),
    auth=None,
    summary="Verifikasi sertifikat (publik)",
    description=(
        "Tanpa token. `code` adalah kode verifikasi 26 huruf yang dibawa kode QR sertifikat "
        "(huruf kecil, spasi dan tanda hubung diabaikan). `status`: `valid`, `revoked` "
        "(dicabut, dengan `revoked_reason`) atau `expired` (kedaluwarsa); `valid` bernilai "
        "true hanya untuk `valid`. NIP pemegang disamarkan. Kode yang tidak dikenal: 404; "
        "terlalu banyak permintaan dari satu alamat: 429. Waktu dalam Asia/Jakarta (+07:00)."
    ),
    openapi_extra=_example(
        {
            "valid": True,
            "number": _EXAMPLE_NUMBER,
            "holder_name": "Siti Aminah, S.Kom.",
            "nip_masked": "1985********1007",
            "module_title": "Pelayanan Prima",
            "jp": 12,
            "issued_at": "2026-03-02T09:15:00+07:00",
            "revoked": False,
            "sha256": "9f2c4e0b7a1d3c5e8f60a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3",
            "status": "valid",
            "revoked_reason": "",
            "expires_at": None,
            "signed_by": "",
        }
    ),
)
def certificate_verify(request, code: str):
    from .views import _rate_limited

    if _rate_limited(request):
        raise HttpError(429, "Terlalu banyak permintaan verifikasi. Coba lagi beberapa menit lagi.")
    cert = selectors.certificate_by_code(code)
    if cert is None:
        raise HttpError(404, "Sertifikat dengan kode verifikasi ini tidak ditemukan.")
    status = selectors.certificate_status(cert)
    return {
        "valid": status == "valid",
        "number": cert.number,
        "holder_name": cert.holder_name,
        "nip_masked": rules.mask_nip(cert.employee.nip),
        "module_title": cert.module_title,
        "jp": cert.jp,
        "issued_at": cert.issued_at,
        "revoked": cert.revoked_at is not None,
        "sha256": cert.sha256,
        "status": status,
        "revoked_reason": cert.revoked_reason,
        "expires_at": cert.expires_at,
        "signed_by": cert.signed_by,
    }


@router.get(
    "/certificates/{path:number}/pdf",
    response=with_errors({200: None}, 401, 404, 422),
    url_name="certificate_pdf",
    summary="Unduh PDF sertifikat",
    description=(
        "Berkas PDF sertifikat (`application/pdf`, sebagai lampiran). Boleh diunduh oleh "
        "pemegangnya dan BKPSDM yang cakupan unitnya meliputi pemegang; selain itu 404 (juga "
        "untuk nomor yang tidak ada). Dengan token (`Authorization: Bearer`) maupun sesi "
        'peramban. Sertifikat yang dicabut diberikan dengan cap "DICABUT" (berkas aslinya '
        "dan SHA-256-nya tidak berubah). `number` memuat garis miring, mis. "
        f"`{_EXAMPLE_NUMBER}`."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "Berkas PDF sertifikat.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def certificate_pdf(request, number: str):
    from .views import certificate_pdf_response

    cert = selectors.certificate_for_download(_user(request), number=number)
    if cert is None:
        raise HttpError(404, _CERTIFICATE_NOT_FOUND)
    return certificate_pdf_response(cert)


class RevokeIn(Schema):
    reason: str = Field(..., description="Alasan pencabutan (wajib, tidak boleh kosong).")

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "Data peserta keliru"}]})


class RevokeOut(Schema):
    number: str
    revoked: bool
    revoked_at: JakartaDateTime
    reason: str


@router.post(
    "/certificates/{path:number}/revoke",
    response=with_errors({200: RevokeOut}, 401, 403, 404, 409, 422),
    summary="Cabut sertifikat",
    description=(
        "BKPSDM yang cakupan unitnya meliputi pemegang mencabut sertifikat dengan alasan. "
        'Sejak itu JP-nya tidak dihitung lagi, PDF-nya diberikan dengan cap "DICABUT", '
        "verifikasi menampilkan `revoked`, dan pemegang diberi tahu. Bukan BKPSDM: 403; "
        "sertifikat di luar cakupan atau tidak ada: 404; sudah dicabut: 409; `reason` kosong: "
        "422."
    ),
    openapi_extra=_example(
        {
            "number": _EXAMPLE_NUMBER,
            "revoked": True,
            "revoked_at": "2026-04-10T14:30:00+07:00",
            "reason": "Data peserta keliru",
        }
    ),
)
def certificate_revoke(request, number: str, payload: RevokeIn):
    cert = _run(services.managed_certificate, actor=_user(request), number=number)
    if not payload.reason.strip():
        raise HttpError(422, "Kolom 'reason' wajib diisi: sebutkan alasan pencabutan.")
    cert = _run(
        services.certificate_revoke, certificate=cert, actor=_user(request), reason=payload.reason
    )
    return {
        "number": cert.number,
        "revoked": True,
        "revoked_at": cert.revoked_at,
        "reason": cert.revoked_reason,
    }
