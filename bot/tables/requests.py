"""Requests in flight: receipts, questions awaiting a choice, command keys, answers
handed over, and the secrets behind signed links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.tables.base import Base, UTCDateTime


class Receipt(Base):
    """A platform request already handled: Slack retries and repeated interactions log once."""

    __tablename__ = "receipts"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PendingChoice(Base):
    """A question a member was asked instead of a guess (which Bob? which date?), with the
    command they typed: pressing one of its answers runs that command again with the
    answer filled in, so nothing they typed has to be typed again."""

    __tablename__ = "pending_choices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    command: Mapped[str] = mapped_column(String(32))
    typed: Mapped[str] = mapped_column(Text)  # JSON: the options as the member gave them
    answers: Mapped[str] = mapped_column(Text)  # JSON: per answer, the options it sets
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CommandKey(Base):
    """The last command that stored something for a member, keyed by what it said
    (``bot.services.command_keys``): the same command right after, within that module's
    window, is a repeat — a double submit, a re-delivery — and stores nothing."""

    __tablename__ = "command_keys"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InboxEntry(Base):
    """An answer owed to a request a platform already had acknowledged, left by a process
    that had to stop first; the next start on that platform takes it and finishes it
    (``bot.services.inbox``). ``job`` is the adapter's own JSON."""

    __tablename__ = "inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), index=True)
    job: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeploymentSecret(Base):
    """A secret the deployment made for itself (the key that signs links), shared by every
    replica through the database."""

    __tablename__ = "deployment_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LinkGeneration(Base):
    """How many times the links of one subject (a group's page, a member's calendar) were
    revoked: a link made in an earlier generation no longer opens."""

    __tablename__ = "link_generations"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer)
