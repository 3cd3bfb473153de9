"""People in the Wagtail admin: employees, evaluation periods and SKP results."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from core.errors import ServiceError
from kompetensi import services
from kompetensi.admin_views import ScopedViewSet, fix_fields, is_new, limit_choices
from kompetensi.models import Employee, EvaluationPeriod, Position, SkpResult
from kompetensi.permissions import employees_managed_by, hr_scope, units_visible_to

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
        new = is_new(instance)
        if not new:
            fix_fields(form, "nip")  # the NIP is the account's username: fixed once created
        scope = hr_scope(user)
        limit_choices(form, "unit", units_visible_to(user), keep=None if new else instance.unit)
        positions = Position.objects.filter(Q(unit__isnull=True) | scope.q("unit__path"))
        limit_choices(
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


# Periods and SKP results


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
        if not is_new(instance):
            # Closing a period is irreversible for its drafts: it is done on the SDM page
            # "Periode penilaian", which asks for confirmation first (issue #17).
            fix_fields(form, "code", "is_open")
            if "is_open" in form.fields:
                form.fields["is_open"].help_text = _(
                    "Buka atau tutup periode di halaman SDM “Periode penilaian” "
                    "(/sdm/periode/), yang meminta konfirmasi lebih dulu."
                )

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
        if is_new(instance):
            limit_choices(form, "employee", employees_managed_by(request.user))
        else:
            fix_fields(form, "employee", "period")  # another employee or period: a new result

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
