"""The facilitator's page for a 500-member group over a year of logs, on SQLite.

    python -m bench.coach [--db PATH] [--runs 30] [--reseed] [--actions 250000]

Seeds (once; reused unless ``--reseed``) the leaderboard benchmark's group with 500
members and 250,000 actions over 52 weeks (its density: 500 a member), plus the log
entry of every action (what "quiet" reads); a tenth of the outreach got a call and
another tenth was held (the funnel's stages). Then times, for the default range of 8 weeks:

- ``page``: ``bot.web.coach.serve`` — the link checked, every figure read, the HTML
  rendered: the server's time for one request;
- ``http``: the same page fetched from the operations server over loopback;
- ``csv``: the CSV download, through ``serve``;
- ``floor``: hand-written SQL fetching the same facts — roster, per-member daily counts
  over the range, goals, pauses, the range's interviews, the funnel, last logs, and the
  leaderboard's own floor for this week's board — on the stdlib ``sqlite3`` driver;
- ``page 52`` and ``floor 52``: the same for the longest range offered, a year.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import aiohttp

from adapters.http import OpsServer
from bench import leaderboard
from bench.leaderboard import NOW, summary, timed
from bot import links
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.commands.catalog import build_registry
from bot.config import Settings
from bot.services.leaderboard import View
from bot.storage.checkpoints import Checkpointer
from bot.web import coach

MEMBERS = 500
ACTIONS = 250_000
LAST_WEEK = date(2026, 11, 9)  # the last completed week at NOW (a Thursday), Europe/Berlin


def week_range(count: int) -> dict[str, str]:
    """The floor's bounds for the ``count`` completed weeks before NOW's week."""
    first = LAST_WEEK - timedelta(weeks=count - 1)
    return {"lo": str(first), "hi": str(LAST_WEEK + timedelta(days=6)), "today": "2026-11-19"}


def seed(path: Path, actions: int) -> float:
    started = time.perf_counter()
    leaderboard.seed(path, actions, MEMBERS)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE outreach SET status = 'scheduled' WHERE id % 10 = 1")
        conn.execute("UPDATE outreach SET status = 'interviewed' WHERE id % 10 = 2")
        for table, kind, column, day in (
            ("outreach", "outreach", "outreach_id", "sent_at"),
            ("interviews", "interview", "interview_id", "held_at"),
        ):
            conn.execute(
                f"INSERT INTO log_entries (workspace_id, member_id, kind, {column}, changes, "
                f"created_at) SELECT workspace_id, member_id, '{kind}', id, '{{}}', {day} "
                f"FROM {table}"
            )
    return time.perf_counter() - started


def floor_query(path: Path, count: int) -> Callable[[], object]:
    """The facts the page shows, fetched by hand (no ORM, no async driver, no template)."""
    conn = sqlite3.connect(path)
    members = "SELECT member_id FROM group_members WHERE group_id = 1 AND active = 1"
    statements = (
        "SELECT m.id, m.display_name, m.coach_on, gm.joined_at FROM members m JOIN "
        "group_members gm ON gm.member_id = m.id WHERE gm.group_id = 1 AND gm.active = 1",
        f"SELECT member_id, sent_on, count(*) FROM outreach WHERE member_id IN ({members}) "
        "AND sent_on BETWEEN :lo AND :hi GROUP BY member_id, sent_on UNION ALL "
        f"SELECT member_id, held_on, count(*) FROM interviews WHERE member_id IN ({members}) "
        "AND held_on BETWEEN :lo AND :hi GROUP BY member_id, held_on",
        "SELECT member_id, week_start, outreach, interviews FROM member_goals "
        f"WHERE member_id IN ({members})",
        f"SELECT member_id, week_start FROM pauses WHERE member_id IN ({members})",
        "SELECT member_id, held_on, referral_count, thanked_on <= thank_you_due_on, "
        "thanked_on IS NOT NULL OR thank_you_due_on < :today FROM interviews "
        f"WHERE member_id IN ({members}) AND held_on BETWEEN :lo AND :hi",
        "SELECT count(*), count(*) FILTER (WHERE status IN ('scheduled', 'interviewed')) "
        f"FROM outreach WHERE member_id IN ({members}) AND sent_on BETWEEN :lo AND :hi",
        "SELECT gm.member_id, min(gm.joined_at), (SELECT max(created_at) FROM log_entries l "
        f"WHERE l.member_id = gm.member_id) FROM group_members gm WHERE gm.member_id IN "
        f"({members}) AND gm.active = 1 GROUP BY gm.member_id",
    )
    board = leaderboard.floor_queries(path)[View.STREAK]
    bounds = week_range(count)

    def run() -> object:
        found = [conn.execute(sql, bounds).fetchall() for sql in statements]
        return found, board()

    return run


async def measure(path: Path, runs: int) -> dict[str, list[float]]:
    settings = Settings(DATABASE_URL=f"sqlite+aiosqlite:///{path}")
    app = await Peerpath.open(settings, SimulatedClock(NOW), build_registry())
    checkpointer = Checkpointer(path)  # as ``peerpath run`` does
    checkpointer.start()
    server = OpsServer(app, "127.0.0.1", 0)
    await server.start()
    try:
        async with app.sessions() as session, session.begin():
            signer = await app.signer(session)
            token = signer.token(coach.KIND, 1, await links.generation(session, coach.KIND, 1))
        page = await coach.serve(app, token, None)  # and the streak cache warmed, as in use
        assert page.status == 200 and "member 1" in page.body, page.body[:200]
        url = f"http://127.0.0.1:{server.port}{coach.PATH.format(token=token)}"
        floor, year = floor_query(path, 8), floor_query(path, 52)
        async with aiohttp.ClientSession() as client:

            async def fetch() -> None:
                async with client.get(url) as response:
                    assert response.status == 200
                    await response.read()

            return {
                "page": await timed(lambda: coach.serve(app, token, None), runs),
                "http": await timed(fetch, runs),
                "csv": await timed(lambda: coach.serve(app, token, None, as_csv=True), runs),
                "floor": await timed(lambda: asyncio.sleep(0, floor()), runs),
                "page 52": await timed(lambda: coach.serve(app, token, "52"), runs),
                "floor 52": await timed(lambda: asyncio.sleep(0, year()), runs),
            }
    finally:
        await server.stop()
        await checkpointer.stop()
        await app.close()


def main(argv: list[str] | None = None) -> None:
    args, took = leaderboard.prepared(argv, __doc__, "bench-coach.db", 30, ACTIONS, seed)
    if took is not None:
        print(f"seeded in {took:.1f} s")
    found = asyncio.run(measure(args.db, args.runs))
    print(f"{MEMBERS} members, {args.actions:,} actions, 8 weeks shown, {args.runs} runs each")
    print(f"{'what':<8}{'ms median / p99':>20}")
    for name, times in found.items():
        print(f"{name:<8}{summary(times):>20}")


if __name__ == "__main__":
    main()
