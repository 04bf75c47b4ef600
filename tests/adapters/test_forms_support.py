"""Core support for form-based adapters: errors name their field, and the member's home view."""

from __future__ import annotations

import pytest

from bot.app import Peerpath
from tests.support import Person


@pytest.mark.parametrize(
    ("line", "option"),
    [
        ('/outreach "Jane Doe" via=carrier-pigeon', "via"),
        ('/outreach "Jane Doe" date=2099-01-01', "date"),
        ('/logged-interview "Jane Doe" date=someday-maybe', "date"),
        ('/logged-interview "Jane Doe" date=2099-01-01', "date"),
        ('/scheduled "Jane Doe" date=2020-01-01', "date"),
        ("/settings hour=99", "hour"),
        ("/settings reminders=perhaps", "reminders"),
        ("/outreach company=Acme", "contact"),
        ('/outreach "Jane Doe" colour=blue', None),
    ],
)
async def test_errors_name_the_option_they_concern(
    ann: Person, line: str, option: str | None
) -> None:
    reply = await ann.say(line)
    assert reply.is_error, reply.text
    assert reply.error_option == option


async def test_home_shows_what_is_waiting_with_buttons(app: Peerpath, ann: Person) -> None:
    empty = await app.home(ann.invocation())
    assert (empty.title, empty.actions) == ("Your peerpath", [])
    assert "Nothing is waiting on you" in empty.text
    await ann.say('/logged-interview "Jane Doe" date=yesterday')
    home = await app.home(ann.invocation())
    assert [f.name for f in home.fields] == ["This week", "Streak", "Thank-you notes (1)"]
    assert home.fields[0].value.startswith("0/5 outreach, 1/1 interview,")
    assert [b.id.partition(":")[0] for b in home.actions] == ["thanked"]
    await ann.press(home.actions[0].id)
    assert (await app.home(ann.invocation())).actions == []
