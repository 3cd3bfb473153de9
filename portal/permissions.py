"""Site-wide role checks (defined in kompetensi.roles). App rules live in each permissions.py."""

from kompetensi.roles import (  # noqa: F401
    GROUP_ASN,
    GROUP_HR,
    GROUP_REVIEWER,
    GROUP_TRAINER,
    in_group,
    is_hr,
    is_reviewer,
    is_trainer,
)

# -- accounts: API tokens, enrolment codes for the second factor (services: portal/accounts.py)


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


def can_issue_otp_enrolment_code(user, account=None) -> bool:
    """Superusers and city-wide HR officers, for an account other than their own (the code is
    the second person's word that the account's first authenticator belongs to its holder)."""
    from kompetensi.permissions import is_city_wide_hr

    if not (user and getattr(user, "is_authenticated", False)):
        return False
    if not (user.is_superuser or (is_hr(user) and is_city_wide_hr(user))):
        return False
    return account is None or user.pk is None or account.pk != user.pk
