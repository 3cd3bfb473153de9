"""HR (BKPSDM) manages the competency framework and people in the Wagtail admin: units,
competencies with their levels, positions with their requirements (inline), employees,
evaluation periods, SKP results, service points, the audit log and the HR scopes of
officers. Search, filters and CSV/XLSX export on the listings.

Authority is not decided here. Each model has a permission policy (registered with
``wagtail.permissions.register_permission_policy``, consulted by Wagtail's generic views and
menus) that asks ``permissions.py``: which objects an officer sees (the listing, the export
and every object page: anything else is 404) and may change (403 when visible but not
theirs). Every create, edit and delete goes through the service of ``services.py`` /
``skm_services.py`` with ``actor=request.user``, which checks the same rules again and
writes the audit log; a service's refusal is shown on the form."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.forms import modelform_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.admin_exports import ModelViewSet

from . import services, skm_services
from .errors import NotAllowed, NotFound, ServiceError
from .models import (
    AccessLog,
    Competency,
    Employee,
    EvaluationPeriod,
    HrScope,
    OrganizationUnit,
    Position,
    ServicePoint,
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
    can_manage_service_point,
    can_manage_unit,
    employees_managed_by,
    has_hr_authority,
    hr_scope,
    positions_managed_by,
    units_visible_to,
)

# ---------------------------------------------------------------------------------------------
# Permission policies: every answer comes from permissions.py
# ---------------------------------------------------------------------------------------------


class ScopePolicy(ModelPermissionPolicy):
    """Model level (menus, buttons, which views open): :meth:`may`; one object:
    :meth:`may_instance`; the objects listed and reachable at all: :meth:`visible` (the generic
    views below answer 404 for any other). By default: HR officers with at least one unit in
    scope (an officer without a scope row sees nothing)."""

    def may(self, user, action: str) -> bool:
        return has_hr_authority(user)

    def may_instance(self, user, action: str, instance) -> bool:
        return True

    def visible(self, user):
        if not has_hr_authority(user):
            return self.model._default_manager.none()
        return self.model._default_manager.all()

    def editable(self, user):
        return self.visible(user)

    # -- Wagtail's interface --------------------------------------------------------------------

    def user_has_permission(self, user, action):
        if not (user and user.is_authenticated and user.is_active):
            return False
        return self.may(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.may_instance(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = [a for a in actions if self.user_has_permission(user, a)]
        if not allowed:
            return self.model._default_manager.none()
        if "view" in allowed:
            return self.visible(user)
        return self.editable(user)


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


class ServicePointPolicy(ScopePolicy):
    def may_instance(self, user, action, instance):
        return can_manage_service_point(user, instance.unit)

    def visible(self, user):
        if not has_hr_authority(user):
            return ServicePoint.objects.none()
        return ServicePoint.objects.filter(hr_scope(user).q("unit__path"))


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
    (ServicePoint, ServicePointPolicy),
    (AccessLog, AccessLogPolicy),
    (HrScope, HrScopePolicy),
):
    register_permission_policy(_model, _policy(_model))


# ---------------------------------------------------------------------------------------------
# Generic views: scoped objects (404 outside), writes through the viewset's service calls
# ---------------------------------------------------------------------------------------------

# A service names the API's field; the admin form's field may be called differently.
FORM_FIELD = {"unit_code": "unit", "parent_code": "parent", "supervisor_nip": "supervisor"}


def _service_error_on_form(form, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else FORM_FIELD.get(error.field)
    if field not in form.fields or form.fields[field].disabled:
        field = None
    form.add_error(field, error.message)


class ScopedMixin:
    """The viewset (for its service calls and form rules) and the objects the user sees."""

    viewset = None

    def visible_queryset(self):
        qs = self.permission_policy.visible(self.request.user)
        related = getattr(self.viewset, "list_select_related", None)
        return qs.select_related(*related) if related else qs


class ScopedIndexView(ScopedMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.visible_queryset()


class ScopedHistoryView(ScopedMixin, HistoryView):
    def get_base_object_queryset(self):
        return self.visible_queryset()


class ScopedUsageView(ScopedMixin, UsageView):
    def get_base_object_queryset(self):
        return self.visible_queryset()


class ScopedInspectView(ScopedMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.visible_queryset(), pk=unquote(str(self.pk)))


class ServiceFormMixin(ScopedMixin):
    """The form's choices are limited by the viewset (``prepare_form``) and the save is the
    viewset's service call: a refusal (403), a hidden object (404) or bad input (the message
    on the form) writes nothing."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        self.viewset.prepare_form(self.request, form, getattr(self, "object", None))
        return form

    def save_instance(self):
        request, form = self.request, self.form
        current = getattr(self, "object", None)
        if current is None or current.pk is None:
            instance = self.viewset.create_instance(request, form)
            log(instance=instance, action="wagtail.create", user=request.user)
        else:
            # The form has already copied its values onto ``current``; the service gets the
            # stored row and the new values.
            stored = self.model._default_manager.get(pk=current.pk)
            instance = self.viewset.update_instance(request, form, stored)
            log(instance=instance, action="wagtail.edit", user=request.user)
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from None
        except NotFound:
            raise Http404 from None
        except ServiceError as error:
            _service_error_on_form(form, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ServiceCreateView(ServiceFormMixin, generic.CreateView):
    pass


class ServiceEditView(ServiceFormMixin, generic.EditView):
    def get_object(self, queryset=None):
        obj = super().get_object(self.visible_queryset())
        if not self.user_has_permission_for_instance("change", obj):
            raise PermissionDenied
        return obj


class ServiceDeleteView(ScopedMixin, generic.DeleteView):
    def get_object(self, queryset=None):
        if getattr(self, "object", None):
            return self.object
        obj = super().get_object(self.visible_queryset())
        if not self.user_has_permission_for_instance("delete", obj):
            raise PermissionDenied
        return obj

    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user)
            self.viewset.delete_instance(self.request, self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from None
        except NotFound:
            raise Http404 from None
        except ServiceError as error:
            messages.error(self.request, error.message)
            return redirect(self.request.path)


class ScopedViewSet(ModelViewSet):
    """A model viewset whose views follow the model's permission policy and save through
    services. Subclasses implement :meth:`create_instance`, :meth:`update_instance`,
    :meth:`delete_instance` and may limit the form in :meth:`prepare_form`."""

    index_view_class = ScopedIndexView
    add_view_class = ServiceCreateView
    edit_view_class = ServiceEditView
    delete_view_class = ServiceDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_class = ScopedInspectView
    copy_view_enabled = False
    search_backend_name = None
    list_select_related: tuple[str, ...] = ()

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(viewset=self, **kwargs)

    def prepare_form(self, request, form, instance) -> None:
        """Limit choices / fix fields for ``request.user`` (``instance`` None: a new one)."""

    def create_instance(self, request, form):
        raise PermissionDenied

    def update_instance(self, request, form, stored):
        raise PermissionDenied

    def delete_instance(self, request, instance) -> None:
        raise PermissionDenied


def _limit(form, name: str, queryset, *, keep=None, required: bool | None = None) -> None:
    """Limit the choices of ``form.fields[name]`` to ``queryset`` (plus the current ``keep``
    value, so an unchanged form stays valid)."""
    field = form.fields.get(name)
    if field is None:
        return
    if keep is not None:
        queryset = queryset | type(keep)._default_manager.filter(pk=keep.pk)
    field.queryset = queryset.distinct()
    if required is not None:
        field.required = required


def _fix(form, *names: str) -> None:
    for name in names:
        if name in form.fields:
            form.fields[name].disabled = True


def _is_new(instance) -> bool:
    return instance is None or instance.pk is None


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
# Service points (SKM)
# ---------------------------------------------------------------------------------------------


class ServicePointViewSet(ScopedViewSet):
    """Counters citizens rate (SKM). ``code`` is in the public URL and printed on QR posters,
    so it is fixed once created."""

    model = ServicePoint
    icon = "site"
    menu_label = _("Titik layanan (SKM)")
    list_display = ["service", "code", "unit", "is_active"]
    list_filter = ["unit", "is_active"]
    list_export = ["code", "service", "unit", "is_active"]
    export_filename = "titik-layanan"
    search_fields = ["service", "code"]
    form_fields = ["code", "service", "unit", "is_active"]
    list_select_related = ("unit",)

    def get_form_class(self, for_update=False):
        if for_update:
            return modelform_factory(
                self.model,
                formfield_callback=self.formfield_for_dbfield,
                fields=["service", "unit", "is_active"],
            )
        return super().get_form_class(for_update)

    def prepare_form(self, request, form, instance):
        _limit(form, "unit", units_visible_to(request.user))

    def create_instance(self, request, form):
        data = form.cleaned_data
        return skm_services.service_point_create(
            actor=request.user,
            code=data["code"],
            service=data["service"],
            unit=data["unit"],
            is_active=bool(data.get("is_active")),
        )

    def update_instance(self, request, form, stored):
        data = form.cleaned_data
        return skm_services.service_point_update(
            actor=request.user,
            point=stored,
            service=data["service"],
            unit=data["unit"],
            is_active=bool(data.get("is_active")),
        )

    def delete_instance(self, request, instance):
        skm_services.service_point_delete(actor=request.user, point=instance)


# ---------------------------------------------------------------------------------------------
# The audit log (read-only) and HR scopes
# ---------------------------------------------------------------------------------------------


class AuditLogViewSet(ScopedViewSet):
    """Log audit data pribadi (read-only): search by actor, NIP or action. A scoped officer
    sees the rows about employees of their units."""

    model = AccessLog
    icon = "history"
    menu_label = _("Log audit")
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
    items = (
        UnitViewSet("unit"),
        CompetencyViewSet("kamus-kompetensi"),
        PositionViewSet("jabatan"),
        EmployeeViewSet("pegawai"),
        PeriodViewSet("periode"),
        SkpViewSet("skp"),
        ServicePointViewSet("titik-layanan"),
        AuditLogViewSet("log-audit"),
        HrScopeViewSet("cakupan-sdm"),
    )


@hooks.register("register_admin_viewset")
def register_kompetensi_viewsets():
    return KompetensiGroup()
