"""The client's IP address, taken correctly behind the documented reverse proxy (django-ipware).

nginx (deploy/) writes the address it saw into ``X-Forwarded-For``. With ``TRUSTED_PROXY_COUNT``
(setting ``AXES_IPWARE_PROXY_COUNT``) = N > 0 proxies in front of the app, the client is the N-th
entry from the right: entries further left were written by the client and may be forged. With
N = 0 the header is ignored. When the header holds no valid address at that place the answer is
``REMOTE_ADDR``, never nothing.

N counts every proxy, the last of which is ``REMOTE_ADDR`` rather than an entry in the header;
ipware's ``proxy_count`` counts only the proxies listed in the header, hence N - 1.

The one place for this rule: django-axes (``AXES_CLIENT_IP_CALLABLE``, the lock-out per username
and IP), the audit log's IP hash, the SKM survey and the certificate verification's rate limit.

Addresses are never stored raw: :func:`salted_hash` (HMAC-SHA256 under ``SIKAP_IP_HASH_SALT``)
is what the audit log and the survey keep (UU 27/2022 PDP)."""

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR",)


def trusted_proxy_count() -> int:
    return int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)


def client_ip(request: HttpRequest) -> str:
    proxies = trusted_proxy_count()
    if proxies > 0:
        ip, _routable = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=FORWARDED_HEADERS,
            strict=False,  # the client's own entries may precede ours
        )
        if ip:
            return ip
    return request.META.get("REMOTE_ADDR", "") or ""


def _salt() -> bytes:
    return (settings.SIKAP_IP_HASH_SALT or settings.SECRET_KEY).encode()


def salted_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under the site's salt (``SIKAP_IP_HASH_SALT``), hex."""
    return hmac.new(_salt(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
