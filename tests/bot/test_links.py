"""Signed links: one key for every replica, kept across restarts; a link opens only its own
kind of page, until it expires or is revoked, and says which check failed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.links import LinkRefused, Refusal, Signer, generation, revoke, signing_key

DAYS = timedelta(days=14)


async def test_a_link_opens_until_it_expires_or_is_revoked(
    app: Peerpath, clock: SimulatedClock
) -> None:
    async with app.sessions() as session, session.begin():
        key = await signing_key(session, None, clock.now())
        assert key == await signing_key(session, None, clock.now())  # kept, not remade
        signer = Signer(key, clock)
        token = signer.token("coach", 7, await generation(session, "coach", 7))
        assert (await signer.open(session, token, "coach", DAYS)).subject_id == 7
        for wrong in (token[:-2] + "xx", token + "a", "nonsense", ""):
            with pytest.raises(LinkRefused) as refused:
                await signer.open(session, wrong, "coach", DAYS)
            assert refused.value.refusal is Refusal.WRONG
        with pytest.raises(LinkRefused) as refused:  # a calendar link is not a coach link
            await signer.open(session, signer.token("calendar", 7, 0), "coach", DAYS)
        assert refused.value.refusal is Refusal.WRONG
        with pytest.raises(LinkRefused) as refused:  # another deployment's key
            await Signer("another key", clock).open(session, token, "coach", DAYS)
        assert refused.value.refusal is Refusal.WRONG
        await revoke(session, "coach", 7)
        with pytest.raises(LinkRefused) as refused:
            await signer.open(session, token, "coach", DAYS)
        assert refused.value.refusal is Refusal.REVOKED
        fresh = signer.token("coach", 7, await generation(session, "coach", 7))
        assert (await signer.open(session, fresh, "coach", DAYS)).subject_id == 7
        clock.advance(DAYS + timedelta(seconds=1))
        with pytest.raises(LinkRefused) as refused:
            await signer.open(session, fresh, "coach", DAYS)
        assert refused.value.refusal is Refusal.EXPIRED


async def test_a_configured_key_wins(app: Peerpath, clock: SimulatedClock) -> None:
    async with app.sessions() as session, session.begin():
        assert await signing_key(session, "from-the-environment", clock.now()) == (
            "from-the-environment"
        )
