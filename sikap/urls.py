"""The site's URLs: each app's pages (urls.py of core, kompetensi, skm, workflow, forum,
reports), the REST API under /api/v1/ (sikap/api.py), the Wagtail admin and Wagtail's own page
serving."""

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import admin_exports
from core.api import api_not_found

from .api import api

urlpatterns = [
    path("", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Wagtail's own exporting admin views (reports, redirects), sanitised: before admin/.
    *admin_exports.wagtail_export_urlpatterns(),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumen/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # JSON 404 for the rest of /api/ (no HTML, no redirect)
    path("", include("kompetensi.urls")),
    path("", include("skm.urls")),
    path("", include("workflow.urls")),
    path("", include("reports.urls")),
    path("", include("forum.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's front-end URLs (its own ``serve`` view) last: every other path is a page.
urlpatterns += [path("", include(wagtail_urls))]
