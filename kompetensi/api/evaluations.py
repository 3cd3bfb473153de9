"""Evaluation periods and competency evaluations."""

# No ``from __future__ import annotations``: the paginated list's query schema is resolved
# where ninja's ``paginate`` wrapper lives, which does not know this module's names.

from datetime import date
from typing import Annotated, Literal

from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from core.api import example_page, openapi_examples, paged_list
from core.api_schemas import EXAMPLE_NIP, JsonInt, id_or_404, with_errors
from core.errors import ServiceError
from kompetensi import selectors, services
from kompetensi.models import Competency, Evaluation, EvaluationPeriod

from .common import NOT_FOUND, raise_http, require_hr, visible_employee

router = Router()

PeriodCodePath = Annotated[
    str, Path(..., description="Kode periode penilaian (mis. tahunnya).", example="2026")
]
EvaluationIdPath = Annotated[int, Path(..., description="Id penilaian.", example=12)]
Source = Literal["self", "supervisor", "peer", "assessment"]
SOURCE_WORDS = (
    "`self` = penilaian diri, `supervisor` = atasan langsung, `peer` = rekan kerja (360), "
    "`assessment` = uji kompetensi."
)


class PeriodIn(Schema):
    code: str = Field(..., min_length=1, max_length=20, description="Kode unik, mis. `2027`.")
    name: str = Field(..., min_length=1, max_length=200)
    start: date = Field(..., description="Tanggal mulai (YYYY-MM-DD).")
    end: date = Field(..., description="Tanggal selesai, tidak sebelum `start`.")
    is_open: bool = Field(True, strict=True, description="false = periode ditutup (terkunci).")


class PeriodOut(Schema):
    code: str
    name: str
    start: date
    end: date
    is_open: bool


PERIOD_EXAMPLE = {
    "code": "2026",
    "name": "Penilaian Kompetensi 2026",
    "start": "2026-01-01",
    "end": "2026-12-31",
    "is_open": True,
}
PERIOD_NEW_EXAMPLE = {
    "code": "2027",
    "name": "Penilaian Kompetensi 2027",
    "start": "2027-01-01",
    "end": "2027-12-31",
    "is_open": True,
}
PERIOD_NOT_FOUND = "Periode penilaian tidak ditemukan."
PERIODS_ONLY = "Periode penilaian hanya dapat diatur oleh petugas SDM tingkat kota."


@router.post(
    "/periods",
    response=with_errors({201: PeriodOut}, 401, 403, 409, 422),
    summary="Buka periode penilaian (BKPSDM)",
    description=(
        "Hanya petugas SDM tingkat kota. `{code, name, start, end, is_open?}`: `start` tidak "
        "boleh sesudah `end`. Kode periode dipakai oleh penilaian, SKP, rekomendasi dan "
        "laporan. → 201. Bukan BKPSDM atau petugas unit → 403; kode sudah ada → 409; tanggal "
        "tidak sah → 422 yang menyebut kolomnya."
    ),
    openapi_extra=openapi_examples(
        {
            201: PERIOD_NEW_EXAMPLE,
            403: {"detail": PERIODS_ONLY},
            409: {"detail": "Kolom 'code': periode dengan kode 2027 sudah ada."},
            422: {"detail": "Kolom 'end': tanggal selesai tidak boleh sebelum tanggal mulai."},
        },
        request=PERIOD_NEW_EXAMPLE,
    ),
)
def period_create(request, payload: PeriodIn):
    require_hr(request)
    try:
        period = services.period_create(actor=request.user, **payload.dict())
    except ServiceError as error:
        raise_http(error)
    return Status(201, period)


class ScoreIn(Schema):
    competency_code: str = Field(..., min_length=1, max_length=20, description="Kode kompetensi.")
    level: JsonInt = Field(..., ge=1, le=5, description="Level yang dinilai (1–5).")


class EvaluationIn(Schema):
    employee_nip: str = Field(..., max_length=40, description="NIP pegawai yang dinilai.")
    period_code: str = Field(..., max_length=20, description="Kode periode penilaian.")
    source: Source = Field(..., description=SOURCE_WORDS)
    scores: list[ScoreIn]
    finalize: bool = Field(False, strict=True, description="true = langsung final (terkunci).")


class EvaluationOut(Schema):
    id: int
    status: Literal["draft", "final"]


EVALUATION_IN_EXAMPLE = {
    "employee_nip": EXAMPLE_NIP,
    "period_code": "2026",
    "source": "supervisor",
    "scores": [{"competency_code": "M.3", "level": 3}, {"competency_code": "M.5", "level": 2}],
    "finalize": False,
}


