"""Slack's shortcuts end to end: the real bolt app, a fake Slack, the real core and database.

Each shortcut opens its form; its submission is stored as the typed command would store it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.app import Peerpath
from bot.models import Contact, Interview, Outreach
from tests.fakes.slack_requests import ANN, SlackSide, picked_date, selected, typed
from tests.fakes.slack_web_api import FakeSlack

JANE = "U0JANE"  # in the workspace, never used peerpath
BOB = "U0BOB"  # a peerpath member
LINK = "https://acme.slack.com/archives/C0GENERAL/p1733000000000100"


def people(fake: FakeSlack) -> None:
    fake.people[JANE] = {"profile": {"real_name": "Jane Doe", "display_name": "jane"}}
    fake.people[BOB] = {"profile": {"real_name": "Bob Lee", "display_name": "bob"}}
    fake.people["U0GUEST"] = {"team_id": "T0OTHER", "profile": {"real_name": "Gus Other"}}


async def opened_form(fake: FakeSlack, count: int = 1) -> dict[str, Any]:
    return (await fake.wait_for("views.open", count))[-1].params["view"]


def blocks_of(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"]}


async def answered(fake: FakeSlack, url: str) -> dict[str, Any]:
    calls = await fake.wait_for("response_url", where=lambda c: c.params["_url"] == url)
    return calls[-1].params


async def requests(app: Peerpath) -> dict[str, Outreach]:
    async with app.sessions() as session:
        rows = await session.execute(
            select(Outreach, Contact.name).join(Contact, Contact.id == Outreach.contact_id)
        )
        return {name: request for request, name in rows}


async def test_log_as_outreach_suggests_the_author_and_keeps_the_link(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    people(fake)
    sent = await slack.shortcut("log-outreach", {"user": JANE, "text": "Happy to chat!"})
    assert (sent.status, sent.body) == (200, "")
    view = await opened_form(fake)
    blocks = blocks_of(view)
    assert list(blocks) == ["contact", "company", "via", "date", "how", "notes"]
    assert blocks["contact"]["element"]["initial_value"] == "Jane Doe"
    assert blocks["notes"]["element"]["initial_value"] == LINK
    assert json.loads(view["private_metadata"])["response_url"] == sent.response_url
    values = {
        "contact": typed("Jane Doe"),
        "company": typed("Acme"),
        "via": selected("linkedin"),
        "notes": typed(LINK),
    }
    assert await slack.submit(view, values) == (200, "")
    answer = await answered(fake, sent.response_url)
    assert answer["response_type"] == "ephemeral" and "Jane Doe" in answer["text"]
    request = (await requests(app))["Jane Doe"]
    assert (request.via, request.notes, request.status) == ("linkedin", LINK, "sent")


async def test_log_as_outreach_suggests_only_people_who_are_not_members(
    slack: SlackSide, fake: FakeSlack
) -> None:
    people(fake)
    await slack.command("pending", user=BOB)  # Bob uses peerpath: a peer, not a contact
    cases = [
        {"user": BOB, "text": "Good luck!"},
        {"user": ANN, "text": "my own message"},
        {"user": "U0GUEST", "text": "from another organisation"},
        {"bot_id": "B0CAL", "username": "calendar", "text": "Event in 10 minutes"},
    ]
    for number, message in enumerate(cases, start=1):
        await slack.shortcut("log-outreach", message)
        view = await opened_form(fake, number)
        contact = blocks_of(view)["contact"]["element"]
        assert contact.get("initial_value") is None, message
        assert blocks_of(view)["notes"]["element"]["initial_value"] == LINK


async def test_log_a_reply_offers_open_requests_and_stores_scheduled_or_declined(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    people(fake)
    await slack.command("outreach", '"Jane Doe" company=Acme')
    await slack.command("outreach", '"Kim Park"')
    await fake.wait_for("response_url", 2)
    sent = await slack.shortcut("log-reply", {"user": JANE, "text": "Sure, Friday works"})
    view = await opened_form(fake)
    blocks = blocks_of(view)
    assert list(blocks) == ["request", "answer", "date", "time"]
    menu = blocks["request"]["element"]
    assert menu["type"] == "static_select"
    labels = [o["text"]["text"] for o in menu["options"]]
    assert len(labels) == 2 and any(label.startswith("Jane Doe (Acme)") for label in labels)
    assert menu["initial_option"]["text"]["text"].startswith("Jane Doe")  # the author's
    jane = menu["initial_option"]["value"]
    kim = next(o["value"] for o in menu["options"] if o["value"] != jane)

    no_day = await slack.submit(view, {"request": selected(jane), "answer": selected("scheduled")})
    refused = json.loads(no_day[1])
    assert refused["response_action"] == "errors" and list(refused["errors"]) == ["date"]

    day = (app.clock.now() + timedelta(days=3)).date().isoformat()
    chosen = {"request": selected(jane), "answer": selected("scheduled"), "date": picked_date(day)}
    assert await slack.submit(view, chosen) == (200, "")
    assert "Interview scheduled" in (await answered(fake, sent.response_url))["text"]

    second = await slack.shortcut("log-reply", {"user": "U0KIM", "text": "Not now, sorry"})
    view = await opened_form(fake, 2)
    assert blocks_of(view)["request"]["element"].get("initial_option") is None
    assert await slack.submit(view, {"request": selected(kim), "answer": selected("declined")}) == (
        200,
        "",
    )
    assert "declined" in (await answered(fake, second.response_url))["text"]
    stored = await requests(app)
    assert stored["Jane Doe"].status == "scheduled"
    assert stored["Jane Doe"].scheduled_for.isoformat() == day
    assert stored["Kim Park"].status == "declined"


async def test_log_a_reply_without_open_outreach_says_what_to_do(
    slack: SlackSide, fake: FakeSlack
) -> None:
    sent = await slack.shortcut("log-reply", {"user": JANE, "text": "Yes!"})
    answer = await answered(fake, sent.response_url)
    assert answer["response_type"] == "ephemeral"
    assert "no outreach waiting for a reply" in answer["text"]
    assert not fake.called("views.open")


async def test_log_an_interview_from_anywhere_opens_its_form_and_answers_in_the_dm(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    sent = await slack.shortcut("log-interview")
    assert (sent.status, sent.body) == (200, "")
    view = await opened_form(fake)
    assert list(blocks_of(view))[:2] == ["contact", "company"]
    assert "notes" in blocks_of(view)
    assert await slack.submit(view, {"contact": typed("Ada Byron"), "role": typed("CTO")}) == (
        200,
        "",
    )
    in_dm = await fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"][0] == "D")
    [posted] = in_dm
    assert posted.params["channel"] == "D" + ANN.lstrip("U")
    assert "Interview logged" in posted.params["text"]
    async with app.sessions() as session:
        assert await session.scalar(select(Interview.id)) is not None


# ---- the App Home tab as a place to act --------------------------------------------------


async def home_view(fake: FakeSlack, count: int) -> dict[str, Any]:
    return (await fake.wait_for("views.publish", count))[-1].params["view"]


def home_buttons(view: dict[str, Any]) -> dict[str, str]:
    """label → action id of every button on a view."""
    return {
        element["text"]["text"]: element["action_id"]
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }


async def test_home_buttons_open_the_commands_forms_and_answer_on_home(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    await slack.command("logged-interview", '"Jane Doe" date=yesterday')
    await fake.wait_for("views.publish")  # data changed: Home follows
    assert await slack.event({"type": "app_home_opened", "user": ANN, "tab": "home"}) == 200
    published = len(await fake.wait_for("views.publish", 2))
    buttons = home_buttons(await home_view(fake, published))
    assert list(buttons)[:3] == ["Log outreach", "Log an interview", "Open my history"]
    assert "Thank-you sent: Jane Doe" in buttons

    await slack.click(buttons["Log outreach"], type="view", view_id="V0HOME")
    view = await opened_form(fake)
    assert list(blocks_of(view)) == ["contact", "company", "via", "date", "how", "notes"]
    assert json.loads(view["private_metadata"])["home"] is True
    assert await slack.submit(view, {"contact": typed("Kim Park")}) == (200, "")
    after = await home_view(fake, published + 1)
    assert after["blocks"][0]["text"]["text"].startswith("*Outreach logged*")
    assert "Kim Park" in (await requests(app))

    await slack.click(buttons["Log an interview"], type="view", view_id="V0HOME")
    view = await opened_form(fake, 2)
    assert "referrals" in blocks_of(view)
    assert await slack.submit(view, {"contact": typed("Kim Park")}) == (200, "")
    await fake.wait_until(lambda: len(fake.called("views.publish")) >= published + 2)

    await slack.click(buttons["Open my history"], type="view", view_id="V0HOME")
    shown = await home_view(fake, published + 3)
    assert shown["blocks"][0]["text"]["text"].startswith("*Your last 3 logs*")
    assert any(label.startswith("Open") for label in home_buttons(shown))

    await slack.click(buttons["Thank-you sent: Jane Doe"], type="view", view_id="V0HOME")
    thanked = await home_view(fake, published + 4)
    assert thanked["blocks"][0]["text"]["text"].startswith("*Thank-you sent*")
    async with app.sessions() as session:
        rows = (await session.scalars(select(Interview).order_by(Interview.id))).all()
    assert len(rows) == 2 and rows[0].thanked_at is not None
