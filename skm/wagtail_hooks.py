"""The citizen survey's service points in the Wagtail admin (BKPSDM): listed, searched,
exported and edited within the officer's units, in the "Kompetensi & SDM" menu (through its
Wagtail submenu hook), every change through ``skm.services``."""

from __future__ import annotations

from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from kompetensi.admin_views import HR_MENU_HOOK, ScopedViewSet, ScopePolicy
from kompetensi.admin_views import limit_choices as _limit
from kompetensi.permissions import has_hr_authority, hr_scope, units_visible_to

from . import services as skm_services
from .models import ServicePoint
from .permissions import can_manage_service_point


class ServicePointPolicy(ScopePolicy):
    def may_instance(self, user, action, instance):
        return can_manage_service_point(user, instance.unit)

    def visible(self, user):
        if not has_hr_authority(user):
            return ServicePoint.objects.none()
        return ServicePoint.objects.filter(hr_scope(user).q("unit__path"))


register_permission_policy(ServicePoint, ServicePointPolicy(ServicePoint))


# ---------------------------------------------------------------------------------------------
# Service points (SKM)
# ---------------------------------------------------------------------------------------------


class ServicePointViewSet(ScopedViewSet):
    """Counters citizens rate (SKM). ``code`` is in the public URL and printed on QR posters,
    so it is fixed once created."""

    model = ServicePoint
    icon = "site"
    menu_label = _("Titik layanan (SKM)")
    # In the "Kompetensi & SDM" menu, after SKP results (kompetensi/wagtail_hooks.py).
    menu_hook = HR_MENU_HOOK
    menu_order = 7
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


@hooks.register("register_admin_viewset")
def register_service_point_viewset():
    return ServicePointViewSet("titik-layanan")
