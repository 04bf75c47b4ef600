"""Weekly goals and streaks as plain arithmetic over weeks — no database, no clock.

A week is identified by its Monday on the member's own calendar. A member's
log belongs to the week of the date it carries (``sent_on`` / ``held_on``),
which the logging handlers take from the member's clock, so a log at 23:30 on
a Sunday counts for that Sunday's week wherever the server is.

A streak is the number of consecutive weeks, up to the last completed week,
in which every goal was met; paused weeks are skipped (neither break nor
extend it), and the current week adds one as soon as it is met. Walking the
weeks forward gives the same number as counting back, which is what lets a
cached :class:`Standing` be extended one week at a time.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from bot import defaults
from bot.dates import week_start

WEEK = timedelta(days=7)


class Goals(NamedTuple):
    """Weekly targets; outreach is at least 1, so an empty week never counts as met."""

    outreach: int
    interviews: int


DEFAULT_GOALS = Goals(defaults.WEEKLY_OUTREACH, defaults.WEEKLY_INTERVIEWS)


class Tally(NamedTuple):
    """What a member logged in one week."""

    outreach: int = 0
    interviews: int = 0

    def meets(self, goals: Goals) -> bool:
        return self.outreach >= goals.outreach and self.interviews >= goals.interviews

    def plus(self, other: Tally) -> Tally:
        return Tally(self.outreach + other.outreach, self.interviews + other.interviews)


EMPTY = Tally()


class Week(NamedTuple):
    """One member's week: what they logged, the goals it is judged by, whether it is paused."""

    tally: Tally
    goals: Goals
    paused: bool

    @property
    def met(self) -> bool:
        return self.tally.meets(self.goals)


class Standing(NamedTuple):
    """The streak as of the end of ``through`` (a completed week's Monday)."""

    through: date
    run: int
    longest: int


class Streak(NamedTuple):
    current: int
    longest: int


def weeks_between(first: date, last: date) -> list[date]:
    """The Mondays from ``first`` to ``last`` inclusive."""
    count = (last - first).days // 7 + 1
    return [first + WEEK * n for n in range(max(count, 0))]


class GoalHistory:
    """Goals in effect for any week: the latest change on or before it.

    Weeks before the first change use the first change (history starts with
    the first goals the member had); a member with no changes has the defaults.
    """

    __slots__ = ("_changes", "_weeks")

    def __init__(self, changes: Iterable[tuple[date, Goals]], ordered: bool = False) -> None:
        """``ordered``: the changes already come sorted by week (as the database returns them)."""
        self._changes = changes if ordered and isinstance(changes, list) else sorted(changes)
        self._weeks: list[date] | None = None

    def for_week(self, week: date) -> Goals:
        changes = self._changes
        if len(changes) <= 1:  # the usual case: one set of goals, ever
            return changes[0][1] if changes else DEFAULT_GOALS
        if self._weeks is None:
            self._weeks = [start for start, _ in changes]
        index = bisect.bisect_right(self._weeks, week) - 1
        return changes[index if index > 0 else 0][1]


def advance(
    standing: Standing,
    through: date,
    tallies: Mapping[date, Tally],
    goals_for: Callable[[date], Goals],
    paused: Collection[date],
) -> Standing:
    """Extend ``standing`` week by week up to ``through``."""
    run, longest = standing.run, standing.longest
    for week in weeks_between(standing.through + WEEK, through):
        if week in paused:
            continue
        run = run + 1 if tallies.get(week, EMPTY).meets(goals_for(week)) else 0
        longest = max(longest, run)
    return Standing(through, run, longest)


def from_scratch(
    through: date,
    tallies: Mapping[date, Tally],
    goals_for: Callable[[date], Goals],
    paused: Collection[date],
) -> Standing:
    """The standing at ``through`` computed from the member's whole history."""
    logged = [week for week in tallies if week <= through]
    if not logged:
        return Standing(through, 0, 0)
    return advance(Standing(min(logged) - WEEK, 0, 0), through, tallies, goals_for, paused)


def with_current_week(standing: Standing, week: Week) -> Streak:
    """Add the week in progress, which counts once it is met (and not paused)."""
    current = standing.run + (1 if not week.paused and week.met else 0)
    return Streak(current, max(standing.longest, current))


def recount(
    current_week: date,
    tallies: Mapping[date, Tally],
    goals_for: Callable[[date], Goals],
    paused: Collection[date],
) -> Streak:
    """The streak by its definition, counting back from last week: the reference check."""
    run = 0
    first = min(tallies, default=current_week)
    week = current_week - WEEK
    while week >= first:
        if week not in paused:
            if not tallies.get(week, EMPTY).meets(goals_for(week)):
                break
            run += 1
        week -= WEEK
    if current_week not in paused and tallies.get(current_week, EMPTY).meets(
        goals_for(current_week)
    ):
        run += 1
    longest, length = 0, 0
    for week in weeks_between(first, current_week):
        if week in paused:
            continue
        length = length + 1 if tallies.get(week, EMPTY).meets(goals_for(week)) else 0
        longest = max(longest, length)
    return Streak(run, max(longest, run))


def bucket(rows: Iterable[tuple[int, date, int, int]]) -> dict[int, dict[date, Tally]]:
    """``(member_id, day, outreach, interviews)`` rows → weekly tallies per member."""
    result: dict[int, dict[date, Tally]] = {}
    for member_id, day, outreach, interviews in rows:
        weeks = result.setdefault(member_id, {})
        week = week_start(day)
        weeks[week] = weeks.get(week, EMPTY).plus(Tally(outreach, interviews))
    return result


def dense_ranks(keys: Sequence[object]) -> list[int]:
    """Dense ranks for keys already sorted best first: equal keys share a rank (1, 1, 2)."""
    ranks: list[int] = []
    for index, key in enumerate(keys):
        if index == 0:
            ranks.append(1)
        else:
            ranks.append(ranks[-1] + (0 if key == keys[index - 1] else 1))
    return ranks
