"""Every command and button peerpath offers, declared once in a :class:`Registry`."""

from __future__ import annotations

from bot.commands import (
    account,
    goals,
    groups,
    help,
    interviews,
    outreach,
    overview,
    prep,
    reminders,
    stats,
)
from bot.registry import Registry


def build_registry() -> Registry:
    """The full registry; adapters, help and the Slack manifest are all derived from it."""
    registry = Registry()
    for module in (
        interviews,
        outreach,
        overview,
        prep,
        groups,
        goals,
        stats,
        account,
        help,
        reminders,
    ):
        module.register(registry)
    return registry
