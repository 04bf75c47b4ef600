"""A button pressed in a DM acts only for a server the presser already uses peerpath in.

Buttons sent in DMs carry their server in their id (``thanked:42@<guild>``), and an id
is the sender's to write: a forged one naming another server must not make peerpath
create that workspace, or a member in it, for someone who was never there."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.app import Peerpath
from bot.models import Member, Workspace
from tests.adapters.discord.support import embed_of, running_bot, slash
from tests.fakes.discord_api import GUILD_ID, FakeDiscord, dm_interaction

ELSEWHERE = 424242424242424242  # a server the presser is not in (nobody is, here)


def forged_press(fake: FakeDiscord, user: str, custom_id: str) -> dict[str, Any]:
    """A press in ``user``'s DM of a button whose id the sender wrote."""
    channel = "900000000000000001"
    button = {"type": 2, "style": 1, "label": "Yes", "custom_id": custom_id}
    sent = {"content": "", "components": [{"type": 1, "components": [button]}]}
    data = {"custom_id": custom_id, "component_type": 2}
    return dm_interaction(user, channel, 3, data, fake.message(int(channel), sent))


async def rows(app: Peerpath) -> tuple[list[str], int]:
    async with app.sessions() as session:
        workspaces = list(await session.scalars(select(Workspace.external_id)))
        members = await session.scalar(select(func.count()).select_from(Member))
    return workspaces, members


async def test_a_forged_dm_button_for_another_server_creates_nothing(
    app: Peerpath, fake_discord: FakeDiscord
) -> None:
    fake = fake_discord
    async with running_bot(app, fake):
        await fake.response_to(await fake.interact(slash("pending")))  # 111 uses GUILD_ID
        before = await rows(app)
        answers = []
        for user, action in [("111", "forget:yes"), ("222", "prep:"), ("222", "thanked:1")]:
            event = await fake.interact(forged_press(fake, user, f"{action}@{ELSEWHERE}"))
            answers.append((await fake.response_to(event)).json)
        own = await fake.interact(forged_press(fake, "111", f"prep:@{GUILD_ID}"))
        still_works = (await fake.response_to(own)).json
    assert await rows(app) == before == ([str(GUILD_ID)], 1)
    for answer in answers:
        assert answer["type"] == 4 and answer["data"]["flags"] & 64  # a private message
        assert "server where you haven't used peerpath" in embed_of(answer["data"])["description"]
    assert still_works["type"] == 7  # her own server's button still acts (replaces the DM)
