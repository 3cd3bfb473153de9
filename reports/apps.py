from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """HR dashboards, unit and employee reports, their exports, the personal-data export."""

    name = "reports"
    verbose_name = _("Laporan")
    default_auto_field = "django.db.models.BigAutoField"
