"""Positions and their competency standards (BKPSDM)."""

from __future__ import annotations

from typing import Literal

from django.db.models import Prefetch
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from core.api import example_page, openapi_examples, paged_list
from core.api_schemas import JsonInt, with_errors
from core.errors import ServiceError
from kompetensi import services
from kompetensi.models import Competency, Position, PositionRequirement

from .common import HR_ONLY, raise_http, require_hr, visible_unit

router = Router()

PositionKind = Literal[
    "jpt_utama",
    "jpt_madya",
    "jpt_pratama",
    "administrator",
    "pengawas",
    "pelaksana",
    "fungsional",
]


class RequirementSchema(Schema):
    competency_code: str = Field(..., min_length=1, max_length=20)
    level: JsonInt = Field(..., ge=1, le=5, description="Level yang dibutuhkan (1–5).")


class PositionOut(Schema):
    code: str
    name: str
    kind: PositionKind
    unit_code: str | None = Field(..., description="null = jabatan lintas unit.")
    requirements: list[RequirementSchema]

    @staticmethod
    def resolve_unit_code(obj) -> str | None:
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_requirements(obj) -> list[dict]:
        return [
            {"competency_code": r.competency.code, "level": r.level} for r in obj.requirements.all()
        ]


class PositionIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    kind: PositionKind
    unit_code: str | None = Field(
        None, max_length=40, description="Unit pemilik jabatan; kosong/null = lintas unit."
    )
    requirements: list[RequirementSchema] = Field(
        [], description="Standar kompetensi jabatan: satu baris per kompetensi."
    )


POSITION_EXAMPLE = {
    "code": "DISDUKCAPIL.PETUGAS",
    "name": "Petugas Pelayanan Administrasi Kependudukan",
    "kind": "pelaksana",
    "unit_code": "DISDUKCAPIL",
    "requirements": [
        {"competency_code": "M.3", "level": 2},
        {"competency_code": "M.5", "level": 2},
        {"competency_code": "T.DUK.01", "level": 2},
    ],
}
POSITION_NEW_EXAMPLE = {
    "code": "DISDUKCAPIL.ARSIPARIS",
    "name": "Arsiparis Ahli Pertama",
    "kind": "fungsional",
    "unit_code": "DISDUKCAPIL",
    "requirements": [
        {"competency_code": "M.1", "level": 1},
        {"competency_code": "T.DUK.02", "level": 2},
    ],
}


def _positions():
    return Position.objects.select_related("unit").prefetch_related(
        Prefetch(
            "requirements",
            queryset=PositionRequirement.objects.select_related("competency").order_by(
                "competency__code"
            ),
        )
    )


@paged_list(
    router,
    "/positions",
    PositionOut,
    401,
    403,
    422,
    summary="Daftar jabatan (BKPSDM)",
    description=(
        "Petugas BKPSDM: semua jabatan beserta standar kompetensinya (kompetensi dan level "
        "yang dibutuhkan), urut kode, berhalaman (`limit`/`offset`). Bukan BKPSDM → 403."
    ),
    openapi_extra=openapi_examples({200: example_page(POSITION_EXAMPLE), 403: {"detail": HR_ONLY}}),
)
def position_list(request):
    require_hr(request)
    return _positions().order_by("code")


@router.post(
    "/positions",
    response=with_errors({201: PositionOut}, 401, 403, 409, 422),
    summary="Tambah jabatan dengan standar kompetensinya (BKPSDM)",
    description=(
        "Jabatan sebuah unit ditambahkan oleh petugas BKPSDM yang cakupannya meliputi unit itu; "
        "jabatan lintas unit (tanpa `unit_code`) hanya oleh petugas SDM tingkat kota. "
        "`requirements`: kompetensi (kode kamus) dan level 1–5 yang dibutuhkan. → 201. Bukan "
        "BKPSDM atau di luar wewenang → 403; kode sudah ada → 409; unit atau kompetensi tidak "
        "dikenal → 422 yang menyebut kolomnya."
    ),
    openapi_extra=openapi_examples(
        {
            201: POSITION_NEW_EXAMPLE,
            403: {"detail": HR_ONLY},
            409: {"detail": "Kolom 'code': jabatan dengan kode DISDUKCAPIL.ARSIPARIS sudah ada."},
            422: {
                "detail": "Kolom 'requirements.competency_code': kompetensi T.DUK.09 tidak "
                "ditemukan."
            },
        },
        request=POSITION_NEW_EXAMPLE,
    ),
)
def position_create(request, payload: PositionIn):
    require_hr(request)
    unit = visible_unit(request, payload.unit_code, "unit_code") if payload.unit_code else None
    codes = [r.competency_code for r in payload.requirements]
    competencies = Competency.objects.in_bulk(codes, field_name="code")
    missing = [c for c in codes if c not in competencies]
    if missing:
        raise HttpError(
            422,
            f"Kolom 'requirements.competency_code': kompetensi {', '.join(missing)} "
            "tidak ditemukan.",
        )
    try:
        position = services.position_create(
            actor=request.user,
            code=payload.code,
            name=payload.name,
            kind=payload.kind,
            unit=unit,
            requirements=[(competencies[r.competency_code], r.level) for r in payload.requirements],
        )
    except ServiceError as error:
        raise_http(error)
    return Status(201, _positions().get(pk=position.pk))
