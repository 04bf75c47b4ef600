"""Every command and button peerpath offers, declared once in a :class:`Registry`."""

from __future__ import annotations

from bot.commands import account, help, interviews, outreach, overview, prep, reminders
from bot.registry import Registry


def build_registry() -> Registry:
    """The full registry; adapters, help and the Slack manifest are all derived from it."""
    registry = Registry()
    for module in (interviews, outreach, overview, prep, account, help, reminders):
        module.register(registry)
    return registry
