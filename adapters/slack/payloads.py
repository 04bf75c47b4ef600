"""The shapes of the Slack requests peerpath serves, checked before bolt sees them.

A request that passed the signature check can still be misshapen (a proxy's
mistake, a forged payload signed with a leaked secret, a Slack change): a view
submission whose ``private_metadata`` is not ours, a shortcut without its message, a
``block_actions`` without
actions, an event without its user. Bolt and the listeners read such fields
without checking them, and each would end in a 500 and a traceback. So every
body is validated here — with pydantic, against the fields the listeners and
bolt's own routing read — and only what was validated is passed on: anything
else is a 400 that names the field, never its value.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Json, ValidationError, model_validator

# An id Slack sends (trigger, action, view…): a non-empty string, never a number.
Id = Annotated[str, Field(min_length=1, max_length=255)]
# A team, user or channel id, which peerpath stores: no longer than its column.
Stored = Annotated[str, Field(min_length=1, max_length=64)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)]


class Misshapen(ValueError):
    """A signed body that is not a request peerpath serves; the message names fields only."""


class Shape(BaseModel):
    """Unknown fields are dropped: bolt gets only what was checked."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class SlashCommand(Shape):
    command: Id
    team_id: Stored
    user_id: Stored
    response_url: Url
    trigger_id: Id
    text: str = ""
    user_name: str = ""
    team_domain: str = ""
    channel_id: Annotated[str, Field(max_length=64)] = ""
    channel_name: str = ""
    api_app_id: str = ""


class Team(Shape):
    id: Stored
    domain: str = ""


class User(Shape):
    id: Stored
    team_id: Stored | None = None
    username: str = ""
    name: str = ""


class Channel(Shape):
    id: Stored
    name: str = ""


class Container(Shape):
    type: str = ""
    is_ephemeral: bool = False


class Action(Shape):
    action_id: Id
    block_id: str = ""
    type: str = ""


class Interaction(Shape):
    """What a button press and a form submission both carry: who, in which team."""

    user: User
    team: Team | None = None
    api_app_id: str = ""

    @model_validator(mode="after")
    def _in_a_team(self) -> Interaction:
        if self.team is None and self.user.team_id is None:
            raise ValueError("neither team.id nor user.team_id")
        return self


class BlockActions(Interaction):
    type: Literal["block_actions"]
    trigger_id: Id
    actions: list[Action] = Field(min_length=1)
    channel: Channel | None = None
    container: Container | None = None
    response_url: Url | None = None


class GlobalShortcut(Interaction):
    type: Literal["shortcut"]
    callback_id: Id
    trigger_id: Id


class ShortcutMessage(Shape):
    """The message a message shortcut was used on: where it is, and who wrote it."""

    ts: Id
    user: Stored | None = None
    bot_id: str | None = None


class MessageShortcut(Interaction):
    type: Literal["message_action"]
    callback_id: Id
    trigger_id: Id
    channel: Channel
    message: ShortcutMessage
    response_url: Url | None = None


class Selected(Shape):
    value: str


class PickedFile(Shape):
    """A file picked in a form's ``file_input``: where the app downloads it from."""

    id: Id
    name: Annotated[str, Field(max_length=255)] = ""
    url_private: Url
    url_private_download: Url | None = None


class Element(Shape):
    """One input of a submitted form, as ``adapters.slack.blocks.modal_values`` (and
    ``adapters.slack.files.picked``) read it."""

    type: str = ""
    value: str | None = None
    selected_date: str | None = None
    selected_option: Selected | None = None
    files: Annotated[list[PickedFile], Field(max_length=10)] | None = None


class State(Shape):
    values: dict[str, dict[str, Element]]


class FormMetadata(Shape):
    """What peerpath put in its own form's ``private_metadata`` when it opened it."""

    command: Id
    # Where the answer goes: the conversation's response_url; none from a global shortcut
    # (a DM then) or the App Home tab (``home``).
    response_url: Url | Literal[""] = ""
    home: bool = False
    channel: Annotated[str, Field(max_length=64)] = ""
    # Options a form carries unseen (which log an edit is for), given back on submission.
    hidden: dict[Annotated[str, Field(max_length=32)], Annotated[str, Field(max_length=200)]] = {}


class ViewBlock(Shape):
    """A block of a submitted form: which fields it shows (a refusal is shown on one)."""

    type: Annotated[str, Field(max_length=32)]
    block_id: Annotated[str, Field(max_length=255)] = ""


class View(Shape):
    id: Id
    type: str = "modal"
    callback_id: str
    private_metadata: Json[FormMetadata]
    state: State
    blocks: Annotated[list[ViewBlock], Field(max_length=100)] = []


class ViewSubmission(Interaction):
    type: Literal["view_submission"]
    view: View
    trigger_id: str = ""


class HomeOpened(Shape):
    type: Literal["app_home_opened"]
    user: Stored
    tab: str = ""
    channel: str = ""


class Revoked(Shape):
    oauth: list[Stored] = []
    bot: list[Stored] = []


class TokensRevoked(Shape):
    """Slack revoked tokens of an installation (``adapters/slack/installs.py``)."""

    type: Literal["tokens_revoked"]
    tokens: Revoked


class OtherEvent(Shape):
    """An event peerpath does not listen for: bolt answers that nothing handles it."""

    type: Id


class EventCallback(Shape):
    type: Literal["event_callback"]
    team_id: Stored
    event: HomeOpened | TokensRevoked | OtherEvent
    event_id: str = ""
    api_app_id: str = ""


class UrlVerification(Shape):
    type: Literal["url_verification"]
    challenge: str


class SslCheck(Shape):
    ssl_check: Literal["1"]


KINDS: dict[str, type[Shape]] = {
    "block_actions": BlockActions,
    "view_submission": ViewSubmission,
    "shortcut": GlobalShortcut,
    "message_action": MessageShortcut,
    "event_callback": EventCallback,
    "url_verification": UrlVerification,
}


def accepted(body: Any) -> dict[str, Any]:
    """``body`` reduced to the fields peerpath reads, or :class:`Misshapen`."""
    if not isinstance(body, dict):
        raise Misshapen("the body is not an object")
    if "command" in body:
        model: type[Shape] | None = SlashCommand
    elif "ssl_check" in body:
        model = SslCheck
    else:
        model = KINDS.get(body["type"]) if isinstance(body.get("type"), str) else None
    if model is None:
        raise Misshapen("not a kind of request peerpath serves")
    try:
        return model.model_validate(body).model_dump(round_trip=True, exclude_none=True)
    except ValidationError as error:
        raise Misshapen(_fields(error)) from None


def _fields(error: ValidationError) -> str:
    """Which fields were wrong and how (``actions.0: missing``) — never their values, nor
    keys the sender chose (a form's block ids)."""
    wrong = {".".join(map(_part, e["loc"])) or "body": e["type"] for e in error.errors()}
    return ", ".join(f"{where}: {kind}" for where, kind in list(wrong.items())[:5])


def _part(part: str | int) -> str:
    return str(part) if isinstance(part, int) or part.isidentifier() and len(part) < 40 else "…"
