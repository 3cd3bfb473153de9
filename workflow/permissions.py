"""Who may do what with assignments and certificates (on top of kompetensi.permissions)."""

from django.db.models import QuerySet

from kompetensi.permissions import (
    can_manage_employee,
    can_view_employee,
    employees_managed_by,
    employees_visible_to,
)
from kompetensi.roles import is_hr

from .models import Assignment, Certificate


def can_manage_assignments(user) -> bool:
    """HR (BKPSDM) runs recommendations and approves, edits and cancels assignments."""
    return bool(user and user.is_authenticated and (user.is_superuser or is_hr(user)))


def can_manage_assignment(user, assignment: Assignment) -> bool:
    return can_manage_assignments(user) and can_manage_employee(user, assignment.employee)


def assignments_managed_by(user) -> QuerySet[Assignment]:
    if not can_manage_assignments(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(employee__in=employees_managed_by(user))


def assignments_visible_to(user) -> QuerySet[Assignment]:
    return Assignment.objects.filter(employee__in=employees_visible_to(user))


def can_view_assignments_of(user, employee) -> bool:
    """HR of their unit, the employee, their direct supervisor."""
    return can_view_employee(user, employee)


def can_view_certificates_of(user, employee) -> bool:
    """HR of their unit and the employee (not the supervisor: the PDF is personal data)."""
    if not (user and user.is_authenticated):
        return False
    if employee.user_id == user.pk:
        return True
    return can_manage_assignments(user) and can_manage_employee(user, employee)


def can_download_certificate(user, certificate: Certificate) -> bool:
    return can_view_certificates_of(user, certificate.employee)


def can_revoke_certificate(user, certificate: Certificate) -> bool:
    return can_manage_assignments(user) and can_manage_employee(user, certificate.employee)
