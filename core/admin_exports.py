"""The Wagtail admin's spreadsheet exports (``list_export``: "Download CSV/XLSX") through the
project's one sanitiser, :func:`core.exports.safe_cell`.

Wagtail writes every exported cell through ``SpreadsheetExportMixin.preprocess_field_value``
and every heading through ``get_heading``; :class:`SafeSpreadsheetExportMixin` passes both
through ``safe_cell``, so a name such as ``=HYPERLINK(...)`` reaches the file as text.

* Our viewsets: :class:`ModelViewSet` / :class:`SnippetViewSet` (import them from here, not
  from Wagtail: a ruff rule bans the others) build every index view they construct with the
  mixin, custom ``index_view_class`` included.
* Wagtail's own exporting views (reports: locked pages, workflows, site history, aging pages;
  redirects) are served from the same paths by sanitised subclasses, wrapped the way Wagtail
  wraps its admin URLs (:func:`wagtail_export_urlpatterns`, mounted before ``admin/`` in
  ``sikap/urls.py``).

``tests/security/test_export_sanitise.py`` resolves every admin URL whose view exports and
fails on one that is not sanitised."""

from __future__ import annotations

import functools

from django.urls import include, path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets.model import ModelViewSet as WagtailModelViewSet  # noqa: TID251
from wagtail.snippets.views.snippets import SnippetViewSet as WagtailSnippetViewSet  # noqa: TID251
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .exports import column_widths, safe_cell, set_column_widths


class SafeSpreadsheetExportMixin:
    """Every cell and heading of a CSV/XLSX export through :func:`safe_cell`."""

    def preprocess_field_value(self, field, value, export_format):
        return safe_cell(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return safe_cell(super().get_heading(queryset, field))

    def write_xlsx(self, queryset, output):
        """Wagtail's XLSX export with columns as wide as their content (capped,
        :func:`core.exports.column_widths`) instead of the default width: the rows are built
        first, the widths set, then the rows written."""
        from openpyxl import Workbook
        from wagtail.admin.views.mixins import ExcelDateFormatter

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title="Sheet1")
        headings = [self.get_heading(queryset, field) for field in self.list_export]
        date_format = ExcelDateFormatter().get()
        rows = [
            list(self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format))
            for item in queryset
        ]
        set_column_widths(worksheet, column_widths(headings, ([c.value for c in r] for r in rows)))
        worksheet.append(headings)
        for row in rows:
            worksheet.append(row)
        workbook.save(output)


@functools.cache
def safe_export_view(view_class: type) -> type:
    """``view_class`` itself when it does not export or already sanitises; else its subclass
    with :class:`SafeSpreadsheetExportMixin` first (one per class)."""
    if not issubclass(view_class, SpreadsheetExportMixin) or issubclass(
        view_class, SafeSpreadsheetExportMixin
    ):
        return view_class
    return type(
        view_class.__name__,
        (SafeSpreadsheetExportMixin, view_class),
        {"__module__": view_class.__module__, "__doc__": view_class.__doc__},
    )


class SafeExportViewSetMixin:
    """A viewset whose views export (index and its results view) sanitise every cell."""

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(safe_export_view(view_class), **kwargs)


class ModelViewSet(SafeExportViewSetMixin, WagtailModelViewSet):
    """Wagtail's ``ModelViewSet`` with sanitised spreadsheet exports."""


class SnippetViewSet(SafeExportViewSetMixin, WagtailSnippetViewSet):
    """Wagtail's ``SnippetViewSet`` with sanitised spreadsheet exports."""


def _wagtail_exporting_views() -> list:
    from wagtail.admin.views.reports.aging_pages import AgingPagesView
    from wagtail.admin.views.reports.audit_logging import LogEntriesView
    from wagtail.admin.views.reports.locked_pages import LockedPagesView
    from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
    from wagtail.contrib.redirects.views import IndexView as RedirectIndexView

    reports = [
        ("locked/", LockedPagesView, "locked_pages"),
        ("workflow/", WorkflowView, "workflow"),
        ("workflow_tasks/", WorkflowTasksView, "workflow_tasks"),
        ("site-history/", LogEntriesView, "site_history"),
        ("aging-pages/", AgingPagesView, "aging_pages"),
    ]
    patterns = []
    for route, view_class, _name in reports:
        safe = safe_export_view(view_class)
        patterns += [
            path(f"reports/{route}", safe.as_view()),
            path(f"reports/{route}results/", safe.as_view(results_only=True)),
        ]
    safe = safe_export_view(RedirectIndexView)
    patterns += [
        path("redirects/", safe.as_view()),
        path("redirects/results/", safe.as_view(results_only=True)),
    ]
    return patterns


def wagtail_export_urlpatterns() -> list:
    """Wagtail's own exporting admin views, sanitised, at their usual paths and behind the same
    decorators as ``wagtail.admin.urls`` (admin access, the admin 404 page, no caching).
    Mount before ``admin/`` (the first match wins; names stay Wagtail's, so ``reverse()``
    gives the same URLs). Called from the URLconf: ``wagtail.admin.urls`` runs the admin hooks
    when imported, so it is not imported with this module (wagtail_hooks import it)."""
    from wagtail.admin.urls import display_custom_404

    patterns = _wagtail_exporting_views()
    patterns = decorate_urlpatterns(patterns, require_admin_access)
    patterns = decorate_urlpatterns(patterns, display_custom_404)
    patterns = decorate_urlpatterns(patterns, never_cache)
    return [path("admin/", include(patterns))]
