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
from zoneinfo import ZoneInfo

from sqlalchemy import Row, and_, bindparam, func, or_, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import Peerpath
from bot.commands.digest import digest_reply
from bot.models import Group, Member, Nudge, NudgeStatus, Workspace
from bot.nudges import compose as composing
from bot.nudges import recurring
from bot.nudges.timing import TIMINGS, backoff, next_allowed
from bot.ports import DeliveryFailed, Notifier
from bot.replies import Reply, Visibility
from bot.services import zones as zoning

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
    nudge: Row  # the columns in ``_CLAIMED``
    in_doubt: bool  # claimed before by a sweep that never finished: maybe sent already


# What a sweep reads of each due nudge. None of it changes once a nudge is planned (a
# snooze plans a new one), so what the claim read serves the whole sweep.
_CLAIMED = (
    Nudge.id,
    Nudge.member_id,
    Nudge.workspace_id,
    Nudge.group_id,
    Nudge.kind,
    Nudge.subject_id,
    Nudge.about_day,
    Nudge.key,
    Nudge.due_at,
    Nudge.status,
)
# Whom a member's message goes to, and through which platform. A sweep reads a thousand
# at once: plain columns cost a fraction of loading mapped objects.
_RECIPIENTS = select(
    Member.id,
    Member.workspace_id,
    Member.user_id,
    Member.display_name,
    Member.tz,
    Member.quiet_start,
    Member.quiet_end,
    Member.reminders_on,
    Member.dm_closed_at,
    Workspace.platform,
    Workspace.external_id,
).join(Workspace, Workspace.id == Member.workspace_id)
_NUDGES = Nudge.__table__
# What a sweep decided for nudges it will not send now, written in one statement each.
_SETTLE = (
    update(_NUDGES)
    .where(_NUDGES.c.id == bindparam("nudge_id"))
    .values(status=bindparam("new_status"), last_error=bindparam("why"))
)
_DEFER = (
    update(_NUDGES)
    .where(_NUDGES.c.id == bindparam("nudge_id"))
    .values(
        status=NudgeStatus.PENDING.value,
        next_at=bindparam("allowed"),
        attempts=_NUDGES.c.attempts - 1,  # a deferral is not a delivery attempt
    )
)


@dataclass
class Decisions:
    """The nudges a sweep will not send now: settled (dropped, failed) or deferred."""

    settled: list[dict] = field(default_factory=list)
    deferred: list[dict] = field(default_factory=list)

    def settle(self, nudges: list[Row], status: NudgeStatus, why: str, report: SweepReport) -> None:
        self.settled += [{"nudge_id": n.id, "new_status": status.value, "why": why} for n in nudges]
        if status is NudgeStatus.DROPPED:
            report.dropped += len(nudges)
        else:
            report.failed += len(nudges)

    def defer(self, nudges: list[Row], allowed: datetime, report: SweepReport) -> None:
        self.deferred += [{"nudge_id": n.id, "allowed": allowed} for n in nudges]
        report.deferred += len(nudges)

    async def write(self, session: AsyncSession) -> None:
        for statement, rows in ((_SETTLE, self.settled), (_DEFER, self.deferred)):
            if rows:
                await (await session.connection()).execute(statement, rows)


