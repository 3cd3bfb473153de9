"""Who may see and change which people data. The one place these rules are decided.

HR scope: a BKPSDM officer administers the units of their ``HrScope`` rows (each unit with
all its sub-units); a row without a unit means the whole city. An officer with no row
administers nothing (fail closed). Superusers are city-wide. The scope is read once per
request (memoised on the user object of that request, never cached across requests).

City-wide acts (opening and closing periods, the competency dictionary, positions used across
units, the certificate template, HR scopes) are for city-wide officers only.

An ASN sees themself; a supervisor sees their direct reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from core.roles import GROUP_ASN, GROUP_HR, forget_roles, in_group, is_hr, role_rows

from .models import (
    Employee,
    HrScope,
    OrganizationUnit,
    Position,
    in_unit_subtree,
    unit_subtree_q,
)

_MEMO = "_sikap_hr_scope"


@dataclass(frozen=True)
class Scope:
    """What an officer administers: everything (``city_wide``) or the subtrees of ``paths``."""

    city_wide: bool
    paths: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.city_wide and not self.paths

    def covers_path(self, path: str | None) -> bool:
        if self.city_wide:
            return True
        if not path:
            return False
        return any(in_unit_subtree(path, p) for p in self.paths)

    def covers(self, unit: OrganizationUnit | None) -> bool:
        """``unit`` None means "the whole city" (a top-level act): city-wide officers only."""
        if unit is None:
            return self.city_wide
        return self.covers_path(unit.path)

    def q(self, field: str) -> Q:
        """A filter on a unit path field (``"path"``, ``"unit__path"``…) for this scope."""
        if self.city_wide:
            return Q()
        return unit_subtree_q(field, self.paths)


def hr_scope_role_rows(user):
    """``hooks.ROLE_ROWS``: the user's HR scope rows as ``("s", unit id, unit path)`` text
    triples, read in the same query as their group names (``core.roles``)."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast

    text = CharField()
    return (
        HrScope.objects.filter(user_id=user.pk)
        .order_by()
        .values_list(
            Value("s", output_field=text), Cast("unit_id", output_field=text), "unit__path"
        )
    )


def supervisor_role_rows(user):
    """``hooks.ROLE_ROWS``: one ``("t", "1", "")`` row per direct report of ``user`` (none when
    they supervise nobody), read with the group names, so the layout knows whether to offer
    "Tim saya" without a query of its own."""
    from django.db.models import CharField, Value

    text = CharField()
    return (
        Employee.objects.filter(supervisor__user_id=user.pk, is_active=True)
        .order_by()
        .values_list(
            Value("t", output_field=text),
            Value("1", output_field=text),
            Value("", output_field=text),
        )
    )


def hr_scope_rows(user) -> list[tuple[int | None, str | None]]:
    """``(unit_id, unit_path)`` of each HR scope row of ``user`` (``unit_id`` None: city-wide),
    loaded with the group names in one query."""
    return [
        (int(value) if value is not None else None, path) for value, path in role_rows(user, "s")
    ]


NO_SCOPE = Scope(city_wide=False)
CITY_WIDE = Scope(city_wide=True)


def hr_scope(user) -> Scope:
    """The HR scope of ``user`` for this request: one query, memoised on the user object."""
    if not (user and getattr(user, "is_authenticated", False)):
        return NO_SCOPE
    memo = getattr(user, _MEMO, None)
    if memo is not None:
        return memo
    if user.is_superuser:
        scope = CITY_WIDE
    elif not in_group(user, GROUP_HR):
        scope = NO_SCOPE
    else:
        rows = hr_scope_rows(user)
        if any(unit_id is None for unit_id, _path in rows):
            scope = CITY_WIDE
        else:
            scope = Scope(city_wide=False, paths=tuple(sorted(path for _id, path in rows)))
    setattr(user, _MEMO, scope)
    return scope


def forget_hr_scope(user) -> None:
    """Drop the memos on ``user`` (after a grant or revoke in the same request)."""
    if user is not None and hasattr(user, _MEMO):
        delattr(user, _MEMO)
    forget_roles(user)


def hr_scope_paths(user) -> list[str] | None:
    """Compatibility form of :func:`hr_scope`: None = the whole city, a list of unit paths
    (each with its subtree), or ``[]`` = no HR authority at all."""
    scope = hr_scope(user)
    if scope.city_wide:
        return None
    return list(scope.paths)


def is_city_wide_hr(user) -> bool:
    """Superusers and BKPSDM officers with a city-wide scope row."""
    return hr_scope(user).city_wide


def has_hr_authority(user) -> bool:
    """BKPSDM (or superuser) with at least one unit in scope."""
    return is_hr(user) and not hr_scope(user).empty


def units_visible_to(user) -> QuerySet[OrganizationUnit]:
    scope = hr_scope(user)
    return OrganizationUnit.objects.filter(scope.q("path"))


def employees_managed_by(user) -> QuerySet[Employee]:
    """Employees an HR officer may manage (all, or their units' people)."""
    return Employee.objects.filter(hr_scope(user).q("unit__path"))


def employees_visible_to(user) -> QuerySet[Employee]:
    """HR: their scope, plus themself and their direct reports; everyone else: themself and
    their direct reports."""
    if not (user and user.is_authenticated):
        return Employee.objects.none()
    own = Q(user=user) | Q(supervisor__user=user)
    if is_hr(user):
        scope = hr_scope(user)
        if scope.city_wide:
            return Employee.objects.all()
        return Employee.objects.filter(scope.q("unit__path") | own)
    return Employee.objects.filter(own)


