"""PDF rendering for SIKAP: training certificates, citizen-feedback posters and HR reports.

This is the only module of the project that imports WeasyPrint (and it does so lazily, so that
importing ``workflow.pdf`` in a web process costs nothing until a PDF is actually rendered).

One renderer per process: the WeasyPrint ``FontConfiguration`` (Fontconfig + Pango font map,
by far the most expensive thing to build) and the parsed stylesheets are created once, on first
use, under a lock. Rendering itself is serialised by the same renderer lock: the shared Pango
font map is not meant to be used from several threads at once, and WeasyPrint is CPU-bound
Python anyway, so the lock costs nothing in a Celery prefork worker (one thread per process).

The HTML comes from Django templates under ``templates/workflow/pdf/``; every value is
pre-formatted here (dates in Indonesian, NIP grouped, JP in words) so the templates hold no
logic and no localisation filters. ``render_html_pdf`` takes an already-rendered HTML string,
so callers that build HTML another way need nothing from Django.

Resources: only ``data:`` URLs are fetched (the QR code is a PNG data URL on the certificate,
an SVG one on the poster). No network, ever,
and no local files, except files below a local ``base_url`` given to ``render_html_pdf``
(e.g. the static folder, for a logo in an HR report).
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import hashlib
import io
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from django.template.loader import render_to_string

if TYPE_CHECKING:  # pragma: no cover
    import weasyprint

__all__ = [
    "PDF_TEMPLATE_DIR",
    "STYLESHEETS",
    "CertificateContext",
    "PosterContext",
    "certificate_html",
    "harfbuzz_subset_available",
    "pdf_sha256",
    "poster_html",
    "qr_data_uri",
    "qr_png",
    "qr_png_data_uri",
    "qr_svg",
    "render_certificate_pdf",
    "render_html_pdf",
    "render_poster_pdf",
    "stamp_revoked",
    "warm_up",
]

PDF_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "workflow" / "pdf"
# Stylesheet name -> file in PDF_TEMPLATE_DIR. Parsed once per process.
STYLESHEETS = {
    "certificate": "certificate.css",
    "poster": "poster_a6.css",
    "report": "report.css",
}
CERTIFICATE_TEMPLATE = "workflow/pdf/certificate.html"
POSTER_TEMPLATE = "workflow/pdf/poster_a6.html"

# QR error correction: "M" (15 %) survives a folded or slightly soiled print; segno boosts it
# further when that does not make the symbol larger. segno makes the symbol (version, mask
# selection per ISO/IEC 18004): about 4.6 ms of a certificate, most of it scoring the 8 masks.
QR_ERROR = "m"
# Pixels per QR module in the certificate's PNG: a 41-module symbol (version 5 + quiet zone)
# printed 27 mm wide is 205 px, i.e. 0.66 mm and 3.9 px per module at 150 dpi, drawn without
# interpolation (``image-rendering: pixelated``), so the edges stay sharp.
QR_PNG_SCALE = 5
# Stylesheets rendered with our own small user-agent stylesheet instead of WeasyPrint's HTML5
# one (the certificate uses a handful of elements; see certificate_ua.css).
LEAN_UA_STYLESHEETS = {"certificate": "certificate_ua.css"}
# Certificates are archival documents: PDF/A-3b (sRGB output intent, XMP metadata with
# pdfaid:part 3 / conformance B). Measured cost: about +2-4 ms (+3.4 KB) per certificate
# (sRGB ICC profile, XMP metadata, and the trailer ID, for which pydyf serialises every object
# twice: 1.2 ms, not worth a patch of pydyf, bench/RESULTS.md session 4).
CERTIFICATE_PDF_VARIANT = "pdf/a-3b"
# Parsed extra stylesheets (certificate backgrounds) kept per process.
EXTRA_STYLESHEETS_CACHED = 4
_BACKGROUND_RE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}")


# --------------------------------------------------------------------------------------------
# Contexts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CertificateContext:
    """Everything printed on a training certificate, as plain values (no ORM objects).

    ``competencies`` is a sequence of ``(competency name, target level)``; it is stored as a
    tuple so the context stays immutable and hashable. ``holder_nip``/``signatory_nip`` are
    the 18-digit NIP, with or without spaces; they are printed grouped.
    """

    number: str
    holder_name: str
    holder_nip: str
    holder_rank: str
    holder_position: str
    holder_unit: str
    agency: str = "Pemerintah Kota Serang"
    module_title: str
    competencies: Sequence[tuple[str, int]]
    jp: int
    start_date: date
    completion_date: date
    issue_date: date
    place: str = "Serang"
    signatory_name: str
    signatory_nip: str
    signatory_position: str
    verify_url: str
    verification_code: str
    issuer: str = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
    # From the HR-editable certificate template (workflow.certificate_templates).
    title: str = "SERTIFIKAT"
    subtitle: str = "Surat Tanda Tamat Pelatihan"
    # ``data:image/(png|jpeg|gif|webp);base64,…`` drawn full page behind everything, or "".
    background: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "competencies",
            tuple((str(name), int(level)) for name, level in self.competencies),
        )
        if self.background and not _BACKGROUND_RE.fullmatch(self.background):
            raise ValueError("background must be a base64 data: URL of a PNG/JPEG/GIF/WebP image")


@dataclass(frozen=True, slots=True, kw_only=True)
class PosterContext:
    """An A6 poster for a citizen feedback point (SKM) at a service counter."""

    unit_name: str
    service_name: str
    feedback_url: str
    agency: str = "Pemerintah Kota Serang"


# --------------------------------------------------------------------------------------------
# Formatting helpers (Bahasa Indonesia)
# --------------------------------------------------------------------------------------------

_MONTHS_ID = (
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
)

_UNITS_ID = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def _terbilang(n: int) -> str:
    """Indonesian words for 1..999: ``20 -> "dua puluh"``, ``115 -> "seratus lima belas"``."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 999:
        raise ValueError(f"_terbilang supports integers 1..999, got {n!r}")
    return _words(n)


