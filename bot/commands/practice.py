"""/practice: ask for a rehearsal; two members of a group who ask in the same week are paired.

Each gets a DM (``Kind.PRACTICE``, through the outbox) naming the partner, who plays the
contact (the one who asked second) and who the job seeker (the one who asked first),
three of /prep's questions for the field, and a **Done** button. Practice is counted
apart from real interviews: never towards goals, streaks, boards or the digest.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot import wording
from bot.commands.choosing import SOMEONE_ELSES, button_id
from bot.commands.groups import home_group
from bot.context import Context
from bot.dates import format_date
from bot.errors import UserError
from bot.models import Group, Member, PracticePair, PracticeRequest
from bot.nudges import say
from bot.registry import Action, Command, Option, Registry
from bot.replies import Button, ButtonStyle, Mention, Reply
from bot.services import groups, practice

ROLES = "who plays the contact, with three questions and a Done button."
NO_GROUP = (
    "Practice partners come from your group, and you're not in one yet. Use any peerpath "
    "command in your group's channel to join it, then /practice there."
)


async def _group(ctx: Context) -> Group:
    """The group to find a partner in: this channel's (when the member is in it), else
    the member's only one (with several, home_group names their channels)."""
    if ctx.group is not None:
        if await groups.is_active(ctx.session, ctx.group, ctx.member):
            return ctx.group
        raise UserError(
            f"You left {groups.channel(ctx.group)}, so there is nobody here to pair you with. "
            "Run /join here to come back, then /practice.",
            "/join",
        )
    mine = await groups.groups_of(ctx.session, ctx.member)
    if not mine:
        raise UserError(NO_GROUP, '/practice field="UX research"')
    return mine[0] if len(mine) == 1 else await home_group(ctx)


def _lapses(ctx: Context, request: PracticeRequest) -> str:
    """The last day the request is open, on the member's calendar (their Sunday)."""
    last = (request.lapses_at.astimezone(ctx.tz) - timedelta(seconds=1)).date()
    return f"the end of {format_date(last)} (your time)"


async def _partner(ctx: Context, pair: PracticePair) -> Mention:
    other_id = pair.contact_id if pair.seeker_id == ctx.member.id else pair.seeker_id
    other = await ctx.session.get(Member, other_id)
    assert other is not None  # a member leaving takes their pairs with them
    return Mention(other.user_id, wording.member_name(other.display_name))


async def ask_practice(ctx: Context, args: dict[str, Any]) -> Reply:
    if args["action"] == "cancel":
        return await _cancel(ctx)
    group = await _group(ctx)
    asked = await practice.ask(ctx.session, ctx.member, group, ctx.tz, args["field"], ctx.now)
    if asked.pair is not None:
        partner = await _partner(ctx, asked.pair)
        if not asked.again:
            text = f"You're paired with {partner.token}! A DM to each of you says {ROLES}"
        elif practice.held(asked.pair):
            text = (
                f"You held your practice conversation with {partner.token} this week — well "
                "done. /practice pairs you again next week."
            )
        else:
            text = (
                f"You're already paired with {partner.token} this week. The DM I sent says {ROLES}"
            )
        return Reply(
            title="Practice partner",
            text=text,
            names=(partner.name,),
            mentions=(partner,),
        )
    lapses = _lapses(ctx, asked.request)
    if asked.again:
        return Reply(
            title="Still waiting",
            text=f"You asked already and are waiting for a partner from {groups.channel(group)}. "
            f"Your request stays open until {lapses}; /practice cancel withdraws it.",
        )
    return Reply(
        title="Waiting for a practice partner",
        text=f"You're on the list. When another member of {groups.channel(group)} asks for "
        f"practice this week, you'll both get a DM pairing you for a {say.PRACTICE_LENGTH} "
        f"practice conversation. Your request lapses at {lapses}; /practice cancel withdraws it.",
    )


async def _cancel(ctx: Context) -> Reply:
    """Withdraw the member's waiting request — in this channel's group, else in any of
    theirs; with none open (or no group at all) there is simply nothing to cancel."""
    mine = [ctx.group] if ctx.group is not None else await groups.groups_of(ctx.session, ctx.member)
    for group in mine:
        request = await practice.current(ctx.session, ctx.member, group, ctx.now)
        if request is not None:
            break
    else:
        return Reply(title="Nothing to cancel", text="You have no practice request open.")
    pair = await practice.pair_of(ctx.session, request)
    if pair is None:
        if await practice.cancel(ctx.session, request):
            return Reply(
                title="Request withdrawn", text="Withdrawn; /practice asks again any time."
            )
        await ctx.session.refresh(request)  # paired by another request this very moment
        pair = await practice.pair_of(ctx.session, request)
    if pair is None:
        raise UserError("Your request changed just now; try /practice cancel again.")
    partner = await _partner(ctx, pair)
    return Reply(
        title="Already paired",
        text=f"You're already paired with {partner.token} this week, so there is nothing to "
        "withdraw. If you can't make it, tell them — a short message is enough.",
        names=(partner.name,),
        mentions=(partner,),
    )


async def press_done(ctx: Context, argument: str) -> Reply:
    """**Done** counts for the member whose DM it is on: the partner pressing it (a
    forwarded message, a shared screen) is told it is someone else's."""
    pair_id, _, member_id = argument.partition("-")
    pair = await ctx.session.scalar(
        select(PracticePair).where(
            PracticePair.id == button_id(pair_id),
            PracticePair.workspace_id == ctx.workspace.id,
        )
    )
    if pair is None:
        raise UserError("I can't find that practice conversation any more.")
    if button_id(member_id) != ctx.member.id or ctx.member.id not in (
        pair.seeker_id,
        pair.contact_id,
    ):
        raise UserError(SOMEONE_ELSES)
    partner = await _partner(ctx, pair)
    if not practice.mark_done(pair, ctx.member, ctx.now):
        return Reply(title="Already marked", text="You marked that practice conversation done.")
    return Reply(
        title="Practice done",
        text=f"Marked your practice conversation with {partner.token} done. It shows in "
        "/mystats as practice — apart from your real interviews, never towards goals or "
        "streaks. Now ask someone real for 20 minutes.",
        names=(partner.name,),
        mentions=(partner,),
    )


DONE = Action("practice-done", press_done)


def done_button(pair_id: int, member_id: int) -> Button:
    """**Done** on the pairing DM to ``member_id``: it marks their part only."""
    return DONE.button(f"{pair_id}-{member_id}", "Done: practice held", ButtonStyle.PRIMARY)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="practice",
            group=True,
            description="Ask for a practice conversation with a member of your group",
            handler=ask_practice,
            options=(
                Option("action", "cancel: withdraw your request", choices=("cancel",)),
                Option("field", "The field to rehearse, e.g. UX research"),
            ),
            example='/practice field="UX research"',
        )
    )
    registry.add_action(DONE)
