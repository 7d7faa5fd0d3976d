"""SVG charts made at build time: no script, and their text stays text.

Labels are ``<text>`` elements in the page's own fonts, values are escaped, and every
chart has a ``<title>`` for screen readers.  Each chart is drawn at about a phone's width
(360 user units) and shown no wider than that, so its 12–13 px text stays readable on a
390 px screen instead of shrinking with a wide drawing; text widths are estimated (a
Chinese character is one em, Latin about 0.62) so no label runs past the viewBox.
Words come from the caller, which takes them from the catalogue.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from docgen.site.views import FunnelStage

WIDTH = 360
_BAR = "#3f6ec6"
_TARGET = "#c0504d"
_MUTED = "#9aa5b1"
_HEAT = ["#e8f5e9", "#c8e6c9", "#fff59d", "#ffcc80", "#ef9a9a", "#e57373"]
#: fill of each status in the funnel
STATUS_COLOURS = {
    "active": _BAR,
    "on-hold": "#f0ad4e",
    "terminated": "#c0504d",
    "completed": "#5cb85c",
    "renewed": "#8e6cc0",
    "lost": "#7f8c8d",
}


def text_width(text: str, size: float) -> float:
    """An upper estimate of ``text``'s width at font ``size``: wide characters are one em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.62 for ch in text)


def _svg(width: float, height: float, title: str, body: str, cls: str = "") -> Markup:
    return Markup(
        f'<svg class="docgen-chart {cls}" role="img" viewBox="0 0 {width:g} {height:g}" '
        f'style="max-width:{width:g}px" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _text(
    x: float, y: float, text: object, size: int = 13, anchor: str = "start", extra: str = ""
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def funnel(
    stages: Sequence[FunnelStage],
    statuses: Sequence[tuple[str, str]],
    title: str,
    went_on: str,
) -> Markup:
    """Engagements by stage, each bar split by status, with the share that went on.

    ``went_on`` holds ``{share}`` where the share goes ("{share} went on"); ``statuses``
    are (id, label) pairs for the legend.
    """
    size, row = 13, 44
    most = max((s.total for s in stages), default=0) or 1
    width = max(
        WIDTH,
        *(
            text_width(s.title, size) + text_width(went_on.replace("{share}", "100%"), 12) + 24
            for s in stages
        ),
    )
    count_room = text_width("9999", size) + 6
    bar_room = width - count_room
    parts = []
    for i, stage in enumerate(stages):
        y = i * row
        parts.append(_text(0, y + 15, stage.title, size, extra=' font-weight="bold"'))
        if stage.onward is not None:
            share = went_on.replace("{share}", f"{stage.onward:.0%}")
            parts.append(_text(width, y + 15, share, 12, "end", f' fill="{_MUTED}"'))
        x = 0.0
        for status, count in stage.by_status.items():
            w = bar_room * count / most
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 21}" width="{w:.1f}" height="16" rx="2" '
                f'fill="{STATUS_COLOURS.get(status, _MUTED)}" data-stage="{escape(stage.id)}" '
                f'data-status="{escape(status)}" '
                f'data-count="{count}"><title>{escape(stage.title)} {escape(status)} '
                f"{count}</title></rect>"
            )
            x += w
        parts.append(_text(x + 6, y + 34, stage.total, size))
    # the legend, wrapped to the width
    y, x = len(stages) * row + 14, 0.0
    used = {status for s in stages for status in s.by_status}
    for status, label in statuses:
        if status not in used:
            continue
        w = 16 + text_width(label, 12) + 14
        if x + w > width and x > 0:
            x, y = 0.0, y + 20
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 10}" width="11" height="11" rx="2" '
            f'fill="{STATUS_COLOURS.get(status, _MUTED)}"/>' + _text(x + 16, y, label, 12)
        )
        x += w
    return _svg(width, y + 8, title, "".join(parts), "docgen-funnel")


