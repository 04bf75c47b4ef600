"""The Notifier the scheduler uses: DMs and channel posts, paced, with failures classified."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.slack.app import SlackAdapter
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Nudge, NudgeStatus
from bot.ports import DeliveryFailed
from bot.replies import Attachment, Button, Reply
from tests.adapters.slack.conftest import PACE
from tests.fakes.slack_requests import ANN
from tests.fakes.slack_web_api import TEAM_ID, FakeSlack
from tests.support import Person, outbox

NUDGE = Reply(
    title="Thank-you due",
    text="Your note to <!here> Jane is due tomorrow.",
    actions=[Button("thanked:7", "Thank-you sent")],
)


async def test_dm_opens_a_conversation_then_posts(adapter: SlackAdapter, fake: FakeSlack) -> None:
    await adapter.notifier.send_dm(TEAM_ID, ANN, NUDGE)
    [opened] = fake.called("conversations.open")
    [posted] = fake.called("chat.postMessage")
    assert opened.params["users"] == ANN
    assert posted.params["channel"] == "D0ANN"
    assert posted.params["_token"] == "xoxb-test"
    assert "&lt;!here&gt;" in posted.params["text"] and "<!here>" not in posted.params["text"]
    blocks = posted.params["blocks"]
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "Thank-you due"}}
    assert blocks[-1]["elements"][0]["action_id"] == "thanked:7"


async def test_posts_to_one_channel_are_paced(adapter: SlackAdapter, fake: FakeSlack) -> None:
    for _ in range(3):
        await adapter.notifier.post_channel(TEAM_ID, "C0DIGEST", Reply(text="Weekly digest"))
    await adapter.notifier.post_channel(TEAM_ID, "C0OTHER", Reply(text="Weekly digest"))
    times = [c.at for c in fake.called("chat.postMessage")]
    gaps = [later - earlier for earlier, later in zip(times[:2], times[1:3], strict=True)]
    assert all(gap >= PACE for gap in gaps), gaps
    assert times[3] - times[2] < PACE  # another channel does not wait its turn


async def test_channel_post_carries_its_image(adapter: SlackAdapter, fake: FakeSlack) -> None:
    chart = Attachment("week.png", b"\x89PNG fake", "image/png")
    await adapter.notifier.post_channel(TEAM_ID, "C0DIGEST", Reply(text="Chart", image=chart))
    [done] = fake.called("files.completeUploadExternal")
    assert done.params["channel_id"] == "C0DIGEST"
    assert fake.called("upload")[0].params["body"] == b"\x89PNG fake"


async def test_a_refused_file_does_not_fail_a_delivered_message(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    chart = Attachment("week.png", b"\x89PNG fake", "image/png")
    fake.fail("files.completeUploadExternal", "not_in_channel")
    await adapter.notifier.post_channel(TEAM_ID, "C0DIGEST", Reply(text="Chart", image=chart))
    assert len(fake.called("chat.postMessage")) == 1


@pytest.mark.parametrize(
    ("method", "error", "permanent"),
    [
        ("conversations.open", "user_not_found", True),
        ("conversations.open", "cannot_dm_bot", True),
        ("chat.postMessage", "channel_not_found", True),
        ("chat.postMessage", "account_inactive", True),
        ("chat.postMessage", "internal_error", False),
    ],
)
async def test_failures_say_whether_retrying_can_help(
    adapter: SlackAdapter, fake: FakeSlack, method: str, error: str, permanent: bool
) -> None:
    fake.fail(method, error)
    with pytest.raises(DeliveryFailed) as failed:
        await adapter.notifier.send_dm(TEAM_ID, ANN, NUDGE)
    assert failed.value.permanent is permanent
    assert error in failed.value.reason


async def test_rate_limited_send_is_retried(adapter: SlackAdapter, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", "ratelimited", status=429, **{"Retry-After": "0"})
    await adapter.notifier.post_channel(TEAM_ID, "C0DIGEST", NUDGE)
    assert len(fake.called("chat.postMessage")) == 2


async def test_rate_limit_that_persists_reports_when_to_retry(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    adapter.client.retry_handlers.clear()  # as after the handler's own retries ran out
    fake.fail("chat.postMessage", "ratelimited", status=429, **{"Retry-After": "30"})
    with pytest.raises(DeliveryFailed) as failed:
        await adapter.notifier.post_channel(TEAM_ID, "C0DIGEST", NUDGE)
    assert (failed.value.permanent, failed.value.retry_after) == (False, 30.0)


async def test_unreachable_slack_is_a_temporary_failure(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    adapter.client.retry_handlers.clear()  # no connection retries: fail at once
    await fake.stop()
    with pytest.raises(DeliveryFailed) as failed:
        await adapter.notifier.send_dm(TEAM_ID, ANN, NUDGE)
    assert failed.value.permanent is False


async def test_another_workspace_is_refused_for_good(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        await adapter.notifier.send_dm("T0OTHER", ANN, NUDGE)
    assert failed.value.permanent is True
    assert fake.called("conversations.open") == []


async def test_nudge_keys_travel_as_metadata_and_answer_was_delivered(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    key = "m1:thanks-first:7:2026-11-19"
    assert await adapter.notifier.was_delivered(TEAM_ID, ANN, key) is False
    await adapter.notifier.send_dm(TEAM_ID, ANN, NUDGE, ["m1:thanks-first:7:2026-11-19"])
    [posted] = fake.called("chat.postMessage")
    assert posted.params["metadata"] == {
        "event_type": "peerpath_nudge",
        "event_payload": {"keys": ["m1:thanks-first:7:2026-11-19"]},
    }
    assert await adapter.notifier.was_delivered(TEAM_ID, ANN, "m1:thanks-first:7:2026-11-19")
    assert await adapter.notifier.was_delivered(TEAM_ID, ANN, "m1:thanks-due:7:2026-11-24") is False
    [history, *_] = fake.called("conversations.history")
    assert history.params["channel"] == "D0ANN"


async def test_a_digest_in_doubt_is_looked_for_in_its_channel(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    """The bot joins a group's public channel before posting, so the channel's history
    (``channels:history``, in the manifest) can say after a crash whether it went out."""
    key = "g3:digest:2026-11-23"
    assert await adapter.notifier.was_delivered(TEAM_ID, "C0DIGEST", key) is False
    await adapter.notifier.post_channel(TEAM_ID, "C0DIGEST", Reply(text="Weekly digest"), [key])
    assert await adapter.notifier.was_delivered(TEAM_ID, "C0DIGEST", key) is True
    assert [c.params["channel"] for c in fake.called("conversations.join")] == ["C0DIGEST"]


async def test_a_check_slack_will_not_answer_is_unknown_not_unsent(
    adapter: SlackAdapter, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(2):
        fake.fail("conversations.history", "not_in_channel")
    with caplog.at_level(logging.WARNING, logger="peerpath.slack"):
        assert await adapter.notifier.was_delivered(TEAM_ID, "G0PRIVATE", "g3:digest") is None
        assert await adapter.notifier.was_delivered(TEAM_ID, "G0PRIVATE", "g3:digest") is None
    said = [r.getMessage() for r in caplog.records if "cannot check" in r.getMessage()]
    assert said == ["slack: cannot check whether a message went out (not_in_channel)"]


async def test_a_rate_limit_without_retry_after_is_retried_later_never_closed(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    adapter.client.retry_handlers.clear()  # as after the handler's own retries ran out
    fake.fail("conversations.open", "ratelimited", status=429)  # no Retry-After header
    with pytest.raises(DeliveryFailed) as failed:
        await adapter.notifier.send_dm(TEAM_ID, ANN, NUDGE)
    assert failed.value.rate_limited and not failed.value.permanent
    assert failed.value.retry_after is None  # the outbox waits its default


async def test_a_post_answered_after_the_timeout_is_found_and_not_sent_again(
    app: Peerpath, adapter: SlackAdapter, fake: FakeSlack, clock: SimulatedClock
) -> None:
    """Slack accepts the postMessage but answers after the client gave up: the nudge is
    in doubt, and the retry finds its key in the DM's history instead of posting again."""
    ann = Person(app, ANN, workspace=TEAM_ID, platform="slack")
    await ann.say("/settings quiet=off")
    assert (await ann.say('/logged-interview "Jane Doe"')).title == "Interview logged"
    clock.advance(timedelta(days=1))
    box = outbox(app, {"slack": adapter.notifier})
    late = fake.hold("chat.postMessage")
    adapter.client.timeout = 0.3
    first = await box.sweep()
    assert (first.sent, first.retried) == (0, 1)
    async with app.sessions() as session:
        [nudge] = await session.scalars(select(Nudge).where(Nudge.attempts > 0))
    assert nudge.in_doubt and nudge.status == NudgeStatus.PENDING.value
    late.set()
    clock.advance(timedelta(minutes=5))
    second = await box.sweep()
    assert second.sent == 1
    assert len(fake.called("chat.postMessage")) == 1
    assert fake.called("conversations.history")
