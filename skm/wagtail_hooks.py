"""The citizen survey's service points in the Wagtail admin (BKPSDM): listed, searched,
exported and edited within the officer's units, in the "Kompetensi & SDM" menu (through its
Wagtail submenu hook), every change through ``skm.services``. Each point's counter tablets
("Perangkat loket": pairing link as a QR code, revoke) are a page of the same viewset
(``skm/admin_views.py``)."""

from __future__ import annotations

from django.forms import modelform_factory
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from kompetensi.admin_views import (
    HR_MENU_HOOK,
    ScopedIndexView,
    ScopedViewSet,
    ScopePolicy,
    ServiceEditView,
)
from kompetensi.admin_views import limit_choices as _limit
from kompetensi.permissions import units_visible_to

from . import admin_views
from . import services as skm_services
from .models import ServicePoint
from .permissions import can_manage_service_point

DEVICES_LABEL = _("Perangkat loket")


class ServicePointPolicy(ScopePolicy):
    def may_instance(self, user, action, instance):
        return can_manage_service_point(user, instance.unit)

    def visible(self, user):
        return admin_views.visible_points(user)


register_permission_policy(ServicePoint, ServicePointPolicy(ServicePoint))


# ---------------------------------------------------------------------------------------------
# Service points (SKM)
# ---------------------------------------------------------------------------------------------


class ServicePointIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        url = reverse(f"{admin_views.VIEWSET}:devices", args=[instance.pk])
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(DEVICES_LABEL, url=url, icon_name="mobile-alt", priority=25),
        ]


class ServicePointEditView(ServiceEditView):
    @cached_property
    def header_more_buttons(self):
        url = reverse(f"{admin_views.VIEWSET}:devices", args=[self.object.pk])
        return [
            *super().header_more_buttons,
            Button(DEVICES_LABEL, url=url, icon_name="mobile-alt", priority=15),
        ]


class ServicePointViewSet(ScopedViewSet):
    """Counters citizens rate (SKM). ``code`` is in the public URL and printed on QR posters,
    so it is fixed once created."""

    model = ServicePoint
    index_view_class = ServicePointIndexView
    edit_view_class = ServicePointEditView
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

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("perangkat/<int:pk>/", admin_views.kiosk_devices, name="devices"),
            path(
                "perangkat/<int:pk>/cabut/<int:device_pk>/",
                admin_views.kiosk_device_revoke,
                name="device_revoke",
            ),
        ]

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
    return ServicePointViewSet(admin_views.VIEWSET)
