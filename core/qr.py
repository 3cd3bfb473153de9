"""QR codes, made in one place (segno): the certificate's verification code, the SKM poster's
feedback link and the authenticator set-up of the two-factor sign-in.

Error correction "M" (15 %) survives a folded or slightly soiled print; segno boosts it further
when that does not make the symbol larger. ``make_qr``: never a Micro QR (phones' camera apps do
not read Micro QR). Making the symbol (version, mask selection per ISO/IEC 18004) costs about
4.6 ms of a certificate, most of it scoring the 8 masks.
"""

from __future__ import annotations

import base64
import io

import segno

QR_ERROR = "m"
# Pixels per QR module in the certificate's PNG: a 41-module symbol (version 5 + quiet zone)
# printed 27 mm wide is 205 px, i.e. 0.66 mm and 3.9 px per module at 150 dpi, drawn without
# interpolation (``image-rendering: pixelated``), so the edges stay sharp.
QR_PNG_SCALE = 5
# The authenticator set-up page (``/akun/2fa/``): a QR code on screen.
SCREEN_SCALE = 5
SCREEN_DARK = "#111827"


def qr(text: str) -> segno.QRCode:
    """The QR symbol of ``text``."""
    return segno.make_qr(text, error=QR_ERROR)


_PNG_GREY = bytes.maketrans(b"\x00\x01", b"\xff\x00")  # segno's light, dark -> PNG grey


def qr_png(url: str, *, border: int = 2, scale: int = QR_PNG_SCALE) -> bytes:
    """The QR code of ``url`` as an 8-bit greyscale PNG, ``scale`` pixels per module, black on
    white, ``border`` modules of quiet zone.

    segno makes the symbol; Pillow (WeasyPrint's own image library) writes the PNG. segno's
    own PNGs are 1-bit, which WeasyPrint converts to RGB and re-encodes (about 2.4 ms more per
    certificate, bench/RESULTS.md); an 8-bit greyscale PNG is embedded as it is decoded.
    """
    from PIL import Image

    code = qr(url)
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
    qr(url).save(
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


def qr_svg_data_uri(text: str) -> str:
    """A QR code of ``text`` for a screen, as an SVG data URI (rendered here, no outside
    service): the two-factor set-up page."""
    return qr(text).svg_data_uri(scale=SCREEN_SCALE, border=2, dark=SCREEN_DARK)
