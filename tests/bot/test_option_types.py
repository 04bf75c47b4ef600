"""Option types own their reading: each reads, checks, describes and declares itself, and a
command's values are read in one pass — in range, or refused with a clear message."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.arguments import read_options
from bot.commands.catalog import build_registry
from bot.commands.help import command_help
from bot.dates import EARLIEST, latest
from bot.errors import UserError
from bot.models import Interview, Outreach
from bot.option_types import Ambiguous, Kind, Option, OptionType, Reading, Shape
from bot.registry import Command, Registry
from bot.replies import Reply
from tests.support import Person

REGISTRY = build_registry()
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
READING = Reading(NOW, ZoneInfo("UTC"), None, "/example")


async def nothing(ctx, args) -> Reply:
    return Reply(text="")


def test_each_type_reads_its_values() -> None:
    hour = Option("hour", "Hour", OptionType.INTEGER, min_value=0, max_value=23)
    assert hour.type.read(hour, " 7 ", READING) == 7
    assert hour.type.read(hour, 7, READING) == 7  # Discord sends numbers as numbers
    flag = Option("on", "On", OptionType.BOOLEAN)
    assert [flag.type.read(flag, v, READING) for v in ("Yes", "off", True)] == [True, False, True]
    via = Option("via", "Via", choices=("linkedin", "in-person"))
    assert via.type.read(via, "In person", READING) == "in-person"
    assert via.type.read(via, "link", READING) == "linkedin"
    when = Option("date", "When", OptionType.DATE)
    assert when.type.read(when, "3.12.2026", READING) == date(2026, 12, 3)
    notes = Option("notes", "Notes", OptionType.TEXT)
    assert notes.type.read(notes, " line one\nline two\x07 ", READING) == "line one\nline two"
    name = Option("contact", "Who", OptionType.CONTACT)
    assert name.type.read(name, "Jane\nDoe", READING) == "JaneDoe"


@pytest.mark.parametrize("word", ["yes", "YES", "y", "confirm", "Confirmed", "sure", "ok"])
def test_a_confirming_word_is_a_yes(word: str) -> None:
    confirm = Option("confirm", "Type yes", OptionType.CONFIRM)
    assert confirm.type.read(confirm, word, READING) is True


@pytest.mark.parametrize("word", ["no", "maybe", "later", "confirm no"])
def test_anything_else_in_a_confirmation_is_refused(word: str) -> None:
    confirm = Option("confirm", "Type yes", OptionType.CONFIRM)
    with pytest.raises(UserError, match="takes yes"):
        confirm.type.read(confirm, word, READING)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("nine", "`hour` must be a whole number, not `nine`"),
        ("24", "`hour` must be between 0 and 23 (not 24)"),
        ("-1", "between 0 and 23"),
        ("9" * 30, "whole number"),
        ("1e3", "whole number"),
        (True, "whole number"),
    ],
)
def test_integers_stay_within_their_bounds(value: object, says: str) -> None:
    hour = Option("hour", "Hour", OptionType.INTEGER, min_value=0, max_value=23)
    with pytest.raises(UserError, match=says.replace("(", r"\(").replace(")", r"\)")):
        hour.type.read(hour, value, READING)


@pytest.mark.parametrize(
    "option",
    [
        Option("n", "How many", OptionType.INTEGER),
        Option("n", "How many", OptionType.INTEGER, min_value=1),
        Option("n", "How many", OptionType.INTEGER, min_value=5, max_value=1),
    ],
)
def test_an_integer_option_without_bounds_is_refused_when_declared(option: Option) -> None:
    with pytest.raises(ValueError, match="needs bounds"):
        Registry().add(Command("ok", "ok", nothing, options=(option,)))


def test_the_length_limit_names_the_option_and_hands_the_text_back() -> None:
    notes = Option("notes", "Notes", OptionType.TEXT, max_length=3000)
    long = "word " * 842  # 4,210 characters once trimmed
    with pytest.raises(UserError) as caught:
        notes.type.read(notes, long, READING)
    error = caught.value
    assert error.message == (
        "notes: 4,209 characters; at most 3,000 — nothing was saved; here is your text back, "
        "attached as notes.txt."
    )
    assert error.attachment is not None and error.attachment.content.decode() == long.strip()
    assert error.option == "notes" and error.example == "/example"
    company = Option("company", "Where", max_length=10)
    with pytest.raises(UserError) as short:
        company.type.read(company, "Acme Corporation", READING)
    assert short.value.message.endswith("here is your text back:\nAcme Corporation")
    assert short.value.attachment is None


def test_an_ambiguous_date_is_a_question_with_both_readings_as_answers() -> None:
    when = Option("date", "When", OptionType.DATE)
    with pytest.raises(Ambiguous) as caught:
        when.type.read(when, "3/4", READING)
    assert caught.value.answers == [
        ("Fri 3 Apr", {"date": "2026-04-03"}),
        ("Wed 4 Mar", {"date": "2026-03-04"}),
    ]
    assert when.type.read(when, "3/4", Reading(NOW, ZoneInfo("UTC"), "en-GB")) == date(2026, 4, 3)


def test_shapes_are_neutral_facts_for_the_adapters() -> None:
    assert Option("n", "N", OptionType.INTEGER, min_value=1, max_value=5).shape == Shape(
        Kind.INTEGER, min_value=1, max_value=5
    )
    assert Option("notes", "N", OptionType.TEXT, max_length=99).shape == Shape(
        Kind.TEXT, max_length=99, multiline=True
    )
    assert Option("c", "C", OptionType.CONTACT).shape.suggests_contacts
    assert Option("confirm", "C", OptionType.CONFIRM).shape.choices == ("yes",)
    assert Option("d", "D", OptionType.DATE).shape.kind is Kind.DATE
    assert {o.shape.kind for c in REGISTRY for o in c.options} == set(Kind)


def test_help_is_what_each_type_says_about_itself() -> None:
    settings = command_help(REGISTRY.get("settings"))
    assert "reminders (optional): DM reminders on or off [on | off]" in settings
    assert "confirm (optional): Type yes to delete everything [yes]" in command_help(
        REGISTRY.get("forget-me")
    )
    assert "[week | streak | all]" in command_help(REGISTRY.get("leaderboard"))


RAW = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.text(max_size=60),
    st.sampled_from(["3/4", "9:30", "31 feb", "tmrw", "confirm", "0001-01-01", "x" * 5000]),
)


@given(
    command=st.sampled_from(sorted(REGISTRY, key=lambda c: c.name)),
    values=st.lists(RAW, min_size=0, max_size=8),
    locale=st.sampled_from([None, "en-US", "de"]),
)
def test_any_values_read_in_range_or_are_refused_with_an_example(
    command: Command, values: list[object], locale: str | None
) -> None:
    raw = {o.name: v for o, v in zip(command.options, values, strict=False)}
    try:
        read = read_options(command, raw, NOW, ZoneInfo("Asia/Kolkata"), locale)
    except Ambiguous as question:
        assert locale is None and len(question.answers) == 2
        return
    except UserError as error:
        assert error.message and error.example
        assert error.option is None or command.option(error.option) is not None
        return
    for option in command.options:
        value = read[option.name]
        if value is None:
            continue
        kind = option.shape.kind
        if kind is Kind.INTEGER:
            assert option.min_value <= value <= option.max_value
        elif kind is Kind.DATE:
            assert EARLIEST <= value <= latest(NOW.date())
        elif kind is Kind.TEXT and option.type is not OptionType.CONFIRM:
            assert len(value) <= option.max_length


async def test_a_question_about_a_date_runs_the_command_with_the_answer(ann: Person) -> None:
    await ann.say('/outreach "Jane Doe"')
    question = await ann.say('/scheduled "Jane Doe" date=3/4')
    assert question.title == "Which did you mean?" and question.ephemeral
    assert question.text == "`3/4` could be Sat 3 Apr 2027 or Thu 4 Mar 2027."
    assert [b.label for b in question.actions] == ["Sat 3 Apr 2027", "Thu 4 Mar 2027"]
    done = await ann.press(question.actions[1].id)
    assert "Jane Doe is on Thu 4 Mar" in done.text
    async with ann.app.sessions() as session:
        assert await session.scalar(select(Outreach.scheduled_for)) == date(2027, 3, 4)


async def test_a_refused_long_note_saves_nothing_and_comes_back(ann: Person) -> None:
    notes = "A long conversation. " * 200
    reply = await ann.say(f'/logged-interview "Jane Doe" notes="{notes}"')
    assert reply.is_error and reply.text.startswith("notes: 4,199 characters; at most 3,000")
    assert reply.attachment is not None and reply.attachment.content.decode() == notes.strip()
    async with ann.app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Interview)) == 0


async def test_bare_confirm_counts_as_yes(ann: Person) -> None:
    await ann.say('/outreach "Jane Doe"')
    assert (await ann.say("/forget-me confirm")).title == "Deleted"
    await ann.say('/outreach "Jane Doe"')
    assert (await ann.say("/forget-me yes")).title == "Deleted"
    assert (await ann.say("/forget-me")).actions  # without it: asked first
