"""/win and the **Share with the group** button: a member's step, celebrated in the channel.

After /logged-interview or /scheduled the reply offers the button (when the member is in
a group); /win shares the latest unshared win, with a line of the member's own if given.
A member in several groups shares with all of them (one post in each channel); a member
in none is told how to join one. The post is planned as a nudge row of the group
(``Kind.WIN``) and goes out through the outbox like the digest, so it is sent once even
if the button is pressed twice or on two replicas.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import lengths, wording
from bot.commands.choosing import owned
from bot.context import Context
from bot.dates import format_date, local_today
from bot.errors import UserError
from bot.models import Group, Member, Win, WinKind
from bot.nudges import plan
from bot.nudges.kinds import Kind
from bot.registry import Action, Command, Option, OptionType, Registry
from bot.replies import Button, ButtonStyle, Mention, Reply
from bot.services import groups, wins

LINE_SHOWN = 400  # the member's line as any platform counts it once escaped
WIN_EXAMPLE = '/win text="Nervous beforehand, glad I asked!"'
NO_GROUP = (
    "You're not in a group yet, so there is nobody to share a win with. Use any peerpath "
    "command in your group's channel to join it (an admin makes a channel a group with "
    "/group-setup)."
)
LABELS = {
    WinKind.INTERVIEW: "Share with the group: interview held",
    WinKind.SCHEDULED: "Share with the group: interview scheduled",
}


def what_happened(win: Win) -> str:
    """``held an informational interview and collected 2 referrals`` — the only facts a
    win's post states: never whom, where, the role or notes."""
    if win.kind == WinKind.SCHEDULED.value:
        return "scheduled an informational interview"
    said = "held an informational interview"
    if win.referrals:
        said += f" and collected {wording.plural(win.referrals, 'referral')}"
    return said


def win_post(win: Win, member: Member) -> Reply:
    """The channel post: "🎉 @member held an informational interview", and their line."""
    who = Mention(member.user_id, wording.member_name(member.display_name))
    text = f"🎉 {who.token} {what_happened(win)}"
    names: tuple[str, ...] = (member.display_name,) if member.display_name else ()
    if win.line:
        line = lengths.shown(win.line, LINE_SHOWN)
        text += f"\n“{line}”"
        names += (line,)
    return Reply(text=text, names=names, mentions=(who,))


async def post_of(session: AsyncSession, win_id: int, group: Group) -> Reply | None:
    """A win's post composed at delivery from the win as it is then: None when the win
    or its member is gone, or its step was taken back after the press (its interview
    undone, its call declined) — what is not on record is not posted."""
    found = await session.execute(
        select(Win, Member)
        .join(Member, Member.id == Win.member_id)
        .where(Win.id == win_id, Member.workspace_id == group.workspace_id, wins.standing())
    )
    row = found.first()
    return None if row is None else win_post(*row)


async def offer(ctx: Context, kind: WinKind, subject_id: int, referrals: int = 0) -> list[Button]:
    """Record the win and offer its **Share** button — unless it is shared already or the
    member has no group to share it with."""
    win = await wins.record(ctx.session, ctx.member, kind, subject_id, ctx.now, referrals)
    if win.shared_at is not None or not await groups.groups_of(ctx.session, ctx.member):
        return []
    return [SHARE.button(win.id, LABELS[WinKind(win.kind)], ButtonStyle.PRIMARY)]


async def share(ctx: Context, win: Win, line: str | None) -> Reply:
    """Share ``win`` with every group of the member, once."""
    if win.shared_at is not None:
        return _already(ctx, win)
    if not await wins.stands(ctx.session, win):
        raise UserError(
            "That win is no longer on your record (taken back with /undo?), so there is "
            "nothing to share.",
            '/logged-interview "Jane Doe" date=yesterday',
        )
    mine = await groups.groups_of(ctx.session, ctx.member)
    if not mine:
        raise UserError(NO_GROUP)
    if not await wins.claim(ctx.session, win, " ".join(line.split()) if line else None, ctx.now):
        return _already(ctx, win)
    await plan.insert_rows(
        ctx.session,
        [
            plan.nudge_row(
                ctx.workspace.id,
                Kind.WIN,
                ctx.now,
                ctx.now,
                key_day=ctx.now.date(),
                group_id=group.id,
                subject_id=win.id,
            )
            for group in mine
        ],
    )
    where = wording.listing([groups.channel(g) for g in mine])
    preview = win_post(win, ctx.member)
    return Reply(
        title="Shared with your group",
        text=f"Posting in {where}:\n{preview.text}",
        names=preview.names,
        mentions=preview.mentions,
    )


def _already(ctx: Context, win: Win) -> Reply:
    assert win.shared_at is not None
    day = format_date(local_today(win.shared_at, ctx.tz))
    return Reply(
        title="Already shared",
        text=f"You shared that win on {day}; it is posted once. Nice work!",
    )


async def share_latest(ctx: Context, args: dict[str, Any]) -> Reply:
    """/win: the latest win not yet shared, with the member's line if they gave one."""
    if not await groups.groups_of(ctx.session, ctx.member):
        return Reply(title="No group yet", text=NO_GROUP)
    for win in await wins.unshared(ctx.session, ctx.member):
        if await wins.stands(ctx.session, win):
            return await share(ctx, win, args["text"])
    return Reply(
        title="Nothing to share yet",
        text="You have no win waiting to be shared. Wins come from logging an interview "
        "(/logged-interview) or scheduling one (/scheduled); then /win shares it, with a "
        f"line of yours if you like: {WIN_EXAMPLE}",
    )


async def press_share(ctx: Context, argument: str) -> Reply:
    return await share(ctx, await owned(ctx, Win, argument, "win"), None)


SHARE = Action("share-win", press_share)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="win",
            group=True,
            description="Share your latest interview win with your group, with a line",
            handler=share_latest,
            options=(
                Option(
                    "text",
                    "A line of your own under the win (no names needed)",
                    OptionType.STRING,
                    max_length=wins.LINE_MAX,
                ),
            ),
            example=WIN_EXAMPLE,
        )
    )
    registry.add_action(SHARE)
