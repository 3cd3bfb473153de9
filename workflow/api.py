"""REST endpoints of the workflow app (see docs/API.md): recommendations and assignments,
learning (lessons completed, quizzes), certificates. Lists are paginated with
``core.api.paged_list``; a paginated view takes its path parameter as a default (``nip: str =
_NIP_...``): ninja's ``paginate`` wrapper resolves string annotations in its own module."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from core.api import example_page, openapi_examples, paged_list
from core.api_schemas import (
    EXAMPLE_NIP,
    MAX_INT32,
    JakartaDateTime,
    JsonInt,
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

NOT_FOUND = "Data tidak ditemukan."
HR_ONLY = "Hanya BKPSDM yang boleh melakukan tindakan ini."
_NIP = {"description": "NIP pegawai, 18 digit (spasi diabaikan).", "example": EXAMPLE_NIP}
_NIP_ASSIGNMENTS = Path(..., **_NIP)
_NIP_CERTIFICATES = Path(..., **_NIP)
AssignmentIdPath = Annotated[int, Path(..., description="Id penugasan.", example=64)]
LessonIdPath = Annotated[int, Path(..., description="Id halaman pelajaran.", example=18)]
PeriodCodePath = Annotated[str, Path(..., description="Kode periode penilaian.", example="2026")]
AssignmentStatus = Literal[
    "recommended", "assigned", "in_progress", "completed", "certified", "cancelled", "withdrawn"
]
STATUS_WORDS = (
    "`recommended` (rekomendasi, menunggu persetujuan BKPSDM), `assigned`, `in_progress`, "
    "`completed`, `certified` (bersertifikat), `cancelled`, `withdrawn` (ditarik: kesenjangan "
    "sudah tertutup)."
)


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
    description=(
        "Petugas BKPSDM. Setiap kesenjangan kompetensi terbuka pegawai dalam cakupannya "
        "menjadi kebutuhan pelatihan periode itu dan, bila ada modul terbit yang sesuai, "
        "penugasan berstatus `recommended` (menunggu persetujuan). `needs` dan `recommended` "
        "menghitung yang dibuat oleh panggilan ini (panggilan kedua tidak membuat apa pun); "
        "`without_module` menghitung kebutuhan terbuka periode itu (dalam cakupan) yang belum "
        "punya modul. Bukan BKPSDM → 403; kode periode tidak dikenal → 404."
    ),
    openapi_extra=openapi_examples(
        {
            200: {"needs": 14, "recommended": 11, "without_module": 3},
            403: {"detail": HR_ONLY},
            404: {"detail": "Data tidak ditemukan."},
        }
    ),
)
def period_recommend(request, code: PeriodCodePath):
    # Every open gap in the caller's scope becomes a need (and, where a module fits, a
    # recommended assignment); counts are of what this call created.
    period = get_object_or_404(EvaluationPeriod, code=code)
    result = _run(services.period_recommend, period=period, actor=_user(request))
    return RecommendOut(
        needs=result.needs, recommended=result.recommended, without_module=result.without_module
    )


class AssignmentOut(Schema):
    id: int
    module_id: int
    module_title: str
    status: AssignmentStatus = Field(..., description=STATUS_WORDS)
    due_date: dt.date | None = Field(..., description="Batas waktu; null = tanpa batas.")
    progress_percent: int = Field(..., ge=0, le=100)
    certificate_number: str | None = Field(..., description="Nomor sertifikat bila `certified`.")


ASSIGNMENT_EXAMPLE = {
    "id": 64,
    "module_id": 15,
    "module_title": "Pelayanan Prima bagi ASN",
    "status": "recommended",
    "due_date": None,
    "progress_percent": 0,
    "certificate_number": None,
}
ASSIGNMENT_NOT_FOUND = "Penugasan tidak ditemukan."


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


@paged_list(
    router,
    "/employees/{nip}/assignments",
    AssignmentOut,
    401,
    403,
    404,
    422,
    summary="Penugasan pelatihan seorang pegawai",
    description=(
        "Petugas BKPSDM yang cakupannya meliputi unit pegawai, pegawai itu sendiri, dan atasan "
        "langsungnya; pegawai lain (atau NIP yang tidak ada) → 404. Semua penugasan pelatihan "
        f"pegawai itu dengan kemajuannya (%), berhalaman (`limit`/`offset`). Status: {STATUS_WORDS}"
    ),
    openapi_extra=openapi_examples(
        {
            200: example_page(
                {
                    "id": 65,
                    "module_id": 47,
                    "module_title": "Pelayanan Administrasi Kependudukan Terpadu",
                    "status": "in_progress",
                    "due_date": "2026-12-13",
                    "progress_percent": 25,
                    "certificate_number": None,
                },
                ASSIGNMENT_EXAMPLE,
                {
                    "id": 41,
                    "module_id": 11,
                    "module_title": "Komunikasi Efektif dalam Pelayanan Publik",
                    "status": "certified",
                    "due_date": None,
                    "progress_percent": 100,
                    "certificate_number": "00013/SIKAP/2026",
                },
            ),
            404: {"detail": NOT_FOUND},
        }
    ),
)
def employee_assignments(request, nip: str = _NIP_ASSIGNMENTS):
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
    employee_nip: str = Field(..., max_length=40, description="NIP pegawai yang ditugaskan.")
    module_id: JsonInt = Field(..., description="Id modul terbit (GET /api/v1/modules).")
    due_date: dt.date | None = Field(None, description="Batas waktu, tidak di masa lalu.")


ASSIGNMENT_IN_EXAMPLE = {"employee_nip": EXAMPLE_NIP, "module_id": 19, "due_date": "2027-03-31"}


@router.post(
    "/assignments",
    response=with_errors({201: AssignmentOut}, 401, 403, 404, 409, 422),
    summary="Tugaskan pelatihan",
    description=(
        "Petugas BKPSDM yang cakupannya meliputi unit pegawai menugaskan modul terbit → 201, "
        "penugasan baru berstatus `assigned`. Bukan BKPSDM atau pegawai di luar cakupan → "
        "403/404; NIP atau modul tidak dikenal → 404 yang menyebut kolomnya; pegawai sudah "
        "punya penugasan terbuka untuk modul itu → 409; batas waktu di masa lalu → 422."
    ),
    openapi_extra=openapi_examples(
        {
            201: {
                "id": 212,
                "module_id": 19,
                "module_title": "Integritas dan Antikorupsi",
                "status": "assigned",
                "due_date": "2027-03-31",
                "progress_percent": 0,
                "certificate_number": None,
            },
            403: {"detail": HR_ONLY},
            404: {"detail": "Kolom 'module_id': modul terbit dengan id ini tidak ditemukan."},
            409: {"detail": "Pegawai ini sudah memiliki penugasan terbuka untuk modul tersebut."},
            422: {"detail": "Batas waktu tidak boleh di masa lalu."},
        },
        request=ASSIGNMENT_IN_EXAMPLE,
    ),
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
    due_date: dt.date | None = Field(
        None, description="Batas waktu (tidak di masa lalu); kosong = tidak diubah."
    )


class CancelIn(Schema):
    reason: str = Field("", description="Alasan pembatalan (dicatat).")


# The body of approve/cancel may be left out: a default instance (not ``| None``, which would
# declare a JSON ``null`` body that the server then refuses, and which generated clients
# cannot send when the body is unset).
APPROVE_DEFAULTS = ApproveIn()
CANCEL_DEFAULTS = CancelIn()


def _managed_assignment(request, pk: int) -> Assignment:
    id_or_404(pk)
    return _run(services.managed_assignment, actor=_user(request), pk=pk)


@router.post(
    "/assignments/{assignment_id}/approve",
    response=with_errors({200: AssignmentOut}, 401, 403, 404, 409, 422),
    summary="Setujui rekomendasi",
    description=(
        "Petugas BKPSDM yang cakupannya meliputi unit pegawai menyetujui penugasan "
        "`recommended` → `assigned` (isi permintaan boleh kosong; `due_date` opsional). "
        "Bukan BKPSDM → 403; penugasan di luar cakupan atau tidak ada → 404; status lain "
        "(sudah disetujui, dibatalkan …) → 409; batas waktu di masa lalu → 422."
    ),
    openapi_extra=openapi_examples(
        {
            200: {**ASSIGNMENT_EXAMPLE, "status": "assigned", "due_date": "2027-03-31"},
            403: {"detail": HR_ONLY},
            404: {"detail": NOT_FOUND},
            409: {"detail": "Penugasan berstatus “Ditugaskan” tidak dapat disetujui."},
        },
        request={"due_date": "2027-03-31"},
    ),
)
def assignment_approve(
    request, assignment_id: AssignmentIdPath, payload: ApproveIn = APPROVE_DEFAULTS
):
    a = _managed_assignment(request, assignment_id)
    due = payload.due_date
    a = _run(services.assignment_approve, assignment=a, actor=_user(request), due_date=due)
    return _assignment_out(a, 0)


@router.post(
    "/assignments/{assignment_id}/cancel",
    response=with_errors({200: AssignmentOut}, 401, 403, 404, 409, 422),
    summary="Batalkan penugasan",
    description=(
        "Petugas BKPSDM yang cakupannya meliputi unit pegawai membatalkan penugasan yang "
        "masih terbuka (`recommended`, `assigned`, `in_progress`) → `cancelled`, dengan "
        "`reason` opsional. Bukan BKPSDM → 403; di luar cakupan atau tidak ada → 404; "
        "penugasan yang sudah selesai, bersertifikat atau dibatalkan → 409."
    ),
    openapi_extra=openapi_examples(
        {
            200: {**ASSIGNMENT_EXAMPLE, "status": "cancelled"},
            403: {"detail": HR_ONLY},
            404: {"detail": NOT_FOUND},
            409: {"detail": "Penugasan berstatus “Selesai” tidak dapat dibatalkan."},
        },
        request={"reason": "Pegawai mutasi ke unit lain"},
    ),
)
def assignment_cancel(
    request, assignment_id: AssignmentIdPath, payload: CancelIn = CANCEL_DEFAULTS
):
    a = _managed_assignment(request, assignment_id)
    reason = payload.reason
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
    assignment_status: AssignmentStatus | None = Field(
        ..., description="Status penugasan modulnya bagi pemanggil; null bila tidak ada."
    )
    progress_percent: int = Field(..., ge=0, le=100, description="Kemajuan modul (%).")


LESSON_NOT_FOUND = "Data tidak ditemukan."


@router.post(
    "/lessons/{lesson_id}/complete",
    response=with_errors({200: LessonCompleteOut}, 401, 404, 409, 422),
    summary="Tandai pelajaran selesai",
    description=(
        "Pembelajar (pemanggil sendiri) menandai pelajaran terbit selesai; penugasan modulnya "
        "berjalan (`in_progress`) atau selesai (`completed`, lalu bersertifikat) bila semua "
        "pelajaran dan kuisnya tuntas. Tanpa penugasan, modul diikuti atas inisiatif sendiri. "
        "Pelajaran tidak terbit atau tidak ada → 404; akun tanpa data pegawai → 422."
    ),
    openapi_extra=openapi_examples(
        {
            200: {"assignment_status": "in_progress", "progress_percent": 67},
            404: {"detail": LESSON_NOT_FOUND},
            422: {"detail": "Akun Anda belum terhubung dengan data pegawai."},
        }
    ),
)
def lesson_complete(request, lesson_id: LessonIdPath):
    result = _run(services.lesson_complete, user=_user(request), lesson=_lesson(lesson_id))
    return {
        "assignment_status": result.assignment_status,
        "progress_percent": result.progress_percent,
    }


class QuizIn(Schema):
    answers: dict[str, list[str]] = Field(
        ...,
        description=(
            "`question_id` → daftar `id` pilihan yang dipilih (dari GET /api/v1/lessons/{id}); "
            "pertanyaan `single` tepat satu pilihan."
        ),
    )


class QuizQuestionResultOut(Schema):
    question_id: str
    status: str = Field(
        ...,
        description="`right` (benar), `partial` (sebagian benar, bila kuis memakai nilai "
        "parsial) atau `wrong` (salah). Pilihan mana yang benar tidak pernah dikirim.",
    )
    credit_percent: int = Field(..., ge=0, le=100, description="Nilai pertanyaan ini.")
    chosen: list[str] = Field(..., description="`id` pilihan yang Anda kirim (yang dikenal).")
    explanation: str = Field(..., description="Penjelasan dari pelatih (boleh kosong).")


class QuizOut(Schema):
    score_percent: int = Field(..., ge=0, le=100)
    passed: bool = Field(..., description="Nilai mencapai batas lulus modul.")
    best_score_percent: int = Field(..., ge=0, le=100, description="Nilai terbaik (yang dihitung).")
    module_completed: bool = Field(
        False, description="Percobaan ini memenuhi syarat terakhir modul (sertifikat diterbitkan)."
    )
    questions: list[QuizQuestionResultOut] = Field(
        default_factory=list, description="Hasil per pertanyaan percobaan ini."
    )


@router.post(
    "/lessons/{lesson_id}/quiz",
    response=with_errors({200: QuizOut}, 401, 404, 409, 422),
    summary="Kirim jawaban kuis",
    description=(
        "Pembelajar (pemanggil sendiri) mengirim jawaban kuis pelajaran: nilai per pertanyaan "
        "semua-atau-tidak (pertanyaan `multiple` butuh tepat semua pilihan yang benar), kecuali "
        "kuis dengan nilai parsial: (pilihan benar dipilih − pilihan salah dipilih) ÷ jumlah "
        "pilihan benar, paling kecil 0. Jawaban menghasilkan benar/salah dan penjelasan per "
        "pertanyaan, tanpa kunci jawaban. Boleh "
        "mengulang; nilai terbaik yang dihitung untuk kelulusan modul. Pelajaran tidak terbit "
        "atau tidak ada → 404; pelajaran tanpa kuis atau akun tanpa data pegawai → 422."
    ),
    openapi_extra=openapi_examples(
        {
            200: {"score_percent": 67, "passed": False, "best_score_percent": 100},
            404: {"detail": LESSON_NOT_FOUND},
            422: {"detail": "Pelajaran ini tidak memiliki kuis."},
        },
        request={
            "answers": {
                "9058526b-7f46-556f-87bc-79c42063347d": ["3a03c2d2-ac3b-59ca-be7b-83388bb40f94"]
            }
        },
    ),
)
def quiz_submit(request, lesson_id: LessonIdPath, payload: QuizIn):
    lesson = _lesson(lesson_id)
    result = _run(services.quiz_submit, user=_user(request), lesson=lesson, answers=payload.answers)
    return {
        "score_percent": result.score_percent,
        "passed": result.passed,
        "best_score_percent": result.best_score_percent,
        "module_completed": result.module_completed,
        "questions": [{"question_id": qid, **note} for qid, note in result.questions.items()],
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
CertificateNumberPath = Annotated[
    str,
    Path(..., description="Nomor sertifikat (memuat garis miring).", example=_EXAMPLE_NUMBER),
]
VerifyCodePath = Annotated[
    str,
    Path(
        ...,
        description="Kode verifikasi 26 huruf dari kode QR (huruf kecil, spasi, '-' diabaikan).",
        example=_EXAMPLE_CODE,
    ),
]


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


@paged_list(
    router,
    "/employees/{nip}/certificates",
    CertificateOut,
    401,
    403,
    404,
    422,
    summary="Sertifikat seorang pegawai",
    description=(
        "Sertifikat pelatihan seorang pegawai, terbaru lebih dulu, termasuk yang dicabut "
        "(`revoked: true`). Boleh dibaca oleh pegawai itu sendiri dan BKPSDM yang cakupan "
        "unitnya meliputi pegawai itu; selain itu 404 (juga untuk NIP yang tidak ada). "
        "`issued_at` dalam waktu Asia/Jakarta (+07:00); `pdf_url` mengarah ke "
        "`GET /api/v1/certificates/{number}/pdf`. Berhalaman (`limit`/`offset`)."
    ),
    openapi_extra=openapi_examples(
        {200: example_page(_EXAMPLE_CERTIFICATE), 404: {"detail": NOT_FOUND}}
    ),
)
def employee_certificates(request, nip: str = _NIP_CERTIFICATES):
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


@paged_list(
    router,
    "/certificates",
    CertificateListOut,
    401,
    403,
    404,
    422,
    summary="Daftar sertifikat (BKPSDM)",
    description=(
        "Sertifikat pegawai dalam cakupan unit petugas BKPSDM pemanggil (petugas tingkat kota: "
        "seluruh kota), terbaru lebih dulu. Saring dengan `unit_code` (unit beserta sub-unitnya), "
        "`year` (tahun terbit, YYYY) dan `revoked` (`true`/`false`). Bukan BKPSDM: 403. "
        "`unit_code` yang tidak ada atau di luar cakupan pemanggil: 404 (keduanya tidak "
        "dibedakan). `year` atau `revoked` yang tidak sah: 422 dengan `detail` yang menyebut "
        "kolomnya. `issued_at` dalam waktu Asia/Jakarta (+07:00)."
    ),
    openapi_extra=openapi_examples(
        {
            200: example_page(
                {
                    "number": _EXAMPLE_NUMBER,
                    "nip": EXAMPLE_NIP,
                    "holder_name": "Rizki Maulana, S.Kom.",
                    **{k: v for k, v in _EXAMPLE_CERTIFICATE.items() if k != "number"},
                }
            ),
            403: {"detail": "Hanya BKPSDM yang dapat melihat daftar sertifikat."},
            404: {"detail": "Kolom 'unit_code': unit tidak ditemukan."},
        }
    ),
)
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
    status: Literal["valid", "revoked", "expired"] = Field(
        ..., description="`valid`, `revoked` (dicabut) atau `expired` (kedaluwarsa)."
    )
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
    openapi_extra=openapi_examples(
        {
            200: {
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
            },
            404: {"detail": "Sertifikat dengan kode verifikasi ini tidak ditemukan."},
            429: {"detail": "Terlalu banyak permintaan verifikasi. Coba lagi beberapa menit lagi."},
        }
    ),
)
def certificate_verify(request, code: VerifyCodePath):
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
            },
            404: {"content": {"application/json": {"example": {"detail": _CERTIFICATE_NOT_FOUND}}}},
        }
    },
)
def certificate_pdf(request, number: CertificateNumberPath):
    from .views import certificate_pdf_response

    cert = selectors.certificate_for_download(_user(request), number=number)
    if cert is None:
        raise HttpError(404, _CERTIFICATE_NOT_FOUND)
    return certificate_pdf_response(cert)


class RevokeIn(Schema):
    reason: str = Field(
        ..., min_length=1, description="Alasan pencabutan (wajib, tidak boleh kosong)."
    )

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
    openapi_extra=openapi_examples(
        {
            200: {
                "number": _EXAMPLE_NUMBER,
                "revoked": True,
                "revoked_at": "2026-04-10T14:30:00+07:00",
                "reason": "Data peserta keliru",
            },
            403: {"detail": HR_ONLY},
            404: {"detail": _CERTIFICATE_NOT_FOUND},
            409: {"detail": "Sertifikat ini sudah dicabut."},
            422: {"detail": "Kolom 'reason' wajib diisi: sebutkan alasan pencabutan."},
        },
        request={"reason": "Data peserta keliru"},
    ),
)
def certificate_revoke(request, number: CertificateNumberPath, payload: RevokeIn):
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
