"""The member's overview: what a Slack App Home tab (or any "home" screen) shows.

It is not a slash command: the registry holds it (:attr:`Registry.home`), and adapters
ask for it through :meth:`Peerpath.home`.
It reuses /goal's progress line and /pending's lists, so the three never
disagree, and anything added here shows up on every home screen without
touching adapters.

It is also a place to act: buttons open the forms of the commonest commands (the same
forms the commands open) and show /history; each thank-you waiting has its own
**Thank-you sent** button, as in /pending.
"""

from __future__ import annotations

from bot import wording
from bot.commands.goals import week_and_streak
from bot.commands.overview import pending
from bot.context import Context
from bot.errors import UserError
from bot.registry import Action, Registry
from bot.replies import Button, ButtonStyle, Field, Form, Reply

HOME_TITLE = "Your peerpath"
# The commands whose forms Home opens, with the button's label (also the form's title).
FORMS = {"outreach": "Log outreach", "logged-interview": "Log an interview"}
# The commands whose answer Home shows, with the button's label.
SHOWN = {"history": "Open my history"}
NEWCOMER = (
    "Nothing logged yet. Log your first outreach with the button below (or /outreach): "
    "your week, streak and what is waiting then show here."
)
DAMAGED = "That button is damaged; the commands do the same: /outreach, /history."


async def home_reply(ctx: Context) -> Reply:
    """This week against the goal, the streak, and what is waiting (with buttons)."""
    this_week, streak = await week_and_streak(ctx)
    waiting = await pending(ctx, {})
    progress = wording.progress(this_week, ctx.today)
    if this_week.paused:
        progress += " (paused)"
    return Reply(
        title=HOME_TITLE,
        text=waiting.text,
        fields=[
            Field("This week", progress, inline=True),
            Field("Streak", wording.streak(streak), inline=True),
            *waiting.fields,
        ],
        actions=[*_buttons(), *waiting.actions],
    )


def newcomer_reply() -> Reply:
    """Home for someone peerpath does not know yet: opening a tab is no command, so it is
    shown without making them a member, with the same buttons."""
    return Reply(title=HOME_TITLE, text=NEWCOMER, actions=_buttons())


def _buttons() -> list[Button]:
    """The buttons every Home has: the commonest forms, and the history."""
    return [
        *(FORM.button(name, label, ButtonStyle.PRIMARY) for name, label in FORMS.items()),
        *(SHOW.button(name, label) for name, label in SHOWN.items()),
    ]


async def press_form(ctx: Context, argument: str) -> Reply:
    """The command's whole form, empty, as typing the command without options opens it."""
    if argument not in FORMS:
        raise UserError(DAMAGED)
    return Reply(
        title=FORMS[argument],
        text=f"Fill in the form; typed, /{argument} does the same.",
        form=Form(argument, FORMS[argument], (), all_options=True),
    )


async def press_show(ctx: Context, argument: str) -> Reply:
    """What the command answers when typed without options."""
    if argument not in SHOWN or ctx.run_command is None:
        raise UserError(DAMAGED)
    return await ctx.run_command(argument, {})


FORM = Action("form", press_form)
SHOW = Action("show", press_show)


def register(registry: Registry) -> None:
    registry.home = home_reply
    registry.newcomer_home = newcomer_reply
    registry.add_action(FORM)
    registry.add_action(SHOW)
