"""The permission policies of the HR models in the Wagtail admin (registered in
``kompetensi/wagtail_hooks.py``): every answer comes from ``permissions.py``, through
:class:`~kompetensi.admin_views.ScopePolicy`."""

from __future__ import annotations

from django.db.models import Q

from kompetensi.admin_views import ScopePolicy
from kompetensi.models import Employee, HrScope, OrganizationUnit, Position
from kompetensi.permissions import (
    access_logs_visible_to,
    can_delete_unit,
    can_edit_unit,
    can_manage_competencies,
    can_manage_employee,
    can_manage_hr_scopes,
    can_manage_periods,
    can_manage_position,
    can_manage_unit,
    employees_managed_by,
    has_hr_authority,
    hr_scope,
    positions_managed_by,
    units_visible_to,
)


class UnitPolicy(ScopePolicy):
    """Units in scope are listed; renaming, moving and deleting need authority over the
    unit's parent (an officer cannot change the root of their own scope)."""

    def may_instance(self, user, action, instance):
        if action == "change":
            return can_edit_unit(user, instance)
        if action == "delete":
            return can_delete_unit(user, instance)
        return can_manage_unit(user, instance)

    def visible(self, user):
        return units_visible_to(user) if has_hr_authority(user) else self.model.objects.none()

    def editable(self, user):
        if not has_hr_authority(user):
            return self.model.objects.none()
        return OrganizationUnit.objects.filter(hr_scope(user).q("parent__path"))


class EmployeePolicy(ScopePolicy):
    def may_instance(self, user, action, instance):
        return can_manage_employee(user, instance)

    def visible(self, user):
        return employees_managed_by(user) if has_hr_authority(user) else Employee.objects.none()


class SkpPolicy(ScopePolicy):
    scope_path = "employee__unit__path"

    def may_instance(self, user, action, instance):
        return can_manage_employee(user, instance.employee)


class CityWideWritePolicy(ScopePolicy):
    """Every officer with a scope reads; only ``can_write`` (city-wide HR) adds, changes and
    deletes."""

    @staticmethod
    def can_write(user) -> bool:
        raise NotImplementedError

    def may(self, user, action):
        if action == "view":
            return has_hr_authority(user)
        return self.can_write(user)


class PeriodPolicy(CityWideWritePolicy):
    can_write = staticmethod(can_manage_periods)


class CompetencyPolicy(CityWideWritePolicy):
    can_write = staticmethod(can_manage_competencies)


class PositionPolicy(ScopePolicy):
    """Positions used across units and those of units in scope are listed; a unit's position
    is changed by HR of that unit, a city-wide one by city-wide HR."""

    def may_instance(self, user, action, instance):
        if action == "view":
            return instance.unit_id is None or can_manage_unit(user, instance.unit)
        return can_manage_position(user, instance)

    def visible(self, user):
        if not has_hr_authority(user):
            return Position.objects.none()
        scope = hr_scope(user)
        if scope.city_wide:
            return Position.objects.all()
        return Position.objects.filter(Q(unit__isnull=True) | scope.q("unit__path"))

    def editable(self, user):
        return positions_managed_by(user)


class AccessLogPolicy(ScopePolicy):
    """The audit log is append-only: nobody adds, edits or deletes rows. City-wide HR reads
    every row, a scoped officer those about employees of their units."""

    def may(self, user, action):
        return action == "view" and has_hr_authority(user)

    def may_instance(self, user, action, instance):
        if hr_scope(user).city_wide:
            return True
        return instance.employee_id is not None and can_manage_employee(user, instance.employee)

    def visible(self, user):
        return access_logs_visible_to(user)


class HrScopePolicy(ScopePolicy):
    """City-wide HR and superusers grant and revoke; a row is never edited."""

    def may(self, user, action):
        return action != "change" and can_manage_hr_scopes(user)

    def visible(self, user):
        if not can_manage_hr_scopes(user):
            return HrScope.objects.none()
        return HrScope.objects.all()
