"""The rows a batch of reminders talks about, as the composers read them.

Kept apart from the loading (:mod:`bot.nudges.compose`) and from the texts
(:mod:`bot.nudges.say`) so both can use it without importing each other. The
buttons a reminder carries are declared next to the commands that answer them;
they reach the texts through :class:`Buttons`, so the texts import no command
(a command module plans reminders, and a cycle would follow).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple, Protocol

from sqlalchemy import Row

from bot.replies import Button
from bot.streaks import Goals, Tally, Week


class InterviewFacts(NamedTuple):
    id: int
    member_id: int
    contact_id: int
    thanked_at: datetime | None
    thank_you_due_on: date


class RequestFacts(NamedTuple):
    id: int
    member_id: int
    contact_id: int
    status: str
    scheduled_for: date | None


class ContactFacts(NamedTuple):
    id: int
    name: str
    company: str | None
    referred_by_id: int | None


class QuietFacts(NamedTuple):
    """A member with a word for a quiet spell due: when the spell they are in began (None:
    they logged since), whether their current week is paused, and what waits on them."""

    since: datetime | None
    paused: bool
    thanks_owed: int
    open_requests: int


class PracticeFacts(NamedTuple):
    """A practice pair at delivery: who plays the job seeker and who the contact, the
    field, and both members' (platform user id, display name) by member id."""

    id: int
    seeker_id: int
    contact_id: int
    field: str | None
    people: dict[int, tuple[str, str]]


class Buttons(Protocol):
    """The buttons reminders carry (built by the commands that answer their presses)."""

    def thanked(self, interview: InterviewFacts, contact: ContactFacts) -> Button: ...

    def snooze(self, nudge: Row, who: str) -> Button: ...

    def log_it(self, request: RequestFacts, who: str) -> Button: ...

    def practice_done(self, pair: PracticeFacts, member_id: int) -> Button: ...

    def checkin(self, match_id: int, answer: str, label: str, team: str) -> Button: ...

    def write_plan(self, week: date, member_id: int) -> Button: ...

    def kept(self, plan_id: int, answer: str, label: str) -> Button: ...


class GoalWeek(NamedTuple):
    """A member's current goal week at delivery: its Monday, its counts and goals, the
    streak it extends, and the member's reminder hour (when the week's last call falls)."""

    monday: date
    week: Week
    streak: int
    reminder_hour: int


class TopTarget(NamedTuple):
    """A member's highest-ranked target with no outreach open there, at delivery."""

    company: str
    contacts: int
    first_unasked: str | None


class PartnerFacts(NamedTuple):
    """A partner as their round's DMs show them: counts and their own plan, never their
    contacts, companies or notes."""

    name: str
    user_id: str
    goals: Goals
    last_week: Tally
    plan: str | None  # their plan for this week (else last week's), in their own words


class RoundFacts(NamedTuple):
    """A member's place in a round at delivery."""

    match_id: int
    ends_at: datetime
    checkin: str | None
    left: bool  # they left the group since
    partners: tuple[PartnerFacts, ...]  # their team-mates now
    departed: str | None  # for a change: the name of who left
    team: str  # the team now, as a check-in button carries it (rounds.team_key)
    channel: str  # the group's channel, naming which group the DM is about
    asked: bool = False  # their midway check-in was sent already (a changed team is asked anew)


class PlanFacts(NamedTuple):
    """A member's plan for one of their weeks (``id`` None: none written), and whether
    they are asked about it (plan prompts on, and that week not paused), and whether they
    are in a group with partner rounds now (the Monday prompt goes only to them)."""

    id: int | None
    text: str | None
    kept: str | None
    prompts_on: bool
    in_rounds: bool


@dataclass
class Facts:
    """The rows a batch of nudges talks about, keyed by id.

    ``employers`` holds, per (member, company key), the member's open requests to that
    employer (3B7's "a second person there" looks at them); ``folding`` the second-person
    nudges of the batch per (member, company key), in the order they fold into one
    message; ``weeks`` the current goal week of members with a goal check-in due; ``quiet``
    the spell and pending work of members with a word for a quiet spell due.
    """

    interviews: dict[int, InterviewFacts]
    outreach: dict[int, RequestFacts]
    contacts: dict[int, ContactFacts]
    buttons: Buttons
    weeks: dict[int, GoalWeek] = field(default_factory=dict)
    quiet: dict[int, QuietFacts] = field(default_factory=dict)
    employers: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    tops: dict[int, TopTarget | None] = field(default_factory=dict)  # by member
    folding: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    practice: dict[int, PracticeFacts] = field(default_factory=dict)  # by pair id
    rounds: dict[tuple[int, int], RoundFacts] = field(default_factory=dict)  # (member, round)
    plans: dict[tuple[int, date], PlanFacts] = field(default_factory=dict)  # (member, week)

    def interview(self, nudge: Row, member: Row) -> InterviewFacts | None:
        found = self.interviews.get(nudge.subject_id)
        return found if found is not None and found.member_id == member.id else None

    def request(self, nudge: Row, member: Row) -> RequestFacts | None:
        found = self.outreach.get(nudge.subject_id)
        return found if found is not None and found.member_id == member.id else None
