"""A SQLite file removed or replaced under a running ``peerpath run`` is noticed: commands
answer "temporarily unavailable" instead of "done" (into a file nobody will see again),
``/readyz`` turns 503, and one ERROR line says what happened."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes.slack_requests import SlackSide
from tests.fakes.slack_web_api import FakeSlack
from tests.ops.processes import Process, slack_env


def removed(path: Path) -> None:
    path.unlink()


def replaced(path: Path) -> None:
    copy = path.with_name("copy.db")
    shutil.copy(path, copy)
    os.replace(copy, path)  # same name and contents, another file


@pytest.mark.parametrize("change", [removed, replaced])
async def test_a_database_file_removed_or_replaced_makes_commands_unavailable(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    database = tmp_path / "peerpath.db"
    fake = FakeSlack()
    await fake.start()
    process = Process("run", env=slack_env(fake, f"sqlite:///{database}"), cwd=tmp_path)
    await process.start()
    try:
        await process.ready()
        slack = SlackSide(fake, f"{process.base}/slack/events")

        async def title(line: str) -> str:
            sent = await slack.command("outreach", line)

            def answers() -> list[dict]:
                calls = fake.called("response_url")
                return [c.params for c in calls if c.params["_url"] == sent.response_url]

            await fake.wait_until(answers)
            [answer] = answers()
            return answer["blocks"][0]["text"]["text"]

        assert await title('"Jane Doe"') == "Outreach logged"
        change(database)
        assert await title('"Jo Roe"') == "Temporarily unavailable"
        assert await title('"Al Bo"') == "Temporarily unavailable"
        assert await process.get("/readyz") == (
            503,
            "database: file removed or replaced\nslack: ok\nreminders: ok\n",
        )
        code, _ = await process.terminate()
    finally:
        await process.kill()
        await fake.stop()
    assert code == 0, process.log()
    errors = [line for line in process.lines if " ERROR " in line]
    assert len(errors) == 1, process.log()
    assert (
        f"the database file {database} was {change.__name__} while peerpath was running"
        in (errors[0])
    )
    assert "Traceback" not in process.log()
