"""Junk on the wire to ``/slack/events``: random and truncated bodies, wrong content types
and oversized payloads — correctly signed, so they get past the signature check and
reach the parsers. Each gets a 4xx, and nothing is written or sent. Headers that are
not a timestamp and a signature get a 401; well-signed payloads of the kinds peerpath
serves, with any field dropped or replaced, get a 4xx or an answer — never a 500 or a
traceback.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from adapters.slack.app import SlackAdapter
from adapters.slack.blocks import MODAL_CALLBACK
from bot.app import Peerpath
from bot.models import Base
from tests.fakes.slack_requests import ANN, CHANNEL, SlackSide, new_trigger
from tests.fakes.slack_web_api import TEAM_ID, FakeSlack

CONTENT_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/json",
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/octet-stream",
        "",
    ]
)
JSON_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
KEYS = ("type", "command", "payload", "team_id", "user_id", "text", "response_url")


def written(app: Peerpath):  # noqa: ANN201 (an awaitable of per-table counts)
    async def counts() -> dict[str, int]:
        async with app.sessions() as session:
            return {
                name: await session.scalar(select(func.count()).select_from(table))
                for name, table in Base.metadata.tables.items()
            }

    return counts()


def command_body(slack: SlackSide) -> str:
    return urlencode(
        slack.command_body(
            "outreach",
            '"Jane Doe"',
            response_url=slack.fake.response_url(),
            trigger_id=new_trigger(),
        )
    )


bodies = st.one_of(
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    st.text(max_size=300),
    JSON_JUNK.map(json.dumps),
    st.dictionaries(st.sampled_from(KEYS), st.text(max_size=30)).map(urlencode),
    st.dictionaries(st.just("payload"), JSON_JUNK.map(json.dumps)).map(urlencode),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies, content_type=CONTENT_TYPES)
# Shapes bolt itself trips over (it reads these with ``.get`` even to log them).
@example(body="payload=%7B%22view%22%3Anull%7D", content_type="application/x-www-form-urlencoded")
@example(body='{"actions": [1]}', content_type="application/json")
async def test_signed_junk_gets_a_4xx_and_changes_nothing(
    app: Peerpath,
    adapter: SlackAdapter,
    slack: SlackSide,
    fake: FakeSlack,
    body: str,
    content_type: str,
) -> None:
    before = await written(app)
    status, _ = await slack.post(body, content_type)
    assert 400 <= status < 500, (status, body)
    assert await written(app) == before
    assert fake.called("response_url") == []


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cut=st.floats(0.0, 1.0), content_type=CONTENT_TYPES)
async def test_truncated_commands_get_a_4xx_and_change_nothing(
    app: Peerpath,
    adapter: SlackAdapter,
    slack: SlackSide,
    fake: FakeSlack,
    cut: float,
    content_type: str,
) -> None:
    """Cut before the fields a command is answered by: refused even when signed; cut
    anywhere after signing (a body changed on the way): refused by the signature check."""
    whole = command_body(slack)
    part = whole[: int(whole.index("&response_url=") * cut)]
    before = await written(app)
    status, _ = await slack.post(part, content_type)
    assert 400 <= status < 500, (status, part)
    stamp = str(int(time.time()))
    signature = slack.signer.generate_signature(timestamp=stamp, body=whole)
    shortened = whole[: int(len(whole) * cut * 0.99)]
    status, _ = await slack.post(shortened, timestamp=int(stamp), signature=signature)
    assert status == 401
    assert await written(app) == before
    assert fake.called("response_url") == []


async def test_an_oversized_payload_is_refused_unread(
    app: Peerpath, adapter: SlackAdapter, slack: SlackSide, fake: FakeSlack
) -> None:
    before = await written(app)
    huge = command_body(slack) + "&text=" + "x" * 3_000_000
    status, _ = await slack.post(huge)
    assert status == 413
    assert await written(app) == before
    # …and the next, ordinary command is served as usual.
    sent = await slack.command("outreach", '"Jane Doe"')
    assert sent.status == 200
    assert (await fake.wait_for("response_url"))[0].params["response_type"] == "ephemeral"


@pytest.mark.parametrize("stamp", ["abc", "", "1e9", "12.5", "-300", "0x10", "9" * 5000])
async def test_a_timestamp_that_is_not_a_number_is_refused_unread(
    app: Peerpath,
    adapter: SlackAdapter,
    slack: SlackSide,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    stamp: str,
) -> None:
    """Signed with that very timestamp, so only the header itself is wrong: a 401, never
    the verifier's exception as a 500."""
    body = command_body(slack)
    signature = slack.signer.generate_signature(timestamp=stamp, body=body)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
    before = await written(app)
    async with (
        aiohttp.ClientSession() as session,
        session.post(slack.events_url, data=body.encode(), headers=headers) as response,
    ):
        assert response.status == 401
    for signature in ("v0=", "v1=" + "0" * 64, "v0=" + "g" * 64, "v0=" + "0" * 65):
        assert (await slack.post(body, signature=signature))[0] == 401
    assert await written(app) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def payloads(fake: FakeSlack) -> dict[str, tuple[str, dict[str, Any]]]:
    """One well-formed request of each kind peerpath serves: how it is posted, and its body."""
    user = {"id": ANN, "username": "ann", "team_id": TEAM_ID}
    metadata = {"command": "outreach", "channel": CHANNEL, "response_url": fake.response_url()}
    values = {"contact": {"contact": {"type": "plain_text_input", "value": "Jane Doe"}}}
    return {
        "command": (
            "form",
            SlackSide.command_body(
                "outreach", '"Jane Doe"', response_url=fake.response_url(), trigger_id=new_trigger()
            ),
        ),
        "button": (
            "payload",
            {
                "type": "block_actions",
                "team": {"id": TEAM_ID},
                "user": user,
                "trigger_id": new_trigger(),
                "container": {"type": "message", "is_ephemeral": True},
                "channel": {"id": CHANNEL},
                "response_url": fake.response_url(),
                "actions": [{"action_id": "prep:", "block_id": "b", "type": "button"}],
            },
        ),
        "form": (
            "payload",
            {
                "type": "view_submission",
                "team": {"id": TEAM_ID},
                "user": user,
                "view": {
                    "id": "V0FORM",
                    "type": "modal",
                    "callback_id": MODAL_CALLBACK,
                    "private_metadata": json.dumps(metadata),
                    "state": {"values": values},
                },
            },
        ),
        "home": (
            "json",
            {
                "type": "event_callback",
                "team_id": TEAM_ID,
                "event_id": "Ev1",
                "event": {"type": "app_home_opened", "user": ANN, "tab": "home"},
            },
        ),
    }


