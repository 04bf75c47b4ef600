"""What the core needs from the outside world, as interfaces adapters implement.

The scheduler delivers nudges through a :class:`Notifier`; each platform adapter
(and the console) provides one. Failures are reported as :class:`DeliveryFailed`
so the outbox can tell "try again later" from "stop trying".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.replies import Reply


class DeliveryFailed(Exception):
    """A message could not be delivered.

    ``permanent`` means retrying cannot help (the member closed their DMs, the
    channel is gone); ``retry_after`` is the platform's requested wait, if any.
    ``rate_limited`` marks a 429: always worth retrying after the wait, never a sign
    of closed DMs. ``in_doubt`` means the message may have gone out (a timeout, or a
    connection cut after the request was sent): the next attempt asks
    :meth:`Notifier.was_delivered` first. ``uninstalled`` means the app is no longer
    installed where the message was going (its token is gone): permanent, and no sign
    that the member closed their DMs.
    """

    def __init__(
        self,
        reason: str,
        permanent: bool = False,
        retry_after: float | None = None,
        *,
        rate_limited: bool = False,
        in_doubt: bool = False,
        uninstalled: bool = False,
    ):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
        self.rate_limited = rate_limited
        self.in_doubt = in_doubt
        self.uninstalled = uninstalled


class Notifier(Protocol):
    """Delivers replies that nobody asked for right now: DMs and channel posts.

    ``keys`` are the idempotency keys of the nudges a message carries; a platform
    that can attach them (message metadata, a nonce) lets :meth:`was_delivered`
    answer after a crash whether a message in doubt already went out.
    """

    platform: str

    async def send_dm(
        self, workspace_id: str, user_id: str, reply: Reply, keys: Sequence[str] = ()
    ) -> None:
        """DM ``reply`` to a member (platform ids); raise DeliveryFailed on failure."""
        ...

    async def post_channel(
        self, workspace_id: str, channel_id: str, reply: Reply, keys: Sequence[str] = ()
    ) -> None:
        """Post ``reply`` publicly in a channel (platform ids); raise DeliveryFailed on failure."""
        ...

    async def was_delivered(self, workspace_id: str, target_id: str, key: str) -> bool | None:
        """Whether a message carrying ``key`` already reached ``target_id``; None when the
        platform could not say (a missing scope, an outage) — never taken for "not sent"."""
        ...


class PlatformAdapter(Protocol):
    """A running connection to one chat platform, started by ``peerpath run``.

    Each platform module (``adapters/slack.py``, ``adapters/discord.py``) exposes
    ``build(app, settings) -> PlatformAdapter``.
    """

    platform: str
    notifier: Notifier

    async def start(self) -> None:
        """Connect and begin serving; returns once the adapter is ready for traffic.

        Raises ``bot.startup.ConfigurationError`` for a setting to fix (a refused token)
        and ``bot.startup.Unreachable`` while the platform cannot be reached."""
        ...

    async def stop(self, within: float) -> None:
        """Stop taking new work, finish what was acknowledged within ``within`` seconds
        (handing what is still owed to the next start), and close connections."""
        ...
