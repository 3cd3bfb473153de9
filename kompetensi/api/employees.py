"""Employees: list, add, import from CSV/XLSX, read and change."""

from __future__ import annotations

from typing import Literal

from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from core.api import example_page, openapi_examples, paged_list
from core.api_schemas import EXAMPLE_NIP, EXAMPLE_SUPERVISOR_NIP, EXAMPLE_UNIT, with_errors
from core.errors import ServiceError
from kompetensi import importer, rules, selectors, services
from kompetensi.models import Employee, OrganizationUnit, Position
from kompetensi.permissions import employees_managed_by, units_visible_to

from .common import (
    HR_ONLY,
    NOT_FOUND,
    NipPath,
    employee_qs,
    raise_http,
    require_hr,
    visible_employee,
)

router = Router()

EmployeeType = Literal["PNS", "PPPK"]
#: A NIP as the API accepts it: 18 digits, whitespace anywhere ignored.
NIP_PATTERN = r"^\s*([0-9]\s*){18}$"

EMPLOYEE_EXAMPLE = {
    "nip": EXAMPLE_NIP,
    "name": "Rizki Maulana, S.Kom.",
    "email": "rizki.maulana@serangkota.go.id",
    "employee_type": "PNS",
    "unit_code": EXAMPLE_UNIT,
    "position_code": "DISDUKCAPIL.PETUGAS",
    "rank": "III/a",
    "supervisor_nip": EXAMPLE_SUPERVISOR_NIP,
}
EMPLOYEE_NEW_EXAMPLE = {
    "nip": "199901152024011001",
    "name": "Dimas Ardiansyah, S.Kom.",
    "email": "dimas.ardiansyah@serangkota.go.id",
    "employee_type": "PNS",
    "unit_code": EXAMPLE_UNIT,
    "position_code": "DISDUKCAPIL.PETUGAS",
    "rank": "III/a",
    "supervisor_nip": EXAMPLE_SUPERVISOR_NIP,
}


class EmployeeOut(Schema):
    nip: str = Field(..., description="NIP, 18 digit.")
    name: str
    email: str
    employee_type: EmployeeType
    unit_code: str
    position_code: str | None
    rank: str = Field(..., description="Golongan/ruang, mis. `III/a` (PPPK: `I`..`XVII`).")
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
    nip: str = Field(
        ...,
        pattern=NIP_PATTERN,
        description="NIP, 18 digit (spasi diabaikan); tanggal lahir dan TMT di dalamnya diperiksa.",
    )
    name: str = Field(..., min_length=1, max_length=200, description="Nama lengkap dengan gelar.")
    email: str = Field("", max_length=254)
    employee_type: EmployeeType = "PNS"
    unit_code: str = Field(..., min_length=1, max_length=40)
    position_code: str | None = Field(None, max_length=40)
    rank: str = Field("", max_length=20, description="Golongan/ruang, mis. `III/a`.")
    supervisor_nip: str | None = Field(None, max_length=40, description="NIP atasan langsung.")


class EmployeePatch(Schema):
    """Only the fields sent change; ``null`` or ``""`` clears ``position_code`` and
    ``supervisor_nip``."""

    name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)
    employee_type: EmployeeType | None = None
    unit_code: str | None = Field(None, max_length=40)
    position_code: str | None = Field(None, max_length=40)
    rank: str | None = Field(None, max_length=20)
    supervisor_nip: str | None = Field(None, max_length=40)


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


_LIST_UNIT = Query(None, max_length=40, description="Hanya pegawai unit ini (kode unit).")
_LIST_SEARCH = Query("", max_length=100, description="Potongan nama atau NIP.")


@paged_list(
    router,
    "/employees",
    EmployeeOut,
    401,
    403,
    422,
    summary="Daftar pegawai (BKPSDM)",
    description=(
        "Petugas BKPSDM: pegawai unit-unit dalam cakupannya (petugas tingkat kota: seluruh "
        "kota), berhalaman (`limit`/`offset`). Saringan opsional: `unit_code` (hanya unit itu) "
        "dan `q` (potongan nama atau NIP). Bukan BKPSDM → 403."
    ),
    openapi_extra=openapi_examples({200: example_page(EMPLOYEE_EXAMPLE), 403: {"detail": HR_ONLY}}),
)
def employee_list(request, unit_code: str | None = _LIST_UNIT, q: str = _LIST_SEARCH):
    require_hr(request)
    qs = employees_managed_by(request.user)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return selectors.employee_list(qs, search=q.strip())


