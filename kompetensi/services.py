"""Writes of the kompetensi app: employees, units, positions, periods, evaluations, the
materialised competency profile and SKP results. Keyword-only, atomic; every rule comes from
``rules.py`` and every "who may" from ``permissions.py``. Errors are ``errors.ServiceError``
subclasses carrying an Indonesian message, the field and an HTTP status."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone

from core import dataversion
from core.errors import Conflict, InvalidInput, NotAllowed, delete_or_conflict, require

from . import rules
from .models import (
    Competency,
    CompetencyLevel,
    CompetencyScore,
    Employee,
    EmployeeCompetency,
    Evaluation,
    EvaluationPeriod,
    HrScope,
    OrganizationUnit,
    Position,
    PositionRequirement,
    SkpResult,
)
from .permissions import (
    can_create_employee,
    can_create_unit,
    can_delete_unit,
    can_edit_unit,
    can_manage_competencies,
    can_manage_employee,
    can_manage_periods,
    can_manage_position,
    can_move_employee,
    can_move_unit,
    can_write_evaluation,
)
from .signals import profile_recomputed

audit_log = logging.getLogger("sikap.audit")

FIELD_LABELS = {
    "nip": "NIP",
    "name": "nama",
    "email": "email",
    "rank": "golongan",
    "supervisor_nip": "NIP atasan",
    "unit_code": "unit kerja",
    "position_code": "jabatan",
    "employee_type": "jenis ASN",
}


# ---------------------------------------------------------------------------------------------
# Validation helpers (shared with the importer)
# ---------------------------------------------------------------------------------------------


def clean_nip(nip: str, *, employee_type: str = "PNS") -> str:
    """The normalised NIP or :class:`InvalidInput` naming the wrong part of it."""
    try:
        return rules.parse_nip(nip or "", employee_type=employee_type).nip
    except rules.RuleError as error:
        raise InvalidInput(str(error), field="nip") from None


def clean_employee_type(value: str) -> str:
    try:
        return rules.normalise_employee_type(value or "PNS")
    except rules.RuleError as error:
        raise InvalidInput(str(error), field="employee_type") from None


def clean_rank(rank: str, *, employee_type: str = "PNS") -> str:
    if not (rank or "").strip():
        return ""
    try:
        return rules.validate_rank(rank, employee_type)
    except rules.RuleError as error:
        raise InvalidInput(str(error), field="rank") from None


def clean_email(email: str) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput("alamat e-mail tidak valid", field="email") from None
    return email


def clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("nama wajib diisi", field="name")
    if len(name) > 200:
        raise InvalidInput("nama terlalu panjang (maksimal 200 karakter)", field="name")
    return name


def check_supervisor(employee: Employee | None, supervisor: Employee | None) -> None:
    """An employee cannot supervise themself, nor be supervised by one of their own
    (direct or indirect) reports."""
    if supervisor is None or employee is None or employee.pk is None:
        return
    if supervisor.pk == employee.pk:
        raise InvalidInput("pegawai tidak boleh menjadi atasan dirinya sendiri", field="supervisor")
    current = supervisor.supervisor_id
    seen = {supervisor.pk}
    while current is not None and current not in seen:
        if current == employee.pk:
            raise InvalidInput(
                f"{supervisor.name} adalah bawahan (langsung atau tidak langsung) dari "
                f"{employee.name}; hubungan atasan tidak boleh melingkar",
                field="supervisor",
            )
        seen.add(current)
        current = (
            Employee.objects.filter(pk=current).values_list("supervisor_id", flat=True).first()
        )


def _ensure_user(employee: Employee) -> None:
    """The employee's account: username = NIP, no usable password until activated."""
    if employee.user_id:
        return
    User = get_user_model()
    user = User.objects.filter(username=employee.nip).first()
    if user is None:
        user = User(
            username=employee.nip,
            email=employee.email,
            first_name=employee.name[:150],
            password=make_password(None),
        )
        user.save()
    elif Employee.objects.filter(user=user).exclude(pk=employee.pk).exists():
        return
    employee.user = user
    employee.save(update_fields=["user"])


# ---------------------------------------------------------------------------------------------
# Employees
# ---------------------------------------------------------------------------------------------


OUT_OF_SCOPE = "unit kerja ini di luar cakupan kewenangan Anda"
ROLE_ACCOUNT_EMAIL = (
    "alamat e-mail akun yang memegang peran (BKPSDM, Pelatih, Reviewer Konten atau superuser) "
    "hanya dapat diubah oleh superuser atau pemilik akun itu sendiri"
)


