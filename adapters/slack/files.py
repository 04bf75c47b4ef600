"""Files a member picked in a Slack form (a ``file_input``), fetched for the core.

A submission carries each file's id and private download URL, not its bytes; the URL
opens only with the bot's token (scope ``files:read``). The core gets an
:class:`~bot.option_types.Upload`, as from any platform.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp

from bot.option_types import MAX_UPLOAD, Upload

FETCH_SECONDS = 20.0


def picked(state: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The first file picked in each ``file_input`` of a submitted form, by option name."""
    found = {}
    for block_id, actions in state.items():
        element = actions.get(block_id) or {}
        files = element.get("files") if element.get("type") == "file_input" else None
        if files:
            found[block_id] = files[0]
    return found


async def fetch(token: str, file: Mapping[str, Any]) -> Upload:
    """The file's bytes (one byte past the core's limit at most, so the core can say it is
    too big without this process holding a huge file)."""
    url = file.get("url_private_download") or file["url_private"]
    timeout = aiohttp.ClientTimeout(total=FETCH_SECONDS)
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.get(url, headers=headers) as answer:
            answer.raise_for_status()
            content = await answer.content.read(MAX_UPLOAD + 1)
    return Upload(str(file.get("name") or "upload.csv"), content)
