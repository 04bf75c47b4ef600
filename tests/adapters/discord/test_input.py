"""Input on Discord, which tells each interaction's locale: a slashed date is read in the
member's own order, and every option kind has its discord.py annotation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from adapters.discord.commands import ANNOTATIONS
from bot.app import Peerpath
from bot.models import Outreach
from bot.option_types import Kind
from tests.adapters.discord.support import embed_of, running_bot, slash
from tests.fakes.discord_api import FakeDiscord


@pytest.fixture
def fake(fake_discord: FakeDiscord) -> FakeDiscord:
    return fake_discord


async def test_a_slashed_date_follows_the_members_locale(app: Peerpath, fake: FakeDiscord) -> None:
    said = {}
    async with running_bot(app, fake):
        for user, locale in (("111", "en-US"), ("222", "en-GB"), ("333", "de")):
            sent = await fake.interact(slash("outreach", user=user, contact=f"Contact {user}"))
            await fake.response_to(sent)
            payload = slash("scheduled", user=user, contact=f"Contact {user}", date="3/4")
            payload["locale"] = locale
            event = await fake.interact(payload)
            said[locale] = embed_of((await fake.response_to(event)).json["data"])
    assert all(e["title"] == "Interview scheduled" for e in said.values()), said
    async with app.sessions() as session:
        days = sorted((await session.scalars(select(Outreach.scheduled_for))).all())
    assert days == [date(2027, 3, 4), date(2027, 4, 3), date(2027, 4, 3)]


def test_every_kind_of_option_has_a_discord_annotation() -> None:
    assert set(ANNOTATIONS) == set(Kind)
