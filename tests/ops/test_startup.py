"""Start-up failures speak in one line: ``peerpath run`` names the setting or service and
what to do. A setting to fix exits with the configuration status (2) at once; a service
that is down is retried with backoff while ``/healthz`` answers and ``/readyz`` says what
is missing — and once it is back, the process carries on by itself."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes.discord_api import FakeDiscord
from tests.fakes.slack_web_api import FakeSlack
from tests.ops.processes import Process, clean_env, slack_env
from tests.support import NO_POSTGRES, POSTGRES_URL

CONFIG_EXIT = 2
LOGGED = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ")  # a log line, not a message


def free_port() -> int:
    """A port nothing listens on (bound and released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def said(process: Process) -> list[str]:
    """What the process printed besides its log lines."""
    return [line for line in process.lines if not LOGGED.match(line)]


def sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'peerpath.db'}"


async def refused(env: dict[str, str], tmp_path: Path) -> str:
    """Run ``peerpath run``; it must exit with the configuration status, having printed one
    line and no traceback. That line."""
    process = await Process("run", env=env, cwd=tmp_path).start()
    code = await process.exit()
    assert code == CONFIG_EXIT, process.log()
    assert "Traceback" not in process.log()
    [line] = said(process)
    return line


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        (
            "PEERPATH_DEFAULT_TZ",
            "Mars/Base",
            "PEERPATH_DEFAULT_TZ (got 'Mars/Base'): not a time zone",
        ),
        ("DATABASE_URL", "nonsense", "DATABASE_URL: not a database URL; expected e.g. sqlite"),
        ("DATABASE_URL", "mysql://u@h/db", "DATABASE_URL: peerpath runs on SQLite or PostgreSQL"),
        ("PEERPATH_LOG_LEVEL", "LOUD", "PEERPATH_LOG_LEVEL (got 'LOUD'): must be one of DEBUG"),
        ("PEERPATH_PORT", "http", "PEERPATH_PORT (got 'http'): Input should be a valid integer"),
        ("SLACK_API_URL", "slack.com/api", "SLACK_API_URL (got 'slack.com/api'): must be a URL"),
        *(
            (
                "PEERPATH_UNINSTALLED_RETENTION_DAYS",
                days,
                f"PEERPATH_UNINSTALLED_RETENTION_DAYS (got '{days}'): must be a number of days "
                "from 0 to 3650",
            )
            for days in ("740000", "99999999999", "-1")
        ),
        (
            "PEERPATH_PUBLIC_URL",
            "peerpath.example.org",
            "PEERPATH_PUBLIC_URL (got 'peerpath.example.org'): must be the address people "
            "reach peerpath at: http(s):// and a host, e.g. https://peerpath.example.org",
        ),
    ],
)
async def test_an_invalid_setting_is_named_at_load(
    tmp_path: Path, setting: str, value: str, expected: str
) -> None:
    fake = FakeSlack()  # never reached: settings are checked before anything starts
    env = slack_env(fake, sqlite(tmp_path)) | {setting: value}
    assert (await refused(env, tmp_path)).startswith(expected)
    assert not (tmp_path / "peerpath.db").exists()


