"""The outbox's decisions, from rows alone: no database, no platform, no clock but a value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from bot.nudges import decide
from bot.nudges.compose import BUTTONS, Facts
from bot.nudges.timing import TIMINGS, backoff
from bot.ports import DeliveryFailed

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # a Wednesday, 10:00 UTC
UTC_ZONE = ZoneInfo("UTC")
NO_FACTS = Facts({}, {}, {}, BUTTONS)


def member(**changes: object) -> SimpleNamespace:
    row = {
        "id": 1,
        "display_name": "Ann",
        "reminders_on": True,
        "dm_closed_at": None,
        "quiet_start": 21,
        "quiet_end": 8,
        "reminder_hour": 9,
        "uninstalled_at": None,
    }
    return SimpleNamespace(**(row | changes))


def nudge(n: int = 1, kind: str = "no-such-kind", due: datetime = NOW, attempts: int = 1):
    return SimpleNamespace(
        id=n, kind=kind, key=f"k{n}", due_at=due, attempts=attempts, subject_id=0, member_id=1
    )


def test_reminders_off_or_no_platform_drop_everything() -> None:
    rows = [nudge(1), nudge(2)]
    off = decide.for_member(member(reminders_on=False), rows, NO_FACTS, UTC_ZONE, NOW)
    assert [(n.id, why) for n, why in off.dropped] == [
        (1, "reminders are off"),
        (2, "reminders are off"),
    ]
    gone = decide.for_member(member(), rows, NO_FACTS, UTC_ZONE, NOW, reachable=False)
    assert {why for _, why in gone.dropped} == {"no notifier"}
    assert off.message is None and gone.message is None


def test_quiet_hours_defer_to_their_end() -> None:
    late = NOW.replace(hour=22)
    decision = decide.for_member(member(), [nudge()], NO_FACTS, UTC_ZONE, late)
    [(_, allowed)] = decision.deferred
    assert allowed == datetime(2026, 11, 19, 8, 0, tzinfo=UTC)


def test_closed_dms_settle_reminders_until_one_falls_due_a_week_later() -> None:
    closed = member(dm_closed_at=NOW - timedelta(days=3))
    within = decide.for_member(closed, [nudge()], NO_FACTS, UTC_ZONE, NOW)
    assert within.failed == [(within.failed[0][0], decide.CLOSED)] and not within.reopens
    week_on = member(dm_closed_at=NOW - timedelta(days=7))
    tried = decide.for_member(week_on, [nudge()], NO_FACTS, UTC_ZONE, NOW)
    assert tried.retried and not tried.failed  # composed (here it fails: see below), not settled


def test_a_row_that_cannot_be_composed_is_retried_with_backoff_then_failed() -> None:
    first = decide.for_member(member(), [nudge(attempts=1)], NO_FACTS, UTC_ZONE, NOW)
    [(_, retry)] = first.retried
    assert first.error == "ValueError" and first.message is None
    assert retry.at == NOW + backoff(1) and retry.counts
    assert retry.why == "could not compose: ValueError"  # the type, never the text
    last = decide.for_member(
        member(), [nudge(attempts=TIMINGS.max_attempts)], NO_FACTS, UTC_ZONE, NOW
    )
    assert [why for _, why in last.failed] == ["could not compose: ValueError"]


def test_a_rate_limit_waits_as_asked_or_a_minute_and_is_not_an_attempt() -> None:
    rows = [nudge(attempts=TIMINGS.max_attempts)]  # even at the last attempt
    asked = decide.after_failure(rows, DeliveryFailed("429", retry_after=5, rate_limited=True), NOW)
    [(_, retry)] = asked.retried
    assert retry.at == NOW + timedelta(seconds=5) and not retry.counts
    bare = decide.after_failure(rows, DeliveryFailed("429", rate_limited=True), NOW)
    [(_, retry)] = bare.retried
    assert retry.at == NOW + decide.RATE_LIMIT_WAIT
    assert not bare.failed and not bare.closes


def test_a_permanent_failure_fails_and_records_closed_dms() -> None:
    decision = decide.after_failure([nudge()], DeliveryFailed("closed DMs", permanent=True), NOW)
    assert decision.closes and [why for _, why in decision.failed] == ["closed DMs"]


def test_an_unknown_outcome_is_retried_in_doubt_and_gives_up_at_the_last_attempt() -> None:
    timeout = DeliveryFailed("no answer", in_doubt=True)
    [(_, retry)] = decide.after_failure([nudge(attempts=2)], timeout, NOW).retried
    assert retry.in_doubt and retry.at == NOW + backoff(2)
    spent = decide.after_failure([nudge(attempts=TIMINGS.max_attempts)], timeout, NOW)
    assert spent.failed and not spent.retried


def test_a_late_digest_or_one_without_its_group_is_dropped() -> None:
    assert decide.for_post(nudge(), NOW, present=True) is None
    stale = decide.for_post(nudge(due=NOW - TIMINGS.digest_stale * 2), NOW, present=True)
    gone = decide.for_post(nudge(), NOW, present=False)
    assert stale is not None and stale.dropped and gone is not None and gone.dropped


def test_a_workspace_that_removed_the_app_gets_nothing_and_it_is_recorded() -> None:
    removed = member(uninstalled_at=NOW - timedelta(days=1))
    decision = decide.for_member(removed, [nudge(1), nudge(2)], NO_FACTS, UTC_ZONE, NOW)
    assert [why for _, why in decision.failed] == [decide.UNINSTALLED] * 2
    assert decision.message is None and not decision.closes
    digest = decide.for_post(nudge(3), NOW, True, SimpleNamespace(uninstalled_at=NOW))
    assert digest is not None and [why for _, why in digest.failed] == [decide.UNINSTALLED]
    assert decide.for_post(nudge(3), NOW, True, SimpleNamespace(uninstalled_at=None)) is None


def test_a_token_gone_fails_for_good_without_closing_dms() -> None:
    gone = DeliveryFailed("slack: not installed", permanent=True, uninstalled=True)
    decision = decide.after_failure([nudge()], gone, NOW)
    assert len(decision.failed) == 1 and decision.closes is False
