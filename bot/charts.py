"""PNG bar charts of weekly counts, drawn headless.

Two renderers. A group's weekly digest (once a week per group) is drawn by
matplotlib, with axes and a legend. A member's own 8-week chart comes with every
/mystats, so it is drawn directly with Pillow (already installed with matplotlib):
the same bars, counts, week labels and goal line, at a fraction of matplotlib's cost
(the figures are in bench/RESULTS.md).

For matplotlib, the Agg backend is chosen before anything else from matplotlib is imported, and
figures are built with the object API (no pyplot global state), so rendering
works without a display and from a worker thread; callers use :func:`render`
to keep the event loop free while the PNG is drawn.

matplotlib (with numpy) is imported on the first chart, on that worker thread, not
at start-up: it is heavy to load and to keep, for a feature used a few times a week per
group.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

BAR = "#4c72b0"
GOAL = "#dd8452"

# The small chart: size, and a palette (background, bars, goal, text, axis).
SMALL = (480, 240)
PALETTE = (255, 255, 255, 0x4C, 0x72, 0xB0, 0xDD, 0x84, 0x52, 40, 40, 40, 170, 170, 170)
PAPER, BARS, GOAL_INK, INK, AXIS = range(5)


@cache
def _font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def small_bars(weeks: Sequence[date], counts: Sequence[int], title: str, goal: int | None) -> bytes:
    """A bar per week with its count above and its Monday below, and a dashed goal line."""
    from PIL import Image, ImageDraw

    width, height = SMALL
    image = Image.new("P", SMALL, PAPER)
    image.putpalette(PALETTE)
    draw = ImageDraw.Draw(image)
    label, small = _font(13), _font(11)
    draw.text((12, 8), title, fill=INK, font=label)
    left, right, top, base = 16, width - 16, 44, height - 30
    scale = (base - top) / max([*counts, goal or 0, 1])
    slot = (right - left) / max(len(counts), 1)
    for n, (week, count) in enumerate(zip(weeks, counts, strict=True)):
        middle = left + slot * (n + 0.5)
        bar_top = base - round(count * scale)
        if count:
            draw.rectangle((middle - slot * 0.3, bar_top, middle + slot * 0.3, base), fill=BARS)
        draw.text((middle, bar_top - 3), str(count), fill=INK, font=small, anchor="ms")
        draw.text((middle, base + 6), week.strftime("%d %b"), fill=INK, font=small, anchor="mt")
    draw.line((left, base, right, base), fill=AXIS)
    if goal:
        y = base - round(goal * scale)
        for x in range(left, right, 10):
            draw.line((x, y, min(x + 5, right), y), fill=GOAL_INK, width=2)
        draw.text((right, 10), f"- - goal: {goal}", fill=GOAL_INK, font=label, anchor="ra")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def weekly_bars(
    weeks: Sequence[date], counts: Sequence[int], title: str, goal: int | None = None
) -> bytes:
    """A bar per week (labelled by its Monday), with an optional dashed goal line."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # the backend must be chosen first
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6.4, 3.2), dpi=100)
    axes = figure.subplots()
    positions = range(len(weeks))
    axes.bar(positions, counts, color=BAR)
    axes.set_xticks(positions, [week.strftime("%d %b") for week in weeks])
    if goal:
        axes.axhline(goal, color=GOAL, linestyle="--", linewidth=1.5, label=f"goal: {goal}")
        axes.legend(loc="upper left", frameon=False)
    axes.set_title(title)
    axes.set_ylabel("outreach")
    axes.set_xlabel("week starting")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0, top=max([*counts, goal or 0, 1]) * 1.2)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    # Fixed margins fit the week labels and counts at this size; tight_layout would work
    # them out again on every render for the same picture.
    figure.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.17)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


async def render(
    weeks: Sequence[date], counts: Sequence[int], title: str, goal: int | None = None
) -> bytes:
    """:func:`weekly_bars` on a worker thread."""
    return await asyncio.to_thread(weekly_bars, list(weeks), list(counts), title, goal)
