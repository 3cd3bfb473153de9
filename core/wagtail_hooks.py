"""Wagtail admin hooks of core: account security (``core/admin_views.py``): API tokens and the
enrolment codes of the second factor, under "Keamanan akun"."""

from wagtail import hooks


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
        path("token-api/", admin_views.api_token_index, name="core_api_tokens"),
        path(
            "token-api/<int:pk>/cabut/",
            admin_views.api_token_revoke,
            name="core_api_token_revoke",
        ),
        path("kode-2fa/", admin_views.otp_enrolment_codes, name="core_otp_enrolment_codes"),
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
            reverse("core_api_tokens"),
            name="token-api",
            icon_name="key",
            order=100,
        ),
        EnrolmentCodeMenuItem(
            gettext_lazy("Kode pendaftaran 2FA"),
            reverse("core_otp_enrolment_codes"),
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
