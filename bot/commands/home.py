"""The member's overview: what a Slack App Home tab (or any "home" screen) shows.

It is not a slash command; adapters ask for it through :meth:`Peerpath.home`.
It reuses /pending so the two never disagree; weekly goal progress and streaks
belong here as further fields, added in the core without touching adapters.
"""

from __future__ import annotations

from bot.commands.overview import pending
from bot.context import Context
from bot.replies import Reply

HOME_TITLE = "Your peerpath"


async def home_reply(ctx: Context) -> Reply:
    """What is waiting on the member, with a button for each pending thank-you."""
    waiting = await pending(ctx, {})
    return Reply(
        title=HOME_TITLE,
        text=waiting.text,
        fields=waiting.fields,
        actions=waiting.actions,
    )
