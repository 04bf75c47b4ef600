"""Reminders fire at their time, once, on the member's clock — and stop when they should."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Member, Nudge, Outreach
from bot.ports import DeliveryFailed
from scheduling.claims import claim
from scheduling.outbox import Outbox
from scheduling.runner import run_until
from tests.support import Person, RecordingNotifier, outbox


def outbox_for(app: Peerpath, notifier: RecordingNotifier) -> Outbox:
    return outbox(app, {"console": notifier})


async def advance(app: Peerpath, clock: SimulatedClock, notifier: RecordingNotifier, **delta):
    await run_until(outbox_for(app, notifier), clock, clock.now() + timedelta(**delta))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


async def test_thank_you_nudges_fire_once_each_then_stop(ann: Person, clock: SimulatedClock):
    notifier = RecordingNotifier()
    await ann.say('/logged-interview "Jane Doe" company=Acme')  # Wed 18 Nov 10:00 UTC
    await advance(ann.app, clock, notifier, hours=23)
    assert notifier.received == []
    await advance(ann.app, clock, notifier, hours=1)
    assert notifier.titles() == ["Thank-you note"]
    first = notifier.received[0].reply
    assert "within 48 hours" in first.text
    assert [b.label for b in first.actions] == [
        "Thank-you sent: Jane Doe",
        "Snooze 1 day: Jane Doe",
    ]
    await advance(ann.app, clock, notifier, days=5)  # Tue 24 Nov 10:00: the day before
    assert "due tomorrow (Wed 25 Nov)" in notifier.received[1].reply.text
    await advance(ann.app, clock, notifier, days=1)  # Wed 25 Nov, the due day: not yet late
    assert len(notifier.received) == 2
    await advance(ann.app, clock, notifier, days=1)  # Thu 26 Nov: overdue from today
    assert "overdue (was due Wed 25 Nov)" in notifier.received[2].reply.text
    await advance(ann.app, clock, notifier, days=14)
    assert len(notifier.received) == 3


async def test_thanked_stops_the_rest(ann: Person, clock: SimulatedClock):
    notifier = RecordingNotifier()
    await ann.say('/logged-interview "Jane Doe"')
    await advance(ann.app, clock, notifier, days=1)
    await ann.press(notifier.received[0].reply.actions[0].id)  # the DM's "Thank-you sent"
    await advance(ann.app, clock, notifier, days=10)
    assert len(notifier.received) == 1
    async with ann.app.sessions() as session:
        statuses = sorted((await session.scalars(select(Nudge.status))).all())
    assert statuses == ["dropped", "dropped", "sent"]


async def test_snooze_brings_it_back_tomorrow(ann: Person, clock: SimulatedClock):
    notifier = RecordingNotifier()
    await ann.say('/logged-interview "Jane Doe"')
    await advance(ann.app, clock, notifier, days=1)
    snoozed = await ann.press(notifier.received[0].reply.actions[1].id)
    assert "Fri 20 Nov at 10:00" in snoozed.text
    await advance(ann.app, clock, notifier, hours=23)
    assert len(notifier.received) == 1
    await advance(ann.app, clock, notifier, hours=1)
    assert len(notifier.received) == 2 and "Jane Doe" in notifier.received[1].reply.text


async def test_quiet_hours_move_a_nudge_to_their_end(ann: Person, clock: SimulatedClock):
    notifier = RecordingNotifier()
    await ann.say("/settings tz=Europe/Berlin quiet=21-8")
    clock.set(at(18, 21, 30))  # 22:30 in Berlin
    await ann.say('/logged-interview "Jane Doe"')
    await advance(ann.app, clock, notifier, hours=24)  # due 22:30 Thursday: quiet
    assert notifier.received == []
    await advance(ann.app, clock, notifier, hours=10)
    assert len(notifier.received) == 1
    async with ann.app.sessions() as session:
        sent_at = await session.scalar(select(Nudge.sent_at).where(Nudge.status == "sent"))
    assert sent_at == at(20, 7)  # 08:00 Berlin on Friday


async def test_3b7_follow_ups_in_business_days_at_the_reminder_hour(
    ann: Person, clock: SimulatedClock
):
    notifier = RecordingNotifier()
    await ann.say("/settings tz=America/New_York hour=9")
    await ann.say('/outreach "Sam Poe" company=Beta')  # Wed 18 Nov
    await ann.say('/outreach "Replied Person" company=Gamma')
    await ann.say('/scheduled "Replied Person" date="next friday"')
    await advance(ann.app, clock, notifier, days=4)  # to Sun 22 Nov
    assert "No reply yet" not in notifier.titles()
    await advance(ann.app, clock, notifier, days=1, hours=4)  # Mon 23 Nov 14:00 UTC
    second = [d for d in notifier.received if d.reply.title == "No reply yet"]
    assert len(second) == 1 and "second person at Beta" in second[0].reply.text
    async with ann.app.sessions() as session:
        sent_at = await session.scalar(
            select(Nudge.sent_at).where(Nudge.kind == "second-person", Nudge.status == "sent")
        )
    assert sent_at == at(23, 14)  # 09:00 in New York
    await advance(ann.app, clock, notifier, days=10)
    follow = [d for d in notifier.received if d.reply.title == "Time for one follow-up"]
    assert len(follow) == 1
    async with ann.app.sessions() as session:
        statuses = dict((await session.execute(select(Outreach.id, Outreach.status))).all())
    assert sorted(statuses.values()) == ["no-response", "scheduled"]


async def test_scheduled_interview_prep_and_how_did_it_go(ann: Person, clock: SimulatedClock):
    notifier = RecordingNotifier()
    for name in ("Jane Doe", "Sam Poe"):
        await ann.say(f'/outreach "{name}"')
        await ann.say(f'/scheduled "{name}" date="next monday"')  # Mon 23 Nov
    await advance(ann.app, clock, notifier, days=5)  # Mon 23 Nov 10:00
    prep = [d for d in notifier.received if d.reply.title == "Your conversation is tomorrow"]
    assert len(notifier.received) == 1  # both prep nudges coalesced into one message
    assert notifier.received[0].reply.title == "2 reminders"
    assert prep == [] and len(notifier.received[0].keys) == 2
    await ann.say('/logged-interview "Jane Doe" date=today')
    await advance(ann.app, clock, notifier, days=1)
    log_it = notifier.received[1].reply
    assert log_it.title == "How did it go?" and "Sam Poe" in log_it.text
    pressed = await ann.press(log_it.actions[0].id)
    assert pressed.title == "Interview logged" and "Mon 23 Nov" in pressed.text


async def test_referral_loop(ann: Person, clock: SimulatedClock):
    notifier = RecordingNotifier()
    await ann.say('/logged-interview "Jane Doe" referrals="Bob Lee"')
    await ann.say('/logged-interview "Bob Lee"')
    await advance(ann.app, clock, notifier, hours=23, minutes=59)  # to 09:59 Thursday
    updates = [d.reply for d in notifier.received if d.reply.title == "Close the loop"]
    assert len(updates) == 1 and "Send Jane Doe a short update" in updates[0].text


async def test_reminders_off_sends_nothing_but_keeps_data(ann: Person, clock: SimulatedClock):
    notifier = RecordingNotifier()
    await ann.say('/logged-interview "Jane Doe"')
    await ann.say("/settings reminders=off")
    await advance(ann.app, clock, notifier, days=10)
    assert notifier.received == []
    assert "Jane Doe" in (await ann.say("/pending")).fields[0].value


async def test_closed_dms_are_recorded_and_told_once(ann: Person, clock: SimulatedClock):
    notifier = RecordingNotifier()
    notifier.fail_next("ann", DeliveryFailed("cannot DM user", permanent=True))
    await ann.say('/logged-interview "Jane Doe"')
    await advance(ann.app, clock, notifier, days=10)
    assert notifier.received == []
    async with ann.app.sessions() as session:
        member = await session.scalar(select(Member))
        failed = await session.scalar(select(func.count()).where(Nudge.status == "failed"))
    assert member.dm_closed_at is not None and failed == 3
    first = await ann.say("/pending")
    assert any(f.name == "Reminders can't reach you" for f in first.fields)
    second = await ann.say("/pending")
    assert not any(f.name == "Reminders can't reach you" for f in second.fields)


async def test_transient_failures_back_off_and_deliver_once(ann: Person, clock: SimulatedClock):
    notifier = RecordingNotifier()
    notifier.fail_next(
        "ann", DeliveryFailed("HTTP 500"), DeliveryFailed("rate limited", retry_after=120)
    )
    await ann.say('/logged-interview "Jane Doe"')
    await advance(ann.app, clock, notifier, hours=24)
    assert notifier.received == []
    await advance(ann.app, clock, notifier, minutes=1)  # first back-off: 30 s
    assert notifier.received == []  # second failure asked for 120 s
    await advance(ann.app, clock, notifier, minutes=2)
    assert len(notifier.received) == 1
    await advance(ann.app, clock, notifier, hours=1)
    assert len(notifier.received) == 1


async def test_after_downtime_missed_nudges_arrive_once_coalesced(
    ann: Person, clock: SimulatedClock
):
    notifier = RecordingNotifier()
    await ann.say('/logged-interview "Jane Doe"')
    await ann.say('/outreach "Sam Poe" company=Beta')
    await ann.say('/logged-interview "Ann Other" date=yesterday')
    clock.advance(timedelta(days=6, hours=1))  # the process was down all along
    await outbox_for(ann.app, notifier).sweep()
    assert len(notifier.received) == 1
    combined = notifier.received[0]
    # Jane's first and "due tomorrow" thank-you nudges fold into the later one, as do Ann's.
    assert combined.reply.title == "3 reminders" and len(combined.keys) == 3
    assert combined.reply.text.count("due tomorrow (Wed 25 Nov)") == 1
    assert combined.reply.text.count("due today (Tue 24 Nov)") == 1  # Ann Other's, late
    await outbox_for(ann.app, notifier).sweep()  # a restart: nothing new
    assert len(notifier.received) == 1


async def test_a_claim_in_doubt_is_resolved_not_repeated(ann: Person, clock: SimulatedClock):
    notifier = RecordingNotifier()
    await ann.say('/logged-interview "Jane Doe"')
    await ann.say('/logged-interview "Sam Poe"')
    clock.advance(timedelta(days=1))
    crashed = outbox_for(ann.app, notifier)
    # Claimed, then the process "died".
    claims, _ = await claim(ann.app.sessions, clock.now(), crashed.lease, crashed.batch)
    assert len(claims) == 2
    await outbox_for(ann.app, notifier).sweep()  # lease not over: left alone
    assert notifier.received == []
    clock.advance(timedelta(minutes=6))
    await outbox_for(ann.app, notifier).sweep()
    assert len(notifier.received) == 1 and len(notifier.keys()) == 2
    # Claimed again and "crashed" after sending: the platform says it went out already.
    async with ann.app.sessions() as session, session.begin():
        for nudge in await session.scalars(select(Nudge).where(Nudge.status == "sent")):
            nudge.status, nudge.claimed_at = "sending", clock.now()
    clock.advance(timedelta(minutes=6))
    await outbox_for(ann.app, notifier).sweep()
    assert len(notifier.received) == 1


async def test_weekly_goal_check_ins_and_the_digest(app: Peerpath, clock: SimulatedClock):
    """Wednesday if behind pace, Friday if still short; nothing when met or paused; the
    group's digest in its channel on Monday 09:00 (group time zone)."""
    notifier = RecordingNotifier()
    coach = Person(app, "coach", is_admin=True)
    assert (await coach.say("/group-setup tz=Europe/Berlin")).title == "Group created"
    ann, ben, cid, dee = (Person(app, name) for name in ("ann", "ben", "cid", "dee"))
    for person in (ann, ben, cid, dee):
        await person.say("/goal")  # a command in the group's channel joins it
    await cid.say("/pause weeks=1 from=2026-11-23")
    await dee.say("/settings reminders=off")
    await advance(app, clock, notifier, days=1, hours=21, minutes=59)  # Fri 20 Nov 08:59 Berlin
    assert notifier.received == []  # this week's Wednesday passed before they joined
    await advance(app, clock, notifier, minutes=1)
    assert notifier.titles("ann") == ["Last call for this week"]
    assert len(notifier.received) == 4  # coach, ann, ben and cid; dee turned reminders off
    await advance(app, clock, notifier, days=2, hours=23)  # Mon 23 Nov 08:00 Berlin
    assert notifier.titles("#general") == []
    await advance(app, clock, notifier, hours=1)
    assert notifier.titles("#general") == ["Weekly digest — week of Mon 16 Nov"]
    for n in range(3):
        await ben.say(f'/outreach "Lead {n}"')
    await advance(app, clock, notifier, days=2)  # Wed 25 Nov 09:00 Berlin
    assert notifier.titles("ann") == ["Last call for this week", "Midweek check-in"]
    assert "0/5 outreach, 0/1 interview, 5 days left" in notifier.received[-1].reply.text
    assert notifier.titles("ben") == ["Last call for this week"]  # 3 of 5 by Wednesday: on pace
    await advance(app, clock, notifier, days=2)  # Fri 27 Nov 09:00 Berlin
    assert notifier.titles("ann")[-1] == notifier.titles("ben")[-1] == "Last call for this week"
    assert notifier.titles("cid") == ["Last call for this week"]  # this week paused: quiet
    assert notifier.titles("dee") == []
    await advance(app, clock, notifier, days=3)  # Mon 30 Nov: the next digest, once
    assert notifier.titles("#general") == [
        "Weekly digest — week of Mon 16 Nov",
        "Weekly digest — week of Mon 23 Nov",
    ]


