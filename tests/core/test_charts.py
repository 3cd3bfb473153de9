"""core.charts: pure SVG strings, escaped, accessible, no inline style."""

import xml.etree.ElementTree as ET

from core import charts

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _check_common(svg: str) -> ET.Element:
    assert "style=" not in svg
    assert "<script" not in svg
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{NS}title") is not None
    assert root.find(f"{NS}desc") is not None
    ids = root.get("aria-labelledby").split()
    assert root.find(f"{NS}title").get("id") == ids[0]
    return root


def test_grouped_level_bars_widths_and_missing_level():
    rows = [
        charts.LevelRow("Komunikasi", 3, 2, 4),
        charts.LevelRow("<b>Integritas</b>", 3, None, None),
    ]
    svg = charts.grouped_level_bars(rows, title="Profil & kompetensi", desc="d")
    root = _check_common(svg)
    assert "&lt;b&gt;Integritas" in svg and "<b>" not in svg
    assert "Profil &amp; kompetensi" in svg
    assert "belum dinilai" in svg
    rects = {}
    for rect in root.iter(f"{NS}rect"):
        title = rect.find(f"{NS}title")
        if title is not None:
            rects[title.text] = float(rect.get("width"))
    step = (charts.LEVEL_WIDTH - 8 - 24) / 5
    assert rects["Komunikasi – Dibutuhkan: 3"] == round(3 * step, 2)
    assert rects["Komunikasi – Hasil penilaian: 2"] == round(2 * step, 2)
    assert rects["Komunikasi – Penilaian diri: 4"] == round(4 * step, 2)


# --- Legibility on a 360 px phone and small multiples (issue #17) ----------------------------


def _report_texts(svg: str) -> list[ET.Element]:
    root = _check_common(svg)
    assert root.get("class") == "report-chart"  # not ".chart": its CSS would override font-size
    return list(root.iter(f"{NS}text"))


def _assert_legible(svg: str) -> None:
    root = _parse(svg)
    assert float(root.get("viewBox").split()[2]) == charts.WIDTH
    for text in _report_texts(svg):
        size = float(text.get("font-size"))
        shown = size * charts.PHONE_WIDTH / charts.WIDTH
        assert shown >= charts.MIN_TEXT_PX, (text.text, size, shown)


def test_phone_scale_keeps_every_font_size_legible():
    for size in (charts.SMALL, charts.FONT, charts.TITLE, *charts.LEVEL_FONTS.values()):
        assert charts.phone_px(size) >= charts.MIN_TEXT_PX


def test_report_charts_are_legible_at_360_px():
    long = "Unit Pelaksana Teknis Daerah Pusat Kesehatan Masyarakat Kecamatan Kasemen"
    _assert_legible(
        charts.hbar_chart("JP per unit kerja tahun ini (target 20 JP)", [charts.Bar(long, 12)])
    )
    _assert_legible(
        charts.level_chart("Level dibutuhkan", [("M.01 Integritas dan etika", 3, None, 2)])
    )
    _assert_legible(
        charts.line_chart("Level per periode", ["2024", "2025", "2026"], [("M.01", [2, 3, 3])])
    )


def test_long_labels_are_wrapped_or_cut_to_the_viewbox():
    long = "Unit Pelaksana Teknis Daerah Pusat Kesehatan Masyarakat Kecamatan Kasemen"
    svg = charts.hbar_chart("t", [charts.Bar(long, 12, "12 JP")])
    for text in _report_texts(svg):
        width = len(text.text) * float(text.get("font-size")) * charts.CHAR_EM
        assert width <= charts.WIDTH + 1, text.text
    assert "…" in svg


def test_line_chart_draws_one_small_panel_per_series():
    names = [f"M.{i:02d}" for i in range(1, 12)]
    series = [(name, [1 + i % 3, 2 + i % 3, None]) for i, name in enumerate(names)]
    svg = charts.line_chart("Level per periode", ["2024", "2025", "2026"], series)
    _assert_legible(svg)
    root = _parse(svg)
    lines = list(root.iter(f"{NS}polyline"))
    assert len(lines) == 11
    # No two series share a plot: each polyline sits in its own box.
    boxes = []
    for line in lines:
        pts = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        boxes.append((min(xs), max(xs), min(ys), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2]
            assert apart, (a, b)
    heads = [t.text for t in root.iter(f"{NS}text") if t.get("font-weight") == "bold"]
    assert "M.01: 2" in heads and "M.11: 3" in heads  # name and latest value per panel


def test_grouped_level_bars_reserve_room_for_the_css_font_sizes():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/sikap.css").read_text()
    block = css[css.index("==== Charts and tables on a phone") :]
    for cls, size in charts.LEVEL_FONTS.items():
        assert f".chart-levels .{cls}" in block
        assert f"font-size: {size}px" in block
    rows = [charts.LevelRow("M.01 Integritas dan etika dalam pelayanan publik daerah", 3, 2, 4)]
    root = _parse(charts.grouped_level_bars(rows, title="t"))
    assert float(root.get("viewBox").split()[2]) == charts.LEVEL_WIDTH == charts.WIDTH
    label = next(t for t in root.iter(f"{NS}text") if t.get("class") == "label")
    spans = list(label.iter(f"{NS}tspan"))
    assert len(spans) == 2  # wrapped on two lines, not shrunk
    for span in spans:
        assert len(span.text) * charts.FONT * charts.CHAR_EM <= charts.WIDTH
