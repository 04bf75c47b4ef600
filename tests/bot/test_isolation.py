"""Tenants are sealed: nothing a member of one workspace or guild does can read, change,
export or delete anything of another — through any command, and through button ids
forged to point at the other tenant's rows.

Acme (the victim) fills its workspace with private data: contacts, companies, notes,
outreach, interviews, a group, goals, a pause and planned reminders. Then intruders —
a member of another console workspace, a member there who has *the same user id* as
Acme's member, and a Discord guild whose id equals Acme's — run every command
(as admins, in a channel named like Acme's group) and press every button action with
the id of every Acme row. Afterwards Acme's rows are exactly as they were, and no
reply to an intruder carried any of Acme's words.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import timedelta

from sqlalchemy import select

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.models import Base, Contact, Group, Interview, Member, Nudge, Outreach, Workspace
from bot.nudges.kinds import Kind, Subject, about
from bot.replies import Reply
from scheduling.runner import run_until
from tests.support import Person, RecordingNotifier, outbox

SECRETS = ("Zelda Acmecontact", "Acmecorp Ltd", "acme-private-note", "Bob Acmereferral")
# Words no intruder ever types, so finding one in an intruder's reply is a leak. (Contact
# names are typed by intruders too — their own contacts may share a name.)
NEVER_TYPED = SECRETS[1:3]
OUTREACH_KINDS = {Kind.SECOND_PERSON, Kind.FOLLOW_UP, Kind.PREP, Kind.HOW_DID_IT_GO}
VICTIM = "acme"


async def fill_victim(app: Peerpath) -> None:
    admin = Person(app, "ann", workspace=VICTIM, is_admin=True)
    other = Person(app, "ben", workspace=VICTIM)
    await admin.say("/group-setup tz=Europe/Berlin outreach=3 interviews=1")
    steps = [
        f'/outreach "{SECRETS[0]}" company="{SECRETS[1]}" via=linkedin',
        f'/logged-interview "{SECRETS[0]}" company="{SECRETS[1]}" date=yesterday '
        f'notes="{SECRETS[2]}" referrals="{SECRETS[3]}"',
        f'/outreach "{SECRETS[3]}" company="{SECRETS[1]}"',
        f'/scheduled "{SECRETS[3]}" date=friday',
        '/outreach "Carol Acmeonly"',
        "/goal outreach=4 interviews=2",
        "/pause weeks=1 from=2026-12-07",
        "/settings tz=America/New_York hour=8",
    ]
    for line in steps:
        reply = await admin.say(line)
        assert not reply.is_error, (line, reply.text)
    assert not (await other.say(f'/outreach "{SECRETS[0]}" company="{SECRETS[1]}"')).is_error


async def victim_rows(app: Peerpath) -> dict[str, list[tuple]]:
    """Every row that belongs to the victim workspace, table by table."""
    async with app.sessions() as session:
        workspace = await session.scalar(
            select(Workspace.id).where(Workspace.external_id == VICTIM)
        )
        members = set(
            await session.scalars(select(Member.id).where(Member.workspace_id == workspace))
        )
        groups = set(await session.scalars(select(Group.id).where(Group.workspace_id == workspace)))
        found: dict[str, list[tuple]] = {}
        for name, table in Base.metadata.tables.items():
            columns = table.c
            if "workspace_id" in columns:
                where = columns.workspace_id == workspace
            elif "member_id" in columns:
                where = columns.member_id.in_(members)
            elif "group_id" in columns:
                where = columns.group_id.in_(groups)
            elif name == "workspaces":
                where = columns.id == workspace
            else:
                continue
            rows = (await session.execute(select(table).where(where))).all()
            found[name] = sorted((tuple(r) for r in rows), key=repr)
    return found


async def victim_ids(app: Peerpath) -> list[int]:
    """The id of every victim row a button could name."""
    async with app.sessions() as session:
        workspace = await session.scalar(
            select(Workspace.id).where(Workspace.external_id == VICTIM)
        )
        ids: set[int] = set()
        for model in (Contact, Interview, Outreach, Nudge, Member, Group):
            ids.update(
                await session.scalars(select(model.id).where(model.workspace_id == workspace))
            )
    return sorted(ids)


async def foreign_references(app: Peerpath) -> list[tuple]:
    """Rows whose reference (contact, outreach, reminder subject) crosses into another
    workspace: none may exist, even when nothing of the other tenant was shown."""
    interview, outreach, nudge = Interview.__table__, Outreach.__table__, Nudge.__table__
    contact = Contact.__table__
    about_interviews = [k.value for k in about(Subject.INTERVIEW)]
    checks = [
        select(outreach.c.id)
        .join(contact, contact.c.id == outreach.c.contact_id)
        .where(contact.c.member_id != outreach.c.member_id),
        select(interview.c.id)
        .join(contact, contact.c.id == interview.c.contact_id)
        .where(contact.c.member_id != interview.c.member_id),
        select(nudge.c.id)
        .join(interview, interview.c.id == nudge.c.subject_id)
        .where(nudge.c.kind.in_(about_interviews), interview.c.member_id != nudge.c.member_id),
        select(nudge.c.id)
        .join(outreach, outreach.c.id == nudge.c.subject_id)
        .where(
            nudge.c.kind.in_([k.value for k in OUTREACH_KINDS]),
            outreach.c.member_id != nudge.c.member_id,
        ),
    ]
    async with app.sessions() as session:
        return [row for check in checks for row in (await session.execute(check)).all()]


def shown(reply: Reply) -> str:
    """Everything a reply would put in front of its reader, files included."""
    parts = [json.dumps(asdict(reply), default=repr)]
    for item in (reply.image, reply.attachment):
        if item is not None:
            parts.append(item.content.decode("utf-8", "replace"))
    return "\n".join(parts)


class TenantNotifier(RecordingNotifier):
    """Records DMs as ``workspace/user``: the same user id may live in two workspaces."""

    async def send_dm(self, workspace_id: str, user_id: str, reply: Reply, keys=()) -> None:
        await super().send_dm(workspace_id, f"{workspace_id}/{user_id}", reply, keys)


def intruders(app: Peerpath) -> list[Person]:
    return [
        Person(app, "eve", workspace="globex", channel="general", is_admin=True),
        # The same platform user id as the victim's admin, in another workspace.
        Person(app, "ann", workspace="globex", channel="general", is_admin=True),
        # The victim's workspace id, on another platform.
        Person(app, "ann", workspace=VICTIM, channel="general", platform="discord", is_admin=True),
    ]


async def test_no_command_or_forged_button_reaches_another_tenant(
    app: Peerpath, clock: SimulatedClock
) -> None:
    await fill_victim(app)
    before = await victim_rows(app)
    assert before["interviews"] and before["nudges"] and before["pauses"]
    targets = await victim_ids(app)
    leaks: list[str] = []

    def attempt(what: str, reply: Reply) -> None:
        text = shown(reply)
        leaks.extend(f"{what}: {s!r}" for s in NEVER_TYPED if s in text)

    for person in intruders(app):
        for command in app.registry:
            texts = {command.example.partition(" ")[2], f'"{SECRETS[0]}"', f'"{SECRETS[3]}"'}
            for text in texts:
                line = f"/{command.name} {text}"
                attempt(line, await person.say(line))
        for name in app.registry.actions:
            for target in targets:
                action = f"{name}:{target}"
                attempt(action, await person.press(action))
        # Autocomplete offers the intruder's own contacts only (they typed that name too).
        names = await app.contact_names(person.invocation(), "Zelda")
        assert names in ([], [SECRETS[0]])
    assert await victim_rows(app) == before
    assert await foreign_references(app) == []
    # Reminders the intruders' presses may have planned go out over the next weeks:
    # none may speak of the victim's data either.
    console, discord = TenantNotifier(), TenantNotifier()
    await run_until(
        outbox(app, {"console": console, "discord": discord}),
        clock,
        clock.now() + timedelta(weeks=3),
    )
    received = [m for m in console.received if not m.target.startswith(f"{VICTIM}/")]
    for message in received + discord.received:
        attempt(f"reminder to {message.target}", message.reply)
    assert leaks == []


async def test_the_victims_own_view_is_unchanged_by_intruders(app: Peerpath) -> None:
    """What the victim sees afterwards still lists exactly their own work."""
    await fill_victim(app)
    victim = Person(app, "ann", workspace=VICTIM)
    before = (await victim.say("/pending")).fields
    for person in intruders(app):
        await person.say(f'/thanked "{SECRETS[0]}"')
        await person.say(f'/declined "{SECRETS[3]}"')
        await person.say("/forget-me confirm=yes")
    after = (await victim.say("/pending")).fields
    assert after == before
    assert SECRETS[0] in json.dumps([asdict(f) for f in after])
