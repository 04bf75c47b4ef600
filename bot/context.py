"""Who is asking, where, and the unit of work their command runs in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import local_today
from bot.models import Group, Member, Workspace

if TYPE_CHECKING:
    from bot.app import Peerpath


@dataclass(frozen=True)
class Invocation:
    """A command or button press as a platform delivered it, in neutral terms.

    ``workspace_id``, ``user_id`` and ``channel_id`` are the platform's own ids;
    ``request_id`` (a Slack trigger or a Discord interaction id) makes a
    retried delivery harmless.
    """

    platform: str
    workspace_id: str
    user_id: str
    user_name: str = ""
    workspace_name: str = ""
    channel_id: str | None = None
    channel_name: str = ""
    is_admin: bool = False
    request_id: str | None = None


@dataclass
class Context:
    """Everything a handler needs: the invocation, its member, the clock and one session.

    ``group`` is the group homed in the invocation's channel, if any; ``is_admin``
    is the platform's word (``Invocation.is_admin``) or, in a console workspace
    that has no platform roles, being its first member.
    """

    app: Peerpath
    invocation: Invocation
    session: AsyncSession
    workspace: Workspace
    member: Member
    now: datetime
    tz: ZoneInfo
    group: Group | None = None
    is_admin: bool = False

    @property
    def today(self) -> date:
        return local_today(self.now, self.tz)
