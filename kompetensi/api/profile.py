"""One employee's competency profile, summary (JPM, IKK, JP) and SKP result."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Router, Schema, Status
from ninja.errors import HttpError

from core.api_schemas import with_errors
from core.errors import ServiceError
from kompetensi import selectors, services
from kompetensi.models import EvaluationPeriod

from .common import raise_http, visible_employee

router = Router()


class ProfileOut(Schema):
    competency_code: str
    kind: str
    required_level: int | None
    assessed_level: int | None
    gap: int | None
    source: str | None
    as_of: date | None


@router.get(
    "/employees/{nip}/competencies",
    response=with_errors({200: list[ProfileOut]}, 401, 403, 404),
    summary="Profil kompetensi pegawai: dibutuhkan, hasil penilaian, kesenjangan",
)
def employee_competencies(request, nip: str):
    employee = visible_employee(request, nip)
    return [
        {
            "competency_code": r.code,
            "kind": r.kind,
            "required_level": r.required_level,
            "assessed_level": r.assessed_level,
            "gap": r.gap,
            "source": r.source or None,
            "as_of": r.as_of,
        }
        for r in selectors.employee_profile(employee)
    ]


class SkpOut(Schema):
    period_code: str
    hasil_kerja: str
    perilaku_kerja: str
    predicate: str


class SummaryOut(Schema):
    jpm: float | None
    ikk: float | None
    jpm_category: str | None
    jp_this_year: int
    jp_target: int
    open_needs: int
    skp: SkpOut | None


@router.get(
    "/employees/{nip}/summary",
    response=with_errors({200: SummaryOut}, 401, 403, 404),
    summary="Ringkasan: JPM, IKK, JP, SKP",
)
def employee_summary(request, nip: str):
    return selectors.employee_summary(visible_employee(request, nip))


class SkpIn(Schema):
    period_code: str
    hasil_kerja: Literal["di_atas", "sesuai", "di_bawah"]
    perilaku_kerja: Literal["di_atas", "sesuai", "di_bawah"]


class PredicateOut(Schema):
    predicate: str


@router.post(
    "/employees/{nip}/skp",
    response=with_errors({200: PredicateOut}, 401, 403, 404, 409, 422),
    summary="Catat hasil SKP periode dari e-Kinerja (BKPSDM)",
)
def employee_skp(request, nip: str, payload: SkpIn):
    employee = visible_employee(request, nip)
    period = EvaluationPeriod.objects.filter(code=payload.period_code).first()
    if period is None:
        raise HttpError(422, "Kolom 'period_code': periode penilaian tidak ditemukan.")
    try:
        result = services.skp_record(
            actor=request.user,
            employee=employee,
            period=period,
            hasil_kerja=payload.hasil_kerja,
            perilaku_kerja=payload.perilaku_kerja,
            origin="api",
        )
    except ServiceError as error:
        raise_http(error)
    return Status(200, {"predicate": result.predicate})
