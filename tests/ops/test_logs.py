"""Log lines carry the workspace and command, in text or JSON, and never user text."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot import logs
from bot.app import Peerpath
from tests.support import Person

NOTE = "salary was 95k, she hates her manager"


@pytest.fixture
def captured(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """Everything peerpath logs at INFO and up, formatted as ``request.param`` says."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.ContextFilter())
    style = getattr(request, "param", "json")
    handler.setFormatter(logs.JsonFormatter() if style == "json" else logs.TextFormatter())
    logger = logging.getLogger("peerpath")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


async def test_json_lines_name_workspace_and_command_but_no_notes_or_contacts(
    captured: io.StringIO, ann: Person
) -> None:
    await ann.say(f'/logged-interview "Jane Doe" company=Acme notes="{NOTE}"')
    await ann.say('/outreach "Jo Roe" via=pigeon')  # refused: the bad value is not logged
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    done = {line["command"]: line for line in lines if line["logger"] == "peerpath.commands"}
    interview = done["/logged-interview"]
    assert interview["workspace"] == "acme-cohort" and interview["level"] == "INFO"
    assert interview["message"].startswith("/logged-interview ok in ")
    assert done["/outreach"]["message"].startswith("/outreach refused in ")
    everything = captured.getvalue()
    for private in ("Jane Doe", "Jo Roe", "Acme", "95k", "pigeon"):
        assert private not in everything


@pytest.mark.parametrize("captured", ["text"], indirect=True)
async def test_text_lines_end_with_the_workspace_and_command(
    captured: io.StringIO, ann: Person
) -> None:
    await ann.say("/pending")
    [line] = [x for x in captured.getvalue().splitlines() if "peerpath.commands" in x]
    assert line.endswith("[workspace=acme-cohort command=/pending]")
    logging.getLogger("peerpath").warning("outside any command")
    assert captured.getvalue().splitlines()[-1].endswith(": outside any command")


async def test_database_errors_never_carry_statement_parameters(app: Peerpath) -> None:
    with pytest.raises(DBAPIError) as failure:
        async with app.engine.connect() as connection:
            await connection.execute(text("SELECT no_such_column WHERE :note = ''"), {"note": NOTE})
    assert NOTE not in str(failure.value)
    assert "parameters hidden" in str(failure.value)


def test_bound_fields_are_restored_after_the_block() -> None:
    record = logging.LogRecord("peerpath", logging.INFO, __file__, 1, "m", None, None)
    with logs.bound(workspace="T1", command="/goal"):
        logs.ContextFilter().filter(record)
        assert (record.workspace, record.command) == ("T1", "/goal")
    logs.ContextFilter().filter(record)
    assert (record.workspace, record.command, record.where) == (None, None, "")


def withheld(name: str, message: str, *args: object, failure: Exception | None = None) -> str:
    """What a record from logger ``name`` looks like once :class:`logs.Withheld` has seen it."""
    exc_info = None
    if failure is not None:
        try:
            raise failure
        except Exception as error:
            exc_info = (type(error), error, error.__traceback__)
    record = logging.LogRecord(name, logging.DEBUG, __file__, 1, message, args, exc_info)
    assert logs.Withheld().filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_library_records_keep_their_wording_and_lose_their_values() -> None:
    assert withheld("discord.http", "%s %s with %s has returned %d", "POST", "/x", NOTE, 200) == (
        "… … with … has returned …"
    )
    assert withheld("slack_bolt.App", f"Invalid request signature detected (body: {NOTE})") == (
        "Invalid request signature detected …"
    )
    assert withheld("aiosqlite", "100%% of %s", NOTE) == "100% of …"
    assert (
        withheld("asyncio", "Task failed", failure=ValueError(NOTE)) == "Task failed [ValueError]"
    )
    own = withheld("peerpath.slack", "failed", failure=ValueError("https://hooks.x/T1/secret ok"))
    assert own.startswith("failed\nTraceback") and own.endswith("ValueError: https://hooks.x/… ok")


@pytest.mark.parametrize("captured", ["text", "json"], indirect=True)
def test_a_newline_in_a_message_or_its_values_cannot_forge_a_line(captured: io.StringIO) -> None:
    forged = "x\n2026-12-01 00:00:00 ERROR peerpath: forged\r\x1b[2J\u2028"
    log = logging.getLogger("peerpath.slack")
    log.warning("an installation did not complete (%s)", forged)
    log.warning(f"said {forged}")
    lines = captured.getvalue().splitlines()
    assert len(lines) == 2 and "\x1b" not in captured.getvalue()
    for line in lines:
        shown = json.loads(line)["message"] if line.startswith("{") else line
        assert "ERROR peerpath: forged" in shown  # inside the line, not a line of its own
