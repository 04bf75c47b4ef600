"""Who is asking: Slack's ids and names as the core's :class:`Invocation`, and Slack's own
workspace role as admin rights (asked only where a command needs them)."""

from __future__ import annotations

import hashlib
from typing import Any

from adapters.slack import PLATFORM
from adapters.slack.installs import Clients
from bot.invocation import Invocation

__all__ = ["PLATFORM", "People"]


class People:
    """Builds invocations for one Slack app."""

    def __init__(self, clients: Clients) -> None:
        self.clients = clients

    async def invocation(
        self,
        team_id: str,
        user_id: str,
        request_id: str | None,
        *,
        user_name: str = "",
        team_name: str = "",
        channel_id: str | None = None,
        channel_name: str = "",
        admin_check: bool = False,
    ) -> Invocation:
        """A member acting in ``team_id``; ``request_id`` becomes the core's receipt key."""
        return Invocation(
            platform=PLATFORM,
            workspace_id=team_id,
            user_id=user_id,
            user_name=user_name,
            workspace_name=team_name,
            channel_id=channel_id,
            channel_name=channel_name,
            is_admin=admin_check and await self.is_admin(team_id, user_id),
            request_id=request_id and _request_key(request_id),
        )

    async def interaction(
        self,
        body: dict[str, Any],
        request_id: str | None,
        channel_id: str | None,
        admin_check: bool = False,
    ) -> Invocation:
        """Who pressed a button, submitted a form or used a shortcut (their payloads all
        carry ``user`` and ``team``)."""
        user = body["user"]
        return await self.invocation(
            (body.get("team") or {}).get("id") or user["team_id"],
            user["id"],
            request_id,
            user_name=user.get("username") or user.get("name", ""),
            channel_id=channel_id,
            admin_check=admin_check,
        )

    async def is_admin(self, team_id: str, user_id: str) -> bool:
        """Slack's own workspace role decides who is an admin."""
        client = await self.clients.for_team(team_id)
        user = (await client.users_info(user=user_id))["user"]
        return bool(user.get("is_admin") or user.get("is_owner"))


def _request_key(request_id: str) -> str:
    """A short stable key for the core's receipts (Slack ids can be long)."""
    kind, _, value = request_id.partition(":")
    return f"slack:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
