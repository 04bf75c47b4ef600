"""What Slack accepts, checked on what actually goes over the wire.

The fake Slack runs every message and view it receives through these checks, so any
test that makes peerpath send something Slack would refuse fails. slack_sdk's own
models do most of the work: each block is rebuilt with ``Block.parse`` and each view
with ``View(**view)``, and ``to_dict()`` runs every object's validators at every level
(lengths of texts, labels, ids and values; counts of fields, elements and blocks per
view; button styles). slack_sdk counts with ``len`` — code points — while Slack counts
UTF-16 code units, so the payload is checked with every character beyond U+FFFF
doubled: each limit is then counted Slack's way.

Checked by hand, because slack_sdk does not check them: at most 50 blocks in a message,
a fallback ``text`` beside blocks, a section field's 2,000 characters, no empty text
object, a block type we know, and action ids unique in a message or view.
"""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.lengths import utf16_units

MESSAGE_BLOCKS = 50
SECTION_FIELD = 2000
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_TEXT_TYPES = ("plain_text", "mrkdwn")


def message_problems(message: dict[str, Any]) -> list[str]:
    """A chat message (chat.postMessage or a response_url post): blocks plus a fallback text."""
    found = problems(message.get("blocks") or [])
    if message.get("blocks") and not message.get("text"):
        found.append("message with blocks but no fallback text")
    return found


def view_problems(view: dict[str, Any]) -> list[str]:
    """A modal or App Home view (views.open, views.publish, views.update)."""
    try:
        View(**_counted_as_slack_does(view)).to_dict()
    except (SlackObjectFormationError, TypeError, KeyError) as error:
        return [f"view: {error}"] + _hand_checks(view.get("blocks") or [])
    return _hand_checks(view.get("blocks") or [])


def problems(blocks: list[dict[str, Any]]) -> list[str]:
    """Every rule the blocks of a message break (an empty list when Slack would accept them)."""
    found = []
    if len(blocks) > MESSAGE_BLOCKS:
        found.append(f"{len(blocks)} blocks (at most {MESSAGE_BLOCKS})")
    for number, block in enumerate(_counted_as_slack_does(blocks)):
        try:
            parsed = Block.parse(block)
            if parsed is None or type(parsed) is Block:
                found.append(f"block {number}: unknown type {block.get('type')!r}")
                continue
            parsed.to_dict()
        except (SlackObjectFormationError, TypeError, KeyError) as error:
            found.append(f"block {number} ({block.get('type')}): {error}")
    return found + _hand_checks(blocks)


def _hand_checks(blocks: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for block in blocks:
        for field in block.get("fields") or []:
            if utf16_units(field["text"]) > SECTION_FIELD:
                found.append(f"section field of {utf16_units(field['text'])} UTF-16 units")
    for text in _text_objects(blocks):
        if not text.get("text"):
            found.append(f"empty {text.get('type')} text object")
    action_ids = _action_ids(blocks)
    if len(action_ids) != len(set(action_ids)):
        found.append("action ids repeat within one message or view")
    return found


def _counted_as_slack_does(value: Any) -> Any:
    """``value`` with each character beyond U+FFFF written as two, so ``len`` counts UTF-16."""
    if isinstance(value, str):
        return _ASTRAL.sub("\ufffd\ufffd", value)
    if isinstance(value, list):
        return [_counted_as_slack_does(item) for item in value]
    if isinstance(value, dict):
        return {key: _counted_as_slack_does(item) for key, item in value.items()}
    return value


def _text_objects(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [found for item in value for found in _text_objects(item)]
    if not isinstance(value, dict):
        return []
    own = [value] if value.get("type") in _TEXT_TYPES else []
    return own + [found for item in value.values() for found in _text_objects(item)]


def _action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    ids = []
    for block in blocks:
        for element in block.get("elements") or []:
            if isinstance(element, dict) and "action_id" in element:
                ids.append(element["action_id"])
        element = block.get("element") or block.get("accessory")
        if isinstance(element, dict) and "action_id" in element:
            ids.append(f"{block.get('block_id')}/{element['action_id']}")
    return ids
