"""What to do with one member's due reminders (or one group's post) now: send, drop, defer,
retry or fail — decided from the rows alone, with no I/O, so every rule is unit-tested.

The outbox (``scheduling/outbox.py``) reads the rows, asks here, and writes the answer
(``scheduling/claims.py``). Each member is decided on their own: whatever goes wrong
composing one member's message becomes that member's :class:`Decision` (retried with
back-off a bounded number of times, then failed) and never touches anyone else's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import lengths, pages, wording
from bot.nudges import compose as composing
from bot.nudges.kinds import ASKED_FOR
from bot.nudges.timing import TIMINGS, backoff, next_allowed
from bot.ports import DeliveryFailed
from bot.replies import Reply

# How often a member whose DMs were closed is tried anyway: a reminder due this long after
# the platform refused one is sent (and, if it is refused again, the week starts over).
CLOSED_DMS_RETRY = timedelta(days=7)
# A rate limit that names no wait (no header, no body) is waited out this long.
RATE_LIMIT_WAIT = timedelta(seconds=60)
CLOSED = "DMs closed"
UNINSTALLED = "the app was removed from the workspace"
# One message shows what fits whole (room kept for its "more will follow" line); the rest
# is the next message, this long after — paced like any DM, never cut away unseen.
FOLD_BUDGET = pages.TEXT_BUDGET - 100
FOLD_PACE = timedelta(minutes=1)


@dataclass(frozen=True)
class Retry:
    """Try again at ``at``. ``in_doubt``: ask the platform first whether it went out.
    ``counts``: False for a rate limit, which is not a failed attempt."""

    at: datetime
    why: str
    in_doubt: bool = False
    counts: bool = True


@dataclass
class Decision:
    """The fate of a set of nudges (rows as the sweep claimed them): each lands in exactly
    one of ``sending`` (with ``message``), ``dropped``, ``failed``, ``deferred``, ``retried``."""

    message: Reply | None = None
    sending: list[Any] = field(default_factory=list)
    dropped: list[tuple[Any, str]] = field(default_factory=list)
    failed: list[tuple[Any, str]] = field(default_factory=list)
    deferred: list[tuple[Any, datetime]] = field(default_factory=list)
    retried: list[tuple[Any, Retry]] = field(default_factory=list)
    # A DM tried although the member's DMs were recorded closed: delivered, they are open.
    reopens: bool = False
    # The platform refused this member's DMs for good: record the closed state (and when).
    closes: bool = False
    error: str | None = None  # why composing failed (the error's type, never its text)


def for_member(
    member: Any,
    nudges: list[Any],
    facts: composing.Facts,
    tz: ZoneInfo,
    now: datetime,
    reachable: bool = True,
) -> Decision:
    """One member's message, or why not. ``member`` is a recipient row (reminders_on,
    dm_closed_at, quiet hours …); ``reachable``: a notifier serves their platform.
    An exception composing their message becomes a retry (or, at the last attempt, a
    failure) of their nudges — see :func:`broken`."""
    if not reachable:
        return Decision(dropped=[(n, "no notifier") for n in nudges])
    if member.uninstalled_at is not None:  # skipped and recorded; a re-install plans anew
        return Decision(failed=[(n, UNINSTALLED) for n in nudges])
    if member.reminders_on:
        return _deliverable(member, nudges, facts, tz, now)
    # Reminders off: only what the member asked for (a practice partner) still goes.
    asked = [n for n in nudges if n.kind in ASKED_FOR]
    decision = _deliverable(member, asked, facts, tz, now) if asked else Decision()
    decision.dropped += [(n, "reminders are off") for n in nudges if n.kind not in ASKED_FOR]
    return decision


def _deliverable(
    member: Any, nudges: list[Any], facts: composing.Facts, tz: ZoneInfo, now: datetime
) -> Decision:
    """A reachable member's message: failed while their DMs are closed, deferred past
    quiet hours, else composed."""
    reopens = False
    if member.dm_closed_at is not None:
        retry_from = member.dm_closed_at + CLOSED_DMS_RETRY
        if all(n.due_at < retry_from for n in nudges):
            return Decision(failed=[(n, CLOSED) for n in nudges])
        reopens = True  # a week on: worth trying, they may have opened their DMs
    allowed = next_allowed(now, member, tz)
    if allowed > now:
        return Decision(deferred=[(n, allowed) for n in nudges])
    try:
        return _compose(member, nudges, facts, tz, now, reopens)
    except Exception as error:  # a corrupt row: this member's problem, nobody else's
        return broken(nudges, error, now)


def _compose(
    member: Any,
    nudges: list[Any],
    facts: composing.Facts,
    tz: ZoneInfo,
    now: datetime,
    reopens: bool,
) -> Decision:
    decision = Decision(reopens=reopens)
    redundant = composing.superseded(nudges)
    ready: list[tuple[Any, Reply]] = []
    for nudge in nudges:
        reply = None if nudge.id in redundant else composing.compose(nudge, member, facts, tz, now)
        if reply is None:
            why = "superseded" if nudge.id in redundant else "no longer applies"
            decision.dropped.append((nudge, why))
        else:
            ready.append((nudge, reply))
    shown, later = _fold(ready)
    if shown:
        decision.sending = [nudge for nudge, _ in shown]
        decision.message = composing.combine([reply for _, reply in shown])
        if later:
            follow = f"{wording.plural(len(later), 'more reminder')} will follow in a minute."
            decision.message.text += f"\n\n{follow}"
    next_message = now + FOLD_PACE
    decision.deferred += [(nudge, next_message) for nudge, _ in later]
    return decision


def _fold(ready: list[tuple[Any, Reply]]) -> tuple[list[Any], list[Any]]:
    """Split a member's due reminders into what one message can show whole — its text
    within :data:`pages.TEXT_BUDGET` as any platform counts it, its buttons within
    ``composing.MAX_BUTTONS`` — and what waits for the next message. Only what a message
    shows is marked sent, so after downtime nothing is folded away unseen."""
    shown: list[Any] = []
    length = buttons = 0
    for nudge, reply in ready:
        line = f"{reply.title}: {reply.text}" if reply.title else reply.text
        size = lengths.shown_length(line) + 2  # and the blank line between reminders
        if shown and (
            length + size > FOLD_BUDGET or buttons + len(reply.actions) > composing.MAX_BUTTONS
        ):
            break
        shown.append((nudge, reply))
        length, buttons = length + size, buttons + len(reply.actions)
    return shown, ready[len(shown) :]


def for_post(nudge: Any, now: datetime, present: bool, workspace: Any = None) -> Decision | None:
    """A group's digest: failed when the app was removed from its ``workspace``; dropped
    when its group or platform is gone or it is a week late; None when it should be
    composed and posted."""
    if workspace is not None and workspace.uninstalled_at is not None:
        return Decision(failed=[(nudge, UNINSTALLED)])
    if not present or now - nudge.due_at > TIMINGS.digest_stale:
        return Decision(dropped=[(nudge, "no longer applies")])
    return None


def broken(nudges: list[Any], error: BaseException, now: datetime) -> Decision:
    """Composing failed (a corrupt row, a bug): back off and retry, and give up after
    ``TIMINGS.max_attempts``. The reason names the error's type only — never its text,
    which may quote a member's notes or contacts."""
    why = f"could not compose: {type(error).__name__}"
    decision = _retry_or_fail(nudges, why, now, None)
    decision.error = type(error).__name__
    return decision