def places(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path inside ``tree`` (dict keys and list indexes)."""
    found = [path] if path else []
    children = (
        tree.items()
        if isinstance(tree, dict)
        else enumerate(tree)
        if isinstance(tree, list)
        else []
    )
    for key, child in children:
        found += places(child, (*path, key))
    return found


def mutated(body: dict[str, Any], path: tuple[Any, ...], change: str, junk: Any) -> None:
    *parents, last = path
    holder: Any = body
    for key in parents:
        holder = holder[key]
    if change == "drop":
        del holder[last]
    elif change == "metadata" and last == "private_metadata":
        holder[last] = json.dumps(junk)
    else:
        holder[last] = junk


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["command", "button", "form", "home"]),
    where=st.integers(0, 10_000),
    change=st.sampled_from(["drop", "junk", "metadata"]),
    junk=JSON_JUNK,
)
# Shapes that made a 500 and a traceback before payloads were checked at the door.
@example(kind="button", where=14, change="junk", junk=[])  # actions: []
@example(kind="button", where=16, change="drop", junk=None)  # an action without its id
@example(kind="form", where=11, change="metadata", junk="x")  # metadata not an object
@example(kind="form", where=11, change="junk", junk="{")  # metadata not JSON
@example(kind="form", where=12, change="junk", junk={"values": 1})  # state of a wrong shape
@example(kind="form", where=17, change="junk", junk=5)  # a value that is not text
@example(kind="home", where=5, change="drop", junk=None)  # an event without its user
@example(kind="button", where=2, change="junk", junk=7)  # a team id that is a number
@example(kind="command", where=1, change="junk", junk="T" * 65)  # longer than it is stored
@example(kind="form", where=344, change="junk", junk="0")  # a form from a team not served
async def test_signed_misshapen_payloads_get_a_4xx_or_an_answer_never_a_traceback(
    app: Peerpath,
    adapter: SlackAdapter,
    slack: SlackSide,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    where: int,
    change: str,
    junk: Any,
) -> None:
    encoding, body = payloads(fake)[kind]
    path = places(body)[where % len(places(body))]
    mutated(body, path, change, junk)
    before = await written(app)
    caplog.clear()
    if encoding == "form":
        status, _ = await slack.post(urlencode(body))
    elif encoding == "payload":
        status, _ = await slack.interact(body)
    else:
        status, _ = await slack.post(json.dumps(body), "application/json")
    await adapter.followups.drain(10)
    assert status in (200, 400, 404), (status, path, change, junk)
    if status != 200:
        assert await written(app) == before
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not failures, (path, change, junk, [r.getMessage() for r in failures])
