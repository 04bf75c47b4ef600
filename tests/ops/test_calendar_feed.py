"""/calendar's subscription link, served by the operations server: the member's own
calls, thank-you deadlines and 3B7 days, in their zone, following what they log; a
tampered or revoked link opens nothing, and no link shows another member's dates."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from icalendar import Calendar

from adapters.http import OpsServer
from bot.app import Peerpath
from bot.clock import SimulatedClock
from tests.support import Person


@pytest.fixture
async def server(app: Peerpath) -> AsyncIterator[OpsServer]:
    running = OpsServer(app, "127.0.0.1", 0)
    await running.start()
    app.settings.public_url = f"http://127.0.0.1:{running.port}/"
    yield running
    await running.stop()


async def fetch(url: str) -> tuple[int, str, bytes]:
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        return answer.status, answer.headers["Content-Type"], await answer.read()


async def link(person: Person) -> str:
    reply = await person.say("/calendar")
    assert reply.title == "Your calendar link", reply.text
    return reply.text.split()[0]


def events(body: bytes) -> dict[str, object]:
    """Each event of a feed by its summary."""
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


async def test_the_feed_lists_only_the_members_own_dates_in_their_zone(
    server: OpsServer, ann: Person, ben: Person
) -> None:
    """Ann (New York) has a call on Monday 23 November at 10:00, a request to Bob awaiting
    a reply (3B7 days Mon 23 and Fri 27 Nov) and a thank-you owed to Cy (due Tue 24 Nov);
    Ben's call with Zed is his alone."""
    await ann.say("/settings tz=America/New_York")
    await ann.say('/outreach "Jane Doe" company=Acme date=yesterday')
    scheduled = await ann.say('/scheduled "Jane Doe" date=2026-11-23 time=10:00')
    assert scheduled.attachment is not None
    await ann.say('/outreach "Bob Lee" company=Initech')
    await ann.say('/logged-interview "Cy Dunn" date=2026-11-17')
    await ben.say('/outreach "Zed Secret" company=Hidden')
    await ben.say('/scheduled "Zed Secret" date=2026-11-24 time=9:00')
    url = await link(ann)
    status, kind, body = await fetch(url)
    assert status == 200 and kind.startswith("text/calendar")
    found = events(body)
    assert set(found) == {
        "Informational interview: Jane Doe (Acme)",
        "3B7: no reply from Bob Lee? Ask a second person at Initech",
        "3B7: one polite follow-up to Bob Lee (Initech)",
        "Thank-you note due: Cy Dunn",
    }
    assert b"Zed" not in body and b"Hidden" not in body
    call = found["Informational interview: Jane Doe (Acme)"]
    start, end = call.decoded("DTSTART"), call.decoded("DTEND")
    assert start == datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    assert start.utcoffset() == timedelta(hours=-5) and end - start == timedelta(minutes=30)
    assert call["DTSTART"].params["TZID"] == "America/New_York"
    assert "ask for two more names" in str(call.decoded("DESCRIPTION"))
    assert "If you were in my position" in str(call.decoded("DESCRIPTION"))
    (alarm,) = call.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(days=-1)
    assert found["Thank-you note due: Cy Dunn"].decoded("DTSTART") == date(2026, 11, 24)
    second = found["3B7: no reply from Bob Lee? Ask a second person at Initech"]
    assert second.decoded("DTSTART") == date(2026, 11, 23)
    # It follows what is logged: the thank-you sent, its deadline leaves the feed.
    await ann.say('/thanked "Cy Dunn"')
    assert "Thank-you note due: Cy Dunn" not in events((await fetch(url))[2])
    # Ben's own link shows his call, none of Ann's.
    assert set(events((await fetch(await link(ben)))[2])) == {
        "Informational interview: Zed Secret (Hidden)"
    }


async def test_tampered_and_revoked_links_open_nothing(
    server: OpsServer, ann: Person, ben: Person
) -> None:
    await ann.say('/outreach "Jane Doe" company=Acme')
    url = await link(ann)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    payload, stamp, signature = token.split(".")
    # The first character: all its bits count (the last one's low bits are padding, so
    # changing it can leave the signature's bytes as they were).
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    base = url.rsplit("/", 1)[0]
    for wrong in (f"{payload}.{stamp}.{flipped}", f"{payload[:-2]}.{stamp}.{signature}", "x"):
        status, _, body = await fetch(f"{base}/{wrong}.ics")
        assert status == 403 and b"not valid" in body and b"Jane" not in body
    # Ben's link names Ben: its signature does not cover Ann's number.
    ben_token = (await link(ben)).rsplit("/", 1)[1]
    assert ben_token != token
    revoked = await ann.say("/calendar revoke")
    assert revoked.title == "Calendar link revoked"
    status, _, body = await fetch(url)
    assert status == 403 and b"revoked" in body
    fresh = await link(ann)
    assert fresh != url and (await fetch(fresh))[0] == 200
    assert (await fetch(f"{base}/{ben_token}"))[0] == 200  # Ben's own link is untouched


async def test_without_a_public_address_calendar_says_who_can_fix_it(ann: Person) -> None:
    ann.app.settings = ann.app.settings.model_copy(update={"public_url": None})
    reply = await ann.say("/calendar")
    assert reply.is_error and "PEERPATH_PUBLIC_URL" in reply.text


async def test_a_forgotten_members_link_never_opens_whoever_gets_their_number(
    server: OpsServer, app: Peerpath, clock: SimulatedClock
) -> None:
    """Found in a play-test: SQLite gives a new member the number of the member deleted
    last, so the old link (and one revoked before) opened the newcomer's calendar — in
    another workspace too. A link made before its member's row opens nothing."""
    victim = Person(app, "victim", workspace="tenant-a")
    await victim.say('/outreach "V Contact" company=VCo')
    old = await link(victim)
    assert (await victim.say("/forget-me confirm=yes")).title != "Already done"
    clock.advance(timedelta(seconds=5))
    for newcomer in (Person(app, "someone", workspace="tenant-b"), Person(app, "newbie")):
        await newcomer.say('/outreach "Newbie Secret" company=NewCo')
        status, _, body = await fetch(old)
        assert status == 403 and b"Newbie" not in body
        assert (await fetch(await link(newcomer)))[0] == 200  # their own link works
        await newcomer.say("/forget-me confirm=yes")
        clock.advance(timedelta(seconds=5))


async def test_the_console_serves_the_links_it_gives(tmp_path: Path) -> None:
    """Found in a play-test: with no platform token, ``peerpath run`` is the console, which
    handed out calendar links nothing served. With ``PEERPATH_PUBLIC_URL`` set, the console
    serves them while it runs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "PEERPATH_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PEERPATH_HOST": "127.0.0.1",
        "PEERPATH_PORT": str(port),
        "PEERPATH_LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    console = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "console", "--db", f"sqlite:///{tmp_path / 'c.db'}",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert console.stdin is not None and console.stdout is not None
    try:
        console.stdin.write(b'/outreach "Jane Doe" company=Acme\n/calendar\n')
        await console.stdin.drain()
        url = ""
        while "/calendar/" not in url:
            line = (await asyncio.wait_for(console.stdout.readline(), 30)).decode()
            assert line, "the console ended before giving a link"
            url = line.strip() if line.startswith("http") else url
        status, kind, body = await fetch(url)
        assert status == 200 and b"Jane Doe" in body
    finally:
        console.stdin.close()
        await asyncio.wait_for(console.wait(), 30)
    assert console.returncode == 0
