"""kompetensi.charts: pure SVG strings, escaped, accessible, no inline style."""

import xml.etree.ElementTree as ET

from kompetensi import charts

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


def test_bar_chart_and_empty():
    svg = charts.bar_chart([("A", 10), ("B", 5)], title="t", unit=" JP")
    root = _check_common(svg)
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect")]
    assert widths[0] == 2 * widths[1]
    assert "10 JP" in svg
    assert "Tidak ada data" in charts.bar_chart([], title="kosong")


def test_stacked_bar_parts_sum_to_width():
    svg = charts.stacked_bar([("Selesai", 3, "bar-ok"), ("Terlambat", 1, "bar-bad")], title="t")
    root = _check_common(svg)
    bars = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert abs(sum(float(r.get("width")) for r in bars) - charts.WIDTH) < 0.1
    _check_common(charts.stacked_bar([("Kosong", 0, "bar-ok")], title="t"))


def test_line_chart_breaks_on_none():
    svg = charts.line_chart(
        ["2024", "2025", "2026"],
        [("JPM", [70, None, 85], "bar-assessed"), ("Target", [80, 80, 80], "bar-required")],
        title="JPM",
        max_value=100,
    )
    root = _check_common(svg)
    lines = list(root.iter(f"{NS}polyline"))
    assert len(lines) == 1  # the JPM series is broken by None, the target is one line
    assert len(list(root.iter(f"{NS}circle"))) == 5