@dataclass
class Outgoing:
    """One member's message, composed and ready to send."""

    member_id: int | None  # None for a post in a group's channel
    notifier: Notifier
    workspace_id: str
    target_id: str  # the member's user id, or the group's channel id
    message: Reply
    nudges: list[tuple[int, str, str]]  # (id, key, kind)
    to_channel: bool = False
    in_doubt: set[int] = field(default_factory=set)


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
        self.lease = timedelta(seconds=app.settings.nudge_lease_seconds)
        # Writes after sending are serialized: SQLite has one writer, and each is one short UPDATE.
        self._writes = asyncio.Lock()
        self._delivered: list[Outgoing] = []  # delivered, not yet marked sent
        self._recording = False  # a worker is marking deliveries sent

    async def sweep(self) -> SweepReport:
        """Deliver everything due now; returns what happened."""
        report = SweepReport()
        now = self.app.clock.now()
        async with self.app.sessions() as session, session.begin():
            await recurring.plan_day(session, now, self.app.settings.default_tz)
        while True:
            claims, more = await self._claim(now)
            report.claimed += len(claims)
            outgoing = await self._decide(claims, now, report)
            await self._send_all(outgoing, now, report)
            if not more:
                return report

    async def next_due(self) -> datetime | None:
        """When the next pending nudge falls due (the console steps its clock through these)."""
        async with self.app.sessions() as session:
            return await session.scalar(
                select(func.min(Nudge.next_at)).where(Nudge.status == NudgeStatus.PENDING.value)
            )

    async def _claim(self, now: datetime) -> tuple[list[Claim], bool]:
        """Claim every due nudge of up to ``batch`` members (so each member gets one
        message), and of a batch of group posts. Returns the claims and whether more may
        be due.

        On PostgreSQL a sweep first takes its members (``FOR NO KEY UPDATE SKIP LOCKED`` on
        their rows, which does not block commands writing their logs), then all their due
        nudges: two sweeps never split one member's nudges between them, and only the
        owner of a member ever locks that member's nudges, so they cannot deadlock.
        """
        ways = (
            and_(Nudge.status == NudgeStatus.PENDING.value, Nudge.next_at <= now),
            and_(Nudge.status == NudgeStatus.SENDING.value, Nudge.claimed_at <= now - self.lease),
        )
        due = or_(*ways)
        # One SELECT per way a nudge is due, each a range of the (status, next_at) index:
        # written as one OR, SQLite chose to walk every member's nudges instead (0.3 s at
        # two million sent nudges, against 2 ms).
        waiting = union_all(
            *(
                select(Nudge.member_id, Nudge.next_at).where(way, Nudge.member_id.is_not(None))
                for way in ways
            )
        ).subquery()
        candidates = (
            select(waiting.c.member_id)
            .group_by(waiting.c.member_id)
            .order_by(func.min(waiting.c.next_at))
            .limit(self.batch)
        )
        posts = select(*_CLAIMED).where(due, Nudge.member_id.is_(None))
        posts = posts.order_by(Nudge.next_at).limit(self.batch)
        claiming = {
            "status": NudgeStatus.SENDING.value,
            "claimed_at": now,
            "attempts": _NUDGES.c.attempts + 1,
        }
        claims: list[Claim] = []
        # Plain connection statements: a thousand rows skip the ORM's per-row processing.
        async with self.app.sessions() as session, session.begin():
            connection = await session.connection()
            postgres = connection.dialect.name == "postgresql"
            members = list((await connection.scalars(candidates)).all())
            full = len(members) == self.batch
            if postgres and members:
                owned = select(Member.id).where(Member.id.in_(members))
                owned = owned.with_for_update(skip_locked=True, key_share=True)  # FOR NO KEY UPDATE
                members = list((await connection.scalars(owned)).all())
                posts = posts.with_for_update(skip_locked=True)
            if members:
                # Claimed and read in one statement per way. A nudge whose lease ran out was
                # claimed before by a sweep that never finished: it may have gone out. (Those
                # go first, while the fresh claims are not yet among the rows "sending".)
                whose = Nudge.member_id.in_(members)
                for way, in_doubt in ((ways[1], True), (ways[0], False)):
                    claimed = await connection.execute(
                        update(_NUDGES).where(way, whose).values(claiming).returning(*_CLAIMED)
                    )
                    claims += [Claim(row, in_doubt) for row in claimed]
            group_posts = list((await connection.execute(posts)).all())
            full = full or len(group_posts) == self.batch
            if group_posts:
                await connection.execute(
                    update(_NUDGES)
                    .where(_NUDGES.c.id.in_([p.id for p in group_posts]))
                    .values(claiming)
                )
                claims += [Claim(p, p.status == NudgeStatus.SENDING.value) for p in group_posts]
        return claims, full

    async def _decide(
        self, claims: list[Claim], now: datetime, report: SweepReport
    ) -> list[Outgoing]:
        """In one transaction: drop what no longer applies, defer what falls in quiet hours,
        and compose one message per member (and one post per group digest) for the rest."""
        if not claims:
            return []
        outgoing: list[Outgoing] = []
        decisions = Decisions()
        nudges: dict[int | None, list[Row]] = defaultdict(list)
        for claim in claims:
            if claim.nudge.kind in composing.KNOWN_KINDS:
                nudges[claim.nudge.member_id].append(claim.nudge)
            else:  # e.g. written by a newer release during a rolling deploy
                log.warning("dropped nudge %s: unknown kind %r", claim.nudge.key, claim.nudge.kind)
                decisions.settle([claim.nudge], NudgeStatus.DROPPED, "unknown kind", report)
        posts = nudges.pop(None, [])
        in_doubt = {c.nudge.id for c in claims if c.in_doubt}
        async with self.app.sessions() as session, session.begin():
            people = {}
            if nudges:
                connection = await session.connection()
                found = await connection.execute(_RECIPIENTS.where(Member.id.in_(list(nudges))))
                people = {m.id: m for m in found}
            zones = await zoning.zones_of(session, people.values(), self.app.settings.default_tz)
            facts = await composing.load_facts(
                session, (n for ns in nudges.values() for n in ns), zones, people, now
            )
            for member_id, member_nudges in nudges.items():
                member = people.get(member_id)
                if member is None:
                    continue
                message = self._compose_for(
                    member, member_nudges, facts, zones[member_id], now, report, decisions
                )
                if message is not None:
                    message.in_doubt = {n.id for n in member_nudges if n.id in in_doubt}
                    outgoing.append(message)
            for post in posts:
                message = await self._digest(session, post, now, report, decisions)
                if message is not None:
                    message.in_doubt = {post.id} & in_doubt
                    outgoing.append(message)
            await decisions.write(session)
        return outgoing

    async def _digest(
        self,
        session: AsyncSession,
        nudge: Row,
        now: datetime,
        report: SweepReport,
        decisions: Decisions,
    ) -> Outgoing | None:
        """A group's weekly digest, posted in its channel — unless it is a week late."""
        group = await session.get(Group, nudge.group_id)
        workspace = await session.get(Workspace, nudge.workspace_id)
        notifier = self.notifiers.get(workspace.platform) if workspace else None
        if group is None or notifier is None or now - nudge.due_at > TIMINGS.digest_stale:
            decisions.settle([nudge], NudgeStatus.DROPPED, "no longer applies", report)
            return None
        message = await digest_reply(session, group, now)
        message.visibility = Visibility.PUBLIC  # a post in a channel is public
        return Outgoing(
            member_id=None,
            notifier=notifier,
            workspace_id=workspace.external_id,
            target_id=group.channel_id,
            to_channel=True,
            message=message,
            nudges=[(nudge.id, nudge.key, nudge.kind)],
        )

    def _compose_for(
        self,
        member: Row,
        nudges: list[Row],
        facts: composing.Facts,
        tz: ZoneInfo,
        now: datetime,
        report: SweepReport,
        decisions: Decisions,
    ) -> Outgoing | None:
        """One member's message (``member`` is a row of ``_RECIPIENTS``), or None when
        nothing is to be sent now; ``decisions`` gets what happens to the rest."""
        notifier = self.notifiers.get(member.platform)
        if not member.reminders_on or notifier is None:
            why = "reminders are off" if notifier is not None else "no notifier"
            decisions.settle(nudges, NudgeStatus.DROPPED, why, report)
            return None
        if member.dm_closed_at is not None:
            decisions.settle(nudges, NudgeStatus.FAILED, "DMs closed", report)
            return None
        allowed = next_allowed(now, member, tz)
        if allowed > now:
            decisions.defer(nudges, allowed, report)
            return None
        redundant = composing.superseded(nudges)
        ready: list[tuple[Row, Reply]] = []
        for nudge in nudges:
            reply = None
            if nudge.id not in redundant:
                reply = composing.compose(nudge, member, facts, tz, now)
            if reply is None:
                why = "superseded" if nudge.id in redundant else "no longer applies"
                log.info("dropped nudge %s: %s", nudge.key, why)
                decisions.settle([nudge], NudgeStatus.DROPPED, why, report)
            else:
                ready.append((nudge, reply))
        if not ready:
            return None
        return Outgoing(
            member_id=member.id,
            notifier=notifier,
            workspace_id=member.external_id,
            target_id=member.user_id,
            message=composing.combine([reply for _, reply in ready]),
            nudges=[(n.id, n.key, n.kind) for n, _ in ready],
        )

    async def _send_all(self, outgoing: list[Outgoing], now: datetime, report: SweepReport) -> None:
        """Send every message (unless a claim in doubt shows it already went out), at most
        ``concurrency`` at once: that many workers take the messages in turn."""
        waiting = iter(outgoing)

        async def worker() -> None:
            for out in waiting:
                # Platform calls run in a task of their own: an HTTP client's timeout cancels
                # the task it was started from, and must never hit the bookkeeping below.
                if await asyncio.create_task(self._deliver(out, now, report)):
                    await self._record_sent(out, now, report)

        await asyncio.gather(*(worker() for _ in range(min(self.concurrency, len(outgoing)))))

    async def _deliver(self, out: Outgoing, now: datetime, report: SweepReport) -> bool:
        report.messages += 1
        try:
            for nudge_id, key, _ in out.nudges:
                if nudge_id in out.in_doubt and await out.notifier.was_delivered(
                    out.workspace_id, out.target_id, key
                ):
                    log.info("nudge %s was delivered before a crash; not sending again", key)
                    return True
            send = out.notifier.post_channel if out.to_channel else out.notifier.send_dm
            await send(
                out.workspace_id, out.target_id, out.message, [key for _, key, _ in out.nudges]
            )
        except DeliveryFailed as failure:
            await self._failed(out.member_id, [i for i, _, _ in out.nudges], failure, now, report)
            return False
        except Exception as error:  # a notifier bug must not stop the sweep: retry later
            log.exception("unexpected error delivering to member %s", out.member_id)
            failure = DeliveryFailed(f"unexpected: {error!r}")
            await self._failed(out.member_id, [i for i, _, _ in out.nudges], failure, now, report)
            return False
        return True

    async def _record_sent(self, out: Outgoing, now: datetime, report: SweepReport) -> None:
        """Mark a delivered message's nudges sent as soon as possible: a crash then repeats
        nothing. One worker at a time writes; messages delivered meanwhile are marked by
        its next round (group commit), so SQLite's single writer is not the bottleneck and
        the other workers go straight back to sending."""
        self._delivered.append(out)
        if self._recording:
            return
        self._recording = True
        try:
            while self._delivered:
                batch, self._delivered = self._delivered, []
                log.debug("marking %d messages sent", len(batch))
                ids = [i for message in batch for i, _, _ in message.nudges]
                async with self._writes, self.app.sessions() as session, session.begin():
                    await (await session.connection()).execute(
                        update(_NUDGES)
                        .where(_NUDGES.c.id.in_(ids))
                        .values(status=NudgeStatus.SENT.value, sent_at=now, last_error=None)
                    )
                    for message in batch:
                        if any(kind in composing.AFTER_SENT for _, _, kind in message.nudges):
                            await self._after_sent(session, message, now)
                report.sent += len(ids)
        finally:
            self._recording = False

    async def _after_sent(self, session: AsyncSession, out: Outgoing, now: datetime) -> None:
        member = await session.get(Member, out.member_id) if out.member_id else None
        if member is None:
            return
        ids = [i for i, _, _ in out.nudges]
        for nudge in await session.scalars(select(Nudge).where(Nudge.id.in_(ids))):
            await composing.on_sent(session, nudge, member, now)

    async def _failed(
        self,
        member_id: int | None,
        ids: list[int],
        failure: DeliveryFailed,
        now: datetime,
        report: SweepReport,
    ) -> None:
        """Permanent: record it (closed DMs) and stop. Transient: back off and retry."""
        report.errors.append(failure.reason)
        async with self._writes, self.app.sessions() as session, session.begin():
            nudges = list(await session.scalars(select(Nudge).where(Nudge.id.in_(ids))))
            give_up = failure.permanent or all(n.attempts >= TIMINGS.max_attempts for n in nudges)
            if give_up:
                log.warning(
                    "giving up on %d nudges for member %s: %s", len(ids), member_id, failure.reason
                )
                for nudge in nudges:
                    nudge.status, nudge.last_error = NudgeStatus.FAILED.value, failure.reason[:300]
                report.failed += len(nudges)
                if failure.permanent and member_id is not None:
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
