from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Infrastructure without a domain: accounts, roles, audit log, notifications, rate limits,
    exports, charts, the PDF primitive, API errors, cache versions, hooks."""

    name = "core"
    verbose_name = _("Inti")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (checks registers itself)
        from .audit import connect as connect_audit
        from .roles import sync_group_permissions

        # Every object permission granted or removed is written to the audit log.
        connect_audit()

        def sync_after_last_app(sender, app_config=None, **kwargs):
            # post_migrate is sent once per app, in INSTALLED_APPS order, and each app's
            # permissions are created by its own signal: sync only after the last app's,
            # when the permissions of every app exist on a fresh database.
            from django.apps import apps

            with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
            if with_models and app_config is with_models[-1]:
                sync_group_permissions()
                # migrate and flush end here: whatever they wrote, no cached page survives.
                from .dataversion import invalidate_all

                invalidate_all()

        post_migrate.connect(sync_after_last_app, weak=False, dispatch_uid="sikap-roles")
