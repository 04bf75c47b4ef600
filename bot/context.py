"""What a handler is given: who is asking, where, when, and the one session of its unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import local_today
from bot.invocation import Invocation
from bot.models import Group, Member, Workspace


@dataclass
class Context:
    """Everything a handler needs: the invocation, its member, the clock and one session.

    ``group`` is the group homed in the invocation's channel, if any; ``is_admin``
    is the platform's word (``Invocation.is_admin``) or, in a console workspace
    that has no platform roles, being its first member.
    """

    invocation: Invocation
    session: AsyncSession
    workspace: Workspace
    member: Member
    now: datetime
    tz: ZoneInfo
    group: Group | None = None
    is_admin: bool = False
    default_tz: str = "UTC"  # the deployment's zone, for members and groups without one

    @property
    def today(self) -> date:
        return local_today(self.now, self.tz)
