"""Errors that are meant to be read by a member, not by a developer.

Anything raised as :class:`UserError` is shown as a friendly reply (what was
expected, with an example) and rolls back the unit of work, so a bad command
never leaves half a record behind.
"""

from __future__ import annotations

from bot.replies import Attachment


class UserError(Exception):
    """A problem with what the member typed; ``message`` says what was expected.

    ``option`` names the command option at fault when there is one, so a form
    (a Slack modal) can show the message on that field; ``attachment`` hands back, as a
    file, text too long to repeat in the message, so nothing the member typed is lost.
    ``in_form`` words it for a form, where nothing is typed and options are fields (it
    defaults to ``message``; a form never shows the typed ``example``).
    """

    def __init__(
        self,
        message: str,
        example: str | None = None,
        option: str | None = None,
        attachment: Attachment | None = None,
        in_form: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.in_form = in_form or message
        self.example = example
        self.option = option
        self.attachment = attachment


class TemporarilyUnavailable(Exception):
    """The database could not be reached; the member should simply try again."""
