"""The group and reminder replies — leaderboards, the digest with its chart, /mystats,
/goal, a DM folding many reminders — fit Slack's Block Kit and Discord's embed limits,
with a large group of long display names."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from adapters.slack.blocks import fallback_text, reply_blocks
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.replies import Reply
from scheduling.runner import run_until
from tests.adapters.discord.test_render import components
from tests.fakes.block_kit import message_problems
from tests.support import Person, RecordingNotifier, outbox

LONG_NAME = "<!channel> @everyone **Ann** " + "y" * 160


def fits_both(reply: Reply) -> None:
    message = {"text": fallback_text(reply), "blocks": [b.to_dict() for b in reply_blocks(reply)]}
    assert message_problems(message) == []
    components(reply)  # checked against Discord's limits


async def test_group_and_reminder_replies_fit(app: Peerpath, clock: SimulatedClock) -> None:
    coach = Person(app, "coach", is_admin=True)
    await coach.say("/group-setup tz=UTC")
    people = [Person(app, f"m{n}") for n in range(60)]
    for n, person in enumerate(people):  # display names come from the platform
        named = replace(person.invocation(), user_name=f"{LONG_NAME} {n}")
        await app.run_text(named, "outreach", f'"Lead {n}" company=Acme')
    ann = people[0]
    for n in range(12):
        await ann.say(f'/logged-interview "Contact {n} ' + "z" * 85 + '" date=yesterday')
    clock.advance(timedelta(days=7))
    replies = [await coach.say(f"/leaderboard view={view}") for view in ("week", "streak", "all")]
    replies += [await coach.say("/digest"), await ann.say("/mystats"), await ann.say("/goal")]
    assert replies[3].image is not None and replies[4].image is not None
    notifier = RecordingNotifier()
    await run_until(outbox(app, {"console": notifier}), clock, clock.now() + timedelta(days=1))
    folded = [d.reply for d in notifier.received if d.target == "m0"]
    assert folded and len(folded[0].actions) >= 10  # many thank-yous due at once, one DM
    for reply in [*replies, *folded]:
        assert not reply.is_error, reply.text
        fits_both(reply)
