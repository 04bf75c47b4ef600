"""/partners and /plan, and the buttons of their DMs: the check-in, writing a plan and
saying whether it was kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import wording
from bot.commands.choosing import SOMEONE_ELSES, button_id, owned
from bot.context import Context
from bot.dates import format_date, week_start
from bot.errors import UserError
from bot.lengths import shown
from bot.models import CheckIn, Group, Kept, Member, PartnerMatch, PartnerRound, Plan
from bot.nudges.say_rounds import CHECKIN_LABELS
from bot.registry import Action, Command, Option, OptionType, Registry
from bot.replies import Field, Form, Reply
from bot.services import groups, plans, round_status, rounds

PARTNERS_EXAMPLE = "/partners on"
PLAN_EXAMPLE = '/plan text="Write to 3 people at fintechs, prepare for Thursday\'s call"'
CHECKED = {
    CheckIn.MET: "Noted: you checked in with {who}. Well done.",
    CheckIn.NOT_YET: "Noted: not yet. There's still time before the round ends — say hi to {who}.",
    CheckIn.SKIP: "Noted: you're skipping this round with {who}. The next round pairs you again.",
}
KEPT_WORDS = {
    Kept.KEPT: "Kept — well done.",
    Kept.PARTLY: "Partly kept — what's left can go in next week's plan.",
    Kept.NOT: "Not this time. Next Monday is a fresh plan.",
}


async def partners(ctx: Context, args: dict[str, Any]) -> Reply:
    """The member's partners in each of their groups' running rounds (labelled by the
    group's channel), or why they sit a round out; ``state`` opts in or out."""
    member = ctx.member
    mine = await groups.groups_of(ctx.session, member)
    if not mine:
        return Reply(
            title="Partner rounds",
            text="You're not in a group, so there are no partner rounds for you: run /join "
            f"in your group's channel, then {PARTNERS_EXAMPLE}.",
        )
    if args["state"] is not None:
        member.partners_on = args["state"]
    running = await rounds.current(ctx.session, member, ctx.now)
    where = {g.id: groups.channel(g) for g in mine}
    fields = [
        Field(
            f"{where.get(r.round.group_id, 'Your group')}, until "
            f"{format_date(r.round.ends_at.astimezone(ctx.tz).date())}",
            ", ".join(wording.member_name(p.display_name) for p in r.partners)
            or "Nobody: your partner left the group",
        )
        for r in running
    ]
    state = "on" if member.partners_on else "off"
    text = f"Partner rounds: you're {'in' if member.partners_on else 'out'} ({state})."
    if args["state"] is True:
        text = "You're in: the next partner round pairs you with someone from your group."
    elif args["state"] is False:
        text = "You're out from the next round on."
        if running:
            text += " This round's partners stay yours until it ends."
    for group in mine:
        text += await _about_group(ctx, group, len(mine) > 1)
    return Reply(
        title="Your partners" if running else "Partner rounds",
        text=text,
        fields=fields,
        names=tuple(wording.member_name(p.display_name) for r in running for p in r.partners),
    )


async def _about_group(ctx: Context, group: Group, named: bool) -> str:
    """What /partners adds for one group: rounds off (never had, or turned off), or why
    the member sits out the round running now."""
    found = await round_status.standing(ctx.session, group, ctx.member, ctx.now, ctx.tz)
    label = f" In {groups.channel(group)}:" if named else ""
    on = round_status.rounds_on(group)
    if not on and found.running is None:
        if found.ever:
            return (
                f"{label} Your group's partner rounds are off; an admin turns them back on "
                "with /group-setup partners=weekly."
            )
        return (
            f"{label} Your group has no partner rounds yet: an admin turns them on with "
            "/group-setup partners=weekly."
        )
    if found.running is not None and found.left_out is not None and ctx.member.partners_on:
        ends = format_date(found.running.ends_at.astimezone(ctx.tz).date())
        after = f"; the next one starts {ends}" if on else ""
        return f"{label} You sit this round out: {found.left_out}{after}."
    if found.running is None and ctx.member.partners_on:
        return f"{label} No partner this round; rounds start at your group's digest."
    return ""


async def plan(ctx: Context, args: dict[str, Any]) -> Reply:
    week = week_start(ctx.today)
    text, share = args["text"], args["share"] == "group"
    where = await _sharing_in(ctx) if share else []
    if text is None:
        found = await plans.for_week(ctx.session, ctx.member, week)
        if found is None:
            return Reply(
                title="Your plan this week",
                text=f"No plan yet for the week of {format_date(week)}. Write one with "
                f"{PLAN_EXAMPLE}",
            )
        if not share:
            return Reply(title="Your plan this week", text=found.text, names=(found.text,))
        text = found.text  # share=group alone: this week's plan, as written
    text = text.strip()
    if not text:
        raise UserError("Say what you plan to do this week.", PLAN_EXAMPLE, option="text")
    before = await plans.for_week(ctx.session, ctx.member, week)
    reworded = before is not None and before.shared and before.shared_text != text
    written = await plans.write(ctx.session, ctx.member, week, text, share, ctx.now)
    said = "Your partners see it."
    if share:
        if await plans.share(ctx.session, written, where, ctx.now):
            said = f"Your partners see it, and it's posted in {_channels(where)}."
        else:
            said = f"Your partners see it; it's already posted in {_channels(where)}."
    elif reworded:
        said += (
            " Your group's channel shows the version you shared; add share=group to post this one."
        )
    if await plans.ask_if_kept(ctx.session, ctx.member, written, ctx.tz, ctx.now):
        return Reply(
            title="Plan saved",
            text=f"Your plan for the week of {format_date(week)}: {text}\n{said} "
            "On Friday I'll ask whether you kept it.",
            names=(text,),
        )
    return Reply(  # no Friday question: the member answers here, whenever they know
        title="Plan saved",
        text=f"Your plan for the week of {format_date(week)}: {text}\n{said} "
        "I won't ask on Friday, so say here whether you kept it once you know; only "
        "plans you answer count in /mystats.",
        names=(text,),
        actions=[KEPT.button(f"{written.id}.{answer.value}", answer.label) for answer in Kept],
    )


async def _sharing_in(ctx: Context) -> list[Group]:
    """The group channels a shared plan goes to: this one, else every group of the
    member's; a refusal when they are in none."""
    where = (
        [ctx.group] if ctx.group is not None else await groups.groups_of(ctx.session, ctx.member)
    )
    if not where:
        raise UserError(
            "You're not in a group yet, so there is no channel to share your plan in. "
            "Run /plan in your group's channel.",
            PLAN_EXAMPLE,
            option="share",
        )
    return where


def _channels(where: list[Group]) -> str:
    return ", ".join(groups.channel(g) for g in where)


async def shared_post(session: AsyncSession, plan_id: int, key: str) -> Reply | None:
    """The channel post of a shared plan: who, and the words they shared, as they typed
    them — for the version the post was made for (a newer shared version has its own
    post; a rewording not shared again leaves the shared words to post)."""
    found = (
        await session.execute(
            select(Plan, Member.display_name)
            .join(Member, Member.id == Plan.member_id)
            .where(Plan.id == plan_id)
        )
    ).first()
    if found is None or found[0].shared_text is None:
        return None
    written, name = found
    if not plans.posts_version(key, written.shared_text):
        return None
    who = wording.member_name(name)
    text = shown(written.shared_text, plans.MAX_LENGTH)
    return Reply(
        title=f"{who}'s plan this week",
        text=text,
        names=(who, text),
    )


async def press_checkin(ctx: Context, argument: str) -> Reply:
    """Record a check-in answer about the team the button was sent about — nothing when
    the round has ended, the member left it, or their team changed since (then the
    answer names their partners now)."""
    ref, _, rest = argument.partition(".")
    said, _, team_ref = rest.partition(".")
    try:
        answer = CheckIn(said)
    except ValueError:
        raise UserError("That button is damaged; run /partners again.") from None
    match = await ctx.session.scalar(
        select(PartnerMatch).where(
            PartnerMatch.id == button_id(ref), PartnerMatch.workspace_id == ctx.workspace.id
        )
    )
    if match is None:
        raise UserError("That round is over.")
    if match.member_id != ctx.member.id:
        raise UserError(SOMEONE_ELSES)
    running = await ctx.session.get(PartnerRound, match.round_id)
    if running is None or running.ends_at <= ctx.now:
        ended = format_date(running.ends_at.astimezone(ctx.tz).date()) if running else None
        return Reply(
            title="Check-in",
            text=(f"That round ended on {ended}" if ended else "That round has ended")
            + ": nothing is recorded now. /partners shows your current round.",
        )
    if match.left_at is not None:
        return Reply(title="Check-in", text="You left that round's group: nothing is recorded.")
    team = await rounds.team_of(ctx.session, match)
    who = ", ".join(wording.member_name(p.display_name) for p in team)
    key = rounds.team_key([match.member_id, *(p.id for p in team)])
    if team_ref and team_ref != key:
        if not team:
            return Reply(
                title="Your round changed",
                text="Your team changed since that message: nobody is free to pair you with "
                "now. Nothing is recorded; /partners shows your partners.",
            )
        return Reply(  # the same question, about the team as it is now
            title="Your round changed",
            text=f"Your team changed since that message: you're now with {who}. Nothing is "
            f"recorded; have you and {who} checked in?",
            names=(who,),
            actions=[
                CHECKIN.button(f"{match.id}.{said.value}.{key}", label.format(who=who))
                for said, label in CHECKIN_LABELS.items()
            ],
        )
    rounds.answer(match, answer, ctx.now)
    who = who or "your partner"
    return Reply(title="Check-in", text=CHECKED[answer].format(who=who), names=(who,))


async def press_write(ctx: Context, argument: str) -> Reply:
    """The plan form, for the member the prompt was sent to only."""
    _, _, whose = argument.partition(".")
    if whose and button_id(whose) != ctx.member.id:
        raise UserError(SOMEONE_ELSES)
    week = week_start(ctx.today)
    found = await plans.for_week(ctx.session, ctx.member, week)
    current = found.text if found else ""
    return Reply(
        title="Your plan this week",
        text=f"Type it with {PLAN_EXAMPLE}",
        form=Form(
            command="plan",
            title="Your plan this week",
            fields=(("text", current), ("share", "")),
        ),
    )


async def press_kept(ctx: Context, argument: str) -> Reply:
    ref, _, said = argument.partition(".")
    try:
        answer = Kept(said)
    except ValueError:
        raise UserError("That button is damaged; run /plan again.") from None
    found = await owned(ctx, Plan, ref, "plan")
    plans.answer(found, answer)
    return Reply(title="Your plan", text=KEPT_WORDS[answer])


CHECKIN = Action("partner-checkin", press_checkin)

WRITE_PLAN = Action("plan-write", press_write)
KEPT = Action("plan-kept", press_kept)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="partners",
            description="See your partner this round, or opt in or out of partner rounds",
            handler=partners,
            options=(Option("state", "on to take part, off to stop", OptionType.BOOLEAN),),
            example=PARTNERS_EXAMPLE,
            group=True,
        )
    )
    registry.add(
        Command(
            name="plan",
            description="Write your plan for this week (your partners see it)",
            handler=plan,
            options=(
                Option(
                    "text",
                    "Your plan, in a sentence or two",
                    OptionType.TEXT,
                    max_length=plans.MAX_LENGTH,
                ),
                Option("share", "group: also post it in your group's channel", choices=("group",)),
            ),
            example=PLAN_EXAMPLE,
        )
    )
    for action in (CHECKIN, WRITE_PLAN, KEPT):
        registry.add_action(action)
