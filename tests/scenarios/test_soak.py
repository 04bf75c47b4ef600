"""A bounded soak: thousands of random commands from 500 members over simulated weeks,
then invariants checked against the raw tables.

``PEERPATH_SOAK_COMMANDS`` sets how many (default 1,500, half of that on PostgreSQL, where
each command costs twice as much: together about half a minute in CI;
the reported run uses 50,000). Members in two workspaces and four groups log outreach
and interviews, thank, schedule, decline, set goals, pause, change time zones, read
their lists and boards, and sometimes have a request delivered twice (a platform
retry with the same request id). Every few commands the clock moves on and the
reminder outbox runs (``run_until``) into a recording notifier. At the end:

- every logged outreach and interview is in its table exactly once, and nothing else is;
- every member's streak, as the boards show it (cache and all), equals its recount
  from the raw logs;
- every reminder that fell due was settled (sent, or dropped as no longer needed), and
  each one sent arrived exactly once.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import DUPLICATE, INTERNAL, Peerpath
from bot.clock import SimulatedClock
from bot.models import Contact, Interview, Member, Nudge, NudgeStatus, Outreach, Workspace
from bot.services import streak_cache
from bot.storage import db
from scheduling.runner import run_until
from tests.support import Person, RecordingNotifier, outbox

COMMANDS = int(os.environ.get("PEERPATH_SOAK_COMMANDS", "1500"))
MEMBERS = 500
WORKSPACES = ("soak-a", "soak-b")
CHANNELS = ("cohort-1", "cohort-2")
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC")
STEP = timedelta(hours=7)  # the clock moves this far 150 times: about six simulated weeks


class Soak:
    """The random members, and the model of what they logged successfully."""

    def __init__(self, app: Peerpath, rng: random.Random) -> None:
        self.app = app
        self.rng = rng
        self.people = [
            Person(app, f"m{n}", workspace=WORKSPACES[n % 2], channel=CHANNELS[n % 4 // 2])
            for n in range(MEMBERS)
        ]
        self.serial = 0
        self.outreach: Counter[tuple[str, str, str]] = Counter()
        self.interviews: Counter[tuple[str, str, str]] = Counter()
        self.open: dict[str, list[str]] = {}  # per member: contacts with an open request
        self.met: dict[str, list[str]] = {}  # per member: contacts met, maybe not thanked

    def name(self) -> str:
        self.serial += 1
        return f"Person {self.serial}"

    async def step(self) -> None:
        person = self.rng.choice(self.people)
        roll = self.rng.random()
        request = f"r{self.serial}-{roll}"
        if roll < 0.30:
            contact = self.name()
            line = f'/outreach "{contact}" company=Co{self.rng.randrange(50)}'
            if await self.logged(person, line, request):
                self.outreach[(person.workspace, person.name, contact)] += 1
                self.open.setdefault(person.name, []).append(contact)
        elif roll < 0.45:
            contacts = self.open.get(person.name) or [self.name()]
            contact = contacts.pop() if self.rng.random() < 0.5 and contacts else self.name()
            when = self.rng.choice(("today", "yesterday", "2 days ago"))
            line = f'/logged-interview "{contact}" date={when} referrals="{self.name()}"'
            if await self.logged(person, line, request):
                self.interviews[(person.workspace, person.name, contact)] += 1
                self.met.setdefault(person.name, []).append(contact)
        elif roll < 0.52 and self.met.get(person.name):
            await self.say(person, f'/thanked "{self.met[person.name].pop()}"')
        elif roll < 0.56:  # agreed at once: a contact and a request are logged with it
            contact = self.name()
            if await self.say(person, f'/scheduled "{contact}" date=friday', request):
                self.outreach[(person.workspace, person.name, contact)] += 1
                self.open.setdefault(person.name, []).append(contact)
        elif roll < 0.59 and self.open.get(person.name):
            await self.say(person, f'/declined "{self.open[person.name].pop()}"')
        elif roll < 0.63:
            outreach, interviews = self.rng.randrange(1, 6), self.rng.randrange(0, 3)
            await self.say(person, f"/goal outreach={outreach} interviews={interviews}")
        elif roll < 0.645:
            await self.say(person, f"/pause weeks={self.rng.choice((0, 1))}")
        elif roll < 0.66:
            await self.say(person, f"/settings tz={self.rng.choice(ZONES)}")
        elif roll < 0.68:
            await self.say(person, "/leaderboard view=streak")
        else:
            await self.say(person, self.rng.choice(("/pending", "/goal", "/thanked", "/join")))

    async def say(self, person: Person, line: str, request: str | None = None) -> bool:
        reply = await person.say(line, request_id=request)
        assert reply is not INTERNAL, line
        return not reply.is_error and reply is not DUPLICATE

    async def logged(self, person: Person, line: str, request: str) -> bool:
        """Run a logging command; sometimes the platform delivers it twice."""
        done = await self.say(person, line, request)
        if self.rng.random() < 0.05:
            again = await person.say(line, request_id=request)
            assert again is DUPLICATE or (not done and again.is_error), again.text
        return done


async def logged(
    session: AsyncSession, model: type[Outreach] | type[Interview]
) -> Counter[tuple[str, str, str]]:
    """(workspace, member, contact) of every row in ``model``, counted, from the raw tables."""
    rows = await session.execute(
        select(Workspace.external_id, Member.user_id, Contact.name)
        .select_from(model)
        .join(Contact, Contact.id == model.contact_id)
        .join(Member, Member.id == model.member_id)
        .join(Workspace, Workspace.id == model.workspace_id)
    )
    return Counter(tuple(row) for row in rows.all())


async def test_soak_keeps_every_invariant(app: Peerpath, clock: SimulatedClock) -> None:
    started = time.perf_counter()
    commands = COMMANDS if db.is_sqlite(app.engine) else COMMANDS // 2
    advance_every = max(commands // 150, 5)
    soak = Soak(app, random.Random(2026))
    notifier = RecordingNotifier()
    sweeper = outbox(app, {"console": notifier})
    for n in range(commands):
        await soak.step()
        if n % advance_every == advance_every - 1:
            await run_until(sweeper, clock, clock.now() + STEP)
    await run_until(sweeper, clock, clock.now() + timedelta(days=30))  # everything falls due

    async with app.sessions() as session:
        assert await logged(session, Outreach) == soak.outreach
        assert await logged(session, Interview) == soak.interviews

        everyone = list(await session.scalars(select(Member)))
        people = await streak_cache.clocked(session, everyone, clock.now(), "UTC")
        shown = await streak_cache.streaks(session, people, clock.now())
        for person in people:
            assert shown[person.member_id] == await streak_cache.recounted(session, person), person

        unsettled = await session.scalar(
            select(func.count())
            .select_from(Nudge)
            .where(
                Nudge.next_at <= clock.now(),
                Nudge.status.in_([NudgeStatus.PENDING.value, NudgeStatus.SENDING.value]),
            )
        )
        sent_keys = set(
            await session.scalars(select(Nudge.key).where(Nudge.status == NudgeStatus.SENT.value))
        )
    assert unsettled == 0
    delivered = notifier.keys()
    assert len(delivered) == len(set(delivered)), "a reminder was delivered twice"
    assert set(delivered) == sent_keys
    assert sum(soak.interviews.values()) > commands // 20 and sent_keys
    elapsed = time.perf_counter() - started
    print(f"soak: {commands} commands, {len(delivered)} reminders, {elapsed:.1f} s")
