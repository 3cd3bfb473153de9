"""HR scopes: which units a BKPSDM officer administers (city-wide HR and superusers)."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from core.api import example_page, openapi_examples, paged_list
from core.api_schemas import id_or_404, with_errors
from core.errors import ServiceError
from kompetensi import services
from kompetensi.models import HrScope, OrganizationUnit
from kompetensi.permissions import can_manage_hr_scopes

from .common import NOT_FOUND, raise_http

router = Router()


SCOPE_ADMIN_ONLY = (
    "Hanya petugas SDM tingkat kota dan superuser yang dapat mengatur cakupan petugas."
)


class HrScopeOut(Schema):
    id: int
    username: str
    unit_code: str | None = Field(..., description="null = seluruh kota")

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_unit_code(obj) -> str | None:
        return obj.unit.code if obj.unit_id else None


class HrScopeIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    unit_code: str | None = Field(
        None, min_length=1, max_length=40, description="null = seluruh kota"
    )


HR_SCOPE_EXAMPLE = {"id": 1, "username": "hr", "unit_code": None}
HR_SCOPE_UNIT_EXAMPLE = {"id": 7, "username": "atasan", "unit_code": "DISDUKCAPIL"}
ScopeIdPath = Annotated[int, Path(..., description="Id baris cakupan.", example=7)]
_USERNAME = Query("", max_length=150, description="Hanya cakupan petugas ini (username).")


def _require_scope_admin(request) -> None:
    if not can_manage_hr_scopes(request.user):
        raise HttpError(403, SCOPE_ADMIN_ONLY)


@paged_list(
    router,
    "/hr-scopes",
    HrScopeOut,
    401,
    403,
    422,
    summary="Daftar cakupan petugas SDM (SDM tingkat kota, superuser)",
    description=(
        "Satu baris per unit yang dikelola seorang petugas BKPSDM (unit itu beserta seluruh "
        "sub-unitnya); `unit_code: null` = seluruh kota. Petugas tanpa baris tidak mengelola "
        "apa pun. Opsional `username=` menyaring satu petugas. Selain SDM tingkat kota dan "
        "superuser → 403."
    ),
    openapi_extra=openapi_examples(
        {
            200: example_page(HR_SCOPE_EXAMPLE, HR_SCOPE_UNIT_EXAMPLE),
            403: {"detail": SCOPE_ADMIN_ONLY},
        }
    ),
)
def hr_scope_list(request, username: str = _USERNAME):
    _require_scope_admin(request)
    qs = HrScope.objects.select_related("user", "unit").order_by("user__username", "unit__path")
    if username:
        qs = qs.filter(user__username=username)
    return qs


@router.post(
    "/hr-scopes",
    response=with_errors({201: HrScopeOut, 200: HrScopeOut}, 401, 403, 422),
    summary="Beri petugas cakupan unit (SDM tingkat kota, superuser)",
    description=(
        "`{username, unit_code | null}`: petugas mengelola unit itu beserta sub-unitnya, atau "
        "seluruh kota bila `unit_code` null; bila belum anggota BKPSDM, ia ditambahkan ke "
        "grup itu. → 201 dengan baris baru. Cakupan yang sudah dimiliki → 200 dengan baris "
        "yang ada (tidak digandakan). Username atau unit tidak dikenal → 422 yang menyebut "
        "kolomnya. Setiap pemberian dicatat di log audit. Selain SDM tingkat kota dan "
        "superuser → 403."
    ),
    openapi_extra=openapi_examples(
        {
            201: HR_SCOPE_UNIT_EXAMPLE,
            200: HR_SCOPE_UNIT_EXAMPLE,
            403: {"detail": SCOPE_ADMIN_ONLY},
            422: {"detail": "Kolom 'username': pengguna tidak ditemukan atau tidak aktif."},
        },
        request={"username": "atasan", "unit_code": "DISDUKCAPIL"},
    ),
)
def hr_scope_create(request, payload: HrScopeIn):
    from django.contrib.auth import get_user_model

    _require_scope_admin(request)
    User = get_user_model()
    user = User.objects.filter(username=payload.username, is_active=True).first()
    if user is None:
        raise HttpError(422, "Kolom 'username': pengguna tidak ditemukan atau tidak aktif.")
    unit = None
    if payload.unit_code:
        unit = OrganizationUnit.objects.filter(code=payload.unit_code).first()
        if unit is None:
            raise HttpError(422, "Kolom 'unit_code': unit tidak ditemukan.")
    existed = HrScope.objects.filter(user=user, unit=unit).exists()
    try:
        scope = services.hr_scope_grant(actor=request.user, user=user, unit=unit)
    except ServiceError as error:
        raise_http(error)
    scope = HrScope.objects.select_related("user", "unit").get(pk=scope.pk)
    return Status(200 if existed else 201, scope)


@router.delete(
    "/hr-scopes/{scope_id}",
    response=with_errors({204: None}, 401, 403, 404),
    summary="Cabut satu cakupan petugas (SDM tingkat kota, superuser)",
    description=(
        "→ 204. Id tidak dikenal → 404. Petugas tanpa baris cakupan tersisa tidak lagi "
        "mengelola apa pun. Setiap pencabutan dicatat di log audit. Selain SDM tingkat kota "
        "dan superuser → 403."
    ),
    openapi_extra=openapi_examples({403: {"detail": SCOPE_ADMIN_ONLY}, 404: {"detail": NOT_FOUND}}),
)
def hr_scope_delete(request, scope_id: ScopeIdPath):
    _require_scope_admin(request)
    scope = HrScope.objects.select_related("user", "unit").filter(pk=id_or_404(scope_id)).first()
    if scope is None:
        raise HttpError(404, NOT_FOUND)
    try:
        services.hr_scope_revoke(actor=request.user, scope=scope)
    except ServiceError as error:
        raise_http(error)
    return Status(204, None)
