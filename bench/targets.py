"""/targets for 200 target employers, and a 30,000-row /import, each beside its floor.

    python -m bench.targets [--runs 200] [--imports 5] [--dir PATH]

One member keeps 200 targets and 4,000 contacts at them (some friends and alumni), with
open and scheduled outreach and interviews, on a SQLite file made by our migrations.

- ``/targets`` through the core (the LAMP ranking of all 200 with advocacy and next step
  read from the logs, the first page rendered); its floor is the least SQL that gives the
  same ranking — one statement on the stdlib ``sqlite3`` driver with the contact,
  outreach and interview counts per employer joined in and the ORDER BY done by SQLite.
- ``/import`` of a 30,000-row LinkedIn ``Connections.csv``: the preview and the Import
  press through the core (the file is read twice, as a member's two steps do); its floor
  parses the CSV with the stdlib and inserts the rows with one ``executemany`` in one
  transaction.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.seed import summary
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.commands.catalog import build_registry
from bot.config import Settings
from bot.invocation import Invocation
from bot.option_types import Upload

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
TARGETS = 200
CONTACTS_EACH = 20
IMPORT_ROWS = 30_000
GOAL_TARGETS_MS = 20.0
GOAL_IMPORT_S = 5.0

FLOOR_SQL = """
SELECT t.company, t.motivation, t.posting,
       COUNT(DISTINCT c.id) AS people,
       SUM(c.how_known IN ('friend','family','alumni','colleague','referral')) AS warm,
       (SELECT COUNT(*) FROM interviews i JOIN contacts ci ON ci.id = i.contact_id
         WHERE i.member_id = t.member_id AND ci.company_key = t.company_key) AS held,
       (SELECT COUNT(*) FROM outreach o JOIN contacts co ON co.id = o.contact_id
         WHERE o.member_id = t.member_id AND co.company_key = t.company_key
           AND o.status IN ('sent','scheduled')) AS open
FROM targets t LEFT JOIN contacts c
  ON c.member_id = t.member_id AND c.company_key = t.company_key
WHERE t.member_id = ?
GROUP BY t.id
ORDER BY t.motivation DESC,
         CASE t.posting WHEN 'yes' THEN 0 WHEN 'unknown' THEN 1 ELSE 2 END,
         CASE WHEN held > 0 THEN 3 WHEN warm > 0 THEN 2 WHEN people > 0 THEN 1 ELSE 0 END DESC,
         t.company_key
"""


def who(user: str) -> Invocation:
    return Invocation("console", "bench", user, user, channel_id="dm")


def connections(rows: int, offset: int = 0) -> bytes:
    out = io.StringIO()
    out.write('Notes:\n"When exporting your connection data, you may notice..."\n\n')
    writer = csv.writer(out)
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    for n in range(rows):
        writer.writerow(
            [
                f"Person{offset + n}",
                f"Lastname, Jr {n % 97}",
                f"https://www.linkedin.com/in/p{offset + n}",
                "",
                f"Employer {n % 1500}, Inc.",
                "Engineer",
                "12 Nov 2025",
            ]
        )
    return out.getvalue().encode()


async def setup(app: Peerpath) -> None:
    """200 targets, 4,000 contacts at them (imported), outreach and interviews at some."""
    ann = who("ann")
    for n in range(TARGETS):
        reply = await app.run_text(
            ann, "targets", f'add company="Target {n}" motivation={n % 3 + 1} posting=yes new=yes'
        )
        assert not reply.is_error, reply.text
    rows = ["name,company,how-known"] + [
        f"Contact {t}-{k},Target {t},{'alumni' if k == 0 and t % 4 == 0 else 'other'}"
        for t in range(TARGETS)
        for k in range(CONTACTS_EACH)
    ]
    await import_file(app, ann, ("\n".join(rows) + "\n").encode())
    for t in range(0, TARGETS, 5):
        await app.run_text(ann, "outreach", f'"Contact {t}-1" date=yesterday')
    for t in range(0, TARGETS, 10):
        await app.run_text(ann, "logged-interview", f'"Contact {t}-2" date=yesterday')


async def import_file(app: Peerpath, invocation: Invocation, content: bytes) -> None:
    command = app.registry.commands["import"]
    preview = await app.run(invocation, command, {"file": Upload("Connections.csv", content)})
    assert preview.title == "Import preview", preview.text
    done = await app.press(invocation, preview.actions[0].id)
    assert done.title == "Contacts imported", done.text


def floor_import(path: Path, member_id: int, content: bytes) -> None:
    lines = content.decode("utf-8-sig").splitlines(keepends=True)
    reader = csv.reader(io.StringIO("".join(lines[4:])))
    now = NOW.isoformat(sep=" ")
    rows = [
        (1, member_id, f"{r[0]} {r[1]}", f"{r[0]} {r[1]}".casefold(), r[4], r[4].casefold(), r[5])
        for r in reader
    ]
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO contacts (workspace_id, member_id, name, name_key, company, company_key,"
            f" role, how_known, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'other', '{now}')",
            rows,
        )
    conn.close()


async def measure(path: Path, runs: int, imports: int) -> None:
    settings = Settings(DATABASE_URL=f"sqlite+aiosqlite:///{path}")
    app = await Peerpath.open(settings, SimulatedClock(NOW), build_registry())
    try:
        await setup(app)
        conn = sqlite3.connect(path)
        (member_id,) = conn.execute("SELECT id FROM members WHERE user_id = 'ann'").fetchone()
        ours, floors = [], []
        for _ in range(runs):
            started = time.perf_counter()
            reply = await app.run_text(who("ann"), "targets", "")
            ours.append((time.perf_counter() - started) * 1000)
            assert reply.title == f"Your target employers ({TARGETS})", reply.title
            started = time.perf_counter()
            ranked = conn.execute(FLOOR_SQL, (member_id,)).fetchall()
            floors.append((time.perf_counter() - started) * 1000)
            assert len(ranked) == TARGETS
        conn.close()
        (median, p99), (floor_median, floor_p99) = summary(ours), summary(floors)
        print(
            f"/targets, {TARGETS} targets, {runs} runs: {median:.2f} / {p99:.2f} ms "
            f"(goal ≤ {GOAL_TARGETS_MS:.0f} ms median); floor {floor_median:.2f} / "
            f"{floor_p99:.2f} ms; {median / floor_median:.1f}× floor",
            flush=True,
        )
        ours, floors = [], []
        for n in range(imports):
            content = connections(IMPORT_ROWS, offset=n * IMPORT_ROWS)
            started = time.perf_counter()
            await import_file(app, who(f"importer{n}"), content)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            floor_import(path, 10_000 + n, content)
            floors.append(time.perf_counter() - started)
        (median, p99), (floor_median, floor_p99) = summary(ours), summary(floors)
        print(
            f"/import of {IMPORT_ROWS:,} rows (preview + Import), {imports} runs: "
            f"{median:.2f} / {p99:.2f} s (goal ≤ {GOAL_IMPORT_S:.0f} s); floor "
            f"{floor_median:.2f} / {floor_p99:.2f} s; {median / floor_median:.1f}× floor",
            flush=True,
        )
    finally:
        await app.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--imports", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(argv)
    directory = args.dir or Path(tempfile.mkdtemp(prefix="peerpath-bench-"))
    path = directory / "targets.db"
    path.unlink(missing_ok=True)
    asyncio.run(measure(path, args.runs, args.imports))


if __name__ == "__main__":
    main()
