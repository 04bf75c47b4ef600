"""Block Kit's documented limits, checked on what actually goes over the wire.

The fake Slack runs every message and view it receives through :func:`problems`,
so any test that makes peerpath send something Slack would reject fails.
"""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100


def message_problems(message: dict[str, Any]) -> list[str]:
    """A chat message (chat.postMessage or a response_url post): blocks plus a fallback text."""
    found = problems(message.get("blocks") or [], MESSAGE_BLOCKS)
    if message.get("blocks") and not message.get("text"):
        found.append("message with blocks but no fallback text")
    return found


def problems(blocks: list[dict[str, Any]], max_blocks: int = MESSAGE_BLOCKS) -> list[str]:
    """Every limit ``blocks`` break (an empty list when Slack would accept them)."""
    found: list[str] = []

    def limit(what: str, value: str | None, most: int) -> None:
        if value is not None and len(value) > most:
            found.append(f"{what} is {len(value)} characters (at most {most})")

    if len(blocks) > max_blocks:
        found.append(f"{len(blocks)} blocks (at most {max_blocks})")
    action_ids: list[str] = []
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            limit("header text", block["text"]["text"], 150)
        elif kind == "section":
            if "text" not in block and "fields" not in block:
                found.append("section with neither text nor fields")
            limit("section text", (block.get("text") or {}).get("text"), 3000)
            fields = block.get("fields") or []
            if len(fields) > 10:
                found.append(f"section with {len(fields)} fields (at most 10)")
            for f in fields:
                limit("section field", f["text"], 2000)
        elif kind == "actions":
            elements = block["elements"]
            if not 1 <= len(elements) <= 25:
                found.append(f"actions block with {len(elements)} elements (1 to 25)")
            for element in elements:
                limit("button text", element["text"]["text"], 75)
                limit("action_id", element["action_id"], 255)
                limit("button value", element.get("value"), 2000)
                action_ids.append(element["action_id"])
        elif kind == "context":
            if len(block["elements"]) > 10:
                found.append("context block with more than 10 elements")
        elif kind == "input":
            limit("input label", block["label"]["text"], 2000)
            limit("input hint", (block.get("hint") or {}).get("text"), 2000)
            action_ids.append(block["element"]["action_id"] + "@" + block["block_id"])
        else:
            found.append(f"unexpected block type {kind}")
    if len(action_ids) != len(set(action_ids)):
        found.append("action ids repeat within one message")
    return found
