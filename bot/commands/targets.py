"""/targets: the employers worth learning about, ranked the LAMP way, each with its next
step (the rule itself is in ``bot/services/targets.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import companies, pages, wording
from bot.commands.choosing import ask
from bot.context import Context
from bot.dates import format_date
from bot.errors import UserError
from bot.models import Posting, Target
from bot.registry import Action, Command, Option, OptionType, Registry
from bot.replies import Form, Reply
from bot.services import targets
from bot.services.targets import Advocacy, Ranked, Standing

EXAMPLE = "/targets add company=Acme motivation=3 posting=yes"
PER_PAGE = 15
ADVOCACY_WORDS = {
    Advocacy.NONE: "no one yet",
    Advocacy.CONTACT: "a contact",
    Advocacy.WARM: "a warm tie",
    Advocacy.ADVOCATE: "an advocate",
}
TIMES = {1: "once", 2: "twice"}


async def targets_command(ctx: Context, args: dict[str, Any]) -> Reply:
    action = args["action"] or ("add" if args["company"] else "list")
    if action == "list":
        return await listing(ctx, args["page"] or 1)
    if action == "add":
        return await add(ctx, args)
    if not args["company"]:
        raise UserError(f"Say which employer to {action}.", f"/targets {action} company=Acme")
    target = await _listed(ctx, args["company"], action)
    if isinstance(target, Reply):
        return target
    if action == "remove":
        await ctx.session.delete(target)
        return Reply(title="Target removed", text=f"Removed {target.company} from your targets.")
    return _edit(target, args)


async def add(ctx: Context, args: dict[str, Any]) -> Reply:
    company = args["company"]
    if not company:
        return Reply(
            title="Add a target employer",
            text=f"Name the employer, how much you want to work there (1-3) and whether it "
            f"posts jobs you'd want: {EXAMPLE}",
            form=Form(
                command="targets",
                title="Add a target employer",
                fields=(("company", ""), ("motivation", ""), ("posting", "")),
                hidden=(("action", "add"),),
            ),
        )
    if companies.company_key(company) is None:
        raise UserError("An employer's name needs a letter or digit.", EXAMPLE, option="company")
    existing = await targets.find(ctx.session, ctx.member, company)
    if existing is not None:
        raise UserError(
            f"{existing.company} is already on your list; change it with /targets edit.",
            f"/targets edit company={_quoted(existing.company)} motivation=3",
        )
    listed = [t.company for t in await targets.all_of(ctx.session, ctx.member)]
    if len(listed) >= targets.MAX_TARGETS:
        raise UserError(
            f"Your list holds {targets.MAX_TARGETS} employers already; remove some first.",
            "/targets remove company=Acme",
        )
    close = companies.close_to(company, listed)
    if close is not None and not args["new"]:
        return await ask(
            ctx,
            f"{company} is close to {close}, already on your list. Did you mean {close}?",
            [
                # Meant the listed one: as if typed, it is already there (nothing changes).
                (f"Yes, {close}", {"action": "add", "company": close}),
                (f"No, add {company}", {"new": "yes"}),
            ],
            title="Same employer?",
        )
    motivation, posting = args["motivation"] or 2, args["posting"] or Posting.UNKNOWN.value
    target = targets.add(ctx.session, ctx.member, company, motivation, posting, ctx.now)
    count = len(listed) + 1
    return Reply(
        title="Target added",
        text=f"Added {target.company} (motivation {motivation}, posting {posting}). "
        f"Your list has {wording.plural(count, 'employer')}; /targets shows it ranked.",
    )


async def _listed(ctx: Context, company: str, action: str) -> Target | Reply:
    """The member's target called ``company``, or a question when a listed name is close."""
    found = await targets.find(ctx.session, ctx.member, company)
    if found is not None:
        return found
    listed = [t.company for t in await targets.all_of(ctx.session, ctx.member)]
    close = companies.close_to(company, listed)
    if close is None:
        raise UserError(f"{company} is not on your list of targets.", "/targets")
    return await ask(
        ctx,
        f"{company} is not on your list. Did you mean {close}?",
        [(f"Yes, {action} {close}", {"company": close})],
        title="Which employer?",
    )


