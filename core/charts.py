"""Server-side SVG charts, the project's one chart module (no JavaScript, prints, CSP-safe,
embeds in WeasyPrint).

Every chart returns a ``SafeString`` of an ``<svg>`` element, accessible (``role="img"``, a
``<title>`` and a ``<desc>`` referenced by ``aria-labelledby``; every chart sits beside a table
holding the same numbers), with every label escaped (``django.utils.html.escape``) and no
``style`` attribute (CSP).

Two families:

* page charts styled through class names only (rules under ``.chart`` in
  ``static/css/sikap.css``): :func:`grouped_level_bars` (required vs assessed vs self per
  competency, levels 0–5; "Kinerja Saya");
* report charts with SVG presentation attributes (``fill``, ``font-size``), so the same chart
  shows on the page, prints and embeds in a PDF: :func:`hbar_chart`, :func:`level_chart`,
  :func:`line_chart` (the HR dashboards and their PDF reports). A rendered report chart is
  cached under a hash of its input (the data *is* the version key), so a dashboard shown again
  with unchanged numbers does not rebuild its SVG.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# ---------------------------------------------------------------------------------------------
# Legibility on a phone
# ---------------------------------------------------------------------------------------------

#: Every chart is drawn into a viewBox this wide (user units) and scaled to its container's
#: width. On a 360 px phone a chart gets at least PHONE_WIDTH CSS px (the page's padding and a
#: card's padding taken off; tests/e2e/test_tables_phone.py measures it), so a text of
#: ``size`` user units shows at ``size * PHONE_WIDTH / WIDTH`` px; the font sizes below keep
#: that at MIN_TEXT_PX or more. On a desk the CSS caps a chart's width (``max-width``), so the
#: same text is not oversized there.
WIDTH = 320
PHONE_WIDTH = 288
MIN_TEXT_PX = 11

FONT = 14  # labels
SMALL = 13  # legends, axes, values, notes: the smallest text of any chart
TITLE = 15
CHAR_EM = 0.6  # estimated mean glyph width of DejaVu Sans/system sans, in em (bold: +5 %)


def phone_px(size: float) -> float:
    """The CSS px a text of ``size`` user units shows at on a 360 px phone."""
    return size * PHONE_WIDTH / WIDTH


def _text_w(text: str, size: float, *, bold: bool = False) -> float:
    return len(text) * size * CHAR_EM * (1.05 if bold else 1)


def _fit(text: str, size: float, room: float, *, bold: bool = False) -> str:
    """``text`` cut with "…" so that it fits ``room`` user units at ``size``."""
    if _text_w(text, size, bold=bold) <= room:
        return text
    keep = max(int(room / (size * CHAR_EM * (1.05 if bold else 1))) - 1, 1)
    return text[:keep].rstrip() + "…"


def _wrap(text: str, size: float, room: float, *, lines: int = 2, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines that fit ``room``; the last line
    is cut with "…" when the text is longer still."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and _text_w(f"{line} {words[0]}", size, bold=bold) <= room:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words:
        out[-1] = _fit(f"{out[-1]} {' '.join(words)}", size, room, bold=bold)
    return [_fit(line, size, room, bold=bold) for line in out] or [""]


def _num(value: float) -> str:
    """A compact number for an attribute (``12.0`` → ``12``, ``3.333333`` → ``3.33``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


# ---------------------------------------------------------------------------------------------
# Page charts (class-styled)
# ---------------------------------------------------------------------------------------------

_ids = itertools.count(1)

ROW = 16  # height of one bar
LEVEL_WIDTH = WIDTH
MAX_LEVEL = 5
#: The font sizes (user units) the CSS gives a page chart's texts (``.chart-levels`` in
#: static/css/sikap.css); the layout below reserves room for them.
LEVEL_FONTS = {"label": FONT, "legend-text": SMALL, "axis": SMALL, "note": SMALL}


def _svg(
    *, width: int, height: int, title: str, desc: str, body: list[str], css: str
) -> SafeString:
    uid = next(_ids)
    tid, did = f"chart-{uid}-t", f"chart-{uid}-d"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {escape(css)}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{tid} {did}">'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every label escaped above


def _truncate(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _legend_layout(names: Sequence[str], *, size: float, width: float, y: float, box: int = 14):
    """Legend items flowed into rows that fit ``width``: ``[(x, y, name)]`` (``y`` = top of
    the swatch) and the y below the last row."""
    placed, x, row_h = [], 0.0, box + 8
    for name in names:
        item_w = box + 4 + _text_w(name, size)
        if x > 0 and x + item_w > width:
            x, y = 0.0, y + row_h
        placed.append((x, y, name))
        x += item_w + 14
    return placed, y + row_h


@dataclass(frozen=True, slots=True)
class LevelRow:
    """One competency in :func:`grouped_level_bars`; ``None`` = no value (not drawn)."""

    label: str
    required: int | None
    assessed: int | None
    self_level: int | None = None


def grouped_level_bars(
    rows: Sequence[LevelRow],
    *,
    title: str,
    desc: str = "",
    show_self: bool = True,
    labels: tuple[str, str, str] = ("Dibutuhkan", "Hasil penilaian", "Penilaian diri"),
    none_text: str = "belum dinilai",
) -> SafeString:
    """Horizontal grouped bars, one group per competency: required, assessed and (optionally)
    self level on a 0–5 scale with grid lines at each level. Each competency's name sits on
    its own line(s) above its bars and the legend wraps, so the chart stays legible on a
    phone (font sizes: :data:`LEVEL_FONTS`). A missing assessed level is shown as the words
    ``none_text`` instead of a bar."""
    series = [("required", "bar-required", labels[0]), ("assessed", "bar-assessed", labels[1])]
    if show_self:
        series.append(("self_level", "bar-self", labels[2]))
    width = LEVEL_WIDTH
    left, right = 8, 24
    plot_w = width - left - right
    step = plot_w / MAX_LEVEL
    label_size, line_h = LEVEL_FONTS["label"], LEVEL_FONTS["label"] + 4
    body: list[str] = []
    placed, top = _legend_layout(
        [text for _a, _c, text in series], size=LEVEL_FONTS["legend-text"], width=width, y=4
    )
    for (_attr, css, _t), (x, y, text) in zip(series, placed, strict=True):
        body.append(f'<rect class="{css}" x="{_num(x)}" y="{_num(y)}" width="14" height="14"/>')
        body.append(
            f'<text class="legend-text" x="{_num(x + 18)}" y="{_num(y + 12)}">{escape(text)}</text>'
        )
    top += 4
    groups = []
    y = top
    for row in rows:
        lines = _wrap(row.label, label_size, width - left, bold=True)
        groups.append((row, lines, y))
        y += len(lines) * line_h + 4 + ROW * len(series) + 8
    height = max(y, top + 30) + 20
    for level in range(MAX_LEVEL + 1):
        gx = left + level * step
        body.append(
            f'<line class="grid" x1="{_num(gx)}" y1="{top}" x2="{_num(gx)}" '
            f'y2="{_num(height - 18)}"/>'
            f'<text class="axis" x="{_num(gx)}" y="{_num(height - 3)}" text-anchor="middle">'
            f"{level}</text>"
        )
    if not rows:
        body.append(
            f'<text class="note" x="{left}" y="{top + 18}">{escape("Tidak ada data")}</text>'
        )
    for row, lines, gy in groups:
        tspans = "".join(
            f'<tspan x="{left}" y="{_num(gy + (i + 1) * line_h - 4)}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        body.append(f'<text class="label"><title>{escape(row.label)}</title>{tspans}</text>')
        bars_top = gy + len(lines) * line_h + 4
        for s_index, (attr, css, text) in enumerate(series):
            value = getattr(row, attr)
            by = bars_top + s_index * ROW
            if value is None:
                if attr == "assessed":
                    body.append(
                        f'<text class="note" x="{left + 4}" y="{_num(by + ROW - 3)}">'
                        f"{escape(none_text)}</text>"
                    )
                continue
            w = max(0, min(int(value), MAX_LEVEL)) * step
            body.append(
                f'<rect class="{css}" x="{left}" y="{_num(by)}" width="{_num(w)}" '
                f'height="{ROW - 3}"><title>{escape(f"{row.label} – {text}: {value}")}</title>'
                "</rect>"
            )
    return _svg(
        width=width, height=int(height), title=title, desc=desc, body=body, css="chart-levels"
    )


# ---------------------------------------------------------------------------------------------
# Report charts (presentation attributes: page, print and PDF alike)
# ---------------------------------------------------------------------------------------------

CACHE_SECONDS = 600

COLOR_PRIMARY = "#0b5cab"
COLOR_REQUIRED = "#9fb3c8"
COLOR_SELF = "#b7791f"
COLOR_OK = "#1a7f37"
COLOR_WARN = "#9a6700"
COLOR_BAD = "#b42318"
COLOR_GRID = "#d3dae3"
COLOR_TEXT = "#1f2933"
COLOR_MUTED = "#52606d"
TONES = {"ok": COLOR_OK, "warn": COLOR_WARN, "bad": COLOR_BAD, "": COLOR_PRIMARY}
SERIES = (
    "#0b5cab",
    "#c2410c",
    "#1a7f37",
    "#7c3aed",
    "#b42318",
    "#0e7490",
    "#9a6700",
    "#be185d",
    "#374151",
)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""
    tone: str = ""  # "", "ok", "warn", "bad"


def _cached(kind: str, payload: tuple, build) -> SafeString:
    key = "rchart:" + hashlib.sha1(repr((kind, payload)).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = build()
        cache.set(key, svg, CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - built from escaped text only


def _open(title: str, desc: str, height: float, uid: str) -> list[str]:
    # Only the class "report-chart": the page charts' ".chart text" rule would override the
    # presentation attributes (font-size, fill) these charts carry for print and PDF.
    height = int(round(height))
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
    ]


def _text(x, y, s, *, size=FONT, anchor="start", fill=COLOR_TEXT, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}" font-family="DejaVu Sans, sans-serif">'
        f"{escape(s)}</text>"
    )


def _heading(out: list[str], title: str) -> float:
    """The chart's title, wrapped on up to two lines; returns the y below it."""
    lines = _wrap(title, TITLE, WIDTH, bold=True)
    for i, line in enumerate(lines):
        out.append(_text(0, 16 + i * (TITLE + 4), line, size=TITLE, weight="bold"))
    return 16 + (len(lines) - 1) * (TITLE + 4) + 12


def _uid(prefix: str, payload) -> str:
    return f"{prefix}{hashlib.sha1(repr(payload).encode()).hexdigest()[:8]}"


def hbar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    max_value: float | None = None,
    desc: str = "",
) -> SafeString:
    """Horizontal bars, each with its label above it and its value text at its end (labels
    above the bars keep long unit names readable on a 360 px phone)."""
    bars = tuple(bars)
    payload = (title, bars, max_value, desc)

    def build() -> str:
        uid = _uid("hb", payload)
        row = 42
        description = desc or "; ".join(f"{b.label}: {b.text or b.value}" for b in bars)
        body: list[str] = []
        top = _heading(body, title) + 2
        height = top + row * max(len(bars), 1) + 6
        out = _open(title, description, height, uid) + body
        peak = max_value or max((b.value for b in bars), default=0) or 1
        if not bars:
            out.append(_text(0, top + 20, "Belum ada data", fill=COLOR_MUTED))
        for i, b in enumerate(bars):
            y = top + i * row
            value_text = b.text or f"{b.value:g}"
            room = WIDTH - 10 - _text_w(value_text, FONT, bold=True)
            out.append(_text(0, y + 14, _fit(b.label, FONT, room)))
            out.append(_text(WIDTH, y + 14, value_text, anchor="end", weight="bold"))
            w = max(WIDTH * min(b.value / peak, 1), 0) if peak else 0
            out.append(
                f'<rect x="0" y="{y + 20}" width="{WIDTH}" height="14" rx="3" fill="#eef2f6"/>'
            )
            if w > 0:
                out.append(
                    f'<rect x="0" y="{y + 20}" width="{w:.1f}" height="14" rx="3" '
                    f'fill="{TONES.get(b.tone, COLOR_PRIMARY)}"/>'
                )
        out.append("</svg>")
        return "".join(out)

    return _cached("hbar", payload, build)


def level_chart(
    title: str,
    rows: Sequence[tuple[str, int | None, int | None, int | None]],
    *,
    desc: str = "",
) -> SafeString:
    """Required vs assessed (vs self) level, 0–5, per competency: ``(label, required,
    assessed, self)``. A missing assessed level is written "belum dinilai"."""
    rows = tuple(rows)
    payload = (title, rows, desc)

    def build() -> str:
        uid = _uid("lv", payload)
        description = desc or "; ".join(
            f"{label}: dibutuhkan {req if req is not None else '-'}, "
            f"hasil penilaian {ass if ass is not None else 'belum dinilai'}"
            for label, req, ass, _s in rows
        )
        body: list[str] = []
        y0 = _heading(body, title)
        legend = (
            ("Dibutuhkan", COLOR_REQUIRED),
            ("Hasil penilaian", COLOR_PRIMARY),
            ("Penilaian diri", COLOR_SELF),
        )
        placed, top = _legend_layout(
            [name for name, _c in legend], size=SMALL, width=WIDTH, y=y0, box=12
        )
        for (_n, color), (x, y, name) in zip(legend, placed, strict=True):
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{color}"/>')
            body.append(_text(x + 16, y + 11, name, size=SMALL))
        top += 4
        bar_h, bar_gap = 10, 13
        span = WIDTH - 24
        groups, y = [], top
        for row in rows:
            lines = _wrap(row[0], FONT, WIDTH)
            groups.append((row, lines, y))
            y += len(lines) * (FONT + 3) + 6 + 3 * bar_gap + 8
        height = max(y, top + 24) + 4
        for lvl in range(6):
            gx = span * lvl / 5
            body.append(
                f'<line x1="{gx:.1f}" y1="{top}" x2="{gx:.1f}" y2="{height - 4}" '
                f'stroke="{COLOR_GRID}" stroke-width="1"/>'
            )
        for (_label, req, ass, self_level), lines, gy in groups:
            for i, line in enumerate(lines):
                body.append(_text(0, gy + (i + 1) * (FONT + 3) - 2, line))
            bars_top = gy + len(lines) * (FONT + 3) + 4
            for j, (value, color) in enumerate(
                ((req, COLOR_REQUIRED), (ass, COLOR_PRIMARY), (self_level, COLOR_SELF))
            ):
                by = bars_top + j * bar_gap
                if value:
                    body.append(
                        f'<rect x="0" y="{by}" width="{span * value / 5:.1f}" height="{bar_h}" '
                        f'fill="{color}"/>'
                    )
                    body.append(_text(span * value / 5 + 4, by + bar_h, str(value), size=SMALL))
                elif j == 1:
                    body.append(_text(0, by + bar_h, "belum dinilai", size=SMALL, fill=COLOR_MUTED))
        out = _open(title, description, height, uid) + body
        out.append("</svg>")
        return "".join(out)

    return _cached("level", payload, build)


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    y_min: float = 0,
    y_max: float = 5,
    desc: str = "",
) -> SafeString:
    """Small multiples: one small line chart per series (e.g. each competency's level over the
    periods), two panels a row, all on the same scale, instead of every series drawn over
    each other. Each panel is headed by the series' name and its latest value; the x labels
    show every period when they fit, else the first and the last."""
    x_labels = tuple(x_labels)
    series = tuple((name, tuple(values)) for name, values in series)
    payload = (title, x_labels, series, y_min, y_max, desc)

    def build() -> str:
        uid = _uid("ln", payload)
        description = desc or "; ".join(
            f"{name}: "
            + ", ".join(
                f"{x} {v if v is not None else '-'}" for x, v in zip(x_labels, values, strict=False)
            )
            for name, values in series
        )
        body: list[str] = []
        top = _heading(body, title) + 6
        cols = 2 if len(series) > 1 else 1
        gap = 16
        panel_w = (WIDTH - gap * (cols - 1)) / cols
        axis_w = _text_w("5", SMALL) + 6
        head_h, plot_h, foot_h = FONT + 14, 64, SMALL + 8
        panel_h = head_h + plot_h + foot_h + 14
        n = len(x_labels)
        plot_w = panel_w - axis_w - 8
        label_room = plot_w / n if n else plot_w
        all_x = n and max(_text_w(x, SMALL) for x in x_labels) + 4 <= label_room
        shown_x = set(range(n)) if all_x else {0, n - 1}
        rows = (len(series) + cols - 1) // cols
        height = top + max(rows, 1) * panel_h
        for k, (name, values) in enumerate(series):
            ox = (k % cols) * (panel_w + gap)
            oy = top + (k // cols) * panel_h
            color = SERIES[k % len(SERIES)]
            latest = next((v for v in reversed(values) if v is not None), None)
            head = f"{name}: {latest:g}" if latest is not None else f"{name}: –"
            body.append(_text(ox, oy + FONT, _fit(head, FONT, panel_w, bold=True), weight="bold"))
            px0, py0 = ox + axis_w, oy + head_h

            def px(i: int, px0=px0) -> float:
                return px0 + (plot_w * (i + 0.5) / n if n else 0)

            def py(v: float, py0=py0) -> float:
                return py0 + plot_h - plot_h * (v - y_min) / ((y_max - y_min) or 1)

            for lvl in range(int(y_min), int(y_max) + 1):
                body.append(
                    f'<line x1="{px0:.1f}" y1="{py(lvl):.1f}" x2="{px0 + plot_w:.1f}" '
                    f'y2="{py(lvl):.1f}" stroke="{COLOR_GRID}" stroke-width="1"/>'
                )
            for lvl in (int(y_min), int(y_max)):
                body.append(
                    _text(
                        px0 - 4, py(lvl) + 4, str(lvl), size=SMALL, anchor="end", fill=COLOR_MUTED
                    )
                )
            for i, x in enumerate(x_labels):
                if i in shown_x:
                    anchor = "middle" if all_x else ("start" if i == 0 else "end")
                    tx = px(i) if all_x else (px0 if i == 0 else px0 + plot_w)
                    body.append(
                        _text(
                            tx,
                            py0 + plot_h + SMALL + 4,
                            x,
                            size=SMALL,
                            anchor=anchor,
                            fill=COLOR_MUTED,
                        )
                    )
            points = [(px(i), py(v)) for i, v in enumerate(values) if v is not None]
            if len(points) > 1:
                d = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                body.append(
                    f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="2.5"/>'
                )
            for x, y in points:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"/>')
        if not series:
            body.append(_text(0, top + 20, "Belum ada data", fill=COLOR_MUTED))
            height = top + 30
        out = _open(title, description, height, uid) + body
        out.append("</svg>")
        return "".join(out)

    return _cached("line", payload, build)


def tone_for_share(pct, *, good: float = 80, fair: float = 50) -> str:
    if pct is None:
        return ""
    return "ok" if pct >= good else ("warn" if pct >= fair else "bad")
