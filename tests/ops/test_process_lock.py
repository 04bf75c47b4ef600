"""A second serving process on one SQLite file is refused with a clear message; the lock
goes with the first process, however it ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage.process_lock import AlreadyRunning, sole_user
from tests.fakes.slack_web_api import FakeSlack
from tests.ops.processes import Process, clean_env, slack_env
from tests.support import NO_POSTGRES, POSTGRES_URL


async def console(database: Path, cwd: Path) -> Process:
    """A console holding the database: it has answered a command and waits for more."""
    env = clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{database}")
    process = await Process("console", env=env, cwd=cwd).start(stdin=True)
    process.process.stdin.write(b"/prep\n")
    await process.process.stdout.readline()  # the reply: the database is open and locked
    return process


async def test_a_second_run_on_the_same_sqlite_file_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "peerpath.db"
    fake = FakeSlack()
    await fake.start()
    first = await console(database, tmp_path)
    try:
        second = Process("run", env=slack_env(fake, f"sqlite:///{database}"), cwd=tmp_path)
        await second.start()
        assert await second.exit() == 3
        assert f"is already using {database}" in second.log()
        assert f"pid {first.process.pid}" in second.log()
        assert "PostgreSQL" in second.log()
        assert "Traceback" not in second.log()
        assert fake.calls == []  # refused before connecting to anything
    finally:
        await first.kill()  # even a SIGKILL leaves no stale lock behind
        await fake.stop()

    # Once the first is gone, the file is free again.
    last = await console(database, tmp_path)
    last.process.stdin.close()  # end of input: the console leaves
    assert await last.exit() == 0


def test_the_lock_is_per_file(tmp_path: Path) -> None:
    with sole_user(f"sqlite:///{tmp_path / 'a.db'}"), sole_user(f"sqlite:///{tmp_path / 'b.db'}"):
        with pytest.raises(AlreadyRunning), sole_user(f"sqlite:///{tmp_path / 'a.db'}"):
            pass


@pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)
def test_postgresql_takes_no_lock(tmp_path: Path) -> None:
    with sole_user(POSTGRES_URL), sole_user(POSTGRES_URL):
        assert list(tmp_path.iterdir()) == []


async def test_a_symlink_to_the_same_file_finds_the_same_lock(tmp_path: Path) -> None:
    database = tmp_path / "data" / "peerpath.db"
    database.parent.mkdir()
    (tmp_path / "elsewhere").symlink_to(database.parent)
    first = await console(database, tmp_path)
    try:
        link = tmp_path / "link.db"
        link.symlink_to(database)
        with pytest.raises(AlreadyRunning), sole_user(f"sqlite:///{link}"):
            pass
        with pytest.raises(AlreadyRunning, match=f"is already using {database}"):
            with sole_user(f"sqlite:///{tmp_path / 'elsewhere' / 'peerpath.db'}"):
                pass
    finally:
        await first.kill()
