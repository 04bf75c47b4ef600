"""Every kind of reply, fed long inputs, still renders as Block Kit that Slack accepts."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.blocks import (
    command_modal,
    escape,
    fallback_text,
    home_view,
    mrkdwn,
    reply_blocks,
)
from bot.app import Peerpath
from bot.commands.catalog import build_registry
from bot.replies import Button, ButtonStyle, Field, Reply
from tests.fakes.block_kit import problems, view_problems
from tests.support import Person

LONG_NAME = "Ann-Marie <@U1> & " + "x" * 190  # 208 characters: over the contact limit on purpose
NAME = LONG_NAME[:100]  # the longest a contact's name may be


def rendered(reply: Reply) -> list[dict[str, Any]]:
    """The reply as Slack receives it; ``to_dict`` runs slack_sdk's own validators too."""
    text = fallback_text(reply)
    assert text and len(text) <= 3000
    blocks = [block.to_dict() for block in reply_blocks(reply)]
    assert problems(blocks) == []
    return blocks


def test_oversized_reply_is_cut_to_fit() -> None:
    reply = Reply(
        title="T" * 500,
        text="<!channel> & " * 1000,
        fields=[Field(f"name {i} " * 50, "v & <x> " * 400, inline=i % 3 != 0) for i in range(70)],
        actions=[Button(f"thanked:{i}", "L" * 200, ButtonStyle.PRIMARY) for i in range(60)],
    )
    blocks = rendered(reply)
    assert blocks[0]["text"]["text"].endswith("…")
    assert blocks[1]["text"]["text"].endswith("…") and "<!channel>" not in blocks[1]["text"]["text"]
    assert blocks[-4]["type"] == "context"  # "…and N more not shown", then 3 rows of buttons
    assert sum(len(b["elements"]) for b in blocks if b["type"] == "actions") == 60


def test_cutting_never_leaves_half_an_entity() -> None:
    for limit in range(2, 12):
        cut = mrkdwn("ab&&&&&&&&", limit)
        assert len(cut) <= limit
        body = cut.removesuffix("…")
        assert body.count("&") == body.count("&amp;"), cut


def test_escape_neutralises_mentions() -> None:
    assert escape("<!channel> <@U1> a&b") == "&lt;!channel&gt; &lt;@U1&gt; a&amp;b"


async def test_every_reply_kind_with_long_inputs(app: Peerpath) -> None:
    ann = Person(app, "ann", platform="slack")
    notes = "Learned & <noted> " * 180
    referrals = "; ".join(f"Referral {n} " + "r" * 60 for n in range(10))
    replies = [
        await ann.say(f'/outreach "{NAME}" company="{"C" * 200}" via=email'),
        await ann.say(f'/outreach "{LONG_NAME}"'),  # the error for a too-long name
        await ann.say(f'/logged-interview "{NAME}" date=yesterday notes="{notes[:3000]}"'),
        await ann.say(f'/logged-interview "{NAME[:98]} 2" referrals="{referrals}"'),
    ]
    for n in range(30):
        await ann.say(f'/logged-interview "{NAME[:80]} interview {n}" date=yesterday')
        await ann.say(f'/outreach "Outreach person {n} ' + "y" * 80 + '"')
    replies += [
        await ann.say("/pending"),
        await ann.say("/thanked"),
        await ann.say(f'/thanked "{NAME}"'),
        await ann.say(f'/prep "{"field " * 39}"'),
        await ann.say("/settings tz=Europe/Berlin"),
        await ann.say("/peerpath"),
        await ann.say("/export"),
        await ann.say("/forget-me"),
    ]
    assert replies[1].is_error and not replies[0].is_error
    for reply in replies:
        rendered(reply)
    home = await app.home(ann.invocation())
    view = home_view(home, notice=replies[-1]).to_dict()
    assert view_problems(view) == []


def test_every_command_has_a_valid_modal() -> None:
    for command in build_registry():
        if not command.options:
            continue
        view = command_modal(command, {"channel": "C1", "response_url": "https://x"}).to_dict()
        assert len(view["title"]["text"]) <= 24
        assert [b["block_id"] for b in view["blocks"]] == [o.name for o in command.options]
        assert view_problems(view) == []


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=4000)
labels = st.text(min_size=1, max_size=300)


@given(
    title=st.none() | texts,
    text=texts,
    fields=st.lists(st.builds(Field, labels, texts, st.booleans()), max_size=80),
    buttons=st.integers(0, 80),
    label=labels,
)
@settings(max_examples=30, deadline=None)
def test_any_reply_renders_within_the_limits(
    title: str | None, text: str, fields: list[Field], buttons: int, label: str
) -> None:
    reply = Reply(
        title=title,
        text=text,
        fields=fields,
        actions=[Button(f"thanked:{n}", label) for n in range(buttons)],
    )
    blocks = rendered(reply)
    shown = " ".join(str(b) for b in blocks)
    assert "<!" not in shown and "<@" not in shown
