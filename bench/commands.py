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
import itertools
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


def undoable(path: Path) -> list[tuple[Who, str]]:
    """(member, "") whose most recent log, within the day, is an outreach: what /undo takes
    back in the measured case (the outreach samples logged them)."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT e.member_id, m.workspace_id, gm.group_id FROM log_entries e "
        "JOIN members m ON m.id = e.member_id JOIN group_members gm ON gm.member_id = m.id "
        "WHERE e.kind = 'outreach' AND e.id = (SELECT max(f.id) FROM log_entries f "
        "WHERE f.member_id = e.member_id)"
    ).fetchall()
    conn.close()
    return [(Who(m, w, g), "") for m, w, g in rows]


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
        self.now = iso(NOW) + ".000000"  # as the core writes it: log order is by time
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

    def log_entry(
        self, workspace: int, member: int, kind: str, outreach: int | None, interview: int | None
    ) -> None:
        """What every log writes beside its rows, for /undo."""
        self.conn.execute(
            "INSERT INTO log_entries (workspace_id, member_id, kind, outreach_id, interview_id, "
            'changes, created_at) VALUES (?, ?, ?, ?, ?, \'{"contact": {"new": true}}\', ?)',
            (workspace, member, kind, outreach, interview, self.now),
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
        # No contact has the name: the near matches are looked for among all of the member's.
        self.conn.execute(
            "SELECT id, name_key, company FROM contacts WHERE member_id = ?", (member,)
        ).fetchall()
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
        self.log_entry(workspace, member, "outreach", cursor.lastrowid, None)
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
        due = (held_on + timedelta(days=7)).isoformat()
        cursor = self.conn.execute(
            "INSERT INTO interviews (workspace_id, member_id, contact_id, held_on, held_at, "
            "referral_count, thank_you_due_on, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
            (workspace, member, contact, day, self.now, due, self.now),
        )
        self.covering(member, held_on)
        self.nudges(
            workspace, member, ("thanks-first", "thanks-due", "thanks-overdue"), cursor.lastrowid
        )
        self.log_entry(workspace, member, "interview", None, cursor.lastrowid)
        self.conn.execute("COMMIT")

    def thanked(self, who: Who, name: str) -> None:
        self.conn.execute("BEGIN")
        workspace, member = self.context(who)
        self.conn.execute(  # the notes waiting: what a near match may offer
            "SELECT i.id, c.id FROM interviews i JOIN contacts c ON c.id = i.contact_id "
            "WHERE i.member_id = ? AND i.thanked_at IS NULL",
            (member,),
        ).fetchall()
        contact = self.contact(member, name)
        rows = self.conn.execute(
            "SELECT id, thanked_at FROM interviews WHERE member_id = ? AND contact_id = ? "
            "ORDER BY held_on DESC",
            (member, contact),
        ).fetchall()
        waiting = [(i,) for i, thanked in rows if thanked is None]
        self.conn.executemany(
            f"UPDATE interviews SET thanked_at = '{self.now}', thanked_on = "
            f"'{NOW.date().isoformat()}' WHERE id = ?",
            waiting,
        )
        if waiting:  # a draw whose notes were all marked earlier in the run marks nothing
            self.log_entry(workspace, member, "thanked", None, waiting[0][0])
        self.conn.execute("COMMIT")

    def pending(self, who: Who, _arg: str) -> None:
        self.conn.execute("BEGIN")
        _workspace, member = self.context(who)
        for sql in (
            "SELECT i.held_on, i.thank_you_due_on, c.name FROM interviews i JOIN contacts c "
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
            "SELECT count(*), sum(referral_count), count(*) FILTER (WHERE thanked_on <= "
            "thank_you_due_on), count(*) FILTER (WHERE thanked_on IS NOT NULL "
            "OR thank_you_due_on < ?) "
            "FROM interviews WHERE member_id = ?",
            (NOW.date().isoformat(), member),
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

    def history(self, who: Who, _arg: str) -> None:
        """The last 15 logs: a member's newest outreach and interviews, with their contacts."""
        self.conn.execute("BEGIN")
        _workspace, member = self.context(who)
        for table in ("outreach", "interviews"):
            self.conn.execute(
                f"SELECT t.*, c.name, c.company FROM {table} t JOIN contacts c "
                f"ON c.id = t.contact_id WHERE t.id IN (SELECT id FROM {table} "
                "WHERE member_id = ? ORDER BY id DESC LIMIT 15)",
                (member,),
            ).fetchall()
        self.conn.execute("COMMIT")

    def undo(self, who: Who, _arg: str) -> None:
        """Take back the member's latest log, an outreach to a contact it added: the entry,
        the row, its reminders not yet sent, the cached streak, the contact; then the week."""
        self.conn.execute("BEGIN")
        _workspace, member = self.context(who)
        q = self.conn.execute
        entry, outreach = q(
            "SELECT id, outreach_id FROM log_entries WHERE member_id = ? AND created_at >= ? "
            "ORDER BY created_at DESC, id DESC LIMIT 1",
            (member, iso(NOW - timedelta(days=1))),
        ).fetchone()
        sent_on, contact = q(
            "SELECT o.sent_on, c.id FROM outreach o JOIN contacts c ON c.id = o.contact_id "
            "WHERE o.id = ? AND o.member_id = ?",
            (outreach, member),
        ).fetchone()
        q("DELETE FROM log_entries WHERE id = ?", (entry,))
        q("DELETE FROM log_entries WHERE member_id = ? AND outreach_id = ?", (member, outreach))
        q(
            "DELETE FROM nudges WHERE member_id = ? AND subject_id = ? AND status = 'pending' "
            "AND kind IN ('second-person', 'follow-up', 'interview-prep', 'interview-log')",
            (member, outreach),
        )
        self.covering(member, date.fromisoformat(sent_on))
        q("DELETE FROM outreach WHERE id = ?", (outreach,))
        used = q("SELECT 1 FROM outreach WHERE contact_id = ? LIMIT 1", (contact,)).fetchone()
        used = (
            used
            or q("SELECT 1 FROM interviews WHERE contact_id = ? LIMIT 1", (contact,)).fetchone()
        )
        if not used:
            q("DELETE FROM contacts WHERE id = ?", (contact,))
        self._week(member)
        self.conn.execute("COMMIT")


