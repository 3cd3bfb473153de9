"""The A6 poster of a citizen feedback point (``skm/poster.py``) with the real WeasyPrint
(moved from tests/workflow/test_pdf.py with the code it tests)."""

import io

import pytest
from pypdf import PdfReader

from core.qr import qr_data_uri
from skm import poster


def pdf_text(data: bytes) -> str:
    """All text of a PDF with runs of whitespace collapsed to one space."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_size(data: bytes, index: int = 0) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(data)).pages[index].mediabox
    return float(box.width), float(box.height)


def test_poster_is_one_a6_page():
    ctx = poster.PosterContext(
        unit_name="Dinas Kependudukan dan Pencatatan Sipil",
        service_name="Pelayanan KTP Elektronik",
        feedback_url="https://sikap.serangkota.go.id/skm/dukcapil-ktp/",
    )
    data = poster.render_poster_pdf(ctx)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    width, height = page_size(data)
    assert width == pytest.approx(298, abs=1)  # 105 mm
    assert height == pytest.approx(420, abs=1)  # 148 mm
    text = pdf_text(data)
    for expected in [
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Pelayanan KTP Elektronik",
        "Bagaimana pelayanan kami hari ini?",
        "Pindai kode QR untuk mengisi Survei Kepuasan Masyarakat",
        "https://sikap.serangkota.go.id/skm/dukcapil-ktp/",
        "Tanpa login, 1 menit, identitas Anda tidak dicatat",
    ]:
        assert expected in text, expected
    assert qr_data_uri(ctx.feedback_url, border=0) in poster.poster_html(ctx)


def test_poster_stays_on_one_page_with_long_names():
    ctx = poster.PosterContext(
        unit_name="Unit Pelaksana Teknis Daerah Pusat Kesehatan Masyarakat Kecamatan Kasemen, "
        "Dinas Kesehatan Kota Serang",
        service_name="Pelayanan Pemeriksaan Kesehatan Ibu dan Anak serta Imunisasi — Loket 2",
        feedback_url="https://sikap.serangkota.go.id/skm/uptd-puskesmas-kasemen-kia-imunisasi"
        "-loket-2/?sumber=poster",
    )
    data = poster.render_poster_pdf(ctx)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert "Tanpa login, 1 menit, identitas Anda tidak dicatat" in pdf_text(data)
