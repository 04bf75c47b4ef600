"""Delivery of planned nudges: claim what is due, send it, mark it — never lose or repeat one.

A sweep claims due rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several
replicas share the work without overlap) and marks them ``sending`` with a
lease. What happens next is decided per member, from the data as it is now:
dropped if it no longer makes sense, moved past quiet hours, or sent as one
message per member. A process that dies mid-sweep leaves its rows claimed; once
the lease runs out another sweep takes them over, asking the platform first
whether a message in doubt already went out.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import Peerpath
from bot.models import Member, Nudge, NudgeStatus, Workspace
from bot.nudges import compose as composing
from bot.nudges.timing import TIMINGS, backoff, next_allowed
from bot.ports import DeliveryFailed, Notifier
from bot.replies import Reply
from bot.services.members import member_zone

log = logging.getLogger("peerpath.outbox")


@dataclass
class SweepReport:
    """What one sweep did, for logs, metrics and tests."""

    claimed: int = 0
    messages: int = 0
    sent: int = 0
    dropped: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Claim:
    id: int
    member_id: int | None
    in_doubt: bool


class Outbox:
    """Sends due nudges through the notifier of each workspace's platform."""

    def __init__(
        self,
        app: Peerpath,
        notifiers: Mapping[str, Notifier],
        batch: int = 1000,
        concurrency: int = 20,
    ) -> None:
        self.app = app
        self.notifiers = dict(notifiers)
        self.batch = batch
        self.concurrency = concurrency

    async def sweep(self) -> SweepReport:
        """Deliver everything due now; returns what happened."""
        report = SweepReport()
        now = self.app.clock.now()
        gate = asyncio.Semaphore(self.concurrency)

        async def one(member_id: int, member_claims: list[Claim]) -> None:
            async with gate:
                await self._deliver(member_id, member_claims, now, report)

        while True:
            claims, more = await self._claim(now)
            report.claimed += len(claims)
            by_member: dict[int, list[Claim]] = defaultdict(list)
            for claim in claims:
                if claim.member_id is not None:
                    by_member[claim.member_id].append(claim)
            await asyncio.gather(*(one(m, c) for m, c in by_member.items()))
            if not more:
                return report

    async def next_due(self) -> datetime | None:
        """When the next pending nudge falls due (the console steps its clock through these)."""
        async with self.app.sessions() as session:
            return await session.scalar(
                select(func.min(Nudge.next_at)).where(Nudge.status == NudgeStatus.PENDING.value)
            )

    async def _claim(self, now: datetime) -> tuple[list[Claim], bool]:
        """Claim up to ``batch`` due nudges, plus every other due nudge of the same members
        (so each member gets one message). Returns the claims and whether more may be due."""
        due = or_(
            and_(Nudge.status == NudgeStatus.PENDING.value, Nudge.next_at <= now),
            and_(
                Nudge.status == NudgeStatus.SENDING.value, Nudge.claimed_at <= now - TIMINGS.lease
            ),
        )
        first = select(Nudge.id, Nudge.member_id, Nudge.status).where(due)
        first = first.order_by(Nudge.next_at).limit(self.batch)
        async with self.app.sessions() as session, session.begin():
            postgres = session.bind.dialect.name == "postgresql"
            if postgres:
                first = first.with_for_update(skip_locked=True)
            rows = list((await session.execute(first)).all())
            full = len(rows) == self.batch
            members = {r.member_id for r in rows}
            if members:
                rest = select(Nudge.id, Nudge.member_id, Nudge.status).where(
                    due, Nudge.member_id.in_(members), Nudge.id.not_in([r.id for r in rows])
                )
                if postgres:
                    rest = rest.with_for_update(skip_locked=True)
                rows += (await session.execute(rest)).all()
                await session.execute(
                    update(Nudge)
                    .where(Nudge.id.in_([r.id for r in rows]))
                    .values(
                        status=NudgeStatus.SENDING.value,
                        claimed_at=now,
                        attempts=Nudge.attempts + 1,
                    )
                )
        claims = [Claim(r.id, r.member_id, r.status == NudgeStatus.SENDING.value) for r in rows]
        return claims, full

    async def _deliver(
        self, member_id: int, claims: list[Claim], now: datetime, report: SweepReport
    ) -> None:
        """Decide, send and record one member's due nudges as a single message."""
        ids = [c.id for c in claims]
        in_doubt = {c.id for c in claims if c.in_doubt}
        async with self.app.sessions() as session, session.begin():
            member = await session.get(Member, member_id)
            nudges = list(await session.scalars(select(Nudge).where(Nudge.id.in_(ids))))
            if member is None:
                return
            workspace = await session.get(Workspace, member.workspace_id)
            notifier = self.notifiers.get(workspace.platform) if workspace else None
            tz = member_zone(member, self.app.settings.default_tz)
            if not member.reminders_on or notifier is None:
                why = "reminders are off" if notifier is not None else "no notifier"
                self._finish(nudges, NudgeStatus.DROPPED, now, why, report)
                return
            if member.dm_closed_at is not None:
                self._finish(nudges, NudgeStatus.FAILED, now, "DMs closed", report)
                return
            allowed = next_allowed(now, member, tz)
            if allowed > now:
                for nudge in nudges:
                    nudge.status, nudge.next_at = NudgeStatus.PENDING.value, allowed
                    nudge.attempts -= 1
                report.deferred += len(nudges)
                return
            ready: list[tuple[Nudge, Reply]] = []
            redundant = composing.superseded(nudges)
            for nudge in nudges:
                if nudge.id in redundant:
                    self._finish([nudge], NudgeStatus.DROPPED, now, "superseded", report)
                    continue
                if nudge.id in in_doubt and await notifier.was_delivered(
                    workspace.external_id, member.user_id, nudge.key
                ):
                    self._finish([nudge], NudgeStatus.SENT, now, None, report)
                    continue
                reply = await composing.compose(session, nudge, member, tz, now)
                if reply is None:
                    log.info("dropped nudge %s: it no longer applies", nudge.key)
                    self._finish([nudge], NudgeStatus.DROPPED, now, "no longer applies", report)
                else:
                    ready.append((nudge, reply))
            target = (workspace.external_id, member.user_id)
        if not ready:
            return
        message = composing.combine([reply for _, reply in ready])
        keys = [nudge.key for nudge, _ in ready]
        report.messages += 1
        try:
            await notifier.send_dm(*target, message, keys)
        except DeliveryFailed as failure:
            await self._failed(member_id, [n.id for n, _ in ready], failure, now, report)
            return
        async with self.app.sessions() as session, session.begin():
            sent_ids = [nudge.id for nudge, _ in ready]
            sent = list(await session.scalars(select(Nudge).where(Nudge.id.in_(sent_ids))))
            member = await session.get(Member, member_id)
            self._finish(sent, NudgeStatus.SENT, now, None, report)
            if member is not None:
                for nudge in sent:
                    await composing.on_sent(session, nudge, member, now)

    def _finish(
        self,
        nudges: list[Nudge],
        status: NudgeStatus,
        now: datetime,
        why: str | None,
        report: SweepReport,
    ) -> None:
        for nudge in nudges:
            nudge.status = status.value
            nudge.last_error = why
            if status is NudgeStatus.SENT:
                nudge.sent_at = now
        count = len(nudges)
        if status is NudgeStatus.SENT:
            report.sent += count
        elif status is NudgeStatus.DROPPED:
            report.dropped += count
        else:
            report.failed += count

    async def _failed(
        self,
        member_id: int,
        ids: list[int],
        failure: DeliveryFailed,
        now: datetime,
        report: SweepReport,
    ) -> None:
        """Permanent: record it (closed DMs) and stop. Transient: back off and retry."""
        report.errors.append(failure.reason)
        async with self.app.sessions() as session, session.begin():
            nudges = list(await session.scalars(select(Nudge).where(Nudge.id.in_(ids))))
            give_up = failure.permanent or all(n.attempts >= TIMINGS.max_attempts for n in nudges)
            if give_up:
                log.warning(
                    "giving up on %d nudges for member %s: %s", len(ids), member_id, failure.reason
                )
                self._finish(nudges, NudgeStatus.FAILED, now, failure.reason[:300], report)
                if failure.permanent:
                    await _record_closed_dms(session, member_id, now)
                return
            for nudge in nudges:
                wait = (
                    timedelta(seconds=failure.retry_after)
                    if failure.retry_after
                    else backoff(nudge.attempts)
                )
                nudge.status, nudge.next_at = NudgeStatus.PENDING.value, now + wait
                nudge.last_error = failure.reason[:300]
            report.retried += len(nudges)


async def _record_closed_dms(session: AsyncSession, member_id: int, now: datetime) -> None:
    member = await session.get(Member, member_id)
    if member is not None and member.dm_closed_at is None:
        member.dm_closed_at, member.dm_closed_told = now, False
