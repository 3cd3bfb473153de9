"""HR dashboards (BKPSDM) under /sdm/. Included at the site root by workflow/urls.py, so the
names are ``workflow:sdm_*``."""

from django.urls import path

from . import views

urlpatterns = [
    path("sdm/", views.overview, name="sdm_overview"),
    path("sdm/unit/<str:code>/", views.unit_detail, name="sdm_unit"),
    path("sdm/pegawai/<str:nip>/", views.employee_detail, name="sdm_employee"),
    path("sdm/efektivitas/", views.effectiveness, name="sdm_effectiveness"),
    path(
        "sdm/ekspor/riwayat-kursus/",
        views.training_history_export,
        name="sdm_training_history_export",
    ),
]
