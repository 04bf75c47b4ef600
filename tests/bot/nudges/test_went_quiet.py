"""A member active in a group who logs nothing for 14 days gets one friendly word, once per
quiet spell; never while paused, with reminders off, or after logging again."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Peerpath
from bot.clock import SimulatedClock
from scheduling.runner import run_until
from tests.support import Person, RecordingNotifier, outbox

WORD = "Checking in"


def on(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def told(notifier: RecordingNotifier) -> list[str]:
    """Whom the word went to, in order."""
    return [d.target for d in notifier.received if d.reply.title == WORD]


async def test_one_word_per_quiet_spell(app: Peerpath, clock: SimulatedClock) -> None:
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    room = {n: Person(app, n, channel="cohort") for n in ("ann", "ben", "cid", "dan")}
    olga = Person(app, "olga", channel="cohort", is_admin=True)
    await olga.say("/group-setup tz=UTC")  # Wed 18 Nov 10:00 UTC
    await olga.say("/settings reminders=off")
    await room["ann"].say('/logged-interview "Jane Doe" notes="private-note"')
    await room["ben"].say("/join")
    await room["ben"].say("/pause weeks=1 from=2026-11-30")  # the week his 14 days end
    await room["cid"].say("/join")
    await room["cid"].say("/settings reminders=off")
    await room["dan"].say("/outreach Kim")
    await room["dan"].say("/leave")  # not in a group: no word
    await run_until(box, clock, on(3, 8, 59))
    assert notifier.received and told(notifier) == []  # other reminders, not this one
    # ann: quiet since Wed 18 Nov 10:00; 14 days later is Wed 2 Dec 10:00, past her
    # reminder hour (09:00), so the word comes Thu 3 Dec at 09:00.
    await run_until(box, clock, on(3, 9))
    (said,) = [d for d in notifier.received if d.reply.title == WORD]
    assert said.target == "ann"
    assert said.reply.text.startswith("Nothing logged in peerpath for 14 days")
    assert "Waiting on you: 1 thank-you note to send." in said.reply.text
    assert "/pause" in said.reply.text and "Jane" not in said.reply.text
    assert "private-note" not in said.reply.text
    # ben's week of 30 Nov is paused: his word waits for the first reminder hour after it.
    await run_until(box, clock, on(7, 8, 59))
    assert told(notifier) == ["ann"]
    await run_until(box, clock, on(7, 12))
    assert told(notifier) == ["ann", "ben"]
    await room["ann"].say("/outreach Bob")  # Mon 7 Dec 12:00: a new spell starts
    await run_until(box, clock, on(22, 8, 59))  # 14 days on is Mon 21 Dec 12:00
    assert told(notifier) == ["ann", "ben"]
    await run_until(box, clock, on(22, 9))  # her next reminder hour
    assert told(notifier) == ["ann", "ben", "ann"]
    await run_until(box, clock, on(31, 10))
    # Still quiet, the same spells: nothing more; cid (reminders off) and dan never.
    assert told(notifier) == ["ann", "ben", "ann"]
