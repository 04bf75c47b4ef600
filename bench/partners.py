"""Starting a partner round for a 2,000-member group, on SQLite.

    python -m bench.partners [--db PATH] [--runs 30] [--reseed] [--actions 20000]

Seeds (once; reused unless ``--reseed``) the leaderboard benchmark's 2,000-member group
(spread over its time zones, a tenth without a zone of their own), every member opted in
to weekly rounds, a tenth of them with the current week paused, and the group's last 3
rounds (pairs, 3,000 matches). Then times, each in a transaction rolled back afterwards:

- ``round``: ``bot.services.rounds.start_at_digest`` — candidates, their zones and
  pauses, the last rounds' partners read; the teams matched (``bot.pairing``); the round,
  its matches and its DMs (one per member) written;
- ``match``: ``bot.pairing.match`` alone, on the same candidates and history;
- ``floor``: the same rows read and written by hand-written SQL on the stdlib
  ``sqlite3`` driver (no matching).
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench import leaderboard
from bench.leaderboard import NOW, summary, timed
from bot import pairing
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.commands.catalog import build_registry
from bot.config import Settings
from bot.models import Group
from bot.services import rounds

MEMBERS = 2_000
ACTIONS = 20_000
WEEK = date(2026, 11, 9)  # the week the digest at NOW's Monday reports on
THIS_MONDAY = date(2026, 11, 16)
GOAL_MS = 100.0


def seed(path: Path, actions: int) -> float:
    started = time.perf_counter()
    leaderboard.seed(path, actions, MEMBERS)
    rng = random.Random(11)
    at = datetime(2026, 11, 2, 9, tzinfo=UTC).isoformat(" ")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE groups SET partners = 'weekly', partner_size = 2")
        conn.execute("UPDATE members SET partners_on = 1, reminders_on = 1")
        ids = [row[0] for row in conn.execute("SELECT id FROM members ORDER BY id")]
        conn.executemany(
            "INSERT OR IGNORE INTO pauses (member_id, week_start, created_at) VALUES (?, ?, ?)",
            [(m, str(THIS_MONDAY), at) for m in ids[::10]],
        )
        for back in (1, 2, 3):
            week = WEEK - timedelta(weeks=back)
            cursor = conn.execute(
                "INSERT INTO partner_rounds (workspace_id, group_id, week, ends_week, size, "
                "started_at, midway_at, ends_at) VALUES (1, 1, ?, ?, 2, ?, ?, ?)",
                (str(week), str(week + timedelta(weeks=1)), at, at, at),
            )
            shuffled = ids[:]
            rng.shuffle(shuffled)
            conn.executemany(
                "INSERT INTO partner_matches (workspace_id, round_id, member_id, team) "
                "VALUES (1, ?, ?, ?)",
                [(cursor.lastrowid, m, n // 2) for n, m in enumerate(shuffled)],
            )
    return time.perf_counter() - started


def floor(path: Path) -> Callable[[], object]:
    """The rows a round reads and writes, by hand, rolled back."""
    conn = sqlite3.connect(path, isolation_level=None)
    taking_part = (
        "SELECT m.id FROM members m JOIN group_members gm ON gm.member_id = m.id "
        "WHERE gm.group_id = 1 AND gm.active = 1 AND m.partners_on = 1 AND m.reminders_on = 1"
    )
    reads = (
        "SELECT id FROM partner_rounds WHERE group_id = 1 AND week > :before",
        "SELECT m.id, m.tz, m.reminder_hour, m.workspace_id FROM members m JOIN group_members "
        "gm ON gm.member_id = m.id WHERE gm.group_id = 1 AND gm.active = 1 "
        "AND m.partners_on = 1 AND m.reminders_on = 1",
        "SELECT gm.member_id, g.tz FROM group_members gm JOIN groups g ON g.id = gm.group_id "
        f"WHERE gm.active = 1 AND gm.member_id IN ({taking_part}) ORDER BY gm.joined_at",
        f"SELECT member_id, week_start FROM pauses WHERE member_id IN ({taking_part})",
        "SELECT round_id, team, member_id FROM partner_matches WHERE round_id IN (SELECT id "
        "FROM partner_rounds WHERE group_id = 1 ORDER BY week DESC LIMIT 3)",
    )
    at = NOW.isoformat(" ")

    def run() -> object:
        conn.execute("BEGIN")
        found = [
            conn.execute(sql, {"before": str(WEEK - timedelta(weeks=1))}).fetchall()
            for sql in reads
        ]
        members = [row[0] for row in found[1]]
        cursor = conn.execute(
            "INSERT INTO partner_rounds (workspace_id, group_id, week, ends_week, size, "
            "started_at, midway_at, ends_at) VALUES (1, 1, ?, ?, 2, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (str(WEEK), str(WEEK + timedelta(weeks=1)), at, at, at),
        )
        conn.executemany(
            "INSERT INTO partner_matches (workspace_id, round_id, member_id, team) "
            "VALUES (1, ?, ?, ?)",
            [(cursor.lastrowid, m, n // 2) for n, m in enumerate(members)],
        )
        conn.executemany(
            "INSERT INTO nudges (workspace_id, member_id, group_id, kind, subject_id, "
            "about_day, key, due_at, next_at, status, attempts, created_at, in_doubt) "
            "VALUES (1, ?, NULL, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, 0) ON CONFLICT DO NOTHING",
            [
                (
                    m,
                    kind,
                    cursor.lastrowid,
                    str(WEEK),
                    f"m{m}:{kind}:{cursor.lastrowid}",
                    at,
                    at,
                    at,
                )
                for m in members
                for kind in ("partner-round",)
            ],
        )
        conn.execute("ROLLBACK")
        return found

    return run


async def measure(path: Path, runs: int) -> dict[str, list[float]]:
    settings = Settings(DATABASE_URL=f"sqlite+aiosqlite:///{path}")
    app = await Peerpath.open(settings, SimulatedClock(NOW), build_registry())
    try:

        async def once() -> None:
            async with app.sessions() as session:
                started = await session.begin()
                made = await rounds.start_at_digest(session, 1, WEEK, NOW, NOW, "Europe/Berlin")
                assert made is not None
                await started.rollback()

        async with app.sessions() as session:
            group = await session.get(Group, 1)
            assert group is not None
            candidates = await rounds.candidates(session, group, NOW, "Europe/Berlin")
            recent = await rounds.recent_pairs(session, group)
        assert len(candidates) == MEMBERS - MEMBERS // 10, len(candidates)
        await once()  # warmed, as in use
        by_hand = floor(path)
        return {
            "round": await timed(once, runs),
            "match": await timed(
                lambda: asyncio.sleep(0, pairing.match(candidates, 2, recent)), runs
            ),
            "floor": await timed(lambda: asyncio.sleep(0, by_hand()), runs),
        }
    finally:
        await app.close()


def main(argv: list[str] | None = None) -> None:
    args, took = leaderboard.prepared(argv, __doc__, "bench-partners.db", 30, ACTIONS, seed)
    if took is not None:
        print(f"seeding {MEMBERS} members, 3 past rounds: {took:.0f} s")
    found = asyncio.run(measure(args.db, args.runs))
    print(f"partner round for {MEMBERS} members (median / p99 ms, {args.runs} runs)")
    for name in ("round", "match", "floor"):
        print(f"  {name:6} {summary(found[name])}")
    median = statistics.median(found["round"])
    ratio = median / statistics.median(found["floor"])
    verdict = "met" if median <= GOAL_MS else "missed"
    print(f"  goal ≤ {GOAL_MS:.0f} ms median: {verdict}; {ratio:.1f}× the floor")


if __name__ == "__main__":
    main()
