"""Real ``peerpath`` processes for operations tests: started, watched, scraped, stopped."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from tests.fakes.slack_requests import SIGNING_SECRET
from tests.fakes.slack_web_api import FakeSlack

SERVING = r"serving /healthz, /readyz and /metrics on 127\.0\.0\.1:(\d+)"
START_LIMIT = 20.0  # seconds; a start takes about one on a laptop


def clean_env(**settings: str) -> dict[str, str]:
    """The test runner's environment without any peerpath setting, plus ``settings``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_", "PEERPATH_", "DATABASE_"))
    }
    return env | {"PEERPATH_HOST": "127.0.0.1", "PEERPATH_PORT": "0"} | settings


def slack_env(fake: FakeSlack, database_url: str, **settings: str) -> dict[str, str]:
    """Slack in HTTP mode against ``fake``, reminders swept twice a second."""
    return (
        clean_env(
            SLACK_BOT_TOKEN="xoxb-test",
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.api_url,
            PEERPATH_SWEEP_SECONDS="0.5",
            PEERPATH_LOG_LEVEL="INFO",
            DATABASE_URL=database_url,
        )
        | settings
    )


class Process:
    """``python -m bot.cli ARGS`` with its standard error read line by line as it comes."""

    def __init__(
        self,
        *args: str,
        env: dict[str, str],
        cwd: Path,
        changed: asyncio.Condition | None = None,
    ) -> None:
        """``changed`` is notified on every line; processes may share one to be awaited
        together (see :func:`until_logged`)."""
        self.args = args
        self.env = env
        self.cwd = cwd
        self.lines: list[str] = []
        self.port: int | None = None
        self.changed = changed or asyncio.Condition()
        self._ended = False
        self._process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self, stdin: bool = False) -> Process:
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            *self.args,
            cwd=self.cwd,
            env=self.env,
            stdin=asyncio.subprocess.PIPE if stdin else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.create_task(self._read())
        return self

    @property
    def process(self) -> asyncio.subprocess.Process:
        assert self._process is not None
        return self._process

    async def _read(self) -> None:
        async for raw in self.process.stderr:
            async with self.changed:
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))
                self.changed.notify_all()
        async with self.changed:
            self._ended = True
            self.changed.notify_all()

    async def logged(self, pattern: str, limit: float = START_LIMIT) -> re.Match[str]:
        """Wait for a line of standard error matching ``pattern``; the match."""

        def found() -> re.Match[str] | None:
            return next(filter(None, (re.search(pattern, line) for line in self.lines)), None)

        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(lambda: found() or self._ended), limit)
        match = found()
        assert match, f"peerpath never logged {pattern!r}:\n" + self.log()
        return match

    async def serving(self) -> int:
        """Wait until the operations server listens; its port."""
        self.port = int((await self.logged(SERVING))[1])
        return self.port

    async def ready(self, platform: str = "slack") -> None:
        """Wait until the platform is connected (``/readyz`` then answers 200)."""
        await self.serving()
        await self.logged(f"{platform} adapter ready")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def get(self, path: str) -> tuple[int, str]:
        return await http_get(self.base + path)

    async def metrics(self) -> Counter[str]:
        return parse_metrics((await self.get("/metrics"))[1])

    async def terminate(self, limit: float = 20.0) -> tuple[int, float]:
        """SIGTERM; the exit code and how many seconds the exit took."""
        started = time.monotonic()
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        code = await self.exit(limit)
        return code, time.monotonic() - started

    async def exit(self, limit: float = 20.0) -> int:
        code = await asyncio.wait_for(self.process.wait(), limit)
        await self._reader
        return code

    async def kill(self) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()

    def log(self) -> str:
        return "\n".join(self.lines)


async def http_get(url: str) -> tuple[int, str]:
    """Status and body of ``GET url``."""
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        return answer.status, await answer.text()


def parse_metrics(text: str) -> Counter[str]:
    """Samples by ``name{label="value",…}`` (labels sorted), from Prometheus text format."""
    samples: Counter[str] = Counter()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}"] += sample.value
    return samples


def delivered_keys(fake: FakeSlack) -> Counter[str]:
    """How often each nudge key arrived at Slack (keys travel as message metadata)."""
    return Counter(
        key
        for call in fake.called("chat.postMessage")
        for key in call.params.get("metadata", {}).get("event_payload", {}).get("keys", [])
    )


async def until(fake: FakeSlack, condition, limit: float = 20.0) -> None:
    """Wait until ``condition()`` holds, re-checked whenever the fake receives a call."""
    async with fake._changed:
        await asyncio.wait_for(fake._changed.wait_for(condition), limit)


async def until_logged(
    processes: list[Process], condition: Callable[[], bool], limit: float = 20.0
) -> None:
    """Wait until ``condition()`` holds, re-checked at each line the processes log
    (they must share one ``changed`` condition)."""
    changed = processes[0].changed
    assert all(p.changed is changed for p in processes)
    async with changed:
        await asyncio.wait_for(changed.wait_for(condition), limit)


def swept(process: Process) -> int:
    """Reminders this process's sweeps reported sent so far (from its log)."""
    return sum(
        int(m[1]) for line in process.lines if (m := re.search(r"sweep: .*?(\d+) sent", line))
    )
