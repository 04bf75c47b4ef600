"""Long lists on Discord, through discord.py and the fake Discord (which refuses anything
outside Discord's limits): /pending page after page, each replacing the one before."""

from __future__ import annotations

from bot.app import Peerpath
from tests.adapters.discord.support import button_ids, button_press, embed_of, running_bot, slash
from tests.bot.commands.test_pending_pages import THANKS, WAITING, fill
from tests.fakes.discord_api import CHANNEL_ID, GUILD_ID, FakeDiscord
from tests.support import Person


def shown_ids(embed: dict) -> set[str]:
    """Which contacts ("T07", "W12") the embed's fields show."""
    return {
        line[2:5]
        for field in embed.get("fields", [])
        for line in field["value"].split("\n")
        if line.startswith("• ")
    }


async def test_pending_pages_through_every_item(app: Peerpath, fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    await fill(app, Person(app, "111", str(GUILD_ID), str(CHANNEL_ID), platform="discord"))
    async with running_bot(app, fake):
        event = await fake.interact(slash("pending"))
        message = (await fake.response_to(event)).json["data"]
        seen, pages, thanked = shown_ids(embed_of(message)), 1, set()
        while more := [i for i in button_ids(message) if i.startswith("pending-more:")]:
            thanked |= {i for i in button_ids(message) if i.startswith("thanked:")}
            pressed = await fake.interact(button_press(fake, message, more[0]))
            update = (await fake.response_to(pressed)).json
            assert update["type"] == 7  # the page replaces the one before
            message = update["data"]
            assert "footer" not in embed_of(message)  # nothing was shortened to fit
            seen |= shown_ids(embed_of(message))
            pages += 1
        thanked |= {i for i in button_ids(message) if i.startswith("thanked:")}
    assert pages > 1
    assert seen == {f"T{n:02d}" for n in range(THANKS)} | {f"W{n:02d}" for n in range(WAITING)}
    assert len(thanked) == THANKS
