"""The outbox under bad rows and closed DMs: one member's trouble stays that member's, and a
member whose DMs were refused is asked again."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import ClientSession
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from adapters.http import OpsServer
from bot import metrics
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Group, Member, Nudge, NudgeStatus
from bot.nudges.timing import TIMINGS
from bot.ports import DeliveryFailed
from bot.storage import db
from scheduling.outbox import Outbox
from scheduling.runner import FAILING_AFTER, Scheduler
from tests.support import Person, RecordingNotifier, outbox


async def plant_zone(app: Peerpath, person: Person, tz: str) -> None:
    """A row no command would write (a zone unknown to this machine's tz database)."""
    async with app.sessions() as session, session.begin():
        await session.execute(update(Member).where(Member.user_id == person.name).values(tz=tz))


async def nudges_of(app: Peerpath, person: Person) -> list[Nudge]:
    async with app.sessions() as session:
        query = select(Nudge).join(Member, Member.id == Nudge.member_id)
        return list(await session.scalars(query.where(Member.user_id == person.name)))


async def test_a_bad_row_for_one_member_holds_up_nobody_else(
    app: Peerpath, clock: SimulatedClock
) -> None:
    """Eve (workspace "evil") has a corrupt row; Ann (another workspace) still gets her
    reminder in the same sweep, and Eve's is retried a bounded number of times."""
    eve, ann = Person(app, "eve", workspace="evil"), Person(app, "ann", workspace="acme")
    for person in (eve, ann):
        assert (await person.say('/logged-interview "Jane Doe"')).title == "Interview logged"
    await plant_zone(app, eve, "Mars/Base")
    clock.advance(timedelta(days=1))
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    broken_before = metrics.NUDGES.labels("broken")._value.get()
    report = await Scheduler(box).tick()
    assert notifier.titles("ann") == ["Thank-you note"]
    assert notifier.titles("eve") == [] and report.broken == 1
    assert metrics.NUDGES.labels("broken")._value.get() == broken_before + 1
    [held] = [n for n in await nudges_of(app, eve) if n.attempts]
    assert held.status == NudgeStatus.PENDING.value
    assert held.last_error == "could not compose: ZoneInfoNotFoundError"
    for _ in range(TIMINGS.max_attempts):
        clock.advance(TIMINGS.retry_max)
        await box.sweep()
    [held] = [n for n in await nudges_of(app, eve) if n.id == held.id]
    assert (held.status, held.attempts) == (NudgeStatus.FAILED.value, TIMINGS.max_attempts)
    await plant_zone(app, eve, "Europe/Berlin")  # repaired: Eve's next reminders go out
    clock.advance(timedelta(days=6))
    await box.sweep()
    assert notifier.titles("eve")


async def test_a_digest_that_cannot_be_composed_holds_up_no_member(
    app: Peerpath, clock: SimulatedClock
) -> None:
    """A group whose row went bad after its Monday digest was planned: the digest (and the
    day's planning) fail on their own; a member of another workspace gets her reminder."""
    coach = Person(app, "coach", workspace="evil", is_admin=True)
    assert (await coach.say("/group-setup tz=Europe/Berlin")).title == "Group created"
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    clock.set(clock.now().replace(day=23, hour=0, minute=30))  # Monday: its digest is planned
    await box.sweep()
    ann = Person(app, "ann", workspace="acme")
    await ann.say("/settings quiet=off")
    await ann.say('/logged-interview "Jane Doe"')
    async with app.sessions() as session, session.begin():
        await session.execute(update(Group).values(tz="Mars/Base"))
    clock.advance(timedelta(days=1, minutes=1))
    report = await box.sweep()
    assert notifier.titles("ann") == ["Thank-you note"] and notifier.titles("#general") == []
    assert report.broken >= 2  # the day's planning and the digest
    async with app.sessions() as session:
        digest = await session.scalar(select(Nudge).where(Nudge.member_id.is_(None)))
    assert digest.last_error.startswith("could not compose") and digest.status == "pending"


async def test_readyz_reports_sweeps_that_keep_failing(
    app: Peerpath, clock: SimulatedClock, tmp_path
) -> None:
    """A database without its tables (never migrated): every sweep raises; after
    ``FAILING_AFTER`` in a row, /readyz says so with 503; one good sweep clears it."""
    bare = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'bare.db'}")
    failing = Outbox(async_sessionmaker(bare, expire_on_commit=False), clock, "UTC", {})
    scheduler = Scheduler(failing)
    server = OpsServer(app, "127.0.0.1", 0)
    server.check("reminders", lambda: scheduler.healthy, "sweeps failing")
    await server.start()
    try:
        async with ClientSession() as http:
            ready = f"http://127.0.0.1:{server.port}/readyz"
            for _ in range(FAILING_AFTER - 1):
                await scheduler.tick()
            assert (await http.get(ready)).status == 200
            await scheduler.tick()
            answer = await http.get(ready)
            assert answer.status == 503 and "reminders: sweeps failing" in await answer.text()
            scheduler.outbox = outbox(app, {})
            await scheduler.tick()
            assert (await http.get(ready)).status == 200
    finally:
        await server.stop()
        await bare.dispose()


