"""Answers owed to acknowledged Slack requests: the work after the 200.

Each listener acknowledges and returns (bolt answers Slack when it does), and the
rest — running the command, posting the answer to ``response_url`` — follows in a
task. Once Slack has its 200 it will not send the request again, so from then on
the answer is owed. Every follow-up therefore carries, as JSON, what another
process would need to finish it: the request itself until the core has answered,
then the rendered answer until it is posted, then nothing.

At shutdown :meth:`FollowUps.drain` waits for them within the budget, and
:meth:`FollowUps.hand_over` cancels what is still running and returns what is
still owed, for the core's inbox; the next start finishes it. A unit of work cut
short rolls back; one that had committed just before the cut is answered "Already
done" when run again (the request's receipt), never stored twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger("peerpath.slack")

Job = dict[str, Any]
# How long cancelled follow-ups get to roll back before their jobs are handed over.
CANCEL_WAIT = 0.5


class Owed:
    """What one acknowledged request is still owed: a job, or None once answered."""

    __slots__ = ("job",)

    def __init__(self, job: Job) -> None:
        self.job: Job | None = job


class FollowUps:
    """The follow-up tasks in flight, each with what it still owes."""

    def __init__(self) -> None:
        self._running: dict[asyncio.Task[None], Owed] = {}

    def __len__(self) -> int:
        return len(self._running)

    def start(self, owed: Owed, work: Coroutine[Any, Any, None], what: str) -> None:
        """Run ``work`` (which updates ``owed`` as it goes) once the listener has returned."""
        task = asyncio.ensure_future(_logged(work, what))
        self._running[task] = owed
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.pop(task, None)

    async def drain(self, seconds: float) -> None:
        """Wait up to ``seconds`` for every follow-up, those started meanwhile included."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while self._running and (left := deadline - loop.time()) > 0:
            await asyncio.wait(list(self._running), timeout=left)

    async def hand_over(self) -> list[Job]:
        """Cancel the follow-ups still running; the jobs they still owe."""
        running = list(self._running.items())
        for task, _ in running:
            task.cancel()
        if running:
            await asyncio.wait([task for task, _ in running], timeout=CANCEL_WAIT)
        return [owed.job for _, owed in running if owed.job is not None]


async def _logged(work: Coroutine[Any, Any, None], what: str) -> None:
    try:
        await work
    except Exception:
        log.exception("slack: answering %s failed", what)
