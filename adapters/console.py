"""The local console: the embedded default and the harness for scenario tests.

Lines starting with ``/`` run commands as the current user in the current
channel; lines starting with ``:`` steer the session (switch user or channel,
move the simulated clock, press a button). Output is plain text, one reply
after another, so a piped script produces a transcript that tests can read.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.errors import UserError
from bot.invocation import Invocation
from bot.option_types import Kind, Upload
from bot.parsing import parse_text
from bot.registry import Command
from bot.replies import Attachment, Reply, error_reply, render_text
from scheduling.outbox import Outbox
from scheduling.runner import run_until

ADVANCE_RE = re.compile(r"^(\d{1,4})\s*([mhdw])$")
UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
HELP = (
    "Type a command such as /peerpath, or:\n"
    "  :as NAME        act as another member\n"
    "  :channel NAME   move to another channel\n"
    "  :advance 2d     move the clock forward (m, h, d or w) and run what falls due\n"
    "  :press N        press button N of the last message (N @NAME: NAME's last DM's)\n"
    "  :now            show the simulated time\n"
    "  :quit           leave"
)


def invocation(
    workspace: str,
    user: str,
    channel: str | None,
    is_admin: bool = False,
    request_id: str | None = None,
) -> Invocation:
    """A console line as the core sees it: names double as ids, there are no platform roles."""
    return Invocation(
        platform="console",
        workspace_id=workspace,
        workspace_name=workspace,
        user_id=user,
        user_name=user,
        channel_id=channel,
        channel_name=channel or "",
        is_admin=is_admin,
        request_id=request_id,
    )


@dataclass
class Delivered:
    """One message the console delivered: to a member (their id) or ``#channel``, with its
    nudge keys."""

    target: str
    reply: Reply
    keys: list[str] = field(default_factory=list)


class ConsoleNotifier:
    """Delivers DMs and channel posts by showing them (printing, in a terminal), and
    remembers what it delivered in this run, which is what :meth:`was_delivered` asks."""

    platform = "console"

    def __init__(self, show: Callable[[Reply, str], None] | None = None) -> None:
        self.show = show
        self.received: list[Delivered] = []

    async def send_dm(
        self, workspace_id: str, user_id: str, reply: Reply, keys: Sequence[str] = ()
    ) -> None:
        await self.deliver(user_id, reply, keys)

    async def post_channel(
        self, workspace_id: str, channel_id: str, reply: Reply, keys: Sequence[str] = ()
    ) -> None:
        await self.deliver(f"#{channel_id}", reply, keys)

    async def deliver(self, target: str, reply: Reply, keys: Sequence[str]) -> None:
        self.received.append(Delivered(target, reply, list(keys)))
        if self.show is not None:
            self.show(reply, f"[{target}]" if target.startswith("#") else f"[DM @{target}]")

    async def was_delivered(self, workspace_id: str, target_id: str, key: str) -> bool:
        """Whether this run delivered ``key`` to ``target_id`` (a terminal keeps no record
        across runs, so after a restart the console is at-least-once)."""
        targets = {target_id, f"#{target_id}"}
        return any(key in d.keys for d in self.received if d.target in targets)


def _upload(path: str) -> Upload:
    found = Path(path).expanduser()
    return Upload(found.name, found.read_bytes())


class Console:
    """One console session: who is typing, where, and what was said last."""

    def __init__(
        self,
        app: Peerpath,
        clock: SimulatedClock,
        workspace: str,
        channel: str,
        user: str,
        out: TextIO = sys.stdout,
        admins: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.clock = clock
        self.workspace = workspace
        self.channel = channel
        self.user = user
        self.out = out
        self.admins = admins
        self.last: Reply | None = None
        self.notifier = ConsoleNotifier(self.show)
        notifiers = {"console": self.notifier}
        self.outbox = Outbox(
            app.sessions, clock, app.settings.default_tz, notifiers, writer=app.writer
        )

    def invocation(self) -> Invocation:
        return invocation(self.workspace, self.user, self.channel, self.user in self.admins)

    async def run(self, source: TextIO, interactive: bool) -> None:
        """Read and handle lines until ``:quit`` or end of input."""
        if interactive:
            self.write(
                f"peerpath console — you are @{self.user} in #{self.channel}. "
                "Type /peerpath for help, :help for console controls."
            )
        await self.outbox.sweep()  # what fell due while nobody was running
        while True:
            if interactive:
                self.out.write(f"{self.user}@#{self.channel}> ")
                self.out.flush()
            line = await asyncio.to_thread(source.readline)
            if not line:
                break
            if not await self.handle(line.strip()):
                break

    async def handle(self, line: str) -> bool:
        """Handle one line; False means the session should end."""
        if not line or line.startswith("#"):
            return True
        if line.startswith("/"):
            name, _, text = line[1:].partition(" ")
            command = self.app.registry.get(name)
            if command is not None and any(o.shape.kind is Kind.FILE for o in command.options):
                self.show(await self.with_files(command, text))
            else:
                self.show(await self.app.run_text(self.invocation(), name, text))
            return True
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word == ":quit":
            return False
        if word == ":as" and rest:
            self.user = rest.lstrip("@")
        elif word == ":channel" and rest:
            self.channel = rest.lstrip("#")
        elif word == ":now":
            self.write(self.clock.now().isoformat())
        elif word == ":advance":
            await self.advance(rest)
        elif word == ":press":
            await self.press(rest)
        else:
            self.write(HELP)
        return True

    async def with_files(self, command: Command, text: str) -> Reply:
        """A command that takes a file: the console's stand-in for attaching one is its
        path, read here (the core never opens a path a member names)."""
        try:
            raw: dict[str, object] = dict(parse_text(command, text))
        except UserError as error:
            return error_reply(error.message, error.example, error.option)
        for option in command.options:
            path = raw.get(option.name)
            if option.shape.kind is Kind.FILE and isinstance(path, str) and path.strip():
                try:
                    raw[option.name] = await asyncio.to_thread(_upload, path.strip())
                except OSError as error:
                    reason = (error.strerror or "unreadable").lower()
                    return error_reply(f"Can't read {path.strip()}: {reason}.", command.example)
        return await self.app.run(self.invocation(), command, raw)

    async def advance(self, amount: str) -> None:
        match = ADVANCE_RE.match(amount.lower())
        if match is None:
            self.write("Say how far to move the clock, e.g. :advance 2d (m, h, d or w).")
            return
        step = timedelta(**{UNITS[match.group(2)]: int(match.group(1))})
        await run_until(self.outbox, self.clock, self.clock.now() + step)

    async def press(self, which: str) -> None:
        """``N``: button N of the last message; ``N @NAME``: of the last DM with buttons
        NAME was sent."""
        which, _, whose = which.partition(" @")
        last = self.last
        if whose:
            sent = [
                d.reply
                for d in self.notifier.received
                if d.target == whose.strip() and d.reply.actions
            ]
            last = sent[-1] if sent else None
        buttons = last.actions if last else []
        if not which.isdigit() or not 1 <= int(which) <= len(buttons):
            self.write(
                f"There is no button {which or '?'} on the last message ({len(buttons)} buttons)."
            )
            return
        self.show(await self.app.press(self.invocation(), buttons[int(which) - 1].id))

    def show(self, reply: Reply, prefix: str = "") -> None:
        """Print a reply; files it carries are saved and their paths printed."""
        self.last = reply
        text = render_text(reply)
        self.write(f"{prefix} {text}" if prefix else text)
        for item in (reply.attachment, reply.image):
            if item is not None:
                self.write(f"Saved {item.filename} to {self.save(item)}")

    def save(self, item: Attachment) -> Path:
        directory = self.app.settings.export_dir
        directory.mkdir(parents=True, exist_ok=True)
        path = (directory / item.filename).resolve()
        path.write_bytes(item.content)
        return path

    def write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()
