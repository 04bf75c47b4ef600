"""Outreach moving along, the 3B7 follow-up dates, and /pending."""

from sqlalchemy import select

from bot.clock import SimulatedClock
from bot.models import Contact, Outreach
from tests.support import Person, count


async def test_outreach_states_the_3b7_dates(ann: Person) -> None:
    reply = await ann.say('/outreach "Jane Doe" company=Acme via=link how=alumni')
    assert reply.title == "Outreach logged"
    # Sent Wednesday 18 Nov: 3 business days → Mon 23 Nov, 7 → Fri 27 Nov.
    assert reply.fields[0].name == "From Mon 23 Nov, if no reply"
    assert "second person at Acme" in reply.fields[0].value
    assert reply.fields[1].name == "From Fri 27 Nov, if still nothing"
    async with ann.app.sessions() as session:
        request = await session.scalar(select(Outreach))
        contact = await session.scalar(select(Contact))
    assert (request.via, request.status, contact.how_known) == ("linkedin", "sent", "alumni")


async def test_outreach_in_the_future_is_refused(ann: Person) -> None:
    reply = await ann.say('/outreach "Jane Doe" date="next monday"')
    assert reply.is_error and "future" in reply.text


async def test_bad_choice_lists_the_choices(ann: Person) -> None:
    reply = await ann.say('/outreach "Jane Doe" via=pigeon')
    assert reply.is_error
    assert "email, linkedin, phone, in-person, other" in reply.text
    assert "Example:" in reply.text


async def test_scheduled_then_declined_flow(ann: Person) -> None:
    await ann.say('/outreach "Jane Doe" company=Acme')
    reply = await ann.say('/scheduled "Jane Doe" date="next tuesday"')
    assert reply.title == "Interview scheduled" and "Tue 24 Nov" in reply.text
    assert reply.actions[0].id == "prep:"
    prep = await ann.press("prep:")
    assert "two more names" in prep.fields[0].value
    await ann.say('/outreach "Sam Poe" company=Beta')
    declined = await ann.say("/declined sam poe")
    assert "declined" in declined.text
    async with ann.app.sessions() as session:
        statuses = {o.contact_id: o.status for o in await session.scalars(select(Outreach))}
    assert sorted(statuses.values()) == ["declined", "scheduled"]


async def test_scheduled_in_the_past_points_to_logging(ann: Person) -> None:
    reply = await ann.say('/scheduled "Jane Doe" date=yesterday')
    assert reply.is_error and "/logged-interview" in reply.text


async def test_scheduled_for_someone_never_written_to_adds_nothing(ann: Person) -> None:
    reply = await ann.say('/scheduled "New Person" date=friday')
    assert reply.is_error and '/outreach "New Person"' in reply.text
    assert await count(ann.app, Contact) == 0 and await count(ann.app, Outreach) == 0


async def test_declined_without_open_outreach(ann: Person) -> None:
    await ann.say('/logged-interview "Jane Doe"')
    reply = await ann.say("/declined Jane Doe")
    assert reply.is_error and "no open outreach" in reply.text


async def test_pending_orders_overdue_first_and_shows_every_kind(
    ann: Person, clock: SimulatedClock
) -> None:
    await ann.say('/logged-interview "Olivia Stone" date="10 days ago"')
    await ann.say('/logged-interview "Nadia Park" date=yesterday')
    await ann.say('/outreach "Waiting Person" company=Acme date="5 days ago"')
    await ann.say('/outreach "Booked Person"')
    await ann.say('/scheduled "Booked Person" date="next monday"')
    reply = await ann.say("/pending")
    names = [f.name for f in reply.fields]
    assert names == ["Thank-you notes (2)", "Awaiting a reply (1)", "Scheduled (1)"]
    thanks = reply.fields[0].value.splitlines()
    assert thanks[0] == "• Olivia Stone — overdue (was due Sun 15 Nov)"
    assert thanks[1] == "• Nadia Park — due Tue 24 Nov"
    assert "try a second person there" in reply.fields[1].value
    assert "Mon 23 Nov" in reply.fields[2].value
    assert len(reply.actions) == 2


async def test_pending_when_nothing_waits(ann: Person) -> None:
    assert (await ann.say("/pending")).title == "Nothing pending"


async def test_a_call_at_a_time_the_clocks_skip_is_refused_with_the_hour_named(
    ann: Person,
) -> None:
    """Found in a play-test: 02:30 on the night New York springs forward was stored, and
    calendar apps showed 03:30."""
    await ann.say("/settings tz=America/New_York")
    await ann.say('/outreach "Gap Call" company=Acme')
    refused = await ann.say('/scheduled "Gap Call" date=2027-03-14 time=2:30am')
    assert refused.is_error and "There is no 02:30 on Sun 14 Mar 2027" in refused.text
    assert "America/New_York" in refused.text
    fine = await ann.say('/scheduled "Gap Call" date=2027-03-14 time=3:30am')
    assert not fine.is_error and "at 03:30" in fine.text
