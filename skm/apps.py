from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkmConfig(AppConfig):
    """The citizen satisfaction survey (SKM): service points, feedback, IKM, the QR poster."""

    name = "skm"
    verbose_name = _("Survei kepuasan masyarakat")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import poster, receivers  # noqa: F401 - poster registers its PDF stylesheet

        receivers.connect()  # cache versions (core/dataversion.py)
