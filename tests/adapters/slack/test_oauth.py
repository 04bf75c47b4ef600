"""Add to Slack: the real slack-bolt OAuth flow against the fake Slack, many teams served
at once, each with its own bot token, and what removing the app does."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select

from adapters.slack.door import EVENTS_PATH
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import SLACK_BOTS, Member, Nudge, NudgeStatus, Outreach
from bot.nudges import decide
from bot.ports import DeliveryFailed
from bot.replies import Reply
from tests.adapters.slack.oauth_support import (
    BEA,
    BETA,
    BETA_CHANNEL,
    GAMMA,
    GAMMA_CHANNEL,
    GIL,
    add_teams,
    install,
    installed_rows,
    running,
    workspace,
)
from tests.fakes.slack_requests import SlackSide
from tests.fakes.slack_web_api import CLIENT_ID, FakeSlack
from tests.support import outbox


def token_of(fake: FakeSlack, team: str) -> str:
    [token] = [t for t, owner in fake.tokens.items() if owner == team]
    return token


async def test_install_then_a_command_and_a_dm_with_the_new_teams_own_token(
    app: Peerpath, fake: FakeSlack, clock: SimulatedClock
) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter:
        status, page = await install(adapter, fake, BETA)
        assert status == 200 and "peerpath is installed" in page and "Beta Camp" in page
        [consent] = fake.called("authorize")
        assert consent.params["client_id"] == CLIENT_ID and consent.params["state"]
        assert "commands" in consent.params["scope"].split(",")
        [exchange] = fake.called("oauth.v2.access")
        assert exchange.params["code"] and exchange.params["_token"].startswith("Basic ")
        assert await installed_rows(app, BETA) == (1, 1)
        beta_token = token_of(fake, BETA)

        slack = SlackSide(fake, f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}")
        for line in ("settings quiet=off", 'logged-interview "Jane Doe" company=Acme'):
            command, text = line.split(" ", 1)
            sent = await slack.command(command, text, BEA, team=BETA, channel=BETA_CHANNEL)
            assert sent.status == 200
        answers = await fake.wait_for("response_url", 2)
        assert answers[-1].params["blocks"][0]["text"]["text"] == "Interview logged"
        assert {c.params["_token"] for c in fake.called("auth.test")} == {beta_token}

        clock.advance(timedelta(days=1))  # the thank-you reminder falls due
        report = await outbox(app, {"slack": adapter.notifier}).sweep()
        assert report.sent == 1
        [dm] = fake.called("chat.postMessage")
        assert (dm.params["channel"], dm.params["_token"]) == ("D0BEA", beta_token)
        [key] = dm.params["metadata"]["event_payload"]["keys"]  # the check after a crash
        assert await adapter.notifier.was_delivered(BETA, BEA, key) is True
        [history] = fake.called("conversations.history")
        assert history.params["_token"] == beta_token


async def test_two_teams_at_once_each_with_its_own_token_never_crossing(
    app: Peerpath, fake: FakeSlack, clock: SimulatedClock
) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter:
        for team in (BETA, GAMMA):
            assert (await install(adapter, fake, team))[0] == 200
        slack = SlackSide(fake, f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}")
        people = [(BEA, BETA, BETA_CHANNEL), (GIL, GAMMA, GAMMA_CHANNEL)]
        for line in ("settings quiet=off", 'logged-interview "Jane Doe"', "mystats"):
            command, _, text = line.partition(" ")
            sent = await asyncio.gather(
                *(slack.command(command, text, u, team=t, channel=c) for u, t, c in people)
            )
            assert [s.status for s in sent] == [200, 200]
        await fake.wait_for("response_url", 6)
        await adapter.answers.settle()
        clock.advance(timedelta(days=1))
        assert (await outbox(app, {"slack": adapter.notifier}).sweep()).sent == 2

        by_token = {token_of(fake, BETA): BETA, token_of(fake, GAMMA): GAMMA}
        spoken = [c for c in fake.calls if c.params.get("_token", "").startswith("xoxb-")]
        assert {c.method for c in spoken} >= {
            "chat.postMessage",
            "views.publish",
            "files.getUploadURLExternal",
        }
        for call in spoken:  # every call named only its own team's people and places
            team = by_token[call.params["_token"]]
            for name in ("channel", "user", "user_id", "users", "channel_id"):
                if call.params.get(name):
                    assert fake.team_of(call.params[name]) == team, call
        ws = {team: await workspace(app, team) for team in (BETA, GAMMA)}
        async with app.sessions() as session:
            counts = {
                team: await session.scalar(
                    select(func.count()).select_from(Nudge).where(Nudge.workspace_id == w.id)
                )
                for team, w in ws.items()
            }
        assert counts[BETA] == counts[GAMMA] > 0

        # The fake itself refuses a call with one team's token to another team's member.
        beta = AsyncWebClient(token=token_of(fake, BETA), base_url=fake.api_url + "/")
        with pytest.raises(SlackApiError) as refused:
            await beta.conversations_open(users=GIL)
        assert refused.value.response["error"] == "user_not_found"
        fake.errors.clear()  # that refusal was the point


async def test_removing_the_app_keeps_the_data_for_the_retention_then_deletes_it(
    app: Peerpath, fake: FakeSlack, clock: SimulatedClock
) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter:
        slack = SlackSide(fake, f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}")
        box = outbox(app, {"slack": adapter.notifier})
        await install(adapter, fake, BETA)
        await install(adapter, fake, GAMMA)
        for user, team, channel in ((BEA, BETA, BETA_CHANNEL), (GIL, GAMMA, GAMMA_CHANNEL)):
            await slack.command("settings", "quiet=off", user, team=team, channel=channel)
            await slack.command(
                "outreach", '"Jane Doe" company=Acme', user, team=team, channel=channel
            )
            await slack.command("logged-interview", '"Ravi Rao"', user, team=team, channel=channel)
        await fake.wait_for("response_url", 6)

        fake.revoke(BETA)
        assert await slack.event({"type": "app_uninstalled"}, team=BETA) == 200
        assert await installed_rows(app, BETA) == (0, 0)
        assert await installed_rows(app, GAMMA) == (1, 1)
        removed = await workspace(app, BETA)
        assert removed is not None and removed.uninstalled_at == clock.now()

        clock.advance(timedelta(days=1))  # both thank-you reminders fall due
        before = len(fake.called("chat.postMessage"))
        report = await box.sweep()
        assert (report.sent, report.failed) == (1, 1)
        [sent] = fake.called("chat.postMessage")[before:]
        assert sent.params["channel"] == "D0GIL"
        async with app.sessions() as session:
            [skipped] = await session.scalars(
                select(Nudge).where(
                    Nudge.workspace_id == removed.id, Nudge.status == NudgeStatus.FAILED.value
                )
            )
        assert skipped.last_error == decide.UNINSTALLED  # Slack was not asked
        assert (await box.sweep()).failed == 0  # recorded once, not retried

        clock.advance(timedelta(days=10))  # back within the window: everything is there
        assert (await install(adapter, fake, BETA))[0] == 200
        assert (await workspace(app, BETA)).uninstalled_at is None  # type: ignore[union-attr]
        sent = await slack.command("history", "", BEA, team=BETA, channel=BETA_CHANNEL)
        [history] = await fake.wait_for(
            "response_url", where=lambda c: c.params["_url"] == sent.response_url
        )
        assert "Jane Doe" in str(history.params["blocks"])

        fake.revoke(BETA)
        await slack.event({"type": "app_uninstalled"}, team=BETA)
        clock.advance(timedelta(days=30) - timedelta(minutes=1))
        await box.sweep()
        assert await workspace(app, BETA) is not None  # kept for the whole retention
        clock.advance(timedelta(minutes=1))
        await box.sweep()
        assert await workspace(app, BETA) is None
        async with app.sessions() as session:
            left = await session.scalar(select(func.count()).select_from(Outreach))
        assert left == 1  # Gamma's, untouched
        assert await workspace(app, GAMMA) is not None


async def test_a_revoked_bot_token_deletes_the_installation(app: Peerpath, fake: FakeSlack) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter:
        slack = SlackSide(fake, f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}")
        await install(adapter, fake, BETA)
        await slack.command("mystats", "", BEA, team=BETA, channel=BETA_CHANNEL)
        await fake.wait_for("response_url")
        user_only = {"type": "tokens_revoked", "tokens": {"oauth": [BEA]}}
        assert await slack.event(user_only, team=BETA) == 200
        assert await installed_rows(app, BETA) == (1, 1)  # the bot's token stands
        fake.revoke(BETA)
        bot = {"type": "tokens_revoked", "tokens": {"bot": ["U0BOTT0BETA"]}}
        assert await slack.event(bot, team=BETA) == 200
        assert await installed_rows(app, BETA) == (0, 0)
        assert (await workspace(app, BETA)).uninstalled_at is not None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("consenting", "status", "says"),
    [(None, 200, "cancelled in Slack"), (BETA, 200, "peerpath is installed")],
)
async def test_the_browser_ends_on_a_friendly_page(
    app: Peerpath, fake: FakeSlack, consenting: str | None, status: int, says: str
) -> None:
    add_teams(fake)
    async with running(app, fake) as adapter:
        got, page = await install(adapter, fake, consenting)
        assert (got, says in page) == (status, True)
        assert "Traceback" not in page and "xoxb-" not in page


async def test_a_stale_or_foreign_return_is_explained(app: Peerpath, fake: FakeSlack) -> None:
    add_teams(fake)
    async with running(app, fake):
        back = f"{fake.redirect_url}?code=whatever&state=made-up"
        async with aiohttp.ClientSession() as browser:
            for cookie in ({}, {"Cookie": "slack-app-oauth-state-made-up=1"}):
                async with browser.get(back, headers=cookie) as page:  # a state never issued
                    assert page.status == 401
                    assert "expired" in await page.text()
        assert await installed_rows(app, BETA) == (0, 0)


async def test_socket_mode_serves_installed_teams_too(app: Peerpath, fake: FakeSlack) -> None:
    add_teams(fake)
    async with running(app, fake, app_token="xapp-1-test") as adapter:
        await fake.wait_for("socket")
        assert (await install(adapter, fake, BETA))[0] == 200  # on the same port
        body = SlackSide.command_body(
            "outreach",
            '"Jane Doe"',
            BEA,
            BETA_CHANNEL,
            BETA,
            response_url=fake.response_url(),
            trigger_id="1.2.3",
        )
        ack = await fake.wait_for_ack(await fake.send_envelope("slash_commands", body))
        assert "payload" not in ack
        [answer] = await fake.wait_for("response_url")
        assert answer.params["blocks"][0]["text"]["text"] == "Outreach logged"
        async with app.sessions() as session:
            bots = await session.scalar(select(func.count()).select_from(SLACK_BOTS))
        assert bots == 1


async def test_a_token_slack_no_longer_takes_fails_the_reminder_not_the_dms(
    app: Peerpath, fake: FakeSlack, clock: SimulatedClock
) -> None:
    """Removed while another replica handled the event: this one still remembers the
    token, Slack refuses it, and the reminder is failed once — the member's DMs are not
    taken for closed, and the team's installation is looked up afresh next time."""
    add_teams(fake)
    async with running(app, fake) as adapter:
        slack = SlackSide(fake, f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}")
        await install(adapter, fake, BETA)
        for line in ("settings quiet=off", 'logged-interview "Jane Doe"'):
            command, text = line.split(" ", 1)
            await slack.command(command, text, BEA, team=BETA, channel=BETA_CHANNEL)
        await fake.wait_for("response_url", 2)
        fake.revoke(BETA)  # no event reaches this process
        clock.advance(timedelta(days=1))
        report = await outbox(app, {"slack": adapter.notifier}).sweep()
        assert (report.sent, report.failed, report.retried) == (0, 1, 0)
        async with app.sessions() as session:
            [failed] = await session.scalars(
                select(Nudge).where(Nudge.status == NudgeStatus.FAILED.value)
            )
            member = await session.scalar(select(Member).where(Member.user_id == BEA))
        assert failed.last_error == "slack: token_revoked"
        assert member is not None and member.dm_closed_at is None

        installations = adapter.clients.installations
        assert installations is not None
        await installations.store.async_delete_all(enterprise_id=None, team_id=BETA)
        with pytest.raises(DeliveryFailed) as gone:  # looked up again: not installed
            await adapter.notifier.send_dm(BETA, BEA, Reply(text="hello"))
        assert gone.value.permanent and gone.value.uninstalled
