"""REST endpoints of the workflow app (see ../shared/design/API.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api_schemas import MAX_INT32, JsonInt, Pagination, id_or_404, with_errors
from kompetensi import rules
from kompetensi.models import Employee, EvaluationPeriod
from kompetensi.permissions import employees_visible_to

from . import selectors, services
from .models import Assignment, Certificate
from .permissions import can_view_certificates_of

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


class CertificateOut(Schema):
    number: str
    module_title: str
    jp: int
    issued_at: dt.datetime
    revoked: bool
    verify_url: str
    pdf_url: str


@router.get(
    "/employees/{nip}/certificates",
    response=with_errors({200: list[CertificateOut]}, 401, 403, 404, 422),
    summary="Sertifikat seorang pegawai",
)
@paginate(Pagination)
def employee_certificates(request, nip: str):
    employee = _employee(request, nip)
    if not can_view_certificates_of(_user(request), employee):
        raise HttpError(404, "Data tidak ditemukan.")
    return [
        {
            "number": c.number,
            "module_title": c.module_title,
            "jp": c.jp,
            "issued_at": c.issued_at,
            "revoked": c.revoked_at is not None,
            "verify_url": services.verify_url(c.verification_code),
            "pdf_url": _absolute(
                reverse("workflow:certificate_download", args=[c.verification_code])
            ),
        }
        for c in Certificate.objects.filter(employee=employee).order_by("-issued_at", "-pk")
    ]


class VerifyOut(Schema):
    valid: bool
    number: str
    holder_name: str
    nip_masked: str
    module_title: str
    jp: int
    issued_at: dt.datetime
    revoked: bool
    sha256: str
    status: str
    revoked_reason: str
    expires_at: dt.datetime | None
    signed_by: str = ""  # who digitally signed the PDF (PAdES); "" when unsigned


@router.get(
    "/certificates/verify/{code}",
    response=with_errors({200: VerifyOut}, 404, 429),
    auth=None,
    summary="Verifikasi sertifikat (publik)",
)
def certificate_verify(request, code: str):
    """`status` is "valid", "revoked" (dicabut) or "expired" (kedaluwarsa); `valid` is true
    only for "valid"."""
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


class RevokeIn(Schema):
    reason: str


class RevokeOut(Schema):
    number: str
    revoked: bool
    revoked_at: dt.datetime
    reason: str


@router.post(
    "/certificates/{path:number}/revoke",
    response=with_errors({200: RevokeOut}, 401, 403, 404, 409, 422),
    summary="Cabut sertifikat",
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
