"""Reply → embed and buttons: every kind of reply stays inside Discord's limits."""

from __future__ import annotations

import pytest

from adapters.discord.notifier import RateLimiter
from adapters.discord.render import ACTION_TEMPLATE, SHORTENED, clip, render
from bot.app import Peerpath
from bot.replies import Attachment, Button, ButtonStyle, Field, Reply, Visibility, error_reply
from bot.services.interviews import MAX_REFERRALS
from tests.adapters.discord.support import button_ids
from tests.fakes.discord_limits import message_problems
from tests.support import Person

LONG = "@everyone " + "x" * 9000


def components(reply: Reply, dm_guild_id: int | None = None) -> dict:
    """The message payload parts Discord checks (the embed and the button rows), checked;
    ``embed`` is the one embed."""
    rendered = render(reply, dm_guild_id)
    rows = rendered.view.to_components() if rendered.view else []
    message = {"embeds": [rendered.embed.to_dict()], "components": rows}
    assert message_problems(message) == []
    return {**message, "embed": message["embeds"][0]}


KINDS = {
    "plain": Reply(text=LONG),
    "titled": Reply(text=LONG, title=LONG),
    "fields": Reply(
        text=LONG, title=LONG, fields=[Field(LONG[: 300 + n], LONG) for n in range(40)]
    ),
    "many short fields": Reply(text="ok", fields=[Field(f"f{n}", "v" * 200) for n in range(30)]),
    "buttons": Reply(
        text="pick one",
        actions=[Button(f"thanked:{n}", LONG, ButtonStyle.PRIMARY) for n in range(40)],
    ),
    "error": error_reply(LONG, LONG),
    "public": Reply(text=LONG, title="Leaderboard", visibility=Visibility.PUBLIC),
    "chart": Reply(text=LONG, image=Attachment("chart.png", b"png", "image/png")),
    "export": Reply(text=LONG, attachment=Attachment("peerpath.csv", b"a,b", "text/csv")),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_reply_kind_fits_discord_limits(kind: str) -> None:
    message = components(KINDS[kind])  # checked against Discord's limits
    assert len(message["components"]) <= 5


def test_long_text_is_cut_with_an_ellipsis_and_a_footer_says_so() -> None:
    embed = components(KINDS["fields"])["embed"]
    assert embed["title"].endswith("…") and len(embed["title"]) == 256
    assert embed["description"].endswith("…") and len(embed["description"]) == 4096
    assert embed["footer"]["text"] == SHORTENED
    assert embed["fields"][0]["value"].endswith("…")


def test_short_replies_are_untouched() -> None:
    reply = Reply(text="Logged.", title="Done", fields=[Field("Due", "Fri 20 Nov", inline=True)])
    embed = components(reply)["embed"]
    assert embed["title"] == "Done" and embed["description"] == "Logged."
    assert embed["fields"] == [{"name": "Due", "value": "Fri 20 Nov", "inline": True}]
    assert "footer" not in embed


def test_buttons_keep_their_neutral_ids_five_to_a_row() -> None:
    message = components(KINDS["buttons"])
    assert button_ids(message) == [f"thanked:{n}" for n in range(25)]
    assert [len(row["components"]) for row in message["components"]] == [5] * 5
    labels = [b["label"] for row in message["components"] for b in row["components"]]
    assert all(len(label) == 80 and label.endswith("…") for label in labels)


def test_buttons_in_a_dm_carry_their_server() -> None:
    ids = button_ids(components(KINDS["buttons"], dm_guild_id=42))
    assert ids[0] == "thanked:0@42"


@pytest.mark.parametrize(
    ("custom_id", "action", "guild"),
    [
        ("thanked:42", "thanked:42", None),
        ("thanked:42@800000000000000001", "thanked:42", "800000000000000001"),
        ("scheduled:7:2026-11-20", "scheduled:7:2026-11-20", None),
        ("declined:", "declined:", None),
    ],
)
def test_the_button_template_matches_neutral_action_ids(
    custom_id: str, action: str, guild: str | None
) -> None:
    import re

    match = re.match(ACTION_TEMPLATE, custom_id)
    assert match is not None
    assert (match.group("action"), match.group("guild")) == (action, guild)


def test_images_are_shown_in_the_embed_and_files_attached() -> None:
    rendered = render(KINDS["chart"])
    assert rendered.embed.image.url == "attachment://chart.png"
    assert [f.filename for f in rendered.files()] == ["chart.png"]
    assert [f.filename for f in render(KINDS["export"]).files()] == ["peerpath.csv"]


def test_clip() -> None:
    assert clip("abc", 3) == "abc"
    assert clip("abcd", 3) == "ab…"


async def test_real_replies_from_the_core_fit(app: Peerpath) -> None:
    """Help lists every command; a logged interview with every field at its maximum."""
    ann = Person(app, "ann", platform="discord")
    command = app.registry.commands["logged-interview"]
    longest = {
        "contact": "J" * 100,  # the longest name a contact may have
        "company": "A" * 200,
        "role": "R" * 200,
        "referrals": "; ".join("N" * 95 + str(n) for n in range(MAX_REFERRALS)),
        "notes": "n" * 3000,
    }
    logged = await app.run(ann.invocation(), command, longest)
    assert logged.title == "Interview logged"
    replies = [
        logged,
        await ann.say("/peerpath"),
        await ann.say("/prep"),
        await ann.say("/pending"),
        await ann.say("/thanked"),
    ]
    for reply in replies:
        components(reply)  # checked against Discord's limits


async def test_the_rate_limiter_spaces_requests_evenly() -> None:
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(40.0, monotonic=lambda: now[0], sleep=sleep)
    for _ in range(5):
        await limiter.acquire()
    assert slept == pytest.approx([0.025] * 4)
    now[0] += 1.0  # idle time is not saved up for a burst
    await limiter.acquire()
    await limiter.acquire()
    assert slept[-1] == pytest.approx(0.025) and len(slept) == 5


def test_at_most_25_fields_and_blank_ones_are_kept_valid() -> None:
    embed = components(KINDS["many short fields"])["embed"]
    assert len(embed["fields"]) == 25 and embed["footer"]["text"] == SHORTENED
    blank = components(Reply(text="ok", fields=[Field("Notes", "")]))["embed"]
    assert blank["fields"][0]["value"] == "\u200b" and "footer" not in blank
