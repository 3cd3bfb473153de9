"""Sign in with a NIP (18 digits, spaces allowed) or a username.

The login lock-out (django-axes) counts failures on the same name sign-in uses:
``AXES_USERNAME_CALLABLE = "core.auth_backends.lockout_username"``, so every spelling of one
NIP ("1985 0315 …", "19850315…") and the account's username share the five tries."""

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
        # The employee records are kompetensi's (hooks.LOGIN_NAME_FOR_NIP).
        from . import hooks

        username = hooks.first(hooks.LOGIN_NAME_FOR_NIP, compact, default=None)
        return username or compact
    return raw.strip()


_LOCKOUT_MEMO = "_sikap_lockout_username"


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """django-axes ``AXES_USERNAME_CALLABLE``: the typed name, normalised exactly as
    :class:`NipOrUsernameBackend` resolves it (one lookup per request and name)."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        raw = credentials.get(field)
    elif request is not None:
        raw = getattr(request, "data", request.POST).get(field)
    else:
        raw = None
    if not isinstance(raw, str):
        return raw
    memo = getattr(request, _LOCKOUT_MEMO, None) if request is not None else None
    if memo is None:
        memo = {}
        if request is not None:
            setattr(request, _LOCKOUT_MEMO, memo)
    if raw not in memo:
        memo[raw] = resolve_login_name(raw)
    return memo[raw]


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
