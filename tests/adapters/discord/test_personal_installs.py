"""Personal installs on Discord: real discord.py, real core and database, fake Discord.

A member who installs peerpath to their own account logs from DMs and from servers
without the bot; their logs live in a personal workspace and count on the boards of the
servers they use peerpath in.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from bot.app import Peerpath
from bot.cli import main
from bot.commands.catalog import build_registry
from bot.models import Contact, Member, Outreach, Workspace
from tests.adapters.discord.support import embed_of, running_bot, slash
from tests.fakes.discord_api import APPLICATION_ID, FakeDiscord, personal_interaction

GLOBAL_COMMANDS = rf"/applications/{APPLICATION_ID}/commands"
DM_CHANNEL = "810000000000000001"
OTHER_SERVER = "820000000000000001"  # a server where peerpath is not installed
OTHER_CHANNEL = "820000000000000002"
EPHEMERAL = 64


@pytest.fixture
def fake(fake_discord: FakeDiscord) -> FakeDiscord:
    return fake_discord


def personal_slash(name: str, user: str, guild_id: str | None = None, **options: Any) -> dict:
    """``/name`` through the member's own install: from a DM, or from a server without
    the bot when ``guild_id`` is given."""
    data = {
        "name": name,
        "type": 1,
        "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()],
    }
    channel = OTHER_CHANNEL if guild_id else DM_CHANNEL
    return personal_interaction(user, 2, data, channel, guild_id)


async def answer_to(fake: FakeDiscord, payload: dict[str, Any]) -> dict[str, Any]:
    event = await fake.interact(payload)
    return (await fake.response_to(event)).json["data"]


async def outreach_of(app: Peerpath, user_id: str) -> list[tuple[str, str, bool]]:
    """(contact, workspace external id, personal?) of every request the user logged."""
    async with app.sessions() as session:
        rows = await session.execute(
            select(Contact.name, Workspace.external_id, Workspace.personal)
            .join(Outreach, Outreach.contact_id == Contact.id)
            .join(Member, Member.id == Outreach.member_id)
            .join(Workspace, Workspace.id == Outreach.workspace_id)
            .where(Member.user_id == user_id)
            .order_by(Contact.name)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_every_command_is_installable_to_a_member_and_usable_from_dms(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake, guild=None):
        pass
    [put] = fake.matching("PUT", GLOBAL_COMMANDS)
    assert [c["name"] for c in put.json] == [c.name for c in build_registry()]
    for command in put.json:
        assert sorted(command["integration_types"]) == [0, 1]  # server and user installs
        assert sorted(command["contexts"]) == [0, 1, 2]  # servers, the bot's DM, other DMs


async def test_a_dm_log_is_the_members_own_and_counts_on_their_servers_board(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake, guild=None):
        admin = slash("group-setup", user="555", admin=True, outreach=2, interviews=0)
        assert "group" in embed_of(await answer_to(fake, admin))["title"].lower()
        logged = await answer_to(fake, personal_slash("outreach", "424242", contact="Rosa Diaz"))
        # The member's first command in the server joins its group, as the same person.
        await answer_to(fake, slash("outreach", user="424242", contact="Kim Park"))
        board = embed_of(await answer_to(fake, slash("leaderboard", user="555")))
        mine = embed_of(await answer_to(fake, personal_slash("history", "424242")))
    assert logged["flags"] & EPHEMERAL
    assert "Rosa Diaz" in embed_of(logged)["description"]
    assert await outreach_of(app, "424242") == [
        ("Kim Park", "424242", True),
        ("Rosa Diaz", "424242", True),
    ]
    line = next(ln for ln in board["description"].splitlines() if "user4242" in ln)
    assert line.endswith("— 2 ✓")  # both requests, logged in a DM and in the server
    history = mine["description"] + "".join(f["value"] for f in mine.get("fields", []))
    assert "Rosa Diaz" in history and "Kim Park" in history


async def test_a_server_member_who_installs_personally_keeps_their_history(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake, guild=None):
        await answer_to(fake, slash("group-setup", user="555", admin=True, outreach=3))
        await answer_to(fake, slash("outreach", user="313", contact="Ada Byron"))
        elsewhere = personal_slash("outreach", "313", OTHER_SERVER, contact="Grace Hopper")
        logged = await answer_to(fake, elsewhere)
        await answer_to(fake, personal_slash("outreach", "313", contact="Alan Kay"))
        board = embed_of(await answer_to(fake, slash("leaderboard", user="555")))
    assert logged["flags"] & EPHEMERAL
    assert [name for name, _, _ in await outreach_of(app, "313")] == [
        "Ada Byron",
        "Alan Kay",
        "Grace Hopper",
    ]
    assert {(key, personal) for _, key, personal in await outreach_of(app, "313")} == {
        ("313", True)
    }
    line = next(ln for ln in board["description"].splitlines() if "user313" in ln)
    assert line.split("— ")[1].split()[0] == "3"  # all three, wherever logged
    async with app.sessions() as session:
        rows = await session.scalar(select(func.count()).where(Member.user_id == "313"))
    assert rows == 2  # the personal member, and the server's row joined to it


async def test_group_commands_from_a_personal_install_need_the_servers_install(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake, guild=None):
        refused = await answer_to(fake, personal_slash("leaderboard", "777"))
        join = await answer_to(fake, personal_slash("join", "777", OTHER_SERVER))
    assert refused["flags"] & EPHEMERAL
    explained = embed_of(refused)["description"]
    assert "needs peerpath installed on that server" in explained
    assert (
        "/outreach" in explained
        and "/history" in explained
        and "/leaderboard" not in explained[20:]
    )
    assert "/join" in embed_of(join)["description"]
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Workspace)) == 0


def test_the_cli_prints_the_personal_install_link(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_APPLICATION_ID", "123456789012345678")
    assert main(["discord", "personal-install-url"]) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith("https://discord.com/oauth2/authorize?")
    query = parse_qs(urlsplit(url).query)
    assert query == {
        "client_id": ["123456789012345678"],
        "integration_type": ["1"],  # a user install
        "scope": ["applications.commands"],  # no bot user: commands only
    }


async def test_forget_me_from_a_dm_forgets_the_member_everywhere(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake, guild=None):
        await answer_to(fake, slash("outreach", user="616", contact="Ada Byron"))
        await answer_to(fake, personal_slash("outreach", "616", contact="Alan Kay"))
        gone = await answer_to(fake, personal_slash("forget-me", "616", confirm="yes"))
    assert gone["flags"] & EPHEMERAL and embed_of(gone)["title"] == "Deleted"
    assert await outreach_of(app, "616") == []
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).where(Member.user_id == "616")) == 0


SECOND_SERVER, SECOND_CHANNEL = "840000000000000001", "840000000000000002"


def second_server_slash(name: str, user: str, admin: bool = False, **options: Any) -> dict:
    """``/name`` in a second server that has the bot."""
    payload = slash(name, user=user, admin=admin, **options)
    payload["guild_id"], payload["channel_id"] = SECOND_SERVER, SECOND_CHANNEL
    payload["channel"] = dict(payload["channel"], id=SECOND_CHANNEL, guild_id=SECOND_SERVER)
    payload["authorizing_integration_owners"] = {"0": SECOND_SERVER}
    return payload


async def test_every_server_the_member_used_before_installing_joins_their_personal_member(
    app: Peerpath, fake: FakeDiscord
) -> None:
    async with running_bot(app, fake, guild=None):
        await answer_to(fake, slash("group-setup", user="555", admin=True, outreach=1))
        await answer_to(fake, second_server_slash("group-setup", "556", True, outreach=1))
        await answer_to(fake, slash("outreach", user="919", contact="Ada Byron"))
        await answer_to(fake, second_server_slash("outreach", "919", contact="Bea Lim"))
        await answer_to(fake, second_server_slash("outreach", "919", contact="Ada Byron"))
        await answer_to(fake, personal_slash("outreach", "919", contact="Dee Moss"))
        # The second server's member is joined at its next command there.
        await answer_to(fake, second_server_slash("outreach", "919", contact="Cy Yu"))
        board = embed_of(await answer_to(fake, second_server_slash("leaderboard", "556")))
        mine = embed_of(await answer_to(fake, personal_slash("history", "919")))
        logs = await outreach_of(app, "919")
        gone = await answer_to(fake, personal_slash("forget-me", "919", confirm="yes"))
    assert [name for name, _, _ in logs] == [
        "Ada Byron",
        "Ada Byron",
        "Bea Lim",
        "Cy Yu",
        "Dee Moss",
    ]
    assert {(key, personal) for _, key, personal in logs} == {("919", True)}
    line = next(ln for ln in board["description"].splitlines() if "user919" in ln)
    assert line.split("— ")[1].split()[0] == "5"  # every log once, wherever made
    history = mine["description"] + "".join(f["value"] for f in mine.get("fields", []))
    assert all(name in history for name in ("Ada Byron", "Bea Lim", "Cy Yu", "Dee Moss"))
    assert embed_of(gone)["title"] == "Deleted"
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).where(Member.user_id == "919")) == 0
        assert await session.scalar(select(func.count()).select_from(Contact)) == 0
        left = (await session.scalars(select(Workspace.external_id))).all()
    assert "919" not in left  # the personal workspace, with the user's id, is gone too


async def test_commands_that_need_no_group_run_from_a_dm(app: Peerpath, fake: FakeDiscord) -> None:
    async with running_bot(app, fake, guild=None):
        await answer_to(fake, personal_slash("outreach", "929", contact="Ada Byron"))
        answers = {
            name: embed_of(await answer_to(fake, personal_slash(name, "929", **options)))
            for name, options in (
                ("scheduled", {"contact": "Ada Byron", "date": "2026-12-04"}),
                ("undo", {}),
                ("targets", {}),
                ("calendar", {}),
                ("peerpath", {}),
            )
        }
    for name, embed in answers.items():
        assert "needs peerpath installed" not in embed.get("description", ""), name


def test_the_personal_install_link_warns_when_commands_belong_to_one_server(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_APPLICATION_ID", "123456789012345678")
    monkeypatch.setenv("DISCORD_GUILD_ID", "987654321098765432")
    assert main(["discord", "personal-install-url"]) == 0
    out, err = capsys.readouterr()
    assert out.strip().startswith("https://discord.com/oauth2/authorize?")
    assert len(err.strip().splitlines()) == 1 and "DISCORD_GUILD_ID" in err
