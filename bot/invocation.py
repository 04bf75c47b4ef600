"""A command or button press as a platform delivered it, in neutral terms.

Adapters build these; the core reads them. It holds platform ids and names only,
so everything below the adapters can be tested without a platform.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Invocation:
    """Who asked, where, on which platform.

    ``workspace_id``, ``user_id`` and ``channel_id`` are the platform's own ids;
    ``request_id`` (a Slack trigger or a Discord interaction id) makes a
    retried delivery harmless. ``locale`` is the member's language and region as the
    platform reports it (Discord's ``en-US``, ``de``); ``None`` where it is unknown (Slack,
    the console), and then a date such as ``3/4`` is asked about rather than guessed.
    ``members_only`` says the workspace was named by
    the request itself (a button pressed in a DM carries its server in its id),
    not vouched for by the platform: the core then acts only for someone who is
    already a member there, and creates nothing. ``personal`` says the command came
    through the member's own install of the app (Discord's user install) with no server
    install behind it: it runs in their personal workspace (``bot/services/personal.py``),
    whatever ``workspace_id`` holds, and answers privately.
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
    locale: str | None = None
    members_only: bool = False
    personal: bool = False
