"""HR (BKPSDM) manages the competency framework and people in the Wagtail admin: units,
competencies with their levels, positions with their requirements (inline), employees,
evaluation periods, SKP results, the audit log and the HR scopes of officers (the survey's
service points join the same menu from skm/wagtail_hooks.py). Search, filters and CSV/XLSX export on the listings.

Authority is not decided here. Each model has a permission policy (registered with
``wagtail.permissions.register_permission_policy``, consulted by Wagtail's generic views and
menus) that asks ``permissions.py``: which objects an officer sees (the listing, the export
and every object page: anything else is 404) and may change (403 when visible but not
theirs). Every create, edit and delete goes through the service of ``services.py`` /
``skm/services.py`` with ``actor=request.user``, which checks the same rules again and
writes the audit log; a service's refusal is shown on the form."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from core.errors import ServiceError
from core.models import AccessLog

from . import services
from .admin_views import HR_MENU_HOOK, ScopedViewSet, ScopePolicy
from .admin_views import fix_fields as _fix
from .admin_views import is_new as _is_new
from .admin_views import limit_choices as _limit
from .models import (
    Competency,
    Employee,
    EvaluationPeriod,
    HrScope,
    OrganizationUnit,
    Position,
    SkpResult,
)
from .permissions import (
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

# ---------------------------------------------------------------------------------------------
# Permission policies: every answer comes from permissions.py (ScopePolicy: admin_views.py)
# ---------------------------------------------------------------------------------------------


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
    def may_instance(self, user, action, instance):
        return can_manage_employee(user, instance.employee)

    def visible(self, user):
        if not has_hr_authority(user):
            return SkpResult.objects.none()
        return SkpResult.objects.filter(hr_scope(user).q("employee__unit__path"))


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


for _model, _policy in (
    (OrganizationUnit, UnitPolicy),
    (Employee, EmployeePolicy),
    (SkpResult, SkpPolicy),
    (EvaluationPeriod, PeriodPolicy),
    (Competency, CompetencyPolicy),
    (Position, PositionPolicy),
    (AccessLog, AccessLogPolicy),
    (HrScope, HrScopePolicy),
):
    register_permission_policy(_model, _policy(_model))


# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------


class UnitViewSet(ScopedViewSet):
    model = OrganizationUnit
    icon = "group"
    menu_label = _("Unit organisasi")
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    list_export = ["code", "name", "kind", "parent", "path"]
    export_filename = "unit-organisasi"
    search_fields = ["code", "name"]
    form_fields = ["code", "name", "kind", "parent"]
    list_select_related = ("parent",)

    def prepare_form(self, request, form, instance):
        user = request.user
        parents = units_visible_to(user)
        if not _is_new(instance):
            _fix(form, "code")
            parents = parents.exclude(pk=instance.pk).exclude(path__startswith=f"{instance.path}/")
        # A top-level unit (no parent) is for city-wide officers only.
        _limit(form, "parent", parents, required=not hr_scope(user).city_wide)

    def create_instance(self, request, form):
        data = form.cleaned_data
        return services.unit_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            kind=data.get("kind") or "",
            parent=data.get("parent"),
        )

    def update_instance(self, request, form, stored):
        data = form.cleaned_data
        return services.unit_update(
            actor=request.user,
            unit=stored,
            name=data["name"],
            kind=data.get("kind") or None,
            parent=data.get("parent"),
        )

    def delete_instance(self, request, instance):
        services.unit_delete(actor=request.user, unit=instance)


# ---------------------------------------------------------------------------------------------
# Competency dictionary and positions
# ---------------------------------------------------------------------------------------------


class CompetencyViewSet(ScopedViewSet):
    model = Competency
    icon = "list-ul"
    menu_label = _("Kamus kompetensi")
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    list_export = ["code", "name", "kind", "description", "source"]
    export_filename = "kamus-kompetensi"
    search_fields = ["code", "name", "description"]
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind")]),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("source"),
        InlinePanel(
            "levels",
            heading=_("Level 1–5 dan indikator perilaku"),
            label=_("Level"),
            min_num=1,
            max_num=5,
            panels=[FieldPanel("level"), FieldPanel("description"), FieldPanel("indicators")],
        ),
    ]

    def create_instance(self, request, form):
        return services.competency_save(actor=request.user, competency=form.save(commit=False))

    def update_instance(self, request, form, stored):
        return self.create_instance(request, form)

    def delete_instance(self, request, instance):
        services.competency_delete(actor=request.user, competency=instance)


class PositionViewSet(ScopedViewSet):
    model = Position
    icon = "tag"
    menu_label = _("Jabatan & standar kompetensi")
    list_display = ["name", "code", "kind", "unit"]
    list_filter = ["kind", "is_front_line"]
    list_export = ["code", "name", "kind", "jenjang", "unit", "is_front_line"]
    export_filename = "jabatan"
    search_fields = ["code", "name"]
    list_select_related = ("unit",)
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind"), FieldPanel("jenjang")]),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("is_front_line")]),
        InlinePanel(
            "requirements",
            heading=_("Standar kompetensi jabatan (level dibutuhkan)"),
            label=_("Kompetensi"),
            panels=[FieldPanel("competency"), FieldPanel("level")],
        ),
    ]

    def prepare_form(self, request, form, instance):
        # A position used across units (no unit) is for city-wide officers only.
        _limit(
            form,
            "unit",
            units_visible_to(request.user),
            required=not hr_scope(request.user).city_wide,
        )

    def create_instance(self, request, form):
        return services.position_save(actor=request.user, position=form.save(commit=False))

    def update_instance(self, request, form, stored):
        return self.create_instance(request, form)

    def delete_instance(self, request, instance):
        services.position_delete(actor=request.user, position=instance)


# ---------------------------------------------------------------------------------------------
# Employees
# ---------------------------------------------------------------------------------------------

EMPLOYEE_UPDATABLE = (
    "name",
    "email",
    "employee_type",
    "unit",
    "position",
    "rank",
    "supervisor",
    "is_active",
    "development_review",
)


class EmployeeViewSet(ScopedViewSet):
    model = Employee
    icon = "user"
    menu_label = _("Pegawai")
    list_display = ["name", "nip", "unit", "position", "rank", "supervisor"]
    list_filter = ["employee_type", "is_active", "development_review", "position__kind"]
    list_export = [
        "nip",
        "name",
        "email",
        "employee_type",
        "unit",
        "position",
        "rank",
        "supervisor",
        "is_active",
        "development_review",
    ]
    export_filename = "pegawai"
    search_fields = ["nip", "name", "email"]
    list_select_related = ("unit", "position", "supervisor")
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("nip"), FieldPanel("employee_type")]),
                FieldPanel("name"),
                FieldPanel("email"),
            ],
            heading=_("Identitas"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("unit"),
                FieldPanel("position"),
                FieldRowPanel([FieldPanel("rank"), FieldPanel("supervisor")]),
            ],
            heading=_("Jabatan"),
        ),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("development_review")]),
    ]

    def get_form_class(self, for_update=False):
        base = super().get_form_class(for_update)

        class EmployeeAdminForm(base):
            """The same rules as the services: NIP parts, rank, no supervisor cycle."""

            def clean(self):
                data = super().clean()
                etype = data.get("employee_type") or "PNS"
                checks = [
                    ("nip", lambda: services.clean_nip(data.get("nip", ""), employee_type=etype)),
                    (
                        "rank",
                        lambda: services.clean_rank(data.get("rank", ""), employee_type=etype),
                    ),
                    (
                        "supervisor",
                        lambda: services.check_supervisor(self.instance, data.get("supervisor")),
                    ),
                ]
                for name, check in checks:
                    if name not in data:
                        continue
                    try:
                        value = check()
                    except ServiceError as error:
                        self.add_error(name, error.message)
                    else:
                        if name in ("nip", "rank"):
                            data[name] = value
                return data

        return EmployeeAdminForm

    def prepare_form(self, request, form, instance):
        user = request.user
        new = _is_new(instance)
        if not new:
            _fix(form, "nip")  # the NIP is the account's username: fixed once created
        scope = hr_scope(user)
        _limit(form, "unit", units_visible_to(user), keep=None if new else instance.unit)
        positions = Position.objects.filter(Q(unit__isnull=True) | scope.q("unit__path"))
        _limit(
            form,
            "position",
            positions,
            keep=None if new or not instance.position_id else instance.position,
        )

    def create_instance(self, request, form):
        data = form.cleaned_data
        employee = services.employee_create(
            actor=request.user,
            nip=data["nip"],
            name=data["name"],
            unit=data["unit"],
            email=data.get("email") or "",
            employee_type=data.get("employee_type") or "PNS",
            position=data.get("position"),
            rank=data.get("rank") or "",
            supervisor=data.get("supervisor"),
        )
        extra = {}
        if not data.get("is_active", True):
            extra["is_active"] = False
        if data.get("development_review"):
            extra["development_review"] = True
        if extra:
            employee = services.employee_update(actor=request.user, employee=employee, **extra)
        return employee

    def update_instance(self, request, form, stored):
        data = form.cleaned_data
        changes = {
            name: data[name]
            for name in EMPLOYEE_UPDATABLE
            if name in form.changed_data and name in data
        }
        for name in ("name", "email", "employee_type", "rank"):
            if name in changes and changes[name] is None:
                changes[name] = ""
        return services.employee_update(actor=request.user, employee=stored, **changes)

    def delete_instance(self, request, instance):
        services.employee_delete(actor=request.user, employee=instance)


# ---------------------------------------------------------------------------------------------
# Periods and SKP results
# ---------------------------------------------------------------------------------------------


class PeriodViewSet(ScopedViewSet):
    model = EvaluationPeriod
    icon = "date"
    menu_label = _("Periode penilaian")
    list_display = ["code", "name", "start", "end", "is_open"]
    list_filter = ["is_open"]
    list_export = ["code", "name", "start", "end", "is_open"]
    export_filename = "periode-penilaian"
    search_fields = ["code", "name"]
    form_fields = ["code", "name", "start", "end", "is_open"]

    def prepare_form(self, request, form, instance):
        if not _is_new(instance):
            _fix(form, "code")

    def create_instance(self, request, form):
        data = form.cleaned_data
        return services.period_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            start=data["start"],
            end=data["end"],
            is_open=bool(data.get("is_open")),
        )

    def update_instance(self, request, form, stored):
        data = form.cleaned_data
        return services.period_update(
            actor=request.user,
            period=stored,
            name=data["name"],
            start=data["start"],
            end=data["end"],
            is_open=bool(data.get("is_open")),
        )

    def delete_instance(self, request, instance):
        services.period_delete(actor=request.user, period=instance)


class SkpViewSet(ScopedViewSet):
    """The predicate is computed from the two ratings by the service (never typed)."""

    model = SkpResult
    icon = "doc-full"
    menu_label = _("Hasil SKP (e-Kinerja)")
    list_display = ["employee", "period", "hasil_kerja", "perilaku_kerja", "predicate", "origin"]
    list_filter = ["period", "predicate", "origin"]
    list_export = ["employee", "period", "hasil_kerja", "perilaku_kerja", "predicate", "origin"]
    export_filename = "hasil-skp"
    search_fields = ["employee__name", "employee__nip"]
    form_fields = ["employee", "period", "hasil_kerja", "perilaku_kerja"]
    list_select_related = ("employee", "period")

    def prepare_form(self, request, form, instance):
        if _is_new(instance):
            _limit(form, "employee", employees_managed_by(request.user))
        else:
            _fix(form, "employee", "period")  # another employee or period: a new result

    def _record(self, request, employee, period, data):
        return services.skp_record(
            actor=request.user,
            employee=employee,
            period=period,
            hasil_kerja=data["hasil_kerja"],
            perilaku_kerja=data["perilaku_kerja"],
            origin=SkpResult.Origin.MANUAL,
        )

    def create_instance(self, request, form):
        data = form.cleaned_data
        return self._record(request, data["employee"], data["period"], data)

    def update_instance(self, request, form, stored):
        return self._record(request, stored.employee, stored.period, form.cleaned_data)

    def delete_instance(self, request, instance):
        services.skp_delete(actor=request.user, result=instance)


# ---------------------------------------------------------------------------------------------
# The audit log (read-only) and HR scopes
# ---------------------------------------------------------------------------------------------


class AuditLogViewSet(ScopedViewSet):
    """Log audit data pribadi (read-only): search by actor, NIP or action. A scoped officer
    sees the rows about employees of their units."""

    model = AccessLog
    icon = "history"
    menu_label = _("Log audit")
    menu_order = 8
    list_display = ["created_at", "user", "action", "employee", "object_type", "detail"]
    list_filter = {"action": ["exact"], "created_at": ["gte", "lte"]}
    search_fields = ["user__username", "employee__nip", "employee__name", "action", "detail"]
    inspect_view_enabled = True
    form_fields = ["action"]
    ordering = ["-created_at"]
    list_select_related = ("user", "employee")


class HrScopeForm(forms.ModelForm):
    """Grant: an officer (by username) and a unit, or no unit for the whole city."""

    username = forms.CharField(
        label=_("Username petugas"),
        max_length=150,
        help_text=_("Bila belum anggota BKPSDM, petugas ditambahkan ke grup itu."),
    )

    class Meta:
        model = HrScope
        fields = ["username", "unit"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].required = False
        self.fields["unit"].empty_label = _("— seluruh kota —")
        self.grantee = None

    def clean_username(self):
        username = (self.cleaned_data.get("username") or "").strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Pengguna tidak ditemukan atau tidak aktif."))
        self.grantee = user
        return username

    def clean(self):
        data = super().clean()
        if (
            self.grantee is not None
            and HrScope.objects.filter(user=self.grantee, unit=data.get("unit")).exists()
        ):
            raise forms.ValidationError(_("Petugas ini sudah memiliki cakupan tersebut."))
        return data


class HrScopeViewSet(ScopedViewSet):
    """Cakupan petugas SDM: which units each BKPSDM officer administers (a unit with all its
    sub-units, or the whole city). City-wide HR and superusers grant and revoke (audited); a
    row is never edited (revoke it and grant another)."""

    model = HrScope
    icon = "lock"
    menu_label = _("Cakupan petugas SDM")
    menu_order = 9
    list_display = ["__str__", "granted_by", "granted_at"]
    search_fields = ["user__username", "user__first_name", "unit__name", "unit__code"]
    list_select_related = ("user", "unit", "granted_by")
    ordering = ["user__username", "unit__path"]

    def get_form_class(self, for_update=False):
        return HrScopeForm

    def create_instance(self, request, form):
        return services.hr_scope_grant(
            actor=request.user, user=form.grantee, unit=form.cleaned_data.get("unit")
        )

    def delete_instance(self, request, instance):
        services.hr_scope_revoke(actor=request.user, scope=instance)


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
