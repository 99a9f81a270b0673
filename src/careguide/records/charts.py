"""Chart series drawn as SVG on the server (no script, no CDN): a line of readings over time.

Bands (e.g. a guideline's limits) are drawn as dashed lines with their label, so a chart
explains itself in either language.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from pydantic import BaseModel

from careguide.records.timeline import Point

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 20, 32


class Line(BaseModel):
    label: str
    points: list[Point]
    colour: str = "#1f6feb"


class Limit(BaseModel):
    label: str
    value: float


def svg_chart(title: str, unit: str, lines: list[Line], limits: list[Limit] | None = None,
              empty_text: str = "No readings") -> str:
    """An accessible SVG line chart (``role="img"`` with a title) of one or more series."""
    limits = limits or []
    points = [p for line in lines for p in line.points]
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>')
    if not points:
        return head + (f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="14" '
                       f'fill="#57606a">{escape(empty_text)}</text></svg>')
    values = [p.value for p in points] + [limit.value for limit in limits]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    first, last = min(p.at for p in points), max(p.at for p in points)
    span = max((last - first).total_seconds(), 1.0)

    def x(at: datetime) -> float:
        return LEFT + (at - first).total_seconds() / span * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM)

    parts = [head]
    for tick in range(5):
        value = low + (high - low) * tick / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="#eaeef2"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
                     f'font-size="11" fill="#57606a">{value:.0f}</text>')
    for limit in limits:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(limit.value):.1f}" y2="{y(limit.value):.1f}" '
                     f'stroke="#cf222e" stroke-dasharray="4 3"/><text x="{WIDTH - RIGHT}" '
                     f'y="{y(limit.value) - 4:.1f}" text-anchor="end" font-size="11" fill="#cf222e">'
                     f'{escape(limit.label)}</text>')
    for index, line in enumerate(lines):
        ordered = sorted(line.points, key=lambda p: p.at)
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(p.at):.1f},{y(p.value):.1f}" for i, p in enumerate(ordered))
        parts.append(f'<path d="{path}" fill="none" stroke="{escape(line.colour)}" stroke-width="2"/>')
        parts += [f'<circle cx="{x(p.at):.1f}" cy="{y(p.value):.1f}" r="2.5" fill="{escape(line.colour)}">'
                  f'<title>{p.at.date().isoformat()}: {p.value:g} {escape(unit)}</title></circle>' for p in ordered[-200:]]
        parts.append(f'<text x="{LEFT + 8 + index * 140}" y="{TOP - 6}" font-size="12" '
                     f'fill="{escape(line.colour)}">{escape(line.label)} ({escape(unit)})</text>')
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 8}" font-size="11" fill="#57606a">{first.date().isoformat()}</text>'
                 f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end" font-size="11" '
                 f'fill="#57606a">{last.date().isoformat()}</text></svg>')
    return "".join(parts)
