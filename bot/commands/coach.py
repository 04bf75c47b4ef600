"""/coach-link: an admin's private link to the group's facilitator page, and revoking it.

The link is a signed token (``bot/links.py``) for this one group, valid for 14 days; the
page itself is ``bot/web/coach.py``. Anyone holding the link sees the page, so the reply
is private and says so; ``/coach-link revoke`` stops every link made so far.
"""

from __future__ import annotations

from typing import Any

from bot import links
from bot.commands.groups import home_group
from bot.context import Context
from bot.dates import format_date, local_today
from bot.errors import UserError
from bot.registry import Command, Option, Registry
from bot.replies import Reply
from bot.services import groups
from bot.web.coach import KIND, PATH, VALID_FOR

NO_PUBLIC_URL = (
    "The facilitator's page is served on this bot's HTTP port (PEERPATH_PORT, with "
    "/healthz), but peerpath does not know the address people reach it at. Ask whoever "
    "runs peerpath to set PEERPATH_PUBLIC_URL to that address (for example "
    "https://peerpath.example.org) and restart it; then run /coach-link again."
)


async def coach_link(ctx: Context, args: dict[str, Any]) -> Reply:
    group = await home_group(ctx)
    where = groups.channel(group)
    if args["action"] == "revoke":
        await links.revoke(ctx.session, KIND, group.id)
        return Reply(
            title="Facilitator links revoked",
            text=f"Every link to {where}'s facilitator page made so far stops working now. "
            "Run /coach-link for a new one.",
        )
    if not ctx.public_url or ctx.signer is None:
        raise UserError(NO_PUBLIC_URL)
    url = await links.url(ctx.session, await ctx.signer(), ctx.public_url, PATH, KIND, group.id)
    until = format_date(local_today(ctx.now + VALID_FOR, ctx.tz))
    return Reply(
        title="Facilitator page",
        text=f"{where}'s facilitator page, valid until {until}:\n{url}\n"
        "It shows the group's weekly figures and the leaderboard's — never notes, contacts "
        "or companies. Anyone with this link can open it, so share it only with the "
        "facilitator. /coach-link revoke stops every link made so far.",
    )


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="coach-link",
            group=True,
            description="Get a private link to this group's facilitator page, or revoke links",
            handler=coach_link,
            options=(Option("action", "revoke: stop every link made so far", choices=("revoke",)),),
            example="/coach-link",
            admin_only=True,
        )
    )
