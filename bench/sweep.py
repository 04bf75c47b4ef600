"""The reminder sweep on a large install, and DM delivery under a platform rate limit.

    python -m bench.sweep [--members 100000] [--actions 1000000] [--due 1000] [--dir PATH]

Seeds a SQLite file with ``members`` members, ``actions`` logged interviews and
outreach over 52 weeks, and the nudge history those would have produced (three
thank-you reminders per interview, two 3B7 reminders per outreach, all sent),
plus ``due`` nudges falling due now. Then it measures, median and p99 over runs:

- ``find``: the claim that finds and claims the due nudges (``scheduling.claims.claim``);
  its floor is the same work in plain SQL through the stdlib ``sqlite3``, with the
  same checkpoint setting (``bot.checkpoints``: none inside the commit);
- ``sweep``: a whole sweep (find, decide, compose, mark) through an instant notifier;
- ``checkpoint``: the background checkpoint that then copies the sweep's pages into
  the database file (``peerpath run`` does it within seconds, off the event loop);
- the same on a copy with twice the history, to show the time does not grow with it;
- ``deliver``: 1,000 DMs through a notifier that admits 50 requests per second,
  against the 20 s floor such a limit imposes.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.commands.catalog import build_registry
from bot.config import Settings
from bot.ports import Notifier
from bot.replies import Reply
from bot.storage import checkpoints, db
from scheduling import claims
from scheduling.outbox import Outbox

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", None)


def iso(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(sep=" ")


def seed(path: Path, members: int, actions: int, due: int, rng: random.Random) -> None:
    asyncio.run(_migrate(path))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    created = iso(NOW - timedelta(weeks=52))
    conn.execute(
        "INSERT INTO workspaces (id, platform, external_id, name, created_at) "
        "VALUES (1, 'console', 'bench', 'bench', ?)",
        (created,),
    )
    conn.executemany(
        "INSERT INTO members (id, workspace_id, user_id, display_name, tz, reminder_hour, "
        "quiet_start, quiet_end, reminders_on, leaderboard_on, created_at) "
        "VALUES (?, 1, ?, ?, ?, 9, 0, 0, 1, 1, ?)",
        ((m, f"u{m}", f"member {m}", ZONES[m % 4], created) for m in range(1, members + 1)),
    )
    conn.executemany(
        "INSERT INTO contacts (id, workspace_id, member_id, name, name_key, how_known, created_at)"
        " VALUES (?, 1, ?, ?, ?, 'other', ?)",
        ((m, m, f"Contact {m}", f"contact {m}", created) for m in range(1, members + 1)),
    )
    append_history(conn, members, actions, start_id=1, rng=rng)
    # The due ones: overdue thank-yous for ``due`` distinct members, all falling due now.
    now = iso(NOW)
    for n, member in enumerate(rng.sample(range(1, members + 1), due)):
        interview = 10_000_000 + n
        conn.execute(
            "INSERT INTO interviews (id, workspace_id, member_id, contact_id, held_on, held_at, "
            "referral_count, thank_you_due_on, created_at) VALUES (?, 1, ?, ?, ?, ?, 0, ?, ?)",
            (
                interview,
                member,
                member,
                (NOW - timedelta(days=7)).date().isoformat(),
                iso(NOW - timedelta(days=7)),
                NOW.date().isoformat(),
                now,
            ),
        )
        conn.execute(
            "INSERT INTO nudges (workspace_id, member_id, kind, subject_id, key, due_at, next_at, "
            "status, attempts, created_at) VALUES (1, ?, 'thanks-overdue', ?, ?, ?, ?, "
            "'pending', 0, ?)",
            (member, interview, f"m{member}:thanks-overdue:{interview}:due", now, now, now),
        )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def append_history(
    conn: sqlite3.Connection, members: int, actions: int, start_id: int, rng: random.Random
) -> None:
    """Logged actions (a tenth interviews) over the last year, and the nudges they produced."""
    interviews, outreach, nudges = [], [], []
    for n in range(start_id, start_id + actions):
        member = rng.randint(1, members)
        when = NOW - timedelta(days=7, seconds=rng.randint(0, 52 * 7 * 86400 - 7 * 86400))
        day = when.date().isoformat()
        if n % 10 == 0:
            due = (when + timedelta(days=7)).date().isoformat()
            interviews.append((n, member, member, day, iso(when), due, iso(when)))
            kinds = ("thanks-first", "thanks-due", "thanks-overdue")
        else:
            outreach.append((n, member, member, day, iso(when), iso(when), iso(when)))
            kinds = ("second-person", "follow-up")
        for k, kind in enumerate(kinds, start=1):
            sent = iso(when + timedelta(days=k))
            nudges.append((member, kind, n, f"m{member}:{kind}:{n}", sent, sent, sent, sent))
    conn.executemany(
        "INSERT INTO interviews (id, workspace_id, member_id, contact_id, held_on, held_at, "
        "referral_count, thank_you_due_on, thanked_at, created_at) "
        "VALUES (?, 1, ?, ?, ?, ?, 0, ?, NULL, ?)",
        interviews,
    )
    conn.executemany(
        "INSERT INTO outreach (id, workspace_id, member_id, contact_id, via, sent_on, sent_at, "
        "status, status_at, created_at) VALUES (?, 1, ?, ?, 'email', ?, ?, 'no-response', ?, ?)",
        outreach,
    )
    conn.executemany(
        "INSERT INTO nudges (workspace_id, member_id, kind, subject_id, key, due_at, next_at, "
        "status, attempts, sent_at, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, 'sent', 1, ?, ?)",
        nudges,
    )
    conn.commit()


async def _migrate(path: Path) -> None:
    engine = db.create_engine(f"sqlite:///{path}")
    await db.upgrade(engine)
    await engine.dispose()


class InstantNotifier:
    """A platform that accepts everything at once: measures our side alone."""

    platform = "console"

    def __init__(self) -> None:
        self.count = 0

    async def send_dm(
        self, workspace_id: str, user_id: str, reply: Reply, keys: Sequence[str] = ()
    ):
        self.count += 1

    async def post_channel(self, workspace_id, channel_id, reply, keys=()) -> None:
        self.count += 1

    async def was_delivered(self, workspace_id: str, target_id: str, key: str) -> bool:
        return False


class PacedNotifier(InstantNotifier):
    """Admits ``rate`` requests per second, like Discord's global limit (50/s)."""

    def __init__(self, rate: float) -> None:
        super().__init__()
        self.interval = 1.0 / rate
        self.next_slot = 0.0
        self.lock = asyncio.Lock()

    async def send_dm(self, workspace_id, user_id, reply, keys=()) -> None:
        async with self.lock:
            now = time.perf_counter()
            wait = max(self.next_slot - now, 0.0)
            self.next_slot = max(now, self.next_slot) + self.interval
        await asyncio.sleep(wait)
        self.count += 1