async def test_an_unwritable_database_directory_is_named(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a directory")
    env = slack_env(FakeSlack(), f"sqlite:///{tmp_path / 'afile' / 'peerpath.db'}")
    line = await refused(env, tmp_path)
    assert line.startswith(f"Cannot write the database directory {tmp_path / 'afile'} (")
    assert "set DATABASE_URL to a file in a writable directory" in line


async def test_a_port_in_use_is_named(tmp_path: Path) -> None:
    fake = FakeSlack()
    await fake.start()
    try:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            env = slack_env(fake, sqlite(tmp_path), PEERPATH_PORT=str(port))
            line = await refused(env, tmp_path)
    finally:
        await fake.stop()
    assert line.startswith(f"Cannot listen on 127.0.0.1:{port} (address already in use)")
    assert "PEERPATH_PORT" in line


async def test_a_refused_slack_token_is_named(tmp_path: Path) -> None:
    fake = FakeSlack()
    await fake.start()
    fake.fail("auth.test", "invalid_auth")
    try:
        line = await refused(slack_env(fake, sqlite(tmp_path)), tmp_path)
    finally:
        await fake.stop()
    assert line.startswith("Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User")


async def test_a_refused_discord_token_is_named(tmp_path: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    env = clean_env(
        DISCORD_TOKEN="wrong-token",
        DISCORD_API_URL=fake.api_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        DATABASE_URL=sqlite(tmp_path),
    )
    try:
        line = await refused(env, tmp_path)
    finally:
        await fake.close()
    assert line.startswith("Discord refused DISCORD_TOKEN (401 Unauthorized)")


@pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)
async def test_a_missing_postgresql_database_is_named(tmp_path: Path) -> None:
    assert POSTGRES_URL is not None
    missing = POSTGRES_URL.rsplit("/", 1)[0] + "/peerpath_no_such_database"
    line = await refused(slack_env(FakeSlack(), missing), tmp_path)
    assert "The PostgreSQL database 'peerpath_no_such_database' does not exist" in line
    assert "createdb peerpath_no_such_database" in line


async def waits_for(process: Process, line: str, missing: str) -> None:
    """``process`` says ``line`` and will retry; meanwhile it is alive but not ready."""
    await process.serving()
    match = await process.logged(re.escape(line) + r" retrying in 1 s")
    assert match
    assert await process.get("/healthz") == (200, "ok")
    status, body = await process.get("/readyz")
    assert status == 503 and missing in body, body
    assert "Traceback" not in process.log()


async def stops(process: Process) -> None:
    code, seconds = await process.terminate()
    assert code == 0 and seconds < 5, process.log()
    assert "Traceback" not in process.log()


async def test_slack_out_of_reach_is_retried_until_it_answers(tmp_path: Path) -> None:
    fake = FakeSlack()
    port = free_port()
    env = slack_env(fake, sqlite(tmp_path), SLACK_API_URL=f"http://127.0.0.1:{port}/api")
    process = await Process("run", env=env, cwd=tmp_path).start()
    try:
        await waits_for(
            process,
            f"Cannot reach Slack at http://127.0.0.1:{port}/api/ (connection refused): "
            "is SLACK_API_URL right?",
            "slack: not connected",
        )
        await fake.start(port)  # Slack is back: the next attempt connects
        await process.logged("slack adapter ready")
        assert await process.get("/readyz") == (200, "database: ok\nslack: ok\nreminders: ok\n")
        await stops(process)
    finally:
        await process.kill()
        await fake.stop()


async def test_discord_out_of_reach_is_retried(tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(
        DISCORD_TOKEN="test-token",
        DISCORD_API_URL=f"http://127.0.0.1:{port}/api/v10",
        DATABASE_URL=sqlite(tmp_path),
    )
    process = await Process("run", env=env, cwd=tmp_path).start()
    try:
        await waits_for(
            process,
            f"Cannot reach Discord at http://127.0.0.1:{port}/api/v10 (connection refused): "
            "is DISCORD_API_URL right?",
            "discord: not connected",
        )
        await stops(process)
    finally:
        await process.kill()


@pytest.mark.parametrize(
    "database",
    [
        lambda port: f"postgresql+asyncpg://peerpath:secret@127.0.0.1:{port}/peerpath",
        lambda port: f"postgres://peerpath:secret@127.0.0.1:{port}/peerpath",
    ],
    ids=["asyncpg", "postgres-scheme"],
)
async def test_postgresql_out_of_reach_is_retried(
    tmp_path: Path, database: Callable[[int], str]
) -> None:
    port = free_port()
    process = Process("run", env=slack_env(FakeSlack(), database(port)), cwd=tmp_path)
    await process.start()
    try:
        await waits_for(
            process,
            f"Cannot reach the database at 127.0.0.1:{port} (connection refused): is "
            "DATABASE_URL right and PostgreSQL running?",
            "database: unreachable",
        )
        assert "secret" not in process.log()  # the password is never repeated
        await stops(process)
    finally:
        await process.kill()