async def closed(app: Peerpath, person: Person) -> object:
    async with app.sessions() as session:
        return await session.scalar(
            select(Member.dm_closed_at).where(Member.user_id == person.name)
        )


async def test_closed_dms_are_asked_again_after_the_member_uses_a_command(
    ann: Person, clock: SimulatedClock
) -> None:
    notifier = RecordingNotifier()
    box = outbox(ann.app, {"console": notifier})
    notifier.fail_next("ann", DeliveryFailed("closed DMs (403/50007)", permanent=True))
    await ann.say('/logged-interview "Jane Doe"')
    clock.advance(timedelta(days=1))
    await box.sweep()
    assert notifier.received == [] and await closed(ann.app, ann) is not None
    told = await ann.say("/pending")
    assert any(f.name == "Reminders can't reach you" for f in told.fields)
    assert await closed(ann.app, ann) is None
    clock.advance(timedelta(days=5))  # "due tomorrow": tried, and the DMs are open now
    await box.sweep()
    assert notifier.titles("ann") == ["Thank-you note"]


async def test_turning_reminders_on_asks_again(ann: Person, clock: SimulatedClock) -> None:
    notifier = RecordingNotifier()
    notifier.fail_next("ann", DeliveryFailed("closed DMs", permanent=True))
    await ann.say('/logged-interview "Jane Doe"')
    clock.advance(timedelta(days=1))
    await outbox(ann.app, {"console": notifier}).sweep()
    assert (await ann.say("/settings reminders=on")).is_error is False
    assert await closed(ann.app, ann) is None


async def test_closed_dms_are_tried_again_a_week_on_without_any_command(
    app: Peerpath, clock: SimulatedClock
) -> None:
    """Closed 8 days ago: today's reminder is tried (and gets through, clearing the state).
    Closed yesterday: it is settled without a try."""
    ann, ben = Person(app, "ann"), Person(app, "ben")
    for person in (ann, ben):
        await person.say('/logged-interview "Jane Doe"')
    clock.advance(timedelta(days=1))
    async with app.sessions() as session, session.begin():
        for person, ago in ((ann, timedelta(days=8)), (ben, timedelta(days=1))):
            await session.execute(
                update(Member)
                .where(Member.user_id == person.name)
                .values(dm_closed_at=clock.now() - ago)
            )
    notifier = RecordingNotifier()
    notifier.fail_next("cid", DeliveryFailed("unused"))
    await outbox(app, {"console": notifier}).sweep()
    assert notifier.titles("ann") == ["Thank-you note"] and notifier.titles("ben") == []
    assert await closed(app, ann) is None and await closed(app, ben) is not None
    [bens] = [n for n in await nudges_of(app, ben) if n.attempts]
    assert (bens.status, bens.last_error) == (NudgeStatus.FAILED.value, "DMs closed")


async def test_a_week_on_a_refusal_again_restarts_the_week(
    ann: Person, clock: SimulatedClock
) -> None:
    await ann.say('/logged-interview "Jane Doe"')
    clock.advance(timedelta(days=1))
    async with ann.app.sessions() as session, session.begin():
        await session.execute(update(Member).values(dm_closed_at=clock.now() - timedelta(days=9)))
    notifier = RecordingNotifier()
    notifier.fail_next("ann", DeliveryFailed("closed DMs", permanent=True))
    await outbox(ann.app, {"console": notifier}).sweep()
    assert await closed(ann.app, ann) == clock.now()
