"""Organisation units: list, create, rename or move (BKPSDM)."""

from __future__ import annotations

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from core.api import example_page, openapi_examples, paged_list
from core.api_schemas import with_errors
from core.errors import ServiceError
from kompetensi import services
from kompetensi.models import OrganizationUnit
from kompetensi.permissions import units_visible_to

from .common import HR_ONLY, NOT_FOUND, UnitCodePath, raise_http, require_hr, visible_unit

router = Router()

UNIT_EXAMPLE = {
    "code": "DISDUKCAPIL-01",
    "name": "Bidang Pelayanan Pendaftaran Penduduk",
    "parent_code": "DISDUKCAPIL",
}
UNIT_NEW_EXAMPLE = {
    "code": "DISDUKCAPIL-03",
    "name": "Bidang Pemanfaatan Data dan Inovasi Pelayanan",
    "parent_code": "DISDUKCAPIL",
}


class UnitIn(Schema):
    code: str = Field(
        ..., min_length=1, max_length=40, description="Kode unit: unik, tanpa spasi dan '/'."
    )
    name: str = Field(..., min_length=1, max_length=200)
    parent_code: str | None = Field(
        None,
        max_length=40,
        description="Kode unit induk; kosong/null = unit tingkat teratas (SDM tingkat kota).",
    )


class UnitOut(Schema):
    code: str
    name: str
    parent_code: str | None = Field(..., description="null = unit tingkat teratas.")

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


@paged_list(
    router,
    "/units",
    UnitOut,
    401,
    403,
    422,
    summary="Daftar unit organisasi (BKPSDM)",
    description=(
        "Petugas BKPSDM: unit-unit dalam cakupannya (petugas tingkat kota: seluruh kota), "
        "urut menurut pohon unit (induk sebelum sub-unitnya), berhalaman (`limit`/`offset`). "
        "Bukan BKPSDM → 403."
    ),
    openapi_extra=openapi_examples(
        {
            200: example_page(
                {
                    "code": "DISDUKCAPIL",
                    "name": "Dinas Kependudukan dan Pencatatan Sipil",
                    "parent_code": None,
                },
                UNIT_EXAMPLE,
            ),
            403: {"detail": HR_ONLY},
        }
    ),
)
def unit_list(request):
    require_hr(request)
    return units_visible_to(request.user).select_related("parent").order_by("path")


@router.post(
    "/units",
    response=with_errors({201: UnitOut}, 401, 403, 409, 422),
    summary="Tambah unit organisasi (BKPSDM)",
    description=(
        "Petugas BKPSDM menambah unit di bawah unit dalam cakupannya; unit tingkat teratas "
        "(tanpa `parent_code`) hanya oleh petugas SDM tingkat kota. `code` unik (maks. 40 "
        "karakter, tanpa spasi dan '/'). → 201. Bukan BKPSDM atau induk di luar wewenang → 403; "
        "kode sudah dipakai → 409; `parent_code` tidak dikenal → 422."
    ),
    openapi_extra=openapi_examples(
        {
            201: UNIT_NEW_EXAMPLE,
            403: {"detail": HR_ONLY},
            409: {"detail": "Kolom 'code': unit dengan kode DISDUKCAPIL-03 sudah ada."},
            422: {"detail": "Kolom 'parent_code': unit tidak ditemukan."},
        },
        request=UNIT_NEW_EXAMPLE,
    ),
)
def unit_create(request, payload: UnitIn):
    require_hr(request)
    parent = None
    if payload.parent_code:
        parent = visible_unit(request, payload.parent_code, "parent_code")
    try:
        unit = services.unit_create(
            actor=request.user, code=payload.code, name=payload.name, parent=parent
        )
    except ServiceError as error:
        raise_http(error)
    return Status(201, unit)


class UnitPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    parent_code: str | None = Field(
        None,
        min_length=1,
        max_length=40,
        description="Kode unit induk baru; null = unit tingkat teratas (hanya SDM tingkat kota).",
    )


@router.patch(
    "/units/{code}",
    response=with_errors({200: UnitOut}, 401, 403, 404, 422),
    summary="Ubah nama atau pindahkan unit organisasi (BKPSDM unit induknya)",
    description=(
        "`{name?, parent_code?}`. Mengganti nama butuh kewenangan atas unit induknya (SDM "
        "tingkat kota untuk unit teratas), jadi petugas tidak dapat mengubah unit akar "
        "cakupannya sendiri. Memindahkan butuh kewenangan atas induk lama dan induk baru; "
        "seluruh sub-unit ikut pindah. Unit yang tidak terlihat → 404; terlihat tetapi tidak "
        "berwenang → 403; memindahkan unit ke bawah dirinya sendiri atau sub-unitnya, atau "
        "induk yang tidak dikenal → 422."
    ),
    openapi_extra=openapi_examples(
        {
            200: {**UNIT_EXAMPLE, "name": "Bidang Pelayanan Pendaftaran Penduduk dan KTP-el"},
            403: {
                "detail": "Unit ini hanya dapat diubah oleh petugas SDM yang membawahi unit "
                "induknya."
            },
            404: {"detail": NOT_FOUND},
            422: {
                "detail": "Kolom 'parent_code': unit tidak dapat dipindahkan ke bawah dirinya "
                "sendiri atau sub-unitnya."
            },
        },
        request={"name": "Bidang Pelayanan Pendaftaran Penduduk dan KTP-el"},
    ),
)
def unit_patch(request, code: UnitCodePath, payload: UnitPatch):
    unit = units_visible_to(request.user).filter(code=code).first()
    if unit is None:
        raise HttpError(404, NOT_FOUND)
    data = payload.dict(exclude_unset=True)
    changes: dict = {}
    if "name" in data:
        if data["name"] is None:
            raise HttpError(422, "Kolom 'name': tidak boleh kosong.")
        changes["name"] = data["name"]
    if "parent_code" in data:
        code_ = data["parent_code"]
        changes["parent"] = visible_unit(request, code_, "parent_code") if code_ else None
    try:
        unit = services.unit_update(actor=request.user, unit=unit, **changes)
    except ServiceError as error:
        raise_http(error)
    return Status(200, OrganizationUnit.objects.select_related("parent").get(pk=unit.pk))
