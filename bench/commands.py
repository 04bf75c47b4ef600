"""Command handling through the core, each beside its plain-SQL floor.

    python -m bench.commands [--size small|full] [--runs 300] [--db PATH]

Each sample is one command as an adapter hands it over: ``Peerpath.run_text``
(parse → context → service → database, one transaction) plus rendering the reply
as Slack blocks — no network. Members are drawn at random from the seeded install
(``bench/seed.py``), so every sample reads a different member's year of history.

The floor for each command is the least database work that gives the same answer,
hand-written for the stdlib ``sqlite3`` on the same file with the same pragmas (WAL,
``synchronous=NORMAL``, the checkpoint bound): find the workspace, member and channel's
group, then the command's own reads and writes in one transaction. No ORM, no async driver, no
Python beyond fetching rows. The ratio command/floor is what the core costs.
/mystats draws an 8-week chart; its floor draws the same picture with one
``charts.small_bars`` (Pillow) call.

Streak caches are warmed first (one ``/leaderboard view=streak`` per group), as they
are in an install that has been running: a member's first-ever streak is computed
from their whole history once and cached. The background checkpointer runs
throughout, as in ``peerpath run``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from adapters.slack.blocks import fallback_text, reply_blocks
from bench import seed
from bench.seed import NOW, Size, iso, summary
from bot import charts
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.commands.catalog import build_registry
from bot.config import Settings
from bot.invocation import Invocation
from bot.storage import checkpoints
from bot.storage.checkpoints import Checkpointer

GOAL_MEDIAN_MS = 3.0
GOAL_P99_MS = 15.0
GOAL_RATIO = 3.0
WEEK_START = (NOW - timedelta(days=NOW.weekday())).date()


@dataclass(frozen=True)
class Who:
    """A seeded member and where they type: the ids an adapter would pass."""

    member: int
    workspace: int
    group: int

    def invocation(self) -> Invocation:
        return Invocation(
            "slack",
            f"ws{self.workspace - 1}",
            f"u{self.member}",
            f"member {self.member}",
            channel_id=f"c{(self.group - 1) % 10}",
        )


def roster(path: Path) -> list[Who]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT m.id, m.workspace_id, gm.group_id FROM members m "
        "JOIN group_members gm ON gm.member_id = m.id"
    ).fetchall()
    conn.close()
    return [Who(*row) for row in rows]


def unthanked(path: Path) -> list[tuple[Who, str]]:
    """(member, contact name) whose latest interview together still awaits a thank-you."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT i.member_id, m.workspace_id, gm.group_id, c.name FROM interviews i "
        "JOIN contacts c ON c.id = i.contact_id JOIN members m ON m.id = i.member_id "
        "JOIN group_members gm ON gm.member_id = m.id WHERE i.thanked_at IS NULL "
        "AND i.held_on = (SELECT max(held_on) FROM interviews j "
        "WHERE j.member_id = i.member_id AND j.contact_id = i.contact_id)"
    ).fetchall()
    conn.close()
    return [(Who(m, w, g), name) for m, w, g, name in rows]


# ---- the floor: the same database work in plain SQL ---------------------------------


