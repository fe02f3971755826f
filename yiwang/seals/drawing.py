"""The seal impression (印模) as SVG, drawn on the server from the seal's registered text: a red
ring, the department's name along the upper arc, a five-pointed star in the centre and the
seal's name (电子证照专用章) across the bottom, as an official seal is laid out. Inline SVG, so a
page or a downloaded licence shows it offline and under our CSP."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SIZE = 200
CENTRE = SIZE / 2
RING_RADIUS = 94
TEXT_RADIUS = 72
# The arc the department's name runs along, in degrees either side of the top.
ARC_HALF_ANGLE = 120
STAR_RADIUS = 26
RED = "#d0201c"


def _star_points() -> str:
    points = []
    for index in range(10):
        radius = STAR_RADIUS if index % 2 == 0 else STAR_RADIUS * 0.382
        angle = math.radians(-90 + index * 36)
        points.append(f"{CENTRE + radius * math.cos(angle):.1f},{CENTRE + radius * math.sin(angle):.1f}")
    return " ".join(points)


def _arc_glyphs(text: str) -> str:
    """Each character upright to the ring, spread evenly over the arc (wider for long names)."""
    count = len(text)
    if count == 0:
        return ""
    half = min(ARC_HALF_ANGLE, 12 * count)
    size = min(26, 2 * math.pi * TEXT_RADIUS * (2 * half / 360) / count * 0.9)
    glyphs = []
    for index, char in enumerate(text):
        angle = -half + (2 * half * (index + 0.5) / count)
        x = CENTRE + TEXT_RADIUS * math.sin(math.radians(angle))
        y = CENTRE - TEXT_RADIUS * math.cos(math.radians(angle))
        glyphs.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.1f}" text-anchor="middle" '
                      f'dominant-baseline="central" transform="rotate({angle:.1f} {x:.1f} {y:.1f})">'
                      f"{escape(char)}</text>")
    return "".join(glyphs)


def seal_svg(*, department: str, name: str) -> SafeString:
    """The impression of a seal of ``department`` named ``name``; ``aria-label`` says both."""
    title = escape(f"{department}{name}")
    return mark_safe(  # noqa: S308 — every text in it is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        f'aria-label="{title}" class="seal-impression"><title>{title}</title>'
        f'<g fill="{RED}" font-family="serif" font-weight="bold">'
        f'<circle cx="{CENTRE}" cy="{CENTRE}" r="{RING_RADIUS}" fill="none" stroke="{RED}" '
        f'stroke-width="6"/>'
        f"{_arc_glyphs(department)}"
        f'<polygon points="{_star_points()}"/>'
        f'<text x="{CENTRE}" y="{CENTRE + 50}" font-size="15" text-anchor="middle">{escape(name)}</text>'
        f"</g></svg>")
