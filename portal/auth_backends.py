"""Sign in with a NIP (18 digits, spaces allowed) or a username."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

NIP_RE = re.compile(r"^\d{18}$")


def resolve_login_name(raw: str | None) -> str | None:
    """Map what the user typed to a username: a NIP resolves to its employee's account."""
    if not raw:
        return raw
    compact = re.sub(r"\s+", "", raw)
    if NIP_RE.match(compact):
        from kompetensi.models import Employee

        username = (
            Employee.objects.filter(nip=compact, user__isnull=False)
            .values_list("user__username", flat=True)
            .first()
        )
        return username or compact
    return raw.strip()


class NipOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        username = resolve_login_name(username)
        if username is None or password is None:
            return None
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