# ---- the measurement ----------------------------------------------------------------


@dataclass
class Case:
    """One command: its text for a drawn member, and the floor doing the same work.
    ``draws`` picks (member, contact) pairs from a list made for the case (members with a
    thank-you waiting, or with an outreach to take back); otherwise members are random."""

    name: str
    text: Callable[[str], str]
    floor: Callable[[Floor], Callable[[Who, str], None]]
    draws: Callable[[Path], list[tuple[Who, str]]] | None = None


NEW_NAMES = (f"New person {n}" for n in itertools.count())  # someone new every time

CASES = (
    Case("logged-interview", lambda c: f'"{c}" date=yesterday', lambda f: f.logged_interview),
    Case("outreach", lambda _c: f'"{next(NEW_NAMES)}" company=Globex', lambda f: f.outreach),
    Case("thanked", lambda c: f'"{c}"', lambda f: f.thanked, draws=unthanked),
    Case("pending", lambda _c: "", lambda f: f.pending),
    Case("goal", lambda _c: "", lambda f: f.goal),
    Case("mystats", lambda _c: "", lambda f: f.mystats),
    Case("history", lambda _c: "", lambda f: f.history),
    Case("undo", lambda _c: "confirm=yes", lambda f: f.undo, draws=undoable),
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
    figures = []
    try:
        for first in {who.group: who for who in people}.values():  # streak caches, pool
            await app.run_text(first.invocation(), "leaderboard", "view=streak")
        for case in CASES:
            ours, floors = [], []
            drawn = case.draws(path) if case.draws else []
            rng.shuffle(drawn)
            for _ in range(min(runs, len(drawn) // 2) if case.draws else runs):
                if case.draws:
                    who, contact = drawn.pop()
                    floor_who, floor_contact = drawn.pop()
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
