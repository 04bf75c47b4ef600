"""The facilitator's page and its CSV, behind a signed link: from a token to a response.

The HTTP server (``adapters/http.py``) hands the token and the chosen range here and
sends back what comes out; every figure comes from :mod:`bot.services.coach`, every word
from the templates beside this module (autoescaped, so a display name full of markup
is shown as text). The page is read-only and needs no JavaScript.

A link opens one group's page for 14 days, until an admin revokes the group's links;
a wrong, expired or revoked one gets a 403 page that says which.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Protocol

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import wording
from bot.clock import Clock
from bot.links import LinkRefused, Refusal, Signer
from bot.models import Group
from bot.services import coach
from bot.services.stats import percent
from bot.web import Page

KIND = "coach"
VALID_FOR = timedelta(days=14)
PATH = "/coach/{token}"
CSV_PATH = "/coach/{token}/weeks.csv"

_TEMPLATES = Environment(
    loader=PackageLoader("bot.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES.filters["percent"] = lambda pair: percent(pair[0] / pair[1] if pair[1] else None)


class Core(Protocol):
    """What the page needs of the application (``bot.app.Peerpath``)."""

    clock: Clock
    sessions: async_sessionmaker[AsyncSession]

    async def signer(self, session: AsyncSession) -> Signer: ...


def chosen_weeks(text: str | None) -> int:
    """The range asked for in the query, if it is one the page offers."""
    if text and text.isascii() and text.isdigit() and int(text) in coach.RANGES:
        return int(text)
    return coach.DEFAULT_WEEKS


async def serve(core: Core, token: str, weeks: str | None, as_csv: bool = False) -> Page:
    """The page (or the CSV) a link opens, or the 403 page saying why it does not."""
    count = chosen_weeks(weeks)
    async with core.sessions() as session, session.begin():
        signer = await core.signer(session)
        try:
            opened = await signer.open(session, token, KIND, VALID_FOR)
        except LinkRefused as refused:
            return _refused(refused.refusal)
        group = await session.get(Group, opened.subject_id)
        if group is None or opened.predates(group.created_at):
            # The group was removed since the link was made (and its number maybe reused).
            return _refused(Refusal.WRONG)
        found = await coach.report(session, group, core.clock.now(), count)
    if as_csv:
        return Page(200, weekly_csv(found), "text/csv", _filename(group, found))
    return Page(200, _html(found, token, count), "text/html")


def _filename(group: Group, found: coach.Report) -> str:
    """``peerpath-<channel>-<last week>.csv``, in the letters a header may carry."""
    name = f"peerpath-{group.channel_id}-{found.weeks[-1].week.isoformat()}.csv"
    return "".join(c for c in name if c.isascii() and (c.isalnum() or c in "-._"))


def _refused(refusal: Refusal) -> Page:
    body = _TEMPLATES.get_template("refused.html").render(reason=refusal.value)
    return Page(403, body, "text/html")


def summary(found: coach.Report) -> str:
    """Last week in one plain sentence: goals met, and who went quiet."""
    last = found.weeks[-1]
    members = wording.noun(last.counted, "member")
    said = f"Last week {last.met} of {last.counted} {members} met every goal"
    if found.quiet:
        have = "has" if found.quiet == 1 else "have"
        said += f"; {found.quiet} {have} logged nothing for two weeks or more"
    return said + "."


def _html(found: coach.Report, token: str, count: int) -> str:
    weeks = [row.week.strftime("%d %b") for row in found.weeks]
    charts = [
        ("Outreach per week", "outreach", [row.outreach for row in found.weeks]),
        ("Interviews per week", "interviews", [row.interviews for row in found.weeks]),
        ("Members who met every goal, per week", "members", [row.met for row in found.weeks]),
    ]
    return _TEMPLATES.get_template("coach.html").render(
        report=found,
        summary=summary(found),
        labels=weeks,
        charts=charts,
        ranges=coach.RANGES,
        count=count,
        here=PATH.format(token=token),
        csv=CSV_PATH.format(token=token),
    )


_HEADER = [
    "row",
    "name",
    "week",
    "outreach",
    "interviews",
    "met_every_goal",
    "members_counted",
    "thanked_on_time",
    "thanks_settled",
    "referrals",
]


def weekly_csv(found: coach.Report) -> str:
    """One row per week for the group, then per week for each consenting member."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_HEADER)
    for row in found.weeks:
        writer.writerow(["group", _cell(found.group), row.week.isoformat(), *row[1:]])
    for history in found.histories:
        name = _cell(history.name)
        for row, week in zip(found.weeks, history.weeks, strict=True):
            if week is None:
                continue
            met = "" if week.paused else int(week.met)
            writer.writerow(
                ["member", name, row.week.isoformat(), *week.tally, met, "", "", "", ""]
            )
    return out.getvalue()


def _cell(text: str) -> str:
    """A name a spreadsheet would take for a formula is kept as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
