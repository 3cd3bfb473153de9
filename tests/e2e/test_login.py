"""Log in, look around, log out, get locked out — in a real browser, and accessible."""

import re

from playwright.sync_api import expect


def test_demo_asn_logs_in_sees_home_in_indonesian_and_logs_out(page, demo_data, login):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Masuk", exact=True).first).to_be_visible()

    login(page, "asn", demo_data)

    # The learner's home, in Bahasa Indonesia: a greeting with the demo ASN's name.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Halo, Rizki Maulana")
    expect(page).to_have_title(re.compile(r"^Beranda · SIKAP"))
    nav = page.get_by_role("navigation", name="Navigasi utama")
    for label in ("Beranda", "Katalog Pelatihan", "Forum", "Kinerja Saya"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Dashboard SDM")).to_have_count(0)
    expect(page.get_by_text("Langsung ke konten utama")).to_be_attached()

    page.locator("details.account summary").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("header").get_by_role("link", name="Masuk", exact=True)).to_be_visible()
    expect(page.locator("details.account")).to_have_count(0)


def test_five_wrong_passwords_lock_the_account(page, demo_data, login):
    for attempt in range(5):
        login(page, "asn", f"salah-{attempt}", expect_success=False)
        if attempt < 4:
            expect(page.get_by_role("alert").first).to_contain_text("kata sandi salah")
    # The sixth attempt, even with the right password, meets the lock.
    login(page, "asn", demo_data, expect_success=False)
    assert "/masuk/" in page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("dikunci")
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"dikunci selama 30 menit"))


def test_login_and_home_pages_have_no_serious_accessibility_violations(
    page, demo_data, login, axe_check
):
    page.goto("/")
    assert not (found := axe_check(page)), f"beranda (anonim): {found!r}"
    page.goto("/masuk/")
    assert not (found := axe_check(page)), f"halaman masuk: {found!r}"
    login(page, "asn", "salah", expect_success=False)
    assert not (found := axe_check(page)), f"halaman masuk dengan galat: {found!r}"
    login(page, "asn", demo_data)
    assert not (found := axe_check(page)), f"beranda (ASN): {found!r}"
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert not (found := axe_check(page)), f"beranda (ASN, 360 px): {found!r}"
