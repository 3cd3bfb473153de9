"""Tables and charts on a 360 px phone and a 1280 px desk (issue #17, "Forms and learning on a
phone"), on the demo of Kota Serang.

- Tables whose key column hid off-screen on a phone (Pelatihan Saya's certificates with
  "Unduh PDF", the recommendations' module and status, Kinerja Saya's details) are stacked
  cards at 360 px: every cell inside the viewport, labelled by its column's name.
- Charts (server-rendered SVG, scaled to their container) show every text at >= 11 CSS px at
  360 px: the computed font size times the chart's scale (rendered width / viewBox width).
- The assessed level per period is drawn as small multiples (one panel per competency).
- JPM and IKK are explained where they appear; tables that scroll sideways on an HR page are
  focusable, labelled regions. No horizontal overflow; axe-core clean (serious, critical).

Set SIKAP_E2E_SCREENSHOTS=<dir> to keep a screenshot of every page checked."""

from tests.e2e.helpers import shot as _shot

from .conftest import axe_check, login

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
MIN_TEXT_PX = 11

# The smallest text of every chart on the page, in CSS px as shown:
# computed font-size (user units) x rendered width / viewBox width.
CHART_TEXT_PX = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.chart, svg.report-chart')) {
    const box = svg.viewBox.baseVal;
    const scale = svg.getBoundingClientRect().width / box.width;
    let smallest = Infinity, which = '';
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < smallest) { smallest = px; which = t.textContent.trim(); }
    }
    out.push({chart: svg.querySelector('title').textContent, px: smallest, text: which,
              width: svg.getBoundingClientRect().width});
  }
  return out;
}"""

# Cells of stacked tables that end outside the viewport (or are hidden).
OFFSCREEN_CELLS = """() => {
  const bad = [];
  for (const cell of document.querySelectorAll('table.stack-table tbody :is(td, th)')) {
    const r = cell.getBoundingClientRect();
    if (r.width === 0 || r.right > window.innerWidth + 0.5 || r.left < -0.5)
      bad.push(cell.textContent.trim().slice(0, 40) + ' ' + r.left + '-' + r.right);
  }
  return bad;
}"""

# Regions that scroll sideways but cannot be focused or have no name.
SCROLLERS_WITHOUT_FOCUS = """() => [...document.querySelectorAll('.table-wrap')]
  .filter(el => el.scrollWidth > el.clientWidth + 1)
  .filter(el => el.tabIndex < 0 || !(el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby')))
  .map(el => el.outerHTML.slice(0, 80))"""


def _check_page(page, url: str, name: str) -> dict:
    """Visit ``url`` at both widths; common checks; returns per-width chart measurements."""
    measured = {}
    for viewport in (PHONE, DESK):
        page.set_viewport_size(viewport)
        page.goto(url)
        width = viewport["width"]
        where = f"{url} {width} px"
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1], f"{where}: halaman melebar ke samping {sizes}"
        charts = page.evaluate(CHART_TEXT_PX)
        for chart in charts:
            print(f"{where}: {chart}")
            assert chart["px"] >= MIN_TEXT_PX, (where, chart)
        measured[width] = charts
        if width == PHONE["width"]:
            assert page.evaluate(OFFSCREEN_CELLS) == [], where
        assert page.evaluate(SCROLLERS_WITHOUT_FOCUS) == [], where
        _shot(page, f"tables-{name}-{width}")
        violations = axe_check(page)
        assert not violations, (where, violations)
    return measured


def test_learner_tables_are_cards_and_charts_legible(page, demo_data):
    login(page, "asn", demo_data)
    _check_page(page, "/pelatihan-saya/", "pelatihan-saya")
    page.set_viewport_size(PHONE)
    page.goto("/pelatihan-saya/")
    download = page.get_by_role("link", name="Unduh PDF").first
    box = download.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"], box
    label = page.locator("table.stack-table td[data-label]").first
    before = label.evaluate("el => getComputedStyle(el, '::before').content")
    assert before.strip('"'), before  # the column's name shows in the card

    measured = _check_page(page, "/kinerja-saya/", "kinerja-saya")
    assert measured[360], "Kinerja Saya has its competency chart"
    page.goto("/kinerja-saya/")
    help_box = page.locator("details.term-help").first
    help_box.locator("summary").click()
    text = help_box.inner_text()
    assert "Job Person Match" in text and "100 − JPM" in text

    _check_page(page, "/pelatihan-saya/eksternal/", "eksternal")


def test_hr_recommendations_and_employee_report(page, demo_data):
    from kompetensi.models import Employee

    login(page, "hr", demo_data)
    _check_page(page, "/sdm/rekomendasi/", "rekomendasi")
    page.set_viewport_size(PHONE)
    page.goto("/sdm/rekomendasi/")
    row = page.locator("table.stack-table tbody tr").first
    for column in ("Modul", "Status"):
        cell = row.locator(f'td[data-label="{column}"]')
        box = cell.bounding_box()
        assert box and box["x"] + box["width"] <= PHONE["width"], (column, box)

    nip = Employee.objects.get(user__username="asn").nip
    url = f"/sdm/pegawai/{nip}/"
    measured = _check_page(page, url, "pegawai")
    titles = [c["chart"] for c in measured[360]]
    assert any("per periode" in t for t in titles), titles
    page.goto(url)
    # Small multiples: one panel (one line) per competency, none drawn over another.
    history = page.locator("svg.report-chart", has_text="per periode")
    assert history.locator("polyline").count() >= 2
    assert page.locator("details.term-help summary").first.is_visible()


def test_hr_dashboards_charts_and_tables(page, demo_data):
    login(page, "hr", demo_data)
    for url, name in (("/sdm/", "sdm"), ("/sdm/efektivitas/", "efektivitas")):
        measured = _check_page(page, url, name)
        assert measured[360], f"{url} has charts"
