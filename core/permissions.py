"""Who may do what with accounts: API tokens and the enrolment codes of the second factor
(services: core/accounts.py). Role checks live in ``core.roles``; each app's rules in its own
permissions.py."""

from . import hooks
from .roles import is_hr


def api_tokens_visible_to(user):
    """API tokens ``user`` sees: a superuser all of them, everyone else their own."""
    from .models import ApiToken

    if not (user and getattr(user, "is_authenticated", False)):
        return ApiToken.objects.none()
    if user.is_superuser:
        return ApiToken.objects.all()
    return ApiToken.objects.filter(user_id=user.pk)


def can_revoke_api_token(user, token) -> bool:
    """The token's owner, or a superuser."""
    if not (user and getattr(user, "is_authenticated", False)):
        return False
    return bool(user.is_superuser or (user.pk is not None and token.user_id == user.pk))


def _city_wide(user) -> bool:
    return bool(hooks.first(hooks.CITY_WIDE_AUTHORITY, user, default=False))


def can_issue_otp_enrolment_code(user, account=None) -> bool:
    """Superusers and city-wide HR officers, for an account other than their own (the code is
    the second person's word that the account's first authenticator belongs to its holder).
    Whether an officer acts city-wide is the HR scope's (``hooks.CITY_WIDE_AUTHORITY``)."""
    if not (user and getattr(user, "is_authenticated", False)):
        return False
    if not (user.is_superuser or (is_hr(user) and _city_wide(user))):
        return False
    return account is None or user.pk is None or account.pk != user.pk
