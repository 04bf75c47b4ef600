"""APScheduler only wakes the outbox up; what is due is decided by the database.

One interval job with an explicit id: ``coalesce`` folds missed runs into one,
``max_instances=1`` keeps sweeps from overlapping, and a short
``misfire_grace_time`` skips a run that is already late rather than queueing it
(the next sweep picks up everything anyway). The job store is in memory: jobs
are derived from configuration at start, never persisted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot import metrics
from bot.clock import SimulatedClock
from scheduling.outbox import Outbox, SweepReport

log = logging.getLogger("peerpath.scheduler")
SWEEP_JOB = "peerpath-sweep"
# This many sweeps in a row raising (the database gone, a bug) turn /readyz to 503.
FAILING_AFTER = 3


class Scheduler:
    """Runs the outbox sweep every ``interval`` seconds on the running event loop."""

    def __init__(self, outbox: Outbox, interval: float = 30.0) -> None:
        self.outbox = outbox
        self.interval = interval
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._lock = asyncio.Lock()
        self.failures_in_a_row = 0

    @property
    def healthy(self) -> bool:
        """False once the last ``FAILING_AFTER`` sweeps all raised (``/readyz`` says so)."""
        return self.failures_in_a_row < FAILING_AFTER

    def start(self) -> None:
        self._scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self.interval),
            id=SWEEP_JOB,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(1, int(self.interval)),
            next_run_time=datetime.now(UTC),
        )
        self._scheduler.start()

    async def tick(self) -> SweepReport:
        """One sweep; never two at once in this process."""
        async with self._lock:
            started = time.perf_counter()
            try:
                report = await self.outbox.sweep()
            except Exception:  # logged, and the next tick carries on: claimed rows are leased
                self.failures_in_a_row += 1
                log.exception("sweep failed (%d in a row)", self.failures_in_a_row)
                return SweepReport()
            self.failures_in_a_row = 0
            metrics.observe_sweep(asdict(report), time.perf_counter() - started)
        if report.claimed:
            log.info(
                "sweep: %d claimed, %d sent, %d dropped, %d deferred, %d retried, %d failed, "
                "%d not composed",
                report.claimed,
                report.sent,
                report.dropped,
                report.deferred,
                report.retried,
                report.failed,
                report.broken,
            )
        return report

    async def stop(self, grace: float = 8.0) -> None:
        """Stop waking up, and let a sweep in progress finish (within ``grace`` seconds):
        cancelling one mid-write would leave its connection in an unknown state. A sweep
        that overruns is abandoned; its claimed rows are taken over after their lease."""
        if not self._scheduler.running:
            return
        self._scheduler.pause()
        try:
            await asyncio.wait_for(self._lock.acquire(), grace)
            self._lock.release()
        except TimeoutError:
            log.warning("a sweep was still running at shutdown; its reminders will be retried")
        self._scheduler.shutdown(wait=False)


async def run_until(outbox: Outbox, clock: SimulatedClock, target: datetime) -> None:
    """Move a simulated clock to ``target``, sweeping at every moment something falls due
    and at every UTC midnight (when the day's recurring nudges are planned), in time
    order — what the scheduler would have done in that span."""
    await outbox.sweep()
    while True:
        due = await outbox.next_due()
        next_day = clock.now().date() + timedelta(days=1)
        midnight = datetime.combine(next_day, datetime.min.time(), tzinfo=UTC)
        step = min(due, midnight) if due is not None else midnight
        if step > target:
            break
        if step > clock.now():
            clock.set(step)
        await outbox.sweep()
    clock.set(target)
    await outbox.sweep()
