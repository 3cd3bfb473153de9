"""REST endpoints of the kompetensi app (see ../shared/design/API.md): units, competencies,
positions, employees, periods, evaluations, an employee's competency profile, summary and SKP.

Who may do what is decided in ``permissions.py``; writes go through ``services.py``. An
employee the caller may not see is 404; a visible one they may not change is 403."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.db.models import Prefetch
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from portal.api_schemas import with_errors

from . import rules, selectors, services
from .errors import ServiceError
from .models import (
    Competency,
    CompetencyLevel,
    Employee,
    EvaluationPeriod,
    OrganizationUnit,
    Position,
    PositionRequirement,
)
from .permissions import (
    can_manage_employee,
    can_manage_unit,
    can_view_employee,
    employees_managed_by,
    hr_scope_paths,
    units_visible_to,
)
from .roles import is_hr

router = Router(tags=["kompetensi"])

NOT_FOUND = "Data tidak ditemukan."


def _raise(error: ServiceError):
    raise HttpError(error.status, error.detail)


def _require_hr(request) -> None:
    if not is_hr(request.user):
        raise HttpError(403, "Hanya BKPSDM yang dapat mengakses data ini.")


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
@paginate(LimitOffsetPagination)
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
        parent = OrganizationUnit.objects.filter(code=payload.parent_code).first()
        if parent is None or not can_manage_unit(request.user, parent):
            raise HttpError(422, "Kolom 'parent_code': unit induk tidak ditemukan.")
    elif hr_scope_paths(request.user) is not None:
        raise HttpError(403, "BKPSDM unit hanya dapat menambah sub-unit di unitnya sendiri.")
    try:
        unit = services.unit_create(code=payload.code, name=payload.name, parent=parent)
    except ServiceError as error:
        _raise(error)
    return Status(201, unit)


# ---------------------------------------------------------------------------------------------
# Competencies
# ---------------------------------------------------------------------------------------------


class LevelOut(Schema):
    level: int
    description: str


class LevelIn(Schema):
    level: int = Field(..., ge=1, le=5)
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
@paginate(LimitOffsetPagination)
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
    level: int = Field(..., ge=1, le=5)


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
@paginate(LimitOffsetPagination)
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
    unit = None
    if payload.unit_code:
        unit = OrganizationUnit.objects.filter(code=payload.unit_code).first()
        if unit is None or not can_manage_unit(request.user, unit):
            raise HttpError(422, "Kolom 'unit_code': unit tidak ditemukan.")
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


def _managed_employee(request, nip: str) -> Employee:
    """An employee the caller manages as HR: 404 if they may not see them, 403 if they may
    see but not change them."""
    employee = _visible_employee(request, nip)
    if not (is_hr(request.user) and can_manage_employee(request.user, employee)):
        raise HttpError(403, "Hanya BKPSDM yang dapat mengubah data pegawai.")
    return employee


def _unit_for(request, code: str) -> OrganizationUnit:
    unit = OrganizationUnit.objects.filter(code=code).first()
    if unit is None or not can_manage_unit(request.user, unit):
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
@paginate(LimitOffsetPagination)
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
    employee = _managed_employee(request, nip)
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
        services.employee_update(employee=employee, **changes)
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
    is_open: bool = True


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
        period = services.period_create(**payload.dict())
    except ServiceError as error:
        _raise(error)
    return Status(201, period)


class ScoreIn(Schema):
    competency_code: str
    level: int


class EvaluationIn(Schema):
    employee_nip: str
    period_code: str
    source: Literal["self", "supervisor", "peer", "assessment"]
    scores: list[ScoreIn]
    finalize: bool = False


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
    employee = _managed_employee(request, nip)
    period = EvaluationPeriod.objects.filter(code=payload.period_code).first()
    if period is None:
        raise HttpError(422, "Kolom 'period_code': periode penilaian tidak ditemukan.")
    try:
        result = services.skp_record(
            employee=employee,
            period=period,
            hasil_kerja=payload.hasil_kerja,
            perilaku_kerja=payload.perilaku_kerja,
            origin="api",
            actor=request.user,
        )
    except ServiceError as error:
        _raise(error)
    return Status(200, {"predicate": result.predicate})
