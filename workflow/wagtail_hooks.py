"""Certificate templates in the Wagtail admin (BKPSDM): wording, kop lines, signatory,
background image and number format, edited without code, with a PDF preview of a sample
certificate. City-wide HR and superusers change them, every HR officer with a scope reads them
(``CertificateTemplatePolicy``: the template prints on every unit's certificates). Also HR's
certificate list (/sdm/sertifikat/) in the "Kompetensi & SDM" menu."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.admin_exports import ModelViewSet
from kompetensi.admin_views import HR_MENU_HOOK

from .models import CertificateTemplate
from .permissions import (
    can_manage_assignments,
    can_manage_certificate_templates,
    can_view_certificate_templates,
)


def can_preview_certificate_template(user) -> bool:
    return user.is_active and can_view_certificate_templates(user)


class CertificateTemplatePolicy(ModelPermissionPolicy):
    """Who sees and changes the templates: ``workflow.permissions`` (every HR officer with a
    scope reads; city-wide HR and superusers add, change and delete), never the group's
    model permissions alone."""

    def user_has_permission(self, user, action):
        if not (user and user.is_authenticated and user.is_active):
            return False
        if action == "view":
            return can_view_certificate_templates(user)
        return can_manage_certificate_templates(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(CertificateTemplate, CertificateTemplatePolicy(CertificateTemplate))


def certificate_template_preview(request, pk):
    """The sample certificate of a template, as an inline PDF."""
    from workflow.certificates.pdf import render_certificate_pdf
    from workflow.certificates.templates import sample_context

    if not can_preview_certificate_template(request.user):
        raise PermissionDenied
    tpl = get_object_or_404(CertificateTemplate.objects.select_related("background"), pk=pk)
    data = render_certificate_pdf(sample_context(tpl))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pratinjau-sertifikat-{tpl.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


class CertificateTemplateEditView(generic.EditView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(
            HeaderButton(
                _("Pratinjau PDF"),
                url=reverse("certificate_template:preview", args=[self.object.pk]),
                icon_name="view",
                attrs={"target": "_blank", "rel": "noopener"},
            )
        )
        return buttons


class CertificateTemplateViewSet(ModelViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Templat sertifikat")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "is_default", "title", "signatory_name", "updated_at"]
    search_fields = ["name", "signatory_name"]
    search_backend_name = None
    copy_view_enabled = True
    edit_view_class = CertificateTemplateEditView
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("is_default")]),
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("subtitle"),
                FieldPanel("agency"),
                FieldPanel("issuer"),
                FieldPanel("background"),
            ],
            heading=_("Tampilan"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("signatory_name"),
                FieldPanel("signatory_nip"),
                FieldPanel("signatory_position"),
                FieldPanel("place"),
            ],
            heading=_(
                "Penandatangan (penandatangan yang diisi pada modul pelatihan lebih diutamakan)"
            ),
        ),
        FieldPanel("number_format"),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                f"preview/<{self.pk_path_converter}:pk>/",
                certificate_template_preview,
                name="preview",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_certificate_template_viewset():
    return CertificateTemplateViewSet("certificate_template", url_prefix="templat-sertifikat")


class _CertificateListMenuItem(MenuItem):
    """HR's certificate list (/sdm/sertifikat/) in the admin's "Kompetensi & SDM" menu (the
    menu is kompetensi's; workflow adds its page through the menu's hook), for HR only."""

    def is_shown(self, request):
        return can_manage_assignments(request.user)


@hooks.register(HR_MENU_HOOK)
def register_certificate_list_menu_item():
    return _CertificateListMenuItem(
        _("Daftar sertifikat"),
        reverse_lazy("workflow:certificate_list"),
        name="daftar-sertifikat",
        icon_name="doc-full",
        order=7,
    )