def _edit(target: Target, args: dict[str, Any]) -> Reply:
    if args["motivation"] is None and args["posting"] is None:
        raise UserError(
            "Say what to change: motivation (1-3) or posting (yes, no, unknown).",
            f"/targets edit company={_quoted(target.company)} posting=yes",
        )
    target.motivation = args["motivation"] or target.motivation
    target.posting = args["posting"] or target.posting
    return Reply(
        title="Target changed",
        text=f"{target.company}: motivation {target.motivation}, posting {target.posting}.",
    )


async def listing(ctx: Context, page: int) -> Reply:
    ranked = await targets.ranked(ctx.session, ctx.member, ctx.today)
    if not ranked:
        return Reply(
            title="Your target employers",
            text="No targets yet. List 10 or more employers you'd like to learn about, "
            f"then start at the top: {EXAMPLE}",
        )
    start = (page - 1) * PER_PAGE
    if start >= len(ranked):
        raise UserError(f"There is no page {page}: your list has {len(ranked)} employers.")
    lines = [
        line(n, r, ctx.today) for n, r in enumerate(ranked[start : start + PER_PAGE], start + 1)
    ]
    block = pages.fit(lines, pages.TEXT_BUDGET, beyond=max(0, len(ranked) - start - PER_PAGE))
    shown_to = start + block.shown
    actions = [PAGE.button(page + 1, "Next page")] if shown_to < len(ranked) else []
    return Reply(
        title=f"Your target employers ({len(ranked)})",
        text=block.text,
        actions=actions if block.shown == min(PER_PAGE, len(ranked) - start) else [],
    )


def line(number: int, ranked: Ranked, today: date) -> str:
    """``1. Acme — motivation 3, posting yes, advocacy: a warm tie. Next: …``"""
    t, standing = ranked.target, ranked.standing
    return (
        f"{number}. {t.company} — motivation {t.motivation}, posting {t.posting}, advocacy: "
        f"{ADVOCACY_WORDS[standing.advocacy]}. Next: {next_step(standing, today)}"
    )


def next_step(standing: Standing, today: date) -> str:
    """What to do about one employer now, the most pressing thing first."""
    held = TIMES.get(standing.interviews, f"{standing.interviews} times")
    if standing.thanks_pending:
        return f"Interviewed {held}; thank-you pending."
    if standing.scheduled:
        return f"Call scheduled for {format_date(min(standing.scheduled), today)}: /prep."
    if standing.open_sent:
        people = wording.plural(len(standing.open_sent), "person")
        step = targets.next_step_date(standing.open_sent, today)
        when = f"3B7 step on {format_date(step, today)}" if step else "follow-ups done"
        return f"Outreach open to {people} — {when}."
    if standing.interviews:
        return f"Interviewed {held}; reach out to the names they gave you."
    if standing.first_unasked:
        others = standing.unasked - 1
        more = f" ({others} more there not asked yet)" if others else ""
        return f"Reach out to {standing.first_unasked}{more}."
    if standing.contacts:
        return "Everyone you know there was asked; who else works there?"
    return "No contact yet: who do you know there?"


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


async def press_page(ctx: Context, argument: str) -> Reply:
    page = int(argument) if argument.isdigit() and len(argument) < 4 else 1
    return await listing(ctx, page)


PAGE = Action("targets-page", press_page)


def register(registry: Registry) -> None:
    registry.add(
        Command(
            name="targets",
            description="Your target employers, ranked: add, list, edit or remove them",
            handler=targets_command,
            options=(
                Option("action", "What to do", choices=("list", "add", "edit", "remove")),
                Option("company", "The employer, e.g. Acme", max_length=100),
                Option(
                    "motivation",
                    "How much you want to work there: 1 (some) to 3 (dream employer)",
                    OptionType.INTEGER,
                    min_value=1,
                    max_value=3,
                ),
                Option(
                    "posting",
                    "Do they post jobs you'd want?",
                    choices=tuple(p.value for p in Posting),
                ),
                Option("new", "yes: add it although a listed name is close", OptionType.CONFIRM),
                Option(
                    "page",
                    "Which page of a long list",
                    OptionType.INTEGER,
                    min_value=1,
                    max_value=50,
                ),
            ),
            example=EXAMPLE,
        )
    )
    registry.add_action(PAGE)
