"""A win is posted as it stands when the post goes out, and counted in the digest in the
week, on its member's own calendar, of the step it celebrates; /digest never reports a
week from before its group existed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.replies import Reply
from tests.support import Person, RecordingNotifier, outbox


def posts(notifier: RecordingNotifier) -> list[tuple[str, str]]:
    return [(d.target, d.reply.text) for d in notifier.received if d.target.startswith("#")]


def totals(digest: Reply) -> str:
    return next(f.value for f in digest.fields if f.name == "Group totals")


def wins_field(digest: Reply) -> dict[str, str]:
    return {f.name: f.value for f in digest.fields if f.name.endswith("shared")}


async def test_a_win_taken_back_before_it_is_posted_is_not_posted_or_counted(
    app: Peerpath, clock: SimulatedClock
) -> None:
    """A member of two groups shares a win, then takes its step back before the outbox
    runs: an /undo of the interview, a /declined after /scheduled. Neither group gets a
    post, and the week's digest counts no win."""
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    clock.set(datetime(2027, 2, 1, 8, 0, tzinfo=UTC))  # a Monday
    olga = Person(app, "olga", channel="harbor", is_admin=True)
    await olga.say("/group-setup tz=Africa/Nairobi")
    await Person(app, "olga", channel="summit", is_admin=True).say("/group-setup")
    tia = Person(app, "tia", channel="harbor")
    await tia.say("/join")
    await Person(app, "tia", channel="summit").say("/join")
    clock.advance(timedelta(days=1))
    logged = await tia.say('/logged-interview "Noor Haddad" date=today')
    assert (await tia.press(logged.actions[-1].id)).title == "Shared with your group"
    assert (await tia.say("/undo confirm=yes")).title == "Taken back"
    await tia.say('/outreach "Omar Saleh"')
    await tia.say('/scheduled "Omar Saleh" date=friday')
    assert (await tia.say("/win")).title == "Shared with your group"
    await tia.say('/declined "Omar Saleh"')
    await box.sweep()
    assert posts(notifier) == []
    clock.set(datetime(2027, 2, 8, 12, 0, tzinfo=UTC))
    digest = await olga.say("/digest")
    assert digest.title.startswith("Weekly digest — week of Mon 1 Feb")
    assert wins_field(digest) == {}


async def test_wins_count_in_the_members_week_like_the_interviews(
    app: Peerpath, clock: SimulatedClock
) -> None:
    """A group on Lisbon's clock; kai lives in Auckland. On Lisbon's Sunday 14 Feb kai's
    Monday 15 Feb has begun: the interview he holds and the call he schedules then, and
    shares, count in the week of 15 Feb — the week his interview counts in — not in the
    group's week of 8 Feb, where ivy's Sunday win counts."""
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    clock.set(datetime(2027, 2, 8, 9, 0, tzinfo=UTC))
    admin = Person(app, "olga", channel="dock", is_admin=True)
    await admin.say("/group-setup tz=Europe/Lisbon")
    kai, ivy = Person(app, "kai", channel="dock"), Person(app, "ivy", channel="dock")
    await kai.say("/settings tz=Pacific/Auckland")
    await ivy.say("/join")
    clock.set(datetime(2027, 2, 14, 12, 0, tzinfo=UTC))  # Mon 15 Feb 01:00 in Auckland
    await kai.say('/logged-interview "Ana Reyes" date=today')
    await kai.say("/win")
    await kai.say('/outreach "Ben Cole"')
    await kai.say('/scheduled "Ben Cole" date=friday')
    await kai.say("/win")
    await ivy.say('/logged-interview "Cy Dunn" date=today')
    await ivy.say("/win")
    await box.sweep()
    assert len(posts(notifier)) == 3
    clock.set(datetime(2027, 2, 15, 12, 0, tzinfo=UTC))
    first = await admin.say("/digest")
    assert "week of Mon 8 Feb" in first.title
    assert wins_field(first) == {"1 win shared": "ivy — 1"}
    assert "· 1 interview ·" in totals(first)  # ivy's: kai's counts in his week, like his win
    clock.set(datetime(2027, 2, 22, 12, 0, tzinfo=UTC))
    second = await admin.say("/digest")
    assert "week of Mon 15 Feb" in second.title
    assert wins_field(second) == {"2 wins shared": "kai — 2"}
    assert "· 1 interview ·" in totals(second)


async def test_digest_in_the_groups_first_week_has_no_week_to_report(
    app: Peerpath, clock: SimulatedClock
) -> None:
    clock.set(datetime(2027, 3, 10, 15, 0, tzinfo=UTC))  # a Wednesday
    admin = Person(app, "olga", channel="grove", is_admin=True)
    await admin.say("/group-setup tz=America/Chicago digest-day=thursday")
    clock.set(datetime(2027, 3, 14, 15, 0, tzinfo=UTC))  # Sunday: the week is not over
    early = await admin.say("/digest")
    assert early.title == "No completed week yet" and not early.is_error
    assert "week of Mon 8 Mar" in early.text and "Thursdays at 09:00" in early.text
    assert "Weekly digest" not in early.title
    clock.set(datetime(2027, 3, 15, 15, 0, tzinfo=UTC))
    assert (await admin.say("/digest")).title == "Weekly digest — week of Mon 8 Mar"
