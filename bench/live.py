"""The running bot through its real adapters, against fake platforms on loopback.

    python -m bench.live --db PATH [--latency 500] [--burst 1000] [--soak 10000]

``peerpath run`` is started as its own process in Slack HTTP mode on the seeded
database (``bench/seed.py``), its Web API pointed at a fake Slack in this process
(``tests/fakes/slack_web_api.py``). Measured:

- start-up: from spawning the process to ``/healthz`` answering 200;
- resident set size idle on the seeded data, and again after ``--soak`` more commands
  (a leak shows as growth);
- a signed slash command from request to ack (the HTTP answer) and to reply (its
  ``response_url`` post arriving), median and p99 over ``--latency`` sequential ones;
- ``--burst`` commands sent at once: the latest ack and the time until every reply is in;
- a Discord interaction from gateway dispatch to its callback, through the real
  discord.py client in this process against ``tests/fakes/discord_api.py``.

The floor beside the Slack figures is a bare aiohttp server, its own process too, that
verifies the signature with ``slack_sdk`` and acks — then posts one plain message to the
``response_url`` — doing no database or rendering work.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

from bench import commands, seed
from bench.seed import summary
from tests.fakes.slack_requests import SIGNING_SECRET, SlackSide, new_trigger
from tests.fakes.slack_web_api import TOKEN, Call, FakeSlack

READY_WITHIN = 30.0
SOAK_MIX = ("pending", "goal", "outreach", "thanked", "leaderboard")


class TimedSlack(FakeSlack):
    """The fake Slack, noting when each response_url post arrives and waking its waiter."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: dict[str, asyncio.Future[float]] = {}

    def expect(self, url: str) -> asyncio.Future[float]:
        future = self.replies[url] = asyncio.get_running_loop().create_future()
        return future

    async def _record(self, call: Call) -> None:
        if call.method == "response_url":
            waiter = self.replies.pop(call.params["_url"], None)
            if waiter is not None and not waiter.done():
                waiter.set_result(time.perf_counter())
            return  # kept out of ``calls``: a long soak would hold every message
        if call.method != "views.publish":
            await super()._record(call)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def wait_healthy(url: str, process: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as session:
        deadline = time.perf_counter() + READY_WITHIN
        while time.perf_counter() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"the process exited with {process.returncode}")
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.01)  # polling a process we do not control: no event to await
    raise RuntimeError(f"not healthy within {READY_WITHIN} s")


async def spawn(argv: list[str], env: dict[str, str], port: int) -> tuple[object, float]:
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *argv,
        env={**os.environ, **env},
        cwd=tempfile.gettempdir(),  # no stray .env
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
    )
    await wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
    return process, time.perf_counter() - started


async def stop(process: asyncio.subprocess.Process) -> None:
    process.terminate()
    await process.wait()


class Typist:
    """Seeded members typing slash commands into one events URL, signed like Slack."""

    def __init__(self, fake: TimedSlack, url: str, people: list[commands.Who]) -> None:
        self.fake = fake
        self.side = SlackSide(fake, url)
        self.people = people
        self.rng = random.Random(5)

    async def command(self, name: str, text: str = "") -> tuple[float, float]:
        """Seconds from posting to the ack, and to the reply's arrival."""
        who = self.rng.choice(self.people)
        response_url = self.fake.response_url()
        body = self.side.command_body(
            name,
            text,
            user=f"u{who.member}",
            channel=f"c{(who.group - 1) % 10}",
            response_url=response_url,
            trigger_id=new_trigger(),
        )
        body["team_id"] = f"ws{who.workspace - 1}"
        replied = self.fake.expect(response_url)
        started = time.perf_counter()
        status, _ = await self.side.post(urlencode(body))
        acked = time.perf_counter()
        assert status == 200, status
        return acked - started, await asyncio.wait_for(replied, 60) - started

    def mixed(self) -> Callable[[], Awaitable[tuple[float, float]]]:
        name = self.rng.choice(SOAK_MIX)
        text = '"Soak Person" company=Initech' if name == "outreach" else ""
        return lambda: self.command(name, text)


def line(label: str, samples: list[float], floor: list[float] | None = None) -> str:
    median, p99 = summary([s * 1000 for s in samples])
    text = f"  {label:<34}{median:8.1f} / {p99:8.1f} ms"
    if floor:
        f_median, f_p99 = summary([s * 1000 for s in floor])
        text += f"   floor {f_median:6.1f} / {f_p99:6.1f} ms   {median / f_median:5.1f}x"
    return text


