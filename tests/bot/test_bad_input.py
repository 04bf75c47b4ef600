"""Arbitrary input into every command: a clear reply or a valid result, never a traceback,
and a failed command writes nothing at all."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from adapters.discord import render as discord_render
from adapters.slack.blocks import fallback_text, reply_blocks
from bot.app import INTERNAL, Peerpath
from bot.clock import SimulatedClock
from bot.commands.catalog import build_registry
from bot.models import Base
from tests.support import START, Person, open_app

REGISTRY = build_registry()
COMMANDS = sorted(c.name for c in REGISTRY)
NAMES = sorted({o.name for c in REGISTRY for o in c.options})
WORDS = st.sampled_from(
    [
        "Jane Doe",
        "yesterday",
        "'; DROP TABLE contacts; --",
        "<!channel>",
        "@everyone",
        "🙂",
        "\x00\x07",
        "9" * 30,
        "-1",
        "on",
        "yes",
        "2026-02-30",
        "3/4",
        "9:30",
        "0001-01-01",
        "confirm",
        'x = "a \\" b"',
        "Europe/Berlin",
        "",
        '"',
        "=",
        "a=b",
    ]
)
PIECES = st.one_of(
    st.text(max_size=40),
    WORDS,
    st.builds(
        lambda k, v: f"{k}={v}", st.sampled_from(NAMES), st.one_of(WORDS, st.text(max_size=20))
    ),
)
LINES = st.lists(PIECES, max_size=6).map(" ".join)


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[asyncio.Runner, Peerpath]]:
    """One core for all examples (hypothesis runs many inputs against the same database)."""
    tmp = tmp_path_factory.mktemp("bad-input")
    with asyncio.Runner() as runner:
        context = open_app(f"sqlite+aiosqlite:///{tmp / 'fuzz.db'}", SimulatedClock(START), tmp)
        app = runner.run(context.__aenter__())
        try:
            yield runner, app
        finally:
            runner.run(context.__aexit__(None, None, None))


async def row_counts(app: Peerpath) -> dict[str, int]:
    async with app.sessions() as session:
        return {
            name: await session.scalar(select(func.count()).select_from(table))
            for name, table in Base.metadata.tables.items()
        }


def check(runner: asyncio.Runner, app: Peerpath, run) -> None:
    before = runner.run(row_counts(app))
    reply = runner.run(run())
    assert reply is not INTERNAL, "an input reached an unexpected error"
    assert reply.text
    if reply.is_error:
        assert runner.run(row_counts(app)) == before, reply.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(COMMANDS), text=LINES)
def test_any_text_into_any_command(core, name: str, text: str) -> None:
    runner, app = core
    person = Person(app, "fuzzer")
    check(runner, app, lambda: person.say(f"/{name} {text}"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    values=st.dictionaries(
        st.sampled_from(NAMES),
        st.one_of(st.text(max_size=50), st.integers(), st.booleans(), WORDS, st.none()),
        max_size=5,
    ),
)
def test_any_typed_values_into_any_command(core, data, values) -> None:
    runner, app = core
    command = data.draw(st.sampled_from(list(app.registry)))
    person = Person(app, "typed")
    check(runner, app, lambda: app.run(person.invocation(), command, values))


@settings(max_examples=100, deadline=None)
@given(
    action=st.one_of(
        st.text(max_size=40),
        st.builds(
            lambda a, b: f"{a}:{b}",
            st.sampled_from(
                ["thanked", "thanked-contact", "declined", "scheduled", "forget", "prep"]
            ),
            st.text(max_size=30),
        ),
    )
)
def test_any_button_id(core, action: str) -> None:
    runner, app = core
    person = Person(app, "presser")
    check(runner, app, lambda: person.press(action))


# ---- what the platforms would show: user text never pings, never becomes markup ---------

HOSTILE = st.sampled_from(
    [
        "<!channel>",
        "<!here|here>",
        "<!everyone>",
        "<@U024BE7LH>",
        "<#C024BE7LH>",
        "<https://evil.example|click me>",
        "@everyone",
        "@here",
        "<@&123456789012345678>",
        "<@!123456789012345678>",
        "**bold** __u__ ~~s~~ `code` ||spoiler||",
        "&lt;!channel&gt;",
        "&amp;<>",
        "'; DROP TABLE interviews; --",
    ]
)
HOSTILE_LINES = st.lists(
    st.one_of(
        HOSTILE,
        st.builds(lambda k, v: f'{k}="{v}"', st.sampled_from(NAMES), HOSTILE),
    ),
    min_size=1,
    max_size=4,
).map(" ".join)
ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")


def mrkdwn_texts(node: object) -> list[str]:
    """Every string Slack would read as mrkdwn in a Block Kit payload."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn":
            found.append(node["text"])
        for value in node.values():
            found.extend(mrkdwn_texts(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(mrkdwn_texts(value))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(COMMANDS), text=HOSTILE_LINES)
def test_user_text_renders_inert_on_slack_and_discord(core, name: str, text: str) -> None:
    """Whatever a member types comes back escaped in Slack mrkdwn (no ``<!channel>``, no
    ``<@U…>``, no links) and on Discord in an embed sent with every mention disabled — but
    the reply's own mentions (a shared win names its member), and those alone."""
    runner, app = core
    person = Person(app, "mallory", is_admin=True)
    reply = runner.run(person.say(f"/{name} {text}"))
    assert reply is not INTERNAL
    blocks = [block.to_dict() for block in reply_blocks(reply)]
    own = [mention.token for mention in reply.mentions]
    for shown in [*mrkdwn_texts(blocks), fallback_text(reply)]:
        for token in own:
            shown = shown.replace(token, "")
        assert "<" not in shown and ">" not in shown, shown
        assert not ENTITY.search(shown), shown
    rendered = discord_render.render(reply)
    for kwargs in (rendered.for_send(), rendered.for_edit()):
        allowed = kwargs["allowed_mentions"].to_dict()
        assert allowed.get("parse") == [], allowed
        users = sorted(int(m.user_id) for m in reply.mentions if m.user_id.isdigit())
        assert sorted(allowed.get("users", [])) == users
        if not users:  # only message content can ping; embeds never do
            assert "content" not in kwargs
