"""Two-factor sign-in (TOTP) for BKPSDM officers and superusers.

With ``SIKAP_REQUIRE_2FA`` on (the production default), a signed-in HR officer or superuser whose
session is not yet verified by a one-time code (``request.user.is_verified()``, set by
django-otp's ``OTPMiddleware``) is sent to ``/akun/2fa/`` from every page, except the 2FA pages
themselves, logout, static files and the API. On the API, a bearer token is a separate
credential and is unaffected; a *session* that still waits for its code counts as anonymous
there, so the second factor cannot be skipped through ``/api/v1/``.

Verification attempts are rate limited per user (:data:`MAX_ATTEMPTS` wrong codes per
:data:`ATTEMPT_WINDOW` seconds, :mod:`core.ratelimit`) on top of django-otp's own throttling.
"""

import base64
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from . import ratelimit
from .roles import is_hr

OTP_URL = "/akun/2fa/"
MAX_ATTEMPTS = 5
ATTEMPT_WINDOW = 5 * 60
DEVICE_NAME = "SIKAP"

# Paths a not-yet-verified officer may still reach.
EXEMPT_PREFIXES = (OTP_URL, "/keluar/", "/i18n/", "/favicon.ico")


def require_2fa_enabled() -> bool:
    return bool(getattr(settings, "SIKAP_REQUIRE_2FA", False))


def requires_otp(user) -> bool:
    """Whether this user must pass a second factor (HR officers and superusers)."""
    return bool(user is not None and user.is_authenticated and is_hr(user))


def needs_verification(user) -> bool:
    """A signed-in user who must pass a second factor and has not yet done so this session."""
    if not require_2fa_enabled() or not requires_otp(user):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def _static_prefixes() -> tuple[str, ...]:
    return tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)


class RequireOTPMiddleware:
    """Send HR officers and superusers to ``/akun/2fa/`` until their session is verified.

    Must come after ``django_otp.middleware.OTPMiddleware``. Does nothing (and runs no query)
    when ``SIKAP_REQUIRE_2FA`` is off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if require_2fa_enabled():
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        if path.startswith(EXEMPT_PREFIXES) or path.startswith(_static_prefixes()):
            return None
        if path.startswith("/api/"):
            auth = request.META.get("HTTP_AUTHORIZATION", "")
            if not auth.lower().startswith("bearer ") and needs_verification(request.user):
                # The unverified session does not count on the API: public endpoints still
                # answer, protected ones say 401.
                request.user = AnonymousUser()
            return None
        if not needs_verification(request.user):
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{OTP_URL}?{query}")


# -- helpers for the views ----------------------------------------------------------------------


def safe_next(request: HttpRequest, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith(OTP_URL):
        return default
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def secret_base32(device) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def secret_in_groups(device, size: int = 4) -> str:
    secret = secret_base32(device)
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def qr_svg_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (``core/qr.py``, no outside service)."""
    from .qr import qr_svg_data_uri as make

    return make(text)


ATTEMPTS = "sikap-otp-fail"  # the limit's name in core.ratelimit, counted per user


def attempts_exhausted(user) -> bool:
    return ratelimit.count(ATTEMPTS, str(user.pk)) >= MAX_ATTEMPTS


def record_failure(user) -> None:
    ratelimit.hit(ATTEMPTS, str(user.pk), window=ATTEMPT_WINDOW)


def reset_failures(user) -> None:
    ratelimit.reset(ATTEMPTS, str(user.pk))
