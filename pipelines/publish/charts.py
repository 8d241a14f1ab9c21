"""Inline SVG charts for the HTML report: no scripts, no fonts, no network."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 640, 220, 44


def _scale(value: float, low: float, high: float, out_low: float, out_high: float) -> float:
    span = (high - low) or 1.0
    return out_low + (value - low) / span * (out_high - out_low)


def line_chart(labels: Sequence[str], values: Sequence[float | None], title: str) -> str:
    """A monthly line chart with first/last labels and min/max gridlines."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if not points:
        return f'<p class="empty">{escape(title)}: no data</p>'
    low, high = min(v for _, v in points), max(v for _, v in points)
    low = min(low, 0.0)
    count = max(len(values) - 1, 1)
    coords = " ".join(
        f"{_scale(i, 0, count, PAD, WIDTH - 8):.1f},{_scale(v, low, high, HEIGHT - 24, 12):.1f}"
        for i, v in points
    )
    anchors = {0: "start", len(labels) // 2: "middle", len(labels) - 1: "end"}
    ticks = "".join(
        f'<text x="{_scale(i, 0, count, PAD, WIDTH - 8):.1f}" y="{HEIGHT - 6}" '
        f'class="tick" text-anchor="{anchor}">{escape(labels[i])}</text>'
        for i, anchor in sorted(anchors.items())
    )
    grid = "".join(
        f'<line x1="{PAD}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        f'<text x="{PAD - 4}" y="{y + 4:.1f}" class="tick" text-anchor="end">{value:,.0f}</text>'
        for value in (low, high)
        for y in [_scale(value, low, high, HEIGHT - 24, 12)]
    )
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{grid}"
        f'<polyline points="{coords}" class="line"/>{ticks}</svg>'
    )


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str, percent: bool) -> str:
    """Horizontal bars, for growth by region or category and for distributions."""
    if not labels:
        return f'<p class="empty">{escape(title)}: no data</p>'
    row, label_width = 22, 190
    height = row * len(labels) + 8
    extent = max((abs(v) for v in values), default=1.0) or 1.0
    zero = label_width + (WIDTH - label_width - 70) * (0.5 if min(values) < 0 else 0.0)
    scale = (WIDTH - label_width - 70) * (0.5 if min(values) < 0 else 1.0) / extent
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + i * row
        x = zero if value >= 0 else zero + value * scale
        shown = f"{value:+.1%}" if percent else f"{value:,.0f}"
        bars.append(
            f'<text x="{label_width - 6}" y="{y + 14}" class="tick" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{x:.1f}" y="{y}" width="{abs(value) * scale:.1f}" height="{row - 6}" '
            f'class="{"bar" if value >= 0 else "bar negative"}"/>'
            f'<text x="{max(x + abs(value) * scale, zero) + 4:.1f}" y="{y + 14}" class="tick">'
            f"{shown}</text>"
        )
    return (
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(bars)}</svg>"
    )
