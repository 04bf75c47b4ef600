"""``/readyz`` follows the database: PostgreSQL is reached through a TCP proxy the test
cuts and restores — what a database restart or a network partition looks like to peerpath."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from adapters.http import OpsServer
from bot.app import Peerpath
from bot.clock import SimulatedClock
from bot.commands.catalog import build_registry
from bot.config import Settings
from bot.storage import db
from tests.ops.processes import http_get
from tests.support import NO_POSTGRES, POSTGRES_URL, Person, postgres_schema

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)


class Proxy:
    """Forwards 127.0.0.1:<port> to the database; :meth:`cut` drops every connection and
    refuses new ones, :meth:`restore` listens on the same port again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._open):
            writer.close()
        await self._server.wait_closed()

    async def _pipe(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter):
        server_in, server_out = await asyncio.open_connection(*self.target)
        self._open |= {client_out, server_out}
        await asyncio.gather(self._copy(client_in, server_out), self._copy(server_in, client_out))

    async def _copy(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._open.discard(sink)
            sink.close()


async def readiness(server: OpsServer) -> tuple[int, str]:
    return await http_get(f"http://127.0.0.1:{server.port}/readyz")


async def test_readyz_fails_while_the_database_is_unreachable_and_recovers(
    clock: SimulatedClock, tmp_path: Path
) -> None:
    real = make_url(POSTGRES_URL)
    proxy = Proxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.restore()
    async with postgres_schema(POSTGRES_URL) as kwargs:
        schema = kwargs["connect_args"]["server_settings"]["search_path"]
        settings = Settings(
            DATABASE_URL=real.set(port=proxy.port).render_as_string(hide_password=False),
            PEERPATH_DB_SCHEMA=schema,  # the production engine, with its schema setting
            PEERPATH_EXPORT_DIR=tmp_path,
        )
        engine = db.engine_for(settings)
        await db.upgrade(engine)
        app = Peerpath(settings, clock, build_registry(), engine)
        server = OpsServer(app, "127.0.0.1", 0)
        await server.start()
        ann = Person(app, "ann")
        try:
            assert (await ann.say('/outreach "Jane Doe"')).title == "Outreach logged"
            assert await readiness(server) == (200, "database: ok\n")

            await proxy.cut()
            assert await readiness(server) == (503, "database: unreachable\n")
            down = await ann.say('/outreach "Jo Roe"')
            assert down.is_error and down.title == "Temporarily unavailable"

            await proxy.restore()
            assert await readiness(server) == (200, "database: ok\n")
            assert (await ann.say('/outreach "Jo Roe"')).title == "Outreach logged"
            assert (await db.row_counts(engine))["outreach"] == 2  # in the schema set
        finally:
            await server.stop()
            await app.close()
            await proxy.cut()