def reset_due(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE nudges SET status='pending', attempts=0, claimed_at=NULL, sent_at=NULL "
        "WHERE key LIKE '%:due'"
    )
    conn.commit()
    conn.close()


def floor_find(path: Path) -> float:
    """The same claim in plain SQL: select the due rows by the index, mark them claimed."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA wal_autocheckpoint={checkpoints.AUTOCHECKPOINT_PAGES}")
    started = time.perf_counter()
    now = iso(NOW)
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM nudges WHERE status='pending' AND next_at <= ? "
            "ORDER BY next_at LIMIT 1000",
            (now,),
        )
    ]
    conn.executemany(
        "UPDATE nudges SET status='sending', claimed_at=? WHERE id=?", ((now, i) for i in ids)
    )
    conn.commit()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


async def open_app(path: Path) -> Peerpath:
    """The app as ``peerpath run`` opens it (schema checked, start-up memory frozen)."""
    settings = Settings(DATABASE_URL=f"sqlite:///{path}")
    return await Peerpath.open(settings, SimulatedClock(NOW), build_registry())


def outbox_of(app: Peerpath, notifier: Notifier) -> Outbox:
    return Outbox(
        app.sessions, app.clock, app.settings.default_tz, {"console": notifier}, writer=app.writer
    )


async def paced_delivery(path: Path, notifier: PacedNotifier) -> float:
    """Seconds for one sweep that sends everything due through ``notifier``."""
    app = await open_app(path)
    try:
        started = time.perf_counter()
        await outbox_of(app, notifier).sweep()
        return time.perf_counter() - started
    finally:
        await app.close()


def stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:8.1f} ms   p99 {p99 * 1000:8.1f} ms"


async def measure(path: Path, runs: int) -> dict[str, list[float]]:
    """One app for every run, as in a running bot (its statements are compiled once); the
    due nudges are reset between runs, and the log checkpointed as ``peerpath run`` does."""
    found, swept, floor, checkpointed = [], [], [], []
    app = await open_app(path)
    notifier = InstantNotifier()
    outbox = outbox_of(app, notifier)

    async def timed(call: Callable[[], Awaitable[object]]) -> float:
        reset_due(path)
        await checkpoints.checkpoint_file(path)
        started = time.perf_counter()
        await call()
        return time.perf_counter() - started

    try:
        for _ in range(runs):
            found.append(
                await timed(lambda: claims.claim(app.sessions, NOW, outbox.lease, outbox.batch))
            )
            before = notifier.count
            swept.append(await timed(outbox.sweep))
            assert notifier.count > before, "the sweep sent nothing"
            started = time.perf_counter()
            await checkpoints.checkpoint_file(path)
            checkpointed.append(time.perf_counter() - started)
            reset_due(path)
            floor.append(floor_find(path))
    finally:
        await app.close()
    return {"find": found, "sweep": swept, "floor": floor, "checkpoint": checkpointed}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(argv)
    work = args.dir or Path(tempfile.mkdtemp(prefix="peerpath-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(42)
    base = work / "sweep.db"
    base.unlink(missing_ok=True)
    started = time.perf_counter()
    seed(base, args.members, args.actions, args.due, rng)
    print(
        f"seeded {args.members:,} members, {args.actions:,} actions, {args.due:,} due "
        f"in {time.perf_counter() - started:.1f} s"
    )
    double = work / "sweep-double.db"
    shutil.copy(base, double)
    conn = sqlite3.connect(double)
    append_history(conn, args.members, args.actions, start_id=args.actions + 1, rng=rng)
    conn.execute("ANALYZE")
    conn.close()
    results = {
        name: asyncio.run(measure(path, args.runs)) for name, path in (("1x", base), ("2x", double))
    }
    for label, figures in results.items():
        print(f"history {label}: find   {stats(figures['find'])}")
        print(f"history {label}: floor  {stats(figures['floor'])}   (plain SQL, same claim)")
        print(f"history {label}: sweep  {stats(figures['sweep'])}   (find + decide + mark)")
        print(
            f"history {label}: checkpoint {stats(figures['checkpoint'])}   (after the sweep, "
            "in the background)"
        )
    for kind in ("find", "sweep"):
        ratio = statistics.median(results["2x"][kind]) / statistics.median(results["1x"][kind])
        print(f"doubling the history changes {kind} by {ratio:.2f}x")
    reset_due(base)
    notifier = PacedNotifier(rate=50)
    elapsed = asyncio.run(paced_delivery(base, notifier))
    floor = notifier.count / 50
    print(
        f"deliver {notifier.count:,} DMs at 50 req/s: {elapsed:.2f} s "
        f"(floor {floor:.2f} s, {elapsed / floor:.3f}x)"
    )
    if args.dir is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
