"""/pending and the home view with long lists: paged by the core, every item reachable,
nothing for a renderer to cut, and short lists as they always were."""

from __future__ import annotations

import re

from adapters.discord.render import SHORTENED, render
from adapters.slack.blocks import escape, reply_blocks
from bot.app import Peerpath
from bot.lengths import shown_length
from bot.pages import FIELD_BUDGET
from bot.replies import Reply
from bot.services.contacts import MAX_NAME
from tests.support import Person

THANKS, WAITING = 60, 40
MORE = re.compile(r"^…and (\d+) more$")


def contact(kind: str, n: int) -> str:
    """A contact name as long as allowed, full of what grows when rendered: emoji, ``&``,
    markup."""
    return (f"{kind}{n:02d} 😀 Ann & <b>Lee</b> *x* " + "é😀&" * 70)[:MAX_NAME]


async def fill(app: Peerpath, person: Person) -> None:
    """60 thank-yous due and 40 outreach awaiting a reply, with the longest names allowed."""
    logged = app.registry.commands["logged-interview"]
    reached = app.registry.commands["outreach"]
    for n in range(THANKS):
        # "#new:" says it is someone new: these names are all alike, on purpose.
        args = {"contact": "#new:" + contact("T", n), "company": "&" * 200, "date": "yesterday"}
        assert not (await app.run(person.invocation(), logged, args)).is_error
    for n in range(WAITING):
        args = {"contact": "#new:" + contact("W", n), "company": "Acme & Co <3"}
        assert not (await app.run(person.invocation(), reached, args)).is_error


def more_button(reply: Reply) -> str | None:
    ids = [b.id for b in reply.actions if b.id.startswith("pending-more:")]
    assert len(ids) <= 1 and (not ids or reply.actions[-1].id == ids[0])
    return ids[0] if ids else None


def assert_nothing_is_cut(reply: Reply) -> None:
    """Both renderers show every field whole: no "…", no "shortened" footer."""
    embed = render(reply).embed
    assert embed.footer.text != SHORTENED
    assert [f.value for f in embed.fields] == [f.value for f in reply.fields]
    sections = [b.to_dict() for b in reply_blocks(reply) if b.type == "section"]
    texts = [t["text"] for s in sections for t in [s.get("text"), *s.get("fields", [])] if t]
    for f in reply.fields:
        assert f"*{escape(f.name)}*\n{escape(f.value)}" in texts
        assert shown_length(f.value) <= FIELD_BUDGET


async def every_page(person: Person, first: Reply) -> list[Reply]:
    """``first`` and every page after it, by pressing "Show more" until it is gone."""
    found = [first]
    while (button := more_button(found[-1])) is not None:
        found.append(await person.press(button))
        assert len(found) < 100
    return found


async def test_long_lists_page_until_every_item_was_shown_with_its_button(
    app: Peerpath, ann: Person
) -> None:
    await fill(app, ann)
    replies = await every_page(ann, await ann.say("/pending"))
    assert len(replies) > 1
    seen: dict[str, list[str]] = {"Thank-you notes": [], "Awaiting a reply": []}
    thanked_buttons = 0
    for page in replies:
        assert_nothing_is_cut(page)
        for kind in seen:
            fields = [f for f in page.fields if f.name.startswith(kind)]
            if not fields:
                continue
            total = int(re.findall(r"\d+", fields[0].name)[-1])  # "(60)", "11–20 of 60"
            assert all(f.name == f"{kind} (continued)" for f in fields[1:])
            lines = [line for f in fields for line in f.value.split("\n")]
            mores = [n for n, line in enumerate(lines) if MORE.match(line)]
            assert mores in ([], [len(lines) - 1])  # only the list's last line on the page
            items = lines[: mores[0]] if mores else lines
            assert len(items) <= 10
            seen[kind] += [line[2:5] for line in items]  # "• T07 …" → "T07"
            if mores:  # "…and N more" counts exactly what is left after this page
                assert int(MORE.match(lines[-1]).group(1)) == total - len(seen[kind])  # type: ignore[union-attr]
            else:
                assert len(seen[kind]) == total
            if kind == "Thank-you notes":
                buttons = [b for b in page.actions if b.id.startswith("thanked:")]
                assert len(buttons) == len(items)  # every thank-you on the page has its button
                assert all(len(b.label) <= 75 for b in buttons)
                assert all(b.label.startswith("Thank-you sent: T") for b in buttons)
                thanked_buttons += len(buttons)
    assert sorted(seen["Thank-you notes"]) == [f"T{n:02d}" for n in range(THANKS)]  # each once
    assert sorted(seen["Awaiting a reply"]) == [f"W{n:02d}" for n in range(WAITING)]
    assert thanked_buttons == THANKS
    assert replies[1].title == "Pending (continued)"
    later = [b for page in replies[1:] for b in page.actions if b.id.startswith("thanked:")]
    assert (await ann.press(later[-1].id)).title == "Thank-you sent"  # a button from far on


async def test_the_home_view_pages_the_same_way(app: Peerpath, ann: Person) -> None:
    await fill(app, ann)
    home = await app.home(ann.invocation())
    assert [f.name for f in home.fields][:2] == ["This week", "Streak"]
    assert_nothing_is_cut(home)
    button = more_button(home)
    assert button is not None
    assert (await ann.press(button)).title == "Pending (continued)"


async def test_short_lists_show_as_before(app: Peerpath, ann: Person) -> None:
    for n in range(3):
        await ann.say(f'/logged-interview "Jane {n}" date=yesterday')
    reply = await ann.say("/pending")
    assert [f.name for f in reply.fields] == ["Thank-you notes (3)"]
    assert len(reply.fields[0].value.splitlines()) == 3 and "more" not in reply.fields[0].value
    assert [b.id.partition(":")[0] for b in reply.actions] == ["thanked"] * 3
    assert more_button(reply) is None


async def test_eleven_items_show_ten_then_one(app: Peerpath, ann: Person) -> None:
    for n in range(11):
        await ann.say(f'/outreach "Lead {n}"')
    first = await ann.say("/pending")
    assert first.fields[0].value.splitlines()[-1] == "…and 1 more"
    second = await ann.press(more_button(first) or "")
    assert [f.name for f in second.fields] == ["Awaiting a reply 11–11 of 11"]
    assert more_button(second) is None


async def test_a_damaged_show_more_button_is_explained(ann: Person) -> None:
    for button in ("pending-more:1:2", "pending-more:a:b:c", "pending-more:1:2:9999999"):
        reply = await ann.press(button)
        assert reply.is_error and "run /pending again" in reply.text
    await ann.say('/outreach "Jane Doe"')
    gone = await ann.press("pending-more:50:50:50")  # the lists shrank since it was shown
    assert "That was everything" in gone.text
