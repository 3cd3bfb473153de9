"""Employees: list, add, import from CSV/XLSX, read and change."""

from __future__ import annotations

from typing import Literal

from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from core.api import paged_list
from core.api_schemas import with_errors
from core.errors import ServiceError
from kompetensi import importer, rules, selectors, services
from kompetensi.models import Employee, OrganizationUnit, Position
from kompetensi.permissions import employees_managed_by, units_visible_to

from .common import employee_qs, raise_http, require_hr, visible_employee

router = Router()


class EmployeeOut(Schema):
    nip: str
    name: str
    email: str
    employee_type: str
    unit_code: str
    position_code: str | None
    rank: str
    supervisor_nip: str | None

    @staticmethod
    def resolve_unit_code(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_position_code(obj) -> str | None:
        return obj.position.code if obj.position_id else None

    @staticmethod
    def resolve_supervisor_nip(obj) -> str | None:
        return obj.supervisor.nip if obj.supervisor_id else None


class EmployeeIn(Schema):
    nip: str
    name: str
    email: str = ""
    employee_type: Literal["PNS", "PPPK"] = "PNS"
    unit_code: str
    position_code: str | None = None
    rank: str = ""
    supervisor_nip: str | None = None


class EmployeePatch(Schema):
    name: str | None = None
    email: str | None = None
    employee_type: Literal["PNS", "PPPK"] | None = None
    unit_code: str | None = None
    position_code: str | None = None
    rank: str | None = None
    supervisor_nip: str | None = None


def _unit_for(request, code: str) -> OrganizationUnit:
    unit = units_visible_to(request.user).filter(code=code).first()
    if unit is None:
        raise HttpError(422, "Kolom 'unit_code': unit kerja tidak ditemukan.")
    return unit


def _position_for(code: str | None) -> Position | None:
    if not code:
        return None
    position = Position.objects.filter(code=code).first()
    if position is None:
        raise HttpError(422, "Kolom 'position_code': jabatan tidak ditemukan.")
    return position


def _supervisor_for(nip: str | None) -> Employee | None:
    if not nip:
        return None
    supervisor = Employee.objects.filter(nip=rules.normalise_nip(nip)).first()
    if supervisor is None:
        raise HttpError(422, "Kolom 'supervisor_nip': pegawai atasan tidak ditemukan.")
    return supervisor


@paged_list(
    router,
    "/employees",
    EmployeeOut,
    401,
    403,
    422,
    summary="Daftar pegawai (BKPSDM)",
)
def employee_list(request, unit_code: str | None = None, q: str = ""):
    require_hr(request)
    qs = employees_managed_by(request.user)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return selectors.employee_list(qs, search=q.strip())


@router.post(
    "/employees",
    response=with_errors({201: EmployeeOut}, 401, 403, 409, 422),
    summary="Tambah pegawai (membuat akun dengan username = NIP)",
)
def employee_create(request, payload: EmployeeIn):
    require_hr(request)
    unit = _unit_for(request, payload.unit_code)
    try:
        employee = services.employee_create(
            actor=request.user,
            nip=payload.nip,
            name=payload.name,
            email=payload.email,
            employee_type=payload.employee_type,
            unit=unit,
            position=_position_for(payload.position_code),
            rank=payload.rank,
            supervisor=_supervisor_for(payload.supervisor_nip),
        )
    except ServiceError as error:
        raise_http(error)
    return Status(201, employee_qs().get(pk=employee.pk))


class EmployeeImportErrorOut(Schema):
    row: int = Field(..., description="Nomor baris di berkas (baris judul = 1).")
    field: str = Field(..., description="Kolom pegawai yang salah (nama seperti pada EmployeeOut).")
    detail: str


class EmployeeImportChangeOut(Schema):
    nip: str
    field: str = Field(
        ...,
        description="name, employee_type, unit_code, position_code, rank, email, supervisor_nip",
    )
    old: str | None = Field(
        ..., description="Nilai tersimpan; null untuk pegawai baru atau nilai kosong."
    )
    new: str | None


class EmployeeImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    errors: list[EmployeeImportErrorOut]
    changes: list[EmployeeImportChangeOut]


IMPORT_DESCRIPTION = """Berkas `file` (multipart, CSV atau XLSX, maksimal 8 MB) dengan kolom
impor pegawai di web: **NIP** (wajib), nama, unit kerja (kode/nama), jabatan (kode/nama),
golongan, email, NIP atasan, jenis ASN.

* Kolom yang tidak ada di berkas tidak mengubah data tersimpan. Sel kosong = tidak diubah;
  sel berisi `-` saja mengosongkan email, jabatan, golongan, atau NIP atasan. Pegawai baru
  wajib punya nama dan unit kerja.
* Baris untuk pegawai yang unit kerjanya (saat ini atau tujuan) di luar cakupan pemanggil
  adalah kesalahan; begitu pula perubahan email akun yang memegang peran.
* `dry_run=true` (bawaan): hanya memeriksa, tidak menulis apa pun; 200 dengan `errors` dan
  `changes` (untuk pegawai baru `old` = null).
* `dry_run=false`: semua atau tidak sama sekali. Tanpa kesalahan: ditulis, 200. Ada kesalahan:
  tidak ada yang ditulis, 422 dengan isi yang sama ditambah `detail`.
* Berkas yang tidak dapat dibaca (bukan CSV/XLSX, kosong, terlalu besar, tanpa kolom NIP):
  422 dengan `detail`. Bukan BKPSDM dengan cakupan unit: 403."""


_IMPORT_FILE = File(..., description="Berkas CSV atau XLSX.")
_IMPORT_DRY_RUN = Query(True, description="true (bawaan): hanya periksa; false: impor.")


@router.post(
    "/employees/import",
    response=with_errors({200: EmployeeImportOut}, 401, 403, 422),
    summary="Impor pegawai dari CSV/XLSX, dengan uji coba (BKPSDM)",
    description=IMPORT_DESCRIPTION,
)
def employee_import(request, file: UploadedFile = _IMPORT_FILE, dry_run: bool = _IMPORT_DRY_RUN):
    if file.size is not None and file.size > importer.MAX_BYTES:
        raise HttpError(422, "Kolom 'file': berkas lebih dari 8 MB.")
    try:
        plan = importer.import_employees(file.read(), actor=request.user, dry_run=dry_run)
    except ServiceError as error:
        raise_http(error)
    except importer.ImportFileError as error:
        raise HttpError(422, f"Kolom 'file': {error}.") from None
    body = plan.as_dict()
    if not dry_run and not plan.committed:
        detail = (
            f"Berkas berisi {len(plan.errors)} baris yang salah (lihat 'errors'); "
            "tidak ada yang diimpor."
        )
        return Status(422, {"detail": detail, **body})
    return body


@router.get(
    "/employees/{nip}",
    response=with_errors({200: EmployeeOut}, 401, 403, 404),
    summary="Data pegawai",
)
def employee_detail(request, nip: str):
    return visible_employee(request, nip)


@router.patch(
    "/employees/{nip}",
    response=with_errors({200: EmployeeOut}, 401, 403, 404, 409, 422),
    summary="Ubah data pegawai (BKPSDM)",
)
def employee_patch(request, nip: str, payload: EmployeePatch):
    employee = visible_employee(request, nip)
    data = payload.dict(exclude_unset=True)
    changes: dict = {}
    for key in ("name", "email", "employee_type", "rank"):
        if key in data:
            if data[key] is None:
                raise HttpError(422, f"Kolom '{key}': tidak boleh kosong.")
            changes[key] = data[key]
    if "unit_code" in data:
        if not data["unit_code"]:
            raise HttpError(422, "Kolom 'unit_code': tidak boleh kosong.")
        changes["unit"] = _unit_for(request, data["unit_code"])
    if "position_code" in data:
        changes["position"] = _position_for(data["position_code"])
    if "supervisor_nip" in data:
        changes["supervisor"] = _supervisor_for(data["supervisor_nip"])
    try:
        services.employee_update(actor=request.user, employee=employee, **changes)
    except ServiceError as error:
        if error.field == "supervisor":
            error.field = "supervisor_nip"
        raise_http(error)
    return Status(200, employee_qs().get(pk=employee.pk))
