"""One employee's competency profile, summary (JPM, IKK, JP) and SKP result."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from core.api import openapi_examples
from core.api_schemas import with_errors
from core.errors import ServiceError
from kompetensi import selectors, services
from kompetensi.models import EvaluationPeriod

from .common import NOT_FOUND, NipPath, raise_http, visible_employee

router = Router()

Rating = Literal["di_atas", "sesuai", "di_bawah"]
# The five predicate words of DOMAIN.md (kompetensi.rules.SKP_PREDICATES), best first.
Predicate = Literal["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"]
PREDICATE_WORDS = (
    "Predikat SKP: Sangat Baik, Baik, Butuh Perbaikan, Kurang/Misconduct atau Sangat Kurang."
)
VISIBILITY = (
    "Petugas BKPSDM yang cakupannya meliputi unit pegawai, pegawai itu sendiri, dan atasan "
    "langsungnya; pegawai lain (atau NIP yang tidak ada) → 404."
)


class ProfileOut(Schema):
    competency_code: str
    kind: Literal["teknis", "manajerial", "sosial_kultural"]
    required_level: int | None = Field(..., description="Level yang dibutuhkan jabatannya.")
    assessed_level: int | None = Field(..., description="null = belum pernah dinilai.")
    gap: int | None = Field(..., description="max(dibutuhkan − hasil penilaian, 0).")
    source: Literal["self", "supervisor", "peer", "assessment"] | None = Field(
        ..., description="Sumber penilaian yang dipakai."
    )
    as_of: date | None = Field(..., description="Tanggal penilaian yang dipakai.")


PROFILE_EXAMPLE = [
    {
        "competency_code": "M.3",
        "kind": "manajerial",
        "required_level": 2,
        "assessed_level": 3,
        "gap": 0,
        "source": "supervisor",
        "as_of": "2026-02-16",
    },
    {
        "competency_code": "M.5",
        "kind": "manajerial",
        "required_level": 2,
        "assessed_level": 1,
        "gap": 1,
        "source": "supervisor",
        "as_of": "2026-02-16",
    },
    {
        "competency_code": "T.DUK.01",
        "kind": "teknis",
        "required_level": 2,
        "assessed_level": None,
        "gap": None,
        "source": None,
        "as_of": None,
    },
]


@router.get(
    "/employees/{nip}/competencies",
    response=with_errors({200: list[ProfileOut]}, 401, 403, 404),
    summary="Profil kompetensi pegawai: dibutuhkan, hasil penilaian, kesenjangan",
    description=(
        f"{VISIBILITY} Satu baris per kompetensi yang dibutuhkan jabatannya atau pernah "
        "dinilai: level yang dibutuhkan, hasil penilaian final terbaru (null bila belum "
        "pernah dinilai) dan kesenjangan `gap = max(dibutuhkan − hasil, 0)`."
    ),
    openapi_extra=openapi_examples({200: PROFILE_EXAMPLE, 404: {"detail": NOT_FOUND}}),
)
def employee_competencies(request, nip: NipPath):
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
    hasil_kerja: Rating
    perilaku_kerja: Rating
    predicate: Predicate = Field(..., description=PREDICATE_WORDS)


class SummaryOut(Schema):
    jpm: float | None = Field(
        ..., description="Job Person Match (%); null sampai semua kompetensi jabatan dinilai."
    )
    ikk: float | None = Field(..., description="Indeks kesenjangan kompetensi = 100 − JPM.")
    jpm_category: (
        Literal["Memenuhi Syarat", "Masih Memenuhi Syarat", "Kurang Memenuhi Syarat"] | None
    )
    jp_this_year: int = Field(..., description="Jam pelajaran pengembangan tahun ini.")
    jp_target: int = Field(..., description="Target JP setahun (20).")
    open_needs: int = Field(..., description="Kebutuhan pelatihan yang masih terbuka.")
    skp: SkpOut | None = Field(..., description="Hasil SKP terbaru; null bila belum ada.")


SUMMARY_EXAMPLE = {
    "jpm": 83.33,
    "ikk": 16.67,
    "jpm_category": "Memenuhi Syarat",
    "jp_this_year": 12,
    "jp_target": 20,
    "open_needs": 1,
    "skp": {
        "period_code": "2025",
        "hasil_kerja": "sesuai",
        "perilaku_kerja": "di_atas",
        "predicate": "Baik",
    },
}


@router.get(
    "/employees/{nip}/summary",
    response=with_errors({200: SummaryOut}, 401, 403, 404),
    summary="Ringkasan: JPM, IKK, JP, SKP",
    description=(
        f"{VISIBILITY} `jpm` (Job Person Match, %) dan `ikk` (100 − JPM) null sampai semua "
        "kompetensi jabatan dinilai; `jpm_category` dari JPM (≥ 80 Memenuhi Syarat, 68–79,99 "
        "Masih Memenuhi Syarat, < 68 Kurang Memenuhi Syarat). `jp_this_year` terhadap "
        "`jp_target` (20 JP setahun), `open_needs` kebutuhan pelatihan terbuka, `skp` hasil "
        "SKP terbaru atau null."
    ),
    openapi_extra=openapi_examples({200: SUMMARY_EXAMPLE, 404: {"detail": NOT_FOUND}}),
)
def employee_summary(request, nip: NipPath):
    return selectors.employee_summary(visible_employee(request, nip))


class SkpIn(Schema):
    period_code: str = Field(..., max_length=20, description="Kode periode penilaian.")
    hasil_kerja: Rating
    perilaku_kerja: Rating


class PredicateOut(Schema):
    predicate: Predicate = Field(..., description=PREDICATE_WORDS)


@router.post(
    "/employees/{nip}/skp",
    response=with_errors({200: PredicateOut}, 401, 403, 404, 409, 422),
    summary="Catat hasil SKP periode dari e-Kinerja (BKPSDM)",
    description=(
        "Petugas BKPSDM yang cakupannya meliputi unit pegawai mencatat hasil SKP periode dari "
        "e-Kinerja: `hasil_kerja` dan `perilaku_kerja` masing-masing `di_atas`, `sesuai` "
        "atau `di_bawah` → `{predicate}` (Sangat Baik, Baik, Butuh Perbaikan, "
        "Kurang/Misconduct, Sangat Kurang; PermenPANRB 6/2022). Mengirim lagi untuk periode "
        "yang sama menggantinya. Pegawai yang tidak terlihat → 404; bukan wewenang Anda → "
        "403; periode tidak dikenal → 422."
    ),
    openapi_extra=openapi_examples(
        {
            200: {"predicate": "Baik"},
            403: {"detail": "Pegawai ini di luar cakupan kewenangan Anda."},
            404: {"detail": NOT_FOUND},
            422: {"detail": "Kolom 'period_code': periode penilaian tidak ditemukan."},
        },
        request={"period_code": "2025", "hasil_kerja": "sesuai", "perilaku_kerja": "di_atas"},
    ),
)
def employee_skp(request, nip: NipPath, payload: SkpIn):
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
