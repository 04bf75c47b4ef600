"""/import on Slack: a slash command carries no file, so ``/import`` alone opens a form
with a file picker; the submitted form names the picked file (Slack's ``files``), which
the app downloads with its token and hands to the same import as the console's path."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.app import Peerpath
from bot.models import Contact
from tests.adapters.slack.test_http import answer, button_ids
from tests.fakes.slack_requests import SlackSide
from tests.fakes.slack_web_api import FakeSlack

EXPORT = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    'Jane,Doe,https://www.linkedin.com/in/jane,,"Acme, Inc.",PM,12 Nov 2025\n'
    "Zoë,Ångström,https://www.linkedin.com/in/zoe,,,Engineer,01 Jan 2024\n"
).encode()


def picked(file: dict[str, Any]) -> dict[str, Any]:
    """A file_input's state in a view_submission."""
    return {"type": "file_input", "files": [file]}


async def form(slack: SlackSide, fake: FakeSlack) -> tuple[Any, dict[str, Any]]:
    sent = await slack.command("import")
    view = (await fake.wait_for("views.open"))[0].params["view"]
    return sent, view


async def test_a_picked_file_is_previewed_then_imported(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    sent, view = await form(slack, fake)
    (block,) = view["blocks"]
    assert block["element"] == {
        "type": "file_input",
        "action_id": "file",
        "filetypes": ["csv", "txt"],
        "max_files": 1,
    }
    file = fake.share("Connections.csv", EXPORT)
    assert await slack.submit(view, {"file": picked(file)}) == (200, "")
    preview = await answer(fake, sent.response_url)
    (download,) = fake.called("download")
    assert download.params == {"file_id": file["id"], "authorization": "Bearer xoxb-test"}
    assert preview["response_type"] == "ephemeral"
    assert preview["blocks"][0]["text"]["text"] == "Import preview"
    assert "Connections.csv: 2 new contacts to add." in preview["text"]
    import_id, cancel_id = button_ids(preview)
    assert cancel_id.startswith("import-cancel:")
    pressed = await slack.click(import_id)
    done = await answer(fake, pressed.response_url)
    assert "Added 2 contacts from Connections.csv." in done["text"]
    async with app.sessions() as session:
        rows = (await session.execute(select(Contact.name, Contact.company))).all()
    assert sorted(rows) == [("Jane Doe", "Acme, Inc."), ("Zoë Ångström", None)]


async def test_a_malformed_file_is_refused_on_the_form_naming_its_line(
    app: Peerpath, slack: SlackSide, fake: FakeSlack
) -> None:
    _, view = await form(slack, fake)
    broken = fake.share("Connections.csv", EXPORT + b'Bob,Lee,https://x,,"Acme,PM,1 Nov 2025\n')
    status, body = await slack.submit(view, {"file": picked(broken)})
    assert status == 200 and '"response_action":"errors"' in body.replace(" ", "")
    assert "Line 7 can't be read as CSV" in body
    async with app.sessions() as session:
        assert (await session.scalars(select(Contact))).all() == []


async def test_text_typed_for_the_file_says_how_to_attach_one(
    slack: SlackSide, fake: FakeSlack
) -> None:
    sent = await slack.command("import", "file=/etc/passwd")
    refused = await answer(fake, sent.response_url)
    assert refused["blocks"][0]["text"]["text"] == "That didn't work"
    assert "`file` takes a file, not text: on Slack, run the command alone" in refused["text"]
    assert fake.called("download") == []
