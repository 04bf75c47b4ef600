"""A seeded multi-week cohort, the operations server that serves its page, and a link to it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import aiohttp

from adapters.http import OpsServer
from bot.app import Peerpath
from bot.clock import SimulatedClock
from tests.support import Person

MONDAY = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # week A; B is 9 Nov, C 16 Nov
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # Wednesday of week D
# Text only its author may ever see: none of it may reach a page or a CSV.
PRIVATE = (
    "SecretCo",
    "HiddenCorp",
    "planted-note-xyz",
    "Chief Secret Officer",
    "Jane",
    "Private Person",
    "Al Kay",
    "Mo Ray",
    "Ro Sa",
    "zedd",  # off the leaderboard: in totals only
    "olga",  # the admin, off the leaderboard too
)


def coach_base(server: OpsServer) -> str:
    return f"http://127.0.0.1:{server.port}"


async def seed_cohort(app: Peerpath, clock: SimulatedClock) -> dict[str, Person]:
    """Five members over three weeks (A, B, C), then a log in the current week D.

    - olga (admin, leaderboard off): sets the group up, logs nothing.
    - ann: A 2 outreach + 1 interview (2 referrals, thanked on time) → met; B 2 outreach +
      1 interview never thanked → met; D 1 outreach.
    - ben: A 1 outreach; C 2 outreach (one call scheduled, one held, 1 referral,
      thanked on time) → met.
    - zedd (leaderboard off): A 1 outreach, C 1 outreach.
    - cid (coach=on): A 1 outreach; B paused.
    """
    clock.set(MONDAY)
    room = {n: Person(app, n, channel="cohort") for n in ("ann", "ben", "zedd", "cid")}
    room["olga"] = Person(app, "olga", channel="cohort", is_admin=True)
    olga, ann, ben, zedd, cid = (room[n] for n in ("olga", "ann", "ben", "zedd", "cid"))
    await olga.say("/group-setup tz=UTC outreach=2 interviews=1")
    await olga.say("/settings leaderboard=off")
    await ann.say('/outreach "Jane Doe" company=SecretCo')
    await ann.say('/outreach "Bob Lee"')
    await ann.say(
        '/logged-interview "Jane Doe" role="Chief Secret Officer" referrals="Al Kay; Mo Ray" '
        'notes="planted-note-xyz"'
    )
    await ann.say('/thanked "Jane Doe"')
    await ben.say("/outreach Cy")
    await zedd.say('/outreach "Private Person" company=HiddenCorp')
    await zedd.say("/settings leaderboard=off")
    await cid.say("/settings coach=on")
    await cid.say("/outreach Dee")
    clock.set(datetime(2026, 11, 9, 8, 0, tzinfo=UTC))
    await ann.say("/outreach Eve")
    await ann.say("/outreach Fay")
    await ann.say("/logged-interview Eve")
    await cid.say("/pause weeks=1")
    clock.set(datetime(2026, 11, 16, 8, 0, tzinfo=UTC))
    await ben.say("/outreach Xan")
    await ben.say("/outreach Yul")
    await ben.say("/scheduled Yul date=2026-11-27")
    await ben.say('/logged-interview Xan referrals="Ro Sa"')
    await ben.say("/thanked Xan")
    await zedd.say("/outreach Quin")
    clock.set(NOW)
    await ann.say("/outreach Gil")
    return room


async def link(admin: Person) -> str:
    """The URL in the admin's /coach-link reply."""
    reply = await admin.say("/coach-link")
    assert reply.title == "Facilitator page", reply.text
    found = re.search(r"https?://\S+", reply.text)
    assert found is not None
    return found.group(0)


async def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text(), dict(response.headers)
