"""Dates as people type them, on the member's own calendar."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.dates import (
    EARLIEST,
    AmbiguousDate,
    add_business_days,
    format_date,
    latest,
    parse_date,
    skipped,
    week_start,
)
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


# ---- what the member meant (dotted, slashed, times, calendars, range) -------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.12.2026", date(2026, 12, 3)),  # dots are day-first, whatever the locale
        ("3.12.", date(2025, 12, 3)),  # no year: the last 3 December, for a log
        ("3.12", date(2025, 12, 3)),
        ("3.12.26", date(2026, 12, 3)),  # a two-digit year is this century's
        ("29.2.", date(2024, 2, 29)),  # the last 29 February there was
        ("13/4", date(2026, 4, 13)),  # only one real reading: no need to ask
        ("4/13/2026", date(2026, 4, 13)),
        ("2026/3/4", date(2026, 3, 4)),  # a four-digit year first: year, month, day
        ("2026-3-4", date(2026, 3, 4)),
        ("4/4", date(2026, 4, 4)),  # both readings are the same day
        ("november 3, 2026", date(2026, 11, 3)),
        ("last week", date(2026, 11, 11)),
    ],
)
def test_numeric_and_written_dates(text: str, expected: date) -> None:
    assert parse_date(text, NOW, UTC_ZONE) == expected
    assert parse_date(text, NOW, UTC_ZONE, locale="en-US") == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", date(2026, 3, 4)),
        ("en-GB", date(2026, 4, 3)),
        ("de", date(2026, 4, 3)),
        ("pt-BR", date(2026, 4, 3)),
        ("ja", date(2026, 3, 4)),  # year-first locales put the month before the day
    ],
)
def test_slashed_dates_follow_the_locale(locale: str, expected: date) -> None:
    assert parse_date("3/4", NOW, UTC_ZONE, locale=locale) == expected
    assert parse_date("3/4/2026", NOW, UTC_ZONE, locale=locale) == expected


def test_a_reading_outside_the_range_is_not_asked_about() -> None:
    """``1/2/20`` on 1 Jan 2001: 1 Feb 2020 and 2 Jan 2020 are both beyond ten years ahead —
    refused, not asked about; on 1 Jan 2010, only one reading is within reach and is taken
    when the other is out of range (found by the property test below)."""
    early = datetime(2001, 1, 1, tzinfo=UTC)
    with pytest.raises(UserError) as refused:
        parse_date("1/2/20", early, UTC_ZONE)
    assert not isinstance(refused.value, AmbiguousDate)
    assert "outside the dates peerpath keeps" in refused.value.message
    edge = datetime(2010, 1, 15, tzinfo=UTC)  # ten years ahead: up to 15 Jan 2020
    assert parse_date("1/2/20", edge, UTC_ZONE) == date(2020, 1, 2)


def test_an_ambiguous_slashed_date_without_a_locale_is_a_question() -> None:
    for locale in (None, "xx-unknown"):
        with pytest.raises(AmbiguousDate) as caught:
            parse_date("3/4", NOW, UTC_ZONE, locale=locale)
        assert caught.value.readings == (date(2026, 4, 3), date(2026, 3, 4))
        assert caught.value.message == "`3/4` could be Fri 3 Apr or Wed 4 Mar."
    with pytest.raises(AmbiguousDate) as ahead:
        parse_date("3-4", NOW, UTC_ZONE, prefer_future=True)
    assert ahead.value.readings == (date(2027, 4, 3), date(2027, 3, 4))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("9:30", "reads as a time of day"),
        ("3pm", "reads as a time of day"),
        ("9.30", "reads as a time of day"),  # no month 30: the member wrote a time
        ("noon", "reads as a time of day"),
        ("monday 9:30", "reads as a time of day"),
        ("31 Feb", "no such day as `31 Feb`"),
        ("feb 31 2026", "no such day"),
        ("2026-02-30", "no such day"),
        ("31/2", "no such day"),
        ("31.2.", "no such day"),
        ("29.2.2027", "no such day"),
        ("March", "not a single day"),
        ("next month", "not a single day"),
        ("2026/3", "not a single day"),
        ("1999-12-31", "outside the dates peerpath keeps: from Sat 1 Jan 2000 to Tue 18 Nov 2036"),
        ("0001-01-01", "outside the dates"),
        ("1 jan 0001", "outside the dates"),
        ("9999-12-31", "outside the dates"),
        ("2036-11-19", "outside the dates"),
    ],
)
def test_what_is_not_a_day_is_refused_with_an_example(text: str, says: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_date(text, NOW, UTC_ZONE)
    assert says in caught.value.message
    assert "accepted:" in (caught.value.example or "")


def test_the_range_is_inclusive_and_counts_from_the_members_today() -> None:
    assert parse_date("2000-01-01", NOW, UTC_ZONE) == EARLIEST
    assert parse_date("2036-11-18", NOW, UTC_ZONE) == date(2036, 11, 18)
    late = datetime(2026, 11, 18, 23, 30, tzinfo=UTC)  # already the 19th in Tokyo
    assert parse_date("2036-11-19", late, ZoneInfo("Asia/Tokyo")) == date(2036, 11, 19)
    assert latest(date(2028, 2, 29)) == date(2038, 2, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tmrw", date(2026, 11, 19)),
        ("tomorrow", date(2026, 11, 19)),
        ("next week", date(2026, 11, 25)),
        ("in 3 days", date(2026, 11, 21)),
        ("in 3 weeks", date(2026, 12, 9)),
        ("3.12.", date(2026, 12, 3)),  # no year: the coming 3 December, for a plan
    ],
)
def test_future_phrases_where_a_plan_is_made(text: str, expected: date) -> None:
    assert parse_date(text, NOW, UTC_ZONE, prefer_future=True) == expected


def test_dates_are_said_with_the_year_only_when_it_is_not_this_one() -> None:
    today = date(2026, 11, 24)
    assert format_date(date(2026, 11, 24), today) == "Tue 24 Nov"
    assert format_date(date(2027, 1, 4), today) == "Mon 4 Jan 2027"
    assert format_date(date(2025, 12, 31), today) == "Wed 31 Dec 2025"


ZONES = st.sampled_from(["UTC", "Asia/Kolkata", "America/New_York", "Pacific/Kiritimati"])
LOCALES = st.sampled_from([None, "en-US", "en-GB", "de", "ja", "zz"])
DATEISH = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A\d{1,4}[./\- :]\d{1,4}([./\- ]\d{1,4})?\.?\Z"),
    st.sampled_from(["tmrw", "next week", "31 feb", "9:30", "0001-01-01", "last friday"]),
)


@given(
    text=DATEISH,
    zone=ZONES,
    locale=LOCALES,
    future=st.booleans(),
    now=st.datetimes(datetime(2001, 1, 1), datetime(2090, 1, 1), timezones=st.just(UTC)),
)
def test_any_text_is_a_day_in_range_or_a_clear_message_with_an_example(
    text: str, zone: str, locale: str | None, future: bool, now: datetime
) -> None:
    tz = ZoneInfo(zone)
    try:
        found = parse_date(text, now, tz, future, locale)
    except AmbiguousDate as question:
        assert locale in (None, "zz") and len(set(question.readings)) == 2
        assert all(
            EARLIEST <= day <= latest(now.astimezone(tz).date()) for day in question.readings
        )
    except UserError as error:
        assert error.message and error.example
    else:
        assert EARLIEST <= found <= latest(now.astimezone(tz).date())


def test_a_time_the_clocks_skip_is_known() -> None:
    new_york = ZoneInfo("America/New_York")
    assert skipped(date(2027, 3, 14), time(2, 30), new_york)  # spring forward
    assert not skipped(date(2027, 3, 14), time(3, 30), new_york)
    assert not skipped(date(2026, 11, 1), time(1, 30), new_york)  # repeated, not skipped
    assert skipped(date(2026, 3, 29), time(2, 15), ZoneInfo("Europe/Berlin"))
    assert not skipped(date(2026, 3, 29), time(2, 15), ZoneInfo("Asia/Kolkata"))
