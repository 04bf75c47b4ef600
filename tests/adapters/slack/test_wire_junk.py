"""Junk on the wire to ``/slack/events``: random and truncated bodies, wrong content types
and oversized payloads — correctly signed, so they get past the signature check and
reach the parsers. Each gets a 4xx, and nothing is written or sent.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from adapters.slack.app import SlackAdapter
from bot.app import Peerpath
from bot.models import Base
from tests.fakes.slack_requests import SlackSide, new_trigger
from tests.fakes.slack_web_api import FakeSlack

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
