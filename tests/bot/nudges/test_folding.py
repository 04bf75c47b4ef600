"""Many reminders due at once (after downtime): each message shows what fits whole, and only
what a member was shown is marked sent — the rest follows a minute later, nothing is lost."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from bot import lengths, pages
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Nudge, NudgeStatus
from bot.nudges.compose import MAX_BUTTONS
from tests.support import Person, RecordingNotifier, outbox


async def test_a_hundred_reminders_go_out_whole_over_several_messages(
    app: Peerpath, clock: SimulatedClock
) -> None:
    ann = Person(app, "ann")
    await ann.say("/settings quiet=off")
    for n in range(100):
        reply = await ann.say(f'/logged-interview "Contact Number{n:03d} 🌍" date=yesterday')
        assert reply.title == "Interview logged", reply.text
    clock.advance(timedelta(days=1))
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    first = await box.sweep()
    [message] = notifier.received
    assert first.sent == len(message.keys) < 100  # what it shows, and only that, is sent
    assert "more reminders will follow in a minute" in message.reply.text
    for _ in range(100):
        clock.advance(timedelta(minutes=1))
        if not (await box.sweep()).sent:
            break
    keys = Counter(k for delivery in notifier.received for k in delivery.keys)
    assert len(keys) == 100 and set(keys.values()) == {1}  # every reminder once
    for delivery in notifier.received:
        text = delivery.reply.text
        assert lengths.shown_length(text) <= pages.TEXT_BUDGET
        assert len(delivery.reply.actions) <= MAX_BUTTONS
    shown = "\n".join(d.reply.text for d in notifier.received)
    assert all(f"Number{n:03d}" in shown for n in range(100))  # each one seen, none cut away
    async with app.sessions() as session:
        waiting = await session.scalar(
            select(func.count()).select_from(Nudge).where(Nudge.status == NudgeStatus.SENDING.value)
        )
    assert waiting == 0
