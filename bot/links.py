"""Signed links to pages outside chat (a facilitator's page, a member's calendar feed).

A link carries a token signed with the deployment's secret: ``PEERPATH_SECRET_KEY``, or,
when that is unset, a key generated on first start and kept in the database, so every
replica signs and checks alike and a restart breaks no link. The token names what it
opens (a kind and an id), when it was made, and the *generation* of that subject's
links; revoking bumps the generation, so every earlier link stops at once, while links
made after keep working. itsdangerous does the signing and the age check.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.models import DeploymentSecret, LinkGeneration
from bot.services import upsert

KEY_NAME = "link-signing-key"


class Refusal(StrEnum):
    """Why a link does not open, in words a 403 page can show."""

    WRONG = "This link is not valid: it may have been mistyped or changed."
    EXPIRED = "This link has expired. Ask for a new one."
    REVOKED = "This link was revoked. Ask for a new one."


class LinkRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


class Opened(NamedTuple):
    kind: str
    subject_id: int
    made_at: datetime  # when the link was signed (whole seconds, UTC)

    def predates(self, created_at: datetime) -> bool:
        """Whether the link was made before ``created_at``: then it was made for an earlier
        row that had the same id (SQLite reuses the id of a row deleted last), not this one."""
        return self.made_at < created_at.replace(microsecond=0)


async def signing_key(session: AsyncSession, configured: str | None, now: datetime) -> str:
    """The configured secret, else the one stored in the database (made on first use; the
    first of several replicas to get here makes it, the others read it)."""
    if configured:
        return configured
    await session.execute(
        upsert.insert(session, DeploymentSecret)
        .values(name=KEY_NAME, value=secrets.token_urlsafe(32), created_at=now)
        .on_conflict_do_nothing()
    )
    return await session.scalar(
        select(DeploymentSecret.value).where(DeploymentSecret.name == KEY_NAME)
    )


async def generation(session: AsyncSession, kind: str, subject_id: int) -> int:
    """The current generation of ``kind`` links to ``subject_id`` (0 until first revoked)."""
    found = await session.get(LinkGeneration, (kind, subject_id))
    return found.generation if found is not None else 0


async def url(
    session: AsyncSession, signer: Signer, base: str, path: str, kind: str, subject_id: int
) -> str:
    """The address of a ``kind`` link to ``subject_id`` in its current generation:
    ``base`` (``PEERPATH_PUBLIC_URL``) and ``path`` with ``{token}`` filled in."""
    token = signer.token(kind, subject_id, await generation(session, kind, subject_id))
    return base.rstrip("/") + path.format(token=token)


async def revoke(session: AsyncSession, kind: str, subject_id: int) -> None:
    """Every link made so far for ``subject_id`` stops working."""
    found = await session.get(LinkGeneration, (kind, subject_id))
    if found is None:
        session.add(LinkGeneration(kind=kind, subject_id=subject_id, generation=1))
    else:
        found.generation += 1
    await session.flush()


class Signer:
    """Makes and checks tokens with one key, on the core's clock (so a fixed clock in tests,
    or the console's simulated one, ages links as it ages everything else)."""

    def __init__(self, key: str, clock: Clock) -> None:
        class OnOurClock(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock.now().timestamp())

        self._serializer = URLSafeTimedSerializer(key, salt="peerpath-links", signer=OnOurClock)

    def token(self, kind: str, subject_id: int, generation: int) -> str:
        return self._serializer.dumps([kind, subject_id, generation])

    async def open(
        self, session: AsyncSession, token: str, kind: str, valid_for: timedelta
    ) -> Opened:
        """What ``token`` opens, if it is a ``kind`` link, younger than ``valid_for`` and
        not revoked; raises :class:`LinkRefused` saying which check failed."""
        try:
            found, made_at = self._serializer.loads(
                token, max_age=valid_for.total_seconds(), return_timestamp=True
            )
        except SignatureExpired:
            raise LinkRefused(Refusal.EXPIRED) from None
        except BadSignature:
            raise LinkRefused(Refusal.WRONG) from None
        if not (isinstance(found, list) and len(found) == 3 and found[0] == kind):
            raise LinkRefused(Refusal.WRONG)
        _, subject_id, made_in = found
        if not isinstance(subject_id, int) or not isinstance(made_in, int):
            raise LinkRefused(Refusal.WRONG)
        if made_in != await generation(session, kind, subject_id):
            raise LinkRefused(Refusal.REVOKED)
        return Opened(kind, subject_id, made_at.astimezone(UTC))
