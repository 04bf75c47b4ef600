"""HTTP mode end to end: signed requests into the real bolt app, answers seen by a fake Slack."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from adapters.slack.app import SlackAdapter
from bot.app import Peerpath
from bot.models import Interview, Member, Outreach, Workspace
from bot.registry import Command, Option, OptionType
from bot.replies import Reply, Visibility
from bot.storage import db
from tests.fakes.slack_requests import ANN, SlackSide, picked_date, selected, typed
from tests.fakes.slack_web_api import TEAM_ID, FakeSlack
from tests.support import count


async def answers(fake: FakeSlack, response_url: str, count: int = 1) -> list[dict[str, Any]]:
    """The messages the app posted to one response_url, once there are ``count`` of them."""
    calls = await fake.wait_for(
        "response_url", count, where=lambda c: c.params["_url"] == response_url
    )
    return [c.params for c in calls]


async def answer(fake: FakeSlack, response_url: str) -> dict[str, Any]:
    """The (last) message the app posted to one response_url."""
    return (await answers(fake, response_url))[-1]


def button_ids(message: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


async def test_health_answers_once_serving(adapter: SlackAdapter) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{adapter.port}/healthz") as response,
    ):
        assert response.status == 200


async def test_every_command_answers_its_example(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    app.settings.public_url = "https://peerpath.example"  # /calendar's links need one
    for command in app.registry:
        if any(o.type is OptionType.FILE for o in command.options):
            continue  # a file is picked in a form, not typed: tests/adapters/slack/test_import.py
        text = command.example.partition(" ")[2]
        user = "U0ADMIN" if command.admin_only else ANN
        sent = await slack.command(command.name, text, user=user)
        assert (sent.status, sent.body) == (200, ""), command.name  # a bare, immediate ack
        message = await answer(fake, sent.response_url)
        assert message["blocks"] and message["text"], command.name
        assert message["blocks"][0]["text"]["text"] != "That didn't work", (command.name, message)
        expected = "in_channel" if command.visibility is Visibility.PUBLIC else "ephemeral"
        if message["blocks"][0]["text"]["text"] == "No completed week yet":
            expected = "ephemeral"  # /digest in the group's first week: nothing to post
        assert message["response_type"] == expected, command.name
    looked_up = {c.params["user"] for c in fake.called("users.info")}
    assert looked_up == {"U0ADMIN"}  # roles are looked up for admin-only commands alone


async def test_typed_interview_is_logged_once_and_escaped(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    sent = await slack.command("logged-interview", '"<!channel> Jane & <@U999>" company=Acme')
    message = await answer(fake, sent.response_url)
    assert message["response_type"] == "ephemeral"
    shown = json.dumps(message)
    assert "<!channel>" not in shown and "<@U999>" not in shown
    assert "&lt;!channel&gt; Jane &amp; &lt;@U999&gt;" in message["blocks"][1]["text"]["text"]
    assert await count(app, Interview) == 1


async def test_bad_text_gets_a_private_error_with_an_example(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    sent = await slack.command("outreach", '"Jane Doe" via=carrier-pigeon')
    message = await answer(fake, sent.response_url)
    assert message["response_type"] == "ephemeral"
    text = message["blocks"][1]["text"]["text"]
    assert "`via` must be one of" in text and "Example: /outreach" in text
    assert await count(app, Outreach) == 0


async def test_retried_command_is_not_logged_twice(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    first = await slack.command("outreach", '"Jane Doe" company=Acme')
    assert (await answer(fake, first.response_url))["blocks"][0]["text"]["text"] == (
        "Outreach logged"
    )
    again = await slack.command(
        "outreach",
        '"Jane Doe" company=Acme',
        trigger_id=first.trigger_id,
        response_url=first.response_url,
        retry=1,
    )
    assert again.status == 200
    calls = await answers(fake, first.response_url, 2)
    assert "Already done" in calls[1]["text"]
    assert await count(app, Outreach) == 1


async def test_forged_or_stale_requests_are_refused_and_change_nothing(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    forged = await slack.command("outreach", '"Jane Doe"', signature="v0=" + "0" * 64)
    stale = await slack.command("outreach", '"Jane Doe"', timestamp=int(time.time()) - 600)
    assert (forged.status, stale.status) == (401, 401)
    click = {"type": "block_actions", "actions": [{"action_id": "forget:yes"}]}
    assert (await slack.interact(click, signature="v0=" + "1" * 64))[0] == 401
    assert await count(app, Member) == 0 and await count(app, Outreach) == 0
    assert fake.called("response_url") == []


async def test_command_without_text_opens_a_modal_whose_submission_logs(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    sent = await slack.command("logged-interview")
    assert (sent.status, sent.body) == (200, "")
    opened = (await fake.wait_for("views.open"))[0].params
    assert opened["trigger_id"] == sent.trigger_id
    view = opened["view"]
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert list(blocks) == [
        "contact",
        "company",
        "role",
        "date",
        "via",
        "referrals",
        "may-use-name",
        "notes",
    ]
    assert all(b["element"]["action_id"] == name for name, b in blocks.items())
    assert blocks["contact"]["optional"] is False and blocks["notes"]["optional"] is True
    assert blocks["date"]["element"]["type"] == "datepicker"
    assert blocks["notes"]["element"]["multiline"] is True
    assert blocks["via"]["element"]["type"] == "static_select"
    assert await count(app, Member) == 0  # opening the form wrote nothing

    values = {
        "contact": typed("Jane Doe"),
        "date": picked_date("2026-11-17"),
        "via": selected("video"),
        "notes": typed("Loves her job.\nAsk about pricing."),
    }
    status, body = await slack.submit(view, values, view_id="V0FORM")
    assert (status, body) == (200, "")  # closes the modal
    message = await answer(fake, sent.response_url)
    assert message["blocks"][0]["text"]["text"] == "Interview logged"
    assert await count(app, Interview) == 1

    status, body = await slack.submit(view, values, view_id="V0FORM")  # submitted twice
    assert status == 200
    calls = await answers(fake, sent.response_url, 2)
    assert "Already done" in calls[1]["text"]
    assert await count(app, Interview) == 1


async def test_modal_errors_are_shown_on_their_field(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    await slack.command("logged-interview")
    view = (await fake.wait_for("views.open"))[0].params["view"]
    cases = {
        "date": {"contact": typed("Jane Doe"), "date": picked_date("2026-12-24")},
        "referrals": {"contact": typed("Jane Doe"), "referrals": typed("; ".join("abcdefghijk"))},
        "contact": {"contact": typed("   ")},
    }
    for field, values in cases.items():
        status, body = await slack.submit(view, values, view_id="V0FORM")
        assert status == 200
        refused = json.loads(body)
        assert refused["response_action"] == "errors"
        assert list(refused["errors"]) == [field], refused
    assert await count(app, Interview) == 0
    fixed = {"contact": typed("Jane Doe"), "date": picked_date("2026-11-17")}
    assert await slack.submit(view, fixed, view_id="V0FORM") == (200, "")  # same form, corrected
    await fake.wait_for("response_url")
    assert await count(app, Interview) == 1


async def test_button_marks_thanked_and_updates_the_message(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    sent = await slack.command("logged-interview", '"Jane Doe" date=yesterday')
    [button] = button_ids(await answer(fake, sent.response_url))
    assert button.startswith("thanked:")
    clicked = await slack.click(button)
    assert (clicked.status, clicked.body) == (200, "")
    update = await answer(fake, clicked.response_url)
    assert update["replace_original"] is True
    assert update["blocks"][0]["text"]["text"] == "Thank-you sent"
    async with app.sessions() as session:
        assert (await session.scalar(select(Interview))).thanked_at is not None


async def test_app_home_shows_pending_thanks_and_its_button_works(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    sent = await slack.command("logged-interview", '"Jane Doe" date=yesterday')
    await answer(fake, sent.response_url)
    refreshed = await fake.wait_for("views.publish")  # data changed: Home follows
    assert refreshed[0].params["user_id"] == ANN

    assert await slack.event({"type": "app_home_opened", "user": ANN, "tab": "home"}) == 200
    published = (await fake.wait_for("views.publish", 2))[-1].params
    assert published["view"]["type"] == "home"
    *actions, button = button_ids(published["view"])
    assert actions == ["form:outreach", "form:logged-interview", "show:history"]
    home = json.dumps(published["view"])
    assert "Jane Doe" in home
    assert "0/5 outreach, 1/1 interview," in home  # this week against the default goals
    assert "*Streak*" in home

    await slack.click(button, type="view", view_id="V0HOME")
    after = (await fake.wait_for("views.publish", 3))[-1].params["view"]
    assert after["blocks"][0]["text"]["text"].startswith("*Thank-you sent*")
    assert button_ids(after) == actions  # no thank-you left to send


async def test_export_is_shared_privately_as_a_file(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    await answer(fake, (await slack.command("outreach", '"Jane Doe" company=Acme')).response_url)
    sent = await slack.command("export")
    assert "records" in (await answer(fake, sent.response_url))["text"]
    [done] = await fake.wait_for("files.completeUploadExternal")
    [opened] = fake.called("conversations.open")
    assert opened.params["users"] == ANN
    assert done.params["channel_id"] == "D0ANN"  # the member's DM, not the channel
    [upload] = fake.called("upload")
    assert b"Jane Doe" in upload.params["body"]


async def test_commands_added_later_work_with_visibility_and_admin_role(
    app: Peerpath, fake: FakeSlack
) -> None:
    async def shout(ctx: Any, args: dict[str, Any]) -> Reply:
        return Reply(text=f"{args['what']} from <@{ctx.invocation.user_id}>")

    app.registry.add(
        Command(
            "shout",
            "Say something to the channel",
            shout,
            options=(Option("what", "What to say", required=True),),
            visibility=Visibility.PUBLIC,
            admin_only=True,
        )
    )
    from tests.adapters.slack.conftest import slack_settings

    adapter = SlackAdapter(app, slack_settings(fake))
    await adapter.start()
    try:
        slack = SlackSide(fake, f"http://127.0.0.1:{adapter.port}/slack/events")
        refused = await answer(fake, (await slack.command("shout", "hello")).response_url)
        assert refused["response_type"] == "ephemeral"
        assert "admins only" in refused["text"]
        allowed = await slack.command("shout", "hello", user="U0ADMIN")
        message = await answer(fake, allowed.response_url)
        assert message["response_type"] == "in_channel"
        assert {c.params["user"] for c in fake.called("users.info")} == {ANN, "U0ADMIN"}
    finally:
        await adapter.stop()


async def test_data_is_scoped_by_team(app: Peerpath, slack: SlackSide, fake: FakeSlack) -> None:
    await answer(fake, (await slack.command("outreach", '"Jane Doe"')).response_url)
    async with app.sessions() as session:
        member = await session.scalar(select(Member))
        workspace = await session.scalar(select(Workspace))
    assert member.user_id == ANN
    assert (workspace.platform, workspace.external_id) == ("slack", TEAM_ID)


async def test_slow_submission_closes_the_form_and_answers_by_message(
    app: Peerpath, adapter: SlackAdapter, slack: SlackSide, fake: FakeSlack
) -> None:
    adapter.submit_wait = 0  # as if the database took longer than Slack's 3 s window
    sent = await slack.command("logged-interview")
    view = (await fake.wait_for("views.open"))[0].params["view"]
    status, body = await slack.submit(view, {"contact": typed("Jane Doe")})
    assert (status, body) == (200, "")
    assert (await answer(fake, sent.response_url))["blocks"][0]["text"]["text"] == (
        "Interview logged"
    )
    status, body = await slack.submit(
        view, {"contact": typed("Ann Wu"), "date": picked_date("2030-01-01")}
    )
    assert (status, body) == (200, "")  # even an error closes the form: it arrives as a message
    calls = await answers(fake, sent.response_url, 2)
    assert "hasn't happened yet" in calls[-1]["text"]
    assert await count(app, Interview) == 1


async def test_button_under_a_dm_replaces_it_and_under_a_channel_post_answers_privately(
    slack: SlackSide, fake: FakeSlack
) -> None:
    in_dm = await slack.click(
        "prep:", channel="D0ANN", type="message", message_ts="1.0", is_ephemeral=False
    )
    in_channel = await slack.click(
        "prep:", channel="C0GENERAL", type="message", message_ts="1.0", is_ephemeral=False
    )
    dm_update = await answer(fake, in_dm.response_url)
    channel_answer = await answer(fake, in_channel.response_url)
    assert dm_update["replace_original"] is True
    assert channel_answer["replace_original"] is False
    assert channel_answer["response_type"] == "ephemeral"


async def test_a_refused_file_is_explained_to_the_member(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    fake.fail("conversations.open", "missing_scope")
    sent = await slack.command("export")
    calls = await answers(fake, sent.response_url, 2)
    assert "records" in calls[0]["text"]
    assert "Slack refused the file" in calls[1]["text"]
    assert calls[1]["response_type"] == "ephemeral"


async def test_stopping_lets_an_acknowledged_command_send_its_answer(
    adapter: SlackAdapter, slack: SlackSide, fake: FakeSlack, database_url: str
) -> None:
    """A command acknowledged as the process shuts down is still answered: stopping waits
    for the answers owed (``peerpath run`` bounds that wait by its shutdown budget)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("holds SQLite's write lock to stall the database")
    locker = db.create_engine(database_url)
    try:
        async with locker.connect() as connection:
            await connection.begin()  # the command waits for the database, acknowledged
            sent = await slack.command("outreach", '"Jane Doe"')
            assert (sent.status, fake.called("response_url")) == (200, [])
            stopping = asyncio.create_task(adapter.stop())
            await connection.rollback()
        await stopping
        (message,) = [call.params for call in fake.called("response_url")]
        assert message["blocks"][0]["text"]["text"] == "Outreach logged"
    finally:
        await locker.dispose()


