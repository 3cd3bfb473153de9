"""A small server-side SVG chart library (no JavaScript, prints, CSP-safe).

Every function returns a ``SafeString`` of an ``<svg>`` element:

* accessible: ``role="img"``, a ``<title>`` and a ``<desc>`` referenced by ``aria-labelledby``;
* styled through class names only (rules under ``.chart`` in ``static/css/sikap.css``), never an
  inline ``style`` attribute; geometry is plain SVG attributes (``width``, ``x`` …);
* every label is escaped with ``django.utils.html.escape``.

:func:`grouped_level_bars`: required vs assessed vs self per competency, levels 0–5 (the HR
reports draw their bars and lines with ``workflow/reports/charts.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