async def test_a_nudge_of_unknown_kind_is_dropped_not_blocking(ann: Person, clock: SimulatedClock):
    notifier = RecordingNotifier()
    await ann.say('/logged-interview "Jane Doe"')
    async with ann.app.sessions() as session, session.begin():
        first = await session.scalar(select(Nudge).order_by(Nudge.due_at))
        session.add(
            Nudge(
                workspace_id=first.workspace_id,
                member_id=first.member_id,
                kind="from-the-future",
                subject_id=0,
                key="m:from-the-future",
                due_at=first.due_at,
                next_at=first.due_at,
                status="pending",
                attempts=0,
                created_at=clock.now(),
            )
        )
    await advance(ann.app, clock, notifier, days=1)
    assert notifier.titles() == ["Thank-you note"]
    async with ann.app.sessions() as session:
        odd = await session.scalar(select(Nudge).where(Nudge.kind == "from-the-future"))
    assert (odd.status, odd.last_error) == ("dropped", "unknown kind")


async def planned_moments(app: Peerpath) -> dict[str, datetime]:
    async with app.sessions() as session:
        rows = await session.execute(
            select(Nudge.key, Nudge.next_at).where(Nudge.status == "pending")
        )
        return {
            key.split(":")[1] + (":snoozed" if "snoozed" in key else ""): at for key, at in rows
        }