class Floor:
    """Hand-written SQL for each command on the stdlib driver."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute(f"PRAGMA wal_autocheckpoint={checkpoints.AUTOCHECKPOINT_PAGES}")
        self.now = iso(NOW)
        self.serial = 0

    def context(self, who: Who) -> tuple[int, int]:
        """Workspace, member, the channel's group and membership: what every command reads."""
        q = self.conn.execute
        (workspace,) = q(
            "SELECT id FROM workspaces WHERE platform = 'slack' AND external_id = ?",
            (f"ws{who.workspace - 1}",),
        ).fetchone()
        member, _tz = q(
            "SELECT id, tz FROM members WHERE workspace_id = ? AND user_id = ?",
            (workspace, f"u{who.member}"),
        ).fetchone()
        q(
            "SELECT g.id, g.tz, gm.active FROM groups g LEFT JOIN group_members gm "
            "ON gm.group_id = g.id AND gm.member_id = ? WHERE g.workspace_id = ? "
            "AND g.channel_id = ?",
            (member, workspace, f"c{(who.group - 1) % 10}"),
        ).fetchone()
        return workspace, member

    def contact(self, member: int, name: str) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM contacts WHERE member_id = ? AND name_key = ?", (member, name.lower())
        ).fetchone()
        return row[0] if row else None

    def nudges(self, workspace: int, member: int, kinds: tuple[str, ...], subject: int) -> None:
        """The reminders a log plans (the same kinds and keys the core writes), due later."""
        rows = []
        for days, kind in enumerate(kinds, start=1):
            due = iso(NOW + timedelta(days=days))
            key = f"m{member}:{kind}:{subject}:{due}"
            rows.append((workspace, member, kind, subject, key, due, due, self.now))
        self.conn.executemany(
            "INSERT INTO nudges (workspace_id, member_id, kind, subject_id, key, due_at, next_at,"
            " status, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?) "
            "ON CONFLICT DO NOTHING",
            rows,
        )

    def covering(self, member: int, day: date) -> None:
        """A log drops any cached streak that covers the week of its day."""
        monday = day - timedelta(days=day.weekday())
        self.conn.execute(
            "DELETE FROM streak_cache WHERE member_id = ? AND through_week >= ?",
            (member, monday.isoformat()),
        )

    def outreach(self, who: Who, _arg: str) -> None:
        self.conn.execute("BEGIN")
        workspace, member = self.context(who)
        self.serial += 1
        name = f"Floor person {self.serial}"
        if self.contact(member, name) is None:
            self.conn.execute(
                "INSERT INTO contacts (workspace_id, member_id, name, name_key, company, "
                "how_known, created_at) VALUES (?, ?, ?, ?, 'Globex', 'other', ?)",
                (workspace, member, name, name.lower(), self.now),
            )
        contact = self.conn.execute("SELECT last_insert_rowid()").fetchone()[0]
        cursor = self.conn.execute(
            "INSERT INTO outreach (workspace_id, member_id, contact_id, via, sent_on, sent_at, "
            "status, status_at, created_at) VALUES (?, ?, ?, 'other', ?, ?, 'sent', ?, ?)",
            (workspace, member, contact, NOW.date().isoformat(), self.now, self.now, self.now),
        )
        self.covering(member, NOW.date())
        self.nudges(workspace, member, ("second-person", "follow-up"), cursor.lastrowid)
        self.conn.execute("COMMIT")

    def logged_interview(self, who: Who, name: str) -> None:
        self.conn.execute("BEGIN")
        workspace, member = self.context(who)
        contact = self.contact(member, name)
        held_on = (NOW - timedelta(days=1)).date()
        day = held_on.isoformat()
        self.conn.execute(
            "SELECT id FROM interviews WHERE member_id = ? AND contact_id = ? AND held_on = ?",
            (member, contact, day),
        ).fetchone()
        self.conn.execute(
            "SELECT id FROM outreach WHERE member_id = ? AND contact_id = ? "
            "AND status IN ('sent', 'replied', 'scheduled') ORDER BY sent_at DESC LIMIT 1",
            (member, contact),
        ).fetchone()
        cursor = self.conn.execute(
            "INSERT INTO interviews (workspace_id, member_id, contact_id, held_on, held_at, "
            "referral_count, thank_you_due, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
            (workspace, member, contact, day, self.now, self.now, self.now),
        )
        self.covering(member, held_on)
        self.nudges(
            workspace, member, ("thanks-first", "thanks-due", "thanks-overdue"), cursor.lastrowid
        )
        self.conn.execute("COMMIT")

    def thanked(self, who: Who, name: str) -> None:
        self.conn.execute("BEGIN")
        _workspace, member = self.context(who)
        contact = self.contact(member, name)
        row = self.conn.execute(
            "SELECT id FROM interviews WHERE member_id = ? AND contact_id = ? "
            "ORDER BY held_on DESC LIMIT 1",
            (member, contact),
        ).fetchone()
        self.conn.execute("UPDATE interviews SET thanked_at = ? WHERE id = ?", (self.now, row[0]))
        self.conn.execute("COMMIT")

    def pending(self, who: Who, _arg: str) -> None:
        self.conn.execute("BEGIN")
        _workspace, member = self.context(who)
        for sql in (
            "SELECT i.held_on, i.thank_you_due, c.name FROM interviews i JOIN contacts c "
            "ON c.id = i.contact_id WHERE i.member_id = ? AND i.thanked_at IS NULL",
            "SELECT o.sent_on, o.status, c.name FROM outreach o JOIN contacts c "
            "ON c.id = o.contact_id WHERE o.member_id = ? AND o.status IN ('sent', 'replied')",
            "SELECT o.scheduled_for, c.name FROM outreach o JOIN contacts c "
            "ON c.id = o.contact_id WHERE o.member_id = ? AND o.status = 'scheduled'",
        ):
            self.conn.execute(sql, (member,)).fetchall()
        self.conn.execute("COMMIT")

    def _week(self, member: int) -> None:
        """This week's counts, the goals in effect, pauses and the cached streak."""
        week = (WEEK_START.isoformat(), (WEEK_START + timedelta(days=6)).isoformat())
        q = self.conn.execute
        q(
            "SELECT 0, count(*) FROM outreach WHERE member_id = ? AND sent_on BETWEEN ? AND ? "
            "UNION ALL SELECT 1, count(*) FROM interviews WHERE member_id = ? "
            "AND held_on BETWEEN ? AND ?",
            (member, *week, member, *week),
        ).fetchall()
        q(
            "SELECT week_start, outreach, interviews FROM member_goals WHERE member_id = ?",
            (member,),
        ).fetchall()
        q("SELECT week_start FROM pauses WHERE member_id = ?", (member,)).fetchall()
        q(
            "SELECT through_week, run, longest FROM streak_cache WHERE member_id = ?", (member,)
        ).fetchall()

    def goal(self, who: Who, _arg: str) -> None:
        self.conn.execute("BEGIN")
        _workspace, member = self.context(who)
        self._week(member)
        self.conn.execute("COMMIT")

    def mystats(self, who: Who, _arg: str) -> None:
        self.conn.execute("BEGIN")
        _workspace, member = self.context(who)
        q = self.conn.execute
        q(
            "SELECT count(*), count(*) FILTER (WHERE status IN ('scheduled', 'interviewed')) "
            "FROM outreach WHERE member_id = ?",
            (member,),
        ).fetchone()
        q(
            "SELECT count(*), sum(referral_count), count(*) FILTER (WHERE thanked_at <= "
            "thank_you_due), count(*) FILTER (WHERE thanked_at IS NOT NULL) "
            "FROM interviews WHERE member_id = ?",
            (member,),
        ).fetchone()
        self._week(member)
        since = (WEEK_START - timedelta(weeks=7)).isoformat()
        q(
            "SELECT sent_on, count(*) FROM outreach WHERE member_id = ? AND sent_on >= ? "
            "GROUP BY sent_on UNION ALL SELECT held_on, count(*) FROM interviews "
            "WHERE member_id = ? AND held_on >= ? GROUP BY held_on",
            (member, since, member, since),
        ).fetchall()
        self.conn.execute("COMMIT")
        # The reply's 8-week chart: the same picture, drawn by a plain call.
        weeks = [WEEK_START - timedelta(weeks=n) for n in range(7, -1, -1)]
        charts.small_bars(weeks, [3, 5, 2, 6, 5, 4, 7, 1], "Your outreach per week", 5)


