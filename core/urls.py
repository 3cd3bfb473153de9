"""Account pages (sign-in, password, two-factor, API tokens, e-mail confirmation) and the
notifications. Included at the site root by sikap/urls.py, without a namespace for the account
pages (Django's auth views reverse ``password_change_done`` etc. by their plain names)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import account_views, otp_views, views

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
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/baca/", views.notification_read, name="notifications_read"),
    path("notifikasi/<int:pk>/buka/", views.notification_open, name="notification_open"),
]