@transaction.atomic
def employee_create(
    *,
    actor,
    nip: str,
    name: str,
    unit: OrganizationUnit,
    email: str = "",
    employee_type: str = "PNS",
    position: Position | None = None,
    rank: str = "",
    supervisor: Employee | None = None,
) -> Employee:
    """A new employee (and their account) in ``unit``: HR whose scope covers the unit."""
    if not can_create_employee(actor, unit):
        raise NotAllowed(OUT_OF_SCOPE, field="unit_code")
    etype = clean_employee_type(employee_type)
    nip = clean_nip(nip, employee_type=etype)
    if Employee.objects.filter(nip=nip).exists():
        raise Conflict(f"pegawai dengan NIP {nip} sudah terdaftar", field="nip")
    employee = Employee(
        nip=nip,
        name=clean_name(name),
        email=clean_email(email),
        employee_type=etype,
        unit=unit,
        position=position,
        rank=clean_rank(rank, employee_type=etype),
        supervisor=supervisor,
    )
    employee._sikap_skip_signal = True
    try:
        with transaction.atomic():
            employee.save()
    except IntegrityError:
        raise Conflict(f"pegawai dengan NIP {nip} sudah terdaftar", field="nip") from None
    _ensure_user(employee)
    if position is not None:
        profile_recompute(employee_ids=[employee.pk])
    _audit(actor=actor, action="create", obj=employee, summary=f"pegawai {employee.name}")
    return employee


_UNSET = object()


@transaction.atomic
def employee_update(
    *,
    actor,
    employee: Employee,
    name: str | None = None,
    email: str | None = None,
    employee_type: str | None = None,
    unit: OrganizationUnit | None = None,
    position: Position | None | object = _UNSET,
    rank: str | None = None,
    supervisor: Employee | None | object = _UNSET,
    is_active: bool | None = None,
    development_review: bool | None = None,
) -> Employee:
    """Change the given fields. HR whose scope covers the employee's stored unit; moving the
    employee to another unit needs that unit in scope too (``can_move_employee``). Authority
    is decided on the stored row, never on fields already changed in memory."""
    stored = Employee.objects.select_related("unit").get(pk=employee.pk)
    if not can_manage_employee(actor, stored):
        raise NotAllowed("pegawai ini di luar cakupan kewenangan Anda")
    if unit is not None and unit.pk != stored.unit_id:
        if not can_move_employee(actor, stored, unit):
            raise NotAllowed(OUT_OF_SCOPE, field="unit_code")
    old_position = employee.position_id
    if employee_type is not None:
        employee.employee_type = clean_employee_type(employee_type)
        clean_nip(employee.nip, employee_type=employee.employee_type)
    if name is not None:
        employee.name = clean_name(name)
    email_changed = False
    if email is not None:
        new_email = clean_email(email)
        email_changed = new_email != stored.email
        if email_changed and stored.user_id:
            from .permissions import can_change_account_email

            if not can_change_account_email(actor, stored.user):
                raise NotAllowed(ROLE_ACCOUNT_EMAIL, field="email")
        employee.email = new_email
    if unit is not None:
        employee.unit = unit
    if position is not _UNSET:
        employee.position = position
    if rank is not None:
        employee.rank = clean_rank(rank, employee_type=employee.employee_type)
    elif employee_type is not None and employee.rank:
        employee.rank = clean_rank(employee.rank, employee_type=employee.employee_type)
    if supervisor is not _UNSET:
        check_supervisor(employee, supervisor)
        employee.supervisor = supervisor
    if is_active is not None:
        employee.is_active = is_active
    if development_review is not None:
        employee.development_review = development_review
    employee._sikap_skip_signal = True
    employee.save()
    if employee.user_id and name is not None:
        get_user_model().objects.filter(pk=employee.user_id).update(first_name=employee.name[:150])
        # The account's name is shown as the author of forum posts (core/dataversion.py).
        dataversion.bump("topic", "forum-topics")
    if email_changed and stored.user_id:
        # The account's sign-in and reset address (User.email) changes only when the new
        # address confirms it; the old address is told (core/accounts.py).
        from core.accounts import account_email_change_request

        account_email_change_request(actor=actor, user=stored.user)
    if employee.position_id != old_position:
        profile_recompute(employee_ids=[employee.pk])
    _audit(actor=actor, action="update", obj=employee, summary="data pegawai diubah")
    return employee


@transaction.atomic
def employee_delete(*, actor, employee: Employee) -> None:
    """Remove an employee record (HR of their unit). Their account stays (deactivate it in
    the user admin); evaluations and SKP results go with the record."""
    stored = Employee.objects.select_related("unit").get(pk=employee.pk)
    if not can_manage_employee(actor, stored):
        raise NotAllowed("pegawai ini di luar cakupan kewenangan Anda")
    _audit(
        actor=actor,
        action="delete",
        obj=stored,
        summary=f"pegawai {stored.nip} {stored.name} dihapus",
    )
    delete_or_conflict(
        stored, in_use="pegawai ini masih dirujuk data lain; nonaktifkan saja pegawainya"
    )


# ---------------------------------------------------------------------------------------------
# Framework: units, competencies, positions, periods
# ---------------------------------------------------------------------------------------------


def _check_code(code: str, field: str = "code") -> str:
    code = (code or "").strip()
    if not code:
        raise InvalidInput("kode wajib diisi", field=field)
    if len(code) > 40 or any(ch.isspace() for ch in code):
        raise InvalidInput("kode maksimal 40 karakter tanpa spasi", field=field)
    return code


def _unit_kind(kind: str) -> str:
    if kind not in OrganizationUnit.Kind.values:
        raise InvalidInput(
            "jenis unit tidak dikenal (pilihan: " + ", ".join(OrganizationUnit.Kind.values) + ")",
            field="kind",
        )
    return kind


