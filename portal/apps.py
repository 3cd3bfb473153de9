from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The Wagtail pages (home, catalog, module, lesson, help), quizzes and learning progress."""

    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()  # cache versions of published content and progress

        from wagtail.signals import page_published

        from .review import publish_lessons_with_module

        # A module goes live with its lessons (portal/review.py).
        page_published.connect(publish_lessons_with_module, dispatch_uid="portal_module_lessons")
