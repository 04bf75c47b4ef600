"""Input on Slack, where the member's locale is unknown: ambiguous dates are asked about,
an over-long note comes back to the member as a file, and every option kind has its
Block Kit element."""

from __future__ import annotations

from sqlalchemy import select

from adapters.slack.blocks import ELEMENTS, command_modal
from bot.app import Peerpath
from bot.models import Interview, Outreach
from bot.option_types import Kind, Option, OptionType
from bot.registry import Command
from bot.replies import Reply
from tests.adapters.slack.test_http import answer, button_ids
from tests.fakes.slack_requests import SlackSide
from tests.fakes.slack_web_api import FakeSlack
from tests.support import count


async def test_a_slashed_date_is_asked_about_and_the_answer_is_saved(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    reached = await slack.command("outreach", '"Jane Doe"')
    await answer(fake, reached.response_url)
    sent = await slack.command("scheduled", '"Jane Doe" date=3/4')
    question = await answer(fake, sent.response_url)
    assert question["response_type"] == "ephemeral"
    assert question["blocks"][0]["text"]["text"] == "Which did you mean?"
    labels = [
        element["text"]["text"]
        for block in question["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert labels == ["Sat 3 Apr 2027", "Thu 4 Mar 2027"]
    clicked = await slack.click(button_ids(question)[0])
    update = await answer(fake, clicked.response_url)
    assert update["blocks"][0]["text"]["text"] == "Interview scheduled"
    async with app.sessions() as session:
        assert str(await session.scalar(select(Outreach.scheduled_for))) == "2027-04-03"


async def test_an_over_long_note_is_refused_by_name_and_comes_back_as_a_file(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    notes = "Talked about the team's roadmap. " * 100
    sent = await slack.command("logged-interview", f'"Jane Doe" notes="{notes}"')
    message = await answer(fake, sent.response_url)
    assert message["response_type"] == "ephemeral"
    assert "notes: 3,299 characters; at most 3,000 — nothing was saved" in message["text"]
    [done] = await fake.wait_for("files.completeUploadExternal")
    assert done.params["channel_id"] == "D0ANN"  # back to the member alone
    [upload] = fake.called("upload")
    assert upload.params["body"] == notes.strip().encode()
    assert await count(app, Interview) == 0


def test_every_kind_of_option_has_a_block_kit_element() -> None:
    assert set(ELEMENTS) == set(Kind)

    async def nothing(ctx, args) -> Reply:
        return Reply(text="")

    every = Command(
        "every",
        "Every type",
        nothing,
        options=(
            Option("name", "Name", OptionType.CONTACT),
            Option("notes", "Notes", OptionType.TEXT, max_length=9000),
            Option("n", "N", OptionType.INTEGER, min_value=1, max_value=9),
            Option("on", "On", OptionType.BOOLEAN),
            Option("day", "Day", OptionType.DATE),
            Option("confirm", "Yes", OptionType.CONFIRM),
        ),
    )
    blocks = command_modal(every, {}).to_dict()["blocks"]
    elements = {b["block_id"]: b["element"] for b in blocks}
    assert elements["notes"] == {
        "type": "plain_text_input",
        "action_id": "notes",
        "multiline": True,
        "max_length": 3000,  # Block Kit's own limit
    }
    assert (elements["n"]["min_value"], elements["n"]["max_value"]) == ("1", "9")
    assert [o["value"] for o in elements["on"]["options"]] == ["on", "off"]
    assert elements["day"]["type"] == "datepicker"
    assert [o["value"] for o in elements["confirm"]["options"]] == ["yes"]
    assert elements["name"]["type"] == "plain_text_input"
