"""/calendar: a private address the member's calendar app subscribes to, listing their
calls, thank-you deadlines and 3B7 days (served by ``bot/feeds.py``), and its revocation."""

from __future__ import annotations

from typing import Any

from bot import links
from bot.context import Context
from bot.errors import UserError
from bot.registry import Command, Option, Registry
from bot.replies import Reply
from bot.services import calendar

PATH = "/calendar/{token}.ics"  # where ``adapters/http.py`` serves a feed


async def calendar_command(ctx: Context, args: dict[str, Any]) -> Reply:
    if ctx.public_url is None or ctx.signer is None:
        raise UserError(
            "Calendar links need the address peerpath is reached at; ask whoever runs it to "
            "set PEERPATH_PUBLIC_URL."
        )
    if args["action"] == "revoke":
        await links.revoke(ctx.session, calendar.LINK_KIND, ctx.member.id)
        return Reply(
            title="Calendar link revoked",
            text="Your old calendar link no longer works anywhere it was added. Run "
            "/calendar for a new one.",
        )
    url = await links.url(
        ctx.session, await ctx.signer(), ctx.public_url, PATH, calendar.LINK_KIND, ctx.member.id
    )
    return Reply(
        title="Your calendar link",
        text=f"{url}\nAdd it to your calendar app as a subscription (Google Calendar: "
        "Other calendars → From URL; Outlook: Add calendar → Subscribe from web; Apple: "
        "File → New Calendar Subscription). It lists your scheduled calls, thank-you "
        "deadlines and 3B7 follow-up days in your time zone and follows what you log. "
        "Keep it to yourself: anyone with the link sees those dates. /calendar revoke "
        "stops it.",
    )


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="calendar",
            description="A private calendar link with your calls, thank-you and follow-up days",
            handler=calendar_command,
            options=(Option("action", "revoke: stop your current link", choices=("revoke",)),),
            example="/calendar",
        )
    )
