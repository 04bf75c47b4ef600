"""The same command from the same member at the same moment is stored once — on SQLite,
and on PostgreSQL with two replicas (two cores on one schema) taking the copies at once."""

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import SimulatedClock
from bot.models import Contact, Interview, Outreach
from tests.ops.conftest import Database
from tests.support import START, Person, core, count

COPIES = 50
LINES = {
    Outreach: '/outreach "Jane Doe" company=Acme via=email',
    Interview: '/logged-interview "Jane Doe" company=Acme date=yesterday notes="asked about pay"',
}


@pytest.mark.parametrize("model", [Outreach, Interview], ids=["outreach", "logged-interview"])
async def test_fifty_identical_commands_at_once_store_one(
    database: Database, tmp_path: Path, model: type
) -> None:
    clock = SimulatedClock(START)
    replicas = 1 if database.url.startswith("sqlite") else 2
    async with AsyncExitStack() as stack:
        cores = [
            await stack.enter_async_context(core(database.url, clock, tmp_path, **database.engine))
            for _ in range(replicas)
        ]
        await Person(cores[0], "ann").say("/settings quiet=off")  # she exists beforehand
        people = [Person(cores[n % replicas], "ann") for n in range(COPIES)]
        replies = await asyncio.gather(*(person.say(LINES[model]) for person in people))
        stored = (await count(cores[0], model), await count(cores[0], Contact))
        titles = Counter(reply.title for reply in replies)
        # Minutes later a command like it is new again (here: a namesake at another employer,
        # named as someone new so nothing asks which Jane Doe is meant).
        clock.advance(timedelta(minutes=2))
        later = await people[0].say(
            LINES[model].replace('"Jane Doe" company=Acme', '"#new:Jane Doe" company=Initech')
        )
    assert stored == (1, 1), titles
    assert sum(1 for r in replies if r.title in ("Outreach logged", "Interview logged")) == 1, (
        titles
    )
    assert not any(r.title in ("Sorry", "Temporarily unavailable") for r in replies), titles
    assert later.title in ("Outreach logged", "Interview logged"), later.text


async def test_commands_that_store_nothing_are_answered_every_time(
    database: Database, tmp_path: Path
) -> None:
    """Reports (which may refresh a cache) and refusals claim no key: asked twice within the
    window, they are answered twice."""
    async with core(database.url, SimulatedClock(START), tmp_path, **database.engine) as app:
        ann = Person(app, "ann")
        await ann.say('/outreach "Jane Doe"')
        for line in ("/mystats", "/pending", "/leaderboard", '/outreach "Jo Roe" via=pigeon'):
            first, second = [await ann.say(line) for _ in range(2)]
            assert "Already done" not in second.text, line
            assert (first.title, first.is_error) == (second.title, second.is_error), line
