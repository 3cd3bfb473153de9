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
import struct
import threading
import zlib
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
    "qr_matrix",
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
# further when that does not make the symbol larger.
QR_ERROR = "m"
# Pixels per QR module in the certificate's PNG: a 41-module symbol (version 5 + quiet zone)
# printed 27 mm wide is 205 px, i.e. 0.66 mm and 3.9 px per module at 150 dpi, drawn without
# interpolation (``image-rendering: pixelated``), so the edges stay sharp.
QR_PNG_SCALE = 5
# Stylesheets rendered with our own small user-agent stylesheet instead of WeasyPrint's HTML5
# one (the certificate uses a handful of elements; see certificate_ua.css).
LEAN_UA_STYLESHEETS = {"certificate": "certificate_ua.css"}
# Certificates are archival documents: PDF/A-3b (sRGB output intent, XMP metadata with
# pdfaid:part 3 / conformance B). Measured cost: about +1-3 ms (+3.4 KB) per certificate
# (sRGB ICC profile, XMP metadata, trailer ID), once _serialise_once_finisher spares pydyf
# from serialising everything twice for that ID.
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


# The certificate's QR code, without segno's slow parts (pure Python: 6.3 ms of a certificate,
# 5 of them scoring the 8 masks module by module). qr_matrix builds the very symbol that
# ``segno.make_qr(url, error=QR_ERROR)`` makes, module for module (tests compare them for every
# mask, several versions and hundreds of URLs), in about 0.35 ms:
# - byte-mode data (any URL with a lower-case letter) is encoded here as segno encodes it
#   (version, error level boost, segno's padding, Reed-Solomon with segno's tables,
#   interleaving, placement); other data is encoded by segno with mask 0;
# - the 8 masks are scored with shifts on one int per matrix (rows and columns at once),
#   exactly as segno's ``mask_scores`` scores them (ISO/IEC 18004:2015 7.8.3, with segno's
#   reading of the N3 rule), and the first best one is applied with its format information.
# Rows are ints with the leftmost module in the most significant bit.

_QR_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)
_QR_EC_BITS = {"L": 1, "M": 0, "Q": 3, "H": 2}
_QR_RUN = re.compile("0{5,}|1{5,}")
_QR_FINDER_LIKE = "1011101"
_QR_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_PNG_GREY = bytes.maketrans(b"01", b"\xff\x00")  # light, dark


@dataclass(frozen=True, slots=True)
class _QRLayout:
    """What depends on the version only: which modules carry data, which are left light while
    masks are scored (format and version information, dark module), the mask patterns."""

    size: int
    keep: tuple[int, ...]  # modules other than format/version information and dark module
    flips: tuple[tuple[int, ...], ...]  # mask 0 XOR mask k, on data modules only
    board_flips: tuple[int, ...]  # the flips as boards (see _qr_board)
    pairs_h: int  # board bits p with p + 1 in the same row
    pairs_v: int  # board bits p with p + stride in the next row
    symbol: int  # board bits of the symbol's modules
    column: int  # board bits of the rightmost column
    mask0: tuple[int, ...]  # mask 0 on data modules
    function: tuple[int, ...]  # dark modules of finder, timing and alignment patterns
    order: tuple[tuple[int, int], ...]  # data modules in codeword bit order (row, bit)
    format_cells: tuple[tuple[tuple[int, int], tuple[int, int]], ...]  # bit i: 2 cells


_qr_layouts: dict[int, _QRLayout] = {}


