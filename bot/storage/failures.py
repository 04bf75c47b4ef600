"""What a database error at start-up means: a setting to fix, or a server to wait for.

Reaching the database is the first thing ``peerpath run`` does after it listens.
Its drivers fail in their own words (asyncpg's ``InvalidCatalogNameError``, a bare
``ConnectionRefusedError``, SQLite's "attempt to write a readonly database");
:func:`explain` turns each into the one line an operator needs, naming
``DATABASE_URL`` (never its password) and what to do.
"""

from __future__ import annotations

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.startup import ConfigurationError, Unreachable, reason

# PostgreSQL error codes that retrying cannot fix: a missing database or schema, a
# refused user or password.
MISSING_DATABASE = "3D000"
MISSING_SCHEMA = "3F000"
REFUSED = ("28000", "28P01")


def explain(error: BaseException, url: URL) -> ConfigurationError | Unreachable | None:
    """The start-up error ``error`` means, or None when it is not a known one."""
    if url.get_backend_name() == "sqlite":
        return _sqlite(error, url)
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    code = getattr(getattr(error, "orig", None), "pgcode", None)
    if code == MISSING_DATABASE:
        return ConfigurationError(
            f"The PostgreSQL database {url.database!r} does not exist on {where}: create it "
            f"(createdb {url.database}) or fix the name in DATABASE_URL"
        )
    if code == MISSING_SCHEMA:
        return ConfigurationError(
            f"No schema to create peerpath's tables in on {where}: create the schema named "
            "by PEERPATH_DB_SCHEMA (CREATE SCHEMA …) or unset it"
        )
    if code in REFUSED:
        return ConfigurationError(
            f"PostgreSQL on {where} refused the user {url.username!r}: check the user and "
            "password in DATABASE_URL"
        )
    if isinstance(error, (OSError, TimeoutError)) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    ):
        return Unreachable(
            f"Cannot reach the database at {where} ({reason(error)}): is DATABASE_URL right "
            "and PostgreSQL running?"
        )
    return None


def _sqlite(error: BaseException, url: URL) -> ConfigurationError | None:
    if isinstance(error, (OperationalError, OSError)):
        cause = getattr(error, "orig", error)
        return ConfigurationError(
            f"Cannot write the database {url.database} ({cause}): set DATABASE_URL to a "
            "file in a writable directory, e.g. sqlite+aiosqlite:///./data/peerpath.db"
        )
    return None
