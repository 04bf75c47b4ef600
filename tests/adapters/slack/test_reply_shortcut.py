"""Slack's "Log a reply" shortcut with many requests, namesakes and long names: the real
bolt app, a fake Slack, the real core and database."""

from __future__ import annotations

import json
from typing import Any

from bot.app import Peerpath
from tests.adapters.slack.test_http import answer, button_ids
from tests.fakes.slack_requests import SlackSide, picked_date, selected, typed
from tests.fakes.slack_web_api import FakeSlack

JANE, ROSA = "U0JANE", "U0ROSA"


async def reply_form(slack: SlackSide, fake: FakeSlack, author: str, count: int = 1) -> dict:
    await slack.shortcut("log-reply", {"user": author, "text": "Happy to talk"})
    view = (await fake.wait_for("views.open", count))[-1].params["view"]
    return {b.get("block_id"): b for b in view["blocks"]}


def blocks_of_view(view: dict[str, Any]) -> dict[str, Any]:
    return {b.get("block_id"): b for b in view["blocks"]}


def labels(menu: dict[str, Any]) -> list[str]:
    return [o["text"]["text"] for o in menu["options"]]


async def test_the_authors_request_is_offered_and_picked_among_more_than_a_menu_holds(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    fake.people[ROSA] = {"profile": {"real_name": "Rosa Diaz"}}
    await slack.command("outreach", '"Rosa Diaz" company=Initech date=2026-11-02')
    for number in range(104):  # one after another: the newest is the last logged
        sent = await slack.command("outreach", f'"Person {number:03}" date=2026-11-16')
        await answer(fake, sent.response_url)
    blocks = await reply_form(slack, fake, ROSA)
    menu = blocks["request"]["element"]
    assert len(menu["options"]) == 100
    assert labels(menu)[0].startswith("Rosa Diaz (Initech)")
    assert menu["initial_option"]["text"]["text"].startswith("Rosa Diaz")
    assert "Person 103" in labels(menu)[1] and not any("Person 000" in t for t in labels(menu))
    note = blocks["form-note"]["elements"][0]["text"]
    assert "5 more open requests are not listed" in note
    assert "/scheduled" in note and "/declined" in note


async def test_namesakes_are_told_apart_by_company_and_never_picked_for_the_member(
    slack: SlackSide, fake: FakeSlack
) -> None:
    fake.people[JANE] = {"profile": {"real_name": "Jane Doe"}}
    await slack.command("outreach", '"Jane Doe" company=Acme')
    asked = await slack.command("outreach", '"Jane Doe" company=Beta')
    which = await answer(fake, asked.response_url)
    new = button_ids(which)[-1]  # "New contact: Jane Doe (Beta)"
    await answer(fake, (await slack.click(new)).response_url)  # a new contact, at Beta
    blocks = await reply_form(slack, fake, JANE)
    menu = blocks["request"]["element"]
    shown = labels(menu)
    assert len(shown) == 2
    assert any(t.startswith("Jane Doe (Acme)") for t in shown)
    assert any(t.startswith("Jane Doe (Beta)") for t in shown)
    assert menu.get("initial_option") is None


async def test_a_long_name_is_cut_before_the_company_and_day_and_pickers_get_no_typing_hints(
    slack: SlackSide, fake: FakeSlack
) -> None:
    name = "Maximiliana " + "Von-Hohenzollern " * 4 + "Smith"
    await slack.command("outreach", f'"{name}" company=Globex date=2026-11-16')
    await fake.wait_for("response_url")
    blocks = await reply_form(slack, fake, "U0OTHER")
    [label] = labels(blocks["request"]["element"])
    # A date picker's hint says what to pick, not what to type.
    assert blocks["date"]["hint"]["text"] == "The day you'll talk (scheduled)"
    assert len(label) <= 75
    assert label.startswith("Maximiliana Von-Hohenzollern")
    assert "(Globex) — sent" in label and label.endswith("16 Nov")


async def test_form_errors_use_a_forms_words_on_a_field_it_shows(
    slack: SlackSide, fake: FakeSlack
) -> None:
    await slack.command("outreach", '"Kim Park"')
    await fake.wait_for("response_url")
    await slack.shortcut("log-reply", {"user": "U0OTHER", "text": "Sure"})
    view = (await fake.wait_for("views.open"))[-1].params["view"]
    gone = await slack.submit(view, {"request": selected("#999"), "answer": selected("declined")})
    missing = await slack.submit(view, {"answer": selected("declined")})
    request = blocks_of_view(view)["request"]["element"]["options"][0]["value"]
    past = {"request": selected(request), "answer": selected("scheduled")}
    past["date"] = picked_date("2026-11-02")
    too_early = await slack.submit(view, past)
    assert "Example:" not in json.dumps(json.loads(too_early[1])["errors"])
    for status, body in (gone, missing):
        errors = json.loads(body)["errors"]
        assert status == 200 and list(errors) == ["request"]
        text = errors["request"]
        assert "Example:" not in text and "/reply" not in text and "Type" not in text, text
    assert "open it again" in json.loads(gone[1])["errors"]["request"]
    assert json.loads(missing[1])["errors"]["request"].startswith("Fill in request")


async def test_a_stale_edit_form_answers_on_a_field_it_shows(
    slack: SlackSide, fake: FakeSlack
) -> None:
    await slack.command("logged-interview", '"Jane Doe" date=yesterday')
    await fake.wait_for("response_url")
    await slack.click("log-edit:i1")
    view = (await fake.wait_for("views.open"))[-1].params["view"]
    shown = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    await slack.command("undo", "confirm=yes")
    await fake.wait_for("response_url", 2)
    status, body = await slack.submit(view, {"date": picked_date("2026-11-16")})
    errors = json.loads(body)["errors"]
    assert status == 200 and list(errors) == [shown[0]]


async def test_log_as_outreach_suggests_a_long_name_cut_to_what_a_contact_may_be(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    fake.people["U0LONG"] = {"profile": {"real_name": "Bartholomew " * 14}}  # 168 characters
    await slack.shortcut("log-outreach", {"user": "U0LONG", "text": "hi"})
    view = (await fake.wait_for("views.open"))[-1].params["view"]
    [contact] = [b for b in view["blocks"] if b.get("block_id") == "contact"]
    suggested = contact["element"]["initial_value"]
    assert suggested.startswith("Bartholomew Bartholomew") and len(suggested) <= 100
    assert await slack.submit(view, {"contact": typed(suggested)}) == (200, "")
