"""How numbers read in replies: counts with the right noun, progress, streaks, days left.

Commands, the home view and reminders all speak of a member's week and streak; they take
the words from here, so "1 week" and "3/5 outreach" read the same everywhere.
"""

from __future__ import annotations

from datetime import date

from bot.streaks import Goals, Streak, Week

IRREGULAR = {"reply": "replies", "person": "people"}


def noun(count: int, singular: str, many: str | None = None) -> str:
    """``interview`` for 1, ``interviews`` otherwise (``many`` when not noun + s)."""
    if count == 1:
        return singular
    return many or IRREGULAR.get(singular) or singular + "s"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``1 interview``, ``2 interviews``."""
    return f"{count} {noun(count, singular, many)}"


def listing(items: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def weeks(count: int) -> str:
    return plural(count, "week")


def streak(found: Streak) -> str:
    """``3 weeks (longest 5 weeks)``."""
    return f"{weeks(found.current)} (longest {weeks(found.longest)})"


def days_left(today: date) -> int:
    """Days left in the member's Monday-to-Sunday week, today included (Monday 7, Sunday 1)."""
    return 7 - today.weekday()


def goals(found: Goals) -> str:
    """``5 outreach, 1 interview``."""
    return f"{found.outreach} outreach, {plural(found.interviews, 'interview')}"


def progress(week: Week, today: date) -> str:
    """``3/5 outreach, 0/1 interview, 4 days left`` (+ a ✓ once every goal is met): the
    noun agrees with the goal, the number it is read against."""
    left = days_left(today)
    line = (
        f"{week.tally.outreach}/{week.goals.outreach} outreach, "
        f"{week.tally.interviews}/{week.goals.interviews} "
        f"{noun(week.goals.interviews, 'interview')}, "
        f"{plural(left, 'day')} left"
    )
    return line + (" ✓ goals met" if week.met else "")


def member_name(name: str) -> str:
    """A member as boards name them (the platform's display name, or a placeholder)."""
    return name or "a member"


def without_examples(description: str) -> str:
    """An option's description for a form that picks its value (a date picker, a menu):
    what it asks, without the typed examples after its colon ("When you sent it: today,
    2026-03-14" → "When you sent it"); a colon inside brackets is part of what it asks."""
    depth = 0
    for index, char in enumerate(description):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ":" and depth == 0:
            return description[:index].rstrip()
    return description