UNIT_PATH_MAX = OrganizationUnit._meta.get_field("path").max_length


@transaction.atomic
def unit_create(
    *, actor, code: str, name: str, parent: OrganizationUnit | None = None, kind: str = ""
) -> OrganizationUnit:
    """A new unit below ``parent`` (a unit in the actor's scope) or at the top level (city-wide
    HR only)."""
    require(
        can_create_unit(actor, parent),
        "unit baru hanya dapat ditambahkan di bawah unit dalam cakupan Anda"
        if parent is not None
        else "unit tingkat teratas hanya dapat ditambahkan oleh petugas SDM tingkat kota",
    )
    code = _check_code(code)
    if "/" in code:
        raise InvalidInput("kode unit tidak boleh memuat garis miring (/)", field="code")
    if OrganizationUnit.objects.filter(code=code).exists():
        raise Conflict(f"unit dengan kode {code} sudah ada", field="code")
    name = clean_name(name)
    kind = _unit_kind(
        kind
        or (
            OrganizationUnit.Kind.PERANGKAT_DAERAH
            if parent is None
            else OrganizationUnit.Kind.BIDANG
        )
    )
    unit = OrganizationUnit.objects.create(code=code, name=name, parent=parent, kind=kind)
    _audit(actor=actor, action="create", obj=unit, summary=f"unit {unit.path}")
    return unit


