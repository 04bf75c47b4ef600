"""Partner rounds and plans on Discord, through the real discord.py client and notifier
against the fake: the round DM pings its partner with ``<@id>`` allowing only that user,
the check-in buttons answer only their member from the DM, and **Write my plan** opens
a form whose submission saves the plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import PartnerMatch, Plan
from tests.adapters.discord.support import button_ids, embed_of, running_bot, slash
from tests.adapters.discord.test_client import form_submission
from tests.fakes.discord_api import GUILD_ID, FakeDiscord, dm_interaction
from tests.support import outbox

ANN, BEN = "111", "222"
PLAN = "Ask @everyone at **Acme** <@333> @here"


def dms(fake: FakeDiscord, user: str) -> list[dict[str, Any]]:
    channel = fake.dm_channels[user]["id"]
    return [c.json for c in fake.matching("POST", rf"/channels/{channel}/messages")]


def titled(messages: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    return [m for m in messages if m["embeds"][0].get("title") == title]


def pressed_in_dm(fake: FakeDiscord, user: str, message: dict[str, Any], custom_id: str) -> dict:
    channel = fake.dm_channels[user]["id"]
    data = {"custom_id": custom_id, "component_type": 2}
    return dm_interaction(user, channel, 3, data, fake.message(int(channel), message))


async def answered(fake: FakeDiscord, payload: dict[str, Any]) -> dict[str, Any]:
    return (await fake.response_to(await fake.interact(payload))).json


async def test_round_dm_check_in_and_plan_form(
    app: Peerpath, fake_discord: FakeDiscord, clock: SimulatedClock
) -> None:
    fake = fake_discord
    async with running_bot(app, fake) as adapter:
        setup = slash(
            "group-setup",
            admin=True,
            user="999",
            tz="UTC",
            **{"digest-day": "wednesday", "digest-hour": 11, "partners": "weekly"},
        )
        assert embed_of((await answered(fake, setup))["data"])["title"] == "Group created"
        await answered(fake, slash("settings", user="999", reminders=False))
        for user in (ANN, BEN):
            await answered(fake, slash("settings", user=user, quiet="off"))
            await answered(fake, slash("partners", user=user, state=True))
        clock.advance(timedelta(days=7, hours=2))
        await answered(fake, slash("plan", user=BEN, text=PLAN))  # this week's plan
        box = outbox(app, {"discord": adapter.notifier})
        await box.sweep()  # the digest, and the round it starts
        await box.sweep()  # the round's DMs

        [to_ann] = titled(dms(fake, ANN), "Your partner this round")
        [to_ben] = titled(dms(fake, BEN), "Your partner this round")
        assert to_ann["content"] == f"<@{BEN}>"
        assert to_ann["allowed_mentions"] == {"parse": [], "users": [int(BEN)]}  # only Ben
        assert to_ben["content"] == f"<@{ANN}>"
        shown = embed_of(to_ann)
        opener = next(f["value"] for f in shown["fields"] if f["name"] == "Suggested opener")
        assert "\\*\\*Acme\\*\\*" in opener and "@\u200beveryone" in opener  # as typed, inert
        assert "@\u200bhere" in opener and "\\<@333>" in opener  # shown, never a mention

        clock.advance(timedelta(days=4))  # past the check-in, at 09:00 on Sunday
        await box.sweep()
        [asked] = [m for m in dms(fake, ANN) if m["embeds"][0]["title"].startswith("Checked in")]
        assert "allowed_mentions" in asked and asked["allowed_mentions"] == {"parse": []}
        met, _not_yet, _skip = button_ids(asked)
        assert (
            met.startswith("partner-checkin:") and ".met." in met and met.endswith(f"@{GUILD_ID}")
        )
        refused = await answered(fake, pressed_in_dm(fake, BEN, asked, met))
        assert embed_of(refused["data"])["description"] == "This button is for someone else."
        done = await answered(fake, pressed_in_dm(fake, ANN, asked, met))
        assert "Noted: you checked in with" in embed_of(done["data"])["description"]

        write = f"plan-write:2026-11-30@{GUILD_ID}"  # as Monday's prompt carries it
        button = {"type": 2, "style": 1, "label": "Write my plan", "custom_id": write}
        prompt = {"content": "", "components": [{"type": 1, "components": [button]}]}
        form = await answered(fake, pressed_in_dm(fake, ANN, prompt, write))
        assert form["type"] == 9 and form["data"]["title"] == "Your plan this week"
        inputs = [label["component"] for label in form["data"]["components"]]
        assert [i["custom_id"] for i in inputs] == ["text", "share"]
        values = {"text": "Three emails to Acme alumni"}
        saved = await answered(fake, form_submission(form["data"]["custom_id"], values))
        assert embed_of(saved["data"])["title"] == "Plan saved"
    async with app.sessions() as session:
        answers = list(await session.scalars(select(PartnerMatch.checkin)))
        plans = sorted(p.text for p in await session.scalars(select(Plan)))
    assert sorted(answers, key=str) == [None, "met"]
    assert plans == [PLAN, "Three emails to Acme alumni"]
