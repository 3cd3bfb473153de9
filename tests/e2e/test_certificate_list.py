"""HR's certificate list /sdm/sertifikat/ (issue #17) on the demo of Kota Serang, as the demo
``hr`` at 360 and 1280 px: reached from the /sdm/ dashboard, no horizontal overflow, "Unduh PDF"
visible on the first certificate at both widths (a card per certificate on a phone), axe-core
clean; a search, then reissuing (phone) and revoking (desk) from the list ask first and come
back to the list.

Set SIKAP_E2E_SCREENSHOTS=<dir> to keep a screenshot of every page checked."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_overflow as _no_overflow
from tests.e2e.helpers import shot as _shot

from .conftest import axe_check, login

WIDTHS = {"360": {"width": 360, "height": 740}, "1280": {"width": 1280, "height": 900}}


@pytest.mark.slow(seconds=20)
@pytest.mark.parametrize("width", WIDTHS)
def test_certificate_list_at_both_widths(page, demo_data, width):
    page.set_viewport_size(WIDTHS[width])
    login(page, "hr", demo_data)
    page.goto("/sdm/")
    page.get_by_role("navigation", name="Data kepegawaian").get_by_role(
        "link", name="Daftar sertifikat"
    ).click()
    expect(page).to_have_url(re.compile(r"/sdm/sertifikat/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar sertifikat")
    first = page.locator("table.cert-table tbody tr").first
    download = first.get_by_role("link", name=re.compile("^Unduh PDF"))
    download.scroll_into_view_if_needed()
    expect(download).to_be_visible()
    box = download.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width]["width"], box
    _no_overflow(page, f"/sdm/sertifikat/ {width}px")
    assert not axe_check(page), axe_check(page)
    _shot(page, f"sertifikat-daftar-{width}")

    # search by the first holder's number, open "Cabut" and confirm on the confirmation page
    number = first.locator("th").inner_text().strip()
    page.fill("#f-q", number)
    page.get_by_role("button", name="Terapkan").click()
    rows = page.locator("table.cert-table tbody tr")
    expect(rows).to_have_count(1)
    if width == "360":
        rows.first.get_by_role("button", name=re.compile("^Terbitkan ulang")).click()
        confirm = page.get_by_role("button", name="Ya, terbitkan ulang")
        expect(confirm).to_be_visible()
        _no_overflow(page, "konfirmasi terbitkan ulang 360px")
        _shot(page, "sertifikat-terbitkan-ulang-konfirmasi-360")
        confirm.click()
        expect(page).to_have_url(re.compile(r"/sdm/sertifikat/\?"))
        expect(page.get_by_text(f"Sertifikat {number} diterbitkan ulang.")).to_be_visible()
    if width == "1280":
        rows.first.locator("summary").click()
        rows.first.locator("input[name=reason]").fill("Uji: data pelatihan keliru")
        rows.first.locator("details form button[type=submit]").click()
        expect(page.get_by_role("button", name="Ya, cabut sertifikat")).to_be_visible()
        _shot(page, "sertifikat-cabut-konfirmasi-1280")
        page.get_by_role("button", name="Ya, cabut sertifikat").click()
        expect(page).to_have_url(re.compile(r"/sdm/sertifikat/\?"))
        expect(rows.first.get_by_text("Dicabut")).to_be_visible()
        _shot(page, "sertifikat-dicabut-1280")
