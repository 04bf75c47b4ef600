"""The tables. Every row carries its tenant (``workspace_id``) so every query can be scoped.

A workspace is a Slack team, a Discord guild or a console workspace; members,
contacts, outreach and interviews all hang off it. Times are stored in UTC;
dates that only make sense on the member's calendar (the day an interview was
held, the day one is scheduled) are stored as dates.

Each area's tables live in a module of their own under :mod:`bot.tables`;
importing this module registers them all on :class:`Base`'s metadata (which migrations
and tests read).
"""

from bot.tables.base import NAMING, Base, UTCDateTime
from bot.tables.installs import SLACK_BOTS, SLACK_INSTALLATIONS, SLACK_OAUTH_STATES
from bot.tables.logs import (
    Contact,
    HowKnown,
    Interview,
    LogEntry,
    LogKind,
    MeetingVia,
    Outreach,
    OutreachStatus,
    Via,
)
from bot.tables.nudges import Nudge, NudgeStatus, PlannedDay, StreakCache
from bot.tables.peers import Cadence, CheckIn, Kept, PartnerMatch, PartnerRound, Plan
from bot.tables.people import Group, GroupMember, Member, MemberGoal, Pause, Workspace
from bot.tables.requests import (
    CommandKey,
    DeploymentSecret,
    InboxEntry,
    LinkGeneration,
    PendingChoice,
    Receipt,
)
from bot.tables.shared import PracticePair, PracticeRequest, Win, WinKind
from bot.tables.targets import PendingImport, Posting, Target

__all__ = [
    "Cadence",
    "CheckIn",
    "Kept",
    "PartnerMatch",
    "PartnerRound",
    "Plan",
    "UTCDateTime",
    "NAMING",
    "Base",
    "Workspace",
    "Group",
    "Member",
    "GroupMember",
    "MemberGoal",
    "Pause",
    "HowKnown",
    "Via",
    "MeetingVia",
    "OutreachStatus",
    "Contact",
    "Outreach",
    "Interview",
    "LogKind",
    "LogEntry",
    "NudgeStatus",
    "Nudge",
    "PlannedDay",
    "StreakCache",
    "Receipt",
    "PendingChoice",
    "CommandKey",
    "InboxEntry",
    "DeploymentSecret",
    "LinkGeneration",
    "Posting",
    "Target",
    "PendingImport",
    "SLACK_INSTALLATIONS",
    "SLACK_BOTS",
    "SLACK_OAUTH_STATES",
    "Win",
    "WinKind",
    "PracticeRequest",
    "PracticePair",
]
