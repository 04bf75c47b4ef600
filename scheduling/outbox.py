"""Delivery of planned nudges: claim what is due, send it, mark it — never lose or repeat one.

A sweep claims due rows (``scheduling/claims.py``: ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so several replicas share the work without overlap), asks
``bot/nudges/decide.py`` what to do for each member — drop, defer past quiet hours,
retry, fail, or send one message — and sends with ``concurrency`` workers.

Three promises shape it:

- **Isolation.** Each member's message and each group's digest is composed on its own:
  one that raises (a corrupt row) is recorded on its nudges, retried with back-off a
  bounded number of times, counted (``broken``), and the sweep goes on.
- **The lease holds per delivery.** Before each send, a worker whose claim is older
  than half the lease renews the batch's outstanding claims, and only where they still
  carry its token; a message whose rows another replica took over is not sent.
- **Unknown outcomes are asked about.** A claim whose lease ran out, or a send that timed
  out, is "in doubt": the platform is asked (``Notifier.was_delivered``) before sending.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot import dates
from bot.clock import Clock
from bot.commands.posts import post_reply
from bot.dates import local_today
from bot.models import Group, Member, Nudge, Workspace
from bot.nudges import compose as composing
from bot.nudges import decide, recurring
from bot.ports import DeliveryFailed, Notifier
from bot.replies import Reply, Visibility
from bot.services import zones as zoning
from bot.storage.writer import Writer
from scheduling import claims as sql
from scheduling import posts
from scheduling.claims import Claim, Lease, Sessions, Writes

log = logging.getLogger("peerpath.outbox")
DEFAULT_LEASE = timedelta(seconds=300)


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
    broken: int = 0  # members or digests whose message could not be composed
    taken_over: int = 0  # claimed, then lost to another sweep before sending
    errors: list[str] = field(default_factory=list)

    def count(self, decision: decide.Decision) -> None:
        self.dropped += len(decision.dropped)
        self.failed += len(decision.failed)
        self.deferred += len(decision.deferred)
        self.retried += len(decision.retried)


@dataclass
class Outgoing:
    """One member's message (or one group's post), composed and ready to send."""

    member_id: int | None  # None for a post in a group's channel
    notifier: Notifier
    workspace_id: str
    target_id: str  # the member's user id, or the group's channel id
    message: Reply
    nudges: list[Any]  # claimed rows (``claims.CLAIMED``)
    to_channel: bool = False
    in_doubt: set[int] = field(default_factory=set)
    reopens: bool = False  # tried although the member's DMs were recorded closed

    @property
    def ids(self) -> list[int]:
        return [n.id for n in self.nudges]


class Outbox:
    """Sends due nudges through the notifier of each workspace's platform."""

    def __init__(
        self,
        sessions: Sessions,
        clock: Clock,
        default_tz: str,
        notifiers: Mapping[str, Notifier],
        *,
        lease: timedelta = DEFAULT_LEASE,
        batch: int = 1000,
        concurrency: int = 20,
        writer: Writer | None = None,
        retention: timedelta = recurring.RETENTION,
    ) -> None:
        """``writer``: the turns to write that commands take too (the app's, on SQLite);
        without one, the outbox's writes take turns among themselves."""
        self.sessions = sessions
        self.clock = clock
        self.default_tz = default_tz
        self.notifiers = dict(notifiers)
        self.lease, self.retention = lease, retention
        self.batch, self.concurrency = batch, concurrency
        self.writer = writer or Writer(single=True)
        self._delivered: list[Outgoing] = []  # delivered, not yet marked sent
        self._recording = False  # a worker is marking deliveries sent

    async def sweep(self) -> SweepReport:
        """Deliver everything due now; returns what happened."""
        report = SweepReport()
        now = self.clock.now()
        try:
            async with self.writer.turn(), self.sessions() as session, session.begin():
                await recurring.plan_day(session, now, self.default_tz, self.retention)
        except Exception as error:  # what is planned already still goes out
            report.broken += 1
            log.warning("today's recurring reminders not planned: %s", type(error).__name__)
        while True:
            async with self.writer.turn():
                claims, more = await sql.claim(self.sessions, now, self.lease, self.batch)
            report.claimed += len(claims)
            outgoing = await self._decide(claims, now, report)
            held = Lease(self.sessions, now, self.lease, {i for o in outgoing for i in o.ids})
            await self._send_all(held, outgoing, now, report)
            if not more:
                return report

    async def next_due(self) -> datetime | None:
        """When the next pending nudge falls due (the console steps its clock through these)."""
        return await sql.next_due(self.sessions)

    async def _decide(
        self, claims: list[Claim], now: datetime, report: SweepReport
    ) -> list[Outgoing]:
        """Drop what no longer applies, defer what falls in quiet hours, and compose one
        message per member (and one post per group digest) for the rest — each member on
        its own, so one that cannot be composed holds up nobody else."""
        if not claims:
            return []
        writes = Writes()
        outgoing: list[Outgoing] = []
        by_member: dict[int | None, list[Any]] = defaultdict(list)
        for claim in claims:
            if claim.nudge.kind in composing.KNOWN_KINDS:
                by_member[claim.nudge.member_id].append(claim.nudge)
            else:  # e.g. written by a newer release during a rolling deploy
                log.warning("dropped nudge %s: unknown kind %r", claim.nudge.key, claim.nudge.kind)
                self._apply(
                    decide.Decision(dropped=[(claim.nudge, "unknown kind")]), writes, report
                )
        posts = by_member.pop(None, [])
        in_doubt = {c.nudge.id for c in claims if c.in_doubt}
        for member, decision in await self._members(by_member, now):
            if decision.error:
                report.broken += 1
                log.warning("reminders for member %s not composed: %s", member.id, decision.error)
            self._apply(decision, writes, report)
            if decision.message is not None:
                notifier = self.notifiers[member.platform]
                outgoing.append(
                    Outgoing(
                        member_id=member.id,
                        notifier=notifier,
                        workspace_id=member.external_id,
                        target_id=member.user_id,
                        message=decision.message,
                        nudges=decision.sending,
                        in_doubt={n.id for n in decision.sending} & in_doubt,
                        reopens=decision.reopens,
                    )
                )
        for post in posts:
            message = await self._digest(post, now, writes, report)
            if message is not None:
                message.in_doubt = {post.id} & in_doubt
                outgoing.append(message)
        async with self.writer.turn(), self.sessions() as session, session.begin():
            await writes.write(await session.connection(), now)
        return outgoing

    async def _members(
        self, by_member: dict[int | None, list[Any]], now: datetime
    ) -> list[tuple[Any, decide.Decision]]:
        """Each member's decision. Their rows and zones are read for all at once; what
        their reminders talk about too, unless that fails — then member by member, each in
        a session of its own (a database error spoils the transaction it happened in)."""
        if not by_member:
            return []
        async with self.sessions() as session:
            connection = await session.connection()
            found = await connection.execute(sql.RECIPIENTS.where(Member.id.in_(list(by_member))))
            people = {m.id: m for m in found}
            homes = await zoning.home_zones(session, [m for m in people.values() if not m.tz])
            zones: dict[int, ZoneInfo] = {}
            decided: list[tuple[Any, decide.Decision]] = []
            for member_id, nudges in by_member.items():
                member = people.get(member_id)
                if member is None:
                    continue  # removed meanwhile: its nudges went with it
                try:
                    zones[member.id] = zoning.member_zone(
                        member.tz, homes.get(member.id), self.default_tz
                    )
                except Exception as error:  # e.g. a zone name no longer known
                    decided.append((member, decide.broken(nudges, error, now)))
            ready = {m: people[m] for m in zones}
            try:
                shared = await self._facts(session, by_member, ready, zones, now)
            except Exception as error:
                log.warning(
                    "reminder facts not read at once (%s): member by member", type(error).__name__
                )
                shared = None
        for member_id, member in ready.items():
            nudges = by_member[member_id]
            try:
                facts = shared
                if facts is None:
                    async with self.sessions() as session:
                        facts = await self._facts(
                            session, {member_id: nudges}, {member_id: member}, zones, now
                        )
                with dates.today_is(local_today(now, zones[member_id])):
                    decision = decide.for_member(
                        member,
                        nudges,
                        facts,
                        zones[member_id],
                        now,
                        member.platform in self.notifiers,
                    )
            except Exception as error:
                decision = decide.broken(nudges, error, now)
            decided.append((member, decision))
        return decided

    @staticmethod
    async def _facts(
        session: Any,
        by_member: Mapping[int | None, list[Any]],
        people: dict[int, Any],
        zones: dict[int, ZoneInfo],
        now: datetime,
    ) -> composing.Facts:
        nudges = (n for m, ns in by_member.items() if m in people for n in ns)
        return await composing.load_facts(session, nudges, zones, people, now)

    async def _digest(
        self, nudge: Any, now: datetime, writes: Writes, report: SweepReport
    ) -> Outgoing | None:
        """A group's post (its weekly digest, a member's win or shared plan) in its channel —
        unless a week late. Read in a session of its own: one group's failure spoils no other's."""
        try:
            async with self.sessions() as session:
                group = await session.get(Group, nudge.group_id)
                workspace = await session.get(Workspace, nudge.workspace_id)
                notifier = self.notifiers.get(workspace.platform) if workspace else None
                present = group is not None and notifier is not None
                dropped = decide.for_post(nudge, now, present, workspace)
                if dropped is not None:
                    self._apply(dropped, writes, report)
                    return None
                with dates.today_is(local_today(now, ZoneInfo(group.tz))):
                    message = await post_reply(session, group, nudge, now)
            await posts.after(self, nudge, now)
            if message is None:  # e.g. the member whose win it was is gone, a plan unshared
                return self._apply(decide.Decision(dropped=[(nudge, "gone")]), writes, report)
        except Exception as error:
            report.broken += 1
            log.warning("post for group %s not composed: %s", nudge.group_id, type(error).__name__)
            self._apply(decide.broken([nudge], error, now), writes, report)
            return None
        message.visibility = Visibility.PUBLIC  # a post in a channel is public
        return Outgoing(
            member_id=None,
            notifier=notifier,
            workspace_id=workspace.external_id,
            target_id=group.channel_id,
            to_channel=True,
            message=message,
            nudges=[nudge],
        )

    @staticmethod
    def _apply(decision: decide.Decision, writes: Writes, report: SweepReport) -> None:
        for nudge, why in decision.dropped:
            log.debug("dropped nudge %s: %s", nudge.key, why)
        writes.add(decision)
        report.count(decision)

    async def _send_all(
        self, held: Lease, outgoing: list[Outgoing], now: datetime, report: SweepReport
    ) -> None:
        """Send every message (unless a claim in doubt shows it already went out), at most
        ``concurrency`` at once: that many workers take the messages in turn."""
        waiting = iter(outgoing)

        async def worker() -> None:
            for out in waiting:
                # Renewed before it is half a lease old; False: another sweep took it over.
                if not await held.holds(out.ids, self.clock.now(), self.writer):
                    report.taken_over += len(out.nudges)
                    log.info("claim on %d nudges taken over; not sending", len(out.nudges))
                    continue
                # Platform calls run in a task of their own: an HTTP client's timeout cancels
                # the task it was started from, and must never hit the bookkeeping below.
                if await asyncio.create_task(self._deliver(out, report)):
                    await self._record_sent(out, held, now, report)
                else:
                    held.settled(out.ids)

        await asyncio.gather(*(worker() for _ in range(min(self.concurrency, len(outgoing)))))

    async def _deliver(self, out: Outgoing, report: SweepReport) -> bool:
        report.messages += 1
        keys = [n.key for n in out.nudges]
        try:
            for nudge in (n for n in out.nudges if n.id in out.in_doubt):
                found = await out.notifier.was_delivered(out.workspace_id, out.target_id, nudge.key)
                if found is None:  # the platform would not say: never take it for "not sent"
                    raise DeliveryFailed("could not check whether it went out", in_doubt=True)
                if found:
                    log.info("nudge %s was delivered before; not sending again", nudge.key)
                    return True
            send = out.notifier.post_channel if out.to_channel else out.notifier.send_dm
            await send(out.workspace_id, out.target_id, out.message, keys)
        except DeliveryFailed as failure:
            await self._failed(out, failure, report)
            return False
        except Exception as error:  # a notifier bug must not stop the sweep: retry later
            log.exception("unexpected error delivering to member %s", out.member_id)
            await self._failed(out, DeliveryFailed(f"unexpected: {type(error).__name__}"), report)
            return False
        return True

    async def _record_sent(
        self, out: Outgoing, held: Lease, now: datetime, report: SweepReport
    ) -> None:
        """Mark a delivered message's nudges sent at once (a crash then repeats nothing).
        One worker writes at a time; what is delivered meanwhile its next round marks (group
        commit): SQLite's single writer is no bottleneck, the others go back to sending."""
        self._delivered.append(out)
        if self._recording:
            return
        self._recording = True
        try:
            while self._delivered:
                batch, self._delivered = self._delivered, []
                ids = [i for message in batch for i in message.ids]
                reopened = [m.member_id for m in batch if m.reopens and m.member_id]
                async with self.writer.turn(), self.sessions() as session, session.begin():
                    await sql.mark_sent(await session.connection(), ids, reopened, now)
                    for message in batch:
                        if any(n.kind in composing.AFTER_SENT for n in message.nudges):
                            await self._after_sent(session, message, now)
                held.settled(ids)
                report.sent += len(ids)
        finally:
            self._recording = False

    async def _after_sent(self, session: Any, out: Outgoing, now: datetime) -> None:
        member = await session.get(Member, out.member_id) if out.member_id else None
        if member is None:
            return
        for nudge in await session.scalars(select(Nudge).where(Nudge.id.in_(out.ids))):
            await composing.on_sent(session, nudge, member, now)

    async def _failed(self, out: Outgoing, failure: DeliveryFailed, report: SweepReport) -> None:
        """Record a failed delivery as :func:`decide.after_failure` says."""
        report.errors.append(failure.reason)
        decision = decide.after_failure(out.nudges, failure, self.clock.now())
        if decision.failed:
            log.warning(
                "giving up on %d nudges %s: %s",
                len(out.nudges),
                "to a channel" if out.member_id is None else f"for member {out.member_id}",
                failure.reason,
            )
        writes = Writes()
        self._apply(decision, writes, report)
        if decision.closes and out.member_id is not None:
            writes.closed.add(out.member_id)
        async with self.writer.turn(), self.sessions() as session, session.begin():
            await writes.write(await session.connection(), self.clock.now())
