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
