"""Logging interviews and thank-you notes, against a real database (SQLite and PostgreSQL)."""

from datetime import timedelta

from sqlalchemy import func, select

from bot.clock import SimulatedClock
from bot.models import Contact, Interview, Outreach
from tests.support import Person, count


async def test_logging_an_interview_states_the_deadline_and_offers_the_button(ann: Person) -> None:
    reply = await ann.say('/logged-interview "Jane Doe" company=Acme role=PM date=yesterday')
    assert reply.title == "Interview logged"
    assert "Jane Doe (Acme)" in reply.text and "Tue 17 Nov" in reply.text
    due = next(f for f in reply.fields if f.name == "Thank-you note due")
    assert due.value.startswith("Tue 24 Nov")
    assert [b.label for b in reply.actions] == ["Thank-you sent: Jane Doe"]
    assert reply.actions[0].id.startswith("thanked:")
    assert any("two more names" in f.value for f in reply.fields)
    assert reply.ephemeral


async def test_two_referrals_become_contacts_linked_to_the_referrer(ann: Person) -> None:
    reply = await ann.say('/logged-interview "Jane Doe" referrals="Bob Lee; Ann Wu, Bob Lee"')
    assert not any("two more names" in f.value for f in reply.fields)
    async with ann.app.sessions() as session:
        jane = await session.scalar(select(Contact).where(Contact.name == "Jane Doe"))
        referred = list(
            await session.scalars(select(Contact).where(Contact.referred_by_id == jane.id))
        )
        interview = await session.scalar(select(Interview))
    assert sorted(c.name for c in referred) == ["Ann Wu", "Bob Lee"]
    assert {c.how_known for c in referred} == {"referral"}
    assert interview.referral_count == 2


async def test_future_interviews_are_refused_and_nothing_is_written(ann: Person) -> None:
    reply = await ann.say('/logged-interview "Jane Doe" date=tomorrow referrals="Bob Lee"')
    assert reply.is_error and "/scheduled" in reply.text
    assert await count(ann.app, Contact) == 0
    assert await count(ann.app, Interview) == 0


async def test_the_same_interview_twice_is_logged_once(ann: Person) -> None:
    await ann.say('/logged-interview "Jane Doe" date=today')
    again = await ann.say("/logged-interview jane doe")
    assert "already logged" in again.text
    assert await count(ann.app, Interview) == 1


async def test_logging_an_interview_closes_the_outreach(ann: Person) -> None:
    await ann.say('/outreach "Jane Doe" company=Acme date="3 days ago"')
    await ann.say('/logged-interview "Jane Doe" company=Acme')
    async with ann.app.sessions() as session:
        request = await session.scalar(select(Outreach))
        interview = await session.scalar(select(Interview))
    assert request.status == "interviewed"
    assert interview.outreach_id == request.id


async def test_thanked_marks_the_latest_interview(ann: Person, clock: SimulatedClock) -> None:
    await ann.say('/logged-interview "Jane Doe" date="a week ago"')
    await ann.say("/thanked Jane Doe")
    await ann.say('/logged-interview "Jane Doe" date=yesterday')
    reply = await ann.say('/thanked "jane  DOE"')
    assert "on time" in reply.text
    again = await ann.say("/thanked Jane Doe")
    assert "already marked" in again.text


async def test_a_late_thank_you_still_counts(ann: Person, clock: SimulatedClock) -> None:
    await ann.say('/logged-interview "Jane Doe"')
    clock.advance(timedelta(days=8))
    assert "late" in (await ann.say("/thanked Jane Doe")).text


async def test_an_ambiguous_name_gets_choices_not_a_guess(ann: Person) -> None:
    await ann.say('/logged-interview "Jane Doe" company=Acme')
    asked = await ann.say('/logged-interview "Jane Roe" company=Beta notes="kept"')
    assert asked.title == "Which contact?" and "Did you mean" in asked.text
    assert [b.label for b in asked.actions] == ["Jane Doe (Acme)", "New contact: Jane Roe (Beta)"]
    assert await count(ann.app, Contact) == 1  # nothing written while asking
    logged = await ann.press(asked.actions[1].id)
    assert logged.title == "Interview logged" and "Jane Roe (Beta)" in logged.text
    reply = await ann.say("/thanked Jane")
    assert "Did you mean" in reply.text
    assert [b.label for b in reply.actions] == ["Jane Doe (Acme)", "Jane Roe (Beta)"]
    chosen = await ann.press(reply.actions[1].id)
    assert "Jane Roe (Beta)" in chosen.text and "on time" in chosen.text
    async with ann.app.sessions() as session:
        thanked = await session.scalar(
            select(func.count()).where(Interview.thanked_at.is_not(None))
        )
    assert thanked == 1


