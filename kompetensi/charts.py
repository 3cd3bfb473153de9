"""A small server-side SVG chart library (no JavaScript, prints, CSP-safe).

Every function returns a ``SafeString`` of an ``<svg>`` element:

* accessible: ``role="img"``, a ``<title>`` and a ``<desc>`` referenced by ``aria-labelledby``;
* styled through class names only (rules under ``.chart`` in ``static/css/sikap.css``), never an
  inline ``style`` attribute; geometry is plain SVG attributes (``width``, ``x`` …);
* every label is escaped with ``django.utils.html.escape``.

Functions: :func:`grouped_level_bars` (required vs assessed vs self per competency, levels
0–5), :func:`bar_chart` (label → value), :func:`stacked_bar` (parts of a whole, e.g. states)
and :func:`line_chart` (values over periods).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)

WIDTH = 640
ROW = 16  # height of one bar
LABEL_W = 200
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


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    desc: str = "",
    max_value: float | None = None,
    unit: str = "",
    css_class: str = "bar-assessed",
) -> SafeString:
    """Horizontal bars, one per ``(label, value)``, with the value printed after the bar."""
    top = 8
    row_h = ROW + 8
    height = top + max(len(items), 1) * row_h + 8
    plot_w = WIDTH - LABEL_W - 72
    peak = max_value if max_value else max((v for _l, v in items), default=0) or 1
    body: list[str] = []
    if not items:
        body.append(f'<text x="{LABEL_W}" y="{top + 16}">{escape("Tidak ada data")}</text>')
    for index, (label, value) in enumerate(items):
        y = top + index * row_h
        w = max(0.0, min(float(value) / peak, 1.0)) * plot_w
        shown = f"{_num(float(value))}{unit}"
        body.append(
            f'<text class="label" x="{LABEL_W - 8}" y="{_num(y + ROW / 2 + 1)}" '
            f'text-anchor="end" dominant-baseline="middle">'
            f"<title>{escape(label)}</title>{escape(_truncate(label))}</text>"
            f'<rect class="{escape(css_class)}" x="{LABEL_W}" y="{y}" width="{_num(w)}" '
            f'height="{ROW}"><title>{escape(f"{label}: {shown}")}</title></rect>'
            f'<text class="value" x="{_num(LABEL_W + w + 6)}" y="{_num(y + ROW / 2 + 1)}" '
            f'dominant-baseline="middle">{escape(shown)}</text>'
        )
    return _svg(
        width=WIDTH, height=int(height), title=title, desc=desc, body=body, css="chart-bars"
    )


def stacked_bar(
    parts: Sequence[tuple[str, float, str]],
    *,
    title: str,
    desc: str = "",
) -> SafeString:
    """One horizontal bar split into ``(label, value, css_class)`` parts (e.g. assignment
    states), with a legend below giving each part's value."""
    total = sum(max(float(v), 0) for _l, v, _c in parts)
    bar_h = 28
    legend_rows = (len(parts) + 2) // 3
    height = bar_h + 16 + legend_rows * 22
    body: list[str] = []
    x = 0.0
    if total <= 0:
        body.append(f'<rect class="bar-empty" x="0" y="0" width="{WIDTH}" height="{bar_h}"/>')
    for label, value, css in parts:
        v = max(float(value), 0)
        if total <= 0 or v == 0:
            continue
        w = v / total * WIDTH
        body.append(
            f'<rect class="{escape(css)}" x="{_num(x)}" y="0" width="{_num(w)}" '
            f'height="{bar_h}"><title>{escape(f"{label}: {_num(v)}")}</title></rect>'
        )
        x += w
    for index, (label, value, css) in enumerate(parts):
        lx = (index % 3) * (WIDTH / 3)
        ly = bar_h + 12 + (index // 3) * 22
        body.append(
            f'<rect class="{escape(css)}" x="{_num(lx)}" y="{ly}" width="12" height="12"/>'
            f'<text x="{_num(lx + 16)}" y="{ly + 11}">'
            f"{escape(f'{_truncate(label, 26)}: {_num(float(value))}')}</text>"
        )
    return _svg(
        width=WIDTH, height=int(height), title=title, desc=desc, body=body, css="chart-stacked"
    )


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str]],
    *,
    title: str,
    desc: str = "",
    min_value: float = 0,
    max_value: float | None = None,
) -> SafeString:
    """Values over periods: ``labels`` on the x axis, each series ``(name, values, css_class)``
    drawn as a polyline with a dot per value; ``None`` values break the line."""
    height = 240
    left, right, top, bottom = 44, 16, 16, 48
    plot_w = WIDTH - left - right
    plot_h = height - top - bottom
    values = [v for _n, vals, _c in series for v in vals if v is not None]
    peak = max_value if max_value is not None else (max(values, default=1) or 1)
    span = (peak - min_value) or 1
    count = max(len(labels), 1)
    step = plot_w / (count - 1) if count > 1 else 0

    def px(i: int) -> float:
        return left + (i * step if count > 1 else plot_w / 2)

    def py(v: float) -> float:
        return top + plot_h - (float(v) - min_value) / span * plot_h

    body: list[str] = []
    for tick in range(5):
        value = min_value + span * tick / 4
        y = py(value)
        body.append(
            f'<line class="grid" x1="{left}" y1="{_num(y)}" x2="{WIDTH - right}" y2="{_num(y)}"/>'
            f'<text class="axis" x="{left - 6}" y="{_num(y + 4)}" text-anchor="end">'
            f"{escape(_num(value))}</text>"
        )
    for i, label in enumerate(labels):
        body.append(
            f'<text class="axis" x="{_num(px(i))}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{escape(_truncate(label, 14))}</text>"
        )
    for s_index, (name, vals, css) in enumerate(series):
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, v in enumerate(vals[: len(labels)]):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{_num(px(i))},{_num(py(v))}")
            body.append(
                f'<circle class="{escape(css)}" cx="{_num(px(i))}" cy="{_num(py(v))}" r="4">'
                f"<title>{escape(f'{name} {labels[i]}: {_num(float(v))}')}</title></circle>"
            )
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) > 1:
                body.append(
                    f'<polyline class="line {escape(css)}" fill="none" points="{" ".join(seg)}"/>'
                )
        lx = left + s_index * 160
        body.append(
            f'<rect class="{escape(css)}" x="{lx}" y="{height - 18}" width="12" height="12"/>'
            f'<text x="{lx + 16}" y="{height - 8}">{escape(_truncate(name, 20))}</text>'
        )
    return _svg(width=WIDTH, height=height, title=title, desc=desc, body=body, css="chart-line")