def _qr_layout(version: int) -> _QRLayout:
    layout = _qr_layouts.get(version)
    if layout is not None:
        return layout
    size = 17 + 4 * version
    last = size - 1
    reserved = set()  # format information (both copies), dark module, version information
    for k in range(9):
        reserved |= {(8, k), (k, 8)}
    for k in range(8):
        reserved |= {(8, last - k), (last - k, 8)}
    reserved -= {(6, 8), (8, 6)}  # timing pattern
    if version >= 7:
        for a in range(6):
            for b in range(size - 11, size - 8):
                reserved |= {(a, b), (b, a)}
    function = set()  # finder patterns with separators, timing patterns, alignment patterns
    for i in range(size):
        function |= {(6, i), (i, 6)}
        for j in range(8):
            if i < 8 or i > last - 8:
                function.add((i, j))
            if i < 8:
                function.add((i, last - j))
    if version >= 2:
        centres = segno.consts.ALIGNMENT_POS[version - 2]
        corners = {(centres[0], centres[0]), (centres[0], centres[-1]), (centres[-1], centres[0])}
        for ci in centres:
            for cj in centres:
                if (ci, cj) not in corners:
                    function |= {(ci + a, cj + b) for a in range(-2, 3) for b in range(-2, 3)}
    top = 1 << last
    keep, masks = [], [[] for _ in _QR_MASKS]
    for i in range(size):
        kept = 0
        patterns = [0] * len(_QR_MASKS)
        for j in range(size):
            if (i, j) in reserved:
                continue
            kept |= top >> j
            if (i, j) not in function:
                for k, mask in enumerate(_QR_MASKS):
                    if mask(i, j):
                        patterns[k] |= top >> j
        keep.append(kept)
        for k, pattern in enumerate(patterns):
            masks[k].append(pattern)
    flips = tuple(tuple(a ^ b for a, b in zip(masks[0], m, strict=True)) for m in masks)
    # Dark modules of the function patterns (6.3): finders, timing, alignment.
    dark = set()
    for ci, cj in ((0, 0), (0, size - 7), (size - 7, 0)):
        for a in range(7):
            for b in range(7):
                if a in (0, 6) or b in (0, 6) or (2 <= a <= 4 and 2 <= b <= 4):
                    dark.add((ci + a, cj + b))
    for k in range(8, size - 8, 2):
        dark |= {(6, k), (k, 6)}
    if version >= 2:
        for ci in centres:
            for cj in centres:
                if (ci, cj) not in corners:
                    dark |= {
                        (ci + a, cj + b)
                        for a in range(-2, 3)
                        for b in range(-2, 3)
                        if max(abs(a), abs(b)) != 1
                    }
    function_dark = [0] * size
    for i, j in dark:
        function_dark[i] |= top >> j
    # Codeword placement (7.7.3): two-module columns, right to left, alternately upwards and
    # downwards, skipping the vertical timing pattern (segno's add_codewords).
    order = []
    for right in range(last, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for j in (right, right - 1):
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = last - vertical if upwards else vertical
                if (i, j) not in reserved and (i, j) not in function:
                    order.append((i, top >> j))
    # ISO/IEC 18004:2015 7.9.1: format bit i (0 = least significant), two copies.
    cells = []
    for i in range(15):
        if i < 6:
            first = (i, 8)
        elif i < 8:
            first = (i + 1, 8)
        elif i == 8:
            first = (8, 7)
        else:
            first = (8, 14 - i)
        second = (8, size - 1 - i) if i < 8 else (size - 15 + i, 8)
        cells.append((first, second))
    layout = _QRLayout(
        size=size,
        keep=tuple(keep),
        flips=flips,
        board_flips=tuple(_qr_board(f, size) for f in flips),
        pairs_h=_qr_board([(1 << (size - 1)) - 1] * size, size),
        pairs_v=_qr_board([(1 << size) - 1] * (size - 1), size),
        symbol=_qr_board([(1 << size) - 1] * size, size),
        column=_qr_board([1] * size, size),
        mask0=tuple(masks[0]),
        function=tuple(function_dark),
        order=tuple(order),
        format_cells=tuple(cells),
    )
    _qr_layouts[version] = layout
    return layout


def _qr_format_bits(error: str, mask: int) -> int:
    """The 15 format information bits (BCH(15,5), XOR 0x5412), ISO/IEC 18004:2015 7.9.1."""
    data = _QR_EC_BITS[error] << 3 | mask
    rem = data
    for _ in range(10):
        rem = (rem << 1) ^ ((rem >> 9) * 0x537)
    return (data << 10 | rem) ^ 0x5412


def _qr_n3(line: str, size: int) -> int:
    """segno's N3: 40 per 1:1:3:1:1 pattern with 4 light modules (or the edge) on a side."""
    score = 0
    idx = line.find(_QR_FINDER_LIKE)
    while idx != -1:
        end = idx + 7
        if (
            idx in (0, size - 7)
            or "1" not in line[max(idx - 4, 0) : idx]
            or ("1" not in line[end : end + 4])
        ):
            score += 40
        else:
            end = idx + 4
        idx = line.find(_QR_FINDER_LIKE, end)
    return score


def _qr_board(rows: Sequence[int], size: int) -> int:
    """The matrix as one int: row i at bit ``(4 + i) * (size + 4)``, so that every row has 4
    light modules after it (and the symbol 4 light rows before it): the light margin the N3
    rule looks for, with which segno's reading of the symbol's edge agrees."""
    stride = size + 4
    board = 0
    for i, row in enumerate(rows):
        board |= row << ((4 + i) * stride)
    return board


def _qr_penalty_strings(rows: Sequence[int], size: int) -> int:
    """segno's ``evaluate_mask`` (N1 + N2 + N3 + N4), module by module on "0"/"1" strings: the
    reference for _qr_penalty, and its fallback when finder-like patterns overlap."""
    fmt = f"0{size}b"
    lines = [format(row, fmt) for row in rows]
    lines += ["".join(column) for column in zip(*lines, strict=True)]
    runs = _QR_RUN.findall(" ".join(lines))  # N1: 3 + (length - 5) per run of >= 5
    score = sum(map(len, runs)) - 2 * len(runs)
    score += sum(_qr_n3(line, size) for line in lines if _QR_FINDER_LIKE in line)
    pairs = (1 << (size - 1)) - 1  # N2: 3 per 2x2 block of one colour
    blocks = 0
    prev = rows[0]
    for row in rows[1:]:
        same = ~(prev ^ row)
        blocks += (same & (same >> 1) & ~(row ^ (row >> 1)) & pairs).bit_count()
        prev = row
    dark = sum(row.bit_count() for row in rows)  # N4, with segno's arithmetic
    return score + 3 * blocks + 10 * int(abs(float(dark) / (size**2) * 100 - 50) / 5)


def _qr_penalty(board: int, layout: _QRLayout) -> int:
    """The same penalty on a board, rows and columns at once by shifts (1 along a row,
    ``stride`` along a column)."""
    size = layout.size
    stride = size + 4
    n1 = n3 = 0
    light = ~board
    for step in (1, stride):
        pairs = layout.pairs_h if step == 1 else layout.pairs_v
        same = ~(board ^ (board >> step)) & pairs  # module and the next one alike
        if step == 1:
            same_h = same
        else:
            same_v = same
        # N1: a run of L >= 5 alike has L - 4 windows of 5, and scores L - 2.
        windows = same & (same >> step) & (same >> 2 * step) & (same >> 3 * step)
        n1 += windows.bit_count() + 2 * (windows & ~(windows >> step)).bit_count()
        # N3: dark light dark dark dark light dark (a palindrome), 4 light before or after.
        pattern = board & (light >> step) & (board >> 2 * step) & (board >> 3 * step)
        pattern &= (board >> 4 * step) & (light >> 5 * step) & (board >> 6 * step)
        after = (light >> 7 * step) & (light >> 8 * step) & (light >> 9 * step)
        before = (light << step) & (light << 2 * step) & (light << 3 * step)
        counted = pattern & ((after & (light >> 10 * step)) | (before & (light << 4 * step)))
        n3 += 40 * counted.bit_count()
        # Two patterns 4 or 6 modules apart (rare): segno's scan skips past a counted one,
        # so score that line as segno does.
        overlaps = pattern & ((pattern >> 4 * step) | (pattern >> 6 * step))
        lines = set()
        while overlaps:
            low = overlaps & -overlaps
            overlaps ^= low
            bit = low.bit_length() - 1
            lines.add(bit // stride if step == 1 else size - 1 - bit % stride)
        for line in lines:
            if step == 1:
                mask = ((1 << size) - 1) << (line * stride)
                text = format((board & mask) >> (line * stride), f"0{size}b")
            else:
                shift = size - 1 - line
                mask = layout.symbol & (layout.column << shift)
                text = "".join(
                    "1" if board >> ((4 + i) * stride + shift) & 1 else "0" for i in range(size)
                )
            n3 += _qr_n3(text, size) - 40 * (counted & mask).bit_count()
    blocks = (same_h & (same_h >> stride) & same_v).bit_count()  # N2
    dark = (board & layout.symbol).bit_count()  # N4, with segno's arithmetic
    return n1 + 3 * blocks + n3 + 10 * int(abs(float(dark) / (size**2) * 100 - 50) / 5)


_QR_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
_QR_LEVELS = {0: "M", 1: "L", 2: "H", 3: "Q"}  # segno's error level constants
_qr_rs_tables: dict[int, list[int]] = {}


def _qr_rs_table(ec_len: int) -> list[int]:
    """For each byte f: f times the generator polynomial of degree ec_len, as one int."""
    table = _qr_rs_tables.get(ec_len)
    if table is None:
        consts = segno.consts
        gen = consts.GEN_POLY[ec_len]
        table = [0] * 256
        for f in range(1, 256):
            lf = consts.GALIOS_LOG[f]
            table[f] = int.from_bytes(bytes(consts.GALIOS_EXP[lf + g] for g in gen), "big")
        _qr_rs_tables[ec_len] = table
    return table


def _qr_encode(url: str) -> tuple[int, str, list[int]] | None:
    """The unmasked symbol (function patterns and codewords, format and version information
    left light) of ``url`` in byte mode, as segno builds it: same version, same error level
    boost, same bit stream (including segno's padding), Reed-Solomon blocks, interleaving and
    placement. None where segno would choose another mode (all numeric or alphanumeric)."""
    if not url.isascii() or all(ch in _QR_ALPHANUMERIC for ch in url):
        return None
    consts = segno.consts
    data = url.encode("ascii")
    n = len(data)
    for version in range(1, 41):
        bits = 4 + (8 if version < 10 else 16) + 8 * n
        if consts.SYMBOL_CAPACITY[version][consts.ERROR_LEVEL_M] >= bits:
            break
    else:
        return None
    error = consts.ERROR_LEVEL_M
    for level in (consts.ERROR_LEVEL_Q, consts.ERROR_LEVEL_H):
        if consts.SYMBOL_CAPACITY[version][level] < bits:
            break
        error = level
    capacity = consts.SYMBOL_CAPACITY[version][error]
    value = (0b0100 << (bits - 4)) | (n << 8 * n) | int.from_bytes(data, "big")
    length = bits
    pad = min(capacity - length, 4)  # terminator
    pad += 8 - (length + pad) % 8  # to a codeword boundary (segno: 8 bits when already on it)
    value <<= pad
    length += pad
    for i in range(capacity // 8 - length // 8):
        value = value << 8 | (0xEC, 0x11)[i % 2]
        length += 8
    codewords = value.to_bytes(length // 8, "big")
    data_blocks, ec_blocks = [], []
    start = 0
    for info in consts.ECC[version][error]:
        ec_len = info.num_total - info.num_data
        table = _qr_rs_table(ec_len)
        shift = 8 * (ec_len - 1)
        full = (1 << 8 * ec_len) - 1
        for _ in range(info.num_blocks):
            block = codewords[start : start + info.num_data]
            start += info.num_data
            rem = 0
            for byte in block:
                rem = ((rem << 8) & full) ^ table[byte ^ (rem >> shift)]
            data_blocks.append(block)
            ec_blocks.append(rem.to_bytes(ec_len, "big"))
    message = bytearray()
    for blocks in (data_blocks, ec_blocks):
        for i in range(max(map(len, blocks))):
            message.extend(block[i] for block in blocks if i < len(block))
    layout = _qr_layout(version)
    rows = list(layout.function)
    order = layout.order
    bit_index = 0
    for byte in message:
        for k in range(7, -1, -1):
            if byte >> k & 1:
                i, bit = order[bit_index]
                rows[i] |= bit
            bit_index += 1
    return version, _QR_LEVELS[error], rows


def _qr_with_mask0(unmasked: list[int], version: int, error: str) -> list[int]:
    """The symbol with mask 0 and its format information, version information and dark
    module: what ``segno.make_qr(url, mask=0)`` returns."""
    layout = _qr_layout(version)
    size = layout.size
    top = 1 << (size - 1)
    rows = [row ^ mask for row, mask in zip(unmasked, layout.mask0, strict=True)]
    fmt = _qr_format_bits(error, 0)
    for i, cells in enumerate(layout.format_cells):
        if fmt >> i & 1:
            for r, c in cells:
                rows[r] |= top >> c
    rows[size - 8] |= top >> 8  # dark module
    if version >= 7:
        info = segno.consts.VERSION_INFO[version - 7]
        for k in range(18):
            if info >> k & 1:
                a, b = k // 3, size - 11 + k % 3
                rows[b] |= top >> a
                rows[a] |= top >> b
    return rows


def qr_matrix(url: str) -> tuple[int, tuple[int, ...]]:
    """``(size, rows)`` of the QR code ``segno.make_qr(url, error=QR_ERROR)`` makes, without
    quiet zone; ``rows[i] >> (size - 1 - j) & 1`` is module (i, j), 1 = dark."""
    encoded = _qr_encode(url)
    if encoded is None:  # not byte mode: segno encodes (with mask 0), we choose the mask
        code = segno.make_qr(url, error=QR_ERROR, mask=0)
        version, error = code.version, code.error
        rows0 = [int(bytes(row).translate(_QR_DIGITS), 2) for row in code.matrix]
    else:
        version, error, unmasked = encoded
        rows0 = _qr_with_mask0(unmasked, version, error)
    layout = _qr_layout(version)
    size = layout.size
    top = 1 << (size - 1)
    base = [row & keep for row, keep in zip(rows0, layout.keep, strict=True)]
    board = _qr_board(base, size)
    scores = [_qr_penalty(board ^ flips, layout) for flips in layout.board_flips]
    best = scores.index(min(scores))  # the first of equals, as segno
    rows = [row ^ flip for row, flip in zip(rows0, layout.flips[best], strict=True)]
    changed = _qr_format_bits(error, 0) ^ _qr_format_bits(error, best)
    for i, cells in enumerate(layout.format_cells):
        if changed >> i & 1:
            for r, c in cells:
                rows[r] ^= top >> c
    return size, tuple(rows)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def qr_png(url: str, *, border: int = 2, scale: int = QR_PNG_SCALE) -> bytes:
    """The QR code of ``url`` as an 8-bit greyscale PNG, ``scale`` pixels per module, black on
    white, ``border`` modules of quiet zone. Greyscale, not 1-bit: WeasyPrint converts 1-bit
    images to RGB and re-encodes them twice; a greyscale PNG is embedded as it is decoded."""
    size, rows = qr_matrix(url)
    width = (size + 2 * border) * scale
    quiet = "0" * border
    fmt = f"0{size}b"
    # Each pixel row starts with its PNG filter type: 0 (none) for the first row of a module
    # row, 2 ("up": all zeros) for the scale - 1 copies under it, which deflate to nothing.
    repeat = (b"\x02" + b"\x00" * width) * (scale - 1)
    light_row = b"\x00" + b"\xff" * width + repeat
    raw = [light_row * border]
    for row in rows:
        line = (quiet + format(row, fmt) + quiet).replace("0", "0" * scale)
        pixels = b"\x00" + line.replace("1", "1" * scale).encode("ascii").translate(_PNG_GREY)
        raw.append(pixels + repeat)
    raw.append(light_row * border)
    header = struct.pack(">IIBBBBB", width, width, 8, 0, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(b"".join(raw), 1)),
            _png_chunk(b"IEND", b""),
        )
    )


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


def _serialise_once_finisher() -> Any:
    """A WeasyPrint ``finisher`` that makes pydyf serialise (and deflate) each object once.

    With an identifier in the trailer (every PDF/A has one), pydyf 0.13 builds the data of all
    objects twice: once to hash them for the ID, once to write them, and each stream is
    compressed (zlib level 9) both times: about 1.5 ms of a certificate. The finisher runs
    after WeasyPrint has built every object and before pydyf writes them; it replaces each
    object by one that returns the bytes computed once. The file is byte for byte the same
    (tests/workflow/test_pdf.py checks it).
    """
    import pydyf

    class FrozenStream(pydyf.Stream):  # still a Stream: never put in an object stream
        def __init__(self, original: Any) -> None:
            super().__init__()
            self.number, self.generation = original.number, original.generation
            self.offset, self.free = original.offset, original.free
            self._data = original.data

        @property
        def data(self) -> bytes:
            return self._data

    class FrozenObject(pydyf.Object):
        def __init__(self, original: Any) -> None:
            super().__init__()
            self.number, self.generation = original.number, original.generation
            self.offset, self.free = original.offset, original.free
            self._data = original.data
            self._compressible = original.compressible

        @property
        def data(self) -> bytes:
            return self._data

        @property
        def compressible(self) -> bool:
            return self._compressible

    def finisher(document: Any, pdf: Any) -> None:
        objects = pdf.objects
        for index, obj in enumerate(objects):
            if obj.free != "f":
                frozen = FrozenStream if isinstance(obj, pydyf.Stream) else FrozenObject
                objects[index] = frozen(obj)

    return finisher


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
        self.finisher = _serialise_once_finisher()
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
                finisher=self.finisher if pdf_variant else None,
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
