"""Who may do what with needs, assignments, external learning and certificates (on top of
kompetensi.permissions). The services of this app call these functions; views and endpoints
only use them to show or hide buttons, and the ``*_managed_by`` / ``*_visible_to`` querysets to
404 what a user may not see.

HR authority: a BKPSDM officer (or superuser) with at least one unit in scope
(``kompetensi.permissions.has_hr_authority``) acts on the employees whose current unit their
scope covers; an officer without a scope row administers nothing."""

from django.db.models import Q, QuerySet

from kompetensi.permissions import (
    can_manage_employee,
    can_manage_framework,
    employees_managed_by,
    has_hr_authority,
)

from .models import Assignment, Certificate, ExternalLearning


def can_manage_assignments(user) -> bool:
    """HR (BKPSDM) with units in scope runs recommendations and approves, edits and cancels
    the assignments of those units."""
    return has_hr_authority(user)


def can_manage_employee_training(user, employee) -> bool:
    """Needs, assignments, external learning and certificates of ``employee``: HR whose scope
    covers the employee's current unit."""
    return can_manage_assignments(user) and can_manage_employee(user, employee)


def can_review_external(user, record: ExternalLearning) -> bool:
    return can_manage_employee_training(user, record.employee)


def assignments_managed_by(user) -> QuerySet[Assignment]:
    if not can_manage_assignments(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(employee__in=employees_managed_by(user))


def certificates_managed_by(user) -> QuerySet[Certificate]:
    """Certificates of the employees in the officer's scope (the HR list, revoke, ZIP)."""
    if not can_manage_assignments(user):
        return Certificate.objects.none()
    return Certificate.objects.filter(employee__in=employees_managed_by(user))


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """The holder's own certificates and those HR manages (not the supervisor's: the PDF is
    personal data)."""
    if not (user and user.is_authenticated):
        return Certificate.objects.none()
    own = Q(employee__user=user)
    if can_manage_assignments(user):
        return Certificate.objects.filter(own | Q(employee__in=employees_managed_by(user)))
    return Certificate.objects.filter(own)


def can_view_certificates_of(user, employee) -> bool:
    """HR of their unit and the employee (not the supervisor: the PDF is personal data)."""
    if not (user and user.is_authenticated):
        return False
    if employee.user_id is not None and employee.user_id == user.pk:
        return True
    return can_manage_employee_training(user, employee)


def can_download_certificate(user, certificate: Certificate) -> bool:
    return can_view_certificates_of(user, certificate.employee)


def can_revoke_certificate(user, certificate: Certificate) -> bool:
    return can_manage_employee_training(user, certificate.employee)


def can_manage_certificate_templates(user) -> bool:
    """The certificate templates print on the certificates of every unit: added, changed and
    deleted by city-wide HR (and superusers) only."""
    return can_manage_framework(user)


def can_view_certificate_templates(user) -> bool:
    """Every HR officer with a unit in scope reads the templates and previews them."""
    return has_hr_authority(user) or can_manage_certificate_templates(user)
