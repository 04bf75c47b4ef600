"""Where a member means to look: target employers (the LAMP list) and contact imports
waiting for the member's go-ahead."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from bot.companies import company_key
from bot.tables.base import Base, UTCDateTime


class Posting(StrEnum):
    """Whether the employer advertises a job the member would want (LAMP's P)."""

    YES = "yes"
    UNKNOWN = "unknown"
    NO = "no"


class Target(Base):
    """An employer on a member's list; private to that member. Advocacy is never stored:
    it is read from the member's contacts, outreach and interviews each time."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("member_id", "company_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    company: Mapped[str] = mapped_column(String(200))
    company_key: Mapped[str] = mapped_column(String(200))
    motivation: Mapped[int] = mapped_column(Integer)  # 1 (some) … 3 (dream employer)
    posting: Mapped[str] = mapped_column(String(8), default=Posting.UNKNOWN.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @validates("company")
    def _key_company(self, _: str, company: str) -> str:
        self.company_key = company_key(company) or ""
        return company


class PendingImport(Base):
    """A contacts file the member was shown a preview of; the Import button reads it from
    here (the platform's copy may be gone by then), Cancel or a day's age removes it."""

    __tablename__ = "pending_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
