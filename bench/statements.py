"""What one short statement costs, by the road it takes to SQLite.

    python -m bench.statements [--db PATH] [--runs 2000]

A command runs a handful of short, indexed statements, so their fixed cost is most
of its time. Measured on the same file, the same member lookup: the stdlib
``sqlite3`` call (the floor), aiosqlite alone, SQLAlchemy Core over the stock
aiosqlite adapter, and the same over ``bot.sqlite_adapter`` (one thread crossing
per statement, which the product uses).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiosqlite
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import create_async_engine

from bot.models import Member
from bot.storage import db

LOOKUP = "SELECT id, tz FROM members WHERE workspace_id = ? AND user_id = ?"
CORE = select(Member.id, Member.tz).where(
    Member.workspace_id == bindparam("w"), Member.user_id == bindparam("u")
)


async def _per_call(call: Callable[[], Awaitable[object]], runs: int) -> float:
    for _ in range(runs // 10):
        await call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1e6)
    return statistics.median(samples)


async def measure(path: Path, runs: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    plain = sqlite3.connect(path)

    async def stdlib() -> None:
        plain.execute(LOOKUP, (1, "u5")).fetchall()

    figures["stdlib sqlite3 (floor)"] = await _per_call(stdlib, runs)
    plain.close()
    async with aiosqlite.connect(path) as connection:

        async def bare() -> None:
            await connection.execute_fetchall(LOOKUP, (1, "u5"))

        figures["aiosqlite alone"] = await _per_call(bare, runs)
    url = f"sqlite+aiosqlite:///{path}"
    for label, engine in (
        ("SQLAlchemy Core, stock aiosqlite adapter", create_async_engine(url)),
        ("SQLAlchemy Core, one-crossing adapter", db.create_engine(url)),
    ):
        async with engine.connect() as connection:

            async def core(c=connection) -> None:  # noqa: ANN001
                (await c.execute(CORE, {"w": 1, "u": "u5"})).all()

            figures[label] = await _per_call(core, runs)
        await engine.dispose()
    return figures


def run(path: Path, runs: int) -> dict[str, float]:
    figures = asyncio.run(measure(path, runs))
    print(f"one member lookup, {runs} runs: median µs")
    for label, micros in figures.items():
        print(f"  {label:<44}{micros:8.0f}")
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("bench-full.db"))
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args(argv)
    run(args.db, args.runs)


if __name__ == "__main__":
    main()
