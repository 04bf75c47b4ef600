"""The catalogue: every command, button and the home view, declared once in a :class:`Registry`."""

from __future__ import annotations

from bot.commands import (
    account,
    calendar,
    choosing,
    coach,
    digest,
    goals,
    groups,
    help,
    history,
    home,
    imports,
    interviews,
    outreach,
    overview,
    peers,
    practice,
    prep,
    reminders,
    shortcuts,
    stats,
    targets,
    undo,
    wins,
)
from bot.registry import Registry


def build_registry() -> Registry:
    """The full registry; adapters, help and the Slack manifest are all derived from it."""
    registry = Registry()
    for module in (
        interviews,
        outreach,
        history,
        undo,
        overview,
        prep,
        targets,
        calendar,
        imports,
        groups,
        goals,
        stats,
        peers,
        digest,
        coach,
        account,
        help,
        reminders,
        wins,
        practice,
        home,
        shortcuts,
    ):
        module.register(registry)
    registry.add_action(choosing.CHOOSE)
    return registry
