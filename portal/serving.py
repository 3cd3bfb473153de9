"""Wagtail's page serving with the routing cached by content version.

Wagtail resolves ``/katalog/<module>/<lesson>/`` with one query per path segment (and one
more for the specific page type of each), then two for view restrictions: about ten queries
before a page's own work starts, on every request. The result of that walk depends only on
published content, so it is cached under ``core.dataversion.current("content")`` — a version
that moves whenever anything writes to Wagtail's or our page tables (publishing, moving,
unpublishing, a new view restriction, a site change). A cache hit serves the page from an
unpickled copy of the routed page (a fresh object per request) with its view restrictions;
the ``before_serve_page`` hooks (view restrictions, our own) and ``page.serve`` run as in
``wagtail.views.serve``.
"""

from __future__ import annotations

import hashlib
import logging
import pickle

from django.core.cache import cache
from django.http import Http404, HttpResponse
from wagtail import hooks
from wagtail.models import Page, Site

from core import dataversion

log = logging.getLogger(__name__)
ROUTE_CACHE_SECONDS = 3600


def _route_key(request, path: str) -> str:
    raw = f"{dataversion.current('content')}|{request.get_host()}|{path}"
    return "route:" + hashlib.sha1(raw.encode()).hexdigest()


def _route(request, path: str):
    key = _route_key(request, path)
    entry = cache.get(key)
    if entry is not None:
        site, page, args, kwargs, restrictions = entry
        request._wagtail_site = site
        request._wagtail_route_for_request = (page, args, kwargs)
    else:
        route_result = Page.route_for_request(request, path)
        if route_result is None:
            raise Http404
        page, args, kwargs = route_result
        restrictions = list(page.get_view_restrictions())
        site = Site.find_for_request(request)
        try:
            cache.set(key, (site, page, args, kwargs, restrictions), ROUTE_CACHE_SECONDS)
        except (pickle.PicklingError, TypeError, AttributeError):  # an unpicklable page type
            log.warning("route of %s not cached", path, exc_info=True)
    page._sikap_view_restrictions = restrictions
    return page, args, kwargs


def serve(request, path):
    page, args, kwargs = _route(request, path)

    def serve_chain(page, request, args, kwargs):
        return page.serve(request, *args, **kwargs)

    on_serve_chain = serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        on_serve_chain = fn(on_serve_chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return on_serve_chain(page, request, args, kwargs)


class CachedViewRestrictionsMixin:
    """Page mixin: the view restrictions found when the route was cached (same content
    version), instead of two queries per request."""

    def get_view_restrictions(self):
        cached = getattr(self, "_sikap_view_restrictions", None)
        if cached is not None:
            return cached
        return super().get_view_restrictions()
