"""The competency dictionary: list and add competencies with their levels."""

from __future__ import annotations

from typing import Literal

from django.db.models import Prefetch
from ninja import Field, Router, Schema, Status

from core.api import paged_list
from core.api_schemas import JsonInt, with_errors
from core.errors import ServiceError
from kompetensi import services
from kompetensi.models import Competency, CompetencyLevel

from .common import raise_http, require_hr

router = Router()


class LevelOut(Schema):
    level: int
    description: str


class LevelIn(Schema):
    level: JsonInt = Field(..., ge=1, le=5)
    description: str = Field(..., min_length=1)


class CompetencyOut(Schema):
    code: str
    name: str
    kind: str
    description: str
    levels: list[LevelOut]


class CompetencyIn(Schema):
    code: str = Field(..., min_length=1, max_length=20)
    name: str = Field(..., min_length=1, max_length=200)
    kind: Literal["teknis", "manajerial", "sosial_kultural"]
    description: str = ""
    levels: list[LevelIn] = []


@paged_list(
    router,
    "/competencies",
    CompetencyOut,
    401,
    422,
    summary="Daftar kompetensi",
)
def competency_list(request):
    return Competency.objects.prefetch_related(
        Prefetch("levels", queryset=CompetencyLevel.objects.order_by("level"))
    ).order_by("code")


@router.post(
    "/competencies",
    response=with_errors({201: CompetencyOut}, 401, 403, 409, 422),
    summary="Tambah kompetensi (BKPSDM)",
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
