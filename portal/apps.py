from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import checks, dataversion  # noqa: F401  (checks registers itself)
        from .roles import sync_group_permissions

        # Cached aggregates are keyed by the version of the tables they read (dataversion.py).
        connection_created.connect(
            dataversion.on_connection_created, dispatch_uid="sikap-dataversion"
        )

        def sync_after_last_app(sender, app_config=None, **kwargs):
            # post_migrate is sent once per app, in INSTALLED_APPS order, and each app's
            # permissions are created by its own signal: sync only after the last app's,
            # when the permissions of kompetensi/workflow/forum exist on a fresh database.
            from django.apps import apps

            with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
            if with_models and app_config is with_models[-1]:
                sync_group_permissions()

        post_migrate.connect(sync_after_last_app, weak=False, dispatch_uid="sikap-roles")
