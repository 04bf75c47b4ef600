"""The per-request token lookup with many workspaces: a hit in memory, a miss one query.

    python -m bench.installs [--dir PATH] [--teams 10000] [--runs 2000]

Every Slack request in OAuth mode is authorized with its team's bot token, and every
reminder is sent with it (``adapters/slack/installs.py``). Measured on a SQLite file
made by peerpath's migrations, holding ``--teams`` installations saved through
slack_sdk's own store:

- **hit**: the token of a team looked up moments ago (goal ≤ 0.1 ms). Floor: reading
  a token from a dict.
- **miss**: a team not in memory: one indexed query on ``slack_bots`` through the store
  (``find_bot``). Floor: the same query, hand-written, on the stdlib ``sqlite3``.

It also prints the statements a miss runs and SQLite's plan for them.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy import event

from adapters.slack.installs import Installations
from bot.storage import db

CLIENT_ID = "1111.2222"
GOAL_HIT_MS = 0.1
FIND_BOT = (
    "SELECT bot_token FROM slack_bots WHERE client_id = ? AND enterprise_id IS NULL "
    "AND team_id = ? AND bot_token IS NOT NULL ORDER BY installed_at DESC LIMIT 1"
)


def team(n: int) -> str:
    return f"T{n:08d}"


async def _times(call: Callable[[int], Awaitable[object]], runs: int) -> list[float]:
    """Milliseconds per call, the ``i``-th call getting ``i``."""
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        await call(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _line(label: str, samples: list[float], floor: list[float]) -> str:
    median, p99 = statistics.median(samples), statistics.quantiles(samples, n=100)[98]
    floor_median = statistics.median(floor)
    return (
        f"  {label:<6} {median:9.4f} / {p99:8.4f} ms   floor {floor_median:9.4f} ms   "
        f"{median / floor_median:8.1f}× floor"
    )


async def measure(path: Path, teams: int, runs: int) -> None:
    engine = db.create_engine(f"sqlite+aiosqlite:///{path}")
    await db.upgrade(engine)
    store = AsyncSQLAlchemyInstallationStore(CLIENT_ID, engine)
    print(f"saving {teams} installations …", flush=True)
    for n in range(teams):
        await store.async_save(
            Installation(
                app_id="A0PEERPATH",
                enterprise_id=None,
                team_id=team(n),
                bot_token=f"xoxb-{n}",
                bot_id=f"B{n}",
                bot_user_id=f"U{n}",
                bot_scopes="commands,chat:write",
                user_id="U0INSTALLER",
            )
        )
    installations = Installations(store)
    await installations.bot_token(team(0))

    async def hit(_: int) -> object:
        return await installations.bot_token(team(0))

    memory = {(None, team(0)): "xoxb-0"}

    async def dict_read(_: int) -> object:
        return memory.get((None, team(0)))

    async def miss(i: int) -> object:
        wanted = team(i % teams)
        installations.forget(None, wanted)
        return await installations.bot_token(wanted)

    plain = sqlite3.connect(path)

    async def by_hand(i: int) -> object:
        return plain.execute(FIND_BOT, (CLIENT_ID, team(i % teams))).fetchone()

    for call in (hit, miss, by_hand):  # warm up
        await _times(call, runs // 10)
    hits, floor_hits = await _times(hit, runs), await _times(dict_read, runs)
    misses, floor_misses = await _times(miss, runs), await _times(by_hand, runs)
    print(f"token lookup, {teams} installed teams, {runs} runs: median / p99")
    print(_line("hit", hits, floor_hits) + f"   goal ≤ {GOAL_HIT_MS} ms")
    print(_line("miss", misses, floor_misses) + "   goal: one indexed query")

    statements: list[str] = []

    def seen(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        statements.append(sql)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    await miss(1)
    event.remove(engine.sync_engine, "before_cursor_execute", seen)
    print(f"  a miss ran {len(statements)} statement(s)")
    for row in plain.execute("EXPLAIN QUERY PLAN " + FIND_BOT, (CLIENT_ID, team(1))):
        print(f"  plan: {row[-1]}")
    plain.close()
    await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="peerpath-installs-") as scratch:
        folder = args.dir or Path(scratch)
        path = folder / "installs.db"
        path.unlink(missing_ok=True)
        asyncio.run(measure(path, args.teams, args.runs))


if __name__ == "__main__":
    main()
