"""What a failure to reach Discord at start-up means, in ``bot.startup``'s one line.

Before discord.py logs in, the token is shown to Discord with one request of our
own (``GET /users/@me``): a discord.py client whose login failed cannot log in
again, while this question can be asked as often as an outage needs.
"""

from __future__ import annotations

import aiohttp

from bot.startup import ConfigurationError, Unreachable, reason


async def check_token(api_url: str, token: str) -> None:
    """Ask Discord who the token belongs to: the one line for a refused token or an outage."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
            session.get(f"{api_url}/users/@me", headers={"Authorization": f"Bot {token}"}) as got,
        ):
            status = got.status
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        raise Unreachable(
            f"Cannot reach Discord at {api_url} ({reason(error)}): is DISCORD_API_URL right?"
        ) from None
    if status == 401:
        raise ConfigurationError(
            "Discord refused DISCORD_TOKEN (401 Unauthorized): reset the token on your "
            "application's Bot page and copy it again"
        )
    if status >= 500 or status == 429:
        raise Unreachable(f"Discord at {api_url} answered {status}; is Discord down?")
    if status != 200:
        raise ConfigurationError(
            f"{api_url} did not answer as Discord's API does (HTTP {status}): is "
            "DISCORD_API_URL right (e.g. https://discord.com/api/v10)?"
        )
