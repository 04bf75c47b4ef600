"""Asking instead of guessing: what the member typed is kept, and an answer runs their
command again with it filled in — once, within a day, only for the member asked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.commands.choosing import CHOOSE, ask
from bot.config import Settings
from bot.context import Context
from bot.registry import Command, Option, OptionType, Registry
from bot.replies import Reply
from bot.storage import db
from tests.support import Person


async def pick(ctx: Context, args: dict[str, Any]) -> Reply:
    if args["word"] == "?":
        return await ask(ctx, "Which one?", [("Alpha", {"word": "alpha"}), ("Beta", {"word": "b"})])
    return Reply(text=f"got {args['word']} with {args['notes']}")


@pytest.fixture
async def asking(
    database_url: str, clock: SimulatedClock, tmp_path: Path
) -> AsyncIterator[Peerpath]:
    if database_url.startswith("postgresql"):
        pytest.skip("the mechanism is database-neutral; its table is covered by migrations")
    registry = Registry()
    registry.add(
        Command(
            name="pick",
            description="Pick a word",
            handler=pick,
            options=(Option("word", "A word"), Option("notes", "Notes", OptionType.TEXT)),
        )
    )
    registry.add_action(CHOOSE)
    engine = db.create_engine(database_url)
    await db.upgrade(engine)
    app = Peerpath(Settings(DATABASE_URL=database_url), clock, registry, engine)
    yield app
    await app.close()


async def test_an_answer_runs_the_command_again_with_what_was_typed(asking: Peerpath) -> None:
    ann = Person(asking, "ann")
    question = await ann.say('/pick ? notes="a long note, kept"')
    assert question.text == "Which one?"
    assert [b.label for b in question.actions] == ["Alpha", "Beta"]
    answered = await ann.press(question.actions[1].id)
    assert answered.text == "got b with a long note, kept"
    again = await ann.press(question.actions[0].id)
    assert again.is_error and "answered already" in again.text


async def test_someone_elses_question_is_not_theirs_to_answer(asking: Peerpath) -> None:
    question = await Person(asking, "ann").say("/pick ?")
    pressed = await Person(asking, "ben").press(question.actions[0].id)
    assert pressed.is_error and pressed.text.startswith("This button is for someone else")
    assert (await Person(asking, "ann").press(question.actions[0].id)).text.startswith("got alpha")


async def test_a_question_expires_after_a_day(asking: Peerpath, clock: SimulatedClock) -> None:
    ann = Person(asking, "ann")
    question = await ann.say("/pick ?")
    clock.advance(timedelta(days=1, minutes=1))
    assert "expired" in (await ann.press(question.actions[0].id)).text
    for forged in ("choose:abc:0", "choose:99999:0", f"{question.actions[0].id}9"):
        assert (await ann.press(forged)).is_error
