"""Reply → Discord: one embed, a view of persistent buttons, and the files they show.

Discord rejects a message that breaks any of its size limits, so everything
user-typed is cut to fit here (with "…") rather than failing to send; every limit
is counted with :func:`length`, the way Discord counts (code points). Display names
are escaped (:func:`plain_names`), so markdown, masked links and mention pills in a
name show as typed. Buttons are :class:`ActionButton` dynamic items whose
``custom_id`` is the neutral action id, so a button on a week-old reminder DM still
routes after a restart.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, cast

import discord

from bot.lengths import code_points, cut
from bot.replies import Attachment, ButtonStyle, Field, Reply

log = logging.getLogger("peerpath.discord")

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
BUTTONS_PER_ROW = 5
ROWS_MAX = 5
BUTTON_LABEL_MAX = 80
CUSTOM_ID_MAX = 100
SHORTENED = "Shortened to fit Discord's limits."
BLANK = "\u200b"  # Discord rejects empty field names and values

ERROR_COLOUR = discord.Colour.red()
PUBLIC_COLOUR = discord.Colour.blurple()
PRIVATE_COLOUR = discord.Colour.dark_teal()

STYLES = {
    ButtonStyle.DEFAULT: discord.ButtonStyle.secondary,
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}

# A neutral action id (``thanked:42``), optionally followed by ``@<guild id>``: a DM has no
# guild, so buttons sent in DMs carry the server they belong to.
ACTION_TEMPLATE = r"^(?P<action>[a-z][a-z0-9-]*:.*?)(?:@(?P<guild>[0-9]{1,20}))?$"

NO_MENTIONS = discord.AllowedMentions.none()
USER_ID = re.compile(r"[0-9]{1,20}")  # a snowflake


class PressHandler(Protocol):
    """What the client offers buttons: run a press of ``action_id`` for ``guild_id``."""

    async def press_button(
        self, interaction: discord.Interaction, action_id: str, guild_id: int | None
    ) -> None: ...


class ActionButton(discord.ui.DynamicItem[discord.ui.Button], template=ACTION_TEMPLATE):
    """A button whose whole state is its ``custom_id``; registered once per client."""

    def __init__(self, item: discord.ui.Button, action_id: str, guild_id: int | None) -> None:
        super().__init__(item)
        self.action_id = action_id
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ActionButton:
        guild = match.group("guild")
        button = cast(discord.ui.Button, item)
        return cls(button, match.group("action"), int(guild) if guild else None)

    async def callback(self, interaction: discord.Interaction) -> None:
        handler = cast(PressHandler, interaction.client)
        await handler.press_button(interaction, self.action_id, self.guild_id)


@dataclass
class Rendered:
    """Everything one Discord message needs; ``files`` back the embed image and exports."""

    embed: discord.Embed
    view: discord.ui.View | None  # None: no buttons (and, on an edit, remove the old ones)
    attachments: list[Attachment] = field(default_factory=list)
    mentioned: tuple[int, ...] = ()  # users the message pings (embeds never ping)

    def _mentions(self) -> dict[str, Any]:
        """The content that pings ``mentioned``, allowing those users and nobody else."""
        if not self.mentioned:
            return {"allowed_mentions": NO_MENTIONS}
        return {
            "content": " ".join(f"<@{user}>" for user in self.mentioned),
            "allowed_mentions": discord.AllowedMentions(
                everyone=False,
                roles=False,
                replied_user=False,
                users=[discord.Object(user) for user in self.mentioned],
            ),
        }

    def files(self) -> list[discord.File]:
        """Fresh file objects (discord.py consumes them on send)."""
        return [discord.File(io.BytesIO(a.content), filename=a.filename) for a in self.attachments]

    def for_send(self) -> dict[str, Any]:
        """Keyword arguments for a new message (``send``, ``send_message``, follow-ups)."""
        kwargs: dict[str, Any] = {"embed": self.embed, "files": self.files(), **self._mentions()}
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs

    def for_edit(self) -> dict[str, Any]:
        """Keyword arguments that replace a message's embed, buttons and files."""
        return {
            "embed": self.embed,
            "view": self.view,
            "attachments": self.files(),
            **self._mentions(),
        }


