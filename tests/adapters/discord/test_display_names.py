"""Display names are plain text on Discord: markdown, masked links, mention pills and
``@everyone`` in a name show as typed on the leaderboard and the digest."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.app import Peerpath
from bot.clock import SimulatedClock
from tests.adapters.discord.support import embed_of, running_bot, slash
from tests.fakes.discord_api import FakeDiscord

HOSTILE = [
    "# Big heading",
    "||spoiler||",
    "[free nitro](https://evil.example/nitro)",
    "<@123456789012345678>",
    "@everyone",
    "**bold** _it_ ~~gone~~ `code`",
    "-# tiny",
    "> quoted",
    "<#123456789012345678> <t:0:R>",
]


# What Discord would draw as markup, a masked link or a pill, were it not escaped.
UNESCAPED = {
    "pill": r"(?<!\\)<[@#:/t]",
    "masked link": r"(?<!\\)\[[^\]]*\]\(",
    "spoiler": r"(?<!\\)\|\|",
    "bold": r"(?<!\\)\*\*",
    "code": r"(?<!\\)`",
    "heading, subtext or quote": r"^(#|-#|>)",
}


def as_typed(shown: str) -> str:
    """What Discord displays for ``shown``: escapes and zero-width spaces are invisible."""
    return re.sub(r"\\(.)", r"\1", shown).replace("\u200b", "")


def named(payload: dict, name: str) -> dict:
    payload["member"]["nick"] = name  # what discord.py reads as the member's display name
    return payload


async def test_names_on_the_board_and_digest_show_as_typed(
    app: Peerpath, fake_discord: FakeDiscord, clock: SimulatedClock
) -> None:
    fake = fake_discord
    async with running_bot(app, fake):
        setup = slash("group-setup", admin=True, outreach=1, interviews=0, user="100")
        await fake.response_to(await fake.interact(setup))
        clock.advance(timedelta(days=7))  # last week: one the group saw whole, for /digest
        for n, name in enumerate(HOSTILE):
            sent = slash("outreach", user=str(200 + n), contact="Jane", date="7 days ago")
            await fake.response_to(await fake.interact(named(sent, name)))
        board = embed_of(
            (await fake.response_to(await fake.interact(slash("leaderboard")))).json["data"]
        )
        digest_event = await fake.interact(slash("digest", admin=True, user="100"))
        digest = embed_of((await fake.response_to(digest_event)).json["data"])
    shown = board["description"]
    fields = {f["name"]: f["value"] for f in digest["fields"]}
    for text in (shown, fields["Outreach last week"], fields["Longest streaks"]):
        for construct in UNESCAPED.values():
            assert re.search(construct, text, re.MULTILINE) is None, (construct, text)
        assert "@everyone" not in text  # a zero-width space keeps it from reading as one
    assert "\\# Big heading" in fields["Longest streaks"]  # a name at the start of a line
    lines = [as_typed(line) for line in shown.split("\n")]
    for name in HOSTILE:
        assert any(name in line for line in lines), name  # shown whole, as typed
