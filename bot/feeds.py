"""A member's calendar feed, as the HTTP server serves it: a signed link in, an iCalendar
file (or the reason it will not open) out.

The link is the member's only credential here, so it opens exactly one member's own
dates; a revoked (``/calendar revoke``), tampered or foreign link opens nothing and says
so without naming anyone.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot import calendars
from bot.app import Peerpath
from bot.dates import local_today
from bot.links import LinkRefused
from bot.models import Member
from bot.services import calendar, zones
from bot.web import Page

# A subscription is meant to last: revoking, not age, is how a member ends it.
VALID_FOR = timedelta(days=3650)
FEED_NAME = "peerpath: informational interviews"


def refused(text: str) -> Page:
    return Page(403, text, "text/plain")


async def calendar_feed(core: Peerpath, token: str) -> Page:
    """The feed ``token`` opens, read now from the member's logs."""
    async with core.sessions() as session, session.begin():
        signer = await core.signer(session)
        try:
            opened = await signer.open(session, token, calendar.LINK_KIND, VALID_FOR)
        except LinkRefused as refusal:
            return refused(refusal.refusal.value)
        member = await session.scalar(select(Member).where(Member.id == opened.subject_id))
        if member is None or opened.predates(member.created_at):
            # The member left (/forget-me): their link opens nothing — not even the calendar
            # of someone given their number since.
            return refused(calendar.GONE)
        tz = (await zones.zones_of(session, [member], core.settings.default_tz))[member.id]
        now = core.clock.now()
        entries = await calendar.entries(session, member, local_today(now, tz))
        body = calendars.calendar(entries, tz, now, FEED_NAME)
    return Page(200, body.decode(), "text/calendar")
