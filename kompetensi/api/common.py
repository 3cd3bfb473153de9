"""What the kompetensi endpoints share: the HR-only check, finding a unit or an employee the
caller may see, and mapping a service's refusal to its HTTP answer."""

from __future__ import annotations

from typing import Annotated

from ninja import Path
from ninja.errors import HttpError

from core.api_schemas import EXAMPLE_NIP, EXAMPLE_UNIT
from core.errors import ServiceError
from core.roles import is_hr
from kompetensi import rules
from kompetensi.models import Employee, OrganizationUnit
from kompetensi.permissions import can_view_employee, units_visible_to

NOT_FOUND = "Data tidak ditemukan."
HR_ONLY = "Hanya BKPSDM yang dapat mengakses data ini."

#: Path parameters, with the example the OpenAPI document shows (and schemathesis sends).
NipPath = Annotated[
    str, Path(..., description="NIP pegawai, 18 digit (spasi diabaikan).", example=EXAMPLE_NIP)
]
UnitCodePath = Annotated[str, Path(..., description="Kode unit organisasi.", example=EXAMPLE_UNIT)]


def raise_http(error: ServiceError):
    """A service's refusal as the HTTP error of its status and detail."""
    raise HttpError(error.status, error.detail)


def require_hr(request) -> None:
    """The HR-only resources: 403 for every other role (each write's service decides the
    rest: which units, which acts)."""
    if not is_hr(request.user):
        raise HttpError(403, HR_ONLY)


def visible_unit(request, code: str, field: str) -> OrganizationUnit:
    """A unit named in a request body: one the caller may see, else 422 naming ``field``
    (whether a unit outside their scope exists is not told)."""
    unit = units_visible_to(request.user).filter(code=code).first()
    if unit is None:
        raise HttpError(422, f"Kolom '{field}': unit tidak ditemukan.")
    return unit


def employee_qs():
    return Employee.objects.select_related("unit", "position", "supervisor")


def visible_employee(request, nip: str) -> Employee:
    """The employee if the caller may see them (HR of their unit, themself, their direct
    supervisor); otherwise 404, so the answer does not reveal whether the NIP exists."""
    employee = employee_qs().filter(nip=rules.normalise_nip(nip)).first()
    if employee is None or not can_view_employee(request.user, employee):
        raise HttpError(404, NOT_FOUND)
    return employee
