"""PNG bar charts of weekly counts, drawn headless.

The Agg backend is chosen before anything else from matplotlib is imported, and
figures are built with the object API (no pyplot global state), so rendering
works without a display and from a worker thread; callers use :func:`render`
to keep the event loop free while the PNG is drawn.

matplotlib (with numpy) is imported on the first chart, on that worker thread, not
at start-up: it was half of ``peerpath run``'s start-up time and a third of its idle
memory (bench/RESULTS.md), for a feature used a few times a week per member.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from datetime import date

BAR = "#4c72b0"
GOAL = "#dd8452"


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
    # Fixed margins fit the week labels and counts; tight_layout measured a quarter of the
    # render time (bench: /mystats), for the same picture at this size.
    figure.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.17)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


async def render(
    weeks: Sequence[date], counts: Sequence[int], title: str, goal: int | None = None
) -> bytes:
    """:func:`weekly_bars` on a worker thread."""
    return await asyncio.to_thread(weekly_bars, list(weeks), list(counts), title, goal)
