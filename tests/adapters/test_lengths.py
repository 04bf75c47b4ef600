"""Each platform's length counted its way — Slack in UTF-16 units after escaping, Discord
in code points — and cutting that never splits a character or an escaped entity."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord.commands import LongTextModal
from adapters.discord.render import clip, render
from adapters.discord.render import length as discord_length
from adapters.slack.blocks import length as slack_length
from adapters.slack.blocks import mrkdwn, truncate
from bot.lengths import shown_length
from bot.registry import Command, Option, OptionType
from bot.replies import Button, Field, Reply
from tests.adapters.slack.test_blocks import rendered
from tests.fakes.discord_limits import message_problems, modal_problems

EMOJI = "😀"  # one code point, two UTF-16 units
FAMILY = "👩\u200d👩\u200d👧"  # joined by zero-width joiners


def test_slack_counts_utf16_units_and_discord_code_points() -> None:
    assert (slack_length(EMOJI), discord_length(EMOJI)) == (2, 1)
    assert (slack_length("a&b"), discord_length("a&b")) == (3, 3)
    assert shown_length("a&b😀*") == 3 + 4 + 2 + 1 + 1  # the most any platform counts


def test_emoji_near_every_slack_limit_fit_as_slack_counts() -> None:
    reply = Reply(
        title=EMOJI * 149,
        text=EMOJI * 1499 + "&",
        fields=[Field(EMOJI * 10, EMOJI * 999, inline=True), Field("n", EMOJI * 1499)],
        actions=[Button("thanked:1", EMOJI * 40)],
    )
    blocks = rendered(reply)  # slack_sdk's validators, on UTF-16 counts
    header = blocks[0]["text"]["text"]
    assert header == EMOJI * 74 + "…" and slack_length(header) == 149
    assert slack_length(blocks[1]["text"]["text"]) <= 3000
    assert blocks[-1]["elements"][0]["text"]["text"] == EMOJI * 37 + "…"


def test_emoji_near_every_discord_limit_are_kept_whole() -> None:
    """Discord counts an emoji once: 256 of them is a full title, not one to cut."""
    reply = Reply(
        title=EMOJI * 256,
        text=EMOJI * 4096,
        fields=[Field(EMOJI * 10, EMOJI * 1024)],
        actions=[Button("thanked:1", EMOJI * 80)],
    )
    message = render(reply)
    embed = message.embed.to_dict()
    rows = message.view.to_components() if message.view else []
    assert message_problems({"embeds": [embed], "components": rows}) == []
    assert embed["title"] == EMOJI * 256 and embed["description"] == EMOJI * 4096
    assert rows[0]["components"][0]["label"] == EMOJI * 80


def test_the_discord_form_counts_the_same_way() -> None:
    command = Command(
        "logged-interview",
        EMOJI * 100,
        lambda ctx, args: None,  # type: ignore[arg-type,return-value]
        (Option("notes", EMOJI * 100, OptionType.TEXT, max_length=9000),),
    )
    form = LongTextModal(command, command.options, lambda i, v: None, "key")  # type: ignore
    data = form.to_dict()
    assert modal_problems(data) == []
    [label] = data["components"]
    assert label["description"] == EMOJI * 100 and label["component"]["max_length"] == 4000


def test_cutting_keeps_whole_characters_and_sequences_apart_from_their_joiners() -> None:
    assert truncate(EMOJI * 10, 5) == EMOJI * 2 + "…"  # not a lone surrogate
    assert clip(EMOJI * 10, 5) == EMOJI * 4 + "…"
    cut = clip(FAMILY * 3, 4)
    assert cut.endswith("👩…") and "\u200d…" not in cut


texts = st.text(st.sampled_from(["a", "&", "<", ">", EMOJI, "\u200d", "é", " "]), max_size=400)


@given(text=texts, limit=st.integers(2, 500))
@settings(max_examples=200, deadline=None)
def test_slack_cuts_within_the_limit_and_never_inside_an_entity(text: str, limit: int) -> None:
    shown = mrkdwn(text, limit)
    assert slack_length(shown) <= limit
    body = shown.removesuffix("…") if shown != mrkdwn(text, 10**6) else shown
    assert body.count("&") == body.count("&amp;") + body.count("&lt;") + body.count("&gt;")
    assert text.startswith(html.unescape(body))