async def test_request_url_verification_is_answered(slack: SlackSide) -> None:
    challenge = json.dumps({"token": "x", "challenge": "c0ffee", "type": "url_verification"})
    status, body = await slack.post(challenge, "application/json")
    assert (status, json.loads(body)) == (200, {"challenge": "c0ffee"})


async def test_slack_is_acknowledged_before_any_database_work(
    app: Peerpath, slack: SlackSide, fake: FakeSlack, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("holds SQLite's write lock to stall the database")
    locker = db.create_engine(database_url)
    try:
        async with locker.connect() as connection:
            await connection.begin()  # BEGIN IMMEDIATE: nobody else may write now
            sent = await slack.command("outreach", '"Jane Doe"')
            assert (sent.status, sent.body) == (200, "")  # acknowledged while the database waits
            assert fake.called("response_url") == []
            await connection.rollback()
        message = await answer(fake, sent.response_url)
        assert message["blocks"][0]["text"]["text"] == "Outreach logged"
    finally:
        await locker.dispose()


async def test_a_logs_edit_button_opens_its_form_whose_submission_edits_it(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    logged = await slack.command("logged-interview", '"Jane Doe" date=yesterday notes="first"')
    await answer(fake, logged.response_url)
    listed = await slack.command("history")
    [open_log] = button_ids(await answer(fake, listed.response_url))
    opened = await slack.click(open_log)
    edit, delete = button_ids(await answer(fake, opened.response_url))
    assert (edit, delete) == ("log-edit:i1", "log-delete:i1")
    pressed = await slack.click(edit)
    [form] = await fake.wait_for("views.open")
    assert form.params["trigger_id"] == pressed.trigger_id
    view = form.params["view"]
    assert view["title"]["text"] == "Edit interview"
    blocks = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert list(blocks) == ["date", "via", "notes"]
    assert blocks["date"]["initial_date"] == "2026-11-17"
    assert "initial_option" not in blocks["via"]  # none chosen when it was logged
    assert (blocks["notes"]["initial_value"], blocks["notes"]["multiline"]) == ("first", True)
    assert json.loads(view["private_metadata"])["hidden"] == {"edit": "i1"}
    values = {"date": picked_date("2026-11-16"), "via": selected("phone"), "notes": typed("new")}
    assert await slack.submit(view, values, view_id="V0EDIT") == (200, "")
    done = await answer(fake, pressed.response_url)
    assert done["blocks"][0]["text"]["text"] == "Log edited"
    async with app.sessions() as session:
        interview = await session.scalar(select(Interview))
    assert (interview.held_on.isoformat(), interview.via, interview.notes) == (
        "2026-11-16",
        "phone",
        "new",
    )


async def test_a_burst_of_commands_refreshes_the_app_home_twice(
    adapter: SlackAdapter, slack: SlackSide, fake: FakeSlack
) -> None:
    """Home is published after the first command and once more when the window ends, with
    the last command's change — not once per command. (The window is real time: a machine
    slow enough to spread the commands over two windows publishes once more.)"""
    frozen = 1000.0
    adapter.answers.home_interval = 1.0
    adapter.answers._monotonic = lambda: frozen
    for name in ("Amy Ng", "Bo Li", "Cy Oh", "Di Xu"):
        sent = await slack.command("outreach", f'"{name}" company=Acme')
        await answer(fake, sent.response_url)
    await adapter.answers.settle()
    published = fake.called("views.publish")
    assert 2 <= len(published) <= 3
    assert "4/5 outreach" in json.dumps(published[-1].params["view"])
