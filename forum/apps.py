from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from core import hooks

        from .selectors import (
            forum_url_for_module_cached,
            moderator_home_panels,
            recent_topics_visible_to,
        )
        from .signals import connect_cache_versions, module_published

        page_published.connect(module_published, dispatch_uid="forum-module-published")
        connect_cache_versions()
        # What the portal's pages show of the forum (core/hooks.py).
        hooks.register(hooks.HOME_RECENT_TOPICS, recent_topics_visible_to)
        hooks.register(hooks.MODULE_FORUM_URL, forum_url_for_module_cached)
        hooks.register(hooks.HOME_PANELS, moderator_home_panels)
