"""Faults survived: the database going away (refused, or cut mid-command) and the platform
answering with errors and rate limits.

The outage is real: PostgreSQL is reached through a TCP proxy on 127.0.0.1 that this
test runs and can cut (closing every connection and refusing new ones) and restore on
the same port. A cut in the middle of a command — just as it sends its reminder rows —
must leave nothing of that command behind; once the database is back, the same command
works and is recorded once.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.app import UNAVAILABLE, Peerpath
from bot.clock import SimulatedClock
from bot.commands.catalog import build_registry
from bot.config import Settings
from bot.context import Context
from bot.models import Contact, Interview, Nudge, NudgeStatus
from bot.ports import DeliveryFailed
from bot.registry import Command
from bot.replies import Reply
from bot.storage import db
from scheduling.runner import run_until
from tests.support import (
    NO_POSTGRES,
    POSTGRES_URL,
    Person,
    RecordingNotifier,
    core,
    count,
    outbox,
    postgres_schema,
)


class CuttableProxy:
    """Forwards TCP from a loopback port to ``target``; :meth:`cut` drops every connection
    and stops listening, :meth:`restore` listens again on the same port.

    ``cut_on`` makes the proxy cut itself the moment a client sends bytes containing it.
    """

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.cut_on: bytes | None = None
        self.tripped = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def restore(self) -> None:
        self.cut_on = None
        await self.start()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))
        await asyncio.gather(
            self._pipe(reader, up_writer, watch=True),
            self._pipe(up_reader, writer, watch=False),
            return_exceptions=True,
        )

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, watch: bool
    ) -> None:
        try:
            while data := await reader.read(65536):
                if watch and self.cut_on is not None and self.cut_on in data:
                    self.tripped.set()
                    await self.cut()
                    return
                writer.write(data)
                await writer.drain()
        finally:
            writer.transport.abort()
            self._writers.discard(writer)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_a_database_that_refuses_connections_gets_a_clear_answer(
    clock: SimulatedClock,
) -> None:
    url = f"postgresql+asyncpg://peerpath@127.0.0.1:{closed_port()}/peerpath"
    settings = Settings(DATABASE_URL=url)
    app = Peerpath(settings, clock, build_registry(), db.create_engine(url))
    try:
        ann = Person(app, "ann")
        for line in ('/outreach "Jane Doe"', "/pending", "/mystats"):
            assert await ann.say(line) is UNAVAILABLE, line
        assert await ann.press("thanked:1") is UNAVAILABLE
        assert await app.contact_names(ann.invocation(), "J") == []
    finally:
        await app.close()


async def test_a_command_that_waits_too_long_for_the_database_gets_a_clear_answer(
    clock: SimulatedClock, tmp_path: Path
) -> None:
    """SQLite's one connection, held elsewhere past the wait allowed: "temporarily
    unavailable", nothing written, and the next command works."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    engine = db.create_engine(url, pool_timeout=0.2)
    await db.upgrade(engine)
    app = Peerpath(Settings(DATABASE_URL=url), clock, build_registry(), engine)
    ann = Person(app, "ann")
    try:
        async with engine.connect():  # the process's one connection, busy
            assert await ann.say('/outreach "Jane Doe"') is UNAVAILABLE
        async with app.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Contact)) == 0
        assert (await ann.say('/outreach "Jane Doe"')).title == "Outreach logged"
    finally:
        await app.close()


async def test_commands_queued_behind_a_slow_one_take_turns_or_hear_it_is_busy(
    clock: SimulatedClock, tmp_path: Path
) -> None:
    """On SQLite, units of work take the one connection in turn. One waiting longer than
    the pool would wait hears "temporarily unavailable" and writes nothing; the ones still
    queued when the slow one ends run, in the order they came."""
    url = f"sqlite:///{tmp_path / 'turns.db'}"
    engine = db.create_engine(url, pool_timeout=0.2)
    await db.upgrade(engine)
    registry = build_registry()
    entered, release = asyncio.Event(), asyncio.Event()

    async def slow(ctx: Context, args: dict[str, object]) -> Reply:
        entered.set()
        await release.wait()
        return Reply(text="done")

    registry.add(Command("slow", "Holds the database until released.", slow))
    app = Peerpath(Settings(DATABASE_URL=url), clock, registry, engine)
    ann, bob = Person(app, "ann"), Person(app, "bob")
    try:
        holder = asyncio.create_task(ann.say("/slow"))
        await entered.wait()
        assert await bob.say('/outreach "Jane Doe"') is UNAVAILABLE  # waited 0.2 s
        queued = [asyncio.create_task(bob.say(f'/outreach "Contact {n}"')) for n in range(3)]
        release.set()
        assert (await holder).text == "done"
        assert [(await task).title for task in queued] == ["Outreach logged"] * 3
        async with app.sessions() as session:
            names = await session.scalars(select(Contact.name).order_by(Contact.id))
            assert list(names) == ["Contact 0", "Contact 1", "Contact 2"]
    finally:
        await app.close()


