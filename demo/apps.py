from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """``seed_demo`` and every demo and scale dataset (demo/seeds/)."""

    name = "demo"
    verbose_name = _("Data demo")
    default_auto_field = "django.db.models.BigAutoField"
