"""The HR reports' PDF format: core's "report" stylesheet (``core/pdf.py``) with the real
WeasyPrint (moved from tests/workflow/test_pdf.py)."""

import io

import pytest
from pypdf import PdfReader

from core import pdf

MM = 72 / 25.4


def test_report_is_a4_portrait_with_page_numbers():
    rows = "".join(f"<tr><td>{i}</td><td>Pegawai {i}</td></tr>" for i in range(120))
    html = (
        "<h1>Laporan Kesenjangan Kompetensi</h1><p class='meta'>Periode 2026</p>"
        f"<table class='data'><thead><tr><th>No</th><th>Nama</th></tr></thead>{rows}</table>"
    )
    data = pdf.render_html_pdf(html)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(210 * MM, abs=1)
    assert float(box.height) == pytest.approx(297 * MM, abs=1)
    last = reader.pages[-1].extract_text()
    assert f"Halaman {len(reader.pages)} dari {len(reader.pages)}" in last
    assert "Laporan Kesenjangan Kompetensi" in last  # running header
