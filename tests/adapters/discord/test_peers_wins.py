"""Wins and practice conversations on Discord: the real discord.py client against the fake.

The win post's content mentions its member (``<@id>``) with allowed mentions naming that
member only; the member's own line is escaped in the embed; nothing private reaches the
channel; the Share button refuses anyone else. The practice DM mentions the partner and
its Done button works from the DM.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import Peerpath
from tests.adapters.discord.support import (
    button_ids,
    button_press,
    embed_of,
    running_bot,
    slash,
)
from tests.fakes.discord_api import CHANNEL_ID, GUILD_ID, FakeDiscord, dm_interaction
from tests.support import outbox

ANN, BEN = "111", "222"
PLANTED = ("Quinn Planted", "Zyxplantco", "Plantedrole", "PLANTEDNOTE", "Rory Plantedref")


@pytest.fixture
def fake(fake_discord: FakeDiscord) -> FakeDiscord:
    return fake_discord


async def ask(fake: FakeDiscord, event: dict[str, Any]) -> dict[str, Any]:
    """The interaction's answer (its message data)."""
    return (await fake.response_to(await fake.interact(event))).json["data"]


async def test_a_win_post_mentions_its_member_only_and_shows_nothing_private(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake) as adapter:
        await ask(fake, slash("group-setup", user="999", admin=True))
        logged = await ask(
            fake,
            slash(
                "logged-interview",
                user=ANN,
                contact="Quinn Planted",
                company="Zyxplantco",
                role="Plantedrole",
                referrals="Rory Plantedref; Sam Other",
                notes="PLANTEDNOTE",
            ),
        )
        share = next(b for b in button_ids(logged) if b.startswith("share-win:"))
        refused = await ask(fake, button_press(fake, logged, share, user=BEN))
        assert "This button is for someone else." in embed_of(refused)["description"]
        line = "@everyone # big **news** <@222> ||spoiler||"
        shared = await ask(fake, slash("win", user=ANN, text=line))
        assert embed_of(shared)["title"] == "Shared with your group"
        stale = await ask(fake, button_press(fake, logged, share, user=ANN))
        assert embed_of(stale)["title"] == "Already shared"
        await outbox(app, {"discord": adapter.notifier}).sweep()
        await outbox(app, {"discord": adapter.notifier}).sweep()
    (post,) = fake.matching("POST", rf"/channels/{CHANNEL_ID}/messages")
    assert post.json["content"] == f"<@{ANN}>"
    assert post.json["allowed_mentions"] == {"parse": [], "users": [int(ANN)]}
    description = embed_of(post.json)["description"]
    assert description.startswith(
        f"🎉 <@{ANN}> held an informational interview and collected 2 referrals\n“"
    )
    assert "\\*\\*news\\*\\*" in description and "\\<@222>" in description
    assert "\\|\\|spoiler\\|\\|" in description and "@everyone" not in description
    for planted in PLANTED:
        assert planted not in str(post.json), planted


async def test_practice_dm_mentions_the_partner_and_its_done_button_works(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake) as adapter:
        await ask(fake, slash("group-setup", user="999", admin=True))
        await ask(fake, slash("practice", user=ANN, field="teaching"))
        paired = await ask(fake, slash("practice", user=BEN))
        assert f"<@{ANN}>" in embed_of(paired)["description"]
        await outbox(app, {"discord": adapter.notifier}).sweep()
        channel = fake.dm_channels[ANN]["id"]
        sent = await fake.wait_call("POST", rf"/channels/{channel}/messages")
        [done] = button_ids(sent.json)
        press = dm_interaction(
            ANN,
            channel,
            3,
            {"custom_id": done, "component_type": 2},
            fake.message(int(channel), sent.json),
        )
        answer = (await fake.response_to(await fake.interact(press))).json
    embed = embed_of(sent.json)
    assert embed["title"] == "Your practice conversation"
    assert f"You play the job seeker and <@{BEN}> plays the contact" in embed["description"]
    assert sent.json["content"] == f"<@{BEN}>"
    assert sent.json["allowed_mentions"] == {"parse": [], "users": [int(BEN)]}
    assert done.startswith("practice-done:") and done.endswith(f"@{GUILD_ID}")
    assert embed_of(answer["data"])["title"] == "Practice done"
