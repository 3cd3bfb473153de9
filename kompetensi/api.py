"""REST endpoints of the kompetensi app (see ../shared/design/API.md): units, competencies,
positions, employees, periods, evaluations, an employee's competency profile, summary and SKP.

Who may do what is decided in ``permissions.py`` and enforced by the service that performs
the write (``services.py``, which gets ``actor=request.user``): an endpoint only finds the
objects the caller may see (404 otherwise, 422 for a reference in the body) and maps the
service's error to its status. An employee or unit the caller may not see is 404; a visible
one they may not change is 403."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.db.models import Prefetch
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from core.api_schemas import JsonInt, Pagination, id_or_404, with_errors
from core.errors import ServiceError
from core.roles import is_hr

from . import importer, rules, selectors, services
from .models import (
    Competency,
    CompetencyLevel,
    Employee,
    EvaluationPeriod,
    HrScope,
    OrganizationUnit,
    Position,
    PositionRequirement,
)
from .permissions import (
    can_manage_hr_scopes,
    can_view_employee,
    employees_managed_by,
    units_visible_to,
)

router = Router(tags=["kompetensi"])

NOT_FOUND = "Data tidak ditemukan."


def _raise(error: ServiceError):
    raise HttpError(error.status, error.detail)


def _require_hr(request) -> None:
    """The HR-only resources: 403 for every other role (each write's service decides the
    rest: which units, which acts)."""
    if not is_hr(request.user):
        raise HttpError(403, "Hanya BKPSDM yang dapat mengakses data ini.")


def _visible_unit(request, code: str, field: str) -> OrganizationUnit:
    """A unit named in a request body: one the caller may see, else 422 naming ``field``
    (whether a unit outside their scope exists is not told)."""
    unit = units_visible_to(request.user).filter(code=code).first()
    if unit is None:
        raise HttpError(422, f"Kolom '{field}': unit tidak ditemukan.")
    return unit


# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------


class UnitIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    parent_code: str | None = None


class UnitOut(Schema):
    code: str
    name: str
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


@router.get(
    "/units",
    response=with_errors({200: list[UnitOut]}, 401, 403, 422),
    summary="Daftar unit organisasi (BKPSDM)",
)
@paginate(Pagination)
def unit_list(request):
    _require_hr(request)
    return units_visible_to(request.user).select_related("parent").order_by("path")


@router.post(
    "/units",
    response=with_errors({201: UnitOut}, 401, 403, 409, 422),
    summary="Tambah unit organisasi (BKPSDM)",
)
def unit_create(request, payload: UnitIn):
    _require_hr(request)
    parent = None
    if payload.parent_code:
        parent = _visible_unit(request, payload.parent_code, "parent_code")
    try:
        unit = services.unit_create(
            actor=request.user, code=payload.code, name=payload.name, parent=parent
        )
    except ServiceError as error:
        _raise(error)
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
)
def unit_patch(request, code: str, payload: UnitPatch):
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
        changes["parent"] = _visible_unit(request, code_, "parent_code") if code_ else None
    try:
        unit = services.unit_update(actor=request.user, unit=unit, **changes)
    except ServiceError as error:
        _raise(error)
    return Status(200, OrganizationUnit.objects.select_related("parent").get(pk=unit.pk))


# ---------------------------------------------------------------------------------------------
# Competencies
# ---------------------------------------------------------------------------------------------


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


@router.get(
    "/competencies",
    response=with_errors({200: list[CompetencyOut]}, 401, 422),
    summary="Daftar kompetensi",
)
@paginate(Pagination)
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
    _require_hr(request)
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
        _raise(error)
    return Status(201, competency)


# ---------------------------------------------------------------------------------------------
# Positions
# ---------------------------------------------------------------------------------------------


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


@router.get(
    "/positions",
    response=with_errors({200: list[PositionOut]}, 401, 403, 422),
    summary="Daftar jabatan (BKPSDM)",
)
@paginate(Pagination)
def position_list(request):
    _require_hr(request)
    return _positions().order_by("code")


@router.post(
    "/positions",
    response=with_errors({201: PositionOut}, 401, 403, 409, 422),
    summary="Tambah jabatan dengan standar kompetensinya (BKPSDM)",
)
def position_create(request, payload: PositionIn):
    _require_hr(request)
    unit = _visible_unit(request, payload.unit_code, "unit_code") if payload.unit_code else None
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
        _raise(error)
    return Status(201, _positions().get(pk=position.pk))


# ---------------------------------------------------------------------------------------------
# Employees
# ---------------------------------------------------------------------------------------------


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


def _employee_qs():
    return Employee.objects.select_related("unit", "position", "supervisor")


def _visible_employee(request, nip: str) -> Employee:
    """The employee if the caller may see them (HR of their unit, themself, their direct
    supervisor); otherwise 404, so the answer does not reveal whether the NIP exists."""
    employee = _employee_qs().filter(nip=rules.normalise_nip(nip)).first()
    if employee is None or not can_view_employee(request.user, employee):
        raise HttpError(404, NOT_FOUND)
    return employee


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


@router.get(
    "/employees",
    response=with_errors({200: list[EmployeeOut]}, 401, 403, 422),
    summary="Daftar pegawai (BKPSDM)",
)
@paginate(Pagination)
def employee_list(request, unit_code: str | None = None, q: str = ""):
    _require_hr(request)
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
    _require_hr(request)
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
        _raise(error)
    return Status(201, _employee_qs().get(pk=employee.pk))


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
        _raise(error)
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
    return _visible_employee(request, nip)


@router.patch(
    "/employees/{nip}",
    response=with_errors({200: EmployeeOut}, 401, 403, 404, 409, 422),
    summary="Ubah data pegawai (BKPSDM)",
)
def employee_patch(request, nip: str, payload: EmployeePatch):
    employee = _visible_employee(request, nip)
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
        _raise(error)
    return Status(200, _employee_qs().get(pk=employee.pk))


# ---------------------------------------------------------------------------------------------
# Periods and evaluations
# ---------------------------------------------------------------------------------------------


class PeriodIn(Schema):
    code: str = Field(..., min_length=1, max_length=20)
    name: str = Field(..., min_length=1, max_length=200)
    start: date
    end: date
    is_open: bool = Field(True, strict=True)


class PeriodOut(Schema):
    code: str
    name: str
    start: date
    end: date
    is_open: bool


@router.post(
    "/periods",
    response=with_errors({201: PeriodOut}, 401, 403, 409, 422),
    summary="Buka periode penilaian (BKPSDM)",
)
def period_create(request, payload: PeriodIn):
    _require_hr(request)
    try:
        period = services.period_create(actor=request.user, **payload.dict())
    except ServiceError as error:
        _raise(error)
    return Status(201, period)


class ScoreIn(Schema):
    competency_code: str
    level: JsonInt


class EvaluationIn(Schema):
    employee_nip: str
    period_code: str
    source: Literal["self", "supervisor", "peer", "assessment"]
    scores: list[ScoreIn]
    finalize: bool = Field(False, strict=True)


class EvaluationOut(Schema):
    id: int
    status: str


@router.post(
    "/evaluations",
    response=with_errors({201: EvaluationOut}, 401, 403, 404, 409, 422),
    summary="Simpan penilaian kompetensi (opsional: finalkan)",
)
def evaluation_create(request, payload: EvaluationIn):
    employee = _visible_employee(request, payload.employee_nip)
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
    for score in payload.scores:
        if not 1 <= score.level <= 5:
            raise HttpError(
                422, f"Kolom 'scores.level': level {score.competency_code} harus 1 sampai 5."
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
        _raise(error)
    return Status(201, {"id": evaluation.pk, "status": evaluation.status})


# ---------------------------------------------------------------------------------------------
# Profile, summary, SKP
# ---------------------------------------------------------------------------------------------


class ProfileOut(Schema):
    competency_code: str
    kind: str
    required_level: int | None
    assessed_level: int | None
    gap: int | None
    source: str | None
    as_of: date | None


@router.get(
    "/employees/{nip}/competencies",
    response=with_errors({200: list[ProfileOut]}, 401, 403, 404),
    summary="Profil kompetensi pegawai: dibutuhkan, hasil penilaian, kesenjangan",
)
def employee_competencies(request, nip: str):
    employee = _visible_employee(request, nip)
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
    hasil_kerja: str
    perilaku_kerja: str
    predicate: str


class SummaryOut(Schema):
    jpm: float | None
    ikk: float | None
    jpm_category: str | None
    jp_this_year: int
    jp_target: int
    open_needs: int
    skp: SkpOut | None


@router.get(
    "/employees/{nip}/summary",
    response=with_errors({200: SummaryOut}, 401, 403, 404),
    summary="Ringkasan: JPM, IKK, JP, SKP",
)
def employee_summary(request, nip: str):
    return selectors.employee_summary(_visible_employee(request, nip))


class SkpIn(Schema):
    period_code: str
    hasil_kerja: Literal["di_atas", "sesuai", "di_bawah"]
    perilaku_kerja: Literal["di_atas", "sesuai", "di_bawah"]


class PredicateOut(Schema):
    predicate: str


@router.post(
    "/employees/{nip}/skp",
    response=with_errors({200: PredicateOut}, 401, 403, 404, 409, 422),
    summary="Catat hasil SKP periode dari e-Kinerja (BKPSDM)",
)
def employee_skp(request, nip: str, payload: SkpIn):
    employee = _visible_employee(request, nip)
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
        _raise(error)
    return Status(200, {"predicate": result.predicate})


# ---------------------------------------------------------------------------------------------
# HR scopes: which units a BKPSDM officer administers (city-wide HR and superusers)
# ---------------------------------------------------------------------------------------------

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


def _require_scope_admin(request) -> None:
    if not can_manage_hr_scopes(request.user):
        raise HttpError(403, SCOPE_ADMIN_ONLY)


@router.get(
    "/hr-scopes",
    response=with_errors({200: list[HrScopeOut]}, 401, 403, 422),
    summary="Daftar cakupan petugas SDM (SDM tingkat kota, superuser)",
    description=(
        "Satu baris per unit yang dikelola seorang petugas BKPSDM (unit itu beserta seluruh "
        "sub-unitnya); `unit_code: null` = seluruh kota. Petugas tanpa baris tidak mengelola "
        "apa pun. Opsional `username=` menyaring satu petugas."
    ),
)
@paginate(Pagination)
def hr_scope_list(request, username: str = ""):
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
        "kolomnya. Setiap pemberian dicatat di log audit."
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
        _raise(error)
    scope = HrScope.objects.select_related("user", "unit").get(pk=scope.pk)
    return Status(200 if existed else 201, scope)


@router.delete(
    "/hr-scopes/{scope_id}",
    response=with_errors({204: None}, 401, 403, 404),
    summary="Cabut satu cakupan petugas (SDM tingkat kota, superuser)",
    description=(
        "→ 204. Id tidak dikenal → 404. Petugas tanpa baris cakupan tersisa tidak lagi "
        "mengelola apa pun. Setiap pencabutan dicatat di log audit."
    ),
)
def hr_scope_delete(request, scope_id: int):
    _require_scope_admin(request)
    scope = HrScope.objects.select_related("user", "unit").filter(pk=id_or_404(scope_id)).first()
    if scope is None:
        raise HttpError(404, NOT_FOUND)
    try:
        services.hr_scope_revoke(actor=request.user, scope=scope)
    except ServiceError as error:
        _raise(error)
    return Status(204, None)