@transaction.atomic
def unit_update(
    *,
    actor,
    unit: OrganizationUnit,
    name: str | None = None,
    parent: OrganizationUnit | None | object = _UNSET,
    kind: str | None = None,
) -> OrganizationUnit:
    """Rename (``name``, ``kind``) and/or move (``parent``; None = top level) a unit.

    Renaming needs authority over the unit's parent (``can_edit_unit``: an officer cannot
    rename or move the root of their own scope); moving needs authority over the old and the
    new parent (``can_move_unit``). A unit cannot move below itself or one of its sub-units.
    The paths and depths of the whole subtree are recomputed with one UPDATE. Authority is
    decided on the stored unit, never on fields already changed in memory."""
    stored = OrganizationUnit.objects.select_for_update().get(pk=unit.pk)
    require(
        can_edit_unit(actor, stored),
        "unit ini hanya dapat diubah oleh petugas SDM yang membawahi unit induknya",
    )
    new_parent = None
    moving = False
    if parent is not _UNSET:
        if parent is not None:
            new_parent = OrganizationUnit.objects.filter(pk=parent.pk).first()
            if new_parent is None:
                raise InvalidInput("unit induk tidak ditemukan", field="parent_code")
        moving = (new_parent.pk if new_parent else None) != stored.parent_id
    if moving and new_parent is not None:
        if new_parent.pk == stored.pk or new_parent.path.startswith(f"{stored.path}/"):
            raise InvalidInput(
                "unit tidak dapat dipindahkan ke bawah dirinya sendiri atau sub-unitnya",
                field="parent_code",
            )
    if moving:
        require(
            can_move_unit(actor, stored, new_parent),
            "unit hanya dapat dipindahkan ke bawah unit dalam cakupan Anda"
            if new_parent is not None
            else "hanya petugas SDM tingkat kota yang dapat menjadikan unit tingkat teratas",
        )
    changes = []
    if name is not None:
        new_name = clean_name(name)
        if new_name != stored.name:
            changes.append(f"nama {stored.name!r} → {new_name!r}")
            stored.name = new_name
    if kind is not None:
        new_kind = _unit_kind(kind)
        if new_kind != stored.kind:
            changes.append(f"jenis {stored.kind} → {new_kind}")
            stored.kind = new_kind
    old_path, old_depth = stored.path, stored.depth
    if moving:
        stored.parent = new_parent
        new_path = f"{new_parent.path}/{stored.code}" if new_parent else stored.code
        longest = (
            OrganizationUnit.objects.filter(path__startswith=f"{old_path}/")
            .aggregate(n=Max(Length("path")))
            .get("n")
        )
        if max(longest or 0, len(old_path)) - len(old_path) + len(new_path) > UNIT_PATH_MAX:
            raise InvalidInput(
                "susunan unit terlalu dalam untuk dipindahkan ke sana", field="parent_code"
            )
        changes.append(f"induk {old_path} → {new_path}")
    if not changes:
        return stored
    stored.save()  # the unit's own path and depth (OrganizationUnit.save)
    if moving:
        # Every descendant: the old prefix replaced by the new one, in one statement.
        OrganizationUnit.objects.filter(path__startswith=f"{old_path}/").update(
            path=Concat(Value(stored.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (stored.depth - old_depth),
        )
        dataversion.bump("sdm", "person")  # every descendant unit (core/dataversion.py)
    _audit(actor=actor, action="update", obj=stored, summary="unit " + "; ".join(changes))
    return stored


@transaction.atomic
def unit_delete(*, actor, unit: OrganizationUnit) -> None:
    """Remove an empty unit (no sub-units, employees, positions or service points)."""
    stored = OrganizationUnit.objects.select_for_update().get(pk=unit.pk)
    require(
        can_delete_unit(actor, stored),
        "unit ini hanya dapat dihapus oleh petugas SDM yang membawahi unit induknya",
    )
    if stored.children.exists():
        raise Conflict("unit ini masih memiliki sub-unit")
    _audit(actor=actor, action="delete", obj=stored, summary=f"unit {stored.path} dihapus")
    delete_or_conflict(
        stored,
        in_use="unit ini masih memiliki pegawai, jabatan atau titik layanan; pindahkan dahulu",
    )


DICTIONARY_ONLY = "kamus kompetensi hanya dapat diubah oleh petugas SDM tingkat kota"
PERIODS_ONLY = "periode penilaian hanya dapat diatur oleh petugas SDM tingkat kota"


def _save_audited(*, actor, obj, summary: str) -> None:
    """Save an object edited as a whole in the Wagtail admin and audit it as created or
    updated."""
    created = obj.pk is None
    obj.save()
    _audit_written(actor=actor, obj=obj, created=created, summary=summary)


def _audit_written(*, actor, obj, created: bool, summary: str, **extra) -> None:
    """The audit row of a write that created ``obj`` or updated it."""
    _audit(actor=actor, action="create" if created else "update", obj=obj, summary=summary, **extra)


@transaction.atomic
def competency_create(
    *, actor, code: str, name: str, kind: str, description: str = "", levels: Iterable = ()
) -> Competency:
    require(can_manage_competencies(actor), DICTIONARY_ONLY)
    code = _check_code(code)
    if kind not in Competency.Kind.values:
        raise InvalidInput("jenis harus teknis, manajerial atau sosial_kultural", field="kind")
    if Competency.objects.filter(code=code).exists():
        raise Conflict(f"kompetensi dengan kode {code} sudah ada", field="code")
    if not (name or "").strip():
        raise InvalidInput("nama wajib diisi", field="name")
    seen: set[int] = set()
    level_rows = []
    for item in levels:
        level, text = int(item["level"]), (item.get("description") or "").strip()
        if not 1 <= level <= 5:
            raise InvalidInput("level harus 1 sampai 5", field="levels.level")
        if level in seen:
            raise InvalidInput(f"level {level} tercantum dua kali", field="levels.level")
        if not text:
            raise InvalidInput(f"deskripsi level {level} wajib diisi", field="levels.description")
        seen.add(level)
        level_rows.append((level, text))
    competency = Competency.objects.create(
        code=code, name=name.strip(), kind=kind, description=description or ""
    )
    CompetencyLevel.objects.bulk_create(
        CompetencyLevel(competency=competency, level=lv, description=tx) for lv, tx in level_rows
    )
    dataversion.bump("person")  # the level descriptions (shown with a person's profile)
    return competency


@transaction.atomic
def competency_save(*, actor, competency: Competency) -> Competency:
    """Store a competency edited as a whole (the Wagtail admin's form with its levels, held in
    memory by the cluster until this save). City-wide HR only."""
    require(can_manage_competencies(actor), DICTIONARY_ONLY)
    _save_audited(actor=actor, obj=competency, summary=f"kompetensi {competency.code}")
    return competency


@transaction.atomic
def competency_delete(*, actor, competency: Competency) -> None:
    require(can_manage_competencies(actor), DICTIONARY_ONLY)
    _audit(actor=actor, action="delete", obj=competency, summary=f"kompetensi {competency.code}")
    delete_or_conflict(
        competency, in_use="kompetensi ini masih dipakai standar jabatan atau penilaian"
    )


POSITION_SCOPE = (
    "jabatan suatu unit diatur oleh petugas SDM unit itu; jabatan lintas unit hanya oleh "
    "petugas SDM tingkat kota"
)


@transaction.atomic
def position_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    unit: OrganizationUnit | None = None,
    requirements: Iterable[tuple[Competency, int]] = (),
    jenjang: str = "",
) -> Position:
    require(can_manage_position(actor, Position(unit=unit)), POSITION_SCOPE)
    code = _check_code(code)
    if kind not in Position.Kind.values:
        raise InvalidInput(
            "jenis jabatan tidak dikenal (pilihan: " + ", ".join(Position.Kind.values) + ")",
            field="kind",
        )
    if Position.objects.filter(code=code).exists():
        raise Conflict(f"jabatan dengan kode {code} sudah ada", field="code")
    if not (name or "").strip():
        raise InvalidInput("nama wajib diisi", field="name")
    position = Position.objects.create(
        code=code, name=name.strip(), kind=kind, unit=unit, jenjang=jenjang or ""
    )
    position_set_requirements(actor=actor, position=position, requirements=requirements)
    return position


@transaction.atomic
def position_save(*, actor, position: Position) -> Position:
    """Store a position edited as a whole (the Wagtail admin's form with its requirements,
    held in memory by the cluster until this save): authority over its stored unit (when it
    exists) and over its new unit. Holders' profiles follow (``receivers``)."""
    if position.pk is not None:
        stored = Position.objects.select_related("unit").filter(pk=position.pk).first()
        if stored is not None:
            require(can_manage_position(actor, stored), POSITION_SCOPE)
    require(can_manage_position(actor, position), POSITION_SCOPE)
    _save_audited(actor=actor, obj=position, summary=f"jabatan {position.code}")
    return position


@transaction.atomic
def position_delete(*, actor, position: Position) -> None:
    stored = Position.objects.select_related("unit").get(pk=position.pk)
    require(can_manage_position(actor, stored), POSITION_SCOPE)
    _audit(actor=actor, action="delete", obj=stored, summary=f"jabatan {stored.code}")
    delete_or_conflict(stored, in_use="jabatan ini masih dipegang pegawai")


@transaction.atomic
def position_set_requirements(
    *, actor, position: Position, requirements: Iterable[tuple[Competency, int]]
) -> None:
    """Replace the position's requirements and recompute its holders' profiles."""
    require(can_manage_position(actor, position), POSITION_SCOPE)
    rows: dict[int, PositionRequirement] = {}
    for competency, level in requirements:
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            raise InvalidInput(
                f"level {competency.code} harus 1 sampai 5", field="requirements.level"
            )
        if competency.pk in rows:
            raise InvalidInput(
                f"kompetensi {competency.code} tercantum dua kali",
                field="requirements.competency_code",
            )
        rows[competency.pk] = PositionRequirement(
            position=position, competency=competency, level=level
        )
    PositionRequirement.objects.filter(position=position).delete()
    PositionRequirement.objects.bulk_create(rows.values())
    dataversion.bump("person")  # the requirements shown with each holder's profile
    holders = list(Employee.objects.filter(position=position).values_list("pk", flat=True))
    if holders:
        profile_recompute(employee_ids=holders)


@transaction.atomic
def period_create(
    *, actor, code: str, name: str, start, end, is_open: bool = True
) -> EvaluationPeriod:
    require(can_manage_periods(actor), PERIODS_ONLY)
    code = _check_code(code)
    if end < start:
        raise InvalidInput("tanggal selesai tidak boleh sebelum tanggal mulai", field="end")
    if EvaluationPeriod.objects.filter(code=code).exists():
        raise Conflict(f"periode dengan kode {code} sudah ada", field="code")
    if not (name or "").strip():
        raise InvalidInput("nama wajib diisi", field="name")
    period = EvaluationPeriod.objects.create(
        code=code, name=name.strip(), start=start, end=end, is_open=is_open
    )
    _audit(actor=actor, action="create", obj=period, summary=f"periode {code}")
    return period


@transaction.atomic
def period_set_open(*, actor, period: EvaluationPeriod, is_open: bool) -> EvaluationPeriod:
    """Open or close a period (closing locks its evaluations). City-wide HR only."""
    require(can_manage_periods(actor), PERIODS_ONLY)
    if period.is_open != is_open:
        period.is_open = is_open
        period.save(update_fields=["is_open"])
        _audit(
            actor=actor,
            action="update",
            obj=period,
            summary=f"periode {period.code} {'dibuka' if is_open else 'ditutup'}",
        )
    return period


@transaction.atomic
def period_update(
    *,
    actor,
    period: EvaluationPeriod,
    name: str | None = None,
    start=None,
    end=None,
    is_open: bool | None = None,
) -> EvaluationPeriod:
    """Change a period's name, dates or open state. City-wide HR only."""
    require(can_manage_periods(actor), PERIODS_ONLY)
    stored = EvaluationPeriod.objects.select_for_update().get(pk=period.pk)
    if name is not None:
        if not name.strip():
            raise InvalidInput("nama wajib diisi", field="name")
        stored.name = name.strip()
    stored.start = start if start is not None else stored.start
    stored.end = end if end is not None else stored.end
    if stored.end < stored.start:
        raise InvalidInput("tanggal selesai tidak boleh sebelum tanggal mulai", field="end")
    if is_open is not None:
        stored.is_open = is_open
    stored.save()
    _audit(actor=actor, action="update", obj=stored, summary=f"periode {stored.code}")
    return stored


@transaction.atomic
def period_delete(*, actor, period: EvaluationPeriod) -> None:
    require(can_manage_periods(actor), PERIODS_ONLY)
    _audit(actor=actor, action="delete", obj=period, summary=f"periode {period.code}")
    delete_or_conflict(period, in_use="periode ini sudah memiliki penilaian atau hasil SKP")


# ---------------------------------------------------------------------------------------------
# Evaluations
# ---------------------------------------------------------------------------------------------


def _find_evaluation(*, employee, period, source, actor) -> Evaluation | None:
    qs = Evaluation.objects.filter(employee=employee, period=period, source=source)
    if source == Evaluation.Source.PEER:
        return None  # each peer rating is its own (anonymous) evaluation
    return qs.order_by("-created_at").first()


@transaction.atomic
def evaluation_save(
    *,
    actor,
    employee: Employee,
    period: EvaluationPeriod,
    source: str,
    scores: Mapping[Competency, int] | Iterable[tuple[Competency, int]],
    notes: Mapping[int, str] | None = None,
    submit: bool = False,
    finalize: bool = False,
) -> Evaluation:
    """Create or update the (non-final) evaluation of ``employee`` in ``period`` by ``source``
    with the given scores (merged into those already there), then optionally submit or
    finalise it. Finalising recomputes the employee's profile."""
    if source not in Evaluation.Source.values:
        raise InvalidInput("sumber harus self, supervisor, peer atau assessment", field="source")
    if not can_write_evaluation(actor, employee, source):
        raise NotAllowed(
            {
                "self": "penilaian diri hanya dapat diisi oleh pegawai yang bersangkutan",
                "supervisor": "penilaian atasan hanya dapat diisi oleh atasan langsung atau BKPSDM",
            }.get(source, "penilaian rekan kerja dan uji kompetensi diisi oleh BKPSDM"),
            field="source",
        )
    if not period.is_open:
        raise Conflict(f"periode {period.code} sudah ditutup; penilaian tidak dapat diubah")
    items = list(scores.items()) if isinstance(scores, Mapping) else list(scores)
    if not items and finalize:
        raise InvalidInput("isi paling sedikit satu nilai kompetensi", field="scores")
    for competency, level in items:
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            raise InvalidInput(
                f"level {competency.code} harus bilangan bulat 1 sampai 5", field="scores.level"
            )
    codes = [c.code for c, _l in items]
    if len(codes) != len(set(codes)):
        raise InvalidInput("satu kompetensi dinilai lebih dari sekali", field="scores")
    evaluation = _find_evaluation(employee=employee, period=period, source=source, actor=actor)
    if evaluation is not None and evaluation.status == Evaluation.Status.FINAL:
        raise Conflict("penilaian ini sudah final dan tidak dapat diubah", field="status")
    created = evaluation is None
    if evaluation is None:
        evaluation = Evaluation.objects.create(
            employee=employee,
            period=period,
            source=source,
            evaluator=None if source == Evaluation.Source.PEER else actor,
        )
    _audit_written(
        actor=actor,
        obj=evaluation,
        created=created,
        employee=employee,
        summary=f"penilaian {source} periode {period.code}",
    )
    notes = notes or {}
    existing = {s.competency_id: s for s in evaluation.scores.all()}
    new, changed = [], []
    for competency, level in items:
        note = notes.get(competency.pk, "")
        row = existing.get(competency.pk)
        if row is None:
            new.append(
                CompetencyScore(
                    evaluation=evaluation, competency=competency, level=level, note=note
                )
            )
        elif row.level != level or row.note != note:
            row.level, row.note = level, note
            changed.append(row)
    CompetencyScore.objects.bulk_create(new)
    if changed:
        CompetencyScore.objects.bulk_update(changed, ["level", "note"])
    # The scores are this employee's (and shown to their evaluator): only their pages change.
    dataversion.bump(*dataversion.for_person(employee=employee.pk, user=getattr(actor, "pk", None)))
    if finalize:
        return evaluation_finalize(actor=actor, evaluation=evaluation)
    if submit:
        return evaluation_submit(actor=actor, evaluation=evaluation)
    return evaluation


@transaction.atomic
def evaluation_submit(*, actor, evaluation: Evaluation) -> Evaluation:
    _check_can_change(actor, evaluation)
    if evaluation.status != Evaluation.Status.DRAFT:
        raise Conflict("hanya penilaian berstatus draf yang dapat diajukan", field="status")
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.submitted_at = timezone.now()
    evaluation.save(update_fields=["status", "submitted_at"])
    return evaluation


@transaction.atomic
def evaluation_finalize(*, actor, evaluation: Evaluation) -> Evaluation:
    _check_can_change(actor, evaluation)
    # Read under a row lock: of two finalisations at once, the second sees the first's.
    stored = Evaluation.objects.select_for_update().filter(pk=evaluation.pk).values("status")
    if Evaluation.Status.FINAL in (evaluation.status, *(r["status"] for r in stored)):
        raise Conflict("penilaian ini sudah final", field="status")
    if not evaluation.scores.exists():
        raise InvalidInput("isi paling sedikit satu nilai kompetensi", field="scores")
    now = timezone.now()
    evaluation.status = Evaluation.Status.FINAL
    evaluation.submitted_at = evaluation.submitted_at or now
    evaluation.finalized_at = now
    evaluation.save(update_fields=["status", "submitted_at", "finalized_at"])
    _audit(
        actor=actor,
        action="update",
        obj=evaluation,
        employee=evaluation.employee,
        summary=f"penilaian {evaluation.source} difinalkan",
    )
    profile_recompute(employee_ids=[evaluation.employee_id], period_id=evaluation.period_id)
    return evaluation


def _check_can_change(actor, evaluation: Evaluation) -> None:
    if not can_write_evaluation(actor, evaluation.employee, evaluation.source):
        raise NotAllowed("Anda tidak berwenang mengubah penilaian ini", field="source")
    if not evaluation.period.is_open:
        raise Conflict(f"periode {evaluation.period.code} sudah ditutup")


# ---------------------------------------------------------------------------------------------
# The materialised profile (set-based)
# ---------------------------------------------------------------------------------------------


def bulk_update_rows(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """``UPDATE … SET field = %s … WHERE id = %s`` for many rows with one ``executemany``:
    much faster than ``bulk_update``'s CASE expressions at thousands of rows. Each row is
    ``(*values_in_field_order, pk)`` with values already in database form."""
    rows = list(rows)
    if not rows:
        return 0
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(
        f"{connection.ops.quote_name(model._meta.get_field(f).column)} = %s" for f in fields
    )
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE {pk} = %s", rows)  # noqa: S608
    return len(rows)


def bulk_insert_rows(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """``INSERT`` many rows with one ``executemany`` (values in database form, no signals)."""
    rows = list(rows)
    if not rows:
        return 0
    from django.db import connection

    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
    return len(rows)


def _as_date(value: datetime):
    return timezone.localtime(value, rules.JAKARTA).date() if value else None


# Up to this many employees, a bulk write about them moves only their person versions.
PERSON_SCOPE_LIMIT = 200


def people_changed(employee_ids) -> None:
    """Cache versions after a bulk write of rows about these employees (None: anyone): the HR
    aggregates, and their person versions, or every person's beyond ``PERSON_SCOPE_LIMIT``
    (core/dataversion.py)."""
    if employee_ids is not None and len(employee_ids) <= PERSON_SCOPE_LIMIT:
        dataversion.bump("sdm", *dataversion.for_people(employee_ids))
    else:
        dataversion.bump("sdm", "person")


@transaction.atomic
def profile_recompute(*, employee_ids: list[int] | None = None, period_id: int | None = None):
    """Recompute ``EmployeeCompetency`` for the given employees (None: everyone) with a fixed
    number of queries, then send ``signals.profile_recomputed``. Returns the number of rows
    created, updated and deleted as a dict."""
    employees = Employee.objects.all()
    scores = CompetencyScore.objects.filter(evaluation__status=Evaluation.Status.FINAL)
    profile = EmployeeCompetency.objects.all()
    if employee_ids is not None:
        employee_ids = sorted(set(employee_ids))
        if not employee_ids:
            return {"created": 0, "updated": 0, "deleted": 0}
        employees = employees.filter(pk__in=employee_ids)
        scores = scores.filter(evaluation__employee_id__in=employee_ids)
        profile = profile.filter(employee_id__in=employee_ids)
    position_of = dict(employees.values_list("pk", "position_id"))
    required: dict[int, dict[int, int]] = defaultdict(dict)
    for pos_id, comp_id, level in PositionRequirement.objects.filter(
        position_id__in={p for p in position_of.values() if p}
    ).values_list("position_id", "competency_id", "level"):
        required[pos_id][comp_id] = level
    observations: dict[tuple[int, int], list[rules.ScoreObs]] = defaultdict(list)
    for emp_id, comp_id, source, level, start, finalized in scores.values_list(
        "evaluation__employee_id",
        "competency_id",
        "evaluation__source",
        "level",
        "evaluation__period__start",
        "evaluation__finalized_at",
    ):
        observations[(emp_id, comp_id)].append(rules.ScoreObs(source, level, start, finalized))
    fields = ["required_level", "assessed_level", "source", "self_level", "gap", "as_of"]
    existing = {
        (row[1], row[2]): (row[0], row[3:])
        for row in profile.values_list("pk", "employee_id", "competency_id", *fields)
    }

    wanted: dict[tuple[int, int], tuple] = {}
    for emp_id, pos_id in position_of.items():
        for comp_id in required.get(pos_id, {}) if pos_id else ():
            wanted[(emp_id, comp_id)] = ()
    for key in observations:
        if key[0] in position_of:
            wanted[key] = ()
    to_create, to_update = [], []
    for key in wanted:
        emp_id, comp_id = key
        pos_id = position_of[emp_id]
        req = required.get(pos_id, {}).get(comp_id) if pos_id else None
        obs = observations.get(key)
        assessed = rules.assessed_level_from_sources(obs) if obs else None
        own = (
            rules.self_assessed_level(obs)
            if obs and any(o.source == rules.SOURCE_SELF for o in obs)
            else None
        )
        values = (
            req,
            assessed.level if assessed else None,
            assessed.source if assessed else "",
            own.level if own else None,
            rules.gap(req, assessed.level) if (req and assessed) else None,
            _as_date(assessed.as_of) if assessed else None,
        )
        row = existing.get(key)
        if row is None:
            to_create.append((emp_id, comp_id, *values))
        elif row[1] != values:
            to_update.append((*values, row[0]))
    stale = [pk for key, (pk, _v) in existing.items() if key not in wanted]
    if stale:
        EmployeeCompetency.objects.filter(pk__in=stale).delete()
    bulk_insert_rows(EmployeeCompetency, ["employee", "competency", *fields], to_create)
    bulk_update_rows(EmployeeCompetency, fields, to_update)
    if stale or to_create or to_update:
        people_changed(employee_ids)
    ids = list(position_of) if employee_ids is None else employee_ids
    profile_recomputed.send(sender=EmployeeCompetency, employee_ids=ids, period_id=period_id)
    return {"created": len(to_create), "updated": len(to_update), "deleted": len(stale)}


# ---------------------------------------------------------------------------------------------
# SKP results (from e-Kinerja)
# ---------------------------------------------------------------------------------------------


SKP_SCOPE = "hasil SKP pegawai ini hanya dapat diatur oleh petugas SDM unitnya"


@transaction.atomic
def skp_record(
    *,
    actor,
    employee: Employee,
    period: EvaluationPeriod,
    hasil_kerja: str,
    perilaku_kerja: str,
    origin: str = SkpResult.Origin.MANUAL,
) -> SkpResult:
    """Record (or replace) the period's SKP result and refresh the development-review flag
    from the newest period's predicate. HR whose scope covers the employee's unit."""
    stored = Employee.objects.select_related("unit").get(pk=employee.pk)
    require(can_manage_employee(actor, stored), SKP_SCOPE)
    try:
        predicate = rules.skp_predicate(hasil_kerja=hasil_kerja, perilaku_kerja=perilaku_kerja)
    except rules.RuleError as error:
        raise InvalidInput(str(error), field=error.part) from None
    result, created = SkpResult.objects.update_or_create(
        employee=employee,
        period=period,
        defaults={
            "hasil_kerja": hasil_kerja.strip().lower(),
            "perilaku_kerja": perilaku_kerja.strip().lower(),
            "predicate": predicate,
            "origin": origin,
            "recorded_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    _audit_written(
        actor=actor,
        obj=result,
        created=created,
        employee=employee,
        summary=f"hasil SKP periode {period.code}: {predicate}",
    )
    _refresh_review_flag(employee)
    return result


def _refresh_review_flag(employee: Employee) -> None:
    newest = (
        SkpResult.objects.filter(employee=employee)
        .order_by("-period__start")
        .values_list("predicate", flat=True)
        .first()
    )
    flag = rules.is_weak_predicate(newest) if newest else False
    if employee.development_review != flag:
        employee.development_review = flag
        employee._sikap_skip_signal = True
        employee.save(update_fields=["development_review"])


@transaction.atomic
def skp_delete(*, actor, result: SkpResult) -> None:
    """Remove an SKP result (HR of the employee's unit); the development-review flag follows
    the newest remaining result."""
    stored = SkpResult.objects.select_related("employee__unit", "period").get(pk=result.pk)
    require(can_manage_employee(actor, stored.employee), SKP_SCOPE)
    employee = stored.employee
    _audit(
        actor=actor,
        action="delete",
        obj=stored,
        employee=employee,
        summary=f"hasil SKP periode {stored.period.code} dihapus",
    )
    stored.delete()
    _refresh_review_flag(employee)


# ---------------------------------------------------------------------------------------------
# Access log (personal data)
# ---------------------------------------------------------------------------------------------


def _audit(**kwargs) -> None:
    from core.audit import audit

    audit(**kwargs)


def access_log_record(*, user, employee: Employee | None, action: str, detail: str = "") -> None:
    from core.audit import audit

    audit(actor=user, action=action, obj=employee, employee=employee, summary=detail)


# ---------------------------------------------------------------------------------------------
# HR scopes: which units a BKPSDM officer administers
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def hr_scope_grant(*, actor, user, unit: OrganizationUnit | None) -> HrScope:
    """Let ``user`` administer ``unit`` and its sub-units (``None``: the whole city). The user
    joins the BKPSDM group if they are not in it. City-wide HR and superusers only; the grant
    is audited. Granting what the officer already has returns the existing row."""
    from django.contrib.auth.models import Group

    from core.roles import GROUP_HR

    from .permissions import can_manage_hr_scopes, forget_hr_scope

    require(
        can_manage_hr_scopes(actor),
        "hanya petugas SDM tingkat kota dan superuser yang dapat mengatur cakupan petugas",
    )
    if user is None or not user.is_active:
        raise InvalidInput("pengguna tidak ditemukan atau tidak aktif", field="username")
    existing = HrScope.objects.filter(user=user, unit=unit).first()
    if existing is not None:
        return existing
    group, _created = Group.objects.get_or_create(name=GROUP_HR)
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)
        if hasattr(user, "_sikap_groups"):
            del user._sikap_groups
    try:
        with transaction.atomic():
            scope = HrScope.objects.create(user=user, unit=unit, granted_by=actor)
    except IntegrityError:
        raise Conflict("cakupan ini sudah diberikan", field="unit_code") from None
    forget_hr_scope(user)
    where = unit.code if unit is not None else "seluruh kota"
    _audit(
        actor=actor,
        action="grant",
        obj=scope,
        summary=f"hr-scope {user.get_username()} → {where}",
    )
    return scope


@transaction.atomic
def hr_scope_revoke(*, actor, scope: HrScope) -> None:
    """Remove one scope row (audited). City-wide HR and superusers only."""
    from .permissions import can_manage_hr_scopes, forget_hr_scope

    require(
        can_manage_hr_scopes(actor),
        "hanya petugas SDM tingkat kota dan superuser yang dapat mengatur cakupan petugas",
    )
    where = scope.unit.code if scope.unit_id else "seluruh kota"
    summary = f"hr-scope {scope.user.get_username()} → {where}"
    user = scope.user
    _audit(actor=actor, action="revoke_permission", obj=scope, summary=summary)
    scope.delete()
    forget_hr_scope(user)
