"""The shared benchmark install: tenants, groups, members and a year of logged actions.

Full size is 20 workspaces, 200 groups (10 per workspace), 10,000 members (50 per
group), 20 contacts each and 1,000,000 logged actions over 52 weeks (a tenth of them
interviews). Members live in a spread of real time zones, weighted roughly like an
international community; a few use their group's zone. Rows go in through the stdlib
``sqlite3`` with ``executemany`` (the fastest way to bulk-load SQLite) into a schema
made by our own Alembic migrations, so the benchmarks read exactly what production does.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.storage import db

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # a Wednesday
WEEKS = 52
CONTACTS_EACH = 20
# (zone, weight): where members of an international job-seekers' community tend to live.
ZONES = (
    ("America/New_York", 18),
    ("America/Los_Angeles", 10),
    ("America/Chicago", 8),
    ("America/Sao_Paulo", 4),
    ("Europe/London", 10),
    ("Europe/Berlin", 10),
    ("Europe/Madrid", 4),
    ("Africa/Lagos", 4),
    ("Asia/Kolkata", 12),
    ("Asia/Singapore", 4),
    ("Asia/Tokyo", 3),
    ("Australia/Sydney", 3),
    (None, 10),  # uses the group's zone
)
GROUP_ZONES = ("America/New_York", "Europe/London", "Asia/Kolkata", "Europe/Berlin")


@dataclass(frozen=True)
class Size:
    """How big an install to seed."""

    workspaces: int
    groups_each: int
    members_each: int  # per group
    actions: int

    @property
    def groups(self) -> int:
        return self.workspaces * self.groups_each

    @property
    def members(self) -> int:
        return self.groups * self.members_each


FULL = Size(workspaces=20, groups_each=10, members_each=50, actions=1_000_000)
SMALL = Size(workspaces=4, groups_each=5, members_each=50, actions=50_000)


def iso(moment: datetime) -> str:
    """How the schema stores UTC times on SQLite (naive, space-separated)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(samples: list[float]) -> tuple[float, float]:
    """(median, p99) of ``samples``."""
    return statistics.median(samples), percentile(samples, 0.99)


async def migrate(path: Path) -> None:
    engine = db.create_engine(f"sqlite+aiosqlite:///{path}")
    await db.upgrade(engine)
    await engine.dispose()


def member_of(workspace: int, group: int, n: int, size: Size) -> int:
    """The member id of the ``n``-th member of ``group`` (1-based ids, contiguous)."""
    return ((workspace * size.groups_each) + group) * size.members_each + n + 1


def seed(path: Path, size: Size, rng_seed: int = 11) -> None:
    """Create ``path`` (replacing it) with the install described by ``size``."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    asyncio.run(migrate(path))
    rng = random.Random(rng_seed)
    first_monday = (NOW - timedelta(days=NOW.weekday())).date() - timedelta(weeks=WEEKS - 1)
    created = iso(datetime.combine(first_monday, datetime.min.time(), tzinfo=UTC))
    zones, weights = zip(*ZONES, strict=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.executemany(
        "INSERT INTO workspaces (id, platform, external_id, name, created_at) "
        "VALUES (?, 'slack', ?, ?, ?)",
        ((w + 1, f"ws{w}", f"workspace {w}", created) for w in range(size.workspaces)),
    )
    groups, members, links, goals = [], [], [], []
    for w in range(size.workspaces):
        for g in range(size.groups_each):
            group_id = w * size.groups_each + g + 1
            groups.append(
                (group_id, w + 1, f"c{g}", f"cohort {g}", GROUP_ZONES[group_id % 4], created)
            )
            for n in range(size.members_each):
                m = member_of(w, g, n, size)
                zone = rng.choices(zones, weights)[0]
                members.append((m, w + 1, f"u{m}", f"member {m}", zone, created))
                links.append((group_id, m, created))
                goals.append((m, first_monday.isoformat(), created))
    conn.executemany(
        "INSERT INTO groups (id, workspace_id, channel_id, name, tz, digest_day, digest_hour, "
        "outreach_goal, interview_goal, created_at) VALUES (?, ?, ?, ?, ?, 0, 9, 5, 1, ?)",
        groups,
    )
    conn.executemany(
        "INSERT INTO members (id, workspace_id, user_id, display_name, tz, reminder_hour, "
        "quiet_start, quiet_end, reminders_on, leaderboard_on, created_at) "
        "VALUES (?, ?, ?, ?, ?, 9, 21, 8, 1, 1, ?)",
        members,
    )
    conn.executemany(
        "INSERT INTO group_members (group_id, member_id, joined_at, active) VALUES (?, ?, ?, 1)",
        links,
    )
    conn.executemany(
        "INSERT INTO member_goals (member_id, week_start, outreach, interviews, personal, "
        "created_at) VALUES (?, ?, 5, 1, 0, ?)",
        goals,
    )
    workspace_of = {m: w for m, w, *_ in members}
    conn.executemany(
        "INSERT INTO contacts (id, workspace_id, member_id, name, name_key, company, how_known, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, 'other', ?)",
        (
            (contact_id(m, c), workspace_of[m], m, f"Contact {c}", f"contact {c}", "Acme", created)
            for m in workspace_of
            for c in range(CONTACTS_EACH)
        ),
    )
    _actions(conn, size, rng, workspace_of, first_monday)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def contact_id(member: int, n: int) -> int:
    return (member - 1) * CONTACTS_EACH + n + 1


def _actions(
    conn: sqlite3.Connection,
    size: Size,
    rng: random.Random,
    workspace_of: dict[int, int],
    first_monday: date,
) -> None:
    """Logged outreach and interviews spread over the year, up to yesterday."""
    span = (NOW.date() - first_monday).days  # through yesterday
    outreach, interviews = [], []
    for n in range(1, size.actions + 1):
        m = rng.randint(1, size.members)
        day = first_monday + timedelta(days=rng.randrange(span))
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
        contact = contact_id(m, n % CONTACTS_EACH)
        if n % 10 == 0:
            thanked = at + timedelta(days=1) if n % 4 else None
            interviews.append(
                (n, workspace_of[m], m, contact, day.isoformat(), iso(at),
                 (day + timedelta(days=7)).isoformat(), thanked and iso(thanked),
                 thanked and thanked.date().isoformat(), iso(at))
            )  # fmt: skip
        else:
            outreach.append(
                (n, workspace_of[m], m, contact, day.isoformat(), iso(at), iso(at), iso(at))
            )
    conn.executemany(
        "INSERT INTO outreach (id, workspace_id, member_id, contact_id, via, sent_on, sent_at, "
        "status, status_at, created_at) VALUES (?, ?, ?, ?, 'email', ?, ?, 'no-response', ?, ?)",
        outreach,
    )
    conn.executemany(
        "INSERT INTO interviews (id, workspace_id, member_id, contact_id, held_on, held_at, "
        "referral_count, thank_you_due_on, thanked_at, thanked_on, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
        interviews,
    )
