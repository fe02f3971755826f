"""Month charts of the 好差评 figures, drawn on the server as SVG (no script, no chart library):
the geometry of one bar per month, each bar a link to the ratings behind it, and the words a
screen reader reads instead (title, description, and the table beside the chart)."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 24, 34


@dataclass
class Bar:
    label: str
    value: str
    href: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    value_y: float


def _ceiling(top: float) -> float:
    """A round axis maximum at or above ``top``: 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return 1
    power = 10 ** math.floor(math.log10(top))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= top)


def month_chart(title: str, points: list[tuple[str, float | None, str, str]], *,
                percent: bool) -> dict:
    """``points`` are (month label, value, shown value, link) in month order; rates (``percent``)
    run on a 0–100 % axis, counts on a round maximum."""
    top = 100.0 if percent else _ceiling(max((v for _, v, _, _ in points if v), default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(1, len(points))
    bars = []
    for n, (label, value, shown, href) in enumerate(points):
        height = round(plot_height * (value or 0) / top, 1)
        x = LEFT + n * slot
        bars.append(Bar(label=label, value=shown, href=href, x=round(x + slot * 0.15, 1),
                        y=round(TOP + plot_height - height, 1), width=round(slot * 0.7, 1),
                        height=height, label_x=round(x + slot / 2, 1),
                        value_y=round(TOP + plot_height - height - 4, 1)))
    ticks = [(round(TOP + plot_height * (1 - share), 1),
              f"{share * 100:.0f}%" if percent else f"{top * share:g}") for share in (0, 0.5, 1)]
    description = "；".join(f"{bar.label} {bar.value}" for bar in bars)
    return {"title": title, "description": f"按月{title}：{description}", "bars": bars,
            "ticks": ticks, "width": WIDTH, "height": HEIGHT, "left": LEFT,
            "right": WIDTH - RIGHT, "axis_y": TOP + plot_height, "label_y": HEIGHT - 12}