def heatmap(
    cells: dict[tuple[int, int], int],
    threshold: int,
    title: str,
    impact: str,
    probability: str,
) -> Markup:
    """5×5 probability × impact grid with the number of risks in each cell."""
    size, left, top = 56, 44, 8
    parts = []
    for p in range(5, 0, -1):
        for i in range(1, 6):
            score = p * i
            shade = _HEAT[min(5, score * 6 // 26)]
            x = left + (i - 1) * size
            y = top + (5 - p) * size
            edge = ' stroke="#b71c1c" stroke-width="2"' if score >= threshold else ' stroke="#fff"'
            parts.append(
                f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{shade}"{edge}/>'
            )
            count = cells.get((p, i), 0)
            if count:
                parts.append(
                    _text(
                        x + size / 2, y + size / 2 + 6, count, 18, "middle", ' font-weight="bold"'
                    )
                )
        parts.append(_text(left - 6, top + (5 - p) * size + size / 2 + 5, p, 13, "end"))
    for i in range(1, 6):
        parts.append(_text(left + (i - 1) * size + size / 2, top + 5 * size + 17, i, 13, "middle"))
    middle = top + 5 * size / 2
    parts.append(_text(left + 5 * size / 2, top + 5 * size + 36, impact, 13, "middle"))
    parts.append(
        _text(14, middle, probability, 13, "middle", f' transform="rotate(-90 14 {middle})"')
    )
    return _svg(left + 5 * size + 4, top + 5 * size + 44, title, "".join(parts), "docgen-heat")


def _axis(values: Sequence[float]) -> tuple[float, float, float]:
    """(low, high, step) of a value axis with round ticks.

    It starts at 0 when the values spread widely (or are all near 0), else just below the
    smallest, so 94.2, 96.5 and 97.1 are told apart.
    """
    lo, hi = min(values), max(values)
    span = hi - lo or abs(hi) * 0.2 or 1.0
    raw = span / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    low = math.floor((lo - span * 0.1) / step) * step
    if lo >= 0 and (lo <= span or low < 0):
        low = 0.0
    high = math.ceil((hi + span * 0.1) / step) * step
    return low, high, step


def kpi_bars(
    periods: Sequence[tuple[str, float]],
    target: float | None,
    baseline: float | None,
    title: str,
    unit: str,
    target_label: str,
    baseline_label: str,
) -> Markup:
    """Actuals per period as a line of points; target and baseline as dashed lines.

    The axis has round ticks and starts at 0 only when the values spread widely (see
    `_axis`); target and baseline are named in a legend below the plot, so their labels
    never overlap the lines or each other.
    """
    size = 12
    values = [v for _, v in periods] + [v for v in (target, baseline) if v is not None]
    if not values:
        return Markup("")
    low, high, step = _axis(values)
    ticks = [low + step * k for k in range(round((high - low) / step) + 1)]
    left = max(text_width(_number(v), 11) for v in ticks) + 8
    top, plot_h = 18, 120
    plot_w = WIDTH - left - 8
    slot = plot_w / max(1, len(periods))

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - 8}" y2="{top + plot_h}" '
        f'stroke="{_MUTED}"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{_MUTED}"/>',
    ]
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" stroke="{_MUTED}" '
            'stroke-opacity=".25"/>' + _text(left - 4, y + 4, _number(tick), 11, "end")
        )
    for line, colour in ((target, _TARGET), (baseline, _MUTED)):
        if line is not None:
            y = y_of(line)
            parts.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" '
                f'stroke="{colour}" stroke-dasharray="6 4" stroke-width="1.5"/>'
            )
    widest = max((text_width(p, 11) for p, _ in periods), default=0)
    every = max(1, math.ceil((widest + 4) / slot))
    points = [(left + slot * (i + 0.5), y_of(v)) for i, (_, v) in enumerate(periods)]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{_BAR}" stroke-width="2"/>')
    for i, ((period, value), (x, y)) in enumerate(zip(periods, points, strict=True)):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{_BAR}"/>')
        if text_width(_number(value), 11) < slot or len(periods) == 1:
            parts.append(_text(x, y - 8, _number(value), 11, "middle"))
        if i % every == 0:
            parts.append(_text(x, top + plot_h + 16, period, 11, "middle"))
    y = top + plot_h + 38
    x = left
    for line, colour, label in (
        (target, _TARGET, target_label),
        (baseline, _MUTED, baseline_label),
    ):
        if line is None:
            continue
        text = f"{label} {_number(line)}"
        parts.append(
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 18}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-dasharray="6 4" stroke-width="1.5"/>'
            + _text(x + 22, y, text, size, extra=f' fill="{colour}"')
        )
        x += 22 + text_width(text, size) + 16
    label = f"{title}（{unit}）" if unit else title
    return _svg(WIDTH, y + 8, label, "".join(parts), "docgen-kpi")


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")
