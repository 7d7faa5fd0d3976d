"""SVG charts made at build time: no script, and their text stays text.

Labels are ``<text>`` elements in the page's own fonts (Chinese shows in the reader's
fonts), values are escaped, and every chart has a ``<title>`` for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docgen.site.html import Html, esc

_BAR = "#3f6ec6"
_TARGET = "#c0504d"
_MUTED = "#9aa5b1"
_HEAT = ["#e8f5e9", "#c8e6c9", "#fff59d", "#ffcc80", "#ef9a9a", "#e57373"]


def _svg(width: int, height: int, title: str, body: str) -> Html:
    return Html(
        f'<svg class="docgen-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{esc(title)}</title>{body}</svg>"
    )


def funnel(stages: Sequence[tuple[str, int]], title: str = "各阶段项目数") -> Html:
    """The pipeline by stage: one centred bar per stage, widest for the largest count."""
    width, row = 640, 44
    most = max((n for _, n in stages), default=0) or 1
    parts = []
    for i, (name, count) in enumerate(stages):
        w = 220 + (width - 260) * count / most
        x = (width - w) / 2
        y = 10 + i * row
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 8}" rx="4" '
            f'fill="{_BAR}" opacity="{1 - i * 0.12:.2f}"/>'
            f'<text x="{width / 2}" y="{y + row / 2}" text-anchor="middle" fill="#fff" '
            f'font-size="15">{esc(name)}　{count}</text>'
        )
    return _svg(width, 20 + row * len(stages), title, "".join(parts))


def heatmap(cells: dict[tuple[int, int], int], threshold: int, title: str = "风险热力图") -> Html:
    """5×5 probability × impact grid with the number of risks in each cell."""
    size, left, top = 56, 60, 10
    parts = []
    for probability in range(5, 0, -1):
        for impact in range(1, 6):
            score = probability * impact
            shade = _HEAT[min(5, score * 6 // 26)]
            x = left + (impact - 1) * size
            y = top + (5 - probability) * size
            count = cells.get((probability, impact), 0)
            edge = ' stroke="#b71c1c" stroke-width="2"' if score >= threshold else ' stroke="#fff"'
            parts.append(
                f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{shade}"{edge}/>'
            )
            if count:
                parts.append(
                    f'<text x="{x + size / 2}" y="{y + size / 2 + 6}" text-anchor="middle" '
                    f'font-size="18" font-weight="bold">{count}</text>'
                )
        parts.append(
            f'<text x="{left - 8}" y="{top + (5 - probability) * size + size / 2 + 5}" '
            f'text-anchor="end" font-size="13">{probability}</text>'
        )
    for impact in range(1, 6):
        parts.append(
            f'<text x="{left + (impact - 1) * size + size / 2}" y="{top + 5 * size + 18}" '
            f'text-anchor="middle" font-size="13">{impact}</text>'
        )
    parts.append(
        f'<text x="{left + 5 * size / 2}" y="{top + 5 * size + 38}" text-anchor="middle" '
        'font-size="13">影响程度</text>'
        f'<text x="16" y="{top + 5 * size / 2}" text-anchor="middle" font-size="13" '
        f'transform="rotate(-90 16 {top + 5 * size / 2})">发生概率</text>'
    )
    return _svg(left + 5 * size + 20, top + 5 * size + 48, title, "".join(parts))


def kpi_bars(
    periods: Sequence[tuple[str, float]],
    target: float | None,
    baseline: float | None,
    title: str,
    unit: str = "",
) -> Html:
    """Actuals per period as bars, the target as a red line, the baseline as a grey one."""
    width, height, left, bottom, top = 560, 220, 56, 36, 16
    values = [v for _, v in periods] + [v for v in (target, baseline) if v is not None]
    most = max(values, default=1) or 1
    plot_h = height - bottom - top
    slot = (width - left - 10) / max(1, len(periods))

    def y_of(value: float) -> float:
        return top + plot_h * (1 - value / (most * 1.1))

    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        f'stroke="{_MUTED}"/>'
    ]
    for i, (period, value) in enumerate(periods):
        x = left + i * slot + slot * 0.2
        y = y_of(value)
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" '
            f'height="{top + plot_h - y:.1f}" fill="{_BAR}"/>'
            f'<text x="{x + slot * 0.3:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="12">{esc(_number(value))}</text>'
            f'<text x="{x + slot * 0.3:.1f}" y="{height - 14}" text-anchor="middle" '
            f'font-size="12">{esc(period)}</text>'
        )
    for line, colour, label in ((target, _TARGET, "目标"), (baseline, _MUTED, "基线")):
        if line is None:
            continue
        y = y_of(line)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-dasharray="6 4" stroke-width="2"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{colour}">{label} {esc(_number(line))}</text>'
        )
    label = f"{title}（{unit}）" if unit else title
    return _svg(width, height, label, "".join(parts))


def progress_bar(ratio: float, label: str) -> Html:
    """A thin progress bar with its percentage."""
    pct = round(ratio * 100)
    return Html(
        '<svg class="docgen-progress" role="img" viewBox="0 0 120 14" '
        'width="120" height="14" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{esc(label)} {pct}%</title>'
        f'<rect width="120" height="14" rx="3" fill="#e0e0e0"/>'
        f'<rect width="{1.2 * pct:.1f}" height="14" rx="3" fill="{_BAR}"/>'
        f'<text x="60" y="11" text-anchor="middle" font-size="10">{pct}%</text></svg>'
    )


def timeline(
    items: Sequence[tuple[date, str, str]], today: date, title: str = "近期里程碑"
) -> Html:
    """Upcoming milestones on a line: (date, label, engagement title)."""
    if not items:
        return Html("")
    width, row = 640, 30
    first, last = items[0][0], items[-1][0]
    span = max(1, (last - first).days)
    parts = []
    for i, (when, label, owner) in enumerate(items):
        x = 30 + (width - 260) * (when - first).days / span
        y = 20 + i * row
        colour = _TARGET if when < today else _BAR
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y}" r="6" fill="{colour}"/>'
            f'<text x="{x + 12:.1f}" y="{y + 5}" font-size="13">{esc(when)} '
            f"{esc(label)}（{esc(owner)}）</text>"
        )
    return _svg(width, 20 + row * len(items), title, "".join(parts))


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")