def can_manage_employee(user, employee: Employee) -> bool:
    """HR whose scope covers the employee's (current) unit."""
    if not is_hr(user):
        return False
    return hr_scope(user).covers(employee.unit)


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
    if can_manage_employee(user, employee):
        return True
    return is_supervisor_of(user, employee)


def can_create_employee(user, unit: OrganizationUnit) -> bool:
    return is_hr(user) and hr_scope(user).covers(unit)


def can_move_employee(user, employee: Employee, unit: OrganizationUnit) -> bool:
    """Moving an employee needs authority over both the current and the new unit."""
    return can_manage_employee(user, employee) and hr_scope(user).covers(unit)


def account_roles(account) -> list[str]:
    """The roles an account holds besides ASN (names of groups, "superuser")."""
    if account is None:
        return []
    roles = ["superuser"] if account.is_superuser else []
    roles += sorted(
        name for name in account.groups.values_list("name", flat=True) if name != GROUP_ASN
    )
    return roles


def can_change_account_email(user, account) -> bool:
    """Nobody changes the e-mail of an account holding a role other than their own, except a
    superuser. (Whether ``user`` may edit the employee at all is ``can_manage_employee``.)"""
    if account is None:
        return True
    if user.is_superuser or account.pk == user.pk:
        return True
    return not account_roles(account)


def can_write_evaluation(user, employee: Employee, source: str) -> bool:
    """Self: only the employee. Supervisor: their direct supervisor, or HR of their unit.
    Peer (360, entered anonymised) and assessment: HR of their unit."""
    if not (user and user.is_authenticated):
        return False
    if source == "self":
        return employee.user_id == user.pk
    if source == "supervisor":
        return is_supervisor_of(user, employee) or can_manage_employee(user, employee)
    if source in {"peer", "assessment"}:
        return can_manage_employee(user, employee)
    return False


def can_view_peer_ratings(user, employee: Employee) -> bool:
    """Individual peer ratings: HR of the unit only (the access is logged by the selector)."""
    return can_manage_employee(user, employee)


def evaluations_visible_q(user) -> Q:
    """The evaluations ``user`` may read (``Evaluation`` filter): those they may write (their
    self-evaluation; the supervisor evaluation of a direct report), every evaluation of the
    employees in their HR scope, and their own — but never the individual peer ratings of
    themself (an employee sees those only aggregated), whatever other role they hold."""
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    visible = Q(employee__user=user) | Q(employee__supervisor__user=user, source="supervisor")
    if is_hr(user):
        scope = hr_scope(user)
        if scope.city_wide:
            visible = Q(pk__isnull=False)  # (``Q() | x`` would be just ``x``)
        elif not scope.empty:
            visible |= scope.q("employee__unit__path")
    return visible & ~Q(employee__user=user, source="peer")


def can_manage_framework(user) -> bool:
    """The competency dictionary, evaluation periods, city-wide positions: city-wide HR."""
    return is_hr(user) and is_city_wide_hr(user)


can_manage_periods = can_manage_framework
can_manage_competencies = can_manage_framework


def can_manage_hr_scopes(user) -> bool:
    return is_hr(user) and is_city_wide_hr(user)


def can_manage_unit(user, unit: OrganizationUnit) -> bool:
    """The unit's people, service points, reports: HR whose scope covers the unit."""
    return is_hr(user) and hr_scope(user).covers(unit)


def can_create_unit(user, parent: OrganizationUnit | None) -> bool:
    """A new unit goes below a unit in scope; a top-level unit needs city-wide HR."""
    return is_hr(user) and hr_scope(user).covers(parent)


def can_edit_unit(user, unit: OrganizationUnit) -> bool:
    """Renaming a unit: HR of its parent (city-wide HR for a top-level unit), so an officer
    cannot rename or move the root of their own scope."""
    if not is_hr(user):
        return False
    parent = unit.parent if unit.parent_id else None
    return hr_scope(user).covers(parent)


def can_move_unit(user, unit: OrganizationUnit, new_parent: OrganizationUnit | None) -> bool:
    """Authority over both the old and the new parent."""
    return can_edit_unit(user, unit) and hr_scope(user).covers(new_parent)


def can_delete_unit(user, unit: OrganizationUnit) -> bool:
    return can_edit_unit(user, unit)


def can_manage_position(user, position: Position) -> bool:
    """A position of one unit: HR of that unit; a position used across units: city-wide HR."""
    if not is_hr(user):
        return False
    return hr_scope(user).covers(position.unit if position.unit_id else None)


def positions_managed_by(user) -> QuerySet[Position]:
    scope = hr_scope(user)
    if not is_hr(user):
        return Position.objects.none()
    if scope.city_wide:
        return Position.objects.all()
    return Position.objects.filter(unit__isnull=False).filter(scope.q("unit__path"))


def access_logs_visible_to(user):
    """Audit log rows an officer may read: city-wide HR all of them; a scoped officer only the
    rows about an employee of their units (rows about no employee — units, scopes, the
    framework — are city-wide business); nobody else any."""
    from core.models import AccessLog

    if not is_hr(user):
        return AccessLog.objects.none()
    scope = hr_scope(user)
    if scope.city_wide:
        return AccessLog.objects.all()
    if scope.empty:
        return AccessLog.objects.none()
    return AccessLog.objects.filter(employee__isnull=False).filter(scope.q("employee__unit__path"))