def render(reply: Reply, dm_guild_id: int | None = None) -> Rendered:
    """The embed and buttons for ``reply``; ``dm_guild_id`` marks buttons sent in a DM."""
    embed, shortened = _embed(_with_plain_names(reply))
    attachments = [a for a in (reply.image, reply.attachment) if a is not None]
    if reply.image is not None:
        embed.set_image(url=f"attachment://{reply.image.filename}")
    if shortened:
        embed.set_footer(text=SHORTENED)
    mentioned = tuple(int(user) for user in reply.mentions if USER_ID.fullmatch(user))
    return Rendered(embed, _view(reply, dm_guild_id), attachments, mentioned)


def length(text: str) -> int:
    """Discord's length of ``text``: code points (its API counts them; an emoji is one)."""
    return code_points(text)


def clip(text: str, limit: int) -> str:
    """``text`` within ``limit`` as Discord counts it, ending in "…" when it was cut."""
    return cut(text, limit, length)


def plain_names(text: str, names: Sequence[str]) -> str:
    """``text`` with every display name in ``names`` escaped to show as typed: markdown
    (headings, spoilers, masked links) by discord.py's ``escape_markdown``, ``<`` so no
    ``<@id>``, ``<#id>`` or ``<t:…>`` becomes a pill, and ``@everyone``-style mentions by
    ``escape_mentions`` (embeds never ping; this keeps them from even looking like one)."""
    found = sorted({name for name in names if name}, key=len, reverse=True)
    if not found:
        return text
    pattern = re.compile("|".join(re.escape(name) for name in found))
    return pattern.sub(lambda match: _plain(match.group()), text)


def _plain(name: str) -> str:
    escaped = discord.utils.escape_markdown(name).replace("<", "\\<")
    return discord.utils.escape_mentions(escaped)


def _with_plain_names(reply: Reply) -> Reply:
    if not reply.names:
        return reply
    names = reply.names
    return replace(
        reply,
        title=plain_names(reply.title, names) if reply.title else reply.title,
        text=plain_names(reply.text, names),
        fields=[
            Field(plain_names(f.name, names), plain_names(f.value, names), f.inline)
            for f in reply.fields
        ],
    )


def _embed(reply: Reply) -> tuple[discord.Embed, bool]:
    title = clip(reply.title, TITLE_MAX) if reply.title else None
    description = clip(reply.text, DESCRIPTION_MAX) if reply.text else None
    embed = discord.Embed(title=title, description=description, colour=_colour(reply))
    shortened = (title or "") != (reply.title or "") or (description or "") != reply.text
    budget = EMBED_TOTAL_MAX - length(SHORTENED) - length(title or "") - length(description or "")
    for number, item in enumerate(reply.fields):
        name = clip(item.name, FIELD_NAME_MAX) or BLANK
        room = min(FIELD_VALUE_MAX, budget - length(name))
        if number == FIELDS_MAX or room < 1:
            return embed, True
        value = clip(item.value, room) or BLANK
        shortened = shortened or name != (item.name or BLANK) or value != (item.value or BLANK)
        embed.add_field(name=name, value=value, inline=item.inline)
        budget -= length(name) + length(value)
    return embed, shortened


def _colour(reply: Reply) -> discord.Colour:
    if reply.is_error:
        return ERROR_COLOUR
    return PRIVATE_COLOUR if reply.ephemeral else PUBLIC_COLOUR


def _view(reply: Reply, dm_guild_id: int | None) -> discord.ui.View | None:
    if not reply.actions:
        return None
    view = discord.ui.View(timeout=None)
    suffix = f"@{dm_guild_id}" if dm_guild_id is not None else ""
    for number, button in enumerate(reply.actions[: BUTTONS_PER_ROW * ROWS_MAX]):
        custom_id = button.id + suffix
        if len(custom_id) > CUSTOM_ID_MAX:
            log.warning("dropping button %r: its id is longer than Discord allows", button.id)
            continue
        item = discord.ui.Button(
            label=clip(button.label, BUTTON_LABEL_MAX),
            style=STYLES[button.style],
            custom_id=custom_id,
        )
        dynamic = ActionButton(item, button.id, dm_guild_id)
        dynamic.row = number // BUTTONS_PER_ROW
        view.add_item(dynamic)
    return view