def after_failure(nudges: list[Any], failure: DeliveryFailed, now: datetime) -> Decision:
    """A delivery that failed: give up when retrying cannot help; wait out a rate limit
    (never counted as an attempt, never taken as closed DMs); otherwise back off, asking
    the platform first next time when the message may have gone out."""
    why = failure.reason[:300]
    if failure.rate_limited:
        wait = timedelta(seconds=failure.retry_after) if failure.retry_after else RATE_LIMIT_WAIT
        retry = Retry(now + wait, why, in_doubt=failure.in_doubt, counts=False)
        return Decision(retried=[(n, retry) for n in nudges])
    if failure.permanent:  # closed DMs, unless the app itself is gone from the workspace
        return Decision(failed=[(n, why) for n in nudges], closes=not failure.uninstalled)
    wait = timedelta(seconds=failure.retry_after) if failure.retry_after else None
    return _retry_or_fail(nudges, why, now, wait, in_doubt=failure.in_doubt)


def _retry_or_fail(
    nudges: list[Any],
    why: str,
    now: datetime,
    wait: timedelta | None,
    in_doubt: bool = False,
) -> Decision:
    if all(n.attempts >= TIMINGS.max_attempts for n in nudges):
        return Decision(failed=[(n, why) for n in nudges])
    return Decision(
        retried=[(n, Retry(now + (wait or backoff(n.attempts)), why, in_doubt)) for n in nudges]
    )
