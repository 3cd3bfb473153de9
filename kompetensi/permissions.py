"""Who may see and change which people data. The one place these rules are decided.

HR (group BKPSDM) sees every unit unless the officer has been scoped to some units with the
object permission ``kompetensi.manage_unit_people`` on ``OrganizationUnit`` (granted to the
user or one of their groups); a scoped officer sees those units and their sub-units only.
An ASN sees themself; a supervisor sees their direct reports."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from .models import Employee, OrganizationUnit
from .roles import is_hr

SCOPE_PERM = "kompetensi.manage_unit_people"


def hr_scope_paths(user) -> list[str] | None:
    """None: all units. A list of unit paths (each with its subtree): a scoped HR officer.
    An empty list: no HR access at all. Cached on the user object for the request."""
    if not (user and user.is_authenticated):
        return []
    cached = getattr(user, "_sikap_hr_scope", "unset")
    if cached != "unset":
        return cached
    if user.is_superuser:
        scope = None
    elif not is_hr(user):
        scope = []
    else:
        from portal import dataversion

        # Cached under the version of the permission tables and the units (a grant, a
        # revocation, a group change or a moved unit is seen at the next request).
        scope = dataversion.cached(
            "access",
            f"hr-scope:{user.pk}",
            lambda: (
                list(
                    get_objects_for_user(
                        user, SCOPE_PERM, klass=OrganizationUnit, accept_global_perms=False
                    ).values_list("path", flat=True)
                )
                or None
            ),
        )
    user._sikap_hr_scope = scope
    return scope


def _path_filter(paths: list[str], field: str) -> Q:
    return reduce(
        or_, (Q(**{field: p}) | Q(**{f"{field}__startswith": f"{p}/"}) for p in paths), Q()
    )


def units_visible_to(user) -> QuerySet[OrganizationUnit]:
    scope = hr_scope_paths(user)
    if scope is None:
        return OrganizationUnit.objects.all()
    if not scope:
        return OrganizationUnit.objects.none()
    return OrganizationUnit.objects.filter(_path_filter(scope, "path"))


def employees_managed_by(user) -> QuerySet[Employee]:
    """Employees an HR officer may manage (all, or their units' people)."""
    scope = hr_scope_paths(user)
    if scope is None:
        return Employee.objects.all()
    if not scope:
        return Employee.objects.none()
    return Employee.objects.filter(_path_filter(scope, "unit__path"))


def employees_visible_to(user) -> QuerySet[Employee]:
    """HR: their scope; everyone else: themself and their direct reports."""
    if not (user and user.is_authenticated):
        return Employee.objects.none()
    if is_hr(user):
        return employees_managed_by(user)
    return Employee.objects.filter(Q(user=user) | Q(supervisor__user=user))


def can_manage_employee(user, employee: Employee) -> bool:
    scope = hr_scope_paths(user)
    if scope is None:
        return True
    return any(employee.unit.path == p or employee.unit.path.startswith(f"{p}/") for p in scope)


def is_supervisor_of(user, employee: Employee) -> bool:
    return bool(
        user
        and user.is_authenticated
        and employee.supervisor_id
        and employee.supervisor.user_id == user.pk
    )


def can_view_employee(user, employee: Employee) -> bool:
    """HR of their unit, the person, or their direct supervisor."""
    if not (user and user.is_authenticated):
        return False
    if employee.user_id == user.pk:
        return True
    if is_hr(user):
        return can_manage_employee(user, employee)
    return is_supervisor_of(user, employee)


def is_hr_for(user, employee: Employee) -> bool:
    """HR whose scope covers the employee's unit."""
    return is_hr(user) and can_manage_employee(user, employee)


def can_write_evaluation(user, employee: Employee, source: str) -> bool:
    """Self: only the employee. Supervisor: their direct supervisor, or HR of their unit.
    Peer (360, entered anonymised) and assessment: HR of their unit."""
    if not (user and user.is_authenticated):
        return False
    if source == "self":
        return employee.user_id == user.pk
    if source == "supervisor":
        return is_supervisor_of(user, employee) or is_hr_for(user, employee)
    if source in {"peer", "assessment"}:
        return is_hr_for(user, employee)
    return False


def can_view_peer_ratings(user, employee: Employee) -> bool:
    """Individual peer ratings: HR of the unit only (the access is logged by the selector)."""
    return is_hr_for(user, employee)


def can_manage_framework(user) -> bool:
    """Units, competencies, positions, periods: HR (BKPSDM)."""
    return is_hr(user)


def can_manage_unit(user, unit: OrganizationUnit) -> bool:
    scope = hr_scope_paths(user)
    if scope is None:
        return True
    return any(unit.path == p or unit.path.startswith(f"{p}/") for p in scope)


def direct_reports_of(user) -> QuerySet[Employee]:
    if not (user and user.is_authenticated):
        return Employee.objects.none()
    return Employee.objects.filter(supervisor__user=user, is_active=True)
