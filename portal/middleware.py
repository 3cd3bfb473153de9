"""Security headers for our own pages.

Our pages run no inline script, so the Content-Security-Policy forbids it. The Wagtail admin
ships inline scripts and styles of its own, so it gets a looser policy of its own.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

SITE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src https://www.youtube-nocookie.com "
    "https://player.vimeo.com; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
ADMIN_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; frame-src 'self' https:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            path = request.path
            if path.startswith(("/admin/", "/api/v1/docs")):
                response["Content-Security-Policy"] = ADMIN_CSP
            else:
                response["Content-Security-Policy"] = SITE_CSP
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