@router.post(
    "/evaluations",
    response=with_errors({201: EvaluationOut}, 401, 403, 404, 409, 422),
    summary="Simpan penilaian kompetensi (opsional: finalkan)",
    description=(
        "Membuat atau memperbarui penilaian (draf) seorang pegawai dalam satu periode dari "
        "satu sumber. Yang berwenang: penilaian diri (`self`) oleh pegawainya; `supervisor` "
        "oleh atasan langsung atau BKPSDM unitnya; `peer` dan `assessment` oleh BKPSDM unitnya. "
        "`finalize: true` langsung menjadikannya final dan menghitung ulang profil kompetensi. "
        "→ 201 `{id, status}`. Pegawai yang tidak terlihat → 404; tidak berwenang atas sumber "
        "itu → 403; penilaian sudah final atau periode ditutup → 409; periode atau kompetensi "
        "tidak dikenal, level di luar 1–5 → 422 yang menyebut kolomnya."
    ),
    openapi_extra=openapi_examples(
        {
            201: {"id": 12, "status": "draft"},
            403: {
                "detail": "Kolom 'source': penilaian atasan hanya dapat diisi oleh atasan "
                "langsung atau BKPSDM."
            },
            404: {"detail": NOT_FOUND},
            409: {"detail": "Periode 2025 sudah ditutup; penilaian tidak dapat diubah."},
            422: {"detail": "Kolom 'period_code': periode penilaian tidak ditemukan."},
        },
        request=EVALUATION_IN_EXAMPLE,
    ),
)
def evaluation_create(request, payload: EvaluationIn):
    employee = visible_employee(request, payload.employee_nip)
    period = EvaluationPeriod.objects.filter(code=payload.period_code).first()
    if period is None:
        raise HttpError(422, "Kolom 'period_code': periode penilaian tidak ditemukan.")
    codes = [s.competency_code for s in payload.scores]
    competencies = Competency.objects.in_bulk(codes, field_name="code")
    missing = [c for c in codes if c not in competencies]
    if missing:
        raise HttpError(
            422, f"Kolom 'scores.competency_code': kompetensi {', '.join(missing)} tidak ditemukan."
        )
    try:
        evaluation = services.evaluation_save(
            actor=request.user,
            employee=employee,
            period=period,
            source=payload.source,
            scores=[(competencies[s.competency_code], s.level) for s in payload.scores],
            finalize=payload.finalize,
        )
    except ServiceError as error:
        raise_http(error)
    return Status(201, {"id": evaluation.pk, "status": evaluation.status})


# ---------------------------------------------------------------------------------------------
# Periods: list and change; evaluations: list, read, finalise
# ---------------------------------------------------------------------------------------------


@paged_list(
    router,
    "/periods",
    PeriodOut,
    401,
    422,
    summary="Daftar periode penilaian",
    description=(
        "Semua periode penilaian kompetensi, terbaru lebih dulu (menurut tanggal mulai), "
        "berhalaman (`limit`/`offset`). Untuk setiap pengguna yang masuk: kode periode "
        "diperlukan oleh penilaian, SKP dan rekomendasi. `is_open: false` = periode ditutup "
        "(penilaiannya tidak dapat diubah)."
    ),
    openapi_extra=openapi_examples({200: example_page(PERIOD_EXAMPLE)}),
)
def period_list(request):
    return EvaluationPeriod.objects.order_by("-start", "-end", "code")


class PeriodPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200, pattern=r"\S")
    start: date | None = None
    end: date | None = None
    is_open: bool | None = Field(None, strict=True)


@router.patch(
    "/periods/{code}",
    response=with_errors({200: PeriodOut}, 401, 403, 404, 409, 422),
    summary="Ubah periode penilaian (SDM tingkat kota)",
    description=(
        "Hanya petugas SDM tingkat kota. Isi salah satu atau beberapa dari `{name, start, "
        "end, is_open}`; kolom yang tidak diisi tidak berubah. `start` tidak boleh sesudah "
        "`end` (juga terhadap tanggal yang tersimpan) → 422 yang menyebut kolomnya. "
        "`is_open: false` menutup periode (penilaiannya terkunci). Kode tidak dikenal → 404; "
        "petugas SDM unit atau ASN → 403."
    ),
    openapi_extra=openapi_examples(
        {
            200: {**PERIOD_EXAMPLE, "name": "Penilaian Kompetensi Tahun 2026"},
            403: {"detail": PERIODS_ONLY},
            404: {"detail": PERIOD_NOT_FOUND},
            422: {"detail": "Kolom 'end': tanggal selesai tidak boleh sebelum tanggal mulai."},
        },
        request={"name": "Penilaian Kompetensi Tahun 2026"},
    ),
)
def period_update(request, code: PeriodCodePath, payload: PeriodPatchIn):
    period = EvaluationPeriod.objects.filter(code=code).first()
    if period is None:
        raise HttpError(404, PERIOD_NOT_FOUND)
    changes = payload.dict(exclude_unset=True)
    for field in ("name", "start", "end", "is_open"):
        if field in changes and changes[field] is None:
            raise HttpError(422, f"Kolom '{field}': tidak boleh null.")
    try:
        period = services.period_update(actor=request.user, period=period, **changes)
    except ServiceError as error:
        raise_http(error)
    return period


