"""HR (BKPSDM) manages the competency framework and people in the Wagtail admin: units,
competencies with their levels, positions with their requirements (inline), employees,
evaluation periods, SKP results, the audit log and the HR scopes of officers (the survey's
service points join the same menu from skm/wagtail_hooks.py). Search, filters and CSV/XLSX
export on the listings. The viewsets and policies live in ``kompetensi/admin/``; this module
registers them.

Authority is not decided here. Each model has a permission policy (registered with
``wagtail.permissions.register_permission_policy``, consulted by Wagtail's generic views and
menus) that asks ``permissions.py``: which objects an officer sees (the listing, the export
and every object page: anything else is 404) and may change (403 when visible but not
theirs). Every create, edit and delete goes through the service of ``services.py`` /
``skm/services.py`` with ``actor=request.user``, which checks the same rules again and
writes the audit log; a service's refusal is shown on the form."""

from __future__ import annotations

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from core.models import AccessLog

from .admin import policies
from .admin.access import AuditLogViewSet, HrScopeViewSet
from .admin.organisation import CompetencyViewSet, PositionViewSet, UnitViewSet
from .admin.people import EmployeeViewSet, PeriodViewSet, SkpViewSet
from .admin_views import HR_MENU_HOOK
from .models import (
    Competency,
    Employee,
    EvaluationPeriod,
    HrScope,
    OrganizationUnit,
    Position,
    SkpResult,
)
from .permissions import has_hr_authority

for _model, _policy in (
    (OrganizationUnit, policies.UnitPolicy),
    (Employee, policies.EmployeePolicy),
    (SkpResult, policies.SkpPolicy),
    (EvaluationPeriod, policies.PeriodPolicy),
    (Competency, policies.CompetencyPolicy),
    (Position, policies.PositionPolicy),
    (AccessLog, policies.AccessLogPolicy),
    (HrScope, policies.HrScopePolicy),
):
    register_permission_policy(_model, _policy(_model))


class KompetensiGroup(ModelViewSetGroup):
    menu_label = _("Kompetensi & SDM")
    menu_icon = "group"
    menu_order = 250
    submenu_hook = HR_MENU_HOOK
    items = (
        UnitViewSet("unit"),
        CompetencyViewSet("kamus-kompetensi"),
        PositionViewSet("jabatan"),
        EmployeeViewSet("pegawai"),
        PeriodViewSet("periode"),
        SkpViewSet("skp"),
        AuditLogViewSet("log-audit"),  # menu_order 8
        HrScopeViewSet("cakupan-sdm"),  # menu_order 9
    )


@hooks.register("register_admin_viewset")
def register_kompetensi_viewsets():
    return KompetensiGroup()


class _HrPageMenuItem(MenuItem):
    """A page of the HR site (/sdm/…) in the admin's "Kompetensi & SDM" menu, for HR only."""

    def is_shown(self, request):
        return has_hr_authority(request.user)


@hooks.register(HR_MENU_HOOK)
def register_employee_import_menu_item():
    return _HrPageMenuItem(
        _("Impor pegawai"),
        reverse_lazy("kompetensi:employee_import"),
        name="impor-pegawai",
        icon_name="upload",
        order=3,
    )


@hooks.register(HR_MENU_HOOK)
def register_skp_import_menu_item():
    return _HrPageMenuItem(
        _("Impor hasil SKP"),
        reverse_lazy("kompetensi:skp_import"),
        name="impor-skp",
        icon_name="upload",
        order=5,
    )
