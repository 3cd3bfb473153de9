"""workflow.certificates.pdf with the real WeasyPrint (the one place where it is not mocked),
and what it is built on: core/pdf.py (the renderer), core/qr.py (QR codes) and the wording
rules of kompetensi/rules (numbers in words, dates, grouped codes).

Runs under pytest-django (``sikap.settings.test``) like every other test. Without the plugin
(``-p no:django --noconftest``) it configures Django itself: the project's test settings when
they import, otherwise a minimal template-only configuration.
"""

import base64
import hashlib
import importlib
import io
import os
import re
import threading
import time
import xml.etree.ElementTree as ET
from datetime import date

import django
import pytest
import segno
from django.conf import settings

if not settings.configured:  # pragma: no cover - only without pytest-django
    try:
        importlib.import_module("sikap.settings.test")
    except Exception:
        settings.configure(
            TEMPLATES=[
                {
                    "BACKEND": "django.template.backends.django.DjangoTemplates",
                    "DIRS": [os.path.join(os.path.dirname(__file__), "../../templates")],
                }
            ],
            USE_I18N=False,
        )
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikap.settings.test")
    django.setup()

from pypdf import PdfReader  # noqa: E402

from core import pdf as core_pdf
from core import qr
from kompetensi import rules
from workflow.certificates import pdf

MM = 72 / 25.4
VERIFY_URL = "https://sikap.serangkota.go.id/verifikasi/MFRGGZDFMZTWQ2LKNNWG23TPOA/"


def make_ctx(**overrides) -> pdf.CertificateContext:
    values = {
        "number": "00042/SIKAP/2026",
        "holder_name": "Dra. Siti Nurhaliza Rahmawati, M.Si.",
        "holder_nip": "196903091994032001",
        "holder_rank": "Penata Tingkat I (III/d)",
        "holder_position": "Analis Sumber Daya Manusia Aparatur Ahli Muda",
        "holder_unit": "Bidang Pengembangan Kompetensi Aparatur",
        "module_title": "Pelayanan Publik Prima bagi Aparatur Sipil Negara",
        "competencies": [("Pelayanan Publik", 3), ("Komunikasi", 2)],
        "jp": 20,
        "start_date": date(2026, 11, 3),
        "completion_date": date(2026, 11, 28),
        "issue_date": date(2026, 11, 29),
        "signatory_name": "H. Ahmad Fauzi Rahman, S.STP., M.Si.",
        "signatory_nip": "197501012000031002",
        "signatory_position": "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "verify_url": VERIFY_URL,
        "verification_code": "mfrggzdfmztwq2lknnwg23tpoa",
    }
    values.update(overrides)
    return pdf.CertificateContext(**values)


