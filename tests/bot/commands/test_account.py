"""Settings, export and forget-me: the member's own data, and nobody else's."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Contact, Interview, Member, Outreach
from tests.support import Person


async def test_settings_shows_then_changes(ann: Person) -> None:
    shown = await ann.say("/settings")
    assert shown.title == "Your settings"
    assert shown.fields[0].value == "UTC, the server default"
    changed = await ann.say("/settings tz=america/new_york hour=8 quiet=22-7 reminders=off")
    assert changed.title == "Settings updated"
    values = {f.name: f.value for f in changed.fields}
    assert values["Time zone (tz)"] == "America/New_York, your own"
    assert values["Reminder hour (hour)"] == "08:00"
    assert values["Quiet hours (quiet)"] == "22:00-07:00"
    assert values["DM reminders (reminders)"] == "off"


async def test_time_zone_in_use_for_dates(ann: Person) -> None:
    await ann.say("/settings tz=Pacific/Kiritimati")  # UTC+14: already Thursday there
    reply = await ann.say('/logged-interview "Jane Doe" date=today')
    assert "Thu 19 Nov" in reply.text


async def test_bad_settings_are_explained_and_change_nothing(ann: Person) -> None:
    await ann.say("/settings")
    reply = await ann.say("/settings tz=Berlin hour=8")
    assert reply.is_error and "Europe/Berlin" in reply.text
    for bad in ("hour=25", "hour=nine", "quiet=late", "reminders=maybe"):
        assert (await ann.say(f"/settings {bad}")).is_error, bad
    async with ann.app.sessions() as session:
        member = await session.scalar(select(Member))
    assert (member.tz, member.reminder_hour) == (None, 9)


async def test_export_contains_only_my_data(ann: Person, ben: Person) -> None:
    await ann.say('/outreach "Jane Doe" company=Acme')
    await ann.say('/logged-interview "Jane Doe" notes="=cmd secret plans" referrals="Bob Lee"')
    await ann.say("/targets add company=Acme motivation=3 posting=yes")
    await ben.say('/logged-interview "Ben Contact" notes="ben private"')
    await ben.say("/targets add company=Bensco")
    reply = await ann.say("/export")
    assert reply.attachment is not None and reply.attachment.mime_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(reply.attachment.content.decode())))
    assert [r["record"] for r in rows] == ["contact", "contact", "outreach", "interview", "target"]
    assert (rows[-1]["company"], rows[-1]["status"]) == ("Acme", "motivation 3, posting yes")
    assert "Bensco" not in reply.attachment.content.decode()
    assert rows[-2]["notes"] == "'=cmd secret plans"  # defused for spreadsheets
    assert "ben private" not in reply.attachment.content.decode()
    assert "Ben Contact" not in reply.attachment.content.decode()


async def test_forget_me_asks_then_deletes_only_mine(ann: Person, ben: Person) -> None:
    await ann.say('/logged-interview "Jane Doe" referrals="Bob Lee"')
    await ann.say('/outreach "Sam Poe"')
    await ben.say('/logged-interview "Ben Contact"')
    ask = await ann.say("/forget-me")
    assert ask.actions[0].id == "forget:yes"
    done = await ann.press(ask.actions[0].id)
    assert done.title == "Deleted"
    async with ann.app.sessions() as session:
        counts = [
            await session.scalar(select(func.count()).select_from(m))
            for m in (Member, Contact, Outreach, Interview)
        ]
    assert counts == [1, 1, 0, 1]  # only ben, his contact and his interview remain


async def test_forget_me_confirm_option(ann: Person) -> None:
    await ann.say('/outreach "Jane Doe"')
    assert (await ann.say("/forget-me confirm=yes")).title == "Deleted"
    assert (await ann.say("/forget-me confirm=no")).is_error


async def test_workspaces_are_isolated(app) -> None:
    same_user_a = Person(app, "ann", workspace="team-a")
    same_user_b = Person(app, "ann", workspace="team-b")
    await same_user_a.say('/logged-interview "Jane Doe" notes="A only"')
    assert (await same_user_b.say("/pending")).title == "Nothing pending"
    assert (await same_user_b.say("/thanked Jane Doe")).actions == []
    export = await same_user_b.say("/export")
    assert b"Jane Doe" not in export.attachment.content
    reply = await same_user_a.say("/pending")
    assert "Jane Doe" in reply.fields[0].value


async def test_a_retried_request_is_handled_once(ann: Person) -> None:
    first = await ann.say('/outreach "Jane Doe" date=yesterday', request_id="req-1")
    second = await ann.say('/outreach "Jane Doe" date=yesterday', request_id="req-1")
    assert first.title == "Outreach logged" and "Already done" in second.text
    async with ann.app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Outreach)) == 1


async def test_help_lists_every_command_with_an_example(ann: Person) -> None:
    reply = await ann.say("/peerpath")
    registry = ann.app.registry
    assert [f.name for f in reply.fields] == [f"/{c.name}" for c in registry]
    assert all("e.g. /" in f.value for f in reply.fields)
    one = await ann.say("/peerpath thanked")
    assert one.title == "/thanked"
    assert (await ann.say("/peerpath nope")).is_error
    assert (await ann.say("/nope")).is_error


async def test_settings_name_the_zone_in_force_and_where_it_comes_from(app) -> None:
    """A member without a zone of their own follows their first group's, and /settings
    says so — the zone the reminders really use, not the server default."""
    admin = Person(app, "ada", channel="cohort", is_admin=True)
    await admin.say("/group-setup tz=Asia/Kolkata")
    follower = Person(app, "fay", channel="cohort")
    await follower.say("/join")
    elsewhere = Person(app, "fay", channel="random")
    shown = {f.name: f.value for f in (await elsewhere.say("/settings")).fields}
    assert shown["Time zone (tz)"] == "Asia/Kolkata, from #cohort"
    lone = Person(app, "lou", channel="random")
    shown = {f.name: f.value for f in (await lone.say("/settings")).fields}
    assert shown["Time zone (tz)"] == "UTC, the server default"
    own = {f.name: f.value for f in (await elsewhere.say("/settings tz=Europe/Berlin")).fields}
    assert own["Time zone (tz)"] == "Europe/Berlin, your own"


async def test_zone_abbreviations_are_refused_with_the_places_they_may_mean(ann: Person) -> None:
    expected = {
        "EST": "America/New_York",  # a tz database zone, but fixed at UTC-5 all year
        "CET": "Europe/Berlin",
        "PST": "America/Los_Angeles",
        "IST": "Asia/Kolkata, Europe/Dublin or Asia/Jerusalem",
        "est5edt": "America/New_York",
        "JST": "Asia/Tokyo",  # known from the tz database itself
    }
    for typed, places in expected.items():
        reply = await ann.say(f"/settings tz={typed}")
        assert reply.is_error and "is an abbreviation" in reply.text, typed
        assert places in reply.text, typed
    assert "is an abbreviation" in (await ann.say("/group-setup tz=CET")).text
    shown = await ann.say("/settings tz=UTC")
    assert shown.fields[0].value == "UTC, your own"


@pytest.mark.parametrize(
    ("line", "note"),
    [
        (
            "/settings quiet=8-22",
            "09:00, is inside your quiet hours (08:00-22:00), so reminders "
            "will arrive at 22:00 the same day",
        ),
        ("/settings quiet=6-2", "will arrive at 02:00 the next day"),
        (
            "/settings hour=23 quiet=22-7",
            "23:00, is inside your quiet hours (22:00-07:00), so "
            "reminders will arrive at 07:00 the next day",
        ),
    ],
)
async def test_a_reminder_hour_inside_quiet_hours_is_kept_with_a_note(
    ann: Person, line: str, note: str
) -> None:
    reply = await ann.say(line)
    assert reply.title == "Settings updated" and note in reply.text
    assert note in (await ann.say("/settings")).text  # said again while it applies
    assert "quiet hours" not in (await ann.say("/settings quiet=off")).text


async def test_no_note_when_reminders_come_on_time_or_not_at_all(ann: Person) -> None:
    assert "Note" not in (await ann.say("/settings quiet=21-8")).text
    assert "Note" not in (await ann.say("/settings quiet=8-22 reminders=off")).text


async def test_a_quiet_range_that_starts_where_it_ends_is_asked_about(ann: Person) -> None:
    """``quiet=8-8`` was saved as "off" without a word; a member may have meant all day."""
    for same in ("8-8", "0-0", "21:00-21:00"):
        refused = await ann.say(f"/settings quiet={same}")
        assert refused.is_error and "`off`" in refused.text and "reminders=off" in refused.text
    assert "off" in (await ann.say("/settings quiet=off")).fields[2].value


async def test_history_numbers_are_those_it_shows(ann: Person) -> None:
    assert "it has no logs yet" in (await ann.say("/history edit=3 date=today")).text
    await ann.say('/outreach "Jane Doe"')
    await ann.say('/outreach "Kim Lee"')
    refused = await ann.say("/history edit=9 date=today")
    assert refused.is_error and "(1 to 2)" in refused.text


async def test_join_says_whether_it_joined_or_you_already_were(
    app: Peerpath, clock: SimulatedClock
) -> None:
    admin, kim = Person(app, "admin", is_admin=True), Person(app, "kim")
    await admin.say("/group-setup tz=Asia/Kolkata")
    assert (await kim.say("/join")).title == "You're in"  # the first command in the channel
    clock.advance(timedelta(days=1))
    again = await kim.say("/join")
    assert again.title == "Already in"
    assert "since Wed 18 Nov" in again.text  # her day in the group's zone


async def test_emoji_and_script_joiners_are_kept_and_disguises_dropped(ann: Person) -> None:
    await ann.say('/outreach "Ana\u202eevil\u200b" company="👩\u200d💻🏳️\u200d🌈 ان\u200cدر"')
    exported = (await ann.say("/export")).attachment
    assert exported is not None
    text = exported.content.decode()
    assert "👩\u200d💻🏳️\u200d🌈 ان\u200cدر" in text  # the sequences stay whole
    assert "Anaevil" in text and "\u202e" not in text and "\u200b" not in text
