"""/prep: a handful of good questions and the etiquette that makes a conversation go well."""

from __future__ import annotations

from typing import Any

from bot import questions
from bot.context import Context
from bot.registry import Action, Command, Option, Registry
from bot.replies import Field, Reply


def prep_reply(field: str | None) -> Reply:
    """Questions chosen for the field when the bank has some, else the general set — never
    the general set under a field's heading."""
    asked, fitting = questions.for_conversation(field)
    title = "Questions for your conversation" + (f" about {field}" if fitting else "")
    numbered = "\n".join(f"{n}. {q}" for n, q in enumerate(asked, start=1))
    fields = [Field("Remember", "\n".join(f"• {r}" for r in questions.REMINDERS))]
    if field and not fitting:
        fields.insert(
            0,
            Field(
                "About your field",
                f"There are no questions written for {field} yet, so these fit any field. "
                "Sharpen them with what your research turned up. Fields with questions of "
                f"their own: {', '.join(f.name for f in questions.FIELDS)}.",
            ),
        )
    return Reply(title=title, text=numbered, fields=fields)


async def prep(ctx: Context, args: dict[str, Any]) -> Reply:
    return prep_reply(args["field"])


async def press_prep(ctx: Context, argument: str) -> Reply:
    return prep_reply(None)


PREP = Action("prep", press_prep)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="prep",
            description="Get good questions to ask in an informational interview",
            handler=prep,
            options=(Option("field", "The field or role you're exploring, e.g. UX research"),),
            example='/prep "data science"',
        )
    )
    registry.add_action(PREP)
