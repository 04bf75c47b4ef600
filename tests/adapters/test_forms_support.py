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
    always = ["form:outreach", "form:logged-interview", "show:history"]  # places to act
    empty = await app.home(ann.invocation())
    assert (empty.title, [b.id for b in empty.actions]) == ("Your peerpath", always)
    assert "Nothing logged yet" in empty.text  # a newcomer: shown, never stored
    await ann.say('/logged-interview "Jane Doe" date=yesterday')
    home = await app.home(ann.invocation())
    assert [f.name for f in home.fields] == ["This week", "Streak", "Thank-you notes (1)"]
    assert home.fields[0].value.startswith("0/5 outreach, 1/1 interview,")
    assert [b.id.partition(":")[0] for b in home.actions[3:]] == ["thanked"]
    await ann.press(home.actions[3].id)
    assert [b.id for b in (await app.home(ann.invocation())).actions] == always
    opened = await ann.press("form:outreach")
    assert opened.form is not None and opened.form.command == "outreach"
    assert "/outreach" in opened.text  # where there are no forms, what to type
    assert (await ann.press("form:leaderboard")).is_error  # only the Home's own forms