@router.post(
    "/employees",
    response=with_errors({201: EmployeeOut}, 401, 403, 409, 422),
    summary="Tambah pegawai (membuat akun dengan username = NIP)",
    description=(
        "Petugas BKPSDM yang cakupannya meliputi `unit_code`. Membuat juga akun pegawai "
        "(username = NIP, belum dapat masuk sampai diaktifkan). NIP diperiksa (18 digit, "
        "tanggal lahir dan TMT CPNS yang sah); `rank` harus golongan yang ada untuk "
        "`employee_type` (PNS `I/a`..`IV/e`, PPPK `I`..`XVII`). → 201. Bukan BKPSDM atau unit "
        "di luar cakupan → 403; NIP sudah terdaftar → 409; NIP, golongan, unit, jabatan atau "
        "atasan yang tidak sah → 422 yang menyebut kolomnya."
    ),
    openapi_extra=openapi_examples(
        {
            201: EMPLOYEE_NEW_EXAMPLE,
            403: {"detail": HR_ONLY},
            409: {"detail": "Kolom 'nip': pegawai dengan NIP 199901152024011001 sudah terdaftar."},
            422: {"detail": "Kolom 'nip': tanggal lahir pada NIP tidak valid."},
        },
        request=EMPLOYEE_NEW_EXAMPLE,
    ),
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
IMPORT_CSV_EXAMPLE = (
    "NIP,Nama,Unit Kerja,Jabatan,Golongan,Email,NIP Atasan,Jenis ASN\n"
    f'199901152024011001,"Dimas Ardiansyah, S.Kom.",{EXAMPLE_UNIT},DISDUKCAPIL.PETUGAS,'
    f"III/a,dimas.ardiansyah@serangkota.go.id,{EXAMPLE_SUPERVISOR_NIP},PNS\n"
)
IMPORT_PLAN_EXAMPLE = {
    "created": 1,
    "updated": 0,
    "unchanged": 0,
    "errors": [],
    "changes": [
        {
            "nip": "199901152024011001",
            "field": "name",
            "old": None,
            "new": "Dimas Ardiansyah, S.Kom.",
        },
        {"nip": "199901152024011001", "field": "unit_code", "old": None, "new": EXAMPLE_UNIT},
    ],
}
_IMPORT_DRY_RUN = Query(True, description="true (bawaan): hanya periksa; false: impor.")


@router.post(
    "/employees/import",
    response=with_errors({200: EmployeeImportOut}, 401, 403, 422),
    summary="Impor pegawai dari CSV/XLSX, dengan uji coba (BKPSDM)",
    description=IMPORT_DESCRIPTION,
    openapi_extra=openapi_examples(
        {
            200: IMPORT_PLAN_EXAMPLE,
            403: {"detail": HR_ONLY},
            422: {
                "detail": "Berkas berisi 1 baris yang salah (lihat 'errors'); tidak ada yang "
                "diimpor.",
                "created": 0,
                "updated": 0,
                "unchanged": 0,
                "errors": [{"row": 2, "field": "nip", "detail": "NIP wajib diisi"}],
                "changes": [],
            },
        },
        request={"file": IMPORT_CSV_EXAMPLE},
        request_type="multipart/form-data",
    ),
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
    description=(
        "Petugas BKPSDM yang cakupannya meliputi unit pegawai, pegawai itu sendiri, dan atasan "
        "langsungnya. Pegawai lain (atau NIP yang tidak ada) → 404: jawabannya tidak "
        "membedakan keduanya."
    ),
    openapi_extra=openapi_examples({200: EMPLOYEE_EXAMPLE, 404: {"detail": NOT_FOUND}}),
)
def employee_detail(request, nip: NipPath):
    return visible_employee(request, nip)


@router.patch(
    "/employees/{nip}",
    response=with_errors({200: EmployeeOut}, 401, 403, 404, 409, 422),
    summary="Ubah data pegawai (BKPSDM)",
    description=(
        "Petugas BKPSDM yang cakupannya meliputi unit pegawai (memindahkan ke unit lain: juga "
        "unit tujuannya). Hanya kolom yang dikirim yang berubah; `position_code` atau "
        "`supervisor_nip` berisi null/kosong mengosongkannya. E-mail akun yang memegang peran "
        "hanya dapat diubah oleh superuser atau pemiliknya. Pegawai yang tidak terlihat → 404; "
        "terlihat tetapi di luar wewenang → 403; nilai tidak sah (atasan melingkar, golongan "
        "tidak dikenal, unit di luar cakupan) → 422 yang menyebut kolomnya."
    ),
    openapi_extra=openapi_examples(
        {
            200: {**EMPLOYEE_EXAMPLE, "rank": "III/b"},
            403: {"detail": "Pegawai ini di luar cakupan kewenangan Anda."},
            404: {"detail": NOT_FOUND},
            422: {
                "detail": "Kolom 'rank': golongan/ruang PNS “V/z” tidak dikenal; gunakan I/a "
                "sampai IV/e."
            },
        },
        request={"rank": "III/b"},
    ),
)
def employee_patch(request, nip: NipPath, payload: EmployeePatch):
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
