"""The client's IP address, taken correctly behind the documented reverse proxy.

nginx (deploy/) appends the address it saw to ``X-Forwarded-For``. With ``TRUSTED_PROXY_COUNT``
(setting ``AXES_IPWARE_PROXY_COUNT``) = N > 0 proxies in front of the app, the client is the N-th
entry from the right: entries further left were written by the client and may be forged. With
N = 0 the header is ignored. A malformed entry never wins over ``REMOTE_ADDR``.

Used by django-axes (``AXES_CLIENT_IP_CALLABLE``) for the lock-out per username and IP."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        chain = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(chain) >= proxies:
            try:
                return str(ipaddress.ip_address(chain[-proxies]))
            except ValueError:
                pass
    return remote