# ---- the measurement ----------------------------------------------------------------


@dataclass
class Case:
    """One command: its text for a drawn member, and the floor doing the same work."""

    name: str
    text: Callable[[str], str]
    floor: Callable[[Floor], Callable[[Who, str], None]]
    needs_unthanked: bool = False


CASES = (
    Case("logged-interview", lambda c: f'"{c}" date=yesterday', lambda f: f.logged_interview),
    Case("outreach", lambda _c: '"New Person" company=Globex', lambda f: f.outreach),
    Case("thanked", lambda c: f'"{c}"', lambda f: f.thanked, needs_unthanked=True),
    Case("pending", lambda _c: "", lambda f: f.pending),
    Case("goal", lambda _c: "", lambda f: f.goal),
    Case("mystats", lambda _c: "", lambda f: f.mystats),
)


@dataclass
class Figure:
    name: str
    median: float
    p99: float
    floor_median: float
    floor_p99: float

    @property
    def ratio(self) -> float:
        return self.median / self.floor_median

    @property
    def met(self) -> bool:
        return (
            self.median <= GOAL_MEDIAN_MS and self.p99 <= GOAL_P99_MS and self.ratio <= GOAL_RATIO
        )

    def line(self) -> str:
        return (
            f"/{self.name:<17}{self.median:7.2f} /{self.p99:7.2f}   floor {self.floor_median:6.2f}"
            f" /{self.floor_p99:6.2f}   {self.ratio:5.2f}x  {'ok' if self.met else 'MISSED'}"
        )


