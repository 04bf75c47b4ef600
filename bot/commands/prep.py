"""/prep: a handful of good questions and the etiquette that makes a conversation go well."""

from __future__ import annotations

from typing import Any

from bot import questions
from bot.context import Context
from bot.registry import Action, Command, Option, Registry
from bot.replies import Field, Reply


def prep_reply(field: str | None) -> Reply:
    about = f" about {field}" if field else ""
    numbered = "\n".join(f"{n}. {q}" for n, q in enumerate(questions.handful(), start=1))
    return Reply(
        title=f"Questions for your conversation{about}",
        text=numbered,
        fields=[Field("Remember", "\n".join(f"• {r}" for r in questions.REMINDERS))],
    )


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
