"""A workspace that removed the app: kept for the retention days (whatever they are set
to), then deleted by the sweep with everything in it; a re-install in time keeps it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Interview, Member, Workspace
from tests.support import Person, RecordingNotifier, outbox


async def names(app: Peerpath) -> set[str]:
    async with app.sessions() as session:
        return set(await session.scalars(select(Workspace.external_id)))


async def test_kept_for_the_retention_then_deleted(app: Peerpath, clock: SimulatedClock) -> None:
    leaving = Person(app, "ann", workspace="harbor-bootcamp")
    staying = Person(app, "ben", workspace="summit-careers")
    for person in (leaving, staying):
        assert (await person.say('/logged-interview "Rosa Diaz"')).title == "Interview logged"
    app.settings.uninstalled_retention_days = 7
    box = outbox(app, {"console": RecordingNotifier()})

    await app.uninstalled("console", "harbor-bootcamp")
    clock.advance(timedelta(days=3))
    await app.uninstalled("console", "harbor-bootcamp")  # the first removal counts
    clock.advance(timedelta(days=4) - timedelta(seconds=1))
    await box.sweep()
    assert await names(app) == {"harbor-bootcamp", "summit-careers"}
    clock.advance(timedelta(seconds=1))
    await box.sweep()
    assert await names(app) == {"summit-careers"}
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Interview)) == 1
        assert await session.scalar(select(func.count()).select_from(Member)) == 1


async def test_a_reinstall_within_the_window_keeps_everything(
    app: Peerpath, clock: SimulatedClock
) -> None:
    ann = Person(app, "ann", workspace="harbor-bootcamp")
    await ann.say('/logged-interview "Rosa Diaz"')
    box = outbox(app, {"console": RecordingNotifier()})
    await app.uninstalled("console", "harbor-bootcamp")
    clock.advance(timedelta(days=29))
    await app.installed("console", "harbor-bootcamp")
    clock.advance(timedelta(days=60))
    await box.sweep()
    assert await names(app) == {"harbor-bootcamp"}
    assert "Rosa Diaz" in (await ann.say("/history")).text