async def measure(path: Path, runs: int, rng: random.Random) -> list[Figure]:
    app = await Peerpath.open(
        Settings(DATABASE_URL=f"sqlite+aiosqlite:///{path}"), SimulatedClock(NOW), build_registry()
    )
    checkpointer = Checkpointer(path)  # as ``peerpath run`` does
    checkpointer.start()
    floor = Floor(path)
    people = roster(path)
    open_thanks = unthanked(path)
    rng.shuffle(open_thanks)
    figures = []
    try:
        for first in {who.group: who for who in people}.values():  # streak caches, pool
            await app.run_text(first.invocation(), "leaderboard", "view=streak")
        for case in CASES:
            ours, floors = [], []
            for _ in range(runs):
                if case.needs_unthanked:
                    who, contact = open_thanks.pop()
                    floor_who, floor_contact = open_thanks.pop()
                else:
                    who, floor_who = rng.choice(people), rng.choice(people)
                    contact = floor_contact = f"Contact {rng.randrange(seed.CONTACTS_EACH)}"
                started = time.perf_counter()
                reply = await app.run_text(who.invocation(), case.name, case.text(contact))
                reply_blocks(reply), fallback_text(reply)
                ours.append((time.perf_counter() - started) * 1000)
                assert not reply.is_error, (case.name, reply.text)
                started = time.perf_counter()
                case.floor(floor)(floor_who, floor_contact)
                floors.append((time.perf_counter() - started) * 1000)
            figures.append(Figure(case.name, *summary(ours), *summary(floors)))
    finally:
        floor.conn.close()
        await checkpointer.stop()
        await app.close()
    return figures


def run(size: Size, runs: int, path: Path) -> list[Figure]:
    if not path.exists():
        started = time.perf_counter()
        seed.seed(path, size)
        print(
            f"seeded {size.members:,} members in {size.groups} groups of {size.workspaces} "
            f"workspaces, {size.actions:,} actions: {time.perf_counter() - started:.1f} s"
        )
    figures = asyncio.run(measure(path, runs, random.Random(3)))
    print(
        f"commands, {runs} runs each: ms median / p99 (goal ≤ {GOAL_MEDIAN_MS} / "
        f"≤ {GOAL_P99_MS}, ≤ {GOAL_RATIO}x the plain-SQL floor)"
    )
    for figure in figures:
        print("  " + figure.line())
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "full"), default="full")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    size = seed.FULL if args.size == "full" else seed.SMALL
    run(size, args.runs, args.db or Path(f"bench-{args.size}.db"))


if __name__ == "__main__":
    main()
