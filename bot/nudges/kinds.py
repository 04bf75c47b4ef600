"""Every kind of reminder, described once.

A kind's row says what it is about (its subject), which family it belongs to (of
several reminders of one family about one subject, only the latest is worth
sending), whether it waits for the member's reminder hour (and so moves when the
hour or zone changes), what it says (its composer, in :mod:`bot.nudges.say`) and
what happens once it has gone out. Adding a kind is one member of :class:`Kind`
and one row of :data:`KINDS`; planning, delivery, /undo and the isolation tests
read everything else from here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Member, Nudge, Outreach, OutreachStatus
from bot.nudges import say, say_rounds
from bot.nudges.facts import Facts
from bot.replies import Reply
from bot.services import outreach


class Kind(StrEnum):
    THANKS_FIRST = "thanks-first"
    THANKS_DUE = "thanks-due"
    THANKS_OVERDUE = "thanks-overdue"
    SECOND_PERSON = "second-person"
    FOLLOW_UP = "follow-up"
    PREP = "interview-prep"
    HOW_DID_IT_GO = "interview-log"
    REFERRAL_UPDATE = "referral-update"
    GOAL_MIDWEEK = "goal-midweek"
    GOAL_LAST_CALL = "goal-last-call"
    DIGEST = "digest"
    TOP_TARGET = "top-target"
    WENT_QUIET = "went-quiet"
    WIN = "win"
    PRACTICE = "practice"
    PARTNER_ROUND = "partner-round"
    PARTNER_CHECKIN = "partner-checkin"
    PARTNER_CHANGED = "partner-changed"
    PLAN_ASK = "plan-ask"
    PLAN_KEPT = "plan-kept"
    PLAN_SHARED = "plan-shared"


class Subject(StrEnum):
    """What a nudge's ``subject_id`` names."""

    INTERVIEW = "interview"
    REQUEST = "request"  # an outreach request
    WEEK = "week"  # the member's goal week (``about_day``, its Monday); subject_id 0
    GROUP = "group"  # a group; the nudge is a post in its channel
    TARGETS = "targets"  # the member's target list (``about_day``, a Monday); subject_id 0
    SPELL = "spell"  # the member's quiet spell (``about_day``: the day it began); subject_id 0
    WIN = "win"  # a shared win; the nudge is a post in its group's channel (``group_id``)
    PRACTICE = "practice"  # a practice pair; the nudge is the pairing DM to one of the two
    ROUND = "round"  # a partner round the member is in
    PLAN = "plan"  # the member's plan for a week (``about_day``, its Monday); subject_id 0


Composer = Callable[[Row, Row, Facts, ZoneInfo, datetime], Reply | None]
AfterSent = Callable[[AsyncSession, Nudge, Member, datetime], Awaitable[None]]


async def rest_request(session: AsyncSession, nudge: Nudge, member: Member, now: datetime) -> None:
    """After 3B7's one follow-up the request rests: no reply, no more reminders."""
    request = await session.scalar(
        select(Outreach).where(Outreach.id == nudge.subject_id, Outreach.member_id == member.id)
    )
    if request is not None and request.status == OutreachStatus.SENT.value:
        outreach.move(request, OutreachStatus.NO_RESPONSE, now)


@dataclass(frozen=True)
class Spec:
    family: str
    subject: Subject
    at_reminder_hour: bool  # planned for the member's reminder hour on a day of their own
    composer: Composer | None  # None: a post the group's channel gets whole (digest, win, plan)
    after_sent: AfterSent | None = None
    # Something the member asked for (a practice partner), not a reminder: sent even
    # with reminders off.
    asked_for: bool = False


KINDS: dict[Kind, Spec] = {
    Kind.THANKS_FIRST: Spec("thanks", Subject.INTERVIEW, False, say.thanks_first),
    Kind.THANKS_DUE: Spec("thanks", Subject.INTERVIEW, True, say.thanks_due),
    Kind.THANKS_OVERDUE: Spec("thanks", Subject.INTERVIEW, True, say.thanks_due),
    Kind.SECOND_PERSON: Spec("follow", Subject.REQUEST, True, say.second_person),
    Kind.FOLLOW_UP: Spec("follow", Subject.REQUEST, True, say.follow_up, rest_request),
    Kind.PREP: Spec("meeting", Subject.REQUEST, True, say.prep),
    Kind.HOW_DID_IT_GO: Spec("meeting", Subject.REQUEST, True, say.how_did_it_go),
    Kind.REFERRAL_UPDATE: Spec("referral", Subject.INTERVIEW, True, say.referral_update),
    Kind.GOAL_MIDWEEK: Spec("goal", Subject.WEEK, True, say.goal_midweek),
    Kind.GOAL_LAST_CALL: Spec("goal", Subject.WEEK, True, say.goal_last_call),
    Kind.DIGEST: Spec("digest", Subject.GROUP, False, None),
    Kind.TOP_TARGET: Spec("targets", Subject.TARGETS, True, say.top_target),
    Kind.WENT_QUIET: Spec("quiet", Subject.SPELL, True, say.went_quiet),
    Kind.WIN: Spec("win", Subject.WIN, False, None),
    Kind.PRACTICE: Spec("practice", Subject.PRACTICE, False, say.practice_pair, asked_for=True),
    Kind.PARTNER_ROUND: Spec("partners", Subject.ROUND, False, say_rounds.partner_round),
    Kind.PARTNER_CHECKIN: Spec("partner-checkin", Subject.ROUND, True, say_rounds.checkin),
    Kind.PARTNER_CHANGED: Spec("partner-changed", Subject.ROUND, False, say_rounds.changed),
    Kind.PLAN_ASK: Spec("plan-ask", Subject.PLAN, True, say_rounds.plan_ask),
    Kind.PLAN_KEPT: Spec("plan-kept", Subject.PLAN, True, say_rounds.plan_kept),
    Kind.PLAN_SHARED: Spec("plan-shared", Subject.GROUP, False, None),  # a channel post
}


def about(subject: Subject) -> tuple[Kind, ...]:
    """The kinds whose nudges are about a ``subject``."""
    return tuple(kind for kind, spec in KINDS.items() if spec.subject is subject)


def in_family(family: str) -> tuple[Kind, ...]:
    """The kinds of one family (``"thanks"``: first, due and overdue)."""
    return tuple(kind for kind, spec in KINDS.items() if spec.family == family)


KNOWN_KINDS = frozenset(kind.value for kind in KINDS)
AT_REMINDER_HOUR = tuple(kind for kind, spec in KINDS.items() if spec.at_reminder_hour)
ASKED_FOR = frozenset(kind.value for kind, spec in KINDS.items() if spec.asked_for)
AFTER_SENT = frozenset(kind.value for kind, spec in KINDS.items() if spec.after_sent)
