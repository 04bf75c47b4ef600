"""/undo and /history: a mistaken log taken back or mended, with everything it brought.

The clock starts on Wednesday 18 November 2026, 10:00 UTC (``tests.support.START``).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.clock import SimulatedClock
from bot.models import Contact, Interview, LogEntry, Nudge, Outreach
from tests.support import Person, count


async def pending_kinds(ann: Person) -> list[tuple[str, int]]:
    async with ann.app.sessions() as session:
        rows = await session.execute(
            select(Nudge.kind, Nudge.subject_id)
            .where(Nudge.status == "pending")
            .order_by(Nudge.kind, Nudge.subject_id)
        )
        return [tuple(r) for r in rows]


async def test_undo_asks_then_takes_back_an_outreach_and_all_it_brought(ann: Person) -> None:
    await ann.say('/outreach "Jane Doe" company=Acme')
    assert (await ann.say("/goal")).text.startswith("1/5 outreach")
    asked = await ann.say("/undo")
    assert asked.title == "Undo your last log?"
    assert "your outreach to Jane Doe (Acme) on Wed 18 Nov (logged today at 10:00)" in asked.text
    assert [b.label for b in asked.actions] == ["Undo: Jane Doe"]
    assert await count(ann.app, Outreach) == 1  # asking changes nothing
    done = await ann.press(asked.actions[0].id)
    assert done.title == "Taken back"
    assert (await ann.say("/goal")).text.startswith("0/5 outreach")
    assert await count(ann.app, Outreach) == 0
    assert await count(ann.app, Contact) == 0  # it was added by that log, and nothing else uses it
    assert await pending_kinds(ann) == []  # its 3B7 reminders went with it
    again = await ann.press(asked.actions[0].id)
    assert again.is_error and "can't find that log" in again.text
    assert (await ann.say("/undo")).title == "Nothing to undo"


async def test_undo_of_an_interview_restores_the_request_and_unmakes_referrals(
    ann: Person,
) -> None:
    await ann.say('/outreach "Jane Doe" company=Acme')
    await ann.say('/scheduled "Jane Doe" date=friday')
    await ann.say('/outreach "Bob Lee" company=Beta')  # already a contact: gains a link
    logged = await ann.say(
        '/logged-interview "Jane Doe" referrals="Bob Lee; Cy Wu" may-use-name=yes notes="x"'
    )
    assert logged.title == "Interview logged"
    async with ann.app.sessions() as session:
        bob = await session.scalar(select(Contact).where(Contact.name == "Bob Lee"))
        assert bob.referred_by_id is not None and bob.may_use_referrer_name is True
    reply = await ann.say("/undo confirm=yes")
    assert reply.title == "Taken back" and "interview with Jane Doe (Acme)" in reply.text
    async with ann.app.sessions() as session:
        jane = await session.scalar(
            select(Outreach).join(Contact).where(Contact.name == "Jane Doe")
        )
        bob = await session.scalar(select(Contact).where(Contact.name == "Bob Lee"))
        names = sorted((await session.scalars(select(Contact.name))).all())
    assert (jane.status, jane.scheduled_for is not None) == ("scheduled", True)
    assert (bob.referred_by_id, bob.may_use_referrer_name) == (None, None)
    assert names == ["Bob Lee", "Jane Doe"]  # Cy Wu came with the interview and went with it
    assert await count(ann.app, Interview) == 0
    assert not [k for k, _ in await pending_kinds(ann) if k.startswith("thanks")]


async def test_undo_takes_back_status_changes_and_thank_you_marks(ann: Person) -> None:
    await ann.say('/outreach "Jane Doe"')
    await ann.say('/scheduled "Jane Doe" date=friday')
    assert ("interview-prep", 1) in await pending_kinds(ann)
    await ann.say("/undo confirm=yes")
    async with ann.app.sessions() as session:
        request = await session.scalar(select(Outreach))
    assert (request.status, request.scheduled_for) == ("sent", None)
    assert ("interview-prep", 1) not in await pending_kinds(ann)
    await ann.say("/declined Jane Doe")
    taken = await ann.say("/undo confirm=yes")
    assert "marking your request to Jane Doe declined" in taken.text
    async with ann.app.sessions() as session:
        assert (await session.scalar(select(Outreach))).status == "sent"
    await ann.say('/logged-interview "Sam Poe" date="3 days ago"')
    await ann.say('/logged-interview "Sam Poe" date=yesterday')
    marked = await ann.say("/thanked Sam Poe")
    assert "Marked 2 thank-yous to Sam Poe as sent" in marked.text
    assert "(Sun 15 Nov, Tue 17 Nov)" in marked.text
    taken = await ann.say("/undo confirm=yes")
    assert "marking 2 thank-yous to Sam Poe sent" in taken.text
    async with ann.app.sessions() as session:
        marks = (await session.scalars(select(Interview.thanked_on))).all()
    assert marks == [None, None]


async def test_undo_reaches_back_one_day_and_only_to_the_latest_log(
    ann: Person, ben: Person, clock: SimulatedClock
) -> None:
    await ann.say('/outreach "Jane Doe"')
    asked = await ann.say("/undo")
    assert (await ben.press(asked.actions[0].id)).text == "This button is for someone else."
    await ann.say('/outreach "Sam Poe"')
    stale = await ann.press(asked.actions[0].id)
    assert stale.is_error and "no longer your most recent log" in stale.text
    assert await count(ann.app, Outreach) == 2
    clock.advance(timedelta(hours=24, minutes=1))
    assert (await ann.say("/undo")).title == "Nothing to undo"


async def test_undo_recounts_a_streak_the_log_had_made(ann: Person, clock: SimulatedClock) -> None:
    await ann.say("/goal outreach=1 interviews=0")
    await ann.say('/outreach "Jane Doe"')
    clock.advance(timedelta(days=7))  # the next week: last week met, a streak of 1 is cached
    assert (await ann.say("/goal")).fields[0].value.startswith("1 week")
    await ann.say('/outreach "Sam Poe" date="8 days ago"')  # backdated into last week
    await ann.say("/undo confirm=yes")
    assert (await ann.say("/goal")).fields[0].value.startswith("1 week")
    await ann.say("/history delete=1 confirm=yes")  # Jane's, last week's only log
    assert (await ann.say("/goal")).fields[0].value.startswith("0 weeks")


async def test_history_lists_the_last_fifteen_newest_first(
    ann: Person, clock: SimulatedClock
) -> None:
    for n in range(17):
        clock.advance(timedelta(minutes=1))
        await ann.say(f'/outreach "Person {n}" company=Co{n}')
    listed = await ann.say("/history")
    assert listed.title == "Your last 15 logs"
    lines = listed.text.splitlines()
    assert lines[0] == "1. Outreach to Person 16 (Co16) on Wed 18 Nov, awaiting a reply"
    assert lines[14].startswith("15. Outreach to Person 2 (Co2)")
    assert [b.label for b in listed.actions][:2] == [
        "1. Outreach: Person 16 (Co16)",
        "2. Outreach: Person 15 (Co15)",
    ]
    opened = await ann.press(listed.actions[0].id)
    assert [b.label for b in opened.actions] == ["Edit: Person 16", "Delete: Person 16"]


async def test_editing_a_date_replans_reminders_and_recounts_the_week(ann: Person) -> None:
    await ann.say('/logged-interview "Jane Doe" company=Acme notes="first notes"')
    form = await ann.say("/history edit=1")
    assert form.form is not None
    assert form.form.fields == (("date", "2026-11-18"), ("via", ""), ("notes", "first notes"))
    assert form.form.hidden == (("edit", "i1"),)
    assert "/history edit=i1 date=2026-11-18" in form.text  # the console's way to the same
    edited = await ann.say('/history edit=1 date="last sunday" via=video notes="better notes"')
    assert edited.title == "Log edited"
    assert "Interview with Jane Doe (Acme) on Sun 15 Nov, via video" in edited.text
    assert edited.fields[0].value.startswith("0/5 outreach, 0/1 interview")  # moved out
    async with ann.app.sessions() as session:
        interview = await session.scalar(select(Interview))
        due = await session.scalars(
            select(Nudge.due_at).where(Nudge.kind == "thanks-overdue", Nudge.status == "pending")
        )
        due = list(due)
    assert (interview.held_on.isoformat(), interview.thank_you_due_on.isoformat()) == (
        "2026-11-15",
        "2026-11-22",
    )
    assert interview.notes == "better notes"
    assert [d.date().isoformat() for d in due] == ["2026-11-23"]  # the day after the due day
    pending = await ann.say("/pending")
    assert "Jane Doe (Acme) — due Sun 22 Nov" in pending.fields[0].value


async def test_edits_are_checked_against_the_kind_of_log(ann: Person) -> None:
    await ann.say('/outreach "Jane Doe"')
    for line, problem in (
        ("/history edit=1 via=video", "via for outreach is one of: email, linkedin"),
        ("/history edit=1 date=tomorrow", "hasn't happened yet"),
        ("/history edit=7 date=yesterday", "There is no log 7"),
        ("/history date=yesterday", "Say which log to change with edit=N"),
    ):
        reply = await ann.say(line)
        assert reply.is_error and problem in reply.text, line
    async with ann.app.sessions() as session:
        assert (await session.scalar(select(Outreach))).via == "other"


async def test_an_interview_is_never_moved_after_its_thank_you(
    ann: Person, clock: SimulatedClock
) -> None:
    """A thank-you follows its interview: moving the interview past the day its thank-you
    was sent is refused (it would also count that thank-you as on time)."""
    await ann.say('/logged-interview "Xi Li" company=Foo date="3 days ago"')
    await ann.say('/thanked "Xi Li"')
    clock.advance(timedelta(days=2))
    refused = await ann.say("/history edit=1 date=today")
    assert refused.is_error and "a thank-you follows its interview" in refused.text
    async with ann.app.sessions() as session:
        interview = await session.scalar(select(Interview))
    assert interview.held_on < interview.thanked_on  # nothing changed
    earlier = await ann.say('/history edit=1 date="4 days ago"')
    assert earlier.title == "Log edited"  # earlier than the thank-you is fine


async def test_a_requests_notes_are_kept_shown_and_edited(ann: Person) -> None:
    await ann.say('/outreach "Jane Doe" notes="asked on the alumni board"')
    assert "Notes: asked on the alumni board" in (await ann.press("log:o1")).text
    edited = await ann.say('/history edit=1 notes="she replied on Slack"')
    assert not edited.is_error
    async with ann.app.sessions() as session:
        assert (await session.scalar(select(Outreach))).notes == "she replied on Slack"


async def test_delete_asks_first_and_someone_elses_log_is_not_reachable(
    ann: Person, ben: Person
) -> None:
    await ann.say('/outreach "Jane Doe"')
    listed = await ann.say("/history")
    opened = await ann.press(listed.actions[0].id)
    asked = await ann.press(opened.actions[1].id)
    assert asked.title == "Delete this log?" and await count(ann.app, Outreach) == 1
    assert (await ben.press(asked.actions[0].id)).text == "This button is for someone else."
    assert (await ben.say("/history delete=o1 confirm=yes")).is_error
    deleted = await ann.press(asked.actions[0].id)
    assert deleted.title == "Log deleted" and await count(ann.app, Outreach) == 0
    assert await count(ann.app, LogEntry) == 0


async def test_the_same_log_typed_again_after_an_undo_is_stored_again(ann: Person) -> None:
    """Taking a log back changes the member's records, so the same words a moment later
    are a new command — not "Already done" over nothing (found in a play-test)."""
    for line in ('/outreach "Lee Park" company=X', '/logged-interview "Mo Ray" date=yesterday'):
        assert not (await ann.say(line)).is_error
        assert (await ann.say("/undo confirm=yes")).title == "Taken back"
        again = await ann.say(line)
        assert again.title != "Already done" and not again.is_error, again.text
        assert (await ann.say("/undo confirm=yes")).title == "Taken back"
    assert await count(ann.app, Outreach) == 0 and await count(ann.app, Interview) == 0
    await ann.say('/outreach "Kim Lee" company=Y')
    await ann.say('/outreach "Lee Park" company=X')
    assert (await ann.say("/undo confirm=yes")).title == "Taken back"
    assert (await ann.say("/undo confirm=yes")).title == "Already done"  # a double /undo: once
    assert await count(ann.app, Outreach) == 1  # Kim Lee's is still there


async def test_history_lists_logs_in_the_order_they_were_logged_across_kinds(
    ann: Person,
) -> None:
    """Found in a play-test: with every log made in one instant (the console's clock),
    interviews came before outreach whatever the order, and a 16th log fell off the list."""
    await ann.say('/logged-interview "Jane Doe" company=Acme')
    await ann.say('/outreach "Ann Able" company=Acme')
    await ann.say('/outreach "Zed Zee" company=Zco')
    await ann.say('/logged-interview "Kim Koh" company=Kco date=yesterday')
    lines = (await ann.say("/history")).text.splitlines()
    order = [name for line in lines for name in ("Kim", "Zed", "Ann", "Jane") if name in line]
    assert order == ["Kim", "Zed", "Ann", "Jane"]
    for n in range(16):
        await ann.say(f'/logged-interview "Person N{n:02d}" company=C date="{29 - n} days ago"')
    await ann.say('/outreach "Last One" company=Acme')
    listed = (await ann.say("/history")).text
    assert "1. Outreach to Last One (Acme)" in listed
    deleted = await ann.say("/history delete=1 confirm=yes")
    assert "Last One" in deleted.text