async def test_a_new_reminder_hour_or_zone_moves_what_is_already_planned(
    ann: Person, clock: SimulatedClock
):
    """Reminders planned for 09:00 UTC come at the new hour in the new zone, on the same
    days; a snoozed one keeps its own moment."""
    notifier = RecordingNotifier()
    await ann.say('/outreach "Jane Doe"')  # Wed 18 Nov: 3B7 → Mon 23 and Fri 27
    await ann.say('/scheduled "Jane Doe" date=2026-11-19')  # "how did it go?" on Fri 20
    assert await planned_moments(ann.app) == {
        "second-person": at(23, 9),
        "follow-up": at(27, 9),
        "interview-log": at(20, 9),
    }
    changed = await ann.say("/settings tz=Europe/Berlin hour=8")
    assert "3 planned reminders will now come at your new reminder time" in changed.text
    assert await planned_moments(ann.app) == {
        "second-person": at(23, 7),
        "follow-up": at(27, 7),
        "interview-log": at(20, 7),
    }
    await advance(ann.app, clock, notifier, days=1, hours=20, minutes=59)  # Fri 20 06:59
    assert notifier.received == []
    await advance(ann.app, clock, notifier, minutes=1)
    assert len(notifier.received) == 1
    await ann.press(notifier.received[0].reply.actions[-1].id)  # snoozed: Sat 21 at 07:00
    await ann.say("/settings hour=10")
    assert await planned_moments(ann.app) == {
        "second-person": at(23, 9),
        "follow-up": at(27, 9),
        "interview-log:snoozed": at(21, 7),
    }
    assert (await ann.say("/settings quiet=22-7")).text == "Saved."  # hour and zone as they were


