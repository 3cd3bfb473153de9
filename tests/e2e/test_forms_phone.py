"""The evaluation forms and Tim saya on a 360 px phone and a 1280 px desk (issue #17, "Forms and
learning on a phone"), on the demo of Kota Serang: no horizontal overflow, a compact
self-evaluation (the page height is bounded; it was ~28,000 px at 360 px with every level
description open), the counter "N dari M terisi" that follows the choices, the error for
unanswered competencies linking to each of them (with and without JavaScript), the supervisor's
form with the sent self-assessment, the previous level and a comment per competency, and Tim
saya's cards with each report's training and JP. axe-core clean on every page.

Set SIKAP_E2E_SCREENSHOTS=<dir> to keep a screenshot of every page checked."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_overflow as _no_overflow
from tests.e2e.helpers import shot as _shot

from .conftest import axe_check, login

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
SELF_URL = "/kinerja-saya/penilaian-diri/2026/"
# The self-evaluation at 360 px was ~28,000 px tall; one row of choices per competency with the
# descriptions folded keeps it under this (11 competencies for the demo ASN).
MAX_HEIGHT = {360: 8000, 1280: 5000}


def _height(page) -> int:
    return page.evaluate("() => document.documentElement.scrollHeight")


def _no_axe(page, where: str) -> None:
    violations = axe_check(page)
    assert not violations, (where, violations)


def _counter(page) -> str:
    return " ".join(page.locator("#eval-counter").inner_text().split())


def _competency_ids(page) -> list[str]:
    return page.locator("fieldset.eval-competency").evaluate_all("els => els.map(e => e.id)")


def test_self_evaluation_is_compact_and_counts(page, demo_data):
    login(page, "asn", demo_data)
    for viewport in (PHONE, DESK):
        page.set_viewport_size(viewport)
        page.goto(SELF_URL)
        width = viewport["width"]
        where = f"penilaian diri {width} px"
        ids = _competency_ids(page)
        assert len(ids) >= 5, ids
        assert _counter(page) == f"0 dari {len(ids)} terisi"
        _no_overflow(page, where)
        height = _height(page)
        print(f"{where}: tinggi {height} px, {len(ids)} kompetensi")
        assert height <= MAX_HEIGHT[width], (where, height)
        # Descriptions are folded, one click away.
        first = page.locator(f"#{ids[0]}")
        expect(first.locator(".eval-descriptor").first).to_be_hidden()
        first.locator("summary").click()
        expect(first.locator(".eval-descriptor").first).to_be_visible()
        first.locator("summary").click()
        _shot(page, f"forms-self-{width}")
        _no_axe(page, where)

    # The counter follows the choices; the chosen level's description shows under them.
    page.set_viewport_size(PHONE)
    ids = _competency_ids(page)
    page.locator(f"label[for={ids[0]}-2]").click()
    page.locator(f"label[for={ids[1]}-3]").click()
    assert _counter(page) == f"2 dari {len(ids)} terisi"
    expect(page.locator(f"#{ids[0]} .eval-chosen")).to_contain_text("Level 2:")
    # Sending with competencies left: the error lists and links each of them.
    page.get_by_role("button", name="Kirim (final)").click()
    errors = page.locator("#kesalahan")
    expect(errors).to_be_visible()
    expect(errors).to_be_focused()
    links = errors.get_by_role("link")
    expect(links).to_have_count(len(ids) - 2)
    assert _counter(page) == f"2 dari {len(ids)} terisi"  # what was chosen stays chosen
    _no_overflow(page, "kesalahan 360 px")
    _shot(page, "forms-self-360-error")
    _no_axe(page, "kesalahan 360 px")
    links.nth(0).click()
    assert page.url.endswith(f"#{ids[2]}")
    expect(page.locator(f"#{ids[2]}")).to_be_in_viewport()


def test_self_evaluation_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        login(page, "asn", demo_data)
        page.goto(SELF_URL)
        ids = _competency_ids(page)
        page.locator(f"label[for={ids[0]}-3]").click()
        page.get_by_role("button", name="Simpan draf").click()
        expect(page.get_by_text("Draf penilaian disimpan.")).to_be_visible()
        assert _counter(page) == f"1 dari {len(ids)} terisi"
        page.get_by_role("button", name="Kirim (final)").click()
        links = page.locator("#kesalahan").get_by_role("link")
        expect(links).to_have_count(len(ids) - 1)
        links.nth(0).click()
        assert page.url.endswith(f"#{ids[1]}")
        _no_overflow(page, "tanpa JavaScript, 360 px")
    finally:
        context.close()


def _send_self_evaluation(page, password: str) -> dict[str, int]:
    """The demo ASN sends the 2026 self-evaluation (level 3 everywhere but the first: 4)."""
    login(page, "asn", password)
    page.goto(SELF_URL)
    levels = {}
    for n, fid in enumerate(_competency_ids(page)):
        levels[fid] = 4 if n == 0 else 3
        page.locator(f"label[for={fid}-{levels[fid]}]").click()
    page.get_by_role("button", name="Kirim (final)").click()
    page.get_by_role("button", name="Ya, kirim (final)").click()
    expect(page.get_by_text("Penilaian dikirim dan sudah final.")).to_be_visible()
    page.context.clear_cookies()
    return levels


def test_team_and_supervisor_form_on_a_phone(page, demo_data):
    from kompetensi.models import Employee

    asn = Employee.objects.get(user__username="asn")
    self_levels = _send_self_evaluation(page, demo_data)
    login(page, "atasan", demo_data)
    for viewport in (PHONE, DESK):
        page.set_viewport_size(viewport)
        width = viewport["width"]
        page.goto("/tim-saya/")
        where = f"tim saya {width} px"
        _no_overflow(page, where)
        print(f"{where}: tinggi {_height(page)} px")
        row = page.get_by_role("row").filter(has_text=asn.name)
        expect(row).to_contain_text(re.compile(r"\d+ dari \d+ JP"))
        expect(row).to_contain_text("pelatihan berjalan")
        button = row.get_by_role("link", name="Nilai 2026")
        expect(button).to_be_in_viewport()
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (where, box)
        _shot(page, f"forms-team-{width}")
        _no_axe(page, where)

    page.set_viewport_size(PHONE)
    page.get_by_role("row").filter(has_text=asn.name).get_by_role("link", name="Nilai 2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(asn.name)
    ids = _competency_ids(page)
    first = page.locator(f"#{ids[0]}")
    expect(first.locator(".eval-context")).to_contain_text(
        f"Penilaian diri: level {self_levels[ids[0]]}"
    )
    # The demo ASN's 2025 supervisor evaluation is the previous level.
    expect(
        page.locator(".eval-context").filter(has_text="Penilaian Kompetensi 2025")
    ).not_to_have_count(0)
    _no_overflow(page, "penilaian atasan 360 px")
    height = _height(page)
    print(f"penilaian atasan 360 px: tinggi {height} px, {len(ids)} kompetensi")
    assert height <= MAX_HEIGHT[360] + 150 * len(ids), height  # + a comment box each
    _no_axe(page, "penilaian atasan 360 px")
    for fid in ids:
        page.locator(f"label[for={fid}-2]").click()
    note = first.get_by_label(re.compile("Catatan"))
    note.fill("Menjelaskan prosedur dengan sabar; perlu latihan presentasi.")
    _shot(page, "forms-supervisor-360")
    page.get_by_role("button", name="Kirim (final)").click()
    page.get_by_role("button", name="Ya, kirim (final)").click()
    expect(page.get_by_text("Penilaian dikirim dan sudah final.")).to_be_visible()
    page.goto(f"/tim-saya/{asn.nip}/penilaian/2026/")
    expect(page.locator(f"#{ids[0]} .eval-note-text")).to_contain_text(
        "Menjelaskan prosedur dengan sabar"
    )
    _no_overflow(page, "penilaian atasan final 360 px")
    _shot(page, "forms-supervisor-360-final")
