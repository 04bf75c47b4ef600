"""The token lookup behind every OAuth request and message: kept in memory for a while,
one indexed query when not, and forgotten whenever an installation changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import event, select

from adapters.slack.installs import TOKEN_SECONDS, Installations, authorization_url, oauth
from bot.app import Peerpath
from bot.config import Settings
from bot.models import SLACK_OAUTH_STATES
from tests.fakes.slack_web_api import CLIENT_ID


@contextmanager
def statements(app: Peerpath) -> Iterator[list[str]]:
    """The SQL statements run meanwhile."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        seen.append(sql)

    event.listen(app.engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", note)


def installation(team: str, token: str) -> Installation:
    return Installation(
        app_id="A0PEERPATH",
        enterprise_id=None,
        team_id=team,
        bot_token=token,
        bot_id="B0BOT",
        bot_user_id="U0BOT",
        bot_scopes="commands,chat:write",
        user_id="U0INSTALLER",
    )


async def test_a_hit_asks_nothing_a_miss_asks_once(app: Peerpath) -> None:
    now = [0.0]
    installs = Installations(
        AsyncSQLAlchemyInstallationStore(CLIENT_ID, app.engine), monotonic=lambda: now[0]
    )
    await installs.async_save(installation("T0ONE", "xoxb-one"))
    await installs.async_save(installation("T0TWO", "xoxb-two"))
    with statements(app) as miss:
        assert await installs.bot_token("T0ONE") == "xoxb-one"
    assert len(miss) == 1 and "slack_bots" in miss[0]
    with statements(app) as hit:
        assert await installs.bot_token("T0ONE") == "xoxb-one"
        assert await installs.bot_token("T0TWO") == "xoxb-two"
        assert await installs.bot_token("T0ONE") == "xoxb-one"
    assert len(hit) == 1  # only T0TWO's first lookup
    now[0] += TOKEN_SECONDS + 1  # another replica may have deleted it meanwhile
    with statements(app) as stale:
        assert await installs.bot_token("T0ONE") == "xoxb-one"
    assert len(stale) == 1


async def test_a_change_is_seen_at_once(app: Peerpath) -> None:
    installs = Installations(AsyncSQLAlchemyInstallationStore(CLIENT_ID, app.engine))
    await installs.async_save(installation("T0ONE", "xoxb-old"))
    assert await installs.bot_token("T0ONE") == "xoxb-old"
    await installs.async_delete_all(enterprise_id=None, team_id="T0ONE")
    assert await installs.bot_token("T0ONE") is None
    await installs.async_save(installation("T0ONE", "xoxb-new"))
    assert await installs.bot_token("T0ONE") == "xoxb-new"
    assert await installs.bot_token("T0NEVER") is None


def test_the_consent_page_is_next_to_the_web_api() -> None:
    assert authorization_url("https://slack.com/api/") == "https://slack.com/oauth/v2/authorize"
    assert authorization_url("http://127.0.0.1:9/api") == "http://127.0.0.1:9/oauth/v2/authorize"


async def test_abandoned_install_states_are_cleared_when_a_new_one_is_issued(
    app: Peerpath,
) -> None:
    settings = Settings(
        SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET="s", SLACK_SIGNING_SECRET="x"
    )
    flow, _, _ = oauth(settings, app.engine, AsyncWebClient(), app)
    long_ago = datetime(2020, 1, 1)
    async with app.engine.begin() as connection:
        await connection.execute(
            SLACK_OAUTH_STATES.insert(), [{"state": "abandoned", "expire_at": long_ago}]
        )
    state = await flow.issue_new_state(None)  # type: ignore[arg-type]
    async with app.engine.connect() as connection:
        left = (await connection.execute(select(SLACK_OAUTH_STATES.c.state))).scalars().all()
    assert left == [state]
    assert await flow.settings.state_store.async_consume(state) is True
    assert await flow.settings.state_store.async_consume(state) is False  # once only
