"""Practice when a partner goes: the other request is back on the list at once, paired
again (with its DM, the same day too), and a member who leaves takes their request along.
Also: the command key tells a cancel's change and a second group's channel apart, the
Done button is its DM's member's only, and the replies say what is true."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import PracticeRequest
from tests.support import Person, RecordingNotifier, count, outbox

PAIRING = "Your practice conversation"


def pairing_dms(notifier: RecordingNotifier) -> list[tuple[str, str]]:
    """(member, partner named) per pairing DM delivered, in order."""
    return [
        (d.target, next(m.user_id for m in d.reply.mentions))
        for d in notifier.received
        if d.reply.title == PAIRING
    ]


async def test_a_partner_deleting_their_data_frees_the_other_at_once(
    app: Peerpath, clock: SimulatedClock
) -> None:
    """kim and lou are paired and get their DMs; mo asks and waits. kim deletes her data:
    lou's request is waiting again and pairs with mo there and then — and lou, paired a
    second time that day, gets the new pairing's DM."""
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    clock.set(datetime(2027, 5, 4, 9, 0, tzinfo=UTC))  # Tuesday morning in Lisbon
    await Person(app, "zoe", channel="crew", is_admin=True).say("/group-setup tz=Europe/Lisbon")
    kim, lou, mo, ned = (Person(app, n, channel="crew") for n in ("kim", "lou", "mo", "ned"))
    await kim.say("/practice")
    await lou.say("/practice")
    await box.sweep()
    assert sorted(pairing_dms(notifier)) == [("kim", "lou"), ("lou", "kim")]
    assert (await mo.say("/practice")).title == "Waiting for a practice partner"
    clock.advance(timedelta(minutes=5))
    await kim.say("/forget-me confirm=yes")
    again = await lou.say("/practice")
    assert again.title == "Practice partner" and [m.user_id for m in again.mentions] == ["mo"]
    await box.sweep()
    assert sorted(pairing_dms(notifier)[2:]) == [("lou", "mo"), ("mo", "lou")]
    # The request freed is pairable by the next one to ask, too.
    await mo.say("/forget-me confirm=yes")
    paired = await ned.say("/practice")
    assert paired.title == "Practice partner" and [m.user_id for m in paired.mentions] == ["lou"]
    await box.sweep()
    assert sorted(pairing_dms(notifier)[4:]) == [("lou", "ned"), ("ned", "lou")]


async def test_a_dm_held_for_quiet_hours_then_dropped_does_not_block_the_next(
    app: Peerpath, clock: SimulatedClock
) -> None:
    """Late evening in Seoul: the first pairing's DM to pia waits for her morning; her
    partner deletes their data before it goes; her new pairing's DM comes in the morning
    (with her other morning reminders), once, naming the new partner."""
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    clock.set(datetime(2027, 5, 4, 14, 0, tzinfo=UTC))  # 23:00 in Seoul, 16:00 in Paris
    await Person(app, "zoe", channel="crew", is_admin=True).say("/group-setup tz=Europe/Paris")
    pia, raf, sol = (Person(app, n, channel="crew") for n in ("pia", "raf", "sol"))
    await pia.say("/settings tz=Asia/Seoul")
    await pia.say("/practice")
    await raf.say("/practice")
    await box.sweep()
    assert pairing_dms(notifier) == [("raf", "pia")]  # pia's waits for her morning
    await raf.say("/forget-me confirm=yes")
    await sol.say("/practice")
    await box.sweep()
    assert pairing_dms(notifier)[1:] == [("sol", "pia")]
    clock.set(datetime(2027, 5, 5, 0, 0, tzinfo=UTC))  # 09:00 in Seoul
    await box.sweep()
    (morning,) = [d.reply.text for d in notifier.received if d.target == "pia"]
    assert "You're paired with <@sol>" in morning and "raf" not in morning


async def test_leaving_withdraws_the_request_and_practice_then_points_to_join(
    app: Peerpath, clock: SimulatedClock
) -> None:
    await Person(app, "zoe", channel="crew", is_admin=True).say("/group-setup")
    uma, vic = Person(app, "uma", channel="crew"), Person(app, "vic", channel="crew")
    await uma.say("/practice")
    left = await uma.say("/leave")
    assert "Your practice request here is withdrawn." in left.text
    assert await count(app, PracticeRequest) == 0
    assert (await vic.say("/practice")).title == "Waiting for a practice partner"
    refused = await uma.say("/practice")
    assert refused.is_error and "You left #crew" in refused.text and "/join" in refused.text
    await uma.say("/join")
    back = await uma.say("/practice")
    assert back.title == "Practice partner" and [m.user_id for m in back.mentions] == ["vic"]
    # A pair not yet held is undone for the partner too: vic waits again, for wyn.
    await uma.say("/leave")
    paired = await Person(app, "wyn", channel="crew").say("/practice")
    assert [m.user_id for m in paired.mentions] == ["vic"]


async def test_the_same_words_after_a_change_or_in_another_group_run_again(
    app: Peerpath, clock: SimulatedClock
) -> None:
    """Within one minute: /practice, /practice cancel, /practice asks again (the cancel
    changed the member's records); a member of two groups asks in each; an admin sets up
    two channels."""
    zoe = Person(app, "zoe", channel="north", is_admin=True)
    assert (await zoe.say("/group-setup")).title == "Group created"
    assert (await Person(app, "zoe", channel="south", is_admin=True).say("/group-setup")).title == (
        "Group created"
    )
    wes = Person(app, "wes", channel="north")
    for field in ('field=""', 'field="   "'):
        assert (await wes.say(f"/practice {field}")).title == "Waiting for a practice partner"
        assert (await wes.say("/practice cancel")).title == "Request withdrawn"
    asked = await wes.say("/practice")
    assert asked.title == "Waiting for a practice partner"
    south = await Person(app, "wes", channel="south").say("/practice")
    assert south.title == "Waiting for a practice partner" and "#south" in south.text
    assert await count(app, PracticeRequest) == 2


async def test_done_is_its_members_and_the_replies_say_what_is_true(
    app: Peerpath, clock: SimulatedClock
) -> None:
    notifier = RecordingNotifier()
    box = outbox(app, {"console": notifier})
    await Person(app, "zoe", channel="crew", is_admin=True).say("/group-setup")
    yan, ida = Person(app, "yan", channel="crew"), Person(app, "ida", channel="crew")
    await yan.say("/practice")
    await ida.say("/practice")
    again = await yan.say("/practice")
    assert "The DM I sent says who plays the contact" in again.text
    await box.sweep()
    button = {d.target: d.reply.actions[0].id for d in notifier.received if d.reply.actions}
    refused = await ida.press(button["yan"])
    assert refused.is_error and refused.text.startswith("This button is for someone else")
    stats = {f.name: f.value for f in (await ida.say("/mystats")).fields}
    assert stats["Practice conversations"] == "0"
    assert (await yan.press(button["yan"])).title == "Practice done"
    assert (await ida.press(button["ida"])).title == "Practice done"
    held = await yan.say("/practice")
    assert "You held your practice conversation with <@ida> this week" in held.text
    assert "The DM I sent" not in held.text
    left = await yan.say("/leave")  # a pair already held stays on both records
    assert "practice request" not in left.text
    stats = {f.name: f.value for f in (await ida.say("/mystats")).fields}
    assert stats["Practice conversations"] == "1"
    assert "You held your practice conversation" in (await ida.say("/practice")).text
    loner = Person(app, "eli", channel="dm-eli")
    nothing = await loner.say("/practice cancel")
    assert nothing.title == "Nothing to cancel" and not nothing.is_error
