"""Positions and their competency standards (BKPSDM)."""

from __future__ import annotations

from typing import Literal

from django.db.models import Prefetch
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from core.api import paged_list
from core.api_schemas import JsonInt, with_errors
from core.errors import ServiceError
from kompetensi import services
from kompetensi.models import Competency, Position, PositionRequirement

from .common import raise_http, require_hr, visible_unit

router = Router()


class RequirementSchema(Schema):
    competency_code: str
    level: JsonInt = Field(..., ge=1, le=5)


class PositionOut(Schema):
    code: str
    name: str
    kind: str
    unit_code: str | None
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
    kind: Literal[
        "jpt_utama",
        "jpt_madya",
        "jpt_pratama",
        "administrator",
        "pengawas",
        "pelaksana",
        "fungsional",
    ]
    unit_code: str | None = None
    requirements: list[RequirementSchema] = []


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
)
def position_list(request):
    require_hr(request)
    return _positions().order_by("code")


@router.post(
    "/positions",
    response=with_errors({201: PositionOut}, 401, 403, 409, 422),
    summary="Tambah jabatan dengan standar kompetensinya (BKPSDM)",
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
