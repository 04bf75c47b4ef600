"""/import on Discord: a file attached to the command's ``file`` option is fetched from
Discord's CDN by the client and reaches the same import as the console's path."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import Peerpath
from bot.models import Contact
from tests.adapters.discord.support import (
    button_ids,
    button_press,
    embed_of,
    running_bot,
    slash_with_file,
)
from tests.fakes.discord_api import FakeDiscord

EXPORT = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    'Jane,Doe,https://www.linkedin.com/in/jane,,"Acme, Inc.",PM,12 Nov 2025\n'
    "Zoë,Ångström,https://www.linkedin.com/in/zoe,,,Engineer,01 Jan 2024\n"
).encode()


@pytest.fixture
def fake(fake_discord: FakeDiscord) -> FakeDiscord:
    return fake_discord


async def test_an_attached_connections_export_is_previewed_then_imported(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake):
        upload = fake.attach("Connections.csv", EXPORT)
        event = await fake.interact(slash_with_file("import", "file", upload))
        preview = (await fake.response_to(event)).json["data"]
        assert fake.downloads == [upload["url"].split("/attachments/")[1]]
        embed = embed_of(preview)
        assert embed["title"] == "Import preview"
        assert embed["description"].startswith("Connections.csv: 2 new contacts to add.")
        assert preview["flags"] == 64  # only the member sees it
        import_id, cancel_id = button_ids(preview)
        assert import_id.startswith("import:") and cancel_id.startswith("import-cancel:")
        pressed = await fake.interact(button_press(fake, preview, import_id))
        done = embed_of((await fake.response_to(pressed)).json["data"])
    assert done["title"] == "Contacts imported"
    async with app.sessions() as session:
        rows = (await session.execute(select(Contact.name, Contact.company_key))).all()
    assert sorted(rows) == [("Jane Doe", "acme"), ("Zoë Ångström", None)]


async def test_a_malformed_attachment_is_refused_naming_its_line(
    app: Peerpath, fake: FakeDiscord
) -> None:
    broken = EXPORT + b'Bob,Lee,https://x,,"Acme,PM,12 Nov 2025\n'
    async with running_bot(app, fake):
        event = await fake.interact(
            slash_with_file("import", "file", fake.attach("Connections.csv", broken))
        )
        answer = embed_of((await fake.response_to(event)).json["data"])
    assert answer["title"] == "That didn't work"
    assert answer["description"].startswith("Line 7 can't be read as CSV")
    async with app.sessions() as session:
        assert (await session.scalars(select(Contact))).all() == []
