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
# Page charts (class-styled)
# ---------------------------------------------------------------------------------------------

_ids = itertools.count(1)

ROW = 16  # height of one bar
LEVEL_WIDTH = 480
MAX_LEVEL = 5


def _num(value: float) -> str:
    """A compact number for an attribute (``12.0`` → ``12``, ``3.333333`` → ``3.33``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


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
    its own line above its bars, so the chart stays legible on a phone. A missing assessed
    level is shown as the words ``none_text`` instead of a bar."""
    series = [("required", "bar-required", labels[0]), ("assessed", "bar-assessed", labels[1])]
    if show_self:
        series.append(("self_level", "bar-self", labels[2]))
    width = LEVEL_WIDTH
    left, right = 8, 24
    label_h = 24
    group_h = label_h + ROW * len(series) + 10
    top = 30
    plot_w = width - left - right
    height = top + max(len(rows), 1) * group_h + 20
    step = plot_w / MAX_LEVEL
    body: list[str] = []
    x = left
    for _attr, css, text in series:
        body.append(f'<rect class="{css}" x="{_num(x)}" y="6" width="14" height="14"/>')
        body.append(f'<text class="legend-text" x="{_num(x + 18)}" y="18">{escape(text)}</text>')
        x += 30 + 9 * len(text)
    for level in range(MAX_LEVEL + 1):
        gx = left + level * step
        body.append(
            f'<line class="grid" x1="{_num(gx)}" y1="{top}" x2="{_num(gx)}" '
            f'y2="{height - 16}"/>'
            f'<text class="axis" x="{_num(gx)}" y="{height - 2}" text-anchor="middle">'
            f"{level}</text>"
        )
    if not rows:
        body.append(f'<text x="{left}" y="{top + 16}">{escape("Tidak ada data")}</text>')
    for index, row in enumerate(rows):
        gy = top + index * group_h
        body.append(
            f'<text class="label" x="{left}" y="{gy + label_h - 5}">'
            f"<title>{escape(row.label)}</title>{escape(_truncate(row.label, 44))}</text>"
        )
        for s_index, (attr, css, text) in enumerate(series):
            value = getattr(row, attr)
            by = gy + label_h + s_index * ROW
            if value is None:
                if attr == "assessed":
                    body.append(
                        f'<text class="note" x="{left + 4}" y="{_num(by + ROW - 4)}">'
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

WIDTH = 320  # viewBox width: a 360 px phone shows the text near its real size
FONT = 12
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


def _open(title: str, desc: str, height: int, uid: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart report-chart" role="img" '
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
        top, row = 30, 40
        height = top + row * max(len(bars), 1) + 6
        description = desc or "; ".join(f"{b.label}: {b.text or b.value}" for b in bars)
        out = _open(title, description, height, uid)
        out.append(_text(0, 16, title[:52], size=13, weight="bold"))
        peak = max_value or max((b.value for b in bars), default=0) or 1
        if not bars:
            out.append(_text(0, top + 20, "Belum ada data", fill=COLOR_MUTED))
        for i, b in enumerate(bars):
            y = top + i * row
            value_text = b.text or f"{b.value:g}"
            room = max(int((WIDTH - 16 - len(value_text) * 7.2) / 6.6), 12)
            label = b.label if len(b.label) <= room else b.label[: room - 1] + "…"
            out.append(_text(0, y + 13, label))
            out.append(_text(WIDTH, y + 13, value_text, anchor="end", weight="bold"))
            w = max(WIDTH * min(b.value / peak, 1), 0) if peak else 0
            out.append(
                f'<rect x="0" y="{y + 18}" width="{WIDTH}" height="14" rx="3" fill="#eef2f6"/>'
            )
            if w > 0:
                out.append(
                    f'<rect x="0" y="{y + 18}" width="{w:.1f}" height="14" rx="3" '
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
        top, row = 54, 56
        height = top + row * max(len(rows), 1) + 4
        description = desc or "; ".join(
            f"{label}: dibutuhkan {req if req is not None else '-'}, "
            f"hasil penilaian {ass if ass is not None else 'belum dinilai'}"
            for label, req, ass, _s in rows
        )
        out = _open(title, description, height, uid)
        out.append(_text(0, 16, title[:52], size=13, weight="bold"))
        span = WIDTH - 40
        legend = (
            ("Dibutuhkan", COLOR_REQUIRED),
            ("Hasil penilaian", COLOR_PRIMARY),
            ("Penilaian diri", COLOR_SELF),
        )
        x = 0
        for name, color in legend:
            out.append(f'<rect x="{x}" y="28" width="12" height="12" fill="{color}"/>')
            out.append(_text(x + 16, 39, name, size=11))
            x += 22 + len(name) * 6.4
        for lvl in range(6):
            gx = span * lvl / 5
            out.append(
                f'<line x1="{gx:.1f}" y1="{top}" x2="{gx:.1f}" y2="{height - 4}" '
                f'stroke="{COLOR_GRID}" stroke-width="1"/>'
            )
        for i, (label, req, ass, self_level) in enumerate(rows):
            y = top + i * row
            out.append(_text(0, y + 13, label[:46]))
            for j, (value, color) in enumerate(
                ((req, COLOR_REQUIRED), (ass, COLOR_PRIMARY), (self_level, COLOR_SELF))
            ):
                by = y + 18 + j * 11
                if value:
                    out.append(
                        f'<rect x="0" y="{by}" width="{span * value / 5:.1f}" height="9" '
                        f'fill="{color}"/>'
                    )
                    out.append(_text(span * value / 5 + 4, by + 9, str(value), size=11))
                elif j == 1:
                    out.append(_text(0, by + 9, "belum dinilai", size=11, fill=COLOR_MUTED))
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
    """Lines over periods (e.g. each competency's level), with a legend below the plot."""
    x_labels = tuple(x_labels)
    series = tuple((name, tuple(values)) for name, values in series)
    payload = (title, x_labels, series, y_min, y_max, desc)

    def build() -> str:
        uid = _uid("ln", payload)
        left, top, plot_h = 28, 34, 170
        legend_rows = (len(series) + 1) // 2
        height = top + plot_h + 30 + legend_rows * 20
        description = desc or "; ".join(
            f"{name}: "
            + ", ".join(
                f"{x} {v if v is not None else '-'}" for x, v in zip(x_labels, values, strict=False)
            )
            for name, values in series
        )
        out = _open(title, description, height, uid)
        out.append(_text(0, 16, title[:52], size=13, weight="bold"))
        plot_w = WIDTH - left - 16
        n = len(x_labels)

        def px(i: int) -> float:
            return left + (plot_w * (i + 0.5) / n if n else 0)

        def py(v: float) -> float:
            return top + plot_h - plot_h * (v - y_min) / ((y_max - y_min) or 1)

        for lvl in range(int(y_min), int(y_max) + 1):
            out.append(
                f'<line x1="{left}" y1="{py(lvl):.1f}" x2="{WIDTH - 16}" y2="{py(lvl):.1f}" '
                f'stroke="{COLOR_GRID}" stroke-width="1"/>'
            )
            out.append(_text(left - 6, py(lvl) + 4, str(lvl), size=11, anchor="end"))
        for i, x in enumerate(x_labels):
            out.append(_text(px(i), top + plot_h + 18, x, size=11, anchor="middle"))
        for k, (_name, values) in enumerate(series):
            color = SERIES[k % len(SERIES)]
            points = [(px(i), py(v)) for i, v in enumerate(values) if v is not None]
            if len(points) > 1:
                d = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                out.append(
                    f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="2.5"/>'
                )
            for x, y in points:
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{color}"/>')
        ly = top + plot_h + 34
        for k, (name, _values) in enumerate(series):
            lx = 0 if k % 2 == 0 else WIDTH / 2
            yy = ly + (k // 2) * 20
            out.append(
                f'<rect x="{lx}" y="{yy}" width="12" height="12" fill="{SERIES[k % len(SERIES)]}"/>'
            )
            out.append(_text(lx + 16, yy + 11, name[:26], size=11))
        out.append("</svg>")
        return "".join(out)

    return _cached("line", payload, build)


def tone_for_share(pct, *, good: float = 80, fair: float = 50) -> str:
    if pct is None:
        return ""
    return "ok" if pct >= good else ("warn" if pct >= fair else "bad")
