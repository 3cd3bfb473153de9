"""Wagtail's page routing, cached by content version, with Wagtail's own ``serve``.

Wagtail finds the page of a request in ``Page.route_for_request``: the site (one query), the
site's root page with its type (one), one query per path segment (``models._route_to_child``),
and memoises the result on the request (``request._wagtail_site``,
``request._wagtail_route_for_request``, both documented there). The result depends only on
published content (sites, pages: their slugs, tree positions, live state, fields), so
``CachedRoutingMiddleware`` keeps it under the "content" version (core/dataversion.py), which
moves on every publication, unpublication, move, rename, deletion, live save and site change
(portal/receivers.py), and primes Wagtail's per-request memos with an unpickled copy (a fresh
object per request) before ``wagtail.views.serve`` runs. A path that routes nowhere (a 404) is
not cached.

Permission data is not part of it: ``serve`` runs Wagtail's hooks as always, and the view
restrictions of the page and its ancestors are read on every request, in one query
(``portal/models.py`` ``_view_restrictions``, the page types' ``get_view_restrictions``).
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from core import dataversion

log = logging.getLogger(__name__)
ROUTE_CACHE_SECONDS = 3600
_MISSING = object()


def _route_key(request, path: str) -> str:
    # The site is chosen by the host name and port as Wagtail reads them (Site._find_for_request).
    hostname = split_domain_port(request._get_raw_host())[0]
    raw = f"{hostname}|{request.get_port()}|{path}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:40]
    return f"sikap:route:{dataversion.current('content')}:{digest}"


def prime_route(request, path: str) -> None:
    """Set Wagtail's per-request site and route for ``path`` from the cache, or route with
    Wagtail and cache the result. A cache that fails leaves the routing to Wagtail."""
    if hasattr(request, "_wagtail_route_for_request"):
        return
    try:
        key = _route_key(request, path)
        entry = cache.get(key, _MISSING)
    except Exception:  # the cache is down: Wagtail routes from the database
        log.warning("route cache unavailable", exc_info=True)
        return
    if entry is not _MISSING:
        request._wagtail_site, request._wagtail_route_for_request = entry
        return
    route = Page.route_for_request(request, path)  # Wagtail's own, memoised on the request
    if route is None:
        return
    try:
        cache.set(key, (Site.find_for_request(request), route), ROUTE_CACHE_SECONDS)
    except Exception:  # an unpicklable page, or the cache is down: served uncached
        log.warning("route of %s not cached", path, exc_info=True)


class CachedRoutingMiddleware:
    """Primes Wagtail's routing (``prime_route``) for requests that Wagtail's ``serve``
    handles; other views are untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_views.serve:
            path = view_kwargs.get("path", view_args[0] if view_args else "")
            prime_route(request, path)
        return None
