"""Dates as people type them, on the member's own calendar."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.dates import add_business_days, format_date, parse_date, week_start
from bot.errors import UserError

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # Wednesday
UTC_ZONE = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-02", date(2026, 11, 2)),
        ("today", date(2026, 11, 18)),
        ("Yesterday", date(2026, 11, 17)),
        ("3 days ago", date(2026, 11, 15)),
        ("a week ago", date(2026, 11, 11)),
        ("last tuesday", date(2026, 11, 17)),
        ("last wednesday", date(2026, 11, 11)),
        ("monday", date(2026, 11, 16)),
        ("next tuesday", date(2026, 11, 24)),
        ("friday", date(2026, 11, 13)),
        ("this friday", date(2026, 11, 20)),
        ("in 2 days", date(2026, 11, 20)),
        ("November 3, 2026", date(2026, 11, 3)),
    ],
)
def test_phrases(text: str, expected: date) -> None:
    assert parse_date(text, NOW, UTC_ZONE) == expected


def test_today_is_the_members_today() -> None:
    late = datetime(2026, 11, 18, 23, 30, tzinfo=UTC)
    assert parse_date("today", late, ZoneInfo("Asia/Tokyo")) == date(2026, 11, 19)
    assert parse_date("today", late, ZoneInfo("America/New_York")) == date(2026, 11, 18)


@pytest.mark.parametrize("text", ["", "someday", "the day after the meeting", "x" * 100])
def test_unreadable_dates_are_explained_with_examples(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_date(text, NOW, UTC_ZONE)
    assert "yesterday" in (caught.value.example or "")


@given(st.text(max_size=80))
def test_any_text_is_a_date_or_a_clear_error(text: str) -> None:
    try:
        assert isinstance(parse_date(text, NOW, UTC_ZONE), date)
    except UserError as error:
        assert error.message


def test_business_days_skip_weekends() -> None:
    friday = date(2026, 11, 20)
    assert add_business_days(friday, 1) == date(2026, 11, 23)
    assert add_business_days(friday, 3) == date(2026, 11, 25)
    assert add_business_days(friday, 7) == date(2026, 12, 1)


def test_week_starts_on_monday() -> None:
    assert week_start(date(2026, 11, 22)) == date(2026, 11, 16)
    assert format_date(date(2026, 11, 2)) == "Mon 2 Nov"


def test_plans_look_ahead() -> None:
    assert parse_date("friday", NOW, UTC_ZONE, prefer_future=True) == date(2026, 11, 20)
    assert parse_date("wednesday", NOW, UTC_ZONE, prefer_future=True) == date(2026, 11, 18)
    assert parse_date("december 2", NOW, UTC_ZONE, prefer_future=True) == date(2026, 12, 2)
