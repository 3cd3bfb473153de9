"""The organisation in the Wagtail admin: units (the tree), the competency dictionary
and positions with their competency standards."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel

from kompetensi import services
from kompetensi.admin_views import ScopedViewSet, fix_fields, is_new, limit_choices
from kompetensi.models import Competency, OrganizationUnit, Position
from kompetensi.permissions import hr_scope, units_visible_to


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
        if not is_new(instance):
            fix_fields(form, "code")
            parents = parents.exclude(pk=instance.pk).exclude(path__startswith=f"{instance.path}/")
        # A top-level unit (no parent) is for city-wide officers only.
        limit_choices(form, "parent", parents, required=not hr_scope(user).city_wide)

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


# Competency dictionary and positions


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
        limit_choices(
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
