"""Every role's menu and home page on a 360 px phone and a 1280 px desk (issue #17), on the demo
of Kota Serang: no horizontal overflow (``scrollWidth <= innerWidth``), every menu destination
of the role visible (behind the "Menu" button on a phone, which works without JavaScript too)
and reachable, the home page's things to do per role, axe-core clean; the public pages (SKM
survey, certificate verification) in their minimal layout.

Set SIKAP_E2E_SCREENSHOTS=<dir> to keep a screenshot of every page checked."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_overflow as _no_overflow
from tests.e2e.helpers import shot as _shot

from .conftest import axe_check, login

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
COMMON = {
    "Beranda": "/",
    "Katalog Pelatihan": "/katalog/",
    "Forum": "/forum/",
    "Kinerja Saya": "/kinerja-saya/",
    "Pelatihan Saya": "/pelatihan-saya/",
    "Panduan": "/panduan/",
}
HR = {**COMMON, "Dashboard SDM": "/sdm/", "Admin": "/admin/"}
ADMIN = {**COMMON, "Admin": "/admin/"}
# role → (demo user, menu destinations, text the home page shows that role)
ROLES = {
    "asn": ("asn", COMMON, "Pelatihan yang harus diselesaikan"),
    "atasan": ("atasan", COMMON, "bawahan belum dinilai"),
    "hr": ("hr", HR, "rekomendasi pelatihan menunggu persetujuan"),
    "hr-unit": ("hr", HR, "rekomendasi pelatihan menunggu persetujuan"),
    "pelatih": ("pelatih", ADMIN, "Modul yang Anda tulis"),
    "reviewer": ("reviewer", ADMIN, "modul menunggu tinjauan"),
}


def _no_axe(page, where: str) -> None:
    violations = axe_check(page)
    assert not violations, (where, violations)


def _menu(page):
    return page.get_by_role("navigation", name="Navigasi utama")


def _check_menu(page, destinations: dict[str, str], where: str) -> None:
    """Every destination is a visible link inside the viewport, and answers."""
    nav = _menu(page)
    width = page.viewport_size["width"]
    for label, href in destinations.items():
        link = nav.get_by_role("link", name=label, exact=True)
        expect(link).to_be_visible()
        assert link.get_attribute("href") == href, (where, label)
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (where, label, box)
        response = page.request.get(href)
        assert response.status < 400, (where, label, response.status)


def _scope_hr_to_one_unit() -> None:
    """The demo HR officer administers one perangkat daerah only (a unit-scoped officer)."""
    from django.contrib.auth import get_user_model

    from kompetensi.models import OrganizationUnit
    from tests.factories import set_hr_scope

    set_hr_scope(
        get_user_model().objects.get(username="hr"),
        OrganizationUnit.objects.get(code="DISDUKCAPIL"),
    )


@pytest.mark.parametrize("role", list(ROLES))
def test_role_menu_and_home_at_phone_and_desk(page, demo_data, role):
    username, destinations, home_text = ROLES[role]
    if role == "hr-unit":
        _scope_hr_to_one_unit()
    login(page, username, demo_data)
    for name, viewport in (("360", PHONE), ("1280", DESK)):
        page.set_viewport_size(viewport)
        page.goto("/")
        where = f"{role} {name} px"
        expect(page.get_by_role("heading", level=1)).to_contain_text("Halo")
        expect(page.locator("main")).to_contain_text(home_text)
        _no_overflow(page, where)
        toggle = page.get_by_role("button", name="Menu", exact=True)
        if viewport is PHONE:
            expect(_menu(page)).to_be_hidden()
            expect(toggle).to_have_attribute("aria-expanded", "false")
            toggle.click()
            expect(toggle).to_have_attribute("aria-expanded", "true")
            _no_overflow(page, f"{where}, menu terbuka")
            _shot(page, f"roles-{role}-{name}-menu")
            _no_axe(page, f"{where}, menu terbuka")
            _check_menu(page, destinations, where)
            page.keyboard.press("Escape")
            expect(_menu(page)).to_be_hidden()
        else:
            expect(toggle).to_be_hidden()
            _check_menu(page, destinations, where)
        _shot(page, f"roles-{role}-{name}-home")
        _no_axe(page, where)
    if role == "hr":
        # HR's pages reachable from /sdm/: imports, periods.
        page.goto("/sdm/")
        data = page.get_by_role("navigation", name="Data kepegawaian")
        for label in ("Impor pegawai", "Impor hasil SKP", "Periode penilaian"):
            expect(data.get_by_role("link", name=label)).to_be_visible()


def test_phone_menu_works_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        login(page, "hr", demo_data)
        page.goto("/")
        expect(_menu(page)).to_be_hidden()
        page.get_by_role("link", name="Menu", exact=True).click()
        for label in HR:
            expect(_menu(page).get_by_role("link", name=label, exact=True)).to_be_visible()
        _no_overflow(page, "tanpa JavaScript, 360 px")
        _shot(page, "roles-nojs-360-menu")
    finally:
        context.close()


def _public_pages():
    from skm.models import ServicePoint
    from workflow.models import Certificate

    point = ServicePoint.objects.filter(is_active=True).select_related("unit").first()
    cert = Certificate.objects.filter(revoked_at__isnull=True).first()
    pages = {"verifikasi": "/verifikasi/", "survei-daftar": "/umpan-balik/"}
    if point:
        pages["survei"] = f"/umpan-balik/{point.unit.code}/{point.code}/"
    if cert:
        pages["verifikasi-sah"] = f"/verifikasi/{cert.verification_code}/"
    return pages


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["360", "1280"])
def test_public_pages_have_a_minimal_layout(page, demo_data, viewport):
    page.set_viewport_size(viewport)
    pages = _public_pages()
    assert {"survei", "verifikasi-sah"} <= set(pages), pages
    for name, path in pages.items():
        page.goto(path)
        where = f"{name} {viewport['width']} px"
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        header = page.locator("header.site-header")
        expect(header.get_by_role("link", name="Masuk", exact=True)).to_have_count(0)
        expect(page.get_by_role("link", name="Katalog Pelatihan")).to_have_count(0)
        expect(page.get_by_role("navigation", name="Navigasi utama")).to_have_count(0)
        expect(page.locator('a[href^="/api/"]')).to_have_count(0)
        _no_overflow(page, where)
        _shot(page, f"public-{name}-{viewport['width']}")
        _no_axe(page, where)
