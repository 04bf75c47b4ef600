"""Prometheus metrics: the numbers an operator watches, served at ``GET /metrics``.

They live in prometheus-client's default registry (which adds the process's
own CPU, memory and file descriptors). Each replica exports its own counts;
Prometheus sums them. Labels are command names and fixed outcome words —
never ids or user text, so the number of series stays small.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Nudge, NudgeStatus

COMMANDS = Counter(
    "peerpath_commands",
    "Commands, button presses and Home views handled, by outcome "
    "(ok, refused: the member's input was wrong, duplicate: a retried request, "
    "unavailable: the database was down, error: a bug).",
    ["command", "outcome"],
)
COMMAND_SECONDS = Histogram(
    "peerpath_command_duration_seconds",
    "Time the core took to answer a command, database included.",
    ["command"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
NUDGES = Counter(
    "peerpath_nudges",
    "Reminders handled by sweeps: claimed, then sent, dropped (no longer applies), "
    "deferred (quiet hours), retried (transient platform error) or failed (gave up); "
    "broken counts members and digests whose message could not be composed (a bad row), "
    "taken_over reminders another sweep took over before this one sent them.",
    ["outcome"],
)
SWEEP_SECONDS = Histogram(
    "peerpath_sweep_duration_seconds",
    "Time one reminder sweep took.",
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0),
)
NUDGES_DUE = Gauge(
    "peerpath_nudges_due",
    "Reminders due and not yet claimed, in the whole database (read at scrape time).",
)
DELIVERY_LAG = Gauge(
    "peerpath_nudge_delivery_lag_seconds",
    "How long the oldest due reminder has been waiting (0 when none; read at scrape time).",
)

NUDGE_OUTCOMES = (
    "claimed",
    "sent",
    "dropped",
    "deferred",
    "retried",
    "failed",
    "broken",
    "taken_over",
)


def observe_command(command: str, outcome: str, seconds: float | None = None) -> None:
    """Count a command; time it when it reached the database (not when its text was refused)."""
    COMMANDS.labels(command, outcome).inc()
    if seconds is not None:
        COMMAND_SECONDS.labels(command).observe(seconds)


def observe_sweep(counts: Mapping[str, int], seconds: float) -> None:
    """Add one sweep's counts (a ``SweepReport``'s fields by name) and its duration."""
    for outcome in NUDGE_OUTCOMES:
        if counts.get(outcome):
            NUDGES.labels(outcome).inc(counts[outcome])
    SWEEP_SECONDS.observe(seconds)


async def observe_backlog(session: AsyncSession, now: datetime) -> None:
    """Set the due count and the oldest due reminder's wait from the database."""
    due = (Nudge.status == NudgeStatus.PENDING.value) & (Nudge.next_at <= now)
    query = select(func.count(), func.min(Nudge.next_at)).where(due)
    count, oldest = (await session.execute(query)).one()
    NUDGES_DUE.set(count)
    DELIVERY_LAG.set((now - oldest).total_seconds() if oldest is not None else 0.0)
