"""HR (BKPSDM) manages the competency framework and people in the Wagtail admin: units,
competencies with their levels, positions with their requirements (inline), employees,
evaluation periods and SKP results. Search, filters and CSV/XLSX export on every listing.

Access follows the model permissions granted to the BKPSDM group (portal.roles); an HR
officer scoped to some units sees and edits only those units' employees."""

from django.forms import modelform_factory
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import services
from .errors import ServiceError
from .models import (
    AccessLog,
    Competency,
    Employee,
    EvaluationPeriod,
    OrganizationUnit,
    Position,
    ServicePoint,
    SkpResult,
)
from .permissions import can_manage_employee, employees_managed_by, units_visible_to


class UnitViewSet(ModelViewSet):
    model = OrganizationUnit
    icon = "group"
    menu_label = _("Unit organisasi")
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    list_export = ["code", "name", "kind", "parent", "path"]
    export_filename = "unit-organisasi"
    search_fields = ["code", "name"]
    search_backend_name = None
    form_fields = ["code", "name", "kind", "parent"]
    copy_view_enabled = False


class CompetencyViewSet(ModelViewSet):
    model = Competency
    icon = "list-ul"
    menu_label = _("Kamus kompetensi")
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    list_export = ["code", "name", "kind", "description", "source"]
    export_filename = "kamus-kompetensi"
    search_fields = ["code", "name", "description"]
    search_backend_name = None
    copy_view_enabled = False
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


class PositionViewSet(ModelViewSet):
    model = Position
    icon = "tag"
    menu_label = _("Jabatan & standar kompetensi")
    list_display = ["name", "code", "kind", "unit"]
    list_filter = ["kind", "is_front_line"]
    list_export = ["code", "name", "kind", "jenjang", "unit", "is_front_line"]
    export_filename = "jabatan"
    search_fields = ["code", "name"]
    search_backend_name = None
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


class ScopedEmployeeMixin:
    """Scoped HR officers see and edit only their units' employees."""

    def get_base_queryset(self):
        return employees_managed_by(self.request.user).select_related(
            "unit", "position", "supervisor"
        )


class EmployeeIndexView(ScopedEmployeeMixin, generic.IndexView):
    pass


class EmployeeEditView(generic.EditView):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not can_manage_employee(self.request.user, obj):
            raise Http404
        return obj


class EmployeeDeleteView(generic.DeleteView):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not can_manage_employee(self.request.user, obj):
            raise Http404
        return obj


class EmployeeViewSet(ModelViewSet):
    model = Employee
    icon = "user"
    menu_label = _("Pegawai")
    index_view_class = EmployeeIndexView
    edit_view_class = EmployeeEditView
    delete_view_class = EmployeeDeleteView
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
    search_backend_name = None
    copy_view_enabled = False
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

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                request_user = getattr(self, "for_user", None)
                if request_user is not None and "unit" in self.fields:
                    self.fields["unit"].queryset = units_visible_to(request_user)

        return EmployeeAdminForm


class PeriodViewSet(ModelViewSet):
    model = EvaluationPeriod
    icon = "date"
    menu_label = _("Periode penilaian")
    list_display = ["code", "name", "start", "end", "is_open"]
    list_filter = ["is_open"]
    list_export = ["code", "name", "start", "end", "is_open"]
    export_filename = "periode-penilaian"
    search_fields = ["code", "name"]
    search_backend_name = None
    form_fields = ["code", "name", "start", "end", "is_open"]
    copy_view_enabled = False


class SkpSaveMixin:
    """The predicate is computed from the two ratings by the service (never typed)."""

    def save_instance(self):
        instance = self.form.instance
        return services.skp_record(
            employee=instance.employee,
            period=instance.period,
            hasil_kerja=instance.hasil_kerja,
            perilaku_kerja=instance.perilaku_kerja,
            origin=SkpResult.Origin.MANUAL,
            actor=self.request.user,
        )


class SkpCreateView(SkpSaveMixin, generic.CreateView):
    pass


class SkpEditView(SkpSaveMixin, generic.EditView):
    pass


class SkpIndexView(generic.IndexView):
    def get_base_queryset(self):
        return SkpResult.objects.filter(
            employee__in=employees_managed_by(self.request.user)
        ).select_related("employee", "period")


class SkpViewSet(ModelViewSet):
    model = SkpResult
    icon = "doc-full"
    menu_label = _("Hasil SKP (e-Kinerja)")
    index_view_class = SkpIndexView
    add_view_class = SkpCreateView
    edit_view_class = SkpEditView
    list_display = ["employee", "period", "hasil_kerja", "perilaku_kerja", "predicate", "origin"]
    list_filter = ["period", "predicate", "origin"]
    list_export = ["employee", "period", "hasil_kerja", "perilaku_kerja", "predicate", "origin"]
    export_filename = "hasil-skp"
    search_fields = ["employee__name", "employee__nip"]
    search_backend_name = None
    form_fields = ["employee", "period", "hasil_kerja", "perilaku_kerja"]
    copy_view_enabled = False


class ServicePointViewSet(ModelViewSet):
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
    search_backend_name = None
    form_fields = ["code", "service", "unit", "is_active"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        if for_update:
            return modelform_factory(
                self.model,
                formfield_callback=self.formfield_for_dbfield,
                fields=["service", "unit", "is_active"],
            )
        return super().get_form_class(for_update)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The audit log is append-only: nobody adds, edits or deletes rows in the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)


class AuditLogViewSet(ModelViewSet):
    """Log audit data pribadi (read-only), for BKPSDM: search by actor, NIP or action."""

    model = AccessLog
    icon = "history"
    menu_label = _("Log audit")
    list_display = ["created_at", "user", "action", "employee", "object_type", "detail"]
    list_filter = {"action": ["exact"], "created_at": ["gte", "lte"]}
    search_fields = ["user__username", "employee__nip", "employee__name", "action", "detail"]
    search_backend_name = None
    inspect_view_enabled = True
    form_fields = ["action"]
    ordering = ["-created_at"]


register_permission_policy(AccessLog, ReadOnlyPolicy(AccessLog))


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
    )


@hooks.register("register_admin_viewset")
def register_kompetensi_viewsets():
    return KompetensiGroup()
