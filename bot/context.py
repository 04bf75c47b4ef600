"""What a handler is given: who is asking, where, when, and the one session of its unit of work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import local_today
from bot.invocation import Invocation
from bot.links import Signer
from bot.models import Group, Member, Workspace
from bot.replies import Reply

# Runs a command of the registry in the same unit of work, as if typed with these options.
RunCommand = Callable[[str, Mapping[str, Any]], Awaitable[Reply]]


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
    # The command being run and its options as given (before checking), so a handler can
    # ask a question and run the command again with the answer (``commands/choosing.py``).
    command: str | None = None
    typed: Mapping[str, Any] = field(default_factory=dict)
    run_command: RunCommand | None = None
    # Signs links to pages outside chat (``bot/links.py``); the key is read when first used.
    signer: Callable[[], Awaitable[Signer]] | None = None
    public_url: str | None = None  # where those pages are reached (PEERPATH_PUBLIC_URL)

    @property
    def today(self) -> date:
        return local_today(self.now, self.tz)