class ScoreOut(Schema):
    competency_code: str
    level: int

    @staticmethod
    def resolve_competency_code(obj) -> str:
        return obj.competency.code


class EvaluationDetailOut(Schema):
    id: int
    employee_nip: str
    period_code: str
    source: Source
    status: Literal["draft", "final"] = Field(
        ..., description="`draft` = belum final (masih dapat diubah); `final` = terkunci."
    )
    scores: list[ScoreOut]

    @staticmethod
    def resolve_employee_nip(obj) -> str:
        return obj.employee.nip

    @staticmethod
    def resolve_period_code(obj) -> str:
        return obj.period.code

    @staticmethod
    def resolve_status(obj) -> str:
        return "final" if obj.status == Evaluation.Status.FINAL else "draft"

    @staticmethod
    def resolve_scores(obj) -> list:
        return list(obj.scores.all())


EVALUATION_EXAMPLE = {
    "id": 12,
    "employee_nip": EXAMPLE_NIP,
    "period_code": "2026",
    "source": "supervisor",
    "status": "draft",
    "scores": [{"competency_code": "M.3", "level": 3}, {"competency_code": "M.5", "level": 2}],
}
EVALUATION_NOT_FOUND = "Penilaian tidak ditemukan."
EVALUATION_VISIBILITY = (
    "Terlihat: penilaian yang boleh Anda isi (penilaian diri Anda; penilaian atasan untuk "
    "bawahan langsung), semua penilaian pegawai dalam cakupan BKPSDM Anda, dan penilaian atas "
    "diri Anda sendiri — kecuali penilaian rekan kerja (360) perorangan atas diri Anda, yang "
    "hanya ditampilkan teragregasi di profil."
)


class EvaluationFilter(Schema):
    employee_nip: str = Field("", max_length=40, description="NIP pegawai yang dinilai.")
    period_code: str = Field("", max_length=20, description="Kode periode penilaian.")
    source: Literal["", "self", "supervisor", "peer", "assessment"] = Field(
        "", description="Sumber penilaian (kosong = semua)."
    )


@paged_list(
    router,
    "/evaluations",
    EvaluationDetailOut,
    401,
    422,
    summary="Daftar penilaian kompetensi",
    description=(
        f"{EVALUATION_VISIBILITY} Saringan opsional: `employee_nip`, `period_code`, `source`. "
        "Urut periode terbaru lebih dulu, lalu NIP dan sumber; berhalaman (`limit`/`offset`)."
    ),
    openapi_extra=openapi_examples({200: example_page(EVALUATION_EXAMPLE)}),
)
def evaluation_list(request, filters: Query[EvaluationFilter]):
    return selectors.evaluations_visible(request.user, **filters.dict())


def _visible_evaluation(request, evaluation_id: int) -> Evaluation:
    evaluation = (
        selectors.evaluations_visible(request.user).filter(pk=id_or_404(evaluation_id)).first()
    )
    if evaluation is None:
        raise HttpError(404, EVALUATION_NOT_FOUND)
    return evaluation


@router.get(
    "/evaluations/{evaluation_id}",
    response=with_errors({200: EvaluationDetailOut}, 401, 404, 422),
    summary="Baca satu penilaian kompetensi",
    description=f"{EVALUATION_VISIBILITY} Penilaian lain (atau id tidak dikenal) → 404.",
    openapi_extra=openapi_examples(
        {200: EVALUATION_EXAMPLE, 404: {"detail": EVALUATION_NOT_FOUND}}
    ),
)
def evaluation_detail(request, evaluation_id: EvaluationIdPath):
    return _visible_evaluation(request, evaluation_id)


@router.post(
    "/evaluations/{evaluation_id}/finalize",
    response=with_errors({200: EvaluationDetailOut}, 401, 403, 404, 409, 422),
    summary="Finalkan penilaian kompetensi",
    description=(
        "Oleh yang berwenang mengisi penilaian itu (penilaian diri: pegawainya; penilaian "
        "atasan: atasan langsung atau BKPSDM unitnya; rekan kerja dan uji kompetensi: BKPSDM "
        "unitnya). Profil kompetensi pegawai dihitung ulang. Penilaian yang tidak terlihat → "
        "404; terlihat tetapi bukan wewenang Anda → 403; sudah final atau periodenya ditutup "
        "→ 409; tanpa nilai satu pun → 422."
    ),
    openapi_extra=openapi_examples(
        {
            200: {**EVALUATION_EXAMPLE, "status": "final"},
            403: {"detail": "Kolom 'source': Anda tidak berwenang mengubah penilaian ini."},
            404: {"detail": EVALUATION_NOT_FOUND},
            409: {"detail": "Kolom 'status': penilaian ini sudah final."},
        }
    ),
)
def evaluation_finalize(request, evaluation_id: EvaluationIdPath):
    evaluation = _visible_evaluation(request, evaluation_id)
    try:
        services.evaluation_finalize(actor=request.user, evaluation=evaluation)
    except ServiceError as error:
        raise_http(error)
    return _visible_evaluation(request, evaluation_id)