def _words(n: int) -> str:
    if n < 12:
        return _UNITS_ID[n]
    if n < 20:
        return f"{_UNITS_ID[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        head = f"{_UNITS_ID[tens]} puluh"
    else:
        hundreds, rest = divmod(n, 100)
        head = "seratus" if hundreds == 1 else f"{_UNITS_ID[hundreds]} ratus"
    return f"{head} {_words(rest)}" if rest else head


def _tanggal(d: date) -> str:
    """``date(2026, 11, 29) -> "29 November 2026"``."""
    return f"{d.day} {_MONTHS_ID[d.month - 1]} {d.year}"


def _date_range(start: date, end: date) -> str:
    """A period as written on Indonesian certificates, e.g. ``3 s.d. 28 November 2026``."""
    if start == end:
        return _tanggal(end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} s.d. {_tanggal(end)}"
    if start.year == end.year:
        return f"{start.day} {_MONTHS_ID[start.month - 1]} s.d. {_tanggal(end)}"
    return f"{_tanggal(start)} s.d. {_tanggal(end)}"


def _format_nip(nip: str) -> str:
    """Group an 18-digit NIP as printed on official documents: ``19690309 199403 2 001``.

    Anything that is not 18 digits (after removing spaces) is returned stripped, unchanged.
    """
    digits = "".join(nip.split())
    if len(digits) != 18 or not digits.isdigit():
        return nip.strip()
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def _format_code(code: str) -> str:
    """Verification code in groups of four: ``ABCD-EFGH-…-YZ`` (case-insensitive input)."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _nbsp(text: str) -> str:
    return " ".join(text.split()).replace(" ", "\u00a0")


def _jp_sentence(jp: int) -> str:
    return f"yang meliputi {jp} ({_terbilang(jp)}) jam pelajaran"


# --------------------------------------------------------------------------------------------
# QR code
# --------------------------------------------------------------------------------------------


def _qr(url: str) -> segno.QRCode:
    # make_qr, never a Micro QR (phones' camera apps do not read Micro QR).
    return segno.make_qr(url, error=QR_ERROR)


_PNG_GREY = bytes.maketrans(b"\x00\x01", b"\xff\x00")  # segno's light, dark -> PNG grey


def qr_png(url: str, *, border: int = 2, scale: int = QR_PNG_SCALE) -> bytes:
    """The QR code of ``url`` as an 8-bit greyscale PNG, ``scale`` pixels per module, black on
    white, ``border`` modules of quiet zone.

    segno makes the symbol; Pillow (WeasyPrint's own image library) writes the PNG. segno's
    own PNGs are 1-bit, which WeasyPrint converts to RGB and re-encodes (about 2.4 ms more per
    certificate, bench/RESULTS.md); an 8-bit greyscale PNG is embedded as it is decoded.
    """
    from PIL import Image

    code = _qr(url)
    size = code.symbol_size(scale=1, border=border)[0]
    modules = b"".join(map(bytes, code.matrix_iter(scale=1, border=border)))
    image = Image.frombytes("L", (size, size), modules.translate(_PNG_GREY))
    if scale != 1:
        image = image.resize((size * scale, size * scale), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def qr_svg(url: str, *, border: int = 2) -> str:
    """The QR code of ``url`` as a compact SVG document (one path, viewBox in modules).

    No XML declaration, no width/height (the size comes from CSS), black on transparent.
    ``border`` is the quiet zone in modules; the page around the code is white, so 2 is enough
    on paper and keeps the symbol large in its box.
    """
    buf = io.BytesIO()
    _qr(url).save(
        buf,
        kind="svg",
        xmldecl=False,
        svgns=True,
        svgclass=None,
        lineclass=None,
        omitsize=True,
        border=border,
        dark="#000",
    )
    return buf.getvalue().decode("ascii")


def qr_png_data_uri(url: str, *, border: int = 2, scale: int = QR_PNG_SCALE) -> str:
    """``data:image/png;base64,…`` of :func:`qr_png`.

    The certificate uses it: WeasyPrint embeds a small PNG for a fraction of the cost of
    parsing and drawing the SVG path of a whole QR symbol (bench/RESULTS.md)."""
    png = qr_png(url, border=border, scale=scale)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def qr_data_uri(url: str, *, border: int = 2) -> str:
    """``data:image/svg+xml;base64,…`` for ``<img src>``; vector, so it prints crisply."""
    svg = qr_svg(url, border=border).encode("ascii")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


# --------------------------------------------------------------------------------------------
# Renderer (per-process singleton)
# --------------------------------------------------------------------------------------------


class _Renderer:
    """FontConfiguration + parsed stylesheets, built once per process."""

    def __init__(self) -> None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        class LocalFetcher(weasyprint.URLFetcher):
            """``data:`` always; ``file:`` only below ``root``; never the network."""

            def __init__(self, root: Path | None) -> None:
                protocols = {"data"} if root is None else {"data", "file"}
                super().__init__(allowed_protocols=protocols, fail_on_errors=False)
                self._root = root

            def fetch(self, url: str, headers: Any = None) -> Any:
                if self._root is not None and url[:5].lower() == "file:":
                    path = Path(url2pathname(urlsplit(url).path)).resolve()
                    if not path.is_relative_to(self._root):
                        raise ValueError(f"not below base_url: {url}")
                return super().fetch(url, headers)

        self.weasyprint = weasyprint
        self.fetcher_class = LocalFetcher
        self.font_config = FontConfiguration()
        self.stylesheets: dict[str, weasyprint.CSS] = {
            name: weasyprint.CSS(
                string=(PDF_TEMPLATE_DIR / filename).read_text(encoding="utf-8"),
                base_url=PDF_TEMPLATE_DIR.as_uri() + "/",
                font_config=self.font_config,
                url_fetcher=LocalFetcher(None),
            )
            for name, filename in STYLESHEETS.items()
        }
        # Our own user-agent stylesheet for the certificate (WeasyPrint 70 asks the document
        # for it through ``HTML._ua_stylesheets``; without that hook the default one is used).
        self.lean_html_class = None
        if hasattr(weasyprint.HTML, "_ua_stylesheets"):

            class LeanHTML(weasyprint.HTML):
                lean_ua: weasyprint.CSS | None = None

                def _ua_stylesheets(self, forms: bool = False) -> list:
                    if self.lean_ua is None:  # pragma: no cover - set by write_pdf
                        return super()._ua_stylesheets(forms=forms)
                    return [self.lean_ua]

            self.lean_html_class = LeanHTML
        self.lean_ua = {
            name: weasyprint.CSS(
                string=(PDF_TEMPLATE_DIR / filename).read_text(encoding="utf-8"),
                font_config=self.font_config,
                url_fetcher=LocalFetcher(None),
            )
            for name, filename in LEAN_UA_STYLESHEETS.items()
        }
        self.extra_stylesheets: dict[str, weasyprint.CSS] = {}
        self.fetchers: dict[Path | None, Any] = {}
        self.lock = threading.Lock()

    def _extra_stylesheet(self, extra_css: str) -> weasyprint.CSS:
        """Parsed once per distinct text: the certificate's background is a data: URL of a few
        hundred KB, which tinycss2 takes about 30 ms to tokenise; every certificate of a
        template has the same one. A handful of entries (one per template in use)."""
        css = self.extra_stylesheets.get(extra_css)
        if css is None:
            css = self.weasyprint.CSS(
                string=extra_css,
                font_config=self.font_config,
                url_fetcher=self.fetcher_class(None),
            )
            if len(self.extra_stylesheets) >= EXTRA_STYLESHEETS_CACHED:
                self.extra_stylesheets.clear()
            self.extra_stylesheets[extra_css] = css
        return css

    def write_pdf(
        self,
        html: str,
        *,
        stylesheet: str,
        base_url: str | None,
        extra_css: str = "",
        pdf_variant: str | None = None,
    ) -> bytes:
        try:
            css = self.stylesheets[stylesheet]
        except KeyError:
            raise ValueError(
                f"unknown stylesheet {stylesheet!r}; expected one of {sorted(STYLESHEETS)}"
            ) from None
        root = _local_root(base_url)
        stylesheets = [css]
        if extra_css:
            stylesheets.append(self._extra_stylesheet(extra_css))
        lean_ua = self.lean_ua.get(stylesheet) if self.lean_html_class else None
        with self.lock:
            # One fetcher per root, reused under the lock (a fetcher keeps per-request state;
            # building one costs ~0.2 ms: urllib handlers and an SSL context).
            fetcher = self.fetchers.get(root)
            if fetcher is None:
                if len(self.fetchers) >= 8:
                    self.fetchers.clear()
                fetcher = self.fetchers[root] = self.fetcher_class(root)
            if lean_ua is not None:
                document = self.lean_html_class(string=html, base_url=base_url, url_fetcher=fetcher)
                document.lean_ua = lean_ua
            else:
                document = self.weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
            return document.write_pdf(
                stylesheets=stylesheets,
                font_config=self.font_config,
                pdf_variant=pdf_variant,
            )


def _local_root(base_url: str | None) -> Path | None:
    """The local directory ``base_url`` points at (a path or a ``file:`` URL), else None."""
    if not base_url:
        return None
    if base_url[:5].lower() == "file:":
        path = Path(url2pathname(urlsplit(base_url).path))
    elif "://" in base_url:
        return None
    else:
        path = Path(base_url)
    path = path.resolve()
    return path if path.is_dir() else path.parent


_renderer: _Renderer | None = None
_renderer_lock = threading.Lock()


def _get_renderer() -> _Renderer:
    global _renderer
    if _renderer is None:
        with _renderer_lock:
            if _renderer is None:
                _renderer = _Renderer()
    return _renderer


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def _needs_compact_layout(ctx: CertificateContext) -> bool:
    """Long names, titles or many competencies: tighter spacing keeps the certificate on one
    page (tests/workflow/test_pdf.py renders the worst case)."""
    return (
        len(ctx.holder_name) > 45
        or len(ctx.module_title) > 110
        or len(ctx.holder_unit) > 95
        or len(ctx.competencies) > 6
    )


def certificate_html(ctx: CertificateContext) -> str:
    """The certificate as HTML (Django template ``workflow/pdf/certificate.html``)."""
    # No-break spaces keep a competency with its level, and a date, on one line (plain text is
    # cheaper for WeasyPrint than a nowrap span around it).
    competencies = [{"name": _nbsp(name), "level": level} for name, level in ctx.competencies]
    context = {
        "number": ctx.number,
        "holder_name": ctx.holder_name,
        "holder_nip": _format_nip(ctx.holder_nip),
        "holder_rank": ctx.holder_rank,
        "holder_position": ctx.holder_position,
        "holder_unit": ctx.holder_unit,
        "agency": ctx.agency,
        "agency_upper": ctx.agency.upper(),
        "issuer_upper": ctx.issuer.upper(),
        "module_title": ctx.module_title,
        "competencies": competencies,
        "many_competencies": len(competencies) > 4,
        "compact": _needs_compact_layout(ctx),
        "period": _nbsp(_date_range(ctx.start_date, ctx.completion_date)),
        "completion_date": _nbsp(_tanggal(ctx.completion_date)),
        "jp_sentence": _jp_sentence(ctx.jp),
        "place_and_date": f"{ctx.place}, {_tanggal(ctx.issue_date)}",
        "signatory_name": ctx.signatory_name,
        "signatory_nip": _format_nip(ctx.signatory_nip),
        "signatory_position": ctx.signatory_position,
        "verify_url": ctx.verify_url,
        "verification_code": _format_code(ctx.verification_code),
        "qr_src": qr_png_data_uri(ctx.verify_url),
        "title": ctx.title,
        "subtitle_upper": ctx.subtitle.upper(),
    }
    return render_to_string(CERTIFICATE_TEMPLATE, context)


def poster_html(ctx: PosterContext) -> str:
    """The feedback poster as HTML (Django template ``workflow/pdf/poster_a6.html``)."""
    context = {
        "agency_upper": ctx.agency.upper(),
        "unit_name": ctx.unit_name,
        "service_name": ctx.service_name,
        "feedback_url": ctx.feedback_url,
        "qr_src": qr_data_uri(ctx.feedback_url, border=0),
        # Long unit/service names or URL: a smaller QR code keeps the poster on one page.
        "compact": len(ctx.unit_name) + len(ctx.service_name) > 90 or len(ctx.feedback_url) > 60,
    }
    return render_to_string(POSTER_TEMPLATE, context)


def render_html_pdf(html: str, *, base_url: str | None = None, stylesheet: str = "report") -> bytes:
    """Render already-rendered HTML to PDF with one of the cached stylesheets.

    ``stylesheet`` is a key of ``STYLESHEETS`` ("report": A4 portrait, for HR reports).
    ``base_url`` resolves relative URLs; when it is local (a directory path or ``file:`` URL)
    files below that directory may be loaded, nothing else on disk. HTTP(S) is never fetched.
    """
    return _get_renderer().write_pdf(html, stylesheet=stylesheet, base_url=base_url)


def render_certificate_pdf(ctx: CertificateContext) -> bytes:
    """A4 landscape, one page: the training certificate with its verification QR code."""
    extra_css = ""
    if ctx.background:  # validated in CertificateContext: a base64 data URL, no quotes
        extra_css = f'@page {{ background: url("{ctx.background}") center / cover no-repeat; }}'
    return _get_renderer().write_pdf(
        certificate_html(ctx),
        stylesheet="certificate",
        base_url=None,
        extra_css=extra_css,
        pdf_variant=CERTIFICATE_PDF_VARIANT,
    )


def render_poster_pdf(ctx: PosterContext) -> bytes:
    """A6 portrait, one page: "scan to give feedback" poster for a service counter."""
    return render_html_pdf(poster_html(ctx), stylesheet="poster")


# The "DICABUT" stamp over a revoked certificate: Helvetica-Bold widths (1/1000 em) of its
# letters, to centre it without a font file (a standard PDF font, drawn by every reader).
_STAMP_TEXT = "DICABUT"
_HELVETICA_BOLD_WIDTHS = {"D": 722, "I": 278, "C": 722, "A": 722, "B": 722, "U": 722, "T": 611}


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252) encoding, special characters escaped."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _stamp_stream(width: float, height: float, lines: Sequence[str]) -> bytes:
    import math

    size = min(width, height) * 0.2
    text_w = size * sum(_HELVETICA_BOLD_WIDTHS[c] for c in _STAMP_TEXT) / 1000
    angle = math.radians(20)
    cos, sin = math.cos(angle), math.sin(angle)
    pad = size * 0.18
    ops = [
        "q /GSStamp gs 0.75 0.05 0.05 rg 0.75 0.05 0.05 RG",
        f"{cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} {width / 2:.2f} {height / 2:.2f} cm",
        f"{size * 0.06:.2f} w",
        f"{-text_w / 2 - pad:.2f} {-size * 0.35 - pad:.2f} {text_w + 2 * pad:.2f} "
        f"{size * 0.7 + 2 * pad + size * 0.05:.2f} re S",
        f"BT /FStampBold {size:.2f} Tf {-text_w / 2:.2f} {-size * 0.35:.2f} Td",
    ]
    body = "\n".join(ops).encode() + b" " + _pdf_string(_STAMP_TEXT) + b" Tj ET Q\n"
    small = 9.0
    y = 14.0 + small * 1.3 * (len(lines) - 1)
    for line in lines:
        body += (
            f"q 0.75 0.05 0.05 rg BT /FStamp {small:.1f} Tf 24 {y:.1f} Td ".encode()
            + _pdf_string(line)
            + b" Tj ET Q\n"
        )
        y -= small * 1.3
    return body


def stamp_revoked(data: bytes, *, lines: Sequence[str] = ()) -> bytes:
    """A copy of a certificate PDF with a large red "DICABUT" stamp across every page and
    ``lines`` of small print at the foot. The stored file (and its SHA-256) is never changed;
    a digital signature of the original is not carried over (the copy is not the issued
    document, and must not verify as it)."""
    from pypdf import PageObject, PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, FloatObject, NameObject

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for source in reader.pages:
        page = writer.add_page(source)
        if "/Annots" in page:  # signature widgets of the original
            del page["/Annots"]
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        stamp = PageObject.create_blank_page(width=width, height=height)
        stream = DecodedStreamObject()
        stream.set_data(_stamp_stream(width, height, lines))
        font = {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
        stamp[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/Font"): DictionaryObject(
                    {
                        NameObject("/FStampBold"): DictionaryObject(
                            {**font, NameObject("/BaseFont"): NameObject("/Helvetica-Bold")}
                        ),
                        NameObject("/FStamp"): DictionaryObject(
                            {**font, NameObject("/BaseFont"): NameObject("/Helvetica")}
                        ),
                    }
                ),
                NameObject("/ExtGState"): DictionaryObject(
                    {
                        NameObject("/GSStamp"): DictionaryObject(
                            {
                                NameObject("/Type"): NameObject("/ExtGState"),
                                NameObject("/ca"): FloatObject(0.55),
                                NameObject("/CA"): FloatObject(0.55),
                            }
                        )
                    }
                ),
            }
        )
        stamp[NameObject("/Contents")] = writer._add_object(stream)
        page.merge_page(stamp)
    writer.add_metadata({"/Title": "DICABUT", "/Subject": "Sertifikat dicabut"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_sha256(data: bytes) -> str:
    """Hex SHA-256 of a PDF, stored on ``Certificate`` to prove a file is the one issued."""
    return hashlib.sha256(data).hexdigest()


def harfbuzz_subset_available() -> bool:
    """Whether ``libharfbuzz-subset.so.0`` loads.

    Without it WeasyPrint falls back to fontTools for font subsetting, which is several times
    slower per PDF; the worker logs an error at start-up when this returns False.
    """
    names = [ctypes.util.find_library("harfbuzz-subset"), "libharfbuzz-subset.so.0"]
    for name in names:
        if not name:
            continue
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return True
    return False


def warm_up() -> None:
    """Build the per-process renderer now (e.g. from a worker's ``worker_process_init``)."""
    _get_renderer()
