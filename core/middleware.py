"""Security headers for our own pages, and JSON errors everywhere under ``/api/``.

The Content-Security-Policy comes from django-csp (``CONTENT_SECURITY_POLICY`` in settings). Our
pages run no inline script, so that policy forbids it. The Wagtail admin (and the API's
interactive docs) ship inline scripts and styles of their own, so they get the looser
``SIKAP_ADMIN_CONTENT_SECURITY_POLICY`` (``SecurityHeadersMiddleware`` below).
``X-Content-Type-Options`` and ``Referrer-Policy`` come from Django's ``SecurityMiddleware``.
"""

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's policy under ``SIKAP_ADMIN_CSP_PREFIXES``, and
    a ``Permissions-Policy``. A view's own header (or django-csp decorator) still wins."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path.startswith(tuple(settings.SIKAP_ADMIN_CSP_PREFIXES))
        ):
            parts.config = default_config(
                settings.SIKAP_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            )
        return parts

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


API_PREFIX = "/api/"
_API_ERROR_MESSAGES = {
    400: "Permintaan tidak valid.",
    401: "Token tidak ada, tidak valid, atau sudah dicabut.",
    403: "Anda tidak berwenang melakukan tindakan ini.",
    404: "Alamat API tidak dikenal.",
    413: "Isi permintaan terlalu besar.",
    429: "Terlalu banyak permintaan. Silakan coba lagi nanti.",
    500: "Terjadi kesalahan pada server. Kejadian ini sudah dicatat; silakan coba lagi.",
}
# Kept from the answer being replaced; the body and its description are ours.
_DROPPED_HEADERS = {"content-type", "content-length", "content-disposition"}


def _is_json(response: HttpResponse) -> bool:
    return (response.get("Content-Type") or "").split(";")[0].strip().lower() in {
        "application/json",
        "application/problem+json",
    }


def api_error_detail(status: int, request: HttpRequest, response: HttpResponse | None) -> str:
    if status == 405:
        allowed = (response.get("Allow") if response is not None else "") or ""
        return f"Metode {request.method} tidak didukung di alamat ini" + (
            f" (yang didukung: {allowed})." if allowed else "."
        )
    return _API_ERROR_MESSAGES.get(status, _API_ERROR_MESSAGES[500 if status >= 500 else 400])


class ApiJsonErrorsMiddleware:
    """Every error under ``/api/`` is JSON ``{"detail": "..."}`` (API.md "Conventions").

    The API's own operations answer JSON already (``core/api.py``); this catches what is
    answered outside them: a 405 from ninja's path dispatch, Django's HTML 404/500/400 pages
    (an error raised by a middleware, a ``DisallowedHost``, a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``), CSRF failures. The status and headers such as ``Allow``
    and ``Retry-After`` are kept. Listed first in ``MIDDLEWARE`` so it sees every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or _is_json(response)
            or getattr(response, "streaming", False)
        ):
            return response
        replacement = JsonResponse(
            {"detail": api_error_detail(response.status_code, request, response)},
            status=response.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
        for name, value in response.items():
            if name.lower() not in _DROPPED_HEADERS:
                replacement[name] = value
        replacement.cookies = response.cookies
        return replacement
