from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KompetensiConfig(AppConfig):
    name = "kompetensi"
    verbose_name = _("Kompetensi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the signal receivers
        from .audit import connect as connect_audit

        connect_audit()
