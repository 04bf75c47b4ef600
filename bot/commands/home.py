"""The member's overview: what a Slack App Home tab (or any "home" screen) shows.

It is not a slash command: the registry holds it (:attr:`Registry.home`), and adapters
ask for it through :meth:`Peerpath.home`.
It reuses /goal's progress line and /pending's lists, so the three never
disagree, and anything added here shows up on every home screen without
touching adapters.
"""

from __future__ import annotations

from bot import wording
from bot.commands.goals import week_and_streak
from bot.commands.overview import pending
from bot.context import Context
from bot.registry import Registry
from bot.replies import Field, Reply

HOME_TITLE = "Your peerpath"


async def home_reply(ctx: Context) -> Reply:
    """This week against the goal, the streak, and what is waiting (with buttons)."""
    this_week, streak = await week_and_streak(ctx)
    waiting = await pending(ctx, {})
    progress = wording.progress(this_week, ctx.today)
    if this_week.paused:
        progress += " (paused)"
    return Reply(
        title=HOME_TITLE,
        text=waiting.text,
        fields=[
            Field("This week", progress, inline=True),
            Field("Streak", wording.streak(streak), inline=True),
            *waiting.fields,
        ],
        actions=waiting.actions,
    )


def register(registry: Registry) -> None:
    registry.home = home_reply