def pdf_text(data: bytes) -> str:
    """All text of a PDF with runs of whitespace collapsed to one space."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_size(data: bytes, index: int = 0) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(data)).pages[index].mediabox
    return float(box.width), float(box.height)


@pytest.fixture(scope="module")
def certificate() -> bytes:
    return pdf.render_certificate_pdf(make_ctx())


# --- certificate ---------------------------------------------------------------------------


def test_certificate_is_one_a4_landscape_page(certificate):
    assert certificate.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(certificate)).pages) == 1
    width, height = page_size(certificate)
    assert width == pytest.approx(297 * MM, abs=1)
    assert height == pytest.approx(210 * MM, abs=1)


def test_certificate_carries_what_domain_requires(certificate):
    text = pdf_text(certificate)
    for expected in [
        "PEMERINTAH KOTA SERANG",
        "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA",
        "Nomor: 00042/SIKAP/2026",
        "diberikan kepada",
        "Dra. Siti Nurhaliza Rahmawati, M.Si.",
        "19690309 199403 2 001",
        "Penata Tingkat I (III/d)",
        "Analis Sumber Daya Manusia Aparatur Ahli Muda",
        "Bidang Pengembangan Kompetensi Aparatur",
        "Pemerintah Kota Serang",
        "telah mengikuti pelatihan Pelayanan Publik Prima bagi Aparatur Sipil Negara",
        "3 s.d. 28 November 2026",
        "yang meliputi 20 (dua puluh) jam pelajaran",
        "Pelayanan Publik Level 3",
        "Komunikasi Level 2",
        "Serang, 29 November 2026",
        "H. Ahmad Fauzi Rahman, S.STP., M.Si.",
        "NIP. 19750101 200003 1 002",
        "Verifikasi keaslian:",
        "MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OA",
    ]:
        assert expected in text, expected
    assert "".join(text.split()).count(VERIFY_URL) == 1
    # The title is letter-spaced; extraction may or may not put spaces between letters.
    assert "SERTIFIKAT" in text.replace(" ", "")


def test_certificate_metadata(certificate):
    meta = PdfReader(io.BytesIO(certificate)).metadata
    assert meta.title == "Sertifikat 00042/SIKAP/2026"
    assert meta.author == "Pemerintah Kota Serang"


def test_certificate_stays_on_one_page_with_long_content():
    ctx = make_ctx(
        holder_name="Prof. Dr. Hj. Ratu Siti Nurhaliza Rahmawati Kusumaningrum, S.H., M.Si.",
        holder_unit="Sub Bagian Umum dan Kepegawaian, Sekretariat Badan Kepegawaian dan "
        "Pengembangan Sumber Daya Manusia Kota Serang",
        module_title="Pelatihan Kepemimpinan Pengawas: Transformasi Digital, Manajemen Kinerja, "
        "dan Pelayanan Publik Prima Berbasis Kepuasan Masyarakat bagi Aparatur Sipil Negara "
        "di Lingkungan Pemerintah Kota Serang",
        competencies=[
            ("Integritas", 3),
            ("Kerja Sama", 3),
            ("Komunikasi", 3),
            ("Orientasi pada Hasil", 3),
            ("Pelayanan Publik", 3),
            ("Pengembangan Diri dan Orang Lain", 3),
            ("Mengelola Perubahan", 3),
            ("Pengambilan Keputusan", 3),
            ("Perekat Bangsa", 3),
        ],
        jp=115,
        start_date=date(2026, 10, 28),
        signatory_position="Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia "
        "Kota Serang",
    )
    data = pdf.render_certificate_pdf(ctx)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    text = pdf_text(data)
    assert "yang meliputi 115 (seratus lima belas) jam pelajaran" in text
    assert "28 Oktober s.d. 28 November 2026" in text
    assert "Perekat Bangsa Level 3" in text


def test_certificate_html_escapes_values():
    html = pdf.certificate_html(make_ctx(holder_name="<script>x</script> & Co"))
    assert "<script>x" not in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; Co" in html


# --- QR code -------------------------------------------------------------------------------


def svg_modules(svg: str) -> list[list[bool]]:
    """Read the dark modules back from the single-path SVG that segno writes.

    The path is made of horizontal runs: ``M x y`` / ``m dx dy`` move, ``h n`` draws n modules
    on row ``floor(y)``. Anything else in the path fails the test rather than being skipped.
    """
    root = ET.fromstring(svg)
    _, _, width, height = (int(float(v)) for v in root.get("viewBox").split())
    paths = root.findall("{http://www.w3.org/2000/svg}path")
    assert len(paths) == 1
    d = paths[0].get("d")
    tokens = re.findall(r"([MmHh])\s*(-?\d+(?:\.\d+)?)(?:[\s,]+(-?\d+(?:\.\d+)?))?", d)
    assert "".join(f"{c}{a}{' ' + b if b else ''}" for c, a, b in tokens) == d.replace(",", " ")
    grid = [[False] * width for _ in range(height)]
    x = y = 0.0
    for command, a, b in tokens:
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        elif command == "h":
            for column in range(int(x), int(x + float(a))):
                grid[int(y)][column] = True
            x += float(a)
        else:  # "H"
            for column in range(int(x), int(float(a))):
                grid[int(y)][column] = True
            x = float(a)
    return grid


@pytest.mark.parametrize(
    "url",
    [VERIFY_URL, "https://sikap.example/v/A/", "https://sikap.serangkota.go.id/skm/x-1/?loket=3"],
)
def test_qr_svg_encodes_the_url(url):
    svg = qr.qr_svg(url)
    assert not svg.startswith("<?xml")
    expected = segno.make_qr(url, error=qr.QR_ERROR)
    assert not expected.is_micro
    rows = [[bool(m) for m in row] for row in expected.matrix_iter(scale=1, border=2)]
    assert svg_modules(svg) == rows
    # And not merely some QR code: another URL gives another matrix.
    other = segno.make_qr(url + "x", error=qr.QR_ERROR)
    assert svg_modules(svg) != [[bool(m) for m in r] for r in other.matrix_iter(border=2)]


def png_modules(png: bytes, size: int, scale: int) -> list[list[bool]]:
    """Dark/light at the centre of every module of a ``size``-module PNG QR code."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size == (size * scale, size * scale)
    return [
        [
            image.getpixel((x * scale + scale // 2, y * scale + scale // 2)) < 128
            for x in range(size)
        ]
        for y in range(size)
    ]


def test_qr_png_is_greyscale_with_a_quiet_zone():
    from PIL import Image

    image = Image.open(io.BytesIO(qr.qr_png(VERIFY_URL, border=2, scale=5)))
    size = segno.make_qr(VERIFY_URL, error=qr.QR_ERROR).symbol_size(border=2)[0]
    assert image.mode == "L"
    assert image.size == (size * 5, size * 5)
    assert sorted(colour for _, colour in image.getcolors()) == [0, 255]
    assert all(image.getpixel((x, y)) == 255 for x in range(size * 5) for y in range(10))


@pytest.mark.parametrize(
    ("url", "border", "scale"),
    [
        (VERIFY_URL, 2, 5),
        ("https://sikap.example/v/" + "a" * 150, 0, 3),  # version 9: version information
        ("HTTPS://SIKAP.EXAMPLE/V/ABC", 4, 1),  # alphanumeric mode
    ],
)
def test_qr_png_encodes_the_url(url, border, scale):
    expected = [
        [bool(m) for m in row]
        for row in segno.make_qr(url, error=qr.QR_ERROR).matrix_iter(border=border)
    ]
    assert png_modules(qr.qr_png(url, border=border, scale=scale), len(expected), scale) == (
        expected
    )


def test_certificate_embeds_the_qr_of_its_verify_url():
    html = pdf.certificate_html(make_ctx())
    match = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert match
    expected = [
        [bool(m) for m in row]
        for row in segno.make_qr(VERIFY_URL, error=qr.QR_ERROR).matrix_iter(border=2)
    ]
    png = base64.b64decode(match.group(1))
    assert png_modules(png, len(expected), qr.QR_PNG_SCALE) == expected
    other = segno.make_qr(VERIFY_URL + "x", error=qr.QR_ERROR)
    assert expected != [[bool(m) for m in r] for r in other.matrix_iter(border=2)]


def test_certificate_pdf_embeds_the_qr_of_its_verify_url(certificate):
    # Read back from the PDF itself: the page's one image is segno's symbol of the URL.
    expected = [
        [bool(m) for m in row]
        for row in segno.make_qr(VERIFY_URL, error=qr.QR_ERROR).matrix_iter(border=2)
    ]
    images = PdfReader(io.BytesIO(certificate)).pages[0].images
    assert len(images) == 1
    buf = io.BytesIO()
    images[0].image.save(buf, "PNG")
    assert png_modules(buf.getvalue(), len(expected), qr.QR_PNG_SCALE) == expected


def test_certificate_pdf_draws_the_qr_sharp(certificate):
    # The QR code is the page's one image: embedded at full resolution (>= 3 px per module at
    # 150 dpi on its 27 mm), drawn without interpolation so the module edges stay crisp.
    page = PdfReader(io.BytesIO(certificate)).pages[0]
    resources = page["/Resources"]
    images = [
        xobj.get_object()
        for xobj in resources["/XObject"].values()
        if xobj.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1
    image = images[0]
    modules = segno.make_qr(VERIFY_URL, error=qr.QR_ERROR).symbol_size(border=2)[0]
    assert image["/Width"] == image["/Height"] == modules * qr.QR_PNG_SCALE
    assert image["/Width"] / modules >= 3
    assert 27 / modules >= 25.4 / 150 * 3  # printed module size >= 3 px at 150 dpi
    assert image.get("/Interpolate") in (False, None)


def test_certificate_template_uses_only_elements_of_its_user_agent_stylesheet():
    # certificate_ua.css replaces WeasyPrint's HTML5 stylesheet for the certificate: every
    # element of the template must be styled there (or be inline by nature).
    html = pdf.certificate_html(make_ctx())
    ua = (pdf.PDF_TEMPLATE_DIR / "certificate_ua.css").read_text()
    covered = set(re.findall(r"\b([a-z][a-z0-9]*)\b(?=[^{}]*\{)", ua))
    inline = {"span", "b", "strong", "img"}
    used = set(re.findall(r"<([a-z][a-z0-9]*)", html))
    assert used - covered - inline == set()
    assert core_pdf._get_renderer().lean_html_class is not None


# --- the renderer (core/pdf.py): stylesheets and what it may fetch ----------------------------
# (The SKM poster is tested in tests/skm/test_poster.py, the HR report format in
# tests/reports/test_pdf.py.)


def test_unknown_stylesheet_is_refused():
    with pytest.raises(ValueError, match="unknown stylesheet"):
        core_pdf.render_html_pdf("<p>x</p>", stylesheet="nope")


def test_no_file_or_network_access(tmp_path):
    secret = tmp_path / "secret.png"
    segno.make_qr("x").save(secret, kind="png")
    html = (
        f"<p>a</p><img src='{secret.as_uri()}'><img src='http://127.0.0.1:9/x.png'>"
        "<link rel=stylesheet href='http://127.0.0.1:9/x.css'>"
    )
    started = time.monotonic()
    data = core_pdf.render_html_pdf(html)
    assert time.monotonic() - started < 5
    assert image_count(data) == 0


def test_base_url_allows_files_below_it_only(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    segno.make_qr("logo").save(static / "logo.png", kind="png")
    segno.make_qr("secret").save(tmp_path / "secret.png", kind="png")
    html = "<img src='logo.png'><img src='../secret.png'><img src='/etc/hostname'>"
    assert image_count(core_pdf.render_html_pdf(html, base_url=f"{static}/")) == 1
    assert image_count(core_pdf.render_html_pdf(html, base_url=static.as_uri() + "/")) == 1
    assert image_count(core_pdf.render_html_pdf(html, base_url="https://sikap.example/")) == 0


def image_count(data: bytes) -> int:
    resources = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]
    return len(resources["/XObject"]) if "/XObject" in resources else 0


# --- hashes, determinism, renderer --------------------------------------------------------


def test_pdf_sha256(certificate):
    assert core_pdf.pdf_sha256(certificate) == hashlib.sha256(certificate).hexdigest()
    assert core_pdf.pdf_sha256(bytes(certificate)) == core_pdf.pdf_sha256(certificate)
    assert re.fullmatch(r"[0-9a-f]{64}", core_pdf.pdf_sha256(certificate))
    assert core_pdf.pdf_sha256(certificate + b"\n") != core_pdf.pdf_sha256(certificate)


def test_same_context_renders_the_same_bytes(certificate, monkeypatch):
    # No timestamps or random IDs in the file: re-rendering reproduces the stored SHA-256
    # (with the same WeasyPrint, fonts and font subsetter). Without libharfbuzz-subset0 (a
    # system dependency: scripts/system-deps.sh) WeasyPrint subsets fonts with fontTools, which
    # stamps each subset font with the current time (``head.modified``) unless
    # SOURCE_DATE_EPOCH is set: then this test pins it and renders its own reference.
    if not core_pdf.harfbuzz_subset_available():
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
        certificate = pdf.render_certificate_pdf(make_ctx())
        pdf.render_certificate_pdf(make_ctx(holder_name="Budi Santoso"))
    assert pdf.render_certificate_pdf(make_ctx()) == certificate


def test_certificate_is_pdfa_with_a_trailer_id(certificate):
    # PDF/A-3b (tests/workflow/test_certificate_template.py checks the XMP declaration): an
    # output intent and a file identifier in the trailer, itself deterministic (see above).
    reader = PdfReader(io.BytesIO(certificate))
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert len(reader.trailer["/ID"]) == 2


def jpeg_data_url(colour: str) -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(buf, "JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def test_background_stylesheet_is_parsed_once_per_background(monkeypatch):
    # A template's background is a data: URL of a few hundred KB that tinycss2 needs ~30 ms to
    # tokenise: parsed once, then reused for every certificate with that background.
    renderer = core_pdf._get_renderer()
    renderer.extra_stylesheets.clear()
    parsed = []
    css_class = renderer.weasyprint.CSS
    monkeypatch.setattr(
        renderer.weasyprint, "CSS", lambda **kw: parsed.append(kw) or css_class(**kw)
    )
    red, blue = jpeg_data_url("red"), jpeg_data_url("blue")
    first = pdf.render_certificate_pdf(make_ctx(background=red))
    second = pdf.render_certificate_pdf(make_ctx(background=red, holder_name="Budi Santoso"))
    assert len(parsed) == 1
    assert b"/DCTDecode" in first and b"/DCTDecode" in second
    assert "Budi Santoso" in pdf_text(second)
    pdf.render_certificate_pdf(make_ctx(background=blue))
    assert len(parsed) == 2
    for i in range(core_pdf.EXTRA_STYLESHEETS_CACHED + 2):  # bounded
        pdf.render_certificate_pdf(make_ctx(background=jpeg_data_url(f"#{i:02x}0000")))
    assert len(renderer.extra_stylesheets) <= core_pdf.EXTRA_STYLESHEETS_CACHED


def test_renderer_is_built_once_per_process(monkeypatch):
    built = []

    class SlowRenderer:
        def __init__(self):
            time.sleep(0.05)
            built.append(self)

    monkeypatch.setattr(core_pdf, "_renderer", None)
    monkeypatch.setattr(core_pdf, "_Renderer", SlowRenderer)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(core_pdf._get_renderer())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert all(result is built[0] for result in results)


def test_font_configuration_and_css_are_reused():
    renderer = core_pdf._get_renderer()
    font_config, css = renderer.font_config, renderer.stylesheets["certificate"]
    pdf.render_certificate_pdf(make_ctx(number="00043/SIKAP/2026"))
    assert core_pdf._get_renderer() is renderer
    assert renderer.font_config is font_config
    assert renderer.stylesheets["certificate"] is css


# --- formatting helpers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "satu"),
        (9, "sembilan"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (32, "tiga puluh dua"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (115, "seratus lima belas"),
        (120, "seratus dua puluh"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
    ],
)
def test_terbilang(n, words):
    # The certificate's own 1..999 helper is gone: the JP sentence uses the domain's rule
    # (kompetensi/rules/words.py, tested over its whole range in tests/kompetensi).
    assert rules.terbilang(n) == words
    sentence = f"yang meliputi {n} ({words}) jam pelajaran"
    assert pdf._jp_sentence(n) == sentence
    assert sentence in pdf.certificate_html(make_ctx(jp=n))


@pytest.mark.parametrize("n", [-1, True, 2.0])
def test_terbilang_out_of_range(n):
    with pytest.raises(ValueError):
        rules.terbilang(n)
    with pytest.raises(ValueError):
        pdf.certificate_html(make_ctx(jp=n))


@pytest.mark.parametrize("jp", [0, 1000])
def test_certificate_refuses_jp_outside_one_to_999(jp):
    """Words exist for 0 and 1000 ("nol", "seribu"), but a certificate never states them."""
    with pytest.raises(ValueError):
        pdf.certificate_html(make_ctx(jp=jp))
    assert "999 (sembilan ratus sembilan puluh sembilan)" in rules.jp_phrase(999)


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2026, 11, 29), date(2026, 11, 29), "29 November 2026"),
        (date(2026, 11, 3), date(2026, 11, 28), "3 s.d. 28 November 2026"),
        (date(2026, 1, 30), date(2026, 2, 2), "30 Januari s.d. 2 Februari 2026"),
        (date(2025, 12, 30), date(2026, 1, 2), "30 Desember 2025 s.d. 2 Januari 2026"),
    ],
)
def test_date_range(start, end, text):
    assert rules.date_range(start, end) == text


def test_month_names():
    months = [rules.long_date(date(2026, m, 1)).split()[1] for m in range(1, 13)]
    assert months == [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ]


def test_format_code():
    assert rules.group_code("mfrggzdfmztwq2lknnwg23tpoa") == "MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OA"
    assert rules.group_code("MFRG-GZDF-MZTW") == "MFRG-GZDF-MZTW"


def test_context_is_frozen_and_hashable():
    ctx = make_ctx()
    assert ctx.competencies == (("Pelayanan Publik", 3), ("Komunikasi", 2))
    assert ctx.agency == "Pemerintah Kota Serang"
    assert ctx.place == "Serang"
    hash(ctx)
    with pytest.raises(AttributeError):
        ctx.number = "x"  # type: ignore[misc]
