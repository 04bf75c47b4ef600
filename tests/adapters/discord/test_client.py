"""The Discord adapter end to end: real discord.py, real core and database, fake Discord."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import discord
import pytest
from sqlalchemy import func, select

from adapters.discord.adapter import application_id, build, invite_url
from bot.app import Peerpath
from bot.cli import main
from bot.commands.catalog import build_registry
from bot.context import Context
from bot.errors import UserError
from bot.models import Contact, Interview
from bot.ports import DeliveryFailed
from bot.registry import Command, Option, OptionType
from bot.replies import Attachment, Button, ButtonStyle, Reply, Visibility
from bot.startup import ConfigurationError
from tests.adapters.discord.support import (
    button_ids,
    button_press,
    embed_of,
    running_bot,
    settings_for,
    slash,
    slash_with_file,
)
from tests.fakes.discord_api import (
    APPLICATION_ID,
    CHANNEL_ID,
    GUILD_ID,
    FakeDiscord,
    dm_interaction,
    guild_interaction,
)

COMMANDS = rf"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands"
MESSAGES = r"/channels/\d+/messages"


@pytest.fixture
def fake(fake_discord: FakeDiscord) -> FakeDiscord:
    return fake_discord


# ---- connection and command sync ------------------------------------------------------


def expected_option(option: Option) -> dict[str, Any]:
    """What Discord must receive for a registry option (derived here independently)."""
    kind = {OptionType.INTEGER: 4, OptionType.BOOLEAN: 5, OptionType.FILE: 11}.get(option.type, 3)
    sent: dict[str, Any] = {
        "name": option.name,
        "description": option.description,
        "type": kind,
        "required": option.required,
    }
    choices = option.choices or (("yes",) if option.type is OptionType.CONFIRM else ())
    if choices:  # a confirmation is offered as its one word
        sent["choices"] = [{"name": c, "value": c} for c in choices]
    if option.type is OptionType.CONTACT:
        sent["autocomplete"] = True
    if kind == 3:
        sent["max_length"] = option.max_length
    if kind == 4:
        sent.update(
            {
                k: v
                for k, v in (("min_value", option.min_value), ("max_value", option.max_value))
                if v is not None
            }
        )
    return sent


async def test_connects_with_default_intents_and_syncs_the_registry(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake) as adapter:
        assert adapter.client.synced is True
    [identify] = fake.identifies
    assert identify["token"] == "test-token"
    assert identify["intents"] == discord.Intents.default().value
    assert not identify["intents"] & (
        discord.Intents(members=True, presences=True, message_content=True).value
    )
    assert fake.gateway_queries == [{"v": "10", "encoding": "json", "compress": "zlib-stream"}]
    assert fake.heartbeats >= 1  # sent on HELLO, before IDENTIFY; the fake ACKs each
    [put] = fake.matching("PUT", COMMANDS)
    sent = {c["name"]: c for c in put.json}
    assert list(sent) == [c.name for c in app.registry]
    for command in app.registry:
        payload = sent[command.name]
        assert payload["description"] == command.description
        assert payload["contexts"] == [0]  # servers only: a server is a workspace
        assert payload["default_member_permissions"] == (32 if command.admin_only else None)
        assert payload["options"] == [expected_option(o) for o in command.options]


async def test_sync_is_skipped_when_commands_are_unchanged(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake) as first:
        assert first.client.synced is True
    async with running_bot(app, fake) as second:
        assert second.client.synced is False
    assert len(fake.matching("PUT", COMMANDS)) == 1
    assert len(fake.matching("GET", COMMANDS)) == 2
    app.registry.add(
        Command(
            "cheer",
            "Cheer someone on",
            echo_handler,
            (Option("n", "How many", OptionType.INTEGER, min_value=1, max_value=50),),
        )
    )
    async with running_bot(app, fake) as third:  # a command added later, no adapter change
        assert third.client.synced is True
        event = await fake.interact(slash("cheer", n=3))
        answer = (await fake.response_to(event)).json["data"]
    assert fake.matching("PUT", COMMANDS)[-1].json[-1]["name"] == "cheer"
    assert embed_of(answer)["description"] == "ran with ['n']"


async def test_without_a_guild_id_commands_sync_globally(app: Peerpath, fake: FakeDiscord) -> None:
    async with running_bot(app, fake, guild=None) as adapter:
        assert adapter.client.synced is True
        event = await fake.interact(slash("pending"))
        assert (await fake.response_to(event)).json["type"] == 4
    assert fake.matching("PUT", rf"/applications/{APPLICATION_ID}/commands")
    assert not fake.matching("PUT", COMMANDS)


# ---- every command ---------------------------------------------------------------------


def sample(option: Option) -> Any:
    """A plausible value for any option, so commands added later are covered too."""
    if option.choices:
        return option.choices[0]
    return {
        OptionType.INTEGER: option.min_value if option.min_value is not None else 1,
        OptionType.BOOLEAN: True,
        OptionType.DATE: "2026-11-20",
        OptionType.CONTACT: "Jane Doe",
        OptionType.TEXT: "Some notes @everyone",
    }.get(option.type, "yes")


@pytest.mark.parametrize("name", [c.name for c in build_registry()])
async def test_every_command_answers_with_an_embed(
    app: Peerpath, fake: FakeDiscord, name: str
) -> None:
    command = app.registry.commands[name]
    options = {
        o.name: sample(o) for o in command.options if o.required or o.type is OptionType.TEXT
    }
    files = [o for o in command.options if o.type is OptionType.FILE]
    async with running_bot(app, fake):
        if files:  # a file option's value is an attachment the member uploaded
            upload = fake.attach("people.csv", b"name,company\nJane Doe,Acme\n")
            event = await fake.interact(slash_with_file(name, files[0].name, upload))
        else:
            event = await fake.interact(slash(name, **options))
        call = await fake.response_to(event)
    assert call.json["type"] == 4
    data = call.json["data"]
    embed = embed_of(data)
    error = embed.get("title") == "That didn't work"
    private = command.visibility is Visibility.EPHEMERAL or error
    assert data.get("flags", 0) == (64 if private else 0)
    assert data["allowed_mentions"] == {"parse": []}
    assert embed.get("description") or embed.get("fields")


async def test_logging_an_interview_shows_the_core_reply_privately(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake):
        event = await fake.interact(
            slash(
                "logged-interview",
                contact="Jane Doe",
                company="Acme",
                date="yesterday",
                notes="Typical day is meetings",
                referrals="Bob Lee; Ann Wu",
            )
        )
        call = await fake.response_to(event)
    data = call.json["data"]
    assert data["flags"] == 64
    embed = embed_of(data)
    assert embed["title"] == "Interview logged"
    assert embed["description"] == "Logged your conversation with Jane Doe (Acme) on Tue 17 Nov."
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Referrals added to your contacts"] == "Bob Lee, Ann Wu"
    [button] = button_ids(data)
    assert re.fullmatch(r"thanked:\d+", button)


async def test_a_repeated_interaction_is_not_logged_twice(app: Peerpath, fake: FakeDiscord) -> None:
    async with running_bot(app, fake):
        first = await fake.interact(slash("outreach", contact="Jane Doe", interaction_id=42))
        await fake.response_to(first)
        after = len(fake.calls)
        again = await fake.interact(slash("outreach", contact="Jane Doe", interaction_id=42))
        repeat = await fake.wait_call("POST", rf"/interactions/{again['id']}/.*/callback", after)
        pending = await fake.interact(slash("pending"))
        listed = embed_of((await fake.response_to(pending)).json["data"])
    assert embed_of(repeat.json["data"])["description"].startswith("Already done")
    assert json.dumps(listed).count("Jane Doe") == 1


async def test_a_bad_option_value_gets_a_private_error_and_the_bot_lives_on(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake):
        bad_hour = await fake.interact(slash("settings", hour=99))
        hour_reply = (await fake.response_to(bad_hour)).json["data"]
        bad_date = await fake.interact(slash("outreach", contact="Jane Doe", date="blursday"))
        date_reply = (await fake.response_to(bad_date)).json["data"]
        fine = await fake.interact(slash("outreach", contact="Jane Doe"))
        fine_reply = (await fake.response_to(fine)).json["data"]
    assert hour_reply["flags"] == 64 and date_reply["flags"] == 64
    assert "`hour` must be between 0 and 23" in embed_of(hour_reply)["description"]
    assert "Example:" in embed_of(date_reply)["description"]
    assert embed_of(fine_reply)["title"] != "That didn't work"


# ---- modals, buttons, autocomplete ---------------------------------------------------------


async def test_logged_interview_without_long_fields_opens_a_modal_and_logs_its_submission(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake):
        event = await fake.interact(slash("logged-interview", contact="Jane Doe", company="Acme"))
        opened = (await fake.response_to(event)).json
        assert opened["type"] == 9
        modal = opened["data"]
        labels = modal["components"]
        assert [label["type"] for label in labels] == [18, 18]  # Label components, not rows
        assert [label["label"] for label in labels] == ["Referrals", "Notes"]
        assert labels[1]["description"] == "What you learned (only you can see this)"
        inputs = [label["component"] for label in labels]
        assert [i["custom_id"] for i in inputs] == ["referrals", "notes"]
        assert all(i["type"] == 4 and i["style"] == 2 for i in inputs)  # paragraphs
        assert all(i.get("label") is None for i in inputs)  # the Label carries it
        assert [i["max_length"] for i in inputs] == [1000, 3000]
        values = {"referrals": "Bob Lee; Ann Wu", "notes": "Ask about @everyone"}
        submitted = await fake.interact(form_submission(modal["custom_id"], values))
        logged = (await fake.response_to(submitted)).json
    assert logged["type"] == 4 and logged["data"]["flags"] == 64
    embed = embed_of(logged["data"])
    assert embed["description"].startswith("Logged your conversation with Jane Doe (Acme)")
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Referrals added to your contacts"] == "Bob Lee, Ann Wu"


def form_submission(custom_id: str, values: dict[str, str]) -> dict[str, Any]:
    """A modal submission as Discord sends it for inputs in Label components."""
    labels = [
        {
            "type": 18,
            "id": 2 * n + 1,
            "component": {"type": 4, "id": 2 * n + 2, "custom_id": k, "value": v},
        }
        for n, (k, v) in enumerate(values.items())
    ]
    return guild_interaction("111", 5, {"custom_id": custom_id, "components": labels})


async def test_a_form_submitted_after_a_restart_hands_back_what_was_written(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake):
        event = await fake.interact(slash("logged-interview", contact="Jane Doe"))
        modal = (await fake.response_to(event)).json["data"]
    notes = "Asked about the team's roadmap. " * 100  # longer than a message may be
    values = {"referrals": "Bob Lee", "notes": notes}
    async with running_bot(app, fake):  # a new client: the open form is not known to it
        submitted = await fake.interact(form_submission(modal["custom_id"], values))
        answer = await fake.response_to(submitted)
    assert answer.json["type"] == 4 and answer.json["data"]["flags"] == 64
    assert embed_of(answer.json["data"])["title"] == "That form had closed"
    assert answer.files == {
        "logged-interview-form.txt": f"Referrals:\nBob Lee\n\nNotes:\n{notes}".encode()
    }
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Interview)) == 0


async def test_a_forged_form_id_is_answered_without_echoing_it(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake):
        forged = form_submission("@everyone/../x:1", {"notes": "mine"})
        answer = await fake.response_to(await fake.interact(forged))
    text = embed_of(answer.json["data"])["description"]
    assert "run the command again" in text and "everyone" not in text
    assert answer.files == {"form.txt": b"Notes:\nmine"}


async def test_a_button_still_works_after_the_bot_restarts(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake):
        event = await fake.interact(slash("logged-interview", contact="Jane Doe", notes="-"))
        sent = (await fake.response_to(event)).json["data"]
    [custom_id] = button_ids(sent)
    async with running_bot(app, fake):  # a new client on the same database
        pressed = await fake.interact(button_press(fake, sent, custom_id))
        updated = (await fake.response_to(pressed)).json
    assert updated["type"] == 7  # the reminder message itself is updated
    assert embed_of(updated["data"])["title"] == "Thank-you sent"
    assert updated["data"]["components"] == []


def row_with(custom_id: str) -> dict[str, Any]:
    button = {"type": 2, "style": 1, "label": "Thank-you sent", "custom_id": custom_id}
    return {"type": 1, "components": [button]}


async def test_a_button_press_that_fails_explains_privately_and_keeps_the_message(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake):
        gone = {"components": [row_with("thanked:999")]}
        press = button_press(fake, gone, "thanked:999")
        answer = (await fake.response_to(await fake.interact(press))).json
    assert answer["type"] == 4 and answer["data"]["flags"] == 64
    assert "can't find that interview" in embed_of(answer["data"])["description"]


async def test_contact_autocomplete_offers_only_the_members_own_contacts(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake):
        for user, contact in (("111", "Jane Doe"), ("111", "Jaime Ortiz"), ("222", "Jack Sprat")):
            event = await fake.interact(slash("outreach", user=user, contact=contact))
            await fake.response_to(event)
        data = {
            "name": "thanked",
            "type": 1,
            "options": [{"name": "contact", "type": 3, "value": "Ja", "focused": True}],
        }
        event = await fake.interact(guild_interaction("111", 4, data))
        answer = (await fake.response_to(event)).json
    assert answer["type"] == 8
    assert sorted(c["name"] for c in answer["data"]["choices"]) == ["Jaime Ortiz", "Jane Doe"]
    assert all(re.fullmatch(r"#[0-9]+", c["value"]) for c in answer["data"]["choices"])


async def test_autocomplete_values_are_short_ids_whatever_the_names_length(
    app: Peerpath, fake: FakeDiscord
) -> None:
    """Discord takes 100 characters for a choice's value: suggestions carry the contact's
    number, shown names are clipped, and what was chosen comes back as that contact."""
    longest = "Jo " + "n" * 97  # a name may be 100 characters
    async with running_bot(app, fake):
        logged = slash("logged-interview", contact=longest, notes="-")
        assert embed_of((await fake.response_to(await fake.interact(logged))).json["data"])
        async with app.sessions() as session, session.begin():  # from before names were bounded
            member = await session.scalar(select(Contact.member_id))
            session.add(
                Contact(
                    workspace_id=1,
                    member_id=member,
                    name="Jo " + "o" * 197,
                    name_key="jo " + "o" * 197,
                    how_known="other",
                    created_at=app.clock.now(),
                )
            )
        data = {
            "name": "thanked",
            "type": 1,
            "options": [{"name": "contact", "type": 3, "value": "jo", "focused": True}],
        }
        suggested = await fake.response_to(await fake.interact(guild_interaction("111", 4, data)))
        choices = suggested.json["data"]["choices"]
        assert len(choices) == 2
        assert all(len(c["name"]) <= 100 and re.fullmatch(r"#[0-9]+", c["value"]) for c in choices)
        chosen = {c["name"][3]: c["value"] for c in choices}  # "Jo nnn…" or "Jo ooo…"
        thanked = slash("thanked", contact=chosen["n"])
        answer = (await fake.response_to(await fake.interact(thanked))).json["data"]
        assert embed_of(answer)["title"] == "Thank-you sent"
        legacy = slash("outreach", contact=chosen["o"])
        answer = (await fake.response_to(await fake.interact(legacy))).json["data"]
        assert embed_of(answer)["title"] == "Outreach logged"
        typed = slash("outreach", contact="Zed Free")  # a name typed, not chosen, still works
        answer = (await fake.response_to(await fake.interact(typed))).json["data"]
        assert embed_of(answer)["description"].startswith("Logged your request to Zed Free, sent ")
        too_long = slash("outreach", contact="Al " + "l" * 120)
        answer = (await fake.response_to(await fake.interact(too_long))).json["data"]
        assert "at most 100 characters" in embed_of(answer)["description"]
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Contact)) == 3


async def test_a_logs_edit_button_opens_a_filled_in_form_that_edits_it(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake):
        logged = slash("logged-interview", contact="Jane Doe", date="yesterday", notes="first")
        await fake.response_to(await fake.interact(logged))
        listed = (await fake.response_to(await fake.interact(slash("history")))).json["data"]
        [open_log] = button_ids(listed)
        opened = await fake.interact(button_press(fake, listed, open_log))
        shown = (await fake.response_to(opened)).json["data"]
        edit, _delete = button_ids(shown)
        pressed = await fake.interact(button_press(fake, shown, edit))
        form = (await fake.response_to(pressed)).json
        assert form["type"] == 9  # a modal, as the first response to the press
        labels = form["data"]["components"]
        assert all(label["type"] == 18 for label in labels)  # Label components
        inputs = [label["component"] for label in labels]
        assert form["data"]["title"] == "Edit interview"
        assert [(i["custom_id"], i.get("value")) for i in inputs] == [
            ("date", "2026-11-17"),
            ("via", None),
            ("notes", "first"),
        ]
        values = {"date": "2026-11-16", "via": "phone", "notes": "second"}
        submitted = await fake.interact(form_submission(form["data"]["custom_id"], values))
        done = (await fake.response_to(submitted)).json["data"]
    assert embed_of(done)["title"] == "Log edited"
    async with app.sessions() as session:
        interview = await session.scalar(select(Interview))
    assert (interview.held_on.isoformat(), interview.via, interview.notes) == (
        "2026-11-16",
        "phone",
        "second",
    )


# ---- DMs through the notifier -------------------------------------------------------------


REMINDER = Reply(
    title="Thank-you due",
    text="Thank Jane Doe @everyone",
    actions=[Button("thanked:1", "Thank-you sent", ButtonStyle.PRIMARY)],
)


async def test_the_notifier_dms_a_member_and_its_buttons_work_from_the_dm(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake) as adapter:
        event = await fake.interact(slash("logged-interview", contact="Jane Doe", notes="-"))
        [custom_id] = button_ids((await fake.response_to(event)).json["data"])
        reminder = Reply(text="Did you thank Jane?", actions=[Button(custom_id, "Thank-you sent")])
        await adapter.notifier.send_dm(str(GUILD_ID), "111", reminder)
        opened = await fake.wait_call("POST", "/users/@me/channels")
        channel = fake.dm_channels["111"]["id"]
        sent = await fake.wait_call("POST", rf"/channels/{channel}/messages")
        press = dm_interaction(
            "111",
            channel,
            3,
            {"custom_id": button_ids(sent.json)[0], "component_type": 2},
            fake.message(int(channel), sent.json),
        )
        answer = (await fake.response_to(await fake.interact(press))).json
    assert opened.json == {"recipient_id": 111}
    assert sent.json["allowed_mentions"] == {"parse": []}
    assert embed_of(sent.json)["description"] == "Did you thank Jane?"
    assert button_ids(sent.json) == [f"{custom_id}@{GUILD_ID}"]  # a DM has no server of its own
    assert answer["type"] == 7 and embed_of(answer["data"])["title"] == "Thank-you sent"


async def test_closed_dms_are_a_permanent_delivery_failure(
    app: Peerpath, fake: FakeDiscord
) -> None:
    fake.fail("POST", MESSAGES, 403, code=50007, message="Cannot send messages to this user")
    async with running_bot(app, fake) as adapter:
        with pytest.raises(DeliveryFailed) as failed:
            await adapter.notifier.send_dm(str(GUILD_ID), "111", REMINDER)
    assert failed.value.permanent is True
    assert "closed DMs" in failed.value.reason


async def test_a_429_is_waited_out_and_the_dm_delivered(app: Peerpath, fake: FakeDiscord) -> None:
    fake.fail("POST", MESSAGES, 429, retry_after=0.01, message="rate limited", **{"global": False})
    async with running_bot(app, fake) as adapter:
        await adapter.notifier.send_dm(str(GUILD_ID), "111", REMINDER)
    assert len(fake.matching("POST", MESSAGES)) == 2


async def test_a_long_rate_limit_and_server_errors_are_worth_retrying_later(
    app: Peerpath, fake: FakeDiscord
) -> None:
    fake.fail("POST", MESSAGES, 429, retry_after=120.0, message="slow down")
    fake.fail("POST", MESSAGES, 503, code=0, message="unavailable")
    async with running_bot(app, fake) as adapter:
        with pytest.raises(DeliveryFailed) as limited:
            await adapter.notifier.send_dm(str(GUILD_ID), "111", REMINDER)
        with pytest.raises(DeliveryFailed) as unavailable:
            await adapter.notifier.send_dm(str(GUILD_ID), "111", REMINDER)
    assert (limited.value.permanent, limited.value.retry_after) == (False, 120.0)
    assert unavailable.value.permanent is False


async def test_a_429_without_discords_headers_is_a_rate_limit_never_closed_dms(
    app: Peerpath, fake: FakeDiscord
) -> None:
    """A 429 as Cloudflare answers it (no ``Via``): discord.py raises at once; it is still
    a rate limit, to be retried after a wait — it was taken for closed DMs."""
    fake.fail("POST", MESSAGES, 429, bare=True, message="You are being rate limited.")
    async with running_bot(app, fake) as adapter:
        with pytest.raises(DeliveryFailed) as limited:
            await adapter.notifier.send_dm(str(GUILD_ID), "111", REMINDER)
    assert limited.value.rate_limited and not limited.value.permanent
    assert "closed DMs" not in limited.value.reason


async def test_the_notifier_posts_publicly_to_a_channel(app: Peerpath, fake: FakeDiscord) -> None:
    async with running_bot(app, fake) as adapter:
        await adapter.notifier.post_channel(str(GUILD_ID), str(CHANNEL_ID), REMINDER)
    [post] = fake.matching("POST", rf"/channels/{CHANNEL_ID}/messages")
    assert embed_of(post.json)["title"] == "Thank-you due"
    assert button_ids(post.json) == ["thanked:1"]
    assert post.json["allowed_mentions"] == {"parse": []}


# ---- admin, public, files ------------------------------------------------------------------


async def echo_handler(ctx: Context, args: dict[str, Any]) -> Reply:
    return Reply(text=f"ran with {sorted(k for k, v in args.items() if v is not None)}")


async def leaderboard(ctx: Context, args: dict[str, Any]) -> Reply:
    if args["fail"]:
        raise UserError("No leaderboard yet.")
    return Reply(title="This week", text="1. ann — 3", visibility=Visibility.PUBLIC)


async def chart(ctx: Context, args: dict[str, Any]) -> Reply:
    return Reply(text="Your month", image=Attachment("chart.png", PNG, "image/png"))


PNG = b"\x89PNG\r\n\x1a\nnot-really-a-chart"


def add_test_commands(app: Peerpath) -> None:
    """Commands the registry may gain later; the adapter must serve them unchanged."""
    app.registry.add(Command("purge", "Admins only", echo_handler, admin_only=True))
    app.registry.add(
        Command(
            "board",
            "A public leaderboard",
            leaderboard,
            (Option("fail", "Fail on purpose", OptionType.BOOLEAN),),
            visibility=Visibility.PUBLIC,
        )
    )
    app.registry.add(Command("chart", "A chart", chart))


async def test_admin_commands_need_manage_server(app: Peerpath, fake: FakeDiscord) -> None:
    add_test_commands(app)
    async with running_bot(app, fake):
        member = await fake.interact(slash("purge"))
        refused = (await fake.response_to(member)).json["data"]
        admin = await fake.interact(slash("purge", admin=True))
        allowed = (await fake.response_to(admin)).json["data"]
    [put] = fake.matching("PUT", COMMANDS)
    purge = next(c for c in put.json if c["name"] == "purge")
    assert purge["default_member_permissions"] == 32  # Manage Server
    assert refused["flags"] == 64 and "admins only" in embed_of(refused)["description"]
    assert embed_of(allowed)["description"] == "ran with []"


async def test_public_replies_are_public_and_their_errors_private(
    app: Peerpath, fake: FakeDiscord
) -> None:
    add_test_commands(app)
    async with running_bot(app, fake):
        shown = (await fake.response_to(await fake.interact(slash("board")))).json["data"]
        failed = (await fake.response_to(await fake.interact(slash("board", fail=True)))).json
    assert shown.get("flags", 0) == 0 and embed_of(shown)["title"] == "This week"
    assert failed["data"]["flags"] == 64
    assert embed_of(failed["data"])["description"] == "No leaderboard yet."


async def test_charts_are_attached_and_shown_in_the_embed(app: Peerpath, fake: FakeDiscord) -> None:
    add_test_commands(app)
    async with running_bot(app, fake):
        call = await fake.response_to(await fake.interact(slash("chart")))
    assert embed_of(call.json["data"])["image"]["url"] == "attachment://chart.png"
    assert call.files == {"chart.png": PNG}


async def test_export_arrives_as_a_private_csv_file(app: Peerpath, fake: FakeDiscord) -> None:
    async with running_bot(app, fake):
        await fake.response_to(await fake.interact(slash("outreach", contact="Jane Doe")))
        call = await fake.response_to(await fake.interact(slash("export")))
    assert call.json["data"]["flags"] == 64
    [(name, content)] = call.files.items()
    assert name.endswith(".csv") and b"Jane Doe" in content


# ---- slow replies: defer, then follow up ----------------------------------------------------


async def test_slow_replies_are_deferred_then_followed_up(app: Peerpath, fake: FakeDiscord) -> None:
    add_test_commands(app)
    async with running_bot(app, fake, defer_after=0):
        event = await fake.interact(slash("pending"))
        deferred = await fake.response_to(event)
        follow = await fake.wait_call("POST", rf"/webhooks/{APPLICATION_ID}/{event['token']}")
        public_error = await fake.interact(slash("board", fail=True))
        public_deferred = await fake.response_to(public_error)
        deleted = await fake.wait_call(
            "DELETE", rf"/webhooks/{APPLICATION_ID}/{public_error['token']}/messages/@original"
        )
        error_follow = await fake.wait_call(
            "POST", rf"/webhooks/{APPLICATION_ID}/{public_error['token']}"
        )
    assert deferred.json == {"type": 5, "data": {"flags": 64}}
    assert follow.json["flags"] == 64 and embed_of(follow.json)
    assert public_deferred.json == {"type": 5}  # the public "thinking…" placeholder
    assert deleted.method == "DELETE"
    assert error_follow.json["flags"] == 64
    assert embed_of(error_follow.json)["description"] == "No leaderboard yet."


async def test_slow_button_presses_defer_the_update(app: Peerpath, fake: FakeDiscord) -> None:
    async with running_bot(app, fake):
        event = await fake.interact(slash("logged-interview", contact="Jane Doe", notes="-"))
        sent = (await fake.response_to(event)).json["data"]
    async with running_bot(app, fake, defer_after=0):
        pressed = await fake.interact(button_press(fake, sent, button_ids(sent)[0]))
        deferred = await fake.response_to(pressed)
        edited = await fake.wait_call(
            "PATCH", rf"/webhooks/{APPLICATION_ID}/{pressed['token']}/messages/@original"
        )
    assert deferred.json["type"] == 6
    assert embed_of(edited.json)["title"] == "Thank-you sent"
    assert edited.json["components"] == []


# ---- invite link ----------------------------------------------------------------------------


async def test_invite_url_asks_for_exactly_what_the_bot_needs(fake: FakeDiscord) -> None:
    url = invite_url(await application_id(settings_for(fake)))
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == [str(APPLICATION_ID)]
    assert query["scope"] == ["bot applications.commands"]
    expected = discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True, attach_files=True
    )
    assert query["permissions"] == [str(expected.value)]


def test_the_cli_prints_the_invite_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_APPLICATION_ID", "123456789012345678")
    assert main(["discord", "invite-url"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == invite_url(123456789012345678)


async def test_a_wrong_token_fails_start_clearly(app: Peerpath, fake: FakeDiscord) -> None:
    settings = settings_for(fake).model_copy(update={"discord_token": "wrong"})
    adapter = build(app, settings)
    with pytest.raises(ConfigurationError, match="Discord refused DISCORD_TOKEN"):
        await adapter.start()
    assert adapter.client.user is None  # never logged in


def test_the_cli_says_what_the_invite_url_needs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("DISCORD_APPLICATION_ID", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(["discord", "invite-url"]) == 2
    assert "Set DISCORD_APPLICATION_ID" in capsys.readouterr().err


async def test_a_refused_token_is_explained_for_the_invite_url(fake: FakeDiscord) -> None:
    settings = settings_for(fake).model_copy(update={"discord_token": "wrong"})
    with pytest.raises(ValueError, match="Discord refused DISCORD_TOKEN"):
        await application_id(settings)
