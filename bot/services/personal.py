"""Personal installs: a member's own workspace, and the servers that join it.

A member who installs peerpath to their own account (Discord's user install) can log from
their DMs and from servers without the bot. What they log then lives in a personal
workspace, keyed by their user id on that platform (user and server ids never coincide).
Their membership of a server that has peerpath is joined to it: the server's member row
points at the personal member (``Member.home_id``), and every command there acts as that
member. So one person is one member — their groups' boards, digests and streaks count
what they log anywhere, and /history shows it all in one list — while each server still
has its own groups.

Someone who used peerpath in a server before installing it personally brings that history
along: at their first personal command, that member (the earliest, if there were several)
moves into the personal workspace with everything of theirs, and the server's row becomes
a joined one. A member they had in a further server is joined at its next command there
(``join_member``): everything it holds moves into the personal member — each log once, its
contacts kept as separate contacts (two people may share a name) — and where both already
held the same thing (a group membership, a target company, a week's goal or pause or
practice request) the personal member's one stays. /forget-me then deletes every server
row joined to the personal member, and the personal workspace with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Table, UniqueConstraint, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.invocation import Invocation
from bot.models import Base, Member, Workspace
from bot.services import members
from bot.services.stale_streaks import forget_streak

NEEDS_SERVER = (
    "/{command} works with a server's group, so it needs peerpath installed on that "
    "server: ask one of its admins to add it. With your own install, these work anywhere: "
    "{personal}."
)


def workspace_key(user_id: str) -> str:
    """The external id of ``user_id``'s personal workspace: the user id itself."""
    return user_id


def _owned_tables() -> list[Table]:
    """Tables whose rows belong to one member and carry its workspace (moved with it)."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if {"member_id", "workspace_id"} <= set(table.columns.keys())
    ]


async def home(session: AsyncSession, platform: str, user_id: str) -> Member | None:
    """The member of ``user_id``'s personal workspace on ``platform``, if they have one."""
    return await session.scalar(
        select(Member)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(
            Workspace.platform == platform,
            Workspace.external_id == workspace_key(user_id),
            Workspace.personal.is_(True),
            Member.user_id == user_id,
        )
    )


def _member_columns() -> list[tuple[Table, Column]]:
    """Every column that points at a member, with its table."""
    return [
        (table, column)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if any(key.column.table.name == "members" for key in column.foreign_keys)
    ]


def _unique_keys(table: Table, column: Column) -> list[list[Column]]:
    """The other columns of each unique key (or primary key) of ``table`` that has ``column``."""
    keys = [list(table.primary_key.columns)] + [
        list(constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    return [[c for c in key if c is not column] for key in keys if column in key]


async def join_member(session: AsyncSession, member: Member, personal: Member) -> Member:
    """Join a server ``member`` made before its person installed peerpath personally to
    their ``personal`` member (see the module's text), which is returned to act."""
    owned = {table.name for table in _owned_tables()}
    for table, column in _member_columns():
        for others in _unique_keys(table, column):
            theirs = table.alias()
            await session.execute(
                delete(table)
                .where(
                    column == member.id,
                    exists().where(
                        theirs.c[column.name] == personal.id,
                        *(theirs.c[other.name] == other for other in others),
                    ),
                )
                .execution_options(synchronize_session=False)
            )
        values: dict[str, int] = {column.name: personal.id}
        if table.name in owned and column.name == "member_id":  # the member's own rows
            values["workspace_id"] = personal.workspace_id
        await session.execute(
            update(table)
            .where(column == member.id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    await forget_streak(session, personal.id)  # its standing now counts the moved logs
    member.home_id = personal.id
    member.reminders_on = member.leaderboard_on = member.targets_nudge_on = False
    await session.flush()
    return personal


async def find_acting(session: AsyncSession, invocation: Invocation) -> Member | None:
    """Who a request that creates nothing (autocomplete) is for, if they are known."""
    key = workspace_key(invocation.user_id) if invocation.personal else invocation.workspace_id
    member = await session.scalar(
        select(Member)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(
            Workspace.platform == invocation.platform,
            Workspace.external_id == key,
            Member.user_id == invocation.user_id,
        )
    )
    return None if member is None else await acting(session, member)


async def acting(session: AsyncSession, member: Member) -> Member:
    """Who acts for ``member``: the personal member its server row is joined to, or itself."""
    if member.home_id is None:
        return member
    joined = await session.get(Member, member.home_id)
    return joined or member


async def workspace_for(session: AsyncSession, invocation: Invocation, now: datetime) -> Workspace:
    """The asking member's personal workspace, made at their first personal command."""
    key = workspace_key(invocation.user_id)
    workspace = await session.scalar(
        select(Workspace).where(
            Workspace.platform == invocation.platform, Workspace.external_id == key
        )
    )
    if workspace is None:
        workspace = Workspace(
            platform=invocation.platform,
            external_id=key,
            name=invocation.user_name[:200],
            personal=True,
            created_at=now,
        )
        session.add(workspace)
        await session.flush()
    return workspace


async def member_for(
    session: AsyncSession, workspace: Workspace, invocation: Invocation, now: datetime
) -> Member:
    """The personal member; at its creation, the member the person already was in a server
    moves in (see the module's text), else a new one is made."""
    found = await members.find_member(session, workspace, invocation.user_id)
    if found is not None:
        return found
    earlier = await session.scalar(
        select(Member)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(
            Workspace.platform == invocation.platform,
            Workspace.personal.is_(False),
            Member.user_id == invocation.user_id,
            Member.home_id.is_(None),
        )
        .order_by(Member.created_at, Member.id)
        .limit(1)
    )
    if earlier is None:
        return await members.member_for(session, workspace, invocation, now)
    server_id = earlier.workspace_id
    for table in _owned_tables():
        await session.execute(
            update(table)
            .where(table.c.member_id == earlier.id)
            .values(workspace_id=workspace.id)
            .execution_options(synchronize_session=False)
        )
    earlier.workspace_id = workspace.id
    await session.flush()
    session.add(_joined_row(server_id, earlier, now))
    await session.flush()
    return earlier


async def join_server(
    session: AsyncSession, server: Workspace, invocation: Invocation, now: datetime
) -> Member | None:
    """A first command in a server by someone with a personal workspace: their row there
    is joined to it, and the personal member is returned (None: they have none)."""
    personal = await home(session, invocation.platform, invocation.user_id)
    if personal is None:
        return None
    members.rename(personal, invocation.user_name)
    session.add(_joined_row(server.id, personal, now))
    await session.flush()
    return personal


def _joined_row(workspace_id: int, personal: Member, now: datetime) -> Member:
    """A server's row for someone who acts as their personal member: a pointer, never
    reminded, never on a board, holding nothing of its own."""
    return Member(
        workspace_id=workspace_id,
        user_id=personal.user_id,
        display_name=personal.display_name,
        home_id=personal.id,
        reminders_on=False,
        leaderboard_on=False,
        targets_nudge_on=False,
        created_at=now,
    )
