"""Every reply has a title and reads plainly: each command's own example, its refusals and
its questions, run in one workspace."""

from __future__ import annotations

from bot.app import Peerpath
from tests.support import Person


async def test_every_reply_has_a_title_and_no_markdown(app: Peerpath) -> None:
    ann = Person(app, "ann", is_admin=True)
    replies = []
    for command in app.registry:
        replies.append(await ann.say(command.example))
        replies.append(await ann.say(f"/{command.name}"))
    for line in (
        '/outreach "Jane Roe"',  # close to Jane Doe: a question
        "/thanked",
        "/undo",
        "/history",
        "/scheduled Nobody date=friday",
        "/leave",
    ):
        replies.append(await ann.say(line))
    for reply in replies:
        assert reply.title, reply.text
        assert "*" not in reply.text, reply.text
