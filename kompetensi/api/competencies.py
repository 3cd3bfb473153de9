"""The competency dictionary: list and add competencies with their levels."""

from __future__ import annotations

from typing import Literal

from django.db.models import Prefetch
from ninja import Field, Router, Schema, Status

from core.api import example_page, openapi_examples, paged_list
from core.api_schemas import JsonInt, with_errors
from core.errors import ServiceError
from kompetensi import services
from kompetensi.models import Competency, CompetencyLevel

from .common import raise_http, require_hr

router = Router()

Kind = Literal["teknis", "manajerial", "sosial_kultural"]


class LevelOut(Schema):
    level: int
    description: str


class LevelIn(Schema):
    level: JsonInt = Field(..., ge=1, le=5)
    description: str = Field(..., min_length=1)


class CompetencyOut(Schema):
    code: str
    name: str
    kind: Kind
    description: str
    levels: list[LevelOut] = Field(..., description="Deskripsi tiap level, urut level 1–5.")


class CompetencyIn(Schema):
    code: str = Field(..., min_length=1, max_length=20, description="Kode unik, tanpa spasi.")
    name: str = Field(..., min_length=1, max_length=200)
    kind: Kind
    description: str = ""
    levels: list[LevelIn] = Field(
        [], max_length=5, description="Paling banyak satu deskripsi per level 1–5."
    )


COMPETENCY_EXAMPLE = {
    "code": "M.5",
    "name": "Pelayanan Publik",
    "kind": "manajerial",
    "description": (
        "Kemampuan dalam melaksanakan tugas-tugas pemerintahan, pembangunan dan kegiatan "
        "pemenuhan kebutuhan pelayanan publik secara profesional, transparan, mengikuti "
        "standar pelayanan yang objektif, netral, tidak memihak, tidak diskriminatif, serta "
        "tidak terpengaruh kepentingan pribadi/kelompok/golongan/partai politik"
    ),
    "levels": [
        {"level": 1, "description": "Menjalankan tugas mengikuti standar pelayanan"},
        {
            "level": 2,
            "description": "Mampu mensupervisi/mengawasi/menyelia dan menjelaskan proses "
            "pelaksanaan tugas-tugas pemerintahan/pelayanan publik secara transparan",
        },
    ],
}
COMPETENCY_NEW_EXAMPLE = {
    "code": "T.DUK.03",
    "name": "Pengelolaan Arsip Kependudukan",
    "kind": "teknis",
    "description": "Kemampuan menata, merawat dan menemukan kembali arsip dokumen kependudukan.",
    "levels": [
        {"level": 1, "description": "Menata arsip dokumen kependudukan dengan bimbingan."},
        {"level": 2, "description": "Mengelola arsip secara mandiri sesuai standar."},
        {"level": 3, "description": "Memperbaiki tata kelola arsip di lingkup unit."},
    ],
}


@paged_list(
    router,
    "/competencies",
    CompetencyOut,
    401,
    422,
    summary="Daftar kompetensi",
    description=(
        "Kamus kompetensi (teknis, manajerial, sosial kultural) beserta deskripsi tiap level, "
        "urut kode, berhalaman (`limit`/`offset`). Untuk setiap pengguna yang masuk."
    ),
    openapi_extra=openapi_examples({200: example_page(COMPETENCY_EXAMPLE)}),
)
def competency_list(request):
    return Competency.objects.prefetch_related(
        Prefetch("levels", queryset=CompetencyLevel.objects.order_by("level"))
    ).order_by("code")


@router.post(
    "/competencies",
    response=with_errors({201: CompetencyOut}, 401, 403, 409, 422),
    summary="Tambah kompetensi (BKPSDM)",
    description=(
        "Hanya petugas SDM tingkat kota (kamus kompetensi berlaku untuk seluruh kota). "
        "`kind`: `teknis`, `manajerial` atau `sosial_kultural`; `levels` paling banyak satu "
        "deskripsi per level 1–5. → 201. Bukan BKPSDM atau petugas unit → 403; kode sudah "
        "ada → 409; level ganda atau deskripsi kosong → 422 yang menyebut kolomnya."
    ),
    openapi_extra=openapi_examples(
        {
            201: COMPETENCY_NEW_EXAMPLE,
            403: {"detail": "Kamus kompetensi hanya dapat diubah oleh petugas SDM tingkat kota."},
            409: {"detail": "Kolom 'code': kompetensi dengan kode T.DUK.03 sudah ada."},
            422: {"detail": "Kolom 'levels.level': level 2 tercantum dua kali."},
        },
        request=COMPETENCY_NEW_EXAMPLE,
    ),
)
def competency_create(request, payload: CompetencyIn):
    require_hr(request)
    try:
        competency = services.competency_create(
            actor=request.user,
            code=payload.code,
            name=payload.name,
            kind=payload.kind,
            description=payload.description,
            levels=[lv.dict() for lv in payload.levels],
        )
    except ServiceError as error:
        raise_http(error)
    return Status(201, competency)