async def slack(db: Path, latency: int, burst: int, soak: int) -> None:
    fake = TimedSlack()
    await fake.start()
    people = commands.roster(db)
    port, floor_port = free_port(), free_port()
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "PEERPATH_HOST": "127.0.0.1",
        "PEERPATH_PORT": str(port),
        "PEERPATH_LOG_LEVEL": "WARNING",
        "PEERPATH_SWEEP_SECONDS": "3600",
    }
    peerpath = str(Path(sys.executable).parent / "peerpath")
    bot, ready = await spawn([peerpath, "run"], env, port)
    floor, _ = await spawn(
        [sys.executable, "-m", "bench.floor_server", str(floor_port)],
        {"SLACK_SIGNING_SECRET": SIGNING_SECRET, "PYTHONPATH": str(Path(__file__).parent.parent)},
        floor_port,
    )
    try:
        idle = rss_mb(bot.pid)
        print(f"  start-up to ready (spawn → /healthz 200): {ready:.2f} s  (goal ≤ 2 s)")
        typist = Typist(fake, f"http://127.0.0.1:{port}/slack/events", people)
        floor_typist = Typist(fake, f"http://127.0.0.1:{floor_port}/slack/events", people)
        ours = [await typist.mixed()() for _ in range(latency)]
        floors = [await floor_typist.command("pending") for _ in range(latency)]
        print(f"  Slack slash command, {latency} sequential, median / p99:")
        print(line("request → ack", [a for a, _ in ours], [a for a, _ in floors]))
        print(line("request → reply (response_url)", [r for _, r in ours], [r for _, r in floors]))
        started = time.perf_counter()
        burst_done = await asyncio.gather(*(typist.mixed()() for _ in range(burst)))
        elapsed = time.perf_counter() - started
        latest_ack = max(a for a, _ in burst_done)
        print(
            f"  {burst} at once: latest ack {latest_ack:.2f} s (limit 3 s: "
            f"{'ok' if latest_ack < 3 else 'MISSED'}), all replied in {elapsed:.1f} s "
            f"({burst / elapsed:.0f} commands/s)"
        )
        print(line("  burst: request → ack", [a for a, _ in burst_done]))
        print(line("  burst: request → reply", [r for _, r in burst_done]))
        warmed = rss_mb(bot.pid)
        started = time.perf_counter()
        for chunk in range(0, soak, 50):  # 50 in flight, as a busy workspace would
            await asyncio.gather(*(typist.mixed()() for _ in range(min(50, soak - chunk))))
        rate = soak / (time.perf_counter() - started)
        after = rss_mb(bot.pid)
        print(
            f"  resident set: idle {idle:.0f} MB (goal ≤ 150), after {latency + burst:,} "
            f"commands {warmed:.0f} MB, after {soak:,} more {after:.0f} MB "
            f"({(after / warmed - 1) * 100:+.1f}% over the warmed figure; goal ≤ +10%); "
            f"{rate:.0f} commands/s"
        )
    finally:
        await stop(bot)
        await stop(floor)
        await fake.stop()


async def discord(db: Path, runs: int) -> None:
    from bot.app import Peerpath
    from bot.clock import SimulatedClock
    from bot.commands.catalog import build_registry
    from bot.config import Settings
    from tests.adapters.discord.support import running_bot, slash
    from tests.fakes.discord_api import FakeDiscord

    fake = FakeDiscord()
    await fake.start()
    settings = Settings(DATABASE_URL=f"sqlite+aiosqlite:///{db}")
    app = await Peerpath.open(settings, SimulatedClock(seed.NOW), build_registry())
    try:
        async with running_bot(app, fake):
            samples = []
            for n in range(runs):
                name = SOAK_MIX[n % 3]
                options = {"contact": f"Discord Person {n}"} if name == "outreach" else {}
                started = time.perf_counter()
                event = await fake.interact(slash(name, user=str(100 + n % 50), **options))
                await fake.response_to(event)
                samples.append(time.perf_counter() - started)
        print(line(f"Discord interaction → callback ({runs})", samples))
    finally:
        await app.close()
        await fake.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--latency", type=int, default=500)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--soak", type=int, default=10_000)
    args = parser.parse_args(argv)
    args.db = args.db.resolve()  # the bot runs in another directory
    asyncio.run(slack(args.db, args.latency, args.burst, args.soak))
    asyncio.run(discord(args.db, args.latency))


if __name__ == "__main__":
    main()
