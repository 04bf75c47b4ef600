"""Wins: offered after a log, shared once, only by their member, in every group of theirs."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Nudge, Win
from tests.support import Person, RecordingNotifier, count, outbox


def posts(notifier: RecordingNotifier) -> list[tuple[str, str]]:
    return [(d.target, d.reply.text) for d in notifier.received if d.target.startswith("#")]


async def test_a_win_is_shared_once_however_often_it_is_pressed(
    app: Peerpath, clock: SimulatedClock
) -> None:
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    olga = Person(app, "olga", channel="cohort", is_admin=True)
    await olga.say("/group-setup")
    ann = Person(app, "ann", channel="cohort")
    logged = await ann.say(
        '/logged-interview "Jane Secret" company=Hiddenco referrals="Bo Lee" notes="n0te"'
    )
    share = logged.actions[-1]
    assert share.label == "Share with the group: interview held"
    assert share.id.startswith("share-win:")
    refused = await Person(app, "ben", channel="cohort").press(share.id)
    assert refused.is_error and "someone else" in refused.text
    first = await ann.press(share.id)
    assert first.title == "Shared with your group" and "#cohort" in first.text
    again = await ann.press(share.id)  # the same button later, or a double click
    assert again.title == "Already shared"
    assert (await ann.say("/win")).title == "Nothing to share yet"
    await box.sweep()
    await box.sweep()
    assert posts(notifier) == [
        ("#cohort", "🎉 <@ann> held an informational interview and collected 1 referral")
    ]
    (post,) = [d.reply for d in notifier.received if d.target == "#cohort"]
    assert [m.user_id for m in post.mentions] == ["ann"] and not post.ephemeral
    assert await count(app, Nudge) >= 1 and await count(app, Win) == 1


async def test_several_groups_get_a_post_each_and_no_group_gets_no_button(
    app: Peerpath, clock: SimulatedClock
) -> None:
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    for channel in ("cohort", "alumni"):  # a minute apart: the same command twice counts once
        await Person(app, "olga", channel=channel, is_admin=True).say("/group-setup")
        clock.advance(timedelta(minutes=2))
    ann = Person(app, "ann", channel="cohort")
    await ann.say("/join")
    clock.advance(timedelta(minutes=2))
    await Person(app, "ann", channel="alumni").say("/join")
    await ann.say('/outreach "Jane Doe"')
    scheduled = await ann.say('/scheduled "Jane Doe" date=friday')
    assert scheduled.actions[-1].label == "Share with the group: interview scheduled"
    shared = await ann.say('/win text="Finally!"')
    assert "#cohort and #alumni" in shared.text
    await box.sweep()
    said = "🎉 <@ann> scheduled an informational interview\n“Finally!”"
    assert sorted(posts(notifier)) == [("#alumni", said), ("#cohort", said)]

    loner = Person(app, "lou", channel="elsewhere")
    alone = await loner.say('/logged-interview "Kim Park"')
    assert not any(b.id.startswith("share-win:") for b in alone.actions)
    answer = await loner.say("/win")
    assert answer.title == "No group yet" and "not in a group" in answer.text


async def test_an_undone_win_is_not_posted_and_long_lines_are_refused(
    app: Peerpath, clock: SimulatedClock
) -> None:
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    await Person(app, "olga", channel="cohort", is_admin=True).say("/group-setup")
    ann = Person(app, "ann", channel="cohort")
    logged = await ann.say('/logged-interview "Jane Doe"')
    too_long = await ann.say(f'/win text="{"x" * 201}"')
    assert too_long.is_error and "at most 200" in too_long.text
    clock.advance(timedelta(minutes=2))
    await ann.say("/undo confirm=yes")
    taken_back = await ann.press(logged.actions[-1].id)
    assert taken_back.is_error and "no longer on your record" in taken_back.text
    await box.sweep()
    assert posts(notifier) == []
