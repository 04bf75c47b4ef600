"""Streak arithmetic, ranks and the pause cap, without a database."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.services.pauses import pause_refusal
from bot.streaks import (
    WEEK,
    GoalHistory,
    Goals,
    Standing,
    Tally,
    Week,
    advance,
    dense_ranks,
    from_scratch,
    recount,
    with_current_week,
)

MONDAY = date(2026, 1, 5)


def test_dense_ranks_share_ties() -> None:
    assert dense_ranks([5, 5, 3, 2, 2, 1]) == [1, 1, 2, 3, 3, 4]
    assert dense_ranks([(2, 4), (2, 4), (2, 3)]) == [1, 1, 2]
    assert dense_ranks([]) == []


def test_goal_history_uses_the_change_in_effect() -> None:
    plan = GoalHistory([(MONDAY + 2 * WEEK, Goals(3, 1)), (MONDAY, Goals(5, 0))])
    assert plan.for_week(MONDAY - WEEK) == Goals(5, 0)  # before history: the first goals
    assert plan.for_week(MONDAY + WEEK) == Goals(5, 0)
    assert plan.for_week(MONDAY + 5 * WEEK) == Goals(3, 1)


def test_paused_week_neither_breaks_nor_extends() -> None:
    goals = GoalHistory([(MONDAY, Goals(1, 0))]).for_week
    met = Tally(1, 0)
    tallies = {MONDAY: met, MONDAY + 2 * WEEK: met}
    paused = {MONDAY + WEEK}
    streak = recount(MONDAY + 3 * WEEK, tallies, goals, paused)
    assert (streak.current, streak.longest) == (2, 2)
    unpaused = recount(MONDAY + 3 * WEEK, tallies, goals, set())
    assert (unpaused.current, unpaused.longest) == (1, 1)


def test_current_week_counts_once_met() -> None:
    standing = Standing(MONDAY, run=2, longest=4)
    goals = Goals(2, 1)
    assert with_current_week(standing, Week(Tally(1, 1), goals, paused=False)).current == 2
    assert with_current_week(standing, Week(Tally(2, 1), goals, paused=False)).current == 3
    assert with_current_week(standing, Week(Tally(2, 1), goals, paused=True)).current == 2


def test_pause_cap_explains_itself() -> None:
    assert pause_refusal(set(), [MONDAY, MONDAY + WEEK]) is None
    refusal = pause_refusal({MONDAY, MONDAY + WEEK}, [MONDAY + 2 * WEEK])
    assert refusal is not None and "at most 2 weeks in a row" in refusal
    spread = {MONDAY, MONDAY + WEEK, MONDAY + 3 * WEEK, MONDAY + 4 * WEEK}
    refusal = pause_refusal(spread, [MONDAY + 8 * WEEK])
    assert refusal is not None and "At most 4 paused weeks fit in any 12 weeks" in refusal
    assert pause_refusal(spread, [MONDAY + 12 * WEEK]) is None


weeks = st.integers(min_value=0, max_value=30)


@given(
    logs=st.dictionaries(weeks, st.tuples(st.integers(0, 4), st.integers(0, 2)), max_size=25),
    changes=st.dictionaries(weeks, st.tuples(st.integers(1, 3), st.integers(0, 2)), max_size=4),
    paused=st.sets(weeks, max_size=6),
    split=weeks,
)
def test_extending_a_standing_equals_recounting(
    logs: dict[int, tuple[int, int]],
    changes: dict[int, tuple[int, int]],
    paused: set[int],
    split: int,
) -> None:
    """Caching through week ``split`` and advancing to the end gives the recount's streak."""
    tallies = {MONDAY + WEEK * n: Tally(*counts) for n, counts in logs.items()}
    plan = GoalHistory((MONDAY + WEEK * n, Goals(*g)) for n, g in changes.items())
    pauses = {MONDAY + WEEK * n for n in paused}
    current = MONDAY + WEEK * 31
    cached = from_scratch(MONDAY + WEEK * split, tallies, plan.for_week, pauses)
    standing = advance(cached, current - WEEK, tallies, plan.for_week, pauses)
    assert standing == from_scratch(current - WEEK, tallies, plan.for_week, pauses)
    week = Week(tallies.get(current, Tally()), plan.for_week(current), current in pauses)
    streak = with_current_week(standing, week)
    assert streak == recount(current, tallies, plan.for_week, pauses)