@pytest.fixture
async def outage(
    clock: SimulatedClock, tmp_path: Path
) -> AsyncIterator[tuple[Peerpath, CuttableProxy]]:
    """A core on PostgreSQL reached through a proxy the test can cut."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    real = make_url(POSTGRES_URL)
    proxy = CuttableProxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    proxied = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    async with (
        postgres_schema(POSTGRES_URL) as kwargs,
        core(proxied, clock, tmp_path, **kwargs) as app,
    ):
        yield app, proxy
    await proxy.cut()


async def test_an_outage_mid_command_writes_nothing_and_service_resumes(outage) -> None:
    app, proxy = outage
    ann = Person(app, "ann")
    assert not (await ann.say('/outreach "Warm Up"')).is_error
    contacts_before = await count(app, Contact)
    line = '/logged-interview "Jane Doe" referrals="Bob Lee; Ann Wu" notes="went well"'
    # The first interview insert on this connection: its contacts are already written.
    proxy.cut_on = b"INSERT INTO interviews"
    assert await ann.say(line) is UNAVAILABLE
    assert proxy.tripped.is_set()
    # While it is down: refused connections, the same clear answer, and the bot goes on.
    assert await ann.say("/pending") is UNAVAILABLE
    await proxy.restore()
    assert (await count(app, Contact), await count(app, Interview)) == (contacts_before, 0)
    retried = await ann.say(line)
    assert not retried.is_error, retried.text
    assert (await count(app, Contact), await count(app, Interview)) == (contacts_before + 3, 1)
    assert "Jane Doe" in str((await ann.say("/pending")).fields)


async def test_a_cut_between_commands_is_healed_by_the_next_one(outage) -> None:
    """Pooled connections killed while idle: the next command must not fail for it."""
    app, proxy = outage
    ann = Person(app, "ann")
    assert not (await ann.say('/outreach "Jane Doe"')).is_error
    await proxy.cut()
    await proxy.restore()
    answers = [await ann.say("/pending") for _ in range(3)]
    assert all(a is not UNAVAILABLE and not a.is_error for a in answers[1:]), answers
    assert not answers[-1].is_error


# ---- the platform failing -----------------------------------------------------------------


async def test_platform_errors_and_rate_limits_are_retried_and_nothing_is_lost(
    app: Peerpath, clock: SimulatedClock
) -> None:
    """Forty members each owed reminders; the platform throws 500s and 429s at random.
    Every reminder arrives exactly once, and never before the wait the platform asked for."""
    rng = random.Random(8)
    people = [Person(app, f"m{n}") for n in range(40)]
    for n, person in enumerate(people):
        await person.say(f'/logged-interview "Contact {n}" date=yesterday')
    notifier = AttemptLog(clock)
    for person in people:
        failures = [
            DeliveryFailed("HTTP 500", retry_after=None)
            if rng.random() < 0.5
            else DeliveryFailed("HTTP 429", retry_after=rng.choice((30.0, 600.0)))
            for _ in range(rng.randrange(0, 4))
        ]
        notifier.fail_next(person.name, *failures)
    sweeper = outbox(app, {"console": notifier})
    start = clock.now()
    await run_until(sweeper, clock, start + timedelta(days=10))
    async with app.sessions() as session:
        statuses = dict(
            (await session.execute(select(Nudge.status, func.count()).group_by(Nudge.status))).all()
        )
    assert set(statuses) <= {NudgeStatus.SENT.value, NudgeStatus.DROPPED.value}, statuses
    keys = notifier.keys()
    assert len(keys) == len(set(keys)) == statuses[NudgeStatus.SENT.value]
    for person in people:
        assert notifier.titles(person.name), f"{person.name} got nothing"
        assert not notifier.failures.get(person.name), "a scripted failure was never tried"
    for target, attempts in notifier.attempts.items():
        for (at, failure), (next_at, _) in zip(attempts, attempts[1:], strict=False):
            if failure is not None and failure.retry_after:
                assert next_at - at >= timedelta(seconds=failure.retry_after), target


class AttemptLog(RecordingNotifier):
    """Notes, per member, when each delivery was tried and the failure it met, if any."""

    def __init__(self, clock: SimulatedClock) -> None:
        super().__init__()
        self.clock = clock
        self.attempts: dict[str, list[tuple]] = {}

    async def _arrive(self, target: str, reply, keys) -> None:  # noqa: ANN001
        pending = self.failures.get(target)
        failure = pending[0] if pending else None
        self.attempts.setdefault(target, []).append((self.clock.now(), failure))
        await super()._arrive(target, reply, keys)
