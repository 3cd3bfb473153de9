"""The training certificate as a PDF: what it prints (:class:`CertificateContext`, plain
values), its HTML (``templates/workflow/pdf/certificate.html``), the A4 landscape PDF/A-3b, and
the "DICABUT" stamp over a revoked one. HTML → PDF is core's primitive (``core/pdf.py``, the only
module that imports WeasyPrint); the QR code is core's too (``core/qr.py``).

Every value is pre-formatted here with the domain's own rules (dates in Indonesian, NIP grouped,
JP in words: ``kompetensi.rules``) so the template holds no logic and no localisation filters.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.template.loader import render_to_string

from core import pdf as renderer
from core.qr import qr_png_data_uri
from kompetensi import rules

__all__ = [
    "CERTIFICATE_PDF_VARIANT",
    "CERTIFICATE_TEMPLATE",
    "PDF_TEMPLATE_DIR",
    "CertificateContext",
    "certificate_html",
    "render_certificate_pdf",
    "stamp_revoked",
]

PDF_TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "templates" / "workflow" / "pdf"
CERTIFICATE_TEMPLATE = "workflow/pdf/certificate.html"
# Certificates are archival documents: PDF/A-3b (sRGB output intent, XMP metadata with
# pdfaid:part 3 / conformance B). Measured cost: about +2-4 ms (+3.4 KB) per certificate
# (sRGB ICC profile, XMP metadata, and the trailer ID, for which pydyf serialises every object
# twice: 1.2 ms, not worth a patch of pydyf, bench/RESULTS.md session 4).
CERTIFICATE_PDF_VARIANT = "pdf/a-3b"
_BACKGROUND_RE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}")

# The certificate's stylesheet, with our own small user-agent stylesheet instead of
# WeasyPrint's HTML5 one (the certificate uses a handful of elements; see certificate_ua.css).
renderer.register_stylesheet(
    "certificate",
    PDF_TEMPLATE_DIR / "certificate.css",
    lean_ua=PDF_TEMPLATE_DIR / "certificate_ua.css",
)


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
    # From the HR-editable certificate template (workflow/certificates/templates.py).
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


# --------------------------------------------------------------------------------------------
# Formatting (the domain's rules, Bahasa Indonesia)
# --------------------------------------------------------------------------------------------


def _nbsp(text: str) -> str:
    return " ".join(text.split()).replace(" ", "\u00a0")


def _jp_sentence(jp: int) -> str:
    """``yang meliputi 20 (dua puluh) jam pelajaran`` (``rules.jp_phrase``)."""
    return f"yang meliputi {rules.jp_phrase(jp)}"


# --------------------------------------------------------------------------------------------
# HTML and PDF
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
        "holder_nip": rules.nip_for_display(ctx.holder_nip),
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
        "period": _nbsp(rules.date_range(ctx.start_date, ctx.completion_date)),
        "completion_date": _nbsp(rules.long_date(ctx.completion_date)),
        "jp_sentence": _jp_sentence(ctx.jp),
        "place_and_date": f"{ctx.place}, {rules.long_date(ctx.issue_date)}",
        "signatory_name": ctx.signatory_name,
        "signatory_nip": rules.nip_for_display(ctx.signatory_nip),
        "signatory_position": ctx.signatory_position,
        "verify_url": ctx.verify_url,
        "verification_code": rules.group_code(ctx.verification_code),
        "qr_src": qr_png_data_uri(ctx.verify_url),
        "title": ctx.title,
        "subtitle_upper": ctx.subtitle.upper(),
    }
    return render_to_string(CERTIFICATE_TEMPLATE, context)


def render_certificate_pdf(ctx: CertificateContext) -> bytes:
    """A4 landscape, one page: the training certificate with its verification QR code."""
    extra_css = ""
    if ctx.background:  # validated in CertificateContext: a base64 data URL, no quotes
        extra_css = f'@page {{ background: url("{ctx.background}") center / cover no-repeat; }}'
    return renderer.render_html_pdf(
        certificate_html(ctx),
        stylesheet="certificate",
        extra_css=extra_css,
        pdf_variant=CERTIFICATE_PDF_VARIANT,
    )


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
