"""Leaderboard latency for a 2,000-member group over 1,000,000 logged actions, on SQLite.

    python -m bench.leaderboard [--db PATH] [--runs 50] [--reseed] [--actions 1000000]

Seeds (once; reused unless ``--reseed``) a SQLite file with one group of 2,000
members and 900,000 outreach + 100,000 interviews over 52 weeks, bulk-inserted
with Core ``executemany``. Then times each leaderboard view three ways:

- ``service``: ``bot.services.leaderboard.entries`` — what the command computes;
- ``command``: ``/leaderboard`` through ``Peerpath.run_text`` (context, join check,
  receipt-less unit of work, rendering);
- ``floor``: hand-written SQL fetching the same facts, run with the stdlib
  ``sqlite3`` module (no ORM, no async driver, no ranking in Python).

The streak view's first run (cold: every member's streak computed from the
whole history and cached) is reported on its own; the medians are for the
repeated, cached case a channel actually sees.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, delete, func, insert, select

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.commands.catalog import build_registry
from bot.config import Settings
from bot.invocation import Invocation
from bot.models import (
    Contact,
    Group,
    GroupMember,
    Interview,
    Member,
    MemberGoal,
    Outreach,
    StreakCache,
    Workspace,
)
from bot.services import leaderboard
from bot.services.leaderboard import View
from bot.storage import db
from bot.storage.checkpoints import Checkpointer

MEMBERS = 2_000
OUTREACH = 900_000
INTERVIEWS = 100_000
WEEKS = 52
CONTACTS_EACH = 5
NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)  # a Thursday
FIRST_MONDAY = date(2026, 11, 16) - timedelta(weeks=WEEKS - 1)
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", None)
BATCH = 50_000


def seed(path: Path, actions: int = OUTREACH + INTERVIEWS, members: int = MEMBERS) -> float:
    """Fill ``path`` with the benchmark group of ``members`` (a tenth of ``actions``
    interviews); returns the seconds it took."""
    started = time.perf_counter()
    asyncio.run(_migrate(path))
    engine = create_engine(f"sqlite:///{path}")
    rng = random.Random(7)
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        created = datetime.combine(FIRST_MONDAY, datetime.min.time(), tzinfo=UTC)
        conn.execute(
            insert(Workspace),
            [
                {
                    "id": 1,
                    "platform": "console",
                    "external_id": "bench",
                    "name": "bench",
                    "created_at": created,
                }
            ],
        )
        conn.execute(
            insert(Group),
            [
                {
                    "id": 1,
                    "workspace_id": 1,
                    "channel_id": "cohort",
                    "name": "cohort",
                    "tz": "Europe/Berlin",
                    "digest_day": 0,
                    "digest_hour": 9,
                    "outreach_goal": 5,
                    "interview_goal": 1,
                    "created_at": created,
                }
            ],
        )
        conn.execute(
            insert(Member),
            [
                {
                    "id": m,
                    "workspace_id": 1,
                    "user_id": f"u{m}",
                    "display_name": f"member {m}",
                    "tz": ZONES[m % len(ZONES)],
                    "reminder_hour": 9,
                    "quiet_start": 21,
                    "quiet_end": 8,
                    "reminders_on": True,
                    "leaderboard_on": m % 50 != 0,
                    "created_at": created,
                }
                for m in range(1, members + 1)
            ],
        )
        conn.execute(
            insert(GroupMember),
            [
                {"group_id": 1, "member_id": m, "joined_at": created, "active": True}
                for m in range(1, members + 1)
            ],
        )
        conn.execute(
            insert(MemberGoal),
            [
                {
                    "member_id": m,
                    "week_start": FIRST_MONDAY,
                    "outreach": 5,
                    "interviews": 1,
                    "personal": False,
                    "created_at": created,
                }
                for m in range(1, members + 1)
            ],
        )
        conn.execute(
            insert(Contact),
            [
                {
                    "id": (m - 1) * CONTACTS_EACH + c + 1,
                    "workspace_id": 1,
                    "member_id": m,
                    "name": f"Contact {c}",
                    "name_key": f"contact {c}",
                    "how_known": "other",
                    "created_at": created,
                }
                for m in range(1, members + 1)
                for c in range(CONTACTS_EACH)
            ],
        )
        # Members differ in how steady they are, so streaks vary from 0 to the whole year.
        steadiness = {m: rng.random() for m in range(1, members + 1)}
        _bulk(conn, Outreach, actions - actions // 10, rng, steadiness, _outreach_row)
        _bulk(conn, Interview, actions // 10, rng, steadiness, _interview_row)
    engine.dispose()
    return time.perf_counter() - started


async def _migrate(path: Path) -> None:
    engine = db.create_engine(f"sqlite+aiosqlite:///{path}")
    await db.upgrade(engine)
    await engine.dispose()


def _day(rng: random.Random, steadiness: float) -> date:
    """A day in the year; unsteady members skip recent weeks more often."""
    week = rng.randrange(WEEKS)
    if rng.random() > steadiness and week > WEEKS // 2:
        week = rng.randrange(WEEKS // 2)
    return FIRST_MONDAY + timedelta(weeks=week, days=rng.randrange(7))


def _outreach_row(n: int, m: int, day: date, at: datetime) -> dict:
    return {
        "id": n,
        "workspace_id": 1,
        "member_id": m,
        "contact_id": (m - 1) * CONTACTS_EACH + n % CONTACTS_EACH + 1,
        "via": "email",
        "sent_on": day,
        "sent_at": at,
        "status": "sent",
        "status_at": at,
        "created_at": at,
    }


def _interview_row(n: int, m: int, day: date, at: datetime) -> dict:
    return {
        "id": n,
        "workspace_id": 1,
        "member_id": m,
        "contact_id": (m - 1) * CONTACTS_EACH + n % CONTACTS_EACH + 1,
        "held_on": day,
        "held_at": at,
        "referral_count": n % 3,
        "thank_you_due_on": day + timedelta(days=7),
        "thanked_at": at + timedelta(days=1) if n % 4 else None,
        "thanked_on": day + timedelta(days=1) if n % 4 else None,
        "created_at": at,
    }


def _bulk(conn, model, total, rng, steadiness, row) -> None:  # noqa: ANN001
    batch = []
    for n in range(1, total + 1):
        m = rng.randrange(1, len(steadiness) + 1)
        day = min(_day(rng, steadiness[m]), NOW.date())
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
        batch.append(row(n, m, day, at))
        if len(batch) == BATCH:
            conn.execute(insert(model), batch)
            batch = []
    if batch:
        conn.execute(insert(model), batch)


async def timed(call: Callable[[], Awaitable[object]], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def floor_queries(path: Path) -> dict[View, Callable[[], object]]:
    """Hand-written SQL fetching the same facts each view needs, on the stdlib driver.

    Every view needs the roster (names, time zones); the week view adds this
    week's counts, goals and pauses; the streak view adds the cached standings;
    the all-time view adds interview counts. No Python ranking: this is the floor.
    """
    conn = sqlite3.connect(path)
    week = {"lo": "2026-11-16", "hi": "2026-11-22"}
    members = "SELECT member_id FROM group_members WHERE group_id = 1 AND active = 1"
    roster = (
        "SELECT m.id, m.display_name, coalesce(m.tz, (SELECT g.tz FROM groups g "
        "JOIN group_members gm ON gm.group_id = g.id WHERE gm.member_id = m.id AND gm.active "
        f"ORDER BY gm.joined_at, g.id LIMIT 1)) FROM members m WHERE m.id IN ({members}) "
        "AND m.leaderboard_on = 1"
    )
    counts = (
        f"SELECT member_id, 0, count(*) FROM outreach WHERE member_id IN ({members}) "
        "AND sent_on BETWEEN :lo AND :hi GROUP BY member_id UNION ALL "
        f"SELECT member_id, 1, count(*) FROM interviews WHERE member_id IN ({members}) "
        "AND held_on BETWEEN :lo AND :hi GROUP BY member_id"
    )
    plans = (
        "SELECT member_id, week_start, outreach, interviews FROM member_goals "
        f"WHERE member_id IN ({members})"
    )
    pauses = f"SELECT member_id, week_start FROM pauses WHERE member_id IN ({members})"
    cache = (
        "SELECT member_id, through_week, run, longest FROM streak_cache "
        f"WHERE member_id IN ({members})"
    )
    interviews = (
        f"SELECT member_id, count(*) FROM interviews WHERE member_id IN ({members}) "
        "GROUP BY member_id"
    )

    def run(*statements: str) -> list[list[tuple]]:
        return [conn.execute(sql, week if ":lo" in sql else {}).fetchall() for sql in statements]

    return {
        View.WEEK: lambda: run(roster, counts, plans, pauses),
        View.STREAK: lambda: run(roster, cache, counts, plans, pauses),
        View.ALL: lambda: run(roster, interviews),
    }


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):7.1f} / {p99:6.1f}"


async def measure(path: Path, runs: int) -> None:
    settings = Settings(DATABASE_URL=f"sqlite+aiosqlite:///{path}")
    app = await Peerpath.open(settings, SimulatedClock(NOW), build_registry())
    admin = Invocation("console", "bench", "u1", "member 1", channel_id="cohort")
    checkpointer = Checkpointer(path)  # as ``peerpath run`` does
    checkpointer.start()
    try:
        async with app.sessions() as session, session.begin():
            await session.execute(delete(StreakCache))  # so the first streak run is cold
            group = await session.scalar(select(Group).where(Group.id == 1))
        assert group is not None

        async def service(view: View) -> None:
            async with app.sessions() as session, session.begin():
                await leaderboard.entries(session, group, NOW, view)

        started = time.perf_counter()
        await service(View.STREAK)
        cold = (time.perf_counter() - started) * 1000
        floors = floor_queries(path)
        async with app.sessions() as session:
            actions = await session.scalar(select(func.count()).select_from(Outreach))
            actions += await session.scalar(select(func.count()).select_from(Interview))
        print(f"{MEMBERS} members, {actions:,} actions, {runs} runs each")
        print(f"streak view, cold (all streaks computed from history and cached): {cold:.0f} ms")
        print(
            f"{'view':<8}{'service ms median/p99':>24}{'command ms median/p99':>24}"
            f"{'plain-SQL floor':>20}"
        )
        for view in View:
            svc = await timed(lambda v=view: service(v), runs)
            cmd = await timed(
                lambda v=view: app.run_text(admin, "leaderboard", f"view={v.value}"), runs
            )
            flo = await timed(lambda v=view: asyncio.sleep(0, floors[v]()), runs)
            print(f"{view.value:<8}{summary(svc):>24}{summary(cmd):>24}{summary(flo):>20}")
    finally:
        await checkpointer.stop()
        await app.close()


def prepared(
    argv: list[str] | None,
    doc: str,
    db: str,
    runs: int,
    actions: int,
    seeding: Callable[[Path, int], float],
) -> tuple[argparse.Namespace, float | None]:
    """The options of a benchmark on a seeded database (``--db``, ``--runs``, ``--reseed``,
    ``--actions``), its database seeded afresh when asked or missing: the arguments, and
    the seconds seeding took (None when the file was reused)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path(db))
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--actions", type=int, default=actions)
    args = parser.parse_args(argv)
    if not args.reseed and args.db.exists():
        return args, None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    return args, seeding(args.db, args.actions)


def main(argv: list[str] | None = None) -> None:
    args, took = prepared(argv, __doc__, "bench-leaderboard.db", 50, OUTREACH + INTERVIEWS, seed)
    if took is not None:
        print(f"seeded in {took:.1f} s")
    asyncio.run(measure(args.db, args.runs))


if __name__ == "__main__":
    main()
