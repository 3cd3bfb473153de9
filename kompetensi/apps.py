from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KompetensiConfig(AppConfig):
    name = "kompetensi"
    verbose_name = _("Kompetensi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import hooks

        from . import receivers  # noqa: F401 - connects the signal receivers
        from .permissions import hr_scope_role_rows, is_city_wide_hr, supervisor_role_rows
        from .selectors import account_person, login_name_for_nip

        # What core asks of the people records (core/hooks.py).
        hooks.register(hooks.ROLE_ROWS, hr_scope_role_rows)
        hooks.register(hooks.ROLE_ROWS, supervisor_role_rows)
        hooks.register(hooks.CITY_WIDE_AUTHORITY, is_city_wide_hr)
        hooks.register(hooks.ACCOUNT_PERSON, account_person)
        hooks.register(hooks.LOGIN_NAME_FOR_NIP, login_name_for_nip)
