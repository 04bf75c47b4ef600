"""Two ``peerpath run`` replicas on one PostgreSQL database, in Slack HTTP mode behind what
would be a load balancer: commands spread over both are logged once (a retry landing on
the other replica included), and reminders swept by both arrive once each."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import SimulatedClock
from tests.fakes.slack_requests import SlackSide
from tests.fakes.slack_web_api import TEAM_ID, FakeSlack
from tests.ops.processes import (
    Process,
    delivered_keys,
    slack_env,
    swept,
    until,
    until_logged,
)
from tests.support import NO_POSTGRES, POSTGRES_URL, Person, core, postgres_schema

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)

MEMBERS = 24  # each with a reminder due
WAVE = 4
COMMANDS = 20
DIGEST_CHANNEL = "C0DIGEST"


async def test_two_replicas_share_commands_and_reminders(tmp_path: Path) -> None:
    fake = FakeSlack()
    await fake.start()
    replicas: list[Process] = []
    logs = asyncio.Condition()
    async with postgres_schema(POSTGRES_URL) as kwargs:
        schema = kwargs["connect_args"]["server_settings"]["search_path"]
        clock = SimulatedClock(datetime.now(UTC) - timedelta(days=2))
        async with core(POSTGRES_URL, clock, tmp_path, **kwargs) as app:
            # A group whose weekly digest fell due earlier this hour: one replica posts it.
            coach = Person(app, "U0COACH", workspace=TEAM_ID, platform="slack", is_admin=True)
            coach.channel = DIGEST_CHANNEL
            await coach.say("/settings reminders=off")  # only the digest, no goal check-ins
            due = datetime.now(UTC)
            weekday = due.strftime("%A").lower()
            setup = await coach.say(
                f"/group-setup tz=UTC digest-day={weekday} digest-hour={due.hour}"
            )
            assert setup.title == "Group created", setup.text
        try:
            for name in ("a", "b"):
                fake.tokens[f"xoxb-replica-{name}"] = TEAM_ID  # two tokens of one workspace
                env = slack_env(
                    fake,
                    POSTGRES_URL,
                    PEERPATH_DB_SCHEMA=schema,
                    PEERPATH_SWEEP_SECONDS="0.2",
                    SLACK_BOT_TOKEN=f"xoxb-replica-{name}",  # tells the replicas apart at Slack
                    PEERPATH_LOG_FORMAT="json" if name == "b" else "text",
                )
                replicas.append(await Process("run", env=env, cwd=tmp_path, changed=logs).start())
            await asyncio.gather(*(replica.ready() for replica in replicas))
            sides = [SlackSide(fake, f"{r.base}/slack/events") for r in replicas]

            # Commands round-robin over the replicas, all at once.
            sent = await asyncio.gather(
                *(
                    sides[n % 2].command("outreach", f'"Person {n}"', user=f"U{n:04d}")
                    for n in range(COMMANDS)
                )
            )
            assert {s.status for s in sent} == {200}
            # Slack retries the first one; the retry lands on the other replica.
            retried = await sides[1].command(
                "outreach",
                '"Person 0"',
                user="U0000",
                trigger_id=sent[0].trigger_id,
                response_url=sent[0].response_url,
                retry=1,
            )
            assert retried.status == 200
            await fake.wait_for("response_url", count=COMMANDS + 1)

            # Reminders fall due in waves while both replicas sweep.
            async with core(POSTGRES_URL, clock, tmp_path, **kwargs) as app:
                for wave in range(0, MEMBERS, WAVE):
                    for n in range(wave, wave + WAVE):
                        member = Person(app, f"U{n:04d}", workspace=TEAM_ID, platform="slack")
                        await member.say("/settings quiet=off")  # the test runs at any hour
                        await member.say(f'/logged-interview "Contact {n}"')
                    await until(fake, lambda w=wave: len(delivered_keys(fake)) >= w + WAVE)
            # Delivered, and each sweep has finished counting what it sent.
            await until_logged(replicas, lambda: sum(map(swept, replicas)) >= MEMBERS + 1)
            scraped = await asyncio.gather(*(r.metrics() for r in replicas))
            stopped = await asyncio.gather(*(r.terminate() for r in replicas))
            assert [code for code, _ in stopped] == [0, 0], [r.log() for r in replicas]
        finally:
            for replica in replicas:
                await replica.kill()
            await fake.stop()

        async with core(POSTGRES_URL, clock, tmp_path, **kwargs) as app:
            async with app.engine.connect() as connection:
                logged = Counter(
                    name
                    for (name,) in await connection.exec_driver_sql(
                        "SELECT c.name FROM outreach o JOIN contacts c ON c.id = o.contact_id"
                    )
                )

    # Every command logged once, the retry included.
    assert logged == Counter(f"Person {n}" for n in range(COMMANDS))
    answers = Counter(c.params["_url"] for c in fake.called("response_url"))
    assert answers[sent[0].response_url] == 2  # the retry was answered ("Already done")
    # Every reminder delivered once, whichever replica claimed it; the digest posted once.
    counts = delivered_keys(fake)
    assert len(counts) == MEMBERS + 1 and set(counts.values()) == {1}
    digests = [c for c in fake.called("chat.postMessage") if c.params["channel"] == DIGEST_CHANNEL]
    assert len(digests) == 1 and "Weekly digest" in digests[0].params["text"]
    by_replica = Counter(c.params["_token"] for c in fake.called("chat.postMessage"))
    assert sum(by_replica.values()) == MEMBERS + 1
    # Each replica counts what it did; together: every command and every reminder.
    total = Counter()
    for samples in scraped:
        total.update(samples)
    ok = 'peerpath_commands_total{command="/outreach",outcome="ok"}'
    duplicate = 'peerpath_commands_total{command="/outreach",outcome="duplicate"}'
    outcomes = {k: v for k, v in total.items() if k.startswith("peerpath_commands_total")}
    assert (total[ok], total[duplicate]) == (COMMANDS, 1), (outcomes, logs_of(replicas))
    assert total['peerpath_nudges_total{outcome="sent"}'] == MEMBERS + 1
    assert all(samples["peerpath_sweep_duration_seconds_count{}"] > 0 for samples in scraped)
    print("reminders sent per replica:", dict(by_replica))
    # Replica b logged JSON: a line per command, with workspace and command, no names.
    lines = [json.loads(line) for line in replicas[1].lines]
    commands = [line for line in lines if line["logger"] == "peerpath.commands"]
    assert {line["command"] for line in commands} == {"/outreach", "home"}  # + Home tab
    assert all(line["workspace"] == TEAM_ID for line in commands)
    assert not any("Person" in line or "Contact" in line for line in replicas[1].lines)


def logs_of(replicas: list[Process]) -> str:
    return "\n".join(line for replica in replicas for line in replica.lines)