async def test_same_name_at_two_companies_asks_which(ann: Person) -> None:
    await ann.say('/logged-interview "Alex Kim" company=Acme')
    same = await ann.say('/logged-interview "Alex Kim" company=Beta')
    assert "Is Alex Kim at Beta the same person" in same.text
    assert [b.label for b in same.actions] == ["Alex Kim (Acme)", "New contact: Alex Kim (Beta)"]
    await ann.press(same.actions[1].id)
    reply = await ann.say("/thanked Alex Kim")
    assert "2 contacts called Alex Kim" in reply.text
    assert [b.label for b in reply.actions] == ["Alex Kim (Acme)", "Alex Kim (Beta)"]
    chosen = await ann.press(reply.actions[1].id)
    assert "Alex Kim (Beta)" in chosen.text and await count(ann.app, Interview) == 2


async def test_unknown_name_with_nothing_similar(ann: Person) -> None:
    reply = await ann.say("/thanked Zed")
    assert "don't have anyone called" in reply.text and not reply.actions


async def test_thanked_without_a_name_lists_what_is_pending(ann: Person) -> None:
    await ann.say('/logged-interview "Jane Doe"')
    reply = await ann.say("/thanked")
    assert [b.label for b in reply.actions] == ["Thank-you sent: Jane Doe — Wed 18 Nov"]


async def test_button_of_another_member_says_whose_it_is(ann: Person, ben: Person) -> None:
    logged = await ann.say('/logged-interview "Jane Doe"')
    reply = await ben.press(logged.actions[0].id)
    assert reply.is_error and reply.text == "This button is for someone else."
    async with ann.app.sessions() as session:
        assert (await session.scalar(select(Interview))).thanked_at is None


async def test_damaged_button_ids_are_explained(ann: Person) -> None:
    for action in ("thanked:abc", "thanked:", "nonsense:1", "forget:no", "declined:x"):
        reply = await ann.press(action)
        assert reply.is_error, action


async def test_referrals_are_resolved_like_any_contact(ann: Person) -> None:
    await ann.say('/outreach "Bob Lee" company=Beta')
    await ann.say('/outreach "Cy Wu"')
    asked = await ann.say(
        '/logged-interview "Jane Doe" referrals="Bob; Jane Doe; Cy Wu; Di Ho" notes="kept"'
    )
    assert asked.text.startswith("About the referral Bob: I don't have anyone called Bob.")
    assert [b.label for b in asked.actions] == ["Bob Lee (Beta)", "New contact: Bob"]
    assert await count(ann.app, Interview) == 0
    logged = await ann.press(asked.actions[0].id)
    fields = {f.name: f.value for f in logged.fields}
    assert fields["Referrals added to your contacts"] == "Di Ho"
    assert fields["Already your contacts"].startswith("Bob Lee, Cy Wu: now noted as introduced")
    assert "Jane Doe is who you talked to" in fields["Left out"]
    async with ann.app.sessions() as session:
        interview = await session.scalar(select(Interview))
        linked = sorted(
            await session.scalars(select(Contact.name).where(Contact.referred_by_id.is_not(None)))
        )
    assert (interview.referral_count, interview.notes) == (1, "kept")  # only Di Ho is new
    assert linked == ["Bob Lee", "Cy Wu", "Di Ho"]


async def test_an_interview_logged_after_its_thank_you_day_says_the_note_is_overdue(
    ann: Person,
) -> None:
    reply = await ann.say('/logged-interview "Bob Ray" date=3.11.')  # held Tue 3 Nov
    assert [f.name for f in reply.fields][0] == "Thank-you note"
    assert reply.fields[0].value.startswith("overdue (was due Tue 10 Nov)")
    assert "Thank-you note due" not in [f.name for f in reply.fields]


async def test_every_date_of_another_year_is_said_with_its_year(ann: Person) -> None:
    """Found in a play-test: confirmations and /history showed ``Thu 29 Feb`` for a day of
    2024 (in 2026, a day that does not exist)."""
    logged = await ann.say("/outreach G company=Acme date=29.2.")  # the latest 29 Feb: 2024
    assert "Thu 29 Feb 2024" in logged.text
    await ann.say('/outreach "Jane Smith" company=Acme')
    planned = await ann.say('/scheduled "Jane Smith" date=2030-01-01')
    assert "Tue 1 Jan 2030" in planned.text
    future = await ann.say("/outreach F date=29.2.2028")
    assert future.is_error and "Tue 29 Feb 2028" in future.text
    history = await ann.say("/history")
    assert "Thu 29 Feb 2024" in history.text and "Tue 1 Jan 2030" in history.text
    assert "Wed 18 Nov 2026" not in (await ann.say("/history")).text  # this year: no year
