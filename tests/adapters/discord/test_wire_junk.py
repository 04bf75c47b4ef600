"""Malformed interactions down the fake gateway: ignored with a log line, nothing written,
and the bot stays connected — the next well-formed command is answered on the same
connection, without a new IDENTIFY."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import Peerpath
from bot.models import Base
from tests.adapters.discord.support import embed_of, running_bot, slash
from tests.fakes.discord_api import FakeDiscord, guild_interaction, interaction_event

# Payloads discord.py cannot read: each must be dropped with a log line.
BROKEN: dict[str, dict[str, Any]] = {
    "empty": {},
    "type is a string": {"type": "2", "data": {"name": "outreach"}},
    "unknown type": guild_interaction("111", 99, {"name": "outreach"}),
    "a ping": guild_interaction("111", 1, {}),
    "button with no id": guild_interaction("111", 3, {"component_type": 2}),
    "no data": {**guild_interaction("111", 2, {}), "data": None},
    "data is a list": {**guild_interaction("111", 2, {}), "data": ["outreach"]},
}
# Well-formed but pointing nowhere or wrongly typed: answered by nothing or by an error.
UNROUTABLE: dict[str, dict[str, Any]] = {
    "no user at all": {
        k: v for k, v in guild_interaction("111", 2, {"name": "pending"}).items() if k != "member"
    },
    "unknown command": guild_interaction("111", 2, {"name": "no-such-command", "type": 1}),
    "option of the wrong type": guild_interaction(
        "111",
        2,
        {"name": "settings", "type": 1, "options": [{"name": "hour", "type": 4, "value": []}]},
    ),
    "unknown option": guild_interaction(
        "111",
        2,
        {"name": "outreach", "type": 1, "options": [{"name": "evil", "type": 3, "value": "x"}]},
    ),
    "button with a junk id": guild_interaction(
        "111", 3, {"custom_id": "\x00" * 100, "component_type": 2}
    ),
    "modal with junk": guild_interaction("111", 5, {"custom_id": "peerpath:", "components": 7}),
}


@pytest.fixture
def fake(fake_discord: FakeDiscord) -> FakeDiscord:
    return fake_discord


async def counts(app: Peerpath) -> dict[str, int]:
    async with app.sessions() as session:
        return {
            name: await session.scalar(select(func.count()).select_from(table))
            for name, table in Base.metadata.tables.items()
        }


@pytest.mark.parametrize("case", sorted(BROKEN) + sorted(UNROUTABLE))
async def test_a_malformed_interaction_is_ignored_and_the_bot_stays_connected(
    app: Peerpath, fake: FakeDiscord, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    async with running_bot(app, fake):
        before = await counts(app)
        socket = fake._sockets[-1]
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            payload = dict(BROKEN[case] if case in BROKEN else UNROUTABLE[case])
            await socket.dispatch("INTERACTION_CREATE", interaction_event(payload))
            answered = await fake.interact(slash("pending"))
            reply = (await fake.response_to(answered)).json["data"]
        assert embed_of(reply)["title"] == "Nothing pending"
        assert fake._sockets == [socket] and len(fake.identifies) == 1, "the bot reconnected"
        after = await counts(app)
    # Only the well-formed /pending wrote: its guild, first-time member and receipt.
    changed = {k: after[k] - before[k] for k in after if after[k] != before[k]}
    assert changed == {"workspaces": 1, "members": 1, "receipts": 1}
    warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    if case in BROKEN:
        assert any("ignored" in m for m in warned), warned
    assert not any("connection" in m for m in warned), warned
