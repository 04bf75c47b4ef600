"""Discord shards split across replicas: each replica identifies with its own shard ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from adapters.discord.adapter import build
from adapters.discord.client import ShardedPeerpathClient
from adapters.http import OpsServer
from bot.app import Peerpath
from bot.config import Settings
from tests.adapters.discord.support import NEVER_DEFER, settings_for, slash
from tests.fakes.discord_api import GUILD_ID, FakeDiscord
from tests.ops.processes import Process, clean_env, http_get


class ShardedFakeDiscord(FakeDiscord):
    """Like Discord, READY names the shard the connection identified as."""

    def _ready(self) -> dict[str, Any]:
        return {**super()._ready(), "shard": self.identifies[-1]["shard"]}


async def readiness(server: OpsServer) -> tuple[int, str]:
    return await http_get(f"http://127.0.0.1:{server.port}/readyz")


async def test_a_replica_runs_only_its_shard_and_answers_on_it(app: Peerpath) -> None:
    fake = ShardedFakeDiscord()
    await fake.start()
    server = OpsServer(app, "127.0.0.1", 0)
    settings = settings_for(fake).model_copy(
        update={"discord_shard_count": 2, "discord_shard_ids": "1"}
    )
    adapter = build(app, settings, server=server, guild_ready_timeout=0, defer_after=NEVER_DEFER)
    assert isinstance(adapter.client, ShardedPeerpathClient)
    await server.start()
    try:
        assert await readiness(server) == (503, "database: ok\ndiscord: not connected\n")
        await adapter.start()
        assert [identify["shard"] for identify in fake.identifies] == [[1, 2]]
        assert await readiness(server) == (200, "database: ok\ndiscord: ok\n")

        event = await fake.interact(slash("prep", field="UX research"))
        answer = await fake.response_to(event)
        assert "UX research" in str(answer.json["data"])
    finally:
        await adapter.stop()
        assert (await readiness(server))[0] == 503
        await server.stop()
        await fake.close()


def test_shard_settings() -> None:
    assert Settings().discord_shards() is None
    assert Settings(DISCORD_SHARD_COUNT=3).discord_shards() == (3, [0, 1, 2])
    assert Settings(DISCORD_SHARD_COUNT=4, DISCORD_SHARD_IDS="1, 3").discord_shards() == (
        4,
        [1, 3],
    )


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        (None, "0", "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT, e.g. 2"),
        (2, "one", "shard numbers separated by commas, e.g. 0,1 (got 'one')"),
        (2, "2", "distinct numbers from 0 to 1 (DISCORD_SHARD_COUNT is 2)"),
        (2, "1,1", "distinct numbers from 0 to 1"),
    ],
)
def test_shard_settings_that_do_not_fit_say_how_to_fix_them(
    count: int | None, ids: str, expected: str
) -> None:
    settings = Settings(DISCORD_SHARD_COUNT=count, DISCORD_SHARD_IDS=ids)
    with pytest.raises(ValueError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        settings.discord_shards()


async def test_peerpath_run_serves_one_shard_and_the_operations_endpoints(
    tmp_path: Path,
) -> None:
    fake = ShardedFakeDiscord()
    await fake.start()
    env = clean_env(
        DISCORD_TOKEN="test-token",
        DISCORD_GUILD_ID=str(GUILD_ID),
        DISCORD_API_URL=fake.api_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        DISCORD_SHARD_COUNT="2",
        DISCORD_SHARD_IDS="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'peerpath.db'}",
        PEERPATH_LOG_LEVEL="INFO",
    )
    run = await Process("run", env=env, cwd=tmp_path).start()
    try:
        await run.ready("discord")
        assert [identify["shard"] for identify in fake.identifies] == [[1, 2]]
        assert await run.get("/readyz") == (200, "database: ok\ndiscord: ok\nreminders: ok\n")
        assert await run.get("/healthz") == (200, "ok")
        assert "peerpath_commands_total" in (await run.get("/metrics"))[1]
        code, _ = await run.terminate()
        assert code == 0, run.log()
    finally:
        await run.kill()
        await fake.close()


async def test_peerpath_run_refuses_shard_ids_that_do_not_fit(tmp_path: Path) -> None:
    env = clean_env(
        DISCORD_TOKEN="test-token",
        DISCORD_SHARD_COUNT="2",
        DISCORD_SHARD_IDS="2",
        DATABASE_URL=f"sqlite:///{tmp_path / 'peerpath.db'}",
    )
    run = await Process("run", env=env, cwd=tmp_path).start()
    assert await run.exit() == 2
    assert "Cannot start discord: DISCORD_SHARD_IDS must be distinct numbers from 0 to 1" in (
        run.log()
    )
    assert "Traceback" not in run.log()
