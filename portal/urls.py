from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import account_views, admin_exports, otp_views, serving, views
from .api import api, api_not_found

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="masuk"),
    path("keluar/", auth_views.LogoutView.as_view(), name="keluar"),
    path("akun/kata-sandi/", views.password_change, name="password_change"),
    path("akun/kata-sandi/selesai/", views.password_change_done, name="password_change_done"),
    path("akun/reset/", views.password_reset, name="password_reset"),
    path("akun/reset/terkirim/", views.password_reset_done, name="password_reset_done"),
    path(
        "akun/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("akun/reset/selesai/", views.password_reset_complete, name="password_reset_complete"),
    path("akun/2fa/", otp_views.two_factor, name="otp"),
    path("akun/token/", account_views.api_tokens, name="api_tokens"),
    path("akun/token/<int:pk>/cabut/", account_views.api_token_revoke, name="api_token_revoke"),
    path("akun/email/<str:token>/", account_views.email_confirm, name="email_confirm"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Wagtail's own exporting admin views (reports, redirects), sanitised: before admin/.
    *admin_exports.wagtail_export_urlpatterns(),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumen/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # JSON 404 for the rest of /api/ (no HTML, no redirect)
    path("", include("kompetensi.urls")),
    path("", include("workflow.urls")),
    path("", include("forum.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's front-end URLs, with its page serving replaced by the same steps on a cached
# route (portal/serving.py).
urlpatterns += [
    path(
        "",
        include(
            [
                *(p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"),
                re_path(wagtail_urls.serve_pattern, serving.serve, name="wagtail_serve"),
            ]
        ),
    )
]
