"""HR dashboards (BKPSDM) under /sdm/ and the personal-data export, included at the site root
by sikap/urls.py: the names are ``reports:*``."""

from django.urls import path

from . import privacy
from .views import dashboard, effectiveness, employee, exports, unit

app_name = "reports"

urlpatterns = [
    path("sdm/", dashboard.overview, name="sdm_overview"),
    path("sdm/unit/<str:code>/", unit.unit_detail, name="sdm_unit"),
    path("sdm/pegawai/<str:nip>/", employee.employee_detail, name="sdm_employee"),
    path("sdm/efektivitas/", effectiveness.effectiveness, name="sdm_effectiveness"),
    path(
        "sdm/ekspor/riwayat-kursus/",
        exports.training_history_export,
        name="sdm_training_history_export",
    ),
    path("kinerja-saya/data-saya.json", privacy.my_data_json, name="my_data_json"),
    path("kinerja-saya/data-saya.pdf", privacy.my_data_pdf, name="my_data_pdf"),
    path("sdm/pegawai/<str:nip>/data.json", privacy.hr_employee_data_json, name="hr_data_json"),
]
