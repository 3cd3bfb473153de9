"""Wagtail admin hooks of the training portal.

Trainers (group Pelatih) hold Wagtail's "add" permission on the catalog: they create modules and
lessons there and edit the pages they own; publishing goes through the "Tinjauan Konten"
workflow (see ``portal.seed.ensure_site_structure``). One extra rule is enforced here as well as
in ``TrainingModulePage.permissions_for_user``: a trainer adds lessons only to modules they own
or co-teach."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import TrainingModulePage


@hooks.register("before_create_page")
def only_own_module_gets_lessons(request, parent_page, page_class):
    parent = parent_page.specific
    if not isinstance(parent, TrainingModulePage):
        return None
    if not parent.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied(_("Anda hanya dapat menambah pelajaran pada modul milik Anda."))
    return None


# -- account security (portal/admin_views.py): API tokens, enrolment codes for 2FA -------------


def _register_account_policies() -> None:
    from wagtail.permissions import register_permission_policy

    from .admin_views import ApiTokenPolicy, OtpEnrolmentCodePolicy
    from .models import ApiToken, OtpEnrolmentCode

    register_permission_policy(ApiToken, ApiTokenPolicy(ApiToken))
    register_permission_policy(OtpEnrolmentCode, OtpEnrolmentCodePolicy(OtpEnrolmentCode))


_register_account_policies()


@hooks.register("register_admin_urls")
def register_account_admin_urls():
    from django.urls import path

    from . import admin_views

    return [
        path("token-api/", admin_views.api_token_index, name="portal_api_tokens"),
        path(
            "token-api/<int:pk>/cabut/",
            admin_views.api_token_revoke,
            name="portal_api_token_revoke",
        ),
        path("kode-2fa/", admin_views.otp_enrolment_codes, name="portal_otp_enrolment_codes"),
    ]


@hooks.register("register_admin_menu_item")
def register_account_menu():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy
    from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

    from .permissions import can_issue_otp_enrolment_code

    class EnrolmentCodeMenuItem(MenuItem):
        def is_shown(self, request):
            return can_issue_otp_enrolment_code(request.user)

    items = [
        MenuItem(
            gettext_lazy("Token API"),
            reverse("portal_api_tokens"),
            name="token-api",
            icon_name="key",
            order=100,
        ),
        EnrolmentCodeMenuItem(
            gettext_lazy("Kode pendaftaran 2FA"),
            reverse("portal_otp_enrolment_codes"),
            name="kode-2fa",
            icon_name="lock",
            order=200,
        ),
    ]
    return SubmenuMenuItem(
        gettext_lazy("Keamanan akun"),
        Menu(items=items),
        name="keamanan-akun",
        icon_name="key",
        order=9000,
    )