async def test_members_who_follow_their_groups_zone_have_reminders_follow_it(
    app: Peerpath, clock: SimulatedClock
):
    """A group's new zone moves the planned reminders of members without a zone of their
    own, not of those with one."""
    coach = Person(app, "coach", channel="cohort", is_admin=True)
    await coach.say("/group-setup tz=UTC")
    ann, bob = Person(app, "ann", channel="cohort"), Person(app, "bob", channel="cohort")
    await bob.say("/settings tz=UTC")
    for member in (ann, bob):
        await member.say(f'/outreach "Contact of {member.name}"')  # follow-ups at 09:00 UTC
    await coach.say("/group-setup tz=America/New_York")
    async with app.sessions() as session:
        rows = await session.execute(
            select(Member.user_id, Nudge.kind, Nudge.next_at)
            .join(Member, Member.id == Nudge.member_id)
            .where(Member.user_id.in_(["ann", "bob"]))  # the admin has check-ins of their own
        )
        planned = {(user, kind): moment for user, kind, moment in rows}
    assert planned == {
        ("ann", "second-person"): at(23, 14),  # 09:00 in New York
        ("ann", "follow-up"): at(27, 14),
        ("bob", "second-person"): at(23, 9),
        ("bob", "follow-up"): at(27, 9),
    }
