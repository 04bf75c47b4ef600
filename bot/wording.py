"""How numbers read in replies: counts with the right noun, progress, streaks, days left.

Commands, the home view and reminders all speak of a member's week and streak; they take
the words from here, so "1 week" and "3/5 outreach" read the same everywhere.
"""

from __future__ import annotations

from datetime import date

from bot.streaks import Streak, Week

IRREGULAR = {"reply": "replies", "person": "people"}


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 interview``, ``2 interviews`` (``many`` when the plural is not noun + s)."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {many or IRREGULAR.get(noun) or noun + 's'}"


def weeks(count: int) -> str:
    return plural(count, "week")


def streak(found: Streak) -> str:
    """``3 weeks (longest 5 weeks)``."""
    return f"{weeks(found.current)} (longest {weeks(found.longest)})"


def days_left(today: date) -> int:
    """Days left in the member's Monday-to-Sunday week, today included (Monday 7, Sunday 1)."""
    return 7 - today.weekday()


def progress(week: Week, today: date) -> str:
    """``3/5 outreach, 1/1 interviews, 4 days left`` (+ a ✓ once every goal is met)."""
    left = days_left(today)
    line = (
        f"{week.tally.outreach}/{week.goals.outreach} outreach, "
        f"{week.tally.interviews}/{week.goals.interviews} interviews, "
        f"{plural(left, 'day')} left"
    )
    return line + (" ✓ goals met" if week.met else "")


def member_name(name: str) -> str:
    """A member as boards name them (the platform's display name, or a placeholder)."""
    return name or "a member"
