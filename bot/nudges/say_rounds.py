"""What partner rounds and weekly plans say in their DMs, decided at delivery.

Partners are shown by display name and mention, with their goals and last week's counts
— never a contact, company or note — and their plan only in their own words, shown as
typed. ``None``: the DM no longer makes sense (already answered, left, round over).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Row

from bot import wording
from bot.dates import format_date
from bot.lengths import shown
from bot.models import CheckIn, Kept
from bot.nudges.facts import Facts, PartnerFacts, PlanFacts, RoundFacts
from bot.replies import Button, Field, Mention, Reply

PLAN_SHOWN = 300  # a plan quoted in a DM: the start of it, the rest on request
CHECKIN_LABELS = {  # the check-in's answers (DM and a late press alike), naming the partners
    CheckIn.MET: "We checked in with {who}",
    CheckIn.NOT_YET: "Not yet: {who}",
    CheckIn.SKIP: "Skip this round with {who}",
}


def _round(nudge: Row, member: Row, facts: Facts, now: datetime) -> RoundFacts | None:
    found = facts.rounds.get((member.id, nudge.subject_id))
    if found is None or found.left or now >= found.ends_at:
        return None
    return found


def together(partners: tuple[PartnerFacts, ...]) -> str:
    """``Ana``, ``Ana and Ben``."""
    return _joined([wording.member_name(p.name) for p in partners])


def _mentioned(partners: tuple[PartnerFacts, ...]) -> tuple[str, tuple[Mention, ...]]:
    """The partners as mentions in a DM's text (each platform shows their name and
    notifies them), and the mentions that say so."""
    mentions = tuple(Mention(p.user_id, p.name) for p in partners)
    return _joined([m.token for m in mentions]), mentions


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _names(partners: tuple[PartnerFacts, ...]) -> tuple[str, ...]:
    shown_plans = (shown(p.plan, PLAN_SHOWN) for p in partners if p.plan)
    return tuple(wording.member_name(p.name) for p in partners) + tuple(shown_plans)


def _about(partner: PartnerFacts) -> Field:
    last = partner.last_week
    lines = [
        f"Goals this week: {wording.goals(partner.goals)}",
        f"Last week: {last.outreach} outreach, {wording.plural(last.interviews, 'interview')}",
    ]
    if partner.plan:
        lines.append(f"Their plan: {shown(partner.plan, PLAN_SHOWN)}")
    return Field(wording.member_name(partner.name), "\n".join(lines))


def partner_round(
    nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime
) -> Reply | None:
    found = _round(nudge, member, facts, now)
    if found is None or not found.partners:
        return None
    who, mentions = _mentioned(found.partners)
    ends = format_date(found.ends_at.astimezone(tz).date())
    fields = [_about(p) for p in found.partners]
    planned = [p for p in found.partners if p.plan]
    if planned:
        first = planned[0]
        fields.append(
            Field(
                "Suggested opener",
                f"Ask {wording.member_name(first.name)} how their plan is going: "
                f"“{shown(first.plan or '', PLAN_SHOWN)}”",
            )
        )
    return Reply(
        title="Your partner this round" if len(found.partners) == 1 else "Your partners this round",
        text=f"In {found.channel}: you're paired with {who} until {ends}. Check in on each "
        "other this round: how the outreach goes, what's next. /partners shows this again.",
        fields=fields,
        names=_names(found.partners),
        mentions=mentions,
    )


def checkin(nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime) -> Reply | None:
    found = _round(nudge, member, facts, now)
    if found is None or not found.partners or found.checkin is not None:
        return None
    who = together(found.partners)
    return Reply(
        title=f"Checked in with {who}?",
        text=f"Halfway through the round in {found.channel}: have you and {who} checked in "
        "with each other?",
        actions=_checkin_buttons(found, facts),
        names=_names(found.partners),
    )


def _checkin_buttons(found: RoundFacts, facts: Facts) -> list[Button]:
    """The check-in answers about the team as it is now (a button carries its team, so
    one sent before a change records nothing)."""
    who = together(found.partners)
    return [
        facts.buttons.checkin(found.match_id, said, label.format(who=who), found.team)
        for said, label in CHECKIN_LABELS.items()
    ]


def changed(nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime) -> Reply | None:
    found = _round(nudge, member, facts, now)
    if found is None:
        return None
    left = f"In {found.channel}: " + (
        f"{wording.member_name(found.departed)} left the group. " if found.departed else ""
    )
    names = (wording.member_name(found.departed),) if found.departed else ()
    if not found.partners:
        return Reply(
            title="Your round changed",
            text=f"{left}There is nobody else free to pair you with until the round ends; "
            "the next round matches you again.",
            names=names,
        )
    who, mentions = _mentioned(found.partners)
    ask = found.asked and found.checkin is None  # the midway question, asked anew
    return Reply(
        title="Your round changed",
        text=f"{left}For the rest of this round you're with {who}."
        + (f" Have you and {together(found.partners)} checked in?" if ask else ""),
        fields=[_about(p) for p in found.partners],
        actions=_checkin_buttons(found, facts) if ask else [],
        names=names + _names(found.partners),
        mentions=mentions,
    )


def _plan(nudge: Row, member: Row, facts: Facts) -> PlanFacts | None:
    found = facts.plans.get((member.id, nudge.about_day))
    return found if found is not None and found.prompts_on else None


def plan_ask(nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime) -> Reply | None:
    found = _plan(nudge, member, facts)
    if found is None or found.id is not None or not found.in_rounds:
        return None
    return Reply(
        title="What's your plan this week?",
        text="A sentence or two in your own words: who you'll write to, what you'll "
        'prepare. Your partners see it; /plan text="…" share=group also posts it in your '
        "group's channel. (/settings plans=off stops these.)",
        actions=[facts.buttons.write_plan(nudge.about_day, member.id)],
    )


def plan_kept(nudge: Row, member: Row, facts: Facts, tz: ZoneInfo, now: datetime) -> Reply | None:
    found = _plan(nudge, member, facts)
    if found is None or found.id is None or found.kept is not None:
        return None
    text = shown(found.text or "", PLAN_SHOWN)
    return Reply(
        title="Did you keep your plan?",
        text=f"Your plan this week: {text}",
        actions=[facts.buttons.kept(found.id, answer, answer.label) for answer in Kept],
        names=(text,),
    )
