from django.conf import settings


def sikap(request):
    """Booleans for the layout (navigation by role); decisions come from permissions."""
    from .roles import is_hr, is_reviewer, is_trainer, role_rows

    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "SITE_NAME": "SIKAP",
        "AGENCY_NAME": settings.SIKAP_AGENCY_NAME,
        "nav_is_hr": authenticated and is_hr(user),
        "nav_is_trainer": authenticated
        and (user.is_superuser or is_trainer(user) or is_reviewer(user)),
        # rows "t" (hooks.ROLE_ROWS): the user has direct reports; same query as the groups
        "nav_is_supervisor": authenticated and bool(role_rows(user, "t")),
    }


def notifications(request):
    """Unread notification count for the bell in the header (one small query)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    from .models import Notification

    return {
        "unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()
    }
